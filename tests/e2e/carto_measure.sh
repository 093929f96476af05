# Measurements: the scale bar's length is the ground distance it claims at
# the map's centre (+-1%), in km and in miles, measured on the PNG's pixels
# and PROJ/geodesics; the north arrow points to true north at the centre:
# its angle is PROJ's meridian convergence (+-0.5 deg) in maps whose north
# is not up (UTM far from its central meridian, polar stereographic), and
# the drawn arrow's tip points that way.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/carto_lib.sh"
need_tool pdftotext

# frame_centre TSV: the frame's centre, image px (96 dpi: CSS px = px).
frame_centre() {
    awk -F'\t' '$1 == "frame" { printf "%.4f %.4f\n", $4 + $6 / 2, $5 + $7 / 2 }' "$1"
}

# check_scalebar NAME UNIT: measure bar UNIT (km or mi) of NAME.png.
check_scalebar() {
    local name=$1 unit=$2 tsv="$WORK/$1.tsv" x0 y0 len claim cx cy l0 l1 lon0 lat0 lon1 lat1 metres want
    read -r x0 y0 len claim <<<"$(awk -F'\t' -v u="$unit" '$1 == "scalebar" && $2 == u { print $4, $5, $6, $8 }' "$tsv")"
    [ -n "$claim" ] || fail "$name: no $unit scale bar in the dump"
    # the bar on the PNG: dark pixels (its outline and dark quarters)
    read -r bx0 _ bx1 _ n <<<"$(probe bbox "$WORK/$name.png" 33 33 33 110 "$(calc "$x0 - 3")" "$(calc "$y0 - 3")" \
        "$(calc "$x0 + $len + 3")" "$(calc "$y0 + 3")")"
    [ "$n" -gt 20 ] || fail "$name: no $unit bar drawn at $x0,$y0"
    assert_near "$(calc "$bx1 - $bx0")" "$len" 2 "$name: $unit bar length on the PNG (px)"
    # that many px across the frame's centre, on the ground
    read -r cx cy <<<"$(frame_centre "$tsv")"
    read -r lon0 lat0 <<<"$(probe px2geo "$CRS" "$WORK/$name.pgw" "$(calc "$cx - $len / 2")" "$cy")"
    read -r lon1 lat1 <<<"$(probe px2geo "$CRS" "$WORK/$name.pgw" "$(calc "$cx + $len / 2")" "$cy")"
    metres=$(probe geodinv "$lon0" "$lat0" "$lon1" "$lat1")
    if [ "$unit" = km ]; then want=$claim; else want=$(calc "$claim * 1609.344"); fi
    assert_near "$(calc "$metres / $want")" 1 0.01 "$name: $unit bar ($claim ${unit/km/m}) / geodesic at the centre"
}

# check_north NAME: the dump's angle against PROJ, and the arrow's tip.
check_north() {
    local name=$1 tsv="$WORK/$1.tsv" cx cy lon lat ang conv nx ny tx ty d tipang
    read -r cx cy <<<"$(frame_centre "$tsv")"
    read -r lon lat <<<"$(probe px2geo "$CRS" "$WORK/$name.pgw" "$cx" "$cy")"
    conv=$(probe convergence "$CRS" "$lon" "$lat")
    read -r nx ny ang <<<"$(awk -F'\t' '$1 == "north" { print $4, $5, $8 }' "$tsv")"
    [ -n "$ang" ] || fail "$name: no north arrow in the dump"
    assert_near "$ang" "$conv" 0.5 "$name: north arrow angle vs PROJ convergence at the centre (deg)"
    # the drawn tip: the dark pixel farthest from the arrow's centre
    read -r tx ty d <<<"$(probe farthest "$WORK/$name.png" 33 33 33 80 "$nx" "$ny" 17)"
    tipang=$(awk -v x="$tx" -v y="$ty" -v cx="$nx" -v cy="$ny" 'BEGIN { printf "%.3f", atan2(-(x - cx), -(y - cy)) * 45 / atan2(1, 1) }')
    assert_near "$tipang" "$conv" 6 "$name: direction of the drawn arrow's tip (deg)"
}

# UTM zone 36N over Iraq: 11 deg east of the central meridian.
cat >"$WORK/utm.yaml" <<YAML
title: UTM 36N, far east of its meridian
size: 1200x900
projection: EPSG:32636
extent: [43, 32, 46, 35]
scalebar: {position: bottom-right, units: both}
YAML
render_dump utm "$WORK/utm.png" "$WORK/utm.yaml" --world-file
CRS=$(cat "$WORK/utm.prj")
check_scalebar utm km
check_scalebar utm mi
check_north utm
[ "$(calc_int "$(field "$WORK/utm.tsv" north - 8)")" -ge 5 ] || fail "utm: the arrow should turn by some 6 degrees here"
render utm-pdf render "$WORK/utm.yaml" -o "$WORK/utm.pdf"
pdftotext "$WORK/utm.pdf" "$WORK/utm.txt" || fail "pdftotext cannot read utm.pdf"
km=$(field "$WORK/utm.tsv" scalebar km 8)
assert_contains "$WORK/utm.txt" "$(calc_int "$km / 1000") km" "text of utm.pdf (scale bar)"
assert_contains "$WORK/utm.txt" "$(field "$WORK/utm.tsv" scalebar mi 8) mi" "text of utm.pdf (scale bar)"

# Polar stereographic over Novaya Zemlya: north is 60 degrees off up.
cat >"$WORK/polar.yaml" <<YAML
title: Polar
size: 1000x800
projection: "+proj=stere +lat_0=90 +lat_ts=70 +lon_0=0 +datum=WGS84 +units=m +no_defs"
extent: [50, 70, 68, 77]
YAML
render_dump polar "$WORK/polar.png" "$WORK/polar.yaml" --world-file
CRS=$(cat "$WORK/polar.prj")
check_scalebar polar km
check_north polar

# The At-Tanf example (automatic Lambert conic): north up, scale true.
render_dump tanf "$WORK/tanf.png" "$EXAMPLES/tanf.yaml" --world-file
CRS=$(cat "$WORK/tanf.prj")
check_scalebar tanf km
check_north tanf
note "all passed"
