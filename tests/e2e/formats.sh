# The At-Tanf example as PNG, SVG and PDF: right size and resolution,
# well-formed SVG that another renderer draws, a PDF with the title as text
# and every font embedded.
source "$(dirname "$0")/lib.sh"
need_tool xmllint
need_tool rsvg-convert
need_tool pdftotext
need_tool pdffonts
need_tool pdfinfo

map="$EXAMPLES/tanf.yaml"

# PNG: 1600x1200 px at 96 dpi
render png render "$map" -o "$WORK/tanf.png"
assert_nonempty "$WORK/tanf.png"
info=$(probe png-info "$WORK/tanf.png")
[ "$info" = "1600 1200 96" ] || fail "tanf.png: width height dpi are '$info', expected '1600 1200 96'"
[ "$(stat -c %s "$WORK/tanf.png")" -gt 50000 ] || fail "tanf.png is suspiciously small ($(stat -c %s "$WORK/tanf.png") bytes)"
# the map is not blank: the frame's top-left inside is not paper white
# and the title (near black) is above it
read -r _ cy n <<<"$(probe centroid "$WORK/tanf.png" 0 0 0 60 0 0 1600 60)"
[ "$n" -gt 300 ] || fail "tanf.png: no dark title text in the top 60 px ($n pixels)"

# SVG: well-formed, and rsvg-convert draws it at the same size
render svg render "$map" -o "$WORK/tanf.svg"
assert_nonempty "$WORK/tanf.svg"
xmllint --noout "$WORK/tanf.svg" 2>"$WORK/xmllint.err" || { cat "$WORK/xmllint.err" >&2; fail "tanf.svg is not well-formed XML"; }
assert_matches "$WORK/tanf.svg" '<svg[^>]*width="1200(pt)?"' "tanf.svg root element (width 1200pt = 1600 px at 96 dpi)"
rsvg-convert --dpi-x 96 --dpi-y 96 -o "$WORK/tanf-svg.png" "$WORK/tanf.svg" 2>"$WORK/rsvg.err" ||
    { cat "$WORK/rsvg.err" >&2; fail "rsvg-convert cannot draw tanf.svg"; }
info=$(probe png-info "$WORK/tanf-svg.png")
read -r w h _ <<<"$info"
[ "$w $h" = "1600 1200" ] || fail "tanf.svg drawn by rsvg-convert at 96 dpi is ${w}x$h, expected 1600x1200"

# The SVG and the PNG show the same map: the title block is at the same place.
read -r _ sy sn <<<"$(probe centroid "$WORK/tanf-svg.png" 0 0 0 60 0 0 1600 60)"
[ "$sn" -gt 300 ] || fail "tanf.svg (via rsvg-convert): no dark title text in the top 60 px"
assert_near "$sy" "$cy" 3 "title block height, SVG vs PNG"

# PDF: title as text, fonts embedded, page 1200x900 pt (1600x1200 px at 96 dpi)
render pdf render "$map" -o "$WORK/tanf.pdf"
assert_nonempty "$WORK/tanf.pdf"
pdftotext "$WORK/tanf.pdf" "$WORK/tanf.txt" || fail "pdftotext cannot read tanf.pdf"
assert_contains "$WORK/tanf.txt" "At-Tanf" "text of tanf.pdf"
assert_contains "$WORK/tanf.txt" "Strikes on and around" "text of tanf.pdf"
pdffonts "$WORK/tanf.pdf" >"$WORK/pdffonts.txt" || fail "pdffonts cannot read tanf.pdf"
# rows after the two header lines; column "emb" is the 3rd from the right
nfonts=$(awk 'NR > 2' "$WORK/pdffonts.txt" | wc -l)
[ "$nfonts" -ge 1 ] || { cat "$WORK/pdffonts.txt" >&2; fail "tanf.pdf lists no fonts"; }
notemb=$(awk 'NR > 2 && $(NF-4) != "yes"' "$WORK/pdffonts.txt")
[ -z "$notemb" ] || { cat "$WORK/pdffonts.txt" >&2; fail "fonts not embedded in tanf.pdf: $notemb"; }
note "ok: $nfonts fonts, all embedded"
pdfinfo "$WORK/tanf.pdf" >"$WORK/pdfinfo.txt" || fail "pdfinfo cannot read tanf.pdf"
read -r pw ph <<<"$(awk -F: '/^Page size/ { split($2, a, " "); print a[1], a[3] }' "$WORK/pdfinfo.txt")"
assert_near "$pw" 1200 0.5 "PDF page width (pt)"
assert_near "$ph" 900 0.5 "PDF page height (pt)"
assert_matches "$WORK/pdfinfo.txt" '^Pages: +1$' "pdfinfo"
assert_matches "$WORK/pdfinfo.txt" '^Title: +Strikes on and around' "pdfinfo (document title)"

note "all passed"
