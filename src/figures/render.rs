//! A small display list and its three painters (PNG, SVG, PDF).
//!
//! Each figure is laid out once, in pixels of the print canvas, as a list of primitives; the same
//! list is then painted as a bitmap (plotters' bitmap backend for shapes, glyphs rasterised from
//! the embedded font), as SVG ([`svg`], text as glyph outlines) and as PDF ([`pdf`], text in the
//! embedded, subset font). Text is laid out once ([`super::text`]), so the three files agree,
//! layout code never depends on a backend, and the output is a pure function of the data (no
//! clocks, no random ids, no hash-map order, no system fonts).

pub mod pdf;
pub mod svg;

use super::text::{self as tx, Face};
pub use super::text::{H, V};
use anyhow::{anyhow, Result};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::RGBAColor;

/// One drawing primitive, in canvas pixels (y down).
#[derive(Debug, Clone)]
pub enum Prim {
    /// A filled polygon (no outline; draw a closed `Line` for one).
    Fill {
        pts: Vec<(f64, f64)>,
        color: RGBAColor,
    },
    /// A filled area of several rings (an outer ring and its holes), even-odd.
    Area {
        rings: Vec<Vec<(f64, f64)>>,
        color: RGBAColor,
    },
    /// A polyline; `dash` = (dash, gap) in pixels.
    Line {
        pts: Vec<(f64, f64)>,
        color: RGBAColor,
        width: f64,
        dash: Option<(f64, f64)>,
    },
    Circle {
        c: (f64, f64),
        r: f64,
        fill: Option<RGBAColor>,
        stroke: Option<(RGBAColor, f64)>,
    },
    Text {
        at: (f64, f64),
        text: String,
        /// Size (the em) in pixels.
        px: f64,
        color: RGBAColor,
        h: H,
        v: V,
        bold: bool,
        italic: bool,
        /// Rotated 90° counter-clockwise (vertical axis titles).
        vertical: bool,
    },
}

/// The print canvas: size in pixels and the pixels per point at its dpi.
#[derive(Debug, Clone, Copy)]
pub struct Canvas {
    pub w: u32,
    pub h: u32,
    pub dpi: u32,
    pub width_mm: f64,
}

impl Canvas {
    /// A canvas `width_mm` × `height_mm` at `dpi`.
    pub fn new(width_mm: f64, height_mm: f64, dpi: u32) -> Canvas {
        let px = |mm: f64| (mm / 25.4 * dpi as f64).round().max(1.0) as u32;
        Canvas {
            w: px(width_mm),
            h: px(height_mm),
            dpi,
            width_mm,
        }
    }

    /// Points → pixels.
    pub fn pt(&self, pt: f64) -> f64 {
        pt * self.dpi as f64 / 72.0
    }

    /// Millimetres → pixels.
    pub fn mm(&self, mm: f64) -> f64 {
        mm / 25.4 * self.dpi as f64
    }

    pub fn height_mm(&self) -> f64 {
        self.h as f64 / self.dpi as f64 * 25.4
    }
}

/// The width of `text` at `px` pixels (the em) in the embedded font (layout needs it for legends,
/// right-aligned labels and collision checks).
pub fn text_width(text: &str, px: f64, bold: bool) -> f64 {
    super::text::width(text, px, Face::of(bold, false))
}

/// A polyline without the vertices closer than a third of a pixel to the last one kept (the
/// last vertex always stays): the vector files need no more detail than the print resolution
/// shows, and the basemap's and OpenStreetMap's dense lines would otherwise swell them.
pub(crate) fn thin(pts: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(pts.len());
    for (i, p) in pts.iter().enumerate() {
        let keep = match out.last() {
            None => true,
            Some(q) => i + 1 == pts.len() || (p.0 - q.0).abs().max((p.1 - q.1).abs()) >= 0.34,
        };
        if keep {
            out.push(*p);
        }
    }
    out
}

/// One ring for a polygon with holes: each hole joined to the outer ring by a zero-width
/// bridge from its first vertex (the bitmap filler takes a single ring).
fn keyhole(rings: &[Vec<(f64, f64)>]) -> Vec<(f64, f64)> {
    let Some(outer) = rings.first() else {
        return Vec::new();
    };
    let mut out = outer.clone();
    if let Some(&start) = outer.first() {
        for h in &rings[1..] {
            if h.is_empty() {
                continue;
            }
            out.extend(h.iter().copied());
            out.push(h[0]);
            out.push(start);
        }
    }
    out
}

fn ip(p: (f64, f64)) -> (i32, i32) {
    (p.0.round() as i32, p.1.round() as i32)
}

fn err<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow!("drawing failed: {e:?}")
}

/// Paints the list onto any plotters backend. `bitmap` adds round joins to thick lines (the
/// bitmap rasteriser draws segments as separate quads; SVG joins them itself).
fn paint<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    prims: &[Prim],
    bitmap: bool,
) -> Result<()> {
    root.fill(&WHITE).map_err(err)?;
    for p in prims {
        match p {
            Prim::Fill { pts, color } => {
                if pts.len() >= 3 {
                    let v: Vec<(i32, i32)> = pts.iter().map(|p| ip(*p)).collect();
                    root.draw(&Polygon::new(v, color.filled())).map_err(err)?;
                }
            }
            Prim::Area { rings, color } => {
                let v: Vec<(i32, i32)> = keyhole(rings).iter().map(|p| ip(*p)).collect();
                if v.len() >= 3 {
                    root.draw(&Polygon::new(v, color.filled())).map_err(err)?;
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
                let w = width.round().max(1.0) as u32;
                let style = ShapeStyle {
                    color: *color,
                    filled: false,
                    stroke_width: w,
                };
                let v: Vec<(i32, i32)> = pts.iter().map(|p| ip(*p)).collect();
                match dash {
                    Some((d, g)) => {
                        root.draw(&DashedPathElement::new(
                            v.clone(),
                            d.round().max(1.0) as i32,
                            g.round().max(1.0) as i32,
                            style,
                        ))
                        .map_err(err)?;
                    }
                    None => {
                        root.draw(&PathElement::new(v.clone(), style))
                            .map_err(err)?;
                        if bitmap && w >= 4 {
                            for q in &v[1..v.len() - 1] {
                                root.draw(&Circle::new(*q, (w / 2) as i32, color.filled()))
                                    .map_err(err)?;
                            }
                        }
                    }
                }
            }
            Prim::Circle { c, r, fill, stroke } => {
                let r = r.round().max(1.0) as i32;
                if let Some(f) = fill {
                    root.draw(&Circle::new(ip(*c), r, f.filled()))
                        .map_err(err)?;
                }
                if let Some((s, w)) = stroke {
                    root.draw(&Circle::new(
                        ip(*c),
                        r,
                        ShapeStyle {
                            color: *s,
                            filled: false,
                            stroke_width: w.round().max(1.0) as u32,
                        },
                    ))
                    .map_err(err)?;
                }
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
                if bitmap {
                    let set = tx::set(text, *px, Face::of(*bold, *italic), *at, *h, *v, *vertical);
                    raster_text(root, &set, *color)?;
                }
            }
        }
    }
    root.present().map_err(err)?;
    Ok(())
}

/// Draws a placed text into the bitmap: each glyph rasterised from the embedded outlines at its
/// exact (sub-pixel) position, coverage summed over the text and blended once.
fn raster_text<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    set: &tx::Set,
    color: RGBAColor,
) -> Result<()> {
    use ab_glyph::{Font, FontRef, GlyphId, PxScale};
    use std::sync::OnceLock;
    static FONTS: OnceLock<Vec<FontRef<'static>>> = OnceLock::new();
    let fonts = FONTS.get_or_init(|| {
        Face::ALL
            .iter()
            .map(|f| FontRef::try_from_slice(f.bytes()).expect("the dejavu crate's TTF parses"))
            .collect()
    });
    let font = &fonts[set.run.face.index()];
    let upem = font.units_per_em().unwrap_or(2048.0);
    let scale = PxScale::from((set.em * font.height_unscaled() as f64 / upem as f64) as f32);
    // Glyphs are rasterised in the run's own frame (x along the baseline, y down); vertical
    // text starts on a whole pixel so the quarter turn maps pixels exactly.
    let origin = if set.vertical {
        (set.origin.0.round(), set.origin.1.round())
    } else {
        set.origin
    };
    let (bx, by) = if set.vertical { (0.0, 0.0) } else { origin };
    let mut cov: std::collections::BTreeMap<(i32, i32), f32> = Default::default();
    for g in &set.run.glyphs {
        let glyph = GlyphId(g.gid)
            .with_scale_and_position(scale, ab_glyph::point((bx + g.x * set.k) as f32, by as f32));
        if let Some(o) = font.outline_glyph(glyph) {
            let b = o.px_bounds();
            o.draw(|x, y, c| {
                let p = (b.min.x as i32 + x as i32, b.min.y as i32 + y as i32);
                let e = cov.entry(p).or_insert(0.0);
                *e = (*e + c).min(1.0);
            });
        }
    }
    for ((x, y), c) in cov {
        if c <= 0.0 {
            continue;
        }
        let p = if set.vertical {
            (origin.0 as i32 + y, origin.1 as i32 - x - 1)
        } else {
            (x, y)
        };
        let col = RGBAColor(color.0, color.1, color.2, color.3 * c as f64);
        root.draw_pixel(p, &col).map_err(err)?;
    }
    Ok(())
}

/// The SVG text of a figure, sized in millimetres for print (the viewBox keeps the pixel grid).
pub fn svg(canvas: &Canvas, prims: &[Prim]) -> Result<String> {
    Ok(svg::write(canvas, prims))
}

/// The PDF bytes of a figure at its print size, fonts embedded and subset.
pub fn pdf(canvas: &Canvas, prims: &[Prim], title: &str) -> Result<Vec<u8>> {
    pdf::write(canvas, prims, title)
}

/// The PNG bytes of a figure: 8-bit RGB, the dpi in the `pHYs` chunk, encoded with fixed
/// settings so equal pixels give equal bytes.
pub fn png(canvas: &Canvas, prims: &[Prim]) -> Result<Vec<u8>> {
    let mut buf = vec![0u8; canvas.w as usize * canvas.h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (canvas.w, canvas.h)).into_drawing_area();
        paint(&root, prims, true)?;
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, canvas.w, canvas.h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Default);
        enc.set_filter(png::FilterType::Paeth);
        let ppm = (canvas.dpi as f64 / 0.0254).round() as u32;
        enc.set_pixel_dims(Some(png::PixelDimensions {
            xppu: ppm,
            yppu: ppm,
            unit: png::Unit::Meter,
        }));
        let mut w = enc.write_header()?;
        w.write_image_data(&buf)?;
        w.finish()?;
    }
    Ok(out)
}
