#!/usr/bin/env bash
# Session 13: the overhead change checked at (N, D) sizes it was not developed on, before
# (commit 52970fa) and after, ours and evosax in one invocation each, one pinned core.
# Usage: bash results/s13/heldout_sizes.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-results/s13/held}
mkdir -p "$out"
base=/tmp/ednag_s12_base
[ -d "$base" ] || git worktree add -f "$base" 52970fa >/dev/null
sizes=128x1000,512x1000,256x2000,1024x300,4096x100
for tag in before after; do
  src=$PWD/src; [ "$tag" = before ] && src=$base/src
  OMP_NUM_THREADS=1 PYTHONPATH=$src taskset -c 1 python benchmarks/bench_overhead.py \
    --threads 1 --sizes $sizes --methods ours,evosax --rounds 2 --reps 10 \
    --json "$out/$tag.json" > "$out/$tag.md" 2>/dev/null
  grep -E "^\| [0-9]+ \| [0-9]+ \| [0-9.]+ \|" "$out/$tag.md" | sed "s/^/$tag /"
done
