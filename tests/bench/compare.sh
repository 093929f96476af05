#!/usr/bin/env bash
# Speed benchmark (not a test): incimap against the peer renderers of
# ../shared/bench (MapServer by default; GMT and Mapnik with TOOLS) on the
# same scene, and against the floor program (floor.c), timed in one run.
#
#   tests/bench/compare.sh [N ...]        default N: 0 10000 1000000
#
# Builds incimap and the floor program (Release, in build-bench/) when they
# are missing or stale; lets ../shared/bench/peers.sh install the peers'
# Debian packages when missing and generate the incidents (cached in
# $BENCH_OUT/data/n<N>/); then times every tool in interleaved rounds (one
# run of each tool per round, so a busy machine slows all of them alike),
# and prints the median, min and max wall time, the peak RSS, the ratio to
# the fastest peer and to the floor, and one line per N:
#   N=10000 incimap=0.081s mapserver=0.270s ratio=0.30 rss=41MB
#
# Knobs: TOOLS (default "mapserver"; any of "mapserver mapnik gmt"), RUNS
# (default 7 rounds; RUNS_LARGE=3 for N >= 1000000), WARMUP (1 round),
# BENCH_OUT (default /tmp/bench-out), SKIP_INSTALL=1 (passed to peers.sh),
# BUILD (default build-bench).  Exits 77 when ../shared is not there.
. "$(dirname "$0")/lib.sh"
TOOLS=${TOOLS:-mapserver}
RUNS=${RUNS:-7}
RUNS_LARGE=${RUNS_LARGE:-3}
WARMUP=${WARMUP:-1}
if [ $# -gt 0 ]; then SIZES=("$@"); else SIZES=(0 10000 1000000); fi
for n in "${SIZES[@]}"; do
    case $n in '' | *[!0-9]*) echo "compare.sh: N must be a whole number, got '$n'" >&2; exit 2 ;; esac
done
for t in $TOOLS; do
    case $t in mapserver | mapnik | gmt) ;; *) echo "compare.sh: unknown peer '$t' in TOOLS" >&2; exit 2 ;; esac
done
bench_build incimap im_bench_floor
bench_data "${SIZES[@]}"

. "$bench/scene.env"
# MapServer's extent names pixel centres (see mapserver/scene.map)
MS_EXTENT=$(awk -v x0="$SCENE_XMIN" -v y0="$SCENE_YMIN" -v x1="$SCENE_XMAX" -v y1="$SCENE_YMAX" \
                -v w="$SCENE_W" -v h="$SCENE_H" \
    'BEGIN{printf "%.6f %.6f %.6f %.6f", x0, y0 + (y1-y0)/h, x1 - (x1-x0)/w, y1}')

# cmd TOOL N: the command line that draws one PNG (as an array in CMD)
cmd() {
    local d=$OUT/data/n$2 png=$OUT/$1_n$2.png
    case $1 in
      incimap) CMD=("$BUILD/incimap" render "$here/scene.yaml" -q
                    --set "incidents.source=$d/incidents.csv" -o "$png") ;;
      floor) CMD=("$BUILD/tests/bench/im_bench_floor" "$basemaps" "$d/incidents.csv" "$png") ;;
      mapserver) CMD=(map2img -m "$bench/mapserver/scene.map" -e $MS_EXTENT -s "$SCENE_W" "$SCENE_H"
                      -d incidents "$d/incidents.shp" -o "$png") ;;
      mapnik) CMD=(/usr/bin/python3 "$bench/mapnik/render.py" "$d/incidents.shp" "$png") ;;
      gmt) CMD=(bash "$bench/gmt/render.sh" "$OUT/gmt-prep" "$d/incidents.csv" "$png") ;;
    esac
}

# run TOOL N: one timed run, "microseconds rss_kb" appended to the tool's file
run() {
    cmd "$1" "$2"
    bench_run "$OUT/logs/compare-$1_n$2.log" "${CMD[@]}" >>"$OUT/logs/compare-times_$1_n$2.txt"
}

ALL="incimap floor $TOOLS"
RES=$OUT/compare.tsv
: >"$RES"
for n in "${SIZES[@]}"; do
    runs=$RUNS
    [ "$n" -ge 1000000 ] && runs=$RUNS_LARGE
    echo "[compare] N=$n: $WARMUP warm-up and $runs timed rounds of: $ALL" >&2
    for t in $ALL; do rm -f "$OUT/logs/compare-times_${t}_n$n.txt"; done
    for ((r = 0; r < WARMUP; r++)); do
        for t in $ALL; do run "$t" "$n"; done
    done
    for t in $ALL; do rm -f "$OUT/logs/compare-times_${t}_n$n.txt"; done
    for ((r = 0; r < runs; r++)); do
        for t in $ALL; do run "$t" "$n"; done
    done
    for t in $ALL; do
        # tool N median min max runs peak-RSS-MB
        bench_median <"$OUT/logs/compare-times_${t}_n$n.txt" | awk -v t="$t" -v n="$n" -v OFS='\t' \
            '{ printf "%s\t%s\t%.3f\t%.3f\t%.3f\t%d\t%.0f\n", t, n, $1, $2, $3, $4, $5 / 1024 }' >>"$RES"
    done
done

echo
echo "== wall time per map (median of interleaved rounds, process start to PNG written), peak RSS"
awk -F'\t' -v peers="$TOOLS" '
    BEGIN { np = split(peers, P, " ") }
    { med[$1, $2] = $3; line[++k] = $0; if (!($2 in seen)) { seen[$2] = 1; ns[++nn] = $2 } }
    END {
        printf "%9s  %-10s %9s %9s %9s %5s %8s %12s %9s\n", "N", "tool", "median s", "min s", "max s",
               "runs", "RSS MB", "/ best peer", "/ floor"
        for (i = 1; i <= k; i++) {
            split(line[i], f, "\t"); best = ""
            for (j = 1; j <= np; j++) if (best == "" || med[P[j], f[2]] < best) best = med[P[j], f[2]]
            printf "%9s  %-10s %9.3f %9.3f %9.3f %5d %8d %12.2f %9.2f\n", f[2], f[1], f[3], f[4], f[5],
                   f[6], f[7], f[3] / best, f[3] / med["floor", f[2]]
        }
    }' "$RES"
echo
awk -F'\t' '$1 == "incimap" { i[$2] = $3; order[++k] = $2 } $1 == "floor" { f[$2] = $3 }
    END { for (j = 1; j <= k; j++) printf "floor: N=%s incimap=%.3fs floor=%.3fs incimap/floor=%.2f\n",
                                         order[j], i[order[j]], f[order[j]], i[order[j]] / f[order[j]] }' "$RES"
awk -F'\t' -v peers="$TOOLS" '
    BEGIN { np = split(peers, P, " ") }
    { med[$1, $2] = $3; rss[$1, $2] = $7; if ($1 == "incimap") order[++k] = $2 }
    END {
        for (j = 1; j <= k; j++) {
            n = order[j]; best = ""
            for (q = 1; q <= np; q++) if (best == "" || med[P[q], n] < med[best, n]) best = P[q]
            printf "N=%s incimap=%.3fs %s=%.3fs ratio=%.2f rss=%dMB\n", n, med["incimap", n], best,
                   med[best, n], med["incimap", n] / med[best, n], rss["incimap", n]
        }
    }' "$RES"
