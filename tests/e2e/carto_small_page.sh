# Furniture on a report's small page (160 mm x 110 mm at 300 dpi) and on a
# 1600x1200 px map, read back from the PDF's words as a reader's PDF
# viewer places them: the scale bar's numbers stand apart ("0", "50",
# "100 km", never "0100 km"); a legend below the frame takes as many
# columns as the page's width holds and every entry stays on the page; an
# in-frame legend that fits no corner goes beside or below the frame,
# wherever the map stays larger, and never over the frame.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/carto_lib.sh"
need_tool pdftotext

# eight types, eight actors with long names, spread over Syria
awk 'BEGIN {
    split("air strike|shelling|IED|missile strike|ground attack|drone strike|armed clash|riot", t, "|")
    split("Russian Aerospace Forces|US-led coalition against Islamic State|Islamic State in Iraq and the Levant|Syrian Arab Army and allied militias|Turkish Armed Forces|Syrian Democratic Forces|Hayat Tahrir al-Sham|Iranian Revolutionary Guard", a, "|")
    print "date,type,actor,lat,lon"
    for (i = 0; i < 64; i++)
        printf "2020-01-%02d,%s,%s,%.3f,%.3f\n", 1 + i % 28, t[1 + i % 8], a[1 + (i * 3) % 8], 33 + (i * 37 % 64) / 16, 36 + (i * 23 % 64) / 10.6
}' >"$WORK/many.csv"

# map NAME KEYS...: a map of many.csv with extra top-level keys.
map() {
    local name=$1
    shift
    {
        echo "title: Many types and actors"
        echo "incidents: {source: many.csv, labels: false}"
        printf '%s\n' "$@"
    } >"$WORK/$name.yaml"
}
small=("page: 160mm x 110mm" "dpi: 300")

# words PDF: every word of page 1 as "xmin ymin xmax ymax text" (pt).
words() {
    pdftotext -bbox "$1" "$WORK/words.html" || fail "pdftotext cannot read $1"
    awk -F'"' '/<word / { t = $9; sub(/^>/, "", t); sub(/<.*/, "", t); print $2, $4, $6, $8, t }' "$WORK/words.html"
}

# in_box TSV FURNITURE: the words (from stdin) whose centre lies in that
# furniture's box of the label dump (CSS px; the PDF is in pt).
in_box() {
    read -r bx by bw bh <<<"$(awk -F'\t' -v f="$2" '$1 == "furniture" && $2 == f { print $4 * 0.75, $5 * 0.75, $6 * 0.75, $7 * 0.75 }' "$1")"
    [ -n "$bh" ] || fail "$1: no $2 in the dump"
    awk -v x="$bx" -v y="$by" -v w="$bw" -v h="$bh" '{ cx = ($1 + $3) / 2; cy = ($2 + $4) / 2
        if (cx > x && cx < x + w && cy > y && cy < y + h) print }'
}

# check_scalebar LABEL MAP: the scale bar's words do not touch one another,
# and "0" and the unit each stand as words of their own.
check_scalebar() {
    local label=$1 bad
    render_dump "$label" "$WORK/$label.pdf" "$2"
    words "$WORK/$label.pdf" | in_box "$WORK/$label.tsv" scalebar >"$WORK/$label.sb"
    [ -s "$WORK/$label.sb" ] || fail "$label: no words in the scale bar"
    bad=$(awk '{ n++; x0[n] = $1; y0[n] = $2; x1[n] = $3; y1[n] = $4; t[n] = $5 }
        END { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
                  if (x0[i] < x1[j] && x0[j] < x1[i] && y0[i] < y1[j] && y0[j] < y1[i]) print t[i] " / " t[j] }' "$WORK/$label.sb")
    [ -z "$bad" ] || fail "$label: scale bar labels overlap: $bad"
    awk '$5 == "0"' "$WORK/$label.sb" | grep -q . || fail "$label: the scale bar has no '0' of its own: $(awk '{ printf "%s ", $5 }' "$WORK/$label.sb")"
    awk '$5 == "km"' "$WORK/$label.sb" | grep -q . || fail "$label: the scale bar has no unit"
    note "ok: $label: scale bar reads '$(awk '{ printf "%s ", $5 }' "$WORK/$label.sb")' with no overlap"
}

# check_on_page LABEL: every word of the PDF lies on its page.
check_on_page() {
    local bad
    read -r PAGE_W PAGE_H <<<"$(pdftotext -bbox "$WORK/$1.pdf" - | sed -n 's/.*<page width="\([0-9.]*\)" height="\([0-9.]*\)".*/\1 \2/p' | head -1)"
    [ -n "$PAGE_H" ] || fail "$1: no page size from pdftotext"
    bad=$(words "$WORK/$1.pdf" | awk -v W="$PAGE_W" -v H="$PAGE_H" '$1 < 0 || $2 < 0 || $3 > W + 0.01 || $4 > H + 0.01')
    [ -z "$bad" ] || fail "$1: words off the ${PAGE_W}x$PAGE_H pt page: $(head -3 <<<"$bad")"
}

# check_legend_rows LABEL: every word of every legend row is in the legend box.
check_legend_rows() {
    local lw
    words "$WORK/$1.pdf" | in_box "$WORK/$1.tsv" legend | awk '{ print $5 }' >"$WORK/$1.legwords"
    awk -F'\t' '$1 == "legend" { print $8 }' "$WORK/$1.tsv" | tr ' ' '\n' | grep . >"$WORK/$1.rowwords"
    while read -r lw; do
        grep -qxF -- "$lw" "$WORK/$1.legwords" && continue
        # a hyphenated name may wrap after its hyphen
        [[ $lw == *-* ]] && grep -qxF -- "${lw%%-*}-" "$WORK/$1.legwords" &&
            grep -qxF -- "${lw#*-}" "$WORK/$1.legwords" && continue
        fail "$1: legend word '$lw' is not inside the legend box"
    done <"$WORK/$1.rowwords"
    [ "$(wc -l <"$WORK/$1.rowwords")" -gt 30 ] || fail "$1: only $(wc -l <"$WORK/$1.rowwords") legend words: is the data read?"
}

# ---- the scale bar: a narrow frame (the legend beside it) and a wide one
map sb-small "${small[@]}" "legend: bottom-left" "scalebar: bottom-left"
check_scalebar sb-small "$WORK/sb-small.yaml"
map sb-px "size: 1600x1200" "legend: bottom-left" "scalebar: bottom-left"
check_scalebar sb-px "$WORK/sb-px.yaml"
map sb-both "${small[@]}" "legend: outside-right" "scalebar: {position: bottom-left, units: both}"
check_scalebar sb-both "$WORK/sb-both.yaml"
awk '$5 == "mi"' "$WORK/sb-both.sb" | grep -q . || fail "sb-both: no miles bar"
# the PNG at 300 dpi lays out the same bar as the PDF
render_dump sb-small-png "$WORK/sb-small.png" "$WORK/sb-small.yaml"
[ "$(field "$WORK/sb-small-png.tsv" scalebar km 8)" = "$(field "$WORK/sb-small.tsv" scalebar km 8)" ] ||
    fail "sb-small: the PNG's scale bar length differs from the PDF's"

# ---- a legend below the frame, no columns: given: it fits the page
map below "${small[@]}" "legend: outside-bottom"
render_dump below "$WORK/below.pdf" "$WORK/below.yaml"
check_on_page below
check_legend_rows below
read -r lx lw <<<"$(awk -F'\t' '$1 == "furniture" && $2 == "legend" { print $4, $6 }' "$WORK/below.tsv")"
[ "$(calc_int "($lx + $lw) * 0.75 <= $PAGE_W")" = 1 ] || fail "below: the legend box ($lx + $lw px) leaves the ${PAGE_W} pt page"
[ "$(calc_int "$lw > 300")" = 1 ] || fail "below: the legend is only $lw px wide: it should use the page's width"
note "ok: a legend below the frame fits the page: $lw px wide, every entry inside it"

# even when asked for more columns than fit, the text wraps to the page
map below4 "${small[@]}" "legend: {position: outside-bottom, columns: 4}"
render_dump below4 "$WORK/below4.pdf" "$WORK/below4.yaml"
check_on_page below4
note "ok: columns: 4 below a 160 mm frame wraps its entries onto the page"

# ---- an in-frame legend too big for any corner of a small page
map corner "${small[@]}" "legend: bottom-left"
render_dump corner "$WORK/corner.pdf" "$WORK/corner.yaml"
check_on_page corner
check_legend_rows corner
read -r fx fy fw fh <<<"$(awk -F'\t' '$1 == "frame" { print $4, $5, $6, $7 }' "$WORK/corner.tsv")"
read -r lx ly lw lh <<<"$(awk -F'\t' '$1 == "furniture" && $2 == "legend" { print $4, $5, $6, $7 }' "$WORK/corner.tsv")"
[ "$(calc_int "$lx >= $fx + $fw || $ly >= $fy + $fh")" = 1 ] || fail "corner: the legend stays on the frame"
[ "$(calc_int "$fw > 250")" = 1 ] || fail "corner: the frame shrank to $fw px beside the legend"
note "ok: a legend no corner takes goes outside the frame (frame $fw x $fh px)"
# on a tall page the same legend goes below the frame, where the map stays larger
map tall "page: 110mm x 160mm" "dpi: 300" "legend: bottom-left"
render_dump tall "$WORK/tall.pdf" "$WORK/tall.yaml"
check_on_page tall
read -r fx fy fw fh <<<"$(awk -F'\t' '$1 == "frame" { print $4, $5, $6, $7 }' "$WORK/tall.tsv")"
ly=$(awk -F'\t' '$1 == "furniture" && $2 == "legend" { print $5 }' "$WORK/tall.tsv")
[ "$(calc_int "$ly >= $fy + $fh")" = 1 ] || fail "tall: the legend is not below the frame (legend y $ly, frame ends at $(calc "$fy + $fh"))"
note "ok: on a tall page the legend goes below the frame"
