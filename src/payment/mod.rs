//! Payment identifiers and payment codes: pure functions, no I/O.
