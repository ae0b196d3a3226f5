//! Which payment codes the invoice carries, built here so that a payload that
//! cannot be made is a warning in the report, never a surprise at render time.
//!
//! - EUR with an IBAN: the EPC QR code (EPC069-12), and for a Finnish IBAN the
//!   54-digit virtual bank barcode with its Code 128 subset C bars. The barcode
//!   rule (amount, reference, due date) lives in [`virtual_barcode`] alone.
//! - SEK: the Swedish payment QR code (UsingQR), to the Bankgiro or Plusgiro
//!   number when the payment detail is one, else to the IBAN, else to the
//!   account as given.
//! - NOK: none (no Norwegian standard is in use).
//!
//! Nothing left to pay: no code. A code that cannot be built is left out with
//! an `assumed` warning saying why; the invoice then carries the reference and
//! the account, which are always printed.

use crate::country::Country;
use crate::money::{Currency, Money};
use crate::payment::epc_qr::EpcTransfer;
use crate::payment::qr::{self, Ec};
use crate::payment::se_qr::{SePaymentAccount, SeQr};
use crate::payment::{IdError, code128c_bars, virtual_barcode};

use super::invoice::{Account, BankBarcode, PaymentCodes, PaymentDetails, PaymentQr, Seller};
use super::{Code, Findings};

/// Where the IBAN is read from, for warnings about the codes built on it.
const IBAN: &str = "transaction.metadata[\"kravia:payment_details:bank_account:iban\"]";

/// What the codes are built from.
pub(super) struct Facts<'a> {
    pub currency: Currency,
    pub payment: &'a PaymentDetails,
    pub to_pay: Money,
    pub vat: Money,
    pub issue_date: chrono::NaiveDate,
    pub due_date: chrono::NaiveDate,
    /// The seller, when known (the Swedish QR code names it).
    pub seller: Option<&'a Seller>,
}

/// Builds the codes for `facts`, warning for each one that cannot be built.
pub(super) fn codes(facts: &Facts<'_>, f: &mut Findings) -> PaymentCodes {
    let mut out = PaymentCodes::default();
    if facts.to_pay <= Money::ZERO {
        return out;
    }
    let p = facts.payment;
    match facts.currency {
        Currency::Eur => {
            let Some(iban) = &p.iban else { return out };
            let epc = EpcTransfer {
                bic: p.bic.as_ref(),
                name: &p.payee_name,
                iban,
                amount: facts.to_pay,
                reference: Some(&p.reference),
                text: None,
                due: Some(facts.due_date),
            }
            .payload()
            .and_then(qr_code);
            out.epc_qr = kept(epc, "EPC QR code", "the reference and the IBAN", IBAN, f);
            if iban.country() == Country::Fi {
                let barcode =
                    virtual_barcode(iban, facts.to_pay, &p.reference, Some(facts.due_date))
                        .and_then(|digits| {
                            let bars = code128c_bars(&digits)?;
                            Ok(BankBarcode { digits, bars })
                        });
                // What the payer uses instead: the EPC QR code only when it is there.
                let instead = if out.epc_qr.is_some() {
                    "the reference and the EPC QR code"
                } else {
                    "the reference and the IBAN"
                };
                out.fi_barcode = kept(barcode, "Finnish virtual bank barcode", instead, IBAN, f);
            }
        }
        Currency::Sek => {
            let (Some(seller), Some(account)) = (facts.seller, se_account(p)) else {
                return out;
            };
            let cid = seller.org_number.to_string();
            let se = SeQr {
                name: &p.payee_name,
                company_id: &cid,
                country: Some(seller.country.code()),
                reference: p.reference.as_str(),
                invoice_date: facts.issue_date,
                due_date: facts.due_date,
                amount: facts.to_pay,
                currency: facts.currency,
                vat: Some(facts.vat),
                payment: account,
            }
            .payload()
            .and_then(qr_code);
            out.se_qr = kept(
                se,
                "Swedish payment QR code",
                "the OCR number and the account",
                "transaction.metadata",
                f,
            );
        }
        Currency::Nok => {}
    }
    out
}

/// The account the Swedish QR code pays to: the Bankgiro or Plusgiro number
/// when the payment detail is one (what the invoice prints), else the IBAN
/// (with its BIC), else the account as given.
fn se_account(p: &PaymentDetails) -> Option<SePaymentAccount<'_>> {
    match (&p.account, &p.iban) {
        (Some(Account::Bankgiro(bg)), _) => Some(SePaymentAccount::Bankgiro(bg)),
        (Some(Account::Plusgiro(pg)), _) => Some(SePaymentAccount::Plusgiro(pg)),
        (_, Some(iban)) => Some(SePaymentAccount::Iban(iban, p.bic.as_ref())),
        (Some(Account::Other(s)), None) => Some(SePaymentAccount::Bban(s)),
        (Some(Account::No(n)), None) => Some(SePaymentAccount::Bban(n.as_str())),
        (None, None) => None,
    }
}

fn qr_code(payload: String) -> Result<PaymentQr, IdError> {
    let matrix = qr::encode(&payload, Ec::M)?;
    Ok(PaymentQr { payload, matrix })
}

/// The code, or `None` with a warning that says why and what the payer uses
/// instead.
fn kept<T>(
    built: Result<T, IdError>,
    what: &str,
    instead: &str,
    path: &str,
    f: &mut Findings,
) -> Option<T> {
    match built {
        Ok(code) => Some(code),
        Err(e) => {
            let why = match &e {
                IdError::Payload { reason, .. } => reason.clone(),
                other => other.to_string(),
            };
            f.warn(
                Code::Assumed,
                path,
                format!("no {what}: {why}; the invoice carries {instead}"),
            );
            None
        }
    }
}
