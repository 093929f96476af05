# Incidents land on the right pixel: each symbol's centre, measured in the
# PNG, is where PROJ and the world file put the incident's lon/lat.  Checks
# the projection, the frame, the world file and the actor colours together,
# at 96 dpi and at 192 dpi (where CSS px and device px differ).
source "$(dirname "$0")/lib.sh"

crs=EPSG:32637
cat >"$WORK/incidents.csv" <<'CSV'
date,type,actor,lat,lon
2020-01-01,air strike,Bravo,33.80,39.25
2020-01-02,air strike,Alpha,33.25,38.30
CSV
cat >"$WORK/map.yaml" <<YAML
size: 900x700
projection: $crs
extent: [38.0, 33.0, 39.6, 34.0]
basemap: none
incidents: {source: incidents.csv, labels: false}
legend: none
$NO_FURNITURE
YAML

# Actors tie (one row each), so they are ordered by name: Alpha gets the
# first Okabe-Ito colour (vermillion #D55E00), Bravo the second (blue #0072B2).
ALPHA="213 94 0"
BRAVO="0 114 178"

check_map() { # check_map STEM DPI SYMBOL_PX
    local stem=$1 dpi=$2 sym=$3 info s
    info=$(probe png-info "$WORK/$stem.png")
    [ "$info" = "900 700 $dpi" ] || fail "$stem.png: width height dpi are '$info', expected '900 700 $dpi'"
    assert_nonempty "$WORK/$stem.pgw"
    assert_nonempty "$WORK/$stem.prj"
    grep -qE 'UTM|PROJCS' "$WORK/$stem.prj" || fail "$stem.prj names no projected CRS: $(head -c 200 "$WORK/$stem.prj")"
    grep -q '37' "$WORK/$stem.prj" || fail "$stem.prj does not mention zone 37"
    # a north-up world file with square pixels
    mapfile -t wf <"$WORK/$stem.pgw"
    [ "${#wf[@]}" = 6 ] || fail "$stem.pgw has ${#wf[@]} lines, expected 6"
    assert_near "${wf[1]}" 0 0 "$stem.pgw rotation term D"
    assert_near "${wf[2]}" 0 0 "$stem.pgw rotation term B"
    assert_near "$(calc "${wf[0]} + ${wf[3]}")" 0 1e-6 "$stem.pgw: A = -E (square pixels, north up)"

    for who in "Alpha 33.25 38.30 $ALPHA" "Bravo 33.80 39.25 $BRAVO"; do
        read -r name lat lon r g b <<<"$who"
        read -r ex ey <<<"$(geo2px "$crs" "$WORK/$stem.pgw" "$lon" "$lat")"
        # the whole symbol is well inside the image
        awk -v x="$ex" -v y="$ey" -v s="$sym" 'BEGIN { exit !(x > 2*s && y > 2*s && x < 900-2*s && y < 700-2*s) }' ||
            fail "$stem: $name's incident is expected at ($ex, $ey), too close to the edge for this test"
        read -r cx cy n <<<"$(probe centroid "$WORK/$stem.png" "$r" "$g" "$b" 40 \
            "$(calc "$ex - 2*$sym")" "$(calc "$ey - 2*$sym")" "$(calc "$ex + 2*$sym")" "$(calc "$ey + 2*$sym")")"
        # a filled circle of diameter SYM (its white outline excluded)
        [ "$n" -ge "$(calc_int "0.4 * $sym * $sym")" ] ||
            fail "$stem: only $n pixels of $name's colour ($r $g $b) near ($ex, $ey); whole image: $(probe centroid "$WORK/$stem.png" "$r" "$g" "$b" 40)"
        # 0.35 px: a world file off by the half-pixel convention (corner
        # instead of centre of the top-left pixel) fails here
        assert_near "$cx" "$ex" 0.35 "$stem: $name's symbol x (px)"
        assert_near "$cy" "$ey" 0.35 "$stem: $name's symbol y (px)"
        # it is the only symbol of that colour on the map
        read -r _ _ s <<<"$(probe centroid "$WORK/$stem.png" "$r" "$g" "$b" 40)"
        [ "$s" = "$n" ] || fail "$stem: $((s - n)) pixels of $name's colour ($r $g $b) elsewhere on the map"
    done
}

render map96 render "$WORK/map.yaml" -o "$WORK/map96.png" --world-file
check_map map96 96 14

# the same map at 192 dpi: the same 900x700 device pixels, symbols twice as
# many pixels across, and the world file in device pixels
render map192 render "$WORK/map.yaml" -o "$WORK/map192.png" --world-file --set dpi=192
check_map map192 192 28

note "all passed"
