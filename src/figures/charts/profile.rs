//! `profile-btc` / `profile-scp`: distance to the Armenia–Azerbaijan border by chainage.

use super::*;
use crate::figures::data::{cell, Ctx};
use crate::figures::layout::{nice_max, nice_ticks, Axes, Swatch};
use crate::figures::render::{H, V};
use crate::figures::style::{self, pt};
use crate::figures::{Built, BORDER_ZONE};

/// Top of the profile charts' distance axis, km.
const PROFILE_CAP_KM: f64 = 300.0;

/// `profile-btc` / `profile-scp`: distance to the Armenia–Azerbaijan border by chainage.
pub fn build(ctx: &Ctx, corridor: &str, id: &str) -> Result<Built> {
    let l = &ctx.l;
    let zone = ctx.d.zone(BORDER_ZONE, id)?;
    let routes = prepare_routes(&ctx.d.network);
    let Some((_, route)) = routes.iter().find(|(c, _)| c == corridor) else {
        bail!("figure {id} needs the corridor {corridor}, which the network does not have");
    };
    let samples = crate::analysis::profile::profile(route, &ZoneIndex::new(&zone.geometry), 1.0);
    if samples.is_empty() {
        bail!("figure {id}: the corridor {corridor} has no length to sample");
    }
    let commodity = ctx
        .d
        .network
        .segments
        .iter()
        .find(|s| s.corridor == corridor)
        .map(|s| s.commodity)
        .unwrap_or(Commodity::Unknown);
    let colour = if commodity == Commodity::Oil {
        style::OIL
    } else {
        style::GAS
    };
    let title = l.title_profile(corridor);
    let (mut d, mut y) = ctx.start(85.0, &title);
    let right = d.right();
    let legend: Vec<(String, Swatch)> = DEFAULT_BANDS_KM
        .iter()
        .enumerate()
        .map(|(i, b)| {
            (
                format!("≤ {} km", l.num(*b, 0)),
                Swatch::Box(style::BANDS[i]),
            )
        })
        .chain(std::iter::once((
            corridor.to_string(),
            Swatch::Line(colour, d.c.pt(1.3), None),
        )))
        .collect();
    y = d.legend_row(d.m, right, y, &legend) + d.px(pt::TICK) * 1.2;
    let bottom = d.source(&ctx.source_geodesic()) - d.px(pt::LABEL) * 3.4;
    let len = samples.last().map(|s| s.chainage_km).unwrap_or(0.0);
    let dmax = samples.iter().map(|s| s.distance_km).fold(0.0, f64::max);
    // The near-border stretch is the point of the chart: beyond PROFILE_CAP_KM the line is cut
    // at the top edge (the CSV keeps every sample), so the bands stay legible.
    let capped = dmax > PROFILE_CAP_KM;
    let ymax = if capped {
        PROFILE_CAP_KM
    } else {
        nice_max(dmax * 1.05, 5)
    };
    let (yt, ys) = nice_ticks(0.0, ymax, 6);
    let xmax = nice_max(len, 8);
    let (xt, xs) = nice_ticks(0.0, xmax, 8);
    let labels: Vec<String> = yt.iter().map(|t| l.tick(*t, ys)).collect();
    let ax = Axes {
        x0: left_margin(&d, &labels),
        x1: right,
        y0: y,
        y1: bottom,
        xr: (0.0, xmax),
        yr: (0.0, ymax),
    };
    // Band stripes first, under the grid.
    let mut lo = 0.0;
    for (i, b) in DEFAULT_BANDS_KM.iter().enumerate() {
        let hi = b.min(ymax);
        if hi > lo {
            d.rect(
                (ax.x0, ax.y(hi)),
                (ax.x1, ax.y(lo)),
                Some(style::BANDS[i]),
                None,
            );
        }
        lo = *b;
    }
    ax.y_axis(
        &mut d,
        l,
        &yt,
        ys,
        l.p(
            "Distance to the Armenia–Azerbaijan border (km)",
            "Jarak ke perbatasan Armenia–Azerbaijan (km)",
        ),
    );
    ax.x_axis(
        &mut d,
        l,
        &xt,
        xs,
        l.p(
            "Distance along the route from its start (km)",
            "Jarak sepanjang rute dari titik awal (km)",
        ),
    );
    let data: Vec<(f64, f64)> = samples
        .iter()
        .map(|s| (s.chainage_km, s.distance_km))
        .collect();
    let mut piece: Vec<(f64, f64)> = Vec::new();
    for w in data.windows(2) {
        match crate::figures::map::clip_segment(w[0], w[1], (0.0, xmax), (0.0, ymax)) {
            Some((a, b)) => {
                let pa = (ax.x(a.0), ax.y(a.1));
                if piece
                    .last()
                    .is_none_or(|l| (l.0 - pa.0).abs() + (l.1 - pa.1).abs() > 0.5)
                {
                    if piece.len() >= 2 {
                        d.line(std::mem::take(&mut piece), colour, d.c.pt(1.3));
                    }
                    piece = vec![pa];
                }
                piece.push((ax.x(b.0), ax.y(b.1)));
            }
            None => {
                if piece.len() >= 2 {
                    d.line(std::mem::take(&mut piece), colour, d.c.pt(1.3));
                }
                piece.clear();
            }
        }
    }
    if piece.len() >= 2 {
        d.line(piece, colour, d.c.pt(1.3));
    }
    // The closest approach as `exposure` measures it (exact, not the 1 km samples), so the
    // number matches the map and the exposure table.
    let best = ctx
        .border_exposure(id)?
        .iter()
        .find(|e| e.corridor == corridor)
        .and_then(|e| Some((e.chainage_km?, e.min_distance_km?)));
    if let Some((at, dist)) = best {
        let p = (ax.x(at), ax.y(dist.min(ymax)));
        d.prims.push(crate::figures::render::Prim::Circle {
            c: p,
            r: d.c.pt(2.2),
            fill: Some(style::WHITE),
            stroke: Some((style::INK, d.c.pt(0.8))),
        });
        let label = format!(
            "{} {} km {} km {}",
            l.p("closest:", "terdekat:"),
            l.num(dist, 1),
            l.p("at", "pada"),
            l.num(at, 0)
        );
        let w = d.width(&label, pt::NOTE);
        let (hx, lx) = if p.0 + w + d.px(pt::NOTE) * 2.0 > ax.x1 {
            (H::Right, p.0 - d.px(pt::NOTE) * 0.8)
        } else {
            (H::Left, p.0 + d.px(pt::NOTE) * 0.8)
        };
        let ly = (p.1 - d.px(pt::NOTE) * 2.0).max(ax.y0 + d.px(pt::NOTE));
        d.text((lx, ly), &label, pt::NOTE, hx, V::Bottom);
    }
    let (at, dist) = best.unwrap_or_default();
    let cap_note = l.caption_profile_cap_note(capped, PROFILE_CAP_KM, dmax);
    let caption = l.caption_profile(corridor, dist, at, &cap_note);
    let table: Vec<Vec<String>> = samples
        .iter()
        .map(|s| {
            vec![
                cell(s.chainage_km, 3),
                cell(s.lon, 6),
                cell(s.lat, 6),
                cell(s.distance_km, 3),
            ]
        })
        .collect();
    d.built(
        title,
        caption,
        &["chainage_km", "lon", "lat", "distance_km"],
        &table,
    )
}
