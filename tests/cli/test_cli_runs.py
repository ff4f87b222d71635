"""Command-line behaviour a careful user relies on: the ranking, errors before work, resume."""

from __future__ import annotations

import json
import sys
import textwrap

import pytest

from ednag_opt.cli import main


def _gen(*extra: str) -> list[str]:
    return ["generate", "--quiet", *extra]


def test_ranking_lists_the_best_queried_cell_first(tmp_path, data_file):
    data_file("nasbench201/nb201_merged_200ep.csv")
    out = tmp_path / "r.json"
    rc = main(_gen("--space", "nas-bench-201", "--max-queries", "1000", "--output", str(out)))
    assert rc == 0
    res = json.loads(out.read_text())
    best = max(v for _, v in res["queries"] if isinstance(v, float))
    assert res["top_k"][0]["fitness"] == best == res["best_fitness"]
    assert res["top_k"][0]["arch"] == res["best_arch"]
    assert res["unique_queries"] == 1000 == len(res["queries"])
    meta = res["metadata"]
    assert meta["searcher"] == "ednag" and meta["seed"] == 0 and meta["max_queries"] == 1000
    assert meta["version"] and meta["fitness"]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--space", "nas-bench-201", "--popsize", "0"], "--popsize must be >= 2"),
        (["--space", "nas-bench-201", "--num-steps", "0"], "--num-steps must be >= 2"),
        (["--space", "nas-bench-201", "--top-k", "0"], "--top-k must be >= 1"),
        (["--space", "nas-bench-201", "--top-k", "-1"], "--top-k must be >= 1"),
        (["--space", "nas-bench-201", "--max-queries", "0"], "--max-queries must be >= 1"),
        (["--space", "nas-bench-201", "--task", "room_layout"], "--task cannot be used"),
        (["--space", "transnas-micro", "--dataset", "cifar10"], "--dataset cannot be used"),
        (["--space", "nas-bench-201", "--searcher", "rea"], "needs --max-queries"),
        (["--space", "nas-bench-201", "--searcher", "rea", "--popsize", "5",
          "--max-queries", "5"], "apply to EDNAG"),  # fmt: skip
        (["--space", "nas-bench-201", "--metric", "nope"], "nope"),
        (["--space", "mobilenetv3", "--max-latency-ms", "-3"], "--max-latency-ms"),
        (["--space", "mobilenetv3", "--constraints", "split"], "--constraints applies"),
        (["--space", "nas-bench-101"], "--fitness module:function"),
        (["--space", "darts", "--fitness", "os:getcwd"], "--maximize or --minimize"),
        (["--space", "darts", "--fitness", "no_such_module_x:f", "--maximize"], "cannot import"),
        (["--space", "nas-bench-201", "--ray-address", "auto"], "--backend ray"),
    ],
)
def test_errors_are_one_line_on_stderr_before_any_work(argv, message, capsys, data_file):
    data_file("nasbench201/nb201_merged_200ep.csv")
    assert main(_gen(*argv)) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1 and err.startswith("ednag-opt: error:")


def test_output_into_a_directory_fails_before_the_search(tmp_path, capsys, monkeypatch):
    cli = sys.modules["ednag_opt.cli.main"]
    monkeypatch.setattr(cli, "search", lambda *a, **k: pytest.fail("the search ran"))
    assert main(_gen("--space", "nas-bench-201", "--output", str(tmp_path))) == 2
    assert "is a directory" in capsys.readouterr().err


def test_output_into_a_missing_folder_is_created(tmp_path, data_file):
    data_file("nasbench201/nb201_merged_200ep.csv")
    out = tmp_path / "new" / "deeper" / "r.json"
    assert main(_gen("--space", "nas-bench-201", "--num-steps", "3", "--output", str(out))) == 0
    assert json.loads(out.read_text())["unique_queries"] > 0


def test_all_nan_metric_is_refused_before_the_run(tmp_path, capsys):
    from ednag_opt.spaces import get_space

    rows = ["arch,val,test"] + [f'"{a}",nan,nan' for a in get_space("nas-bench-201").enumerate()]
    table = tmp_path / "t.csv"
    table.write_text("\n".join(rows) + "\n")
    assert main(_gen("--space", "nas-bench-201", "--table", str(table))) == 2
    err = capsys.readouterr().err
    assert "no finite value" in err or "t.csv" in err


def test_user_fitness_for_darts_and_nb101(tmp_path, monkeypatch):
    mod = tmp_path / "my_fitness_mod.py"
    mod.write_text(textwrap.dedent('''
        def score(archs):
            return [float(len(str(a)) % 17) for a in archs]
        def edges(archs):
            return [float(a.num_edges) for a in archs]
        edges.maximize = True
    '''))
    monkeypatch.syspath_prepend(str(tmp_path))
    out = tmp_path / "d.json"
    assert main(_gen("--space", "darts", "--fitness", "my_fitness_mod:score", "--maximize",
                     "--max-queries", "30", "--output", str(out))) == 0  # fmt: skip
    assert json.loads(out.read_text())["unique_queries"] == 30
    assert main(_gen("--space", "nb101", "--fitness", "my_fitness_mod:edges",
                     "--searcher", "rea", "--max-queries", "20", "--output", str(out))) == 0
    assert json.loads(out.read_text())["metadata"]["space"] == "nas-bench-101"
    sys.modules.pop("my_fitness_mod", None)


def test_mobilenetv3_with_latency_budget(tmp_path, data_file):
    data_file("ofa/acc_predictor.pth")
    out = tmp_path / "m.json"
    rc = main(_gen("--space", "mobilenetv3", "--max-latency-ms", "25", "--max-queries", "40",
                   "--output", str(out)))  # fmt: skip
    assert rc == 0
    res = json.loads(out.read_text())
    assert res["unique_queries"] == 40 and "<=25ms" in res["metadata"]["fitness"]
    assert res["metadata"]["constraints"] == "staged"  # the default
    rc = main(_gen("--space", "mobilenetv3", "--max-latency-ms", "25", "--max-queries", "40",
                   "--constraints", "split", "--output", str(out)))  # fmt: skip
    assert rc == 0 and json.loads(out.read_text())["metadata"]["constraints"] == "split"


def test_checkpoint_resume_is_bit_identical(tmp_path, data_file, monkeypatch):
    data_file("nasbench201/nb201_merged_200ep.csv")
    full, part, ck = tmp_path / "full.json", tmp_path / "part.json", tmp_path / "ck.json"
    base = _gen("--space", "nas-bench-201", "--dataset", "cifar100", "--max-queries", "300")
    assert main([*base, "--output", str(full)]) == 0
    from ednag_opt.fitness import NB201Fitness

    calls = {"n": 0}
    real = NB201Fitness.__call__

    def dying(self, archs):  # the "machine" dies after 120 evaluations
        calls["n"] += len(archs)
        if calls["n"] > 120:
            raise KeyboardInterrupt
        return real(self, archs)

    monkeypatch.setattr(NB201Fitness, "__call__", dying)
    assert main([*base, "--checkpoint", str(ck), "--output", str(part)]) == 130
    saved = json.loads(ck.read_text())["queries"]
    assert 100 <= len(saved) <= 120
    partial = json.loads(part.read_text())  # the partial result is kept too
    assert partial["metadata"]["stop_reason"] == "interrupted"
    assert len(partial["queries"]) == len(saved)
    monkeypatch.setattr(NB201Fitness, "__call__", real)
    evaluated = {"n": 0}

    def counting(self, archs):
        evaluated["n"] += len(archs)
        return real(self, archs)

    monkeypatch.setattr(NB201Fitness, "__call__", counting)
    assert main([*base, "--checkpoint", str(ck), "--output", str(part)]) == 0
    a, b = json.loads(full.read_text()), json.loads(part.read_text())
    assert a["queries"] == b["queries"] and a["best_arch"] == b["best_arch"]
    assert evaluated["n"] == 300 - len(saved)  # nothing evaluated twice


def test_version_and_help(capsys):
    with pytest.raises(SystemExit):
        main(["--version"])
    assert "ednag-opt" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["generate", "--help"])
    text = capsys.readouterr().out
    assert "ImageNet16-120" in text and "class_scene" in text and "default" in text


def test_objectives_give_a_front_in_the_json_and_a_plot(tmp_path, data_file):
    data_file("nasbench201/nb201_merged_200ep.csv")
    out, plot = tmp_path / "mo.json", tmp_path / "front.png"
    rc = main(_gen("--space", "nas-bench-201", "--objectives", "val,edgegpu_latency",
                   "--max-queries", "60", "--output", str(out), "--plot", str(plot)))  # fmt: skip
    assert rc == 0
    res = json.loads(out.read_text())
    front = res["pareto_front"]
    assert front and res["unique_queries"] == 60 and plot.stat().st_size > 1000
    accs = [next(iter(row["values"].values())) for row in front]  # first objective: accuracy
    assert accs == sorted(accs, reverse=True)
    out2 = tmp_path / "twins.json"
    rc = main(_gen("--space", "nas-bench-201", "--objectives", "val,edgegpu_latency",
                   "--max-queries", "60", "--twins", "0.25", "--output", str(out2)))  # fmt: skip
    assert rc == 0
    assert json.loads(out2.read_text())["metadata"]["origins"]["twin"] == 15
    out3 = tmp_path / "cheap.json"
    rc = main(_gen("--space", "nas-bench-201", "--objectives", "val,edgegpu_latency",
                   "--max-queries", "60", "--twins", "auto", "--cheap", "edgegpu_latency",
                   "--output", str(out3)))  # fmt: skip
    assert rc == 0
    res3 = json.loads(out3.read_text())
    meta = res3["metadata"]
    assert meta["origins"]["twin"] == 30 and meta["options"]["cheap"] == "[1]"  # 0.5: latency
    assert meta["origins"]["sweep"] == 12  # sweep auto: 0.2 on a latency
    assert meta["options"]["twins"] == "auto"
    out4 = tmp_path / "nosweep.json"
    rc = main(_gen("--space", "nas-bench-201", "--objectives", "val,edgegpu_latency",
                   "--max-queries", "60", "--twins", "auto", "--cheap", "edgegpu_latency",
                   "--sweep", "0", "--output", str(out4)))  # fmt: skip
    assert rc == 0 and "sweep" not in json.loads(out4.read_text())["metadata"]["origins"]
    out5 = tmp_path / "stop.json"
    rc = main(_gen("--space", "nas-bench-201", "--objectives", "val,edgegpu_latency",
                   "--max-queries", "60", "--twins", "auto", "--cheap", "edgegpu_latency",
                   "--sweep-model", "gp", "--sweep-stop", "50", "--output", str(out5)))  # fmt: skip
    origins = json.loads(out5.read_text())["metadata"]["origins"]
    assert rc == 0 and "sweep" not in origins and origins["twin"] == 42  # stopped at once
    out6 = tmp_path / "ridge.json"
    rc = main(_gen("--space", "nas-bench-201", "--objectives", "val,edgegpu_latency",
                   "--max-queries", "60", "--twins", "auto", "--cheap", "edgegpu_latency",
                   "--sweep-model", "ridge", "--sweep-stop", "50",
                   "--output", str(out6)))  # fmt: skip
    assert rc == 0 and json.loads(out6.read_text())["metadata"]["origins"]["sweep"] == 12


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--prior", "cifar10", "--searcher", "rea", "--max-queries", "5"],
         "--prior applies to surrogate mode"),  # fmt: skip
        (["--dataset", "cifar100", "--prior", "cifar100"], "searched task itself"),
        (["--surrogate", "--prior", "mnist"], "mnist"),
        (["--objectives", "val"], "at least two"),
        (["--objectives", "val,edgegpu_latency", "--searcher", "rea", "--max-queries", "5"],
         "--searcher ednag"),  # fmt: skip
        (["--twins", "0.1", "--max-queries", "5"], "--twins applies to a search with"),
        (["--objectives", "val,edgegpu_latency", "--twins", "0.1"], "give max_queries"),
        (["--objectives", "val,edgegpu_latency", "--twins", "1.5", "--max-queries", "5"],
         "twins must be in [0, 1)"),  # fmt: skip
        (["--cheap", "edgegpu_latency", "--max-queries", "5"], "--cheap applies to a search"),
        (["--sweep", "0.2", "--max-queries", "5"], "--sweep applies to a search"),
        (["--objectives", "val,edgegpu_latency", "--sweep", "most", "--max-queries", "5"],
         "--sweep takes a share"),  # fmt: skip
        (["--sweep-model", "ridge", "--max-queries", "5"], "--sweep-model applies to a"),
        (["--sweep-stop", "1", "--max-queries", "5"], "--sweep-stop applies to a search"),
        (["--objectives", "val,edgegpu_latency", "--cheap", "edgegpu_latency", "--twins",
          "auto", "--sweep-stop", "-1", "--max-queries", "50"], "sweep_stop must be"),  # fmt: skip
        (["--objectives", "val,edgegpu_latency", "--sweep", "0.2", "--twins", "0.5",
          "--max-queries", "5"], "sweep > 0 needs cheap"),  # fmt: skip
        (["--objectives", "val,edgegpu_latency", "--cheap", "raspi4_latency"],
         "--cheap names objectives of --objectives"),  # fmt: skip
        (["--objectives", "val,edgegpu_latency", "--cheap", "val", "--twins", "0.5",
          "--max-queries", "5"], "a cheap minimised cost"),  # fmt: skip
        (["--objectives", "val,edgegpu_latency", "--twins", "auto", "--max-queries", "5"],
         "twins='auto' picks the share from the cheap cost's table"),  # fmt: skip
        (["--objectives", "val,edgegpu_latency", "--twins", "half", "--max-queries", "5"],
         "a share in [0, 1) or 'auto'"),  # fmt: skip
    ],
)
def test_prior_and_objective_errors(argv, message, capsys, data_file):
    data_file("nasbench201/nb201_merged_200ep.csv")
    assert main(_gen("--space", "nas-bench-201", *argv)) == 2
    assert message in capsys.readouterr().err


def test_prior_runs_surrogate_mode_with_related_datasets(tmp_path, data_file):
    data_file("nasbench201/nb201_merged_200ep.csv")
    out = tmp_path / "p.json"
    rc = main(_gen("--space", "nas-bench-201", "--dataset", "cifar100", "--surrogate",
                   "--prior", "cifar10,ImageNet16-120", "--max-queries", "3",
                   "--output", str(out)))  # fmt: skip
    assert rc == 0
    res = json.loads(out.read_text())
    assert res["unique_queries"] == 3 and res["metadata"]["searcher"] == "surrogate"


def test_workers_evaluate_in_processes_with_the_same_result(tmp_path, data_file):
    data_file("transnas-bench-101/tnb101_micro_val_final.csv")
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    base = _gen("--space", "transnas-micro", "--task", "class_object", "--max-queries", "30")
    assert main([*base, "--output", str(a)]) == 0
    assert main([*base, "--workers", "2", "--output", str(b)]) == 0
    assert json.loads(a.read_text())["queries"] == json.loads(b.read_text())["queries"]
