# A CSV file big enough to be read on two threads (over 2 MB) reports what
# one reader would: every bad row once, in file order, at its physical line
# (quoted line breaks counted), the right counts in check's summary and
# -v's line; --strict lists them all in check and stops render at the
# first; two renders, and one with INCIMAP_THREADS=1, give the same bytes.
source "$(dirname "$0")/lib.sh"

# ~110,000 rows, ~5 MB: bad rows in both halves, a quoted line break every
# 7919 rows; the generator writes the warnings it expects, in order
awk -v want="$WORK/want.txt" -v csv="$WORK/big.csv" 'BEGIN {
    print "id,date,lat,lon,type,notes" > csv
    line = 2
    for (i = 1; i <= 110000; i++) {
        lat = sprintf("%.6f", 30 + (i * 7919 % 600000) / 100000)
        lon = sprintf("%.6f", 35 + (i * 104729 % 600000) / 100000)
        date = sprintf("2017-%02d-%02d", 1 + i % 12, 1 + i % 28)
        notes = "note " i
        if (i % 7919 == 0)
            notes = "\"first line\nsecond line\""
        if (i == 1000 || i == 99000) {
            lat = "195"
            printf "%s:%d: warning: skipped: latitude 195 is out of range [-90, 90] (column '\''lat'\'')\n", csv, line > want
        } else if (i == 30000 || i == 80000) {
            date = "2017-02-30"
            printf "%s:%d: warning: skipped: date '\''2017-02-30'\'' is not a valid date (column '\''date'\'')\n", csv, line > want
        } else if (i == 60001 || i == 108000) {
            printf "%d,%s,%s,%s,clash\n", i, date, lat, lon > csv
            printf "%s:%d: warning: skipped: 5 fields, expected 6 (as in the header)\n", csv, line > want
            line++
            continue
        }
        printf "%d,%s,%s,%s,clash,%s\n", i, date, lat, lon, notes > csv
        line += (i % 7919 == 0) ? 2 : 1
    }
}'
size=$(wc -c <"$WORK/big.csv")
[ "$size" -gt $((4 * 1024 * 1024)) ] || fail "the generated file is only $size bytes"
[ "$(wc -l <"$WORK/want.txt")" = 6 ] || fail "the generator wrote $(wc -l <"$WORK/want.txt") warnings"

cat >"$WORK/big.yaml" <<'YAML'
basemap: none
size: 300x200
extent: [34, 29, 42, 37]
incidents: {source: big.csv}
YAML

# check: the six warnings, in order, and the counts
run_im check check "$WORK/big.yaml"
expect_rc 0 "check of the big file"
grep ': warning: ' "$OUT" >"$WORK/got.txt" || true
diff "$WORK/want.txt" "$WORK/got.txt" >&2 || fail "check's warnings differ from the expected ones"
assert_contains "$OUT" "$WORK/big.yaml: OK: 1 data file, 110000 incident records (109994 on the map, 0 left out by when/where, 6 skipped)"

# check --strict: six errors, exit 4
run_im strict-check check --strict "$WORK/big.yaml"
expect_rc 4 "check --strict of the big file"
sed 's/: warning: skipped: /: /' "$WORK/want.txt" >"$WORK/want-strict.txt"
grep "^$WORK/big.csv:" "$OUT" >"$WORK/got-strict.txt" || true
diff "$WORK/want-strict.txt" "$WORK/got-strict.txt" >&2 || fail "check --strict's errors differ"

# render --strict: the first bad row only, nothing written
run_im strict-render render --strict "$WORK/big.yaml" -o "$WORK/strict.png"
expect_rc 4 "render --strict of the big file"
assert_contains "$ERR" "incimap: $(head -1 "$WORK/want-strict.txt")"
[ ! -e "$WORK/strict.png" ] || fail "a failed render --strict wrote a map"

# render twice: -v's counts, the same warnings, the same bytes
render one render -v "$WORK/big.yaml" -o "$WORK/one.png"
assert_contains "$ERR" "read $WORK/big.csv: 110000 records (109994 kept, 0 left out by when/where, 6 skipped)"
grep ': warning: ' "$ERR" | sed 's/^incimap: //' >"$WORK/got-render.txt" || true
diff "$WORK/want.txt" "$WORK/got-render.txt" >&2 || fail "render's warnings differ from the expected ones"
render two render "$WORK/big.yaml" -o "$WORK/two.png"
cmp -s "$WORK/one.png" "$WORK/two.png" || fail "two renders of the big file differ"
# ... and on one core: the same messages and bytes
INCIMAP_THREADS=1 render single render -v "$WORK/big.yaml" -o "$WORK/single.png"
# (what was read and skipped; not the timings or the output's name)
grep -E 'warning:|records|skipped in' "$ERR" | sed 's/ in [0-9]* ms$//' >"$WORK/single.msgs"
grep -E 'warning:|records|skipped in' "$WORK/one.err" | sed 's/ in [0-9]* ms$//' >"$WORK/one.msgs"
diff "$WORK/one.msgs" "$WORK/single.msgs" >&2 || fail "INCIMAP_THREADS=1 says something else"
cmp -s "$WORK/one.png" "$WORK/single.png" || fail "INCIMAP_THREADS=1 gives other bytes"
note "ok: $size bytes"
