#!/usr/bin/env python3
"""Runs `corridor routes --network FILE` over every file of Global Energy Monitor's route
repository (GitHub GlobalEnergyMonitor/GOIT-GGIT-pipeline-routes, `data/individual-routes/`) and
classifies the outcomes; then, with --whole, loads the whole repository as one network.

Not part of `cargo test` (the repository is not shipped: 6,779 files, ~187 MB). Usage:

    python3 bench/gem_repository.py --bin target/release/corridor \
        --root /path/to/GOIT-GGIT-pipeline-routes/data/individual-routes --out /tmp/gem-out [--whole]

Writes OUT/per-file.tsv (one row per file: folder, file, rc, seconds, routes, segments, line parts
counted here, commodities, schema-free first error) and prints the summary: files loaded, loaded
as an empty network, refused (grouped by reason), timed out; files whose segment count differs
from the line parts counted independently here; commodities and names of the routes.
"""

import argparse
import collections
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import time


def line_parts(path):
    """Line parts as the files hold them, counted without corridor: a LineString with two or
    more positions is one part, a MultiLineString one per part with two or more positions."""
    try:
        with open(path, "rb") as f:
            doc = json.load(f)
    except Exception:
        return None
    if not isinstance(doc, dict):
        return None
    if doc.get("type") == "FeatureCollection":
        feats = doc.get("features") or []
    elif doc.get("type") == "Feature":
        feats = [doc]
    else:
        feats = [{"type": "Feature", "geometry": doc}]
    n = 0
    for f in feats:
        g = (f or {}).get("geometry") or {}
        c = g.get("coordinates") or []
        if g.get("type") == "LineString" and len(c) >= 2:
            n += 1
        elif g.get("type") == "MultiLineString":
            n += sum(1 for p in c if len(p) >= 2)
    return n


def reason(stderr):
    """The first error line with the file, feature numbers and ids taken out."""
    first = stderr.strip().splitlines()[0] if stderr.strip() else "(no message)"
    first = re.sub(r"^error: ", "", first)
    first = re.sub(r"^\S+\.(geo)?json: ", "", first)
    first = re.sub(r"feature \d+( \(id [^)]*\))?: ", "feature N: ", first)
    first = re.sub(r"\d+(\.\d+)?", "N", first)
    return first[:160]


def run_one(binary, root, rel, timeout):
    path = os.path.join(root, rel)
    t0 = time.time()
    try:
        p = subprocess.run(
            [binary, "routes", "--network", path, "--format", "json", "-q"],
            capture_output=True,
            timeout=timeout,
        )
        rc, out, err = p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        rc, out, err = "timeout", b"", ""
    dt = time.time() - t0
    row = {
        "folder": rel.split("/")[0],
        "file": rel,
        "rc": rc,
        "seconds": round(dt, 3),
        "parts": line_parts(path),
        "routes": "",
        "segments": "",
        "commodities": "",
        "names": "",
        "notes": "",
        "reason": "",
    }
    if rc == 0:
        v = json.loads(out)
        routes = v.get("routes", [])
        row["routes"] = len(routes)
        row["segments"] = sum(r["segments"] for r in routes)
        row["commodities"] = ",".join(
            f"{k}:{n}" for k, n in sorted(collections.Counter(r["commodity"] for r in routes).items())
        )
        row["names"] = "|".join(r["corridor"] for r in routes[:3])
        row["notes"] = " | ".join(v.get("notes", []))[:300]
    elif rc != "timeout":
        row["reason"] = reason(err)
    return row


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--whole", action="store_true", help="also load the whole repository as one network")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    files = sorted(
        os.path.relpath(os.path.join(d, f), a.root)
        for d, _, fs in os.walk(a.root)
        for f in fs
        if f.lower().endswith((".geojson", ".json"))
    )
    t0 = time.time()
    with concurrent.futures.ThreadPoolExecutor(a.j) as ex:
        rows = list(ex.map(lambda r: run_one(a.bin, a.root, r, a.timeout), files))
    wall = time.time() - t0
    keys = list(rows[0].keys())
    with open(os.path.join(a.out, "per-file.tsv"), "w") as f:
        f.write("\t".join(keys) + "\n")
        for r in rows:
            f.write("\t".join(str(r[k]).replace("\t", " ").replace("\n", " ") for k in keys) + "\n")

    loaded = [r for r in rows if r["rc"] == 0]
    empty = [r for r in loaded if r["segments"] == 0]
    refused = [r for r in rows if r["rc"] not in (0, "timeout")]
    timeouts = [r for r in rows if r["rc"] == "timeout"]
    print(f"files: {len(rows)} ({wall:.0f} s with -j {a.j})")
    print(f"loaded: {len(loaded)} (of which {len(empty)} with no line: an empty network)")
    print(f"refused: {len(refused)}")
    print(f"timed out ({a.timeout:.0f} s): {len(timeouts)}")
    by = collections.Counter(r["reason"] for r in refused)
    for msg, n in by.most_common():
        ex = [r["file"] for r in refused if r["reason"] == msg][:4]
        print(f"  {n:5d}  {msg}   e.g. {', '.join(ex)}")
    mismatch = [r for r in loaded if r["parts"] is not None and r["segments"] != r["parts"]]
    print(f"loaded files whose segments differ from their line parts: {len(mismatch)}")
    for r in mismatch[:20]:
        print(f"  {r['file']}: {r['segments']} segments, {r['parts']} parts")
    com = collections.Counter()
    for r in loaded:
        for kv in filter(None, r["commodities"].split(",")):
            k, n = kv.split(":")
            com[(r["folder"], k)] += int(n)
    print("routes by folder and commodity:")
    for (folder, k), n in sorted(com.items()):
        print(f"  {folder:20s} {k:10s} {n}")
    print(f"segments in loaded files: {sum(r['segments'] for r in loaded)}; "
          f"line parts in all files: {sum(r['parts'] or 0 for r in rows)}")
    slow = sorted(rows, key=lambda r: -r["seconds"])[:5]
    print("slowest: " + ", ".join(f"{r['file']} {r['seconds']} s" for r in slow))

    if a.whole:
        t0 = time.time()
        p = subprocess.run(
            [a.bin, "routes", "--network", a.root, "--format", "json", "-q"],
            capture_output=True,
        )
        dt = time.time() - t0
        print(f"\nwhole repository: rc {p.returncode} in {dt:.2f} s wall")
        if p.returncode == 0:
            v = json.loads(p.stdout)
            routes = v["routes"]
            print(f"  routes: {len(routes)}, segments: {sum(r['segments'] for r in routes)}")
            print(f"  commodities: {dict(collections.Counter(r['commodity'] for r in routes))}")
            for n in v.get("notes", []):
                print(f"  note: {n}")
        else:
            print(p.stderr.decode()[:2000])
    return 0


if __name__ == "__main__":
    sys.exit(main())
