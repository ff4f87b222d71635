#!/usr/bin/env bash
# Session 13: overhead at (256, 1000) and (1024, 100) on one pinned core, before (commit
# 52970fa, session 12) and after the screened x0 kernel, alternating, three times each.
# Every invocation times ours and evosax in one run (interleaved rounds), so each ratio
# is a like-for-like measurement. Usage: bash results/s13/ab_overhead.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-results/s13/ab}
mkdir -p "$out"
base=/tmp/ednag_s12_base
[ -d "$base" ] || git worktree add -f "$base" 52970fa >/dev/null
for i in 1 2 3; do
  for tag in before after; do
    src=$PWD/src; [ "$tag" = before ] && src=$base/src
    OMP_NUM_THREADS=1 PYTHONPATH=$src taskset -c 1 python benchmarks/bench_overhead.py \
      --threads 1 --sizes 256x1000,1024x100 --methods ours,evosax --rounds 3 --reps 20 \
      --json "$out/$tag-$i.json" > "$out/$tag-$i.md" 2>/dev/null
    grep -E "^\| (256|1024) \| (1000|100) \| [0-9.]+ \|" "$out/$tag-$i.md" | sed "s/^/$tag $i /"
  done
done
