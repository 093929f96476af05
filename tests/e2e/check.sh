# incimap check: the map file and every file it names are checked, every
# problem is reported (not just the first) as file:line[:col]: message,
# each once, and the exit code is the first error's; a clean map gets one
# OK line with what was read.  --strict makes every bad row an error and
# still lists them all.  render --strict fails on the first bad row.
source "$(dirname "$0")/lib.sh"

DATA="$SRC/tests/data/data"
cp "$DATA/acled_sample.csv" "$WORK/acled.csv"
cp "$SRC/geodata/data/lines.geojson" "$SRC/geodata/data/zones.geojson" "$WORK/"

# 1. a clean map: exit 0 and one summary line
cat >"$WORK/good.yaml" <<'YAML'
basemap: none
incidents: {source: acled.csv, where: {event_type: Battles}}
lines: [{source: lines.geojson}]
zones: [{source: zones.geojson}]
YAML
run_im good check "$WORK/good.yaml"
expect_rc 0 "check of a clean map"
[ "$(wc -l <"$OUT")" = 1 ] || fail "a clean map gave more than one line: $(cat "$OUT")"
assert_contains "$OUT" "$WORK/good.yaml: OK: 3 data files, 3 incident records (1 on the map, 2 left out by when/where, 0 skipped), 1 line, 1 zone, 0 base-map layers" "the OK line"
[ ! -s "$ERR" ] || fail "check wrote to stderr: $(cat "$ERR")"

# 2. a map file with many problems: all of them, in order, each once
cp "$DATA/incidents_bad.csv" "$WORK/bad.csv"
cat >"$WORK/many.yaml" <<'YAML'
title: Many problems
colour: red
size: banana
incidents:
  source: [bad.csv, no-such.csv]
  symbol: {bi: type}
zones:
  - {name: a, center: [38, 33]}
  - {name: b, center: [38, 33], radius_km: 10, colour: blue}
  - {name: c, polygon: [[36, 33], [37, 34]]}
bases:
  - {name: b1, at: [38.6, 95]}
  - {name: b2, at: [38.6, 33]}
lines:
  - {source: lines.geojson, where: {name: Nothing like it}}
YAML
run_im many check "$WORK/many.yaml"
expect_rc 3 "check of a map with many problems (the first is a map-file error)"
m="$WORK/many.yaml"
cat >"$WORK/many.want" <<WANT
$m:2:1: unknown key 'colour' (expected one of: title
$m:3:7: expected WxH pixels for size (e.g. 1600x1200), got 'banana'
$m:5:21: cannot open 'no-such.csv': No such file or directory
$m:6:12: unknown key 'bi' in incidents.symbol (expected one of: by)
$m:8:5: missing key 'radius_km' in zones[0] (a circle needs center and radius_km)
$m:9:48: unknown key 'colour' in zones[1] (expected one of: name
$m:10:24: polygon needs at least 3 points, got 2
$m:12:27: latitude 95 is out of range [-90, 90]
$WORK/bad.csv:2: warning: skipped: latitude 95 is out of range [-90, 90] (column 'lat')
$WORK/bad.csv:12: warning: skipped: 6 fields, expected 5 (as in the header)
$m:15:14: lines[0]: no line in '$WORK/lines.geojson' where the filter holds
$m: 9 errors, 9 warnings
WANT
while IFS= read -r line; do
    assert_contains "$OUT" "$line" "check's report"
done <"$WORK/many.want"
[ "$(grep -c "unknown key 'colour'" "$OUT")" = 2 ] || fail "the unknown keys are not reported once each"
[ "$(grep -c "^$m:12:" "$OUT")" = 1 ] || fail "the base at latitude 95 is reported more than once"
# every problem line is file:line[:col]: message
bad=$(grep -vE '^[^:]+:[0-9]+(:[0-9]+)?: ' "$OUT" | grep -vF "$m: 9 errors" || true)
[ -z "$bad" ] || fail "lines that are not file:line[:col]: message: $bad"
# the map file's problems come in the file's order
[ "$(grep -n "^$m:2:1:" "$OUT" | cut -d: -f1)" -lt "$(grep -n "^$m:12:27:" "$OUT" | cut -d: -f1)" ] ||
    fail "problems are not in file order"

# 3. data problems only: warnings, exit 0 ...
cat >"$WORK/data.yaml" <<'YAML'
basemap: none
incidents: {source: bad.csv}
YAML
run_im data check "$WORK/data.yaml"
expect_rc 0 "check of a map whose data has bad rows"
[ "$(grep -c ': warning: skipped: ' "$OUT")" = 9 ] || fail "expected 9 skipped rows, got: $(cat "$OUT")"
assert_contains "$OUT" "$WORK/data.yaml: OK: 1 data file, 10 incident records (1 on the map, 0 left out by when/where, 9 skipped), 0 lines, 0 zones, 0 base-map layers; 9 warnings"
# ... with --strict every bad row is an error, all of them, exit 4
run_im data-strict check --strict "$WORK/data.yaml"
expect_rc 4 "check --strict of a map whose data has bad rows"
[ "$(grep -c "^$WORK/bad.csv:[0-9]*: " "$OUT")" = 9 ] || fail "--strict did not list every bad row: $(cat "$OUT")"
assert_contains "$OUT" "$WORK/bad.csv:4: date '2017-02-30' is not a valid date (column 'date')"
assert_contains "$OUT" "$WORK/bad.csv:8: invalid UTF-8 in column 'title' (save the file as UTF-8)"
assert_contains "$OUT" "$WORK/data.yaml: 9 errors, 0 warnings"
# ... -q: errors only
run_im data-quiet check -q "$WORK/data.yaml"
expect_rc 0 "check -q"
[ "$(wc -l <"$OUT")" = 1 ] || fail "check -q printed warnings: $(cat "$OUT")"

# 4. a `columns:` mapping naming a column the file lacks: at the mapping
cat >"$WORK/columns.yaml" <<'YAML'
basemap: none
incidents:
  source: acled.csv
  columns: {lat: LATITUDE_DD, lon: longitude}
YAML
run_im columns check "$WORK/columns.yaml"
expect_rc 4 "check of a mapping to a missing column"
assert_contains "$OUT" "$WORK/columns.yaml:4:18: no column 'LATITUDE_DD' in '$WORK/acled.csv' (it has: event_id_cnty, event_date,"

# 5. a field the map uses that is in no file: at the map-file line
cat >"$WORK/field.yaml" <<'YAML'
basemap: none
incidents:
  source: acled.csv
  color: {by: side}
YAML
run_im field check "$WORK/field.yaml"
expect_rc 4 "check of color by a field the file lacks"
assert_contains "$OUT" "$WORK/field.yaml:4:15: incidents.color: no column 'side' in '$WORK/acled.csv'"

# 6. a YAML syntax error: one line, exit 3
printf 'title: [x\n' >"$WORK/syntax.yaml"
run_im syntax check "$WORK/syntax.yaml"
expect_rc 3 "check of a YAML syntax error"
assert_matches "$OUT" "^$WORK/syntax.yaml:[0-9]+:[0-9]+: " "the syntax error"

# 7. usage
run_im usage check
expect_rc 2 "check without a map file"
run_im baddate check --from 2017-02-30 "$WORK/good.yaml"
expect_rc 2 "check --from 2017-02-30"
assert_contains "$OUT" "--from '2017-02-30' is not a date"

# 8. render --strict: the first bad row is fatal, exit 4, the old map stays
render ok render "$WORK/good.yaml" -o "$WORK/map.png"
cp "$WORK/map.png" "$WORK/map.before.png"
run_im strict render --strict "$WORK/data.yaml" -o "$WORK/map.png"
expect_rc 4 "render --strict of bad data"
assert_contains "$ERR" "incimap: $WORK/bad.csv:2: latitude 95 is out of range [-90, 90] (column 'lat')"
[ "$(wc -l <"$ERR")" = 1 ] || fail "render --strict said more than the first bad row: $(cat "$ERR")"
cmp -s "$WORK/map.png" "$WORK/map.before.png" || fail "a failed render --strict changed the map"
# ... without it: one warning per row and the summary line at the end
run_im lax render "$WORK/data.yaml" -o "$WORK/map.png"
expect_rc 0 "render of bad data"
[ "$(grep -c ': warning: skipped: ' "$ERR")" = 9 ] || fail "expected 9 warnings: $(cat "$ERR")"
[ "$(tail -1 "$ERR")" = "incimap: 9 rows skipped in $WORK/bad.csv (see above)" ] ||
    fail "the last line is not the summary: $(tail -1 "$ERR")"

note "all passed"
