//! The checks on the unit graph: every unit has a floor, no edge runs up,
//! within a floor only the declared order, no cycle, and the named bans.
//! Each returns one readable line per offence (empty when all is well).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::graph::{Analysis, Edge};

/// Where a unit stands: its floor and, within the floor, its tier (units of
/// one tier may not name each other; a unit may name lower tiers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Place {
    /// The floor, 0 at the bottom.
    pub floor: usize,
    /// The tier within the floor, 0 lowest.
    pub tier: usize,
}

/// The floor table, parsed.
#[derive(Debug)]
pub struct Floors {
    table: &'static [(&'static str, &'static str)],
    places: BTreeMap<&'static str, Place>,
}

impl Floors {
    /// Parses `(floor name, order)` rows, bottom floor first. `order` lists
    /// the floor's units lowest first: `a < b` lets `b` name `a`; `a, b`
    /// puts them side by side, naming neither.
    pub fn new(table: &'static [(&'static str, &'static str)]) -> Result<Floors, String> {
        let mut places = BTreeMap::new();
        for (floor, (name, order)) in table.iter().enumerate() {
            for (tier, group) in order.split('<').enumerate() {
                for unit in group.split(',').map(str::trim) {
                    if unit.is_empty() {
                        return Err(format!("floor {floor} ({name}): empty name in {order:?}"));
                    }
                    if places.insert(unit, Place { floor, tier }).is_some() {
                        return Err(format!("`{unit}` is in the floor table twice"));
                    }
                }
            }
        }
        Ok(Floors { table, places })
    }

    /// Where `unit` stands, if the table has it.
    pub fn place(&self, unit: &str) -> Option<Place> {
        self.places.get(unit).copied()
    }

    /// `layout (floor 4)`.
    fn describe(&self, unit: &str) -> String {
        match self.place(unit) {
            Some(p) => format!("{unit} (floor {})", p.floor),
            None => format!("{unit} (no floor)"),
        }
    }

    /// The order of a floor as written in the table.
    fn order(&self, floor: usize) -> &'static str {
        self.table.get(floor).map_or("", |(_, order)| order)
    }
}

/// `via crate::Brand (→ brand::Brand)`, `via doc link crate::x::Y`.
fn via(e: &Edge) -> String {
    let kind = if e.doc { "doc link " } else { "" };
    match &e.resolved {
        Some(r) => format!("via {kind}{} (→ {r})", e.text),
        None => format!("via {kind}{}", e.text),
    }
}

/// Units with production code that the floor table does not place.
pub fn unknown_units(a: &Analysis, floors: &Floors) -> Vec<String> {
    a.units
        .iter()
        .filter(|(unit, _)| floors.place(unit).is_none())
        .map(|(unit, file)| {
            format!(
                "{file}: module `{unit}` has no floor: add it to FLOORS at the top of \
                 tests/it/architecture/mod.rs, on the floor of the lowest module that \
                 names it and above every module it names"
            )
        })
        .collect()
}

/// Edges from a lower floor to a higher one.
pub fn upward(a: &Analysis, floors: &Floors) -> Vec<String> {
    a.edges
        .iter()
        .filter(|e| match (floors.place(&e.from), floors.place(&e.to)) {
            (Some(f), Some(t)) => t.floor > f.floor,
            _ => false,
        })
        .map(|e| {
            format!(
                "{}:{}: {} names {} {}",
                e.file,
                e.line,
                floors.describe(&e.from),
                floors.describe(&e.to),
                via(e)
            )
        })
        .collect()
}

/// Edges within a floor that its order does not allow (to the same or a
/// higher tier).
pub fn sideways(a: &Analysis, floors: &Floors) -> Vec<String> {
    a.edges
        .iter()
        .filter_map(|e| {
            let (f, t) = (floors.place(&e.from)?, floors.place(&e.to)?);
            (f.floor == t.floor && t.tier >= f.tier).then(|| {
                format!(
                    "{}:{}: {} names {}, which floor {}'s order \"{}\" does not put below \
                     it, {}",
                    e.file,
                    e.line,
                    floors.describe(&e.from),
                    floors.describe(&e.to),
                    f.floor,
                    floors.order(f.floor),
                    via(e)
                )
            })
        })
        .collect()
}

/// Every cycle in the unit graph, one entry per knot (strongly connected
/// set of modules): its members, then the shortest circle through each
/// member, each arrow with its first witness.
pub fn cycles(a: &Analysis) -> Vec<String> {
    let mut next: BTreeMap<&str, BTreeMap<&str, Vec<&Edge>>> = BTreeMap::new();
    for e in &a.edges {
        next.entry(&e.from)
            .or_default()
            .entry(&e.to)
            .or_default()
            .push(e);
    }
    let successors = |n: &str| -> Vec<&str> {
        next.get(n)
            .map(|m| m.keys().copied().collect())
            .unwrap_or_default()
    };
    let nodes: BTreeSet<&str> = a
        .edges
        .iter()
        .flat_map(|e| [e.from.as_str(), e.to.as_str()])
        .collect();
    let reaches: BTreeMap<&str, BTreeSet<&str>> = nodes
        .iter()
        .map(|n| {
            let mut seen = BTreeSet::new();
            let mut queue = VecDeque::from([*n]);
            while let Some(x) = queue.pop_front() {
                for y in successors(x) {
                    if seen.insert(y) {
                        queue.push_back(y);
                    }
                }
            }
            (*n, seen)
        })
        .collect();
    let mut done = BTreeSet::new();
    let mut out = Vec::new();
    for n in &nodes {
        if done.contains(n) || !reaches[n].contains(n) {
            continue;
        }
        // The knot of `n`: the nodes it reaches that reach it back.
        let knot: BTreeSet<&str> = reaches[n]
            .iter()
            .filter(|m| reaches[*m].contains(n))
            .copied()
            .collect();
        done.extend(knot.iter().copied());
        let mut circles: Vec<Vec<&str>> = Vec::new();
        for start in &knot {
            let circle = shortest_circle(start, &knot, &successors);
            // The same circle seen from another member: rotate to compare.
            let low = (0..circle.len() - 1)
                .min_by_key(|i| circle[*i])
                .unwrap_or(0);
            let mut rotated: Vec<&str> = circle[low..circle.len() - 1].to_vec();
            rotated.extend_from_slice(&circle[..=low]);
            if !circles.contains(&rotated) {
                circles.push(rotated);
            }
        }
        let describe = |circle: &[&str], indent: &str| {
            let mut text = format!("{indent}cycle: {}", circle.join(" → "));
            for pair in circle.windows(2) {
                let witnesses = &next[pair[0]][pair[1]];
                // Code before doc links: the first witness is the one to fix.
                let Some(first) = witnesses.iter().min_by_key(|e| e.doc) else {
                    continue;
                };
                text.push_str(&format!(
                    "\n{indent}    {} → {}: {}:{} {}",
                    pair[0],
                    pair[1],
                    first.file,
                    first.line,
                    via(first)
                ));
                if witnesses.len() > 1 {
                    text.push_str(&format!(" (and {} more)", witnesses.len() - 1));
                }
            }
            text
        };
        if let [only] = circles.as_slice()
            && only.len() == knot.len() + 1
        {
            out.push(describe(only, ""));
        } else {
            let members: Vec<&str> = knot.iter().copied().collect();
            let mut text = format!(
                "knot of {} modules that all reach each other: {}; the shortest circle \
                 through each:",
                knot.len(),
                members.join(", ")
            );
            for circle in &circles {
                text.push('\n');
                text.push_str(&describe(circle, "  "));
            }
            out.push(text);
        }
    }
    out
}

/// The shortest circle from `start` back to itself inside `knot`:
/// `[start, …, start]`.
fn shortest_circle<'a>(
    start: &'a str,
    knot: &BTreeSet<&'a str>,
    successors: &dyn Fn(&str) -> Vec<&'a str>,
) -> Vec<&'a str> {
    let mut prev: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = VecDeque::from([start]);
    'bfs: while let Some(x) = queue.pop_front() {
        for y in successors(x) {
            if !knot.contains(y) || prev.contains_key(y) {
                continue;
            }
            prev.insert(y, x);
            if y == start {
                break 'bfs;
            }
            queue.push_back(y);
        }
    }
    let mut circle = vec![start];
    let mut at = start;
    while let Some(p) = prev.get(at) {
        circle.push(p);
        at = p;
        if at == start {
            break;
        }
    }
    circle.reverse();
    circle
}

/// Edges from `from` to a unit that `allowed` does not accept.
pub fn names_only(a: &Analysis, from: &str, allowed: &dyn Fn(&str) -> bool) -> Vec<String> {
    a.edges
        .iter()
        .filter(|e| e.from == from && !allowed(&e.to))
        .map(|e| format!("{}:{}: {from} names {} {}", e.file, e.line, e.to, via(e)))
        .collect()
}

/// External paths (`std::fs::read`) or macros (`println!`) named by `unit`
/// that start with one of `banned` (segments: `std::io::Read` bans `std::io::Read`
/// and `std::io::Read::read`, not `std::io::ReadBuf`).
pub fn external_bans(a: &Analysis, unit: &str, banned: &[&str]) -> Vec<String> {
    a.externals
        .iter()
        .filter(|x| x.unit == unit)
        .filter_map(|x| {
            let hit = banned.iter().find(|b| {
                x.path == **b
                    || x.path
                        .strip_prefix(**b)
                        .is_some_and(|rest| rest.starts_with("::"))
            })?;
            Some(format!(
                "{}:{}: {unit} names {} (banned: {hit})",
                x.file, x.line, x.path
            ))
        })
        .collect()
}
