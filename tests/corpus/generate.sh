#!/usr/bin/env bash
# Writes the bad-input corpus into DIR: broken, inconsistent, huge and
# hostile inputs of every kind incimap reads, and a map file for each data
# file that names it.  Run by tests/e2e/corpus.sh; manifest lists what
# incimap must say about each.  Big inputs are made here, never kept in git.
#
#   tests/corpus/generate.sh DIR MKSHP      (MKSHP: the im_mkshp tool)
set -euo pipefail
DIR=$1
MKSHP=$2
mkdir -p "$DIR"
cd "$DIR"

# map NAME KEY SOURCE: NAME.yaml, a small map whose KEY (incidents, lines,
# zones or basemap) reads SOURCE
map() {
    {
        printf 'size: 320x240\nextent: [38, 33, 39, 34]\nlegend: none\ninset: none\n'
        case $2 in
        incidents) printf 'basemap: none\nincidents: {source: %s, labels: false}\n' "$3" ;;
        lines) printf 'basemap: none\nlines:\n  - {source: %s}\n' "$3" ;;
        zones) printf 'basemap: none\nzones:\n  - {source: %s}\n' "$3" ;;
        basemap) printf 'basemap:\n  - {source: %s, fill: "#dddddd", stroke: "#333333", label: name}\n' "$3" ;;
        esac
    } >"$1.yaml"
}

printf 'size: 320x240\nbasemap: none\nextent: [38, 33, 39, 34]\nlegend: none\n' >good.yaml

# ---- empty files of each kind
: >empty.yaml
: >empty.csv
: >empty.geojson
: >empty.json
: >empty.shp
: >empty.shx
: >empty.dbf
map empty-csv incidents empty.csv
map empty-geojson incidents empty.geojson
map empty-json lines empty.json
map empty-shp basemap empty.shp

# ---- shapefiles: written with shapelib, then broken
"$MKSHP" points pts 3 3
"$MKSHP" points many 50 50
"$MKSHP" points more 3 4          # the .dbf has one record too many
"$MKSHP" points fewer 3 2         # ... one too few
"$MKSHP" polygons polys           # null shapes, a hole, a ring left open
"$MKSHP" coord nan nan
"$MKSHP" coord huge 1e300
"$MKSHP" big big 1000000          # one ring of a million vertices
"$MKSHP" badtext u8               # bytes that are not UTF-8 ...
echo UTF-8 >u8.cpg                # ... in a layer that says it is UTF-8
"$MKSHP" badtext cpg
echo NO-SUCH-CODEPAGE >cpg.cpg    # a code page nobody knows
head -c 400 many.shp >trunc.shp   # cut inside record 10
cp many.shx trunc.shx
cp many.dbf trunc.dbf
cp pts.shp shx.shp                # an index of 50 records for 3 shapes
cp many.shx shx.shx
cp pts.dbf shx.dbf
cp pts.shp nodbf.shp              # no .dbf at all
cp pts.shx nodbf.shx
cp pts.shp emptydbf.shp           # an empty .dbf
cp pts.shx emptydbf.shx
: >emptydbf.dbf
for name in pts more fewer polys nan huge big u8 cpg trunc shx nodbf emptydbf; do
    map "shp-$name" basemap "$name.shp"
done
map shp-incidents-trunc incidents trunc.shp

# ---- CSV
{ printf 'lat,lon,date,notes\n33.5,38.5,2017-05-18,'; head -c 10485760 /dev/zero | tr '\0' x; printf '\n'; } >longline.csv
printf 'lat,lon,date\n33.5,38.5,"2017-05-18\n33.6,38.6,2017-05-19\n' >quote.csv
printf 'lat,lon,date\n33.5,38.5,2017-05-18\n33.6,38\0.6,2017-05-19\n' >nul.csv
printf 'lat,lon,date,actor\n33.5,38.5,2017-05-18,Caf\xe9 \xff\n' >latin1.csv
printf 'lat,lon,date\nnan,38.5,2017-05-18\n1e300,38.5,2017-05-19\n33.5,38.5,2017-05-20\n' >nan.csv
printf '\xff\xfel\0a\0t\0,\0l\0o\0n\0\n\0' >utf16.csv
for name in longline quote nul latin1 nan utf16; do
    map "csv-$name" incidents "$name.csv"
done

# ---- JSON
{ printf '{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":'
  head -c 100000 /dev/zero | tr '\0' '['; head -c 100000 /dev/zero | tr '\0' ']'; printf '}}\n'; } >deep.geojson
{ printf '{"type":"Feature","geometry":null,"properties":'
  for _ in $(seq 1 1000); do printf '{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":'; done
  printf '1'; head -c 10000 /dev/zero | tr '\0' '}'; printf '}\n'; } >deepobj.geojson
printf '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[38.5,33' >trunc.geojson
printf '{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1e999,33.5]}}\n' >e999.geojson
printf '{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[NaN,33.5]}}\n' >nan.geojson
printf '{"type":"Feature","properties":{"name":"Caf\xe9"},"geometry":{"type":"Point","coordinates":[38.5,33.5]}}\n' >latin1.geojson
printf '{"type":"Feature","properties":{"name":"L"},"geometry":{"type":"LineString","coordinates":[[38.1,33.1],[1e300,33.5]]}}\n' >line1e300.geojson
for name in deep deepobj trunc e999 nan latin1; do
    map "json-$name" incidents "$name.geojson"
done
map json-line1e300 lines line1e300.geojson

# ---- map files (YAML)
{
    # the classic: each level nine times the one before, 9^9 leaves in the title
    printf 'basemap: none\ncredit: &a0 "lol"\n'
    printf 'subtitle: &a1 [*a0,*a0,*a0,*a0,*a0,*a0,*a0,*a0,*a0]\n'
    printf 'legend: &a2 [*a1,*a1,*a1,*a1,*a1,*a1,*a1,*a1,*a1]\n'
    printf 'scalebar: &a3 [*a2,*a2,*a2,*a2,*a2,*a2,*a2,*a2,*a2]\n'
    printf 'north_arrow: &a4 [*a3,*a3,*a3,*a3,*a3,*a3,*a3,*a3,*a3]\n'
    printf 'graticule: &a5 [*a4,*a4,*a4,*a4,*a4,*a4,*a4,*a4,*a4]\n'
    printf 'inset: &a6 [*a5,*a5,*a5,*a5,*a5,*a5,*a5,*a5,*a5]\n'
    printf 'theme: &a7 [*a6,*a6,*a6,*a6,*a6,*a6,*a6,*a6,*a6]\n'
    printf 'labels: &a8 [*a7,*a7,*a7,*a7,*a7,*a7,*a7,*a7,*a7]\n'
    printf 'title: [*a8,*a8,*a8,*a8,*a8,*a8,*a8,*a8,*a8]\n'
} >laughs.yaml
printf 'title: A map\nsize: 320x240\n\tbasemap: none\n' >tabs.yaml
printf 'title: A map\nbasemap: none\ntitle: Another\n' >dupkey.yaml
printf 'basemap: none\nbases:\n  - {name: A, at: [38.5, 33.5], name: B}\n' >dupkey-nested.yaml
printf 'title: A map\nbasemap: none\nsubtitle: "\xff\xfe"\n' >badutf8.yaml
mkdir -p adir
map to-dir incidents adir
map to-dir-layer basemap adir
map to-devzero incidents /dev/zero
map to-devzero-layer basemap /dev/zero
map to-devzero-zones zones /dev/zero
ln -sf /dev/zero zero.csv
map to-devzero-link incidents zero.csv
map to-self incidents to-self.yaml
map to-self-layer basemap to-self-layer.yaml
map to-self-lines lines to-self-lines.yaml
cp good.yaml self.csv
map to-self-csv incidents self.csv      # a map file where a CSV should be
