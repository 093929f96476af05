# The graticule's degree labels sit where their meridian or parallel meets
# the frame: the point under each label, read back through the world file
# and PROJ, lies on the frame's edge at the labelled longitude (bottom and
# top edges) or latitude (left and right), to 0.01 degree; the label is
# centred on it.  In a conic projection the parallels curve (the labels are
# not where a straight line would put them), and the PDF's text holds the
# labels.  `graticule: 0.5` sets the step; `graticule: none` removes it.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/carto_lib.sh"
need_tool pdftotext

# degrees TEXT: "38°30′E" -> 38.5, "33°N" -> 33, "5°W" -> -5.
degrees() {
    awk -v t="$1" 'BEGIN {
        s = t; sign = 1
        if (s ~ /[SW]$/) sign = -1
        gsub(/[NSEW]$/, "", s)
        n = split(s, p, /\xc2\xb0|\xe2\x80\xb2/)
        v = p[1] + (n > 1 && p[2] != "" ? p[2] / 60 : 0)
        printf "%.6f\n", sign * v
    }'
}

# check_grid NAME MIN: every degree label of NAME is where its line meets
# the frame; at least MIN on each axis.
check_grid() {
    local name=$1 min=$2 tsv="$WORK/$1.tsv" fx fy fw fh nlon=0 nlat=0
    read -r fx fy fw fh <<<"$(awk -F'\t' '$1 == "frame" { print $4, $5, $6, $7 }' "$tsv")"
    while IFS=$'\t' read -r _ edge _ x y w h text ax ay; do
        local want lon lat edge_at
        want=$(degrees "$text")
        read -r lon lat <<<"$(probe px2geo "$CRS" "$WORK/$name.pgw" "$ax" "$ay")"
        case $edge in
        bottom | top)
            edge_at=$([ "$edge" = bottom ] && calc "$fy + $fh" || echo "$fy")
            assert_near "$ay" "$edge_at" 0.01 "$name: $text sits on the $edge edge (y)" >/dev/null
            assert_near "$lon" "$want" 0.01 "$name: longitude where the $text meridian meets the $edge edge" >/dev/null
            assert_near "$(calc "$x + $w / 2")" "$ax" 0.5 "$name: $text centred on its meridian" >/dev/null
            nlon=$((nlon + 1))
            ;;
        left | right)
            edge_at=$([ "$edge" = left ] && echo "$fx" || calc "$fx + $fw")
            assert_near "$ax" "$edge_at" 0.01 "$name: $text sits on the $edge edge (x)" >/dev/null
            assert_near "$lat" "$want" 0.01 "$name: latitude where the $text parallel meets the $edge edge" >/dev/null
            assert_near "$(calc "$y + $h / 2")" "$ay" 0.5 "$name: $text centred on its parallel" >/dev/null
            nlat=$((nlat + 1))
            ;;
        esac
    done < <(awk -F'\t' '$1 == "grid"' "$tsv")
    [ "$nlon" -ge "$min" ] && [ "$nlat" -ge "$min" ] || fail "$name: only $nlon meridian and $nlat parallel labels"
    note "ok: $name: $nlon meridian and $nlat parallel labels, each where its line meets the frame"
}

render_dump syria "$WORK/syria.png" "$EXAMPLES/syria.yaml" --world-file
CRS=$(cat "$WORK/syria.prj")
check_grid syria 4
# Lambert conic: the 36 N parallel bows south between its two edge labels
read -r ly <<<"$(awk -F'\t' '$1 == "grid" && $2 == "left" && $8 == "36\xc2\xb0N" { print $10 }' "$WORK/syria.tsv")"
[ -n "$ly" ] || fail "syria: no 36°N label on the left edge"
read -r mx my <<<"$(geo2px "$CRS" "$WORK/syria.pgw" 39 36)"
[ "$(calc_int "($my - $ly) * 10")" -ge 20 ] || fail "syria: the 36°N parallel does not curve (edge y $ly, centre y $my)"
note "ok: the 36°N parallel is an arc: $(calc "$my - $ly") px lower at the centre than at the frame's edge"
render syria-pdf render "$EXAMPLES/syria.yaml" -o "$WORK/syria.pdf"
pdftotext "$WORK/syria.pdf" "$WORK/syria.txt" || fail "pdftotext cannot read syria.pdf"
for t in "36°E" "38°E" "40°E" "34°N" "36°N"; do
    assert_contains "$WORK/syria.txt" "$t" "text of syria.pdf (degree labels)"
done

# A set step, minutes in the labels
render_dump half "$WORK/half.png" "$EXAMPLES/tanf.yaml" --world-file --set graticule=0.25
CRS=$(cat "$WORK/half.prj")
check_grid half 6
awk -F'\t' '$1 == "grid" { print $8 }' "$WORK/half.tsv" | grep -q "38°15′E" || fail "graticule 0.25: no 38°15′E label"

# Polar stereographic: meridians fan out, yet every label is on its line
cat >"$WORK/polar.yaml" <<YAML
title: Polar
size: 1000x800
projection: "+proj=stere +lat_0=90 +lat_ts=70 +lon_0=0 +datum=WGS84 +units=m +no_defs"
extent: [50, 70, 68, 77]
YAML
render_dump polar "$WORK/polar.png" "$WORK/polar.yaml" --world-file
CRS=$(cat "$WORK/polar.prj")
check_grid polar 3

render_dump none "$WORK/none.png" "$EXAMPLES/tanf.yaml" --set graticule=none
! grep -q "^grid" "$WORK/none.tsv" || fail "graticule: none still draws degree labels"
note "all passed"
