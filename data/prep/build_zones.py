#!/usr/bin/env python3
"""Build corridor's zone and basemap GeoJSON files from the reference folder.

Provenance only: this script is not part of the cargo build. It documents how
data/zones/*.geojson and data/basemap/*.geojson were made and can rebuild them.

    pip install shapely pyproj geographiclib
    python3 data/prep/build_zones.py REFERENCE_DIR [--out DATA_DIR] [--report]

REFERENCE_DIR holds waypoints.csv, geo/ (Natural Earth 1:10m admin-0 and
admin-1 extracts, the Armenia-Azerbaijan border lines) and routes/ (Global
Energy Monitor route files, used only to check the Ganja-gap polygon).
DATA_DIR defaults to the repository's data/ folder (the parent of this script's
folder).

Outputs (RFC 7946: WGS84 lon/lat, no crs member, 6 decimals, exterior rings
counter-clockwise, holes clockwise):
    zones/ganja-gap.geojson   ganja-gap
    zones/districts.geojson   tovuz, qazax, agstafa, shamkir, gadabay, samukh, ganja
    zones/borders.geojson     arm-aze-border, aze-geo-border, arm-geo-border
    basemap/countries.geojson Natural Earth admin-0, region clip
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import os
import sys
import tempfile
from pathlib import Path

import numpy as np
import shapely
from pyproj import Geod, Transformer
from shapely.geometry import (LineString, MultiLineString, MultiPolygon, Point,
                              Polygon, box, mapping, shape)
from shapely.geometry.polygon import orient
from shapely.ops import linemerge, nearest_points, unary_union

GEOD = Geod(ellps="WGS84")
NE_CREDIT = "Made with Natural Earth"
NE_ADMIN0 = "Natural Earth 1:10m Admin 0 - Countries v5.1.1 (public domain)"
NE_ADMIN1 = "Natural Earth 1:10m Admin 1 - States, Provinces v5.1.1 (public domain)"

# ---------------------------------------------------------------- Ganja gap
# The construction rule (see SOURCES.md, "Zones and basemap"):
#   zone = (main polygon of Azerbaijan in NE admin-0)
#          ∩ (lon <= EAST_CUT_LON)                  eastern cut: meridian of Ganja
#          ∩ (north of the town axis ∪ buffer(town axis, SOUTH_BUFFER_KM))
# The town axis is the polyline tripoint -> Qazax -> Tovuz -> Shamkir -> Ganja
# (coordinates from waypoints.csv). The towns sit on the M2 road and the
# railway at the foot of the Lesser Caucasus; everything north of that line to
# the Georgian border is the Kura lowland (where the pipelines run), and a band
# of SOUTH_BUFFER_KM south of it keeps the foothill strip up to the Armenian
# border (9-14 km south of Qazax and Tovuz; 15 km is the smallest round figure
# that meets it along almost all of that stretch) while leaving out the
# Gadabay/Shamkir highlands further south-east.
AXIS_TOWNS = [  # (label, substring of the waypoints.csv name)
    ("AM-AZ-GE tripoint", "Armenia-Azerbaijan-Georgia tripoint"),
    ("Qazax", "Qazax (Gazakh) city"),
    ("Tovuz", "Tovuz city"),
    ("Shamkir", "Shamkir city"),
    ("Ganja", "Ganja"),
]
EAST_CUT_TOWN = "Ganja"
SOUTH_BUFFER_KM = 15.0
WIDTH_TOWNS = [  # places where the width is measured (cross-section through the town)
    ("Qazax", "Qazax (Gazakh) city"),
    ("Agstafa", "Ağstafa (district infobox coordinate)"),
    ("Tovuz", "Tovuz city"),
    ("Shamkir", "Shamkir city"),
    ("Ganja", "Ganja"),
]
PIPELINES = [("BTC", "GEM_P0644.geojson"), ("SCP", "GEM_P0759.geojson"),
             ("WREP", "GEM_P0643.geojson")]

# A local azimuthal-equidistant projection centred on the gap for buffering.
AEQD = "+proj=aeqd +lat_0=41.0 +lon_0=45.7 +datum=WGS84 +units=m +no_defs"
TO_M = Transformer.from_crs("EPSG:4326", AEQD, always_xy=True).transform
TO_LL = Transformer.from_crs(AEQD, "EPSG:4326", always_xy=True).transform


# ---------------------------------------------------------------- helpers
def round_geom(geom, nd=6):
    return shapely.transform(geom, lambda c: np.round(c, nd))


def orient_geom(geom):
    """Exterior rings CCW, holes CW (RFC 7946 section 3.1.6)."""
    if geom.geom_type == "Polygon":
        return orient(geom, 1.0)
    if geom.geom_type == "MultiPolygon":
        return MultiPolygon([orient(p, 1.0) for p in geom.geoms])
    return geom


def clean_polygonal(geom, nd=6):
    """Round to nd decimals, keep it valid, orient rings. Drops slivers."""
    g = round_geom(geom, nd)
    if not g.is_valid:
        g = shapely.set_precision(geom, 10 ** -nd)
    if not g.is_valid:
        g = shapely.make_valid(g)
    polys = [p for p in getattr(g, "geoms", [g]) if p.geom_type == "Polygon" and not p.is_empty]
    g = polys[0] if len(polys) == 1 else MultiPolygon(polys)
    assert g.is_valid, shapely.is_valid_reason(g)
    return orient_geom(g)


def check_orientation(geom):
    for p in getattr(geom, "geoms", [geom]):
        assert p.exterior.is_ccw, "exterior ring not CCW"
        for h in p.interiors:
            assert not h.is_ccw, "hole not CW"
        assert p.exterior.coords[0] == p.exterior.coords[-1]


def geod_len_km(geom):
    return GEOD.geometry_length(geom) / 1000.0


def geod_area_km2(geom):
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def densify_geodesic(line, step_m=250.0):
    """Densify a LineString along the geodesics between its vertices."""
    out = []
    cs = list(line.coords)
    for (x0, y0), (x1, y1) in zip(cs[:-1], cs[1:]):
        out.append((x0, y0))
        d = GEOD.inv(x0, y0, x1, y1)[2]
        n = int(d // step_m)
        if n > 0:
            out.extend(GEOD.npts(x0, y0, x1, y1, n))
    out.append(cs[-1])
    return LineString(out)


def lines_of(geom):
    if geom.is_empty:
        return []
    if geom.geom_type == "LineString":
        return [geom]
    if geom.geom_type == "MultiLineString":
        return list(geom.geoms)
    if geom.geom_type == "GeometryCollection":
        return [l for g in geom.geoms for l in lines_of(g)]
    return []


def feature(props, geom):
    return {"type": "Feature", "properties": props, "geometry": mapping(geom)}


def _coords_to_lists(o):
    if isinstance(o, (list, tuple)):
        return [_coords_to_lists(x) for x in o]
    if isinstance(o, float):
        r = round(o, 6)
        return 0.0 if r == 0 else r
    return o


def write_fc(path: Path, features, extra=None):
    fc = {"type": "FeatureCollection"}
    if extra:
        fc.update(extra)
    feats = []
    for f in features:
        g = dict(f["geometry"])
        g["coordinates"] = _coords_to_lists(g["coordinates"])
        feats.append({"type": "Feature", "properties": f["properties"], "geometry": g})
    fc["features"] = feats
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".geojson")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(fc, fh, ensure_ascii=False, separators=(",", ":"))
        fh.write("\n")
    os.replace(tmp, path)
    os.chmod(path, 0o644)


def load_fc(path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def load_waypoints(ref: Path):
    with open(ref / "waypoints.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def town(waypoints, needle):
    hits = [r for r in waypoints if r["pipeline"].startswith("CONTEXT")
            and r["name"].startswith(needle) and r["lat"]]
    if len(hits) != 1:
        sys.exit(f"waypoints.csv: expected one CONTEXT row named '{needle}', found {len(hits)}")
    r = hits[0]
    return float(r["lon"]), float(r["lat"]), r["source"]


# ---------------------------------------------------------------- inputs
def admin0(ref: Path):
    fc = load_fc(ref / "geo" / "countries_region.geojson")
    out = {}
    for f in fc["features"]:
        out[f["properties"]["ADM0_A3"]] = (f["properties"], shape(f["geometry"]))
    return out


def main_part(geom, near):
    """The polygon of a MultiPolygon that contains the point `near`."""
    for p in getattr(geom, "geoms", [geom]):
        if p.contains(Point(near)):
            return p
    sys.exit("no polygon part contains the reference point")


# ---------------------------------------------------------------- Ganja gap
def build_ganja_gap(ref, countries, waypoints):
    axis_ll = [town(waypoints, n)[:2] for _, n in AXIS_TOWNS]
    east_lon = town(waypoints, dict(AXIS_TOWNS)[EAST_CUT_TOWN])[0]
    # mainland Azerbaijan: the part that contains Ganja (drops Nakhchivan and exclaves)
    aze = main_part(countries["AZE"][1], town(waypoints, dict(AXIS_TOWNS)[EAST_CUT_TOWN])[:2])

    # North side of the axis: close the axis with far-north corners.
    north_side = Polygon([(axis_ll[0][0] - 1.0, axis_ll[0][1])] + axis_ll +
                         [(axis_ll[-1][0] + 1.0, axis_ll[-1][1]),
                          (axis_ll[-1][0] + 1.0, 43.0), (axis_ll[0][0] - 1.0, 43.0)])
    assert north_side.is_valid
    axis_m = shapely.transform(LineString(axis_ll), lambda c: np.column_stack(TO_M(c[:, 0], c[:, 1])))
    band_m = axis_m.buffer(SOUTH_BUFFER_KM * 1000.0, quad_segs=32)
    band = shapely.transform(band_m, lambda c: np.column_stack(TO_LL(c[:, 0], c[:, 1])))
    keep = unary_union([north_side, band])
    east = box(40.0, 35.0, east_lon, 45.0)
    gap = aze.intersection(keep).intersection(east)
    # keep the single connected corridor (drop stray slivers, if any)
    parts = sorted(getattr(gap, "geoms", [gap]), key=lambda p: p.area, reverse=True)
    gap = parts[0]
    gap = clean_polygonal(gap)
    check_orientation(gap)
    return gap, aze, axis_ll, east_lon


def cross_section_width(gap, lon, lat, bearing, half_len_km=120.0):
    """Length (km) of the chord of the zone along a geodesic through (lon, lat)
    with the given bearing, keeping the piece that contains the point."""
    pts = []
    for s in np.arange(-half_len_km, half_len_km + 0.01, 0.25):
        az = bearing if s >= 0 else bearing + 180.0
        x, y, _ = GEOD.fwd(lon, lat, az, abs(s) * 1000.0)
        pts.append((x, y))
    chord = LineString(pts).intersection(gap)
    p = Point(lon, lat)
    best = min(lines_of(chord), key=lambda l: l.distance(p))
    cs = list(best.coords)
    return geod_len_km(best), cs[0], cs[-1]


def min_dist_km(lon, lat, geom):
    """Least geodesic distance (km) from a point to lines, on lines densified every 250 m."""
    best = math.inf
    for ln in lines_of(geom):
        cs = np.array(densify_geodesic(ln).coords)
        d = GEOD.inv(np.full(len(cs), lon), np.full(len(cs), lat), cs[:, 0], cs[:, 1])[2]
        best = min(best, float(d.min()))
    return best / 1000.0


def axis_bearing_at(axis_ll, lon, lat):
    """Bearing of the axis segment nearest to the point."""
    best = None
    for a, b in zip(axis_ll[:-1], axis_ll[1:]):
        d = LineString([a, b]).distance(Point(lon, lat))
        if best is None or d < best[0]:
            best = (d, a, b)
    _, a, b = best
    return GEOD.inv(a[0], a[1], b[0], b[1])[0]


def pipeline_checks(ref, gap, countries, east_lon):
    """Length of each pipeline inside the gap, and whether it crosses end to end:
    it must enter across the Azerbaijan-Georgia border and leave across the
    eastern cut, in one continuous piece."""
    geo = countries["GEO"][1]
    aze_geo = countries["AZE"][1].boundary.intersection(geo.boundary)
    east_edge = LineString([(east_lon, 39.0), (east_lon, 42.0)]).intersection(gap.boundary)
    res = []
    for corridor, fname in PIPELINES:
        fc = load_fc(ref / "routes" / fname)
        lines = []
        for f in fc["features"]:
            lines += lines_of(shape(f["geometry"]))
        clipped = []
        for ln in lines:
            clipped += lines_of(densify_geodesic(ln).intersection(gap))
        # segments of one corridor that meet end to end (e.g. SCP's "Baku-Aghstafa"
        # and "Aghstafa-Vale") are merged before counting pieces
        pieces = lines_of(linemerge(clipped)) if clipped else []
        inside_total = sum(geod_len_km(m) for m in pieces)
        def near(g, pt, tol_m=300.0):
            p = Point(pt)
            q = nearest_points(g, p)[0]
            return GEOD.inv(q.x, q.y, p.x, p.y)[2] <= tol_m
        long_pieces = [m for m in pieces if geod_len_km(m) > 1.0]
        end_to_end = any(
            (near(aze_geo, m.coords[0]) or near(aze_geo, m.coords[-1])) and
            (near(east_edge, m.coords[0]) or near(east_edge, m.coords[-1]))
            for m in long_pieces)
        res.append({"corridor": corridor, "file": fname,
                    "inside_km": round(inside_total, 1),
                    "pieces": [round(geod_len_km(m), 1) for m in pieces],
                    "end_to_end": end_to_end})
    return res


# ---------------------------------------------------------------- districts
DISTRICTS = {  # id: (NE name_en, kind)
    "tovuz": ("Tovuz", "district"),
    "qazax": ("Qazax", "district"),
    "agstafa": ("Agstafa", "district"),
    "shamkir": ("Shamkir", "district"),
    "gadabay": ("Gadabay", "district"),
    "samukh": ("Samukh", "district"),
    "ganja": ("Ganja", "municipality"),
}


def build_districts(ref):
    fc = load_fc(ref / "geo" / "aze_districts.geojson")
    by_en = {f["properties"]["name_en"]: f for f in fc["features"]}
    feats = []
    for zid, (en, kind) in DISTRICTS.items():
        f = by_en[en]
        p = f["properties"]
        g = clean_polygonal(shape(f["geometry"]))
        check_orientation(g)
        note = None
        if zid == "qazax" and g.geom_type == "MultiPolygon":
            note = ("MultiPolygon: the mainland district plus Azerbaijani exclaves "
                    "surrounded by Armenia, as drawn by Natural Earth.")
        props = {
            "id": zid, "name": en, "name_az": p["name"], "kind": kind,
            "iso_3166_2": p["iso_3166_2"], "adm1_code": p.get("adm1_code"),
            "wikidata": p.get("wikidata"),
            "area_km2": round(geod_area_km2(g), 1),
            "source": f"{NE_ADMIN1}, feature '{p['name']}' ({p.get('adm1_code')}); {NE_CREDIT}",
        }
        if note:
            props["note"] = note
        feats.append(feature(props, g))
    return feats


# ---------------------------------------------------------------- borders
def build_borders(ref, countries):
    fc = load_fc(ref / "geo" / "arm_aze_border.geojson")
    parts = [shape(f["geometry"]) for f in fc["features"]]
    descr = [f"{f['properties']['part']} ({f['properties']['length_km']} km)" for f in fc["features"]]
    am_az = MultiLineString([round_geom(p) for p in parts])
    feats = [feature({
        "id": "arm-aze-border", "name": "Armenia–Azerbaijan border", "kind": "border",
        "countries": ["ARM", "AZE"],
        "length_km": round(geod_len_km(am_az), 1),
        "parts": descr,
        "note": ("All lines of the international border as drawn by Natural Earth 1:10m: "
                 "the main territory (Qazax to the Araz), Nakhchivan's border with Armenia, "
                 "and three closed loops around exclaves (one Armenian inside Azerbaijan, "
                 "two Azerbaijani inside Armenia). Natural Earth assigns Nagorno-Karabakh to "
                 "Azerbaijan, so this is Armenia's international border, not a front line."),
        "source": f"reference geo/arm_aze_border.geojson, derived from {NE_ADMIN0}; {NE_CREDIT}",
    }, am_az)]
    for zid, name, a, b in [("aze-geo-border", "Azerbaijan–Georgia border", "AZE", "GEO"),
                            ("arm-geo-border", "Armenia–Georgia border", "ARM", "GEO")]:
        ga, gb = countries[a][1], countries[b][1]
        shared = ga.boundary.intersection(gb.boundary)
        lines = lines_of(linemerge(lines_of(shared)))
        # tolerance check: the two polygons share vertices exactly; a 1e-5 degree
        # (about 1 m) buffer must add nothing.
        loose = ga.boundary.intersection(gb.boundary.buffer(1e-5))
        assert abs(geod_len_km(loose) - geod_len_km(MultiLineString(lines))) < 0.05
        geom = MultiLineString([round_geom(l) for l in lines]) if len(lines) > 1 else round_geom(lines[0])
        feats.append(feature({
            "id": zid, "name": name, "kind": "border", "countries": [a, b],
            "length_km": round(geod_len_km(geom), 1),
            "note": ("Shared boundary of the two Natural Earth admin-0 polygons: the exact "
                     "intersection of their outlines (they share vertices; a 1e-5 degree, "
                     "~1 m, tolerance adds nothing), merged into lines."),
            "source": f"derived from {NE_ADMIN0}; {NE_CREDIT}",
        }, geom))
    return feats


# ---------------------------------------------------------------- basemap
def build_countries(ref):
    fc = load_fc(ref / "geo" / "countries_region.geojson")
    feats, fallbacks, fixed = [], [], []
    for f in fc["features"]:
        p = f["properties"]
        iso = p.get("ISO_A3")
        if iso in (None, "", "-99"):
            iso = p["ADM0_A3"]
            fallbacks.append(f"{p['name']}={iso}")
        g0 = shape(f["geometry"])
        if not g0.is_valid:
            fixed.append(p["name"])
        g = clean_polygonal(g0)
        check_orientation(g)
        feats.append(feature({"name": p["name"], "iso_a3": iso}, g))
    return feats, fallbacks, fixed


# ---------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("reference", type=Path, help="the reference folder (waypoints.csv, geo/, routes/)")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1],
                    help="the data/ folder to write into (default: this script's ../)")
    ap.add_argument("--report", action="store_true", help="print the numbers as JSON")
    a = ap.parse_args()
    ref, out = a.reference, a.out
    for need in ["waypoints.csv", "geo/countries_region.geojson", "geo/aze_districts.geojson",
                 "geo/arm_aze_border.geojson"]:
        if not (ref / need).exists():
            sys.exit(f"missing {ref / need}")

    countries = admin0(ref)
    wp = load_waypoints(ref)

    gap, aze, axis_ll, east_lon = build_ganja_gap(ref, countries, wp)
    area = geod_area_km2(gap)
    widths = []
    am_border = countries["ARM"][1].boundary.intersection(countries["AZE"][1].boundary)
    ge_border = countries["GEO"][1].boundary.intersection(countries["AZE"][1].boundary)
    for label, needle in WIDTH_TOWNS:
        lon, lat, _ = town(wp, needle)
        if label == EAST_CUT_TOWN:
            # at the eastern cut: the cut itself, i.e. along the meridian just inside it
            lon, brg = lon - 0.001, 0.0
        else:  # perpendicular to the local direction of the town axis
            brg = axis_bearing_at(axis_ll, lon, lat) + 90.0
        w, e0, e1 = cross_section_width(gap, lon, lat, brg)
        lon0, lat0, _ = town(wp, needle)
        d_am = min_dist_km(lon0, lat0, am_border)
        d_ge = min_dist_km(lon0, lat0, ge_border)
        widths.append({"at": label, "lon": round(lon, 5), "lat": round(lat, 5),
                       "to_armenia_km": round(d_am, 1), "to_georgia_km": round(d_ge, 1),
                       "armenia_to_georgia_via_town_km": round(d_am + d_ge, 1),
                       "bearing": round(brg % 360, 1), "width_km": round(w, 1),
                       "from": [round(e0[0], 4), round(e0[1], 4)],
                       "to": [round(e1[0], 4), round(e1[1], 4)]})
    pipes = pipeline_checks(ref, gap, countries, east_lon) if (ref / "routes").exists() else []
    for p in pipes:
        if not p["end_to_end"]:
            print(f"WARNING: {p['corridor']} does not cross the Ganja gap end to end", file=sys.stderr)

    axis_txt = "; ".join(f"{lbl} {town(wp, n)[1]:.5f}N {town(wp, n)[0]:.5f}E"
                         for lbl, n in AXIS_TOWNS)
    gap_props = {
        "id": "ganja-gap", "name": "Ganja gap", "kind": "chokepoint",
        "method": (f"Mainland Azerbaijan (Natural Earth 1:10m admin-0) west of Ganja's meridian "
                   f"({east_lon:.5f}E) and north of a line {SOUTH_BUFFER_KM:g} km south of the town "
                   f"axis AM-AZ-GE tripoint–Qazax–Tovuz–Shamkir–Ganja, so bounded by Georgia to "
                   f"the north and Armenia to the west and south-west."),
        "axis": axis_txt,
        "south_buffer_km": SOUTH_BUFFER_KM,
        "east_cut_lon": round(east_lon, 5),
        "area_km2": int(round(area)),
        "widths_km": {w["at"]: w["width_km"] for w in widths},
        "widths_method": ("Geodesic chord of the polygon through each town (waypoints.csv), "
                          "perpendicular to the local leg of the town axis; at Ganja, along "
                          "the eastern cut (the meridian)."),
        "note": ("No official outline exists; constructed for analysis. Compare the published "
                 "'60-mile (~97 km)' commentary width (Heritage Foundation). Natural Earth assigns "
                 "Nagorno-Karabakh to Azerbaijan; the Armenian border here is Armenia's "
                 "international border."),
        "source": (f"Constructed from {NE_ADMIN0} and town coordinates in the reference "
                   f"waypoints.csv (Wikipedia); extent as described by en.wikipedia 'Ganja Pass' "
                   f"and Heritage Foundation commentary; {NE_CREDIT}"),
    }
    write_fc(out / "zones" / "ganja-gap.geojson", [feature(gap_props, gap)])
    write_fc(out / "zones" / "districts.geojson", build_districts(ref))
    borders = build_borders(ref, countries)
    write_fc(out / "zones" / "borders.geojson", borders)
    cfeats, fallbacks, fixed = build_countries(ref)
    write_fc(out / "basemap" / "countries.geojson", cfeats)

    if a.report:
        print(json.dumps({
            "ganja_gap": {"area_km2": round(area, 1), "widths": widths, "pipelines": pipes,
                          "bounds": [round(v, 4) for v in gap.bounds],
                          "vertices": len(gap.exterior.coords),
                          "holes": len(gap.interiors)},
            "borders": {f["properties"]["id"]: f["properties"]["length_km"] for f in borders},
            "iso_fallbacks": fallbacks, "invalid_in_source": fixed,
        }, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
