//! Invoice and due dates: read from the newest successful event that carries
//! each, derived only where missing.

use chrono::{DateTime, Datelike, Days, NaiveDate};

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
const DEFAULT_DAYS_UNTIL_DUE: u64 = 14;
/// The longest payment term: a due date at most this many days after the
/// invoice date, and `days_until_due` from 0 to this.
const MAX_DAYS_UNTIL_DUE: u64 = 365;
/// The years an invoice date may fall in.
const ISSUE_YEARS: std::ops::RangeInclusive<i32> = 2000..=2099;

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
    if !ISSUE_YEARS.contains(&issue.year()) {
        f.error(
            Code::InvalidDates,
            issue_path.clone(),
            format!(
                "invoice date {issue} is not plausible: it must lie in the years {} to {}",
                ISSUE_YEARS.start(),
                ISSUE_YEARS.end()
            ),
        );
        return None;
    }
    let (due_path, due) = match due {
        Some(v) => v,
        None => {
            let (days, source) = days_until_due(input, kind, f)?;
            let d = issue.checked_add_days(Days::new(days))?;
            derived.push(format!("due date {d} = invoice date + {source}"));
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
    } else if (due - issue).num_days() > MAX_DAYS_UNTIL_DUE as i64 {
        f.error(
            Code::InvalidDates,
            due_path,
            format!(
                "due date {due} is {} days after the invoice date {issue} ({issue_path}), more than {MAX_DAYS_UNTIL_DUE}",
                (due - issue).num_days()
            ),
        );
    }
    Some(Dates {
        issue,
        due,
        derived: !derived.is_empty(),
        case_number,
    })
}

/// The payment term for a derived due date: the session's
/// `configuration.kravia.<product>.days_until_due` (a whole number from 0 to
/// 365), else the default; with what it came from, in words. `None` (with an
/// error) when the configured value is unusable.
fn days_until_due(
    input: &Input<'_>,
    kind: Option<CustomerKind>,
    f: &mut Findings,
) -> Option<(u64, String)> {
    let product = match kind {
        Some(CustomerKind::Business) => "invoice_b2b",
        _ => "invoice_b2c",
    };
    let path = format!("{}.configuration.kravia.{product}.days_until_due", input.sp);
    let value = input
        .session
        .configuration
        .as_ref()
        .and_then(|c| c.days_until_due_value(product));
    let Some(value) = value else {
        return Some((
            DEFAULT_DAYS_UNTIL_DUE,
            format!(
                "the default of {DEFAULT_DAYS_UNTIL_DUE} days (the session sets no days_until_due for {product})"
            ),
        ));
    };
    let days = value
        .as_u64()
        .or_else(|| value.as_str().and_then(|s| s.trim().parse::<u64>().ok()))
        .filter(|d| *d <= MAX_DAYS_UNTIL_DUE);
    match days {
        Some(d) => Some((d, format!("{d} days ({path})"))),
        None => {
            f.error(
                Code::InvalidDates,
                path,
                format!(
                    "days_until_due {value} is not a whole number of days from 0 to {MAX_DAYS_UNTIL_DUE}"
                ),
            );
            None
        }
    }
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
