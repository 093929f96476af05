#!/bin/bash
# One slice of the atlas per Slurm array task:
#   sbatch --array=0-15 geodata/examples/shards/slurm.sh
# SLURM_ARRAY_TASK_COUNT is the number of tasks in the array (slices).
#SBATCH --job-name=incimap-atlas
#SBATCH --cpus-per-task=4
#SBATCH --mem=4G
#SBATCH --time=01:00:00
#SBATCH --output=incimap-atlas-%A_%a.log
set -euo pipefail
cd "${SLURM_SUBMIT_DIR:-.}"
incimap build geodata/examples -o output/atlas \
    --shard "${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT}" \
    -j "${SLURM_CPUS_PER_TASK:-1}" --keep-going
