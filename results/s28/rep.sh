#!/bin/bash
# Session 28: the reported seeds 0-19 of the cost-lookup mode after the constant-network fix,
# all 27 cells, in four jobs two at a time (nsga2 re-run alongside as a reproducibility check).
# Usage: bash results/s28/rep.sh  (from the repository root, venv active)
export V='{"ednag, cheap cost + twins=auto (session 28)": {"cheap": [1], "twins": "auto"}}'
job() {
  python benchmarks/bench_multiobjective.py --seeds 0-19 --datasets cifar10,cifar100,ImageNet16-120 \
    --devices "$2" --methods nsga2 --variants "$V" --out "results/s28/rep_$1.json" --no-doc \
    > "results/s28/rep_$1.log" 2>&1
}
export -f job
printf '%s\n' "a fpga_latency,edgegpu_latency" "b fpga_energy,edgegpu_energy,edgetpu_latency" \
  "c raspi4_latency,pixel3_latency" "d eyeriss_latency,eyeriss_energy" |
  xargs -P 2 -L 1 bash -c 'job "$0" "$1"'
