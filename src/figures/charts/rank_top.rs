//! `rank-top`: per commodity, the elements whose single loss removes the most, ties grouped.

use super::*;
use crate::figures::data::{cell, Ctx};
use crate::figures::layout::Axes;
use crate::figures::render::{H, V};
use crate::figures::style::{self, pt};
use crate::figures::Built;

/// How many ranked elements each panel covers (whole tie groups, so a panel may show more).
const TOP: usize = 10;

/// A readable name for a ranked element: a node's name without its parenthetical detail, a
/// zone's name, a segment's id (the ids are the corridor and its piece, e.g. `BTC-1`).
fn element_name(ctx: &Ctx, kind: ElementKind, id: &str) -> String {
    let l = &ctx.l;
    match kind {
        ElementKind::Node => {
            let full = ctx
                .d
                .network
                .nodes
                .iter()
                .find(|n| n.id == id)
                .and_then(|n| n.name.clone())
                .unwrap_or_else(|| id.to_string());
            short_name(&full)
        }
        ElementKind::Zone => ctx
            .d
            .zones
            .iter()
            .find(|z| z.id == id)
            .map(|z| l.place(&z.name))
            .unwrap_or_else(|| id.to_string()),
        _ => id.to_string(),
    }
}

/// "Sangachal Terminal (oil: BTC and Baku-Supsa heads)" → "Sangachal Terminal"; "Ankara hub
/// (Ahiboz): ends of …" → "Ankara hub"; "Russia: TurkStream head near Anapa (…)" keeps its
/// words after a one-word prefix; anything still long stops at its first comma.
pub(crate) fn short_name(full: &str) -> String {
    let mut s = String::new();
    let mut depth = 0;
    for c in full.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            c if depth == 0 => s.push(c),
            _ => {}
        }
    }
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let s = s.replace(" :", ":");
    let s = match s.split_once(": ") {
        Some((head, _)) if head.split_whitespace().count() >= 2 => head.to_string(),
        _ => s,
    };
    if s.chars().count() > 40 {
        match s.split_once(": ") {
            Some((head, _)) => head.to_string(),
            None => s.split(", ").next().unwrap_or(&s).to_string(),
        }
    } else {
        s
    }
}

/// Words broken into lines no wider than `max_w` (a word wider than that gets a line alone).
fn wrap(d: &Doc, text: &str, points: f64, max_w: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for w in text.split(' ') {
        let cand = if cur.is_empty() {
            w.to_string()
        } else {
            format!("{cur} {w}")
        };
        if !cur.is_empty() && d.width(&cand, points) > max_w {
            lines.push(std::mem::take(&mut cur));
            cur = w.to_string();
        } else {
            cur = cand;
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// `rank-top`: per commodity, the elements whose single loss removes the most of the
/// commodity's total deliverability; elements with exactly the same loss share one bar, named
/// together by kind. The grouping is done here, for the figure (the `rank` output lists every
/// element on its own row).
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
    // Per commodity: groups of rows with the same loss, largest first, until TOP elements are
    // covered.
    let panels: Vec<(Commodity, Vec<Vec<&flow::RankRow>>)> = [Commodity::Gas, Commodity::Oil]
        .into_iter()
        .map(|c| {
            let rows: Vec<&flow::RankRow> = ranking
                .rows
                .iter()
                .filter(|r| r.commodity == c && r.lost > 0.0)
                .collect();
            let mut groups: Vec<Vec<&flow::RankRow>> = Vec::new();
            for (covered, r) in rows.into_iter().enumerate() {
                match groups.last_mut() {
                    Some(g) if g[0].lost == r.lost => g.push(r),
                    _ => {
                        if covered >= TOP && groups.len() >= 4 {
                            break;
                        }
                        groups.push(vec![r]);
                    }
                }
            }
            (c, groups)
        })
        .filter(|(_, g)| !g.is_empty())
        .collect();
    if panels.is_empty() {
        bail!("figure rank-top: the network has no oil or gas elements to rank");
    }
    let title = l.title("rank-top");
    let (mut d, mut y) = ctx.start(150.0, &title);
    y += d.px(pt::TICK) * 0.3;
    let right = d.right();
    let value_label = |r: &flow::RankRow| {
        format!(
            "{} {} ({} %)",
            l.num(r.lost, if r.lost >= 100.0 { 0 } else { 1 }),
            l.unit(r.unit),
            l.num(r.lost_share * 100.0, 1)
        )
    };
    // Group names: by kind, "A, B (nodes); C (zones)".
    let group_name = |g: &[&flow::RankRow]| {
        let mut parts: Vec<String> = Vec::new();
        for kind in [ElementKind::Node, ElementKind::Segment, ElementKind::Zone] {
            let names: Vec<String> = g
                .iter()
                .filter(|r| r.kind == kind)
                .map(|r| element_name(ctx, r.kind, &r.id))
                .collect();
            if names.is_empty() {
                continue;
            }
            let k = l.element_kinds(kind.as_str(), names.len());
            parts.push(format!("{} ({k})", names.join(", ")));
        }
        parts.join("; ")
    };
    let all: Vec<&flow::RankRow> = panels
        .iter()
        .flat_map(|(_, g)| g.iter().flat_map(|g| g.iter().copied()))
        .collect();
    let wval = all
        .iter()
        .map(|r| d.width(&value_label(r), pt::NOTE))
        .fold(0.0, f64::max);
    let label_w = (right - d.m) * 0.42;
    let x0 = d.m + label_w + d.px(pt::TICK);
    let x1 = right - wval - d.px(pt::NOTE);
    let lh = d.px(pt::TICK) * 1.2;
    let mut table = Vec::new();
    for (c, groups) in &panels {
        d.heading((d.m, y), &l.commodity(c.as_str()), pt::LABEL);
        y += d.px(pt::LABEL) * 1.6;
        let vmax = groups[0][0].lost;
        let (xmax, xt, xs) = fit_axis(vmax, 5);
        d.record_axis(c.as_str(), vmax, 0.0, xmax, xs);
        let wrapped: Vec<Vec<String>> = groups
            .iter()
            .map(|g| wrap(&d, &group_name(g), pt::TICK, label_w))
            .collect();
        let heights: Vec<f64> = wrapped
            .iter()
            .map(|w| (w.len() as f64 * lh).max(d.px(pt::TICK) * 1.6) + d.px(pt::TICK) * 0.7)
            .collect();
        let total: f64 = heights.iter().sum();
        let ax = Axes {
            x0,
            x1,
            y0: y,
            y1: y + total,
            xr: (0.0, xmax),
            yr: (0.0, 1.0),
        };
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
        let mut yy = y;
        for ((g, lines), h) in groups.iter().zip(&wrapped).zip(&heights) {
            let yc = yy + h / 2.0;
            let hh = (d.px(pt::TICK) * 0.55).min(h * 0.35);
            let r = g[0];
            let (a, b) = ((ax.x(0.0), yc - hh), (ax.x(r.lost), yc + hh));
            if *c == Commodity::Oil {
                d.rect(a, b, Some(tint(col, 0.35)), None);
                d.hatch(a, b, style::WHITE, d.px(pt::LEGEND) * 0.5);
                d.rect(a, b, None, Some((col, d.c.pt(0.6))));
            } else {
                d.rect(a, b, Some(col), None);
            }
            let top = yc - lines.len() as f64 * lh / 2.0;
            for (i, line) in lines.iter().enumerate() {
                d.text(
                    (ax.x0 - d.px(pt::TICK) * 0.5, top + (i as f64 + 0.5) * lh),
                    line,
                    pt::TICK,
                    H::Right,
                    V::Center,
                );
            }
            d.text(
                (b.0 + d.px(pt::NOTE) * 0.4, yc),
                &value_label(r),
                pt::NOTE,
                H::Left,
                V::Center,
            );
            for r in g {
                table.push(vec![
                    r.commodity.as_str().to_string(),
                    (table
                        .iter()
                        .filter(|t: &&Vec<String>| t[0] == r.commodity.as_str())
                        .count()
                        + 1)
                    .to_string(),
                    r.kind.as_str().to_string(),
                    r.id.clone(),
                    element_name(ctx, r.kind, &r.id),
                    cell(r.lost, 6),
                    cell(r.lost_share, 6),
                    r.unit.to_string(),
                ]);
            }
            yy += h;
        }
        d.line(
            vec![(ax.x0, ax.y0), (ax.x0, ax.y1)],
            style::AXIS,
            d.c.pt(0.7),
        );
        y = ax.y1 + d.px(pt::TICK) * 3.6 + d.px(pt::LABEL) * 0.8;
    }
    d.finish_at(y, &ctx.source_flow(true));
    let caption = l.caption_rank_top(TOP);
    d.built(
        title,
        caption,
        &[
            "commodity",
            "rank",
            "kind",
            "id",
            "name",
            "lost",
            "lost_share",
            "unit",
        ],
        &table,
    )
}

#[cfg(test)]
mod tests {
    use super::short_name;

    #[test]
    fn short_names_read_well() {
        assert_eq!(
            short_name("Sangachal Terminal (oil: BTC and Baku-Supsa heads)"),
            "Sangachal Terminal"
        );
        assert_eq!(
            short_name("Ankara hub (Ahiboz): ends of Blue Stream, the Malkoçlar-Ankara West line"),
            "Ankara hub"
        );
        assert_eq!(
            short_name("Russia: TurkStream head near Anapa (Russkaya CS)"),
            "Russia: TurkStream head near Anapa"
        );
        assert_eq!(
            short_name("Durusu (Samsun): Blue Stream landfall and main metering station"),
            "Durusu"
        );
    }
}
