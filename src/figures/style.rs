//! Typography and colour: the embedded font, text sizes in points, and the palette.
//!
//! Font: DejaVu Sans (from the `dejavu` crate, which ships the TTF bytes). The fonts are
//! © Bitstream (Bitstream Vera licence) with DejaVu changes in the public domain; glyphs from Arev
//! © Tavmjong Bah. The licence permits embedding and redistribution. Text is laid out and drawn
//! from these bytes only (`text.rs`): the PNG rasterises the glyphs, the SVG carries their
//! outlines, the PDF embeds subsets of the faces; no system font is ever looked up.
//!
//! Palette: Okabe & Ito (2008), "Color Universal Design", safe for the common forms of colour
//! blindness. Oil and gas differ in colour *and* in dash (oil dashed), so they stay apart in
//! greyscale print too.

use plotters::style::RGBAColor;

/// Text sizes in points as printed (SVG `font-size`); the canvas converts them to pixels at its
/// dpi. Nothing is below 7 pt at any width: the canvas is the printed size (85 mm for a single
/// column, 170 mm for a double), so these are the sizes on the page, never scaled down.
pub mod pt {
    pub const TITLE: f64 = 9.0;
    pub const LABEL: f64 = 8.0;
    pub const TICK: f64 = 7.0;
    pub const LEGEND: f64 = 7.0;
    pub const NOTE: f64 = 7.0;
    pub const SOURCE: f64 = 7.0;
    /// The smallest size any text may have (the tests hold every figure to it).
    pub const MIN: f64 = 7.0;
}

const fn rgb(r: u8, g: u8, b: u8) -> RGBAColor {
    RGBAColor(r, g, b, 1.0)
}

/// Okabe–Ito colours.
pub const ORANGE: RGBAColor = rgb(230, 159, 0);
pub const SKY: RGBAColor = rgb(86, 180, 233);
pub const GREEN: RGBAColor = rgb(0, 158, 115);
pub const YELLOW: RGBAColor = rgb(240, 228, 66);
pub const BLUE: RGBAColor = rgb(0, 114, 178);
pub const VERMILLION: RGBAColor = rgb(213, 94, 0);
pub const PURPLE: RGBAColor = rgb(204, 121, 167);
pub const BLACK: RGBAColor = rgb(0, 0, 0);

/// Neutrals for text, axes, land and water.
pub const INK: RGBAColor = rgb(34, 34, 34);
pub const GREY_TEXT: RGBAColor = rgb(90, 90, 90);
pub const GRID: RGBAColor = rgb(222, 222, 222);
pub const AXIS: RGBAColor = rgb(110, 110, 110);
pub const WHITE: RGBAColor = rgb(255, 255, 255);
pub const LAND: RGBAColor = rgb(244, 242, 236);
pub const LAND_EDGE: RGBAColor = rgb(150, 150, 150);
pub const SEA: RGBAColor = rgb(226, 237, 245);
pub const UNATTRIBUTED: RGBAColor = rgb(200, 200, 200);
pub const UNSPECIFIED_LNG: RGBAColor = rgb(235, 235, 235);

/// Gas: blue, solid lines. Oil: vermillion, dashed lines.
pub const GAS: RGBAColor = BLUE;
pub const OIL: RGBAColor = VERMILLION;

/// A line's colour on the maps: oil and gas in their colours, every other commodity (products,
/// hydrogen, CO2, unknown) in the grey of secondary text.
pub fn line_colour(c: crate::model::Commodity) -> RGBAColor {
    use crate::model::Commodity;
    match c {
        Commodity::Oil => OIL,
        Commodity::Gas => GAS,
        Commodity::Products | Commodity::Hydrogen | Commodity::Co2 | Commodity::Unknown => {
            GREY_TEXT
        }
    }
}

/// Distance bands around the border, nearest darkest: ColorBrewer's sequential "Purples"
/// (Brewer, colorbrewer2.org; the 2nd–5th of its six classes), opaque, with lightness steps a
/// reader can tell apart in colour, in print and in greyscale; purple keeps clear of the
/// corridors' blue and vermillion. The maps, the profiles and the exposure bars use the same four.
pub const BANDS: [RGBAColor; 4] = [
    rgb(117, 107, 177),
    rgb(158, 154, 200),
    rgb(188, 189, 220),
    rgb(218, 218, 235),
];
/// The same (kept as a separate name where a chart wants to say it is opaque).
pub const BANDS_OPAQUE: [RGBAColor; 4] = BANDS;

/// Text on a band colour: white on the two darkest, ink on the others.
pub fn on_band(i: usize) -> RGBAColor {
    if i < 1 {
        WHITE
    } else {
        INK
    }
}

/// Colours of named suppliers, in a fixed order so a supplier keeps its colour in every figure.
pub fn supplier_colour(supplier: &str) -> RGBAColor {
    match supplier {
        "Russia" => BLUE,
        "Iran" => GREEN,
        "Azerbaijan" => ORANGE,
        "Algeria" => SKY,
        "Nigeria" => YELLOW,
        "United States" => PURPLE,
        "Egypt" => VERMILLION,
        "Oman" => rgb(120, 94, 60),
        "LNG (unspecified)" => UNSPECIFIED_LNG,
        crate::analysis::supply::UNATTRIBUTED => UNATTRIBUTED,
        _ => rgb(140, 140, 140),
    }
}

/// Order of suppliers in stacks and legends: pipeline suppliers, LNG origins, then remainders.
pub fn supplier_rank(supplier: &str) -> usize {
    const ORDER: [&str; 8] = [
        "Russia",
        "Azerbaijan",
        "Iran",
        "Algeria",
        "Nigeria",
        "United States",
        "Egypt",
        "Oman",
    ];
    match supplier {
        "LNG (unspecified)" => 1000,
        crate::analysis::supply::UNATTRIBUTED => 1001,
        s => ORDER.iter().position(|o| *o == s).unwrap_or(500),
    }
}
