# The bad-input corpus (tests/corpus): every case of the manifest, run with
# a time and a memory limit, must end with its exit code (never a signal,
# never a hang) and a message naming the file and what is wrong; a failed
# render keeps the earlier map and leaves no temporary file.
source "$(dirname "$0")/lib.sh"

: "${MKSHP:?MKSHP must name im_mkshp}"
CORPUS="$SRC/tests/corpus"
LIMIT_S=60
LIMIT_MB=1024

"$CORPUS/generate.sh" "$WORK/c" "$MKSHP" || fail "generating the corpus failed"
cd "$WORK/c"
mkdir -p out
"$INCIMAP" render good.yaml -o good.png 2>/dev/null || fail "the good map does not render"
cp good.png good.svg # an earlier output of each name, for the kept-map check

# Memory: a virtual-memory limit, except under AddressSanitizer, whose
# shadow memory needs terabytes of address space: there ASan itself
# bounds the resident size.
libs=$(ldd "$INCIMAP" 2>/dev/null || true)
if [[ $libs == *libasan* ]]; then
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}hard_rss_limit_mb=$LIMIT_MB"
    VMEM=unlimited
else
    VMEM=$((LIMIT_MB * 1024))
fi

trim() { local s=$1; s=${s#"${s%%[! ]*}"}; echo "${s%"${s##*[! ]}"}"; }

n=0
while IFS= read -r line; do
    case $line in '' | '#'*) continue ;; esac
    IFS='|' read -r name code regex args <<<"$line"
    name=$(trim "$name")
    code=$(trim "$code")
    regex=$(trim "$regex")
    args=$(trim "$args")
    [ -n "$name" ] && [ -n "$code" ] && [ -n "$args" ] || fail "manifest line is not 'name | code | regex | args': $line"
    eval "set -- $args"
    out=
    for a in "$@"; do case $a in out/map.*) out=$a ;; esac; done
    rm -f out/map.* out/.map.*
    [ -n "$out" ] && cp "good.${out##*.}" "$out"
    echo "$INCIMAP $args" >"$WORK/$name.cmd"
    RC=0
    timeout -s KILL "$LIMIT_S" bash -c 'ulimit -v "$1"; shift; exec "$@"' _ "$VMEM" \
        "$INCIMAP" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || RC=$?
    cat "$WORK/$name.out" "$WORK/$name.err" >"$WORK/$name.all"
    if [ "$RC" = 137 ]; then
        fail "$name: killed after ${LIMIT_S}s (a hang) or by a signal: $args"
    elif [ "$RC" -gt 128 ]; then
        fail "$name: died of signal $((RC - 128)): $args; stderr: $(head -c 600 "$WORK/$name.err")"
    elif [ "$RC" != "$code" ]; then
        fail "$name: exit $RC, expected $code: $args; stderr: $(head -c 600 "$WORK/$name.err")"
    fi
    if grep -qE 'AddressSanitizer|runtime error|LeakSanitizer|out of memory' "$WORK/$name.err"; then
        fail "$name: sanitizer or memory report: $(head -c 600 "$WORK/$name.err")"
    fi
    if [ "$regex" != - ] && ! grep -qE -- "$regex" "$WORK/$name.all"; then
        fail "$name: no line matches /$regex/ in: $(head -c 600 "$WORK/$name.all")"
    fi
    if [ -n "$out" ]; then
        if [ "$code" = 0 ]; then
            assert_dir_holds out "${out#out/}"
            ! cmp -s "good.${out##*.}" "$out" || fail "$name: the map was not redrawn"
        else
            assert_dir_holds out "${out#out/}"
            cmp -s "good.${out##*.}" "$out" || fail "$name: a failed run changed the earlier map"
        fi
    fi
    n=$((n + 1))
    note "ok: $name: exit $RC: $(grep -m 1 -E -- "${regex/#-/.}" "$WORK/$name.all" | cut -c1-160)"
done <"$CORPUS/manifest"

[ "$n" -ge 50 ] || fail "only $n corpus cases ran"
note "all $n corpus cases passed"
