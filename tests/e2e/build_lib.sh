# A small project for the build tests: two maps and an atlas sharing one
# incidents file, in $WORK/proj.  Sourced after lib.sh.
make_project() {
    local P="$WORK/proj"
    mkdir -p "$P/maps"
    cp "$GEODATA/data/seed-incidents.csv" "$P/maps/incidents.csv"
    cat >"$P/maps/tanf.yaml" <<'YAML'
title: At-Tanf
size: 480x360
extent: {center: [38.62, 33.52], radius_km: 85}
incidents: {source: incidents.csv}
legend: none
inset: none
YAML
    cat >"$P/maps/syria.yaml" <<'YAML'
title: Syria
size: 480x360
incidents: {source: incidents.csv}
legend: none
inset: none
formats: [png, svg]
YAML
    cat >"$P/maps/strikes.yaml" <<'YAML'
title: Strikes
size: 480x360
incidents: {source: incidents.csv}
legend: none
inset: none
graticule: none
atlas: {per: incident, radius_km: 30, name: "{date}-{id}.png"}
YAML
    PROJ="$P"
}

# snapshot DIR COPY: copy DIR's files (not the manifest) to compare later.
snapshot() {
    rm -rf "$2"
    mkdir -p "$2"
    (cd "$1" && find . -type f ! -name '.incimap-build*' | sort) >"$2.list"
    cp -a "$1/." "$2/"
}

# changed_files OLD NEW: the files of NEW whose bytes differ from OLD's (or
# that OLD lacks), one per line, sorted.
changed_files() {
    (cd "$2" && find . -type f ! -name '.incimap-build*' | sort) | while read -r f; do
        cmp -s "$1/$f" "$2/$f" || echo "${f#./}"
    done
}
