# Filters and fields on a real render: the time window (--from/--to, when:
# in the map file, which the command line overrides), where: on any field
# (one of a list, a numeric range), records left out are off the map but
# counted; colour by any field; lines and zones read from GeoJSON files.
# Symbols are found by their colour at the pixel where PROJ and the world
# file put each incident.
source "$(dirname "$0")/lib.sh"

crs=EPSG:32637
cat >"$WORK/incidents.csv" <<'CSV'
date,type,actor,lat,lon,fatalities,region
2016-06-16,air strike,Alpha,33.50,38.60,4,South
2017-04-07,missile strike,Bravo,34.50,36.90,,Homs
2018-02-07,ground attack,Alpha,35.30,40.30,100,East
,air strike,Alpha,34.00,39.50,1,South
CSV
A="38.60 33.50"
B="36.90 34.50"
C="40.30 35.30"
D="39.50 34.00"

# the map, with EXTRA lines added under incidents:
write_map() { # write_map FILE [INCIDENT KEYS...] ; top-level keys come from $TOP
    local f=$1
    shift
    {
        cat <<YAML
size: 900x700
projection: $crs
extent: [36.0, 32.5, 41.0, 36.0]
basemap: none
legend: none
$NO_FURNITURE
${TOP:-}
incidents:
  source: incidents.csv
  labels: false
YAML
        for k in "$@"; do echo "  $k"; done
    } >"$f"
}

VERMILLION="213 94 0"
BLUE="0 114 178"
GREEN="0 158 115"

# pixels of colour RGB within 10 px of the incident at LON LAT
pixels_at() { # pixels_at STEM "LON LAT" "R G B"
    local stem=$1 px py n
    read -r px py <<<"$(geo2px "$crs" "$WORK/$stem.pgw" $2)"
    # shellcheck disable=SC2086
    read -r _ _ n <<<"$(probe centroid "$WORK/$stem.png" $3 40 \
        "$(calc "$px - 10")" "$(calc "$py - 10")" "$(calc "$px + 10")" "$(calc "$py + 10")")"
    echo "$n"
}
expect_symbol() { # expect_symbol STEM WHAT "LON LAT" "R G B"
    local n
    n=$(pixels_at "$1" "$3" "$4")
    [ "$n" -ge 40 ] || fail "$1: no symbol of colour ($4) for $2 (only $n pixels)"
    note "ok: $1: $2 is drawn in ($4)"
}
expect_none() { # expect_none STEM WHAT "LON LAT": neither actor colour there
    local c n
    for c in "$VERMILLION" "$BLUE" "$GREEN"; do
        n=$(pixels_at "$1" "$3" "$c")
        [ "$n" -le 2 ] || fail "$1: $2 should be left out, but $n pixels of ($c) are there"
    done
    note "ok: $1: $2 is not drawn"
}

# 1. no filter: Alpha (three rows) vermillion, Bravo blue
write_map "$WORK/all.yaml"
render all render "$WORK/all.yaml" -o "$WORK/all.png" --world-file
expect_symbol all "A" "$A" "$VERMILLION"
expect_symbol all "B" "$B" "$BLUE"
expect_symbol all "C" "$C" "$VERMILLION"
expect_symbol all "D (no date)" "$D" "$VERMILLION"

# 2. --from/--to a month and a year: only B; the undated row is out too
render window render "$WORK/all.yaml" -o "$WORK/window.png" --world-file --from 2017 --to 2017-04
expect_symbol window "B" "$B" "$VERMILLION" # the only actor left gets the first colour
expect_none window "A" "$A"
expect_none window "C" "$C"
expect_none window "D" "$D"
[ ! -s "$ERR" ] || fail "a time window is no reason for a warning: $(cat "$ERR")"
run_im window-check check --from 2017 --to 2017-04 "$WORK/all.yaml"
expect_rc 0 "check --from/--to"
assert_contains "$OUT" "4 incident records (1 on the map, 3 left out by when/where, 0 skipped)"

# 3. when: in the map file, and --from replacing its start
TOP='when: {from: 7 Feb 2018}' write_map "$WORK/when.yaml"
render when render "$WORK/when.yaml" -o "$WORK/when.png" --world-file
expect_symbol when "C" "$C" "$VERMILLION"
expect_none when "A" "$A"
expect_none when "B" "$B"
render when-from render "$WORK/when.yaml" -o "$WORK/when-from.png" --world-file --from 16/06/2016
expect_symbol when-from "A" "$A" "$VERMILLION"
expect_symbol when-from "B" "$B" "$BLUE"
expect_symbol when-from "C" "$C" "$VERMILLION"
expect_none when-from "D (no date)" "$D"

# 4. where: one of a list and a numeric range, on any column
write_map "$WORK/where.yaml" "where: {region: [south, North], fatalities: {min: 2}}"
render where render "$WORK/where.yaml" -o "$WORK/where.png" --world-file
expect_symbol where "A" "$A" "$VERMILLION"
expect_none where "B" "$B"
expect_none where "C" "$C"
expect_none where "D (1 fatality)" "$D"

# 5. nothing left: a warning that says why, and the map is still drawn
render empty render "$WORK/all.yaml" -o "$WORK/empty.png" --from 2030
assert_contains "$ERR" "incimap: warning: no incident is left on the map: the time window excluded all 4"
assert_nonempty "$WORK/empty.png"

# 6. bad dates on the command line and in the map file
run_im bad-from render "$WORK/all.yaml" -o "$WORK/x.png" --to 2017-02-30
expect_rc 2 "--to 2017-02-30"
assert_contains "$ERR" "incimap: --to '2017-02-30' is not a date (2017-05-18, 18 May 2017, 18/05/2017, 2017-05 or 2017)"
run_im bad-order render "$WORK/all.yaml" -o "$WORK/x.png" --from 2018 --to 2017
expect_rc 2 "--from after --to"
assert_contains "$ERR" "the time window is empty: from 2018-01-01 is after to 2017-12-31"
TOP='when: {from: someday}' write_map "$WORK/bad-when.yaml"
run_im bad-when render "$WORK/bad-when.yaml" -o "$WORK/x.png"
expect_rc 3 "when: {from: someday}"
assert_contains "$ERR" "bad-when.yaml:10:14: expected a date for when.from"
[ ! -e "$WORK/x.png" ] || fail "a failed run wrote x.png"

# 7. colour by any field: South (two) vermillion, then East and Homs (one
# each, by name) blue and bluish green
write_map "$WORK/color.yaml" "color: {by: region}"
render color render "$WORK/color.yaml" -o "$WORK/color.png" --world-file
expect_symbol color "A (South)" "$A" "$VERMILLION"
expect_symbol color "D (South)" "$D" "$VERMILLION"
expect_symbol color "C (East)" "$C" "$BLUE"
expect_symbol color "B (Homs)" "$B" "$GREEN"

# 8. lines and zones from GeoJSON files: the Euphrates line near Deir
# ez-Zor, the 55 km At-Tanf zone (a point with radius_km) at its north edge
cp "$SRC/geodata/data/lines.geojson" "$SRC/geodata/data/zones.geojson" "$WORK/"
TOP='lines: [{source: lines.geojson, stroke: "#b2182b", width: 3}]
zones: [{source: zones.geojson, stroke: "#6a3d9a", width: 3, fill: none}]' write_map "$WORK/shapes.yaml"
render shapes render "$WORK/shapes.yaml" -o "$WORK/shapes.png" --world-file
read -r px py <<<"$(geo2px "$crs" "$WORK/shapes.pgw" 40.1767 35.31)"
read -r _ _ n <<<"$(probe centroid "$WORK/shapes.png" 178 24 43 40 \
    "$(calc "$px - 6")" "$(calc "$py - 6")" "$(calc "$px + 6")" "$(calc "$py + 6")")"
[ "$n" -ge 10 ] || fail "the line from lines.geojson is not at (40.18, 35.31): $n pixels"
read -r nlon nlat <<<"$(probe geod 38.6178 33.5058 0 55000)"
read -r px py <<<"$(geo2px "$crs" "$WORK/shapes.pgw" "$nlon" "$nlat")"
read -r _ _ n <<<"$(probe centroid "$WORK/shapes.png" 106 61 154 40 \
    "$(calc "$px - 4")" "$(calc "$py - 4")" "$(calc "$px + 4")" "$(calc "$py + 4")")"
[ "$n" -ge 6 ] || fail "the zone from zones.geojson does not reach 55 km north of At-Tanf: $n pixels"
run_im shapes-check check "$WORK/shapes.yaml"
expect_rc 0 "check of lines and zones from files"
assert_contains "$OUT" "1 line, 1 zone"

note "all passed"
