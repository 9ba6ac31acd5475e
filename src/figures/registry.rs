//! The one list of figures: id, the inputs each needs, and its builder. `corridor figures`,
//! `corridor report` and the manifest all read it.

use super::data::{Ctx, FigureData};
use super::{charts, map, Built, BORDER_ZONE, GAP_ZONE};
use anyhow::Result;

/// A figure: its stable id (file names, `--only`, the manifest), the zones and corridors it
/// draws on, and the function that builds it.
#[derive(Clone, Copy)]
pub struct Figure {
    pub id: &'static str,
    /// Zone ids the figure needs.
    pub zones: &'static [&'static str],
    /// Corridor ids the figure needs.
    pub corridors: &'static [&'static str],
    pub(super) build: fn(&Ctx) -> Result<Built>,
}

impl Figure {
    /// Whether the data hold every zone and corridor the figure needs.
    pub fn fits(&self, data: &FigureData) -> bool {
        let corridors = data.network.corridors();
        self.zones
            .iter()
            .all(|z| data.zones.iter().any(|x| x.id == *z))
            && self.corridors.iter().all(|c| corridors.contains(c))
    }
}

/// Every figure, in the order they are written.
pub const FIGURES: [Figure; 9] = [
    Figure {
        id: "map-region",
        zones: &[],
        corridors: &[],
        build: map::region::build,
    },
    Figure {
        id: "map-ganja",
        zones: &[BORDER_ZONE],
        corridors: &[],
        build: map::ganja::build,
    },
    Figure {
        id: "supply-imports",
        zones: &[],
        corridors: &[],
        build: charts::supply_imports::build,
    },
    Figure {
        id: "supply-shares-hhi",
        zones: &[],
        corridors: &[],
        build: charts::supply_shares_hhi::build,
    },
    Figure {
        id: "exposure-bands",
        zones: &[BORDER_ZONE],
        corridors: &[],
        build: charts::exposure_bands::build,
    },
    Figure {
        id: "profile-btc",
        zones: &[BORDER_ZONE],
        corridors: &["BTC"],
        build: |ctx| charts::profile::build(ctx, "BTC", "profile-btc"),
    },
    Figure {
        id: "profile-scp",
        zones: &[BORDER_ZONE],
        corridors: &["SCP"],
        build: |ctx| charts::profile::build(ctx, "SCP", "profile-scp"),
    },
    Figure {
        id: "disruption-ganja",
        zones: &[GAP_ZONE],
        corridors: &[],
        build: charts::disruption::build,
    },
    Figure {
        id: "rank-top",
        zones: &[],
        corridors: &[],
        build: charts::rank_top::build,
    },
];

/// The ids of [`FIGURES`], in order.
pub const FIGURE_IDS: [&str; FIGURES.len()] = {
    let mut ids = [""; FIGURES.len()];
    let mut i = 0;
    while i < FIGURES.len() {
        ids[i] = FIGURES[i].id;
        i += 1;
    }
    ids
};

/// The figure of an id.
pub fn figure(id: &str) -> Option<&'static Figure> {
    FIGURES.iter().find(|f| f.id == id)
}

/// The figures the data can draw, and the ids of those they cannot (for want of a zone or a
/// corridor), both in order.
pub fn available(data: &FigureData) -> (Vec<&'static str>, Vec<&'static str>) {
    let (ok, no): (Vec<&Figure>, Vec<&Figure>) = FIGURES.iter().partition(|f| f.fits(data));
    (
        ok.iter().map(|f| f.id).collect(),
        no.iter().map(|f| f.id).collect(),
    )
}
