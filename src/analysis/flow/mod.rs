//! Network flow: deliverability to markets, disruption scenarios, N-1/N-2 ranking and Monte Carlo.
//!
//! # The flow network
//!
//! [`FlowModel::new`] turns a [`Topology`] into one flat flow network, built once and reused for
//! every scenario: a scenario never rebuilds anything, it only switches arcs off (a mask in a
//! per-thread [`Workspace`]). Per commodity (oil, gas) there is a super-source and a super-sink:
//!
//! * one arc super-source → vertex per **supply node** (capacity = its `supply`); a vertex holding
//!   several supply nodes gets several arcs, so the capacities add up and each node can be cut on
//!   its own;
//! * one arc pair per **segment piece** (capacity = the segment's capacity; `direction: both`
//!   gives an undirected arc, i.e. that capacity either way);
//! * one arc vertex → super-sink per **market node** (capacity = its `demand`, unbounded if absent).
//!
//! Commodities never mix: the topology already gives them disjoint vertices, and each commodity
//! has its own source and sink.
//!
//! **Segments without a capacity** get capacity 0. A pipe whose throughput is unknown cannot be
//! credited with any deliverable volume: treating it as unbounded would invent supply routes
//! (a GEM route file without capacities would make every market look fully supplied), while 0
//! gives a lower bound the analyst can trust. Every such segment is listed in
//! [`FlowModel::notes`], which the commands print, so the gap is visible rather than silent.
//!
//! # What cutting an element means
//!
//! * a **segment**: all its pieces;
//! * a **supply or market node**: its own injection or offtake arc. A market on the line (TANAP's
//!   Eskişehir offtake) failing does not stop transit to the markets beyond it;
//! * any **other node** (station, terminal, border, junction): the site itself, i.e. every arc
//!   touching its vertices — nothing passes a failed compressor station or terminal;
//! * a **zone**: every whole segment and node within the band of the zone.
//!
//! # Max flow
//!
//! Dinic's algorithm on flat arrays (CSR adjacency, arcs in pairs `2p`/`2p+1`, flow stored once
//! per pair so unbounded capacities never produce `∞ − ∞`). Floating-point residuals below a
//! tolerance scaled to the largest finite capacity count as saturated. The result is
//! deterministic: arcs are visited in a fixed order, independent of threads.
//!
//! Two exact shortcuts keep N-1, N-2 and Monte Carlo cheap: removing arcs that carry no flow in
//! a maximum-flow solution cannot lower the maximum (that flow stays feasible), so such a
//! scenario's loss is exactly 0 without solving; only scenarios that touch a used arc are solved,
//! and those start from the baseline flow with the cut arcs' flow cancelled
//! ([`FlowModel::max_flow_warm`]) rather than from zero. N-1 over 10^4 edges takes about a
//! second; 10^5 Monte Carlo runs on the default network a fraction of one.

mod demand;
mod dinic;
mod network;
mod rank;
mod scenario;
mod simulate;
mod zone_cut;

pub use demand::{market_demands, MarketDemand};
pub(crate) use network::CommodityNet;
pub use network::{Cut, FlowModel, Market, Target, Workspace};
pub use rank::{
    elements, kinds, rank, rank_by, rank_with_progress, tie_groups, Element, PairRow, RankRow,
    RankSummary, Ranking, TieGroup,
};
pub use scenario::{
    disrupt, disrupt_by, flow, share, DisruptRequest, Disruption, MarketFlow, MarketLoss, Total,
    MARKET_LOSS_COLUMNS,
};
pub use simulate::{
    run_failures, run_rng, simulate, simulate_by, Distribution, SimConfig, SimulateRequest,
    Simulation,
};
pub use zone_cut::{zone_cut, zone_cut_by, BandBox, CutIds};

/// Finds a zone by id (the one lookup of [`crate::analysis`], re-exported for flow callers).
pub use crate::analysis::find_zone;
/// An error in a flow request (unknown ids, bad probabilities): a message for the user.
pub use crate::analysis::RequestError as FlowError;

use serde::Serialize;

/// Default per-run failure probability of each segment and node in `simulate` when neither the
/// data (`failure_prob`) nor the caller says otherwise. It is an illustrative stress level
/// (one element in a hundred out in a given run), not an estimate of real outage rates.
pub const DEFAULT_P_FAILURE: f64 = 0.01;

const UNSET: u32 = u32::MAX;

/// The kind of element a scenario removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ElementKind {
    Segment,
    Node,
    Zone,
}

impl ElementKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ElementKind::Segment => "segment",
            ElementKind::Node => "node",
            ElementKind::Zone => "zone",
        }
    }
}
