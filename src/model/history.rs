//! Capacities by year: the steps of a segment's, node's or corridor's capacity, operating or
//! planned, and the network of a year with those capacities ([`Network::vintage`]).
//!
//! Rules (README, "Years"): for each segment, the steps that cover the year are its own and its
//! corridor's; a planned step counts only when asked for (`include_planned`), and then wins over
//! an operating one (it is a later expansion); among the rest a segment's own step wins over its
//! corridor's, and the latest start wins. A segment with steps none of which covers the year is
//! a gap: it carries no capacity that year (flow says so in its notes), never a later value
//! carried back. A node's steps in several units (send-out per day, annual nameplate) are
//! converted to bcm/y; the latest start wins, then send-out per day. Elements without steps keep
//! the capacity of the network files.

use super::{Commodity, Network};

/// Whether a step is in force or only announced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StepStatus {
    Operating,
    Planned,
}

/// What a step belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepOwner {
    Segment,
    Node,
    Corridor,
}

/// One capacity in force over a span of years (inclusive; `None`: open).
#[derive(Debug, Clone, PartialEq)]
pub struct CapacityStep {
    pub owner: StepOwner,
    pub id: String,
    /// First year in force; `None` for an undated (planned) step.
    pub from: Option<i32>,
    pub to: Option<i32>,
    /// The value as the source gave it, in `unit`.
    pub value: f64,
    /// `bcm/y`, `mcm/d`, `Mt/y` (LNG for gas, crude for oil), `kb/d`, `b/d`.
    pub unit: String,
    pub status: StepStatus,
    pub source: String,
    pub confidence: String,
}

impl CapacityStep {
    /// Is the step in force in `year`? Undated steps never are.
    pub fn covers(&self, year: i32) -> bool {
        self.from.is_some_and(|f| f <= year) && self.to.is_none_or(|t| year <= t)
    }

    /// The capacity normalised for `commodity`; `None` for a unit that does not fit it.
    pub fn capacity(&self, commodity: Commodity) -> Option<f64> {
        normalise_unit(self.value, &self.unit, commodity)
    }

    fn unit_rank(&self) -> u8 {
        match self.unit.as_str() {
            "mcm/d" => 0,
            "bcm/y" | "kb/d" => 1,
            _ => 2,
        }
    }
}

/// Every capacity step of a dataset.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CapacityHistory {
    pub steps: Vec<CapacityStep>,
}

/// A capacity a vintage took from a planned step, for the outputs to label.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PlannedUse {
    /// `segment` or `node`.
    pub element: &'static str,
    pub id: String,
    pub corridor: Option<String>,
    pub capacity: f64,
    pub from: Option<i32>,
    pub source: String,
}

/// The network of a year with that year's capacities, and what it took from planned steps and
/// which elements are gaps that year.
#[derive(Debug, Clone, Default)]
pub struct Vintage {
    pub network: Network,
    pub planned: Vec<PlannedUse>,
    /// Segment and node ids whose steps do not cover the year (no capacity that year).
    pub gaps: Vec<String>,
}

impl CapacityHistory {
    /// The steps of one element, and of its corridor for a segment.
    fn steps_for<'a>(
        &'a self,
        owner: StepOwner,
        id: &'a str,
        corridor: Option<&'a str>,
    ) -> impl Iterator<Item = &'a CapacityStep> + 'a {
        self.steps.iter().filter(move |s| {
            (s.owner == owner && s.id == id)
                || (owner == StepOwner::Segment
                    && s.owner == StepOwner::Corridor
                    && corridor == Some(s.id.as_str()))
        })
    }

    /// The step in force for an element in `year` (see the module docs), or `Err(())` when the
    /// element has steps but none covers the year, or `Ok(None)` when it has none.
    #[allow(clippy::too_many_arguments)]
    fn pick<'a>(
        &'a self,
        owner: StepOwner,
        id: &'a str,
        corridor: Option<&'a str>,
        commodity: Commodity,
        year: i32,
        include_planned: bool,
    ) -> Result<Option<(&'a CapacityStep, f64)>, ()> {
        let all: Vec<&CapacityStep> = self
            .steps_for(owner, id, corridor)
            .filter(|s| s.capacity(commodity).is_some())
            .collect();
        if all.is_empty() {
            return Ok(None);
        }
        let best = all
            .iter()
            .filter(|s| s.covers(year))
            .filter(|s| include_planned || s.status == StepStatus::Operating)
            .max_by(|a, b| {
                let planned = |s: &CapacityStep| s.status == StepStatus::Planned;
                let own = |s: &CapacityStep| s.owner == owner;
                planned(a)
                    .cmp(&planned(b))
                    .then(own(a).cmp(&own(b)))
                    .then(a.from.cmp(&b.from))
                    .then(b.unit_rank().cmp(&a.unit_rank()))
            })
            .copied();
        match best {
            Some(s) => Ok(s.capacity(commodity).map(|c| (s, c))),
            // Only planned or undated steps, none asked for or in force: the element keeps the
            // files' capacity only if it has no operating steps at all.
            None if all.iter().all(|s| s.status == StepStatus::Planned) => Ok(None),
            None => Err(()),
        }
    }

    /// The first and last years the operating steps give.
    pub fn years(&self) -> Option<(i32, i32)> {
        let years: Vec<i32> = self
            .steps
            .iter()
            .filter(|s| s.status == StepStatus::Operating)
            .flat_map(|s| [s.from, s.to])
            .flatten()
            .collect();
        Some((*years.iter().min()?, *years.iter().max()?))
    }
}

impl Network {
    /// The network as it stood in `year` ([`Network::in_year`]) with that year's capacities from
    /// `history` (see the module docs); without a year, the network as the files give it.
    pub fn vintage(
        &self,
        year: Option<i32>,
        history: &CapacityHistory,
        include_planned: bool,
    ) -> Vintage {
        let mut v = Vintage {
            network: self.in_year(year),
            ..Default::default()
        };
        let Some(y) = year else {
            return v;
        };
        for s in &mut v.network.segments {
            let pick = history.pick(
                StepOwner::Segment,
                &s.id,
                Some(&s.corridor),
                s.commodity,
                y,
                include_planned,
            );
            match pick {
                Ok(Some((step, capacity))) => {
                    s.capacity = Some(capacity);
                    if step.status == StepStatus::Planned {
                        v.planned.push(PlannedUse {
                            element: "segment",
                            id: s.id.clone(),
                            corridor: Some(s.corridor.clone()),
                            capacity,
                            from: step.from,
                            source: step.source.clone(),
                        });
                    }
                }
                Ok(None) => {}
                Err(()) => {
                    s.capacity = None;
                    v.gaps.push(s.id.clone());
                }
            }
        }
        for n in &mut v.network.nodes {
            let Some(commodity) = n.commodity.filter(|_| n.supply.is_some()) else {
                continue;
            };
            match history.pick(StepOwner::Node, &n.id, None, commodity, y, include_planned) {
                Ok(Some((step, capacity))) => {
                    n.supply = Some(capacity);
                    if step.status == StepStatus::Planned {
                        v.planned.push(PlannedUse {
                            element: "node",
                            id: n.id.clone(),
                            corridor: None,
                            capacity,
                            from: step.from,
                            source: step.source.clone(),
                        });
                    }
                }
                Ok(None) => {}
                Err(()) => {
                    n.supply = None;
                    v.gaps.push(n.id.clone());
                }
            }
        }
        v
    }

    /// The first and last commissioning (or decommissioning) years the files state.
    pub fn years(&self) -> Option<(i32, i32)> {
        let years: Vec<i32> = self
            .segments
            .iter()
            .flat_map(|s| [s.commissioned, s.decommissioned])
            .chain(
                self.nodes
                    .iter()
                    .flat_map(|n| [n.commissioned, n.decommissioned]),
            )
            .flatten()
            .collect();
        Some((*years.iter().min()?, *years.iter().max()?))
    }
}

/// Gas from liquefied natural gas: 1.379 bcm per Mt (Enerdynamics, "Understanding Liquefied
/// Natural Gas (LNG) Units"; data/SOURCES.md), for LNG terminals' annual nameplates in Mt/y.
pub const LNG_BCM_PER_MT: f64 = 1.379;

/// A capacity in `unit` normalised for `commodity` (bcm/y for gas, kb/d for oil); `None` for a
/// unit that does not fit the commodity. `Mt/y` is LNG for gas and crude for oil.
///
/// ```
/// use corridor::model::{normalise_unit, Commodity};
/// assert_eq!(normalise_unit(28.0, "mcm/d", Commodity::Gas), Some(28.0 * 0.36525));
/// assert_eq!(normalise_unit(7.5, "Mt/y", Commodity::Gas), Some(7.5 * 1.379));
/// assert_eq!(normalise_unit(1200.0, "kb/d", Commodity::Oil), Some(1200.0));
/// assert_eq!(normalise_unit(5.0, "kb/d", Commodity::Gas), None);
/// ```
pub fn normalise_unit(v: f64, unit: &str, commodity: Commodity) -> Option<f64> {
    use super::CapacityUnit;
    match (commodity, unit) {
        (Commodity::Gas, "Mt/y") => Some(v * LNG_BCM_PER_MT),
        _ => {
            let u = CapacityUnit::parse(unit)?;
            (u.commodity() == commodity).then(|| u.normalise(v))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(
        owner: StepOwner,
        id: &str,
        from: Option<i32>,
        to: Option<i32>,
        cap: f64,
        planned: bool,
    ) -> CapacityStep {
        CapacityStep {
            owner,
            id: id.into(),
            from,
            to,
            value: cap,
            unit: "bcm/y".into(),
            status: if planned {
                StepStatus::Planned
            } else {
                StepStatus::Operating
            },
            source: "test".into(),
            confidence: "high".into(),
        }
    }

    #[test]
    fn picks_own_then_corridor_then_planned_when_asked() {
        let h = CapacityHistory {
            steps: vec![
                step(
                    StepOwner::Segment,
                    "S-1",
                    Some(2006),
                    Some(2017),
                    7.41,
                    false,
                ),
                step(StepOwner::Segment, "S-1", Some(2018), None, 23.4, false),
                step(StepOwner::Corridor, "S", Some(2006), None, 5.0, false),
                step(StepOwner::Corridor, "S", Some(2026), None, 31.0, true),
                step(StepOwner::Corridor, "S", None, None, 40.0, true),
            ],
        };
        let gas = Commodity::Gas;
        let pick = |y, p| {
            h.pick(StepOwner::Segment, "S-1", Some("S"), gas, y, p)
                .unwrap()
                .map(|s| s.1)
        };
        assert_eq!(pick(2010, false), Some(7.41));
        assert_eq!(pick(2020, false), Some(23.4));
        assert_eq!(pick(2030, false), Some(23.4));
        assert_eq!(pick(2030, true), Some(31.0));
        // A segment without its own steps takes its corridor's.
        assert_eq!(
            h.pick(StepOwner::Segment, "S-2", Some("S"), gas, 2010, false)
                .unwrap()
                .map(|s| s.1),
            Some(5.0)
        );
        // Steps that do not cover the year: a gap, not a value carried back.
        assert!(h
            .pick(StepOwner::Segment, "S-1", Some("T"), gas, 2000, false)
            .is_err());
        // No steps at all: the files' capacity stands.
        assert_eq!(
            h.pick(StepOwner::Segment, "X-1", Some("X"), gas, 2000, false),
            Ok(None)
        );
    }
}
