//! Tagged PDF (ISO 32000-1 14.7–14.8) for PDF/UA-1 (ISO 14289-1): the
//! logical structure tree built from the layout's [`Role`] groups.
//!
//! [`Tree::build`] reads every page's items in order (the reading order),
//! with a stack of the open [`Item::Begin`] groups, and decides for each
//! drawn item what owns it:
//!
//! * inside an [`Role::Artifact`] group: an artifact of that kind, and any
//!   structure groups nested in it are ignored (a repeated table header);
//! * text: the innermost open element when that is a leaf (heading,
//!   paragraph, cell, figure), else a new paragraph (`P`) of its own under
//!   it (a line in a section, text outside any group);
//! * rectangles, lines, images, paths: the innermost open figure, else a
//!   `/Layout` artifact (rules, backgrounds, frames).
//!
//! `page.rs` then wraps consecutive items with one owner in one marked-content
//! sequence (`/P <</MCID 3>> BDC … EMC`, `/Artifact BMC … EMC`), numbering
//! the MCIDs per page, and [`Tree::write`] turns the elements into `StructElem`
//! objects with their kids in order, the `ParentTree` that maps each page's
//! MCIDs back to their elements, and `/StructParents` on the pages.
//!
//! Runs of text that follow each other in one element (a label and its
//! value, the lines of a wrapped paragraph) are separate runs on the page, so
//! a reader would join them into one word ("FakturanummerKJ65C-190025"); each
//! but the last is therefore drawn with a trailing space glyph, which has no
//! ink and moves nothing (every run is positioned on its own), so the text of
//! the element reads "Fakturanummer KJ65C-190025".
//!
//! Structure types are the standard ones (`Document`, `Sect`, `H1`–`H6`,
//! `P`, `Table`, `THead`, `TBody`, `TR`, `TH` with `/Scope /Column`, `TD`,
//! `Figure` with `/Alt`), so no role map is needed. A group that is never
//! closed, an end without a beginning, a row outside a table or a cell
//! outside a row is an error naming the page and item, never a silently
//! wrong tree.

use lopdf::{Object, ObjectId};

use super::PdfError;
use super::identity::text_string;
use super::writer::{Raw, name, reference, string, uint};
use crate::layout::document::{Artifact, Document, Item, Role};

/// What owns an item's content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Owner {
    /// Structure element `n` ([`Tree::elems`]).
    Elem(u32),
    /// An artifact.
    Artifact(Artifact),
    /// A begin/end marker: draws nothing, owns nothing.
    Marker,
}

/// A kid of a structure element, in reading order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kid {
    Elem(u32),
    /// A drawn item: page index, item index.
    Item(u32, u32),
}

/// A structure element.
#[derive(Debug)]
struct Elem {
    /// The structure type (`P`, `TD`, …).
    kind: &'static [u8],
    /// The parent element (the root `Document` is its own parent here and
    /// points at the StructTreeRoot in the file).
    parent: u32,
    /// `/Alt` of a figure.
    alt: Option<String>,
    /// `TH`: the cell heads its column (`/Scope /Column`), else its row.
    column_header: bool,
    kids: Vec<Kid>,
}

impl Elem {
    fn new(kind: &'static [u8], parent: u32) -> Elem {
        Elem {
            kind,
            parent,
            alt: None,
            column_header: false,
            kids: Vec::new(),
        }
    }

    /// Whether text goes straight into the element (else a `P` is made).
    fn is_leaf(&self) -> bool {
        matches!(
            self.kind,
            b"P" | b"H1" | b"H2" | b"H3" | b"H4" | b"H5" | b"H6" | b"TH" | b"TD" | b"Figure"
        )
    }
}

/// The structure of a document and the owner of every item.
#[derive(Debug)]
pub(super) struct Tree {
    elems: Vec<Elem>,
    /// Per page, per item.
    owners: Vec<Vec<Owner>>,
    /// Per page, per item: a text run another run of its element follows.
    spaced: Vec<Vec<bool>>,
}

/// One open group on the stack.
#[derive(Clone, Copy, Debug)]
enum Frame {
    Elem(u32),
    Artifact(Artifact),
    /// A structure group inside an artifact: balanced, otherwise ignored.
    Ignored,
}

fn heading(level: u8) -> &'static [u8] {
    match level {
        0 | 1 => b"H1",
        2 => b"H2",
        3 => b"H3",
        4 => b"H4",
        5 => b"H5",
        _ => b"H6",
    }
}

fn misplaced(page: usize, item: usize, what: &str) -> PdfError {
    PdfError::Structure(format!("page {}, item {item}: {what}", page + 1))
}

impl Tree {
    /// Reads the groups and decides every item's owner.
    pub(super) fn build(doc: &Document) -> Result<Tree, PdfError> {
        let mut elems = vec![Elem::new(b"Document", 0)];
        let mut owners = Vec::with_capacity(doc.pages.len());
        let mut spaced: Vec<Vec<bool>> = doc
            .pages
            .iter()
            .map(|p| vec![false; p.items.len()])
            .collect();
        let mut stack: Vec<Frame> = Vec::with_capacity(16);
        // Where the open groups began, for the error about an unclosed one.
        let mut opened: Vec<(usize, usize)> = Vec::with_capacity(16);
        for (p, page) in doc.pages.iter().enumerate() {
            let mut page_owners = Vec::with_capacity(page.items.len());
            for (i, item) in page.items.iter().enumerate() {
                let artifact = stack.iter().rev().find_map(|f| match f {
                    Frame::Artifact(a) => Some(*a),
                    _ => None,
                });
                let current = stack
                    .iter()
                    .rev()
                    .find_map(|f| match f {
                        Frame::Elem(e) => Some(*e),
                        _ => None,
                    })
                    .unwrap_or(0);
                let owner = match item {
                    Item::Begin(role) => {
                        let frame = match (artifact, role) {
                            (Some(_), _) => Frame::Ignored,
                            (None, Role::Artifact(a)) => Frame::Artifact(*a),
                            (None, role) => {
                                let e = Self::open(&mut elems, current, role)
                                    .map_err(|what| misplaced(p, i, what))?;
                                Frame::Elem(e)
                            }
                        };
                        stack.push(frame);
                        opened.push((p, i));
                        Owner::Marker
                    }
                    Item::End => {
                        if stack.pop().is_none() {
                            return Err(misplaced(p, i, "a structure end without a beginning"));
                        }
                        opened.pop();
                        Owner::Marker
                    }
                    _ if artifact.is_some() => {
                        Owner::Artifact(artifact.unwrap_or(Artifact::Layout))
                    }
                    Item::Text(run) if run.text.is_empty() => Owner::Marker,
                    Item::Text(_) => {
                        let owner = if elems[current as usize].is_leaf() {
                            current
                        } else {
                            let e = elems.len() as u32;
                            elems.push(Elem::new(b"P", current));
                            elems[current as usize].kids.push(Kid::Elem(e));
                            e
                        };
                        if let Some(&Kid::Item(pp, pi)) = elems[owner as usize].kids.last()
                            && let Some(Item::Text(prev)) =
                                doc.pages[pp as usize].items.get(pi as usize)
                            && !prev.text.ends_with(char::is_whitespace)
                        {
                            spaced[pp as usize][pi as usize] = true;
                        }
                        elems[owner as usize]
                            .kids
                            .push(Kid::Item(p as u32, i as u32));
                        Owner::Elem(owner)
                    }
                    Item::Rect(_) | Item::Line(_) | Item::Image(_) | Item::Path(_) => {
                        let figure = stack.iter().rev().find_map(|f| match f {
                            Frame::Elem(e) if elems[*e as usize].kind == b"Figure" => Some(*e),
                            _ => None,
                        });
                        match figure {
                            Some(f) => {
                                elems[f as usize].kids.push(Kid::Item(p as u32, i as u32));
                                Owner::Elem(f)
                            }
                            None => Owner::Artifact(Artifact::Layout),
                        }
                    }
                };
                page_owners.push(owner);
            }
            owners.push(page_owners);
        }
        if let Some(&(p, i)) = opened.last() {
            return Err(misplaced(p, i, "a structure group that is never closed"));
        }
        Ok(Tree {
            elems,
            owners,
            spaced,
        })
    }

    /// Opens an element for `role` under `parent`; checks table nesting.
    fn open(elems: &mut Vec<Elem>, parent: u32, role: &Role) -> Result<u32, &'static str> {
        let parent_kind = elems[parent as usize].kind;
        let in_table = |k: &[u8]| matches!(k, b"Table" | b"THead" | b"TBody");
        let (kind, ok): (&'static [u8], bool) = match role {
            Role::Section => (b"Sect", true),
            Role::Heading(level) => (heading(*level), true),
            Role::Paragraph => (b"P", true),
            Role::Table => (b"Table", true),
            Role::TableHead => (b"THead", parent_kind == b"Table"),
            Role::TableBody => (b"TBody", parent_kind == b"Table"),
            Role::Row => (b"TR", in_table(parent_kind)),
            Role::HeaderCell => (b"TH", parent_kind == b"TR"),
            Role::Cell => (b"TD", parent_kind == b"TR"),
            Role::Figure(_) => (b"Figure", true),
            Role::Artifact(_) => (b"Artifact", false),
        };
        if !ok {
            return Err(match role {
                Role::TableHead | Role::TableBody => "a table head or body outside a table",
                Role::Row => "a table row outside a table",
                Role::HeaderCell | Role::Cell => "a table cell outside a row",
                _ => "a misplaced structure group",
            });
        }
        let e = elems.len() as u32;
        let mut elem = Elem::new(kind, parent);
        if let Role::Figure(alt) = role {
            elem.alt = Some(alt.clone());
        }
        if kind == b"TH" {
            // A header cell heads its column when its row is in the table's
            // head (or it is the first row of the table), else its row.
            let row_parent = elems[parent as usize].parent;
            elem.column_header = elems[row_parent as usize].kind == b"THead"
                || elems[row_parent as usize]
                    .kids
                    .iter()
                    .find(|k| matches!(k, Kid::Elem(_)))
                    .is_none_or(|k| *k == Kid::Elem(parent));
        }
        elems.push(elem);
        elems[parent as usize].kids.push(Kid::Elem(e));
        Ok(e)
    }

    /// The structure type of element `e`, the tag of its marked content.
    pub(super) fn kind_name(&self, e: u32) -> &'static str {
        self.elems
            .get(e as usize)
            .and_then(|el| std::str::from_utf8(el.kind).ok())
            .unwrap_or("Span")
    }

    /// Whether text item `i` of page `p` is drawn with a trailing space.
    pub(super) fn spaced(&self, p: usize, i: usize) -> bool {
        self.spaced
            .get(p)
            .and_then(|s| s.get(i))
            .copied()
            .unwrap_or(false)
    }

    /// The owners of page `p`'s items.
    pub(super) fn owners(&self, p: usize) -> &[Owner] {
        self.owners.get(p).map_or(&[], Vec::as_slice)
    }

    /// Writes the structure tree: `/StructParents` (and `/Tabs /S`) on every
    /// page of `lo`, and the StructTreeRoot, the elements and the ParentTree
    /// as serialized objects for the file writer (numbers taken from `lo`).
    /// `mcids[p][i]` is the MCID page `p` gave item `i` (`u32::MAX`: none).
    /// Returns the StructTreeRoot's id and the objects.
    pub(super) fn write(
        &self,
        lo: &mut lopdf::Document,
        pages: &[ObjectId],
        mcids: &[Vec<u32>],
    ) -> Result<(ObjectId, Vec<Raw>), PdfError> {
        let root_id = lo.new_object_id();
        let first = lo.new_object_id().0;
        lo.max_id += self.elems.len() as u32 - 1;
        let id = |e: u32| first + e;
        let page_id = |p: u32| pages[p as usize].0;
        let mut raw: Vec<Raw> = Vec::with_capacity(self.elems.len() + 1);
        // Per page: MCID → element (the ParentTree's arrays).
        let mut parents: Vec<Vec<Option<u32>>> = vec![Vec::new(); pages.len()];
        let mut kids: Vec<u8> = Vec::with_capacity(64);
        for (e, elem) in self.elems.iter().enumerate() {
            kids.clear();
            let mut n_kids = 0;
            let mut pg: Option<u32> = None;
            let mut last: Option<(u32, u32)> = None;
            for kid in &elem.kids {
                match *kid {
                    Kid::Elem(c) => {
                        if n_kids > 0 {
                            kids.push(b' ');
                        }
                        reference(&mut kids, id(c));
                    }
                    Kid::Item(p, i) => {
                        let Some(mcid) = mcids
                            .get(p as usize)
                            .and_then(|m| m.get(i as usize))
                            .copied()
                            .filter(|&m| m != u32::MAX)
                        else {
                            // Drew nothing (an empty rectangle): no content.
                            continue;
                        };
                        if last == Some((p, mcid)) {
                            continue;
                        }
                        last = Some((p, mcid));
                        let slot = &mut parents[p as usize];
                        if slot.len() <= mcid as usize {
                            slot.resize(mcid as usize + 1, None);
                        }
                        slot[mcid as usize] = Some(e as u32);
                        if n_kids > 0 {
                            kids.push(b' ');
                        }
                        if *pg.get_or_insert(p) == p {
                            uint(&mut kids, u64::from(mcid));
                        } else {
                            kids.extend_from_slice(b"<</Type/MCR/Pg ");
                            reference(&mut kids, page_id(p));
                            kids.extend_from_slice(b"/MCID ");
                            uint(&mut kids, u64::from(mcid));
                            kids.extend_from_slice(b">>");
                        }
                    }
                }
                n_kids += 1;
            }
            let mut d = Vec::with_capacity(48 + kids.len());
            d.extend_from_slice(b"<</S");
            name(&mut d, elem.kind);
            d.extend_from_slice(b"/P ");
            reference(&mut d, if e == 0 { root_id.0 } else { id(elem.parent) });
            if let Some(p) = pg {
                d.extend_from_slice(b"/Pg ");
                reference(&mut d, page_id(p));
            }
            match n_kids {
                0 => {}
                1 => {
                    d.extend_from_slice(b"/K ");
                    d.extend_from_slice(&kids);
                }
                _ => {
                    d.extend_from_slice(b"/K[");
                    d.extend_from_slice(&kids);
                    d.push(b']');
                }
            }
            if let Some(alt) = &elem.alt {
                d.extend_from_slice(b"/Alt");
                if let Object::String(bytes, format) = text_string(alt) {
                    string(&mut d, &bytes, format);
                }
            }
            if elem.kind == b"TH" {
                d.extend_from_slice(if elem.column_header {
                    b"/A<</O/Table/Scope/Column>>"
                } else {
                    b"/A<</O/Table/Scope/Row>>"
                });
            }
            d.extend_from_slice(b">>");
            raw.push((id(e as u32), d));
        }

        let mut root = Vec::with_capacity(64 + parents.iter().map(Vec::len).sum::<usize>() * 8);
        root.extend_from_slice(b"<</Type/StructTreeRoot/K ");
        reference(&mut root, id(0));
        root.extend_from_slice(b"/ParentTree<</Nums[");
        for (p, page_parents) in parents.iter().enumerate() {
            if p > 0 {
                root.push(b' ');
            }
            uint(&mut root, p as u64);
            root.push(b'[');
            for (m, e) in page_parents.iter().enumerate() {
                let e = e.ok_or_else(|| {
                    PdfError::Structure(format!(
                        "page {}: marked-content id {m} has no structure element",
                        p + 1
                    ))
                })?;
                if m > 0 {
                    root.push(b' ');
                }
                reference(&mut root, id(e));
            }
            root.push(b']');
            if let Ok(page) = lo.get_dictionary_mut(pages[p]) {
                page.set("StructParents", p as i64);
                // Tab order follows the structure (PDF/UA 7.18.3).
                page.set("Tabs", Object::Name(b"S".to_vec()));
            }
        }
        root.extend_from_slice(b"]>>/ParentTreeNextKey ");
        uint(&mut root, pages.len() as u64);
        root.extend_from_slice(b">>");
        raw.push((root_id.0, root));
        Ok((root_id, raw))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::document::{Metadata, Page, Pt, Rect, TextRun};

    fn text(s: &str) -> Item {
        Item::Text(TextRun {
            x: Pt(10.0),
            y: Pt(10.0),
            face: crate::font::FontFace::Regular,
            size: Pt(9.0),
            color: crate::color::Rgb::BLACK,
            text: s.into(),
            role: crate::layout::TextRole::Plain,
        })
    }

    fn rect() -> Item {
        Item::Rect(Rect {
            x: Pt(0.0),
            y: Pt(0.0),
            width: Pt(1.0),
            height: Pt(1.0),
            fill: Some(crate::color::Rgb::BLACK),
            stroke: None,
        })
    }

    fn doc(pages: Vec<Vec<Item>>) -> Document {
        Document {
            pages: pages
                .into_iter()
                .map(|items| Page {
                    width: Pt(100.0),
                    height: Pt(100.0),
                    items,
                })
                .collect(),
            images: vec![],
            metadata: Metadata::default(),
        }
    }

    fn kinds(t: &Tree) -> Vec<&str> {
        t.elems
            .iter()
            .map(|e| std::str::from_utf8(e.kind).unwrap())
            .collect()
    }

    #[test]
    fn owners_follow_the_groups() {
        use Item::{Begin, End};
        let d = doc(vec![
            vec![
                rect(),
                Begin(Role::Heading(1)),
                text("Faktura"),
                End,
                text("loose"),
                Begin(Role::Table),
                Begin(Role::Row),
                Begin(Role::HeaderCell),
                text("A"),
                End,
                End,
                Begin(Role::Row),
                rect(),
                Begin(Role::Cell),
                text("1"),
                End,
                End,
                Begin(Role::Artifact(Artifact::Pagination)),
                text("Side 1 av 2"),
                Begin(Role::Row),
                End,
                End,
            ],
            vec![
                Begin(Role::Row),
                Begin(Role::Cell),
                text("2"),
                End,
                End,
                End,
                Begin(Role::Figure("QR: pay".into())),
                rect(),
                rect(),
                End,
            ],
        ]);
        let t = Tree::build(&d).unwrap();
        assert_eq!(
            kinds(&t),
            [
                "Document", "H1", "P", "Table", "TR", "TH", "TR", "TD", "TR", "TD", "Figure"
            ]
        );
        let o = t.owners(0);
        assert_eq!(o[0], Owner::Artifact(Artifact::Layout));
        assert_eq!(o[2], Owner::Elem(1));
        assert_eq!(o[4], Owner::Elem(2), "loose text gets a P");
        assert_eq!(o[8], Owner::Elem(5));
        assert_eq!(o[12], Owner::Artifact(Artifact::Layout), "row background");
        assert_eq!(o[18], Owner::Artifact(Artifact::Pagination));
        assert_eq!(
            o[19],
            Owner::Marker,
            "structure inside an artifact is ignored"
        );
        // The table continues on page 2 (its third row), the figure owns its rects.
        assert_eq!(t.owners(1)[2], Owner::Elem(9));
        assert_eq!(t.owners(1)[7], Owner::Elem(10));
        assert_eq!(t.elems[8].parent, 3);
        assert!(
            t.elems[5].column_header,
            "a TH in the first row heads a column"
        );
        assert_eq!(t.elems[10].alt.as_deref(), Some("QR: pay"));
    }

    #[test]
    fn bad_nesting_is_an_error_with_a_place() {
        use Item::{Begin, End};
        for (items, msg) in [
            (
                vec![End],
                "page 1, item 0: a structure end without a beginning",
            ),
            (
                vec![text("x"), Begin(Role::Section)],
                "page 1, item 1: a structure group that is never closed",
            ),
            (
                vec![Begin(Role::Row), End],
                "page 1, item 0: a table row outside a table",
            ),
            (
                vec![Begin(Role::Table), Begin(Role::Cell), End, End],
                "page 1, item 1: a table cell outside a row",
            ),
        ] {
            let e = Tree::build(&doc(vec![items])).unwrap_err();
            assert_eq!(
                e.to_string(),
                format!("pdf: unexpected document structure: {msg}")
            );
        }
    }
}
