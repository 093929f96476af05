#!/bin/sh
# All slices of the atlas with GNU parallel: N slices, one job each, on
# this machine or spread over others with --sshloginfile (each needs the
# project at the same path, or a shared folder).
#   geodata/examples/shards/parallel.sh [N]
set -eu
N=${1:-4}
seq 0 $((N - 1)) | parallel --halt soon,fail=1 --line-buffer \
    incimap build geodata/examples -o output/atlas --shard {}/"$N" -j 1 --keep-going
