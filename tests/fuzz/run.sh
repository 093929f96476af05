#!/bin/sh
# Build every libFuzzer target of incimap and run each for SECONDS.
#
#   tests/fuzz/run.sh [SECONDS]        (default 20)
#
# Environment: FUZZ_BUILD (build directory, default tests/fuzz/build),
# CLANG (default clang-14), FUZZ_TARGETS (space-separated subset),
# FUZZ_JOBS (targets fuzzed at the same time, default 1).
#
# Exits non-zero if a target does not build, if a saved regression input
# crashes, or if fuzzing finds a crash, leak, timeout, out-of-memory or
# sanitizer report; the input is kept in tests/fuzz/crashes/<target>/.
set -u

SECONDS_PER_TARGET=${1:-20}
case $SECONDS_PER_TARGET in
    ''|*[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;;
esac

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${FUZZ_BUILD:-$HERE/build}
CLANG=${CLANG:-clang-14}
TARGETS=${FUZZ_TARGETS:-"fuzz_mapfile fuzz_csv fuzz_geojson fuzz_shp fuzz_dbf fuzz_qix fuzz_date"}
JOBS=${FUZZ_JOBS:-1}
NPROC=$(nproc 2>/dev/null || echo 2)

command -v "$CLANG" >/dev/null 2>&1 || {
    echo "$0: $CLANG not found (apt-get install clang libclang-rt-14-dev)" >&2
    exit 2
}

mkdir -p "$BUILD/obj" "$BUILD/logs" || exit 2
BUILD=$(cd "$BUILD" && pwd)

# ---------------------------------------------------------------- build
# the library's pkg-config modules, as CMakeLists.txt lists them
MODULES=$(sed -n 's/^pkg_check_modules([A-Z]* REQUIRED IMPORTED_TARGET \(.*\))$/\1/p' "$ROOT/CMakeLists.txt" | tr '\n' ' ')
[ -n "$MODULES" ] || { echo "run.sh: no pkg-config modules found in CMakeLists.txt" >&2; exit 2; }
PKG=$(pkg-config --cflags $MODULES) || exit 2
PKG_LIBS=$(pkg-config --libs $MODULES) || exit 2
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
CFLAGS="-std=c11 -g -O1 $SAN -I$ROOT/include -I$ROOT/src -D_XOPEN_SOURCE=700 \
-DINCIMAP_GEODATA_DIR=\"$ROOT/geodata\" $PKG"
LIBS="$PKG_LIBS -lshp -lcsv -lm -lpthread"

echo "== building into $BUILD"
# library objects: instrumented for coverage (fuzzer-no-link); names carry
# the directory since src/api and src/carto share file names
OBJS=
: > "$BUILD/obj/list"
for src in "$ROOT"/src/core/*.c "$ROOT"/src/spec/*.c "$ROOT"/src/data/*.c \
           "$ROOT"/src/geo/*.c "$ROOT"/src/carto/*.c "$ROOT"/src/render/*.c \
           "$ROOT"/src/api/*.c; do
    rel=${src#"$ROOT"/src/}
    obj=$BUILD/obj/$(echo "$rel" | tr / _ | sed 's/\.c$/.o/')
    OBJS="$OBJS $obj"
    if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ "$0" -nt "$obj" ] ||
       [ -n "$(find "$ROOT/src" "$ROOT/include" -name '*.h' -newer "$obj" 2>/dev/null | head -n 1)" ]; then
        printf '%s %s\n' "$src" "$obj" >> "$BUILD/obj/list"
    fi
done
if [ -s "$BUILD/obj/list" ]; then
    # shellcheck disable=SC2086
    export CLANG CFLAGS
    xargs -P "$NPROC" -n 2 sh -c '$CLANG $CFLAGS -fsanitize=fuzzer-no-link -c "$0" -o "$1" || exit 255' \
        < "$BUILD/obj/list" || { echo "$0: library build failed" >&2; exit 2; }
fi
for t in $TARGETS; do
    # shellcheck disable=SC2086
    $CLANG $CFLAGS -fsanitize=fuzzer -I"$HERE" "$HERE/$t.c" $OBJS $LIBS -o "$BUILD/$t" ||
        { echo "$0: building $t failed" >&2; exit 2; }
done

# ---------------------------------------------------------------- seeds
SEEDS=$BUILD/seeds
rm -rf "$SEEDS"
mkdir -p "$SEEDS"
for t in $TARGETS; do mkdir -p "$SEEDS/$t"; done

seed_files() { # TARGET FILE...
    t=$1; shift
    [ -d "$SEEDS/$t" ] || return 0
    for f in "$@"; do
        [ -f "$f" ] || continue
        [ "$(wc -c < "$f")" -le 1048576 ] || continue
        cp "$f" "$SEEDS/$t/$(echo "${f#"$ROOT"/}" | tr / _)"
    done
}
u32le() { # N -> 4 bytes, little endian
    printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $(($1 >> 8 & 255)) \
        $(($1 >> 16 & 255)) $(($1 >> 24 & 255)))"
}

seed_files fuzz_mapfile $(find "$ROOT/tests" "$ROOT/geodata/examples" -name '*.yaml' -o -name '*.yml' | sort)
seed_files fuzz_csv $(find "$ROOT/tests/data" "$ROOT/geodata/data" -name '*.csv' -o -name '*.tsv' -o -name '*.txt' | sort)
seed_files fuzz_geojson $(find "$ROOT/tests/data" "$ROOT/geodata/data" -name '*.geojson' -o -name '*.json' | sort)
if [ -d "$SEEDS/fuzz_shp" ]; then
    for shp in $(find "$ROOT/tests/data" -name '*.shp' -size -64k | sort); do
        base=${shp%.shp}
        [ -f "$base.shx" ] && [ -f "$base.dbf" ] || continue
        out=$SEEDS/fuzz_shp/$(echo "${base#"$ROOT"/}" | tr / _)
        { u32le "$(wc -c < "$shp")"; u32le "$(wc -c < "$base.shx")"
          cat "$shp" "$base.shx" "$base.dbf"; } > "$out"
    done
fi
if [ -d "$SEEDS/fuzz_dbf" ]; then
    # every small .dbf of the repository, without a .cpg and with two
    for dbf in $(find "$ROOT/tests/data" "$ROOT/geodata/basemap" -name '*.dbf' -size -64k | sort); do
        out=$SEEDS/fuzz_dbf/$(echo "${dbf#"$ROOT"/}" | tr / _)
        { printf '\000'; cat "$dbf"; } > "$out"
        { printf '\005UTF-8'; cat "$dbf"; } > "$out.utf8"
        { printf '\006CP1256'; cat "$dbf"; } > "$out.cp1256"
    done
fi
if [ -d "$SEEDS/fuzz_date" ]; then
    i=0
    # dates as they occur in the data (the forms are in seeds/fuzz_date)
    cut -d, -f1 "$ROOT"/geodata/data/seed-incidents.csv 2>/dev/null | head -n 20 |
        while IFS= read -r d; do
            i=$((i + 1)); printf '%s' "$d" > "$SEEDS/fuzz_date/data$i"
        done
fi
for t in $TARGETS; do
    # hand-made seeds (small layers of every shape type), then saved findings
    [ -d "$HERE/seeds/$t" ] && cp "$HERE/seeds/$t"/* "$SEEDS/$t/" 2>/dev/null
    [ -d "$HERE/regressions/$t" ] && cp "$HERE/regressions/$t"/* "$SEEDS/$t/" 2>/dev/null
    echo "   $t: $(ls "$SEEDS/$t" | wc -l) seeds"
done

# ---------------------------------------------------------------- run
FAILED=
OPTS="-timeout=10 -rss_limit_mb=2048 -print_final_stats=1"

# saved crashing inputs, now regression tests: each must run clean
for t in $TARGETS; do
    [ -d "$HERE/regressions/$t" ] || continue
    set -- "$HERE/regressions/$t"/*
    [ -f "$1" ] || continue
    echo "== $t: replaying $# regression inputs"
    # shellcheck disable=SC2086
    if ! "$BUILD/$t" $OPTS "$@" > "$BUILD/logs/$t.regress.log" 2>&1; then
        echo "FAIL: $t crashes on a regression input; see $BUILD/logs/$t.regress.log"
        FAILED="$FAILED $t(regression)"
    fi
done

if [ "$SECONDS_PER_TARGET" -eq 0 ]; then # build, seed and replay only
    [ -n "$FAILED" ] && { echo "== FAILED:$FAILED"; exit 1; }
    echo "== built; SECONDS is 0: no fuzzing"
    exit 0
fi

fuzz_one() { # TARGET
    t=$1
    corpus=$BUILD/corpus/$t
    crashes=$HERE/crashes/$t
    mkdir -p "$corpus" "$crashes"
    dict=
    [ -f "$HERE/$t.dict" ] && dict=-dict=$HERE/$t.dict
    # shellcheck disable=SC2086
    ( cd "$BUILD" && "$BUILD/$t" $OPTS $dict -max_total_time="$SECONDS_PER_TARGET" \
        -artifact_prefix="$crashes/" "$corpus" "$SEEDS/$t" ) > "$BUILD/logs/$t.log" 2>&1
    rc=$?
    rmdir "$crashes" "$HERE/crashes" 2>/dev/null
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$BUILD/logs/$t.log" | tail -n 1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$BUILD/logs/$t.log" | tail -n 1)
    if [ $rc -eq 0 ]; then
        echo "ok    $t: ${SECONDS_PER_TARGET}s, ${execs:-?} runs, ${speed:-?} execs/s"
    else
        echo "FAIL  $t (exit $rc): ${execs:-?} runs, ${speed:-?} execs/s; log $BUILD/logs/$t.log"
        grep -m 3 -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$BUILD/logs/$t.log" | sed 's/^/      /'
        grep -h 'Test unit written to' "$BUILD/logs/$t.log" | sed 's/^/      /'
        return 1
    fi
}

echo "== fuzzing each target for ${SECONDS_PER_TARGET}s"
if [ "$JOBS" -le 1 ]; then
    for t in $TARGETS; do
        fuzz_one "$t" || FAILED="$FAILED $t"
    done
else
    running=0
    for t in $TARGETS; do
        ( fuzz_one "$t" || touch "$BUILD/logs/$t.failed" ) &
        running=$((running + 1))
        if [ $running -ge "$JOBS" ]; then wait; running=0; fi
    done
    wait
    for t in $TARGETS; do
        [ -f "$BUILD/logs/$t.failed" ] && FAILED="$FAILED $t" && rm -f "$BUILD/logs/$t.failed"
    done
fi

if [ -n "$FAILED" ]; then
    echo "== FAILED:$FAILED"
    exit 1
fi
echo "== all targets clean"
