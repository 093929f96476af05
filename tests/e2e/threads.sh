# Work split onto a second thread (projecting, sorting and stamping many
# incidents, deflating the PNG, reading a big CSV) never changes the map:
# with INCIMAP_THREADS=1 every byte is the same.  The incidents crowd the
# lower half of the frame, so the halves of the work are uneven, and one
# stands alone in an empty corner, where its symbol must be: the legend
# asked for there keeps clear of it (the obstacles of so many incidents
# are the grid cells they touch).
source "$(dirname "$0")/lib.sh"

crs=EPSG:32637
# 150,000 incidents (enough for every split), a tenth of them outside the
# frame, dates over two years in no order, three actors
awk 'BEGIN {
    print "date,type,actor,lat,lon"
    s = 12345
    for (i = 0; i < 150000; i++) {
        s = (s * 1103515245 + 12345) % 2147483648; u = s / 2147483648
        s = (s * 1103515245 + 12345) % 2147483648; v = s / 2147483648
        s = (s * 1103515245 + 12345) % 2147483648; w = s / 2147483648
        lon = 38.05 + 1.1 * u; lat = 33.05 + 0.4 * v
        if (i % 10 == 3) { lon += 3; lat -= 2 }
        printf "20%02d-%02d-%02d,%s,%s,%.5f,%.5f\n", 20 + int(w * 2), 1 + int(w * 24) % 12, 1 + i % 28,
            i % 3 ? "air strike" : "shelling", i % 7 == 0 ? "Bravo" : i % 5 == 0 ? "Charlie" : "Alpha", lat, lon
    }
    # alone in the top right corner, the newest of all
    print "2023-06-01,air strike,Alpha,33.90,39.45"
}' >"$WORK/incidents.csv"
cat >"$WORK/map.yaml" <<YAML
size: 800x600
projection: $crs
extent: [38.0, 33.0, 39.6, 34.0]
basemap: none
incidents: {source: incidents.csv, labels: false}
legend: top-right
$NO_FURNITURE
YAML

render two render "$WORK/map.yaml" -o "$WORK/two.png" --world-file
INCIMAP_THREADS=1 render one render "$WORK/map.yaml" -o "$WORK/one.png"
cmp "$WORK/one.png" "$WORK/two.png" >"$WORK/cmp.txt" 2>&1 ||
    fail "the map drawn on one thread differs from the map drawn on two: $(cat "$WORK/cmp.txt")"
note "ok: one thread and two give the same PNG"

# Alpha has the most incidents: the first colour (vermillion)
read -r ex ey <<<"$(geo2px "$crs" "$WORK/two.pgw" 39.45 33.90)"
read -r cx cy n <<<"$(probe centroid "$WORK/two.png" 213 94 0 40 \
    "$(calc "$ex - 12")" "$(calc "$ey - 12")" "$(calc "$ex + 12")" "$(calc "$ey + 12")")"
[ "$n" -ge 8 ] || fail "only $n vermillion pixels near the lone incident at ($ex, $ey)"
assert_near "$cx" "$ex" 0.35 "the lone incident's symbol x (px)"
assert_near "$cy" "$ey" 0.35 "the lone incident's symbol y (px)"
# the crowd covers the lower part and leaves the middle above it empty (its
# shelling, drawn last, in the third colour: bluish green)
read -r _ _ n <<<"$(probe centroid "$WORK/two.png" 0 158 115 40 0 400 800 600)"
[ "$n" -ge 20000 ] || fail "only $n bluish green pixels in the lower part of the map"
read -r _ _ n <<<"$(probe centroid "$WORK/two.png" 0 158 115 40 150 0 550 250)"
[ "$n" = 0 ] || fail "$n bluish green pixels in the empty middle above the crowd"
note "ok: the symbols are where the incidents are"
note "all passed"
