#!/usr/bin/env bash
# render-check.sh - quick-look PNGs of geodata/basemap for eyeballing (needs
# gmt + ghostscript + gdal-bin).  Not part of the build.
#   geodata/tools/render-check.sh [OUTDIR]    (default /tmp/basemap-check)
# Writes syria.png (lon 35-43, lat 31-38, me layers, named rivers labelled,
# river guide points as red dots), me.png (whole me box) and world.png.
set -euo pipefail
TOOLS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
B=$(dirname "$TOOLS")/basemap
OUT=${1:-/tmp/basemap-check}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
export GMT_USERDIR=$TMP
PY=${PYTHON:-python3}

# shapefiles -> OGR/GMT text that gmt plot reads without further ado
for set in me world; do
    for l in land lakes countries borders rivers; do
        ogr2ogr -f OGR_GMT "$set-$l.gmt" "$B/$set/$l.shp"
    done
    ogr2ogr -f OGR_GMT -where "name <> ''" "$set-named.gmt" "$B/$set/rivers.shp"
    "$PY" "$TOOLS/check-basemap.py" --labels "$B/$set/rivers.shp" name > "$set-labels.txt"
done
tail -n +2 "$TOOLS/river-guides.csv" | awk -F, '{print $2, $3}' > guides.txt

plot_map() {  # plot_map name set region proj
    local name=$1 set=$2 region=$3 proj=$4
    gmt begin "$OUT/$name" png E150
        gmt basemap -R"$region" -J"$proj" -Baf -B+g200/220/255
        gmt plot "$set-land.gmt" -Gwheat
        gmt plot "$set-lakes.gmt" -G170/200/255 -W0.2p,blue
        gmt plot "$set-countries.gmt" -W0.4p,gray40,--
        gmt plot "$set-borders.gmt" -W0.8p,red
        gmt plot "$set-rivers.gmt" -W0.3p,100/150/255
        gmt plot "$set-named.gmt" -W1.2p,blue
        if [ "$set" = me ]; then gmt plot guides.txt -Sc0.06c -Gred; fi
        gmt text "$set-labels.txt" -F+f7p,Helvetica-Bold,darkblue+jLM -D0.1c/0
    gmt end
}
plot_map syria me 35/43/31/38 M16c
if [ -n "${EXTRA_REGION:-}" ]; then plot_map extra me "$EXTRA_REGION" M16c; fi
[ -n "${EXTRA_REGION:-}" ] && exit 0
plot_map me me 25/65/10/45 M20c
plot_map world world d Q0/24c
ls -la "$OUT"
