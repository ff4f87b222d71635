"""Apply results/s17/RULE18_x0.md (issue 18, session 17): the x0 estimate over decoded
architectures against the default on seeds 140-179. python results/s17/rule18_x0.py"""
from rules_common import load, nb201_clauses, transnas_clause

SEEDS = range(140, 180)
a, n = transnas_clause(load("transnas", ["d17 x0dec", "d17 x0dec b"], SEEDS),
                       load("transnas", ["r2 renoise"], SEEDS))
print("(a)", "holds" if a else "fails")
bc = nb201_clauses(load("nb201", ["d17 x0dec"], SEEDS), load("nb201", ["r2 renoise"], SEEDS))
print("ADOPT" if a and bc and n >= 560 else "NOT ADOPTED (or incomplete)")
