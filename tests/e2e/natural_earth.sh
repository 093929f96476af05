# A base map of the user's own shapefiles (Natural Earth, from the shared
# development checkout): the layers are drawn in order with their styles,
# in a Lambert conformal conic projection given as a PROJ string, and a line
# can follow a feature of one of them.
source "$(dirname "$0")/lib.sh"

NE="$SRC/../shared/basemaps/naturalearth-me"
[ -f "$NE/ne_10m_land.shp" ] || skip "no ../shared/basemaps"
NE=$(cd "$NE" && pwd)

crs="+proj=lcc +lat_1=33 +lat_2=37 +lat_0=34.5 +lon_0=39 +datum=WGS84 +units=m +no_defs"
cat >"$WORK/ne.yaml" <<YAML
title: Natural Earth test map
size: 1200x900
projection: "$crs"
extent: [35, 31.5, 43, 37.5]
basemap:
  - {source: $NE/ne_10m_ocean.shp, fill: "#aad3df"}
  - {source: $NE/ne_10m_land.shp, fill: "#e0e0e0", stroke: "#555555", width: 1}
  - {source: $NE/ne_10m_admin_0_boundary_lines_land.shp, stroke: "#555555", dash: [6, 3]}
  - {source: $NE/ne_10m_rivers_lake_centerlines.shp, name: rivers, stroke: "#2f6fbf", label: name}
  - {source: $NE/ne_10m_populated_places.shp, fill: "#000000", size: 4, label: NAME,
     rank: {field: SCALERANK, max: 8}}
lines:
  - name: Euphrates line
    # Natural Earth calls the Syrian stretch "Al Furat", the Iraqi one "Euphrates"
    follow: {layer: rivers, where: {name: [Al Furat, Euphrates]}, from: [38.56, 35.86], to: [40.93, 34.45]}
    stroke: "#b2182b"
    width: 2.5
legend: none
graticule: none
inset: none
YAML

render ne render "$WORK/ne.yaml" -o "$WORK/ne.png" --world-file
png="$WORK/ne.png"
pgw="$WORK/ne.pgw"
[ "$(probe png-info "$png")" = "1200 900 96" ] || fail "ne.png is not 1200x900 at 96 dpi: $(probe png-info "$png")"

# mostly_color NAME LON LAT "R G B": a 9x9 px patch around the spot is (at
# least 90%) that colour, give or take 3.
mostly_color() {
    local name=$1 lon=$2 lat=$3 rgb=$4 px py n
    read -r px py <<<"$(geo2px "$crs" "$pgw" "$lon" "$lat")"
    awk -v x="$px" -v y="$py" 'BEGIN { exit !(x > 20 && y > 60 && x < 1180 && y < 860) }' ||
        fail "$name ($lon, $lat) is at ($px, $py): not inside the map frame"
    # shellcheck disable=SC2086
    read -r _ _ n <<<"$(probe centroid "$png" $rgb 3 \
        "$(calc "$px - 4.5")" "$(calc "$py - 4.5")" "$(calc "$px + 4.5")" "$(calc "$py + 4.5")")"
    [ "$n" -ge 73 ] || fail "$name ($lon, $lat) at ($px, $py) is not ($rgb): only $n of 81 pixels are; centre pixel is ($(probe pixel "$png" "$px" "$py"))"
    note "ok: $name at ($px, $py) is ($rgb)"
}
mostly_color "the Mediterranean" 34.8 34.0 "170 211 223"
mostly_color "the Mediterranean off Tartus" 35.55 35.0 "170 211 223"
# (38.5, 34.5) is beside the Tadmur (Palmyra) label; 39.0, 34.0 is open desert
mostly_color "the Syrian desert" 39.0 34.0 "224 224 224"
mostly_color "the Iraqi desert" 41.5 33.0 "224 224 224"

# the line follows the Euphrates: its colour near Deir ez-Zor
read -r px py <<<"$(geo2px "$crs" "$pgw" 40.14 35.33)"
read -r _ _ n <<<"$(probe centroid "$png" 178 24 43 40 \
    "$(calc "$px - 20")" "$(calc "$py - 20")" "$(calc "$px + 20")" "$(calc "$py + 20")")"
[ "$n" -ge 15 ] || fail "the line that follows the Euphrates is not near Deir ez-Zor ($n pixels)"

# Damascus (SCALERANK 0) has its dot: black pixels at its position
read -r px py <<<"$(geo2px "$crs" "$pgw" 36.298 33.502)"
read -r _ _ n <<<"$(probe centroid "$png" 0 0 0 60 \
    "$(calc "$px - 4")" "$(calc "$py - 4")" "$(calc "$px + 4")" "$(calc "$py + 4")")"
[ "$n" -ge 4 ] || fail "no populated-place dot at Damascus ($px, $py)"

note "all passed"
