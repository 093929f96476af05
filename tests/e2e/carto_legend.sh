# The legend holds what the map draws and nothing else: the incident types
# and actors of the incidents in the frame (checked in the dump and in the
# PDF's text), the bases, lines and zones shown.  It never covers an
# incident: it moves to another corner, or beside the frame when no corner
# is free; `legend: outside-right` puts it there at once.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/carto_lib.sh"
need_tool pdftotext

cat >"$WORK/inc.csv" <<CSV
date,type,actor,lat,lon
2020-01-01,air strike,Alpha,34.5,37.5
2020-01-02,air strike,Alpha,34.7,38.5
2020-01-03,shelling,Bravo,35.0,38.0
2020-01-04,IED,Alpha,35.2,37.3
2020-01-05,missile strike,Charlie,30.0,30.0
2020-01-06,ground attack,Delta,40.0,45.0
CSV
map() { # map NAME EXTRA-CSV-ROWS: a map of inc.csv plus rows
    cp "$WORK/inc.csv" "$WORK/$1.csv"
    [ -z "${2:-}" ] || printf '%s\n' "$2" >>"$WORK/$1.csv"
    cat >"$WORK/$1.yaml" <<YAML
title: Legend test
size: 1000x800
extent: [37, 34, 39, 35.5]
incidents: {source: $1.csv}
bases:
  - {name: Base One, at: [38.2, 34.9]}
zones:
  - {name: Zone One, center: [37.8, 34.6], radius_km: 10}
lines:
  - {name: Far Line, points: [[20, 10], [21, 11]]}
YAML
}

map one
render_dump one "$WORK/one.pdf" "$WORK/one.yaml"
render_dump one-png "$WORK/one.png" "$WORK/one.yaml" --world-file
want="Air strike|Artillery|Explosive/IED|Alpha|Bravo"
got=$(awk -F'\t' '$1 == "legend" && $2 == "symbol" { print $8 }' "$WORK/one.tsv" | LC_ALL=C sort | paste -sd'|')
[ "$got" = "$(tr '|' '\n' <<<"$want" | LC_ALL=C sort | paste -sd'|')" ] ||
    fail "legend rows are [$got], expected exactly [$want]: the types and actors drawn"
note "ok: legend rows = types and actors in the frame: $got"
for row in "Military base" "Zone One (10 km)"; do
    awk -F'\t' '$1 == "legend" { print $8 }' "$WORK/one.tsv" | grep -qxF "$row" || fail "legend lacks '$row'"
done
awk -F'\t' '$1 == "legend" { print $8 }' "$WORK/one.tsv" | grep -qxF "Far Line" && fail "legend shows a line that is not on the map"
pdftotext "$WORK/one.pdf" "$WORK/one.txt" || fail "pdftotext cannot read one.pdf"
for t in "Air strike" Artillery "Explosive/IED" Alpha Bravo "Military base" "Zone One (10 km)"; do
    assert_contains "$WORK/one.txt" "$t" "text of one.pdf"
done
for t in "Missile strike" "Ground attack" Charlie Delta "Far Line"; do
    assert_not_contains "$WORK/one.txt" "$t" "text of one.pdf (not on the map)"
done
note "ok: the PDF's legend text lists exactly what is drawn"

# legend_clear TSV WHAT: the legend's box meets no symbol box.
legend_clear() {
    local r
    r=$(awk -F'\t' '$1 == "furniture" && $2 == "legend" { lx = $4; ly = $5; lw = $6; lh = $7; cov = $8 }
        $1 == "box" && $2 == "symbol" { n++; x[n] = $4; y[n] = $5; w[n] = $6; h[n] = $7 }
        END { bad = 0
              for (i = 1; i <= n; i++) if (x[i] < lx + lw && lx < x[i] + w[i] && y[i] < ly + lh && ly < y[i] + h[i]) bad++
              print bad, cov + 0, lx, ly }' "$1")
    read -r nbad cov LX LY <<<"$r"
    [ "$nbad" = 0 ] && [ "$cov" = 0 ] || fail "$2: the legend covers $nbad symbol(s)"
}
legend_clear "$WORK/one-png.tsv" "one.yaml"
read -r fx fy fw fh <<<"$(awk -F'\t' '$1 == "frame" { print $4, $5, $6, $7 }' "$WORK/one-png.tsv")"
read -r lx ly lw lh <<<"$(awk -F'\t' '$1 == "furniture" && $2 == "legend" { print $4, $5, $6, $7 }' "$WORK/one-png.tsv")"
[ "$(calc_int "$lx - $fx")" -lt 20 ] && [ "$(calc_int "$fy + $fh - $ly - $lh")" -lt 20 ] ||
    fail "one.yaml: the legend is not in its bottom-left corner (nothing is there)"

# An incident right under the legend's corner: the legend moves away.
crs=$(cat "$WORK/one.prj")
read -r lon lat <<<"$(probe px2geo "$crs" "$WORK/one.pgw" "$(calc "$lx + $lw / 2")" "$(calc "$ly + $lh / 2")")"
map two "2020-02-01,air strike,Alpha,$lat,$lon"
render_dump two "$WORK/two.png" "$WORK/two.yaml"
legend_clear "$WORK/two.tsv" "an incident in the legend's corner"
[ "$(calc_int "($LX - $lx)^2 + ($LY - $ly)^2")" -gt 100 ] || fail "the legend stayed over the incident at $lon $lat"
note "ok: an incident in the bottom-left corner moved the legend to $LX,$LY"

# Incidents in all four corners: the legend goes beside the frame.
rows=""
for c in "60 60" "$(calc "$fw - 60") 60" "60 $(calc "$fh - 60")" "$(calc "$fw - 60") $(calc "$fh - 60")" \
    "$(calc "$fw / 2") $(calc "$fh - 50")" "$(calc "$fw / 2") 50" "50 $(calc "$fh / 2")" "$(calc "$fw - 50") $(calc "$fh / 2")"; do
    read -r cx cy <<<"$c"
    read -r lon lat <<<"$(probe px2geo "$crs" "$WORK/one.pgw" "$(calc "$fx + $cx")" "$(calc "$fy + $cy")")"
    rows="$rows"$'\n'"2020-03-01,air strike,Alpha,$lat,$lon"
done
map three "${rows#?}"
render_dump three "$WORK/three.png" "$WORK/three.yaml"
read -r fx3 fy3 fw3 fh3 <<<"$(awk -F'\t' '$1 == "frame" { print $4, $5, $6, $7 }' "$WORK/three.tsv")"
legend_clear "$WORK/three.tsv" "incidents in every corner"
[ "$(calc_int "$LX - ($fx3 + $fw3)")" -gt 0 ] || fail "with every corner taken the legend is not beside the frame (x $LX, frame ends at $(calc "$fx3 + $fw3"))"
note "ok: with incidents in every corner the legend went beside the frame"

# Asked for outside the frame.
render_dump four "$WORK/four.png" "$WORK/one.yaml" --set legend=outside-right
read -r fx4 fy4 fw4 fh4 <<<"$(awk -F'\t' '$1 == "frame" { print $4, $5, $6, $7 }' "$WORK/four.tsv")"
read -r lx4 _ lw4 _ <<<"$(awk -F'\t' '$1 == "furniture" && $2 == "legend" { print $4, $5, $6, $7 }' "$WORK/four.tsv")"
[ "$(calc_int "$lx4 - ($fx4 + $fw4)")" -gt 0 ] && [ "$(calc_int "$lx4 + $lw4")" -le 1000 ] ||
    fail "legend: outside-right is not beside the frame and on the page"
note "all passed"
