# Themes: print is greyscale throughout (every pixel grey), dark has dark
# paper and sea with light text, every element follows it (the legend's
# panel, the scale bar's), and single elements can be overridden.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/carto_lib.sh"

render_dump print "$WORK/print.png" "$EXAMPLES/tanf.yaml" --set theme=print
n=$(probe nongrey "$WORK/print.png" 4)
[ "$n" -eq 0 ] || fail "theme print: $n pixels are not grey"
note "ok: theme print: every pixel is grey"

render_dump dark "$WORK/dark.png" "$EXAMPLES/tanf.yaml" --set theme=dark
assert_color "$(probe pixel "$WORK/dark.png" 3 3)" "28 29 33" 2 "dark paper"
# the legend panel and the scale bar's panel are dark too
for f in legend scalebar; do
    read -r x y w h <<<"$(awk -F'\t' -v f="$f" '$1 == "furniture" && $2 == f { print $4, $5, $6, $7 }' "$WORK/dark.tsv")"
    read -r r g b <<<"$(probe pixel "$WORK/dark.png" "$(calc_int "$x + $w - 3")" "$(calc_int "$y + 2")")"
    [ $((r + g + b)) -lt 240 ] || fail "theme dark: the $f panel is light ($r $g $b)"
done
# title text light on dark paper
read -r _ _ n <<<"$(probe centroid "$WORK/dark.png" 238 238 238 40 0 0 900 50)"
[ "$n" -gt 300 ] || fail "theme dark: no light title text ($n pixels)"
note "ok: theme dark: paper, panels and text follow it"

# override one element: land
render_dump land "$WORK/land.png" "$EXAMPLES/tanf.yaml" --set 'theme={name: light, land: "#400000"}' --world-file
read -r px py <<<"$(geo2px "$(cat "$WORK/land.prj")" "$WORK/land.pgw" 37.3 34.05)"
assert_color "$(probe pixel "$WORK/land.png" "$(calc_int "$px")" "$(calc_int "$py")")" "64 0 0" 3 "land overridden to #400000"
note "all passed"
