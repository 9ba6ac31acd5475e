//! `rank-top`: per commodity, the elements whose single loss removes the most.

use super::*;
use crate::figures::data::{cell, Ctx};
use crate::figures::layout::{nice_max, nice_ticks, Axes};
use crate::figures::render::{H, V};
use crate::figures::style::{self, pt};
use crate::figures::Built;

/// `rank-top`: per commodity, the ten elements whose single loss removes the most of the
/// commodity's total deliverability (volumes in the commodity's unit; the label adds the share).
pub fn build(ctx: &Ctx) -> Result<Built> {
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
    let title = l.title("rank-top");
    let (mut d, mut y) = ctx.start(150.0, &title);
    y += d.px(pt::TICK) * 0.3;
    let bottom = d.source(&ctx.source_flow()) - d.px(pt::LABEL) * 0.8;
    let right = d.right();
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
        d.heading((d.m, y), &l.commodity(c.as_str()), pt::LABEL);
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
    let caption = l.caption_rank_top();
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
