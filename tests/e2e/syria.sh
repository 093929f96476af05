# The Syria example renders: every seed incident, three bases, a 55 km zone
# and a deconfliction line that follows the Euphrates in the shipped rivers.
source "$(dirname "$0")/lib.sh"

render syria render "$EXAMPLES/syria.yaml" -o "$WORK/syria.png" --world-file
assert_nonempty "$WORK/syria.png"
read -r w h dpi <<<"$(probe png-info "$WORK/syria.png")"
[ "$w $h $dpi" = "1600 1200 96" ] || fail "syria.png is ${w}x$h at $dpi dpi, expected 1600x1200 at 96"
if grep -qi "warning" "$ERR"; then
    sed 's/^/    /' "$ERR" >&2
    fail "the shipped example produced warnings"
fi
assert_nonempty "$WORK/syria.prj"
crs=$(cat "$WORK/syria.prj")

# The deconfliction line (#b2182b = 178 24 43, dashed) is drawn from its
# `from:` to its `to:` point: line-coloured pixels near both ends and near
# the Euphrates at Deir ez-Zor (40.14, 35.33) in between.
for spot in "38.56 35.86 from" "40.93 34.45 to" "40.14 35.33 Deir-ez-Zor"; do
    read -r lon lat what <<<"$spot"
    read -r px py <<<"$(geo2px "$crs" "$WORK/syria.pgw" "$lon" "$lat")"
    read -r cx cy n <<<"$(probe centroid "$WORK/syria.png" 178 24 43 40 \
        "$(calc "$px - 25")" "$(calc "$py - 25")" "$(calc "$px + 25")" "$(calc "$py + 25")")"
    [ "$n" -ge 8 ] || fail "no Euphrates line pixels within 25 px of its $what point ($lon, $lat) at ($px, $py)"
    note "ok: the line passes near its $what point ($n pixels around $cx $cy)"
done

# ... and stops there: nothing of it 60 px beyond `to:` along the river
# towards Abu Kamal (41.0, 34.45 is ~8 km east; 41.3, 34.35 ~35 km).
read -r px py <<<"$(geo2px "$crs" "$WORK/syria.pgw" 41.3 34.35)"
read -r cx cy n <<<"$(probe centroid "$WORK/syria.png" 178 24 43 40 \
    "$(calc "$px - 12")" "$(calc "$py - 12")" "$(calc "$px + 12")" "$(calc "$py + 12")")"
[ "$n" -le 2 ] || fail "the line goes on past its 'to:' point: $n line pixels near (41.3, 34.35)"

note "all passed"
