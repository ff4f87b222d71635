import json

from ednag_opt.cli import main


def test_generate_nb201_writes_json_and_plot(tmp_path, data_file):
    data_file("nasbench201/nb201_merged_200ep.csv")  # test accuracy comes from this table
    out, plot = tmp_path / "r.json", tmp_path / "c.png"
    rc = main(
        ["generate", "--space", "nas-bench-201", "--dataset", "cifar100", "--seed", "0",
         "--num-steps", "10", "--output", str(out), "--plot", str(plot), "--quiet"]
    )  # fmt: skip
    assert rc == 0
    res = json.loads(out.read_text())
    assert res["metadata"]["space"] == "nas-bench-201"
    assert res["unique_queries"] <= res["total_queries"]
    assert 60 < res["best_fitness"] <= 73.49334  # the validation optimum: 73.493333
    assert 0 < res["best_arch_test"] <= 73.5134
    assert len(res["top_k"]) == 5 and len(res["top_k_test"]) == 5
    assert plot.stat().st_size > 1000


def test_generate_transnas(tmp_path, data_file, capsys):
    data_file("transnas-bench-101/tnb101_micro_val_final.csv")
    out = tmp_path / "r.json"
    rc = main(["generate", "--space", "transnas-micro", "--task", "room_layout",
               "--max-queries", "50", "--output", str(out), "--quiet"])  # fmt: skip
    assert rc == 0
    res = json.loads(out.read_text())
    assert res["unique_queries"] == 50 and res["best_fitness"] < 0  # negative loss


def test_generate_surrogate_mode(tmp_path, data_file):
    data_file("transnas-bench-101/tnb101_micro_val_final.csv")
    out = tmp_path / "r.json"
    rc = main(["generate", "--space", "transnas-micro", "--task", "class_scene", "--surrogate",
               "--max-queries", "25", "--output", str(out), "--quiet"])  # fmt: skip
    assert rc == 0
    res = json.loads(out.read_text())
    assert res["mode"] == "surrogate"
    assert res["unique_queries"] == res["total_queries"] == 25  # surrogate mode never overshoots
    assert res["best_fitness"] == max(row["fitness"] for row in res["top_k"])


def test_clear_errors(capsys):
    assert main(["generate", "--space", "nas-bench-201", "--dataset", "mnist", "--quiet"]) == 2
    assert "unknown NAS-Bench-201 dataset" in capsys.readouterr().err
    assert main(["generate", "--space", "nope", "--quiet"]) == 2
    assert "nope" in capsys.readouterr().err
    assert main(["generate", "--space", "darts", "--quiet"]) == 2
    assert "--fitness module:function" in capsys.readouterr().err
    assert main(["generate", "--space", "transnas-micro", "--task", "x", "--quiet"]) == 2


def test_spaces_lists_all(capsys):
    assert main(["spaces"]) == 0
    text = capsys.readouterr().out
    for name in ("nas-bench-201", "darts", "mobilenetv3", "transnas-macro"):
        assert name in text
