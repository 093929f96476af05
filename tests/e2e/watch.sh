# incimap build --watch: after the first build it re-renders a map when
# its data changes, also when an editor saves by writing a new file and
# renaming it over the old one; a broken map file is reported and the
# watch goes on.  Every wait is bounded.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/build_lib.sh"
make_project
cd "$PROJ"
rm maps/strikes.yaml maps/syria.yaml

"$INCIMAP" build maps -o out --watch -j1 >watch.out 2>watch.err &
WATCH_PID=$!
trap 'kill $WATCH_PID 2>/dev/null || true' EXIT

# wait_for SECONDS CONDITION...: poll every 0.1 s
wait_for() {
    local limit=$(( $1 * 10 )) i=0
    shift
    while ! "$@"; do
        i=$((i + 1))
        [ "$i" -lt "$limit" ] || return 1
        kill -0 "$WATCH_PID" 2>/dev/null || fail "the watcher exited: $(cat watch.err)"
        sleep 0.1
    done
}
count_watching() { [ "$(grep -c 'watching' watch.err)" -ge "$1" ]; }

wait_for 60 count_watching 1 || fail "no first build: $(cat watch.err)"
assert_nonempty out/tanf.png
cp out/tanf.png first.png

# an edit in place: the incident at the garrison moves
sed -i 's/^\(tanf-2017-04-08,.*\),33\.5058,38\.6178,/\1,33.45,38.50,/' maps/incidents.csv
grep -q '33.45,38.50' maps/incidents.csv || fail "test setup: the row was not edited"
wait_for 60 count_watching 2 || fail "no rebuild after the data changed: $(cat watch.err)"
cmp -s first.png out/tanf.png && fail "tanf.png did not change after its data did"
cp out/tanf.png second.png
note "ok: an edited data file is rebuilt"

# a save by rename, as editors do
sed 's/^title: At-Tanf/title: At-Tanf garrison/' maps/tanf.yaml >maps/.tanf.yaml.tmp
mv maps/.tanf.yaml.tmp maps/tanf.yaml
wait_for 60 count_watching 3 || fail "no rebuild after a save by rename: $(cat watch.err)"
cmp -s second.png out/tanf.png && fail "tanf.png did not change after its map file was replaced"
note "ok: a map file saved by rename is rebuilt"

# an error is printed and the watch goes on
echo "bogus: 1" >>maps/tanf.yaml
wait_for 60 count_watching 4 || fail "no rebuild after breaking the map: $(cat watch.err)"
assert_contains watch.err "unknown key 'bogus'"
sed -i '/^bogus/d; s/^title: .*/title: Fixed/' maps/tanf.yaml
wait_for 60 count_watching 5 || fail "the watch stopped after an error: $(cat watch.err)"
assert_contains watch.err "1 rendered, 0 up to date, 0 failed; watching"
note "ok: a broken map is reported and the watch goes on"

kill "$WATCH_PID"
wait "$WATCH_PID" || true
trap - EXIT
note "all passed"
