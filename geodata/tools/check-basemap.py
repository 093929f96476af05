#!/usr/bin/env python3
"""Sanity checks for geodata/basemap (standard library only).

  check-basemap.py [BASEMAP_DIR]             validate every .shp, print a summary
  check-basemap.py --labels LAYER.shp FIELD  print "lon lat text" of the middle
                                             vertex of every feature with FIELD set

Checks: shapefile/dbf record counts agree, all coordinates inside
[-180, 180] x [-90, 90], no ring or line edge jumps more than 180 degrees of
longitude, no ring spans more than 180 degrees, polygon rings follow the
shapefile convention (outer rings clockwise, holes counter-clockwise), DBF
header date is the pinned one.
"""

import glob
import os
import struct
import sys

PINNED_DATE = (117, 6, 15)


def read_dbf(path):
    with open(path, "rb") as f:
        data = f.read()
    nrec, hlen, rlen = struct.unpack("<IHH", data[4:12])
    fields = []
    off = 32
    while data[off] != 0x0D:
        name = data[off:off + 11].split(b"\0")[0].decode("ascii")
        ftype = chr(data[off + 11])
        flen = data[off + 16]
        fields.append((name, ftype, flen))
        off += 32
    recs = []
    for i in range(nrec):
        r = data[hlen + i * rlen:hlen + (i + 1) * rlen]
        pos = 1
        rec = {}
        for name, ftype, flen in fields:
            raw = r[pos:pos + flen].decode("utf-8", errors="replace").strip()
            pos += flen
            if ftype == "N":
                rec[name] = int(raw) if raw and raw.lstrip("-").isdigit() else (float(raw) if raw else None)
            else:
                rec[name] = raw
        recs.append(rec)
    return tuple(data[1:4]), fields, recs


def read_shp(path):
    """-> (shape type, [(parts: [[(x, y), ...], ...])])"""
    with open(path, "rb") as f:
        data = f.read()
    stype = struct.unpack("<i", data[32:36])[0]
    off = 100
    shapes = []
    while off < len(data):
        _, clen = struct.unpack(">ii", data[off:off + 8])
        rec = data[off + 8:off + 8 + clen * 2]
        off += 8 + clen * 2
        t = struct.unpack("<i", rec[:4])[0]
        if t == 0:
            shapes.append([])
        elif t == 1:
            shapes.append([[struct.unpack("<2d", rec[4:20])]])
        else:
            nparts, npts = struct.unpack("<ii", rec[36:44])
            parts = list(struct.unpack("<%di" % nparts, rec[44:44 + 4 * nparts])) + [npts]
            p0 = 44 + 4 * nparts
            xy = struct.unpack("<%dd" % (2 * npts), rec[p0:p0 + 16 * npts])
            pts = list(zip(xy[0::2], xy[1::2]))
            shapes.append([pts[parts[i]:parts[i + 1]] for i in range(nparts)])
    return stype, shapes


def area(r):
    return sum(r[i][0] * r[i + 1][1] - r[i + 1][0] * r[i][1] for i in range(len(r) - 1)) / 2


def inside(r, x, y):
    c = False
    for i in range(len(r) - 1):
        (x1, y1), (x2, y2) = r[i], r[i + 1]
        if (y1 > y) != (y2 > y) and x1 + (y - y1) * (x2 - x1) / (y2 - y1) > x:
            c = not c
    return c


def check(path):
    problems = []
    stype, shapes = read_shp(path)
    date, fields, recs = read_dbf(path[:-4] + ".dbf")
    if len(recs) != len(shapes):
        problems.append("dbf has %d records, shp %d" % (len(recs), len(shapes)))
    if date != PINNED_DATE:
        problems.append("dbf date %r is not the pinned %r" % (date, PINNED_DATE))
    npts = 0
    ext = [180, 90, -180, -90]
    holes = outers = 0
    for si, parts in enumerate(shapes):
        for p in parts:
            npts += len(p)
            for x, y in p:
                ext = [min(ext[0], x), min(ext[1], y), max(ext[2], x), max(ext[3], y)]
                if not (-180 <= x <= 180 and -90 <= y <= 90):
                    problems.append("feature %d: coordinate out of range %r" % (si, (x, y)))
                    break
            for a, b in zip(p[:-1], p[1:]):
                if abs(b[0] - a[0]) > 180:
                    problems.append("feature %d: edge jumps %.1f deg of longitude" % (si, b[0] - a[0]))
                    break
            if stype == 5:
                xs = [q[0] for q in p]
                if max(xs) - min(xs) > 180 + 1e-9 and not (min(xs) <= -180 and max(xs) >= 180):
                    problems.append("feature %d: ring spans %.1f deg" % (si, max(xs) - min(xs)))
        if stype == 5 and parts:
            # a ring is a hole if it lies inside another ring of the same record
            for i, r in enumerate(parts):
                if len(r) < 4:
                    problems.append("feature %d: ring with %d points" % (si, len(r)))
                    continue
                depth = 0
                for j, o in enumerate(parts):
                    if j == i or len(o) < 4 or abs(area(o)) <= abs(area(r)):
                        continue
                    # test vertices of r that are not vertices of o (shared or
                    # touching points are ambiguous); majority of up to 5
                    ov = set(o)
                    # ... nor on a straight cut/clip line of o (box edges,
                    # antimeridian and seam meridians)
                    vx = {a[0] for a, b in zip(o[:-1], o[1:]) if a[0] == b[0]}
                    hy = {a[1] for a, b in zip(o[:-1], o[1:]) if a[1] == b[1]}
                    pts = [q for q in r[:-1] if q not in ov and q[0] not in vx and q[1] not in hy][:5] or r[:1]
                    votes = sum(inside(o, x, y) for x, y in pts)
                    if 2 * votes > len(pts):
                        depth += 1
                hole = depth % 2 == 1
                cw = area(r) < 0
                holes += hole
                outers += not hole
                if hole == cw:
                    problems.append("feature %d ring %d: %s but %s" % (
                        si, i, "hole" if hole else "outer ring", "clockwise" if cw else "counter-clockwise"))
    kind = {1: "Point", 3: "PolyLine", 5: "Polygon"}.get(stype, str(stype))
    size = sum(os.path.getsize(path[:-4] + e) for e in (".shp", ".shx", ".dbf", ".prj", ".cpg")
               if os.path.exists(path[:-4] + e))
    extra = " outer=%d holes=%d" % (outers, holes) if stype == 5 else ""
    print("%-22s %-8s %6d features %8d points %7.2f MB  extent %.2f,%.2f .. %.2f,%.2f  fields=%s%s" % (
        path, kind, len(shapes), npts, size / 1e6, ext[0], ext[1], ext[2], ext[3],
        ",".join("%s:%s%d" % f for f in fields), extra))
    for p in problems[:10]:
        print("   PROBLEM: " + p)
    if len(problems) > 10:
        print("   ... %d problems in total" % len(problems))
    return not problems


def labels(path, field):
    _, shapes = read_shp(path)
    _, _, recs = read_dbf(path[:-4] + ".dbf")
    for parts, rec in zip(shapes, recs):
        if rec.get(field) and parts:
            p = max(parts, key=len)
            x, y = p[len(p) // 2]
            print("%.5f %.5f %s" % (x, y, rec[field]))


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "--labels":
        labels(sys.argv[2], sys.argv[3])
        return
    base = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "basemap")
    ok = True
    for path in sorted(glob.glob(os.path.join(base, "**", "*.shp"), recursive=True)):
        ok &= check(os.path.relpath(path))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
