# Maps for reports: a page in mm is that size in the PDF (MediaBox), the SVG
# (width/height/viewBox) and the PNG (pixels and pHYs at dpi); type sizes
# are points in every format; PDF metadata, embedded fonts, no raster
# images, byte-identical reruns; the SVG's title and desc, and its
# rendering by rsvg-convert matching the PNG; palette PNGs; include: style
# files applied and overridden; captions with the right counts.
source "$(dirname "$0")/lib.sh"
need_tool pdfinfo
need_tool pdffonts
need_tool pdfimages
need_tool pdftotext
need_tool pdftoppm
need_tool rsvg-convert
need_tool xmllint

report="$EXAMPLES/report"

# ---- physical size: the report's style says 160mm x 110mm at 300 dpi
render tanf-png render "$report/tanf.yaml" -o "$WORK/tanf.png"
# 160 mm at 300 dpi = 1889.76 px, 110 mm = 1299.2 px
info=$(probe png-info "$WORK/tanf.png")
[ "$info" = "1890 1299 300" ] || fail "tanf.png: width height dpi are '$info', expected '1890 1299 300'"
read -r kind _ srgb <<<"$(probe png-kind "$WORK/tanf.png")"
[ "$kind $srgb" = "rgb 1" ] || fail "tanf.png is '$kind' (sRGB $srgb), expected an sRGB-tagged RGB PNG"

render tanf-pdf render "$report/tanf.yaml" -o "$WORK/tanf.pdf"
pdfinfo -box "$WORK/tanf.pdf" >"$WORK/pdfinfo.txt" || fail "pdfinfo cannot read tanf.pdf"
read -r x0 y0 x1 y1 <<<"$(awk '/^MediaBox:/ { print $2, $3, $4, $5 }' "$WORK/pdfinfo.txt")"
# 160 mm = 453.543 pt, 110 mm = 311.811 pt
assert_near "$(calc "($x1 - $x0) * 25.4 / 72")" 160 0.01 "tanf.pdf MediaBox width (mm)"
assert_near "$(calc "($y1 - $y0) * 25.4 / 72")" 110 0.01 "tanf.pdf MediaBox height (mm)"

render tanf-svg render "$report/tanf.yaml" -o "$WORK/tanf.svg"
xmllint --noout "$WORK/tanf.svg" 2>"$WORK/xmllint.err" || { cat "$WORK/xmllint.err" >&2; fail "tanf.svg is not well-formed XML"; }
root=$(grep -m1 -o '<svg [^>]*>' "$WORK/tanf.svg")
sw=$(sed -n 's/.* width="\([0-9.]*\)pt".*/\1/p' <<<"$root")
sh=$(sed -n 's/.* height="\([0-9.]*\)pt".*/\1/p' <<<"$root")
read -r _ _ vw vh <<<"$(sed -n 's/.* viewBox="\([^"]*\)".*/\1/p' <<<"$root")"
assert_near "$(calc "$sw * 25.4 / 72")" 160 0.01 "tanf.svg width (mm, given in pt)"
assert_near "$(calc "$sh * 25.4 / 72")" 110 0.01 "tanf.svg height (mm, given in pt)"
assert_near "$vw" "$sw" 0.001 "tanf.svg viewBox width (1 unit = 1 pt)"
assert_near "$vh" "$sh" 0.001 "tanf.svg viewBox height"

# a page in inches and in points, and a named paper size
render in render "$report/tanf.yaml" -o "$WORK/in.pdf" --set 'page=6.3in x 4.3in'
assert_matches <(pdfinfo "$WORK/in.pdf") '^Page size: +453\.6 x 309\.6 pts' "6.3in x 4.3in page"
render pt render "$report/tanf.yaml" -o "$WORK/pt.png" --set 'page=432pt x 324pt' --set dpi=200
[ "$(probe png-info "$WORK/pt.png")" = "1200 900 200" ] || fail "432pt x 324pt at 200 dpi is $(probe png-info "$WORK/pt.png"), expected 1200 900 200"
render a5 render "$report/tanf.yaml" -o "$WORK/a5.pdf" --set page=A5-landscape
assert_matches <(pdfinfo "$WORK/a5.pdf") '^Page size: +595\.276 x 419\.528 pts' "A5-landscape page"

# ---- type sizes are points: the credit line (7.5 pt) is as tall in a
# 160 mm PDF as in a 1600x1200 px one; the title is 13 pt on the 160 mm
# figure and 17 pt on the big map; and the PNG at 300 dpi is the PDF drawn
# at 300 dpi
word_h() { # PDF WORD: height of WORD's first occurrence, pt
    pdftotext -bbox "$1" "$1.html" || fail "pdftotext cannot read $1"
    awk -v w=">$2<" 'index($0, w) && !done { split($0, a, "\""); print a[8] - a[4]; done = 1 }' "$1.html"
}
render big render "$EXAMPLES/tanf.yaml" -o "$WORK/big.pdf"
assert_near "$(word_h "$WORK/tanf.pdf" Made)" "$(word_h "$WORK/big.pdf" Made)" 0.01 \
    "credit height in pt, 160 mm page vs 1600x1200 px page"
h_small=$(word_h "$WORK/tanf.pdf" Strikes)
h_big=$(word_h "$WORK/big.pdf" Strikes)
assert_near "$(calc "$h_small / $h_big")" "$(calc "13 / 17")" 0.001 "title height, 160 mm page / 1600x1200 px page"
pdftoppm -r 300 -scale-to-x 1890 -scale-to-y 1299 -png -singlefile "$WORK/tanf.pdf" "$WORK/tanf-pdf300"
[ "$(probe png-info "$WORK/tanf-pdf300.png" | cut -d' ' -f1-2)" = "1890 1299" ] ||
    fail "tanf.pdf drawn at 300 dpi is not 1890x1299"
read -r frac mean <<<"$(probe diff "$WORK/tanf.png" "$WORK/tanf-pdf300.png" 64)"
note "PNG vs PDF at 300 dpi: $frac of pixels differ by more than 64, mean difference $mean"
assert_near "$frac" 0 0.02 "share of pixels that differ, PNG vs PDF drawn at 300 dpi"

# ---- PDF: metadata, fonts embedded and subset, vector only, searchable
pdfinfo "$WORK/tanf.pdf" >"$WORK/meta.txt"
assert_matches "$WORK/meta.txt" '^Title: +Strikes around the At-Tanf garrison$' "PDF title"
assert_matches "$WORK/meta.txt" '^Subject: +June 2016 to June 2022' "PDF subject (the subtitle)"
assert_matches "$WORK/meta.txt" '^Author: +Sources: Interfax' "PDF author (the credit)"
assert_matches "$WORK/meta.txt" '^Keywords: +Syria, deconfliction, air strikes, incimap$' "PDF keywords"
assert_matches "$WORK/meta.txt" '^Creator: +incimap [0-9]+\.[0-9]+\.[0-9]+$' "PDF creator"
assert_matches "$WORK/meta.txt" '^PDF version: +1\.5$' "PDF version (pdfTeX takes up to 1.5)"
pdffonts "$WORK/tanf.pdf" >"$WORK/fonts.txt"
[ "$(awk 'NR > 2' "$WORK/fonts.txt" | wc -l)" -ge 1 ] || fail "tanf.pdf lists no fonts"
bad=$(awk 'NR > 2 && ($(NF-4) != "yes" || $(NF-3) != "yes")' "$WORK/fonts.txt")
[ -z "$bad" ] || { cat "$WORK/fonts.txt" >&2; fail "fonts not embedded or not subset: $bad"; }
[ "$(pdfimages -list "$WORK/tanf.pdf" | awk 'NR > 2' | wc -l)" = 0 ] || fail "tanf.pdf holds raster images; it should be vector only"
pdftotext "$WORK/tanf.pdf" "$WORK/tanf.txt"
assert_contains "$WORK/tanf.txt" "At-Tanf garrison" "text of tanf.pdf"
assert_contains "$WORK/tanf.txt" "Russia" "text of tanf.pdf (legend)"
render tanf-pdf2 render "$report/tanf.yaml" -o "$WORK/tanf2.pdf"
cmp -s "$WORK/tanf.pdf" "$WORK/tanf2.pdf" || fail "two renderings of tanf.pdf differ"

# ---- SVG: accessible title and description first, and rsvg-convert draws
# it like the PNG
[ "$(xmllint --xpath 'local-name(/*/*[1])' "$WORK/tanf.svg")" = title ] || fail "the SVG's first child is not <title>"
[ "$(xmllint --xpath 'local-name(/*/*[2])' "$WORK/tanf.svg")" = desc ] || fail "the SVG's second child is not <desc>"
[ "$(xmllint --xpath 'string(/*/*[1])' "$WORK/tanf.svg")" = "Strikes around the At-Tanf garrison" ] ||
    fail "the SVG's <title> is not the map's title"
xmllint --xpath 'string(/*/*[2])' "$WORK/tanf.svg" >"$WORK/desc.txt"
assert_contains "$WORK/desc.txt" "Incidents: 5, by type: 4 air strikes and 1 ground attack" "the SVG's <desc>"
# (at 300 dpi the 110 mm are 1299.2 px, which rsvg-convert and pdftoppm
# round up and incimap to the nearest: the size is given)
rsvg-convert --dpi-x 300 --dpi-y 300 -w 1890 -h 1299 -o "$WORK/tanf-svg.png" "$WORK/tanf.svg" 2>"$WORK/rsvg.err" ||
    { cat "$WORK/rsvg.err" >&2; fail "rsvg-convert cannot draw tanf.svg"; }
read -r frac mean <<<"$(probe diff "$WORK/tanf.png" "$WORK/tanf-svg.png" 64)"
note "PNG vs SVG by rsvg-convert: $frac of pixels differ by more than 64, mean difference $mean"
assert_near "$frac" 0 0.03 "share of pixels that differ, PNG vs SVG drawn by rsvg-convert"
assert_near "$mean" 0 4 "mean channel difference, PNG vs SVG drawn by rsvg-convert"
# (the comparison can fail: a map drawn without its zone differs)
render nozone render "$report/tanf.yaml" -o "$WORK/nozone.png" --set 'zones=[]'
read -r frac _ <<<"$(probe diff "$WORK/nozone.png" "$WORK/tanf-svg.png" 64)"
awk -v f="$frac" 'BEGIN { exit !(f > 0.03) }' || fail "the pixel comparison does not see a missing zone ($frac)"

# ---- palette PNG: indexed, at most N colours, same DPI, byte-identical
render pal render "$report/tanf.yaml" -o "$WORK/pal.png" --palette
read -r kind n srgb <<<"$(probe png-kind "$WORK/pal.png")"
[ "$kind" = palette ] || fail "--palette gave a '$kind' PNG"
[ "$n" -le 256 ] && [ "$n" -ge 2 ] || fail "--palette: $n palette entries"
[ "$srgb" = 1 ] || fail "the palette PNG is not tagged sRGB"
[ "$(probe png-info "$WORK/pal.png")" = "1890 1299 300" ] || fail "pal.png: $(probe png-info "$WORK/pal.png")"
render pal2 render "$report/tanf.yaml" -o "$WORK/pal2.png" --palette
cmp -s "$WORK/pal.png" "$WORK/pal2.png" || fail "two palette renderings differ"
render pal16 render "$report/tanf.yaml" -o "$WORK/pal16.png" --set 'png={palette: true, colors: 16}'
read -r kind n _ <<<"$(probe png-kind "$WORK/pal16.png")"
[ "$kind" = palette ] && [ "$n" -le 16 ] || fail "png: {palette: true, colors: 16} gave a '$kind' PNG of $n colours"
read -r frac _ <<<"$(probe diff "$WORK/tanf.png" "$WORK/pal.png" 48)"
assert_near "$frac" 0 0.01 "share of pixels the 256-colour palette changes by more than 48"
note "sizes: RGB $(stat -c %s "$WORK/tanf.png") bytes, 256 colours $(stat -c %s "$WORK/pal.png"), 16 colours $(stat -c %s "$WORK/pal16.png")"

# ---- include: the style's actor colours apply in every map; the map's
# own keys override the style's
russia="213 94 0" # the style's colours: Russia #d55e00
for m in tanf syria; do
    render "col-$m" render "$report/$m.yaml" -o "$WORK/col-$m.png" --set dpi=96
    read -r _ _ n <<<"$(probe centroid "$WORK/col-$m.png" $russia 6)"
    [ "$n" -gt 50 ] || fail "$m: no Russian incident in the style's colour #d55e00 ($n px)"
done
# in syria.yaml the United States (one incident, the fifth actor) keep #56b4e9
read -r _ _ n <<<"$(probe centroid "$WORK/col-syria.png" 86 180 233 6)"
[ "$n" -gt 30 ] || fail "syria: the United States' incident is not in the style's #56b4e9 ($n px)"
cat >"$WORK/own.yaml" <<EOF
include: $report/style.yaml
title: Own colours
page: 200mm x 120mm
dpi: 96
colors: {Russia: "#ff00ff"}
extent: {center: [38.62, 33.52], radius_km: 80}
EOF
render own render "$WORK/own.yaml" -o "$WORK/own.png"
[ "$(probe png-info "$WORK/own.png")" = "756 454 96" ] || fail "own.yaml's page and dpi do not override the style's: $(probe png-info "$WORK/own.png")"
read -r _ _ n <<<"$(probe centroid "$WORK/own.png" 255 0 255 6)"
[ "$n" -gt 30 ] || fail "own.yaml's colors: does not override the style's ($n magenta px)"
read -r _ _ n <<<"$(probe centroid "$WORK/own.png" $russia 6)"
[ "$n" = 0 ] || fail "own.yaml still shows the style's colour for Russia ($n px)"

# include errors: in the included file, at its line and column; missing
# files and cycles; all exit 3
mkdir -p "$WORK/style"
printf 'font: Noto Sans\nlegend: middle\n' >"$WORK/style/bad.yaml"
printf 'title: x\ninclude: style/bad.yaml\n' >"$WORK/usesbad.yaml"
run_im usesbad render "$WORK/usesbad.yaml" -o "$WORK/x.png"
expect_rc 3 "a bad value in an included file"
assert_contains "$ERR" "$WORK/style/bad.yaml:2:9: expected top-left" "message for a bad included value"
printf 'include: [nope.yaml]\n' >"$WORK/missing.yaml"
run_im missing render "$WORK/missing.yaml" -o "$WORK/x.png"
expect_rc 3 "a missing included file"
assert_contains "$ERR" "$WORK/missing.yaml:1:11: cannot open included file 'nope.yaml': No such file or directory"
printf 'title: me\ninclude: self.yaml\n' >"$WORK/self.yaml"
run_im self render "$WORK/self.yaml" -o "$WORK/x.png"
expect_rc 3 "a file including itself"
assert_contains "$ERR" "$WORK/self.yaml:2:10: include cycle: 'self.yaml' includes itself"
[ ! -e "$WORK/x.png" ] || fail "a failed run wrote x.png"

# ---- captions: the counts of what the map shows
render cap render "$report/syria.yaml" -o "$WORK/cap.png" --set dpi=96 --caption "$WORK/syria.txt"
cat "$WORK/syria.txt"
assert_contains "$WORK/syria.txt" "Incidents: 9, by type: 6 air strikes, 1 missile strike and 2 ground attacks; by actor: 3 Russia, 3 US-led coalition, 1 Islamic State, 1 Pro-government forces and 1 United States."
assert_contains "$WORK/syria.txt" "Time: 16 Jun 2016 to 15 Jun 2022."
assert_contains "$WORK/syria.txt" "Bases: Hmeimim air base (Russia), At-Tanf garrison (US-led coalition) and Conoco gas field (US-led coalition / SDF)."
assert_contains "$WORK/syria.txt" "Zone: At-Tanf deconfliction zone (55 km radius)."
assert_contains "$WORK/syria.txt" "Line: Euphrates deconfliction line."
assert_contains "$WORK/syria.txt" "Data file: seed-incidents.csv."
assert_contains "$WORK/syria.txt" "Credit: Sources: Interfax"
assert_matches "$WORK/syria.txt" '^Area: [0-9.]+°E to [0-9.]+°E, [0-9.]+°N to [0-9.]+°N, in .*Syria' "the caption's area"
# a time window narrows the counts
render cap2 render "$report/syria.yaml" -o "$WORK/cap2.png" --set dpi=96 --from 2017 --to 2017 --caption "$WORK/y2017.txt"
assert_contains "$WORK/y2017.txt" "Incidents: 3, by type: 1 air strike, 1 missile strike and 1 ground attack; by actor: 1 Islamic State, 1 US-led coalition and 1 United States."
assert_contains "$WORK/y2017.txt" "Time: 7 Apr 2017 to 18 May 2017 (the map keeps from 1 Jan 2017 to 31 Dec 2017)."
render cap3 render "$report/syria.yaml" -o "$WORK/cap3.png" --set dpi=96 --caption "$WORK/syria2.txt"
cmp -s "$WORK/syria.txt" "$WORK/syria2.txt" || fail "two captions of the same map differ"

note "all passed"
