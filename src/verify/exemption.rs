//! The reason a 0 % line carries no VAT: SE ML 17 kap. 24 § 12 and FI AVL
//! 209 e § 12 require the invoice to name the exemption (or zero-rating)
//! provision; Norwegian auditors expect it. The brand file gives it
//! (`[invoice] vat_exemption_reason`).

use crate::country::Country;

use super::{Code, Findings, Input, Line, present};

/// The brand field.
const PATH: &str = "brand.invoice.vat_exemption_reason";

/// The reason to print, when the invoice has a 0 % line; a missing reason is
/// an error for a Swedish or Finnish seller and a warning for others. Without
/// a brand (`check` without `--brand`) nothing is checked.
pub(super) fn reason(
    input: &Input<'_>,
    lines: &[Line],
    seller_country: Country,
    f: &mut Findings,
) -> Option<String> {
    let brand = input.brand?;
    let zero: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.vat_rate.is_zero())
        .map(|(i, _)| i)
        .collect();
    let first = *zero.first()?;
    if let Some(r) = present(brand.invoice.vat_exemption_reason.as_deref()) {
        return Some(r.to_string());
    }
    let which = lines
        .get(first)
        .map(|l| format!("line {:?} ({})", l.line_id, l.description))
        .unwrap_or_default();
    let more = match zero.len() {
        1 => String::new(),
        n => format!(" and {} more", n - 1),
    };
    let message = format!(
        "{which}{more} is at 0 % VAT and the brand file's [invoice] has no vat_exemption_reason"
    );
    match seller_country {
        Country::Se | Country::Fi => f.error(
            Code::MissingExemptionReason,
            PATH,
            format!("{message}; a {seller_country} invoice must name the exemption"),
        ),
        _ => f.warn(
            Code::MissingExemptionReason,
            PATH,
            format!("{message}; auditors expect the exemption to be named"),
        ),
    }
    None
}
