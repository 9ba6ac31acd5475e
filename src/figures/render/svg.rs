//! The SVG painter: the display list as SVG 1.1, sized in millimetres, text as glyph outlines.
//!
//! Text is drawn with the embedded DejaVu glyphs: each glyph used is defined once (`<defs>`, in
//! font units) and placed with `<use>`, inside a group whose `aria-label` carries the text. So
//! the file renders the same in a browser, in Inkscape (which LaTeX's `svg` package calls, and
//! which ignores `@font-face` data) and on a machine with no fonts at all, and stays small; the
//! PDF keeps real, searchable text.

use super::super::text::{self as tx, Face, Seg};
use super::{Canvas, Prim};
use plotters::style::RGBAColor;
use std::collections::BTreeSet;
use std::fmt::Write;

/// A number with at most two decimals, no trailing zeros, no `-0`.
pub(crate) fn num(v: f64) -> String {
    let s = format!("{:.2}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    match s {
        "-0" => "0".into(),
        s => s.into(),
    }
}

fn colour(c: RGBAColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

fn opacity(attr: &str, c: RGBAColor) -> String {
    if c.3 >= 1.0 {
        String::new()
    } else {
        format!(" {attr}=\"{}\"", num((c.3 * 1000.0).round() / 1000.0))
    }
}

pub(crate) fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

fn points(pts: &[(f64, f64)]) -> String {
    super::thin(pts)
        .iter()
        .map(|p| format!("{},{}", num(p.0), num(p.1)))
        .collect::<Vec<_>>()
        .join(" ")
}

fn glyph_id(face: Face, gid: u16) -> String {
    let f = match face {
        Face::Regular => 'r',
        Face::Bold => 'b',
        Face::Oblique => 'o',
    };
    format!("{f}{gid}")
}

fn glyph_path(face: Face, gid: u16) -> String {
    let mut d = String::new();
    let n = |v: f32| num(v as f64);
    for s in tx::outline(face, gid) {
        match s {
            Seg::M(x, y) => {
                let _ = write!(d, "M{} {}", n(x), n(y));
            }
            Seg::L(x, y) => {
                let _ = write!(d, "L{} {}", n(x), n(y));
            }
            Seg::Q(a, b, x, y) => {
                let _ = write!(d, "Q{} {} {} {}", n(a), n(b), n(x), n(y));
            }
            Seg::C(a, b, c, e, x, y) => {
                let _ = write!(d, "C{} {} {} {} {} {}", n(a), n(b), n(c), n(e), n(x), n(y));
            }
            Seg::Z => d.push('Z'),
        }
    }
    d
}

/// The SVG document of a display list.
pub fn write(canvas: &Canvas, prims: &[Prim]) -> String {
    let mut body = String::new();
    let mut used: BTreeSet<(Face, u16)> = BTreeSet::new();
    for p in prims {
        match p {
            Prim::Fill { pts, color } => {
                if pts.len() >= 3 {
                    let _ = writeln!(
                        body,
                        "<polygon points=\"{}\" fill=\"{}\"{}/>",
                        points(pts),
                        colour(*color),
                        opacity("fill-opacity", *color)
                    );
                }
            }
            Prim::Area { rings, color } => {
                let mut dd = String::new();
                for r in rings.iter().filter(|r| r.len() >= 3) {
                    for (i, p) in super::thin(r).iter().enumerate() {
                        dd.push(if i == 0 { 'M' } else { 'L' });
                        let _ = write!(dd, "{} {}", num(p.0), num(p.1));
                    }
                    dd.push('Z');
                }
                if !dd.is_empty() {
                    let _ = writeln!(
                        body,
                        "<path d=\"{dd}\" fill=\"{}\"{} fill-rule=\"evenodd\"/>",
                        colour(*color),
                        opacity("fill-opacity", *color)
                    );
                }
            }
            Prim::Line {
                pts,
                color,
                width,
                dash,
            } => {
                if pts.len() < 2 {
                    continue;
                }
                let dash = dash
                    .map(|(d, g)| format!(" stroke-dasharray=\"{} {}\"", num(d), num(g)))
                    .unwrap_or_default();
                let _ = writeln!(
                    body,
                    "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\"{} stroke-width=\"{}\"{dash}/>",
                    points(pts),
                    colour(*color),
                    opacity("stroke-opacity", *color),
                    num(*width)
                );
            }
            Prim::Circle { c, r, fill, stroke } => {
                let f = fill
                    .map(|f| format!("fill=\"{}\"{}", colour(f), opacity("fill-opacity", f)))
                    .unwrap_or_else(|| "fill=\"none\"".into());
                let s = stroke
                    .map(|(s, w)| {
                        format!(
                            " stroke=\"{}\"{} stroke-width=\"{}\"",
                            colour(s),
                            opacity("stroke-opacity", s),
                            num(w)
                        )
                    })
                    .unwrap_or_default();
                let _ = writeln!(
                    body,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" {f}{s}/>",
                    num(c.0),
                    num(c.1),
                    num(*r)
                );
            }
            Prim::Text {
                at,
                text,
                px,
                color,
                h,
                v,
                bold,
                italic,
                vertical,
            } => {
                let face = Face::of(*bold, *italic);
                let s = tx::set(text, *px, face, *at, *h, *v, *vertical);
                let k = s.k;
                let m = if *vertical {
                    format!(
                        "matrix(0 {} {} 0 {} {})",
                        num6(-k),
                        num6(-k),
                        num(s.origin.0),
                        num(s.origin.1)
                    )
                } else {
                    format!(
                        "matrix({} 0 0 {} {} {})",
                        num6(k),
                        num6(-k),
                        num(s.origin.0),
                        num(s.origin.1)
                    )
                };
                let _ = write!(
                    body,
                    "<g aria-label=\"{}\" fill=\"{}\"{} transform=\"{m}\">",
                    escape(text),
                    colour(*color),
                    opacity("fill-opacity", *color)
                );
                for g in &s.run.glyphs {
                    if tx::outline(face, g.gid).is_empty() {
                        continue;
                    }
                    used.insert((face, g.gid));
                    let x = if g.x == 0.0 {
                        String::new()
                    } else {
                        format!(" x=\"{}\"", num(g.x))
                    };
                    let _ = write!(body, "<use xlink:href=\"#{}\"{x}/>", glyph_id(face, g.gid));
                }
                body.push_str("</g>\n");
            }
        }
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" version=\"1.1\" \
         width=\"{}mm\" height=\"{}mm\" viewBox=\"0 0 {} {}\" stroke-linejoin=\"round\">",
        num(canvas.width_mm),
        num(canvas.height_mm()),
        canvas.w,
        canvas.h
    );
    out.push_str("<!-- Text: DejaVu Sans glyph outlines (fonts (c) Bitstream, DejaVu changes public domain) -->\n<defs>\n");
    for (face, gid) in &used {
        let _ = writeln!(
            out,
            "<path id=\"{}\" d=\"{}\"/>",
            glyph_id(*face, *gid),
            glyph_path(*face, *gid)
        );
    }
    out.push_str("</defs>\n");
    let _ = writeln!(
        out,
        "<rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
        canvas.w, canvas.h
    );
    out.push_str(&body);
    out.push_str("</svg>\n");
    out
}

fn num6(v: f64) -> String {
    let s = format!("{:.6}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}
