//! Invoice and due dates: read from the newest successful event that carries
//! each, derived only where missing.

use chrono::{DateTime, Days, NaiveDate};

use crate::country::Country;
use crate::dintero::metadata::{self, Metadata};

use super::capture::created;
use super::{Code, CustomerKind, Findings, Input};

/// The verified dates.
pub(super) struct Dates {
    pub(super) issue: NaiveDate,
    pub(super) due: NaiveDate,
    pub(super) derived: bool,
    pub(super) case_number: Option<String>,
}

/// The default payment term when the session does not say.
const DEFAULT_DAYS_UNTIL_DUE: i64 = 14;

/// The newest successful event (by `created_at`, then position) whose metadata
/// has `key`: its index and value.
fn newest(input: &Input<'_>, key: &str) -> Option<(usize, String)> {
    input
        .tx
        .events
        .iter()
        .enumerate()
        .filter(|(_, e)| e.success != Some(false))
        .filter_map(|(i, e)| Some((i, e.metadata.text(key).ok()??, created(e))))
        .max_by(|a, b| a.2.cmp(&b.2).then(a.0.cmp(&b.0)))
        .map(|(i, v, _)| (i, v))
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .or_else(|| DateTime::parse_from_rfc3339(s).ok().map(|d| d.date_naive()))
}

pub(super) fn dates(
    input: &Input<'_>,
    collection: Option<usize>,
    kind: Option<CustomerKind>,
    seller_country: Country,
    f: &mut Findings,
) -> Option<Dates> {
    let read = |key: &str, f: &mut Findings| -> Result<Option<(String, NaiveDate)>, ()> {
        let Some((i, v)) = newest(input, key) else {
            return Ok(None);
        };
        let path = Metadata::path(&format!("transaction.events[{i}].metadata"), key);
        match parse_date(&v) {
            Some(d) => Ok(Some((path, d))),
            None => {
                f.error(
                    Code::InvalidDates,
                    path,
                    format!("{v:?} is not a date of the form 2026-05-18"),
                );
                Err(())
            }
        }
    };
    let issue = read(metadata::INVOICE_DATE, f);
    let due = read(metadata::INVOICE_DUE_DATE, f);
    let case_number = newest(input, metadata::CASE_NUMBER).map(|(_, v)| v);
    let (Ok(issue), Ok(due)) = (issue, due) else {
        return None;
    };

    let mut derived = Vec::new();
    let (issue_path, issue) = match issue {
        Some(v) => v,
        None => {
            let Some((d, source)) = derive_issue(input, collection, seller_country) else {
                f.error(
                    Code::InvalidDates,
                    "transaction.events",
                    "no event carries kravia:invoice_date, and there is no capture event or created_at to derive it from",
                );
                return None;
            };
            derived.push(format!("invoice date {d} from {source}"));
            ("transaction.events".to_string(), d)
        }
    };
    let (due_path, due) = match due {
        Some(v) => v,
        None => {
            let product = match kind {
                Some(CustomerKind::Business) => "invoice_b2b",
                _ => "invoice_b2c",
            };
            let days = input
                .session
                .configuration
                .as_ref()
                .and_then(|c| c.days_until_due(product))
                .filter(|d| (0..=3650).contains(d))
                .unwrap_or(DEFAULT_DAYS_UNTIL_DUE);
            let d = issue.checked_add_days(Days::new(days.unsigned_abs()))?;
            derived.push(format!(
                "due date {d} = invoice date + {days} days (configuration.kravia.{product}.days_until_due)"
            ));
            ("transaction.events".to_string(), d)
        }
    };
    if !derived.is_empty() {
        f.warn(
            Code::DatesDerived,
            "transaction.events",
            format!(
                "no event carries {}; derived {}",
                if derived.len() == 2 {
                    "kravia:invoice_date or kravia:invoice_due_date"
                } else if issue_path == "transaction.events" {
                    "kravia:invoice_date"
                } else {
                    "kravia:invoice_due_date"
                },
                derived.join(", ")
            ),
        );
    }
    if due < issue {
        f.error(
            Code::InvalidDates,
            due_path,
            format!("due date {due} is before the invoice date {issue} ({issue_path})"),
        );
    }
    Some(Dates {
        issue,
        due,
        derived: !derived.is_empty(),
        case_number,
    })
}

/// The invoice date from the collection event (else `created_at`), as a date in
/// the seller's time zone.
fn derive_issue(
    input: &Input<'_>,
    collection: Option<usize>,
    seller_country: Country,
) -> Option<(NaiveDate, &'static str)> {
    let tz = seller_country
        .time_zone()
        .unwrap_or(chrono_tz::Europe::Oslo);
    let events = &input.tx.events;
    let initiate = events
        .iter()
        .find(|e| e.is_successful("INITIATE_CAPTURE"))
        .and_then(created);
    let (when, source) = match initiate {
        Some(t) => (Some(t), "the INITIATE_CAPTURE event"),
        None => match collection.and_then(|i| events.get(i)).and_then(created) {
            Some(t) => (Some(t), "the first CAPTURE event"),
            None => (
                input
                    .tx
                    .created_at
                    .as_deref()
                    .and_then(|s| DateTime::parse_from_rfc3339(s.trim()).ok()),
                "transaction.created_at",
            ),
        },
    };
    when.map(|t| (t.with_timezone(&tz).date_naive(), source))
}
