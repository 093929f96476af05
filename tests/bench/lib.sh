# Shared by compare.sh and scaling.sh (sourced): where things are, the
# check that ../shared is there, the Release build and the incidents.
set -euo pipefail
export LC_ALL=C.UTF-8

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
shared=$root/../shared
bench=$shared/bench
basemaps=$shared/basemaps/naturalearth-me
OUT=${BENCH_OUT:-/tmp/bench-out}
BUILD=${BUILD:-$root/build-bench}
NAME=$(basename "$0" .sh)
mkdir -p "$OUT/logs"

if [ ! -f "$bench/peers.sh" ] || [ ! -f "$bench/scene.env" ] || [ ! -d "$basemaps" ]; then
    echo "$NAME: no peer benchmark here ($bench with scene.env and peers.sh, and" \
         "$basemaps, are needed); nothing to measure" >&2
    exit 77
fi

# bench_build TARGET...: a Release build of these targets in $BUILD (cmake
# rebuilds only what changed)
bench_build() {
    local t log=$OUT/logs/$NAME-cmake.log
    echo "[$NAME] building $* (Release) in $BUILD" >&2
    cmake -S "$root" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
    for t in "$@"; do
        cmake --build "$BUILD" -j2 --target "$t" >>"$log" 2>&1 || { cat "$log" >&2; exit 1; }
    done
}

# bench_data N...: the peers' Debian packages (installed when missing,
# unless SKIP_INSTALL=1), GMT's copy of the base map and the incidents in
# $OUT/data/n<N>/: what peers.sh does before it times anything
bench_data() {
    local log=$OUT/logs/$NAME-peers.log
    echo "[$NAME] peers.sh: packages, data preparation, incidents for N = $*" >&2
    TOOLS=" " BENCH_OUT=$OUT bash "$bench/peers.sh" "$@" >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
    [ -x /usr/bin/time ] || { echo "$NAME: needs GNU time (/usr/bin/time)" >&2; exit 1; }
}

# bench_run LOG CMD...: run CMD once; prints "microseconds peak_rss_kb"
bench_run() {
    local log=$1 t0 t1 rss=$OUT/logs/$NAME-rss.txt
    shift
    t0=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$rss" "$@" >"$log" 2>&1 || { echo "$NAME: failed: $*" >&2; cat "$log" >&2; exit 1; }
    t1=$(date +%s%N)
    echo "$(( (t1 - t0) / 1000 )) $(tail -1 "$rss")"
}

# bench_median: "microseconds rss_kb" lines in, "median_seconds min max count max_rss_kb" out
bench_median() {
    sort -n | awk '{ s[NR] = $1 / 1e6; if ($2 > rss) rss = $2 }
        END { m = NR % 2 ? s[(NR + 1) / 2] : (s[NR / 2] + s[NR / 2 + 1]) / 2
              printf "%.4f %.4f %.4f %d %d\n", m, s[1], s[NR], NR, rss }'
}
