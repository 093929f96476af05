# -q/--quiet (errors only) and -v/--verbose (what was read, counts,
# timings) on every subcommand: render, check and info.  Progress goes to
# stderr and never changes the map; the last of -q and -v wins.
source "$(dirname "$0")/lib.sh"

cat >"$WORK/rows.csv" <<'CSV'
date,type,actor,lat,lon
2020-01-01,air strike,Alpha,33.5,38.5
2020-01-02,air strike,Alpha,95,38.6
2019-06-01,artillery,Beta,33.4,38.4
CSV
cat >"$WORK/map.yaml" <<'YAML'
size: 320x240
basemap: none
extent: [38, 33, 39, 34]
incidents: {source: rows.csv, labels: false}
when: {from: 2020-01-01}
legend: none
YAML
printf 'basemap: none\nincidents: {source: rows.csv}\ncolour: red\n' >"$WORK/bad.yaml"

# render: plain, -v, -q
render plain render "$WORK/map.yaml" -o "$WORK/plain.png"
assert_contains "$ERR" "warning:" "render's stderr (the bad row)"
render verbose render -v "$WORK/map.yaml" -o "$WORK/verbose.png"
cmp -s "$WORK/plain.png" "$WORK/verbose.png" || fail "-v changed the map"
assert_contains "$ERR" "warning:" "render -v's stderr (warnings stay)"
assert_matches "$ERR" "^incimap: rendering $WORK/map.yaml to $WORK/verbose.png\$" "render -v's first line"
assert_matches "$ERR" "^incimap: read $WORK/rows.csv: 3 records \(1 kept, 1 left out by when/where, 1 skipped\) in [0-9]+ ms\$" \
    "render -v's line for the CSV"
size=$(wc -c <"$WORK/verbose.png")
assert_matches "$ERR" "^incimap: wrote $WORK/verbose.png \($size bytes\) in [0-9]+ ms\$" "render -v's last line"
[ -z "$(cat "$OUT")" ] || fail "render -v printed on stdout: $(cat "$OUT")"
render quiet render --quiet "$WORK/map.yaml" -o "$WORK/quiet.png"
[ ! -s "$ERR" ] || fail "render -q printed: $(cat "$ERR")"
cmp -s "$WORK/plain.png" "$WORK/quiet.png" || fail "-q changed the map"
# the last of -q and -v wins
render v-then-q render -v -q "$WORK/map.yaml" -o "$WORK/quiet.png"
[ ! -s "$ERR" ] || fail "render -v -q printed: $(cat "$ERR")"
render q-then-v render -q --verbose "$WORK/map.yaml" -o "$WORK/quiet.png"
assert_contains "$ERR" "incimap: wrote " "render -q -v's stderr"
# -q still shows the error, and only that
run_im quiet-error render -q "$WORK/bad.yaml" -o "$WORK/bad.png"
expect_rc 3 "render -q of a bad map file"
[ "$(wc -l <"$ERR")" = 1 ] || fail "render -q of a bad map printed more than the error: $(cat "$ERR")"
assert_contains "$ERR" "bad.yaml:3:1: unknown key 'colour'"

# check: problems on stdout; -q keeps errors and the summary, -v adds
# progress on stderr
run_im check-plain check "$WORK/map.yaml"
expect_rc 0 "check"
[ "$(wc -l <"$OUT")" = 2 ] || fail "check: expected a warning and a summary: $(cat "$OUT")"
run_im check-quiet check -q "$WORK/map.yaml"
expect_rc 0 "check -q"
[ "$(wc -l <"$OUT")" = 1 ] || fail "check -q printed warnings: $(cat "$OUT")"
assert_contains "$OUT" "map.yaml: OK: 1 data file, 3 incident records (1 on the map, 1 left out by when/where, 1 skipped)"
[ ! -s "$ERR" ] || fail "check -q wrote to stderr: $(cat "$ERR")"
run_im check-verbose check -v "$WORK/map.yaml"
expect_rc 0 "check -v"
cmp -s "$WORK/check-plain.out" "$OUT" || fail "check -v changed what check prints on stdout"
assert_matches "$ERR" "^incimap: checking $WORK/map.yaml\$" "check -v's first line"
assert_matches "$ERR" "^incimap: read $WORK/rows.csv: 3 records " "check -v's line for the CSV"
assert_matches "$ERR" "^incimap: checked $WORK/map.yaml in [0-9]+ ms\$" "check -v's last line"
run_im check-quiet-error check -q "$WORK/bad.yaml"
expect_rc 3 "check -q of a bad map file"
assert_contains "$OUT" "bad.yaml:3:1: unknown key 'colour'"

# info: the description on stdout whatever the level; -q hides the
# skipped rows, -v adds the time taken
run_im info-plain info "$WORK/rows.csv"
expect_rc 0 "info"
assert_contains "$ERR" "rows.csv:3" "info's list of skipped rows"
run_im info-quiet info -q "$WORK/rows.csv"
expect_rc 0 "info -q"
[ ! -s "$ERR" ] || fail "info -q wrote to stderr: $(cat "$ERR")"
cmp -s "$WORK/info-plain.out" "$OUT" || fail "info -q changed the description"
run_im info-verbose info -v "$WORK/rows.csv"
expect_rc 0 "info -v"
cmp -s "$WORK/info-plain.out" "$OUT" || fail "info -v changed the description"
assert_matches "$ERR" "^incimap: read $WORK/rows.csv in [0-9]+ ms\$" "info -v's timing line"
run_im info-quiet-error info -q "$WORK/missing.csv"
expect_rc 4 "info -q of a missing file"
assert_contains "$ERR" "missing.csv" "info -q's error"

note "all passed"
