//! Every path a module's production code writes, resolved.
//!
//! Visited: each leaf of every `use` tree; paths in expressions, types,
//! patterns, trait bounds and `impl` headers (`<T as a::Trait>::f` counts as
//! `a::Trait`); macro names; macro bodies, parsed as comma-separated
//! expressions where they are, otherwise scanned for `a::b` token runs
//! (`$crate::…` in `macro_rules!` included); paths in attributes (`serde`'s
//! `with = "…"` and friends, `clap`'s `value_parser = …`, `derive(…)`).
//! Intra-doc links that spell a crate path (`[`crate::template::Labels`]`)
//! count as well, marked as doc links. Not visited: anything under a
//! test-only `cfg` (items, impl and trait items, fields, variants, match arms,
//! `let`s), `pub(in …)` (it only ever names an ancestor), and doc tests.

use proc_macro2::{Spacing, TokenStream, TokenTree};
use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};
use syn::{Attribute, Expr, Item, Meta, Path, QSelf, Token};

use super::tree::{Body, ModId, Resolution, Tree, item_test_only, test_only, use_leaves};

/// One path written in a module, and what it names.
#[derive(Debug)]
pub struct Occurrence {
    /// The module it is written in.
    pub module: ModId,
    /// Its line in the module's file.
    pub line: usize,
    /// The path as written (`crate::layout::Rgb`, `super::x`, `crate::a::*`).
    pub text: String,
    /// What it names and the modules it passed through.
    pub resolution: Resolution,
    /// When the path starts with a name a `use` item (or glob) binds, the
    /// modules that `use` already passed through: they are reported on the
    /// `use` line, not again on every use of the name.
    pub cover: Option<Vec<ModId>>,
    /// A macro's name (`println!`).
    pub is_macro: bool,
    /// An intra-doc link in a doc comment.
    pub doc: bool,
}

/// The paths written in a module's production code.
pub fn collect(tree: &Tree, body: &Body) -> Vec<Occurrence> {
    let mut c = Collector {
        tree,
        module: body.module,
        out: Vec::new(),
        in_code_block: false,
        doc: false,
    };
    for a in &body.attrs {
        c.visit_attribute(a);
    }
    for item in &body.items {
        c.visit_item(item);
    }
    c.out
}

struct Collector<'a> {
    tree: &'a Tree,
    module: ModId,
    out: Vec<Occurrence>,
    /// Inside a fenced code block of a doc comment (a doc test: not scanned).
    in_code_block: bool,
    /// Recording the links of a doc comment.
    doc: bool,
}

/// `a::b::c` (`::a` for a leading `::`).
fn spell(segs: &[String]) -> String {
    if segs.first().is_some_and(String::is_empty) {
        format!("::{}", segs[1..].join("::"))
    } else {
        segs.join("::")
    }
}

impl Collector<'_> {
    fn record(
        &mut self,
        segs: Vec<String>,
        text: String,
        line: usize,
        is_macro: bool,
        cover: bool,
    ) {
        if segs.is_empty() {
            return;
        }
        let resolution = self.tree.resolve(self.module, &segs);
        let first = segs[0].as_str();
        let cover = match first {
            "" | "crate" | "$crate" | "self" | "super" | "Self" => None,
            _ if cover => self.tree.import_cover(self.module, first),
            _ => None,
        };
        self.out.push(Occurrence {
            module: self.module,
            line,
            text,
            resolution,
            cover,
            is_macro,
            doc: self.doc,
        });
    }

    /// One line of a doc comment: its intra-doc links that spell a crate
    /// path (`[`crate::a::B`]`, `[text](super::b)`, `[x]: self::c`); doc
    /// tests in fenced blocks are skipped (they are tests of the public API).
    fn doc_line(&mut self, text: &str, line: usize) {
        for l in text.lines() {
            if l.trim_start().starts_with("```") {
                self.in_code_block = !self.in_code_block;
                continue;
            }
            if self.in_code_block {
                continue;
            }
            for link in doc_links(l) {
                let segs: Vec<String> = link.split("::").map(str::to_string).collect();
                self.doc = true;
                self.record(segs, link, line, false, false);
                self.doc = false;
            }
        }
    }

    /// Records the first `take` segments of `path`.
    fn path(&mut self, path: &Path, take: usize, is_macro: bool) {
        let mut segs = Vec::new();
        if path.leading_colon.is_some() {
            segs.push(String::new());
        }
        segs.extend(path.segments.iter().take(take).map(|s| s.ident.to_string()));
        let line = path
            .segments
            .first()
            .map_or(0, |s| s.ident.span().start().line);
        let text = spell(&segs);
        self.record(segs, text, line, is_macro, true);
    }

    /// A path with an optional `<T as Trait>::` qualifier.
    fn qualified(&mut self, qself: Option<&QSelf>, path: &Path) {
        match qself {
            None => self.visit_path(path),
            Some(q) => {
                self.visit_type(&q.ty);
                if q.position > 0 {
                    self.path(path, q.position, false);
                }
                for seg in &path.segments {
                    self.visit_path_arguments(&seg.arguments);
                }
            }
        }
    }

    fn use_item(&mut self, u: &syn::ItemUse) {
        for leaf in use_leaves(u) {
            let mut text = spell(&leaf.path);
            if leaf.glob {
                text.push_str("::*");
            }
            self.record(leaf.path, text, leaf.line, false, false);
        }
    }

    /// Every `a::b` run in a token stream (groups included).
    fn tokens(&mut self, ts: TokenStream) {
        let tts: Vec<TokenTree> = ts.into_iter().collect();
        let mut i = 0;
        while i < tts.len() {
            if let TokenTree::Group(g) = &tts[i] {
                self.tokens(g.stream());
                i += 1;
                continue;
            }
            match path_at(&tts, i) {
                Some((segs, line, next)) => {
                    if segs.len() >= 2 {
                        let text = spell(&segs);
                        self.record(segs, text, line, false, true);
                    }
                    i = next;
                }
                None => i += 1,
            }
        }
    }

    /// `key = value` in an attribute: a string naming a path for the serde
    /// keys that take one, any other expression visited as code.
    fn meta_value(&mut self, key: &Path, value: &Expr) {
        let key = key.get_ident().map(ToString::to_string).unwrap_or_default();
        match value {
            Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => match key.as_str() {
                "with" | "serialize_with" | "deserialize_with" | "default" | "getter" => {
                    if let Ok(p) = s.parse::<Path>() {
                        self.path(&p, p.segments.len(), false);
                    }
                }
                "from" | "try_from" | "into" | "remote" => {
                    if let Ok(t) = s.parse::<syn::Type>() {
                        self.visit_type(&t);
                    }
                }
                _ => {}
            },
            other => self.visit_expr(other),
        }
    }

    fn meta(&mut self, m: &Meta) {
        match m {
            Meta::NameValue(nv) => self.meta_value(&nv.path, &nv.value),
            Meta::List(l) => self.meta_list(l),
            Meta::Path(_) => {}
        }
    }

    fn meta_list(&mut self, l: &syn::MetaList) {
        match l.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated) {
            Ok(metas) => metas.iter().for_each(|m| self.meta(m)),
            Err(_) => self.tokens(l.tokens.clone()),
        }
    }
}

/// The crate paths in link position in one line of markdown: right after
/// `[`, `(` or `]: ` (a backtick or a `kind@` disambiguator may come
/// between), starting with `crate::`, `self::`, `super::` or
/// `kravia_invoice::`.
fn doc_links(line: &str) -> Vec<String> {
    let path_char = |c: char| c.is_alphanumeric() || c == '_' || c == ':';
    let mut out = Vec::new();
    let mut i = 0;
    while i < line.len() {
        let rest = &line[i..];
        let starts = ["crate::", "self::", "super::", "kravia_invoice::"]
            .iter()
            .any(|p| rest.starts_with(p));
        let before = line[..i].trim_end_matches('`');
        let before = match before.rfind('@') {
            Some(at) if before[at + 1..].is_empty() => {
                before[..at].trim_end_matches(char::is_alphabetic)
            }
            _ => before,
        };
        let in_link = before.ends_with('[') || before.ends_with('(') || before.ends_with("]: ");
        let fresh = line[..i].chars().next_back().is_none_or(|c| !path_char(c));
        if starts && in_link && fresh {
            let len = rest.find(|c: char| !path_char(c)).unwrap_or(rest.len());
            out.push(rest[..len].trim_end_matches(':').to_string());
            i += len.max(1);
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    out
}

/// A path starting at `tts[i]`: `(segments, line, index after it)`.
fn path_at(tts: &[TokenTree], i: usize) -> Option<(Vec<String>, usize, usize)> {
    let colon2 = |j: usize| {
        matches!(
            (tts.get(j), tts.get(j + 1)),
            (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
                if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':'
        )
    };
    let ident = |j: usize| match tts.get(j) {
        Some(TokenTree::Ident(id)) => Some(id.clone()),
        _ => None,
    };
    let mut segs = Vec::new();
    let mut j = i;
    if colon2(j) {
        segs.push(String::new());
        j += 2;
    }
    let line;
    match tts.get(j) {
        Some(TokenTree::Punct(p))
            if p.as_char() == '$' && ident(j + 1).is_some_and(|c| c == "crate") =>
        {
            segs.push("$crate".to_string());
            line = p.span().start().line;
            j += 2;
        }
        Some(TokenTree::Ident(id)) => {
            segs.push(id.to_string());
            line = id.span().start().line;
            j += 1;
        }
        _ => return None,
    }
    while colon2(j) {
        match ident(j + 2) {
            Some(id) => {
                segs.push(id.to_string());
                j += 3;
            }
            None => break,
        }
    }
    Some((segs, line, j))
}

/// The attributes of an `impl` item.
fn impl_item_attrs(i: &syn::ImplItem) -> &[Attribute] {
    match i {
        syn::ImplItem::Const(i) => &i.attrs,
        syn::ImplItem::Fn(i) => &i.attrs,
        syn::ImplItem::Type(i) => &i.attrs,
        syn::ImplItem::Macro(i) => &i.attrs,
        _ => &[],
    }
}

/// The attributes of a trait item.
fn trait_item_attrs(i: &syn::TraitItem) -> &[Attribute] {
    match i {
        syn::TraitItem::Const(i) => &i.attrs,
        syn::TraitItem::Fn(i) => &i.attrs,
        syn::TraitItem::Type(i) => &i.attrs,
        syn::TraitItem::Macro(i) => &i.attrs,
        _ => &[],
    }
}

impl<'ast> Visit<'ast> for Collector<'_> {
    fn visit_item(&mut self, i: &'ast Item) {
        if item_test_only(i) {
            return;
        }
        match i {
            Item::Use(u) => self.use_item(u),
            // A `macro_rules!` definition: its body is token soup.
            Item::Macro(m) if m.ident.is_some() => {
                for a in &m.attrs {
                    self.visit_attribute(a);
                }
                self.tokens(m.mac.tokens.clone());
            }
            _ => visit::visit_item(self, i),
        }
    }

    fn visit_impl_item(&mut self, i: &'ast syn::ImplItem) {
        if !test_only(impl_item_attrs(i)) {
            visit::visit_impl_item(self, i);
        }
    }

    fn visit_trait_item(&mut self, i: &'ast syn::TraitItem) {
        if !test_only(trait_item_attrs(i)) {
            visit::visit_trait_item(self, i);
        }
    }

    fn visit_field(&mut self, f: &'ast syn::Field) {
        if !test_only(&f.attrs) {
            visit::visit_field(self, f);
        }
    }

    fn visit_variant(&mut self, v: &'ast syn::Variant) {
        if !test_only(&v.attrs) {
            visit::visit_variant(self, v);
        }
    }

    fn visit_arm(&mut self, a: &'ast syn::Arm) {
        if !test_only(&a.attrs) {
            visit::visit_arm(self, a);
        }
    }

    fn visit_local(&mut self, l: &'ast syn::Local) {
        if !test_only(&l.attrs) {
            visit::visit_local(self, l);
        }
    }

    fn visit_field_value(&mut self, f: &'ast syn::FieldValue) {
        if !test_only(&f.attrs) {
            visit::visit_field_value(self, f);
        }
    }

    fn visit_stmt_macro(&mut self, s: &'ast syn::StmtMacro) {
        if !test_only(&s.attrs) {
            visit::visit_stmt_macro(self, s);
        }
    }

    fn visit_path(&mut self, p: &'ast Path) {
        self.path(p, p.segments.len(), false);
        visit::visit_path(self, p);
    }

    fn visit_expr_path(&mut self, e: &'ast syn::ExprPath) {
        for a in &e.attrs {
            self.visit_attribute(a);
        }
        self.qualified(e.qself.as_ref(), &e.path);
    }

    fn visit_type_path(&mut self, t: &'ast syn::TypePath) {
        self.qualified(t.qself.as_ref(), &t.path);
    }

    fn visit_visibility(&mut self, _: &'ast syn::Visibility) {}

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        self.path(&m.path, m.path.segments.len(), true);
        match m.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated) {
            Ok(exprs) => exprs.iter().for_each(|e| self.visit_expr(e)),
            Err(_) => self.tokens(m.tokens.clone()),
        }
    }

    fn visit_attribute(&mut self, a: &'ast Attribute) {
        let name = a
            .path()
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        match name.as_str() {
            "doc" => {
                if let Meta::NameValue(nv) = &a.meta
                    && let Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) = &nv.value
                {
                    self.doc_line(&s.value(), s.span().start().line);
                }
            }
            "cfg" | "cfg_attr" | "allow" | "warn" | "deny" | "expect" | "forbid" | "must_use"
            | "inline" | "path" | "repr" | "non_exhaustive" => {}
            "derive" => {
                if let Ok(paths) =
                    a.parse_args_with(Punctuated::<Path, Token![,]>::parse_terminated)
                {
                    for p in &paths {
                        self.path(p, p.segments.len(), false);
                    }
                }
            }
            _ => match &a.meta {
                Meta::List(l) => self.meta_list(l),
                Meta::NameValue(nv) => self.meta_value(&nv.path, &nv.value),
                Meta::Path(_) => {}
            },
        }
    }
}
