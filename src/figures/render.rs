//! A small display list and its two painters (SVG and PNG).
//!
//! Each figure is laid out once, in pixels of the print canvas, as a list of primitives; the same
//! list is then painted with plotters' SVG backend and its bitmap backend. So the two files agree
//! to the pixel, layout code never depends on a backend, and the output is a pure function of
//! the data (no clocks, no random ids, no hash-map order).

use super::style::{register_fonts, FAMILY};
use anyhow::{anyhow, Result};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontFamily, FontStyle, FontTransform, RGBAColor};

/// Horizontal anchor of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum H {
    Left,
    Center,
    Right,
}

/// Vertical anchor of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V {
    Top,
    Center,
    Bottom,
}

/// One drawing primitive, in canvas pixels (y down).
#[derive(Debug, Clone)]
pub enum Prim {
    /// A filled polygon (no outline; draw a closed `Line` for one).
    Fill {
        pts: Vec<(f64, f64)>,
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
        /// Size in pixels.
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

/// The width of `text` at `px` pixels in the embedded font (layout needs it for legends,
/// right-aligned labels and collision checks).
pub fn text_width(text: &str, px: f64, bold: bool) -> f64 {
    register_fonts();
    let style = if bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    FontDesc::new(FontFamily::Name(FAMILY), px, style)
        .box_size(text)
        .map(|(w, _)| w as f64)
        // Without the font (it is embedded, so only on a broken build) estimate from the
        // average advance of a sans-serif face.
        .unwrap_or(text.chars().count() as f64 * px * 0.55)
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
                let fs = if *bold {
                    FontStyle::Bold
                } else if *italic {
                    FontStyle::Italic
                } else {
                    FontStyle::Normal
                };
                let hp = match h {
                    H::Left => HPos::Left,
                    H::Center => HPos::Center,
                    H::Right => HPos::Right,
                };
                let vp = match v {
                    V::Top => VPos::Top,
                    V::Center => VPos::Center,
                    V::Bottom => VPos::Bottom,
                };
                let mut style = TextStyle::from(FontDesc::new(FontFamily::Name(FAMILY), *px, fs))
                    .color(color)
                    .pos(Pos::new(hp, vp));
                if *vertical {
                    style = style.transform(FontTransform::Rotate270);
                }
                root.draw(&Text::new(text.as_str(), ip(*at), style))
                    .map_err(err)?;
            }
        }
    }
    root.present().map_err(err)?;
    Ok(())
}

/// The SVG text of a figure, sized in millimetres for print (the viewBox keeps the pixel grid).
pub fn svg(canvas: &Canvas, prims: &[Prim]) -> Result<String> {
    register_fonts();
    let mut s = String::new();
    {
        let root = SVGBackend::with_string(&mut s, (canvas.w, canvas.h)).into_drawing_area();
        paint(&root, prims, false)?;
    }
    let from = format!("width=\"{}\" height=\"{}\"", canvas.w, canvas.h);
    let to = format!(
        "width=\"{}mm\" height=\"{}mm\"",
        fmt_mm(canvas.width_mm),
        fmt_mm(canvas.height_mm())
    );
    Ok(s.replacen(&from, &to, 1))
}

fn fmt_mm(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The PNG bytes of a figure: 8-bit RGB, the dpi in the `pHYs` chunk, encoded with fixed
/// settings so equal pixels give equal bytes.
pub fn png(canvas: &Canvas, prims: &[Prim]) -> Result<Vec<u8>> {
    register_fonts();
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
