# incimap build renders on workers that each take many outputs in turn: a
# page drawn after others in one worker has the bytes of the same page drawn
# alone, and of `incimap render`; a worker that dies fails only the output
# it was drawing, and a new worker takes the rest.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/build_lib.sh"
make_project
cd "$PROJ"

render all build maps -o out -j1
assert_contains "$OUT" "12 rendered, 0 up to date, 0 failed"
snapshot out snap
# -j1: one worker draws all 12 outputs in turn; -j12: each is drawn alone
render alone build maps -o alone -j12
diff -r -x '.incimap-build*' out alone >alone.diff ||
    fail "outputs drawn after others differ from the same drawn alone: $(cat alone.diff)"
for f in tanf.png syria.png syria.svg; do
    render "render-$f" render "maps/${f%.*}.yaml" -o "r-$f"
    cmp -s "r-$f" "snap/$f" || fail "incimap render and incimap build give different $f"
done
note "ok: outputs drawn one after another in a worker are those drawn alone and by incimap render"

# workers: the children of PID
children() {
    local s pid comm state ppid rest
    for s in /proc/[0-9]*/stat; do
        read -r pid comm state ppid rest <"$s" 2>/dev/null || continue
        if [ "$ppid" = "$1" ]; then echo "$pid"; fi
    done
}

# big pages, so that each render takes a while; kill the worker once it
# has drawn the first page and is on the next
sed -i 's/^size: 480x360/size: 2400x1800/' maps/strikes.yaml
"$INCIMAP" build maps/strikes.yaml -o big -j1 --keep-going >kill.out 2>kill.err &
bpid=$!
for _ in $(seq 600); do
    [ -n "$(ls big/strikes/*.png 2>/dev/null)" ] && break
    sleep 0.05
done
[ -n "$(ls big/strikes/*.png 2>/dev/null)" ] || fail "no page was built"
w=$(children "$bpid")
[ "$(echo "$w" | wc -w)" = 1 ] || fail "-j1 should have one worker, not: $w"
kill -KILL "$w"
rc=0
wait "$bpid" || rc=$?
[ "$rc" = 70 ] || fail "a killed worker: the build exited with $rc, expected 70"
assert_contains kill.err "the render was killed by signal 9"
grep -q 'incimap: \([^:]*\): \1: ' kill.err && fail "the failed output is named twice: $(cat kill.err)"
assert_contains kill.out "8 rendered, 0 up to date, 1 failed"
[ "$(cd big/strikes && ls *.png | wc -l)" = 8 ] || fail "8 pages should be built: $(ls big/strikes)"
render again build maps/strikes.yaml -o big -j1
assert_contains "$OUT" "0 failed"
[ "$(cd big/strikes && ls *.png | wc -l)" = 9 ] || fail "9 pages should be built: $(ls big/strikes)"
note "ok: a killed worker fails its one page (exit 70), a new worker builds the rest, the next build all"

note "all passed"
