//! One snapshot per valid fixture × template × locale: the PDF's size and hash,
//! the text `pdftotext -layout` reads back from it, and the layout dump (every
//! run with its rounded position). A change here is accepted only after the
//! page has been looked at as PNG (`pdftoppm -png -r 80`); `KRAVIA_STORE=1`
//! keeps the PDFs in `target/store/` for that.

use std::process::Command;

use kravia_invoice::layout::dump::dump;
use kravia_invoice::locale::Locale;
use kravia_invoice::render::{RenderOptions, Renderer, render};
use kravia_invoice::template::{BUILTIN, TemplateSource};

use crate::util::cases;

/// 64-bit FNV-1a: a stable fingerprint of the PDF bytes.
fn fnv64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[test]
fn every_fixture_template_and_locale() {
    if Command::new("pdftotext").arg("-v").output().is_err() {
        eprintln!("note: pdftotext missing (apt-get install poppler-utils); skipping snapshots");
        return;
    }
    let store = std::env::var_os("KRAVIA_STORE").is_some();
    let store_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/store");
    for case in cases().into_iter().filter(|c| c.expected_exit() == 0) {
        let (brand, invoice) = case.verified();
        for (template, _) in BUILTIN {
            for locale in Locale::ALL {
                let options = RenderOptions {
                    template: Some(TemplateSource::Builtin(template.to_string())),
                    locale: Some(locale),
                    ..RenderOptions::default()
                };
                let doc = Renderer::new(brand.clone(), options.clone())
                    .unwrap()
                    .layout(&invoice)
                    .unwrap();
                let pdf = render(&invoice, &brand, &options).unwrap();
                let name = format!("{}-{template}-{locale}", case.name);
                let dir = crate::cli::tempdir();
                let file = dir.join(format!("{name}.pdf"));
                std::fs::write(&file, &pdf).unwrap();
                if store {
                    std::fs::create_dir_all(&store_dir).unwrap();
                    std::fs::copy(&file, store_dir.join(format!("{name}.pdf"))).unwrap();
                }
                let out = Command::new("pdftotext")
                    .args(["-layout", "-enc", "UTF-8"])
                    .arg(&file)
                    .arg("-")
                    .output()
                    .unwrap();
                let text: String = String::from_utf8_lossy(&out.stdout)
                    .split('\u{c}')
                    .filter(|p| !p.trim().is_empty())
                    .map(|page| {
                        page.lines()
                            .map(str::trim_end)
                            .collect::<Vec<_>>()
                            .join("\n")
                    })
                    .collect::<Vec<_>>()
                    .join("\n---- next page ----\n");
                let snapshot = format!(
                    "{} · template {template} · locale {locale}\npages {} · {} bytes · fnv64 {:016x}\n\n---- pdftotext -layout ----\n{}\n\n---- layout ----\n{}",
                    case.name,
                    doc.pages.len(),
                    pdf.len(),
                    fnv64(&pdf),
                    text.trim_matches('\n'),
                    dump(&doc)
                );
                insta::assert_snapshot!(name, snapshot);
            }
        }
    }
}
