//! The crate's module tree, built the way rustc builds it, and name resolution
//! over it.
//!
//! Loading starts at `src/lib.rs` (the library) and `src/main.rs` (the binary)
//! and follows every `mod` declaration: inline `mod x { … }`, `mod x;` as
//! `x.rs` or `x/mod.rs` next to (or, for a non-`mod.rs` file, under) the
//! declaring file, and `#[path = "…"]`. Items under a test-only `cfg`
//! (`#[cfg(test)]`, `#[cfg(all(test, …))]`) and `#[test]` functions are not
//! part of the production crate: they are skipped wherever they appear, and the
//! files they declare are remembered as test-only.
//!
//! Each module keeps the names it defines, the names its `use` items bind
//! (grouped, nested, renamed, `self`) and its glob imports. [`Tree::resolve`]
//! walks a path through them like the compiler does, following re-export
//! chains (`pub use`, globs) until the item's defining module, and reports
//! every module it passed on the way.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use syn::{Attribute, Item, ItemMod, UseTree};

/// Index of a module in [`Tree::modules`].
pub type ModId = usize;

/// Which of the package's two crates a module belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Krate {
    /// `src/lib.rs`, the `kravia_invoice` library.
    Lib,
    /// `src/main.rs`, the command-line binary.
    Bin,
}

/// What a name defined in a module is.
#[derive(Clone, Copy, Debug)]
enum Def {
    /// A child module.
    Module(ModId),
    /// Any other item (type, function, constant, macro …), written in the
    /// given module (a `#[macro_export]` macro is defined at the crate root
    /// but written elsewhere).
    Item(ModId),
}

/// One module of the crate.
#[derive(Debug)]
pub struct Module {
    /// The crate it belongs to.
    pub krate: Krate,
    /// Its path from the crate root (`[]` for the root itself).
    pub path: Vec<String>,
    /// The enclosing module, `None` for a crate root.
    pub parent: Option<ModId>,
    /// The file its items are written in (`src/…`).
    pub file: String,
    defs: HashMap<String, Vec<Def>>,
    imports: HashMap<String, Vec<Vec<String>>>,
    globs: Vec<Vec<String>>,
}

/// What a path names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Res {
    /// A module of the crate.
    Module(ModId),
    /// An item (named by the second field) defined in a module of the crate;
    /// anything after it in the path is an associated item or variant.
    Item(ModId, String),
    /// A path through a crate module that then names something the scan does
    /// not know (an item made by a macro, for example): charged to the deepest
    /// module reached.
    Partial(ModId, Vec<String>),
    /// Outside the crate (`std`, a dependency), spelled out in full, or a name
    /// that is not an item at all (a local variable, a generic parameter).
    External(Vec<String>),
    /// A path that cannot be followed (`Self::…`, `super` above the root, a
    /// re-export loop).
    Unknown,
}

/// A resolved path: what it names and every crate module it passed through,
/// re-export hops included, in order.
#[derive(Clone, Debug)]
pub struct Resolution {
    /// What the path names.
    pub res: Res,
    /// The modules passed through (the root and the final module included).
    pub trail: Vec<ModId>,
}

/// The production module tree of the package, with what loading found wrong.
#[derive(Debug, Default)]
pub struct Tree {
    /// Every production module; roots first.
    pub modules: Vec<Module>,
    /// The library root (`src/lib.rs`), if there is one.
    pub lib_root: Option<ModId>,
    /// Structural problems: unparsable files, `mod x;` without a file, files
    /// no `mod` reaches, items defined at the library root.
    pub problems: Vec<String>,
}

/// The production code of one module that [`super::paths`] visits.
pub struct Body {
    /// The module.
    pub module: ModId,
    /// Its own attributes (`//!` docs and the `mod` item's attributes).
    pub attrs: Vec<Attribute>,
    /// Its production items in source order, child modules excluded (they
    /// are modules of their own).
    pub items: Vec<Item>,
}

/// The tree together with the production code of each module.
pub struct Loaded {
    /// The module tree.
    pub tree: Tree,
    /// One per module.
    pub bodies: Vec<Body>,
}

/// Resolution gives up after this many nested lookups (re-export loops).
const MAX_DEPTH: u32 = 48;

/// Is this item, field, arm … compiled only for tests?
pub fn test_only(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        let last = a.path().segments.last().map(|s| s.ident.to_string());
        match last.as_deref() {
            // `#[test]`, `#[tokio::test]`, `#[bench]`
            Some("test" | "bench") => true,
            Some("cfg") if a.path().is_ident("cfg") => {
                a.parse_args::<syn::Meta>().is_ok_and(|m| cfg_test_only(&m))
            }
            _ => false,
        }
    })
}

/// Does a `cfg` predicate hold only when compiling tests?
fn cfg_test_only(meta: &syn::Meta) -> bool {
    let nested = |list: &syn::MetaList| {
        list.parse_args_with(
            syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
        )
        .map(|p| p.into_iter().collect::<Vec<_>>())
        .unwrap_or_default()
    };
    match meta {
        syn::Meta::Path(p) => p.is_ident("test") || p.is_ident("doctest"),
        syn::Meta::List(l) if l.path.is_ident("all") => nested(l).iter().any(cfg_test_only),
        syn::Meta::List(l) if l.path.is_ident("any") => {
            let n = nested(l);
            !n.is_empty() && n.iter().all(cfg_test_only)
        }
        _ => false,
    }
}

/// One name bound (or glob imported) by a `use` item.
#[derive(Debug)]
pub struct UseLeaf {
    /// The full path, prefix of groups included (`""` first for a leading `::`).
    pub path: Vec<String>,
    /// The name it binds; `None` for a glob or `as _`.
    pub binding: Option<String>,
    /// `prefix::*`.
    pub glob: bool,
    /// Line of the leaf in its file.
    pub line: usize,
}

/// Flattens a `use` tree: `use crate::{a::{self, B as C}, d::*};` gives
/// `crate::a` (binds `a`), `crate::a::B` (binds `C`), `crate::d` (glob).
pub fn use_leaves(item: &syn::ItemUse) -> Vec<UseLeaf> {
    fn walk(tree: &UseTree, prefix: &mut Vec<String>, out: &mut Vec<UseLeaf>) {
        match tree {
            UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                walk(&p.tree, prefix, out);
                prefix.pop();
            }
            UseTree::Name(n) => {
                let line = n.ident.span().start().line;
                if n.ident == "self" {
                    out.push(UseLeaf {
                        path: prefix.clone(),
                        binding: prefix.last().cloned(),
                        glob: false,
                        line,
                    });
                } else {
                    let mut path = prefix.clone();
                    path.push(n.ident.to_string());
                    out.push(UseLeaf {
                        path,
                        binding: Some(n.ident.to_string()),
                        glob: false,
                        line,
                    });
                }
            }
            UseTree::Rename(r) => {
                let mut path = prefix.clone();
                if r.ident != "self" {
                    path.push(r.ident.to_string());
                }
                out.push(UseLeaf {
                    path,
                    binding: (r.rename != "_").then(|| r.rename.to_string()),
                    glob: false,
                    line: r.ident.span().start().line,
                });
            }
            UseTree::Glob(g) => out.push(UseLeaf {
                path: prefix.clone(),
                binding: None,
                glob: true,
                line: g.star_token.spans[0].start().line,
            }),
            UseTree::Group(g) => {
                for t in &g.items {
                    walk(t, prefix, out);
                }
            }
        }
    }
    let mut prefix = Vec::new();
    if item.leading_colon.is_some() {
        prefix.push(String::new());
    }
    let mut out = Vec::new();
    walk(&item.tree, &mut prefix, &mut out);
    out
}

/// The attributes of an item.
fn item_attrs(item: &Item) -> &[Attribute] {
    match item {
        Item::Const(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::ExternCrate(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::ForeignMod(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Macro(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::TraitAlias(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Union(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

/// Is this item compiled only for tests?
pub fn item_test_only(item: &Item) -> bool {
    test_only(item_attrs(item))
}

/// The names an item defines in its module's namespace.
fn item_names(item: &Item) -> Vec<String> {
    let one = |i: &syn::Ident| vec![i.to_string()];
    match item {
        Item::Const(i) if i.ident != "_" => one(&i.ident),
        Item::Enum(i) => one(&i.ident),
        Item::Fn(i) => one(&i.sig.ident),
        Item::Static(i) => one(&i.ident),
        Item::Struct(i) => one(&i.ident),
        Item::Trait(i) => one(&i.ident),
        Item::TraitAlias(i) => one(&i.ident),
        Item::Type(i) => one(&i.ident),
        Item::Union(i) => one(&i.ident),
        Item::Macro(i) => i.ident.iter().map(ToString::to_string).collect(),
        Item::ForeignMod(f) => f
            .items
            .iter()
            .filter_map(|i| match i {
                syn::ForeignItem::Fn(f) => Some(f.sig.ident.to_string()),
                syn::ForeignItem::Static(s) => Some(s.ident.to_string()),
                syn::ForeignItem::Type(t) => Some(t.ident.to_string()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The value of `#[path = "…"]`, if any.
fn path_attr(attrs: &[Attribute]) -> Option<String> {
    attrs.iter().find_map(|a| match &a.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}

/// `a/b` + `c` → `a/b/c`, with `.` and `..` folded.
fn join(dir: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for p in rel.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// The directory part of `src/a/b.rs`: `src/a`.
fn dir_of(file: &str) -> &str {
    file.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Where a file's `mod` declarations look for their files.
#[derive(Clone, Debug)]
struct Ctx {
    /// The file being read.
    file: String,
    /// Directory of `mod x;` → `x.rs` / `x/mod.rs`.
    child_dir: String,
    /// Directory that `#[path]` is relative to.
    path_dir: String,
}

impl Ctx {
    /// The context inside `mod name { … }`.
    fn inline(&self, name: &str) -> Ctx {
        let dir = join(&self.child_dir, name);
        Ctx {
            file: self.file.clone(),
            child_dir: dir.clone(),
            path_dir: dir,
        }
    }

    /// The context of a file; a `mod.rs`, crate root or `#[path]` file keeps
    /// its children beside it, `a/b.rs` keeps them in `a/b/`.
    fn file(file: &str, mod_rs: bool) -> Ctx {
        let dir = dir_of(file).to_string();
        let child_dir = if mod_rs {
            dir.clone()
        } else {
            join(
                &dir,
                file.rsplit('/')
                    .next()
                    .unwrap_or("")
                    .trim_end_matches(".rs"),
            )
        };
        Ctx {
            file: file.to_string(),
            child_dir,
            path_dir: dir,
        }
    }
}

/// Builds the [`Tree`] from the package's sources.
struct Loader<'a> {
    sources: &'a BTreeMap<String, String>,
    tree: Tree,
    bodies: Vec<Body>,
    production: BTreeSet<String>,
    test_files: BTreeSet<String>,
}

/// Loads the crates rooted at `src/lib.rs` and `src/main.rs` from `sources`
/// (path relative to the package, such as `src/brand.rs` → text).
pub fn load(sources: &BTreeMap<String, String>) -> Loaded {
    let mut l = Loader {
        sources,
        tree: Tree::default(),
        bodies: Vec::new(),
        production: BTreeSet::new(),
        test_files: BTreeSet::new(),
    };
    for (root, krate) in [("src/lib.rs", Krate::Lib), ("src/main.rs", Krate::Bin)] {
        if sources.contains_key(root) {
            let id = l.new_module(krate, Vec::new(), None, root);
            if krate == Krate::Lib {
                l.tree.lib_root = Some(id);
            }
            l.load_file(id, Vec::new(), &Ctx::file(root, true));
        }
    }
    for file in sources.keys() {
        if file.starts_with("src/")
            && file.ends_with(".rs")
            && !l.production.contains(file)
            && !l.test_files.contains(file)
        {
            l.tree.problems.push(format!(
                "{file}: no `mod` declaration from src/lib.rs or src/main.rs reaches this \
                 file: declare it or delete it"
            ));
        }
    }
    Loaded {
        tree: l.tree,
        bodies: l.bodies,
    }
}

impl Loader<'_> {
    fn new_module(
        &mut self,
        krate: Krate,
        path: Vec<String>,
        parent: Option<ModId>,
        file: &str,
    ) -> ModId {
        let id = self.tree.modules.len();
        self.tree.modules.push(Module {
            krate,
            path,
            parent,
            file: file.to_string(),
            defs: HashMap::new(),
            imports: HashMap::new(),
            globs: Vec::new(),
        });
        id
    }

    fn parse(&mut self, file: &str) -> Option<syn::File> {
        let text = self.sources.get(file)?;
        match syn::parse_file(text) {
            Ok(f) => Some(f),
            Err(e) => {
                let line = e.span().start().line;
                self.tree
                    .problems
                    .push(format!("{file}:{line}: cannot parse: {e}"));
                None
            }
        }
    }

    /// Loads the file of module `id`; `attrs` are those of its `mod` item.
    fn load_file(&mut self, id: ModId, mut attrs: Vec<Attribute>, ctx: &Ctx) {
        self.production.insert(ctx.file.clone());
        if let Some(f) = self.parse(&ctx.file) {
            attrs.extend(f.attrs);
            self.walk_items(id, attrs, f.items, ctx);
        }
    }

    /// The file of `mod name;` and whether it is a `mod.rs`-style file.
    fn mod_file(&self, m: &ItemMod, ctx: &Ctx) -> Result<(String, bool), String> {
        if let Some(p) = path_attr(&m.attrs) {
            let f = join(&ctx.path_dir, &p);
            return if self.sources.contains_key(&f) {
                Ok((f, true))
            } else {
                Err(f)
            };
        }
        let name = m.ident.to_string();
        let flat = join(&ctx.child_dir, &format!("{name}.rs"));
        let nested = join(&ctx.child_dir, &format!("{name}/mod.rs"));
        if self.sources.contains_key(&flat) {
            Ok((flat, false))
        } else if self.sources.contains_key(&nested) {
            Ok((nested, true))
        } else {
            Err(format!("{flat} or {nested}"))
        }
    }

    fn def(&mut self, id: ModId, name: String, def: Def) {
        self.tree.modules[id]
            .defs
            .entry(name)
            .or_default()
            .push(def);
    }

    fn walk_items(&mut self, id: ModId, attrs: Vec<Attribute>, items: Vec<Item>, ctx: &Ctx) {
        let mut body = Vec::new();
        let at_lib_root = Some(id) == self.tree.lib_root;
        for item in items {
            if item_test_only(&item) {
                if let Item::Mod(m) = &item {
                    self.find_test_files(m, ctx);
                }
                continue;
            }
            match item {
                Item::Mod(m) => self.child_module(id, &m, ctx),
                Item::Use(u) => {
                    for leaf in use_leaves(&u) {
                        let module = &mut self.tree.modules[id];
                        if leaf.glob {
                            module.globs.push(leaf.path);
                        } else if let Some(b) = leaf.binding {
                            module.imports.entry(b).or_default().push(leaf.path);
                        }
                    }
                    body.push(Item::Use(u));
                }
                Item::ExternCrate(e) => {
                    let name = e
                        .rename
                        .as_ref()
                        .map_or_else(|| e.ident.to_string(), |(_, r)| r.to_string());
                    let target = if e.ident == "self" {
                        vec!["crate".to_string()]
                    } else {
                        vec![String::new(), e.ident.to_string()]
                    };
                    self.tree.modules[id]
                        .imports
                        .entry(name)
                        .or_default()
                        .push(target);
                }
                other => {
                    for name in item_names(&other) {
                        self.def(id, name.clone(), Def::Item(id));
                        let exported = item_attrs(&other)
                            .iter()
                            .any(|a| a.path().is_ident("macro_export"));
                        let root = self.tree.root_of(id);
                        if exported && root != id {
                            self.def(root, name, Def::Item(id));
                        }
                    }
                    if at_lib_root {
                        let line = first_line(&other);
                        self.tree.problems.push(format!(
                            "{}:{line}: the crate root defines an item; src/lib.rs only \
                             declares modules and re-exports: move it into a module that \
                             has a floor",
                            ctx.file
                        ));
                    }
                    body.push(other);
                }
            }
        }
        self.bodies.push(Body {
            module: id,
            attrs,
            items: body,
        });
    }

    fn child_module(&mut self, parent: ModId, m: &ItemMod, ctx: &Ctx) {
        let name = m.ident.to_string();
        let mut path = self.tree.modules[parent].path.clone();
        path.push(name.clone());
        let krate = self.tree.modules[parent].krate;
        match &m.content {
            Some((_, items)) => {
                let id = self.new_module(krate, path, Some(parent), &ctx.file);
                self.def(parent, name.clone(), Def::Module(id));
                self.walk_items(id, m.attrs.clone(), items.clone(), &ctx.inline(&name));
            }
            None => match self.mod_file(m, ctx) {
                Ok((file, mod_rs)) => {
                    let id = self.new_module(krate, path, Some(parent), &file);
                    self.def(parent, name, Def::Module(id));
                    self.load_file(id, m.attrs.clone(), &Ctx::file(&file, mod_rs));
                }
                Err(wanted) => self.tree.problems.push(format!(
                    "{}:{}: `mod {name};` but there is no {wanted}",
                    ctx.file,
                    m.ident.span().start().line
                )),
            },
        }
    }

    /// Remembers the files a test-only module declares (and theirs), so that
    /// they are not reported as strays.
    fn find_test_files(&mut self, m: &ItemMod, ctx: &Ctx) {
        let name = m.ident.to_string();
        let (items, inner) = match &m.content {
            Some((_, items)) => (items.clone(), ctx.inline(&name)),
            None => {
                let Ok((file, mod_rs)) = self.mod_file(m, ctx) else {
                    return;
                };
                if !self.test_files.insert(file.clone()) {
                    return;
                }
                let Some(f) = self.parse(&file) else { return };
                (f.items, Ctx::file(&file, mod_rs))
            }
        };
        for item in items {
            if let Item::Mod(child) = item {
                self.find_test_files(&child, &inner);
            }
        }
    }
}

/// The line an item starts on (its first attribute or keyword).
fn first_line(item: &Item) -> usize {
    use syn::spanned::Spanned;
    item.span().start().line
}

impl Tree {
    /// The root of the crate `id` belongs to.
    pub fn root_of(&self, mut id: ModId) -> ModId {
        while let Some(p) = self.modules[id].parent {
            id = p;
        }
        id
    }

    /// The top-level module (the unit the floors are about) that `id` belongs
    /// to: `src/layout/**` → `layout`; the binary (`src/main.rs`, `src/cli/**`)
    /// → `cli`. `None` for the library root, which is not a module of its own.
    pub fn unit(&self, id: ModId) -> Option<&str> {
        let m = &self.modules[id];
        match (m.krate, m.path.first()) {
            (_, Some(first)) => Some(first),
            (Krate::Bin, None) => Some("cli"),
            (Krate::Lib, None) => None,
        }
    }

    /// `layout::document` (the binary's modules as `main::…`).
    pub fn display(&self, id: ModId) -> String {
        let m = &self.modules[id];
        match (m.krate, m.path.is_empty()) {
            (Krate::Lib, true) => "crate".to_string(),
            (Krate::Bin, true) => "main".to_string(),
            _ => m.path.join("::"),
        }
    }

    /// What `res` names, spelled from the crate root: `brand::Brand`.
    pub fn display_res(&self, res: &Res) -> String {
        match res {
            Res::Module(m) => self.display(*m),
            Res::Item(m, name) => join_path(self.display(*m), [name]),
            Res::Partial(m, rest) => join_path(self.display(*m), rest),
            Res::External(p) => p.join("::"),
            Res::Unknown => "?".to_string(),
        }
    }

    /// Is `name` bound in `module` by a `use` item or a glob import (rather
    /// than defined there)? Returns the modules those imports themselves
    /// pass through: a path that starts with such a name was already charged
    /// to them on the `use` line.
    pub fn import_cover(&self, module: ModId, name: &str) -> Option<Vec<ModId>> {
        let m = &self.modules[module];
        if m.defs.contains_key(name) {
            return None;
        }
        if m.imports.contains_key(name) {
            return Some(self.resolve(module, &[name.to_string()]).trail);
        }
        let via_glob = self.lookup(module, name, false, 0)?;
        let mut trail = via_glob.trail;
        for g in &m.globs {
            trail.extend(self.resolve(module, g).trail);
        }
        Some(trail)
    }

    /// Resolves `path` as written in module `from`.
    pub fn resolve(&self, from: ModId, path: &[String]) -> Resolution {
        self.resolve_at(from, path, 0)
    }

    fn resolve_at(&self, from: ModId, path: &[String], depth: u32) -> Resolution {
        let unknown = Resolution {
            res: Res::Unknown,
            trail: Vec::new(),
        };
        let Some(first) = path.first() else {
            return unknown;
        };
        if depth > MAX_DEPTH {
            return unknown;
        }
        let mut trail = Vec::new();
        let mut cur = match first.as_str() {
            "" => {
                return Resolution {
                    res: Res::External(path[1..].to_vec()),
                    trail,
                };
            }
            "crate" | "$crate" => self.root_of(from),
            "self" => from,
            "super" => match self.modules[from].parent {
                Some(p) => p,
                None => return unknown,
            },
            "Self" => return unknown,
            _ => match self.lookup(from, first, path.len() > 1, depth) {
                Some(found) => {
                    trail = found.trail;
                    match found.res {
                        Res::Module(m) => m,
                        other => return extend(other, trail, &path[1..]),
                    }
                }
                None if first == "kravia_invoice" && self.lib_root.is_some() => {
                    self.lib_root.unwrap_or(from)
                }
                None => {
                    return Resolution {
                        res: Res::External(path.to_vec()),
                        trail,
                    };
                }
            },
        };
        trail.push(cur);
        for (i, seg) in path.iter().enumerate().skip(1) {
            match seg.as_str() {
                "super" => match self.modules[cur].parent {
                    Some(p) => cur = p,
                    None => return unknown,
                },
                "self" => {}
                _ => match self.lookup(cur, seg, i + 1 < path.len(), depth) {
                    Some(found) => {
                        trail.extend(found.trail);
                        match found.res {
                            Res::Module(m) => cur = m,
                            other => return extend(other, trail, &path[i + 1..]),
                        }
                    }
                    None => {
                        return Resolution {
                            res: Res::Partial(cur, path[i..].to_vec()),
                            trail,
                        };
                    }
                },
            }
            trail.push(cur);
        }
        Resolution {
            res: Res::Module(cur),
            trail,
        }
    }

    /// Looks `name` up in module `m`: its own definitions, then its `use`
    /// bindings, then its glob imports. With `want_module` (more segments
    /// follow) a module wins over a same-named function or value.
    fn lookup(&self, m: ModId, name: &str, want_module: bool, depth: u32) -> Option<Resolution> {
        if depth > MAX_DEPTH {
            return None;
        }
        let module = &self.modules[m];
        let mut found: Vec<Resolution> = Vec::new();
        for def in module.defs.get(name).into_iter().flatten() {
            found.push(match *def {
                Def::Module(id) => Resolution {
                    res: Res::Module(id),
                    trail: vec![],
                },
                Def::Item(home) => Resolution {
                    res: Res::Item(home, name.to_string()),
                    trail: vec![home],
                },
            });
        }
        for path in module.imports.get(name).into_iter().flatten() {
            let r = self.resolve_at(m, path, depth + 1);
            if r.res != Res::Unknown {
                found.push(r);
            }
        }
        if let Some(pick) = pick(found, want_module) {
            return Some(pick);
        }
        for glob in &module.globs {
            let base = self.resolve_at(m, glob, depth + 1);
            if let Res::Module(g) = base.res
                && g != m
                && let Some(r) = self.lookup(g, name, want_module, depth + 1)
            {
                let mut trail = base.trail;
                trail.extend(r.trail);
                return Some(Resolution { res: r.res, trail });
            }
        }
        None
    }
}

/// The first candidate, or the first module among them when one is wanted.
fn pick(mut found: Vec<Resolution>, want_module: bool) -> Option<Resolution> {
    if want_module && let Some(i) = found.iter().position(|r| matches!(r.res, Res::Module(_))) {
        return Some(found.swap_remove(i));
    }
    found.into_iter().next()
}

/// `other` followed by the rest of the path: an external path grows, an item
/// keeps its name (the rest are associated items).
fn extend(res: Res, trail: Vec<ModId>, rest: &[String]) -> Resolution {
    let res = match res {
        Res::External(mut p) => {
            p.extend(rest.iter().cloned());
            Res::External(p)
        }
        Res::Partial(m, mut p) => {
            p.extend(rest.iter().cloned());
            Res::Partial(m, p)
        }
        other => other,
    };
    Resolution { res, trail }
}

/// `base::a::b`, or `a::b` when `base` is the crate root.
fn join_path<'a>(base: String, rest: impl IntoIterator<Item = &'a String>) -> String {
    let mut parts = if base == "crate" { vec![] } else { vec![base] };
    parts.extend(rest.into_iter().cloned());
    parts.join("::")
}
