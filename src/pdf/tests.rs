//! End-to-end tests of the PDF backend on synthetic documents.
//!
//! External checks (`pdftotext`, `pdffonts`, `qpdf --check`, `pdfimages`)
//! run when the tool is installed and are skipped with a printed note
//! otherwise. With `KRAVIA_STORE=1` every PDF written here is kept in
//! `target/store/` for manual inspection.

use std::path::PathBuf;
use std::process::Command;

use super::*;
use crate::color::Rgb;
use crate::layout::document::{Image, Item, Metadata, Path, Pt, Rect};
use crate::logo::Raster;

use crate::testkit::*;

fn tool(name: &str) -> bool {
    let found = Command::new(name).arg("-v").output().is_ok();
    if !found {
        println!("note: `{name}` is not installed; skipping its check");
    }
    found
}

fn temp_pdf(name: &str, bytes: &[u8]) -> PathBuf {
    let path = std::env::temp_dir().join(format!("kravia-pdf-{}-{name}.pdf", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    if std::env::var_os("KRAVIA_STORE").is_some() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/store");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("pdf-{name}.pdf")), bytes).unwrap();
    }
    path
}

/// The file's objects as text: loaded (object streams unpacked), every stream
/// decompressed, saved plainly.
fn plain_text(bytes: &[u8]) -> String {
    let mut lo = lopdf::Document::load_mem(bytes).unwrap();
    lo.decompress();
    let mut out = Vec::new();
    lo.save_to(&mut out).unwrap();
    String::from_utf8_lossy(&out).into_owned()
}

fn run(cmd: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new(cmd).args(args).output().unwrap();
    let mut s = String::from_utf8_lossy(&out.stdout).into_owned();
    s.push_str(&String::from_utf8_lossy(&out.stderr));
    (out.status.success(), s)
}

#[test]
fn same_document_same_bytes() {
    let doc = sample(20);
    let a = write(&doc, &PdfOptions::default()).unwrap();
    let b = write(&doc, &PdfOptions::default()).unwrap();
    assert_eq!(a, b);
    clear_subset_cache();
    let c = write(&doc, &PdfOptions::default()).unwrap();
    assert_eq!(a, c, "a cold subset cache must not change bytes");
    assert!(a.starts_with(b"%PDF-1.7"));
    // No clock, no randomness: only what the document says.
    let s = plain_text(&a);
    assert!(
        s.contains("/CreationDate(D:20240601000000+00'00')"),
        "dates"
    );
    assert!(!s.contains("GTS_PDFX"));

    // Any change in content changes the second /ID, never the first.
    let mut other = doc.clone();
    other.pages[0]
        .items
        .push(text(40.0, 800.0, FontFace::Regular, 8.0, "x"));
    let d = write(&other, &PdfOptions::default()).unwrap();
    let ids = |b: &[u8]| {
        let s = String::from_utf8_lossy(b).into_owned();
        let i = s.rfind("/ID").unwrap();
        s[i..i + 74].to_owned()
    };
    assert_ne!(ids(&a), ids(&d));
    assert_eq!(ids(&a)[..38], ids(&d)[..38], "{} vs {}", ids(&a), ids(&d));
}

#[test]
fn same_bytes_on_four_threads() {
    let doc = sample(60);
    let reference = write(&doc, &PdfOptions::default()).unwrap();
    let results: Vec<Vec<Vec<u8>>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|i| {
                let doc = &doc;
                s.spawn(move || {
                    if i == 0 {
                        clear_subset_cache();
                    }
                    (0..5)
                        .map(|_| write(doc, &PdfOptions::default()).unwrap())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (t, outputs) in results.iter().enumerate() {
        for (n, r) in outputs.iter().enumerate() {
            assert!(*r == reference, "thread {t}, write {n} differs");
        }
    }
}

#[test]
fn fonts_are_subset_embedded_and_extractable() {
    let doc = sample(20);
    let bytes = write(&doc, &PdfOptions::default()).unwrap();
    assert!(bytes.len() < 25_000, "one page is {} bytes", bytes.len());
    let path = temp_pdf("nordic", &bytes);
    let p = path.to_str().unwrap();

    if tool("qpdf") {
        let (ok, out) = run("qpdf", &["--check", p]);
        assert!(ok, "{out}");
        assert!(out.contains("No syntax or stream encoding errors"), "{out}");
    }
    if tool("pdffonts") {
        let (ok, out) = run("pdffonts", &[p]);
        assert!(ok, "{out}");
        let fonts: Vec<&str> = out.lines().skip(2).collect();
        assert_eq!(fonts.len(), 3, "{out}");
        for (line, name) in
            fonts
                .iter()
                .zip(["NotoSans-Regular", "NotoSans-Bold", "NotoSansMono-Regular"])
        {
            let cols: Vec<&str> = line.split_whitespace().collect();
            // name type(2 words) encoding emb sub uni object ID
            assert!(
                cols[0].len() == 7 + name.len() && cols[0].ends_with(name),
                "{line}"
            );
            assert!(
                cols[0].as_bytes()[..6].iter().all(u8::is_ascii_uppercase),
                "{line}"
            );
            assert_eq!(
                &cols[1..6],
                &["CID", "TrueType", "Identity-H", "yes", "yes"],
                "{line}"
            );
            assert_eq!(cols[6], "yes", "ToUnicode: {line}");
        }
    }
    let needles = [
        "Fakturanummer æøå ÆØÅ äö €",
        "Kunde: Bjørn Ødegård, Åsveien 3",
        "Köpare: Märta Öberg — “Snö & Is” ‘AB’ • Malmö…",
        "Org.nr. 923\u{00A0}609\u{00A0}016 MVA",
        "Å betale: 12\u{202F}345,67 kr",
        "25\u{2009}%",
        "KID: 0004 2024 0042 7",
        "Nordlys AS – FAKTURA",
        "Side 1 av 1",
    ];
    // In process: lopdf decodes the strings through each font's ToUnicode
    // CMap, so the exact characters (U+00A0, U+2009, U+202F) come back.
    let lo = lopdf::Document::load_mem(&bytes).unwrap();
    let extracted = lo.extract_text(&[1]).unwrap();
    for needle in needles {
        assert!(
            extracted.contains(needle),
            "{needle:?} not in:\n{extracted}"
        );
    }
    if tool("pdftotext") {
        // poppler folds every Unicode space to U+0020 on output, so the
        // special spaces are compared folded here.
        let (ok, out) = run("pdftotext", &["-enc", "UTF-8", p, "-"]);
        assert!(ok, "{out}");
        let fold = |s: &str| s.replace(['\u{00A0}', '\u{2009}', '\u{202F}'], " ");
        for needle in needles.map(fold) {
            assert!(out.contains(&needle), "{needle:?} not in:\n{out}");
        }
    }
    let _ = std::fs::remove_file(&path);
}

#[test]
fn long_document_has_four_pages() {
    let doc = sample(140);
    assert_eq!(doc.pages.len(), 4);
    let bytes = write(&doc, &PdfOptions::default()).unwrap();
    let path = temp_pdf("long", &bytes);
    let p = path.to_str().unwrap();
    if tool("qpdf") {
        let (ok, out) = run("qpdf", &["--check", p]);
        assert!(
            ok && out.contains("No syntax or stream encoding errors"),
            "{out}"
        );
        let (_, n) = run("qpdf", &["--show-npages", p]);
        assert_eq!(n.trim(), "4");
    }
    if tool("pdftotext") {
        let (_, out) = run(
            "pdftotext",
            &["-enc", "UTF-8", "-f", "4", "-l", "4", p, "-"],
        );
        assert!(out.contains("Vare 139:"), "{out}");
        assert!(out.contains("Side 4 av 4"), "{out}");
    }
    let _ = std::fs::remove_file(&path);
}

#[test]
fn uncompressed_output_is_readable_and_valid() {
    let doc = sample(3);
    let bytes = write(
        &doc,
        &PdfOptions {
            compress: false,
            ..PdfOptions::default()
        },
    )
    .unwrap();
    let s = String::from_utf8_lossy(&bytes);
    // Short decimals, flipped y: the blue band (top 80 pt) starts at 761.89.
    assert!(s.contains("0 761.89 595.28 80 re"), "band");
    assert!(s.contains("0.102 0.239 0.451 rg"), "colour");
    assert!(s.contains("/F2 22 Tf"), "font");
    let lo = lopdf::Document::load_mem(&bytes).unwrap();
    let page = *lo.get_pages().get(&1).unwrap();
    let content = String::from_utf8(lo.get_page_content(page)).unwrap();
    for token in content.split_whitespace() {
        if let Some((_, decimals)) = token.split_once('.')
            && token.parse::<f64>().is_ok()
        {
            assert!(decimals.len() <= 3, "float noise: {token}");
        }
    }
    let path = temp_pdf("plain", &bytes);
    if tool("qpdf") {
        let (ok, out) = run("qpdf", &["--check", path.to_str().unwrap()]);
        assert!(ok, "{out}");
    }
    let _ = std::fs::remove_file(&path);
}

#[test]
fn png_logo_decodes_and_embeds_with_soft_mask() {
    // A 60×20 RGBA logo: a blue bar fading out to the right.
    let (w, h) = (60u32, 20u32);
    let mut rgba = Vec::new();
    for _y in 0..h {
        for x in 0..w {
            rgba.extend_from_slice(&[230, 40, 30, (255 - x * 4) as u8]);
        }
    }
    let png = crate::logo::png::tests::encode_png(
        w,
        h,
        png::ColorType::Rgba,
        png::BitDepth::Eight,
        &rgba,
        None,
    );
    let raster = crate::logo::png::decode_png(&png).unwrap();
    assert!(raster.has_alpha);
    let mut doc = sample(5);
    doc.images.push(raster);
    doc.images.push(Raster {
        width: 1,
        height: 1,
        pixels: vec![255, 0, 0],
        has_alpha: false,
    });
    doc.pages[0].items.push(Item::Image(Image {
        x: Pt(400.0),
        y: Pt(20.0),
        width: Pt(150.0),
        height: Pt(50.0),
        image: 0,
    }));
    doc.pages[0].items.push(Item::Path(Path {
        polygons: vec![vec![
            (Pt(300.0), Pt(20.0)),
            (Pt(340.0), Pt(20.0)),
            (Pt(320.0), Pt(60.0)),
        ]],
        fill: Rgb(230, 160, 0),
    }));
    let bytes = write(&doc, &PdfOptions::default()).unwrap();
    assert_eq!(bytes, write(&doc, &PdfOptions::default()).unwrap());
    let path = temp_pdf("logo", &bytes);
    let p = path.to_str().unwrap();
    if tool("pdfimages") {
        let (ok, out) = run("pdfimages", &["-list", p]);
        assert!(ok, "{out}");
        let rows: Vec<String> = out
            .lines()
            .skip(2)
            .map(|l| l.split_whitespace().take(6).collect::<Vec<_>>().join(" "))
            .collect();
        assert_eq!(
            rows,
            ["1 0 image 60 20 rgb", "1 1 smask 60 20 gray"],
            "{out}"
        );
    }
    if tool("qpdf") {
        let (ok, out) = run("qpdf", &["--check", p]);
        assert!(ok, "{out}");
    }
    let _ = std::fs::remove_file(&path);
}

#[test]
fn bad_documents_are_refused_with_a_location() {
    let empty = Document {
        pages: vec![],
        images: vec![],
        metadata: Metadata::default(),
    };
    assert!(matches!(
        write(&empty, &PdfOptions::default()),
        Err(PdfError::NoPages)
    ));

    let mut doc = sample(1);
    doc.pages[0]
        .items
        .push(text(10.0, 10.0, FontFace::Regular, 9.0, "Hei 世界"));
    let e = write(&doc, &PdfOptions::default()).unwrap_err();
    assert!(
        matches!(
            e,
            PdfError::MissingGlyph {
                page: 1,
                ch: '世',
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("no glyph for '世'"), "{e}");

    let mut doc = sample(1);
    doc.pages[0]
        .items
        .push(fill(f32::NAN, 0.0, 1.0, 1.0, Rgb::BLACK));
    let e = write(&doc, &PdfOptions::default()).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "pdf: page 1, item {}: rectangle x is not a finite number",
            doc.pages[0].items.len() - 1
        )
    );

    let mut doc = sample(1);
    doc.pages[0].items.push(Item::Image(Image {
        x: Pt(0.0),
        y: Pt(0.0),
        width: Pt(1.0),
        height: Pt(1.0),
        image: 3,
    }));
    let e = write(&doc, &PdfOptions::default()).unwrap_err();
    assert!(
        matches!(
            e,
            PdfError::ImageIndex {
                index: 3,
                count: 0,
                ..
            }
        ),
        "{e}"
    );

    let mut doc = sample(1);
    doc.pages[0].height = Pt(0.0);
    assert!(matches!(
        write(&doc, &PdfOptions::default()),
        Err(PdfError::PageSize { page: 1, .. })
    ));
}

/// Our content encoder must write exactly what printpdf writes for the same
/// ops: decode both streams and compare operator by operator.
#[test]
fn content_encoder_matches_printpdf() {
    let mut doc = sample(40);
    doc.images.push(Raster {
        width: 1,
        height: 1,
        pixels: vec![255, 0, 0],
        has_alpha: false,
    });
    let items = &mut doc.pages[0].items;
    items.push(Item::Image(Image {
        x: Pt(400.5),
        y: Pt(20.25),
        width: Pt(150.0),
        height: Pt(50.0),
        image: 0,
    }));
    items.push(Item::Path(Path {
        polygons: vec![
            vec![
                (Pt(300.0), Pt(20.0)),
                (Pt(340.0), Pt(20.0)),
                (Pt(320.0), Pt(60.0)),
            ],
            vec![(Pt(10.0), Pt(10.0)), (Pt(12.0), Pt(10.0))],
        ],
        fill: Rgb(230, 160, 0),
    }));
    items.push(Item::Rect(Rect {
        x: Pt(10.0),
        y: Pt(10.0),
        width: Pt(5.0),
        height: Pt(5.0),
        fill: Some(Rgb(1, 2, 3)),
        stroke: Some((Rgb(4, 5, 6), Pt(0.75))),
    }));
    items.push(Item::Rect(Rect {
        x: Pt(20.0),
        y: Pt(10.0),
        width: Pt(5.0),
        height: Pt(5.0),
        fill: None,
        stroke: Some((Rgb(4, 5, 6), Pt(0.25))),
    }));

    // With marked content (BDC/BMC/EMC) for the structure tree.
    let tree = Some(tags::Tree::build(&doc).unwrap());
    let usage = fonts::Usage::collect(&doc, tree.as_ref()).unwrap();
    let mut pdf = printpdf::PdfDocument::new("x");
    let mut subsets = Vec::new();
    for face in usage.faces() {
        let subset = fonts::subset(face, usage.glyphs(face)).unwrap();
        pdf.resources.fonts.map.insert(
            printpdf::FontId(fonts::resource_name(face).to_owned()),
            fonts::printpdf_font(face, &subset),
        );
        subsets.push((face, subset));
    }
    let mut maps = content::GlyphMaps::default();
    for (face, subset) in &subsets {
        maps.set(*face, &subset.remap);
    }
    let mut ours = Vec::new();
    for (i, p) in doc.pages.iter().enumerate() {
        let (page, _) = page::build(i + 1, p, tree.as_ref()).unwrap();
        ours.push(content::encode(&page.ops, &maps).unwrap());
        pdf.pages.push(page);
    }
    let opts = printpdf::PdfSaveOptions {
        optimize: false,
        subset_fonts: false,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let lo = pdf.to_lopdf_document(&opts, &mut warnings);
    assert!(warnings.is_empty(), "{warnings:?}");
    let page_ids: Vec<_> = lo.get_pages().into_values().collect();
    assert_eq!(page_ids.len(), ours.len());
    for (n, (id, mine)) in page_ids.into_iter().zip(ours).enumerate() {
        let theirs = lo.get_page_content(id);
        let a = lopdf::content::Content::decode(&theirs).unwrap().operations;
        let b = lopdf::content::Content::decode(&mine).unwrap().operations;
        assert_eq!(a.len(), b.len(), "page {n}: operation count");
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.operator, y.operator, "page {n}");
            assert_eq!(x.operands.len(), y.operands.len(), "{x:?} vs {y:?}");
            for (p, q) in x.operands.iter().zip(&y.operands) {
                match (p.as_float(), q.as_float()) {
                    (Ok(p), Ok(q)) => assert!((p - q).abs() < 1e-6, "{x:?} vs {y:?}"),
                    _ => assert_eq!(p, q, "{x:?} vs {y:?}"),
                }
            }
        }
        // And byte for byte, once printpdf's newline-joined form is compared.
        assert!(theirs == mine, "page {n}: bytes differ");
    }
}

/// The test binary runs itself twice as a child process; every process must
/// produce the same bytes (no per-process state such as printpdf's id counter
/// or `RandomState` leaks into the file).
#[test]
fn same_bytes_across_processes() {
    let digest = |bytes: &[u8]| {
        let mut h = identity::StableHasher::new();
        h.update(bytes);
        let [a, b] = h.finish128();
        format!("{a:016x}{b:016x}")
    };
    let doc = sample(30);
    let ours = digest(&write(&doc, &PdfOptions::default()).unwrap());
    if std::env::var_os("KRAVIA_PDF_CHILD").is_some() {
        println!("PDFHASH={ours}");
        return;
    }
    let exe = std::env::current_exe().unwrap();
    for _ in 0..2 {
        let out = Command::new(&exe)
            .args([
                "--exact",
                "pdf::tests::same_bytes_across_processes",
                "--nocapture",
            ])
            .env("KRAVIA_PDF_CHILD", "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let theirs = stdout
            .lines()
            .find_map(|l| l.strip_prefix("PDFHASH="))
            .unwrap_or_else(|| panic!("child printed no hash:\n{stdout}"));
        assert_eq!(theirs, ours);
    }
}

/// PDF/A-3: deterministic, the parts are in place, nothing else changes,
/// and qpdf is content. (The PDF/A checkers run in `tests/it/pdfa.rs`.)
#[test]
fn pdfa_adds_metadata_intent_and_files_and_nothing_else() {
    let doc = sample(20);
    let plain = write(&doc, &PdfOptions::default()).unwrap();
    let options = PdfOptions {
        pdfa: true,
        attachments: vec![Attachment::xml(
            "2024-0042.xml",
            "UBL",
            b"<Invoice>\xc3\xa6</Invoice>".to_vec(),
        )],
        ..PdfOptions::default()
    };
    let a = write(&doc, &options).unwrap();
    assert_eq!(a, write(&doc, &options).unwrap());
    let s = plain_text(&a);
    for needle in [
        "/GTS_PDFA1",
        "/DestOutputProfile",
        "<pdfaid:part>3</pdfaid:part>",
        "<pdfaid:conformance>A</pdfaid:conformance>",
        "<pdfuaid:part>1</pdfuaid:part>",
        "/AFRelationship/Alternative",
        "/Subtype/text#2Fxml",
        "/CIDSet",
        "<xmp:CreateDate>2024-06-01T00:00:00+00:00</xmp:CreateDate>",
    ] {
        assert!(s.contains(needle), "{needle}");
    }
    // Untagged: level B, no PDF/UA claim.
    let b = plain_text(
        &write(
            &doc,
            &PdfOptions {
                tagged: false,
                ..options.clone()
            },
        )
        .unwrap(),
    );
    assert!(b.contains("<pdfaid:conformance>B</pdfaid:conformance>"));
    assert!(!b.contains("pdfuaid") && !b.contains("/StructTreeRoot"));
    // The pages draw exactly the same.
    let content = |bytes: &[u8]| {
        let lo = lopdf::Document::load_mem(bytes).unwrap();
        let page = *lo.get_pages().get(&1).unwrap();
        lo.get_page_content(page)
    };
    assert_eq!(content(&plain), content(&a));
    let path = temp_pdf("pdfa", &a);
    if tool("qpdf") {
        let (ok, out) = run("qpdf", &["--check", path.to_str().unwrap()]);
        assert!(ok, "{out}");
    }
    let _ = std::fs::remove_file(&path);
}
