//! Typography and colour: the embedded font, text sizes in points, and the palette.
//!
//! Font: DejaVu Sans (from the `dejavu` crate, which ships the TTF bytes). The fonts are
//! © Bitstream (Bitstream Vera licence) with DejaVu changes in the public domain; glyphs from Arev
//! © Tavmjong Bah. The licence permits embedding and redistribution. A fresh machine has no
//! system fonts, so every family the figures name is registered from these embedded bytes.
//!
//! Palette: Okabe & Ito (2008), "Color Universal Design", safe for the common forms of colour
//! blindness. Oil and gas differ in colour *and* in dash (oil dashed), so they stay apart in
//! greyscale print too.

use plotters::style::{FontStyle, RGBAColor};
use std::sync::Once;

/// The family name used in every text element (and written into the SVG `font-family`).
pub const FAMILY: &str = "DejaVu Sans";

static REGISTER: Once = Once::new();

/// Registers DejaVu Sans (regular, bold, oblique) under [`FAMILY`] and under `sans-serif`
/// (plotters' default family), once per process.
pub fn register_fonts() {
    REGISTER.call_once(|| {
        for name in [FAMILY, "sans-serif"] {
            // The bytes are the crate's own TTFs; a failure would be a broken build, and then
            // text falls back to nothing rather than panicking.
            let _ =
                plotters::style::register_font(name, FontStyle::Normal, dejavu::sans::regular());
            let _ = plotters::style::register_font(name, FontStyle::Bold, dejavu::sans::bold());
            let _ =
                plotters::style::register_font(name, FontStyle::Oblique, dejavu::sans::oblique());
            let _ =
                plotters::style::register_font(name, FontStyle::Italic, dejavu::sans::oblique());
        }
    });
}

/// Text sizes in points as printed (SVG `font-size`); the canvas converts them to pixels at its
/// dpi. Nothing is below 6 pt, the usual journal minimum.
pub mod pt {
    pub const TITLE: f64 = 9.0;
    pub const LABEL: f64 = 7.5;
    pub const TICK: f64 = 6.5;
    pub const LEGEND: f64 = 6.5;
    pub const NOTE: f64 = 6.0;
    pub const SOURCE: f64 = 6.0;
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

/// Distance bands around the border, nearest darkest (a sequential ramp of Okabe–Ito's
/// reddish purple, so they do not compete with the corridors' blue and vermillion).
pub const BANDS: [RGBAColor; 4] = [
    RGBAColor(204, 121, 167, 0.62),
    RGBAColor(204, 121, 167, 0.42),
    RGBAColor(204, 121, 167, 0.25),
    RGBAColor(204, 121, 167, 0.12),
];

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
