//! Any character a customer can type: names and items in Vietnamese, Polish,
//! Icelandic, Sámi, Greek, Cyrillic and with emoji render and come back from
//! `pdftotext`; Hebrew from the brand's font directory comes back in logical
//! order; a character no face can draw exits 0 with `glyph_replaced` (exit 1
//! under `--strict-glyphs`).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{fixtures_dir, json, run};

fn have(tool: &str) -> bool {
    Command::new(tool).arg("-v").output().is_ok()
}

/// The NO B2B fixture with the buyer's name, street and place and the item
/// descriptions replaced (in the session and the transaction alike), and a
/// brand that searches no system fonts (so the result is the same on every
/// machine), with `font_dir` when given. Returns the render arguments.
fn case(dir: &Path, buyer: [&str; 5], items: [&str; 3], font_dir: Option<&Path>) -> Vec<String> {
    let src = fixtures_dir().join("pub_ok_no_b2b_three_rates");
    let mut tx: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(src.join("transaction.json")).unwrap())
            .unwrap();
    let mut s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(src.join("session.json")).unwrap()).unwrap();
    let [first, last, company, street, place] = buyer;
    for a in [
        &mut s["order"]["billing_address"],
        &mut tx["billing_address"],
    ] {
        a["first_name"] = first.into();
        a["last_name"] = last.into();
        a["business_name"] = company.into();
        a["address_line"] = street.into();
        a["postal_place"] = place.into();
    }
    for (i, d) in items.iter().enumerate() {
        s["order"]["items"][i]["description"] = (*d).into();
        tx["items"][i]["description"] = (*d).into();
    }
    let t = dir.join("transaction.json");
    let se = dir.join("session.json");
    std::fs::write(&t, tx.to_string()).unwrap();
    std::fs::write(&se, s.to_string()).unwrap();
    let mut brand = std::fs::read_to_string(src.join("brand.toml"))
        .unwrap()
        .replace("logo = \"logo.png\"", "");
    brand = brand.replace("[style]", "[style]\nsystem_fonts = false");
    if let Some(fd) = font_dir {
        brand = brand.replace(
            "[style]",
            &format!("[style]\nfont_dir = {:?}", fd.display().to_string()),
        );
    }
    assert!(brand.contains("system_fonts = false"), "{brand}");
    let b = dir.join("brand.toml");
    std::fs::write(&b, brand).unwrap();
    [
        "render",
        "--transaction",
        t.to_str().unwrap(),
        "--session",
        se.to_str().unwrap(),
        "--brand",
        b.to_str().unwrap(),
        "--output",
        dir.join("invoice.pdf").to_str().unwrap(),
        "--json",
    ]
    .map(String::from)
    .to_vec()
}

/// `pdftotext` of the PDF (`-raw`: in drawing order), without white space
/// and bidi embedding marks.
fn text_mode(pdf: &Path, raw: bool) -> String {
    let mut args = vec!["-enc", "UTF-8"];
    if raw {
        args.push("-raw");
    }
    let out = Command::new("pdftotext")
        .args(args)
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\u{202A}'..='\u{202E}'))
        .collect()
}

fn text(pdf: &Path) -> String {
    text_mode(pdf, true)
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn pdf_in(dir: &Path) -> PathBuf {
    dir.join("invoice.pdf")
}

#[test]
fn every_script_a_customer_types_comes_back_from_the_pdf() {
    if !have("pdftotext") {
        eprintln!("note: poppler-utils missing; skipping");
        return;
    }
    let dir = crate::cli::tempdir();
    let buyer = [
        "Nguyễn Thị",
        "Phương Thảo",
        "Zażółć Gęślą Jaźń Sp. z o.o.",
        "Þórðargata 7, Ísafjörður",
        "Ŋuorgáŋ Čáhcesuolu Đ ŧ ž ǯ ǥ ǩ ʒ",
    ];
    let items = [
        "Παπαδόπουλος · Αθήνα ΩΣ",
        "Иванов Пётр, Київ ґ є ї, Ўў",
        "Julegave 🎁 eske ❤️ 👍🏽",
    ];
    let args = case(&dir, buyer, items, None);
    let out = run(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json(&out);
    assert!(
        !report["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "glyph_replaced"),
        "{report}"
    );
    let got = text(&pdf_in(&dir));
    for want in buyer.iter().chain(items.iter()) {
        assert!(
            got.contains(&squeeze(want)),
            "{want:?} not in the PDF text:\n{got}"
        );
    }
    // The emoji face is embedded as a subset like the others.
    let fonts = Command::new("pdffonts").arg(pdf_in(&dir)).output().unwrap();
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    assert!(fonts.contains("+NotoEmoji-Regular"), "{fonts}");
}

#[test]
fn hebrew_from_the_brand_font_dir_reads_in_logical_order() {
    if !have("pdftotext") {
        eprintln!("note: poppler-utils missing; skipping");
        return;
    }
    let dir = crate::cli::tempdir();
    let fonts = fixtures_dir().join("fonts");
    let args = case(
        &dir,
        ["שלום", "כהן", "Shalom Trading", "Herzl 1", "Oslo"],
        ["ספר תורה 2", "Tekanne", "Frakt"],
        Some(&fonts),
    );
    let out = run(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Drawn in visual order (as a reader sees it), the text comes back from
    // pdftotext's reading-order mode in logical order: not reversed.
    let got = text_mode(&pdf_in(&dir), false);
    assert!(got.contains("Att.שלוםכהן"), "{got}");
    assert!(got.contains("2ספרתורה"), "{got}");
    assert!(!got.contains("םולש"), "reversed: {got}");
    let pdffonts = Command::new("pdffonts").arg(pdf_in(&dir)).output().unwrap();
    assert!(String::from_utf8_lossy(&pdffonts.stdout).contains("NotoSansHebrew"));
}

#[test]
fn a_character_no_face_draws_is_a_visible_mark_and_a_warning_or_under_strict_an_error() {
    let dir = crate::cli::tempdir();
    let args = case(
        &dir,
        [
            "Kari",
            "Nordmann",
            "Trøndelag Trykk AS",
            "Fossegrenda 30",
            "Trondheim",
        ],
        ["Åkle i ull \u{10FFFD}", "Tekanne", "Togbillett"],
        None,
    );
    let out = run(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let report = json(&out);
    let w: Vec<&serde_json::Value> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["code"] == "glyph_replaced")
        .collect();
    assert_eq!(w.len(), 1, "{report}");
    assert_eq!(w[0]["path"], "session.order.items[0].description");
    assert!(
        w[0]["message"].as_str().unwrap().contains("U+10FFFD"),
        "{}",
        w[0]["message"]
    );
    if have("pdftotext") {
        assert!(text(&pdf_in(&dir)).contains("Åkleiull\u{FFFD}"));
    }
    std::fs::remove_file(pdf_in(&dir)).unwrap();

    let mut strict = args.clone();
    strict.push("--strict-glyphs".into());
    let out = run(&strict);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    let fatal = report["fatal"].as_str().unwrap();
    assert!(
        fatal.contains("U+10FFFD") && fatal.contains("session.order.items[0].description"),
        "{fatal}"
    );
    assert!(!pdf_in(&dir).exists(), "no PDF under --strict-glyphs");
}
