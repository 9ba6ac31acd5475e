//! `supply-imports`: Türkiye's gas imports by supplier and year.

use super::*;
use crate::figures::data::{cell, Ctx};
use crate::figures::layout::{nice_max, nice_ticks, Axes, Doc};
use crate::figures::render::{H, V};
use crate::figures::style::pt;
use crate::figures::Built;

/// `supply-imports`: stacked bars of Türkiye's gas imports by supplier and year, in bcm.
pub fn build(ctx: &Ctx) -> Result<Built> {
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
        crate::figures::Lang::En => format!(
            "Türkiye's natural-gas imports by supplier, {first}–{last}, in bcm (billion cubic metres) per year; \
             the figure above each bar is the year's total. Hatched grey: volumes whose supplier the sources do not \
             report (unattributed), shown as such rather than spread across suppliers; light grey: LNG of unstated origin."
        ),
        crate::figures::Lang::Id => format!(
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
