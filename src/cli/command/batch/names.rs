//! Output names: `<invoice_number>.pdf`, made safe, unique in input order.

use std::collections::{BTreeMap, HashMap};
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

/// What an input asks a name for.
pub(super) struct Claim {
    /// The safe file name stem.
    pub(super) stem: String,
    /// The invoice number.
    pub(super) number: String,
    /// The input (`in.ndjson:4`).
    pub(super) input: String,
}

/// The name given, and who already had the name wanted, if anyone.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Named {
    pub(super) file: String,
    pub(super) clash: Option<Clash>,
}

/// The earlier input that holds the file name an input wanted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Clash {
    /// The file name wanted (`A.pdf`).
    pub(super) wanted: String,
    /// The earlier input's invoice number.
    pub(super) number: String,
    /// The earlier input.
    pub(super) input: String,
}

#[derive(Default)]
pub(super) struct NamerState {
    /// The next input index to be named.
    pub(super) next: usize,
    /// Claims that arrived before their turn: index → claim.
    pub(super) waiting: BTreeMap<usize, Option<Claim>>,
    /// Names given but not yet collected by their worker.
    pub(super) given: HashMap<usize, Option<Named>>,
    /// Every file name used in this run → (invoice number, input).
    pub(super) used: HashMap<String, (String, String)>,
    /// Per stem, the next suffix to try.
    pub(super) suffix: HashMap<String, u32>,
}

impl NamerState {
    pub(super) fn name(&mut self, claim: Claim) -> Named {
        let Claim {
            stem,
            number,
            input,
        } = claim;
        let first = format!("{stem}.pdf");
        let Some((held_number, held_input)) = self.used.get(&first).cloned() else {
            self.used.insert(first.clone(), (number, input));
            return Named {
                file: first,
                clash: None,
            };
        };
        let n = self.suffix.entry(stem.clone()).or_insert(2);
        loop {
            let candidate = format!("{stem}-{n}.pdf");
            *n += 1;
            if !self.used.contains_key(&candidate) {
                self.used.insert(candidate.clone(), (number, input));
                return Named {
                    file: candidate,
                    clash: Some(Clash {
                        wanted: first,
                        number: held_number,
                        input: held_input,
                    }),
                };
            }
        }
    }
}

impl Namer {
    /// Records input `index`'s claim (`None`: it produces no file) and waits
    /// until every earlier input has been named; returns the name.
    pub(super) fn claim(&self, index: usize, claim: Option<Claim>) -> Option<Named> {
        let mut st = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        st.waiting.insert(index, claim);
        let mut advanced = false;
        loop {
            let next = st.next;
            let Some(claim) = st.waiting.remove(&next) else {
                break;
            };
            let named = claim.map(|c| st.name(c));
            st.given.insert(next, named);
            st.next += 1;
            advanced = true;
        }
        if advanced {
            self.ready.notify_all();
        }
        loop {
            if let Some(named) = st.given.remove(&index) {
                return named;
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

    fn claim(stem: &str, number: &str, input: &str) -> Option<Claim> {
        Some(Claim {
            stem: stem.into(),
            number: number.into(),
            input: input.into(),
        })
    }

    #[test]
    fn names_are_unique_in_input_order() {
        let namer = Namer::default();
        let file = |n: Option<Named>| n.map(|n| n.file);
        std::thread::scope(|s| {
            let h3 = s.spawn(|| namer.claim(3, claim("A-2", "A-2", "in:4")));
            let h2 = s.spawn(|| namer.claim(2, claim("A", "A", "in:3")));
            let h1 = s.spawn(|| namer.claim(1, None));
            let h0 = namer.claim(0, claim("A", "A", "in:1"));
            assert_eq!(
                h0,
                Some(Named {
                    file: "A.pdf".into(),
                    clash: None
                })
            );
            assert_eq!(file(h1.join().unwrap()), None);
            assert_eq!(
                h2.join().unwrap(),
                Some(Named {
                    file: "A-2.pdf".into(),
                    clash: Some(Clash {
                        wanted: "A.pdf".into(),
                        number: "A".into(),
                        input: "in:1".into()
                    })
                })
            );
            // Another number whose name the suffix above took.
            let h3 = h3.join().unwrap().unwrap();
            assert_eq!(h3.file, "A-2-2.pdf");
            assert_eq!(
                h3.clash,
                Some(Clash {
                    wanted: "A-2.pdf".into(),
                    number: "A".into(),
                    input: "in:3".into()
                })
            );
        });
    }
}
