//! The PDF painter: one page at the figure's print size, vector shapes, and real text in DejaVu
//! Sans embedded as subset CID TrueType fonts (Identity-H, with a ToUnicode map so the text can
//! be searched and copied).
//!
//! Deterministic: no dates, no document id, subset tags derived from the glyphs used, streams
//! compressed with fixed settings. Written with `pdf-writer`, fonts subset with `subsetter`
//! (both from the typst project).

use super::super::text::{self as tx, Face};
use super::{Canvas, Prim};
use anyhow::{anyhow, Result};
use pdf_writer::types::{CidFontType, FontFlags, LineCapStyle, LineJoinStyle, SystemInfo};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use plotters::style::RGBAColor;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use subsetter::GlyphRemapper;

fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

fn alpha_key(c: RGBAColor) -> u16 {
    (c.3.clamp(0.0, 1.0) * 1000.0).round() as u16
}

/// Six capital letters naming a subset (PDF 9.6.4), from the glyphs it holds.
fn subset_tag(face: Face, gids: &BTreeSet<u16>) -> String {
    let mut h = Sha256::new();
    h.update(face.postscript().as_bytes());
    for g in gids {
        h.update(g.to_be_bytes());
    }
    h.finalize()
        .iter()
        .take(6)
        .map(|b| (b'A' + b % 26) as char)
        .collect()
}

struct State {
    alpha: Option<u16>,
}

impl State {
    fn alpha(&mut self, c: &mut Content, a: u16) {
        if self.alpha != Some(a) {
            c.set_parameters(Name(format!("A{a}").as_bytes()));
            self.alpha = Some(a);
        }
    }
}

fn rgb(c: RGBAColor) -> (f32, f32, f32) {
    (c.0 as f32 / 255.0, c.1 as f32 / 255.0, c.2 as f32 / 255.0)
}

fn path(c: &mut Content, pts: &[(f64, f64)]) {
    for (i, p) in super::thin(pts).iter().enumerate() {
        if i == 0 {
            c.move_to(p.0 as f32, p.1 as f32);
        } else {
            c.line_to(p.0 as f32, p.1 as f32);
        }
    }
}

fn circle(c: &mut Content, (x, y): (f64, f64), r: f64) {
    let k = 0.552_284_75 * r;
    let (x, y, r, k) = (x as f32, y as f32, r as f32, k as f32);
    c.move_to(x + r, y);
    c.cubic_to(x + r, y + k, x + k, y + r, x, y + r);
    c.cubic_to(x - k, y + r, x - r, y + k, x - r, y);
    c.cubic_to(x - r, y - k, x - k, y - r, x, y - r);
    c.cubic_to(x + k, y - r, x + r, y - k, x + r, y);
    c.close_path();
}

/// The PDF document of a display list.
pub fn write(canvas: &Canvas, prims: &[Prim], title: &str) -> Result<Vec<u8>> {
    let s = 72.0 / canvas.dpi as f64;
    let (w_pt, h_pt) = (canvas.w as f64 * s, canvas.h as f64 * s);
    let mut c = Content::new();
    // Canvas pixels, y down.
    c.transform([s as f32, 0.0, 0.0, -(s as f32), 0.0, h_pt as f32]);
    c.set_line_join(LineJoinStyle::RoundJoin);
    c.set_line_cap(LineCapStyle::ButtCap);
    let mut st = State { alpha: None };
    let mut alphas: BTreeSet<u16> = BTreeSet::new();
    let mut used: BTreeMap<Face, BTreeSet<u16>> = BTreeMap::new();
    // Texts are laid out first, so glyph ids are known for the subsets (and their new ids for
    // the content stream).
    let sets: Vec<Option<tx::Set>> = prims
        .iter()
        .map(|p| match p {
            Prim::Text {
                at,
                text,
                px,
                h,
                v,
                bold,
                italic,
                vertical,
                ..
            } => {
                let set = tx::set(text, *px, Face::of(*bold, *italic), *at, *h, *v, *vertical);
                let u = used.entry(set.run.face).or_default();
                u.extend(set.run.glyphs.iter().map(|g| g.gid));
                Some(set)
            }
            _ => None,
        })
        .collect();
    let remappers: BTreeMap<Face, GlyphRemapper> = used
        .iter()
        .map(|(f, gids)| {
            let mut r = GlyphRemapper::new();
            for g in gids {
                r.remap(*g);
            }
            (*f, r)
        })
        .collect();
    for (p, set) in prims.iter().zip(&sets) {
        match p {
            Prim::Fill { pts, color } => {
                if pts.len() < 3 {
                    continue;
                }
                let a = alpha_key(*color);
                alphas.insert(a);
                st.alpha(&mut c, a);
                let (r, g, b) = rgb(*color);
                c.set_fill_rgb(r, g, b);
                path(&mut c, pts);
                c.close_path();
                c.fill_nonzero();
            }
            Prim::Area { rings, color } => {
                let a = alpha_key(*color);
                alphas.insert(a);
                st.alpha(&mut c, a);
                let (r, g, b) = rgb(*color);
                c.set_fill_rgb(r, g, b);
                let mut any = false;
                for ring in rings.iter().filter(|r| r.len() >= 3) {
                    path(&mut c, ring);
                    c.close_path();
                    any = true;
                }
                if any {
                    c.fill_even_odd();
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
                let a = alpha_key(*color);
                alphas.insert(a);
                st.alpha(&mut c, a);
                let (r, g, b) = rgb(*color);
                c.set_stroke_rgb(r, g, b);
                c.set_line_width(*width as f32);
                match dash {
                    Some((d, g)) => c.set_dash_pattern([*d as f32, *g as f32], 0.0),
                    None => c.set_dash_pattern([], 0.0),
                };
                path(&mut c, pts);
                c.stroke();
            }
            Prim::Circle {
                c: at,
                r,
                fill,
                stroke,
            } => {
                if let Some(f) = fill {
                    let a = alpha_key(*f);
                    alphas.insert(a);
                    st.alpha(&mut c, a);
                    let (r0, g, b) = rgb(*f);
                    c.set_fill_rgb(r0, g, b);
                    circle(&mut c, *at, *r);
                    c.fill_nonzero();
                }
                if let Some((sc, w)) = stroke {
                    let a = alpha_key(*sc);
                    alphas.insert(a);
                    st.alpha(&mut c, a);
                    let (r0, g, b) = rgb(*sc);
                    c.set_stroke_rgb(r0, g, b);
                    c.set_line_width(*w as f32);
                    c.set_dash_pattern([], 0.0);
                    circle(&mut c, *at, *r);
                    c.stroke();
                }
            }
            Prim::Text { color, .. } => {
                let Some(set) = set else { continue };
                let face = set.run.face;
                let f = face.ttf();
                let upem = face.upem();
                let remap = &remappers[&face];
                let a = alpha_key(*color);
                alphas.insert(a);
                st.alpha(&mut c, a);
                let (r, g, b) = rgb(*color);
                c.set_fill_rgb(r, g, b);
                c.begin_text();
                c.set_font(Name(format!("F{}", face.index()).as_bytes()), set.em as f32);
                let (ox, oy) = (set.origin.0 as f32, set.origin.1 as f32);
                if set.vertical {
                    c.set_text_matrix([0.0, -1.0, -1.0, 0.0, ox, oy]);
                } else {
                    c.set_text_matrix([1.0, 0.0, 0.0, -1.0, ox, oy]);
                }
                let mut items = Vec::new();
                let mut chunk: Vec<u8> = Vec::new();
                let mut pen = 0.0;
                for gl in &set.run.glyphs {
                    let delta = gl.x - pen;
                    if delta.abs() > 1e-6 {
                        if !chunk.is_empty() {
                            items.push((std::mem::take(&mut chunk), 0.0));
                        }
                        items.push((Vec::new(), -(delta * 1000.0 / upem) as f32));
                    }
                    let new = remap.get(gl.gid).unwrap_or(0);
                    chunk.extend(new.to_be_bytes());
                    pen = gl.x
                        + f.glyph_hor_advance(ttf_parser::GlyphId(gl.gid))
                            .unwrap_or(0) as f64;
                }
                if !chunk.is_empty() {
                    items.push((chunk, 0.0));
                }
                {
                    let mut op = c.show_positioned();
                    let mut arr = op.items();
                    for (bytes, adj) in &items {
                        if bytes.is_empty() {
                            arr.adjust(*adj);
                        } else {
                            arr.show(Str(bytes));
                        }
                    }
                }
                c.end_text();
            }
        }
    }
    let content = deflate(&c.finish().into_vec());

    let mut pdf = Pdf::new();
    let mut next = 1;
    let mut alloc = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let catalog = alloc();
    let pages = alloc();
    let page = alloc();
    let content_id = alloc();
    let info = alloc();
    pdf.catalog(catalog).pages(pages);
    pdf.pages(pages).kids([page]).count(1);
    let mut font_refs: Vec<(Face, Ref)> = Vec::new();
    let mut gs_refs: Vec<(u16, Ref)> = Vec::new();
    for (face, gids) in &used {
        let remap = &remappers[face];
        let (t0, cid, desc, file, cmap) = (alloc(), alloc(), alloc(), alloc(), alloc());
        font_refs.push((*face, t0));
        let data = subsetter::subset(face.bytes(), 0, remap)
            .map_err(|e| anyhow!("subsetting {}: {e:?}", face.postscript()))?;
        let name = format!("{}+{}", subset_tag(*face, gids), face.postscript());
        let f = face.ttf();
        let upem = face.upem();
        let to1000 = |v: f64| (v * 1000.0 / upem) as f32;
        pdf.type0_font(t0)
            .base_font(Name(name.as_bytes()))
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(cmap);
        let system = SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        };
        // Widths of the new glyph ids 0..n, in the order the remapper gave them.
        let mut by_new: BTreeMap<u16, u16> = BTreeMap::new();
        by_new.insert(0, 0);
        for g in gids {
            if let Some(n) = remap.get(*g) {
                by_new.insert(n, *g);
            }
        }
        let widths: Vec<f32> = by_new
            .values()
            .map(|old| to1000(f.glyph_hor_advance(ttf_parser::GlyphId(*old)).unwrap_or(0) as f64))
            .collect();
        {
            let mut cf = pdf.cid_font(cid);
            cf.subtype(CidFontType::Type2)
                .base_font(Name(name.as_bytes()))
                .system_info(system)
                .font_descriptor(desc)
                .default_width(0.0)
                .cid_to_gid_map_predefined(Name(b"Identity"));
            cf.widths().consecutive(0, widths);
        }
        let bb = f.global_bounding_box();
        let mut flags = FontFlags::NON_SYMBOLIC;
        if *face == Face::Oblique {
            flags |= FontFlags::ITALIC;
        }
        pdf.font_descriptor(desc)
            .name(Name(name.as_bytes()))
            .flags(flags)
            .bbox(Rect::new(
                to1000(bb.x_min as f64),
                to1000(bb.y_min as f64),
                to1000(bb.x_max as f64),
                to1000(bb.y_max as f64),
            ))
            .italic_angle(f.italic_angle())
            .ascent(to1000(f.ascender() as f64))
            .descent(to1000(f.descender() as f64))
            .cap_height(to1000(f.capital_height().unwrap_or(1493) as f64))
            .stem_v(if *face == Face::Bold { 140.0 } else { 80.0 })
            .font_file2(file);
        let packed = deflate(&data);
        pdf.stream(file, &packed)
            .filter(Filter::FlateDecode)
            .pair(Name(b"Length1"), data.len() as i32);
        let mut uni = pdf_writer::types::UnicodeCmap::new(Name(b"Custom"), system);
        // Each new id to the first character it was laid out for.
        let mut chars: BTreeMap<u16, char> = BTreeMap::new();
        for set in sets.iter().flatten().filter(|s| s.run.face == *face) {
            for g in &set.run.glyphs {
                if let Some(n) = remap.get(g.gid) {
                    chars.entry(n).or_insert(g.ch);
                }
            }
        }
        for (n, ch) in chars {
            uni.pair(n, ch);
        }
        let cmap_data = uni.finish();
        pdf.cmap(cmap, &cmap_data)
            .system_info(system)
            .name(Name(b"Custom"));
    }
    for a in &alphas {
        let r = alloc();
        gs_refs.push((*a, r));
        let v = *a as f32 / 1000.0;
        pdf.ext_graphics(r).non_stroking_alpha(v).stroking_alpha(v);
    }
    {
        let mut pg = pdf.page(page);
        pg.media_box(Rect::new(0.0, 0.0, w_pt as f32, h_pt as f32))
            .parent(pages)
            .contents(content_id);
        let mut res = pg.resources();
        {
            let mut fonts = res.fonts();
            for (face, r) in &font_refs {
                fonts.pair(Name(format!("F{}", face.index()).as_bytes()), *r);
            }
        }
        {
            let mut gs = res.ext_g_states();
            for (a, r) in &gs_refs {
                gs.pair(Name(format!("A{a}").as_bytes()), *r);
            }
        }
        res.finish();
    }
    pdf.stream(content_id, &content).filter(Filter::FlateDecode);
    pdf.document_info(info)
        .title(TextStr(title))
        .producer(TextStr(&format!("corridor v{}", env!("CARGO_PKG_VERSION"))));
    Ok(pdf.finish())
}
