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
//! * `lines_140`: 140 order lines on 4 pages;
//! * `text_width`: measuring a 45-character line.

use std::hint::black_box;
use std::time::Instant;

use criterion::{BatchSize, Criterion, criterion_group};
use kravia_invoice::font::fonts;
use kravia_invoice::layout::document::{
    Document, Image, Item, Line, Metadata, Page, Raster, Rect, TextRun,
};
use kravia_invoice::layout::{FontFace, Pt, Rgb, TextRole};
use kravia_invoice::pdf::{self, PdfOptions};

const A4: (f32, f32) = (595.28, 841.89);

fn text(x: f32, y: f32, face: FontFace, size: f32, s: &str) -> Item {
    Item::Text(TextRun {
        x: Pt(x),
        y: Pt(y),
        face,
        size: Pt(size),
        color: Rgb::BLACK,
        text: s.to_owned(),
        role: TextRole::Plain,
    })
}

fn right(x: f32, y: f32, face: FontFace, size: f32, s: &str) -> Item {
    let w = fonts().face(face).text_width(s, size);
    text(((x - w) * 100.0).round() / 100.0, y, face, size, s)
}

fn fill(x: f32, y: f32, w: f32, h: f32, c: Rgb) -> Item {
    Item::Rect(Rect {
        x: Pt(x),
        y: Pt(y),
        width: Pt(w),
        height: Pt(h),
        fill: Some(c),
        stroke: None,
    })
}

fn hline(x1: f32, x2: f32, y: f32) -> Item {
    Item::Line(Line {
        x1: Pt(x1),
        y1: Pt(y),
        x2: Pt(x2),
        y2: Pt(y),
        color: Rgb(200, 200, 200),
        width: Pt(0.5),
    })
}

/// A 41×41 pseudo-random module pattern as horizontal runs (≈ 400 rects).
fn qr(items: &mut Vec<Item>, x0: f32, y0: f32) -> usize {
    let mut state: u32 = 0x1234_5678;
    let mut n = 0;
    for row in 0..41 {
        let mut col = 0;
        while col < 41 {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let mut len = 1;
            if state.is_multiple_of(2) {
                while col + len < 41 && state.is_multiple_of(len as u32 + 2) {
                    len += 1;
                }
                items.push(fill(
                    x0 + col as f32 * 2.0,
                    y0 + row as f32 * 2.0,
                    len as f32 * 2.0,
                    2.0,
                    Rgb::BLACK,
                ));
                n += 1;
            }
            col += len;
        }
    }
    n
}

/// A Nordic invoice with `lines` order lines, `per_page` per page.
fn sample(lines: usize, per_page: usize) -> Document {
    let pages = lines.div_ceil(per_page).max(1);
    let mut out = Vec::new();
    for p in 0..pages {
        let mut items = vec![fill(0.0, 0.0, A4.0, 80.0, Rgb(26, 61, 115))];
        items.push(text(
            40.0,
            50.0,
            FontFace::Bold,
            22.0,
            "Nordlys AS – FAKTURA",
        ));
        for (i, s) in [
            "Fakturanummer æøå ÆØÅ äö €: 2024-0042",
            "Kunde: Bjørn Ødegård, Åsveien 3, 0661 Oslo",
            "Org.nr. 923\u{00A0}609\u{00A0}016 MVA · Foretaksregisteret",
            "Deres ref.: Märta Öberg — “Snö & Is”",
            "Leveringsadresse: Storgata 1, 9008 Tromsø",
        ]
        .iter()
        .enumerate()
        {
            items.push(text(
                40.0,
                110.0 + 14.0 * i as f32,
                FontFace::Regular,
                10.0,
                s,
            ));
        }
        for (i, s) in [
            "Fakturadato: 1. juni 2024",
            "Forfallsdato: 15. juni 2024",
            "Kundenr.: 100234",
            "Ordrenr.: 7781-2",
        ]
        .iter()
        .enumerate()
        {
            items.push(text(
                360.0,
                110.0 + 14.0 * i as f32,
                FontFace::Regular,
                10.0,
                s,
            ));
        }
        items.push(fill(40.0, 182.0, 515.28, 18.0, Rgb(235, 238, 242)));
        for (x, h) in [
            (44.0, "Beskrivelse"),
            (300.0, "Antall"),
            (360.0, "Pris"),
            (430.0, "MVA"),
        ] {
            items.push(text(x, 195.0, FontFace::Bold, 9.0, h));
        }
        items.push(right(551.0, 195.0, FontFace::Bold, 9.0, "Beløp"));
        let (first, last) = (p * per_page, ((p + 1) * per_page).min(lines));
        let mut y = 214.0;
        for n in first..last {
            items.push(text(
                44.0,
                y,
                FontFace::Regular,
                9.0,
                &format!("Vare {n}: Ullgenser «Fjellrev» str. M, blå/grå"),
            ));
            items.push(right(
                330.0,
                y,
                FontFace::Regular,
                9.0,
                &format!("{}", n % 7 + 1),
            ));
            items.push(right(
                420.0,
                y,
                FontFace::Regular,
                9.0,
                &format!("1\u{202F}{:03},50", n * 37 % 1000),
            ));
            items.push(right(460.0, y, FontFace::Regular, 9.0, "25\u{2009}%"));
            items.push(right(
                551.0,
                y,
                FontFace::Regular,
                9.0,
                &format!("{}\u{202F}{:03},00 kr", n % 9 + 1, n * 53 % 1000),
            ));
            if n % 3 == 2 {
                items.push(hline(40.0, 555.28, y + 4.0));
            }
            y += 14.0;
        }
        if p + 1 == pages {
            for (i, (l, v)) in [
                ("Sum eks. mva", "9\u{202F}876,54 kr"),
                ("Mva 25\u{2009}%", "2\u{202F}469,13 kr"),
                ("Å betale", "12\u{202F}345,67 kr"),
            ]
            .iter()
            .enumerate()
            {
                let yy = y + 16.0 + 14.0 * i as f32;
                items.push(text(380.0, yy, FontFace::Bold, 10.0, l));
                items.push(right(551.0, yy, FontFace::Bold, 10.0, v));
            }
            items.push(text(
                40.0,
                750.0,
                FontFace::Mono,
                10.0,
                "KID: 0004 2024 0042 7",
            ));
            items.push(text(
                40.0,
                764.0,
                FontFace::Mono,
                10.0,
                "IBAN: NO93 8601 1117 947",
            ));
            items.push(text(
                40.0,
                778.0,
                FontFace::Regular,
                9.0,
                "Konto 8601.11.17947 · BIC DNBANOKKXXX",
            ));
            qr(&mut items, 470.0, 722.0);
        }
        items.push(right(
            555.28,
            826.0,
            FontFace::Regular,
            8.0,
            &format!("Side {} av {}", p + 1, pages),
        ));
        out.push(Page {
            width: Pt(A4.0),
            height: Pt(A4.1),
            items,
        });
    }
    Document {
        pages: out,
        images: Vec::new(),
        metadata: Metadata {
            title: "Faktura 2024-0042".into(),
            author: "Nordlys AS".into(),
            subject: "Faktura til Bjørn Ødegård".into(),
            created_unix: 1_717_200_000,
            ident: "923609016:2024-0042".into(),
        },
    }
}

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
    let one = sample(20, 35);
    let long = sample(140, 35);
    let logo = with_logo(sample(20, 35));
    for (name, doc) in [
        ("one_page", &one),
        ("lines_140", &long),
        ("one_page_logo", &logo),
    ] {
        let (t, o) = count(doc);
        match pdf::write(doc, &opts) {
            Ok(bytes) => eprintln!(
                "{name}: {} pages, {t} text runs, {o} other items → {} bytes",
                doc.pages.len(),
                bytes.len()
            ),
            Err(e) => eprintln!("{name}: {e}"),
        }
    }

    c.bench_function("one_page", |b| {
        b.iter(|| pdf::write(black_box(&one), &opts))
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
