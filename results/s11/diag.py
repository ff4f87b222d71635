"""Session 11: results/s10/diag.py's per-run logs with results/s11/knob.py's knobs.
python results/s11/diag.py KNOBS_JSON FIDS DIM INSTANCES [ours-config-json] [ours,cma]"""
import runpy
import sys

args = sys.argv[2:]
sys.argv = [sys.argv[0], sys.argv[1]]
sys.path.insert(0, "results/s11")
import knob  # noqa: E402,F401  (patches bench_bbob.minimize)

sys.argv = ["diag.py"] + args
runpy.run_path("results/s10/diag.py", run_name="__main__")
