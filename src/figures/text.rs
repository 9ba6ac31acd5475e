//! Text layout shared by the three painters (PNG, SVG, PDF): the embedded DejaVu Sans faces,
//! glyph runs with their advances and kerning, the anchor rules, and glyph outlines.
//!
//! Every painter places the same glyphs at the same positions, so a label's box is known before
//! anything is drawn (the maps' collision search uses [`text_box`]) and the three files agree.
//! Nothing here reads a system font: the faces are the `dejavu` crate's bytes.

use std::sync::OnceLock;
use ttf_parser::{Face as TtfFace, GlyphId, OutlineBuilder};

/// A face of DejaVu Sans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Face {
    Regular,
    Bold,
    Oblique,
}

impl Face {
    pub const ALL: [Face; 3] = [Face::Regular, Face::Bold, Face::Oblique];

    pub fn of(bold: bool, italic: bool) -> Face {
        if bold {
            Face::Bold
        } else if italic {
            Face::Oblique
        } else {
            Face::Regular
        }
    }

    pub fn bytes(self) -> &'static [u8] {
        match self {
            Face::Regular => dejavu::sans::regular(),
            Face::Bold => dejavu::sans::bold(),
            Face::Oblique => dejavu::sans::oblique(),
        }
    }

    /// The PostScript name (PDF `BaseFont`, after the subset tag).
    pub fn postscript(self) -> &'static str {
        match self {
            Face::Regular => "DejaVuSans",
            Face::Bold => "DejaVuSans-Bold",
            Face::Oblique => "DejaVuSans-Oblique",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// The parsed face.
    pub fn ttf(self) -> &'static TtfFace<'static> {
        static FACES: OnceLock<Vec<TtfFace<'static>>> = OnceLock::new();
        &FACES.get_or_init(|| {
            Face::ALL
                .iter()
                .map(|f| TtfFace::parse(f.bytes(), 0).expect("the dejavu crate's TTF parses"))
                .collect()
        })[self.index()]
    }

    pub fn upem(self) -> f64 {
        self.ttf().units_per_em() as f64
    }
}

/// Where the baseline sits relative to a text's anchor, in ems: the cap height of DejaVu Sans is
/// 0.729 em, its descender 0.236 em.
const CAP: f64 = 0.729;
const DESC: f64 = 0.236;
/// The box a line of text occupies above and below its baseline, in ems.
pub const BOX_ABOVE: f64 = CAP + 0.08;
pub const BOX_BELOW: f64 = DESC;

/// One glyph of a run: its id, its pen position from the run's start (font units), and the text
/// it stands for.
#[derive(Debug, Clone, Copy)]
pub struct Placed {
    pub gid: u16,
    pub x: f64,
    pub ch: char,
}

/// A run of glyphs: positions in font units (advances plus the `kern` table's pairs).
#[derive(Debug, Clone)]
pub struct Run {
    pub face: Face,
    pub glyphs: Vec<Placed>,
    /// Total advance, font units.
    pub width: f64,
}

fn kern(face: &TtfFace, a: GlyphId, b: GlyphId) -> i16 {
    face.tables()
        .kern
        .and_then(|k| {
            k.subtables
                .into_iter()
                .filter(|s| s.horizontal && !s.variable && !s.has_cross_stream)
                .find_map(|s| s.glyphs_kerning(a, b))
        })
        .unwrap_or(0)
}

/// Lays out `text` in `face` (no shaping beyond kerning: the labels are Latin).
pub fn run(text: &str, face: Face) -> Run {
    let f = face.ttf();
    let mut glyphs = Vec::with_capacity(text.len());
    let mut x = 0.0;
    let mut prev: Option<GlyphId> = None;
    for ch in text.chars() {
        let g = f.glyph_index(ch).unwrap_or(GlyphId(0));
        if let Some(p) = prev {
            x += kern(f, p, g) as f64;
        }
        glyphs.push(Placed { gid: g.0, x, ch });
        x += f.glyph_hor_advance(g).unwrap_or(0) as f64;
        prev = Some(g);
    }
    Run {
        face,
        glyphs,
        width: x,
    }
}

/// Width of `text` at `em` pixels.
pub fn width(text: &str, em: f64, face: Face) -> f64 {
    run(text, face).width / face.upem() * em
}

/// Horizontal anchor of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum H {
    Left,
    Center,
    Right,
}

/// Vertical anchor of a text: the top of its box, the middle of its capitals, or the bottom
/// of its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V {
    Top,
    Center,
    Bottom,
}

/// A text placed on the canvas: its run, the baseline origin, the scale (pixels per font unit),
/// and whether it reads upward (rotated 90° counter-clockwise).
#[derive(Debug, Clone)]
pub struct Set {
    pub run: Run,
    pub origin: (f64, f64),
    pub k: f64,
    pub em: f64,
    pub vertical: bool,
}

#[cfg(test)]
impl Set {
    /// Canvas position of a point given in the run's frame (u along the baseline, v up), font
    /// units.
    pub fn to_canvas(&self, u: f64, v: f64) -> (f64, f64) {
        if self.vertical {
            (self.origin.0 - v * self.k, self.origin.1 - u * self.k)
        } else {
            (self.origin.0 + u * self.k, self.origin.1 - v * self.k)
        }
    }
}

/// Places a text at `at` with the given anchors.
pub fn set(text: &str, em: f64, face: Face, at: (f64, f64), h: H, v: V, vertical: bool) -> Set {
    let r = run(text, face);
    let k = em / face.upem();
    let w = r.width * k;
    let du = match h {
        H::Left => 0.0,
        H::Center => -w / 2.0,
        H::Right => -w,
    };
    // Distance from the anchor down to the baseline (in the text's own frame).
    let dv = match v {
        V::Top => BOX_ABOVE * em,
        V::Center => CAP / 2.0 * em,
        V::Bottom => -BOX_BELOW * em,
    };
    let origin = if vertical {
        // u runs up the canvas, "down" in the text's frame runs right.
        (at.0 + dv, at.1 - du)
    } else {
        (at.0 + du, at.1 + dv)
    };
    Set {
        run: r,
        origin,
        k,
        em,
        vertical,
    }
}

/// The box a placed text occupies on the canvas: (left, top), (right, bottom).
#[cfg(test)]
pub fn text_box(s: &Set) -> ((f64, f64), (f64, f64)) {
    let a = s.to_canvas(0.0, BOX_ABOVE * s.run.face.upem());
    let b = s.to_canvas(s.run.width, -BOX_BELOW * s.run.face.upem());
    ((a.0.min(b.0), a.1.min(b.1)), (a.0.max(b.0), a.1.max(b.1)))
}

/// A glyph outline as path commands in font units (y up).
#[derive(Debug, Clone, PartialEq)]
pub enum Seg {
    M(f32, f32),
    L(f32, f32),
    Q(f32, f32, f32, f32),
    C(f32, f32, f32, f32, f32, f32),
    Z,
}

struct Collect(Vec<Seg>);

impl OutlineBuilder for Collect {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.push(Seg::M(x, y));
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.0.push(Seg::L(x, y));
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.0.push(Seg::Q(x1, y1, x, y));
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.0.push(Seg::C(x1, y1, x2, y2, x, y));
    }
    fn close(&mut self) {
        self.0.push(Seg::Z);
    }
}

/// The outline of a glyph (empty for spaces).
pub fn outline(face: Face, gid: u16) -> Vec<Seg> {
    let mut c = Collect(Vec::new());
    face.ttf().outline_glyph(GlyphId(gid), &mut c);
    c.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_grow_with_text_and_size() {
        let a = width("Ganja", 10.0, Face::Regular);
        assert!(a > 20.0 && a < 40.0, "{a}");
        assert!((width("Ganja", 20.0, Face::Regular) - 2.0 * a).abs() < 1e-9);
        assert!(width("Ganja", 10.0, Face::Bold) > a);
    }

    #[test]
    fn anchors_put_the_box_where_asked() {
        let s = set(
            "Tovuz",
            20.0,
            Face::Regular,
            (100.0, 50.0),
            H::Left,
            V::Top,
            false,
        );
        let b = text_box(&s);
        assert!((b.0 .0 - 100.0).abs() < 1e-9 && (b.0 .1 - 50.0).abs() < 1e-9);
        let s = set(
            "Tovuz",
            20.0,
            Face::Regular,
            (100.0, 50.0),
            H::Center,
            V::Center,
            true,
        );
        let b = text_box(&s);
        // Vertical text: tall and narrow, centred on the anchor.
        assert!(b.1 .1 - b.0 .1 > b.1 .0 - b.0 .0);
        assert!(((b.0 .1 + b.1 .1) / 2.0 - 50.0).abs() < 1e-6);
    }

    #[test]
    fn outlines_exist_for_letters_not_spaces() {
        let r = run("a b", Face::Regular);
        assert!(!outline(Face::Regular, r.glyphs[0].gid).is_empty());
        assert!(outline(Face::Regular, r.glyphs[1].gid).is_empty());
    }
}
