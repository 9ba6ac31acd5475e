//! Topology: turning loaded segments and nodes into a petgraph graph.
//!
//! The rules (the contract's): a line endpoint within `snap` metres of a node or of another
//! endpoint of the same commodity joins it, transitively; a node, or the end of another line of
//! the same commodity, within `snap` of a line's interior splits the line there and joins it (a
//! T-junction). A node without a commodity serves every commodity, which still never connect:
//! it becomes one vertex in the oil graph, another in the gas graph, and so on for each
//! commodity present (products, hydrogen, CO2). Lines without a commodity connect only among
//! themselves.
//!
//! Candidates are found with R-trees over endpoints and over line edges, and every join is
//! confirmed with a geodesic distance, so the cost grows about linearly with the input.

use crate::geodesy::{distance_m, length_m};
use crate::model::{Commodity, Direction, Network, NodeKind};
use geo::{Coord, Geodesic, InterpolatePoint, LineString, Point};
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction as PgDirection;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};
use std::collections::{BTreeMap, VecDeque};

/// Default snapping distance in metres.
pub const DEFAULT_SNAP_M: f64 = 1000.0;

/// A vertex of the graph: where line ends (and nodes) of one commodity meet.
#[derive(Debug, Clone)]
pub struct Vertex {
    pub commodity: Commodity,
    pub point: Point<f64>,
    /// Indices into `Network::nodes` of the nodes at this vertex.
    pub nodes: Vec<usize>,
}

/// An edge: one piece of a segment (segments are split where T-junctions meet them).
#[derive(Debug, Clone)]
pub struct Piece {
    /// Index into `Network::segments`.
    pub segment: usize,
    pub line: LineString<f64>,
    pub length_m: f64,
    pub direction: Direction,
    pub capacity: Option<f64>,
}

/// What one port (a line end or a node) is, for reports.
#[derive(Debug, Clone, PartialEq)]
pub enum Port {
    Start(usize),
    End(usize),
    /// A point where a line was split for a T-junction (segment index).
    Split(usize),
    Node(usize),
}

/// A join of two or more ports into one vertex, for `check`.
#[derive(Debug, Clone)]
pub struct Join {
    pub commodity: Commodity,
    pub ports: Vec<Port>,
    /// The largest geodesic distance from the vertex's point to a member port, in metres.
    pub spread_m: f64,
}

/// The network as a graph, with what the topology pass found.
#[derive(Debug, Clone)]
pub struct Topology {
    pub graph: DiGraph<Vertex, Piece>,
    pub snap_m: f64,
    /// Joins where ports at different positions (or several ports) became one vertex.
    pub joins: Vec<Join>,
    /// T-junction splits: (segment index, port that split it, distance in metres).
    pub splits: Vec<(usize, Port, f64)>,
    /// Segment ends joined to nothing: (segment index, true for the end, false for the start).
    pub dangling: Vec<(usize, bool)>,
    /// Segments (of a known commodity) that no supply can reach.
    pub no_supply: Vec<usize>,
    /// Segments (of a known commodity) from which no market can be reached.
    pub no_market: Vec<usize>,
    /// For each node, its vertices (one per commodity it serves).
    pub node_vertices: Vec<Vec<NodeIndex>>,
    /// For each segment, the edges of its pieces.
    pub segment_edges: Vec<Vec<EdgeIndex>>,
}

/// Degrees of latitude and longitude that cover `m` metres around latitude `lat` (generously).
fn envelope_deg(m: f64, lat: f64) -> (f64, f64) {
    let dlat = m / 110_000.0 * 1.02 + 1e-9;
    let c = lat.to_radians().cos().max(0.01);
    let dlon = m / (111_000.0 * c) * 1.02 + 1e-9;
    (dlon, dlat)
}

fn around(p: Coord<f64>, m: f64) -> AABB<[f64; 2]> {
    let (dx, dy) = envelope_deg(m, p.y);
    AABB::from_corners([p.x - dx, p.y - dy], [p.x + dx, p.y + dy])
}

/// The point of edge a–b nearest to p, with its parameter t, in a local tangent plane at p.
/// Exact enough for snapping (errors of order (d/R)² relative at the metre scale); the distance
/// that decides is then taken geodesically.
fn nearest_on_edge(p: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> (Coord<f64>, f64) {
    let k = p.y.to_radians().cos();
    let (ax, ay) = ((a.x - p.x) * k, a.y - p.y);
    let (bx, by) = ((b.x - p.x) * k, b.y - p.y);
    let (dx, dy) = (bx - ax, by - ay);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0)
    };
    // The point at that fraction of the geodesic a–b (edges are geodesics, not lon/lat chords:
    // on a 100 km edge the chord strays ~100 m from the geodesic).
    let q = if t <= 0.0 {
        a
    } else if t >= 1.0 {
        b
    } else {
        Geodesic.point_at_ratio_between(Point(a), Point(b), t).0
    };
    (q, t)
}

struct UnionFind(Vec<usize>);

impl UnionFind {
    fn find(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            // Keep the smaller index as root, so results do not depend on visiting order.
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.0[hi] = lo;
        }
    }
}

fn node_serves(node_commodity: Option<Commodity>, class: Commodity) -> bool {
    match node_commodity {
        None => true,
        Some(c) => c == class,
    }
}

/// Builds the graph of `net` with the given snapping distance in metres.
pub fn build(net: &Network, snap_m: f64) -> Topology {
    let mut topo = Topology {
        graph: DiGraph::new(),
        snap_m,
        joins: Vec::new(),
        splits: Vec::new(),
        dangling: Vec::new(),
        no_supply: Vec::new(),
        no_market: Vec::new(),
        node_vertices: vec![Vec::new(); net.nodes.len()],
        segment_edges: vec![Vec::new(); net.segments.len()],
    };
    // Only the commodities present: a class without lines or nodes adds nothing.
    for class in Commodity::KNOWN.into_iter().chain([Commodity::Unknown]) {
        let present = net.segments.iter().any(|s| s.commodity == class)
            || net.nodes.iter().any(|n| n.commodity == Some(class));
        if present {
            build_class(net, class, &mut topo);
        }
    }
    topo
}

fn build_class(net: &Network, class: Commodity, topo: &mut Topology) {
    let snap = topo.snap_m;
    let segs: Vec<usize> = (0..net.segments.len())
        .filter(|&i| net.segments[i].commodity == class)
        .collect();
    let nodes: Vec<usize> = (0..net.nodes.len())
        .filter(|&i| node_serves(net.nodes[i].commodity, class))
        .collect();
    if segs.is_empty() {
        // Nodes still get vertices, so that supplies and markets with no line show up.
        for &n in &nodes {
            if net.nodes[n].commodity == Some(class) {
                let v = topo.graph.add_node(Vertex {
                    commodity: class,
                    point: net.nodes[n].point,
                    nodes: vec![n],
                });
                topo.node_vertices[n].push(v);
            }
        }
        return;
    }

    // 1. T-junctions: ports (nodes and segment ends) near another segment's interior.
    let mut edge_items = Vec::new();
    for &s in &segs {
        for (e, w) in net.segments[s].line.0.windows(2).enumerate() {
            let rect = Rectangle::from_corners([w[0].x, w[0].y], [w[1].x, w[1].y]);
            edge_items.push(GeomWithData::new(rect, (s, e)));
        }
    }
    let edge_tree = RTree::bulk_load(edge_items);
    let mut probe: Vec<(Port, Coord<f64>)> = nodes
        .iter()
        .map(|&n| (Port::Node(n), net.nodes[n].point.0))
        .collect();
    for &s in &segs {
        let l = &net.segments[s].line.0;
        probe.push((Port::Start(s), l[0]));
        probe.push((Port::End(s), l[l.len() - 1]));
    }
    // Split points per segment: (edge index, t, point).
    let mut cuts: BTreeMap<usize, Vec<(usize, f64, Coord<f64>)>> = BTreeMap::new();
    for (port, p) in &probe {
        let own = match port {
            Port::Start(s) | Port::End(s) => Some(*s),
            _ => None,
        };
        // The nearest candidate on each segment.
        let mut best: BTreeMap<usize, (f64, usize, f64, Coord<f64>)> = BTreeMap::new();
        for item in edge_tree.locate_in_envelope_intersecting(&around(*p, snap)) {
            let (s, e) = item.data;
            if Some(s) == own {
                continue;
            }
            let l = &net.segments[s].line.0;
            let (q, t) = nearest_on_edge(*p, l[e], l[e + 1]);
            let d = distance_m(Point(*p), Point(q));
            if d <= snap && best.get(&s).is_none_or(|b| d < b.0) {
                best.insert(s, (d, e, t, q));
            }
        }
        for (s, (d, e, t, q)) in best {
            let l = &net.segments[s].line.0;
            // Near an end of that segment the endpoint rule joins them instead.
            if distance_m(Point(*p), Point(l[0])) <= snap
                || distance_m(Point(*p), Point(l[l.len() - 1])) <= snap
            {
                continue;
            }
            cuts.entry(s).or_default().push((e, t, q));
            topo.splits.push((s, port.clone(), d));
        }
    }

    // 2. Pieces.
    let mut pieces: Vec<Piece> = Vec::new();
    // Ports of pieces: for each piece, (start port kind, end port kind).
    let mut piece_ports: Vec<(Port, Port)> = Vec::new();
    for &s in &segs {
        let seg = &net.segments[s];
        let mut c = cuts.remove(&s).unwrap_or_default();
        c.sort_by(|a, b| {
            (a.0, a.1)
                .partial_cmp(&(b.0, b.1))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let l = &seg.line.0;
        let mut current: Vec<Coord<f64>> = vec![l[0]];
        let mut start_port = Port::Start(s);
        let mut ci = 0;
        for e in 0..l.len() - 1 {
            while ci < c.len() && c[ci].0 == e {
                let q = c[ci].2;
                if current.last() != Some(&q) {
                    current.push(q);
                }
                if current.len() >= 2 {
                    pieces.push(make_piece(s, seg, std::mem::take(&mut current)));
                    piece_ports.push((start_port, Port::Split(s)));
                    start_port = Port::Split(s);
                }
                current = vec![q];
                ci += 1;
            }
            if current.last() != Some(&l[e + 1]) {
                current.push(l[e + 1]);
            }
        }
        if current.len() < 2 {
            // The line ended exactly at a cut, or had identical vertices: keep a degenerate piece
            // so that the segment still has an edge.
            let q = current[0];
            current.push(q);
        }
        pieces.push(make_piece(s, seg, current));
        piece_ports.push((start_port, Port::End(s)));
    }

    // 3. Union-find over ports: piece ends (2 per piece) then nodes.
    let np = pieces.len();
    let mut coords: Vec<Coord<f64>> = Vec::with_capacity(2 * np + nodes.len());
    for p in &pieces {
        coords.push(p.line.0[0]);
        coords.push(p.line.0[p.line.0.len() - 1]);
    }
    for &n in &nodes {
        coords.push(net.nodes[n].point.0);
    }
    let port_of = |i: usize| -> Port {
        if i < 2 * np {
            if i.is_multiple_of(2) {
                piece_ports[i / 2].0.clone()
            } else {
                piece_ports[i / 2].1.clone()
            }
        } else {
            Port::Node(nodes[i - 2 * np])
        }
    };
    let tree = RTree::bulk_load(
        coords
            .iter()
            .enumerate()
            .map(|(i, c)| GeomWithData::new([c.x, c.y], i))
            .collect(),
    );
    let mut uf = UnionFind((0..coords.len()).collect());
    for (i, c) in coords.iter().enumerate() {
        for other in tree.locate_in_envelope(&around(*c, snap)) {
            let j = other.data;
            if j <= i {
                continue;
            }
            // The two ends of one piece never join each other directly.
            if i < 2 * np && j < 2 * np && i / 2 == j / 2 {
                continue;
            }
            if distance_m(Point(*c), Point(coords[j])) <= snap {
                uf.union(i, j);
            }
        }
    }

    // 4. Vertices and edges.
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..coords.len() {
        let r = uf.find(i);
        members.entry(r).or_default().push(i);
    }
    let mut vertex_of: BTreeMap<usize, NodeIndex> = BTreeMap::new();
    for (root, m) in &members {
        let node_members: Vec<usize> = m
            .iter()
            .filter(|&&i| i >= 2 * np)
            .map(|&i| nodes[i - 2 * np])
            .collect();
        // Nodes that serve both commodities only become vertices where a line reaches them.
        let relevant = m.iter().any(|&i| i < 2 * np)
            || node_members
                .iter()
                .any(|&n| net.nodes[n].commodity == Some(class));
        if !relevant {
            continue;
        }
        let point = match node_members.first() {
            Some(&n) => net.nodes[n].point,
            None => Point(coords[*root]),
        };
        let v = topo.graph.add_node(Vertex {
            commodity: class,
            point,
            nodes: node_members.clone(),
        });
        for &n in &node_members {
            topo.node_vertices[n].push(v);
        }
        vertex_of.insert(*root, v);
        if m.len() >= 2 {
            let spread_m = m
                .iter()
                .map(|&i| distance_m(point, Point(coords[i])))
                .fold(0.0, f64::max);
            let ports: Vec<Port> = m.iter().map(|&i| port_of(i)).collect();
            // Two pieces of one split segment meeting at the cut are not worth reporting alone.
            let only_cut = ports.iter().all(|p| matches!(p, Port::Split(_)));
            if !only_cut {
                topo.joins.push(Join {
                    commodity: class,
                    ports,
                    spread_m,
                });
            }
        } else if m[0] < 2 * np {
            match port_of(m[0]) {
                Port::Start(s) => topo.dangling.push((s, false)),
                Port::End(s) => topo.dangling.push((s, true)),
                _ => {}
            }
        }
    }
    for (k, piece) in pieces.into_iter().enumerate() {
        let a = vertex_of[&uf.find(2 * k)];
        let b = vertex_of[&uf.find(2 * k + 1)];
        let s = piece.segment;
        let e = topo.graph.add_edge(a, b, piece);
        topo.segment_edges[s].push(e);
    }

    // 5. Reachability from supplies and to markets (known commodities only).
    if class == Commodity::Unknown {
        return;
    }
    let has_kind = |v: NodeIndex, kind: NodeKind| {
        topo.graph[v]
            .nodes
            .iter()
            .any(|&n| net.nodes[n].kind == kind && net.nodes[n].commodity == Some(class))
    };
    let class_vertices: Vec<NodeIndex> = topo
        .graph
        .node_indices()
        .filter(|&v| topo.graph[v].commodity == class)
        .collect();
    let from_supply = reach(
        &topo.graph,
        class_vertices
            .iter()
            .copied()
            .filter(|&v| has_kind(v, NodeKind::Supply)),
        false,
    );
    let to_market = reach(
        &topo.graph,
        class_vertices
            .iter()
            .copied()
            .filter(|&v| has_kind(v, NodeKind::Market)),
        true,
    );
    for &s in &segs {
        let edges = &topo.segment_edges[s];
        let fed = edges.iter().any(|&e| {
            let (a, b) = topo
                .graph
                .edge_endpoints(e)
                .unwrap_or((NodeIndex::end(), NodeIndex::end()));
            from_supply.contains(&a)
                || (topo.graph[e].direction == Direction::Both && from_supply.contains(&b))
        });
        let drains = edges.iter().any(|&e| {
            let (a, b) = topo
                .graph
                .edge_endpoints(e)
                .unwrap_or((NodeIndex::end(), NodeIndex::end()));
            to_market.contains(&b)
                || (topo.graph[e].direction == Direction::Both && to_market.contains(&a))
        });
        if !fed {
            topo.no_supply.push(s);
        }
        if !drains {
            topo.no_market.push(s);
        }
    }
}

fn make_piece(s: usize, seg: &crate::model::Segment, coords: Vec<Coord<f64>>) -> Piece {
    let line = LineString(coords);
    Piece {
        segment: s,
        length_m: length_m(&line),
        line,
        direction: seg.direction,
        capacity: seg.capacity,
    }
}

/// Vertices reachable from `starts` along the flow direction (`reverse`: against it).
fn reach(
    g: &DiGraph<Vertex, Piece>,
    starts: impl Iterator<Item = NodeIndex>,
    reverse: bool,
) -> std::collections::HashSet<NodeIndex> {
    let mut seen: std::collections::HashSet<NodeIndex> = starts.collect();
    let mut queue: VecDeque<NodeIndex> = seen.iter().copied().collect();
    while let Some(v) = queue.pop_front() {
        let (fwd, back) = if reverse {
            (PgDirection::Incoming, PgDirection::Outgoing)
        } else {
            (PgDirection::Outgoing, PgDirection::Incoming)
        };
        for e in g.edges_directed(v, fwd) {
            let w = if reverse { e.source() } else { e.target() };
            if seen.insert(w) {
                queue.push_back(w);
            }
        }
        for e in g.edges_directed(v, back) {
            if e.weight().direction == Direction::Both {
                let w = if reverse { e.target() } else { e.source() };
                if seen.insert(w) {
                    queue.push_back(w);
                }
            }
        }
    }
    seen
}
