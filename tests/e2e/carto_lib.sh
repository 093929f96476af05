# Helpers of the cartography end-to-end tests (carto_*.sh), sourced after
# lib.sh.  Renders write their label boxes with INCIMAP_DEBUG_LABELS
# (records: RECORD KIND OWNER X Y W H EXTRA..., CSS px).

# render_dump LABEL OUT MAP [ARGS...]: render with the label dump in
# WORK/LABEL.tsv.
render_dump() {
    local label=$1 out=$2 map=$3
    shift 3
    INCIMAP_DEBUG_LABELS="$WORK/$label.tsv" run_im "$label" render "$map" -o "$out" "$@"
    expect_rc 0 "render ($label)"
    assert_nonempty "$WORK/$label.tsv" "label dump of $label"
}

# check_label_boxes TSV WHAT: no placed label box intersects another label
# (of another owner), a symbol or a piece of furniture, and every label box
# lies inside the frame.  Prints "placed dropped leader" counts.
check_label_boxes() {
    local tsv=$1 what=$2 out
    out=$(awk -F'\t' -v eps=0.01 '
        $1 == "frame" { fx = $4; fy = $5; fw = $6; fh = $7 }
        $1 == "box" { n++; k[n] = $2; o[n] = $3; x[n] = $4; y[n] = $5; w[n] = $6; h[n] = $7 }
        $1 == "label" { if ($8 == "dropped") dropped++; else if ($8 == "leader") leader++; else placed++ }
        END {
            bad = 0
            for (i = 1; i <= n; i++) {
                if (k[i] != "label")
                    continue
                if (x[i] < fx - eps || y[i] < fy - eps || x[i] + w[i] > fx + fw + eps || y[i] + h[i] > fy + fh + eps) {
                    printf "label box %d (owner %s) at %.1f,%.1f %.1fx%.1f leaves the frame\n", i, o[i], x[i], y[i], w[i], h[i]
                    bad++
                }
                for (j = 1; j <= n; j++) {
                    if (j == i || (k[j] == "label" && (o[j] == o[i] || j < i)))
                        continue
                    if (x[i] < x[j] + w[j] - eps && x[j] < x[i] + w[i] - eps && y[i] < y[j] + h[j] - eps && y[j] < y[i] + h[i] - eps) {
                        printf "label box %d (owner %s) overlaps %s box %d (owner %s)\n", i, o[i], k[j], j, o[j]
                        bad++
                    }
                }
            }
            printf "RESULT %d %d %d %d\n", bad, placed + 0, dropped + 0, leader + 0
        }' "$tsv")
    if ! grep -q "^RESULT 0 " <<<"$out"; then
        echo "$out" | head -20 >&2
        fail "$what: labels overlap or leave the frame"
    fi
    read -r _ _ LB_PLACED LB_DROPPED LB_LEADER <<<"$(grep '^RESULT' <<<"$out")"
    note "ok: $what: no label box overlaps another label, a symbol or furniture ($LB_PLACED placed, $LB_LEADER on leaders, $LB_DROPPED dropped)"
}

# label_state TSV KIND TEXT: placed, leader or dropped (empty: not offered).
label_state() {
    awk -F'\t' -v k="$2" -v t="$3" '$1 == "label" && $2 == k && $9 == t { print $8; exit }' "$1"
}

# field TSV RECORD KIND COLUMN: one column of the first matching record.
field() {
    awk -F'\t' -v r="$2" -v k="$3" -v c="$4" '$1 == r && (k == "" || $2 == k) { print $c; exit }' "$1"
}
