#!/bin/bash
cd /work/main && . .venv/bin/activate
DEV=edgegpu_latency,edgegpu_energy,raspi4_latency,pixel3_latency,fpga_latency,edgetpu_latency,eyeriss_energy,eyeriss_latency
nice -n 10 python benchmarks/bench_multiobjective.py --seeds 35-39 --devices $DEV --methods nsga2-networks,ednag --ednag '{"distinct": "networks"}' --no-doc --out results/mo9/nb201_s9_check2b.json > results/mo9/nb201_s9_check2b.log 2>&1
