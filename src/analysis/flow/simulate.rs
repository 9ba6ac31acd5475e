//! Monte Carlo over independent failures of segments, nodes and zone events.

use super::rank::baseline;
use super::scenario::{check_band, loss};
use super::{zone_cut, Cut, FlowModel, Target, Workspace};
use crate::analysis::{find_zone, RequestError};
use crate::model::{Commodity, Network, Zone};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;

/// Monte Carlo settings. Probabilities are per run, independent across elements.
#[derive(Debug, Clone)]
pub struct SimConfig {
    pub runs: u64,
    pub seed: u64,
    /// Failure probability of each segment (by index in `Network::segments`).
    pub segment_p: Vec<f64>,
    /// Failure probability of each node (by index in `Network::nodes`).
    pub node_p: Vec<f64>,
    /// Zone events: id, probability, and what the event cuts.
    pub zones: Vec<(String, f64, Cut)>,
}

impl SimConfig {
    /// Every segment and node failing with `p`, no zone events.
    pub fn uniform(net: &Network, runs: u64, seed: u64, p: f64) -> SimConfig {
        SimConfig {
            runs,
            seed,
            segment_p: vec![p; net.segments.len()],
            node_p: vec![p; net.nodes.len()],
            zones: Vec::new(),
        }
    }

    /// Rejects probabilities outside [0, 1] and zero runs.
    pub fn validate(&self) -> Result<(), RequestError> {
        if self.runs == 0 {
            return Err(RequestError("the number of runs must be at least 1".into()));
        }
        let bad = |p: f64| !(0.0..=1.0).contains(&p);
        if self.segment_p.iter().chain(&self.node_p).any(|&p| bad(p)) {
            return Err(RequestError(
                "failure probabilities must lie between 0 and 1".into(),
            ));
        }
        for (id, p, _) in &self.zones {
            if bad(*p) {
                return Err(RequestError(format!(
                    "zone {id:?}: probability {p} is not between 0 and 1"
                )));
            }
        }
        Ok(())
    }
}

/// One row of `corridor simulate`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Distribution {
    pub market: String,
    pub commodity: Commodity,
    pub baseline: f64,
    pub mean_lost: f64,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub p_any_loss: f64,
    pub runs: u64,
    pub unit: &'static str,
}

/// The RNG of run `run`: ChaCha8 seeded from `seed`, on stream `run`. Each run's draws depend
/// only on (seed, run), never on which thread runs it or in what order.
pub fn run_rng(seed: u64, run: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(run);
    rng
}

/// The elements that fail in run `run` (segments, nodes, zone indices). Every element draws one
/// number in a fixed order, whatever its probability, so streams stay aligned.
pub fn run_failures(cfg: &SimConfig, run: u64) -> (Vec<usize>, Vec<usize>, Vec<usize>) {
    let mut rng = run_rng(cfg.seed, run);
    let mut pick = |ps: &mut dyn Iterator<Item = f64>| -> Vec<usize> {
        let mut out = Vec::new();
        for (i, p) in ps.enumerate() {
            let x: f64 = rng.random();
            if x < p {
                out.push(i);
            }
        }
        out
    };
    let s = pick(&mut cfg.segment_p.iter().copied());
    let n = pick(&mut cfg.node_p.iter().copied());
    let z = pick(&mut cfg.zones.iter().map(|z| z.1));
    (s, n, z)
}

/// Nearest-rank percentile of `n` values of which `n - nonzero.len()` are 0 and `nonzero` is
/// sorted ascending.
fn percentile(nonzero: &[f64], n: u64, q: f64) -> f64 {
    if n == 0 {
        return 0.0;
    }
    let k = ((q * n as f64).ceil() as u64).clamp(1, n);
    let zeros = n - nonzero.len() as u64;
    if k <= zeros {
        0.0
    } else {
        nonzero
            .get((k - zeros - 1) as usize)
            .copied()
            .unwrap_or(0.0)
    }
}

/// Runs the Monte Carlo. `progress` is called with the number of runs just finished. Runs are
/// processed in parallel in fixed chunks and reduced in run order, so the numbers are identical
/// for any thread count. Percentiles are nearest-rank.
pub fn simulate(
    model: &FlowModel,
    cfg: &SimConfig,
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<Distribution> {
    let targets: Vec<Target> = (0..model.markets.len()).map(Target::Market).collect();
    let bl = baseline(model, &targets);
    let (base, used) = (&bl.values, &bl.used);
    const CHUNK: u64 = 1024;
    let chunks = cfg.runs.div_ceil(CHUNK);
    let results: Vec<Vec<(u32, f64)>> = (0..chunks)
        .into_par_iter()
        .map_init(
            || Workspace::new(model),
            |ws, ch| {
                let lo = ch * CHUNK;
                let hi = (lo + CHUNK).min(cfg.runs);
                let mut out = Vec::new();
                for run in lo..hi {
                    let (s, n, z) = run_failures(cfg, run);
                    if s.is_empty() && n.is_empty() && z.is_empty() {
                        continue;
                    }
                    let mut cut = model.cut(&s, &n);
                    for zi in z {
                        cut = model.union(&cut, &cfg.zones[zi].2);
                    }
                    for (m, mask) in used.iter().enumerate() {
                        if !cut.pairs.iter().any(|&p| mask[p as usize]) {
                            continue;
                        }
                        let d = model.max_flow_keyed(
                            ws,
                            Target::Market(m),
                            &cut.pairs,
                            &bl.flows[m],
                            (bl.id, m),
                        );
                        let l = loss(base[m], d, model.eps);
                        if l > 0.0 {
                            out.push((m as u32, l));
                        }
                    }
                }
                progress(hi - lo);
                out
            },
        )
        .collect();
    let mut per_market: Vec<Vec<f64>> = vec![Vec::new(); model.markets.len()];
    for chunk in &results {
        for &(m, l) in chunk {
            per_market[m as usize].push(l);
        }
    }
    model
        .markets
        .iter()
        .enumerate()
        .map(|(m, mk)| {
            // Summed in run order, so the mean is bit-for-bit reproducible.
            let sum: f64 = per_market[m].iter().sum();
            let mut sorted = per_market[m].clone();
            sorted.sort_by(f64::total_cmp);
            Distribution {
                market: mk.name.clone(),
                commodity: mk.commodity,
                baseline: base[m],
                mean_lost: sum / cfg.runs as f64,
                p50: percentile(&sorted, cfg.runs, 0.50),
                p95: percentile(&sorted, cfg.runs, 0.95),
                p99: percentile(&sorted, cfg.runs, 0.99),
                p_any_loss: sorted.len() as f64 / cfg.runs as f64,
                runs: cfg.runs,
                unit: mk.commodity.unit(),
            }
        })
        .collect()
}
/// What `simulate` runs: `runs` seeded runs where every segment and node fails with its own
/// `failure_prob` where the data give one, else with `p_default`, and each zone event (a zone
/// id with a probability) takes out everything within `band_km` of its zone.
#[derive(Debug, Clone)]
pub struct SimulateRequest<'a> {
    pub runs: u64,
    pub seed: u64,
    pub p_default: f64,
    pub zone_probs: &'a [(String, f64)],
    pub band_km: f64,
}

/// The result of [`simulate_by`].
#[derive(Debug, Clone)]
pub struct Simulation {
    pub distribution: Vec<Distribution>,
    /// How many segments and nodes had their own failure probability.
    pub own_probs: usize,
}

/// Resolves a [`SimulateRequest`] (zone ids, probabilities) and runs [`simulate`]; `progress`
/// is called with the number of runs just finished.
pub fn simulate_by(
    model: &FlowModel,
    net: &Network,
    zones: &[Zone],
    req: &SimulateRequest,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Simulation, RequestError> {
    if !(0.0..=1.0).contains(&req.p_default) {
        return Err(RequestError(format!(
            "the default failure probability must lie between 0 and 1, got {}",
            req.p_default
        )));
    }
    check_band(req.band_km)?;
    let mut cfg = SimConfig::uniform(net, req.runs, req.seed, req.p_default);
    // An element's own `failure_prob` overrides the default.
    for (p, s) in cfg.segment_p.iter_mut().zip(&net.segments) {
        if let Some(own) = s.failure_prob {
            *p = own;
        }
    }
    for (p, n) in cfg.node_p.iter_mut().zip(&net.nodes) {
        if let Some(own) = n.failure_prob {
            *p = own;
        }
    }
    let own_probs = net
        .segments
        .iter()
        .filter(|s| s.failure_prob.is_some())
        .count()
        + net
            .nodes
            .iter()
            .filter(|n| n.failure_prob.is_some())
            .count();
    for (id, p) in req.zone_probs {
        let z = find_zone(zones, id)?;
        cfg.zones.push((
            id.clone(),
            *p,
            zone_cut(model, net, z, req.band_km * 1000.0),
        ));
    }
    cfg.validate()?;
    Ok(Simulation {
        distribution: simulate(model, &cfg, progress),
        own_probs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentile_nearest_rank_with_implicit_zeros() {
        // 10 runs, 8 zeros and losses 1, 3.
        let nz = [1.0, 3.0];
        assert_eq!(percentile(&nz, 10, 0.5), 0.0);
        assert_eq!(percentile(&nz, 10, 0.9), 1.0);
        assert_eq!(percentile(&nz, 10, 0.95), 3.0);
        assert_eq!(percentile(&nz, 10, 1.0), 3.0);
    }

    #[test]
    fn rng_streams_depend_only_on_seed_and_run() {
        let a: f64 = run_rng(7, 3).random();
        let b: f64 = run_rng(7, 3).random();
        let c: f64 = run_rng(7, 4).random();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}
