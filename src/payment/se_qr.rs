//! The Swedish payment QR code ("UsingQR", Visma's open format, revision 2):
//! a one-line JSON object that Swedish bank apps read off an invoice.
//!
//! Keys, in this order: `uqr` (1), `tp` (1 = invoice), `nme` (payee name), `cc`
//! (country, optional), `cid` (company id), `iref` (OCR number or invoice
//! reference; left out when empty), `idt` and `ddt` (invoice and due date,
//! `YYYYMMDD`), `due` (amount), `cur` (currency), `vat` (optional), `pt`
//! (`BG`, `PG`, `BBAN` or `IBAN`), `acc` (account) and `bc` (BIC, for an IBAN,
//! optional). Amounts are JSON numbers with a `.` and exactly two decimals
//! (`6154.00`), written from integer minor units, never through a float.

use chrono::NaiveDate;

use super::IdError;
use super::bic::Bic;
use super::giro::{Bankgiro, Plusgiro};
use super::iban::Iban;
use crate::country::Country;
use crate::money::{Currency, Money};

const PAYLOAD: &str = "Swedish payment QR";

/// The account a Swedish invoice is paid to.
#[derive(Clone, Copy, Debug)]
pub enum SePaymentAccount<'a> {
    /// A Bankgiro number (`pt` `BG`, `acc` in its printed form `5402-9681`).
    Bankgiro(&'a Bankgiro),
    /// A Plusgiro number (`pt` `PG`, `acc` its digits `2865434`).
    Plusgiro(&'a Plusgiro),
    /// A domestic bank account number as given (`pt` `BBAN`).
    Bban(&'a str),
    /// An IBAN with an optional BIC (`pt` `IBAN`, `bc` the BIC).
    Iban(&'a Iban, Option<&'a Bic>),
}

/// A Swedish invoice to encode as a UsingQR payment code.
///
/// ```
/// use chrono::NaiveDate;
/// use kravia_invoice::{Currency, Money};
/// use kravia_invoice::payment::{Bankgiro, SePaymentAccount, SeQr};
/// let bg = Bankgiro::parse("5402-9681").unwrap();
/// let qr = SeQr {
///     name: "Kravia AB",
///     company_id: "556036-0793",
///     country: Some("SE"),
///     reference: "2026004206",
///     invoice_date: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
///     due_date: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
///     amount: Money::from_minor(123_456),
///     currency: Currency::Sek,
///     vat: None,
///     payment: SePaymentAccount::Bankgiro(&bg),
/// };
/// assert_eq!(
///     qr.payload().unwrap(),
///     r#"{"uqr":1,"tp":1,"nme":"Kravia AB","cc":"SE","cid":"556036-0793","iref":"2026004206","idt":"20260301","ddt":"20260331","due":1234.56,"cur":"SEK","pt":"BG","acc":"5402-9681"}"#
/// );
/// let negative = SeQr { amount: Money::from_minor(-1), ..qr };
/// assert!(negative.payload().is_err());
/// ```
#[derive(Clone, Copy, Debug)]
pub struct SeQr<'a> {
    /// The payee's name (`nme`); must not be empty.
    pub name: &'a str,
    /// The payee's company id (`cid`), such as `556036-0793`; must not be empty.
    pub company_id: &'a str,
    /// The payee's country code (`cc`), two letters, when given.
    pub country: Option<&'a str>,
    /// The OCR number or invoice reference (`iref`); left out when empty.
    pub reference: &'a str,
    /// The invoice date (`idt`).
    pub invoice_date: NaiveDate,
    /// The due date (`ddt`).
    pub due_date: NaiveDate,
    /// The amount to pay (`due`); must not be negative.
    pub amount: Money,
    /// The currency (`cur`).
    pub currency: Currency,
    /// The VAT amount (`vat`), when given; must not be negative.
    pub vat: Option<Money>,
    /// The account to pay to (`pt`, `acc`, `bc`).
    pub payment: SePaymentAccount<'a>,
}

impl SeQr<'_> {
    /// The UsingQR payload: one line of JSON, keys in the order of the module
    /// docs, strings escaped by `serde_json`.
    ///
    /// Fails when the name, company id or BBAN is empty, the country is not
    /// two letters, or the amount or VAT is negative.
    pub fn payload(&self) -> Result<String, IdError> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err(error("payee name is empty".to_string()));
        }
        let cid = self.company_id.trim();
        if cid.is_empty() {
            return Err(error("company id is empty".to_string()));
        }
        let mut out = String::with_capacity(256);
        out.push_str("{\"uqr\":1,\"tp\":1");
        field_str(&mut out, "nme", name)?;
        if let Some(cc) = self.country {
            let country = Country::parse(cc)
                .ok_or_else(|| error(format!("country {cc:?} is not a two-letter code")))?;
            field_str(&mut out, "cc", country.code())?;
        }
        field_str(&mut out, "cid", cid)?;
        let iref = self.reference.trim();
        if !iref.is_empty() {
            field_str(&mut out, "iref", iref)?;
        }
        field_str(
            &mut out,
            "idt",
            &self.invoice_date.format("%Y%m%d").to_string(),
        )?;
        field_str(&mut out, "ddt", &self.due_date.format("%Y%m%d").to_string())?;
        field_amount(&mut out, "due", self.amount)?;
        field_str(&mut out, "cur", self.currency.code())?;
        if let Some(vat) = self.vat {
            field_amount(&mut out, "vat", vat)?;
        }
        match self.payment {
            SePaymentAccount::Bankgiro(bg) => {
                field_str(&mut out, "pt", "BG")?;
                field_str(&mut out, "acc", &bg.to_string())?;
            }
            SePaymentAccount::Plusgiro(pg) => {
                field_str(&mut out, "pt", "PG")?;
                field_str(&mut out, "acc", pg.as_str())?;
            }
            SePaymentAccount::Bban(acc) => {
                let acc = acc.trim();
                if acc.is_empty() {
                    return Err(error("bank account number is empty".to_string()));
                }
                field_str(&mut out, "pt", "BBAN")?;
                field_str(&mut out, "acc", acc)?;
            }
            SePaymentAccount::Iban(iban, bic) => {
                field_str(&mut out, "pt", "IBAN")?;
                field_str(&mut out, "acc", iban.electronic())?;
                if let Some(bic) = bic {
                    field_str(&mut out, "bc", bic.as_str())?;
                }
            }
        }
        out.push('}');
        Ok(out)
    }
}

/// Appends `,"key":"value"` with the value escaped as a JSON string.
fn field_str(out: &mut String, key: &str, value: &str) -> Result<(), IdError> {
    let v = serde_json::to_string(value)
        .map_err(|e| error(format!("cannot write {key} as JSON: {e}")))?;
    out.push_str(",\"");
    out.push_str(key);
    out.push_str("\":");
    out.push_str(&v);
    Ok(())
}

/// Appends `,"key":1234.56`: a non-negative amount with exactly two decimals.
fn field_amount(out: &mut String, key: &str, amount: Money) -> Result<(), IdError> {
    if amount.minor() < 0 {
        return Err(error(format!(
            "{key} {} is negative",
            amount.to_plain_string()
        )));
    }
    out.push_str(",\"");
    out.push_str(key);
    out.push_str("\":");
    out.push_str(&amount.to_plain_string());
    Ok(())
}

fn error(reason: String) -> IdError {
    IdError::Payload {
        payload: PAYLOAD,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn base<'a>(bg: &'a Bankgiro) -> SeQr<'a> {
        SeQr {
            name: "Kravia AB",
            company_id: "556036-0793",
            country: Some("SE"),
            reference: "2026004206",
            invoice_date: date(2026, 3, 1),
            due_date: date(2026, 3, 31),
            amount: Money::from_minor(123_456),
            currency: Currency::Sek,
            vat: None,
            payment: SePaymentAccount::Bankgiro(bg),
        }
    }

    #[test]
    fn notes_section_10_3_payload() {
        let bg = Bankgiro::parse("5402-9681").unwrap();
        assert_eq!(
            base(&bg).payload().unwrap(),
            r#"{"uqr":1,"tp":1,"nme":"Kravia AB","cc":"SE","cid":"556036-0793","iref":"2026004206","idt":"20260301","ddt":"20260331","due":1234.56,"cur":"SEK","pt":"BG","acc":"5402-9681"}"#
        );
    }

    #[test]
    fn amounts_always_have_two_decimals_and_vat_follows_cur() {
        let bg = Bankgiro::parse("5402-9681").unwrap();
        let q = SeQr {
            amount: Money::from_minor(615_400),
            vat: Some(Money::from_minor(123_080)),
            ..base(&bg)
        };
        let p = q.payload().unwrap();
        assert!(
            p.contains(r#""due":6154.00,"cur":"SEK","vat":1230.80,"pt":"BG""#),
            "{p}"
        );
        let zero = SeQr {
            amount: Money::ZERO,
            ..base(&bg)
        };
        assert!(zero.payload().unwrap().contains(r#""due":0.00,"#));
    }

    #[test]
    fn payload_is_valid_json_with_keys_in_order() {
        let iban = Iban::parse("SE4550000000058398257466").unwrap();
        let bic = Bic::parse("ESSESESS").unwrap();
        let bg = Bankgiro::parse("5402-9681").unwrap();
        let q = SeQr {
            name: "Kravia \"Nord\" AB\nÅre",
            vat: Some(Money::from_minor(5)),
            payment: SePaymentAccount::Iban(&iban, Some(&bic)),
            ..base(&bg)
        };
        let p = q.payload().unwrap();
        assert!(!p.contains('\n'));
        let v: serde_json::Value = serde_json::from_str(&p).unwrap();
        assert_eq!(v["nme"], "Kravia \"Nord\" AB\nÅre");
        assert_eq!(v["acc"], "SE4550000000058398257466");
        assert_eq!(v["bc"], "ESSESESS");
        assert_eq!(v["pt"], "IBAN");
        let keys = [
            "uqr", "tp", "nme", "cc", "cid", "iref", "idt", "ddt", "due", "cur", "vat", "pt",
            "acc", "bc",
        ];
        let mut last = 0;
        for k in keys {
            let at = p.find(&format!("\"{k}\":")).unwrap();
            assert!(at >= last, "{k} out of order in {p}");
            last = at;
        }
    }

    #[test]
    fn plusgiro_bban_and_optional_fields() {
        let pg = Plusgiro::parse("28 65 43-4").unwrap();
        let bg = Bankgiro::parse("5402-9681").unwrap();
        let q = SeQr {
            country: None,
            reference: " ",
            payment: SePaymentAccount::Plusgiro(&pg),
            ..base(&bg)
        };
        assert_eq!(
            q.payload().unwrap(),
            r#"{"uqr":1,"tp":1,"nme":"Kravia AB","cid":"556036-0793","idt":"20260301","ddt":"20260331","due":1234.56,"cur":"SEK","pt":"PG","acc":"2865434"}"#
        );
        let q = SeQr {
            currency: Currency::Nok,
            country: Some("no"),
            payment: SePaymentAccount::Bban(" 17202612345 "),
            ..base(&bg)
        };
        let p = q.payload().unwrap();
        assert!(p.contains(r#""cc":"NO""#), "{p}");
        assert!(
            p.ends_with(r#""cur":"NOK","pt":"BBAN","acc":"17202612345"}"#),
            "{p}"
        );
        let iban = Iban::parse("SE4550000000058398257466").unwrap();
        let q = SeQr {
            payment: SePaymentAccount::Iban(&iban, None),
            ..base(&bg)
        };
        assert!(!q.payload().unwrap().contains("\"bc\""));
    }

    #[test]
    fn bad_invoices_are_rejected() {
        let bg = Bankgiro::parse("5402-9681").unwrap();
        let b = base(&bg);
        assert!(SeQr { name: " ", ..b }.payload().is_err());
        assert!(
            SeQr {
                company_id: "",
                ..b
            }
            .payload()
            .is_err()
        );
        assert!(
            SeQr {
                country: Some("Sweden"),
                ..b
            }
            .payload()
            .is_err()
        );
        assert!(
            SeQr {
                vat: Some(Money::from_minor(-1)),
                ..b
            }
            .payload()
            .is_err()
        );
        assert!(
            SeQr {
                payment: SePaymentAccount::Bban(""),
                ..b
            }
            .payload()
            .is_err()
        );
        let e = SeQr {
            amount: Money::from_minor(-100),
            ..b
        }
        .payload()
        .unwrap_err();
        assert_eq!(e.to_string(), "Swedish payment QR: due -1.00 is negative");
    }
}
