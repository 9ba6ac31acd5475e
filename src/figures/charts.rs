//! The charts: Türkiye's imports and their concentration, exposure by band, distance profiles,
//! the Ganja-gap disruption and the worst single elements.

use super::data::{cell, Ctx};
use super::layout::{nice_max, nice_ticks, Axes, Doc, Swatch};
use super::render::{H, V};
use super::style::{self, pt};
use super::{Built, BORDER_ZONE, GAP_ZONE};
use crate::exposure::{band_key, prepare_routes, DEFAULT_BANDS_KM};
use crate::flow::{self, ElementKind};
use crate::model::Commodity;
use crate::nearest::ZoneIndex;
use crate::supply::{YearRow, UNATTRIBUTED};
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
    d.m + d.px(pt::LABEL) * 1.5 + w + d.px(pt::TICK) * 0.9
}

/// `supply-imports`: stacked bars of Türkiye's gas imports by supplier and year, in bcm.
pub fn supply_imports(ctx: &Ctx) -> Result<Built> {
    let l = &ctx.l;
    let rows = ctx.supply_years("supply-imports")?;
    let sup = suppliers(&rows);
    let mut d = Doc::new(ctx.canvas(105.0));
    let title = l
        .p(
            "Türkiye's gas imports by supplier",
            "Impor gas Türkiye menurut pemasok",
        )
        .to_string();
    let mut y = d.title(&title);
    let right = d.c.w as f64 - d.m;
    y = d.legend_row(d.m, right, y, &supplier_legend(ctx, &sup)) + d.px(pt::TICK) * 1.2;
    let bottom = d.source(&ctx.source_supply()) - d.px(pt::LABEL) * 3.4;
    let ymax = nice_max(rows.iter().map(|r| r.total).fold(0.0, f64::max) * 1.08, 6);
    let (ticks, step) = nice_ticks(0.0, ymax, 6);
    let labels: Vec<String> = ticks.iter().map(|t| l.tick(*t, step)).collect();
    let ax = Axes {
        x0: left_margin(&d, &labels),
        x1: right,
        y0: y,
        y1: bottom,
        xr: (0.0, rows.len() as f64),
        yr: (0.0, ymax),
    };
    ax.y_axis(
        &mut d,
        l,
        &ticks,
        step,
        &format!(
            "{} ({})",
            l.p("Imports", "Impor"),
            l.p("bcm per year", "miliar m³ per tahun")
        ),
    );
    let mut table = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let (xa, xb) = (ax.x(i as f64 + 0.15), ax.x(i as f64 + 0.85));
        let mut acc = 0.0;
        for s in &sup {
            let Some(share) = r.shares.get(s) else {
                continue;
            };
            let v = share * r.total;
            stack_piece(&mut d, s, (xa, ax.y(acc + v)), (xb, ax.y(acc)));
            acc += v;
            table.push(vec![
                r.year.to_string(),
                s.clone(),
                cell(v, 6),
                cell(*share, 6),
                cell(r.total, 6),
                r.total_basis.to_string(),
            ]);
        }
        d.text(
            ((xa + xb) / 2.0, ax.y(acc) - d.px(pt::NOTE) * 0.3),
            &l.num(r.total, 1),
            pt::NOTE,
            H::Center,
            V::Bottom,
        );
    }
    ax.year_axis(
        &mut d,
        l,
        rows.iter()
            .enumerate()
            .map(|(i, r)| (ax.x(i as f64 + 0.5), r.year)),
    );
    let (first, last) = (
        rows.first().map(|r| r.year).unwrap_or_default(),
        rows.last().map(|r| r.year).unwrap_or_default(),
    );
    let caption = match l.lang {
        super::Lang::En => format!(
            "Türkiye's natural-gas imports by supplier, {first}–{last}, in bcm (billion cubic metres) per year; \
             the figure above each bar is the year's total. Hatched grey: volumes whose supplier the sources do not \
             report (unattributed), shown as such rather than spread across suppliers; light grey: LNG of unstated origin."
        ),
        super::Lang::Id => format!(
            "Impor gas alam Türkiye menurut pemasok, {first}–{last}, dalam miliar m³ per tahun; angka di atas \
             setiap batang adalah total tahun itu. Abu-abu berarsir: volume yang pemasoknya tidak dilaporkan sumber \
             (tidak teratribusi), ditampilkan apa adanya dan tidak dibagi ke pemasok lain; abu-abu muda: LNG yang \
             asalnya tidak disebutkan."
        ),
    };
    d.built(
        title,
        caption,
        &[
            "year",
            "supplier",
            "volume_bcm",
            "share",
            "total_bcm",
            "total_basis",
        ],
        &table,
    )
}

/// `supply-shares-hhi`: supplier shares (100 % stacked) and the HHI with its bounds and the
/// 1,500 / 2,500 thresholds.
pub fn supply_shares_hhi(ctx: &Ctx) -> Result<Built> {
    let l = &ctx.l;
    let rows = ctx.supply_years("supply-shares-hhi")?;
    let sup = suppliers(&rows);
    let mut d = Doc::new(ctx.canvas(140.0));
    let title = l
        .p(
            "Supplier shares and concentration (HHI) of Türkiye's gas imports",
            "Pangsa pemasok dan konsentrasi (HHI) impor gas Türkiye",
        )
        .to_string();
    let mut y = d.title(&title);
    let band_colour = RGBAColor(0, 114, 178, 0.16);
    let thr_dash = (d.c.pt(3.0), d.c.pt(2.0));
    let mut legend = supplier_legend(ctx, &sup);
    legend.extend([
        (
            l.p(
                "HHI, each remainder counted as one supplier",
                "HHI, setiap sisa dihitung sebagai satu pemasok",
            )
            .to_string(),
            Swatch::Line(style::BLUE, d.c.pt(1.4), None),
        ),
        (
            l.p(
                "possible HHI range (hhi_min–hhi_max)",
                "rentang HHI yang mungkin (hhi_min–hhi_max)",
            )
            .to_string(),
            Swatch::Box(band_colour),
        ),
        (
            l.p(
                "concentration thresholds (DOJ/FTC 2010)",
                "ambang konsentrasi (DOJ/FTC 2010)",
            )
            .to_string(),
            Swatch::Line(style::VERMILLION, d.c.pt(0.9), Some(thr_dash)),
        ),
    ]);
    // Room on the right of the HHI panel for the threshold names.
    let thr_labels = [
        l.p("moderate", "sedang").to_string(),
        l.p("high", "tinggi").to_string(),
    ];
    let thr_w = thr_labels
        .iter()
        .map(|t| d.width(t, pt::NOTE))
        .fold(0.0, f64::max)
        + d.px(pt::NOTE) * 0.8;
    let right = d.c.w as f64 - d.m - thr_w;
    y = d.legend_row(d.m, d.c.w as f64 - d.m, y, &legend) + d.px(pt::TICK) * 1.2;
    let bottom = d.source(&ctx.source_supply()) - d.px(pt::LABEL) * 3.4;
    let gap = d.px(pt::TICK) * 2.2;
    let top_h = (bottom - y - gap) * 0.5;
    let (pt_ticks, pt_step) = nice_ticks(0.0, 100.0, 5);
    let (h_ticks, h_step) = nice_ticks(0.0, 10_000.0, 5);
    let labels: Vec<String> = h_ticks.iter().map(|t| l.tick(*t, h_step)).collect();
    let x0 = left_margin(&d, &labels);
    let n = rows.len() as f64;
    let top = Axes {
        x0,
        x1: right,
        y0: y,
        y1: y + top_h,
        xr: (0.0, n),
        yr: (0.0, 100.0),
    };
    top.y_axis(
        &mut d,
        l,
        &pt_ticks,
        pt_step,
        l.p("Share of imports (%)", "Pangsa impor (%)"),
    );
    let mut table = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let (xa, xb) = (top.x(i as f64 + 0.15), top.x(i as f64 + 0.85));
        let mut acc = 0.0;
        for s in &sup {
            let Some(share) = r.shares.get(s) else {
                continue;
            };
            let v = share * 100.0;
            stack_piece(&mut d, s, (xa, top.y(acc + v)), (xb, top.y(acc)));
            acc += v;
        }
        let mut row = vec![
            r.year.to_string(),
            cell(r.hhi, 3),
            cell(r.hhi_min, 3),
            cell(r.hhi_max, 3),
            cell(r.unattributed_share, 6),
        ];
        row.extend(
            sup.iter()
                .map(|s| cell(r.shares.get(s).copied().unwrap_or(0.0), 6)),
        );
        table.push(row);
    }
    top.baseline(&mut d);
    let bot = Axes {
        x0,
        x1: right,
        y0: top.y1 + gap,
        y1: bottom,
        xr: (0.0, n),
        yr: (0.0, 10_000.0),
    };
    bot.y_axis(
        &mut d,
        l,
        &h_ticks,
        h_step,
        l.p("HHI (0–10,000)", "HHI (0–10.000)"),
    );
    // The band of possible HHI values where part of a year is unattributed.
    let xs: Vec<f64> = (0..rows.len()).map(|i| bot.x(i as f64 + 0.5)).collect();
    let mut band: Vec<(f64, f64)> = rows
        .iter()
        .zip(&xs)
        .map(|(r, x)| (*x, bot.y(r.hhi_max)))
        .collect();
    band.extend(
        rows.iter()
            .zip(&xs)
            .rev()
            .map(|(r, x)| (*x, bot.y(r.hhi_min))),
    );
    d.fill(band, band_colour);
    for (v, lab) in [(1500.0, &thr_labels[0]), (2500.0, &thr_labels[1])] {
        d.dashed(
            vec![(bot.x0, bot.y(v)), (bot.x1, bot.y(v))],
            style::VERMILLION,
            d.c.pt(0.9),
            thr_dash,
        );
        d.text_full(
            (bot.x1 + d.px(pt::NOTE) * 0.4, bot.y(v)),
            lab,
            pt::NOTE,
            style::VERMILLION,
            H::Left,
            V::Center,
            false,
            false,
            false,
        );
    }
    let pts: Vec<(f64, f64)> = rows
        .iter()
        .zip(&xs)
        .map(|(r, x)| (*x, bot.y(r.hhi)))
        .collect();
    d.line(pts.clone(), style::BLUE, d.c.pt(1.4));
    for p in pts {
        d.prims.push(super::render::Prim::Circle {
            c: p,
            r: d.c.pt(2.0),
            fill: Some(style::BLUE),
            stroke: Some((style::WHITE, d.c.pt(0.5))),
        });
    }
    bot.year_axis(
        &mut d,
        l,
        rows.iter()
            .enumerate()
            .map(|(i, r)| (bot.x(i as f64 + 0.5), r.year)),
    );
    let caption = match l.lang {
        super::Lang::En => "Top: each supplier's share of Türkiye's gas imports (hatched: unattributed). Bottom: the \
            Herfindahl–Hirschman index (HHI, sum of squared percentage shares, 0–10,000), with each remainder counted \
            as one supplier; the shaded band spans the values the HHI could take if the unattributed volume were split \
            among many small suppliers (hhi_min) or belonged entirely to the largest named one (hhi_max). Dashed: the \
            1,500 and 2,500 thresholds of moderately and highly concentrated markets (U.S. Department of Justice and \
            Federal Trade Commission, Horizontal Merger Guidelines, 2010, §5.3).".to_string(),
        super::Lang::Id => "Atas: pangsa setiap pemasok dalam impor gas Türkiye (berarsir: tidak teratribusi). Bawah: \
            indeks Herfindahl–Hirschman (HHI, jumlah kuadrat pangsa dalam persen, 0–10.000), dengan setiap sisa dihitung \
            sebagai satu pemasok; pita berarsir menunjukkan nilai HHI yang mungkin bila volume yang tidak teratribusi \
            dibagi ke banyak pemasok kecil (hhi_min) atau seluruhnya milik pemasok terbesar yang disebut (hhi_max). \
            Garis putus-putus: ambang 1.500 dan 2.500 untuk pasar cukup dan sangat terkonsentrasi (U.S. Department of \
            Justice dan Federal Trade Commission, Horizontal Merger Guidelines, 2010, §5.3).".to_string(),
    };
    let mut header = vec!["year", "hhi", "hhi_min", "hhi_max", "unattributed_share"];
    let share_cols: Vec<String> = sup.iter().map(|s| format!("share.{s}")).collect();
    header.extend(share_cols.iter().map(String::as_str));
    d.built(title, caption, &header, &table)
}

/// Opaque versions of the band colours, for bars.
fn band_bar_colour(i: usize) -> RGBAColor {
    let a = style::BANDS[i.min(3)].3;
    let mix = |c: u8| (255.0 - (255.0 - c as f64) * (a + 0.15).min(1.0)).round() as u8;
    let p = style::PURPLE;
    RGBAColor(mix(p.0), mix(p.1), mix(p.2), 1.0)
}

/// `exposure-bands`: km of each corridor within each distance band of the Armenian border.
pub fn exposure_bands(ctx: &Ctx) -> Result<Built> {
    let l = &ctx.l;
    let rows = ctx.border_exposure("exposure-bands")?;
    let bands = DEFAULT_BANDS_KM;
    let km = |e: &crate::exposure::Exposure, b: f64| {
        e.within_km
            .get(&band_key(b))
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0)
    };
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
    let mut shown: Vec<&crate::exposure::Exposure> =
        rows.iter().filter(|e| km(e, 70.0) > 0.0).collect();
    shown.sort_by(|a, b| {
        km(b, 70.0)
            .total_cmp(&km(a, 70.0))
            .then(a.corridor.cmp(&b.corridor))
    });
    let mut d = Doc::new(ctx.canvas(95.0));
    let title = l
        .p(
            "Corridor length near the Armenia–Azerbaijan border",
            "Panjang koridor di dekat perbatasan Armenia–Azerbaijan",
        )
        .to_string();
    let mut y = d.title(&title);
    let right = d.c.w as f64 - d.m;
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
    let ymax = nice_max(vmax * 1.1, 5);
    let (ticks, step) = nice_ticks(0.0, ymax, 5);
    let labels: Vec<String> = ticks.iter().map(|t| l.tick(*t, step)).collect();
    let ax = Axes {
        x0: left_margin(&d, &labels),
        x1: right,
        y0: y,
        y1: bottom,
        xr: (0.0, shown.len().max(1) as f64),
        yr: (0.0, ymax),
    };
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
    let caption = match l.lang {
        super::Lang::En => format!(
            "Length of each corridor's route within 10, 20, 40 and 70 km of the Armenia–Azerbaijan border (geodesic \
             distances on WGS84; bands are cumulative, so the 70 km bar includes the nearer ones). Corridors that \
             come no closer than 70 km are omitted from the chart but listed in the data: {}.",
            omitted.join(", ")
        ),
        super::Lang::Id => format!(
            "Panjang rute setiap koridor dalam jarak 10, 20, 40 dan 70 km dari perbatasan Armenia–Azerbaijan (jarak \
             geodesik pada WGS84; pita bersifat kumulatif, sehingga batang 70 km mencakup pita yang lebih dekat). \
             Koridor yang tidak pernah lebih dekat dari 70 km tidak digambar tetapi tercantum dalam data: {}.",
            omitted.join(", ")
        ),
    };
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

/// Top of the profile charts' distance axis, km.
const PROFILE_CAP_KM: f64 = 300.0;

/// `profile-btc` / `profile-scp`: distance to the Armenian border by chainage.
pub fn profile(ctx: &Ctx, corridor: &str, id: &str) -> Result<Built> {
    let l = &ctx.l;
    let zone = ctx.d.zone(BORDER_ZONE, id)?;
    let routes = prepare_routes(&ctx.d.network);
    let Some((_, route)) = routes.iter().find(|(c, _)| c == corridor) else {
        bail!("figure {id} needs the corridor {corridor}, which the network does not have");
    };
    let samples = crate::exposure::profile(route, &ZoneIndex::new(&zone.geometry), 1.0);
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
    let mut d = Doc::new(ctx.canvas(85.0));
    let title = format!(
        "{corridor}: {}",
        l.p(
            "distance to the Armenian border along the route",
            "jarak ke perbatasan Armenia di sepanjang rute"
        )
    );
    let mut y = d.title(&title);
    let right = d.c.w as f64 - d.m;
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
            "Distance to the Armenian border (km)",
            "Jarak ke perbatasan Armenia (km)",
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
        match super::map::clip_segment(w[0], w[1], (0.0, xmax), (0.0, ymax)) {
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
        d.prims.push(super::render::Prim::Circle {
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
    let cap_note = match (capped, l.lang) {
        (false, _) => String::new(),
        (true, super::Lang::En) => format!(
            " The axis stops at {} km; farther stretches (up to {} km) run off the top and are in the data.",
            l.num(PROFILE_CAP_KM, 0),
            l.num(dmax, 0)
        ),
        (true, super::Lang::Id) => format!(
            " Sumbu berhenti pada {} km; bagian yang lebih jauh (hingga {} km) keluar dari batas atas dan tercantum dalam data.",
            l.num(PROFILE_CAP_KM, 0),
            l.num(dmax, 0)
        ),
    };
    let caption = match l.lang {
        super::Lang::En => format!(
            "Geodesic distance from the {corridor} route to the Armenia–Azerbaijan border, sampled every kilometre \
             of chainage (distance along the route from its upstream end). Shading marks the 10, 20, 40 and 70 km \
             bands. Closest approach: {} km at km {}.{cap_note}",
            l.num(dist, 1),
            l.num(at, 0)
        ),
        super::Lang::Id => format!(
            "Jarak geodesik dari rute {corridor} ke perbatasan Armenia–Azerbaijan, diambil setiap kilometer \
             sepanjang rute (jarak dari ujung hulu). Arsiran menandai pita 10, 20, 40 dan 70 km. Jarak terdekat: \
             {} km pada km {}.{cap_note}",
            l.num(dist, 1),
            l.num(at, 0)
        ),
    };
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

/// `disruption-ganja`: deliverability per market with the network intact and without the
/// Ganja gap; gas and oil on separate panels (bcm/y and kb/d).
pub fn disruption(ctx: &Ctx) -> Result<Built> {
    let l = &ctx.l;
    let zone = ctx.d.zone(GAP_ZONE, "disruption-ganja")?;
    let model = ctx.model();
    let cut = flow::zone_cut(model, &ctx.d.network, zone, 0.0);
    let (markets, _) = flow::disrupt(model, &cut);
    let mut d = Doc::new(ctx.canvas(90.0));
    let title = l
        .p(
            "Deliverability per market before and after losing the Ganja gap",
            "Kemampuan pasokan per pasar sebelum dan sesudah kehilangan Celah Ganja",
        )
        .to_string();
    let mut y = d.title(&title);
    let right = d.c.w as f64 - d.m;
    let legend = vec![
        (
            l.p("intact network", "jaringan utuh").to_string(),
            Swatch::Box(style::GREY_TEXT),
        ),
        (
            l.p("without the Ganja gap", "tanpa Celah Ganja")
                .to_string(),
            Swatch::Hatched(tint(style::GREY_TEXT, 0.7)),
        ),
    ];
    y = d.legend_row(d.m, right, y, &legend) + d.px(pt::TICK) * 1.4;
    let bottom = d.source(&ctx.source_flow()) - d.px(pt::LABEL) * 3.4;
    let panels: Vec<(Commodity, Vec<&flow::MarketLoss>)> = [Commodity::Gas, Commodity::Oil]
        .into_iter()
        .map(|c| (c, markets.iter().filter(|m| m.commodity == c).collect()))
        .filter(|(_, v): &(Commodity, Vec<&flow::MarketLoss>)| !v.is_empty())
        .collect();
    if panels.is_empty() {
        bail!("figure disruption-ganja: the network has no markets to deliver to");
    }
    let total_n: usize = panels.iter().map(|(_, v)| v.len()).sum();
    let mut table = Vec::new();
    let mut x_start = d.m;
    let avail = right - d.m;
    for (c, ms) in &panels {
        let unit = c.unit();
        let vmax = ms.iter().map(|m| m.baseline).fold(0.0, f64::max);
        let ymax = nice_max(vmax * 1.12, 5);
        let (ticks, step) = nice_ticks(0.0, ymax, 5);
        let labels: Vec<String> = ticks.iter().map(|t| l.tick(*t, step)).collect();
        // Each panel: its own axis margin plus a share of the width by market count.
        let margin = left_margin(&d, &labels) - d.m;
        let fixed: f64 = panels.len() as f64 * margin;
        let w = margin + (avail - fixed - d.px(pt::LABEL)) * ms.len() as f64 / total_n as f64;
        let ax = Axes {
            x0: x_start + margin,
            x1: x_start + w,
            y0: y + d.px(pt::LABEL) * 1.4,
            y1: bottom,
            xr: (0.0, ms.len() as f64),
            yr: (0.0, ymax),
        };
        d.text_full(
            (ax.x0, y),
            &l.commodity(c.as_str()),
            pt::LABEL,
            style::INK,
            H::Left,
            V::Top,
            true,
            false,
            false,
        );
        ax.y_axis(
            &mut d,
            l,
            &ticks,
            step,
            &format!("{} ({})", l.p("Deliverable", "Dapat dikirim"), l.unit(unit)),
        );
        let col = commodity_colour(*c);
        for (i, m) in ms.iter().enumerate() {
            let g0 = ax.x(i as f64 + 0.14);
            let g1 = ax.x(i as f64 + 0.86);
            let mid = (g0 + g1) / 2.0;
            let gapw = (g1 - g0) * 0.04;
            let pairs = [
                (g0, mid - gapw, m.baseline, false),
                (mid + gapw, g1, m.disrupted, true),
            ];
            for (xa, xb, v, after) in pairs {
                if after {
                    d.rect((xa, ax.y(v)), (xb, ax.y(0.0)), Some(tint(col, 0.7)), None);
                    d.hatch((xa, ax.y(v)), (xb, ax.y(0.0)), col, d.px(pt::LEGEND) * 0.5);
                    d.rect(
                        (xa, ax.y(v)),
                        (xb, ax.y(0.0)),
                        None,
                        Some((col, d.c.pt(0.7))),
                    );
                } else {
                    d.rect((xa, ax.y(v)), (xb, ax.y(0.0)), Some(col), None);
                }
                d.text(
                    ((xa + xb) / 2.0, ax.y(v) - d.px(pt::NOTE) * 0.25),
                    &l.num(v, if v >= 100.0 { 0 } else { 1 }),
                    pt::NOTE,
                    H::Center,
                    V::Bottom,
                );
            }
            d.text(
                (mid, ax.y1 + d.px(pt::TICK) * 0.45),
                &l.place(&m.market),
                pt::TICK,
                H::Center,
                V::Top,
            );
            table.push(vec![
                m.market.clone(),
                m.commodity.as_str().to_string(),
                cell(m.baseline, 6),
                cell(m.disrupted, 6),
                cell(m.lost, 6),
                cell(m.lost_share, 6),
                m.unit.to_string(),
            ]);
        }
        ax.baseline(&mut d);
        x_start += w + d.px(pt::LABEL);
    }
    let cut_ids: Vec<String> = cut
        .segments
        .iter()
        .filter_map(|&i| ctx.d.network.segments.get(i).map(|s| s.id.clone()))
        .collect();
    let caption = match l.lang {
        super::Lang::En => format!(
            "Maximum deliverable flow to each market on its own (gas in bcm/y, oil in kb/d), with the network intact \
             (solid) and with every segment and node touching the Ganja gap removed (hatched). Removed segments: {}.",
            if cut_ids.is_empty() { "none".to_string() } else { cut_ids.join(", ") }
        ),
        super::Lang::Id => format!(
            "Aliran maksimum yang dapat dikirim ke setiap pasar secara tersendiri (gas dalam miliar m³/tahun, minyak \
             dalam ribu barel/hari), dengan jaringan utuh (penuh) dan dengan setiap segmen dan simpul yang menyentuh \
             Celah Ganja dihapus (berarsir). Segmen yang dihapus: {}.",
            if cut_ids.is_empty() { "tidak ada".to_string() } else { cut_ids.join(", ") }
        ),
    };
    d.built(title, caption, &crate::flow::MARKET_LOSS_COLUMNS, &table)
}

/// `rank-top`: per commodity, the ten elements whose single loss removes the most of the
/// commodity's total deliverability (volumes in the commodity's unit; the label adds the share).
pub fn rank_top(ctx: &Ctx) -> Result<Built> {
    let l = &ctx.l;
    let model = ctx.model();
    let els = flow::elements(
        model,
        &ctx.d.network,
        &ctx.d.zones,
        &[ElementKind::Segment, ElementKind::Node, ElementKind::Zone],
        0.0,
    );
    let ranking = flow::rank(model, &els, 0);
    let panels: Vec<(Commodity, Vec<&flow::RankRow>)> = [Commodity::Gas, Commodity::Oil]
        .into_iter()
        .map(|c| {
            let mut rows: Vec<&flow::RankRow> =
                ranking.rows.iter().filter(|r| r.commodity == c).collect();
            // `rank` orders by share, then loss, then kind and id: keep that order.
            rows.truncate(10);
            (c, rows)
        })
        .filter(|(_, rows)| !rows.is_empty())
        .collect();
    if panels.is_empty() {
        bail!("figure rank-top: the network has no oil or gas elements to rank");
    }
    let mut d = Doc::new(ctx.canvas(150.0));
    let title = l
        .p(
            "The ten elements whose loss costs the most, per commodity",
            "Sepuluh elemen yang kehilangannya paling merugikan, per komoditas",
        )
        .to_string();
    let mut y = d.title(&title) + d.px(pt::TICK) * 0.3;
    let bottom = d.source(&ctx.source_flow()) - d.px(pt::LABEL) * 0.8;
    let right = d.c.w as f64 - d.m;
    let name = |r: &flow::RankRow| format!("{} {}", l.element_kind(r.kind.as_str()), r.id);
    let value_label = |r: &flow::RankRow| {
        format!(
            "{} {} ({} %)",
            l.num(r.lost, if r.lost >= 100.0 { 0 } else { 1 }),
            l.unit(r.unit),
            l.num(r.lost_share * 100.0, 1)
        )
    };
    let all: Vec<&flow::RankRow> = panels.iter().flat_map(|(_, v)| v.iter().copied()).collect();
    let wname = all
        .iter()
        .map(|r| d.width(&name(r), pt::TICK))
        .fold(0.0, f64::max);
    let wval = all
        .iter()
        .map(|r| d.width(&value_label(r), pt::NOTE))
        .fold(0.0, f64::max);
    let x0 = d.m + wname + d.px(pt::TICK);
    let x1 = right - wval - d.px(pt::NOTE);
    let n_rows: usize = panels.iter().map(|(_, v)| v.len()).sum();
    // Per panel: a heading and an axis (ticks and title) besides the rows.
    let per_panel = d.px(pt::LABEL) * 1.6 + d.px(pt::TICK) * 3.6 + d.px(pt::LABEL) * 0.8;
    let row_h = ((bottom - y) - per_panel * panels.len() as f64) / n_rows.max(1) as f64;
    let mut table = Vec::new();
    for (c, rows) in &panels {
        d.text_full(
            (d.m, y),
            &l.commodity(c.as_str()),
            pt::LABEL,
            style::INK,
            H::Left,
            V::Top,
            true,
            false,
            false,
        );
        y += d.px(pt::LABEL) * 1.6;
        let vmax = rows.iter().map(|r| r.lost).fold(0.0, f64::max);
        let xmax = nice_max(vmax, 5);
        let ax = Axes {
            x0,
            x1,
            y0: y,
            y1: y + row_h * rows.len() as f64,
            xr: (0.0, xmax),
            yr: (0.0, 1.0),
        };
        let (xt, xs) = nice_ticks(0.0, xmax, 5);
        ax.x_axis(
            &mut d,
            l,
            &xt,
            xs,
            &format!(
                "{} ({})",
                l.p(
                    "Loss of total deliverability",
                    "Kehilangan kemampuan pasokan total"
                ),
                l.unit(c.unit())
            ),
        );
        let col = commodity_colour(*c);
        for (i, r) in rows.iter().enumerate() {
            let yc = ax.y0 + (i as f64 + 0.5) * row_h;
            let hh = row_h * 0.32;
            let (a, b) = ((ax.x(0.0), yc - hh), (ax.x(r.lost), yc + hh));
            if *c == Commodity::Oil {
                d.rect(a, b, Some(tint(col, 0.35)), None);
                d.hatch(a, b, style::WHITE, d.px(pt::LEGEND) * 0.5);
                d.rect(a, b, None, Some((col, d.c.pt(0.6))));
            } else {
                d.rect(a, b, Some(col), None);
            }
            d.text(
                (ax.x0 - d.px(pt::TICK) * 0.5, yc),
                &name(r),
                pt::TICK,
                H::Right,
                V::Center,
            );
            d.text(
                (b.0 + d.px(pt::NOTE) * 0.4, yc),
                &value_label(r),
                pt::NOTE,
                H::Left,
                V::Center,
            );
            table.push(vec![
                r.commodity.as_str().to_string(),
                (i + 1).to_string(),
                r.kind.as_str().to_string(),
                r.id.clone(),
                cell(r.lost, 6),
                cell(r.lost_share, 6),
                r.unit.to_string(),
            ]);
        }
        d.line(
            vec![(ax.x0, ax.y0), (ax.x0, ax.y1)],
            style::AXIS,
            d.c.pt(0.7),
        );
        y = ax.y1 + d.px(pt::TICK) * 3.6 + d.px(pt::LABEL) * 0.8;
    }
    let caption = match l.lang {
        super::Lang::En => "For each commodity, the ten segments, nodes and zones whose single loss removes the most of \
            its total deliverability (maximum flow from all supplies to all markets at once), gas in bcm/y and oil in \
            kb/d; the share of the commodity's total is in brackets. Zones are removed with every segment and node \
            touching them; ties keep the order of `corridor rank` (share, loss, kind, id).".to_string(),
        super::Lang::Id => "Untuk setiap komoditas, sepuluh segmen, simpul dan zona yang kehilangannya secara tunggal \
            paling banyak mengurangi kemampuan pasokan totalnya (aliran maksimum dari semua sumber ke semua pasar \
            sekaligus), gas dalam miliar m³/tahun dan minyak dalam ribu barel/hari; pangsa dari total komoditas di \
            dalam kurung. Zona dihapus bersama setiap segmen dan simpul yang menyentuhnya; urutan nilai yang sama \
            mengikuti `corridor rank` (pangsa, kehilangan, jenis, id).".to_string(),
    };
    d.built(
        title,
        caption,
        &[
            "commodity",
            "rank",
            "kind",
            "id",
            "lost",
            "lost_share",
            "unit",
        ],
        &table,
    )
}
