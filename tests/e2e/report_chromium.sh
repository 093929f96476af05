# incimap's SVG in a web browser: headless Chromium shows it at its
# physical size (a 160 mm wide SVG is 604.72 CSS px of 1/96 inch) and draws
# it like incimap's PNG of the same map at 96 dpi, where a CSS pixel is a
# PNG pixel.  Both a report map sized in mm and the big tanf example sized
# in pixels (1600x1200 px, an SVG of 1200 x 900 pt).
source "$(dirname "$0")/lib.sh"
need_tool chromium
need_tool timeout

# page NAME.svg: an HTML page that shows the SVG alone at its intrinsic size
# and, once it is loaded, writes that size (getBoundingClientRect, CSS px)
# into the page's title
page() {
    cat >"$WORK/${1%.svg}.html" <<EOF
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>not loaded</title>
<style>html, body { margin: 0; padding: 0; background: #fff; } img { display: block; }</style></head>
<body><img src="$1" alt="" onload="var r = this.getBoundingClientRect(); document.title = r.width.toFixed(3) + ' ' + r.height.toFixed(3);"></body></html>
EOF
}

# compare NAME MM_W MM_H: NAME.svg in Chromium is MM_W x MM_H mm, and its
# screenshot at the PNG's pixel size matches NAME.png
compare() {
    local name=$1 w h size cw ch frac mean
    read -r w h _ <<<"$(probe png-info "$WORK/$name.png")"
    page "$name.svg"
    size=$(chromium_run "$name-dom" --window-size="$w,$h" --dump-dom "file://$WORK/$name.html" |
        sed -n 's:.*<title>\(.*\)</title>.*:\1:p')
    read -r cw ch <<<"$size"
    # (Chromium lays out in 1/64 px: 604.72 px is 604.703)
    assert_near "$(calc "$cw * 25.4 / 96")" "$2" 0.02 "$name.svg width in Chromium (mm, from '$size' CSS px)"
    assert_near "$(calc "$ch * 25.4 / 96")" "$3" 0.02 "$name.svg height in Chromium (mm)"
    chromium_run "$name-shot" --window-size="$w,$h" --force-device-scale-factor=1 \
        --screenshot="$WORK/$name-chromium.png" "file://$WORK/$name.html" >/dev/null
    [ "$(probe png-info "$WORK/$name-chromium.png" | cut -d' ' -f1-2)" = "$w $h" ] ||
        fail "Chromium's screenshot of $name.svg is not ${w}x$h"
    read -r frac mean <<<"$(probe diff "$WORK/$name.png" "$WORK/$name-chromium.png" 64)"
    note "PNG vs SVG in Chromium ($name): $frac of pixels differ by more than 64, mean difference $mean"
    assert_near "$frac" 0 0.03 "share of pixels that differ, $name.png vs $name.svg in Chromium"
    assert_near "$mean" 0 4 "mean channel difference, $name.png vs $name.svg in Chromium"
}

# a report figure: 160 mm x 110 mm, at 96 dpi 605 x 416 px
for fmt in png svg; do
    render "report-$fmt" render "$EXAMPLES/report/tanf.yaml" -o "$WORK/report.$fmt" --set dpi=96
done
compare report 160 110

# the tanf example: 1600 x 1200 px, an SVG of 1200 x 900 pt
for fmt in png svg; do
    render "big-$fmt" render "$EXAMPLES/tanf.yaml" -o "$WORK/big.$fmt"
done
compare big "$(calc "1600 * 25.4 / 96")" "$(calc "1200 * 25.4 / 96")"

# (the comparison can fail: the map without its zone differs from the SVG)
render nozone render "$EXAMPLES/report/tanf.yaml" -o "$WORK/nozone.png" --set dpi=96 --set 'zones=[]'
read -r frac _ <<<"$(probe diff "$WORK/nozone.png" "$WORK/report-chromium.png" 64)"
awk -v f="$frac" 'BEGIN { exit !(f > 0.03) }' || fail "the comparison with Chromium does not see a missing zone ($frac)"

note "all passed"
