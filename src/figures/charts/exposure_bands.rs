//! `exposure-bands`: km of each corridor within each distance band of the Armenia–Azerbaijan border.

use super::*;
use crate::figures::data::{cell, Ctx};
use crate::figures::layout::Swatch;
use crate::figures::render::{H, V};
use crate::figures::style::{self, pt};
use crate::figures::Built;

/// Opaque versions of the band colours, for bars.
fn band_bar_colour(i: usize) -> RGBAColor {
    let a = style::BANDS[i.min(3)].3;
    let mix = |c: u8| (255.0 - (255.0 - c as f64) * (a + 0.15).min(1.0)).round() as u8;
    let p = style::PURPLE;
    RGBAColor(mix(p.0), mix(p.1), mix(p.2), 1.0)
}

/// `exposure-bands`: km of each corridor within each distance band of the Armenia–Azerbaijan border.
pub fn build(ctx: &Ctx) -> Result<Built> {
    let l = &ctx.l;
    let rows = ctx.border_exposure("exposure-bands")?;
    let bands = DEFAULT_BANDS_KM;
    let km = |e: &crate::analysis::exposure::Exposure, b: f64| e.within_km.get(b).unwrap_or(0.0);
    let mut table = Vec::new();
    for e in rows {
        for b in bands {
            table.push(vec![
                e.corridor.clone(),
                e.zone.clone(),
                band_key(b),
                cell(km(e, b), 3),
                e.min_distance_km.map(|v| cell(v, 3)).unwrap_or_default(),
            ]);
        }
    }
    let mut shown: Vec<&crate::analysis::exposure::Exposure> =
        rows.iter().filter(|e| km(e, 70.0) > 0.0).collect();
    shown.sort_by(|a, b| {
        km(b, 70.0)
            .total_cmp(&km(a, 70.0))
            .then(a.corridor.cmp(&b.corridor))
    });
    let title = l.title("exposure-bands");
    let (mut d, mut y) = ctx.start(95.0, &title);
    let right = d.right();
    let legend: Vec<(String, Swatch)> = bands
        .iter()
        .enumerate()
        .map(|(i, b)| {
            (
                format!("{} {} km", l.p("within", "dalam"), l.num(*b, 0)),
                Swatch::Box(band_bar_colour(i)),
            )
        })
        .collect();
    y = d.legend_row(d.m, right, y, &legend) + d.px(pt::TICK) * 1.2;
    let bottom = d.source(&ctx.source_geodesic()) - d.px(pt::LABEL) * 3.4;
    let vmax = shown.iter().map(|e| km(e, 70.0)).fold(0.0, f64::max);
    let slots = shown.len().max(1) as f64;
    let (ax, ticks, step) = value_axes(&d, l, vmax * 1.1, 5, right, (y, bottom), slots);
    ax.y_axis(
        &mut d,
        l,
        &ticks,
        step,
        l.p(
            "Route length within the band (km)",
            "Panjang rute dalam pita jarak (km)",
        ),
    );
    for (i, e) in shown.iter().enumerate() {
        let group = (ax.x(i as f64 + 0.12), ax.x(i as f64 + 0.88));
        let bw = (group.1 - group.0) / bands.len() as f64;
        for (j, b) in bands.iter().enumerate() {
            let v = km(e, *b);
            let xa = group.0 + j as f64 * bw + bw * 0.06;
            let xb = xa + bw * 0.88;
            d.rect(
                (xa, ax.y(v)),
                (xb, ax.y(0.0)),
                Some(band_bar_colour(j)),
                Some((style::AXIS, d.c.pt(0.4))),
            );
            d.text(
                ((xa + xb) / 2.0, ax.y(v) - d.px(pt::NOTE) * 0.25),
                &l.num(v, 0),
                pt::NOTE,
                H::Center,
                V::Bottom,
            );
        }
        d.text(
            ((group.0 + group.1) / 2.0, ax.y1 + d.px(pt::TICK) * 0.45),
            &e.corridor,
            pt::TICK,
            H::Center,
            V::Top,
        );
    }
    ax.baseline(&mut d);
    d.text(
        ((ax.x0 + ax.x1) / 2.0, ax.y1 + d.px(pt::TICK) * 1.9),
        l.p("Corridor", "Koridor"),
        pt::LABEL,
        H::Center,
        V::Top,
    );
    let omitted: Vec<&str> = rows
        .iter()
        .filter(|e| km(e, 70.0) <= 0.0)
        .map(|e| e.corridor.as_str())
        .collect();
    let caption = l.caption_exposure_bands(&omitted);
    d.built(
        title,
        caption,
        &[
            "corridor",
            "zone",
            "band_km",
            "within_km",
            "min_distance_km",
        ],
        &table,
    )
}
