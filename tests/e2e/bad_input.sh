# Bad input is refused with the documented exit code and a message that
# names the place (file:line:col) and the reason; a failed run leaves an
# earlier map untouched and no temporary files.  Bad data rows are skipped
# with a warning and the map is still drawn.
source "$(dirname "$0")/lib.sh"

# A good map to start from; every failing run below targets a copy of it.
cat >"$WORK/good.yaml" <<'YAML'
size: 320x240
basemap: none
extent: [38, 33, 39, 34]
legend: none
YAML
render good render "$WORK/good.yaml" -o "$WORK/good.png"
mkdir -p "$WORK/out"

# refused NAME CODE MAP [INCIMAP ARGS...]: render MAP onto out/map.png (an
# earlier good map), expect exit CODE, the old map intact, no temporaries.
refused() {
    local name=$1 code=$2 map=$3
    shift 3
    cp "$WORK/good.png" "$WORK/out/map.png"
    run_im "$name" render "$map" -o "$WORK/out/map.png" "$@"
    expect_rc "$code" "$name"
    cmp -s "$WORK/good.png" "$WORK/out/map.png" || fail "$name: the earlier map was changed by a failed run"
    assert_dir_holds "$WORK/out" map.png
    [ "$(wc -l <"$ERR")" -ge 1 ] || fail "$name: nothing on stderr"
    note "ok: $name: exit $code: $(head -1 "$ERR")"
}

# 1. YAML syntax error: line 3, with a column
cat >"$WORK/syntax.yaml" <<'YAML'
title: A map
size: 320x240
subtitle: a: b
YAML
refused syntax 3 "$WORK/syntax.yaml"
assert_matches "$ERR" 'syntax\.yaml:3:[0-9]+: ' "stderr of a YAML syntax error"

# 2. unknown key, named with its line and column
cat >"$WORK/unknown.yaml" <<'YAML'
title: A map
size: 320x240
basemap: none
colour: red
YAML
refused unknown-key 3 "$WORK/unknown.yaml"
assert_contains "$ERR" "unknown.yaml:4:1: " "stderr of an unknown key"
assert_contains "$ERR" "colour" "stderr of an unknown key"

# ... also inside a nested mapping
cat >"$WORK/unknown2.yaml" <<'YAML'
basemap: none
zones:
  - name: Z
    center: [38.5, 33.5]
    radius_km: 10
    colour: red
YAML
refused unknown-nested-key 3 "$WORK/unknown2.yaml"
assert_contains "$ERR" "unknown2.yaml:6:5: " "stderr of an unknown zone key"
assert_contains "$ERR" "colour" "stderr of an unknown zone key"

# 3. a data file that does not exist: exit 4, naming the file and the line
cat >"$WORK/missing.yaml" <<'YAML'
basemap: none
extent: [38, 33, 39, 34]
incidents:
  source: no-such-incidents.csv
YAML
refused missing-data 4 "$WORK/missing.yaml"
assert_contains "$ERR" "no-such-incidents.csv" "stderr of a missing data file"
assert_matches "$ERR" 'missing\.yaml:4(:[0-9]+)?: ' "stderr of a missing data file"

# 4. a data file without coordinates: exit 4, naming the file
printf 'date,type,actor\n2020-01-01,air strike,Alpha\n' >"$WORK/nocoords.csv"
cat >"$WORK/nocoords.yaml" <<'YAML'
basemap: none
extent: [38, 33, 39, 34]
incidents: {source: nocoords.csv}
YAML
refused data-without-coordinates 4 "$WORK/nocoords.yaml"
assert_contains "$ERR" "nocoords.csv" "stderr of a CSV without coordinates"

# 5. a base at latitude 95
cat >"$WORK/lat95.yaml" <<'YAML'
basemap: none
extent: [38, 33, 39, 34]
bases:
  - {name: Somewhere, at: [38.5, 33.5]}
  - {name: Nowhere, at: [38.5, 95]}
YAML
refused base-latitude-95 3 "$WORK/lat95.yaml"
assert_matches "$ERR" 'lat95\.yaml:5:[0-9]+: ' "stderr of a base at latitude 95"
assert_contains "$ERR" "95" "stderr of a base at latitude 95"
assert_matches "$ERR" '[Ll]atitude' "stderr of a base at latitude 95"

# 5b. a base-map shapefile that exists but is garbage: found only while
# drawing, after the output was opened, so this is the case where the
# temporary file must be removed and the earlier map kept
head -c 300 /dev/urandom >"$WORK/broken.shp"
head -c 100 /dev/urandom >"$WORK/broken.shx"
printf 'not a dbf' >"$WORK/broken.dbf"
cat >"$WORK/broken.yaml" <<'YAML'
extent: [38, 33, 39, 34]
basemap:
  - {source: broken.shp, fill: "#ff0000"}
YAML
refused broken-shapefile 4 "$WORK/broken.yaml"
assert_contains "$ERR" "broken.shp" "stderr of a broken shapefile"

# 6. an output extension that is not png/svg/pdf: usage error, nothing written
cp "$WORK/good.png" "$WORK/out/map.png"
run_im jpg render "$WORK/good.yaml" -o "$WORK/out/map.jpg"
expect_rc 2 "-o map.jpg"
assert_dir_holds "$WORK/out" map.png
assert_contains "$ERR" "map.jpg" "stderr of -o map.jpg"

# 7. an output directory that does not exist: exit 5
run_im nodir render "$WORK/good.yaml" -o "$WORK/no-such-dir/map.png"
expect_rc 5 "-o no-such-dir/map.png"
[ ! -e "$WORK/no-such-dir" ] || fail "a missing output directory was created"
assert_contains "$ERR" "no-such-dir/map.png" "stderr of a missing output directory"

# 8. --set with an unknown key, and with a bad value: usage errors
refused set-unknown-key 2 "$WORK/good.yaml" --set colour=red
assert_contains "$ERR" "colour" "stderr of --set colour=red"
refused set-bad-value 2 "$WORK/good.yaml" --set size=banana
assert_contains "$ERR" "banana" "stderr of --set size=banana"

# 9. a CSV row at latitude 95 is skipped with a warning; the map is drawn
cat >"$WORK/bad-row.csv" <<'CSV'
date,type,actor,lat,lon
2020-01-01,air strike,Alpha,33.5,38.5
2020-01-02,air strike,Alpha,95,38.6
CSV
cat >"$WORK/bad-row.yaml" <<'YAML'
size: 320x240
basemap: none
extent: [38, 33, 39, 34]
incidents: {source: bad-row.csv, labels: false}
legend: none
graticule: none
inset: none
YAML
cp "$WORK/good.png" "$WORK/out/map.png"
run_im bad-row render "$WORK/bad-row.yaml" -o "$WORK/out/map.png"
expect_rc 0 "a CSV with a row at latitude 95"
assert_contains "$ERR" "bad-row.csv:3" "warning about the row at latitude 95"
assert_matches "$ERR" '[Ll]at' "warning about the row at latitude 95 (names the field)"
[ "$(grep -c 'warning:' "$ERR")" = 1 ] || fail "expected one warning, got: $(cat "$ERR")"
# ... and the summary after it
[ "$(grep -c . "$ERR")" = 2 ] || fail "expected a warning and a summary, got: $(cat "$ERR")"
assert_contains "$ERR" "incimap: 1 row skipped in $WORK/bad-row.csv (see above)" "the summary line"
assert_dir_holds "$WORK/out" map.png
! cmp -s "$WORK/good.png" "$WORK/out/map.png" || fail "the map was not redrawn"
[ "$(probe png-info "$WORK/out/map.png")" = "320 240 96" ] || fail "the map with a bad row is not a 320x240 PNG"
# the good row is on the map (the first actor's vermillion), the bad one is not
read -r _ _ n <<<"$(probe centroid "$WORK/out/map.png" 213 94 0 40)"
[ "$n" -gt 40 ] || fail "the good incident is not on the map ($n vermillion pixels)"

# ... and -q silences the warning
run_im bad-row-quiet render -q "$WORK/bad-row.yaml" -o "$WORK/out/map.png"
expect_rc 0 "-q with a bad row"
[ ! -s "$ERR" ] || fail "-q still printed: $(cat "$ERR")"

note "all passed"
