//! The dependency graph between top-level modules ("units"), with a witness
//! (file, line, path as written) for every edge.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::paths::{Occurrence, collect};
use super::tree::{Res, Tree, load};

// An intra-doc link is a name too: rustdoc resolves it, and it breaks when
// the item moves, so a link to a higher floor is reported like code is
// (marked "doc link" in the message).

/// One place where a unit names another.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    /// File of the naming code (`src/brand.rs`).
    pub file: String,
    /// Its line.
    pub line: usize,
    /// The naming unit (`brand`).
    pub from: String,
    /// The named unit (`layout`).
    pub to: String,
    /// The path as written (`crate::layout::document::Raster`).
    pub text: String,
    /// What it resolves to, spelled from the crate root, when that is not
    /// plain from `text` (a re-export, a relative path): `brand::Brand`.
    pub resolved: Option<String>,
    /// The path is an intra-doc link (`[`crate::template::Labels`]`), not code.
    pub doc: bool,
}

/// A path to something outside the crate (`std::fs::read`) or a macro.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ExternalUse {
    /// File of the naming code.
    pub file: String,
    /// Its line.
    pub line: usize,
    /// The naming unit.
    pub unit: String,
    /// The path, imports expanded (`std::fs::read` for `fs::read` after
    /// `use std::fs;`); a macro as `name!`.
    pub path: String,
}

/// Everything the checks look at.
#[derive(Debug, Default)]
pub struct Analysis {
    /// Structural problems found while loading (see [`Tree::problems`]).
    pub problems: Vec<String>,
    /// Every unit with production code → the file of its top module.
    pub units: BTreeMap<String, String>,
    /// Every place a unit names another, sorted by file and line.
    pub edges: Vec<Edge>,
    /// Every path leaving the crate.
    pub externals: Vec<ExternalUse>,
    /// Paths into a crate module that the scan could not follow to an item
    /// (made by a macro, say); charged to the deepest module reached. For
    /// looking at, not checked.
    pub partial: Vec<String>,
}

/// Reads every `.rs` file under `dir` (the package root) `/src` and
/// `/tests/support` into `src/…` → text.
pub fn read_sources(package: &Path) -> BTreeMap<String, String> {
    fn walk(dir: &Path, rel: &str, out: &mut BTreeMap<String, String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            let rel = format!("{rel}/{name}");
            if p.is_dir() {
                walk(&p, &rel, out);
            } else if name.ends_with(".rs") {
                let text = std::fs::read_to_string(&p)
                    .unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()));
                out.insert(rel, text);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(&package.join("src"), "src", &mut out);
    // The test support that src/lib.rs includes with #[path].
    walk(&package.join("tests/support"), "tests/support", &mut out);
    out
}

/// Parses and resolves `sources` (`src/…` → text) into the unit graph.
pub fn analyze(sources: &BTreeMap<String, String>) -> Analysis {
    let loaded = load(sources);
    let tree = &loaded.tree;
    let mut a = Analysis {
        problems: tree.problems.clone(),
        ..Analysis::default()
    };
    for (id, m) in tree.modules.iter().enumerate() {
        if let Some(u) = tree.unit(id) {
            a.units
                .entry(u.to_string())
                .or_insert_with(|| m.file.clone());
        }
    }
    for body in &loaded.bodies {
        // The library root only declares modules and re-exports; its `pub
        // use`s are followed by resolution, and any other item is a problem
        // reported by loading.
        if Some(body.module) == tree.lib_root {
            continue;
        }
        for occ in collect(tree, body) {
            add(tree, &occ, &mut a);
        }
    }
    a.edges.sort();
    a.edges.dedup();
    a.externals.sort();
    a.externals.dedup();
    a
}

/// Adds the edges (and external uses) of one occurrence.
fn add(tree: &Tree, occ: &Occurrence, a: &mut Analysis) {
    let Some(from) = tree.unit(occ.module) else {
        return;
    };
    let file = &tree.modules[occ.module].file;
    let covered: BTreeSet<&str> = occ
        .cover
        .iter()
        .flatten()
        .filter_map(|m| tree.unit(*m))
        .collect();
    let res = &occ.resolution.res;
    let resolved = tree.display_res(res);
    let plain = occ
        .text
        .trim_start_matches("crate::")
        .trim_start_matches("kravia_invoice::");
    let resolved = (!plain.starts_with(&resolved)).then_some(resolved);
    let mut seen = BTreeSet::new();
    for m in &occ.resolution.trail {
        let Some(to) = tree.unit(*m) else { continue };
        if to == from || covered.contains(to) || !seen.insert(to) {
            continue;
        }
        a.edges.push(Edge {
            file: file.clone(),
            line: occ.line,
            from: from.to_string(),
            to: to.to_string(),
            text: occ.text.clone(),
            resolved: resolved.clone(),
            doc: occ.doc,
        });
    }
    match res {
        Res::External(p) if occ.cover.is_none() && (p.len() >= 2 || occ.is_macro) => {
            let mut path = p.join("::");
            if occ.is_macro {
                path.push('!');
            }
            a.externals.push(ExternalUse {
                file: file.clone(),
                line: occ.line,
                unit: from.to_string(),
                path,
            });
        }
        Res::Partial(..) => a.partial.push(format!(
            "{file}:{}: {} (stops at {})",
            occ.line,
            occ.text,
            resolved.as_deref().unwrap_or(&occ.text)
        )),
        _ => {}
    }
}
