#!/usr/bin/env python3
"""Consistency checks for the incimap seed data (geodata/data) and the
hand-made places layer source (geodata/src/places.csv).

Run from anywhere:  python3 geodata/src/check_seed_data.py
Exit status 0 when every check passes, 1 otherwise.  Standard library only.

What it checks:
  * every CSV is UTF-8, RFC 4180 (CRLF line ends), has the agreed header;
  * seed-incidents.csv field rules (ISO dates, type and actor vocabularies,
    title <= 40 characters, one-line text, 4-decimal coordinates, integer or
    empty fatalities, unique ids);
  * seed-incidents.geojson is an RFC 7946 FeatureCollection of Points that
    agrees exactly with the CSV (same ids in the same order, [lon, lat],
    every other column as a property, fatalities as number or null);
  * bases.csv, zones.geojson, lines.geojson and places.csv basic rules.
"""
import csv
import datetime
import io
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)                      # .../geodata
DATA = os.path.join(ROOT, "data")

INCIDENT_HEADER = ["id", "date", "type", "actor", "target", "lat", "lon",
                   "precision", "title", "description", "source", "fatalities"]
BASES_HEADER = ["name", "operator", "lat", "lon", "kind", "precision", "sources"]
PLACES_HEADER = ["name", "name_ar", "kind", "rank", "country", "lon", "lat",
                 "note", "sources"]
TYPES = {"air strike", "missile strike", "artillery", "ground attack",
         "explosive", "other"}
ACTORS = {"Russia", "United States", "US-led coalition",
          "Pro-government forces", "Islamic State"}
PLACE_KINDS = {"capital", "city", "town", "base", "airfield", "crossing",
               "oilfield"}
# Rough box around the mapped region (lon 33..49 E, lat 28..39 N).
LON_RANGE = (33.0, 49.0)
LAT_RANGE = (28.0, 39.0)
COORD_RE = re.compile(r"^-?\d{1,3}\.\d{4}$")
ARABIC_RE = re.compile(r"^[\u0600-\u06FF\s()\-]+$")

passed = 0
failed = 0


def check(cond, msg):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", msg)


def read_csv(path, header):
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        check(False, f"{path}: not UTF-8")
        return []
    check(not text.startswith("\ufeff"), f"{path}: has a byte-order mark")
    check(text.endswith("\r\n"), f"{path}: last record must end with CRLF")
    bare_lf = re.search(r"(?<!\r)\n", text)
    check(bare_lf is None, f"{path}: bare LF line end (RFC 4180 wants CRLF)")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    check(rows and rows[0] == header, f"{path}: header {rows[0] if rows else None} != {header}")
    out = []
    for n, row in enumerate(rows[1:], start=2):
        check(len(row) == len(header), f"{path}:{n}: {len(row)} fields, want {len(header)}")
        for v in row:
            check("\n" not in v and "\r" not in v, f"{path}:{n}: multi-line field")
        out.append(dict(zip(header, row)))
    return out


def check_coord(path, n, lat, lon):
    check(COORD_RE.match(lat) is not None, f"{path}:{n}: lat '{lat}' not 4 decimals")
    check(COORD_RE.match(lon) is not None, f"{path}:{n}: lon '{lon}' not 4 decimals")
    try:
        la, lo = float(lat), float(lon)
    except ValueError:
        check(False, f"{path}:{n}: coordinate not a number")
        return
    check(LAT_RANGE[0] <= la <= LAT_RANGE[1], f"{path}:{n}: lat {la} outside region")
    check(LON_RANGE[0] <= lo <= LON_RANGE[1], f"{path}:{n}: lon {lo} outside region")


def check_incidents():
    path = os.path.join(DATA, "seed-incidents.csv")
    rows = read_csv(path, INCIDENT_HEADER)
    check(len(rows) >= 9, f"{path}: expected at least 9 incidents, got {len(rows)}")
    ids = [r["id"] for r in rows]
    check(len(ids) == len(set(ids)), f"{path}: duplicate ids")
    for n, r in enumerate(rows, start=2):
        check(re.match(r"^[a-z0-9][a-z0-9-]*$", r["id"]) is not None, f"{path}:{n}: bad id {r['id']!r}")
        try:
            datetime.date.fromisoformat(r["date"])
            ok = re.match(r"^\d{4}-\d{2}-\d{2}$", r["date"]) is not None
        except ValueError:
            ok = False
        check(ok, f"{path}:{n}: bad date {r['date']!r}")
        check(r["type"] in TYPES, f"{path}:{n}: type {r['type']!r} not allowed")
        check(r["actor"] in ACTORS, f"{path}:{n}: actor {r['actor']!r} not in vocabulary")
        check(0 < len(r["title"]) <= 40, f"{path}:{n}: title length {len(r['title'])}")
        for k in ("target", "precision", "description", "source"):
            check(r[k].strip() != "", f"{path}:{n}: empty {k}")
        check(r["fatalities"] == "" or re.match(r"^\d+$", r["fatalities"]) is not None,
              f"{path}:{n}: fatalities {r['fatalities']!r} not integer or empty")
        check_coord(path, n, r["lat"], r["lon"])
    return rows


def check_incidents_geojson(rows):
    path = os.path.join(DATA, "seed-incidents.geojson")
    gj = json.load(open(path, encoding="utf-8"))
    check(gj.get("type") == "FeatureCollection", f"{path}: not a FeatureCollection")
    check("crs" not in gj, f"{path}: RFC 7946 has no crs member")
    feats = gj.get("features", [])
    check(len(feats) == len(rows), f"{path}: {len(feats)} features vs {len(rows)} CSV rows")
    for f, r in zip(feats, rows):
        tag = f"{path}: feature {r['id']}"
        check(f.get("type") == "Feature", f"{tag}: not a Feature")
        g = f.get("geometry") or {}
        check(g.get("type") == "Point", f"{tag}: geometry is not a Point")
        check(g.get("coordinates") == [float(r["lon"]), float(r["lat"])],
              f"{tag}: coordinates {g.get('coordinates')} != [lon, lat] from CSV")
        check(f.get("id") in (None, r["id"]), f"{tag}: feature id differs from CSV id")
        props = f.get("properties") or {}
        want = {k: r[k] for k in INCIDENT_HEADER if k not in ("lat", "lon")}
        want["fatalities"] = int(r["fatalities"]) if r["fatalities"] != "" else None
        check(props == want, f"{tag}: properties differ from CSV: {props} vs {want}")
        fat = props.get("fatalities")
        check(fat is None or (isinstance(fat, int) and not isinstance(fat, bool)),
              f"{tag}: fatalities must be a number or null")


def check_bases():
    path = os.path.join(DATA, "bases.csv")
    rows = read_csv(path, BASES_HEADER)
    check(len(rows) >= 5, f"{path}: expected at least 5 bases")
    for n, r in enumerate(rows, start=2):
        check_coord(path, n, r["lat"], r["lon"])
        for k in ("name", "operator", "kind", "precision", "sources"):
            check(r[k].strip() != "", f"{path}:{n}: empty {k}")
    return rows


def check_zones(bases):
    path = os.path.join(DATA, "zones.geojson")
    gj = json.load(open(path, encoding="utf-8"))
    check(gj.get("type") == "FeatureCollection", f"{path}: not a FeatureCollection")
    feats = gj.get("features", [])
    zone = [f for f in feats if (f.get("properties") or {}).get("name") == "At-Tanf deconfliction zone"]
    check(len(zone) == 1, f"{path}: At-Tanf deconfliction zone feature missing")
    if zone:
        z = zone[0]
        check(z["geometry"]["type"] == "Point", f"{path}: zone centre must be a Point")
        check(z["properties"].get("radius_km") == 55, f"{path}: radius_km must be 55")
        tanf = [b for b in bases if b["name"] == "At-Tanf garrison"]
        if tanf:
            check(z["geometry"]["coordinates"] == [float(tanf[0]["lon"]), float(tanf[0]["lat"])],
                  f"{path}: zone centre differs from the At-Tanf garrison in bases.csv")


def check_lines():
    path = os.path.join(DATA, "lines.geojson")
    gj = json.load(open(path, encoding="utf-8"))
    check(gj.get("type") == "FeatureCollection", f"{path}: not a FeatureCollection")
    feats = [f for f in gj.get("features", [])
             if (f.get("properties") or {}).get("name") == "Euphrates deconfliction line"]
    check(len(feats) == 1, f"{path}: Euphrates deconfliction line missing")
    if feats:
        f = feats[0]
        coords = f["geometry"]["coordinates"]
        check(f["geometry"]["type"] == "LineString", f"{path}: not a LineString")
        check(25 <= len(coords) <= 40, f"{path}: {len(coords)} vertices, want 25-40")
        check(bool(f["properties"].get("note")), f"{path}: note missing")
        for lon, lat in coords:
            check(38.0 <= lon <= 41.2 and 34.3 <= lat <= 36.1, f"{path}: vertex {lon},{lat} off course")
        check(coords[0][0] < coords[-1][0], f"{path}: line should run downstream (west to east)")


def check_places(bases):
    path = os.path.join(HERE, "places.csv")
    rows = read_csv(path, PLACES_HEADER)
    check(60 <= len(rows) <= 100, f"{path}: {len(rows)} places, want 60-100")
    names = [r["name"] for r in rows]
    check(len(names) == len(set(names)), f"{path}: duplicate names")
    for n, r in enumerate(rows, start=2):
        check(r["kind"] in PLACE_KINDS, f"{path}:{n}: kind {r['kind']!r}")
        check(r["rank"] in ("1", "2", "3", "4"), f"{path}:{n}: rank {r['rank']!r}")
        check(r["kind"] != "capital" or r["rank"] == "1", f"{path}:{n}: capital must be rank 1")
        check(r["name_ar"] == "" or ARABIC_RE.match(r["name_ar"]) is not None,
              f"{path}:{n}: name_ar {r['name_ar']!r} is not Arabic script")
        check(r["sources"].strip() != "", f"{path}:{n}: empty sources")
        check_coord(path, n, r["lat"], r["lon"])
    # the seed sites must sit where bases.csv puts them
    byname = {r["name"]: r for r in rows}
    pairs = [("At-Tanf garrison", "At-Tanf garrison"), ("Hmeimim air base", "Hmeimim air base"),
             ("Shayrat airfield", "Shayrat airfield"), ("Deir ez-Zor airport", "Deir ez-Zor airport"),
             ("Conoco gas field", "Conoco gas field (SDF/coalition position)")]
    bmap = {b["name"]: b for b in bases}
    for pname, bname in pairs:
        p, b = byname.get(pname), bmap.get(bname)
        check(p is not None and b is not None, f"{path}: {pname} / {bname} missing")
        if p and b:
            check((p["lat"], p["lon"]) == (b["lat"], b["lon"]),
                  f"{path}: {pname} coordinates differ from bases.csv")
    check("Al-Tanf border crossing" in byname, f"{path}: Al-Tanf border crossing missing")


def main():
    rows = check_incidents()
    check_incidents_geojson(rows)
    bases = check_bases()
    check_zones(bases)
    check_lines()
    check_places(bases)
    print(f"seed data checks: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
