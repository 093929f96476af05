#!/usr/bin/env bash
# Scaling benchmark (not a test): incimap's time on the benchmark scene
# (scene.yaml) against the number of incidents, 10^3 .. 10^6, and against
# the size of the base map (the same frame with land at Natural Earth's
# 1:110m, 1:50m and 1:10m).  Prints the median of RUNS runs (default 5),
# the cost per incident between sizes, and peak RSS; the cost must grow
# linearly or better.
#
#   tests/bench/scaling.sh [INCIMAP]      default INCIMAP: build-bench/incimap
#
# Incidents come from ../shared/bench/gen_incidents.sh through peers.sh
# (cached in $BENCH_OUT/data/n<N>/, as compare.sh does).  Exits 77 when
# ../shared is not there.
set -euo pipefail
export LC_ALL=C.UTF-8

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
shared=$root/../shared
bench=$shared/bench
INCIMAP=${1:-$root/build-bench/incimap}
OUT=${BENCH_OUT:-/tmp/bench-out}
RUNS=${RUNS:-5}
SIZES=(1000 10000 100000 1000000)
if [ ! -f "$bench/peers.sh" ] || [ ! -d "$shared/basemaps/naturalearth-me" ] ||
   [ ! -d "$shared/basemaps/naturalearth-world" ]; then
    echo "scaling.sh: no peer benchmark or Natural Earth data under $shared; nothing to measure" >&2
    exit 77
fi
if [ ! -x "$INCIMAP" ]; then
    echo "scaling.sh: building $INCIMAP (Release)" >&2
    cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$root/build-bench" -j2 --target incimap >/dev/null
    INCIMAP=$root/build-bench/incimap
fi
mkdir -p "$OUT/logs"
TOOLS=" " BENCH_OUT=$OUT bash "$bench/peers.sh" 0 "${SIZES[@]}" >"$OUT/logs/scaling-peers.log" 2>&1 \
    || { cat "$OUT/logs/scaling-peers.log" >&2; exit 1; }

# time ARGS...: "median_seconds peak_rss_kb" of RUNS runs of incimap ARGS
time_runs() {
    local r t0 t1 rss=$OUT/logs/scaling-rss.txt
    for ((r = 0; r < RUNS; r++)); do
        t0=$(date +%s%N)
        /usr/bin/time -f '%M' -o "$rss" "$INCIMAP" "$@" >/dev/null 2>&1
        t1=$(date +%s%N)
        echo "$(( (t1 - t0) / 1000 )) $(tail -1 "$rss")"
    done | sort -n | awk '{ s[NR] = $1 / 1e6; if ($2 > m) m = $2 }
        END { printf "%.4f %d\n", NR % 2 ? s[(NR + 1) / 2] : (s[NR / 2] + s[NR / 2 + 1]) / 2, m }'
}

echo "== time against incidents (scene.yaml, median of $RUNS runs)"
printf '%9s %10s %14s %14s %8s\n' N "seconds" "us/incident" "us/inc (step)" "RSS MB"
prev_n=0 prev_t=
base_t=$(time_runs render "$here/scene.yaml" -q --set "incidents.source=$OUT/data/n0/incidents.csv" \
         -o "$OUT/scaling.png" | awk '{print $1}')
printf '%9s %10.3f %14s %14s %8s\n' 0 "$base_t" - - -
prev_t=$base_t
for n in "${SIZES[@]}"; do
    read -r t kb < <(time_runs render "$here/scene.yaml" -q --set "incidents.source=$OUT/data/n$n/incidents.csv" \
                     -o "$OUT/scaling.png")
    awk -v n="$n" -v t="$t" -v b="$base_t" -v pn="$prev_n" -v pt="$prev_t" -v kb="$kb" \
        'BEGIN { printf "%9d %10.3f %14.3f %14.3f %8.0f\n", n, t, (t - b) / n * 1e6, (t - pt) / (n - pn) * 1e6, kb / 1024 }'
    prev_n=$n
    prev_t=$t
done

echo
echo "== time against base-map size (scene.yaml frame and style, no incidents): land alone at"
echo "   1:110m (world), 1:50m and 1:10m, then every layer of the scene"
printf '%-42s %10s %10s %8s\n' "base map" ".shp KB" "seconds" "RSS MB"
for shp in naturalearth-world/ne_110m_admin_0_countries naturalearth-me/ne_50m_admin_0_countries \
           naturalearth-me/ne_10m_land; do
    f=$shared/basemaps/$shp.shp
    read -r t kb < <(time_runs render "$here/scene.yaml" -q \
        --set "incidents.source=$OUT/data/n0/incidents.csv" \
        --set "basemap=[{source: \"$f\", fill: \"#e0e0e0\", stroke: \"#555555\", width: 1}]" \
        -o "$OUT/scaling.png")
    awk -v name="$(basename "$shp")" -v b="$(stat -c %s "$f")" -v t="$t" -v kb="$kb" \
        'BEGIN { printf "%-42s %10.0f %10.3f %8.0f\n", name, b / 1024, t, kb / 1024 }'
done
read -r t kb < <(time_runs render "$here/scene.yaml" -q --set "incidents.source=$OUT/data/n0/incidents.csv" \
                 -o "$OUT/scaling.png")
awk -v b="$(cat "$shared"/basemaps/naturalearth-me/ne_10m_{ocean,land,admin_0_boundary_lines_land,rivers_lake_centerlines,lakes,populated_places}.shp | wc -c)" \
    -v t="$t" -v kb="$kb" 'BEGIN { printf "%-42s %10.0f %10.3f %8.0f\n", "the whole 10m scene (6 layers, labels)", b / 1024, t, kb / 1024 }'
