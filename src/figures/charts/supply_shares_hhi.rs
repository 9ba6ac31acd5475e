//! `supply-shares-hhi`: supplier shares and the HHI with its bounds.

use super::*;
use crate::figures::data::{cell, Ctx};
use crate::figures::layout::{nice_ticks, Axes, Swatch};
use crate::figures::render::{H, V};
use crate::figures::style::{self, pt};
use crate::figures::Built;

/// `supply-shares-hhi`: supplier shares (100 % stacked) and the HHI with its bounds and the
/// 1,500 / 2,500 thresholds.
pub fn build(ctx: &Ctx) -> Result<Built> {
    let l = &ctx.l;
    let rows = ctx.supply_years("supply-shares-hhi")?;
    let sup = suppliers(&rows);
    let title = l.title("supply-shares-hhi");
    let (mut d, mut y) = ctx.start(140.0, &title);
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
            r.hhi.map_or(String::new(), |h| cell(h, 3)),
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
    // Years whose HHI is not reported (too little attributed) are gaps in the line.
    let known: Vec<Option<(f64, f64)>> = rows
        .iter()
        .zip(&xs)
        .map(|(r, x)| r.hhi.map(|h| (*x, bot.y(h))))
        .collect();
    for run in known.split(Option::is_none) {
        let run: Vec<(f64, f64)> = run.iter().flatten().copied().collect();
        if run.len() >= 2 {
            d.line(run, style::BLUE, d.c.pt(1.4));
        }
    }
    for p in known.into_iter().flatten() {
        d.prims.push(crate::figures::render::Prim::Circle {
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
    let caption = l.caption_supply_shares_hhi();
    let mut header = vec!["year", "hhi", "hhi_min", "hhi_max", "unattributed_share"];
    let share_cols: Vec<String> = sup.iter().map(|s| format!("share.{s}")).collect();
    header.extend(share_cols.iter().map(String::as_str));
    d.built(title, caption, &header, &table)
}
