# Between 65 and 5,000 incidents each symbol is stamped from a sprite of its
# style, in date order, instead of drawn by Cairo one by one: the symbols
# still land on their pixel (within a quarter pixel), and a hollow one (the
# place is approximate) keeps its paper-coloured middle.  At 96 and at 192
# dpi.
source "$(dirname "$0")/lib.sh"

crs=EPSG:32637
{
    echo "date,type,actor,lat,lon,geo_precision"
    # 300 others in the lower left, each on its own day
    awk 'BEGIN { for (i = 0; i < 300; i++)
        printf "2021-%02d-%02d,air strike,Filler,%.4f,%.4f,1\n", 1 + i % 12, 1 + i % 28,
               33.05 + (i % 15) * 0.02, 38.05 + int(i / 15) * 0.02 }'
    echo "2023-01-01,air strike,Alpha,33.80,39.25,1"
    echo "2023-01-02,air strike,Bravo,33.70,38.90,2"
    echo "2022-06-01,air strike,Bravo,33.60,39.40,1"
    echo "2023-01-03,air strike,Alpha,33.20,39.40,1"
} >"$WORK/incidents.csv"
cat >"$WORK/map.yaml" <<YAML
size: 900x700
projection: $crs
extent: [38.0, 33.0, 39.6, 34.0]
basemap: none
incidents: {source: incidents.csv, labels: false}
legend: none
$NO_FURNITURE
YAML

# Filler has the most incidents: vermillion; Alpha then Bravo (two each,
# by name): blue and bluish green
ALPHA="0 114 178"
BRAVO="0 158 115"

check() { # check STEM SYMBOL_PX
    local stem=$1 sym=$2 ex ey cx cy n mid
    read -r ex ey <<<"$(geo2px "$crs" "$WORK/$stem.pgw" 39.25 33.80)"
    read -r cx cy n <<<"$(probe centroid "$WORK/$stem.png" $ALPHA 40 \
        "$(calc "$ex - 2*$sym")" "$(calc "$ey - 2*$sym")" "$(calc "$ex + 2*$sym")" "$(calc "$ey + 2*$sym")")"
    [ "$n" -ge "$(calc_int "0.4 * $sym * $sym")" ] || fail "$stem: only $n pixels of Alpha's blue near ($ex, $ey)"
    assert_near "$cx" "$ex" 0.35 "$stem: Alpha's symbol x (px)"
    assert_near "$cy" "$ey" 0.35 "$stem: Alpha's symbol y (px)"
    # the hollow one: a ring of Bravo's colour round its spot, paper inside
    read -r ex ey <<<"$(geo2px "$crs" "$WORK/$stem.pgw" 38.90 33.70)"
    read -r cx cy n <<<"$(probe centroid "$WORK/$stem.png" $BRAVO 40 \
        "$(calc "$ex - 2*$sym")" "$(calc "$ey - 2*$sym")" "$(calc "$ex + 2*$sym")" "$(calc "$ey + 2*$sym")")"
    [ "$n" -ge "$(calc_int "0.3 * $sym")" ] || fail "$stem: only $n pixels of Bravo's green near ($ex, $ey)"
    assert_near "$cx" "$ex" 0.35 "$stem: Bravo's hollow symbol x (px)"
    assert_near "$cy" "$ey" 0.35 "$stem: Bravo's hollow symbol y (px)"
    mid=$(probe pixel "$WORK/$stem.png" "$(calc_int "$ex - 0.5")" "$(calc_int "$ey - 0.5")")
    read -r r g b <<<"$mid"
    [ "$r" -ge 200 ] && [ "$g" -ge 200 ] && [ "$b" -ge 200 ] ||
        fail "$stem: the hollow symbol's middle is ($mid), not the paper"
    note "ok: $stem: stamped symbols in place, the hollow one hollow"
}

render map96 render "$WORK/map.yaml" -o "$WORK/map96.png" --world-file
check map96 14
render map192 render "$WORK/map.yaml" -o "$WORK/map192.png" --world-file --set dpi=192
check map192 28
note "all passed"
