//! "Did you mean …?": the known word closest to a mistyped one.

/// The candidate nearest to `word` by edit distance (insertions, deletions,
/// substitutions and swaps of neighbours, case-insensitive), when it is near
/// enough to be a typo: at most a third of the word's length, at least 1.
pub(crate) fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let word = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .iter()
        .map(|c| (distance(&word, &c.to_lowercase()), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Optimal string alignment distance (Damerau–Levenshtein without
/// repeated edits of one substring).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("organisation_number", "organization_number"), 1);
        assert_eq!(distance("adress_line", "address_line"), 1);
        assert_eq!(distance("clasic", "classic"), 1);
        assert_eq!(distance("ab", "ba"), 1);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("fancy", "classic"), 6);
    }

    #[test]
    fn closest_only_when_near() {
        let keys = ["name", "organization_number", "vat_registered", "email"];
        assert_eq!(
            closest("organisation_number", &keys),
            Some("organization_number")
        );
        assert_eq!(closest("Emial", &keys), Some("email"));
        assert_eq!(closest("phone_number", &keys), None);
        assert_eq!(closest("fancy", &["classic", "compact"]), None);
        assert_eq!(closest("compakt", &["classic", "compact"]), Some("compact"));
    }
}
