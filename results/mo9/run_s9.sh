#!/bin/bash
cd /work/main && . .venv/bin/activate
DEV=edgegpu_latency,edgegpu_energy,raspi4_latency,pixel3_latency,fpga_latency,edgetpu_latency,eyeriss_energy,eyeriss_latency,fpga_energy
nice -n 10 python benchmarks/bench_multiobjective.py --seeds 0-19 --devices $DEV --methods ednag --ednag '{"distinct": "networks"}' --no-doc --out results/mo9/nb201_s9_nets.json > results/mo9/nb201_s9_nets.log 2>&1
nice -n 10 python benchmarks/bench_multiobjective.py --seeds 0-19 --devices $DEV --methods nsga2-networks --no-doc --out results/mo9/nb201_s9_nsga_nets.json > results/mo9/nb201_s9_nsga_nets.log 2>&1
