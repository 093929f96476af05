# Arabic labels (geodata/examples/tanf-ar.yaml, names from the shipped
# places layer's name_ar): the PDF's text holds the names in logical order
# (pdftotext reorders glyphs by position, so right-to-left layout gives the
# names back as written), in an embedded Arabic font, with joined letter
# forms (one Arabic letter drawn by several glyphs: initial, medial, final),
# and the English names beside them.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/carto_lib.sh"
need_tool pdftotext
need_tool pdffonts

render_dump ar "$WORK/tanf-ar.pdf" "$EXAMPLES/tanf-ar.yaml"
pdftotext "$WORK/tanf-ar.pdf" "$WORK/tanf-ar.txt" || fail "pdftotext cannot read tanf-ar.pdf"
# pdftotext marks right-to-left runs with U+202B/U+202C; leave them out
sed -e 's/\xe2\x80\xab//g; s/\xe2\x80\xac//g' "$WORK/tanf-ar.txt" >"$WORK/plain.txt"
for name in "الركبان" "قاعدة التنف" "معبر التنف" "السبع بيار" "Rukban" "At-Tanf garrison" "Al-Sabe' Biyar"; do
    assert_contains "$WORK/plain.txt" "$name" "text of tanf-ar.pdf"
done
note "ok: the Arabic names are in the PDF's text, in order"
pdffonts "$WORK/tanf-ar.pdf" >"$WORK/fonts.txt" || fail "pdffonts cannot read tanf-ar.pdf"
grep -E "Arabic" "$WORK/fonts.txt" | awk '{ if ($(NF-4) != "yes") bad = 1 } END { exit bad }' ||
    fail "an Arabic font is not embedded"
assert_matches "$WORK/fonts.txt" "NotoSansArabic" "fonts of tanf-ar.pdf"
# joined forms: in one font's ToUnicode map, several Arabic letters are
# each drawn by more than one glyph
probe tounicode "$WORK/tanf-ar.pdf" >"$WORK/cmap.txt"
joined=$(awk '$3 ~ /^06[2-4][0-9a-f]$/ { n[$1 " " $3]++ } END { for (k in n) if (n[k] > 1) c++; print c + 0 }' "$WORK/cmap.txt")
[ "$joined" -ge 5 ] || fail "only $joined Arabic letters appear in more than one form: the text is not shaped"
note "ok: $joined Arabic letters drawn in more than one joined form"
# the labels themselves: Arabic place labels do not collide either
check_label_boxes "$WORK/ar.tsv" "tanf-ar.yaml"
note "all passed"
