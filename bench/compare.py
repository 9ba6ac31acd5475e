#!/usr/bin/env python3
"""Side-by-side: corridor (Rust) against the Python stack an analyst would otherwise use
(shapely 2 + pyproj + networkx), on the same seeded synthetic files.

    python3 bench/compare.py [--sizes 1000,10000] [--n1-sample 200] [--reps 3]

Creates bench/.venv (shapely, pyproj, networkx from bench/requirements.txt) and re-runs itself
there; builds the Rust examples in release mode; generates the files with
`cargo run --release --example synthetic` (under $CORRIDOR_BENCH_DIR, default target/bench-data);
then runs three workloads on both sides and prints the medians and the ratios:

  load      read the GeoJSON, build the geometries, geodesic length of every segment
            (Python: json.load + shapely.geometry.shape + pyproj.Geod.line_length)
  exposure  every corridor x zone: min geodesic distance, inside_km, within_km for 10/20/40/70 km
            (Python: per zone an azimuthal-equidistant projection centred on it (pyproj), the
            route projected, shapely distance / nearest_points, buffers and intersections in the
            projection, then the nearest points and clipped parts measured with pyproj.Geod)
  rank      N-1 over every segment and node: loss of total deliverability
            (Python: networkx DiGraph with a super source and sink, maximum_flow_value per element;
            above --n1-full elements, timed on a seeded sample of --n1-sample elements and
            extrapolated, which the output says)

Rust timings are medians of --reps runs of the `workload` example after loading (loading is
timed by the `load` workload itself). Both sides use every core (Rust: rayon; Python: one core, as
an analyst's script would). Checksums are printed side by side so that a mismatch is visible.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VENV = os.path.join(HERE, ".venv")
BANDS_KM = [10, 20, 40, 70]


def ensure_venv():
    py = os.path.join(VENV, "bin", "python")
    if os.path.abspath(sys.prefix) == os.path.abspath(VENV):
        return
    if not os.path.exists(py):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
        subprocess.check_call(
            [py, "-m", "pip", "install", "-q", "-r", os.path.join(HERE, "requirements.txt")]
        )
    os.execv(py, [py] + sys.argv)


def cargo_env():
    env = dict(os.environ)
    return env


def rust_bin(name):
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    return os.path.join(target, "release", "examples", name)


def build_rust():
    subprocess.check_call(
        ["cargo", "build", "--release", "--example", "synthetic", "--example", "workload"],
        cwd=ROOT,
    )


def files(n, zones, seed):
    out = subprocess.check_output([rust_bin("synthetic"), str(n), str(zones), str(seed)], cwd=ROOT)
    net, zf = out.decode().split()
    return net, zf


def rust(workload, net, zf, reps):
    out = subprocess.check_output([rust_bin("workload"), workload, net, zf, str(reps)], cwd=ROOT)
    return json.loads(out)


# ---------------------------------------------------------------- the Python side


def py_load(path):
    from pyproj import Geod
    from shapely.geometry import shape

    geod = Geod(ellps="WGS84")
    with open(path, "rb") as f:
        fc = json.load(f)
    lines, nodes = [], []
    for feat in fc["features"]:
        g = shape(feat["geometry"])
        if g.geom_type == "LineString":
            lines.append((feat["properties"], g))
        elif g.geom_type == "Point":
            nodes.append((feat["properties"], g))
    total = 0.0
    for _, g in lines:
        x, y = g.xy
        total += geod.line_length(x, y)
    return lines, nodes, total / 1000.0


def py_exposure(lines, zones_path):
    import numpy as np
    import shapely
    from pyproj import Geod, Transformer
    from shapely.geometry import MultiLineString, shape
    from shapely.ops import nearest_points

    geod = Geod(ellps="WGS84")
    with open(zones_path, "rb") as f:
        zfc = json.load(f)
    corridors = {}
    for props, g in lines:
        corridors.setdefault(props["corridor"], []).append(g)
    routes = {c: MultiLineString(gs) for c, gs in corridors.items()}
    sum_min, sum_70, pairs = 0.0, 0.0, 0
    for zf in zfc["features"]:
        zone = shape(zf["geometry"])
        c = zone.centroid
        fwd = Transformer.from_crs(
            "EPSG:4326",
            f"+proj=aeqd +lat_0={c.y} +lon_0={c.x} +datum=WGS84 +units=m",
            always_xy=True,
        )
        inv = Transformer.from_crs(fwd.target_crs, "EPSG:4326", always_xy=True)

        def to_m(g, t=fwd):
            return shapely.transform(g, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))

        def to_deg(g, t=inv):
            return shapely.transform(g, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))

        def geod_km(g):
            return geod.geometry_length(to_deg(g)) / 1000.0 if not g.is_empty else 0.0

        zone_m = to_m(zone)
        buffers = {b: zone_m.buffer(b * 1000.0, 32) for b in BANDS_KM}
        polygonal = zone.geom_type in ("Polygon", "MultiPolygon")
        for cid, route in routes.items():
            route_m = to_m(route)
            d_planar = route_m.distance(zone_m)
            if d_planar == 0.0:
                dist_km = 0.0
            else:
                p_route, p_zone = nearest_points(route_m, zone_m)
                a, b = to_deg(p_route), to_deg(p_zone)
                dist_km = geod.inv(a.x, a.y, b.x, b.y)[2] / 1000.0
            inside = geod_km(route_m.intersection(zone_m)) if polygonal and d_planar == 0.0 else 0.0
            within = {}
            for b in BANDS_KM:
                within[b] = geod_km(route_m.intersection(buffers[b])) if d_planar <= b * 1000.0 else 0.0
            sum_min += dist_km
            sum_70 += within[70]
            pairs += 1
            del inside
    return pairs, sum_min, sum_70


def py_graph(lines, nodes):
    import networkx as nx

    def key(x, y):
        return (round(x, 6), round(y, 6))

    g = nx.DiGraph()
    seg_edges = []
    for props, line in lines:
        cs = list(line.coords)
        u, v = key(*cs[0]), key(*cs[-1])
        cap = float(props["capacity"])
        arcs = [(u, v)] + ([(v, u)] if props.get("direction") == "both" else [])
        for a, b in arcs:
            if g.has_edge(a, b):
                g[a][b]["capacity"] += cap
            else:
                g.add_edge(a, b, capacity=cap)
        seg_edges.append((arcs, cap))
    node_keys = []
    for props, p in nodes:
        k = key(p.x, p.y)
        node_keys.append(k)
        if props["kind"] == "supply":
            g.add_edge("S", k, capacity=float(props["supply"]))
        elif props["kind"] == "market":
            if "demand" in props:
                g.add_edge(k, "T", capacity=float(props["demand"]))
            else:
                g.add_edge(k, "T")  # no capacity attribute: unbounded
    return g, seg_edges, node_keys


def py_rank(lines, nodes, sample, full_limit, seed):
    import networkx as nx

    g, seg_edges, node_keys = py_graph(lines, nodes)
    base = nx.maximum_flow_value(g, "S", "T")
    elements = [("segment", i) for i in range(len(seg_edges))] + [
        ("node", i) for i in range(len(node_keys))
    ]
    todo = elements
    if len(elements) > full_limit:
        todo = random.Random(seed).sample(elements, sample)
    t = time.perf_counter()
    lost = 0.0
    for kind, i in todo:
        if kind == "segment":
            arcs, cap = seg_edges[i]
            for a, b in arcs:
                g[a][b]["capacity"] -= cap
            f = nx.maximum_flow_value(g, "S", "T")
            for a, b in arcs:
                g[a][b]["capacity"] += cap
        else:
            k = node_keys[i]
            if k in g:
                h = g.copy()
                h.remove_node(k)
                f = nx.maximum_flow_value(h, "S", "T") if "S" in h and "T" in h else 0.0
            else:
                f = base
        lost += base - f
    dt = time.perf_counter() - t
    return base, len(elements), len(todo), dt * len(elements) / len(todo), lost


# ---------------------------------------------------------------- driver


def timed(fn, reps):
    ts, out = [], None
    for _ in range(reps):
        t = time.perf_counter()
        out = fn()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts), out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--zones", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--n1-full", type=int, default=1500,
                    help="rank every element in Python up to this many, else sample")
    ap.add_argument("--n1-sample", type=int, default=200)
    ap.add_argument("--workloads", default="load,exposure,rank")
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()
    ensure_venv()
    if not args.no_build:
        build_rust()
    work = args.workloads.split(",")
    rows = []
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}", flush=True)
    for n in [int(s) for s in args.sizes.split(",")]:
        net, zf = files(n, args.zones, args.seed)
        mb = os.path.getsize(net) / 1e6
        py_t, (lines, nodes, km) = timed(lambda: py_load(net), 1 if n >= 100_000 else args.reps)
        if "load" in work:
            r = rust("load", net, zf, args.reps)
            rows.append(("load+length", n, r["median_s"], py_t, "",
                         f"km rust {r['total_km']:.1f} / python {km:.1f}; {mb:.1f} MB"))
            print(rows[-1], flush=True)
        if "exposure" in work:
            r = rust("exposure", net, zf, args.reps)
            py_t, (pairs, smin, s70) = timed(lambda: py_exposure(lines, zf), 1)
            rows.append(("exposure", n, r["median_s"], py_t, "",
                         f"{pairs} pairs; sum min km rust {r['sum_min_distance_km']:.1f} / python {smin:.1f}; "
                         f"sum within70 km rust {r['sum_within_70_km']:.1f} / python {s70:.1f}"))
            print(rows[-1], flush=True)
        if "rank" in work:
            r = rust("rank", net, zf, args.reps)
            base, n_el, done, py_t, lost = py_rank(lines, nodes, args.n1_sample, args.n1_full, args.seed)
            note = "" if done == n_el else f"extrapolated from {done} of {n_el} elements"
            rows.append(("rank N-1", n, r["median_s"], py_t, note,
                         f"{n_el} elements; baseline rust {r['baseline']:.1f} / python {base:.1f}"))
            print(rows[-1], flush=True)
    print()
    print("| workload | segments | corridor (s) | Python (s) | ratio | notes |")
    print("|---|---:|---:|---:|---:|---|")
    for w, n, rs, ps, note, chk in rows:
        print(f"| {w} | {n:,} | {rs:.4f} | {ps:.3f}{' *' if note else ''} | {ps / rs:,.0f}x | {note + '; ' if note else ''}{chk} |")


if __name__ == "__main__":
    main()
