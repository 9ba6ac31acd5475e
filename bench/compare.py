#!/usr/bin/env python3
"""Side-by-side: corridor (Rust) against the Python stack an analyst would otherwise use
(shapely 2 + pyproj + networkx), on the same seeded synthetic files, or on real network files
(--gem).

    python3 bench/compare.py [--sizes 1000,10000] [--n1-sample 200] [--reps 3]
    python3 bench/compare.py --gem FILE[,FILE] [--reps 7] [--system-python]

Creates bench/.venv (shapely, pyproj, networkx from bench/requirements.txt) and re-runs itself
there; with --system-python (or CORRIDOR_BENCH_SYSTEM_PYTHON=1) it runs with the interpreter it
was started with instead, for machines where pip cannot reach the network but shapely and pyproj
are installed (networkx is needed only for the rank workload). Builds the Rust examples in
release mode; generates the files with `cargo run --release --example synthetic` (under
$CORRIDOR_BENCH_DIR, default target/bench-data); then runs three workloads on both sides and
prints the medians and the ratios:

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

--gem FILE[,FILE] runs the exposure workload on real network files (GEM's route repository,
e.g. tests/fixtures/gem-real/) against the default zones, the ones embedded in the binary
(data/zones/*.geojson, merged into one temporary FeatureCollection for the Python side), and
only that unless --sizes is given too. The Rust side is `workload exposure FILE default REPS
--rows`; the Python side reads the whole file as one corridor named after the file (every
LineString and every part of every MultiLineString; null and empty geometries skipped), as
corridor's generic schema does with such files. Both sides are timed over --reps runs after
loading; the output gives the medians, the ratio, the sums of min distances side by side and,
zone by zone, Python's min distance against corridor's (and against the brute-force reference
of tests/fixtures/exposure-far/reference.json where it has the file). Python's distances are
measured on the ellipsoid between the points it picked in an azimuthal-equidistant projection
centred on the zone, so they are never below the true least distance; far from the centre the
projection is distorted (across the bearing, by (d/R)/sin(d/R): 2.7x at 14,000 km), and the
pick can be the wrong point; the output gives that scale at the distances measured. Issue 12's measurement (BENCHMARKS.md):

    python3 bench/compare.py --reps 7 --gem tests/fixtures/gem-real/gas-pipelines/P1287.geojson,tests/fixtures/gem-real/liquid-pipelines/P1240.geojson

Rust timings are medians of --reps runs of the `workload` example after loading (loading is
timed by the `load` workload itself). Both sides use every core (Rust: rayon; Python: one core, as
an analyst's script would). Checksums are printed side by side so that a mismatch is visible.
"""

import argparse
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VENV = os.path.join(HERE, ".venv")
BANDS_KM = [10, 20, 40, 70]


def ensure_venv(system_python=False):
    py = os.path.join(VENV, "bin", "python")
    if system_python or os.path.abspath(sys.prefix) == os.path.abspath(VENV):
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


def rust(workload, net, zf, reps, rows=False):
    cmd = [rust_bin("workload"), workload, net, zf, str(reps)] + (["--rows"] if rows else [])
    out = subprocess.check_output(cmd, cwd=ROOT)
    return json.loads(out)


def default_zones_file(path):
    """The zones embedded in the binary (data/zones/*.geojson, in build.rs's sorted order) as
    one FeatureCollection at `path`."""
    d = os.path.join(ROOT, "data", "zones")
    feats = []
    for name in sorted(os.listdir(d)):
        if name.endswith(".geojson"):
            with open(os.path.join(d, name), "rb") as f:
                feats.extend(json.load(f)["features"])
    with open(path, "w") as f:
        json.dump({"type": "FeatureCollection", "features": feats}, f)
    return path


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


def py_load_lines(path):
    """Every line of a real network file (GEM's route repository) as one corridor named after
    the file: LineStrings and the parts of MultiLineStrings (GeometryCollections' lines too);
    null and empty geometries skipped. A single Feature counts as a collection of one."""
    from shapely.geometry import shape

    with open(path, "rb") as f:
        doc = json.load(f)
    feats = doc["features"] if doc.get("type") == "FeatureCollection" else [doc]
    name = os.path.splitext(os.path.basename(path))[0]
    lines = []

    def add(g):
        if g.is_empty:
            return
        if g.geom_type == "LineString":
            lines.append(({"corridor": name}, g))
        elif g.geom_type in ("MultiLineString", "GeometryCollection"):
            for part in g.geoms:
                add(part)

    for feat in feats:
        if feat.get("geometry"):
            add(shape(feat["geometry"]))
    return lines


def py_exposure(lines, zones_path, rows=None):
    """Every corridor x zone; returns (pairs, sum of min km, sum of km within 70 km). With a
    dict `rows`, fills rows[(corridor, zone id)] = (min km, lon, lat of the route's
    point; None where they meet)."""
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
        zone_id = zf.get("id", zf["properties"].get("id"))
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
            lon = lat = None
            if d_planar == 0.0:
                dist_km = 0.0
            else:
                p_route, p_zone = nearest_points(route_m, zone_m)
                a, b = to_deg(p_route), to_deg(p_zone)
                dist_km = geod.inv(a.x, a.y, b.x, b.y)[2] / 1000.0
                lon, lat = a.x, a.y
            if rows is not None:
                rows[(cid, zone_id)] = (dist_km, lon, lat)
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


EARTH_KM = 6371.0088  # mean radius, for the projection's scale only


def aeqd_scale(d_km):
    """Scale across the bearing of an azimuthal-equidistant projection at d_km from its centre
    (on the sphere; along the bearing it is 1)."""
    x = d_km / EARTH_KM
    return x / math.sin(x) if 1e-9 < x < math.pi else 1.0


def reference_distances(path):
    """The brute-force least distances (pyproj, tests/fixtures/exposure-far/reference.py) for
    `path` against the default zones, if that file has them."""
    ref = os.path.join(ROOT, "tests", "fixtures", "exposure-far", "reference.json")
    if not os.path.exists(ref):
        return None
    with open(ref) as f:
        table = json.load(f)
    rel = os.path.relpath(os.path.abspath(path), os.path.join(ROOT, "tests", "fixtures"))
    rel = rel.replace(os.sep, "/")
    return table.get(rel) or table.get(os.path.relpath(rel, "exposure-far").replace(os.sep, "/"))


def gem_compare(paths, reps):
    """Exposure on real files against the default zones, both sides; returns table rows."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        zones = default_zones_file(os.path.join(tmp, "default-zones.geojson"))
        for path in paths:
            name = os.path.basename(path)
            mb = os.path.getsize(path) / 1e6
            r = rust("exposure", path, "default", reps, rows=True)
            load_t, lines = timed(lambda: py_load_lines(path), 1)
            py_rows = {}
            py_t, (pairs, smin, s70) = timed(lambda: py_exposure(lines, zones, py_rows), reps)
            rs_rows = r["rows"]
            rs_corr = {c for c, *_ in rs_rows}
            py_corr = {c for c, _ in py_rows}
            one = len(rs_corr) == 1 and len(py_corr) == 1
            key = (lambda c, z: z) if one else (lambda c, z: (c, z))
            py_by = {key(c, z): v for (c, z), v in py_rows.items()}
            ref = reference_distances(path)
            print(f"\n{name} ({mb:.1f} MB, {len(lines)} lines; corridors: corridor "
                  f"{sorted(rs_corr)}, Python {sorted(py_corr)}; Python load {load_t:.3f} s, not timed below)")
            print("| zone | corridor (km) | Python (km) | Python - corridor (km) | % | AEQD scale"
                  + (" | reference (km) | corridor - ref (km) | Python - ref (km)" if ref else "") + " |")
            print("|---|---:|---:|---:|---:|---:" + ("|---:|---:|---:" if ref else "") + "|")
            diffs, rels, scales, unmatched = [], [], [], []
            for c, z, d, lon, lat in rs_rows:
                k = key(c, z)
                if k not in py_by or d is None:
                    unmatched.append(k)
                    continue
                p = py_by[k][0]
                diff = p - d
                rel = diff / d * 100.0 if d > 0 else 0.0
                scale = aeqd_scale(p)
                diffs.append(diff)
                rels.append(rel)
                scales.append(scale)
                line = f"| {z} | {d:,.3f} | {p:,.3f} | {diff:+.3f} | {rel:+.4f} | {scale:.2f}"
                if ref:
                    w = ref.get(z)
                    line += (f" | {w:,.3f} | {d - w:+.3f} | {p - w:+.3f}" if w is not None
                             else " | – | – | –")
                print(line + " |")
            worst = max(range(len(diffs)), key=lambda i: abs(diffs[i])) if diffs else None
            agree = (f"Python - corridor per zone: {min(diffs):+.3f} .. {max(diffs):+.3f} km, "
                     f"largest {rels[worst]:+.4f} %; Python longer on "
                     f"{sum(x > 0.0005 for x in diffs)}, shorter on {sum(x < -0.0005 for x in diffs)} "
                     f"of {len(diffs)} zones" if diffs else "no pair to compare")
            if unmatched:
                agree += f"; unmatched pairs: {unmatched}"
            if scales and max(scales) > 1.05:
                agree += (f"; Python's azimuthal-equidistant projection (centred on each zone) is "
                          f"distorted {max(scales):.2f}x across the bearing at "
                          f"{max(p[0] for p in py_by.values()):,.0f} km")
            print(agree)
            out.append(("exposure (default zones)", name, r["median_s"], py_t, "",
                        f"{pairs} pairs (corridor {r['pairs']}); sum min km rust "
                        f"{r['sum_min_distance_km']:.3f} / python {smin:.3f}; {agree}"))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default=None,
                    help="synthetic sizes (default 1000,10000; none with --gem)")
    ap.add_argument("--gem", default=None,
                    help="FILE[,FILE]: exposure on real network files against the default zones")
    ap.add_argument("--system-python", action="store_true",
                    default=os.environ.get("CORRIDOR_BENCH_SYSTEM_PYTHON") == "1",
                    help="run with this interpreter instead of bench/.venv "
                         "(also CORRIDOR_BENCH_SYSTEM_PYTHON=1)")
    ap.add_argument("--zones", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--n1-full", type=int, default=1500,
                    help="rank every element in Python up to this many, else sample")
    ap.add_argument("--n1-sample", type=int, default=200)
    ap.add_argument("--workloads", default="load,exposure,rank")
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()
    ensure_venv(args.system_python)
    if not args.no_build:
        build_rust()
    work = args.workloads.split(",")
    rows = []
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}", flush=True)
    sizes = args.sizes if args.sizes is not None else ("" if args.gem else "1000,10000")
    for n in [int(s) for s in sizes.split(",") if s]:
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
    if args.gem:
        rows += gem_compare([p for p in args.gem.split(",") if p], args.reps)
    print()
    print("| workload | segments or file | corridor (s) | Python (s) | ratio | notes |")
    print("|---|---:|---:|---:|---:|---|")
    for w, n, rs, ps, note, chk in rows:
        n = f"{n:,}" if isinstance(n, int) else n
        print(f"| {w} | {n} | {rs:.4f} | {ps:.3f}{' *' if note else ''} | {ps / rs:,.0f}x | {note + '; ' if note else ''}{chk} |")


if __name__ == "__main__":
    main()
