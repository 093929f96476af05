#!/usr/bin/env bash
# Build benchmark (not a test): a 1,000-page atlas (one 800x600 page per
# incident, default base map) is built from scratch with -j 1 and with
# -j 2, then built again with nothing changed (the no-op build, best of
# five), then after one incident moved.  Prints wall times and pages/s.
#
#   tests/bench/build_bench.sh [INCIMAP] [PAGES]
#
# INCIMAP defaults to ./build/incimap, PAGES to 1000.  Files go to
# $BENCH_DIR (default /tmp/incimap-build-bench), emptied first.  Then the
# same for PAGES map files of one small output each: full build and no-op.
set -euo pipefail

INCIMAP=$(realpath "${1:-./build/incimap}")
PAGES=${2:-1000}
DIR=${BENCH_DIR:-/tmp/incimap-build-bench}

[ -x "$INCIMAP" ] || { echo "no incimap binary at $INCIMAP" >&2; exit 2; }
rm -rf "$DIR"
mkdir -p "$DIR/maps"
cd "$DIR"

# Deterministic pseudo-random incidents over Syria and Iraq, 2017-2019.
awk -v n="$PAGES" 'BEGIN {
    srand(7);
    split("air strike,missile strike,artillery,ground attack,IED", types, ",");
    split("Russia,United States,Syria,Turkey,Islamic State,Iran", actors, ",");
    print "id,date,type,actor,title,lat,lon";
    for (i = 1; i <= n; i++) {
        printf "ev%04d,%04d-%02d-%02d,%s,%s,Incident %d,%.4f,%.4f\n", i, 2017 + int(rand() * 3),
            1 + int(rand() * 12), 1 + int(rand() * 28), types[1 + int(rand() * 5)],
            actors[1 + int(rand() * 6)], i, 32.5 + rand() * 4.5, 36.0 + rand() * 7.0;
    }
}' >maps/incidents.csv
cat >maps/atlas.yaml <<'YAML'
title: Incident atlas
size: 800x600
incidents: {source: incidents.csv}
atlas: {per: incident, radius_km: 25, name: "{date}-{id}.png"}
YAML

now() { date +%s.%N; }
run() { # run LABEL ARGS...: time one build, print its summary
    local t0 t1
    t0=$(now)
    "$INCIMAP" "${@:2}" >"$1.out" 2>"$1.err"
    t1=$(now)
    echo "$1 $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }') $(tail -1 "$1.out")"
}
rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.1f", n / t }'; }

line=$(run full-j1 build maps -o out1 -j 1)
echo "full build, -j 1: ${line#* } ($(rate "$PAGES" "$(echo "$line" | cut -d' ' -f2)") pages/s)"
line=$(run full-j2 build maps -o out2 -j 2)
echo "full build, -j 2: ${line#* } ($(rate "$PAGES" "$(echo "$line" | cut -d' ' -f2)") pages/s)"
cmp -s <(cd out1 && find . -type f ! -name '.incimap*' -exec md5sum {} + | sort -k2) \
       <(cd out2 && find . -type f ! -name '.incimap*' -exec md5sum {} + | sort -k2) &&
    echo "-j 1 and -j 2 outputs: identical" || echo "-j 1 and -j 2 outputs: DIFFER"
best=
for i in 1 2 3 4 5; do
    line=$(run noop build maps -o out2)
    t=$(echo "$line" | cut -d' ' -f2)
    best=$(awk -v a="${best:-1e9}" -v b="$t" 'BEGIN { print (b < a ? b : a) }')
done
echo "no-op build of $PAGES pages: best of 5 ${best} s ($(tail -1 noop.out))"
# move the middle incident by 0.05 degrees
awk -F, -v OFS=, -v n="$PAGES" 'NR == int(n / 2) + 1 { $7 = sprintf("%.4f", $7 + 0.05) } { print }' maps/incidents.csv >maps/tmp.csv
mv maps/tmp.csv maps/incidents.csv
line=$(run dry build maps -o out2 -n)
echo "after moving one incident, --dry-run: ${line#* }"
line=$(run one build maps -o out2 -j 2)
echo "after moving one incident, -j 2: ${line#* }"

# 1,000 map files of one output each (small, no base map, so that the
# full build is quick): the no-op build checks 1,000 outputs one by one.
mkdir -p many
head -11 maps/incidents.csv >many/incidents.csv
for i in $(seq -w 1 "$PAGES"); do
    printf 'title: Map %s\nsize: 320x240\nbasemap: none\nlegend: none\ninset: none\ngraticule: none\nincidents: {source: incidents.csv}\n' "$i" >"many/map$i.yaml"
done
line=$(run many-full build many -o outmany -j 2)
echo "full build of $PAGES map files (320x240, no base map), -j 2: ${line#* }"
best=
for i in 1 2 3 4 5; do
    line=$(run many-noop build many -o outmany)
    t=$(echo "$line" | cut -d' ' -f2)
    best=$(awk -v a="${best:-1e9}" -v b="$t" 'BEGIN { print (b < a ? b : a) }')
done
echo "no-op build of $PAGES map files: best of 5 ${best} s ($(tail -1 many-noop.out))"
