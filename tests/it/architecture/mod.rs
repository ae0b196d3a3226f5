//! The floors of the crate, checked on its source (issue 9).
//!
//! Every `.rs` file of `src/` is parsed with `syn`, following `mod`
//! declarations from `src/lib.rs` and `src/main.rs` the way rustc does; code
//! under a test-only `cfg` is skipped wherever it sits, everything else is
//! scanned (see [`tree`] and [`paths`] for exactly what). Every path that
//! names a crate item is resolved like the compiler would: `use` trees
//! (grouped, nested, globs, renames, `self`), `super::`/`self::`, relative
//! paths through imports, `kravia_invoice::…` in the binary, and re-export
//! chains (`crate::Brand` is a dependency on `brand`; a path through a module
//! that re-exports another's item depends on both). Intra-doc links that
//! spell a crate path (`[`crate::template::Labels`]`) count too, marked "doc
//! link": rustdoc resolves them like code. Each file belongs to a
//! top-level module ("unit": `src/layout/**` → `layout`; `src/main.rs` and
//! `src/cli/**` → `cli`; `src/lib.rs` is not a unit, it only re-exports).
//!
//! The checks: every unit is in [`FLOORS`]; no unit names a unit on a higher
//! floor, nor one its own floor's order does not put below it; the unit graph
//! has no cycle; and the hard bans below. A failure lists every offending
//! place as `file:line: from (floor f) names to (floor t) via path`.
//!
//! To watch it fail on the real tree, plant an upward import and run the
//! architecture tests (then remove the line again):
//!
//! ```text
//! echo 'use crate::layout::Document;' >> src/payment/mod.rs
//! cargo test --test it architecture
//! ```
//!
//! `planted_upward_import_is_caught` does the same in memory on every run,
//! and `cargo test --test it architecture::print_graph -- --ignored
//! --nocapture` prints the whole unit graph.

mod graph;
mod paths;
mod rules;
mod selftest;
mod tree;

use std::sync::OnceLock;

use graph::{Analysis, analyze, read_sources};
use rules::Floors;

/// The floors, bottom up; the one place the architecture is written down.
///
/// A module may name any module on a lower floor and, on its own floor, only
/// those that the floor's order puts below it: `a < b` lets `b` name `a`;
/// `a, b` sets them side by side, neither naming the other. It never names a
/// floor above it. Every top-level module of `src/` must be listed (a new one
/// fails `every_module_has_a_floor` until it gets its place); names of
/// modules still to come may stand here ahead of them.
pub const FLOORS: &[(&str, &str)] = &[
    // 0: a small utility (bounded file reading) and the shared vocabulary
    //    (amounts, countries, colours, font metrics, decoded logos); no
    //    domain logic.
    (
        "shared types",
        "file < money < country < color < font < logo",
    ),
    // 1: identifier maths and payment codes (pure, no I/O); Dintero's tolerant
    //    wire models.
    ("payment and wire models", "payment, dintero"),
    // 2: words, the template, and the merchant's brand file.
    ("words, template, brand", "locale < template < brand"),
    // 3: the cross-checks; the only way to a `VerifiedInvoice`.
    ("verify", "verify"),
    // 4: pure positions, no PDF types.
    ("layout", "layout"),
    // 5: the output formats.
    ("pdf and e-invoice", "pdf, einvoice"),
    // 6: the one pipeline from a verified invoice to its documents, and the
    //    crate error that wraps every lower floor's errors for the callers.
    ("render", "render < error"),
    // 7: the callers on top: the Dintero client, the HTTP service, the CLI.
    ("client, service, cli", "client < service < cli"),
    // 8: test support for this crate's own tests and benchmarks (feature
    //    `testkit`, `tests/support/testkit.rs`); not an API.
    ("test support", "testkit"),
];

/// What `pdf` may name: positioned drawings and the shared drawing
/// vocabulary, nothing about invoices.
const PDF_MAY_NAME: &[&str] = &["layout", "font", "color", "logo"];

/// What the CLI must not name: it calls `render`, never its steps.
const CLI_MAY_NOT_NAME: &[&str] = &["layout", "pdf"];

/// What `payment` must not name: it is pure, no I/O of any kind.
const PAYMENT_NO_IO: &[&str] = &[
    "std::fs",
    "std::net",
    "std::io::Read",
    "std::io::BufRead",
    "std::io::stdin",
    "std::io::stdout",
    "std::io::stderr",
    "std::process",
    "std::env",
    "tokio",
    "reqwest",
    "println!",
    "print!",
    "eprintln!",
    "eprint!",
    "dbg!",
];

/// The analysis of the real `src/`, made once for all tests of this binary.
fn real() -> &'static Analysis {
    static REAL: OnceLock<Analysis> = OnceLock::new();
    REAL.get_or_init(|| analyze(&read_sources(env!("CARGO_MANIFEST_DIR").as_ref())))
}

/// The parsed floor table.
fn floors() -> Floors {
    Floors::new(FLOORS).unwrap_or_else(|e| panic!("FLOORS: {e}"))
}

/// Fails with every offence, one per line, under a heading.
fn assert_none(what: &str, found: Vec<String>) {
    if !found.is_empty() {
        panic!("{} {what}:\n{}\n", found.len(), found.join("\n"));
    }
}

#[test]
fn the_module_tree_loads() {
    // Parse errors, `mod x;` without a file, files no `mod` reaches, items
    // at the library root.
    assert_none("problems loading src/", real().problems.clone());
}

#[test]
fn every_module_has_a_floor() {
    assert_none(
        "top-level modules without a floor",
        rules::unknown_units(real(), &floors()),
    );
}

#[test]
fn no_module_names_a_floor_above_it() {
    assert_none(
        "places where a module names a higher floor",
        rules::upward(real(), &floors()),
    );
}

#[test]
fn within_a_floor_only_the_declared_order() {
    assert_none(
        "places where a module names a module of its own floor that the floor's order \
         does not put below it",
        rules::sideways(real(), &floors()),
    );
}

#[test]
fn the_module_graph_has_no_cycle() {
    assert_none("cycles between top-level modules", rules::cycles(real()));
}

#[test]
fn layout_never_names_dintero() {
    assert_none(
        "places where layout names dintero",
        rules::names_only(real(), "layout", &|to| to != "dintero"),
    );
}

#[test]
fn pdf_names_only_drawing_types() {
    assert_none(
        &format!("places where pdf names something beyond {PDF_MAY_NAME:?}"),
        rules::names_only(real(), "pdf", &|to| PDF_MAY_NAME.contains(&to)),
    );
}

#[test]
fn payment_has_no_io() {
    assert_none(
        "places where payment does I/O",
        rules::external_bans(real(), "payment", PAYMENT_NO_IO),
    );
}

#[test]
fn the_cli_goes_through_render() {
    // Issue 9: the CLI never imports layout or pdf; `render` is the one
    // pipeline, so a step added there cannot be skipped by a command.
    assert_none(
        "places where the CLI names layout or pdf instead of going through render",
        rules::names_only(real(), "cli", &|to| !CLI_MAY_NOT_NAME.contains(&to)),
    );
}

/// The real tree with `use crate::layout::Document;` planted at the end of
/// `src/payment/mod.rs`: the upward import must be reported with its line.
#[test]
fn planted_upward_import_is_caught() {
    let mut sources = read_sources(env!("CARGO_MANIFEST_DIR").as_ref());
    let file = sources
        .get_mut("src/payment/mod.rs")
        .expect("src/payment/mod.rs exists");
    file.push_str("\nuse crate::layout::Document;\n");
    let line = file.lines().count();
    let up = rules::upward(&analyze(&sources), &floors());
    let want = format!(
        "src/payment/mod.rs:{line}: payment (floor 1) names layout (floor 4) via \
         crate::layout::Document"
    );
    assert!(
        up.iter().any(|l| l.starts_with(&want)),
        "no `{want}` among:\n{}",
        up.join("\n")
    );
}

/// Prints the unit graph of the real tree: each arrow with its number of
/// naming places, then the paths the scan could not follow to an item.
#[test]
#[ignore = "prints the module graph; run with --ignored --nocapture"]
fn print_graph() {
    let a = real();
    let f = floors();
    let mut arrows = std::collections::BTreeMap::<(&str, &str), usize>::new();
    for e in &a.edges {
        *arrows.entry((&e.from, &e.to)).or_default() += 1;
    }
    let floor = |u: &str| f.place(u).map_or("?".to_string(), |p| p.floor.to_string());
    for (unit, file) in &a.units {
        println!("{unit} (floor {}): {file}", floor(unit));
    }
    for ((from, to), n) in arrows {
        println!("{from} ({}) → {to} ({}): {n}", floor(from), floor(to));
    }
    for p in &a.partial {
        println!("not followed to an item: {p}");
    }
}
