//! Snapping and splitting on small hand-made networks, per the contract's topology rules.

use corridor::input::{load_network, LoadOptions, Source};
use corridor::model::Network;
use corridor::topology::{build, Port, Topology};

fn net(features: &[String]) -> Network {
    let body = format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    );
    let src = Source::new("t.geojson", body.into_bytes());
    load_network(&[src], LoadOptions::default()).unwrap().0
}

fn line(id: &str, commodity: &str, coords: &[(f64, f64)]) -> String {
    let c: Vec<String> = coords.iter().map(|(x, y)| format!("[{x},{y}]")).collect();
    format!(
        r#"{{"type":"Feature","geometry":{{"type":"LineString","coordinates":[{}]}},"properties":{{"id":"{id}","corridor":"{id}","commodity":"{commodity}","capacity":1,"capacity_unit":"{}"}}}}"#,
        c.join(","),
        if commodity == "oil" { "kb/d" } else { "bcm/y" }
    )
}

fn node(id: &str, kind: &str, commodity: Option<&str>, at: (f64, f64)) -> String {
    let mut props = format!(r#""id":"{id}","kind":"{kind}""#);
    if let Some(c) = commodity {
        props.push_str(&format!(r#","commodity":"{c}""#));
    }
    match kind {
        "supply" => props.push_str(r#","supply":5,"supply_unit":"bcm/y""#),
        "market" => props.push_str(r#","market":"M""#),
        _ => {}
    }
    format!(
        r#"{{"type":"Feature","geometry":{{"type":"Point","coordinates":[{},{}]}},"properties":{{{props}}}}}"#,
        at.0, at.1
    )
}

fn edges_between_distinct_vertices(t: &Topology) -> usize {
    t.graph.edge_indices().count()
}

// 0.005° of latitude at 41° N is 555 m (geographiclib: Inverse(41,45,41.005,45) = 555.1 m).

#[test]
fn ends_within_snap_join_and_beyond_it_dangle() {
    let n = net(&[
        line("A", "gas", &[(45.0, 41.0), (45.5, 41.0)]),
        line("B", "gas", &[(45.5, 41.005), (46.0, 41.0)]),
    ]);
    let t = build(&n, 1000.0);
    assert_eq!(t.graph.node_count(), 3, "A-start, the joined pair, B-end");
    assert_eq!(t.joins.len(), 1);
    assert!(
        (t.joins[0].spread_m - 555.1).abs() < 1.0,
        "{}",
        t.joins[0].spread_m
    );
    assert_eq!(t.dangling.len(), 2, "the two outer ends");
    let t = build(&n, 500.0);
    assert_eq!(t.graph.node_count(), 4);
    assert_eq!(t.dangling.len(), 4);
}

#[test]
fn an_end_near_a_line_interior_splits_it() {
    // B ends 555 m north of A's middle: a T-junction.
    let n = net(&[
        line("A", "gas", &[(45.0, 41.0), (46.0, 41.0)]),
        line("B", "gas", &[(45.5, 41.5), (45.5, 41.005)]),
    ]);
    let t = build(&n, 1000.0);
    assert_eq!(t.segment_edges[0].len(), 2, "A is cut in two pieces");
    assert_eq!(t.segment_edges[1].len(), 1);
    assert_eq!(t.splits.len(), 1);
    assert_eq!(t.splits[0].1, Port::End(1));
    // The cut lies on A's geodesic, so the pieces keep A's length (to a millimetre).
    let pieces: f64 = t.segment_edges[0]
        .iter()
        .map(|e| t.graph[*e].length_m)
        .sum();
    let whole = corridor::geodesy::length_m(&n.segments[0].line);
    assert!((pieces - whole).abs() < 0.001, "{pieces} vs {whole}");
    // Three piece ends meet at the junction.
    let junction = t
        .graph
        .node_indices()
        .find(|v| t.graph.neighbors_undirected(*v).count() == 3);
    assert!(junction.is_some());
}

#[test]
fn commodities_never_connect() {
    let n = net(&[
        line("OIL", "oil", &[(45.0, 41.0), (45.5, 41.0)]),
        line("GAS", "gas", &[(45.5, 41.0), (46.0, 41.0)]),
    ]);
    let t = build(&n, 1000.0);
    assert!(t.joins.is_empty());
    assert_eq!(t.graph.node_count(), 4);
    assert_eq!(edges_between_distinct_vertices(&t), 2);
}

#[test]
fn a_node_without_commodity_serves_both_separately() {
    let n = net(&[
        line("OIL", "oil", &[(45.0, 41.0), (45.5, 41.0)]),
        line("GAS", "gas", &[(45.5, 41.0), (46.0, 41.0)]),
        node("hub", "junction", None, (45.5, 41.001)),
    ]);
    let t = build(&n, 1000.0);
    assert_eq!(
        t.node_vertices[0].len(),
        2,
        "one vertex in the oil graph, one in the gas graph"
    );
    let (a, b) = (t.node_vertices[0][0], t.node_vertices[0][1]);
    assert_ne!(t.graph[a].commodity, t.graph[b].commodity);
    // No edge links the oil side to the gas side.
    for e in t.graph.edge_indices() {
        let (x, y) = t.graph.edge_endpoints(e).unwrap();
        assert_eq!(t.graph[x].commodity, t.graph[y].commodity);
    }
}

#[test]
fn reachability_from_supply_and_to_market() {
    let n = net(&[
        node("s", "supply", Some("gas"), (45.0, 41.0)),
        line("A", "gas", &[(45.0, 41.0), (45.5, 41.0)]),
        line("B", "gas", &[(45.5, 41.0), (46.0, 41.0)]),
        node("m", "market", Some("gas"), (46.0, 41.0)),
        // An island line: reaches neither.
        line("C", "gas", &[(47.0, 42.0), (47.5, 42.0)]),
        // A line pointing the wrong way into the market's vertex area (against the flow).
        line("D", "gas", &[(46.0, 41.0), (46.5, 41.2)]),
    ]);
    let t = build(&n, 1000.0);
    let ids = |v: &[usize]| {
        v.iter()
            .map(|&s| n.segments[s].id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&t.no_supply), vec!["C"]);
    assert_eq!(ids(&t.no_market), vec!["C", "D"]);
}

#[test]
fn a_market_on_a_line_interior_splits_it() {
    let n = net(&[
        node("s", "supply", Some("gas"), (45.0, 41.0)),
        line("A", "gas", &[(45.0, 41.0), (45.3, 41.0), (46.0, 41.0)]),
        node("m", "market", Some("gas"), (45.6, 41.003)),
    ]);
    let t = build(&n, 1000.0);
    assert_eq!(t.segment_edges[0].len(), 2);
    assert!(t.no_market.is_empty());
    assert_eq!(t.splits[0].1, Port::Node(1));
}
