//! The charts: Türkiye's imports and their concentration, exposure by band, distance profiles,
//! the Ganja-gap disruption and the worst single elements.
//!
//! One file per chart; this file holds what several share (supplier order and legend, the
//! stacked pieces, margins, commodity colours).

pub mod disruption;
pub mod exposure_bands;
pub mod profile;
pub mod rank_top;
pub mod supply_imports;
pub mod supply_shares_hhi;

pub(crate) use rank_top::short_name;

use super::data::Ctx;
use super::i18n::L;
use super::layout::{fit_axis, Axes, Doc, Swatch};
use super::style::{self, pt};
use crate::analysis::exposure::{band_key, prepare_routes, DEFAULT_BANDS_KM};
use crate::analysis::flow::{self, ElementKind};
use crate::analysis::supply::{YearRow, UNATTRIBUTED};
use crate::geodesy::ZoneIndex;
use crate::model::Commodity;
use anyhow::{bail, Result};
use plotters::style::RGBAColor;

/// Suppliers of the rows, in stacking order (pipeline suppliers first, remainders last).
fn suppliers(rows: &[YearRow]) -> Vec<String> {
    let mut s: Vec<String> = Vec::new();
    for r in rows {
        for k in r.shares.keys() {
            if !s.contains(k) {
                s.push(k.clone());
            }
        }
    }
    s.sort_by(|a, b| {
        style::supplier_rank(a)
            .cmp(&style::supplier_rank(b))
            .then(a.cmp(b))
    });
    s
}

fn is_unattributed(s: &str) -> bool {
    s == UNATTRIBUTED
}

fn supplier_legend(ctx: &Ctx, sup: &[String]) -> Vec<(String, Swatch)> {
    sup.iter()
        .map(|s| {
            let sw = if is_unattributed(s) {
                Swatch::Hatched(style::supplier_colour(s))
            } else {
                Swatch::Box(style::supplier_colour(s))
            };
            (ctx.l.supplier(s), sw)
        })
        .collect()
}

/// One stacked bar segment, with the remainder's hatching and outline.
fn stack_piece(d: &mut Doc, supplier: &str, a: (f64, f64), b: (f64, f64)) {
    if (b.1 - a.1).abs() < 0.5 {
        return;
    }
    let c = style::supplier_colour(supplier);
    d.rect(a, b, Some(c), None);
    if is_unattributed(supplier) {
        let sp = d.px(pt::LEGEND) * 0.45;
        d.hatch(a, b, style::AXIS, sp);
        d.rect(a, b, None, Some((style::INK, d.c.pt(0.6))));
    } else {
        d.rect(a, b, None, Some((style::WHITE, d.c.pt(0.4))));
    }
}

/// Left margin that fits tick labels and a vertical axis title.
fn left_margin(d: &Doc, labels: &[String]) -> f64 {
    let w = labels
        .iter()
        .map(|s| d.width(s, pt::TICK))
        .fold(0.0, f64::max);
    // Room for a vertical axis title of up to two lines.
    d.m + d.px(pt::LABEL) * 2.7 + w + d.px(pt::TICK) * 0.9
}

fn commodity_colour(c: Commodity) -> RGBAColor {
    match c {
        Commodity::Oil => style::OIL,
        _ => style::GAS,
    }
}

/// A light tint of a colour (the "after" bars).
fn tint(c: RGBAColor, t: f64) -> RGBAColor {
    let m = |v: u8| (v as f64 + (255.0 - v as f64) * t).round() as u8;
    RGBAColor(m(c.0), m(c.1), m(c.2), 1.0)
}

/// A value axis from 0 to a nice maximum at or above `top`, with about `n` ticks, over `slots`
/// categories from the left margin (which fits the tick labels) to `x1`, between `y0` and `y1`.
/// Returns the axes, the ticks and their step.
fn value_axes(
    d: &mut Doc,
    l: &L,
    top: f64,
    n: usize,
    x1: f64,
    y: (f64, f64),
    slots: f64,
) -> (Axes, Vec<f64>, f64) {
    let (ymax, ticks, step) = fit_axis(top, n);
    d.record_axis("y", top, 0.0, ymax, step);
    let labels: Vec<String> = ticks.iter().map(|t| l.tick(*t, step)).collect();
    let ax = Axes {
        x0: left_margin(d, &labels),
        x1,
        y0: y.0,
        y1: y.1,
        xr: (0.0, slots),
        yr: (0.0, ymax),
    };
    (ax, ticks, step)
}
