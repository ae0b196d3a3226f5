//! The text of each rendered fixture, read back from the PDF with `pdftotext`,
//! contains every string its `expect.json` lists (invoice number, KID, account,
//! IBAN, BIC, total, due date, buyer, Nordic line descriptions, barcode digits);
//! failing cases leave no file; fonts are embedded; two renders are identical.

use std::process::Command;

use crate::util::{cases, run};

/// The acceptance runner's normalisation: NFKC-like space folding, dates and
/// money in any locale form to one form, no spaces, no separators between
/// digits, lower case.
pub(crate) fn norm(s: &str) -> String {
    // fold the no-break and thin spaces pdftotext may emit
    let s: String = s
        .chars()
        .map(|c| {
            if matches!(c, '\u{a0}' | '\u{2009}' | '\u{202f}') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let s = dates_to_iso(&s);
    let s = money_to_plain(&s);
    let s: String = s.chars().filter(|c| *c != ' ' && *c != '\t').collect();
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let between_digits = i > 0
            && i + 1 < chars.len()
            && chars[i - 1].is_ascii_digit()
            && chars[i + 1].is_ascii_digit();
        if between_digits && matches!(c, '.' | '-') {
            continue;
        }
        out.push(c);
    }
    out.to_lowercase()
}

/// `18.05.2026` and `18.5.2026` → `2026-05-18`.
fn dates_to_iso(s: &str) -> String {
    let mut out = String::new();
    let words: Vec<&str> = s.split(' ').collect();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let parts: Vec<&str> = w.split('.').collect();
        let is_date = parts.len() == 3
            && parts[0].len() <= 2
            && parts[1].len() <= 2
            && parts[2].len() == 4
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        if is_date {
            out.push_str(&format!("{}-{:0>2}-{:0>2}", parts[2], parts[1], parts[0]));
        } else {
            out.push_str(w);
        }
    }
    out
}

/// `6 407,20`, `6.407,20`, `6,407.20` → `6407,20` (grouping dropped, comma decimal).
fn money_to_plain(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        // a run of digits and group separators ending in [.,]dd not followed by a digit
        if chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_digit()) {
            let mut j = i;
            while j < chars.len()
                && (chars[j].is_ascii_digit() || matches!(chars[j], ' ' | '.' | ','))
            {
                j += 1;
            }
            let run: String = chars[i..j].iter().collect();
            let trimmed = run.trim_end_matches([' ', '.', ',']);
            let t: Vec<char> = trimmed.chars().collect();
            let n = t.len();
            if n >= 4
                && matches!(t[n - 3], '.' | ',')
                && t[n - 2].is_ascii_digit()
                && t[n - 1].is_ascii_digit()
            {
                let int: String = t[..n - 3].iter().filter(|c| c.is_ascii_digit()).collect();
                out.push_str(&int);
                out.push(',');
                out.push(t[n - 2]);
                out.push(t[n - 1]);
                out.push_str(&run[trimmed.len()..]);
                i = j;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

fn have(tool: &str) -> bool {
    Command::new(tool).arg("-v").output().is_ok()
}

#[test]
fn norm_matches_the_acceptance_rules() {
    assert!(norm("7\u{202f}824,00 NOK").contains(&norm("7824,00")));
    assert_eq!(norm("6,407.20"), "6407,20");
    assert_eq!(norm("Forfall 14.06.2026"), norm("Forfall 2026-06-14"));
    assert_eq!(norm("1503.60.12347"), "15036012347");
    assert_ne!(norm("7 824,01"), norm("7824,00"));
}

#[test]
fn rendered_fixtures_contain_their_expected_text() {
    if !(have("pdftotext") && have("pdffonts")) {
        eprintln!("note: poppler-utils missing (apt-get install poppler-utils); skipping");
        return;
    }
    for case in cases() {
        let dir = crate::cli::tempdir();
        let pdf = dir.join("invoice.pdf");
        let mut args = vec!["render".to_string()];
        args.extend(case.doc_args());
        args.extend([
            "--output".to_string(),
            pdf.display().to_string(),
            "--json".to_string(),
        ]);
        let out = run(&args);
        assert_eq!(
            out.status.code(),
            Some(case.expected_exit()),
            "{}: {}",
            case.name,
            String::from_utf8_lossy(&out.stdout)
        );
        if case.expected_exit() != 0 {
            let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
            assert!(left.is_empty(), "{}: render left files behind", case.name);
            continue;
        }
        let text = Command::new("pdftotext")
            .args(["-layout", "-enc", "UTF-8"])
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap();
        let raw = String::from_utf8_lossy(&text.stdout).into_owned();
        let text = norm(&raw);
        // Every invoice shows its delivery date and place (here the invoice
        // date, no --delivery-date being given, and the shipping address,
        // else the billing address).
        let (date, delivery) = delivery_of(&case);
        assert!(raw.contains(&date), "{}: delivery date {date}", case.name);
        for want in delivery {
            assert!(
                text.contains(&norm(&want)),
                "{}: delivery {want:?} not in the PDF text",
                case.name
            );
        }
        for want in case.expect["text"].as_array().unwrap() {
            let want = want.as_str().unwrap();
            assert!(
                text.contains(&norm(want)),
                "{}: {want:?} not in the PDF text",
                case.name
            );
        }
        let fonts = Command::new("pdffonts").arg(&pdf).output().unwrap();
        let fonts = String::from_utf8_lossy(&fonts.stdout);
        for row in fonts.lines().skip(2) {
            let cols: Vec<&str> = row.split_whitespace().collect();
            assert!(
                cols.len() >= 6 && cols[cols.len() - 5] == "yes",
                "{}: font not embedded: {row}",
                case.name
            );
        }
        // same input, same bytes
        let first = std::fs::read(&pdf).unwrap();
        let again = run(&args);
        assert!(again.status.success());
        assert_eq!(
            std::fs::read(&pdf).unwrap(),
            first,
            "{}: renders differ",
            case.name
        );
    }
}

/// The delivery label, date and street (and postal place) the PDF of a valid
/// case must show, in the invoice's language.
fn delivery_of(case: &crate::util::Case) -> (String, Vec<String>) {
    let (brand, inv) = case.verified();
    let locale = brand.invoice.locale.unwrap_or(inv.locale);
    let labels = kravia_invoice::template::Labels::get(locale).unwrap();
    let place = &inv.delivery.place;
    let mut out = vec![labels.delivery_date.clone(), labels.delivery_place.clone()];
    out.extend(place.postal_place.clone());
    out.extend(
        place
            .address_line
            .as_deref()
            .and_then(|a| a.split(' ').next_back())
            .map(str::to_string),
    );
    (locale.format_date(inv.delivery.date), out)
}

#[test]
fn a_failed_render_keeps_an_existing_output_file() {
    let case = cases()
        .into_iter()
        .find(|c| c.name == "pub_err_vat_mismatch")
        .unwrap();
    let dir = crate::cli::tempdir();
    let pdf = dir.join("invoice.pdf");
    std::fs::write(&pdf, b"previous").unwrap();
    let mut args = vec!["render".to_string()];
    args.extend(case.doc_args());
    args.extend(["--output".to_string(), pdf.display().to_string()]);
    let out = run(&args);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read(&pdf).unwrap(), b"previous");
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "no temporary file left"
    );
}
