//! The checker on small inline crates: each test plants one kind of
//! dependency and proves it is found (or, for test code, that it is not).
//! They use the real floor table, so `payment` is floor 1, `layout` floor 4.

use std::collections::BTreeMap;

use super::graph::{Analysis, analyze};
use super::{PAYMENT_NO_IO, floors, rules};

/// A crate made of `(path, text)` files.
fn crate_of(files: &[(&str, &str)]) -> Analysis {
    let sources: BTreeMap<String, String> = files
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    analyze(&sources)
}

/// The upward edges of a crate.
fn upward(files: &[(&str, &str)]) -> Vec<String> {
    let a = crate_of(files);
    assert_eq!(a.problems, Vec::<String>::new(), "the inline crate loads");
    rules::upward(&a, &floors())
}

const LIB: (&str, &str) = (
    "src/lib.rs",
    "pub mod payment;\npub mod layout;\npub mod money;\n",
);
const LAYOUT: (&str, &str) = (
    "src/layout/mod.rs",
    "pub mod document;\npub use document::Rgb;\npub trait Draw { fn draw(); }\n\
     pub fn layout() {}\npub fn parse<'de, D>(_: D) {}\n",
);
const DOCUMENT: (&str, &str) = (
    "src/layout/document.rs",
    "pub struct Rgb;\npub struct Raster;\n",
);
const MONEY: (&str, &str) = ("src/money.rs", "pub struct Money;\n");

/// `payment/mod.rs` with `body`, in a crate that has layout and money.
fn payment(body: &str) -> Vec<String> {
    upward(&[LIB, LAYOUT, DOCUMENT, MONEY, ("src/payment/mod.rs", body)])
}

#[test]
fn a_planted_upward_import_is_caught() {
    assert_eq!(
        payment("//! Payment.\nuse crate::layout::Rgb;\n"),
        [
            "src/payment/mod.rs:2: payment (floor 1) names layout (floor 4) via \
          crate::layout::Rgb (→ layout::document::Rgb)"
        ]
    );
}

#[test]
fn downward_imports_are_fine() {
    assert_eq!(
        payment("use crate::money::Money;\npub fn f(_: Money) {}\n"),
        Vec::<String>::new()
    );
}

#[test]
fn every_leaf_of_a_grouped_import_is_caught() {
    let up = payment(
        "use crate::{\n    money::Money,\n    layout::{self, document::{Raster as R, Rgb}},\n};\n",
    );
    assert_eq!(
        up,
        [
            "src/payment/mod.rs:3: payment (floor 1) names layout (floor 4) via crate::layout",
            "src/payment/mod.rs:3: payment (floor 1) names layout (floor 4) via \
             crate::layout::document::Raster",
            "src/payment/mod.rs:3: payment (floor 1) names layout (floor 4) via \
             crate::layout::document::Rgb",
        ]
    );
}

#[test]
fn globs_and_relative_paths_are_charged_once_on_the_use_line() {
    let up = payment(
        "use crate::layout::*;\nuse crate::layout as l;\n\
         pub fn f(_: Rgb, _: l::document::Raster) {}\n",
    );
    assert_eq!(
        up,
        [
            "src/payment/mod.rs:1: payment (floor 1) names layout (floor 4) via crate::layout::*",
            "src/payment/mod.rs:2: payment (floor 1) names layout (floor 4) via crate::layout",
        ]
    );
}

#[test]
fn re_export_chains_are_followed_to_the_defining_module() {
    // crate::Rgb → layout::Rgb → layout::document::Rgb; template re-exports
    // it again as `Colour`.
    let files = [
        (
            "src/lib.rs",
            "pub mod brand;\npub mod layout;\npub mod template;\npub mod money;\n\
             pub use layout::Rgb;\npub use money::Money;\n",
        ),
        LAYOUT,
        DOCUMENT,
        MONEY,
        ("src/template.rs", "pub use crate::layout::Rgb as Colour;\n"),
        (
            "src/brand.rs",
            "pub fn accent() -> crate::Rgb { todo!() }\n\
             pub fn tint(_: crate::template::Colour, _: crate::Money) {}\n",
        ),
    ];
    assert_eq!(
        upward(&files),
        [
            "src/brand.rs:1: brand (floor 2) names layout (floor 4) via crate::Rgb \
             (→ layout::document::Rgb)",
            "src/brand.rs:2: brand (floor 2) names layout (floor 4) via \
             crate::template::Colour (→ layout::document::Rgb)",
            "src/template.rs:1: template (floor 2) names layout (floor 4) via \
             crate::layout::Rgb (→ layout::document::Rgb)",
        ]
    );
    // brand → template is allowed (template < brand), and through the root
    // re-export `crate::Money` is a dependency on money.
    let a = crate_of(&files);
    let targets: Vec<(&str, &str)> = a
        .edges
        .iter()
        .filter(|e| e.from == "brand")
        .map(|e| (e.to.as_str(), e.text.as_str()))
        .collect();
    assert!(
        targets.contains(&("template", "crate::template::Colour")),
        "{targets:?}"
    );
    assert!(targets.contains(&("money", "crate::Money")), "{targets:?}");
}

#[test]
fn code_after_a_test_module_is_scanned_and_test_code_is_not() {
    let up = payment(
        "#[cfg(test)]\nmod tests {\n    use crate::layout::Rgb;\n}\n\
         #[cfg(all(test, feature = \"x\"))]\nuse crate::layout::layout;\n\
         #[test]\nfn t() { crate::layout::layout() }\n\
         #[cfg(test)]\nmod testdata;\n\
         pub struct P;\nimpl P {\n    #[cfg(test)]\n    fn t() -> crate::layout::Rgb { todo!() }\n}\n\
         pub fn after() -> crate::layout::document::Raster { todo!() }\n",
    );
    assert_eq!(
        up,
        [
            "src/payment/mod.rs:16: payment (floor 1) names layout (floor 4) via \
          crate::layout::document::Raster"
        ]
    );
}

#[test]
fn test_only_files_are_skipped_and_not_strays() {
    let a = crate_of(&[
        LIB,
        LAYOUT,
        DOCUMENT,
        MONEY,
        ("src/payment/mod.rs", "#[cfg(test)]\nmod testdata;\n"),
        ("src/payment/testdata.rs", "use crate::layout::Rgb;\n"),
    ]);
    assert_eq!(a.problems, Vec::<String>::new());
    assert_eq!(rules::upward(&a, &floors()), Vec::<String>::new());
}

#[test]
fn super_paths_are_resolved_to_absolute_modules() {
    let up = upward(&[
        LIB,
        LAYOUT,
        DOCUMENT,
        MONEY,
        ("src/payment/mod.rs", "pub mod qr;\npub struct Ec;\n"),
        (
            "src/payment/qr.rs",
            "use super::Ec;\nuse super::super::layout::document::Raster;\n\
             pub fn f() { let _ = self::super::super::layout::layout(); }\n",
        ),
    ]);
    assert_eq!(
        up,
        [
            "src/payment/qr.rs:2: payment (floor 1) names layout (floor 4) via \
             super::super::layout::document::Raster (→ layout::document::Raster)",
            "src/payment/qr.rs:3: payment (floor 1) names layout (floor 4) via \
             self::super::super::layout::layout (→ layout::layout)",
        ]
    );
}

#[test]
fn paths_in_expressions_types_patterns_macros_and_attributes_are_caught() {
    let up = payment(
        "pub fn a() { let _ = crate::layout::layout(); }\n\
         pub struct B(Vec<crate::layout::Rgb>);\n\
         pub fn c(x: u8) { if let crate::layout::document::Raster = todo!() {} }\n\
         pub fn d() { let _ = format!(\"{:?}\", crate::layout::layout()); }\n\
         pub fn e() { let _ = vec![crate::layout::layout(); 2]; }\n\
         macro_rules! m { () => { $crate::layout::layout() } }\n\
         #[derive(serde::Deserialize)]\npub struct G { #[serde(deserialize_with = \"crate::layout::parse\")] x: u8 }\n\
         pub fn h<T: crate::layout::Draw>() { <T as crate::layout::Draw>::draw() }\n",
    );
    let lines: Vec<&str> = up
        .iter()
        .map(|l| l.split(": payment").next().unwrap_or(""))
        .collect();
    assert_eq!(
        lines,
        [
            "src/payment/mod.rs:1",
            "src/payment/mod.rs:2",
            "src/payment/mod.rs:3",
            "src/payment/mod.rs:4",
            "src/payment/mod.rs:5",
            "src/payment/mod.rs:6",
            "src/payment/mod.rs:8",
            "src/payment/mod.rs:9",
        ],
        "{up:#?}"
    );
}

#[test]
fn path_attributes_and_nested_files_are_followed() {
    let up = upward(&[
        LIB,
        LAYOUT,
        DOCUMENT,
        MONEY,
        (
            "src/payment/mod.rs",
            "#[path = \"extra/codes.rs\"]\nmod codes;\nmod inner {\n    pub mod deep;\n}\n",
        ),
        ("src/payment/extra/codes.rs", "use crate::layout::Rgb;\n"),
        ("src/payment/inner/deep.rs", "use crate::layout::layout;\n"),
    ]);
    assert_eq!(
        up,
        [
            "src/payment/extra/codes.rs:1: payment (floor 1) names layout (floor 4) via \
             crate::layout::Rgb (→ layout::document::Rgb)",
            "src/payment/inner/deep.rs:1: payment (floor 1) names layout (floor 4) via \
             crate::layout::layout",
        ]
    );
}

#[test]
fn the_binary_is_cli_and_names_the_library_through_kravia_invoice() {
    let a = crate_of(&[
        (
            "src/lib.rs",
            "pub mod brand;\npub mod layout;\npub use brand::Brand;\n",
        ),
        ("src/brand.rs", "pub struct Brand;\n"),
        LAYOUT,
        DOCUMENT,
        ("src/main.rs", "mod cli;\nfn main() { cli::run() }\n"),
        (
            "src/cli/mod.rs",
            "use kravia_invoice::Brand;\npub fn run() { kravia_invoice::layout::layout() }\n",
        ),
    ]);
    let edges: Vec<String> = a
        .edges
        .iter()
        .map(|e| format!("{}:{} {} → {}", e.file, e.line, e.from, e.to))
        .collect();
    assert_eq!(
        edges,
        [
            "src/cli/mod.rs:1 cli → brand",
            "src/cli/mod.rs:2 cli → layout"
        ]
    );
    assert_eq!(
        a.units.keys().collect::<Vec<_>>(),
        ["brand", "cli", "layout"]
    );
}

#[test]
fn an_unknown_module_must_get_a_floor() {
    let a = crate_of(&[("src/lib.rs", "pub mod gadget;\n"), ("src/gadget.rs", "")]);
    let unknown = rules::unknown_units(&a, &floors());
    assert_eq!(unknown.len(), 1);
    assert!(
        unknown[0].starts_with("src/gadget.rs: module `gadget` has no floor: add it to FLOORS"),
        "{unknown:?}"
    );
}

#[test]
fn within_a_floor_only_the_declared_order() {
    let a = crate_of(&[
        (
            "src/lib.rs",
            "pub mod brand;\npub mod template;\npub mod payment;\npub mod dintero;\n",
        ),
        ("src/brand.rs", "use crate::template::T;\npub struct B;\n"),
        (
            "src/template.rs",
            "pub struct T;\npub fn f(_: crate::brand::B) {}\n",
        ),
        ("src/payment.rs", "pub fn f(_: crate::dintero::D) {}\n"),
        ("src/dintero.rs", "pub struct D;\n"),
    ]);
    assert_eq!(
        rules::sideways(&a, &floors()),
        [
            "src/payment.rs:1: payment (floor 1) names dintero (floor 1), which floor 1's \
             order \"payment, dintero\" does not put below it, via crate::dintero::D",
            "src/template.rs:2: template (floor 2) names brand (floor 2), which floor 2's \
             order \"locale < template < brand\" does not put below it, via crate::brand::B",
        ]
    );
}

#[test]
fn a_cycle_is_reported_with_its_witnesses() {
    let a = crate_of(&[
        ("src/lib.rs", "pub mod locale;\npub mod template;\n"),
        (
            "src/locale.rs",
            "pub struct L;\npub fn f(_: crate::template::T) {}\n",
        ),
        ("src/template.rs", "pub struct T;\nuse crate::locale::L;\n"),
    ]);
    assert_eq!(
        rules::cycles(&a),
        ["cycle: locale → template → locale\n    \
          locale → template: src/locale.rs:2 via crate::template::T\n    \
          template → locale: src/template.rs:2 via crate::locale::L"]
    );
}

#[test]
fn payment_io_is_caught() {
    let a = crate_of(&[
        ("src/lib.rs", "pub mod payment;\n"),
        (
            "src/payment.rs",
            "use std::fs;\nuse std::io::Write;\n\
             pub fn f() {\n    let _ = fs::read(\"x\");\n    let _ = std::net::TcpStream::connect(\"x\");\n    \
             println!(\"x\");\n    let _ = ::tokio::spawn;\n}\n",
        ),
    ]);
    assert_eq!(
        rules::external_bans(&a, "payment", PAYMENT_NO_IO),
        [
            "src/payment.rs:1: payment names std::fs (banned: std::fs)",
            "src/payment.rs:5: payment names std::net::TcpStream::connect (banned: std::net)",
            "src/payment.rs:6: payment names println! (banned: println!)",
            "src/payment.rs:7: payment names tokio::spawn (banned: tokio)",
        ]
    );
}

#[test]
fn loading_problems_are_reported() {
    let a = crate_of(&[
        (
            "src/lib.rs",
            "pub mod payment;\nmod missing;\npub fn at_root() {}\n",
        ),
        ("src/payment.rs", ""),
        ("src/stray.rs", ""),
    ]);
    assert_eq!(a.problems.len(), 3, "{:#?}", a.problems);
    assert!(a.problems[0].starts_with("src/lib.rs:2: `mod missing;` but there is no"));
    assert!(a.problems[1].starts_with("src/lib.rs:3: the crate root defines an item"));
    assert!(a.problems[2].starts_with("src/stray.rs: no `mod` declaration"));
}

#[test]
fn the_floor_table_is_well_formed() {
    floors();
    assert!(rules::Floors::new(&[("a", "x < y"), ("b", "y")]).is_err());
}
