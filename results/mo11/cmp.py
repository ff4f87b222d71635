"""Compare methods across files: median hv@b and networks@b per cell. Usage: cmp.py FILE[:label] ..."""
import json, sys, collections, numpy as np
rows = []
for arg in sys.argv[1:]:
    path, _, lab = arg.partition(":")
    for r in json.load(open(path))["rows"]:
        m = r["method"] if not lab or r["method"] != "ednag" else lab
        rows.append({**r, "method": m})
by = collections.defaultdict(list)
for r in rows:
    by[(r["dataset"][:8] + "/" + r["device"][:8], r["method"])].append(r)
cells = sorted({c for c, _ in by}); methods = list(dict.fromkeys(r["method"] for r in rows))
for key in ("hv@100", "hv@300", "hv@1000", "networks@1000"):
    print(key)
    for c in cells:
        print("  %-26s" % c + " ".join("%s %.4f(%d)" % (m[:14], np.median([r[key] for r in by[(c, m)]]), len(by[(c, m)])) for m in methods if (c, m) in by))
