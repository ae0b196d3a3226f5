//! Benchmarks of the PDF backend on synthetic invoices built in code.
//!
//! `cargo bench --bench pdf` prints, before the criterion runs, the cost of the
//! first `fonts()` call (parsing the three bundled faces) and the sizes of the
//! benchmarked PDFs. Cases:
//!
//! * `one_page`: ≈120 text runs, 12 rects/lines, a QR code of ≈400 rects;
//! * `one_page_cold`: the same with the font-subset cache cleared before each
//!   write (every write subsets and compresses its fonts);
//! * `one_page_new_glyphs`: a new customer name every write, so the Regular
//!   face is subset afresh each time (Bold and Mono stay cached);
//! * `one_page_logo`: plus a 300×100 RGBA logo (encoded once, then cached);
//! * `one_page_pdfa`: `one_page` as PDF/A-3 (XMP, sRGB output intent, CIDSet);
//!   the difference to `one_page` is the cost of the PDF/A additions;
//! * `one_page_pdfa_xml`: plus a 16 KB XML file attached (the UBL of a hybrid
//!   invoice);
//! * `lines_140`: 140 order lines on 4 pages;
//! * `text_width`: measuring a 45-character line.

use std::hint::black_box;
use std::time::Instant;

use criterion::{BatchSize, Criterion, criterion_group};
use kravia_invoice::font::FontFace;
use kravia_invoice::font::fonts;
use kravia_invoice::layout::Pt;
use kravia_invoice::layout::document::{Document, Image, Item};
use kravia_invoice::logo::Raster;
use kravia_invoice::pdf::{self, Attachment, PdfOptions};

use kravia_invoice::testkit::sample;

fn with_logo(mut doc: Document) -> Document {
    let (w, h) = (300u32, 100u32);
    let mut pixels = Vec::with_capacity((w * h * 4) as usize);
    for y in 0..h {
        for x in 0..w {
            let inside = (x / 20 + y / 20) % 3 != 0;
            pixels.extend_from_slice(&[230, 40 + (y % 50) as u8, 30, if inside { 255 } else { 0 }]);
        }
    }
    doc.images.push(Raster {
        width: w,
        height: h,
        pixels,
        has_alpha: true,
    });
    doc.pages[0].items.push(Item::Image(Image {
        x: Pt(420.0),
        y: Pt(15.0),
        width: Pt(150.0),
        height: Pt(50.0),
        image: 0,
    }));
    doc
}

fn count(doc: &Document) -> (usize, usize) {
    let mut texts = 0;
    let mut other = 0;
    for p in &doc.pages {
        for i in &p.items {
            match i {
                Item::Text(_) => texts += 1,
                _ => other += 1,
            }
        }
    }
    (texts, other)
}

fn bench(c: &mut Criterion) {
    let opts = PdfOptions::default();
    let pdfa = PdfOptions {
        pdfa: true,
        ..PdfOptions::default()
    };
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Invoice>\n");
    let mut n = 0;
    while xml.len() < 16_000 {
        xml.push_str(&format!(
            "  <InvoiceLine><ID>{n}</ID><Item><Name>Vare {n}: Ullgenser «Fjellrev»</Name></Item></InvoiceLine>\n"
        ));
        n += 1;
    }
    xml.push_str("</Invoice>\n");
    let pdfa_xml = PdfOptions {
        pdfa: true,
        attachments: vec![Attachment::xml("invoice.xml", "UBL", xml.into_bytes())],
        ..PdfOptions::default()
    };
    let one = sample(20);
    let long = sample(140);
    let logo = with_logo(sample(20));
    for (name, doc, o) in [
        ("one_page", &one, &opts),
        ("lines_140", &long, &opts),
        ("one_page_logo", &logo, &opts),
        ("one_page_pdfa", &one, &pdfa),
        ("one_page_pdfa_xml", &one, &pdfa_xml),
    ] {
        let (t, other) = count(doc);
        match pdf::write(doc, o) {
            Ok(bytes) => eprintln!(
                "{name}: {} pages, {t} text runs, {other} other items → {} bytes",
                doc.pages.len(),
                bytes.len()
            ),
            Err(e) => eprintln!("{name}: {e}"),
        }
    }

    c.bench_function("one_page", |b| {
        b.iter(|| pdf::write(black_box(&one), &opts))
    });
    c.bench_function("one_page_pdfa", |b| {
        b.iter(|| pdf::write(black_box(&one), &pdfa))
    });
    c.bench_function("one_page_pdfa_xml", |b| {
        b.iter(|| pdf::write(black_box(&one), &pdfa_xml))
    });
    c.bench_function("one_page_cold", |b| {
        b.iter(|| {
            pdf::clear_subset_cache();
            pdf::write(black_box(&one), &opts)
        })
    });
    // A new customer: three letters of the name change every iteration, so
    // the Regular face's glyph set (and subset) is new each time while Bold
    // and Mono stay cached — the realistic production case.
    let mut counter = 0u32;
    c.bench_function("one_page_new_glyphs", |b| {
        b.iter_batched(
            || {
                counter += 1;
                let letter = |n: u32| char::from_u32(0xC0 + n % 192).unwrap_or('x');
                let name = format!(
                    "Kunde: Bjørn {}{}{} Ødegård, Åsveien 3, 0661 Oslo",
                    letter(counter),
                    letter(counter / 192),
                    letter(counter / 36_864)
                );
                let mut doc = one.clone();
                if let Some(Item::Text(run)) = doc.pages[0].items.get_mut(3) {
                    run.text = name;
                }
                doc
            },
            |doc| pdf::write(black_box(&doc), &opts),
            BatchSize::SmallInput,
        )
    });
    c.bench_function("one_page_logo", |b| {
        b.iter(|| pdf::write(black_box(&logo), &opts))
    });
    c.bench_function("lines_140", |b| {
        b.iter(|| pdf::write(black_box(&long), &opts))
    });
    let face = fonts().face(FontFace::Regular);
    c.bench_function("text_width", |b| {
        b.iter(|| {
            face.text_width(
                black_box("Vare 12: Ullgenser «Fjellrev» str. M, blå/grå"),
                9.0,
            )
        })
    });
}

criterion_group!(benches, bench);

fn main() {
    let t = Instant::now();
    let set = fonts();
    let first = t.elapsed();
    let faces =
        [FontFace::Regular, FontFace::Bold, FontFace::Mono].map(|f| set.face(f).data().len());
    eprintln!("first fonts() (parse 3 faces, {faces:?} bytes): {first:?}");
    benches();
    Criterion::default().configure_from_args().final_summary();
}
