# Shared helpers of the end-to-end tests; sourced by every tests/e2e/*.sh.
#
# ctest passes INCIMAP (the binary under test), PROBE (im_probe), SRC (the
# source tree) and WORK (this test's own scratch folder).  WORK is emptied
# when a test starts and left as it is when it ends, so a failed run can be
# inspected: every incimap run keeps its stdout/stderr in WORK/LABEL.out/.err.
set -euo pipefail

: "${INCIMAP:?INCIMAP must name the incimap binary (run the tests through ctest)}"
: "${PROBE:?PROBE must name im_probe}"
: "${SRC:?SRC must name the source tree}"
: "${WORK:?WORK must name a scratch folder}"

E2E_NAME=$(basename "$0" .sh)
GEODATA="$SRC/geodata"
export EXAMPLES="$GEODATA/examples"

# fail MESSAGE: end the test.  Also works inside $(...): the subshell stops
# the test itself, which would otherwise go on with an empty value.
fail() {
    echo "FAIL [$E2E_NAME]: $*" >&2
    echo "  (files of this run are in $WORK)" >&2
    if [ "$BASHPID" != "$E2E_PID" ]; then
        kill -TERM "$E2E_PID"
    fi
    exit 1
}
E2E_PID=$$
trap 'exit 1' TERM

skip() {
    echo "skipped: $*"
    exit 77
}

note() { echo "[$E2E_NAME] $*"; }

rm -rf "$WORK"
mkdir -p "$WORK"
cd "$WORK"

# Map-file lines that leave out the scale bar, north arrow, graticule and
# inset (for an unquoted here-document), in tests that look at symbols.
NO_FURNITURE='scalebar: none
north_arrow: none
graticule: none
inset: none'

need_tool() { # need_tool NAME: a tool the README installs
    command -v "$1" >/dev/null 2>&1 || fail "'$1' is not installed (README's quick start installs it)"
}

# run_im LABEL ARGS...: run incimap; sets RC, OUT and ERR (files).  Never
# fails by itself: check RC with expect_rc.
run_im() {
    local label=$1
    shift
    OUT="$WORK/$label.out"
    ERR="$WORK/$label.err"
    RC=0
    printf '%q ' "$INCIMAP" "$@" >"$WORK/$label.cmd"
    echo >>"$WORK/$label.cmd"
    "$INCIMAP" "$@" >"$OUT" 2>"$ERR" || RC=$?
}

# expect_rc CODE [WHAT]: the last run_im ended with CODE.
expect_rc() {
    if [ "$RC" != "$1" ]; then
        echo "--- command: $(cat "${ERR%.err}.cmd")" >&2
        echo "--- stderr:" >&2
        sed 's/^/    /' "$ERR" >&2
        fail "${2:-incimap} exited with $RC, expected $1"
    fi
}

# render LABEL ARGS...: run incimap and require success.
render() {
    run_im "$@"
    expect_rc 0 "render ($1)"
}

# assert_contains FILE TEXT [WHAT]: FILE contains TEXT (fixed string).
assert_contains() {
    if ! grep -qF -- "$2" "$1"; then
        echo "--- $1:" >&2
        sed 's/^/    /' "$1" | head -40 >&2
        fail "${3:-$1} does not contain '$2'"
    fi
}

# assert_matches FILE REGEX [WHAT]: FILE has a line matching the ERE.
assert_matches() {
    if ! grep -qE -- "$2" "$1"; then
        echo "--- $1:" >&2
        sed 's/^/    /' "$1" | head -40 >&2
        fail "${3:-$1} has no line matching /$2/"
    fi
}

assert_not_contains() {
    if grep -qF -- "$2" "$1"; then
        fail "${3:-$1} contains '$2' but should not"
    fi
}

assert_nonempty() {
    [ -s "$1" ] || fail "${2:-$1} is missing or empty"
}

# calc EXPR: evaluate an awk arithmetic expression.
calc() {
    awk "BEGIN { printf \"%.6f\n\", ($1) }"
}

# calc_int EXPR: the same, rounded to an integer.
calc_int() {
    awk "BEGIN { printf \"%d\n\", ($1) + 0.5 }"
}

is_number() {
    case "$1" in
    '' | *nan* | *inf* | *NaN* | *Inf*) return 1 ;;
    esac
    awk -v v="$1" 'BEGIN { exit !(v ~ /^-?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?$/) }'
}

# assert_near ACTUAL EXPECTED TOL WHAT: |ACTUAL - EXPECTED| <= TOL.
assert_near() {
    is_number "$1" || fail "$4: got '$1', not a number (expected $2 ± $3)"
    is_number "$2" || fail "$4: expected value '$2' is not a number"
    if ! awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'; then
        fail "$4: got $1, expected $2 ± $3"
    fi
    note "ok: $4: $1 (expected $2 ± $3)"
}

# assert_color "R G B" "R G B" TOL WHAT: every channel within TOL.
assert_color() {
    local got want c
    read -ra got <<<"$1"
    read -ra want <<<"$2"
    [ "${#got[@]}" = 3 ] || fail "$4: probe said '$1'"
    for c in 0 1 2; do
        if [ $((got[c] - want[c])) -gt "$3" ] || [ $((want[c] - got[c])) -gt "$3" ]; then
            fail "$4: colour is ($1), expected ($2) ± $3"
        fi
    done
    note "ok: $4: ($1) ≈ ($2)"
}

# probe ARGS...: run im_probe, failing the test if it fails.
probe() {
    local r
    r=$("$PROBE" "$@") || fail "im_probe $* failed"
    echo "$r"
}

# geo2px CRS WORLDFILE LON LAT: continuous image coordinates of a lon/lat.
geo2px() {
    local xy
    xy=$(probe project "$1" "$3" "$4")
    # shellcheck disable=SC2086
    probe world2px "$2" $xy
}

# assert_dir_holds DIR NAME...: DIR holds exactly these entries (no
# temporary ".name.XXXXXX" or "name.XXXXXX" left behind by a failed write).
assert_dir_holds() {
    local dir=$1 got want
    shift
    got=$(cd "$dir" && ls -A | LC_ALL=C sort | tr '\n' ' ')
    want=$(printf '%s\n' "$@" | LC_ALL=C sort | tr '\n' ' ')
    [ "$got" = "$want" ] || fail "$dir holds [${got% }], expected [${want% }]"
}

# chromium_run LABEL ARGS... URL: Debian's chromium, headless, as a CI
# runner (root, no D-Bus, a small /dev/shm) can run it: no sandbox, a
# profile of its own in WORK, a minute at most.  Its noise goes to
# WORK/LABEL.chromium.err, shown when it fails.
chromium_run() {
    local label=$1
    shift
    timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
        --no-first-run --disable-extensions --hide-scrollbars \
        --user-data-dir="$WORK/chromium-profile" "$@" 2>"$WORK/$label.chromium.err" ||
        { tail -20 "$WORK/$label.chromium.err" >&2; fail "chromium ($label) failed"; }
}
