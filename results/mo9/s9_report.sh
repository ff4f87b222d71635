#!/bin/bash
# Session-9 tables: the network view (distinct networks for both EDNAG and NSGA-II) with the
# cell-mode rows of session 8 for reference. Usage: bash results/mo9/s9_report.sh [--no-doc]
cd /work/main && . .venv/bin/activate
R=results/mo; S=results/mo9
python benchmarks/bench_multiobjective.py --report $R/nb201_s8_main.json,$S/nb201_s9_nets.json,$S/nb201_s9_nsga_nets.json --rename '{"results/mo/nb201_s8_main.json": {"ednag": "ednag, every cell (default)", "nsga2": "nsga2, every cell", "random": null}, "results/mo9/nb201_s9_nsga_nets.json": {"nsga2-networks": "nsga2"}}' --section nb201-s9 "$@"
