//! `batch --credit-notes`: a voided input gets a credit note instead of an
//! invoice, numbered `--credit-number-prefix` and a counter over the voided
//! inputs in input order (from `--credit-number-start`).
//!
//! The [`Counter`] hands out the numbers in input order whatever order the
//! workers parse in: every input claims exactly once (voided or not, also when
//! it could not be read) right after parsing, and waits only for the inputs
//! before it. A voided input whose credit note then fails keeps its number
//! (the summary reports it), so a rerun of the same input gives every credit
//! note the same number.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Condvar, Mutex, PoisonError};

use kravia_invoice::dintero::{Envelope, Session, Transaction};
use kravia_invoice::render::{RenderError, Renderer};
use kravia_invoice::verify::credit::is_voided;
use kravia_invoice::verify::{VerifiedCreditNote, VerifiedInvoice};

/// The credit-note settings of a run.
pub(super) struct Credits {
    prefix: String,
    counter: Counter,
}

impl Credits {
    /// `None` without `--credit-notes`.
    pub(super) fn new(enabled: bool, prefix: Option<&str>, start: u64) -> Option<Credits> {
        enabled.then(|| Credits {
            prefix: prefix.unwrap_or_default().to_string(),
            counter: Counter::new(start),
        })
    }

    /// Claims input `index`'s place in the series: its credit note's number
    /// when `transaction` was voided (`None`: it could not be read, or it gets
    /// an invoice).
    pub(super) fn number(&self, index: usize, transaction: Option<&Transaction>) -> Option<String> {
        let voided = transaction.is_some_and(is_voided);
        self.counter
            .claim(index, voided)
            .map(|n| format!("{}{n}", self.prefix))
    }
}

/// What an input becomes once verified.
pub(super) enum Verified {
    Invoice(Box<VerifiedInvoice>),
    Credit(Box<VerifiedCreditNote>),
}

impl Verified {
    /// Verifies the documents as an invoice, or as the credit note numbered
    /// `credit_number`.
    pub(super) fn verify(
        renderer: &Renderer,
        transaction: Transaction,
        session: Option<Session>,
        credit_number: Option<&str>,
    ) -> Result<Verified, kravia_invoice::Report> {
        let documents = Envelope {
            transaction,
            session,
        };
        Ok(match credit_number {
            Some(n) => Verified::Credit(Box::new(renderer.verify_credit(&documents, n)?)),
            None => Verified::Invoice(Box::new(renderer.verify(&documents)?)),
        })
    }

    /// The number the file is named after.
    pub(super) fn number(&self) -> &str {
        match self {
            Verified::Invoice(i) => &i.invoice_number,
            Verified::Credit(c) => &c.credit_number,
        }
    }

    /// The credit note's number, for the summary.
    pub(super) fn credit_number(&self) -> Option<String> {
        match self {
            Verified::Invoice(_) => None,
            Verified::Credit(c) => Some(c.credit_number.clone()),
        }
    }

    /// `invoice KJ65C-190025`, `credit note KN-1`.
    pub(super) fn what(&self) -> String {
        match self {
            Verified::Invoice(i) => format!("invoice {}", i.invoice_number),
            Verified::Credit(c) => format!("credit note {}", c.credit_number),
        }
    }

    pub(super) fn render(&self, renderer: &Renderer) -> Result<Vec<u8>, RenderError> {
        match self {
            Verified::Invoice(i) => renderer.render_hybrid(i),
            Verified::Credit(c) => renderer.render_credit(c),
        }
    }
}

/// Numbers in input order over the inputs that ask for one.
pub(super) struct Counter {
    state: Mutex<CounterState>,
    ready: Condvar,
}

struct CounterState {
    /// The next input index to be counted.
    next: usize,
    /// The next number to give.
    number: u64,
    /// Claims that arrived before their turn: index → wants a number.
    waiting: BTreeMap<usize, bool>,
    /// Numbers given but not yet collected by their worker.
    given: HashMap<usize, Option<u64>>,
}

impl Counter {
    pub(super) fn new(start: u64) -> Counter {
        Counter {
            state: Mutex::new(CounterState {
                next: 0,
                number: start,
                waiting: BTreeMap::new(),
                given: HashMap::new(),
            }),
            ready: Condvar::new(),
        }
    }

    /// Records whether input `index` takes a number and waits until every
    /// earlier input has claimed; returns its number.
    pub(super) fn claim(&self, index: usize, wants: bool) -> Option<u64> {
        let mut st = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        st.waiting.insert(index, wants);
        let mut advanced = false;
        loop {
            let next = st.next;
            let Some(wants) = st.waiting.remove(&next) else {
                break;
            };
            let n = wants.then_some(st.number);
            if wants {
                st.number = st.number.saturating_add(1);
            }
            st.given.insert(next, n);
            st.next += 1;
            advanced = true;
        }
        if advanced {
            self.ready.notify_all();
        }
        loop {
            if let Some(n) = st.given.remove(&index) {
                return n;
            }
            st = self.ready.wait(st).unwrap_or_else(PoisonError::into_inner);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_input_order_whatever_order_claims_arrive_in() {
        let counter = Counter::new(7);
        std::thread::scope(|s| {
            let h3 = s.spawn(|| counter.claim(3, true));
            let h2 = s.spawn(|| counter.claim(2, false));
            let h1 = s.spawn(|| counter.claim(1, true));
            let h0 = counter.claim(0, true);
            assert_eq!(h0, Some(7));
            assert_eq!(h1.join().ok().flatten(), Some(8));
            assert_eq!(h2.join().ok().flatten(), None);
            assert_eq!(h3.join().ok().flatten(), Some(9));
        });
    }

    #[test]
    fn only_voided_transactions_are_counted() {
        let credits = Credits::new(true, Some("KN-"), 1).unwrap();
        let tx = |status: &str| {
            Transaction::from_json(&format!(r#"{{"id": "T", "status": "{status}"}}"#)).unwrap()
        };
        assert_eq!(
            credits
                .number(0, Some(&tx("AUTHORIZATION_VOIDED")))
                .as_deref(),
            Some("KN-1")
        );
        assert_eq!(credits.number(1, Some(&tx("AUTHORIZED"))), None);
        assert_eq!(credits.number(2, None), None);
        assert_eq!(
            credits
                .number(3, Some(&tx("AUTHORIZATION_VOIDED")))
                .as_deref(),
            Some("KN-2")
        );
        assert!(Credits::new(false, Some("KN-"), 1).is_none());
    }
}
