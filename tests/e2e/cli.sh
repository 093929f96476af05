# The command line itself: version, help, unknown commands, missing arguments.
source "$(dirname "$0")/lib.sh"

run_im version --version
expect_rc 0 "incimap --version"
assert_matches "$OUT" '^incimap 0\.[0-9]+\.[0-9]+$' "--version output"

run_im help render --help
expect_rc 0 "incimap render --help"
assert_contains "$OUT" "usage: incimap render" "render --help output"
assert_contains "$OUT" "--world-file" "render --help output"

run_im unknown frobnicate
expect_rc 2 "incimap frobnicate"
assert_contains "$ERR" "frobnicate" "stderr of an unknown command"

run_im noargs
expect_rc 2 "incimap without a command"
assert_contains "$ERR" "usage:" "stderr without a command"

run_im render-noargs render
expect_rc 2 "incimap render without a map file"
assert_contains "$ERR" "usage: incimap render" "stderr of render without a map file"

run_im render-badopt render --no-such-option "$EXAMPLES/tanf.yaml" -o "$WORK/x.png"
expect_rc 2 "incimap render --no-such-option"
[ ! -e "$WORK/x.png" ] || fail "a map was written despite the unknown option"

run_im render-twomaps render "$EXAMPLES/tanf.yaml" "$EXAMPLES/syria.yaml" -o "$WORK/y.png"
expect_rc 2 "incimap render with two map files"
[ ! -e "$WORK/y.png" ] || fail "a map was written despite two map files"

note "all passed"
