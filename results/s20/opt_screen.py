"""Session 20 screen: the default with explicit options, by the tables' protocol.

python results/s20/opt_screen.py OUT.jsonl BENCH SEEDS 'LABEL::JSON_OPTIONS[;LABEL::...]' [CELLS]
e.g. 'ednag sigma=0.3::{"sigma": 0.3}'. BUDGETS=1000 restricts the scored budgets.
"""

import json
import sys

from _loop import B, run

labels = []
for item in sys.argv[4].split(";"):
    lab, _, opts = item.partition("::")
    if opts:
        B.METHODS.setdefault(lab, ("ednag", json.loads(opts)))
    labels.append(lab)
run(sys.argv[1:], labels)
