"""Raw MobileNetV3 files with the session-19 default (results/s19/RULE19.md).

python results/s19/build_ofa.py
Writes results/s19/search/ofa.json (seeds 0-19: the table's rows) and
results/s19/pool/ofa.json (seeds 0-59, for `bench_searchers.py --show`). The baselines' runs
and the default's unconstrained runs are session 17/18's (they reproduce exactly); the
default's runs under 25 ms are today's staged runs, and today's runs of the session-18
default (constraint mode throughout) are the row "ednag split (session-18 default)".
"""

import gzip
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
OLD = ["results/s18/ofa_report/ofa.json.gz", "results/s17/heldout_ofa/ofa.json.gz",
       "results/s18/ofa40/ofa.json.gz"]  # fmt: skip
NEW = ["report_a", "report_b", "check_a", "check_b", "ablation_a", "ablation_b", "rows_a",
       "rows_b", "rows_c"]
RENAME = {"ednag staged": "ednag default", "ednag default": "ednag split (session-18 default)"}


def main() -> None:
    root = HERE.parents[1]
    runs: dict[tuple, dict] = {}
    for path in OLD:
        for r in json.load(gzip.open(root / path, "rt")):
            if not (r["method"] == "ednag default" and r["problem"] == "acc@25ms"):
                runs[(r["problem"], r["method"], r["seed"])] = r
    for name in NEW:
        path = HERE / f"{name}.jsonl"
        if not path.exists():
            continue
        for line in path.open():
            r = json.loads(line)
            r["method"] = RENAME.get(r["method"], r["method"])
            runs[(r["problem"], r["method"], r["seed"])] = r
    for folder, seeds in (("search", range(20)), ("pool", range(60))):
        out = [r for (p, m, s), r in sorted(runs.items()) if s in seeds]
        (HERE / folder).mkdir(exist_ok=True)
        (HERE / folder / "ofa.json").write_text(json.dumps(out))
        print(folder, len(out), "runs")


if __name__ == "__main__":
    main()
