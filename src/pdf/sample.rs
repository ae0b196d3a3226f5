//! A synthetic Nordic invoice, built directly as a layout [`Document`], for the
//! PDF backend's tests (`src/pdf/tests.rs`) and benchmarks (`benches/pdf.rs`).
//! Not part of the library: both include this file with `#[path]`, so it names
//! the crate as `kravia_invoice` (the library aliases itself under `cfg(test)`).
#![allow(dead_code)]

use kravia_invoice::color::Rgb;
use kravia_invoice::font::FontFace;
use kravia_invoice::layout::document::{
    Artifact, Document, Item, Line, Metadata, Page, Pt, Rect, Role, TextRole, TextRun,
};

pub const A4: (f32, f32) = (595.28, 841.89);
pub const BLUE: Rgb = Rgb(26, 61, 115);
pub const GREY: Rgb = Rgb(235, 238, 242);

pub fn text(x: f32, y: f32, face: FontFace, size: f32, s: &str) -> Item {
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

pub fn right(x: f32, y: f32, face: FontFace, size: f32, s: &str) -> Item {
    let w = kravia_invoice::font::fonts().face(face).text_width(s, size);
    text(((x - w) * 100.0).round() / 100.0, y, face, size, s)
}

pub fn fill(x: f32, y: f32, w: f32, h: f32, c: Rgb) -> Item {
    Item::Rect(Rect {
        x: Pt(x),
        y: Pt(y),
        width: Pt(w),
        height: Pt(h),
        fill: Some(c),
        stroke: None,
    })
}

pub fn hline(x1: f32, x2: f32, y: f32) -> Item {
    Item::Line(Line {
        x1: Pt(x1),
        y1: Pt(y),
        x2: Pt(x2),
        y2: Pt(y),
        color: Rgb(200, 200, 200),
        width: Pt(0.5),
    })
}

/// A pseudo-random 41×41 module pattern drawn as horizontal runs (≈ 400 rects).
pub fn qr(items: &mut Vec<Item>, x0: f32, y0: f32) {
    let mut state: u32 = 0x1234_5678;
    let module = 2.0;
    for row in 0..41 {
        let mut col = 0;
        while col < 41 {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let dark = state.is_multiple_of(2);
            let mut len = 1;
            if dark {
                while col + len < 41 && state.is_multiple_of(len as u32 + 2) {
                    len += 1;
                }
                items.push(fill(
                    x0 + col as f32 * module,
                    y0 + row as f32 * module,
                    len as f32 * module,
                    module,
                    Rgb::BLACK,
                ));
            }
            col += len;
        }
    }
}

/// A Nordic invoice with `lines` order lines, 35 per page, with structure:
/// the title a heading, the facts a section, the lines one table across the
/// pages (its header row repeated as an artifact), the QR code a figure, the
/// page numbers artifacts.
pub fn sample(lines: usize) -> Document {
    let per_page = 35;
    let pages = lines.div_ceil(per_page).max(1);
    let mut out = Vec::new();
    for p in 0..pages {
        let mut items = vec![fill(0.0, 0.0, A4.0, 80.0, BLUE)];
        items.push(Item::Begin(Role::Heading(1)));
        if let Item::Text(mut t) = text(40.0, 50.0, FontFace::Bold, 22.0, "Nordlys AS – FAKTURA")
        {
            t.color = Rgb::WHITE;
            items.push(Item::Text(t));
        }
        items.push(Item::End);
        items.push(Item::Begin(Role::Section));
        items.push(text(
            40.0,
            110.0,
            FontFace::Regular,
            10.0,
            "Fakturanummer æøå ÆØÅ äö €: 2024-0042",
        ));
        items.push(text(
            40.0,
            124.0,
            FontFace::Regular,
            10.0,
            "Kunde: Bjørn Ødegård, Åsveien 3, 0661 Oslo",
        ));
        items.push(text(
            40.0,
            138.0,
            FontFace::Regular,
            10.0,
            "Org.nr. 923\u{00A0}609\u{00A0}016 MVA · Foretaksregisteret",
        ));
        items.push(text(
            40.0,
            152.0,
            FontFace::Regular,
            10.0,
            "Köpare: Märta Öberg — “Snö & Is” ‘AB’ • Malmö…",
        ));
        items.push(text(
            360.0,
            110.0,
            FontFace::Regular,
            10.0,
            "Fakturadato: 1. juni 2024",
        ));
        items.push(text(
            360.0,
            124.0,
            FontFace::Regular,
            10.0,
            "Forfallsdato: 15. juni 2024",
        ));
        items.push(Item::End);
        items.push(fill(40.0, 170.0, 515.28, 18.0, GREY));
        if p == 0 {
            items.push(Item::Begin(Role::Table));
            items.push(Item::Begin(Role::TableHead));
        } else {
            items.push(Item::Begin(Role::Artifact(Artifact::Pagination)));
        }
        items.push(Item::Begin(Role::Row));
        for (x, h) in [
            (44.0, "Beskrivelse"),
            (300.0, "Antall"),
            (360.0, "Pris"),
            (430.0, "MVA"),
        ] {
            items.push(Item::Begin(Role::HeaderCell));
            items.push(text(x, 183.0, FontFace::Bold, 9.0, h));
            items.push(Item::End);
        }
        items.push(Item::Begin(Role::HeaderCell));
        items.push(right(551.0, 183.0, FontFace::Bold, 9.0, "Beløp"));
        items.push(Item::End);
        items.push(Item::End);
        items.push(Item::End);
        if p == 0 {
            items.push(Item::Begin(Role::TableBody));
        }
        let first = p * per_page;
        let last = (first + per_page).min(lines);
        let mut y = 202.0;
        for n in first..last {
            items.push(Item::Begin(Role::Row));
            items.push(Item::Begin(Role::Cell));
            items.push(text(
                44.0,
                y,
                FontFace::Regular,
                9.0,
                &format!("Vare {n}: Ullgenser «Fjellrev» str. M, blå/grå"),
            ));
            items.push(Item::End);
            items.push(Item::Begin(Role::Cell));
            items.push(right(
                330.0,
                y,
                FontFace::Regular,
                9.0,
                &format!("{}", n % 7 + 1),
            ));
            items.push(Item::End);
            items.push(Item::Begin(Role::Cell));
            items.push(right(
                420.0,
                y,
                FontFace::Regular,
                9.0,
                &format!("1\u{202F}{:03},50", n * 37 % 1000),
            ));
            items.push(Item::End);
            items.push(Item::Begin(Role::Cell));
            items.push(right(460.0, y, FontFace::Regular, 9.0, "25\u{2009}%"));
            items.push(Item::End);
            items.push(Item::Begin(Role::Cell));
            items.push(right(
                551.0,
                y,
                FontFace::Regular,
                9.0,
                &format!("{}\u{202F}{:03},00 kr", n % 9 + 1, n * 53 % 1000),
            ));
            items.push(Item::End);
            items.push(Item::End);
            if n % 4 == 3 {
                items.push(hline(40.0, 555.28, y + 4.0));
            }
            y += 14.0;
        }
        if p + 1 == pages {
            items.push(Item::End);
            items.push(Item::End);
            items.push(right(
                551.0,
                y + 16.0,
                FontFace::Bold,
                11.0,
                "Å betale: 12\u{202F}345,67 kr",
            ));
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
            items.push(Item::Begin(Role::Figure(
                "QR: betal 12 345,67 kr til 8601.11.17947, KID 0004 2024 0042 7".into(),
            )));
            qr(&mut items, 470.0, 722.0);
            items.push(Item::End);
        }
        items.push(Item::Begin(Role::Artifact(Artifact::Pagination)));
        items.push(right(
            555.28,
            826.0,
            FontFace::Regular,
            8.0,
            &format!("Side {} av {}", p + 1, pages),
        ));
        items.push(Item::End);
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
            lang: "nb".into(),
        },
    }
}
