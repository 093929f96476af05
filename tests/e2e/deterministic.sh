# The same inputs give byte-identical PNG, SVG and PDF files, even when the
# runs are seconds apart (no timestamps, no random ids).
source "$(dirname "$0")/lib.sh"

mkdir -p "$WORK/a" "$WORK/b"
for ext in png svg pdf; do
    render "a-$ext" render "$EXAMPLES/tanf.yaml" -o "$WORK/a/tanf.$ext"
done
sleep 1
for ext in png svg pdf; do
    render "b-$ext" render "$EXAMPLES/tanf.yaml" -o "$WORK/b/tanf.$ext"
    assert_nonempty "$WORK/a/tanf.$ext"
    cmp "$WORK/a/tanf.$ext" "$WORK/b/tanf.$ext" >"$WORK/cmp-$ext.txt" 2>&1 ||
        fail "two renders of tanf.yaml to .$ext differ: $(cat "$WORK/cmp-$ext.txt")"
    note "ok: tanf.$ext is byte-identical across runs"
done

note "all passed"
