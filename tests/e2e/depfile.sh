# render -M writes a Make rule naming every file the map was made from:
# the map file, its data, each base-map shapefile with its sidecars, the
# fonts; paths with blanks escaped; make then re-renders exactly when one
# of them changes.
source "$(dirname "$0")/lib.sh"
need_tool make

P="$WORK/my maps"
mkdir -p "$P"
cp "$GEODATA/data/seed-incidents.csv" "$P/strike data.csv"
for ext in shp shx dbf prj cpg; do cp "$GEODATA/basemap/me/land.$ext" "$P/land.$ext"; done
cat >"$P/tanf.yaml" <<'YAML'
title: At-Tanf
size: 400x300
extent: {center: [38.62, 33.52], radius_km: 85}
basemap:
  - {source: land.shp, fill: "#eeeeee"}
incidents:
  source: strike data.csv
legend: none
inset: none
YAML

cd "$P"
render dep render tanf.yaml -o out.png -M out.d
assert_nonempty out.png
head -1 out.d | grep -qx 'out.png: \\' || fail "out.d does not start with the rule for out.png: $(head -1 out.d)"
for dep in 'tanf.yaml' 'strike\ data.csv' land.shp land.shx land.dbf land.prj land.cpg; do
    grep -qxF " $dep \\" out.d || fail "out.d does not list $dep: $(cat out.d)"
done
grep -qE '\.(ttf|otf|ttc) ' out.d || grep -qE '\.(ttf|otf|ttc)$' out.d || fail "out.d lists no font file"
# every listed file exists (the make rules below depend on them)
sed -n '/^[^ ].*:$/p' out.d | sed 's/:$//; s/\\ / /g' | while read -r f; do
    [ -e "$f" ] || fail "out.d lists '$f', which does not exist"
done
note "ok: out.d lists the map file, the data (escaped blank), the shapefile's five files and the fonts"

cat >Makefile <<MK
out.png:
	"$INCIMAP" render tanf.yaml -o out.png -M out.d
-include out.d
MK
rm -f out.png
make -s >make1.log 2>&1 || fail "make failed: $(cat make1.log)"
assert_nonempty out.png
make -q || fail "make wants to rebuild out.png right after building it"
sleep 0.05
touch "strike data.csv"
make -q && fail "make does not see that 'strike data.csv' changed"
make -s >make2.log 2>&1 || fail "make failed: $(cat make2.log)"
make -q || fail "make still wants to rebuild after rebuilding"
touch land.dbf
make -q && fail "make does not see that land.dbf changed"
note "ok: make re-renders when the data or a shapefile sidecar changes, not otherwise"

note "all passed"
