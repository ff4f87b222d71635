"""Session 12: ask + tell at (256, 1000) with bounds, as is and with the kernel rounding guard
switched off (the GEMM always in float32), in one run. taskset -c 1 python results/s12/f32check.py"""
import time, sys, torch
from ednag_opt import EvolutionaryDDIM
from ednag_opt.strategy import guidance as G
torch.set_num_threads(1)
def run(n=40):
    es = EvolutionaryDDIM(shape=(1000,), popsize=256, num_steps=100, seed=0, bounds=(-5, 5))
    f = torch.rand(100, 256, generator=torch.Generator().manual_seed(1))
    for g in range(3): es.ask(); es.tell(f[g])
    t = time.perf_counter()
    for g in range(n): es.ask(); es.tell(f[g + 3])
    return (time.perf_counter() - t) / n * 1000
base = run()
_ki = G._kernel_inputs
def f32(x, alpha):  # what the float32 GEMM costs (the rounding guard switched off)
    flat = x.reshape(x.shape[0], -1); a = float(alpha)
    return flat, (flat * flat).sum(dim=1), a, 2.0 * (1.0 - a)
G._kernel_inputs = f32
print("default %.2f ms, float32 kernel GEMM %.2f ms" % (base, run()))
