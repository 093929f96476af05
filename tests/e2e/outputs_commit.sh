# The outputs of one render (the map, its caption, its world file and .prj)
# go into place together: when any of them cannot be written the run ends
# with exit 5, every earlier output is byte-identical to what it was, and
# no temporary file is left behind.
source "$(dirname "$0")/lib.sh"

map="$EXAMPLES/tanf.yaml"
mkdir -p "$WORK/out"
cd "$WORK/out"
render first render "$map" -o map.png --caption cap.txt --world-file
for f in map.png cap.txt map.pgw map.prj; do
    assert_nonempty "$f" "$f of the first run"
    cp "$f" "$WORK/$f.first"
done

# unchanged FILES...: each is byte-identical to the first run's, and the
# folder holds nothing else (no temporary files).
unchanged() {
    local f
    for f in "$@"; do
        cmp -s "$f" "$WORK/$f.first" || fail "$f changed although the run failed"
    done
    [ -z "$(find . -name '.*' ! -name . -print -quit)" ] || fail "temporary files left behind: $(ls -A)"
}

# a caption in a folder that does not exist: the new map is not put in place
run_im nodir render "$map" -o map.png --caption nodir/cap.txt --world-file --set title=Another
expect_rc 5 "a caption that cannot be written"
assert_contains "$ERR" "nodir/cap.txt: cannot write" "message"
unchanged map.png cap.txt map.pgw map.prj
note "ok: an unwritable caption leaves the earlier map, caption and world file as they were"

# a folder where the world file goes: neither map nor caption change
mv map.pgw "$WORK/map.pgw.keep"
mkdir map.pgw
run_im wld render "$map" -o map.png --caption cap.txt --world-file --set title=Another
expect_rc 5 "a world file that cannot be written"
assert_contains "$ERR" "map.pgw: cannot write" "message"
unchanged map.png cap.txt map.prj
rmdir map.pgw
mv "$WORK/map.pgw.keep" map.pgw
note "ok: an unwritable world file leaves the earlier map and caption as they were"

# the caption named as the map itself
run_im same render "$map" -o map.png --caption map.png --set title=Another
expect_rc 5 "a caption over the map"
unchanged map.png cap.txt map.pgw map.prj
note "ok: a caption named like the map is refused before anything is replaced"

# and when everything can be written, all of it is new
render second render "$map" -o map.png --caption cap.txt --world-file --set title=Another
cmp -s map.png "$WORK/map.png.first" && fail "the map did not change with a new title"
assert_contains cap.txt "Another" "the new caption"
