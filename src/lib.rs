//! kravia-invoice: prove that a Dintero Checkout Kravia transaction agrees with its
//! checkout session, then render the invoice PDF that the merchant delivers.
//!
//! The pipeline flows one way:
//!
//! ```text
//! transaction.json + session.json + brand.toml
//!     │  dintero   (tolerant wire models)
//!     ▼
//!  verify  ──► Report (every failed check, with code and field path)
//!     │
//!     ▼
//!  VerifiedInvoice ──► layout (pages of positioned runs) ──► pdf (bytes)
//! ```
//!
//! `verify` is the only way to obtain a [`VerifiedInvoice`], and the renderer
//! takes nothing else, so unverified data can never be drawn.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]

pub mod brand;
#[cfg(feature = "client")]
pub mod client;
pub mod country;
pub mod dintero;
pub mod locale;
pub mod money;
pub mod payment;
pub mod verify;

pub mod font;
pub mod layout;
pub mod pdf;
pub mod raster;
pub mod render;
pub mod template;

pub use brand::Brand;
pub use country::Country;
pub use money::{Currency, Money, Quantity, VatRate};
pub use verify::{Report, VerifiedInvoice, verify};
