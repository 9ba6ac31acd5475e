//! `disruption-ganja`: deliverability per market with the network intact and without the gap.

use super::*;
use crate::figures::data::{cell, Ctx};
use crate::figures::layout::{fit_axis, Axes, Swatch};
use crate::figures::render::{H, V};
use crate::figures::style::pt;
use crate::figures::{Built, GAP_ZONE};

/// `disruption-ganja`: deliverability per market with the network intact and without the
/// Ganja gap; gas and oil on separate panels (bcm/y and kb/d).
pub fn build(ctx: &Ctx) -> Result<Built> {
    let l = &ctx.l;
    let zone = ctx.d.zone(GAP_ZONE, "disruption-ganja")?;
    let model = ctx.model();
    let cut = flow::zone_cut(model, &ctx.d.network, zone, 0.0);
    let (markets, _) = flow::disrupt(model, &cut);
    let title = l.title("disruption-ganja");
    // A single column stacks the two panels: taller.
    let height = if ctx.opts.width_mm < 120.0 {
        150.0
    } else {
        90.0
    };
    let (mut d, mut y) = ctx.start(height, &title);
    let right = d.right();
    // The legend shows the bars' own colours: solid for the intact network, hatched tint
    // without the gap, per commodity.
    let mut legend = Vec::new();
    for c in [Commodity::Gas, Commodity::Oil] {
        if !markets.iter().any(|m| m.commodity == c) {
            continue;
        }
        let col = commodity_colour(c);
        let name = l.commodity(c.as_str());
        legend.push((
            format!("{name}, {}", l.p("intact network", "jaringan utuh")),
            Swatch::Box(col),
        ));
        legend.push((
            format!(
                "{name}, {}",
                l.p("without the Ganja gap", "tanpa Celah Ganja")
            ),
            Swatch::HatchedWith(tint(col, 0.7), col),
        ));
    }
    y = d.legend_row(d.m, right, y, &legend) + d.px(pt::TICK) * 1.4;
    let bottom = d.source(&ctx.source_flow(true)) - d.px(pt::LABEL) * 3.4;
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
    // Side by side on a wide canvas; stacked on a narrow one (a single column), so each market
    // keeps a slot wide enough for its name.
    let stacked = d.c.width_mm < 120.0 && panels.len() > 1;
    let under = d.px(pt::LABEL) * 3.4;
    let panel_h = if stacked {
        (bottom + under - y) / panels.len() as f64
    } else {
        bottom - y
    };
    for (pi, (c, ms)) in panels.iter().enumerate() {
        let (py, pbottom) = if stacked {
            let top = y + pi as f64 * panel_h;
            (top, top + panel_h - under)
        } else {
            (y, bottom)
        };
        let unit = c.unit();
        let vmax = ms.iter().map(|m| m.baseline).fold(0.0, f64::max);
        let (ymax, ticks, step) = fit_axis(vmax, 5);
        d.record_axis(c.as_str(), vmax, 0.0, ymax, step);
        let labels: Vec<String> = ticks.iter().map(|t| l.tick(*t, step)).collect();
        // Each panel: its own axis margin plus a share of the width by market count.
        let margin = left_margin(&d, &labels) - d.m;
        let w = if stacked {
            x_start = d.m;
            avail
        } else {
            let fixed: f64 = panels.len() as f64 * margin;
            margin + (avail - fixed - d.px(pt::LABEL)) * ms.len() as f64 / total_n as f64
        };
        let ax = Axes {
            x0: x_start + margin,
            x1: x_start + w,
            y0: py + d.px(pt::LABEL) * 1.4 + d.px(pt::NOTE) * 1.4,
            y1: pbottom,
            xr: (0.0, ms.len() as f64),
            yr: (0.0, ymax),
        };
        d.heading((ax.x0, py), &l.commodity(c.as_str()), pt::LABEL);
        ax.y_axis(
            &mut d,
            l,
            &ticks,
            step,
            &format!(
                "{} ({})",
                l.p("Deliverable", "Volume yang dapat disalurkan"),
                l.unit(unit)
            ),
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
            // The two values side by side, or the second a line higher where they would touch.
            let val = |v: f64| l.num(v, if v >= 100.0 { 0 } else { 1 });
            let wa = d.width(&val(m.baseline), pt::NOTE);
            let wb = d.width(&val(m.disrupted), pt::NOTE);
            let apart = (g1 - g0) / 2.0;
            let lift = if (wa + wb) / 2.0 + d.px(pt::NOTE) * 0.3 > apart {
                d.px(pt::NOTE) * 1.1
            } else {
                0.0
            };
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
                // Where the two values would touch, the second goes a line above the first.
                let close = (ax.y(v) - ax.y(m.baseline)).abs() < d.px(pt::NOTE) * 1.1;
                let base_y = if after && close && lift > 0.0 {
                    ax.y(v.max(m.baseline)) - lift
                } else {
                    ax.y(v)
                };
                d.text(
                    ((xa + xb) / 2.0, base_y - d.px(pt::NOTE) * 0.25),
                    &val(v),
                    pt::NOTE,
                    H::Center,
                    V::Bottom,
                );
            }
            let slot = ax.x(1.0) - ax.x(0.0);
            d.category_label(
                mid,
                ax.y1 + d.px(pt::TICK) * 0.45,
                &l.place(&m.market),
                slot - d.px(pt::TICK) * 0.6,
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
    let caption = l.caption_disruption_ganja(&cut_ids);
    d.built(
        title,
        caption,
        &crate::analysis::flow::MARKET_LOSS_COLUMNS,
        &table,
    )
}
