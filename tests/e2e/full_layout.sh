# A map edge to edge on an exact projected box (layout: full, extent:
# {projected: ...}), with enough incidents for the stamped fast path: the
# world file names exactly that box, the corners are the map's background
# (no title block, frame line or credit), a lone incident among 6000 lands
# where PROJ puts it, and reruns give the same bytes (the PNG is deflated
# on two threads).
source "$(dirname "$0")/lib.sh"

crs="+proj=lcc +lat_1=33 +lat_2=37 +lat_0=34.5 +lon_0=39 +datum=WGS84 +units=m +no_defs"
# 5999 incidents in the west of the frame, one alone in the east
awk 'BEGIN {
    print "date,type,lat,lon"
    for (i = 0; i < 5999; i++)
        printf "2024-01-%02d,air strike,%.5f,%.5f\n", 1 + i % 28, 32 + (i % 61) * 0.07, 35.5 + int(i / 61) * 0.02
    print "2024-02-01,air strike,34.70,42.10"
}' >"$WORK/incidents.csv"
cat >"$WORK/map.yaml" <<YAML
size: 400x300
layout: full
projection: "$crs"
extent: {projected: [-456000, -338000, 456000, 346000]}
background: "#aad3df"
basemap: none
incidents: {source: incidents.csv, labels: false, size: 6, symbol: {shape: circle}}
theme: {palette: ["#e31a1c"], other: "#e31a1c", symbol_line: "#330000"}
legend: none
$NO_FURNITURE
YAML

render full render "$WORK/map.yaml" -o "$WORK/full.png" --world-file
[ "$(probe png-info "$WORK/full.png")" = "400 300 96" ] || fail "full.png is $(probe png-info "$WORK/full.png")"
# 912 km across 400 px: 2280 m a pixel; the world file names the centre of
# the top-left pixel, half a pixel inside the box's corner
mapfile -t wf <"$WORK/full.pgw"
assert_near "${wf[0]}" 2280 1e-6 "full.pgw pixel width (m)"
assert_near "${wf[3]}" -2280 1e-6 "full.pgw pixel height (m)"
assert_near "${wf[4]}" "$(calc "-456000 + 1140")" 1e-4 "full.pgw x of the top-left pixel centre"
assert_near "${wf[5]}" "$(calc "346000 - 1140")" 1e-4 "full.pgw y of the top-left pixel centre"
# nothing but the map: the corners are its background
for xy in "0 0" "399 0" "0 299" "399 299"; do
    # shellcheck disable=SC2086
    assert_color "$(probe pixel "$WORK/full.png" $xy)" "170 211 223" 0 "background at pixel ($xy)"
done
# the lone incident, stamped where PROJ and the world file put it
read -r ex ey <<<"$(geo2px "$crs" "$WORK/full.pgw" 42.10 34.70)"
read -r cx cy n <<<"$(probe centroid "$WORK/full.png" 227 26 28 40 \
    "$(calc "$ex - 12")" "$(calc "$ey - 12")" "$(calc "$ex + 12")" "$(calc "$ey + 12")")"
[ "$n" -ge 10 ] || fail "only $n red pixels near the lone incident at ($ex, $ey)"
assert_near "$cx" "$ex" 0.35 "lone incident x (px)"
assert_near "$cy" "$ey" 0.35 "lone incident y (px)"
# the crowd is drawn too: red far from the lone one
read -r _ _ all <<<"$(probe centroid "$WORK/full.png" 227 26 28 40)"
[ "$all" -gt $((n * 100)) ] || fail "only $all red pixels in all: the 5999 others are missing"

render again render "$WORK/map.yaml" -o "$WORK/again.png"
cmp -s "$WORK/full.png" "$WORK/again.png" || fail "two runs of the same map gave different PNG bytes"

note "all passed"
