#!/usr/bin/env bash
# The GPU checks of the open issues, in one run on a machine with CUDA (docs/results_gpu.md).
#
#   1. the test suite's CUDA tests (strategy with and without the adapted frame, generate,
#      OFA / surrogate / transferable / prior predictors) and the rest of the strategy,
#      predictor, space and search tests, on the GPU machine;
#   2. overhead per generation on the GPU at N up to 16,384 (issue #14): ours, our black-box
#      preset and evosax's DiffusionEvolution (JAX on the same GPU), and the CPU rows of the
#      issue's target sizes on the same machine, one thread;
#   3. few-shot transfer on NB201 with the predictors on the GPU and on the CPU (issue #13).
#
# Usage (from the repository root; RESULTS defaults to results/gpu_checks):
#   EDNAG_DATA_DIR=../shared/data bash benchmarks/gpu_checks.sh
# Each part has its own time limit and writes its log as it goes, so a cut run keeps the rest.
set -u
RESULTS=${RESULTS:-results/gpu_checks}
PY=${PYTHON:-python3}
mkdir -p "$RESULTS"
export PYTHONPATH="src:${PYTHONPATH:-}" OMP_NUM_THREADS=1 PYTHONUNBUFFERED=1
export XLA_PYTHON_CLIENT_PREALLOCATE=false  # JAX next to torch: take GPU memory as needed

{ nvidia-smi -L; nproc; $PY -c "import torch, jax; print(torch.__version__, \
torch.cuda.get_device_name(), jax.__version__, jax.devices())"; } >"$RESULTS/machine.txt" 2>&1

# 1. tests: modules that need packages the GPU image lacks (pymoo, optuna) error at collection
timeout "${T_TESTS:-100}" $PY -m pytest -q -p no:cacheprovider -n 8 -rs \
    --continue-on-collection-errors tests/strategy tests/predictors tests/spaces \
    tests/search tests/fitness >"$RESULTS/tests.log" 2>&1
echo "tests rc=$?" >>"$RESULTS/machine.txt"

# 2. overhead: GPU rows, then the CPU rows of the targets on this machine
timeout "${T_GPU_OVERHEAD:-130}" $PY benchmarks/bench_overhead.py --device cuda --threads 1 \
    --sizes 256x1000,1024x100,4096x100,16384x100,16384x1000 --methods ours,blackbox,evosax \
    --reps 20 --json "$RESULTS/overhead_cuda.json" >"$RESULTS/overhead_cuda.log" 2>&1
JAX_PLATFORMS=cpu timeout "${T_CPU_OVERHEAD:-60}" $PY benchmarks/bench_overhead.py \
    --device cpu --threads 1 --sizes 256x1000,1024x100 --methods ours,blackbox,evosax \
    --reps 20 --json "$RESULTS/overhead_cpu.json" >"$RESULTS/overhead_cpu.log" 2>&1

# 3. transfer: the same rows with the predictors on the GPU, then on the CPU
timeout "${T_TRANSFER:-180}" $PY benchmarks/bench_transfer.py --part nb201 --device cuda,cpu \
    --methods "transfer,no transfer" --seeds 2 --prior-seeds 1 --workers 6 --gpu-workers 3 \
    >"$RESULTS/transfer.log" 2>&1
cp results/transfer/devices_nb201_*.jsonl results/transfer/priors_nb201*.json "$RESULTS/" \
    2>/dev/null
echo "done" >>"$RESULTS/machine.txt"
