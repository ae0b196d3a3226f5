//! The SVG logo reader: an SVG document flattened to filled polygons.
//!
//! Deliberately small: `rect`, `circle`, `ellipse`, `polygon`, `polyline` and
//! `path` (all commands; arcs become straight segments) with a `fill`
//! attribute or `style="fill:…"` (hex colours, `black`, `white`), inherited
//! through `<g>`, inside the `viewBox`. Transforms, gradients, strokes and text
//! are not drawn. A document it cannot read at all is refused when the brand
//! loads, never drawn wrong.

use crate::color::Rgb;

/// A closed polygon in the SVG's user units.
pub type Polygon = Vec<(f32, f32)>;

/// A parsed SVG logo: its view box and filled shapes in user units.
#[derive(Clone, Debug, PartialEq)]
pub struct VectorLogo {
    /// The view box: x, y, width, height in user units (width and height > 0).
    pub view: (f32, f32, f32, f32),
    /// Filled shapes in drawing order: a colour and its polygons (each at
    /// least three points).
    pub shapes: Vec<(Rgb, Vec<Polygon>)>,
}

impl VectorLogo {
    /// Reads an SVG document's filled shapes; `None` when it has no usable
    /// view box or no filled shape.
    pub fn parse(text: &str) -> Option<VectorLogo> {
        let mut view = None;
        let mut shapes = Vec::new();
        // fill per open <g>: None = inherit
        let mut fills: Vec<Option<Option<Rgb>>> = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find('<') {
            rest = &rest[start + 1..];
            let end = rest.find('>')?;
            let tag = &rest[..end];
            rest = &rest[end + 1..];
            if tag.starts_with('!') || tag.starts_with('?') {
                continue;
            }
            if let Some(name) = tag.strip_prefix('/') {
                if name.trim() == "g" {
                    fills.pop();
                }
                continue;
            }
            let self_closing = tag.ends_with('/');
            let tag = tag.trim_end_matches('/');
            let (name, attrs) = tag.split_once(char::is_whitespace).unwrap_or((tag, ""));
            let attr = |key: &str| attribute(attrs, key);
            let inherited = fills
                .iter()
                .rev()
                .find_map(|f| *f)
                .unwrap_or(Some(Rgb::BLACK));
            let fill = own_fill(attrs).unwrap_or(inherited);
            match name {
                "svg" => {
                    let vb: Vec<f32> = attr("viewBox").map(|v| numbers(&v)).unwrap_or_default();
                    view = if vb.len() == 4 {
                        Some((vb[0], vb[1], vb[2], vb[3]))
                    } else {
                        let w = attr("width").and_then(|v| numbers(&v).first().copied());
                        let h = attr("height").and_then(|v| numbers(&v).first().copied());
                        w.zip(h).map(|(w, h)| (0.0, 0.0, w, h))
                    };
                    if !self_closing {
                        fills.push(own_fill(attrs));
                    }
                }
                "g" if !self_closing => fills.push(own_fill(attrs)),
                "rect" => {
                    let n = |k| {
                        attr(k)
                            .and_then(|v| numbers(&v).first().copied())
                            .unwrap_or(0.0)
                    };
                    let (x, y, w, h) = (n("x"), n("y"), n("width"), n("height"));
                    push(
                        &mut shapes,
                        fill,
                        vec![vec![(x, y), (x + w, y), (x + w, y + h), (x, y + h)]],
                    );
                }
                "circle" | "ellipse" => {
                    let n = |k| attr(k).and_then(|v| numbers(&v).first().copied());
                    let (cx, cy) = (n("cx").unwrap_or(0.0), n("cy").unwrap_or(0.0));
                    let rx = n("rx").or_else(|| n("r")).unwrap_or(0.0);
                    let ry = n("ry").or_else(|| n("r")).unwrap_or(0.0);
                    let poly = (0..48)
                        .map(|i| {
                            let a = i as f32 * std::f32::consts::TAU / 48.0;
                            (cx + rx * a.cos(), cy + ry * a.sin())
                        })
                        .collect();
                    push(&mut shapes, fill, vec![poly]);
                }
                "polygon" | "polyline" => {
                    let pts = attr("points").map(|v| numbers(&v)).unwrap_or_default();
                    let poly = pts.chunks_exact(2).map(|p| (p[0], p[1])).collect();
                    push(&mut shapes, fill, vec![poly]);
                }
                "path" => {
                    if let Some(d) = attr("d") {
                        push(&mut shapes, fill, path_polygons(&d));
                    }
                }
                _ => {}
            }
        }
        let view = view.filter(|v| v.2 > 0.0 && v.3 > 0.0)?;
        (!shapes.is_empty()).then_some(VectorLogo { view, shapes })
    }
}

fn push(shapes: &mut Vec<(Rgb, Vec<Polygon>)>, fill: Option<Rgb>, polygons: Vec<Polygon>) {
    if let Some(fill) = fill {
        shapes.push((fill, polygons));
    }
}

/// The value of `key="…"` (or `'…'`) in an attribute list.
fn attribute(attrs: &str, key: &str) -> Option<String> {
    let mut rest = attrs;
    while let Some(i) = rest.find(key) {
        let before_ok = i == 0 || rest[..i].ends_with(char::is_whitespace);
        let after = rest[i + key.len()..].trim_start();
        if before_ok && let Some(after) = after.strip_prefix('=') {
            let after = after.trim_start();
            let quote = after.chars().next()?;
            if quote == '"' || quote == '\'' {
                let body = &after[1..];
                return body.find(quote).map(|end| body[..end].to_string());
            }
        }
        rest = &rest[i + key.len()..];
    }
    None
}

/// The element's own fill: `Some(None)` for `none`, `None` when not set.
fn own_fill(attrs: &str) -> Option<Option<Rgb>> {
    let from_style = attribute(attrs, "style").and_then(|s| {
        s.split(';').find_map(|decl| {
            let (k, v) = decl.split_once(':')?;
            (k.trim() == "fill").then(|| v.trim().to_string())
        })
    });
    let value = from_style.or_else(|| attribute(attrs, "fill"))?;
    Some(colour(&value))
}

fn colour(v: &str) -> Option<Rgb> {
    let v = v.trim();
    match v {
        "none" | "transparent" => return None,
        "black" => return Some(Rgb::BLACK),
        "white" => return Some(Rgb::WHITE),
        _ => {}
    }
    let hex = v.strip_prefix('#')?;
    match hex.len() {
        3 | 6 => Rgb::from_hex_digits(hex),
        _ => Some(Rgb::BLACK),
    }
}

/// Every number in `s` (SVG number syntax: `-1.5e2`, `.5.5` is two numbers).
fn numbers(s: &str) -> Vec<f32> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'-' || c == b'+' || c == b'.' || c.is_ascii_digit() {
            let start = i;
            i += 1;
            let mut dot = c == b'.';
            while i < b.len() {
                let d = b[i];
                if d.is_ascii_digit() {
                    i += 1;
                } else if d == b'.' && !dot {
                    dot = true;
                    i += 1;
                } else if (d == b'e' || d == b'E') && i + 1 < b.len() {
                    i += 1;
                    if b[i] == b'-' || b[i] == b'+' {
                        i += 1;
                    }
                } else {
                    break;
                }
            }
            if let Ok(v) = s[start..i].parse::<f32>() {
                out.push(v);
            }
        } else {
            i += 1;
        }
    }
    out
}

/// Flattens SVG path data into closed polygons.
fn path_polygons(d: &str) -> Vec<Polygon> {
    let mut polys: Vec<Polygon> = Vec::new();
    let mut cur: Polygon = Vec::new();
    let (mut x, mut y) = (0.0f32, 0.0f32);
    let (mut sx, mut sy) = (0.0f32, 0.0f32);
    let mut last_ctrl: Option<(f32, f32)> = None;
    // Split into (command, numbers).
    let mut cmds: Vec<(char, Vec<f32>)> = Vec::new();
    let mut start = None;
    for (i, c) in d.char_indices() {
        if c.is_ascii_alphabetic() && c != 'e' && c != 'E' {
            if let Some((s, cmd)) = start {
                cmds.push((cmd, numbers(&d[s..i])));
            }
            start = Some((i + 1, c));
        }
    }
    if let Some((s, cmd)) = start {
        cmds.push((cmd, numbers(&d[s..])));
    }
    let cubic =
        |p0: (f32, f32), p1: (f32, f32), p2: (f32, f32), p3: (f32, f32), out: &mut Polygon| {
            for i in 1..=8 {
                let t = i as f32 / 8.0;
                let u = 1.0 - t;
                out.push((
                    u * u * u * p0.0
                        + 3.0 * u * u * t * p1.0
                        + 3.0 * u * t * t * p2.0
                        + t * t * t * p3.0,
                    u * u * u * p0.1
                        + 3.0 * u * u * t * p1.1
                        + 3.0 * u * t * t * p2.1
                        + t * t * t * p3.1,
                ));
            }
        };
    for (cmd, args) in cmds {
        let rel = cmd.is_ascii_lowercase();
        let (ox, oy) = if rel { (x, y) } else { (0.0, 0.0) };
        match cmd.to_ascii_uppercase() {
            'M' => {
                if cur.len() >= 3 {
                    polys.push(std::mem::take(&mut cur));
                }
                cur.clear();
                for (i, p) in args.chunks_exact(2).enumerate() {
                    let (bx, by) = if rel { (x, y) } else { (0.0, 0.0) };
                    x = bx + p[0];
                    y = by + p[1];
                    if i == 0 {
                        sx = x;
                        sy = y;
                    }
                    cur.push((x, y));
                }
                last_ctrl = None;
            }
            'L' | 'T' => {
                for p in args.chunks_exact(2) {
                    let (bx, by) = if rel { (x, y) } else { (0.0, 0.0) };
                    x = bx + p[0];
                    y = by + p[1];
                    cur.push((x, y));
                }
                last_ctrl = None;
            }
            'H' => {
                for v in args {
                    x = if rel { x + v } else { v };
                    cur.push((x, y));
                }
            }
            'V' => {
                for v in args {
                    y = if rel { y + v } else { v };
                    cur.push((x, y));
                }
            }
            'C' => {
                for p in args.chunks_exact(6) {
                    let (bx, by) = if rel { (x, y) } else { (0.0, 0.0) };
                    let c1 = (bx + p[0], by + p[1]);
                    let c2 = (bx + p[2], by + p[3]);
                    let e = (bx + p[4], by + p[5]);
                    cubic((x, y), c1, c2, e, &mut cur);
                    last_ctrl = Some(c2);
                    (x, y) = e;
                }
            }
            'S' => {
                for p in args.chunks_exact(4) {
                    let (bx, by) = if rel { (x, y) } else { (0.0, 0.0) };
                    let c1 = last_ctrl.map_or((x, y), |(cx, cy)| (2.0 * x - cx, 2.0 * y - cy));
                    let c2 = (bx + p[0], by + p[1]);
                    let e = (bx + p[2], by + p[3]);
                    cubic((x, y), c1, c2, e, &mut cur);
                    last_ctrl = Some(c2);
                    (x, y) = e;
                }
            }
            'Q' => {
                for p in args.chunks_exact(4) {
                    let (bx, by) = if rel { (x, y) } else { (0.0, 0.0) };
                    let q = (bx + p[0], by + p[1]);
                    let e = (bx + p[2], by + p[3]);
                    let c1 = (x + 2.0 / 3.0 * (q.0 - x), y + 2.0 / 3.0 * (q.1 - y));
                    let c2 = (e.0 + 2.0 / 3.0 * (q.0 - e.0), e.1 + 2.0 / 3.0 * (q.1 - e.1));
                    cubic((x, y), c1, c2, e, &mut cur);
                    last_ctrl = None;
                    (x, y) = e;
                }
            }
            'A' => {
                for p in args.chunks_exact(7) {
                    x = ox + p[5];
                    y = oy + p[6];
                    cur.push((x, y));
                }
            }
            'Z' => {
                if cur.len() >= 3 {
                    polys.push(std::mem::take(&mut cur));
                }
                cur.clear();
                x = sx;
                y = sy;
                cur.push((x, y));
            }
            _ => {}
        }
    }
    if cur.len() >= 3 {
        polys.push(cur);
    }
    polys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_shapes_become_polygons() {
        let svg = r##"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 50">
            <g fill="#1F4E79"><rect x="0" y="0" width="50" height="50"/>
            <path d="M60 0 h40 v50 h-40 z"/></g>
            <circle cx="150" cy="25" r="20" style="fill:#ff0000"/>
            <rect x="0" y="0" width="1" height="1" fill="none"/></svg>"##;
        let logo = VectorLogo::parse(svg).unwrap();
        assert_eq!(logo.view, (0.0, 0.0, 200.0, 50.0));
        assert_eq!(logo.shapes.len(), 3);
        assert_eq!(logo.shapes[0].0, Rgb(0x1F, 0x4E, 0x79));
        assert_eq!(logo.shapes[1].1[0][0], (60.0, 0.0));
        assert_eq!(logo.shapes[2].0, Rgb(255, 0, 0));
    }

    #[test]
    fn unreadable_svg_is_none() {
        assert_eq!(VectorLogo::parse("<svg></svg>"), None);
        assert_eq!(VectorLogo::parse("<svg viewBox=\"0 0 10 10\"></svg>"), None);
        assert_eq!(VectorLogo::parse("not xml at all"), None);
    }
}
