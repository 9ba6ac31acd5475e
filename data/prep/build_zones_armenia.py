#!/usr/bin/env python3
"""Build the Armenia and Nakhchivan zones from the basemap's Natural Earth polygons.

Provenance only: this script is not part of the cargo build. It documents how
data/zones/armenia.geojson and data/zones/nakhchivan.geojson were made and can
rebuild them.

    pip install shapely pyproj
    python3 data/prep/build_zones_armenia.py [--data DATA_DIR] [--report]

Input: DATA_DIR/basemap/countries.geojson (Natural Earth 1:10m admin-0 v5.1.1,
written by build_zones.py). DATA_DIR defaults to the repository's data/ folder.

Outputs (same conventions as build_zones.py: RFC 7946, WGS84 lon/lat, no crs
member, 6 decimals, exterior rings counter-clockwise, holes clockwise):
    zones/armenia.geojson     armenia, arm-tur-border, arm-irn-border
    zones/nakhchivan.geojson  nakhchivan, nakhchivan-arm-border,
                              nakhchivan-irn-border, nakhchivan-tur-border

Method. A border between two countries is the shared boundary of their two
admin-0 polygons: the exact intersection of the two outlines, merged into lines
(Natural Earth's neighbouring polygons share their vertices, so no snapping
tolerance is needed; a 1e-5 degree, ~1 m, buffer must not change the length by
more than 0.05 km, which the script asserts). Nakhchivan is not a separate
admin-0 feature: at 1:10m Natural Earth draws Azerbaijan as a MultiPolygon, and
Nakhchivan is the part that contains Nakhchivan city (45.41E 39.21N, a point
used only to pick the part). Its borders are the pieces of Azerbaijan's shared
boundaries with Armenia, Iran and Türkiye that lie on that part's outline.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import MultiLineString, MultiPolygon, Point, mapping, shape
from shapely.geometry.polygon import orient
from shapely.ops import linemerge

GEOD = Geod(ellps="WGS84")
NE_CREDIT = "Made with Natural Earth"
NE_ADMIN0 = "Natural Earth 1:10m Admin 0 - Countries v5.1.1 (public domain)"
BASEMAP = "data/basemap/countries.geojson"
# Only used to pick Nakhchivan among Azerbaijan's polygon parts (Nakhchivan city,
# approximately; any point well inside the exclave would do).
NAKHCHIVAN_PICK = (45.41, 39.21)
TOL_DEG = 1e-5  # tolerance check only (about 1 m)


def round_geom(geom, nd=6):
    return shapely.transform(geom, lambda c: np.round(c, nd))


def orient_geom(geom):
    if geom.geom_type == "Polygon":
        return orient(geom, 1.0)
    return MultiPolygon([orient(p, 1.0) for p in geom.geoms])


def check_orientation(geom):
    for p in getattr(geom, "geoms", [geom]):
        assert p.exterior.is_ccw, "exterior ring not CCW"
        for h in p.interiors:
            assert not h.is_ccw, "hole not CW"


def lines_of(geom):
    if geom.is_empty:
        return []
    if geom.geom_type == "LineString":
        return [geom]
    if geom.geom_type in ("MultiLineString", "GeometryCollection"):
        return [l for g in geom.geoms for l in lines_of(g)]
    return []


def km(geom):
    return GEOD.geometry_length(geom) / 1000.0


def km2(geom):
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def _coords(o):
    if isinstance(o, (list, tuple)):
        return [_coords(x) for x in o]
    if isinstance(o, float):
        r = round(o, 6)
        return 0.0 if r == 0 else r
    return o


def write_fc(path: Path, features):
    feats = []
    for props, geom in features:
        g = mapping(geom)
        feats.append({"type": "Feature", "properties": props,
                      "geometry": {"type": g["type"], "coordinates": _coords(g["coordinates"])}})
    fc = {"type": "FeatureCollection", "features": feats}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".geojson")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(fc, fh, ensure_ascii=False, separators=(",", ":"))
        fh.write("\n")
    os.replace(tmp, path)
    os.chmod(path, 0o644)


def shared_boundary(a, b, restrict=None):
    """Lines shared by the outlines of polygons a and b (optionally only the pieces
    lying on the outline of `restrict`), merged, with a tolerance check."""
    shared = a.boundary.intersection(b.boundary)
    loose = a.boundary.intersection(b.boundary.buffer(TOL_DEG))
    if restrict is not None:
        shared = shared.intersection(restrict.boundary)
        loose = loose.intersection(restrict.boundary.buffer(TOL_DEG))
    lines = lines_of(linemerge(lines_of(shared)))
    assert lines, "the two outlines share no line"
    exact = km(MultiLineString(lines))
    assert abs(km(MultiLineString(lines_of(loose))) - exact) < 0.05, "tolerance changes the length"
    lines = sorted(lines, key=km, reverse=True)
    geom = MultiLineString([round_geom(l) for l in lines]) if len(lines) > 1 else round_geom(lines[0])
    return geom, [round(km(l), 2) for l in lines]


def border(zid, name, countries, geom, parts_km, note):
    props = {"id": zid, "name": name, "kind": "border", "countries": countries,
             "length_km": round(km(geom), 1), "note": note,
             "source": f"derived from {NE_ADMIN0} (data/basemap/countries.geojson); {NE_CREDIT}"}
    if len(parts_km) > 1:
        props["parts_km"] = parts_km
    return props, geom


SHARED_NOTE = ("Shared boundary of the two Natural Earth admin-0 polygons: the exact intersection "
               "of their outlines (they share vertices; a 1e-5 degree, ~1 m, tolerance adds "
               "nothing), merged into lines.")
NE_CAVEAT = ("Natural Earth assigns Nagorno-Karabakh to Azerbaijan, so this is Armenia's "
             "international border, not a line of contact.")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[1],
                    help="the data/ folder (reads basemap/, writes zones/)")
    ap.add_argument("--report", action="store_true", help="print the numbers as JSON")
    a = ap.parse_args()
    fc = json.loads((a.data / "basemap" / "countries.geojson").read_text(encoding="utf-8"))
    c = {f["properties"]["iso_a3"]: shape(f["geometry"]) for f in fc["features"]}
    for need in ("ARM", "AZE", "TUR", "IRN"):
        if need not in c:
            sys.exit(f"basemap has no {need} feature")
    arm, aze, tur, irn = c["ARM"], c["AZE"], c["TUR"], c["IRN"]

    # Nakhchivan: the part of Azerbaijan's MultiPolygon that contains the pick point.
    if aze.geom_type != "MultiPolygon":
        sys.exit("Azerbaijan is not a MultiPolygon at this scale; Nakhchivan cannot be separated")
    aze_parts = list(aze.geoms)
    hits = [i for i, p in enumerate(aze_parts) if p.contains(Point(NAKHCHIVAN_PICK))]
    if len(hits) != 1:
        sys.exit(f"expected one Azerbaijani part containing {NAKHCHIVAN_PICK}, found {len(hits)}")
    nakh = aze_parts[hits[0]]
    # It touches no other part of Azerbaijan.
    assert not any(nakh.intersects(p) for i, p in enumerate(aze_parts) if i != hits[0])

    # ---- Armenia
    arm_geom = orient_geom(round_geom(arm))
    assert arm_geom.is_valid
    check_orientation(arm_geom)
    arm_parts = sorted(getattr(arm_geom, "geoms", [arm_geom]), key=km2, reverse=True)
    holes = [h for p in arm_parts for h in p.interiors]
    arm_props = {
        "id": "armenia", "name": "Armenia (territory)", "kind": "territory", "iso_a3": "ARM",
        "area_km2": round(km2(arm_geom), 1),
        "parts": [f"{'main territory' if i == 0 else 'exclave'} ({km2(p):.1f} km2, near "
                  f"{p.representative_point().x:.3f}E {p.representative_point().y:.3f}N)"
                  for i, p in enumerate(arm_parts)],
        "note": (f"Natural Earth admin-0 polygon of Armenia, unchanged apart from rounding: "
                 f"{len(arm_parts)} part(s) and {len(holes)} hole(s) (the holes are the Azerbaijani "
                 f"exclaves that Natural Earth draws inside Armenia). " + NE_CAVEAT),
        "source": f"{NE_ADMIN0} (data/basemap/countries.geojson); {NE_CREDIT}",
    }
    arm_tur, arm_tur_parts = shared_boundary(arm, tur)
    arm_irn, arm_irn_parts = shared_boundary(arm, irn)
    armenia = [
        (arm_props, arm_geom),
        border("arm-tur-border", "Armenia–Türkiye border", ["ARM", "TUR"], arm_tur, arm_tur_parts,
               SHARED_NOTE + " From the Armenia–Georgia–Türkiye tripoint to the "
               "Armenia–Azerbaijan (Nakhchivan)–Türkiye tripoint."),
        border("arm-irn-border", "Armenia–Iran border", ["ARM", "IRN"], arm_irn, arm_irn_parts,
               SHARED_NOTE + " Between Nakhchivan and mainland Azerbaijan (along the Araz)."),
    ]

    # ---- Nakhchivan
    nakh_geom = orient_geom(round_geom(nakh))
    assert nakh_geom.is_valid
    check_orientation(nakh_geom)
    nk_arm, nk_arm_parts = shared_boundary(aze, arm, restrict=nakh)
    nk_irn, nk_irn_parts = shared_boundary(aze, irn, restrict=nakh)
    nk_tur, nk_tur_parts = shared_boundary(aze, tur, restrict=nakh)
    outline = km(nakh.exterior)
    covered = km(nk_arm) + km(nk_irn) + km(nk_tur)
    assert abs(outline - covered) < 0.05, f"Nakhchivan outline {outline} vs borders {covered}"
    nk_note = ("Nakhchivan Autonomous Republic (Azerbaijan). Natural Earth 1:10m has no separate "
               "admin-0 feature for it: Azerbaijan is a MultiPolygon, and this is the part that "
               "contains Nakhchivan city. It borders Armenia, Iran and Türkiye only; its outline "
               "is exactly the three border lines in this file.")
    nakhchivan = [
        ({"id": "nakhchivan", "name": "Nakhchivan (territory)", "kind": "territory",
          "iso_a3": "AZE", "area_km2": round(km2(nakh_geom), 1), "note": nk_note,
          "source": f"{NE_ADMIN0}, part of the Azerbaijan feature "
                    f"(data/basemap/countries.geojson); {NE_CREDIT}"}, nakh_geom),
        border("nakhchivan-arm-border", "Nakhchivan–Armenia border", ["AZE", "ARM"], nk_arm,
               nk_arm_parts, SHARED_NOTE + " Only the part on Nakhchivan's outline; the same line "
               "is one of the parts of arm-aze-border (borders.geojson). " + NE_CAVEAT),
        border("nakhchivan-irn-border", "Nakhchivan–Iran border", ["AZE", "IRN"], nk_irn,
               nk_irn_parts, SHARED_NOTE + " Only the part on Nakhchivan's outline (the Araz), "
               "not mainland Azerbaijan's border with Iran."),
        border("nakhchivan-tur-border", "Nakhchivan–Türkiye border", ["AZE", "TUR"], nk_tur,
               nk_tur_parts, SHARED_NOTE + " Azerbaijan's only border with Türkiye."),
    ]
    write_fc(a.data / "zones" / "armenia.geojson", armenia)
    write_fc(a.data / "zones" / "nakhchivan.geojson", nakhchivan)
    if a.report:
        rep = {p["id"]: {k: p[k] for k in ("area_km2", "length_km", "parts_km", "parts") if k in p}
               for p, _ in armenia + nakhchivan}
        rep["_checks"] = {"nakhchivan_outline_km": round(outline, 2),
                          "sum_of_its_borders_km": round(covered, 2),
                          "aze_parts": len(aze.geoms),
                          "aze_tur_total_km": round(km(aze.boundary.intersection(tur.boundary)), 2),
                          "aze_irn_total_km": round(km(aze.boundary.intersection(irn.boundary)), 2)}
        print(json.dumps(rep, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
