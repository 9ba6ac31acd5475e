//! `supply-imports`: Türkiye's gas imports by supplier and year.

use super::*;
use crate::figures::data::{cell, Ctx};
use crate::figures::style::pt;
use crate::figures::Built;

/// `supply-imports`: stacked bars of Türkiye's gas imports by supplier and year, in bcm.
pub fn build(ctx: &Ctx) -> Result<Built> {
    let l = &ctx.l;
    let rows = ctx.supply_years("supply-imports")?;
    let sup = suppliers(&rows);
    let title = l.title("supply-imports");
    let (mut d, mut y) = ctx.start(105.0, &title);
    let right = d.right();
    y = d.legend_row(d.m, right, y, &supplier_legend(ctx, &sup)) + d.px(pt::TICK) * 1.2;
    let bottom = d.source(&ctx.source_supply()) - d.px(pt::LABEL) * 3.4;
    let top = rows.iter().map(|r| r.total).fold(0.0, f64::max);
    // Room above the axis for the totals printed over the bars (level, or upright when the
    // bars are too narrow for them).
    let slot = (right - d.m) / rows.len().max(1) as f64 * 0.85;
    let totals: Vec<String> = rows.iter().map(|r| l.num(r.total, 1)).collect();
    let y = y + d.bar_value_room(&totals, slot * 0.75);
    let (ax, ticks, step) = value_axes(&mut d, l, top, 6, right, (y, bottom), rows.len() as f64);
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
        let room = (ax.x(1.0) - ax.x(0.0)) * 0.95;
        d.bar_value(((xa + xb) / 2.0, ax.y(acc)), &l.num(r.total, 1), room);
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
    let caption = l.caption_supply_imports(first, last);
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
