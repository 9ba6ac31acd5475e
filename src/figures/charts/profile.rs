//! `profile-btc` / `profile-scp`: distance to the Armenia–Azerbaijan border by chainage.

use super::*;
use crate::analysis::profile::Sample;
use crate::figures::data::{cell, Ctx};
use crate::figures::layout::{fit_axis, nice_ticks, Axes, Swatch};
use crate::figures::render::{H, V};
use crate::figures::style::{self, pt};
use crate::figures::{Built, BORDER_ZONE, GAP_ZONE, TOVUZ_ZONE};
use geo::{BoundingRect, Contains, Geometry, Point};

/// The countries the samples pass through, in order: (ISO3, from km, to km); a crossing is put
/// midway between the last sample in one country and the first in the next.
fn crossings(ctx: &Ctx, samples: &[Sample]) -> Vec<(String, f64, f64)> {
    let boxes: Vec<(&crate::model::Country, geo::Rect<f64>)> = ctx
        .d
        .countries
        .iter()
        .filter_map(|c| c.geometry.bounding_rect().map(|r| (c, r)))
        .collect();
    let mut out: Vec<(String, f64, f64)> = Vec::new();
    let mut last: Option<(f64, String)> = None;
    for s in samples {
        let p = Point::new(s.lon, s.lat);
        let Some(iso) = boxes
            .iter()
            .filter(|(_, r)| {
                r.min().x <= s.lon && r.max().x >= s.lon && r.min().y <= s.lat && r.max().y >= s.lat
            })
            .find(|(c, _)| c.geometry.contains(&p))
            .map(|(c, _)| c.iso3.clone())
        else {
            continue;
        };
        match out.last_mut() {
            Some(cur) if cur.0 == iso => cur.2 = s.chainage_km,
            _ => {
                let start = match &last {
                    Some((ch, _)) => (ch + s.chainage_km) / 2.0,
                    None => 0.0,
                };
                if let Some(prev) = out.last_mut() {
                    prev.2 = start;
                }
                out.push((iso.clone(), start, s.chainage_km));
            }
        }
        last = Some((s.chainage_km, iso));
    }
    if let (Some(l), Some(s)) = (out.last_mut(), samples.last()) {
        l.2 = s.chainage_km;
    }
    out
}

/// Chainage intervals (km) of the samples inside a zone's polygons (to the sampling step).
fn inside_runs(g: &Geometry<f64>, samples: &[Sample]) -> Vec<(f64, f64)> {
    let mut runs: Vec<(f64, f64)> = Vec::new();
    let mut open = false;
    for s in samples {
        let inside = g.contains(&Point::new(s.lon, s.lat));
        if inside {
            match (open, runs.last_mut()) {
                (true, Some(r)) => r.1 = s.chainage_km,
                _ => runs.push((s.chainage_km, s.chainage_km)),
            }
        }
        open = inside;
    }
    runs
}

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
    let (mut d, mut y) = ctx.start(92.0, &title);
    let right = d.right();
    let legend: Vec<(String, Swatch)> = DEFAULT_BANDS_KM
        .iter()
        .enumerate()
        .map(|(i, b)| {
            (
                format!("≤ {} km", l.num(*b, 0)),
                Swatch::Box(style::BANDS_OPAQUE[i]),
            )
        })
        .chain(std::iter::once((
            corridor.to_string(),
            Swatch::Line(colour, d.c.pt(1.3), None),
        )))
        .collect();
    y = d.legend_row(d.m, right, y, &legend) + d.px(pt::TICK) * 0.8;
    let bottom = d.source(&ctx.source_geodesic(|s| s.corridor == corridor)) - d.px(pt::LABEL) * 3.4;
    let len = samples.last().map(|s| s.chainage_km).unwrap_or(0.0);
    let dmax = samples.iter().map(|s| s.distance_km).fold(0.0, f64::max);
    // The near-border stretch is the point of the chart: distances beyond PROFILE_CAP_KM are cut
    // at the top edge, and the chainage axis ends where the route leaves that range for good
    // (the CSV keeps every sample, and the caption says how far the route goes on).
    let capped = dmax > PROFILE_CAP_KM;
    let visible_end = if capped {
        samples
            .windows(2)
            .filter(|w| w[0].distance_km <= PROFILE_CAP_KM || w[1].distance_km <= PROFILE_CAP_KM)
            .map(|w| w[1].chainage_km)
            .fold(0.0, f64::max)
    } else {
        len
    };
    let visible_dmax = samples
        .iter()
        .filter(|s| s.chainage_km <= visible_end)
        .map(|s| s.distance_km)
        .fold(0.0, f64::max)
        .min(PROFILE_CAP_KM);
    let (ymax, yt, ys) = if capped {
        let (t, s) = nice_ticks(0.0, PROFILE_CAP_KM, 6);
        (PROFILE_CAP_KM, t, s)
    } else {
        fit_axis(visible_dmax, 6)
    };
    d.record_axis("distance", visible_dmax, 0.0, ymax, ys);
    let narrow = d.c.width_mm < 120.0;
    let (xmax, xt, xs) = fit_axis(visible_end, if narrow { 5 } else { 8 });
    d.record_axis("chainage", visible_end, 0.0, xmax, xs);
    // Tracks above the plot: the countries crossed, then the Ganja gap and Tovuz stretches.
    let countries = crossings(ctx, &samples);
    let stretches: Vec<(String, Vec<(f64, f64)>)> = [GAP_ZONE, TOVUZ_ZONE]
        .iter()
        .filter_map(|id| ctx.d.zones.iter().find(|z| z.id == *id))
        .map(|z| (l.place(&z.name), inside_runs(&z.geometry, &samples)))
        .filter(|(_, r)| !r.is_empty())
        .collect();
    let track_h = d.px(pt::NOTE) * 1.5;
    let tracks_top = y;
    y += track_h * (1 + stretches.len()) as f64 + d.px(pt::NOTE) * 0.4;
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
    // Country sequence: a label centred on each country's stretch, a dashed rule at each crossing.
    for (i, (iso, a, b)) in countries.iter().enumerate() {
        let (a, b) = (a.max(0.0), b.min(xmax));
        if b <= a {
            continue;
        }
        if i > 0 {
            // The rule marks the crossing in the country row and across the plot, not over the
            // zone rows between them.
            for (ya, yb) in [(tracks_top, tracks_top + track_h), (ax.y0, ax.y1)] {
                d.dashed(
                    vec![(ax.x(a), ya), (ax.x(a), yb)],
                    style::INK,
                    d.c.pt(0.6),
                    (d.c.pt(2.0), d.c.pt(1.5)),
                );
            }
        }
        let w = d.width_bold(iso, pt::NOTE);
        if ax.x(b) - ax.x(a) > w + d.px(pt::NOTE) * 0.6 {
            d.text_full(
                ((ax.x(a) + ax.x(b)) / 2.0, tracks_top + track_h / 2.0),
                iso,
                pt::NOTE,
                style::INK,
                H::Center,
                V::Center,
                true,
                false,
                false,
            );
        }
    }
    // Zone stretches: a bar over the chainage inside the zone, its name beside it.
    for (k, (name, runs)) in stretches.iter().enumerate() {
        let yc = tracks_top + track_h * (k as f64 + 1.5);
        let mut last_x1 = f64::MIN;
        for (a, b) in runs {
            let (xa, xb) = (ax.x(*a), ax.x(*b).max(ax.x(*a) + d.c.pt(1.5)));
            d.rect(
                (xa, yc - track_h * 0.28),
                (xb, yc + track_h * 0.28),
                Some(style::INK),
                None,
            );
            last_x1 = last_x1.max(xb);
        }
        if let Some((a, _)) = runs.first() {
            let label = format!(
                "{name}: km {}",
                runs.iter()
                    .map(|(a, b)| format!("{}–{}", l.num(*a, 0), l.num(*b, 0)))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let w = d.width(&label, pt::NOTE);
            let gap = d.px(pt::NOTE) * 0.5;
            let (at, h) = if last_x1 + gap + w <= ax.x1 {
                ((last_x1 + gap, yc), H::Left)
            } else {
                ((ax.x(*a) - gap, yc), H::Right)
            };
            d.text(at, &label, pt::NOTE, h, V::Center);
            let x0 = if h == H::Left { at.0 } else { at.0 - w };
            let em = d.px(pt::NOTE);
            d.record.ticks.push((
                label.clone(),
                (x0, yc - em * 0.45),
                (x0 + w, yc + em * 0.55),
            ));
        }
    }
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
    let cap_note = l.caption_profile_cap_note(capped, PROFILE_CAP_KM, dmax, visible_end, len);
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
