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
//! The solver works on the network after **series reduction** (`network::reduce`): pairs that
//! can carry nothing and dead ends are dropped, and every chain of vertices with exactly two
//! pairs becomes one pair of the chain's least capacity each way. Max flows are unchanged, and so
//! are cuts: every segment and node maps to the reduced pairs that stand for its own (cutting any
//! link of a chain cuts the chain). [`FlowModel::max_flow_petgraph`] checks against the network
//! as built.
//!
//! Cold solves are push–relabel (highest label first, global relabelling, the gap heuristic;
//! `preflow`): a market alone from its own end, all markets of a commodity from the source; when
//! a flow is wanted (warm starts, used arcs) a second phase returns stranded excess and flow
//! cycles are cancelled. The one exception is the flow (not the value) to all markets at once,
//! N-1's baseline, which is Dinic's: its shortest augmenting paths use fewer pairs, and every
//! pair the baseline uses is a scenario N-1 has to solve. Warm starts end with Dinic's
//! algorithm. Both work on flat arrays (CSR adjacency, arcs in pairs `2p`/`2p+1`, flow stored
//! once per pair so unbounded capacities never produce `∞ − ∞`; push–relabel keeps residual
//! capacities per adjacency slot while it runs).
//! Floating-point residuals below a tolerance scaled to the largest finite capacity count as
//! saturated. The result is deterministic: arcs are visited in a fixed order, independent of
//! threads. [`FlowModel::check_flow`] verifies that a flow is a maximum flow, and
//! [`FlowModel::support_bound`] / [`FlowModel::min_cost_bound`] bound how many pairs every
//! maximum flow must use (a benchmark measure; `support`).
//!
//! Two exact shortcuts keep N-1, N-2 and Monte Carlo cheap: removing arcs that carry no flow in
//! a maximum-flow solution cannot lower the maximum (that flow stays feasible), so such a
//! scenario's loss is exactly 0 without solving; only scenarios that touch a used arc are solved,
//! and those start from the baseline flow ([`FlowModel::max_flow_warm`]) rather than from zero.
//! A warm start stays local: each cut arc's flow first goes round it through residual paths
//! found by small searches, what cannot is taken back along the paths that carry it (walking
//! flow, not searching the network), and the flow is then augmented by bidirectional searches
//! that cost the smaller of the source's and the sink's residual regions. N-1 and Monte Carlo
//! keep the baseline in the per-thread workspace and undo each scenario from a journal; a
//! scenario whose every cut flow went round its cut keeps the baseline value without any search
//! (nothing can exceed it). N-1 over
//! 10^5 elements takes about a second; 10^5 Monte Carlo runs on the default network a fraction
//! of one.

mod demand;
mod dinic;
mod network;
mod preflow;
mod rank;
mod scenario;
mod simulate;
mod support;
mod zone_cut;

pub use demand::{market_demands, MarketDemand};
pub(crate) use network::CommodityNet;
pub use network::{Cut, FlowModel, Market, Target, Workspace};
pub use rank::{
    elements, kinds, market_losses, rank, rank_by, rank_with_progress, tie_groups, Element,
    PairRow, RankRow, RankSummary, Ranking, TieGroup,
};
pub use scenario::{
    disrupt, disrupt_by, flow, share, DisruptRequest, Disruption, MarketFlow, MarketLoss, Total,
    MARKET_LOSS_COLUMNS,
};
pub use simulate::{
    run_failures, run_rng, simulate, simulate_by, Distribution, SimConfig, SimulateRequest,
    Simulation,
};
pub use support::{LayerBound, MinCostBound, SupportBound};
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
