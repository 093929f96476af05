# An earlier map is never lost: a failed write (unwritable directory, full
# disk, file-size limit) or an interrupted render (SIGINT, SIGTERM) leaves
# the earlier map byte for byte, no temporary file beside it, and ends with
# the documented status: exit 5 with a message naming the file and the
# reason, or death by the signal (the shell's 128 + N).
source "$(dirname "$0")/lib.sh"

cat >"$WORK/old.yaml" <<'YAML'
size: 320x240
basemap: none
extent: [38, 33, 39, 34]
legend: none
YAML
# a render that takes a while: many incidents on a big image
awk 'BEGIN { print "lat,lon,date,type,actor"; srand(7)
             for (i = 0; i < 150000; i++)
                 printf "%.4f,%.4f,2017-05-%02d,air strike,A%d\n", 33 + rand(), 38 + rand(), 1 + i % 28, i % 7 }' \
    >"$WORK/many.csv"
cat >"$WORK/slow.yaml" <<'YAML'
size: 1600x1200
basemap: none
extent: [38, 33, 39, 34]
incidents: {source: many.csv, labels: false}
YAML
for ext in png svg pdf; do
    render "old-$ext" render "$WORK/old.yaml" -o "$WORK/old.$ext"
done
mkdir -p "$WORK/out"

# kept EXT: out/ holds only the earlier map.EXT, unchanged
kept() {
    assert_dir_holds "$WORK/out" "map.$1"
    cmp -s "$WORK/old.$1" "$WORK/out/map.$1" || fail "$2: the earlier map.$1 was changed"
}

# 1. a file-size limit (ulimit -f): SIGXFSZ must not kill incimap; the
# write fails with EFBIG and that is exit 5, for every format
for ext in png svg pdf; do
    cp "$WORK/old.$ext" "$WORK/out/map.$ext"
    OUT="$WORK/fsize-$ext.out" ERR="$WORK/fsize-$ext.err" RC=0
    (ulimit -f 8 && exec "$INCIMAP" render "$WORK/slow.yaml" -o "$WORK/out/map.$ext") \
        >"$OUT" 2>"$ERR" || RC=$?
    echo "ulimit -f 8; incimap render slow.yaml -o out/map.$ext" >"$WORK/fsize-$ext.cmd"
    expect_rc 5 "render under ulimit -f 8 ($ext)"
    assert_contains "$ERR" "out/map.$ext: cannot write" "stderr under a file-size limit ($ext)"
    assert_contains "$ERR" "File too large" "stderr under a file-size limit ($ext)"
    kept "$ext" "ulimit -f ($ext)"
    rm -f "$WORK/out/map.$ext"
    note "ok: file-size limit, $ext: exit 5: $(head -1 "$ERR")"
done

# 2. a directory that cannot be written: a file in the way, and a
# directory where even root may not create files
cp "$WORK/old.png" "$WORK/out/map.png"
run_im notdir render "$WORK/old.yaml" -o "$WORK/out/map.png/inner.png"
expect_rc 5 "-o out/map.png/inner.png"
assert_contains "$ERR" "out/map.png/inner.png: cannot write: Not a directory"
kept png "an output path through a file"
run_im proc render "$WORK/old.yaml" -o /proc/incimap-map.png
expect_rc 5 "-o /proc/incimap-map.png"
assert_contains "$ERR" "/proc/incimap-map.png: cannot write: "
rm -f "$WORK/out/map.png"

# 3. a full disk and a read-only one: a 64 KiB tmpfs in a private mount
# namespace (needs unprivileged user namespaces, or root)
if unshare -rm true 2>/dev/null; then
    mkdir -p "$WORK/small"
    # shellcheck disable=SC2016
    unshare -rm sh -c '
        small=$1 old=$2 im=$3 slow=$4 oldyaml=$5
        mount -t tmpfs -o size=64k tmpfs "$small" || exit 99
        cp "$old" "$small/map.png"
        "$im" render "$slow" -o "$small/map.png" 2>"$small.full.err"; echo $? >"$small.full.rc"
        ls -A "$small" >"$small.full.ls"; cmp -s "$old" "$small/map.png"; echo $? >"$small.full.cmp"
        mount -o remount,ro "$small"
        "$im" render "$oldyaml" -o "$small/map.png" 2>"$small.ro.err"; echo $? >"$small.ro.rc"
        ls -A "$small" >"$small.ro.ls"; cmp -s "$old" "$small/map.png"; echo $? >"$small.ro.cmp"
    ' sh "$WORK/small" "$WORK/old.png" "$INCIMAP" "$WORK/slow.yaml" "$WORK/old.yaml" ||
        fail "could not run the full-disk case in a private mount namespace"
    for case in full ro; do
        ERR="$WORK/small.$case.err" RC=$(cat "$WORK/small.$case.rc")
        echo "incimap render ... -o small/map.png ($case)" >"$WORK/small.$case.cmd"
        expect_rc 5 "render onto a $case tmpfs"
        [ "$(cat "$WORK/small.$case.ls")" = map.png ] ||
            fail "$case tmpfs holds [$(tr '\n' ' ' <"$WORK/small.$case.ls")], expected map.png only"
        [ "$(cat "$WORK/small.$case.cmp")" = 0 ] || fail "$case tmpfs: the earlier map was changed"
    done
    assert_contains "$WORK/small.full.err" "small/map.png: cannot write the PNG: No space left on device"
    assert_contains "$WORK/small.ro.err" "small/map.png: cannot write: Read-only file system"
    note "ok: full disk and read-only disk: exit 5, earlier map kept"
else
    note "no private mount namespace here: full-disk case left out (file-size limit covers it)"
fi

# 4. SIGINT, SIGTERM, SIGHUP while the map is being written: no temporary
# file, the earlier map intact, death by that signal.  Job control (set -m)
# so that the background render does not start with SIGINT ignored.
set -m
for sig in INT TERM HUP; do
    num=$(kill -l "$sig")
    cp "$WORK/old.png" "$WORK/out/map.png"
    "$INCIMAP" render "$WORK/slow.yaml" -o "$WORK/out/map.png" 2>"$WORK/sig-$sig.err" &
    pid=$!
    # wait until the temporary file exists: the map is being written
    for _ in $(seq 1 2000); do
        compgen -G "$WORK/out/.map.png.*" >/dev/null && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.005
    done
    compgen -G "$WORK/out/.map.png.*" >/dev/null || fail "SIG$sig: no temporary file ever appeared"
    kill -s "$sig" "$pid"
    RC=0
    wait "$pid" || RC=$?
    [ "$RC" = $((128 + num)) ] || fail "SIG$sig: exit status $RC, expected $((128 + num))"
    kept png "SIG$sig mid-render"
    note "ok: SIG$sig mid-render: status $RC, no temporary file, earlier map intact"
done
set +m

note "all passed"
