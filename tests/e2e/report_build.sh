# The example report of geodata/examples/report, built as a user would with
# its Makefile: three maps that include one style file, as PDF for the
# LaTeX report (pdflatex) and PNG/SVG for the Markdown one, made a web page
# by pandoc.  The LaTeX run must give no warning; each map must sit in the
# report at its own 1:1 size (160 mm wide), in the PDF and in the web page
# in Chromium; the maps' text must be searchable in the report.
source "$(dirname "$0")/lib.sh"
need_tool make
need_tool pdflatex
need_tool pdfinfo
need_tool pdftotext
need_tool pdffonts
need_tool pandoc
need_tool chromium
need_tool timeout

report="$EXAMPLES/report"
out="$WORK/report"
make -s -f "$report/Makefile" INCIMAP="$INCIMAP" BUILD="$out" >"$WORK/make.out" 2>&1 ||
    { cat "$WORK/make.out" >&2; tail -40 "$out/report.log" >&2 2>/dev/null; fail "make of the example report failed"; }
assert_nonempty "$out/report.pdf"
assert_nonempty "$out/report.md"

# pdflatex said nothing to worry about: no warnings, no over- or underfull boxes
if grep -nE 'Warning|Overfull|Underfull' "$out/report.log" >"$WORK/warnings.txt"; then
    cat "$WORK/warnings.txt" >&2
    fail "pdflatex warned while building the report"
fi
pages=$(pdfinfo "$out/report.pdf" | awk '/^Pages:/ { print $2 }')
[ "$pages" -ge 3 ] || fail "report.pdf has $pages pages, expected at least 3"

# every map is 160 mm wide (its MediaBox), and sits in the report at that
# size: two words at the ends of its credit line are as far apart in the
# report as in the map's own PDF
span() { # span FILE.pdf PAGE: points from "Sources:" (left) to "(LGPL)" (right)
    pdftotext -f "$2" -l "$2" -bbox "$1" "$WORK/bbox.html" || fail "pdftotext -bbox cannot read $1"
    awk '/>Sources:</ && !l { split($0, a, "\""); l = a[2] }
         />\(LGPL\)</ && !r { split($0, a, "\""); r = a[6] }
         END { if (l == "" || r == "") print "none"; else printf "%.3f\n", r - l }' "$WORK/bbox.html"
}
page_of() { # page_of FILE.pdf TEXT: the first page holding TEXT
    local p
    for p in $(seq 1 "$pages"); do
        if pdftotext -f "$p" -l "$p" "$1" - | grep -qF -- "$2"; then
            echo "$p"
            return
        fi
    done
    echo 0
}
for m in tanf syria euphrates; do
    w=$(pdfinfo -box "$out/$m.pdf" | awk '/^MediaBox:/ { print ($4 - $2) * 25.4 / 72 }')
    assert_near "$w" 160 0.01 "$m.pdf MediaBox width (mm)"
    # (the first words of the title: a long one wraps on a narrow page)
    title=$(pdfinfo "$out/$m.pdf" | sed -n 's/^Title: *//p' | cut -d' ' -f1-4)
    p=$(page_of "$out/report.pdf" "$title")
    [ "$p" -gt 0 ] || fail "the report's text has no '$title' (the map's title is not searchable)"
    alone=$(span "$out/$m.pdf" 1)
    inrep=$(span "$out/report.pdf" "$p")
    [ "$alone" != none ] && [ "$inrep" != none ] || fail "$m: the credit line's ends were not found (map: $alone, report page $p: $inrep)"
    assert_near "$inrep" "$alone" 0.05 "$m: width of the credit line in the report (pt) vs in the map"
done

# the maps' labels are text in the report
pdftotext "$out/report.pdf" "$WORK/report.txt"
for label in "Hmeimim air base" "At-Tanf deconfliction zone" "Euphrates deconfliction line" "Rukban" "Pro-government forces"; do
    assert_contains "$WORK/report.txt" "$label" "text of report.pdf"
done
pdffonts "$out/report.pdf" >"$WORK/fonts.txt"
bad=$(awk 'NR > 2 && $(NF-4) != "yes"' "$WORK/fonts.txt")
[ -z "$bad" ] || { cat "$WORK/fonts.txt" >&2; fail "fonts not embedded in report.pdf: $bad"; }

# the Markdown report: every image it names was built beside it
grep -oE '(src="[^"]+"|\]\([^)]+\))' "$out/report.md" | sed -E 's/^src="//; s/"$//; s/^\]\(//; s/\)$//' >"$WORK/images.txt"
[ "$(wc -l <"$WORK/images.txt")" = 3 ] || fail "report.md names $(wc -l <"$WORK/images.txt") images, expected 3"
while read -r img; do
    assert_nonempty "$out/$img" "$img (named by report.md)"
done <"$WORK/images.txt"
read -r kind _ _ <<<"$(probe png-kind "$out/tanf.png")"
[ "$kind" = palette ] || fail "tanf.png of the Markdown report is '$kind', expected a palette PNG"
assert_matches "$out/syria.svg" '<title>US–Russian friction in Syria' "syria.svg"

# the HTML page pandoc made of it: it shows the same images, each a file
# beside it, and Chromium lays every one out at the map's own width, 160 mm
# (604.72 CSS px of 1/96 inch), whatever the image's pixels
assert_nonempty "$out/report.html"
grep -oE '<img src="[^"]+"' "$out/report.html" | sed -E 's/^<img src="//; s/"$//' >"$WORK/html-images.txt"
diff "$WORK/images.txt" "$WORK/html-images.txt" >&2 || fail "report.html does not show the images report.md names"
assert_matches "$out/report.html" '<title>Deconfliction under strain' "report.html's title"
# (a copy beside the images, with a script that lists every image's laid
# out size once the page has loaded)
cat >"$WORK/sizes.js" <<'EOF'
<script>
window.addEventListener("load", function () {
    var s = "";
    for (const i of document.images) {
        const r = i.getBoundingClientRect();
        s += i.getAttribute("src") + " " + (i.complete && i.naturalWidth > 0 ? "loaded" : "missing") + " " + r.width.toFixed(3) + "\n";
    }
    const p = document.createElement("pre");
    p.id = "im-sizes";
    p.textContent = s;
    document.body.appendChild(p);
});
</script>
EOF
awk -v js="$WORK/sizes.js" '/<\/body>/ { while ((getline l <js) > 0) print l } { print }' \
    "$out/report.html" >"$out/report-sizes.html"
chromium_run html --window-size=1000,800 --dump-dom "file://$out/report-sizes.html" >"$WORK/report.dom"
sed -n '/<pre id="im-sizes">/,/<\/pre>/p' "$WORK/report.dom" | sed 's/<[^>]*>//g' | sed '/^$/d' >"$WORK/html-sizes.txt"
[ "$(wc -l <"$WORK/html-sizes.txt")" = 3 ] || { cat "$WORK/report.dom" >&2; fail "Chromium listed $(wc -l <"$WORK/html-sizes.txt") images of report.html, expected 3"; }
while read -r img state w; do
    [ "$state" = loaded ] || fail "$img does not load in report.html"
    assert_near "$(calc "$w * 25.4 / 96")" 160 0.02 "$img's width in report.html in Chromium (mm, from $w CSS px)"
done <"$WORK/html-sizes.txt"
rm "$out/report-sizes.html"

# a second build changes nothing, and make rebuilds nothing
cp "$out/report.pdf" "$WORK/first.pdf"
make -q -f "$report/Makefile" INCIMAP="$INCIMAP" BUILD="$out" || fail "make wants to rebuild the report right after building it"

note "all passed"
