# A 55 km zone is a geodesic circle of 55 km: the ring's east, west, north
# and south points, measured in the PNG, are where PROJ's geodesic and the
# world file put them, and its transparent fill leaves the centre clear.
source "$(dirname "$0")/lib.sh"

crs=EPSG:32637
lon0=38.64
lat0=33.5
cat >"$WORK/map.yaml" <<YAML
size: 1000x800
projection: $crs
extent: {center: [$lon0, $lat0], radius_km: 70}
basemap: none
zones:
  - name: Test zone
    center: [$lon0, $lat0]
    radius_km: 55
    fill: "#00000000"
    stroke: "#ff00ff"
    width: 2
legend: none
$NO_FURNITURE
YAML

render zone render "$WORK/map.yaml" -o "$WORK/zone.png" --world-file
png="$WORK/zone.png"
pgw="$WORK/zone.pgw"
read -r w h _ <<<"$(probe png-info "$png")"
[ "$w $h" = "1000 800" ] || fail "zone.png is ${w}x$h, expected 1000x800"

read -r cx cy <<<"$(geo2px "$crs" "$pgw" "$lon0" "$lat0")"
# transparent fill: the centre shows the map's background (#c6dfe9)
assert_color "$(probe pixel "$png" "$cx" "$cy")" "198 223 233" 2 "zone centre (transparent fill)"

declare -A ex ey mx my
for dir in "E 90" "W 270" "N 0" "S 180"; do
    read -r name az <<<"$dir"
    # shellcheck disable=SC2046
    read -r "ex[$name]" "ey[$name]" <<<"$(geo2px "$crs" "$pgw" $(probe geod "$lon0" "$lat0" "$az" 55000))"
    # walk from the centre towards the expected point, a quarter pixel at a time
    read -r dx dy <<<"$(awk -v x="${ex[$name]}" -v y="${ey[$name]}" -v cx="$cx" -v cy="$cy" \
        'BEGIN { l = sqrt((x-cx)^2 + (y-cy)^2); printf "%.6f %.6f\n", 0.25*(x-cx)/l, 0.25*(y-cy)/l }')"
    read -r "mx[$name]" "my[$name]" n <<<"$(probe ray "$png" 255 0 255 60 "$cx" "$cy" "$dx" "$dy")"
    [ "$n" -gt 0 ] || fail "no magenta ring found from the centre ($cx, $cy) towards $name (${ex[$name]}, ${ey[$name]})"
done

r_e=$(calc "(${ex[E]} - ${ex[W]}) / 2")   # expected radius, px
r_n=$(calc "(${ey[S]} - ${ey[N]}) / 2")
awk -v r="$r_e" 'BEGIN { exit !(r > 150) }' || fail "the zone is only $r_e px across: the test needs a bigger one"
# Each point within 1% of the radius, and within 1 px; the radii within
# 0.4 px (~0.13%), so a circle drawn on a sphere (0.25% short north-south
# at this latitude) fails.
tol=$(awk -v r="$r_e" 'BEGIN { t = r / 100; if (t > 1) t = 1; printf "%.4f\n", t }')
for name in E W N S; do
    assert_near "${mx[$name]}" "${ex[$name]}" "$tol" "ring's $name point x (px)"
    assert_near "${my[$name]}" "${ey[$name]}" "$tol" "ring's $name point y (px)"
done
assert_near "$(calc "(${mx[E]} - ${mx[W]}) / 2")" "$r_e" 0.4 "east-west radius (px)"
assert_near "$(calc "(${my[S]} - ${my[N]}) / 2")" "$r_n" 0.4 "north-south radius (px)"

# nothing magenta outside the ring
read -r _ _ n <<<"$(probe centroid "$png" 255 0 255 60 0 0 "$(calc "${ex[W]} - 4")" "$h")"
[ "$n" = 0 ] || fail "$n magenta pixels west of the ring"

note "all passed"
