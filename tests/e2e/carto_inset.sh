# The inset locator map outlines the main map's extent: the frame's edge,
# taken back to lon/lat through the main map's world file and PROJ, then
# into the inset's projection and box (both from the dump), is where the
# outline's red pixels are (+-2 px).  `inset: none` removes it; an extent
# of the user's own is honoured.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/carto_lib.sh"

# check_inset NAME: the outline of NAME.png's inset against the frame.
check_inset() {
    local name=$1 tsv="$WORK/$1.tsv" crs fx fy fw fh ix iy iw ih x0 y0 x1 y1 proj ex0 ey0 ex1 ey1 px py
    crs=$(cat "$WORK/$name.prj")
    read -r fx fy fw fh <<<"$(awk -F'\t' '$1 == "frame" { print $4, $5, $6, $7 }' "$tsv")"
    IFS=$'\t' read -r _ _ _ ix iy iw ih x0 y0 x1 y1 proj <<<"$(grep '^inset' "$tsv")"
    [ -n "$proj" ] || fail "$name: no inset in the dump"
    ex0=1e9 ey0=1e9 ex1=-1e9 ey1=-1e9
    for t in 0 0.125 0.25 0.375 0.5 0.625 0.75 0.875 1; do
        for p in "$(calc "$fx + $t * $fw") $fy" "$(calc "$fx + $t * $fw") $(calc "$fy + $fh")" \
            "$fx $(calc "$fy + $t * $fh")" "$(calc "$fx + $fw") $(calc "$fy + $t * $fh")"; do
            read -r px py <<<"$p"
            read -r lon lat <<<"$(probe px2geo "$crs" "$WORK/$name.pgw" "$px" "$py")"
            read -r X Y <<<"$(probe project "$proj" "$lon" "$lat")"
            read -r qx qy <<<"$(awk -v X="$X" -v Y="$Y" -v ix="$ix" -v iy="$iy" -v iw="$iw" -v ih="$ih" \
                -v x0="$x0" -v y0="$y0" -v x1="$x1" -v y1="$y1" \
                'BEGIN { printf "%.4f %.4f\n", ix + (X - x0) / (x1 - x0) * iw, iy + (y1 - Y) / (y1 - y0) * ih }')"
            ex0=$(calc "($qx < $ex0) ? $qx : $ex0")
            ey0=$(calc "($qy < $ey0) ? $qy : $ey0")
            ex1=$(calc "($qx > $ex1) ? $qx : $ex1")
            ey1=$(calc "($qy > $ey1) ? $qy : $ey1")
        done
    done
    # the outline: the theme's highlight red, #d7301f, inside the inset
    read -r bx0 by0 bx1 by1 n <<<"$(probe bbox "$WORK/$name.png" 215 48 31 60 "$ix" "$iy" "$(calc "$ix + $iw")" "$(calc "$iy + $ih")")"
    [ "$n" -gt 10 ] || fail "$name: no extent outline in the inset"
    assert_near "$bx0" "$ex0" 2 "$name: inset outline, left (px)"
    assert_near "$bx1" "$ex1" 2 "$name: inset outline, right (px)"
    assert_near "$by0" "$ey0" 2 "$name: inset outline, top (px)"
    assert_near "$by1" "$ey1" 2 "$name: inset outline, bottom (px)"
}

render_dump syria "$WORK/syria.png" "$EXAMPLES/syria.yaml" --world-file
check_inset syria
render_dump own "$WORK/own.png" "$EXAMPLES/syria.yaml" --world-file \
    --set 'inset={position: bottom-right, extent: [20, 20, 60, 45]}' --set legend=top-right
check_inset own
read -r ix iy iw ih <<<"$(awk -F'\t' '$1 == "furniture" && $2 == "inset" { print $4, $5, $6, $7 }' "$WORK/own.tsv")"
read -r fx fy fw fh <<<"$(awk -F'\t' '$1 == "frame" { print $4, $5, $6, $7 }' "$WORK/own.tsv")"
[ "$(calc_int "$fx + $fw - $ix - $iw")" -le 14 ] && [ "$(calc_int "$fy + $fh - $iy - $ih")" -ge 0 ] ||
    fail "inset position: bottom-right is not in the right-hand corner"
render_dump noinset "$WORK/noinset.png" "$EXAMPLES/syria.yaml" --set inset=none
! grep -q "^inset" "$WORK/noinset.tsv" || fail "inset: none still draws an inset"
note "all passed"
