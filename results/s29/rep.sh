#!/bin/bash
# Session 29: the reported seeds 0-19 of the cost-lookup mode with the cheap cost as a
# feature of the sweep's Gaussian process, all 27 cells, in five jobs two at a time (nsga2
# re-run alongside as a reproducibility check).
# Usage: bash results/s29/rep.sh  (from the repository root, venv active)
export V='{"ednag, cheap cost + twins=auto (session 29)": {"cheap": [1], "twins": "auto"}}'
job() {
  python benchmarks/bench_multiobjective.py --seeds 0-19 --datasets cifar10,cifar100,ImageNet16-120 \
    --devices "$2" --methods nsga2 --variants "$V" --out "results/s29/rep_$1.json" --no-doc \
    > "results/s29/rep_$1.log" 2>&1
}
export -f job
printf '%s\n' "b raspi4_latency,pixel3_latency" "a edgegpu_latency,edgegpu_energy" \
  "c fpga_latency,fpga_energy" "d eyeriss_latency,eyeriss_energy" "e edgetpu_latency" |
  xargs -P 2 -L 1 bash -c 'job "$0" "$1"'
