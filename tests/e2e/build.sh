# incimap build: the second build renders nothing; an edited incident
# re-renders exactly the maps and atlas pages that show it; an edited style
# re-renders that map's outputs; --dry-run says why; -j1 and -j2 give the
# same bytes; shards together are the full build; a failed map keeps its
# earlier output and sets the exit status.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/build_lib.sh"
make_project
cd "$PROJ"

render b1 build maps -o out -j2
assert_contains "$OUT" "12 rendered, 0 up to date, 0 failed"
for f in tanf.png syria.png syria.svg strikes/2017-04-07-shayrat-2017-04-07.png \
    strikes/2016-06-16-tanf-2016-06-16-a.png strikes/index.csv strikes/index.html; do
    assert_nonempty "out/$f"
done
[ "$(wc -l <out/strikes/index.csv)" = 10 ] || fail "index.csv should have a header and 9 pages"
[ "$(grep -c '<img' out/strikes/index.html)" = 9 ] || fail "index.html should show 9 pages"
note "ok: first build renders 2 maps (png, png+svg) and a 9-page atlas with its index"

snapshot out snap1
render b2 build maps -o out
assert_contains "$OUT" "0 rendered, 12 up to date, 0 failed"
touch maps/incidents.csv maps/tanf.yaml
render b3 build maps -o out
assert_contains "$OUT" "0 rendered, 12 up to date, 0 failed"
[ -z "$(changed_files snap1 out)" ] || fail "a no-op build changed: $(changed_files snap1 out)"
note "ok: second build, and one after touching inputs without changing them, render nothing"

# move the Shayrat strike (far from every other incident) a little
sed -i 's/^\(shayrat-2017-04-07,.*\),34\.49[0-9]*,36\.9089,/\1,34.49,36.95,/' maps/incidents.csv
grep -q '34.49,36.95' maps/incidents.csv || fail "test setup: the Shayrat row was not edited"
run_im dry build maps -o out --dry-run
expect_rc 0 "dry run"
sort "$OUT" >dry.txt
cat >want.txt <<'TXT'
4 to render, 8 up to date
would render strikes/2017-04-07-shayrat-2017-04-07.png: incidents.csv changed
would render syria.png: incidents.csv changed
would render syria.svg: incidents.csv changed
would render tanf.png: incidents.csv changed
TXT
diff want.txt dry.txt >dry.diff || fail "dry run: $(cat dry.diff)"
[ -z "$(changed_files snap1 out)" ] || fail "--dry-run changed files"
render b4 build maps -o out
assert_contains "$OUT" "4 rendered, 8 up to date, 0 failed"
changed_files snap1 out >changed.txt
printf "%s\n" strikes/2017-04-07-shayrat-2017-04-07.png strikes/index.csv syria.png syria.svg >want.txt
# tanf.png is re-rendered but Shayrat is outside its frame: same bytes
diff want.txt changed.txt >changed.diff || fail "one incident moved: $(cat changed.diff)"
note "ok: moving one incident re-renders the maps that read the file and one atlas page of nine"

snapshot out snap2
echo "theme: dark" >>maps/tanf.yaml
run_im dry2 build maps -o out -n
assert_contains "$OUT" "would render tanf.png: tanf.yaml changed"
assert_contains "$OUT" "1 to render, 11 up to date"
render b5 build maps -o out
[ "$(changed_files snap2 out)" = tanf.png ] || fail "a style change re-rendered: $(changed_files snap2 out)"
note "ok: a style change re-renders that map only"

render j1 build maps -o j1 -j1
render j2 build maps -o j2 -j2
assert_contains "$OUT" "12 rendered, 0 up to date, 0 failed"
[ ! -s "$ERR" ] || fail "stderr is no terminal, yet the build wrote to it: $(cat "$ERR")"
diff -r -x '.incimap-build*' j1 j2 >j.diff || fail "-j1 and -j2 differ: $(cat j.diff)"
diff -r -x '.incimap-build*' j1 out >jo.diff || fail "a fresh build differs from the incremental one: $(cat jo.diff)"
note "ok: -j1, -j2 and the incremental build give the same bytes"

total=0
for i in 0 1 2; do
    render "s$i" build maps -o shards --shard "$i/3"
    n=$(sed -n 's/^\([0-9]*\) rendered.*/\1/p' "$OUT")
    [ "$n" -gt 0 ] || fail "shard $i/3 built nothing"
    total=$((total + n))
done
diff -r -x '.incimap-build*' j1 shards >s.diff || fail "shards 0..2 of 3 differ from the full build: $(cat s.diff)"
# 12 outputs in all, and 12 renders: none was built by two shards
[ "$total" = 12 ] || fail "the shards rendered $total outputs, not 12"
run_im bad-shard build maps -o x --shard 3/3
expect_rc 2 "--shard 3/3"
note "ok: shards 0..2 of 3 union to the full build byte for byte, each output in one shard"

# on a terminal, a progress line (util-linux script gives the build one)
if command -v script >/dev/null; then
    script -qec "'$INCIMAP' build maps/tanf.yaml -o out --force" /dev/null >tty.txt 2>&1 ||
        fail "build on a terminal failed: $(cat tty.txt)"
    assert_contains tty.txt "[1/1] "
    assert_contains tty.txt "1 rendered, 0 up to date, 0 failed"
    note "ok: a progress line on a terminal only"
fi

snapshot out snap3
echo "bogus: 1" >>maps/tanf.yaml
run_im fail1 build maps -o out
expect_rc 3 "a broken map file"
assert_contains "$ERR" "tanf.png: "
assert_contains "$ERR" "tanf.yaml:8:1: unknown key 'bogus'"
assert_contains "$OUT" "0 rendered, 11 up to date, 1 failed"
cmp -s snap3/tanf.png out/tanf.png || fail "the failed map's earlier output was destroyed"
sed -i 's/^\(shayrat-2017-04-07,.*\),34\.49,36\.95,/\1,34.49,36.99,/' maps/incidents.csv
run_im fail2 build maps -o out
expect_rc 3 "a broken map file, without --keep-going"
assert_contains "$OUT" "0 rendered"
run_im fail3 build maps -o out --keep-going
expect_rc 3 "a broken map file, with --keep-going"
assert_contains "$OUT" "3 rendered, 8 up to date, 1 failed"
cmp -s snap3/tanf.png out/tanf.png || fail "the failed map's earlier output was destroyed"
sed -i 's/^bogus: 1/graticule: none/' maps/tanf.yaml
run_im fixed build maps -o out -n
assert_contains "$OUT" "would render tanf.png: tanf.yaml changed"
render fixed2 build maps -o out
assert_contains "$OUT" "1 rendered, 11 up to date, 0 failed"
note "ok: a failed map keeps its output, stops the build (exit 3) unless --keep-going, and is retried"

# an incident deleted: its page goes, with its line in the index
sed -i '/^dez-2016-09-17,/d' maps/incidents.csv
render del build maps -o out
[ ! -e out/strikes/2016-09-17-dez-2016-09-17.png ] || fail "the deleted incident's page is still there"
[ "$(cd out/strikes && ls *.png | wc -l)" = 8 ] || fail "8 pages should be left: $(ls out/strikes)"
assert_not_contains out/strikes/index.csv "dez-2016-09-17"
note "ok: a deleted incident's page is removed, and its index line"

# incimap atlas: one page per year, as a thin alias of build
render atlas atlas maps/strikes.yaml --per year -o years
[ "$(cd years/strikes && ls *.png | wc -l)" = 4 ] || fail "--per year: $(ls years/strikes)"
assert_contains years/strikes/index.csv "2017,2017,"
note "ok: incimap atlas --per year gives one page per year"

# a folder of maps sharing a style file: the style is no map of its own,
# and editing it re-renders every map that includes it
mkdir -p styled
cp maps/incidents.csv styled/
printf 'size: 320x240\nlegend: none\ninset: none\nincidents: {source: incidents.csv}\n' >styled/house.yaml
printf 'include: house.yaml\ntitle: One\n' >styled/one.yaml
printf 'include: [house.yaml]\ntitle: Two\n' >styled/two.yaml
render styled build styled -o styled-out
assert_contains "$OUT" "2 rendered, 0 up to date, 0 failed"
[ "$(cd styled-out && ls)" = "$(printf 'one.png\ntwo.png')" ] ||
    fail "a style file included by the folder's maps was built as a map: $(ls styled-out)"
sed -i 's/320x240/330x240/' styled/house.yaml
run_im styled2 build styled -o styled-out --dry-run
assert_contains "$OUT" "would render one.png: house.yaml changed"
assert_contains "$OUT" "would render two.png: house.yaml changed"
note "ok: a folder's shared style file is not built as a map; editing it re-renders its maps"

note "all passed"
