//! The invoice number and Kravia's payment details: reference (KID, OCR, Finnish
//! reference or RF), account number, IBAN and BIC.

use crate::country::Country;
use crate::dintero::metadata::{self, Metadata};
use crate::money::Currency;
use crate::payment::{Bic, Iban, NoAccount, Reference};

use super::{Account, Code, Findings, Input, PaymentDetails};

const TX_META: &str = "transaction.metadata";

fn meta_path(key: &str) -> String {
    Metadata::path(TX_META, key)
}

/// Text of a transaction metadata key; a value of the wrong JSON type is reported
/// under `code` and read as absent.
fn text(input: &Input<'_>, key: &str, code: Code, f: &mut Findings) -> Option<String> {
    match input.tx.metadata.text(key) {
        Ok(v) => v,
        Err(e) => {
            f.error(
                code,
                meta_path(key),
                format!("expected text or a number, found {}", e.found),
            );
            None
        }
    }
}

/// `kravia:invoice_number`, consistent across the metadata and every event that
/// carries one.
pub(super) fn invoice_number(input: &Input<'_>, f: &mut Findings) -> Option<String> {
    let from_meta = text(
        input,
        metadata::INVOICE_NUMBER,
        Code::MissingInvoiceNumber,
        f,
    );
    let events: Vec<(usize, String)> = input
        .tx
        .events
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            e.metadata
                .text(metadata::INVOICE_NUMBER)
                .ok()
                .flatten()
                .map(|n| (i, n))
        })
        .collect();
    let number = match from_meta {
        Some(n) => n,
        None => {
            f.error(
                Code::MissingInvoiceNumber,
                meta_path(metadata::INVOICE_NUMBER),
                "the transaction has no kravia:invoice_number",
            );
            return events.last().map(|(_, n)| n.clone());
        }
    };
    for (i, n) in &events {
        if *n != number {
            f.error(
                Code::InvoiceNumberMismatch,
                Metadata::path(
                    &format!("transaction.events[{i}].metadata"),
                    metadata::INVOICE_NUMBER,
                ),
                format!("the event says {n:?}, the transaction metadata says {number:?}"),
            );
        }
    }
    Some(number)
}

/// The country whose account rules apply: the IBAN's, else the currency's.
fn account_country(iban: Option<&Iban>, currency: Option<Currency>) -> Option<Country> {
    iban.map(Iban::country).or(match currency {
        Some(Currency::Nok) => Some(Country::No),
        Some(Currency::Sek) => Some(Country::Se),
        Some(Currency::Eur) => Some(Country::Fi),
        None => None,
    })
}

/// KID/reference, account, IBAN and BIC, each checked.
pub(super) fn payment_details(
    input: &Input<'_>,
    currency: Option<Currency>,
    f: &mut Findings,
) -> Option<PaymentDetails> {
    let kid = text(input, metadata::KID, Code::InvalidKid, f);
    let bban = text(input, metadata::BBAN, Code::InvalidAccountNumber, f);
    let iban = text(input, metadata::IBAN, Code::InvalidIban, f);
    let swift = text(input, metadata::SWIFT, Code::InvalidBic, f);

    if kid.is_none() {
        f.error(
            Code::MissingPaymentDetails,
            meta_path(metadata::KID),
            "the transaction has no kravia:payment_details:kid (Kravia adds the payment details at capture)",
        );
    }
    if bban.is_none() && iban.is_none() {
        f.error(
            Code::MissingPaymentDetails,
            meta_path(metadata::BBAN),
            "the transaction has neither a BBAN nor an IBAN in kravia:payment_details:bank_account",
        );
    }

    let reference = match (kid.as_deref(), currency) {
        (Some(k), Some(c)) => match Reference::parse(c, k) {
            Ok(r) => Some(r),
            Err(e) => {
                f.error(Code::InvalidKid, meta_path(metadata::KID), e.to_string());
                None
            }
        },
        _ => None,
    };
    let iban = match iban.as_deref().map(Iban::parse) {
        Some(Ok(i)) => Some(i),
        Some(Err(e)) => {
            f.error(Code::InvalidIban, meta_path(metadata::IBAN), e.to_string());
            None
        }
        None => None,
    };
    let account = match bban.as_deref() {
        None => None,
        Some(b) => match account_country(iban.as_ref(), currency) {
            Some(Country::No) => match NoAccount::parse(b) {
                Ok(a) => Some(Account::No(a)),
                Err(e) => {
                    f.error(
                        Code::InvalidAccountNumber,
                        meta_path(metadata::BBAN),
                        e.to_string(),
                    );
                    None
                }
            },
            _ => Some(Account::Other(b.to_string())),
        },
    };
    if let (Some(i), Some(b)) = (&iban, bban.as_deref())
        && !i.carries_bban(b)
    {
        f.error(
            Code::IbanAccountMismatch,
            meta_path(metadata::IBAN),
            format!(
                "IBAN {} carries account {}, the BBAN is {b}",
                i.electronic(),
                i.bban()
            ),
        );
    }
    let bic = match swift.as_deref().map(Bic::parse) {
        Some(Ok(b)) => Some(b),
        Some(Err(e)) => {
            f.error(Code::InvalidBic, meta_path(metadata::SWIFT), e.to_string());
            None
        }
        None => None,
    };
    let payee_name = input
        .brand
        .and_then(|b| super::present(b.invoice.payee_name.as_deref()))
        .unwrap_or("Kravia")
        .to_string();
    Some(PaymentDetails {
        reference: reference?,
        account,
        iban,
        bic,
        payee_name,
    })
}
