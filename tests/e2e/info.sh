# incimap info: what a shapefile, CSV or GeoJSON file holds.  On every
# Natural Earth shapefile of the shared checkout, the geometry, feature
# count, extent, field names, types and widths agree with GDAL's
# `ogrinfo -so -al`; on the fixtures, the incident summary (rows usable and
# skipped, dates, types, actors, precisions) is exact.
source "$(dirname "$0")/lib.sh"

DATA="$SRC/tests/data/data"

# 1. CSV: fields with their types and roles, and what it gives as incidents
run_im csv info "$DATA/filters.csv"
expect_rc 0 "info on a CSV"
cat >"$WORK/csv.want" <<WANT
$DATA/filters.csv
  format:    CSV
  geometry:  Point (latitude and longitude columns)
  rows:      7
  extent:    (36.900000, 33.500000) - (40.300000, 35.300000)
  crs:       WGS 84 (EPSG:4326) [latitude and longitude in degrees]
  encoding:  UTF-8
  delimiter: comma
  fields:    7
    date: Date, read as date, 1 empty
    type: String, read as type
    actor: String, read as actor
    lat: Real, read as latitude
    lon: Real, read as longitude
    fatalities: Integer, read as fatalities, 2 empty
    region: String
  incidents: 7 usable, 0 skipped
  dates:     2016-06-16 to 2022-06-15 (1 without a date)
  types:     Air strike 5, Missile strike 1, Ground attack 1
  actors:    Russia 3, US-led coalition 2, Pro-government forces 1, United States 1
WANT
diff -u "$WORK/csv.want" "$OUT" || fail "info on filters.csv differs (above)"

# 2. ACLED: 31 columns as downloaded, precisions counted
run_im acled info "$DATA/acled_sample.csv"
expect_rc 0 "info on an ACLED export"
assert_contains "$OUT" "  fields:    31"
assert_contains "$OUT" "    event_date: Date, read as date"
assert_contains "$OUT" "    sub_event_type: String, read as sub-event type"
assert_contains "$OUT" "  geo_precision: exact 2, nearby 1, region 0"
assert_contains "$OUT" "  types:     Air strike 1, Artillery 1, Ground attack 1"

# 3. bad rows: listed on stderr as the renderer would skip them, counted
run_im bad info "$DATA/incidents_bad.csv"
expect_rc 0 "info on a CSV with bad rows"
assert_contains "$OUT" "  incidents: 1 usable, 9 skipped (listed on stderr)"
[ "$(grep -c 'warning: skipped' "$ERR")" = 9 ] || fail "info did not list the 9 bad rows: $(cat "$ERR")"
run_im bad-quiet info -q "$DATA/incidents_bad.csv"
[ ! -s "$ERR" ] || fail "info -q listed rows: $(cat "$ERR")"
assert_contains "$OUT" "    title: String, read as title"
assert_contains "$OUT" "  encoding:  UTF-8 (1 row with bytes that are not UTF-8)"

# 4. GeoJSON: geometry types counted, properties typed; lines and polygons
# are no incidents and no problem
run_im gj info "$DATA/shapes.geojson"
expect_rc 0 "info on a GeoJSON file"
assert_contains "$OUT" "  geometry:  Point (2), LineString (2), MultiLineString (1), Polygon (2), MultiPolygon (1)"
assert_contains "$OUT" "  features:  8"
assert_contains "$OUT" "  extent:    (36.000000, 33.000000) - (43.000000, 35.900000)"
assert_contains "$OUT" "    radius_km: Integer, 7 empty"
assert_contains "$OUT" "  crs:       WGS 84 (EPSG:4326) [RFC 7946: GeoJSON is always WGS 84]"
[ ! -s "$ERR" ] || fail "info on lines and polygons warned: $(cat "$ERR")"
run_im lines info "$SRC/geodata/data/lines.geojson"
expect_rc 0 "info on a lines file"
assert_contains "$OUT" "  geometry:  LineString"
assert_contains "$OUT" "  incidents: none: no points: usable under lines: or zones:, not as incidents"

# 5. files that cannot be read
run_im missing info "$WORK/no-such.csv"
expect_rc 4 "info on a missing file"
assert_contains "$ERR" "no-such.csv"
run_im broken info "$DATA/incidents_truncated.geojson"
expect_rc 4 "info on a truncated GeoJSON file"
assert_matches "$ERR" 'incidents_truncated\.geojson:[0-9]+: invalid JSON' "the truncated file's error"
run_im noargs info
expect_rc 2 "info without a file"

# 6. Natural Earth against ogrinfo
NE="$SRC/../shared/basemaps"
[ -d "$NE/naturalearth-me" ] || skip "no ../shared/basemaps (the CSV and GeoJSON checks passed)"
command -v ogrinfo >/dev/null 2>&1 || skip "no ogrinfo (gdal-bin) to compare with (the CSV and GeoJSON checks passed)"
n=0
for shp in "$NE"/naturalearth-me/*.shp "$NE"/naturalearth-world/*.shp; do
    name=$(basename "$shp" .shp)
    # ogrinfo's summary: Geometry, Feature Count, Extent and "name: Type (w.p)"
    ogrinfo -ro -so -al "$shp" 2>/dev/null |
        sed -nE 's/^Geometry: /geometry: /p; s/^Feature Count: /features: /p; s/^Extent: /extent: /p;
                 /^[A-Za-z_][A-Za-z0-9_]*: [A-Za-z0-9]+ \([0-9]+\.[0-9]+\)$/p' >"$WORK/$name.ogr"
    run_im "$name" info -q "$shp"
    expect_rc 0 "info on $name"
    sed -nE 's/^  (geometry|features|extent): +/\1: /p;
             s/^    ([^:]+: [A-Za-z0-9]+ \([0-9]+\.[0-9]+\)).*/\1/p' "$OUT" >"$WORK/$name.im"
    [ "$(grep -c '^features: ' "$WORK/$name.ogr")" = 1 ] || fail "ogrinfo said no feature count for $name"
    diff -u "$WORK/$name.ogr" "$WORK/$name.im" >"$WORK/$name.diff" ||
        fail "$name: incimap info and ogrinfo disagree: $(cat "$WORK/$name.diff")"
    assert_contains "$OUT" "  crs:       WGS 84 (EPSG:4326) [.prj]" "info on $name"
    assert_contains "$OUT" "  encoding:  UTF-8 (.cpg)" "info on $name"
    note "ok: $name: $(grep '^features' "$WORK/$name.im"), $(grep -cE '^[^ ]+: [A-Za-z0-9]+ \(' "$WORK/$name.im") fields agree with ogrinfo"
    n=$((n + 1))
done
[ "$n" -ge 10 ] || fail "only $n Natural Earth shapefiles were compared"

note "all passed"
