//! Layout helpers shared by the maps and charts: a document (canvas + display list) with title,
//! source line and legend rows, and numeric axes with "nice" ticks.

use super::i18n::L;
use super::render::{text_width, Canvas, Prim, H, V};
use super::style::{self, pt};
use plotters::style::RGBAColor;

/// Text sizes are the em in points, as printed: a text of `pt::TICK` points is set at that size in
/// the PDF and at `pt × dpi / 72` pixels in the PNG and SVG.
const EM: f64 = 1.0;

/// A figure being laid out.
pub struct Doc {
    pub c: Canvas,
    pub prims: Vec<Prim>,
    /// Outer margin, px.
    pub m: f64,
    /// What the layout decided, for the tests: value axes against their data, map labels and
    /// the lines they must keep clear of.
    pub record: Record,
}

/// A value axis and the data it shows.
#[derive(Debug, Clone, PartialEq)]
pub struct AxisFit {
    pub name: String,
    pub data_max: f64,
    pub lo: f64,
    pub hi: f64,
    pub step: f64,
}

/// A text and its box on the canvas: (left, top), (right, bottom), pixels.
pub type TextBox = (String, (f64, f64), (f64, f64));

/// The layout record of a figure.
#[derive(Debug, Clone, Default)]
pub struct Record {
    pub axes: Vec<AxisFit>,
    /// Placed map labels: their text and box (px).
    pub labels: Vec<TextBox>,
    /// Drawn lines labels keep clear of: the polyline (px) and its half-width plus clearance.
    pub lines: Vec<(Vec<(f64, f64)>, f64)>,
    /// Markers: centre and radius (px).
    pub marks: Vec<((f64, f64), f64)>,
    /// Category labels along chart axes that must not run together: their boxes.
    pub ticks: Vec<TextBox>,
}

impl Doc {
    /// The finished figure: the drawing, its title and caption, and the data behind it as CSV
    /// (`header`, then `rows`).
    pub fn built(
        self,
        title: String,
        caption: String,
        header: &[&str],
        rows: &[Vec<String>],
    ) -> anyhow::Result<super::Built> {
        Ok(super::Built {
            canvas: self.c,
            prims: self.prims,
            record: self.record,
            title,
            caption,
            csv: super::data::csv(header, rows)?,
        })
    }

    pub fn new(c: Canvas) -> Doc {
        let m = c.mm(3.0);
        Doc {
            c,
            prims: Vec::new(),
            m,
            record: Record::default(),
        }
    }

    /// The x of the right margin.
    pub fn right(&self) -> f64 {
        self.c.w as f64 - self.m
    }

    pub fn px(&self, points: f64) -> f64 {
        self.c.pt(points)
    }

    #[allow(clippy::too_many_arguments)]
    pub fn text_full(
        &mut self,
        at: (f64, f64),
        text: &str,
        points: f64,
        color: RGBAColor,
        h: H,
        v: V,
        bold: bool,
        italic: bool,
        vertical: bool,
    ) {
        self.prims.push(Prim::Text {
            at,
            text: text.to_string(),
            px: self.c.pt(points) * EM,
            color,
            h,
            v,
            bold,
            italic,
            vertical,
        });
    }

    pub fn text(&mut self, at: (f64, f64), text: &str, points: f64, h: H, v: V) {
        self.text_full(at, text, points, style::INK, h, v, false, false, false);
    }

    pub fn width(&self, text: &str, points: f64) -> f64 {
        text_width(text, self.c.pt(points) * EM, false)
    }

    pub fn width_bold(&self, text: &str, points: f64) -> f64 {
        text_width(text, self.c.pt(points) * EM, true)
    }

    pub fn line(&mut self, pts: Vec<(f64, f64)>, color: RGBAColor, width: f64) {
        self.prims.push(Prim::Line {
            pts,
            color,
            width,
            dash: None,
        });
    }

    pub fn dashed(&mut self, pts: Vec<(f64, f64)>, color: RGBAColor, width: f64, dash: (f64, f64)) {
        self.prims.push(Prim::Line {
            pts,
            color,
            width,
            dash: Some(dash),
        });
    }

    pub fn fill(&mut self, pts: Vec<(f64, f64)>, color: RGBAColor) {
        self.prims.push(Prim::Fill { pts, color });
    }

    /// A rectangle from `a` (top left) to `b`, filled and/or outlined.
    pub fn rect(
        &mut self,
        a: (f64, f64),
        b: (f64, f64),
        fill: Option<RGBAColor>,
        stroke: Option<(RGBAColor, f64)>,
    ) {
        let pts = vec![(a.0, a.1), (b.0, a.1), (b.0, b.1), (a.0, b.1)];
        if let Some(f) = fill {
            self.fill(pts.clone(), f);
        }
        if let Some((s, w)) = stroke {
            let mut closed = pts;
            closed.push((a.0, a.1));
            self.line(closed, s, w);
        }
    }

    /// Diagonal hatching inside a rectangle (marks values of unknown attribution).
    pub fn hatch(&mut self, a: (f64, f64), b: (f64, f64), color: RGBAColor, spacing: f64) {
        let (x0, y0, x1, y1) = (a.0.min(b.0), a.1.min(b.1), a.0.max(b.0), a.1.max(b.1));
        let (w, h) = (x1 - x0, y1 - y0);
        if w <= 0.0 || h <= 0.0 {
            return;
        }
        // Lines x - y = k (going up to the right), clipped to the rectangle.
        let mut k = -h + spacing / 2.0;
        while k < w {
            let start = if k >= 0.0 { (x0 + k, y1) } else { (x0, y1 + k) };
            let end_x = (k + h).min(w);
            let end = (x0 + end_x, y1 - (end_x - k));
            self.line(vec![start, end], color, self.c.pt(0.5));
            k += spacing;
        }
    }

    /// Bold text in ink, its top-left corner at `at` (titles and panel headings).
    pub fn heading(&mut self, at: (f64, f64), text: &str, points: f64) {
        self.text_full(
            at,
            text,
            points,
            style::INK,
            H::Left,
            V::Top,
            true,
            false,
            false,
        );
    }

    /// Ends the figure at `end` (px): the canvas height fits the source line below it, which is
    /// drawn.
    pub fn finish_at(&mut self, end: f64, source: &str) {
        let n = self.source_lines(source).len() as f64;
        self.c.h = (end + self.px(pt::SOURCE) * (0.9 + 1.3 * n) + self.m).ceil() as u32;
        self.source(source);
    }

    /// Words of `text` in lines no wider than `avail` at `points`: broken at `sep` first, then
    /// at spaces where a piece is still too wide.
    pub fn wrap(&self, text: &str, points: f64, bold: bool, avail: f64, sep: &str) -> Vec<String> {
        let fits = |s: &str| text_width(s, self.px(points) * EM, bold) <= avail;
        let mut pieces: Vec<String> = Vec::new();
        for part in text.split_inclusive(sep) {
            if fits(part.trim_end()) {
                pieces.push(part.to_string());
            } else {
                let words: Vec<&str> = part.split_inclusive(' ').collect();
                pieces.extend(words.iter().map(|w| w.to_string()));
            }
        }
        let mut lines: Vec<String> = Vec::new();
        let mut cur = String::new();
        for p in pieces {
            let candidate = format!("{cur}{p}");
            if !cur.is_empty() && !fits(candidate.trim_end()) {
                lines.push(cur.trim_end().to_string());
                cur = p;
            } else {
                cur = candidate;
            }
        }
        lines.push(cur.trim_end().to_string());
        lines
    }

    fn source_lines(&self, text: &str) -> Vec<String> {
        let avail = self.c.w as f64 - 2.0 * self.m;
        self.wrap(text, pt::SOURCE, false, avail, "; ")
    }

    /// The title, top left, wrapped to the width; returns the y below it.
    pub fn title(&mut self, text: &str) -> f64 {
        let m = self.m;
        let avail = self.c.w as f64 - 2.0 * m;
        let lines = self.wrap(text, pt::TITLE, true, avail, "\u{0}");
        let mut y = m;
        for line in &lines {
            self.heading((m, y), line, pt::TITLE);
            y += self.px(pt::TITLE) * 1.25;
        }
        y + self.px(pt::TITLE) * 0.35
    }

    /// The source line, bottom left, wrapped at "; " (then at spaces) when it is wider than the
    /// canvas; returns the y above it.
    pub fn source(&mut self, text: &str) -> f64 {
        let m = self.m;
        let lines = self.source_lines(text);
        let lh = self.px(pt::SOURCE) * 1.3;
        let mut y = self.c.h as f64 - m;
        for line in lines.iter().rev() {
            self.text_full(
                (m, y),
                line,
                pt::SOURCE,
                style::GREY_TEXT,
                H::Left,
                V::Bottom,
                false,
                true,
                false,
            );
            y -= lh;
        }
        y + lh - self.px(pt::SOURCE) * 1.8
    }

    /// A value printed over a bar whose top centre is `at`: level when it fits `max_w`, else
    /// reading upward. Returns the height it takes above the bar.
    pub fn bar_value(&mut self, at: (f64, f64), text: &str, max_w: f64) -> f64 {
        let w = self.width(text, pt::NOTE);
        let gap = self.px(pt::NOTE) * 0.25;
        if w <= max_w {
            self.text((at.0, at.1 - gap), text, pt::NOTE, H::Center, V::Bottom);
            self.record.ticks.push((
                text.to_string(),
                (at.0 - w / 2.0, at.1 - gap - self.px(pt::NOTE) * 1.0),
                (at.0 + w / 2.0, at.1 - gap),
            ));
            self.px(pt::NOTE) * 1.3
        } else {
            self.text_full(
                (at.0, at.1 - gap),
                text,
                pt::NOTE,
                style::INK,
                H::Left,
                V::Center,
                false,
                false,
                true,
            );
            let em = self.px(pt::NOTE);
            self.record.ticks.push((
                text.to_string(),
                (at.0 - em * 0.45, at.1 - gap - w),
                (at.0 + em * 0.45, at.1 - gap),
            ));
            w + gap * 2.0
        }
    }

    /// The room to leave above bars for values of these texts at slots `max_w` wide.
    pub fn bar_value_room(&self, texts: &[String], max_w: f64) -> f64 {
        let wmax = texts
            .iter()
            .map(|t| self.width(t, pt::NOTE))
            .fold(0.0, f64::max);
        if wmax <= max_w {
            self.px(pt::NOTE) * 1.4
        } else {
            wmax + self.px(pt::NOTE) * 0.6
        }
    }

    /// Legend entries laid out left to right, wrapping; each entry is a swatch drawn by
    /// `swatch(doc, x, y_mid, size)` and a label. Returns the y below the legend.
    pub fn legend_row(&mut self, x0: f64, x1: f64, y: f64, entries: &[(String, Swatch)]) -> f64 {
        let size = self.px(pt::LEGEND);
        let sw = size * 2.2;
        let gap = size * 1.2;
        let row_h = size * 1.7;
        let mut x = x0;
        let mut y = y + row_h / 2.0;
        let line_h = size * 1.2;
        for (label, s) in entries {
            // A label wider than the row is broken into lines.
            let avail = x1 - x0 - sw - size * 0.4;
            let lines = if self.width(label, pt::LEGEND) > avail {
                self.wrap(label, pt::LEGEND, false, avail, "\u{0}")
            } else {
                vec![label.clone()]
            };
            let tw = lines
                .iter()
                .map(|l| self.width(l, pt::LEGEND))
                .fold(0.0, f64::max);
            let w = sw + size * 0.4 + tw;
            if x > x0 && x + w > x1 {
                x = x0;
                y += row_h;
            }
            self.swatch(*s, x, y, sw, size);
            for (i, line) in lines.iter().enumerate() {
                self.text(
                    (x + sw + size * 0.4, y + i as f64 * line_h),
                    line,
                    pt::LEGEND,
                    H::Left,
                    V::Center,
                );
            }
            if lines.len() > 1 {
                // The next entry starts on a fresh row below this one.
                y += (lines.len() - 1) as f64 * line_h;
                x = x1;
            } else {
                x += w + gap;
            }
        }
        y + row_h / 2.0
    }

    /// Legend entries stacked in a column at `x`; returns the y below.
    pub fn legend_column(&mut self, x: f64, y: f64, entries: &[(String, Swatch)]) -> f64 {
        let size = self.px(pt::LEGEND);
        let sw = size * 2.2;
        let row_h = size * 1.75;
        let mut y = y + row_h / 2.0;
        for (label, s) in entries {
            self.swatch(*s, x, y, sw, size);
            self.text(
                (x + sw + size * 0.5, y),
                label,
                pt::LEGEND,
                H::Left,
                V::Center,
            );
            y += row_h;
        }
        y - row_h / 2.0
    }

    /// [`Doc::legend_column`] with labels wrapped at `x_max`; returns the y below.
    pub fn legend_column_wrapped(
        &mut self,
        x: f64,
        y: f64,
        entries: &[(String, Swatch)],
        x_max: f64,
    ) -> f64 {
        let size = self.px(pt::LEGEND);
        let sw = size * 2.2;
        let row_h = size * 1.75;
        let line_h = size * 1.2;
        let tx = x + sw + size * 0.5;
        let mut y = y;
        for (label, s) in entries {
            // Words into lines that fit.
            let mut lines: Vec<String> = Vec::new();
            let mut cur = String::new();
            for w in label.split(' ') {
                let cand = if cur.is_empty() {
                    w.to_string()
                } else {
                    format!("{cur} {w}")
                };
                if !cur.is_empty() && tx + self.width(&cand, pt::LEGEND) > x_max {
                    lines.push(std::mem::take(&mut cur));
                    cur = w.to_string();
                } else {
                    cur = cand;
                }
            }
            lines.push(cur);
            let yc = y + row_h / 2.0;
            self.swatch(*s, x, yc, sw, size);
            for (i, line) in lines.iter().enumerate() {
                self.text(
                    (tx, yc + i as f64 * line_h),
                    line,
                    pt::LEGEND,
                    H::Left,
                    V::Center,
                );
            }
            y += row_h + (lines.len() - 1) as f64 * line_h;
        }
        y
    }

    pub fn swatch(&mut self, s: Swatch, x: f64, y: f64, sw: f64, size: f64) {
        let half = size * 0.45;
        match s {
            Swatch::Box(c) => self.rect(
                (x, y - half),
                (x + sw, y + half),
                Some(c),
                Some((style::AXIS, self.c.pt(0.4))),
            ),
            Swatch::Hatched(c) => {
                self.rect((x, y - half), (x + sw, y + half), Some(c), None);
                self.hatch((x, y - half), (x + sw, y + half), style::AXIS, size * 0.35);
                self.rect(
                    (x, y - half),
                    (x + sw, y + half),
                    None,
                    Some((style::INK, self.c.pt(0.6))),
                );
            }
            Swatch::HatchedWith(fill, ink) => {
                self.rect((x, y - half), (x + sw, y + half), Some(fill), None);
                self.hatch((x, y - half), (x + sw, y + half), ink, size * 0.35);
                self.rect(
                    (x, y - half),
                    (x + sw, y + half),
                    None,
                    Some((ink, self.c.pt(0.7))),
                );
            }
            Swatch::Line(c, w, dash) => {
                let pts = vec![(x, y), (x + sw, y)];
                match dash {
                    Some(d) => self.dashed(pts, c, w, d),
                    None => self.line(pts, c, w),
                }
            }
            Swatch::Dot(c) => self.prims.push(Prim::Circle {
                c: (x + sw / 2.0, y),
                r: size * 0.32,
                fill: Some(c),
                stroke: Some((style::INK, self.c.pt(0.5))),
            }),
            Swatch::Triangle(c) => {
                let r = size * 0.45;
                let cx = x + sw / 2.0;
                let pts = triangle(cx, y, r);
                self.fill(pts.clone(), c);
                let mut closed = pts.clone();
                closed.push(pts[0]);
                self.line(closed, style::INK, self.c.pt(0.5));
            }
        }
    }
}

impl Doc {
    /// A category label under an axis, centred at `x` with its top at `y`: on one line when it
    /// fits `max_w`, else broken at the space nearest its middle (so neighbours never run
    /// together). Returns the number of lines.
    pub fn category_label(&mut self, x: f64, y: f64, text: &str, max_w: f64) -> usize {
        let lines: Vec<String> = if self.width(text, pt::TICK) <= max_w || !text.contains(' ') {
            vec![text.to_string()]
        } else {
            let mid = text.len() / 2;
            let cut = text
                .match_indices(' ')
                .map(|(i, _)| i)
                .min_by_key(|i| i.abs_diff(mid))
                .unwrap_or(mid);
            vec![text[..cut].to_string(), text[cut + 1..].to_string()]
        };
        let lh = self.px(pt::TICK) * 1.15;
        for (i, line) in lines.iter().enumerate() {
            let yy = y + i as f64 * lh;
            self.text((x, yy), line, pt::TICK, H::Center, V::Top);
            let w = self.width(line, pt::TICK);
            self.record.ticks.push((
                line.clone(),
                (x - w / 2.0, yy),
                (x + w / 2.0, yy + self.px(pt::TICK)),
            ));
        }
        lines.len()
    }
}

/// An upward triangle of circumradius `r` centred on (x, y).
pub fn triangle(x: f64, y: f64, r: f64) -> Vec<(f64, f64)> {
    vec![
        (x, y - r),
        (x + r * 0.866, y + r * 0.5),
        (x - r * 0.866, y + r * 0.5),
    ]
}

/// What a legend entry shows.
#[derive(Debug, Clone, Copy)]
pub enum Swatch {
    Box(RGBAColor),
    Hatched(RGBAColor),
    /// A fill hatched and outlined in a second colour (as the bars it stands for).
    HatchedWith(RGBAColor, RGBAColor),
    Line(RGBAColor, f64, Option<(f64, f64)>),
    Dot(RGBAColor),
    Triangle(RGBAColor),
}

/// Ticks at 1, 2 or 5 × 10^k covering [lo, hi], about `n` of them; returns (ticks, step).
pub fn nice_ticks(lo: f64, hi: f64, n: usize) -> (Vec<f64>, f64) {
    let span = (hi - lo).abs().max(1e-9);
    let raw = span / n.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    let ticks = (first..=last).map(|i| i as f64 * step).collect();
    (ticks, step)
}

/// A value axis from 0 fitted to `max`: of the nice steps giving `n - 2` to `n + 2` intervals,
/// the one whose first tick at or above `max` leaves the least headroom. Returns (top, ticks,
/// step).
pub fn fit_axis(max: f64, n: usize) -> (f64, Vec<f64>, f64) {
    if max.is_nan() || max <= 0.0 {
        let (t, s) = nice_ticks(0.0, 1.0, n);
        return (1.0, t, s);
    }
    let mut best: Option<(f64, f64)> = None;
    // Tick counts nearest `n` first, so ties keep the count asked for.
    for k in [n, n.saturating_sub(1), n + 1, n.saturating_sub(2), n + 2] {
        let k = k.max(2);
        let (_, step) = nice_ticks(0.0, max, k);
        let hi = (max / step - 1e-9).ceil() * step;
        let hi = if hi < max { hi + step } else { hi };
        if best.is_none_or(|(h, _)| hi < h - 1e-9) {
            best = Some((hi, step));
        }
    }
    let (hi, step) = best.unwrap_or((max, max));
    let (ticks, _) = nice_ticks(0.0, hi, ((hi / step).round() as usize).max(1));
    let ticks = ticks
        .into_iter()
        .filter(|t| *t <= hi + 1e-9)
        .collect::<Vec<_>>();
    (hi, ticks, step)
}

impl Doc {
    /// Records a value axis for the axis tests.
    pub fn record_axis(&mut self, name: &str, data_max: f64, lo: f64, hi: f64, step: f64) {
        self.record.axes.push(AxisFit {
            name: name.into(),
            data_max,
            lo,
            hi,
            step,
        });
    }
}

/// A numeric plotting frame: pixel box and data ranges.
#[derive(Debug, Clone, Copy)]
pub struct Axes {
    pub x0: f64,
    pub x1: f64,
    /// Top.
    pub y0: f64,
    /// Bottom.
    pub y1: f64,
    pub xr: (f64, f64),
    pub yr: (f64, f64),
}

impl Axes {
    pub fn x(&self, v: f64) -> f64 {
        self.x0 + (v - self.xr.0) / (self.xr.1 - self.xr.0) * (self.x1 - self.x0)
    }

    pub fn y(&self, v: f64) -> f64 {
        self.y1 - (v - self.yr.0) / (self.yr.1 - self.yr.0) * (self.y1 - self.y0)
    }

    /// Horizontal grid lines and labels on the left, the vertical axis title rotated.
    pub fn y_axis(&self, d: &mut Doc, l: &L, ticks: &[f64], step: f64, title: &str) {
        let tick_px = d.px(pt::TICK);
        // Every k-th label where the ticks are closer than a line of text.
        let gap = ticks
            .windows(2)
            .map(|w| (self.y(w[0]) - self.y(w[1])).abs())
            .fold(f64::MAX, f64::min);
        let every = [1usize, 2, 5, 10]
            .into_iter()
            .find(|k| gap * *k as f64 >= tick_px * 1.3)
            .unwrap_or(10);
        for (i, &t) in ticks.iter().enumerate() {
            let y = self.y(t);
            d.line(vec![(self.x0, y), (self.x1, y)], style::GRID, d.c.pt(0.5));
            if i % every != 0 {
                continue;
            }
            let label = l.tick(t, step);
            let w = d.width(&label, pt::TICK);
            d.text(
                (self.x0 - tick_px * 0.5, y),
                &label,
                pt::TICK,
                H::Right,
                V::Center,
            );
            d.record.ticks.push((
                label,
                (self.x0 - tick_px * 0.5 - w, y - tick_px * 0.45),
                (self.x0 - tick_px * 0.5, y + tick_px * 0.55),
            ));
        }
        let wmax = ticks
            .iter()
            .map(|t| d.width(&l.tick(*t, step), pt::TICK))
            .fold(0.0, f64::max);
        // A title longer than the axis takes two lines (the second nearer the axis).
        let x = self.x0 - tick_px * 0.9 - wmax - d.px(pt::LABEL) * 0.7;
        let lines = if d.width(title, pt::LABEL) > (self.y1 - self.y0) * 0.98 {
            d.wrap(title, pt::LABEL, false, (self.y1 - self.y0) * 0.98, "\u{0}")
        } else {
            vec![title.to_string()]
        };
        let n = lines.len();
        for (i, line) in lines.iter().enumerate() {
            d.text_full(
                (
                    x - (n - 1 - i) as f64 * d.px(pt::LABEL) * 1.15,
                    (self.y0 + self.y1) / 2.0,
                ),
                line,
                pt::LABEL,
                style::INK,
                H::Center,
                V::Center,
                false,
                false,
                true,
            );
        }
        d.line(
            vec![(self.x0, self.y0), (self.x0, self.y1)],
            style::AXIS,
            d.c.pt(0.7),
        );
    }

    /// Vertical grid lines and labels below, the axis title under them.
    pub fn x_axis(&self, d: &mut Doc, l: &L, ticks: &[f64], step: f64, title: &str) {
        let tick_px = d.px(pt::TICK);
        // Every k-th label where the labels would touch.
        let gap = ticks
            .windows(2)
            .map(|w| (self.x(w[1]) - self.x(w[0])).abs())
            .fold(f64::MAX, f64::min);
        let wmax = ticks
            .iter()
            .map(|t| d.width(&l.tick(*t, step), pt::TICK))
            .fold(0.0, f64::max)
            + tick_px * 0.6;
        let every = [1usize, 2, 5, 10]
            .into_iter()
            .find(|k| gap * *k as f64 >= wmax)
            .unwrap_or(10);
        for (i, &t) in ticks.iter().enumerate() {
            let x = self.x(t);
            if i % every != 0 {
                d.line(vec![(x, self.y0), (x, self.y1)], style::GRID, d.c.pt(0.5));
                continue;
            }
            d.line(vec![(x, self.y0), (x, self.y1)], style::GRID, d.c.pt(0.5));
            d.line(
                vec![(x, self.y1), (x, self.y1 + tick_px * 0.3)],
                style::AXIS,
                d.c.pt(0.7),
            );
            // A label at the right edge moves left rather than run off the canvas.
            let label = l.tick(t, step);
            let half = d.width(&label, pt::TICK) / 2.0;
            let cx = x.min(d.c.w as f64 - d.m * 0.5 - half);
            d.text(
                (cx, self.y1 + tick_px * 0.45),
                &label,
                pt::TICK,
                H::Center,
                V::Top,
            );
            d.record.ticks.push((
                label,
                (cx - half, self.y1 + tick_px * 0.45),
                (cx + half, self.y1 + tick_px * 1.45),
            ));
        }
        d.text(
            ((self.x0 + self.x1) / 2.0, self.y1 + tick_px * 1.9),
            title,
            pt::LABEL,
            H::Center,
            V::Top,
        );
        self.baseline(d);
    }

    /// A category axis of years: labels centred at their pixel x (every k-th year when the
    /// slots are narrower than a label, with a tick for each year), the baseline, and the axis
    /// title ("Year" / "Tahun") under them.
    pub fn year_axis(&self, d: &mut Doc, l: &L, years: impl IntoIterator<Item = (f64, i32)>) {
        let tick_px = d.px(pt::TICK);
        let years: Vec<(f64, i32)> = years.into_iter().collect();
        let slot = years
            .windows(2)
            .map(|w| (w[1].0 - w[0].0).abs())
            .fold(f64::MAX, f64::min);
        let wmax = years
            .iter()
            .map(|(_, y)| d.width(&y.to_string(), pt::TICK))
            .fold(0.0, f64::max)
            + tick_px * 0.5;
        let every = if slot == f64::MAX {
            1
        } else {
            [1, 2, 5, 10]
                .into_iter()
                .find(|k| slot * *k as f64 >= wmax)
                .unwrap_or(10)
        };
        for (x, year) in &years {
            if every > 1 {
                d.line(
                    vec![(*x, self.y1), (*x, self.y1 + tick_px * 0.3)],
                    style::AXIS,
                    d.c.pt(0.7),
                );
            }
            if year.rem_euclid(every) != 0 {
                continue;
            }
            let label = year.to_string();
            d.text(
                (*x, self.y1 + tick_px * 0.45),
                &label,
                pt::TICK,
                H::Center,
                V::Top,
            );
            let w = d.width(&label, pt::TICK);
            d.record.ticks.push((
                label,
                (x - w / 2.0, self.y1 + tick_px * 0.45),
                (x + w / 2.0, self.y1 + tick_px * 1.45),
            ));
        }
        self.baseline(d);
        d.text(
            ((self.x0 + self.x1) / 2.0, self.y1 + tick_px * 1.9),
            l.p("Year", "Tahun"),
            pt::LABEL,
            H::Center,
            V::Top,
        );
    }

    pub fn baseline(&self, d: &mut Doc) {
        d.line(
            vec![(self.x0, self.y1), (self.x1, self.y1)],
            style::AXIS,
            d.c.pt(0.7),
        );
    }
}
