# incimap build removes the outputs a map no longer makes: a format dropped
# from `formats:` (its file and its manifest entry), an atlas turned into a
# plain map (its pages); never a file the build did not make, never on a
# dry run, and not while the map's render fails.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/build_lib.sh"
make_project
cd "$PROJ"

sed -i 's/^formats: \[png, svg\]/formats: [png, svg, pdf]/' maps/syria.yaml
render b1 build maps -o out -j2
for f in syria.png syria.svg syria.pdf; do assert_nonempty "out/$f"; done
# files of the user's beside the outputs: never touched
echo mine >out/notes.svg
echo mine >out/strikes/cover.png
snapshot out snap1

sed -i 's/^formats: .*/formats: [png, pdf]/' maps/syria.yaml
run_im dry build maps -o out -n
expect_rc 0 "dry run"
[ -e out/syria.svg ] || fail "a dry run removed syria.svg"
render b2 build maps -o out
[ ! -e out/syria.svg ] || fail "syria.svg was left behind after svg left formats:"
assert_not_contains out/.incimap-build " syria.svg"
for f in syria.png syria.pdf notes.svg strikes/cover.png; do assert_nonempty "out/$f"; done
cmp -s snap1/syria.pdf out/syria.pdf || fail "syria.pdf changed"
render b3 build maps -o out
assert_contains "$OUT" "0 rendered, 12 up to date, 0 failed"
note "ok: a format dropped from formats: goes with its manifest entry; the user's files stay"

# a failing map keeps its outputs, even one of a dropped format
sed -i 's/^formats: .*/formats: [png]\nbogus: 1/' maps/syria.yaml
run_im fail build maps -o out
expect_rc 3 "a broken map file"
assert_nonempty out/syria.pdf
sed -i '/^bogus: 1/d' maps/syria.yaml
render b4 build maps -o out
[ ! -e out/syria.pdf ] || fail "syria.pdf was left behind once the map was fixed"
assert_nonempty out/syria.png
note "ok: a failed map keeps its outputs; once it builds, the dropped format goes"

# the atlas becomes a plain map: its pages and index go, the user's file stays
sed -i '/^atlas:/d' maps/strikes.yaml
render b5 build maps -o out
assert_nonempty out/strikes.png
[ -z "$(cd out/strikes && ls | grep -v '^cover.png$')" ] || fail "atlas files left: $(ls out/strikes)"
assert_nonempty out/strikes/cover.png
note "ok: an atlas made a plain map leaves no pages behind"

note "all passed"
