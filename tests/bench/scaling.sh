#!/usr/bin/env bash
# Scaling benchmark (not a test): incimap's time on the benchmark scene
# (scene.yaml) against the number of incidents, 10^3 .. 10^6, and against
# the size of the base map (the same frame with land at Natural Earth's
# 1:110m, 1:50m and 1:10m).  Prints the median of RUNS runs (default 5),
# the cost per incident between sizes, and peak RSS; the cost must grow
# linearly or better.
#
#   tests/bench/scaling.sh [INCIMAP]      default: a Release build in build-bench/
#
# Incidents come from ../shared/bench/gen_incidents.sh through peers.sh
# (cached in $BENCH_OUT/data/n<N>/, as compare.sh does).  Exits 77 when
# ../shared is not there.
. "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-5}
SIZES=(1000 5000 10000 100000 1000000)
if [ ! -d "$shared/basemaps/naturalearth-world" ]; then
    echo "scaling.sh: no $shared/basemaps/naturalearth-world; nothing to measure" >&2
    exit 77
fi
INCIMAP=${1:-}
if [ -z "$INCIMAP" ]; then
    bench_build incimap
    INCIMAP=$BUILD/incimap
fi
bench_data 0 "${SIZES[@]}"

# time ARGS...: "median_seconds peak_rss_kb" of RUNS runs of incimap ARGS
time_runs() {
    local r
    for ((r = 0; r < RUNS; r++)); do
        bench_run "$OUT/logs/scaling-run.log" "$INCIMAP" "$@"
    done | bench_median | awk '{ print $1, $5 }'
}

echo "== time against incidents (scene.yaml, median of $RUNS runs)"
printf '%9s %10s %14s %14s %8s\n' N "seconds" "us/incident" "us/inc (step)" "RSS MB"
prev_n=0 prev_t=
base_t=$(time_runs render "$here/scene.yaml" -q --set "incidents.source=$OUT/data/n0/incidents.csv" \
         -o "$OUT/scaling.png" | awk '{print $1}')
printf '%9s %10.3f %14s %14s %8s\n' 0 "$base_t" - - -
prev_t=$base_t
for n in "${SIZES[@]}"; do
    r=$(time_runs render "$here/scene.yaml" -q --set "incidents.source=$OUT/data/n$n/incidents.csv" \
        -o "$OUT/scaling.png")
    read -r t kb <<<"$r"
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
    r=$(time_runs render "$here/scene.yaml" -q \
        --set "incidents.source=$OUT/data/n0/incidents.csv" \
        --set "basemap=[{source: \"$f\", fill: \"#e0e0e0\", stroke: \"#555555\", width: 1}]" \
        -o "$OUT/scaling.png")
    read -r t kb <<<"$r"
    awk -v name="$(basename "$shp")" -v b="$(stat -c %s "$f")" -v t="$t" -v kb="$kb" \
        'BEGIN { printf "%-42s %10.0f %10.3f %8.0f\n", name, b / 1024, t, kb / 1024 }'
done
r=$(time_runs render "$here/scene.yaml" -q --set "incidents.source=$OUT/data/n0/incidents.csv" \
    -o "$OUT/scaling.png")
read -r t kb <<<"$r"
awk -v b="$(cat "$shared"/basemaps/naturalearth-me/ne_10m_{ocean,land,admin_0_boundary_lines_land,rivers_lake_centerlines,lakes,populated_places}.shp | wc -c)" \
    -v t="$t" -v kb="$kb" 'BEGIN { printf "%-42s %10.0f %10.3f %8.0f\n", "the whole 10m scene (6 layers, labels)", b / 1024, t, kb / 1024 }'
