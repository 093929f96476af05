#!/usr/bin/env bash
# Reading benchmark (not a test): a 1,000,000-row ACLED-style CSV and a
# 1,000,000-feature GeoJSON FeatureCollection are generated in a scratch
# folder, then read the way a map reads them (`incimap check`, which loads
# every record into the map model as `render` does) and streamed by
# `incimap info`.  Prints wall time and peak resident memory of each run.
#
#   tests/bench/read_bench.sh [INCIMAP] [ROWS]
#
# INCIMAP defaults to ./build/incimap, ROWS to 1000000.  Files go to
# $BENCH_DIR (default /tmp/incimap-bench); they are kept for reruns.
set -euo pipefail

INCIMAP=${1:-./build/incimap}
ROWS=${2:-1000000}
DIR=${BENCH_DIR:-/tmp/incimap-bench}
TIME=/usr/bin/time

[ -x "$INCIMAP" ] || { echo "no incimap binary at $INCIMAP" >&2; exit 2; }
[ -x "$TIME" ] || { echo "needs GNU time at $TIME (Debian: apt-get install time)" >&2; exit 2; }
mkdir -p "$DIR"
csv="$DIR/acled-$ROWS.csv"
gj="$DIR/incidents-$ROWS.geojson"

# Deterministic pseudo-random rows: dates over 2016-2023, positions over
# Syria and Iraq, 6 event types, 40 actors, ACLED's precision columns and a
# notes text of about 60 characters.
if [ ! -s "$csv" ]; then
    echo "generating $csv ..."
    awk -v n="$ROWS" 'BEGIN {
        srand(42)
        split("Air/drone strike,Shelling/artillery/missile attack,Armed clash,Remote explosive/landmine/IED,Attack,Looting/property destruction", se, ",")
        split("Explosions/Remote violence,Explosions/Remote violence,Battles,Explosions/Remote violence,Violence against civilians,Strategic developments", ev, ",")
        print "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,latitude,longitude,geo_precision,source,notes,fatalities"
        for (i = 1; i <= n; i++) {
            t = int(rand() * 6) + 1
            y = 2016 + int(rand() * 8); m = 1 + int(rand() * 12); d = 1 + int(rand() * 28)
            printf "SYR%d,%04d-%02d-%02d,%d,%d,%s,%s,Actor %d,%.4f,%.4f,%d,Source %d,\"On %04d-%02d-%02d, an incident near place %d, %d reported.\",%d\n",
                i, y, m, d, y, 1 + int(rand() * 3), ev[t], se[t], int(rand() * 40),
                32 + rand() * 5, 36 + rand() * 6, 1 + int(rand() * 3), int(rand() * 100),
                y, m, d, int(rand() * 5000), int(rand() * 20), int(rand() * 10)
        }
    }' >"$csv"
fi
if [ ! -s "$gj" ]; then
    echo "generating $gj ..."
    awk -v n="$ROWS" 'BEGIN {
        srand(7)
        split("air strike,missile strike,artillery,ground attack,IED,other", ty, ",")
        print "{\"type\": \"FeatureCollection\", \"features\": ["
        for (i = 1; i <= n; i++) {
            y = 2016 + int(rand() * 8); m = 1 + int(rand() * 12); d = 1 + int(rand() * 28)
            printf "{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [%.5f, %.5f]}, \"properties\": {\"date\": \"%04d-%02d-%02d\", \"type\": \"%s\", \"actor\": \"Actor %d\", \"title\": \"Incident %d\", \"fatalities\": %d}}%s\n",
                36 + rand() * 6, 32 + rand() * 5, y, m, d, ty[1 + int(rand() * 6)], int(rand() * 40), i,
                int(rand() * 10), i < n ? "," : ""
        }
        print "]}"
    }' >"$gj"
fi

for f in "$csv" "$gj"; do
    printf 'incidents: {source: %s}\nbasemap: none\n' "$f" >"$f.yaml"
done

run() { # run LABEL ARGS...: one timed run, its last output line and figures
    local label=$1 out
    shift
    out=$("$TIME" -f '%e s, peak RSS %M KB' "$@" 2>&1 >/dev/null | tail -1)
    printf '%-40s %s\n' "$label" "$out"
}

echo
echo "incimap $("$INCIMAP" --version | awk '{print $2}'), $ROWS records; $(ls -l "$csv" | awk '{printf "CSV %.0f MB", $5 / 1048576}'), $(ls -l "$gj" | awk '{printf "GeoJSON %.0f MB", $5 / 1048576}')"
run "check (load into the model), CSV" "$INCIMAP" check -q "$csv.yaml"
run "check (load into the model), GeoJSON" "$INCIMAP" check -q "$gj.yaml"
run "info (streaming statistics), CSV" "$INCIMAP" info -q "$csv"
run "info (streaming statistics), GeoJSON" "$INCIMAP" info -q "$gj"
