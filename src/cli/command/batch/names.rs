//! Output names: `<invoice_number>.pdf`, made safe, unique in input order.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Condvar, Mutex, PoisonError};

/// Longest file name stem kept (bytes; the safe names are ASCII).
const MAX_STEM: usize = 200;

/// The file name stem for an invoice number: `[A-Za-z0-9._-]` kept, every
/// other character `_`; never empty.
pub(super) fn safe_stem(invoice_number: &str) -> String {
    let mut s: String = invoice_number
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    s.truncate(MAX_STEM);
    if s.is_empty() {
        s.push('_');
    }
    s
}

/// Hands out unique file names in input order, whatever order the workers
/// finish verifying in.
#[derive(Default)]
pub(super) struct Namer {
    pub(super) state: Mutex<NamerState>,
    pub(super) ready: Condvar,
}

#[derive(Default)]
pub(super) struct NamerState {
    /// The next input index to be named.
    pub(super) next: usize,
    /// Claims that arrived before their turn: index → stem.
    pub(super) waiting: BTreeMap<usize, Option<String>>,
    /// Names given but not yet collected by their worker.
    pub(super) given: HashMap<usize, Option<String>>,
    /// Every file name used in this run.
    pub(super) used: HashSet<String>,
    /// Per stem, the next suffix to try.
    pub(super) suffix: HashMap<String, u32>,
}

impl NamerState {
    pub(super) fn name(&mut self, stem: &str) -> String {
        let first = format!("{stem}.pdf");
        if self.used.insert(first.clone()) {
            return first;
        }
        let n = self.suffix.entry(stem.to_string()).or_insert(2);
        loop {
            let candidate = format!("{stem}-{n}.pdf");
            *n += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

impl Namer {
    /// Records input `index`'s stem (`None`: it produces no file) and waits
    /// until every earlier input has been named; returns the file name.
    pub(super) fn claim(&self, index: usize, stem: Option<String>) -> Option<String> {
        let mut st = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        st.waiting.insert(index, stem);
        let mut advanced = false;
        loop {
            let next = st.next;
            let Some(stem) = st.waiting.remove(&next) else {
                break;
            };
            let name = stem.map(|s| st.name(&s));
            st.given.insert(next, name);
            st.next += 1;
            advanced = true;
        }
        if advanced {
            self.ready.notify_all();
        }
        loop {
            if let Some(name) = st.given.remove(&index) {
                return name;
            }
            st = self.ready.wait(st).unwrap_or_else(PoisonError::into_inner);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_stems() {
        assert_eq!(safe_stem("KJ65C-190025"), "KJ65C-190025");
        assert_eq!(safe_stem("2026/05 #1"), "2026_05__1");
        assert_eq!(safe_stem("Åkle"), "_kle");
        assert_eq!(safe_stem(""), "_");
        assert_eq!(safe_stem("a.b_c-d"), "a.b_c-d");
    }

    #[test]
    fn names_are_unique_in_input_order() {
        let namer = Namer::default();
        std::thread::scope(|s| {
            let h3 = s.spawn(|| namer.claim(3, Some("A-2".into())));
            let h2 = s.spawn(|| namer.claim(2, Some("A".into())));
            let h1 = s.spawn(|| namer.claim(1, None));
            let h0 = namer.claim(0, Some("A".into()));
            assert_eq!(h0.as_deref(), Some("A.pdf"));
            assert_eq!(h1.join().ok().flatten(), None);
            assert_eq!(h2.join().ok().flatten().as_deref(), Some("A-2.pdf"));
            assert_eq!(h3.join().ok().flatten().as_deref(), Some("A-2-2.pdf"));
        });
    }
}
