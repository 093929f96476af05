#!/usr/bin/env python3
"""Convert GMT `gmt coast -M` multisegment dumps into GeoJSON layers for the
incimap base map.  Used by make-basemap.sh; standard library only.

Sub-commands (see make-basemap.sh for the exact calls):

  shore      GSHHG shoreline dump (`gmt coast -W -M`) -> land + lakes polygons
             (+ optional coastline lines without any box edges)
  lines      GSHHG border dump (`gmt coast -N1 -M`) -> chained border lines
  rivers     WDBII river dump (`gmt coast -I.. -M`) -> chained, named rivers
  countries  DCW dumps (`gmt coast -EXX -M`, one file per code) -> polygons
  places     geodata/src/places.csv -> points

Geometry conventions of the GeoJSON written here: longitudes in [-180, 180],
no ring spans more than 180 degrees of longitude (rings crossing the
antimeridian are split at +-180), polygon exterior rings counter-clockwise and
holes clockwise (RFC 7946; ogr2ogr's shapefile writer rewinds them to the
shapefile convention), coordinates rounded to 1e-5 degree.  Output order is
fully determined by the input, so the same dumps give byte-identical files.
"""

import argparse
import collections
import csv
import heapq
import json
import math
import sys

PREC = 5          # decimals kept in the output (1e-5 deg ~ 1 m)
KEY = 1e6         # endpoint matching grid (GMT prints ~1e-10; bins share points)
EPS = 1e-9


def warn(msg):
    print("gmt2geojson: " + msg, file=sys.stderr)


# ----------------------------------------------------------------------------
# reading GMT multisegment files

def parse_dump(path):
    """Return [(header, [(x, y), ...]), ...] from a GMT -M dump."""
    segs = []
    cur = None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith(">"):
                cur = (line[1:].strip(), [])
                segs.append(cur)
            elif line.strip() and not line.startswith("#"):
                if cur is None:
                    cur = ("", [])
                    segs.append(cur)
                parts = line.split()
                cur[1].append((float(parts[0]), float(parts[1])))
    return [s for s in segs if len(s[1]) >= 2]


def split_dateline(segs):
    """Split line pieces where consecutive points jump across the antimeridian
    (GMT writes e.g. 180 -> -179.8), inserting the crossing point at +-180."""
    out = []
    for h, pts in segs:
        cur = [pts[0]]
        for p in pts[1:]:
            q = cur[-1]
            if abs(p[0] - q[0]) > 180:
                east = q[0] > 0                       # crossing eastwards from +180 to -180
                x1 = q[0]
                x2 = p[0] + (360 if east else -360)
                edge = 180.0 if east else -180.0
                t = 0.0 if x2 == x1 else (edge - x1) / (x2 - x1)
                y = q[1] + t * (p[1] - q[1])
                if cur[-1] != (edge, y):
                    cur.append((edge, y))
                if len(cur) >= 2:
                    out.append((h, cur))
                cur = [(-edge, y)]
            if p != cur[-1]:
                cur.append(p)
        if len(cur) >= 2:
            out.append((h, cur))
    return out


def header_level(header):
    """'Shore Bin # 727, Level 2' -> 2."""
    if "Level" not in header:
        return 0
    return int(header.rsplit("Level", 1)[1].split()[0])


def key(p):
    return (round(p[0] * KEY), round(p[1] * KEY))


# ----------------------------------------------------------------------------
# small geometry helpers (plane lon/lat)

def signed_area(ring):
    a = 0.0
    for i in range(len(ring) - 1):
        x1, y1 = ring[i]
        x2, y2 = ring[i + 1]
        a += x1 * y2 - x2 * y1
    return a / 2.0


def bbox(pts):
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    return (min(xs), min(ys), max(xs), max(ys))


class RingIndex:
    """Point-in-ring test with edges bucketed in latitude bands."""

    def __init__(self, ring, band=0.25):
        self.band = band
        self.buckets = collections.defaultdict(list)
        for i in range(len(ring) - 1):
            x1, y1 = ring[i]
            x2, y2 = ring[i + 1]
            if y1 == y2:
                continue
            lo, hi = (y1, y2) if y1 < y2 else (y2, y1)
            for b in range(int(math.floor(lo / band)), int(math.floor(hi / band)) + 1):
                self.buckets[b].append((x1, y1, x2, y2))

    def contains(self, x, y):
        inside = False
        for (x1, y1, x2, y2) in self.buckets.get(int(math.floor(y / self.band)), ()):
            if (y1 > y) != (y2 > y):
                xc = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
                if xc > x:
                    inside = not inside
        return inside


def point_in_ring(ring, x, y):
    inside = False
    for i in range(len(ring) - 1):
        x1, y1 = ring[i]
        x2, y2 = ring[i + 1]
        if (y1 > y) != (y2 > y):
            if x1 + (y - y1) * (x2 - x1) / (y2 - y1) > x:
                inside = not inside
    return inside


def round_ring(ring, closed=True):
    """Round to PREC decimals, drop repeated points; None if degenerate."""
    out = []
    for x, y in ring:
        p = (round(x, PREC), round(y, PREC))
        if p[0] == -0.0:
            p = (0.0, p[1])
        if p[1] == -0.0:
            p = (p[0], 0.0)
        if not out or out[-1] != p:
            out.append(p)
    if closed:
        if out[0] != out[-1]:
            out.append(out[0])
        if len(out) < 4 or len(set(out)) < 3:
            return None
    elif len(out) < 2:
        return None
    return out


def fmt_num(v):
    s = ("%.*f" % (PREC, v)).rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def coords_json(pts):
    return "[" + ",".join("[%s,%s]" % (fmt_num(x), fmt_num(y)) for x, y in pts) + "]"


def write_geojson(path, features):
    """features: [(geomtype, coords-json-string, properties-dict)]"""
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write('{"type":"FeatureCollection","features":[\n')
        for i, (gtype, cjson, props) in enumerate(features):
            f.write('{"type":"Feature","properties":%s,"geometry":{"type":"%s","coordinates":%s}}%s\n'
                    % (json.dumps(props, ensure_ascii=False, sort_keys=False), gtype, cjson,
                       "," if i + 1 < len(features) else ""))
        f.write("]}\n")


def polygon_json(outer, holes):
    return "[" + ",".join(coords_json(r) for r in [outer] + holes) + "]"


def multipolygon_json(polys):
    return "[" + ",".join(polygon_json(o, h) for o, h in polys) + "]"


# ----------------------------------------------------------------------------
# closing open chains along a rectangle / clipping rings to a rectangle

class Box:
    def __init__(self, x0, x1, y0, y1):
        self.x0, self.x1, self.y0, self.y1 = x0, x1, y0, y1
        self.w = x1 - x0
        self.h = y1 - y0
        self.per = 2 * (self.w + self.h)
        self.corners = [(self.w, (x1, y0)), (self.w + self.h, (x1, y1)),
                        (2 * self.w + self.h, (x0, y1)), (self.per, (x0, y0))]

    @classmethod
    def parse(cls, text):
        w, e, s, n = (float(v) for v in text.split("/"))
        return cls(w, e, s, n)

    def on_edge(self, p, tol=1e-7):
        x, y = p
        return (abs(x - self.x0) <= tol or abs(x - self.x1) <= tol or
                abs(y - self.y0) <= tol or abs(y - self.y1) <= tol)

    def inside(self, p):
        return self.x0 <= p[0] <= self.x1 and self.y0 <= p[1] <= self.y1

    def s(self, p, tol=1e-7):
        """Counter-clockwise perimeter coordinate of a boundary point."""
        x, y = p
        if abs(y - self.y0) <= tol:
            return min(max(x - self.x0, 0.0), self.w)
        if abs(x - self.x1) <= tol:
            return self.w + min(max(y - self.y0, 0.0), self.h)
        if abs(y - self.y1) <= tol:
            return self.w + self.h + min(max(self.x1 - x, 0.0), self.w)
        if abs(x - self.x0) <= tol:
            return 2 * self.w + self.h + min(max(self.y1 - y, 0.0), self.h)
        raise ValueError("point %r not on box edge" % (p,))

    def ring(self):
        return [(self.x0, self.y0), (self.x1, self.y0), (self.x1, self.y1),
                (self.x0, self.y1), (self.x0, self.y0)]


def snap_to_box(p, box):
    """Move an end point that is a hair off the box edge onto the edge."""
    x, y = p
    d = [(abs(x - box.x0), 0), (abs(x - box.x1), 1), (abs(y - box.y0), 2), (abs(y - box.y1), 3)]
    d.sort()
    side = d[0][1]
    if side == 0:
        x = box.x0
    elif side == 1:
        x = box.x1
    elif side == 2:
        y = box.y0
    else:
        y = box.y1
    return (min(max(x, box.x0), box.x1), min(max(y, box.y0), box.y1))


def close_chains(chains, box):
    """Close open chains (interior on the left, both ends on the box edge)
    into rings by walking the box boundary counter-clockwise from each exit to
    the next entry."""
    if not chains:
        return []
    chains = [list(c) for c in chains]
    for c in chains:
        if not box.on_edge(c[0], 1e-6) or not box.on_edge(c[-1], 1e-6):
            warn("open chain end not on box edge: %r .. %r (snapped)" % (c[0], c[-1]))
        c[0] = snap_to_box(c[0], box) if not box.on_edge(c[0]) else c[0]
        c[-1] = snap_to_box(c[-1], box) if not box.on_edge(c[-1]) else c[-1]
    s_in = [box.s(c[0]) for c in chains]
    s_out = [box.s(c[-1]) for c in chains]
    order = sorted(range(len(chains)), key=lambda i: (s_in[i], i))
    used = [False] * len(chains)
    rings = []
    for first in range(len(chains)):
        if used[first]:
            continue
        ring = []
        cur = first
        guard = 0
        while True:
            guard += 1
            if guard > len(chains) + 5:
                warn("close_chains: runaway ring, dropped")
                ring = None
                break
            used[cur] = True
            pts = chains[cur]
            if ring and ring[-1] == pts[0]:
                ring.extend(pts[1:])
            else:
                ring.extend(pts)
            se = s_out[cur]
            best, bestd = None, None
            for j in order:
                if used[j] and j != first:
                    continue
                d = (s_in[j] - se) % box.per
                if bestd is None or d < bestd - 1e-12:
                    best, bestd = j, d
            if best is None:
                break
            for sc, cp in sorted(box.corners, key=lambda c: (c[0] - se) % box.per):
                dc = (sc - se) % box.per
                if 0 < dc < bestd:
                    ring.append(cp)
            if best == first:
                break
            cur = best
        if ring is None:
            continue
        if ring[0] != ring[-1]:
            ring.append(ring[0])
        rings.append(ring)
    return rings


def clip_edge(a, b, box):
    """Liang-Barsky: parameter interval of segment a-b inside box or None."""
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in ((-dx, a[0] - box.x0), (dx, box.x1 - a[0]),
                 (-dy, a[1] - box.y0), (dy, box.y1 - a[1])):
        if p == 0:
            if q < 0:
                return None
        else:
            r = q / p
            if p < 0:
                if r > t1:
                    return None
                if r > t0:
                    t0 = r
            else:
                if r < t0:
                    return None
                if r < t1:
                    t1 = r
    return t0, t1


def ring_pieces(ring, box):
    """Split a closed ring that is partly outside the box into the open
    pieces inside the box (pieces lying entirely on the box edge dropped)."""
    n = len(ring) - 1
    start = None
    for i in range(n):
        x, y = ring[i]
        if x < box.x0 or x > box.x1 or y < box.y0 or y > box.y1:
            start = i
            break
    pts = ring[start:n] + ring[:start + 1]
    pieces = []
    cur = None
    for i in range(len(pts) - 1):
        a, b = pts[i], pts[i + 1]
        r = clip_edge(a, b, box)
        if r is None:
            if cur is not None:
                pieces.append(cur)
                cur = None
            continue
        t0, t1 = r
        pa = a if t0 == 0.0 else (a[0] + t0 * (b[0] - a[0]), a[1] + t0 * (b[1] - a[1]))
        pb = b if t1 == 1.0 else (a[0] + t1 * (b[0] - a[0]), a[1] + t1 * (b[1] - a[1]))
        if t0 > 0.0 or cur is None:
            if cur is not None:
                pieces.append(cur)
            cur = [pa]
        if pb != cur[-1]:
            cur.append(pb)
        if t1 < 1.0:
            pieces.append(cur)
            cur = None
    if cur is not None:
        pieces.append(cur)
    out = []
    for p in pieces:
        if len(p) < 2:
            continue
        if all(box.on_edge(q) for q in p):
            continue
        p[0] = snap_to_box(p[0], box)
        p[-1] = snap_to_box(p[-1], box)
        out.append(p)
    return out


def clip_rings(rings, box):
    """Clip rings (interior on the left) to box; returns closed rings."""
    keep, chains = [], []
    for r in rings:
        bb = bbox(r)
        if bb[2] < box.x0 or bb[0] > box.x1 or bb[3] < box.y0 or bb[1] > box.y1:
            continue
        if box.x0 <= bb[0] and bb[2] <= box.x1 and box.y0 <= bb[1] and bb[3] <= box.y1:
            keep.append(r)
            continue
        chains.extend(ring_pieces(r, box))
    out = close_chains(chains, box) + keep
    if not chains:
        # no ring crosses the box edge, so the edge is wholly inside or
        # wholly outside the polygon: test the corners and edge midpoints
        # (majority, as a test point may lie on a ring)
        xm, ym = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
        votes = 0
        tests = [(box.x0, box.y0), (box.x1, box.y0), (box.x1, box.y1), (box.x0, box.y1),
                 (xm, box.y0), (box.x1, ym), (xm, box.y1), (box.x0, ym)]
        for tx, ty in tests:
            inside = False
            for r in rings:
                if point_in_ring(r, tx, ty):
                    inside = not inside
            votes += inside
        if 2 * votes > len(tests):
            out.append(box.ring())
    return out


def assemble_polygons(rings, min_area=0.0, box=None, label="holes"):
    """rings with interior on the left -> [(outer CCW, [holes CW])]"""
    outers, holes = [], []
    for r in rings:
        a = signed_area(r)
        if abs(a) <= min_area or len(r) < 4:
            continue
        (outers if a > 0 else holes).append(r)
    orphans = []
    polys = nest(outers, [list(reversed(h)) for h in holes], label, box, orphans)
    # a "hole" that lies in no outer ring is an outer ring written backwards
    polys.extend((o, []) for o in orphans)
    return drop_covered(polys, box)


def drop_covered(polys, box=None):
    """Drop polygons lying inside another polygon's filled area (island specks
    that simplification moved onto the mainland): a shapefile reader would
    take them for holes."""
    if len(polys) < 2:
        return polys
    boxes = [bbox(o) for o, _ in polys]
    order = sorted(range(len(polys)), key=lambda i: -abs(signed_area(polys[i][0])))
    idx = {}
    keep = []
    for i in order:
        ring = polys[i][0]
        bi = boxes[i]
        covered = False
        for j in keep:
            b = boxes[j]
            if bi[2] < b[0] or bi[0] > b[2] or bi[3] < b[1] or bi[1] > b[3]:
                continue
            if j not in idx:
                idx[j] = (RingIndex(polys[j][0]), set(polys[j][0]))
            rix, verts = idx[j]
            # overlapping: some own vertex (not shared, not on the clip box
            # edge) lies in the filled area of a larger polygon
            mids = [((p[0] + q[0]) / 2, (p[1] + q[1]) / 2) for p, q in zip(ring[:-1], ring[1:])]
            for q in ring[:-1] + mids:
                if q in verts or (box is not None and box.on_edge(q)):
                    continue
                if b[0] <= q[0] <= b[2] and b[1] <= q[1] <= b[3] and rix.contains(q[0], q[1]) \
                        and not any(point_in_ring(h, q[0], q[1]) for h in polys[j][1]):
                    covered = True
                    break
            if covered:
                break
        if not covered:
            keep.append(i)
    return [polys[i] for i in sorted(keep)]


CUT_MERIDIANS = set()    # meridians along which split_wide cut rings


def inner_point(ring, box):
    """A vertex of ring that is not on the clip box edge or a cut meridian
    (an original point, so point-in-polygon tests are not ambiguous)."""
    for q in ring:
        if (box is None or not box.on_edge(q)) and q[0] not in CUT_MERIDIANS:
            return q
    return ring[0]


def nest(parents, children, label, box=None, orphans=None):
    """Attach child rings (CCW) as holes (CW) of the parent ring that holds
    them.  parents/children: lists of CCW rings.  Returns [(outer, holes)]."""
    polys = [(p, []) for p in parents]
    pboxes = [bbox(p) for p in parents]
    # spatial hash of parent boxes on a 5 degree grid
    grid = collections.defaultdict(list)
    for i, b in enumerate(pboxes):
        for gx in range(int(math.floor(b[0] / 5)), int(math.floor(b[2] / 5)) + 1):
            for gy in range(int(math.floor(b[1] / 5)), int(math.floor(b[3] / 5)) + 1):
                grid[(gx, gy)].append(i)
    idx = {}
    lost = 0
    for c in children:
        cb = bbox(c)
        px, py = inner_point(c, box)
        near = [i for i in grid.get((int(math.floor(px / 5)), int(math.floor(py / 5))), ())
                if pboxes[i][0] <= px <= pboxes[i][2] and pboxes[i][1] <= py <= pboxes[i][3]]
        cands = [i for i in near if pboxes[i][0] <= cb[0] and cb[2] <= pboxes[i][2]
                 and pboxes[i][1] <= cb[1] and cb[3] <= pboxes[i][3]]
        parent = None
        if len(cands) == 1 and len(near) == 1:
            parent = cands[0]
        else:
            # smallest parent that holds a vertex of the child
            near.sort(key=lambda i: ((pboxes[i][2] - pboxes[i][0]) * (pboxes[i][3] - pboxes[i][1]), i))
            for i in near:
                if i not in idx:
                    idx[i] = RingIndex(parents[i])
                if idx[i].contains(px, py):
                    parent = i
                    break
            if parent is None and cands and orphans is None:
                parent = cands[0]
        if parent is None:
            lost += 1
            if orphans is not None:
                orphans.append(c)
            continue
        polys[parent][1].append(list(reversed(c)))
    if lost and orphans is None:
        warn("%s: %d rings without a parent dropped" % (label, lost))
    return polys


# ----------------------------------------------------------------------------
# GSHHG shorelines

def chain_directed(pieces):
    """Join pieces whose end equals the next one's start.  Returns
    (closed rings, open chains)."""
    by_start = collections.defaultdict(list)
    for i, p in enumerate(pieces):
        by_start[key(p[0])].append(i)
    end_keys = collections.Counter(key(p[-1]) for p in pieces)
    used = [False] * len(pieces)
    closed, opened = [], []

    def follow(i):
        out = list(pieces[i])
        used[i] = True
        k0 = key(out[0])
        while True:
            k = key(out[-1])
            if k == k0 and len(out) > 2:
                out[-1] = out[0]
                return out, True
            nxt = [j for j in by_start.get(k, ()) if not used[j]]
            if not nxt:
                return out, False
            j = nxt[0]
            used[j] = True
            out.extend(pieces[j][1:])

    # chains that start where nothing ends first, then the remaining cycles
    for i, p in enumerate(pieces):
        if not used[i] and end_keys.get(key(p[0]), 0) == 0:
            r, c = follow(i)
            (closed if c else opened).append(r)
    for i in range(len(pieces)):
        if not used[i]:
            r, c = follow(i)
            (closed if c else opened).append(r)
    return closed, opened


def split_wide(rings):
    """Cut rings spanning more than 180 degrees of longitude so that no ring
    does: rings closed along a pole (Antarctica) at the prime meridian,
    others (the Africa-Eurasia shoreline, -17.5..180) at 160 E (through
    Kamchatka and the Kolyma lowland).  Rings lying inside such a ring's
    bounding box and straddling the cut (lakes, lake islands) are cut too,
    so that nesting still works.  Returns the new list of rings."""
    cuts = []
    for r in rings:
        b = bbox(r)
        if b[2] - b[0] > 180:
            polar = b[1] <= -89.999 or b[3] >= 89.999
            m = None
            for c in ([0.0] if polar else [160.0, 0.0]):
                if b[0] < c < b[2] and c - b[0] <= 180 and b[2] - c <= 180:
                    m = c
                    break
            if m is None:
                m = float(math.floor(b[0] + 179.5))
            cuts.append((m, b))
            CUT_MERIDIANS.add(m)
    if not cuts:
        return rings
    out = []
    for r in rings:
        rb = bbox(r)
        m = None
        for cm, b in cuts:
            if rb[0] < cm < rb[2] and b[0] <= rb[0] and rb[2] <= b[2] and b[1] <= rb[1] and rb[3] <= b[3]:
                m = cm
                break
        if m is None:
            out.append(r)
            continue
        for half in (Box(-180.0, m, -90.0, 90.0), Box(m, 180.0, -90.0, 90.0)):
            out.extend(clip_rings([r], half))
    return out


def densify_poles(ring, step=10.0):
    """Add points every `step` degrees along edges that run on a pole line
    (lat +-90) so that no edge spans 180+ degrees of longitude."""
    out = [ring[0]]
    for p, q in zip(ring[:-1], ring[1:]):
        if abs(p[1]) == 90.0 and p[1] == q[1] and abs(q[0] - p[0]) > step:
            n = int(math.ceil(abs(q[0] - p[0]) / step))
            for k in range(1, n):
                out.append((p[0] + (q[0] - p[0]) * k / n, p[1]))
        out.append(q)
    return out


def cmd_shore(a):
    box = Box.parse(a.box)
    segs = parse_dump(a.input)
    bylev = collections.defaultdict(list)
    for h, pts in segs:
        bylev[header_level(h)].append(pts)
    rings = {}
    coast_feats = []
    for lev in sorted(bylev):
        closed, opened = chain_directed(bylev[lev])
        for c in closed + opened:
            rc = round_ring(c, closed=False)
            if rc:
                coast_feats.append(("LineString", coords_json(rc), {"level": lev}))
        # GSHHG keeps land on the left: make the interior of every level's
        # polygons lie on the left (reverse the water levels 2 and 4)
        if lev % 2 == 0:
            closed = [list(reversed(r)) for r in closed]
            opened = [list(reversed(r)) for r in opened]
        good = []
        for r in closed:
            ar = signed_area(r)
            if ar <= 0:
                if abs(ar) > 1e-4:
                    warn("level %d ring with wrong orientation, area %g, dropped" % (lev, ar))
                continue
            good.append(r)
        rings[lev] = good + close_chains(opened, box)
        print("  level %d: %d pieces -> %d rings (%d open chains closed on the box)"
              % (lev, len(bylev[lev]), len(rings[lev]), len(opened)), file=sys.stderr)
    # cut over-wide rings (Antarctica, Eurasia) -- all levels at once
    tagged = [(lev, r) for lev in sorted(rings) for r in rings[lev]]
    allr = [r for _, r in tagged]
    cut = split_wide(allr)
    if len(cut) != len(allr):
        lev_of = {}
        for lev, r in tagged:
            lev_of[id(r)] = lev
        # split_wide keeps untouched rings as the same objects; pieces of a
        # cut ring take the level of the ring whose bbox they fall in
        newr = collections.defaultdict(list)
        for r in cut:
            if id(r) in lev_of:
                newr[lev_of[id(r)]].append(r)
        pieces = [r for r in cut if id(r) not in lev_of]
        cutsrc = [(lev, r) for lev, r in tagged if not any(r is c for c in cut)]
        for p in pieces:
            pb = bbox(p)
            best = None
            for lev, r in cutsrc:
                rb = bbox(r)
                if rb[0] - 1e-9 <= pb[0] and pb[2] <= rb[2] + 1e-9 and rb[1] - 1e-9 <= pb[1] and pb[3] <= rb[3] + 1e-9:
                    area_rb = (rb[2] - rb[0]) * (rb[3] - rb[1])
                    if best is None or area_rb < best[0]:
                        best = (area_rb, lev)
            newr[best[1] if best else 1].append(p)
        rings = newr
    for lev in list(rings):
        out = []
        for r in rings[lev]:
            rr = round_ring(densify_poles(r))
            if rr and signed_area(rr) > 0:
                out.append(rr)
        rings[lev] = out
    land, lakes = [], []
    for lev, target in ((1, land), (2, lakes), (3, land), (4, lakes)):
        polys = nest(rings.get(lev, []), rings.get(lev + 1, []), "level %d" % (lev + 1), box)
        for outer, holes in polys:
            target.append(("Polygon", polygon_json(outer, holes), {"level": lev}))
    write_geojson(a.land, land)
    write_geojson(a.lakes, lakes)
    if a.coast:
        write_geojson(a.coast, coast_feats)
    print("  land %d, lakes %d features" % (len(land), len(lakes)), file=sys.stderr)


# ----------------------------------------------------------------------------
# line layers (borders, rivers)

def chain_undirected(runs, can_join=None):
    """runs: [(props, pts)].  Joins runs at nodes where exactly two run ends
    meet (and can_join(props_a, props_b) is true).  Deterministic."""
    ends = collections.defaultdict(list)  # node key -> [(run index, 0|1)]
    for i, (_, pts) in enumerate(runs):
        ends[key(pts[0])].append((i, 0))
        ends[key(pts[-1])].append((i, 1))

    def partner(i, side):
        k = key(runs[i][1][0] if side == 0 else runs[i][1][-1])
        lst = ends[k]
        if len(lst) != 2:
            return None
        o = lst[0] if lst[1] == (i, side) else lst[1]
        if o[0] == i:
            return None
        if can_join and not can_join(runs[i][0], runs[o[0]][0]):
            return None
        return o

    used = [False] * len(runs)
    out = []
    for i in range(len(runs)):
        if used[i]:
            continue
        # walk back to the start of the chain
        j, side = i, 0
        seen = {i}
        while True:
            o = partner(j, side)
            if o is None or o[0] in seen:
                break
            seen.add(o[0])
            j, side = o[0], 1 - o[1]
        # now j's 'side' end is the chain start; walk forward
        pts = list(runs[j][1]) if side == 0 else list(reversed(runs[j][1]))
        props = runs[j][0]
        used[j] = True
        cur, cside = j, 1 - side
        while True:
            o = partner(cur, cside)
            if o is None or used[o[0]]:
                break
            nxt = runs[o[0]][1] if o[1] == 0 else list(reversed(runs[o[0]][1]))
            pts.extend(nxt[1:])
            used[o[0]] = True
            cur, cside = o[0], 1 - o[1]
        out.append((props, pts))
    return out


def cmd_lines(a):
    segs = split_dateline(parse_dump(a.input))
    runs = [({"level": header_level(h)}, pts) for h, pts in segs]
    chained = chain_undirected(runs, lambda p, q: p == q)
    feats = []
    for props, pts in chained:
        r = round_ring(pts, closed=False)
        if r:
            feats.append(("LineString", coords_json(r), props))
    write_geojson(a.output, feats)
    print("  %d pieces -> %d lines" % (len(segs), len(feats)), file=sys.stderr)


# rivers --------------------------------------------------------------------

def read_guides(path):
    g = collections.OrderedDict()
    with open(path, encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r.get("name") and not r["name"].startswith("#")]
    for r in rows:
        g.setdefault(r["name"].strip(), []).append((float(r["order"]), float(r["lon"]), float(r["lat"])))
    return collections.OrderedDict((k, [(x, y) for _, x, y in sorted(v)]) for k, v in g.items())


KM_LAT = 110.57
KM_LON = 111.32


def cmd_rivers(a):
    segs = split_dateline(parse_dump(a.input))
    guides = read_guides(a.guides) if a.guides else {}
    corridor = a.corridor      # km searched around a guide
    d0 = a.tolerance           # km; cost grows with (d/d0)^2
    # graph over all vertices
    node_of = {}
    nodes = []
    for _, pts in segs:
        for p in pts:
            k = key(p)
            if k not in node_of:
                node_of[k] = len(nodes)
                nodes.append(p)
    pcls = [header_level(h) for h, _ in segs]
    pnodes = [[node_of[key(p)] for p in pts] for _, pts in segs]
    adj = collections.defaultdict(list)          # node -> [(nbr, piece, i)]
    for pi, ns in enumerate(pnodes):
        for i in range(len(ns) - 1):
            if ns[i] != ns[i + 1]:
                adj[ns[i]].append((ns[i + 1], pi, i))
                adj[ns[i + 1]].append((ns[i], pi, i))
    ends = set()
    for ns in pnodes:
        ends.add(ns[0])
        ends.add(ns[-1])
    dangling = {n for n in ends if len(adj[n]) <= 1}
    edge_name = {}        # (piece, i) -> river name
    named = []            # (name, class, pts) in upstream -> downstream order

    for name, g in guides.items():
        lat0 = sum(y for _, y in g) / len(g)
        cx = KM_LON * math.cos(math.radians(lat0))

        def proj(p):
            return (p[0] * cx, p[1] * KM_LAT)
        gp = [proj(p) for p in g]
        segsg = list(zip(gp[:-1], gp[1:]))

        def gdist(q):
            best = 1e30
            for (ax, ay), (bx, by) in segsg:
                dx, dy = bx - ax, by - ay
                L = dx * dx + dy * dy
                t = 0.0 if L == 0 else max(0.0, min(1.0, ((q[0] - ax) * dx + (q[1] - ay) * dy) / L))
                ex, ey = ax + t * dx - q[0], ay + t * dy - q[1]
                d = ex * ex + ey * ey
                if d < best:
                    best = d
            return math.sqrt(best)
        gb = bbox(g)
        mx = corridor / cx
        my = corridor / KM_LAT
        cand = {}
        for ni, p in enumerate(nodes):
            if gb[0] - mx <= p[0] <= gb[2] + mx and gb[1] - my <= p[1] <= gb[3] + my:
                d = gdist(proj(p))
                if d <= corridor:
                    cand[ni] = d
        if not cand:
            warn("river %s: no data near the guide" % name)
            continue
        # virtual edges across gaps (reservoirs, data breaks) from dangling ends
        cell = 0.1
        grid = collections.defaultdict(list)
        for ni in cand:
            p = nodes[ni]
            grid[(int(math.floor(p[0] / cell)), int(math.floor(p[1] / cell)))].append(ni)
        piece_of_node = {}
        for pi, ns in enumerate(pnodes):
            for n in ns:
                if n in cand and n not in piece_of_node:
                    piece_of_node[n] = pi
        vadj = collections.defaultdict(list)
        gap = a.gap
        rx = int(math.ceil(gap / cx / cell))
        ry = int(math.ceil(gap / KM_LAT / cell))
        for n in sorted(dangling):
            if n not in cand:
                continue
            p = nodes[n]
            pp = proj(p)
            own = piece_of_node.get(n)
            gx, gy = int(math.floor(p[0] / cell)), int(math.floor(p[1] / cell))
            best = {}
            for ix in range(gx - rx, gx + rx + 1):
                for iy in range(gy - ry, gy + ry + 1):
                    for m in grid.get((ix, iy), ()):
                        if m == n:
                            continue
                        pm = piece_of_node.get(m)
                        if pm == own:
                            continue
                        q = proj(nodes[m])
                        d = math.hypot(q[0] - pp[0], q[1] - pp[1])
                        if d <= gap and (pm not in best or d < best[pm][0]):
                            best[pm] = (d, m)
            for pm in sorted(best):
                d, m = best[pm]
                vadj[n].append((m, d))
                vadj[m].append((n, d))
        # long jumps between loose ends only (reservoirs such as Lake Nasser,
        # Atatuerk or Mosul lake, where WDBII has no line)
        dang = sorted(n for n in dangling if n in cand)
        for i, n in enumerate(dang):
            pn = proj(nodes[n])
            for m in dang[i + 1:]:
                if piece_of_node.get(m) == piece_of_node.get(n):
                    continue
                pm_ = proj(nodes[m])
                d = math.hypot(pm_[0] - pn[0], pm_[1] - pn[1])
                if gap < d <= a.long_gap:
                    vadj[n].append((m, d))
                    vadj[m].append((n, d))

        def nearest(pt):
            q = proj(pt)
            return min(cand, key=lambda ni: (math.hypot(proj(nodes[ni])[0] - q[0], proj(nodes[ni])[1] - q[1]), ni))
        src, dst = nearest(g[0]), nearest(g[-1])

        def pen(d):
            return 1.0 + (d / d0) ** 2
        dist = {src: 0.0}
        prev = {}
        heap = [(0.0, src)]
        while heap:
            dd, n = heapq.heappop(heap)
            if dd > dist.get(n, 1e30):
                continue
            if n == dst:
                break
            pn = proj(nodes[n])
            for m, pi, i in adj[n]:
                if m not in cand:
                    continue
                pm = proj(nodes[m])
                L = math.hypot(pm[0] - pn[0], pm[1] - pn[1])
                nd = dd + L * pen((cand[n] + cand[m]) / 2) * (4.0 if pcls[pi] >= 8 else 1.0)  # avoid canals
                if nd < dist.get(m, 1e30):
                    dist[m] = nd
                    prev[m] = (n, (pi, i))
                    heapq.heappush(heap, (nd, m))
            for m, L in vadj.get(n, ()):
                pm = proj(nodes[m])
                # a jump must stay near the guide along its whole length
                dj = max(cand[n], cand[m],
                         max(gdist((pn[0] + f * (pm[0] - pn[0]), pn[1] + f * (pm[1] - pn[1])))
                             for f in (0.25, 0.5, 0.75)))
                nd = dd + L * a.gap_factor * pen(dj)
                if nd < dist.get(m, 1e30):
                    dist[m] = nd
                    prev[m] = (n, None)
                    heapq.heappush(heap, (nd, m))
        if dst not in dist:
            warn("river %s: no path from source to mouth" % name)
            continue
        path = [dst]
        via = []
        while path[-1] != src:
            n, e = prev[path[-1]]
            via.append(e)
            path.append(n)
        path.reverse()
        via.reverse()
        # runs of real edges not yet claimed by an earlier river
        runs = []          # [class -> km, points]
        claim = set()
        cur = None
        for k, e in enumerate(via):
            ok = e is not None and e not in edge_name and e not in claim
            p, q = nodes[path[k]], nodes[path[k + 1]]
            L = math.hypot(*(u - v for u, v in zip(proj(q), proj(p))))
            if ok:
                if cur is None:
                    cur = (collections.Counter(), [p])
                cur[0][pcls[e[0]]] += L
                cur[1].append(q)
                claim.add(e)
            elif e is None and cur is not None and L <= a.join:
                cur[1].append(q)      # bridge GMT's tiny breaks at bin edges
            else:
                if cur is not None:
                    runs.append(cur)
                cur = None
        if cur is not None:
            runs.append(cur)
        # one feature per continuous run; class = the class of most of its length
        runs = [(min(cl, key=lambda c: (-cl[c], c)), pts) for cl, pts in runs]
        total = 0.0
        for c, pts in runs:
            for p, q in zip(pts[:-1], pts[1:]):
                total += math.hypot((q[0] - p[0]) * KM_LON * math.cos(math.radians((p[1] + q[1]) / 2)),
                                    (q[1] - p[1]) * KM_LAT)
        glen = sum(math.hypot(q[0] - p[0], q[1] - p[1]) for p, q in zip(gp[:-1], gp[1:]))
        if total < 0.3 * glen:
            warn("river %s: only %.0f km along a %.0f km guide found in the data; not named"
                 % (name, total, glen))
            continue
        for e in claim:
            edge_name[e] = name
        for c, pts in runs:
            named.append((name, c, pts))
        nvirt = sum(1 for e in via if e is None)
        if a.verbose:
            for k, e in enumerate(via):
                if e is None:
                    p, q = nodes[path[k]], nodes[path[k + 1]]
                    warn("  %s gap jump %.4f,%.4f -> %.4f,%.4f (%.1f km)" % (
                        name, p[0], p[1], q[0], q[1],
                        math.hypot((q[0] - p[0]) * cx, (q[1] - p[1]) * KM_LAT)))
        print("  river %-14s %4d runs, %7.1f km named, %d gap jumps" % (name, len(runs), total, nvirt),
              file=sys.stderr)

    # everything not claimed by a named river
    rest = []
    for pi, (_, pts) in enumerate(segs):
        cur = None
        for i in range(len(pts) - 1):
            if (pi, i) in edge_name or pnodes[pi][i] == pnodes[pi][i + 1]:
                if cur is not None:
                    rest.append(({"class": pcls[pi], "name": ""}, cur))
                cur = None
                continue
            if cur is None:
                cur = [pts[i]]
            cur.append(pts[i + 1])
        if cur is not None:
            rest.append(({"class": pcls[pi], "name": ""}, cur))
    rest = chain_undirected(rest, lambda p, q: p == q)
    feats = []
    for name, c, pts in named:
        r = round_ring(pts, closed=False)
        if r:
            feats.append(("LineString", coords_json(r), {"class": c, "name": name}))
    for props, pts in rest:
        r = round_ring(pts, closed=False)
        if r:
            feats.append(("LineString", coords_json(r), props))
    write_geojson(a.output, feats)
    print("  %d pieces -> %d lines (%d named)" % (len(segs), len(feats), len(named)), file=sys.stderr)


# ----------------------------------------------------------------------------
# DCW countries

def radial_thin(ring, tol):
    out = [ring[0]]
    t2 = tol * tol
    for p in ring[1:-1]:
        q = out[-1]
        if (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2 >= t2:
            out.append(p)
    out.append(ring[-1])
    return out


def dp_line(pts, tol):
    n = len(pts)
    if n < 3:
        return list(pts)
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    t2 = tol * tol
    while stack:
        i, j = stack.pop()
        if j <= i + 1:
            continue
        ax, ay = pts[i]
        bx, by = pts[j]
        dx, dy = bx - ax, by - ay
        L = dx * dx + dy * dy
        best, bi = -1.0, -1
        for k in range(i + 1, j):
            px, py = pts[k]
            if L == 0:
                d = (px - ax) ** 2 + (py - ay) ** 2
            else:
                c = (px - ax) * dy - (py - ay) * dx
                d = c * c / L
            if d > best:
                best, bi = d, k
        if best > t2:
            keep[bi] = True
            stack.append((i, bi))
            stack.append((bi, j))
    return [p for p, k in zip(pts, keep) if k]


def dp_ring(ring, tol):
    ring = radial_thin(ring, tol / 4)
    if len(ring) < 5:
        return ring
    x0, y0 = ring[0]
    far = max(range(len(ring) - 1), key=lambda k: (ring[k][0] - x0) ** 2 + (ring[k][1] - y0) ** 2)
    a = dp_line(ring[:far + 1], tol)
    b = dp_line(ring[far:], tol)
    return a + b[1:]


def unwrap(ring):
    """Make longitudes continuous (no step > 180 deg); return (ring, winding)
    where winding is the net longitude travelled (+-360 for polar rings)."""
    out = [ring[0]]
    tot = 0.0
    for x, y in ring[1:]:
        px = out[-1][0]
        d = x - px
        while d > 180:
            d -= 360
        while d < -180:
            d += 360
        tot += d
        out.append((px + d, y))
    return out, tot


def antimeridian_split(rings):
    """rings (interior on the left, continuous longitudes, possibly outside
    [-180, 180] or circling a pole) -> rings within [-180, 180]."""
    fixed = []
    for r in rings:
        r, wind = unwrap(r)
        if abs(wind) > 180:                       # ring around a pole
            r = r[:-1] if r[0] == r[-1] else r    # open path spanning 360 deg
            south = sum(y for _, y in r) / len(r) < 0
            pole = -90.0 if south else 90.0
            r = r + [(r[-1][0], pole), (r[0][0], pole), r[0]]
        fixed.append(r)
    out = []
    for shift in (-720, -360, 0, 360, 720):
        win = Box(-180.0 - shift, 180.0 - shift, -90.0, 90.0)
        sel = [r for r in fixed if bbox(r)[2] > win.x0 and bbox(r)[0] < win.x1]
        if not sel:
            continue
        if all(win.x0 <= bbox(r)[0] and bbox(r)[2] <= win.x1 for r in sel):
            clipped = sel
        else:
            clipped = clip_rings(sel, win)
        for r in clipped:
            out.append([(x + shift, y) for x, y in r])
    return out


def country_geometry(rings, tol, box, code):
    """DCW rings (outer CCW, holes CW, continuous longitudes) -> MultiPolygon
    coordinates JSON or None: simplified (tol > 0), split at the antimeridian,
    clipped to box (if given)."""
    if box is not None:
        hit = False
        for r in rings:
            b = bbox(r)
            for sh in (-360, 0, 360):
                if b[0] + sh <= box.x1 and b[2] + sh >= box.x0 and b[1] <= box.y1 and b[3] >= box.y0:
                    hit = True
        if not hit:
            return None
    if tol:
        simp = []
        for r in rings:
            s = dp_ring(r, tol)
            if len(s) < 4 or len(set(s)) < 3:
                continue
            u, wind = unwrap(s)
            if abs(wind) <= 180:
                ar = signed_area(u)
                if (ar > 0) != (signed_area(unwrap(r)[0]) > 0) or abs(ar) < (tol / 2) ** 2:
                    continue          # collapsed into a sliver or a speck
            simp.append(s)
        if not any(signed_area(unwrap(r)[0]) > 0 for r in simp):
            # keep the largest ring of a tiny country rather than nothing
            simp = [max(rings, key=lambda r: signed_area(unwrap(r)[0]))]
        rings = simp
    rings = split_wide(antimeridian_split(rings))
    if box is not None:
        rings = clip_rings(rings, box)
    rr = []
    for r in rings:
        q = round_ring(densify_poles(r))
        if q:
            rr.append(q)
    polys = assemble_polygons(rr, min_area=1e-10, box=box, label="countries " + code)
    if not polys:
        return None
    polys.sort(key=lambda p: (-abs(signed_area(p[0])), p[0][0]))
    return multipolygon_json(polys)


def cmd_countries(a):
    table = collections.OrderedDict()
    with open(a.table, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            table[row["iso2"]] = row
    targets = [(a.output, None, a.simplify, [])]
    if a.clip_output:
        targets.append((a.clip_output, Box.parse(a.clip), a.clip_simplify, []))
    for code, row in table.items():
        path = "%s/%s.txt" % (a.dumpdir, code)
        try:
            segs = parse_dump(path)
        except FileNotFoundError:
            warn("no dump for %s" % code)
            continue
        # DCW: outer rings run clockwise; holes are marked "-Ph" in the header
        # or (mostly) only by running counter-clockwise.  Enclaves are written
        # as hole + the same ring again as an outer: such pairs cancel out.
        rings = []
        for h, pts in segs:
            if pts[0] != pts[-1]:
                pts = pts + [pts[0]]
            if len(pts) < 4:
                continue
            r, wind = unwrap(pts)
            if abs(wind) > 180:
                # circles a pole (Antarctica): land on the left means
                # travelling west around the south pole, east around the north
                south = sum(y for _, y in r) / len(r) < 0
                if (wind > 0) == south:
                    pts = list(reversed(pts))
                rings.append((False, pts))
                continue
            ar = signed_area(r)
            hole = h.startswith("-Ph") or ar > 0
            if (ar > 0) == hole:
                pts = list(reversed(pts))        # outer CCW, hole CW from here on
            rings.append((hole, pts))
        sig = collections.defaultdict(list)
        for i, (hole, pts) in enumerate(rings):
            sig[frozenset(pts)].append(i)
        drop = set()
        for idxs in sig.values():
            outs = [i for i in idxs if not rings[i][0]]
            hols = [i for i in idxs if rings[i][0]]
            for o, hh in zip(outs, hols):
                drop.update((o, hh))
        rings = [pts for i, (hole, pts) in enumerate(rings) if i not in drop]
        props = {"name": row["name"], "iso2": code, "iso3": row["iso3"]}
        for target, tbox, tol, feats in targets:
            geom = country_geometry(rings, tol, tbox, code)
            if geom:
                feats.append(("MultiPolygon", geom, props))
    for target, tbox, tol, feats in targets:
        write_geojson(target, feats)
        print("  %s: %d countries" % (target, len(feats)), file=sys.stderr)


# ----------------------------------------------------------------------------
# places

def cmd_places(a):
    feats = []
    with open(a.input, encoding="utf-8-sig", newline="") as f:
        for n, row in enumerate(csv.DictReader(f), start=2):
            try:
                lon = float(row["lon"])
                lat = float(row["lat"])
            except (TypeError, ValueError, KeyError):
                warn("%s:%d: bad or missing lon/lat, row skipped" % (a.input, n))
                continue
            rank = (row.get("rank") or "").strip()
            try:
                rank = int(float(rank)) if rank else None
            except ValueError:
                warn("%s:%d: bad rank %r" % (a.input, n, rank))
                rank = None
            props = collections.OrderedDict()
            props["name"] = (row.get("name") or "").strip()
            props["name_ar"] = (row.get("name_ar") or "").strip()
            props["kind"] = (row.get("kind") or "").strip()
            props["rank"] = rank
            props["country"] = (row.get("country") or "").strip()
            feats.append(("Point", "[%s,%s]" % (fmt_num(round(lon, PREC)), fmt_num(round(lat, PREC))), props))
    write_geojson(a.output, feats)
    print("  %d places" % len(feats), file=sys.stderr)


# ----------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("shore")
    p.add_argument("--box", required=True, help="W/E/S/N used for the gmt coast -R")
    p.add_argument("--input", required=True)
    p.add_argument("--land", required=True)
    p.add_argument("--lakes", required=True)
    p.add_argument("--coast")
    p.set_defaults(func=cmd_shore)
    p = sub.add_parser("lines")
    p.add_argument("--input", required=True)
    p.add_argument("--output", required=True)
    p.set_defaults(func=cmd_lines)
    p = sub.add_parser("rivers")
    p.add_argument("--input", required=True)
    p.add_argument("--output", required=True)
    p.add_argument("--guides")
    p.add_argument("--corridor", type=float, default=40.0, help="km around a guide searched")
    p.add_argument("--tolerance", type=float, default=9.0, help="km; distance scale of the guide penalty")
    p.add_argument("--gap", type=float, default=15.0,
                   help="km; longest jump from a loose end to any river vertex")
    p.add_argument("--long-gap", type=float, default=400.0,
                   help="km; longest jump between two loose ends (reservoirs)")
    p.add_argument("--gap-factor", type=float, default=4.0)
    p.add_argument("--join", type=float, default=2.0,
                   help="km; gaps up to this size inside a named river are bridged")
    p.add_argument("--verbose", action="store_true")
    p.set_defaults(func=cmd_rivers)
    p = sub.add_parser("countries")
    p.add_argument("--table", required=True)
    p.add_argument("--dumpdir", required=True)
    p.add_argument("--output", required=True)
    p.add_argument("--simplify", type=float, default=0.0, help="Douglas-Peucker tolerance, degrees")
    p.add_argument("--clip", help="W/E/S/N of a second, clipped output")
    p.add_argument("--clip-output")
    p.add_argument("--clip-simplify", type=float, default=0.0)
    p.set_defaults(func=cmd_countries)
    p = sub.add_parser("places")
    p.add_argument("--input", required=True)
    p.add_argument("--output", required=True)
    p.set_defaults(func=cmd_places)
    a = ap.parse_args()
    a.func(a)


if __name__ == "__main__":
    main()
