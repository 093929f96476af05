# Labels of every example and of a crowded map: no label box overlaps
# another label, a symbol (incident, base, place dot) or the furniture
# (legend, scale bar, north arrow, inset), none leaves the frame; bases,
# incidents, the zone and the deconfliction line are all named; crowded
# incidents get leader lines rather than vanishing.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/carto_lib.sh"

for ex in tanf syria tanf-ar; do
    render_dump "$ex" "$WORK/$ex.png" "$EXAMPLES/$ex.yaml"
    check_label_boxes "$WORK/$ex.tsv" "$ex.yaml"
    # every base, incident, zone and line label found a place
    missing=$(awk -F'\t' '$1 == "label" && ($2 == "base" || $2 == "incident" || $2 == "zone" || $2 == "line") && $8 == "dropped"' "$WORK/$ex.tsv")
    [ -z "$missing" ] || { echo "$missing" >&2; fail "$ex.yaml: a base, incident, zone or line label was dropped"; }
    # labels drawn where the dump says: the PNG has dark text pixels in the
    # box of the base's label
    read -r bx by bw bh <<<"$(awk -F'\t' '$1 == "label" && $2 == "base" && $8 != "dropped" { print $4, $5, $6, $7; exit }' "$WORK/$ex.tsv")"
    read -r _ _ n <<<"$(probe centroid "$WORK/$ex.png" 33 33 33 60 "$bx" "$by" "$(calc "$bx + $bw")" "$(calc "$by + $bh")")"
    [ "$n" -ge 30 ] || fail "$ex.yaml: no text pixels in the base label's box ($n)"
done

# the shipped places are labelled largest first: in the Syria map every
# capital and city in the frame is named
dropped=$(awk -F'\t' '$1 == "label" && $2 == "place" && $8 == "dropped"' "$WORK/syria.tsv" |
    grep -E $'\t(Damascus|Aleppo|Homs|Hama|Raqqa|Deir ez-Zor|Hasakah|Latakia|Beirut|Mosul)$' || true)
[ -z "$dropped" ] || { echo "$dropped" >&2; fail "syria.yaml: a city's name was dropped"; }
[ "$(label_state "$WORK/syria.tsv" line "Euphrates deconfliction line")" = placed ] ||
    fail "syria.yaml: the deconfliction line is not labelled along the line"

# A crowded map: 60 incidents within ~15 km, labelled by date.
awk 'BEGIN {
    srand(7); print "date,type,actor,lat,lon"
    for (i = 0; i < 60; i++)
        printf "2020-%02d-%02d,%s,%s,%.4f,%.4f\n", 1 + i % 12, 1 + i % 28,
            (i % 3 ? "air strike" : "shelling"), (i % 2 ? "Army" : "Rebels"),
            35.0 + rand() * 0.14, 38.0 + rand() * 0.17
}' >"$WORK/crowd.csv"
cat >"$WORK/crowd.yaml" <<YAML
title: Crowded
size: 900x700
extent: {center: [38.08, 35.07], radius_km: 25}
incidents: {source: crowd.csv}
bases:
  - {name: Crowd base, at: [38.08, 35.07]}
YAML
render_dump crowd "$WORK/crowd.png" "$WORK/crowd.yaml"
check_label_boxes "$WORK/crowd.tsv" "crowded map"
[ "$LB_LEADER" -ge 1 ] || fail "crowded map: no label was set on a leader line"
[ $((LB_PLACED + LB_LEADER)) -ge 20 ] || fail "crowded map: only $((LB_PLACED + LB_LEADER)) labels shown"
note "crowded map: $LB_PLACED placed, $LB_LEADER on leaders, $LB_DROPPED dropped"

note "all passed"
