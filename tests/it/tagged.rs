//! The tagged PDF (PDF/UA-1) read back by poppler's `pdfinfo -struct-text`
//! (an independent reader) and by lopdf:
//!
//! * on every fixture × template × locale the structure tree holds the whole
//!   visible text in reading order — every text run the layout drew, in
//!   drawing order, except the runs it marked as pagination artifacts (on one
//!   page only "page 1 of 1"); and that text is what `pdftotext -raw` reads
//!   from the page;
//! * the structure says what the verified invoice says, like the read-back
//!   check: the line table is a `Table` with a `TH` per column and a `TR` per
//!   invoice line whose `TD`s hold the line's description, quantity, VAT rate
//!   and amounts; the VAT table a `TR` per rate; the invoice number, due date,
//!   reference, account, IBAN and amounts are paragraphs with their labels;
//! * every figure has alternative text: the logo the seller's name, the QR
//!   code the payment it encodes (checked against the payload), the Finnish
//!   barcode its digits;
//! * `/Lang`, `/MarkInfo`, `DisplayDocTitle` and the XMP `pdfuaid:part 1`,
//!   with `dc:title` equal to `/Title`.

use std::process::Command;

use kravia_invoice::layout::document::{Artifact, Document, Item, Role};
use kravia_invoice::locale::Locale;
use kravia_invoice::render::{RenderOptions, Renderer};
use kravia_invoice::template::{BUILTIN, ColumnField, PriceMode, TemplateSource};
use kravia_invoice::verify::invoice::VerifiedInvoice;

use crate::cli::tempdir;
use crate::util::cases;

/// One element of `pdfinfo -struct-text`.
#[derive(Debug, Default)]
struct Node {
    name: String,
    text: String,
    kids: Vec<Node>,
}

impl Node {
    /// The text of the element and everything under it, in order, the parts
    /// joined by a space.
    fn all_text(&self) -> String {
        let mut parts = Vec::new();
        self.collect(&mut parts);
        parts.join(" ")
    }

    fn collect(&self, out: &mut Vec<String>) {
        if !self.text.is_empty() {
            out.push(self.text.clone());
        }
        for k in &self.kids {
            k.collect(out);
        }
    }

    /// Every element named `name`, in document order.
    fn find<'a>(&'a self, name: &str, out: &mut Vec<&'a Node>) {
        if self.name == name {
            out.push(self);
        }
        for k in &self.kids {
            k.find(name, out);
        }
    }

    fn all(&self, name: &str) -> Vec<&Node> {
        let mut out = Vec::new();
        self.find(name, &mut out);
        out
    }

    fn kids_named(&self, name: &str) -> Vec<&Node> {
        self.kids.iter().filter(|k| k.name == name).collect()
    }
}

/// Parses the indented listing: an element per line (`TH:` when attribute
/// lines follow, `P (block)`), its text as quoted lines below it.
fn parse(listing: &str) -> Node {
    // (indent, is text, element name or text)
    let lines: Vec<(usize, bool, String)> = listing
        .lines()
        .filter_map(|line| {
            let indent = line.len() - line.trim_start().len();
            let t = line.trim();
            if t.is_empty() || t.starts_with('/') {
                return None;
            }
            if t.starts_with('"') {
                let text = t.strip_prefix('"').unwrap_or(t);
                let text = text.strip_suffix('"').unwrap_or(text);
                return Some((indent, true, text.to_string()));
            }
            let name = t.trim_end_matches(':').split(' ').next().unwrap_or("");
            Some((indent, false, name.to_string()))
        })
        .collect();
    let mut root = Node {
        name: "#root".into(),
        ..Node::default()
    };
    let mut pos = 0;
    build(&lines, &mut pos, &mut root, None);
    root
}

fn build(
    lines: &[(usize, bool, String)],
    pos: &mut usize,
    parent: &mut Node,
    indent: Option<usize>,
) {
    while let Some((i, is_text, content)) = lines.get(*pos) {
        if indent.is_some_and(|p| *i <= p) {
            return;
        }
        *pos += 1;
        if *is_text {
            if !parent.text.is_empty() {
                parent.text.push(' ');
            }
            parent.text.push_str(content);
        } else {
            let mut node = Node {
                name: content.clone(),
                ..Node::default()
            };
            build(lines, pos, &mut node, Some(*i));
            parent.kids.push(node);
        }
    }
}

/// Unicode spaces as ASCII, runs of spaces as one, trimmed.
fn norm(s: &str) -> String {
    s.replace(['\u{a0}', '\u{2009}', '\u{202f}'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Without any whitespace: for comparing text whose word breaks differ.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{2009}' | '\u{202f}'))
        .collect()
}

/// The layout's text runs in drawing order, with whether each is inside an
/// artifact group.
fn runs(doc: &Document) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut stack: Vec<bool> = Vec::new();
    for page in &doc.pages {
        for item in &page.items {
            match item {
                Item::Begin(role) => {
                    let artifact = matches!(role, Role::Artifact(_)) || stack.contains(&true);
                    stack.push(artifact);
                }
                Item::End => {
                    stack.pop();
                }
                Item::Text(t) => out.push((t.text.clone(), stack.contains(&true))),
                _ => {}
            }
        }
    }
    assert!(stack.is_empty(), "unbalanced groups");
    out
}

fn tool_output(cmd: &str, args: &[&str]) -> Option<String> {
    match Command::new(cmd).args(args).output() {
        Ok(o) => {
            assert!(o.status.success(), "{cmd} {args:?}: {o:?}");
            Some(String::from_utf8(o.stdout).unwrap())
        }
        Err(_) => {
            if std::env::var_os("CI").is_some() {
                panic!("{cmd} is not installed (poppler-utils)");
            }
            eprintln!("note: {cmd} is not installed; skipping");
            None
        }
    }
}

struct Rendered {
    name: String,
    invoice: VerifiedInvoice,
    renderer: Renderer,
    doc: Document,
    pdf: Vec<u8>,
    path: std::path::PathBuf,
}

/// Every valid fixture × template × locale.
fn render_all() -> Vec<Rendered> {
    let dir = tempdir();
    let mut out = Vec::new();
    for case in cases().into_iter().filter(|c| c.expected_exit() == 0) {
        let (brand, invoice) = case.verified();
        for (template, _) in BUILTIN {
            for locale in Locale::ALL {
                let options = RenderOptions {
                    template: Some(TemplateSource::Builtin(template.to_string())),
                    locale: Some(locale),
                    ..RenderOptions::default()
                };
                let renderer = Renderer::new(brand.clone(), options).unwrap();
                let doc = renderer.layout(&invoice).unwrap();
                let pdf = renderer.render(&invoice).unwrap();
                let name = format!("{}-{template}-{locale}", case.name);
                let path = dir.join(format!("{name}.pdf"));
                std::fs::write(&path, &pdf).unwrap();
                out.push(Rendered {
                    name,
                    invoice: invoice.clone(),
                    renderer,
                    doc,
                    pdf,
                    path,
                });
            }
        }
    }
    assert!(out.len() >= 32);
    out
}

#[test]
fn struct_text_is_the_whole_visible_text_in_reading_order() {
    for r in render_all() {
        let p = r.path.to_str().unwrap();
        let Some(listing) = tool_output("pdfinfo", &["-struct-text", p]) else {
            return;
        };
        let tree = parse(&listing);
        let runs = runs(&r.doc);
        let content: String = runs
            .iter()
            .filter(|(_, artifact)| !artifact)
            .map(|(t, _)| squash(t))
            .collect();
        let artifacts: Vec<&str> = runs
            .iter()
            .filter(|(_, a)| *a)
            .map(|(t, _)| t.as_str())
            .collect();
        assert_eq!(
            squash(&tree.all_text()),
            content,
            "{}: the structure's text is not the drawn text in order",
            r.name
        );
        // On one page the only artifact text is the page number.
        let locale = r.renderer.locale_for(&r.invoice);
        let labels = kravia_invoice::template::Labels::get(locale).unwrap();
        assert_eq!(r.doc.pages.len(), 1, "{}", r.name);
        assert_eq!(artifacts, [labels.page_of(1, 1)], "{}", r.name);
        // What the page shows (poppler, in content order) is the same text.
        if let Some(raw) = tool_output("pdftotext", &["-raw", "-enc", "UTF-8", p, "-"]) {
            let all: String = runs.iter().map(|(t, _)| squash(t)).collect();
            assert_eq!(squash(&raw), all, "{}: pdftotext -raw", r.name);
        }
        // Every element is a standard structure type.
        let mut names = std::collections::BTreeSet::new();
        fn walk<'a>(n: &'a Node, out: &mut std::collections::BTreeSet<&'a str>) {
            out.insert(n.name.as_str());
            for k in &n.kids {
                walk(k, out);
            }
        }
        walk(&tree, &mut names);
        for n in names {
            assert!(
                [
                    "#root", "Document", "Sect", "H1", "H2", "P", "Table", "THead", "TBody", "TR",
                    "TH", "TD", "Figure"
                ]
                .contains(&n),
                "{}: {n}",
                r.name
            );
        }
    }
}

/// The line table, the VAT table and the payment facts in the structure tree
/// say exactly what the verified invoice says, formatted for the locale.
#[test]
fn structure_says_what_the_verified_invoice_says() {
    for r in render_all() {
        let p = r.path.to_str().unwrap();
        let Some(listing) = tool_output("pdfinfo", &["-struct-text", p]) else {
            return;
        };
        let tree = parse(&listing);
        let inv = &r.invoice;
        let loc = r.renderer.locale_for(inv);
        let cur = inv.currency;
        let t = r.renderer.template();
        let tables = tree.all("Table");
        assert_eq!(
            tables.len(),
            2,
            "{}: the line table and the VAT table",
            r.name
        );

        // The line table: a header row of one TH per column, a row per line.
        let lines = tables[0];
        let head = lines.kids_named("THead");
        let th = head[0].all("TH");
        assert_eq!(th.len(), t.table.columns.len(), "{}", r.name);
        let body = lines.kids_named("TBody");
        let rows = body[0].kids_named("TR");
        assert_eq!(rows.len(), inv.lines.len(), "{}: one row per line", r.name);
        let prices_incl = match t.table.prices {
            PriceMode::Auto => inv.prices_incl_vat,
            PriceMode::InclVat => true,
            PriceMode::ExclVat => false,
        };
        for (i, (row, line)) in rows.iter().zip(&inv.lines).enumerate() {
            let cells = row.kids_named("TD");
            assert_eq!(cells.len(), t.table.columns.len(), "{} row {i}", r.name);
            for (cell, col) in cells.iter().zip(&t.table.columns) {
                let got = norm(&cell.all_text());
                let want = match col.field {
                    ColumnField::Quantity => loc.format_quantity(line.quantity),
                    ColumnField::VatRate => loc.format_rate(line.vat_rate),
                    // B2C gross, B2B net (the VAT per rate below).
                    ColumnField::Amount if prices_incl => loc.format_amount(line.amount),
                    ColumnField::Amount => loc.format_amount(line.net),
                    ColumnField::Net => loc.format_amount(line.net),
                    ColumnField::VatAmount => loc.format_amount(line.vat_amount),
                    ColumnField::UnitPrice if prices_incl => {
                        loc.format_amount(line.unit_price_gross)
                    }
                    ColumnField::UnitPrice => loc.format_amount(line.unit_price_net),
                    ColumnField::ItemId => line.item_id.clone().unwrap_or_default(),
                    ColumnField::Description => {
                        // The description (shipping lines labelled), then
                        // its discounts.
                        let d = norm(&line.description);
                        assert!(got.contains(&d), "{} row {i}: {got:?} lacks {d:?}", r.name);
                        for disc in &line.discounts {
                            let amount = norm(&loc.format_money(-disc.amount, cur));
                            assert!(got.contains(&amount), "{} row {i}: {got:?}", r.name);
                        }
                        continue;
                    }
                };
                assert_eq!(got, norm(&want), "{} row {i} {:?}", r.name, col.field);
            }
        }

        // The VAT table: rate, basis, VAT per rate.
        let vat_rows = tables[1].kids_named("TBody")[0].kids_named("TR");
        assert_eq!(vat_rows.len(), inv.vat.len(), "{}", r.name);
        for (row, v) in vat_rows.iter().zip(&inv.vat) {
            let got: Vec<String> = row
                .kids_named("TD")
                .iter()
                .map(|c| norm(&c.all_text()))
                .collect();
            let want = [
                loc.format_rate(v.rate),
                loc.format_amount(v.net),
                loc.format_amount(v.vat),
            ]
            .map(|s| norm(&s));
            assert_eq!(got, want, "{}", r.name);
        }

        // Label-and-value paragraphs: each payment-critical value is the
        // end of a paragraph that starts with its label.
        let labels = kravia_invoice::template::Labels::get(loc).unwrap();
        let paragraphs: Vec<String> = tree.all("P").iter().map(|p| norm(&p.text)).collect();
        let has = |label: &str, value: &str| {
            let want = norm(&format!("{label} {value}"));
            assert!(
                paragraphs.contains(&want),
                "{}: no paragraph {want:?} in {paragraphs:#?}",
                r.name
            );
        };
        let p = &inv.payment;
        has(&labels.invoice_number, &inv.invoice_number);
        has(&labels.due_date, &loc.format_date(inv.due_date));
        has(
            &labels.total_gross,
            &loc.format_money(inv.totals.gross, cur),
        );
        has(&labels.to_pay, &loc.format_money(inv.totals.to_pay, cur));
        let reference_label = match cur {
            kravia_invoice::money::Currency::Nok => &labels.kid,
            kravia_invoice::money::Currency::Sek => &labels.ocr,
            kravia_invoice::money::Currency::Eur => &labels.reference,
        };
        has(reference_label, &p.reference.to_string());
        if let Some(iban) = &p.iban {
            has(&labels.iban, &iban.to_string());
        }
        if let Some(account) = &p.account {
            has(&labels.account_number, &account.to_string());
        }

        // H1 is the document title; each block heading an H2.
        assert_eq!(tree.all("H1").len(), 1, "{}", r.name);
        assert!(tree.all("H2").len() >= 3, "{}", r.name);
    }
}

/// Alternative text, language, marks and metadata, read with lopdf.
#[test]
fn figures_have_alt_text_and_the_catalog_says_tagged_ua() {
    for r in render_all() {
        let lo = lopdf::Document::load_mem(&r.pdf).unwrap();
        let catalog = lo.catalog().unwrap();
        let text = |o: &lopdf::Object| lopdf::decode_text_string(o).unwrap();
        let locale = r.renderer.locale_for(&r.invoice);
        assert_eq!(
            text(catalog.get(b"Lang").unwrap()),
            locale.code(),
            "{}",
            r.name
        );
        let marked = catalog.get(b"MarkInfo").unwrap().as_dict().unwrap();
        assert!(marked.get(b"Marked").unwrap().as_bool().unwrap());
        let prefs = catalog
            .get(b"ViewerPreferences")
            .unwrap()
            .as_dict()
            .unwrap();
        assert!(prefs.get(b"DisplayDocTitle").unwrap().as_bool().unwrap());
        let info = lo
            .get_dictionary(lo.trailer.get(b"Info").unwrap().as_reference().unwrap())
            .unwrap();
        let title = text(info.get(b"Title").unwrap());
        let xmp_id = catalog.get(b"Metadata").unwrap().as_reference().unwrap();
        let xmp = lo.get_object(xmp_id).unwrap().as_stream().unwrap();
        let xmp = String::from_utf8(xmp.decompressed_content().unwrap()).unwrap();
        assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>"), "{}", r.name);
        assert!(
            xmp.contains(&format!("<rdf:li xml:lang=\"x-default\">{title}</rdf:li>")),
            "{}: dc:title",
            r.name
        );
        assert!(!xmp.contains("pdfaid"), "not PDF/A unless asked");

        let mut alts = Vec::new();
        for obj in lo.objects.values() {
            if let Ok(d) = obj.as_dict()
                && d.get(b"S").and_then(|s| s.as_name()).ok() == Some(b"Figure")
            {
                alts.push(text(d.get(b"Alt").unwrap()));
            }
        }
        alts.sort();
        let inv = &r.invoice;
        let loc = locale;
        let mut want = 0;
        if r.name.contains("no_b2b") {
            // The brand has a logo: named after the seller.
            assert!(alts.contains(&inv.seller.name), "{}: {alts:?}", r.name);
            want += 1;
        }
        if let Some(qr) = inv.codes.epc_qr.as_ref().or(inv.codes.se_qr.as_ref()) {
            let alt = alts
                .iter()
                .find(|a| a.contains("QR"))
                .unwrap_or_else(|| panic!("{}: no QR figure in {alts:?}", r.name));
            let amount = loc.format_money(inv.totals.to_pay, inv.currency);
            assert!(alt.contains(&amount), "{}: {alt}", r.name);
            assert!(alt.contains(&inv.payment.reference.to_string()), "{alt}");
            assert!(alt.contains(&inv.payment.payee_name), "{alt}");
            // What the alt names is what the code carries.
            assert!(
                qr.payload.contains(&inv.payment.payee_name),
                "{}",
                qr.payload
            );
            if let Some(iban) = &inv.payment.iban {
                assert!(alt.contains(&iban.to_string()), "{alt}");
                assert!(qr.payload.contains(iban.electronic()), "{}", qr.payload);
            }
            want += 1;
        }
        if let Some(barcode) = &inv.codes.fi_barcode {
            assert!(
                alts.iter()
                    .any(|a| a.contains("Code 128") && a.ends_with(&barcode.digits)),
                "{}: {alts:?}",
                r.name
            );
            want += 1;
        }
        assert_eq!(alts.len(), want, "{}: {alts:?}", r.name);
    }
}

/// A layout whose groups do not nest is refused with its place, never
/// written as a wrong tree.
#[test]
fn unbalanced_groups_are_an_error() {
    let r = &render_all()[0];
    let mut doc = r.doc.clone();
    doc.pages[0]
        .items
        .push(Item::Begin(Role::Artifact(Artifact::Layout)));
    let e = kravia_invoice::pdf::write(&doc, &Default::default()).unwrap_err();
    assert!(e.to_string().contains("never closed"), "{e}");
}
