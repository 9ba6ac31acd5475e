//! Flow, disruption, ranking and Monte Carlo: hand-worked networks (values in the comments), a
//! cross-check against petgraph's independent `dinics` on the default and on seeded synthetic
//! networks, reproducibility, and the commands on the real binary.

mod common;

use assert_cmd::Command;
use corridor::analysis::flow::{
    self, disrupt, elements, rank, simulate, Cut, ElementKind, FlowModel, SimConfig, Target,
    Workspace,
};
use corridor::input::{embedded, load_network, load_zones, LoadOptions, Source};
use corridor::model::{Commodity, Network};
use corridor::topology::{build, DEFAULT_SNAP_M};
use std::path::Path;

const TOL: f64 = 1e-9;

fn fixture(name: &str) -> String {
    format!("tests/fixtures/flow/{name}")
}

fn load(name: &str) -> Network {
    let src = Source::read(Path::new(&fixture(name))).expect("fixture readable");
    load_network(&[src], LoadOptions::default())
        .expect("fixture loads")
        .0
}

fn model_of(net: &Network) -> FlowModel {
    FlowModel::new(net, &build(net, DEFAULT_SNAP_M))
}

/// Deliverability of a market by name and commodity.
fn market(model: &FlowModel, name: &str, c: Commodity, cut: &Cut) -> f64 {
    let i = model
        .markets()
        .iter()
        .position(|m| m.name == name && m.commodity == c)
        .unwrap_or_else(|| panic!("market {name} {c}"));
    let mut ws = Workspace::new(model);
    model.max_flow(&mut ws, Target::Market(i), &cut.pairs, None)
}

fn total(model: &FlowModel, c: Commodity, cut: &Cut) -> f64 {
    let ci = model
        .commodities()
        .iter()
        .position(|x| *x == c)
        .expect("commodity present");
    let mut ws = Workspace::new(model);
    model.max_flow(&mut ws, Target::All(ci), &cut.pairs, None)
}

fn ids(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= TOL * (1.0 + a.abs().max(b.abs()))
}

// Series: supply s (30) → a-1 (20) → station j → b-1 (10) → market Town.
// Max flow = min(30, 20, 10) = 10. Cutting a-1, b-1 or the station j loses all 10; cutting the
// supply node loses 10 too.
#[test]
fn series_is_the_min_of_capacities() {
    let net = load("series.geojson");
    let m = model_of(&net);
    let none = Cut::default();
    assert!(close(market(&m, "Town", Commodity::Gas, &none), 10.0));
    assert!(close(total(&m, Commodity::Gas, &none), 10.0));
    for (segs, nodes) in [
        (vec!["a-1"], vec![]),
        (vec!["b-1"], vec![]),
        (vec![], vec!["j"]),
    ] {
        let cut = m.cut_by_ids(&ids(&segs), &ids(&nodes)).unwrap();
        let (rows, _) = disrupt(&m, &cut);
        assert_eq!(rows.len(), 1);
        assert!(close(rows[0].baseline, 10.0));
        assert!(close(rows[0].lost, 10.0), "{segs:?} {nodes:?}: {rows:?}");
        assert!(close(rows[0].lost_share, 1.0));
    }
}

// Parallel: supply s (100) → Town by a-1 (10) and by b-1 (15): 10 + 15 = 25.
// N-1: a-1 loses 10 (share 0.4), b-1 loses 15 (0.6). N-2 {a-1, b-1}: loses 25, interaction 0.
#[test]
fn parallel_is_the_sum_and_pairs_add_up() {
    let net = load("parallel.geojson");
    let m = model_of(&net);
    assert!(close(
        market(&m, "Town", Commodity::Gas, &Cut::default()),
        25.0
    ));
    let els = elements(&m, &net, &[], &[ElementKind::Segment], 0.0);
    let r = rank(&m, &els, 2);
    assert_eq!(r.rows[0].id, "b-1");
    assert!(close(r.rows[0].lost, 15.0) && close(r.rows[0].lost_share, 0.6));
    assert_eq!(r.rows[1].id, "a-1");
    assert!(close(r.rows[1].lost, 10.0) && close(r.rows[1].lost_share, 0.4));
    assert_eq!(r.pairs.len(), 1);
    assert!(close(r.pairs[0].lost, 25.0) && close(r.pairs[0].lost_share, 1.0));
    assert!(close(r.pairs[0].interaction, 0.0));
    assert!(close(r.summary[0].worst_single_share, 0.6));
    assert!(close(r.summary[0].worst_pair_share, 1.0));
}

// Bridge: supplies s1 (10) and s2 (10) feed hub h over in1-1 (10) and in2-1 (10); bridge-1 (15)
// takes h → k; k feeds East over out-east (10; East's demand is capped at 8) and West over
// out-west (10, unbounded). A spur h → d (5) leads to no market.
//   East alone = min(20, 15, 10, 8) = 8; West alone = min(20, 15, 10) = 10;
//   total = min(20 supply, 15 bridge, 8 + 10) = 15.
// N-1 losses of the total (15): bridge-1, node h, node k → 15 (share 1);
//   out-west or market node west → 15 − 8 = 7; in1-1, in2-1, s1, s2 → 15 − 10 = 5;
//   out-east or market node east → 15 − 10 = 5; spur-1 and d carry nothing → 0.
#[test]
fn bridge_demand_cap_and_ranking() {
    let net = load("bridge.geojson");
    let m = model_of(&net);
    let none = Cut::default();
    assert!(close(market(&m, "East", Commodity::Gas, &none), 8.0));
    assert!(close(market(&m, "West", Commodity::Gas, &none), 10.0));
    assert!(close(total(&m, Commodity::Gas, &none), 15.0));
    let els = elements(
        &m,
        &net,
        &[],
        &[ElementKind::Segment, ElementKind::Node],
        0.0,
    );
    let r = rank(&m, &els, 0);
    let got: Vec<(String, f64)> = r
        .rows
        .iter()
        .map(|x| (format!("{}:{}", x.kind.as_str(), x.id), x.lost))
        .collect();
    let want = [
        ("segment:bridge-1", 15.0),
        ("node:h", 15.0),
        ("node:k", 15.0),
        ("segment:out-west", 7.0),
        ("node:west", 7.0),
        ("segment:in1-1", 5.0),
        ("segment:in2-1", 5.0),
        ("segment:out-east", 5.0),
        ("node:east", 5.0),
        ("node:s1", 5.0),
        ("node:s2", 5.0),
        ("segment:spur-1", 0.0),
        ("node:d", 0.0),
    ];
    assert_eq!(got.len(), want.len(), "{got:?}");
    for ((g, gl), (w, wl)) in got.iter().zip(want) {
        assert_eq!(g, w, "{got:?}");
        assert!(close(*gl, wl), "{g}: {gl} vs {wl}");
    }
    // A disruption of an element that carries nothing loses nothing, in every market.
    let cut = m.cut_by_ids(&ids(&["spur-1"]), &ids(&["d"])).unwrap();
    let (rows, totals) = disrupt(&m, &cut);
    assert!(rows.iter().chain(&totals).all(|r| r.lost == 0.0));
}

// Bidirectional: supply a (10); both-1 is drawn b → a with direction both (7), so a → b carries
// 7: Bee = 7. fwd-1 is drawn c → a, forward only: nothing reaches Cee = 0.
#[test]
fn bidirectional_link_and_direction() {
    let net = load("bidirectional.geojson");
    let m = model_of(&net);
    let none = Cut::default();
    assert!(close(market(&m, "Bee", Commodity::Gas, &none), 7.0));
    assert!(close(market(&m, "Cee", Commodity::Gas, &none), 0.0));
    assert!(close(total(&m, Commodity::Gas, &none), 7.0));
}

// Two commodities from one site through a junction without commodity (serves both):
// oil 100 → oil-1 (50) → shared → oil-2 (40) → Port: 40 kb/d;
// gas 10 → gas-1 (8) → shared → gas-2 (20) → Town: 8 bcm/y;
// oil-3 runs on from Port to the gas market Island: oil never reaches gas, Island = 0.
// Cutting `shared` (a site) stops both: Port loses 40, Town loses 8.
#[test]
fn commodities_never_mix_and_a_shared_node_serves_both() {
    let net = load("commodities.geojson");
    let m = model_of(&net);
    let none = Cut::default();
    assert!(close(market(&m, "Port", Commodity::Oil, &none), 40.0));
    assert!(close(market(&m, "Town", Commodity::Gas, &none), 8.0));
    assert!(close(market(&m, "Island", Commodity::Gas, &none), 0.0));
    let cut = m.cut_by_ids(&[], &ids(&["shared"])).unwrap();
    let (rows, _) = disrupt(&m, &cut);
    let lost = |n: &str| rows.iter().find(|r| r.market == n).unwrap().lost;
    assert!(close(lost("Port"), 40.0));
    assert!(close(lost("Town"), 8.0));
    assert!(close(lost("Island"), 0.0));
    let units: Vec<&str> = rows.iter().map(|r| r.unit).collect();
    assert!(units.contains(&"kb/d") && units.contains(&"bcm/y"));
}

#[test]
fn unknown_ids_list_the_valid_ones() {
    let net = load("series.geojson");
    let m = model_of(&net);
    let e = m.cut_by_ids(&ids(&["nope"]), &[]).unwrap_err().0;
    assert!(e.contains("\"nope\"") && e.contains("a-1, b-1"), "{e}");
    let e = m.cut_by_ids(&[], &ids(&["zz"])).unwrap_err().0;
    assert!(e.contains("j, m, s"), "{e}");
}

/// All targets and a few cuts of `m` agree with petgraph's dinics, and the baseline flows (the
/// warm starts) are maximum flows: within capacities, conserved, with no augmenting path left.
fn agree_with_petgraph(m: &FlowModel, cuts: &[Cut]) {
    let mut ws = Workspace::new(m);
    let mut targets: Vec<Target> = (0..m.commodities().len()).map(Target::All).collect();
    targets.extend((0..m.markets().len()).map(Target::Market));
    let warm: Vec<Vec<f64>> = targets
        .iter()
        .map(|&t| {
            let (v, f) = m.baseline_flow(&mut ws, t);
            let b = m.max_flow_petgraph(t, &[]);
            let checked = m
                .check_flow(t, &[], &f)
                .unwrap_or_else(|e| panic!("{t:?}: baseline flow: {e}"));
            assert!(
                close(v, b) && close(checked, b),
                "{t:?}: baseline {v}, its flow {checked}, petgraph {b}"
            );
            f
        })
        .collect();
    for cut in cuts {
        // Deliverability solves every market of a commodity from shared first labels.
        let (markets, totals) = m.deliverability(&mut ws, cut);
        let all = totals
            .iter()
            .enumerate()
            .map(|(ci, &v)| (Target::All(ci), v));
        let alone = markets
            .iter()
            .enumerate()
            .map(|(mi, &v)| (Target::Market(mi), v));
        for (t, a) in all.chain(alone) {
            let b = m.max_flow_petgraph(t, &cut.pairs);
            assert!(
                (a - b).abs() <= 1e-6 * (1.0 + b.abs()),
                "{t:?} cut {:?}: deliverability {a} petgraph {b}",
                cut.segments
            );
        }
        for (ti, &t) in targets.iter().enumerate() {
            let a = m.max_flow(&mut ws, t, &cut.pairs, None);
            let w = m.max_flow_warm(&mut ws, t, &cut.pairs, &warm[ti]);
            let b = m.max_flow_petgraph(t, &cut.pairs);
            assert!(
                (a - b).abs() <= 1e-6 * (1.0 + b.abs()),
                "{t:?} cut {:?}: ours {a} petgraph {b}",
                cut.segments
            );
            assert!(
                (w - b).abs() <= 1e-6 * (1.0 + b.abs()),
                "{t:?} cut {:?}: warm {w} petgraph {b}",
                cut.segments
            );
        }
    }
}

#[test]
fn default_network_agrees_with_petgraph() {
    let (net, _) = load_network(&embedded::network(), LoadOptions::default()).expect("loads");
    let m = model_of(&net);
    let mut cuts = vec![Cut::default()];
    for s in (0..net.segments.len()).step_by(3) {
        cuts.push(m.cut(&[s], &[]));
    }
    for n in 0..net.nodes.len() {
        cuts.push(m.cut(&[], &[n]));
    }
    agree_with_petgraph(&m, &cuts);
}

/// `market_losses` (warm-started, skipping cuts that touch no used arc) gives, element by
/// element, the markets `disrupt` (every market solved from scratch) finds losing something.
fn market_losses_match_disrupt(net: &Network, zones: &[corridor::model::Zone]) {
    let m = model_of(net);
    let kinds = [ElementKind::Segment, ElementKind::Node, ElementKind::Zone];
    let els = elements(&m, net, zones, &kinds, 0.0);
    let got = flow::market_losses(&m, &els);
    assert_eq!(got.len(), els.len());
    let mut seen = 0;
    for (e, g) in els.iter().zip(&got) {
        let (want, _) = disrupt(&m, &e.cut);
        let want: Vec<_> = want.into_iter().filter(|r| r.lost > 0.0).collect();
        assert_eq!(
            g.iter()
                .map(|r| (&r.market, r.commodity))
                .collect::<Vec<_>>(),
            want.iter()
                .map(|r| (&r.market, r.commodity))
                .collect::<Vec<_>>(),
            "{} {}",
            e.kind.as_str(),
            e.id
        );
        for (a, b) in g.iter().zip(&want) {
            assert!(close(a.lost, b.lost), "{}: {a:?} vs {b:?}", e.id);
            assert!(close(a.lost_share, b.lost_share), "{}", e.id);
            assert!(close(a.baseline, b.baseline), "{}", e.id);
        }
        seen += g.len();
    }
    assert!(seen > 0, "some element costs some market something");
}

#[test]
fn market_losses_are_disrupt_per_element() {
    let (net, _) = load_network(&embedded::network(), LoadOptions::default()).expect("loads");
    let zones = load_zones(&embedded::zones()).expect("zones load");
    market_losses_match_disrupt(&net, &zones);
    market_losses_match_disrupt(&corridor::synthetic::grid_network(300, 5), &[]);
}

#[test]
fn synthetic_networks_agree_with_petgraph_and_bounds_hold() {
    for (edges, seed) in [(300, 1), (1000, 2), (3000, 3)] {
        let net = corridor::synthetic::grid_network(edges, seed);
        let m = model_of(&net);
        let mut cuts = vec![Cut::default()];
        for k in 0..4 {
            let segs: Vec<usize> = (0..net.segments.len())
                .filter(|i| (i * 7 + k * 13) % 29 == 0)
                .collect();
            cuts.push(m.cut(&segs, &[k]));
        }
        for s in (0..net.segments.len()).step_by(net.segments.len() / 15 + 1) {
            cuts.push(m.cut(&[s], &[]));
        }
        agree_with_petgraph(&m, &cuts);
        // Flow to all markets at once ≤ total supply; each market alone ≤ that total ≤ the sum.
        let (markets, totals) = flow::flow(&m);
        let t = &totals[0];
        assert!(t.deliverable <= t.supply + TOL);
        let sum: f64 = markets.iter().map(|x| x.deliverable).sum();
        for x in &markets {
            assert!(x.deliverable <= t.deliverable + TOL);
        }
        assert!(t.deliverable <= sum + TOL);
    }
}

#[test]
fn fixtures_respect_supply_bounds() {
    for f in [
        "series.geojson",
        "parallel.geojson",
        "bridge.geojson",
        "bidirectional.geojson",
        "commodities.geojson",
    ] {
        let m = model_of(&load(f));
        let (markets, totals) = flow::flow(&m);
        for t in &totals {
            assert!(t.deliverable <= t.supply + TOL, "{f}");
            let sum: f64 = markets
                .iter()
                .filter(|x| x.commodity == t.commodity)
                .map(|x| x.deliverable)
                .sum();
            assert!(t.deliverable <= sum + TOL, "{f}");
        }
    }
}

fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("pool")
        .install(f)
}

#[test]
fn simulate_is_reproducible_across_runs_and_threads() {
    let net = corridor::synthetic::grid_network(400, 9);
    let m = model_of(&net);
    let cfg = SimConfig::uniform(&net, 3000, 42, 0.02);
    let a = in_pool(1, || simulate(&m, &cfg, &|_| {}));
    let b = in_pool(2, || simulate(&m, &cfg, &|_| {}));
    let c = simulate(&m, &cfg, &|_| {});
    assert_eq!(a, b);
    assert_eq!(a, c);
    assert!(a.iter().any(|d| d.p_any_loss > 0.0));
    let other = simulate(
        &m,
        &SimConfig {
            seed: 43,
            ..cfg.clone()
        },
        &|_| {},
    );
    assert_ne!(a, other);
    for d in &a {
        assert!(d.p50 <= d.p95 && d.p95 <= d.p99 && d.p99 <= d.baseline + TOL);
        assert_eq!(d.runs, 3000);
    }
}

#[test]
fn rank_is_independent_of_threads() {
    let net = corridor::synthetic::grid_network(600, 5);
    let m = model_of(&net);
    let els = elements(
        &m,
        &net,
        &[],
        &[ElementKind::Segment, ElementKind::Node],
        0.0,
    );
    let a = in_pool(1, || rank(&m, &els, 4));
    let b = in_pool(2, || rank(&m, &els, 4));
    assert_eq!(a, b);
    assert_eq!(a.rows.len(), net.segments.len() + net.nodes.len());
}

// Monte Carlo on the series network with p = 1: everything fails every run; Town loses 10 in
// every run. With p = 0: nothing ever fails.
#[test]
fn simulate_extremes() {
    let net = load("series.geojson");
    let m = model_of(&net);
    let all = simulate(&m, &SimConfig::uniform(&net, 50, 1, 1.0), &|_| {});
    assert!(close(all[0].mean_lost, 10.0) && close(all[0].p50, 10.0));
    assert_eq!(all[0].p_any_loss, 1.0);
    let none = simulate(&m, &SimConfig::uniform(&net, 50, 1, 0.0), &|_| {});
    assert_eq!(none[0].mean_lost, 0.0);
    assert_eq!(none[0].p_any_loss, 0.0);
}

// The zone "mid" crosses bridge-1 only: East loses its 8 and West its 10; "far" cuts nothing.
#[test]
fn zone_disruption_cuts_whole_elements() {
    let net = load("bridge.geojson");
    let zones = load_zones(&[Source::read(Path::new(&fixture("zones.geojson"))).unwrap()]).unwrap();
    let m = model_of(&net);
    let mid = flow::zone_cut(&m, &net, flow::find_zone(&zones, "mid").unwrap(), 0.0);
    assert_eq!(mid.segments.len(), 1);
    assert_eq!(net.segments[mid.segments[0]].id, "bridge-1");
    assert!(mid.nodes.is_empty());
    let (rows, _) = disrupt(&m, &mid);
    assert!(rows.iter().all(|r| close(r.lost_share, 1.0)));
    let far = flow::zone_cut(&m, &net, flow::find_zone(&zones, "far").unwrap(), 0.0);
    assert!(far.is_empty());
    // A band of 1000 km reaches everything.
    let wide = flow::zone_cut(&m, &net, flow::find_zone(&zones, "far").unwrap(), 1.0e6);
    assert_eq!(wide.segments.len(), net.segments.len());
    assert!(flow::find_zone(&zones, "nope")
        .unwrap_err()
        .0
        .contains("far, mid, west-end"));
}

fn corridor() -> Command {
    Command::cargo_bin("corridor").expect("binary")
}

fn json_of(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out).expect("json output")
}

#[test]
fn cli_flow_json() {
    let v = common::run_json(&[
        "flow",
        "--format",
        "json",
        "--network",
        &fixture("bridge.geojson"),
    ]);
    let rows = v["markets"].as_array().unwrap();
    let east = rows.iter().find(|r| r["market"] == "East").unwrap();
    assert_eq!(east["deliverable"], 8.0);
    assert_eq!(east["unit"], "bcm/y");
    assert_eq!(east["commodity"], "gas");
    assert_eq!(v["total"][0]["deliverable"], 15.0);
    assert!(v["meta"]["inputs"].is_array());
}

#[test]
fn cli_disrupt_zone_segment_node() {
    let v = common::run_json(&[
        "disrupt",
        "--format",
        "json",
        "--network",
        &fixture("bridge.geojson"),
        "--zones",
        &fixture("zones.geojson"),
        "--zone",
        "west-end",
        "--segment",
        "in1-1",
    ]);
    // west-end cuts out-west and the West market node; in1-1 halves the supply to 10.
    // East: baseline 8, still min(10, 15, 10, 8) = 8 → lost 0. West: baseline 10 → 0, lost 10.
    let rows = v["markets"].as_array().unwrap();
    let get = |n: &str| rows.iter().find(|r| r["market"] == n).unwrap().clone();
    assert_eq!(get("East")["lost"], 0.0);
    assert_eq!(get("West")["lost"], 10.0);
    assert_eq!(get("West")["lost_share"], 1.0);
    let segs: Vec<&str> = v["cut"]["segments"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|x| x.as_str())
        .collect();
    assert_eq!(segs, ["in1-1", "out-west"]);
    assert_eq!(v["cut"]["nodes"][0], "west");

    corridor()
        .args([
            "disrupt",
            "--network",
            &fixture("bridge.geojson"),
            "--segment",
            "nope",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("valid segment ids"));
    corridor()
        .args(["disrupt", "--network", &fixture("bridge.geojson")])
        .assert()
        .code(2);
}

#[test]
fn cli_rank_and_simulate() {
    let v = common::run_json(&[
        "rank",
        "--format",
        "json",
        "--network",
        &fixture("bridge.geojson"),
        "--zones",
        &fixture("zones.geojson"),
        "--pairs",
        "3",
    ]);
    let rows = v["ranking"].as_array().unwrap();
    // 6 segments + 7 nodes + 3 zones, each with its one commodity.
    assert_eq!(rows.len(), 16);
    assert_eq!(rows[0]["id"], "bridge-1");
    assert_eq!(v["summary"][0]["worst_single_share"], 1.0);
    assert_eq!(v["pairs"].as_array().unwrap().len(), 3);

    let run = |threads: &str| {
        corridor()
            .env("RAYON_NUM_THREADS", threads)
            .args([
                "simulate",
                "--format",
                "json",
                "--network",
                &fixture("bridge.geojson"),
                "--zones",
                &fixture("zones.geojson"),
                "--runs",
                "2000",
                "--seed",
                "7",
                "--p-default",
                "0.05",
                "--zone-prob",
                "mid=0.1",
            ])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let a = json_of(&run("1"));
    let b = json_of(&run("2"));
    assert_eq!(a["distribution"], b["distribution"]);
    let east = a["distribution"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["market"] == "East")
        .unwrap()
        .clone();
    assert_eq!(east["runs"], 2000);
    // The "mid" zone alone (p = 0.1) cuts East off, so P(any loss) ≥ about 0.1.
    assert!(east["p_any_loss"].as_f64().unwrap() > 0.08);
}

/// A segment's own `failure_prob` overrides `--p-default`: a series line whose only segment
/// always fails loses everything in every run; with probability 0 it never loses anything.
#[test]
fn failure_prob_overrides_the_default() {
    let dir = tempfile::tempdir().unwrap();
    for (p, expect_any) in [(1.0, 1.0), (0.0, 0.0)] {
        let path = dir.path().join(format!("net-{p}.geojson"));
        std::fs::write(
            &path,
            format!(
                r#"{{"type":"FeatureCollection","features":[
{{"type":"Feature","geometry":{{"type":"Point","coordinates":[40,40]}},"properties":{{"id":"s","kind":"supply","commodity":"gas","supply":5,"supply_unit":"bcm/y","failure_prob":0}}}},
{{"type":"Feature","geometry":{{"type":"Point","coordinates":[41,40]}},"properties":{{"id":"m","kind":"market","commodity":"gas","market":"M","failure_prob":0}}}},
{{"type":"Feature","geometry":{{"type":"LineString","coordinates":[[40,40],[41,40]]}},"properties":{{"id":"a","corridor":"A","commodity":"gas","capacity":5,"capacity_unit":"bcm/y","failure_prob":{p}}}}}]}}"#
            ),
        )
        .unwrap();
        let v = common::run_json(&[
            "simulate",
            "--runs",
            "50",
            "--seed",
            "3",
            "--p-default",
            "0.5",
            "--format",
            "json",
            "--network",
            path.to_str().unwrap(),
        ]);
        let row = &v["distribution"][0];
        assert_eq!(row["p_any_loss"].as_f64().unwrap(), expect_any, "{row}");
    }
}
