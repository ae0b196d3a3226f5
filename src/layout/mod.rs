//! Layout: turns a verified invoice into pages of positioned text runs, lines,
//! rectangles and images, in points. Pure: no PDF types, no I/O, no clock.
//!
//! [`layout`] takes a [`VerifiedInvoice`], the [`Brand`] (logo, accent, footer),
//! a [`Template`] and a [`Locale`] and returns a [`Document`]: A4 pages, origin
//! at the top left, every coordinate rounded to 0.01 pt. Text is measured with
//! the bundled fonts' real metrics ([`crate::font`]): long descriptions wrap
//! within their column, numbers are right-aligned, and a character that no
//! bundled face can draw is an error naming it, never a blank.
//!
//! The first page carries the header (logo, title, seller, buyer, invoice
//! facts); the line table follows and continues on further pages with its
//! header repeated; the VAT summary, the totals and the payment block form one
//! unit that is never split (it moves to a new page whole). Every page gets the
//! footer and "page N of M".
//!
//! Files: `text.rs` (measuring, wrapping, glyph checks), `header.rs` (first
//! page header, continuation header, footer), `table.rs` (the line table),
//! `summary.rs` (VAT summary and totals), `payment_block.rs` (payment details,
//! QR codes, the Finnish bank barcode), `logo.rs` (PNG and SVG logos),
//! `pagination.rs` (putting it on pages), `dump.rs` (the text form of a
//! [`Document`] used by snapshots and `--dump-layout`), `credit.rs` (credit
//! notes: [`layout_credit`] and the blocks that differ from the invoice's).
//!
//! Snapshot tests (in `dump.rs`) keep the dump of every template × locale on
//! a hand-built invoice and of every valid shared fixture in
//! `src/layout/snapshots/`. Before accepting a changed snapshot, render the
//! PDFs (`KRAVIA_STORE=1 cargo test --lib render`, written to
//! `target/store/`) and look at them (`pdftoppm -png -r 80`).

mod context;
mod credit;
pub mod document;
mod draw;
pub mod dump;
mod facts;
mod footer;
mod header;
mod logo;
mod pagination;
mod parties;
mod payment_block;
mod summary;
mod table;
mod text;

pub use credit::layout_credit;
pub use document::{Document, Item, Page, Pt, TextRole};

use crate::brand::Brand;
use crate::locale::Locale;
use crate::template::{Template, TemplateError};
use crate::verify::invoice::VerifiedInvoice;

pub(crate) use context::{Ctx, mm};
pub(crate) use draw::{Block, group, hline, rect, round_document, translate};
pub(crate) use text::has_rtl;

/// A4 width in points.
pub const A4_WIDTH: f32 = 595.28;
/// A4 height in points.
pub const A4_HEIGHT: f32 = 841.89;

/// Why an invoice could not be laid out.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum LayoutError {
    /// A character that no bundled font face has a glyph for.
    #[error("no bundled font can draw U+{:04X} {ch:?} in {field}: {:?}", u32::from(*ch), shorten(text))]
    MissingGlyph {
        /// The character.
        ch: char,
        /// Where it is, such as `lines[2].description` or `seller.name`.
        field: String,
        /// The text it is in.
        text: String,
    },
    /// A label file could not be used.
    #[error(transparent)]
    Labels(#[from] TemplateError),
    /// A payment code could not be built from the invoice's payment details.
    #[error("{code}: {message}")]
    PaymentCode {
        /// Which code: `EPC QR`, `Swedish payment QR`, `virtual barcode`.
        code: &'static str,
        /// What went wrong.
        message: String,
    },
    /// Something does not fit on an A4 page with this template.
    #[error("{what} does not fit on the page with this template")]
    DoesNotFit {
        /// What does not fit.
        what: &'static str,
    },
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

/// Lays out `invoice` on A4 pages with `template`, in `locale`.
///
/// Pure: the same arguments give the same [`Document`].
///
/// # Errors
///
/// [`LayoutError::MissingGlyph`] when some text has a character that no bundled
/// face can draw; [`LayoutError::DoesNotFit`] when a block cannot be placed.
pub fn layout(
    invoice: &VerifiedInvoice,
    brand: &Brand,
    template: &Template,
    locale: Locale,
) -> Result<Document, LayoutError> {
    let ctx = Ctx::new(invoice, brand, template, locale, None)?;
    let mut doc = pagination::paginate(&ctx)?;
    doc.metadata = document::Metadata {
        title: invoice.invoice_number.clone(),
        author: ctx.seller.name.clone(),
        subject: format!("{} {}", ctx.labels.invoice, invoice.invoice_number),
        created_unix: invoice
            .issue_date
            .and_hms_opt(0, 0, 0)
            .map_or(0, |d| d.and_utc().timestamp()),
        ident: format!(
            "{} {}",
            ctx.seller.org_number.digits(),
            invoice.invoice_number
        ),
        lang: locale.code().to_string(),
    };
    round_document(&mut doc);
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::color::Rgb;
    use crate::font::{FontFace, fonts};
    use crate::layout::document::{Rect, TextRun};
    use crate::money::Money;
    use crate::template::{BUILTIN, Labels};
    use crate::testkit::*;

    fn texts(page: &Page) -> impl Iterator<Item = &TextRun> {
        page.items.iter().filter_map(|i| match i {
            Item::Text(t) => Some(t),
            _ => None,
        })
    }

    fn has_text(page: &Page, s: &str) -> bool {
        texts(page).any(|t| t.text == s)
    }

    fn classic() -> Template {
        Template::builtin("classic").unwrap()
    }

    /// Every text inside the page's text area, and no two texts colliding.
    fn assert_clean(doc: &Document, what: &str) {
        let set = fonts();
        for (pi, page) in doc.pages.iter().enumerate() {
            let mut boxes: Vec<(f32, f32, f32, f32, &str)> = Vec::new();
            for t in texts(page) {
                let face = set.face(t.face);
                let w = face.text_width(&t.text, t.size.0);
                let (x0, x1) = (t.x.0, t.x.0 + w);
                assert!(
                    x0 >= 30.0 && x1 <= A4_WIDTH - 30.0,
                    "{what} p{}: {:?} sticks out",
                    pi + 1,
                    t.text
                );
                assert!(
                    t.y.0 > 20.0 && t.y.0 < A4_HEIGHT - 20.0,
                    "{what}: {:?}",
                    t.text
                );
                let top = t.y.0 - face.cap_height() * t.size.0;
                for &(a0, b0, a1, b1, other) in &boxes {
                    let overlap =
                        x0 < a1 - 0.5 && a0 < x1 - 0.5 && top < b1 - 0.3 && b0 < t.y.0 - 0.3;
                    assert!(
                        !overlap,
                        "{what} p{}: {:?} collides with {other:?}",
                        pi + 1,
                        t.text
                    );
                }
                boxes.push((x0, top, x1, t.y.0, &t.text));
            }
        }
    }

    #[test]
    fn no_b2b_fits_one_page_with_every_fact() {
        let inv = no_b2b();
        let doc = layout(&inv, &brand(), &classic(), Locale::Nb).unwrap();
        assert_eq!(doc.pages.len(), 1);
        let p = &doc.pages[0];
        for s in [
            "Faktura",
            "KJ65C-190025",
            "003075434963",
            "1503.99.66678",
            "NO73 1503 9966 678",
            "DNBANOKK",
            "7\u{202F}824,00\u{A0}NOK",
            "14.06.2026",
            "Trøndelag Trykk AS",
            "Åkle i ull 150x200",
            "Frakt: Bring Servicepakke",
            "Org.nr 849 749 943 MVA",
            "Foretaksregisteret",
            "Org.nr 989 645 668",
            "Att. Kjersti Ravnå",
            "PO-5160",
            "Side 1 av 1",
            "Takk for at du handlet hos oss!",
        ] {
            assert!(has_text(p, s), "missing {s:?}");
        }
        assert!(texts(p).any(|t| t.text.starts_with("Avtalerabatt 15 %: -837,00")));
        let m = &doc.metadata;
        assert_eq!(m.title, "KJ65C-190025");
        assert_eq!(m.author, "Lysverket Interiør AS");
        assert_eq!(m.created_unix, 1_780_185_600);
        assert_eq!(m.ident, "849749943 KJ65C-190025");
        assert_clean(&doc, "no_b2b");
    }

    #[test]
    fn every_template_and_locale_lays_out_cleanly() {
        for (name, _) in BUILTIN {
            let t = Template::builtin(name).unwrap();
            for loc in Locale::ALL {
                for (what, inv) in [
                    ("no", no_b2b()),
                    ("fi", fi_b2c()),
                    ("se", se_b2b()),
                    ("many", no_many_lines(60)),
                ] {
                    let doc = layout(&inv, &brand(), &t, loc).unwrap();
                    assert_clean(&doc, &format!("{name} {loc} {what}"));
                    crate::render::read_back(&doc, &inv, loc).unwrap();
                }
            }
        }
    }

    #[test]
    fn coordinates_are_rounded_to_a_hundredth() {
        let doc = layout(&fi_b2c(), &brand(), &classic(), Locale::Fi).unwrap();
        let ok = |v: f32| ((f64::from(v) * 100.0).round() / 100.0 - f64::from(v)).abs() < 1e-4;
        for page in &doc.pages {
            for item in &page.items {
                let vals: Vec<f32> = match item {
                    Item::Text(t) => vec![t.x.0, t.y.0],
                    Item::Rect(r) => vec![r.x.0, r.y.0, r.width.0, r.height.0],
                    Item::Line(l) => vec![l.x1.0, l.y1.0, l.x2.0, l.y2.0],
                    Item::Image(i) => vec![i.x.0, i.y.0],
                    Item::Path(_) | Item::Begin(_) | Item::End => vec![],
                };
                assert!(vals.into_iter().all(ok), "{item:?}");
            }
        }
    }

    #[test]
    fn long_invoice_paginates_with_header_and_page_numbers_on_every_page() {
        let inv = no_many_lines(140);
        for (name, _) in BUILTIN {
            let t = Template::builtin(name).unwrap();
            let doc = layout(&inv, &brand(), &t, Locale::Nb).unwrap();
            let n = doc.pages.len();
            assert!(n >= 3, "{name}: {n} pages");
            for (i, p) in doc.pages.iter().enumerate() {
                assert!(
                    has_text(p, "Beskrivelse"),
                    "{name} page {} has no table header",
                    i + 1
                );
                assert!(
                    has_text(p, &format!("Side {} av {n}", i + 1)),
                    "{name} page {}",
                    i + 1
                );
                assert!(has_text(p, "Takk for at du handlet hos oss!"));
                assert!(has_text(p, "KJ65C-190025"));
                if i + 1 < n {
                    assert!(
                        has_text(p, "Fortsetter på neste side"),
                        "{name} page {}",
                        i + 1
                    );
                }
            }
            // Every line is drawn exactly once, in order.
            let lines: Vec<&str> = doc
                .pages
                .iter()
                .flat_map(texts)
                .filter(|t| t.text.starts_with("Vare nr. "))
                .map(|t| t.text.as_str())
                .collect();
            let numbers: Vec<usize> = lines
                .iter()
                .filter_map(|l| l.strip_prefix("Vare nr. ")?.split(':').next()?.parse().ok())
                .collect();
            assert_eq!(numbers, (0..140).collect::<Vec<_>>(), "{name}");
            assert_clean(&doc, name);
        }
    }

    #[test]
    fn totals_and_payment_block_are_never_split() {
        let t = classic();
        let mut moved = false;
        for n in 1..45 {
            let inv = no_many_lines(n);
            let doc = layout(&inv, &brand(), &t, Locale::Nb).unwrap();
            let pages_with = |s: &str| -> Vec<usize> {
                doc.pages
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| has_text(p, s))
                    .map(|(i, _)| i)
                    .collect()
            };
            let unit: Vec<Vec<usize>> = [
                "MVA-SPESIFIKASJON",
                "Sum eks. MVA",
                "Sum inkl. MVA",
                "BETALINGSINFORMASJON",
                "KID",
                "Kontonummer",
            ]
            .iter()
            .map(|s| pages_with(s))
            .collect();
            let last = doc.pages.len() - 1;
            for u in &unit {
                assert_eq!(u, &vec![last], "{n} lines: {unit:?}");
            }
            // The last page holds no table row when the unit had to move.
            let last_has_rows = texts(&doc.pages[last]).any(|t| t.text.starts_with("Vare nr. "));
            moved |= !last_has_rows;
            assert_clean(&doc, &format!("{n} lines"));
        }
        assert!(
            moved,
            "some line count should push the unit to a page of its own"
        );
    }

    #[test]
    fn b2b_lines_are_net_and_b2c_lines_gross_with_totals_unchanged() {
        let t = classic();
        let inv = no_b2b();
        let doc = layout(&inv, &brand(), &t, Locale::Nb).unwrap();
        let p = &doc.pages[0];
        assert!(has_text(p, "Beløp eks. MVA") && !has_text(p, "Beløp inkl. MVA"));
        let net: Vec<&str> = texts(p)
            .filter(|r| r.role == TextRole::LineNet)
            .map(|r| r.text.as_str())
            .collect();
        // 3 × 39,13 = 117,39: the page adds up.
        assert_eq!(
            net,
            ["3\u{202F}794,40", "117,39", "2\u{202F}541,96", "79,20"]
        );
        assert!(has_text(p, "39,13"));
        assert!(has_text(p, "7\u{202F}824,00\u{A0}NOK"));
        let fi = fi_b2c();
        let doc = layout(&fi, &brand(), &t, Locale::Fi).unwrap();
        let gross: Vec<&str> = texts(&doc.pages[0])
            .filter(|r| r.role == TextRole::LineGross)
            .map(|r| r.text.as_str())
            .collect();
        assert_eq!(gross, ["119,70", "4,89", "6,90"]);
        assert!(!texts(&doc.pages[0]).any(|r| r.role == TextRole::LineNet));
    }

    #[test]
    fn delivery_date_and_place_are_printed_in_every_locale() {
        let inv = no_b2b();
        for (loc, date, place) in [
            (Locale::Nb, "Leveringsdato", "Leveringssted"),
            (Locale::Sv, "Leveransdatum", "Leveransadress"),
            (Locale::Fi, "Toimituspäivä", "Toimitusosoite"),
            (Locale::En, "Delivery date", "Place of delivery"),
        ] {
            for (name, _) in BUILTIN {
                let t = Template::builtin(name).unwrap();
                let doc = layout(&inv, &brand(), &t, loc).unwrap();
                let p = &doc.pages[0];
                assert!(has_text(p, date) && has_text(p, place), "{name} {loc}");
                let all: String = texts(p)
                    .map(|r| r.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                assert!(all.contains("Fossegrenda 30"), "{name} {loc}");
                assert!(all.contains(&loc.format_date(inv.delivery.date)));
            }
        }
    }

    #[test]
    fn the_exemption_reason_and_swedish_giro_are_printed() {
        let mut inv = se_b2b();
        inv.vat_exemption_reason = Some("Undantag enligt 10 kap. 1 § ML".into());
        inv.payment.account = Some(crate::verify::Account::Bankgiro(
            crate::payment::Bankgiro::parse("5402-9681").unwrap(),
        ));
        let doc = layout(&inv, &brand(), &classic(), Locale::Sv).unwrap();
        let p = &doc.pages[0];
        assert!(has_text(p, "Momsbefrielse: Undantag enligt 10 kap. 1 § ML"));
        assert!(has_text(p, "Bankgiro"));
        assert!(texts(p).any(|r| r.role == TextRole::Account && r.text == "5402-9681"));
        assert!(!has_text(p, "Kontonummer"));
        crate::render::read_back(&doc, &inv, Locale::Sv).unwrap();
        // Without a giro: the IBAN, never the IBAN's internal BBAN.
        let inv = se_b2b();
        let doc = layout(&inv, &brand(), &classic(), Locale::Sv).unwrap();
        let p = &doc.pages[0];
        assert!(!has_text(p, "Kontonummer"));
        assert!(!texts(p).any(|r| r.text.contains("50000000054910000003")));
        assert!(texts(p).any(|r| r.role == TextRole::Iban));
    }

    #[test]
    fn other_scripts_and_emoji_are_drawn_in_their_faces_and_nothing_is_dropped() {
        let mut inv = no_b2b();
        inv.lines[1].description = "Julegave 🎁 eske til Nguyễn".into();
        inv.lines[2].description = "Tekanne \u{10FFFD} porselen".into();
        let mut b = brand();
        b.fonts = crate::font::FontChain::bundled_only();
        let doc = layout(&inv, &b, &classic(), Locale::Nb).unwrap();
        let p = &doc.pages[0];
        // One run per face, side by side: the text comes back whole.
        let parts: Vec<&TextRun> = texts(p)
            .filter(|t| ["Julegave ", "🎁", " eske til Nguyễn"].contains(&t.text.as_str()))
            .collect();
        assert_eq!(parts.len(), 3, "{parts:?}");
        assert_eq!(parts[1].face, FontFace::Emoji);
        assert!(parts[0].x.0 < parts[1].x.0 && parts[1].x.0 < parts[2].x.0);
        // What no face draws is the visible replacement mark (verify warned).
        assert!(has_text(p, "Tekanne \u{FFFD} porselen"), "replacement");
    }

    #[test]
    fn a_200_character_description_wraps_inside_its_column() {
        let mut inv = no_b2b();
        let desc = "Skreddersydd kontorpult i heltre eik med elektrisk høydejustering, kabelkanal, integrert \
            trådløs lader og skuff med lås — levert og montert på første etasje, inkludert bortkjøring av \
            emballasje og gammel pult";
        assert!(desc.chars().count() >= 200);
        inv.lines[0].description = desc.into();
        let t = classic();
        let doc = layout(&inv, &brand(), &t, Locale::Nb).unwrap();
        let left = mm(t.page.margin_left);
        let col_w = (A4_WIDTH - left - mm(t.page.margin_right)) * t.table.columns[0].width / 100.0;
        let parts: Vec<&TextRun> = texts(&doc.pages[0])
            .filter(|r| desc.contains(r.text.as_str()) && r.text.len() > 10)
            .collect();
        assert!(parts.len() >= 3, "{}", parts.len());
        for r in &parts {
            let w = fonts().face(r.face).text_width(&r.text, r.size.0);
            assert!(r.x.0 >= left && r.x.0 + w <= left + col_w, "{:?}", r.text);
        }
        let joined: Vec<&str> = parts.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(joined.join(" "), desc);
        assert_clean(&doc, "wrap");
    }

    #[test]
    fn credit_notes_lay_out_cleanly_and_carry_no_payment_detail() {
        let mut notes: Vec<(String, crate::verify::VerifiedCreditNote, Brand)> = CREDIT_FIXTURES
            .iter()
            .map(|c| {
                let (n, b) = credit_fixture(c);
                (c.to_string(), n, b)
            })
            .collect();
        notes.push(("long".into(), whole_credit(no_many_lines(140)), brand()));
        for (name, _) in BUILTIN {
            let t = Template::builtin(name).unwrap();
            for loc in Locale::ALL {
                for (what, note, b) in &notes {
                    let doc = layout_credit(note, b, &t, loc).unwrap();
                    assert_clean(&doc, &format!("{name} {loc} {what}"));
                    crate::render::read_back_credit(&doc, note, loc).unwrap();
                    let n = doc.pages.len();
                    for (i, p) in doc.pages.iter().enumerate() {
                        // every page names the credit note (title or
                        // continuation header) and never a payment detail
                        assert!(
                            texts(p).any(|r| r.role == TextRole::CreditNumber
                                && r.text == note.credit_number),
                            "{name} {loc} {what} page {}",
                            i + 1
                        );
                        assert!(!texts(p).any(|r| matches!(
                            r.role,
                            TextRole::Reference
                                | TextRole::Account
                                | TextRole::Iban
                                | TextRole::DueDate
                                | TextRole::AmountToPay
                                | TextRole::VirtualBarcode
                        )));
                        if i + 1 < n {
                            assert!(
                                texts(p)
                                    .any(|r| r.text == Labels::get(loc).unwrap().continued_next)
                            );
                        }
                    }
                    if *what == "long" {
                        assert!(n >= 3, "{name} {loc}: {n} pages");
                    }
                    assert_eq!(doc.metadata.title, note.credit_number);
                }
            }
        }
        // Norwegian wording on the full void
        let (note, b) = credit_fixture("credit_ok_full_void_no_b2b");
        let doc = layout_credit(&note, &b, &classic(), Locale::Nb).unwrap();
        let p = &doc.pages[0];
        for s in [
            "Kreditnota",
            "Krediterer faktura KJ65C-190025 av 31.05.2026",
            "-7\u{202F}824,00\u{A0}NOK",
            "-968,40",
            "Denne kreditnotaen skal ikke betales.",
        ] {
            assert!(has_text(p, s), "missing {s:?}");
        }
        assert!(!has_text(p, "003075434963"));
        assert_eq!(doc.metadata.ident, "849749943 KN-2026-0001");
    }

    #[test]
    fn paid_invoice_says_so_and_draws_no_code() {
        let mut inv = fi_b2c();
        inv.totals.paid = inv.totals.gross;
        inv.totals.to_pay = Money::ZERO;
        // verify builds no code when nothing is left to pay
        inv.codes = crate::verify::PaymentCodes::default();
        let doc = layout(&inv, &brand(), &classic(), Locale::Fi).unwrap();
        let p = &doc.pages[0];
        assert!(has_text(p, "Lasku on maksettu"));
        assert!(has_text(p, "6039 52757 4") || texts(p).any(|t| t.role == TextRole::Reference));
        assert!(texts(p).any(|t| t.role == TextRole::Iban));
        assert!(!texts(p).any(|t| t.role == TextRole::VirtualBarcode));
        let black = p
            .items
            .iter()
            .filter(|i| matches!(i, Item::Rect(r) if r.fill == Some(Rgb::BLACK)))
            .count();
        assert_eq!(black, 0, "no QR modules or bars");
        crate::render::read_back(&doc, &inv, Locale::Fi).unwrap();
    }

    #[test]
    fn finnish_invoice_too_large_for_the_barcode_still_renders() {
        let mut inv = fi_b2c();
        inv.lines[0].amount = Money::from_minor(150_000_000);
        inv.lines[0].vat_amount = Money::from_minor(30_478_088);
        inv.lines[0].net = inv.lines[0].amount - inv.lines[0].vat_amount;
        crate::testkit::finish(&mut inv);
        // verify leaves the barcode out above 999 999.99 EUR (with a warning)
        inv.codes.fi_barcode = None;
        let doc = layout(&inv, &brand(), &classic(), Locale::Fi).unwrap();
        let p = &doc.pages[0];
        assert!(!texts(p).any(|t| t.role == TextRole::VirtualBarcode));
        assert!(has_text(p, "1\u{202F}500\u{202F}011,79\u{A0}EUR"));
        crate::render::read_back(&doc, &inv, Locale::Fi).unwrap();
    }

    #[test]
    fn finnish_invoice_gets_epc_qr_and_barcode() {
        let inv = fi_b2c();
        let doc = layout(&inv, &brand(), &classic(), Locale::Fi).unwrap();
        let p = &doc.pages[0];
        let digits = "429123673002076190001314900000000000006039527574260626";
        assert!(texts(p).any(|t| t.role == TextRole::VirtualBarcode
            && t.text == digits
            && t.face == FontFace::Mono));
        let bars: Vec<&Rect> = p
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Rect(r) if r.fill == Some(Rgb::BLACK) && r.height.0 >= mm(13.0) - 0.01 => {
                    Some(r)
                }
                _ => None,
            })
            .collect();
        assert!(bars.len() > 50, "{}", bars.len());
        let narrowest = bars.iter().map(|r| r.width.0).fold(f32::MAX, f32::min);
        assert!(narrowest >= mm(0.25) - 0.01, "{narrowest}");
        assert!((narrowest - mm(0.33)).abs() < 0.02, "X = {narrowest}");
        // QR: square modules, at least 25 mm of them.
        let modules: Vec<&Rect> = p
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Rect(r) if r.fill == Some(Rgb::BLACK) && r.height.0 < mm(2.0) => Some(r),
                _ => None,
            })
            .collect();
        let x0 = modules.iter().map(|r| r.x.0).fold(f32::MAX, f32::min);
        let x1 = modules
            .iter()
            .map(|r| r.x.0 + r.width.0)
            .fold(f32::MIN, f32::max);
        assert!(x1 - x0 >= mm(25.0) - 0.1, "{}", x1 - x0);
    }
}
