#!/usr/bin/env bash
# make-basemap.sh - regenerate the shipped base map under geodata/basemap/.
#
# Needs (Debian 12 package names):
#   apt-get install gmt gmt-dcw gmt-gshhg gmt-gshhg-full gmt-gshhg-high gdal-bin python3
# (gmt-gshhg pulls in the low/intermediate GSHHG bins; -full and -high add the
# 'f' and 'h' resolutions used for the Middle East layers.)  No network access.
#
# Usage:  geodata/tools/make-basemap.sh                (everything; ~1.5 min)
#         geodata/tools/make-basemap.sh --places-only  (just places.shp from the CSV)
# Environment: PLACES_CSV (default geodata/src/places.csv), PYTHON (python3).
#
# Pipeline: `gmt coast ... -M` multisegment dumps (GSHHG shorelines, WDBII
# borders and rivers, DCW country polygons) -> geodata/tools/gmt2geojson.py
# (chains GMT's per-bin pieces into whole rings/lines, closes polygons along
# the region box, nests lakes in land, splits rings at the antimeridian, names
# rivers from geodata/tools/river-guides.csv) -> GeoJSON -> ogr2ogr -> ESRI
# Shapefile (WGS84 .prj, UTF-8 .cpg, no spatial index).  DBF header dates are
# pinned, so the same package versions give byte-identical files.
#
# Output (see geodata/basemap/README.md for layers and fields):
#   geodata/basemap/world/{land,lakes,countries,borders,rivers}.shp
#   geodata/basemap/me/{land,lakes,countries,borders,rivers}.shp
#   geodata/basemap/places.shp          (from geodata/src/places.csv if present)
#   geodata/basemap/VERSIONS.txt        (package versions used)
set -euo pipefail
export LC_ALL=C

PLACES_ONLY=0
case "${1:-}" in
    "") ;;
    --places-only) PLACES_ONLY=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "usage: $0 [--places-only]" >&2; exit 2 ;;
esac

TOOLS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
GEODATA=$(dirname "$TOOLS")
OUT=$GEODATA/basemap
PLACES_CSV=${PLACES_CSV:-$GEODATA/src/places.csv}
PY=${PYTHON:-python3}
CONV=$TOOLS/gmt2geojson.py

# Region and resolution choices ------------------------------------------------
WORLD_R=-180/180/-90/90
WORLD_RES=${WORLD_RES:-i}            # GSHHG/WDBII resolution for world layers
WORLD_AREA=${WORLD_AREA:-100}         # km^2: drop smaller islands/lakes (world)
WORLD_RIVERS="-I0 -I1 -I2 -I3"       # double-lined, permanent major and additional rivers
WORLD_RIVER_RES=${WORLD_RIVER_RES:-l} # rivers at low resolution keep the world set small
WORLD_SIMPLIFY=${WORLD_SIMPLIFY:-0.05}   # deg, Douglas-Peucker tolerance for DCW countries
ME_R=25/65/10/45                     # lon 25..65 E, lat 10..45 N
ME_RES=${ME_RES:-f}                  # full resolution
ME_RIVERS="-Ir -Ii"                  # all permanent and intermittent rivers (classes 0-7)
ME_SIMPLIFY=${ME_SIMPLIFY:-0.0005}    # deg (~50 m): thins DCW vertices, far below its 1:1M accuracy
LAYERS="land lakes countries borders rivers"
DBF_DATE="117 6 15"                  # 2017-06-15 (GSHHG 2.3.7 release) as YY-1900 MM DD

TOOLS_NEEDED="gmt ogr2ogr $PY"
[ "$PLACES_ONLY" = 1 ] && TOOLS_NEEDED="ogr2ogr $PY"
for tool in $TOOLS_NEEDED; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "make-basemap: '$tool' not found; apt-get install gmt gmt-dcw gmt-gshhg gmt-gshhg-full gmt-gshhg-high gdal-bin python3" >&2
        exit 1
    }
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/basemap.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"                       # GMT may leave gmt.history/gmt.conf behind: keep them here
export GMT_USERDIR=$TMP/gmtuser GMT_TMPDIR=$TMP
mkdir -p "$GMT_USERDIR"
COAST=(gmt coast --GMT_HISTORY=false --FORMAT_FLOAT_OUT=%.10g --IO_SEGMENT_MARKER='>')

SECONDS=0
log() { printf '[%3ds] %s\n' "$SECONDS" "$*" >&2; }

# GeoJSON -> shapefile with a fixed DBF date
to_shp() {  # to_shp in.geojson outdir layername
    local src=$1 dir=$2 name=$3
    mkdir -p "$dir"
    rm -f "$dir/$name".{shp,shx,dbf,prj,cpg}
    ogr2ogr -f "ESRI Shapefile" -a_srs EPSG:4326 -nln "$name" \
        -lco ENCODING=UTF-8 -lco SPATIAL_INDEX=NO -lco RESIZE=YES \
        "$dir/$name.shp" "$src"
    "$PY" - "$dir/$name.dbf" $DBF_DATE <<'EOF'
import sys
path, y, m, d = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
with open(path, "r+b") as f:
    f.seek(1)
    f.write(bytes([y, m, d]))
EOF
}

make_places() {
    if [ -f "$PLACES_CSV" ]; then
        log "places from $PLACES_CSV"
        "$PY" "$CONV" places --input "$PLACES_CSV" --output "$TMP/places.geojson"
        to_shp "$TMP/places.geojson" "$TMP/stage" places
        mkdir -p "$OUT"
        rm -f "$OUT"/places.{shp,shx,dbf,prj,cpg}
        cp "$TMP/stage"/places.{shp,shx,dbf,prj,cpg} "$OUT/"
    else
        log "WARNING: $PLACES_CSV not found; places.shp not (re)generated"
    fi
}

if [ "$PLACES_ONLY" = 1 ]; then
    make_places
    exit 0
fi

"${COAST[@]}" -R$ME_R -D$ME_RES -W -M >/dev/null 2>&1 || {
    echo "make-basemap: 'gmt coast -D$ME_RES' failed; are gmt-gshhg-full/-high installed?" >&2
    exit 1
}

# DCW country dumps (one file per ISO code), shared by both sets ---------------
log "dumping DCW countries"
mkdir -p dcw
tail -n +2 "$TOOLS/countries.csv" | cut -d, -f1 |
    xargs -P "$(nproc 2>/dev/null || echo 2)" -I{} sh -c \
        'gmt coast --GMT_HISTORY=false --FORMAT_FLOAT_OUT=%.10g -E{} -M > dcw/{}.txt'

make_set() {  # make_set name region res area-opt "river opts" river-res
    local name=$1 region=$2 res=$3 area=$4 rivers=$5 rres=$6
    local stage=$TMP/stage/$name
    mkdir -p "$stage" "$TMP/$name"
    log "$name: shorelines (-D$res $area)"
    "${COAST[@]}" -R$region -D$res $area -W -M > "$TMP/$name/shore.txt"
    "$PY" "$CONV" shore --box="$region" --input "$TMP/$name/shore.txt" \
        --land "$TMP/$name/land.geojson" --lakes "$TMP/$name/lakes.geojson"
    log "$name: borders"
    "${COAST[@]}" -R$region -D$res -N1 -M > "$TMP/$name/borders.txt"
    "$PY" "$CONV" lines --input "$TMP/$name/borders.txt" --output "$TMP/$name/borders.geojson"
    log "$name: rivers (-D$rres $rivers)"
    # shellcheck disable=SC2086
    "${COAST[@]}" -R$region -D$rres $rivers -M > "$TMP/$name/rivers.txt"
    "$PY" "$CONV" rivers --input "$TMP/$name/rivers.txt" --output "$TMP/$name/rivers.geojson" \
        --guides "$TOOLS/river-guides.csv"
    log "$name: shapefiles"
    for layer in $LAYERS; do
        to_shp "$TMP/$name/$layer.geojson" "$stage" "$layer"
    done
}

mkdir -p "$TMP/world" "$TMP/me"
log "countries (world simplified at $WORLD_SIMPLIFY deg, me clipped, thinned at $ME_SIMPLIFY deg)"
"$PY" "$CONV" countries --table "$TOOLS/countries.csv" --dumpdir "$TMP/dcw" \
    --output "$TMP/world/countries.geojson" --simplify "$WORLD_SIMPLIFY" \
    --clip="$ME_R" --clip-output "$TMP/me/countries.geojson" --clip-simplify "$ME_SIMPLIFY"

make_set world "$WORLD_R" "$WORLD_RES" "-A$WORLD_AREA" "$WORLD_RIVERS" "$WORLD_RIVER_RES"
make_set me "$ME_R" "$ME_RES" "" "$ME_RIVERS" "$ME_RES"


{
    echo "# Debian packages that generated this base map (geodata/tools/make-basemap.sh)"
    for p in gmt gmt-dcw gmt-gshhg-full gmt-gshhg-high gmt-gshhg-low gdal-bin; do
        printf '%s %s\n' "$p" "$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || echo unknown)"
    done
} > "$TMP/stage/VERSIONS.txt"

# install: replace only the files this script owns
mkdir -p "$OUT"
for set in world me; do
    mkdir -p "$OUT/$set"
    for layer in $LAYERS; do
        rm -f "$OUT/$set/$layer".{shp,shx,dbf,prj,cpg}
        cp "$TMP/stage/$set/$layer".{shp,shx,dbf,prj,cpg} "$OUT/$set/"
    done
done
cp "$TMP/stage/VERSIONS.txt" "$OUT/VERSIONS.txt"
make_places
log "done: $(du -sh "$OUT" | cut -f1) in ${OUT#"$GEODATA"/}"
