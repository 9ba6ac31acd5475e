#!/usr/bin/env python3
"""Build the default pipeline network of `corridor` (data/network/*.geojson).

Provenance script, not part of the build. Python 3.11 standard library plus
`geographiclib` (pip install geographiclib) for geodesic lengths.

    python3 data/prep/build_network.py /path/to/reference data/network

The reference folder holds pipelines.csv, waypoints.csv and routes/ (Global
Energy Monitor route files, GOIT-GGIT-pipeline-routes commit 6bfab45, and a
subset of GEM's Europe Gas Tracker). Every number written into the network is
set in the tables below with its citation; data/SOURCES.md explains the choices.

The script also checks the topology rules of the loader (1000 m snapping,
T-junctions, no joins between commodities) and prints a report.
"""
import heapq
import json
import math
import os
import sys

from geographiclib.geodesic import Geodesic

GEOD = Geodesic.WGS84
SNAP_M = 1000.0
LNG_BCM_PER_MT = 1.379  # bcm of gas per Mt of LNG (Enerdynamics, "Understanding LNG Units")


# --------------------------------------------------------------------------- geometry helpers
def gdist(a, b):
    """Geodesic distance in metres between two (lon, lat) points."""
    return GEOD.Inverse(a[1], a[0], b[1], b[0])["s12"]


def glen_km(coords):
    return sum(gdist(coords[i], coords[i + 1]) for i in range(len(coords) - 1)) / 1000.0


def _xy(p, lat0):
    k = math.pi / 180 * 6371008.8
    return (p[0] * k * math.cos(lat0 * math.pi / 180), p[1] * k)


def project(pt, coords):
    """Nearest point of a polyline to pt (local equirectangular, fine below a few km).

    Returns (distance_m, segment_index, t, (lon, lat), chainage_m)."""
    lat0 = pt[1]
    px, py = _xy(pt, lat0)
    best = None
    chain = 0.0
    for i in range(len(coords) - 1):
        a, b = coords[i], coords[i + 1]
        ax, ay = _xy(a, lat0)
        bx, by = _xy(b, lat0)
        dx, dy = bx - ax, by - ay
        L2 = dx * dx + dy * dy
        t = 0.0 if L2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / L2))
        q = (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))
        d = math.hypot(ax + t * dx - px, ay + t * dy - py)
        seg_len = math.sqrt(L2)
        if best is None or d < best[0]:
            best = (d, i, t, q, chain + t * seg_len)
        chain += seg_len
    return best


def dedup(coords):
    out = []
    for p in coords:
        if not out or (p[0], p[1]) != (out[-1][0], out[-1][1]):
            out.append([p[0], p[1]])
    return out


def split_at(coords, pt):
    """Split a polyline at the point of it nearest pt; returns (head, tail, point)."""
    d, i, t, q, _ = project(pt, coords)
    q = [q[0], q[1]]
    if t <= 1e-9:
        q = list(coords[i])
        return coords[: i + 1], coords[i:], q
    if t >= 1 - 1e-9:
        q = list(coords[i + 1])
        return coords[: i + 2], coords[i + 1:], q
    return coords[: i + 1] + [q], [q] + coords[i + 1:], q


def nearest_vertex(coords, pt):
    i = min(range(len(coords)), key=lambda k: gdist(coords[k], pt))
    return i, coords[i], gdist(coords[i], pt)


def r6(p):
    return [round(p[0], 6), round(p[1], 6)]


# --------------------------------------------------------------------------- loading GEM route files
def load_pieces(ref, fname):
    """All line parts of a route file as pieces {src, coords, props}."""
    with open(os.path.join(ref, "routes", fname), encoding="utf-8") as fh:
        fc = json.load(fh)
    pieces = []
    for fi, feat in enumerate(fc["features"]):
        g = feat["geometry"]
        if g["type"] == "LineString":
            parts = [g["coordinates"]]
        elif g["type"] == "MultiLineString":
            parts = g["coordinates"]
        else:
            continue
        for pi, part in enumerate(parts):
            src = f"{fname[:-8]} feature {fi}" + (f" part {pi}" if len(parts) > 1 else "")
            osm = feat["properties"].get("@id")
            if osm:
                src += f" ({osm})"
            pieces.append({"src": src, "fi": fi, "coords": dedup(part), "props": feat["properties"]})
    return pieces


DROPPED = []   # (corridor, source piece, reason)
BRIDGES = []   # (corridor, from, to, metres)


def clean(pieces, corridor):
    """Drop zero-length and exact-duplicate pieces, recording them."""
    out, seen = [], {}
    for p in pieces:
        c = p["coords"]
        if len(c) < 2 or glen_km(c) == 0:
            DROPPED.append((corridor, p["src"], "zero-length piece"))
            continue
        key = tuple(map(tuple, c))
        rkey = tuple(reversed(key))
        if key in seen or rkey in seen:
            DROPPED.append((corridor, p["src"], f"exact duplicate of {seen.get(key) or seen.get(rkey)}"))
            continue
        seen[key] = p["src"]
        out.append(p)
    return out


def chain(pieces, start, end, corridor, join_m=1.0, bridge_m=3000.0):
    """Connect pieces into one line from the end nearest `start` to the end nearest `end`.

    Piece ends within join_m are the same point; gaps up to bridge_m may be
    crossed by a straight piece (recorded in BRIDGES). Shortest path by length.
    Pieces not on the path are recorded in DROPPED. Returns the coordinates."""
    ends = []
    for k, p in enumerate(pieces):
        ends.append((k, 0, p["coords"][0]))
        ends.append((k, 1, p["coords"][-1]))
    parent = list(range(len(ends)))

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for a in range(len(ends)):
        for b in range(a + 1, len(ends)):
            if gdist(ends[a][2], ends[b][2]) <= join_m:
                parent[find(a)] = find(b)
    cl = [find(a) for a in range(len(ends))]
    graph = {}
    for k, p in enumerate(pieces):
        u, v = cl[2 * k], cl[2 * k + 1]
        w = glen_km(p["coords"]) * 1000
        graph.setdefault(u, []).append((v, w, ("piece", k, False)))
        graph.setdefault(v, []).append((u, w, ("piece", k, True)))
    for a in range(len(ends)):
        for b in range(a + 1, len(ends)):
            if cl[a] == cl[b]:
                continue
            d = gdist(ends[a][2], ends[b][2])
            if d <= bridge_m:
                graph.setdefault(cl[a], []).append((cl[b], d * 3 + 1000, ("bridge", a, b)))
                graph.setdefault(cl[b], []).append((cl[a], d * 3 + 1000, ("bridge", b, a)))
    s = cl[min(range(len(ends)), key=lambda a: gdist(ends[a][2], start))]
    t = cl[min(range(len(ends)), key=lambda a: gdist(ends[a][2], end))]
    dist = {s: 0.0}
    prev = {}
    pq = [(0.0, s)]
    while pq:
        d, u = heapq.heappop(pq)
        if u == t:
            break
        if d > dist.get(u, 1e18):
            continue
        for v, w, lab in graph.get(u, []):
            if d + w < dist.get(v, 1e18):
                dist[v] = d + w
                prev[v] = (u, lab)
                heapq.heappush(pq, (d + w, v))
    if t not in dist:
        raise SystemExit(f"{corridor}: route pieces do not connect")
    path = []
    v = t
    while v != s:
        u, lab = prev[v]
        path.append(lab)
        v = u
    path.reverse()
    coords, used = [], set()
    for lab in path:
        if lab[0] == "piece":
            k, rev = lab[1], lab[2]
            used.add(k)
            c = pieces[k]["coords"][::-1] if rev else pieces[k]["coords"]
        else:
            a, b = lab[1], lab[2]
            c = [ends[a][2], ends[b][2]]
            BRIDGES.append((corridor, pieces[ends[a][0]]["src"], pieces[ends[b][0]]["src"],
                            round(gdist(ends[a][2], ends[b][2]))))
        coords = coords + (c[1:] if coords and tuple(coords[-1]) == tuple(c[0]) else c)
    for k, p in enumerate(pieces):
        if k not in used:
            DROPPED.append((corridor, p["src"], "not on the connected route (see SOURCES.md)"))
    return dedup(coords)


# --------------------------------------------------------------------------- attributes
# Values from pipelines.csv (reference folder); the citation is the one given there.
SRC = {
    "BTC": "bp.com/en_az BTC page (length, 1.2 mb/d since 2009, diameters, operator); route GEM GOIT P0644",
    "SCP": "sgc.az/en/project/scp and bp.com/en_ge SCP page (692 km, 42 in, ~23.4 bcm/y with SCPX); route GEM GOIT P0759",
    "TANAP": "tanap.com route page (1,811 km; Phase 0 1,339 km 56 in; Phase 1 48 in; strait 36 in; 16 bcm/y); route OSM via GEM GOIT P0763",
    "TAP": "trend.az (10 bcm/y), balkaneu.com/Trend (878 km, country split), OSM diameter tags; route OSM via GEM GOIT P0724",
    "WREP": "socar.az Baku-Supsa page (829.6 km, 530 mm, 90,000 b/d, max 106,000 b/d); GEM 2025 status idle; route GEM GOIT P0643",
    "BLUE-STREAM": "en.kremlin.ru/supplement/2489 (1,213 km = 373 + 396 + 444), gazprom.com (16 bcm/y); route OSM via GEM GOIT P0736",
    "TURKSTREAM": "aa.com.tr/dailysabah (2 x 15.75 bcm/y; onshore 142 and 70 km), fx.co (~930 km offshore); route OSM via GEM GOIT P0765/P1368",
    "TRANS-BALKAN": "enerji.gov.tr (TR section 845 km; Malkoçlar metering 14 bcm/y; 1987-88); route GEM GOIT P2227 (schematic)",
    "IRAN-TR": "en.wikipedia/gem.wiki Tabriz-Ankara (14 bcm/y, 2001, 40/46 in); route GEM GOIT P0459 (schematic)",
    "TURKGOZU-ERZURUM": "report.az 2016-03-19 (~280 km BOTAŞ line Türkgözü-Erzurum); bp.com SCP page (gas to Türkiye July 2007)",
}


def seg(corridor, n, name, coords, **kw):
    props = {"id": f"{corridor}-{n}", "corridor": corridor, "name": name}
    props.update(kw)
    props.setdefault("direction", "forward")
    props.setdefault("source", SRC[corridor])
    return {"type": "Feature", "properties": props,
            "geometry": {"type": "LineString", "coordinates": [r6(p) for p in coords]}}


def node(id_, name, kind, pt, **kw):
    props = {"id": id_, "name": name, "kind": kind}
    props.update(kw)
    return {"type": "Feature", "properties": props,
            "geometry": {"type": "Point", "coordinates": r6(pt)}}


GEM_ATTR = ("Route geometry: Global Energy Monitor, Global Oil/Gas Infrastructure Tracker route files "
            "(GitHub GlobalEnergyMonitor/GOIT-GGIT-pipeline-routes, commit 6bfab45), CC BY 4.0.")
OSM_ATTR = "Contains OpenStreetMap data © OpenStreetMap contributors, ODbL 1.0 (https://opendatacommons.org/licenses/odbl/)."


def write_fc(path, features, osm=False):
    fc = {"type": "FeatureCollection",
          "attribution": GEM_ATTR + (" " + OSM_ATTR if osm else ""),
          "license": "ODbL-1.0 (contains OpenStreetMap-derived geometry)" if osm else "CC-BY-4.0 (GEM)",
          "features": features}
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(fc, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    os.replace(tmp, path)


# --------------------------------------------------------------------------- build
def build(ref, out):
    os.makedirs(out, exist_ok=True)
    files = {}
    nodes = []
    W = {  # waypoints.csv coordinates as (lon, lat)
        "sangachal": (49.48127, 40.201262),
        "btc_ge_tr": (42.7932, 41.4911),
        "scp_az_ge": (45.1214, 41.3642),
        "gardabani": (45.08944, 41.46083),
        "turkgozu": (42.8195, 41.58),
        "handover": (42.8279, 41.6397),
        "kipoi_ic": (26.3092857, 40.9702009),
        "kipoi_village": (26.30667, 40.95333),
        "tap_gr_al": (21.0221, 40.5747),
        "fier_cs": (19.44922, 40.7933),
        "al_landfall": (19.37283, 40.79367),
        "it_landfall": (18.43667, 40.34083),
        "melendugno": (18.31462, 40.27529),
        "supsa": (41.766556, 42.025806),
        "ceyhan_botas": (35.9333, 36.8833),
        "bs_north": (41.5989, 45.6014),
        "bs_ru_landfall": (38.60445, 44.35589),
        "bs_tr_landfall": (36.7095, 41.36033),
        "bs_ankara": (32.85295, 39.59243),
        "ts_anapa": (37.42497, 44.824),
        "ts_kiyikoy": (28.09167, 41.66),
        "ts_luleburgaz": (27.59077, 41.29229),
        "ts_bg_border": (27.02845, 42.06039),
        "tb_malkoclar": (27.1475, 42.0615),
        "ir_tabriz": (46.2556, 38.0765),
        "ir_border": (44.356, 39.3988),
        "ir_ankara": (32.8166, 39.9346),
        "strait_e": (27.08318, 40.43506),
        "strait_w": (26.95894, 40.55038),
    }

    # ---------------- BTC (oil)
    btc = dedup(load_pieces(ref, "GEM_P0644.geojson")[0]["coords"])
    b1, b2, q_btc_ge_tr = split_at(btc, W["btc_ge_tr"])
    common = dict(commodity="oil", capacity=1200, capacity_unit="kb/d", commissioned=2006,
                  status="operating", geometry="mapped")
    files["btc"] = [
        seg("BTC", 1, "BTC Sangachal - Georgia/Türkiye border", b1, nominal_length_km=692,
            diameter_in=42, diameter_note="42 in in Azerbaijan, 46 in in Georgia",
            operator="BTC Co (BP operated in Azerbaijan and Georgia)", **common),
        seg("BTC", 2, "BTC Georgia/Türkiye border - Ceyhan", b2, nominal_length_km=1076,
            diameter_in=42, diameter_note="42 in; 34 in on the final downhill section to Ceyhan",
            operator="BTC Co (Turkish section operated by BOTAŞ International Ltd)", **common),
    ]
    nodes.append(node("sangachal-oil", "Sangachal Terminal (oil: BTC and Baku-Supsa heads)", "supply", btc[0],
                      commodity="oil", supply=1200, supply_unit="kb/d", country="AZE",
                      source="bp.com Sangachal terminal page: oil processing capacity 1.2 mb/d; position: first vertex of GEM P0644",
                      location="inferred", location_note=f"on BTC's first vertex, {gdist(btc[0], W['sangachal']):.0f} m from the terminal coordinates (en.wikipedia Sangachal Terminal)"))
    nodes.append(node("btc-border-ge-tr", "BTC Georgia-Türkiye border crossing", "border", q_btc_ge_tr,
                      commodity="oil", country="GEO",
                      source="waypoints.csv: GEM P0644 intersected with Natural Earth 10m borders (computed, ±1-2 km)",
                      location="sourced"))
    nodes.append(node("ceyhan-export", "Ceyhan Marine Terminal (BTC end)", "market", btc[-1],
                      commodity="oil", market="Ceyhan export", country="TUR",
                      source="GEM P0644 route end vertex; BOTAŞ Ceyhan terminal 36°53'N 35°56'E lies "
                             f"{gdist(btc[-1], W['ceyhan_botas'])/1000:.1f} km away",
                      location="sourced"))

    # ---------------- WREP (oil)
    wrep = dedup(load_pieces(ref, "GEM_P0643.geojson")[0]["coords"])
    files["wrep"] = [
        seg("WREP", 1, "Western Route Export Pipeline (Baku-Supsa)", wrep, commodity="oil",
            capacity=106, capacity_unit="kb/d", commissioned=1999, status="idle",
            nominal_length_km=829.6, diameter_in=20.9, diameter_note="530 mm",
            operator="AIOC (operated by BP)", geometry="mapped"),
    ]
    nodes.append(node("supsa-export", "Supsa Sea Terminal (Baku-Supsa end)", "market", wrep[-1],
                      commodity="oil", market="Supsa export", country="GEO",
                      source="GEM P0643 route end vertex; terminal coordinates (en.wikipedia List of ports in Georgia) "
                             f"are {gdist(wrep[-1], W['supsa'])/1000:.1f} km away",
                      location="inferred", location_note="route end of GEM P0643 used so that the market lies on the line"))

    # ---------------- SCP (gas)
    scp_pieces = clean(load_pieces(ref, "GEM_P0759.geojson"), "SCP")
    tanap_pieces = clean(load_pieces(ref, "GEM_P0763.geojson"), "TANAP")
    # TANAP starts at the OSM way nearest Türkgözü; that vertex is the SCP/TANAP handover node
    # (the way end nearest GEM's SCP/TANAP handover point, waypoints.csv SCP/SCPX 7, north of the village)
    tg = min([e for p in tanap_pieces for e in (p["coords"][0], p["coords"][-1])], key=lambda c: gdist(c, W["handover"]))
    scp = chain(scp_pieces, W["sangachal"], tg, "SCP")
    gap = gdist(scp[-1], tg)
    BRIDGES.append(("SCP", "GEM P0759 end (\"Aghstafa-Vale\")", "Türkgözü handover node (TANAP OSM start)", round(gap)))
    scp = scp + [list(tg)]
    s1, s2, q_scp_az_ge = split_at(scp, W["scp_az_ge"])
    gi, gpt, gd = nearest_vertex(s2, W["gardabani"])
    common = dict(commodity="gas", capacity=23.4, capacity_unit="bcm/y", commissioned=2006, status="operating",
                  diameter_in=42, diameter_note="42 in SCP; 48 in SCPX loop (2018) folded into the same line",
                  operator="SCP Co (bp technical operator, SOCAR Midstream commercial operator)", geometry="mapped")
    files["scp"] = [
        seg("SCP", 1, "South Caucasus Pipeline, Sangachal - Azerbaijan/Georgia border", s1, nominal_length_km=443, **common),
        seg("SCP", 2, "South Caucasus Pipeline, Azerbaijan/Georgia border - Türkgözü", s2, nominal_length_km=249, **common),
    ]
    nodes.append(node("sangachal-gas", "Sangachal Terminal (gas: SCP head)", "supply", scp[0],
                      commodity="gas", supply=23.4, supply_unit="bcm/y", country="AZE",
                      source="derived: sum of nameplate capacities fed (SCP 23.4 bcm/y, sgc.az); no injection limit published",
                      location="inferred", location_note=f"on SCP's first vertex, {gdist(scp[0], W['sangachal']):.0f} m from the terminal coordinates (en.wikipedia)"))
    nodes.append(node("scp-border-az-ge", "SCP Azerbaijan-Georgia border crossing", "border", q_scp_az_ge,
                      commodity="gas", country="AZE",
                      source="waypoints.csv: GEM P0759 intersected with Natural Earth 10m borders (computed)", location="sourced"))
    nodes.append(node("georgia-gardabani", "Georgia offtake (SCP spur to the Georgian grid near Gardabani)", "market", gpt,
                      commodity="gas", market="Georgia", country="GEO",
                      source="bp.com/en_ge SCP page (12 km spur near Gardabani, no coordinates); Gardabani town coordinates (en.wikipedia via waypoints.csv)",
                      location="inferred", location_note=f"SCP vertex nearest Gardabani town ({gd/1000:.1f} km)"))
    nodes.append(node("turkgozu", "Türkgözü: Georgia-Türkiye border, SCP/TANAP handover and start of the BOTAŞ line to Erzurum", "border", tg,
                      commodity="gas", country="TUR",
                      source="start vertex of the TANAP OSM way (GEM P0763); Türkgözü village (en.wikipedia) is "
                             f"{gdist(tg, W['turkgozu'])/1000:.1f} km away",
                      location="inferred", location_note="Area 81 metering station has no published coordinates; the TANAP start vertex stands for it"))

    # ---------------- TANAP (gas) from P0763, keeping only the Türkgözü -> Kipoi path
    # The OSM way that ends on the interior of another way west of Ankara (a T) is split there first.
    # An OSM way whose end lies on the interior of another way (a T) splits that way there.
    tees = []
    for p in tanap_pieces:
        others = [q for q in tanap_pieces if q is not p]
        for e in (p["coords"][0], p["coords"][-1]):
            if min(min(gdist(e, q["coords"][0]), gdist(e, q["coords"][-1])) for q in others) > 2000:
                for q in others:
                    if project(e, q["coords"])[0] < 50:
                        tees.append((e, q["src"]))
    for e, qsrc in tees:
        new = []
        for p in tanap_pieces:
            if p["src"] == qsrc:
                head, tail, qpt = split_at(p["coords"], e)
                new.append(dict(p, coords=head, src=qsrc + " (up to the T at %.5f,%.5f)" % tuple(e)))
                new.append(dict(p, coords=tail, src=qsrc + " (beyond the T at %.5f,%.5f)" % tuple(e)))
                BRIDGES.append(("TANAP", f"T-junction at {r6(e)}", "way split: " + qsrc, round(gdist(e, qpt))))
            else:
                new.append(p)
        tanap_pieces = new
    tanap = chain(tanap_pieces, tg, W["kipoi_ic"], "TANAP", bridge_m=3000)
    # split points
    strait = [p for p in tanap_pieces if "Boğaz" in str(p["props"].get("name", ""))][0]["coords"]
    se = min([strait[0], strait[-1]], key=lambda c: gdist(c, W["strait_e"]))
    sw = min([strait[0], strait[-1]], key=lambda c: gdist(c, W["strait_w"]))
    # Eskişehir offtake: the TANAP way junction where the line turns west in Seyitgazi district (see SOURCES.md)
    ESK = (30.7338455, 39.6009302)
    THR = (26.9128116, 40.6081334)  # short above-ground OSM piece on TANAP in Thrace
    t1, rest, q_esk = split_at(tanap, ESK)
    t2, rest, q_se = split_at(rest, se)
    t3, rest, q_sw = split_at(rest, sw)
    t4, t5, q_thr = split_at(rest, THR)
    common = dict(commodity="gas", capacity=16, capacity_unit="bcm/y", status="operating",
                  operator="TANAP Doğalgaz İletim A.Ş.", geometry="mapped")
    files["tanap"] = [
        seg("TANAP", 1, "TANAP Phase 0, Türkgözü - Eskişehir", t1, commissioned=2018, nominal_length_km=1339, diameter_in=56, **common),
        seg("TANAP", 2, "TANAP Phase 1, Eskişehir - Çanakkale strait (east landfall)", t2, commissioned=2019,
            nominal_length_km=454.5, nominal_length_note="1,811 km total minus 1,339 (Phase 0) minus 17.5 (strait); tanap.com gives Phase 1 as 455 km. Stated here for the whole Eskişehir-Kipoi land route",
            diameter_in=48, **common),
        seg("TANAP", 3, "TANAP Çanakkale strait crossing (twin 36 in)", t3, commissioned=2019, nominal_length_km=17.5, diameter_in=36, **common),
        seg("TANAP", 4, "TANAP Phase 1, strait (west landfall) - Thrace offtake", t4, commissioned=2019, diameter_in=48, **common),
        seg("TANAP", 5, "TANAP Phase 1, Thrace offtake - Kipoi (TAP interconnection)", t5, commissioned=2019, diameter_in=48, **common),
    ]
    nodes.append(node("tanap-eskisehir", "TANAP Eskişehir offtake (EPDK entry point TANAP Seyitgazi)", "market", q_esk,
                      commodity="gas", market="Türkiye", country="TUR",
                      source="tanap.com (offtake at Eskişehir, end of Phase 0); position: OSM way junction on P0763",
                      location="inferred", location_note="no published coordinates; placed at the P0763 vertex where the line turns west, south of the T-junction with the BOTAŞ line north of Eskişehir (Seyitgazi district)"))
    nodes.append(node("tanap-thrace", "TANAP Thrace offtake", "market", q_thr,
                      commodity="gas", market="Türkiye", country="TUR",
                      source="tanap.com (offtake in Thrace, no coordinates); position: OSM above-ground piece on P0763",
                      location="inferred", location_note="placed at the only above-ground (location=overground) OSM piece of TANAP in Thrace"))
    nodes.append(node("kipoi", "Kipoi: TANAP-TAP interconnection", "junction", tanap[-1], commodity="gas", country="GRC",
                      source="waypoints.csv: shared vertex of the OSM TANAP and TAP ways (GEM P0763/P0724)", location="sourced"))
    nodes.append(node("tanap-strait-east", "TANAP strait crossing, east landfall", "junction", q_se, commodity="gas", country="TUR",
                      source="OSM way 'TANAP Boğaz Geçişi Boru Hattı' via GEM P0763", location="sourced"))
    nodes.append(node("tanap-strait-west", "TANAP strait crossing, west landfall", "junction", q_sw, commodity="gas", country="TUR",
                      source="OSM way 'TANAP Boğaz Geçişi Boru Hattı' via GEM P0763", location="sourced"))

    # ---------------- Türkgözü - Erzurum (BOTAŞ), schematic
    ERZ = (41.336609, 40.001111)  # east end of GEM EGT "Erzurum-Sivas Pipeline"
    files["turkgozu-erzurum"] = [
        seg("TURKGOZU-ERZURUM", 1, "BOTAŞ Türkgözü - Erzurum line (SCP gas into the Turkish grid)", [tg, ERZ],
            commodity="gas", capacity=7.41, capacity_unit="bcm/y",
            capacity_note="derived: the BOTAŞ line's own capacity is not published; set to the SCP stage-1 capacity (7.41 bcm/y, sgc.az) that it was built to take",
            commissioned=2007, status="operating", nominal_length_km=280, operator="BOTAŞ", geometry="schematic"),
    ]
    nodes.append(node("erzurum", "Erzurum (BOTAŞ grid)", "market", ERZ, commodity="gas", market="Türkiye", country="TUR",
                      source="GEM Europe Gas Tracker: east end of the Erzurum-Sivas Pipeline route",
                      location="inferred", location_note="GEM's schematic end point for Erzurum, not a surveyed station"))

    # ---------------- TAP (gas)
    tap_pieces = clean(load_pieces(ref, "GEM_P0724.geojson"), "TAP")
    tap = chain(tap_pieces, W["kipoi_ic"], W["melendugno"], "TAP")
    a1, rest, q_gral = split_at(tap, W["tap_gr_al"])
    a2, a3, q_al = split_at(rest, W["al_landfall"])
    ki, kpt, kd = nearest_vertex(a1, W["kipoi_village"])
    fi, fpt, fd = nearest_vertex(a2, W["fier_cs"])
    common = dict(commodity="gas", capacity=10, capacity_unit="bcm/y", commissioned=2020, status="operating",
                  operator="Trans Adriatic Pipeline AG", geometry="mapped")
    files["tap"] = [
        seg("TAP", 1, "TAP Greece: Kipoi - Greece/Albania border", a1, nominal_length_km=550, diameter_in=48, **common),
        seg("TAP", 2, "TAP Albania onshore: border - Fier - landfall", a2, nominal_length_km=215, diameter_in=48,
            diameter_note="1200 mm (48 in); 910 mm from the Fier compressor station to the landfall (OSM)", **common),
        seg("TAP", 3, "TAP offshore and Italy: Albanian landfall - Melendugno", a3, nominal_length_km=113,
            nominal_length_note="Adriatic crossing ~105 km + ~8 km onshore in Italy", diameter_in=36, **common),
    ]
    nodes += [
        node("tap-border-gr-al", "TAP Greece-Albania border crossing", "border", q_gral, commodity="gas", country="GRC",
             source="waypoints.csv: GEM P0724 (OSM) intersected with Natural Earth 10m borders (computed)", location="sourced"),
        node("greece-kipoi", "Greece offtake (represented at the Kipoi compressor station)", "market", kpt, commodity="gas",
             market="Greece", country="GRC",
             source="TAP facilities (Kipoi CS; trend.az); Kipoi village coordinates (en.wikipedia)",
             location="inferred", location_note=f"TAP vertex nearest Kipoi village ({kd:.0f} m); TAP's Greek exit points (e.g. Nea Mesimvria) have no sourced coordinates"),
        node("tap-kipoi-cs", "TAP Kipoi compressor station (proxy)", "station", kpt, commodity="gas", country="GRC",
             source="trend.az (Kipoi CS 'near Kipoi'); Kipoi village coordinates (en.wikipedia)", location="inferred",
             location_note="village proxy snapped to the nearest TAP vertex"),
        node("albania-fier", "Albania offtake (represented at the Fier compressor station)", "market", fpt, commodity="gas",
             market="Albania", country="ALB", source="waypoints.csv: Fier CS inferred at the OSM 1200->910 mm diameter change",
             location="inferred", location_note="diameter change on the OSM route"),
        node("tap-fier-cs", "TAP Fier compressor station", "station", fpt, commodity="gas", country="ALB",
             source="waypoints.csv: OSM diameter change 1200->910 mm (GEM P0724); trend.az (Fier CS)",
             location="inferred", location_note="diameter change on the OSM route"),
        node("tap-al-landfall", "TAP Albanian landfall", "junction", q_al, commodity="gas", country="ALB",
             source="OSM via GEM P0724; balkaneu.com (17 km NW of Fier)", location="sourced"),
        node("italy-melendugno", "Melendugno pipeline receiving terminal (TAP end, Snam interconnection)", "market", tap[-1],
             commodity="gas", market="Italy", country="ITA", source="OSM via GEM P0724 (route end); balkaneu.com", location="sourced"),
    ]
    itl = nearest_vertex(a3, W["it_landfall"])
    nodes.append(node("tap-it-landfall", "TAP Italian landfall (San Foca)", "junction", itl[1], commodity="gas", country="ITA",
                      source="OSM via GEM P0724; ansa.it", location="sourced"))

    # ---------------- Blue Stream (gas)
    bs_pieces = clean(load_pieces(ref, "GEM_P0736.geojson"), "BLUE-STREAM")
    bs = chain(bs_pieces, W["bs_north"], W["bs_ankara"], "BLUE-STREAM")
    # keep the Ankara end clear of the P0763 line it touches at Ahiboz (see SOURCES.md)
    trimmed = 0
    full = bs
    while True:
        d, *_ = project(bs[-1], t1)
        if d > 1500:
            break
        trimmed += 1
        bs = bs[:-1]
    cut_km = glen_km(full[len(bs) - 1:])
    bs_trim_note = f"the last {trimmed} OSM vertices ({cut_km:.1f} km) removed"
    DROPPED.append(("BLUE-STREAM", f"GEM_P0736 feature 19: last {trimmed} vertices ({cut_km:.1f} km)",
                    "they run within 1.5 km of the P0763 line used for TANAP; if kept, the loader would join Blue Stream to TANAP"))
    r1, rest, q_ru = split_at(bs, W["bs_ru_landfall"])
    r2, r3, q_tr = split_at(rest, W["bs_tr_landfall"])
    common = dict(commodity="gas", capacity=16, capacity_unit="bcm/y", commissioned=2003, status="operating", geometry="mapped")
    files["blue-stream"] = [
        seg("BLUE-STREAM", 1, "Blue Stream Russian onshore: Izobilny - Beregovaya/Dzhubga landfall", r1, nominal_length_km=373,
            diameter_in=56, diameter_note="1400 mm lowland, 1200 mm mountain section", operator="Gazprom", **common),
        seg("BLUE-STREAM", 2, "Blue Stream offshore (2 x 24 in), Black Sea", r2, nominal_length_km=396, diameter_in=24,
            diameter_note="two 24 in (610 mm) strings", operator="Blue Stream Pipeline B.V. (Gazprom/Eni)", **common),
        seg("BLUE-STREAM", 3, "Blue Stream Turkish onshore: Durusu (Samsun) - Ankara (Ahiboz)", r3, nominal_length_km=444,
            operator="BOTAŞ", **common),
    ]
    nodes += [
        node("russia-blue-stream", "Russia: Blue Stream head (Izobilny area)", "supply", bs[0], commodity="gas", supply=16,
             supply_unit="bcm/y", country="RUS", source="derived: nameplate of Blue Stream (16 bcm/y, gazprom.com); position: OSM route north end (GEM P0736)",
             location="sourced"),
        node("blue-stream-ru-landfall", "Blue Stream Russian landfall (near Beregovaya CS)", "junction", q_ru, commodity="gas",
             country="RUS", source="waypoints.csv: OSM underwater feature start (GEM P0736)", location="sourced"),
        node("durusu", "Durusu (Samsun): Blue Stream landfall and main metering station", "terminal", q_tr, commodity="gas",
             country="TUR", source="waypoints.csv: OSM underwater feature end (GEM P0736)", location="sourced",
             location_note="metering station position not separately sourced"),
        node("ankara-ahiboz", "Ankara hub (Ahiboz): ends of Blue Stream, the Malkoçlar-Ankara West line and the Tabriz-Ankara line", "market", bs[-1],
             commodity="gas", market="Türkiye", country="TUR",
             source="enerjigunlugu.net 37252 (Blue Stream joins the Malkoçlar-Ankara line at Ahiboz); position: OSM route end (GEM P0736)",
             location="inferred", location_note=f"that the OSM route end is Ahiboz is inferred; {bs_trim_note} (see SOURCES.md)"),
    ]

    # ---------------- TurkStream (gas)
    p765 = load_pieces(ref, "GEM_P0765.geojson")
    p1368 = load_pieces(ref, "GEM_P1368.geojson")
    l1_off = chain([p765[2], p765[4]], W["ts_anapa"], (28.0892515, 41.6600802), "TURKSTREAM")
    l1_on = p765[1]["coords"]
    l2_off = p1368[1]["coords"]
    l2_on = p1368[2]["coords"]
    for p in (p765[0], p765[3], p1368[0]):
        DROPPED.append(("TURKSTREAM", p["src"],
                        "BOTAŞ Hamitabat-Lüleburgaz connector, not TurkStream" if p is p765[0]
                        else "short unconnected offshore piece off Anapa (duplicated in P0765 and P1368)"))
    common = dict(commodity="gas", capacity=15.75, capacity_unit="bcm/y", commissioned=2020, status="operating", geometry="mapped")
    files["turkstream"] = [
        seg("TURKSTREAM", 1, "TurkStream line 1 offshore: Anapa - Kıyıköy", l1_off, nominal_length_km=930, diameter_in=32,
            operator="South Stream Transport B.V. (Gazprom)", **common),
        seg("TURKSTREAM", 2, "TurkStream line 1 onshore: Kıyıköy - Lüleburgaz", l1_on, nominal_length_km=70,
            nominal_length_note="AA gives onshore lines of 142 and 70 km without saying which is which; the mapped lengths (about 72 and 144 km) assign 70 km to line 1", diameter_in=48,
            diameter_note="1200 mm (OSM tag)", operator="BOTAŞ", **common),
        seg("TURKSTREAM", 3, "TurkStream line 2 offshore: Anapa - Kıyıköy", l2_off, nominal_length_km=930, diameter_in=32,
            operator="South Stream Transport B.V. (Gazprom)", **common),
        seg("TURKSTREAM", 4, "TurkStream line 2 onshore: Kıyıköy - Bulgarian border (Strandzha-2)", l2_on, nominal_length_km=142,
            diameter_in=48, diameter_note="1200 mm (OSM tag)", operator="Gazprom-BOTAŞ joint venture", **common),
    ]
    nodes += [
        node("russia-turkstream", "Russia: TurkStream head near Anapa (Russkaya CS)", "supply", l1_off[0], commodity="gas",
             supply=31.5, supply_unit="bcm/y", country="RUS",
             source="derived: sum of the two strings' nameplate (2 x 15.75 bcm/y, aa.com.tr); position: OSM offshore start (GEM P0765/P1368)",
             location="sourced"),
        node("kiyikoy", "Kıyıköy receiving terminal (TurkStream landfall, both strings)", "terminal", l1_on[0], commodity="gas",
             country="TUR", source="waypoints.csv: OSM via GEM P0765 (offshore end / onshore start)", location="sourced"),
        node("luleburgaz", "Lüleburgaz: TurkStream line 1 end", "market", l1_on[-1], commodity="gas", market="Türkiye",
             country="TUR", source="waypoints.csv: OSM via GEM P0765", location="sourced"),
        node("bulgaria-strandzha", "TurkStream line 2 at the Türkiye-Bulgaria border (Strandzha-2)", "market", l2_on[-1],
             commodity="gas", market="Bulgaria", country="TUR", source="waypoints.csv: OSM via GEM P1368", location="sourced"),
    ]

    # ---------------- Trans-Balkan, Türkiye section (gas), schematic
    tb = dedup(load_pieces(ref, "GEM_P2227.geojson")[0]["coords"])[::-1]
    BRIDGES.append(("TRANS-BALKAN", "Malkoçlar border crossing (waypoints.csv)", "GEM P2227 border-side end", round(gdist(W["tb_malkoclar"], tb[0]))))
    # The West line ends at Ahiboz, where Blue Stream joins it (enerjigunlugu.net): leave P2227 at its
    # vertex nearest Ahiboz and go straight there; P2227's last stretch into north Ankara is dropped.
    ai, apt, ad = nearest_vertex(tb, bs[-1])
    DROPPED.append(("TRANS-BALKAN", f"GEM_P2227 last {len(tb) - ai - 1} vertices ({glen_km(tb[ai:]):.1f} km) into north Ankara",
                    "replaced by a straight piece to Ahiboz, where the West line meets Blue Stream"))
    BRIDGES.append(("TRANS-BALKAN", f"GEM P2227 vertex {r6(apt)}", "Ahiboz (Blue Stream end)", round(ad)))
    tb = [list(W["tb_malkoclar"])] + tb[: ai + 1] + [bs[-1]]
    files["trans-balkan"] = [
        seg("TRANS-BALKAN", 1, "Russia-Türkiye West line (Trans-Balkan, Türkiye section): Malkoçlar - Ankara", tb,
            commodity="gas", capacity=14, capacity_unit="bcm/y", commissioned=1988, status="operating",
            nominal_length_km=845, diameter_in=36, diameter_note="24 and 36 in (gem.wiki)", operator="BOTAŞ",
            geometry="schematic"),
    ]
    nodes.append(node("russia-malkoclar", "Russian gas entering at Malkoçlar (Trans-Balkan)", "supply", tb[0], commodity="gas",
                      supply=14, supply_unit="bcm/y", country="TUR",
                      source="enerji.gov.tr: Malkoçlar metering capacity raised to 14 bcm/y; position: waypoints.csv (GEM EGT route x Natural Earth border, computed)",
                      location="sourced"))

    # ---------------- Iran - Türkiye (gas), schematic
    ir = chain(clean(load_pieces(ref, "GEM_P0459.geojson"), "IRAN-TR"), W["ir_tabriz"], W["ir_ankara"], "IRAN-TR", join_m=1)
    # End the line at the Ankara hub (Ahiboz): P0459 passes within 100 m of Blue Stream's end there.
    hd, hi, ht, hq, _ = project(bs[-1], ir)
    DROPPED.append(("IRAN-TR", f"GEM_P0459 last {glen_km([list(hq)] + ir[hi + 1:]):.1f} km beyond Ahiboz (north into Ankara)",
                    f"line ended at the Ankara hub node at Ahiboz ({hd:.0f} m from P0459) so the three Ankara lines meet at one node"))
    ir = ir[: hi + 1] + [bs[-1]]
    i1, i2, q_ir = split_at(ir, W["ir_border"])
    common = dict(commodity="gas", capacity=14, capacity_unit="bcm/y", commissioned=2001, status="operating", geometry="schematic",
                  diameter_in=40, diameter_note="40 and 46 in (gem.wiki)")
    files["iran-tr"] = [
        seg("IRAN-TR", 1, "Tabriz - Iran/Türkiye border (Bazargan/Gürbulak)", i1, operator="NIGC", **common),
        seg("IRAN-TR", 2, "Gürbulak - Doğubayazıt - Erzurum - Ankara", i2, operator="BOTAŞ", **common),
    ]
    nodes += [
        node("iran-tabriz", "Iran: Tabriz (head of the Tabriz-Ankara line)", "supply", ir[0], commodity="gas", supply=14,
             supply_unit="bcm/y", country="IRN", source="derived: nameplate of the Tabriz-Ankara line (14 bcm/y, en.wikipedia/GEM); position: GEM P0459 start",
             location="sourced"),
        node("iran-border-gurbulak", "Iran-Türkiye border crossing (Bazargan/Gürbulak)", "border", q_ir, commodity="gas",
             country="TUR", source="waypoints.csv: GEM P0459 intersected with Natural Earth 10m borders (computed)", location="sourced"),
    ]

    # ---------------- LNG / FSRU terminals (supply + co-located Türkiye market)
    lng = [
        ("lng-marmara-ereglisi", "Marmara Ereğlisi LNG Terminal (BOTAŞ)", (27.986, 40.992), 1994, None, 37,
         "theistanbulpost/AA: send-out 37 mcm/d"),
        ("lng-aliaga-egegaz", "İzmir Aliağa LNG Terminal (Egegaz)", (26.914, 38.822), 2006, 10.7, None, "GEM Europe Gas Tracker: 10.7 MTPA"),
        ("lng-etki-fsru", "Etki FSRU (Aliağa)", (26.896, 38.744), 2016, 5.7, None, "GEM Europe Gas Tracker: 5.7 MTPA"),
        ("lng-dortyol-fsru", "Dörtyol FSRU (Hatay)", (36.126, 36.851), 2018, 7.5, None, "GEM Europe Gas Tracker: 7.5 MTPA"),
        ("lng-saros-fsru", "Gulf of Saros FSRU", (26.657, 40.637), 2023, 5.6, None, "GEM Europe Gas Tracker: 5.6 MTPA"),
    ]
    for nid, name, pt, year, mtpa, mcmd, src in lng:
        if mcmd is not None:
            sup, unit, how = mcmd, "mcm/d", src
        else:
            sup, unit = round(mtpa * LNG_BCM_PER_MT, 2), "bcm/y"
            how = f"{src} x {LNG_BCM_PER_MT} bcm per Mt LNG (Enerdynamics)"
        nodes.append(node(nid, name, "supply", pt, commodity="gas", supply=sup, supply_unit=unit, country="TUR",
                          commissioned=year, source=how + "; coordinates GEM Europe Gas Tracker (2024-05)", location="sourced"))
        nodes.append(node(nid + "-market", name + ": send-out into the Turkish grid", "market", pt, commodity="gas",
                          market="Türkiye", country="TUR", source="co-located with the terminal (GEM Europe Gas Tracker coordinates)",
                          location="inferred", location_note="the terminal's grid connection is not mapped; the market sits on the terminal"))

    # ---------------- write
    osm = {"tanap", "tap", "blue-stream", "turkstream", "scp"}  # scp: ends on an OSM vertex
    for name, feats in files.items():
        write_fc(os.path.join(out, name + ".geojson"), feats, osm=name in osm)
    write_fc(os.path.join(out, "nodes.geojson"), nodes, osm=True)
    return files, nodes


# --------------------------------------------------------------------------- checks
def check(files, nodes):
    lines = []
    for fname, feats in files.items():
        for f in feats:
            p = f["properties"]
            lines.append((fname, p["id"], p["commodity"], f["geometry"]["coordinates"]))
    ids = [l[1] for l in lines] + [n["properties"]["id"] for n in nodes]
    dup = {i for i in ids if ids.count(i) > 1}
    print("== ids unique:", "yes" if not dup else f"NO, duplicates {sorted(dup)}")
    print("\n== measured length per corridor (geodesic, WGS84) vs nominal")
    per = {}
    for fname, feats in files.items():
        for f in feats:
            p = f["properties"]
            c = per.setdefault(p["corridor"], [0.0, 0.0])
            c[0] += glen_km(f["geometry"]["coordinates"])
            c[1] += p.get("nominal_length_km", 0) or 0
    for k, (m, n) in per.items():
        print(f"  {k:18s} measured {m:8.1f} km   nominal {n:7.1f} km   " + (f"{100*(m-n)/n:+.1f} %" if n else ""))
    for fname, feats in files.items():
        for f in feats:
            p = f["properties"]
            print(f"    {p['id']:20s} {glen_km(f['geometry']['coordinates']):8.1f} km  nominal {p.get('nominal_length_km', '-')}")
    print("\n== joins (same commodity, or node without commodity), within", SNAP_M, "m")
    joined = {}
    for fname, lid, com, co in lines:
        for which, e in (("start", co[0]), ("end", co[-1])):
            hits = []
            for n in nodes:
                nc = n["properties"].get("commodity")
                if nc and nc != com:
                    continue
                d = gdist(e, n["geometry"]["coordinates"])
                if d <= SNAP_M:
                    hits.append(f"node {n['properties']['id']} {d:.0f} m")
            for fname2, lid2, com2, co2 in lines:
                if lid2 == lid or com2 != com:
                    continue
                for w2, e2 in (("start", co2[0]), ("end", co2[-1])):
                    d = gdist(e, e2)
                    if d <= SNAP_M:
                        hits.append(f"{lid2}.{w2} {d:.0f} m")
                d, i, t, q, ch = project(e, co2)
                if d <= SNAP_M and gdist(e, co2[0]) > SNAP_M and gdist(e, co2[-1]) > SNAP_M:
                    hits.append(f"T-JUNCTION on interior of {lid2} {d:.0f} m  <-- check")
            joined[(lid, which)] = hits
            print(f"  {lid}.{which}: " + ("; ".join(hits) if hits else "DANGLING (joined to nothing)"))
    print("\n== nodes on line interiors (the loader splits the line there)")
    for n in nodes:
        np_ = n["properties"]
        pt = n["geometry"]["coordinates"]
        for fname, lid, com, co in lines:
            if np_.get("commodity") and np_["commodity"] != com:
                continue
            d, i, t, q, ch = project(pt, co)
            if d <= SNAP_M and gdist(pt, co[0]) > SNAP_M and gdist(pt, co[-1]) > SNAP_M:
                print(f"  {np_['id']} ({np_['kind']}) splits {lid} at {glen_km(co[:i + 1] + [list(q)]):.1f} km, {d:.0f} m off the line")
    print("\n== nodes touching no line")
    for n in nodes:
        np_ = n["properties"]
        pt = n["geometry"]["coordinates"]
        best = min((project(pt, co)[0], lid) for fname, lid, com, co in lines
                   if not np_.get("commodity") or np_["commodity"] == com)
        if best[0] > SNAP_M:
            print(f"  {np_['id']} ({np_['kind']}): nearest same-commodity line {best[1]} at {best[0]/1000:.1f} km")
    print("\n== line ends of different corridors, same commodity, within 5 km (accidental-join watch)")
    for a in lines:
        for b in lines:
            if a[1] >= b[1] or a[2] != b[2] or a[1].rsplit("-", 1)[0] == b[1].rsplit("-", 1)[0]:
                continue
            for ea in (a[3][0], a[3][-1]):
                for eb in (b[3][0], b[3][-1]):
                    d = gdist(ea, eb)
                    if d < 5000:
                        print(f"  {a[1]} ~ {b[1]}: {d:.0f} m")
    print("\n== dropped pieces")
    for c, s, why in DROPPED:
        print(f"  {c}: {s}: {why}")
    print("\n== bridges / connecting pieces added")
    for b in BRIDGES:
        print(f"  {b[0]}: {b[1]} -> {b[2]}: {b[3]} m")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: build_network.py REFERENCE_DIR OUTPUT_DIR")
    files, nodes = build(sys.argv[1], sys.argv[2])
    check(files, nodes)


if __name__ == "__main__":
    main()
