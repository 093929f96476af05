# Every example in geodata/examples renders as PNG, SVG and PDF without a
# warning, and the PDF's text holds its title, legend entries, scale-bar
# length and degree labels.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/carto_lib.sh"
need_tool pdftotext
need_tool xmllint

for yaml in "$EXAMPLES"/*.yaml; do
    ex=$(basename "$yaml" .yaml)
    for fmt in png svg pdf; do
        render "$ex-$fmt" render "$yaml" -o "$WORK/$ex.$fmt"
        assert_nonempty "$WORK/$ex.$fmt"
        if grep -qi warning "$ERR"; then
            sed 's/^/    /' "$ERR" >&2
            fail "$ex.yaml ($fmt) rendered with warnings"
        fi
    done
    xmllint --noout "$WORK/$ex.svg" || fail "$ex.svg is not well-formed"
    pdftotext "$WORK/$ex.pdf" "$WORK/$ex.txt" || fail "pdftotext cannot read $ex.pdf"
    title=$(awk -F': ' '/^title:/ { sub(/^"/, "", $2); print substr($2, 1, 20); exit }' "$yaml")
    assert_contains "$WORK/$ex.txt" "$title" "text of $ex.pdf (title)"
    for t in Incidents "Air strike" "Military base" " km" "°E" "°N"; do
        assert_contains "$WORK/$ex.txt" "$t" "text of $ex.pdf"
    done
    note "ok: $ex: PNG, SVG and PDF; the PDF's text holds title, legend, scale and degrees"
done
note "all passed"
