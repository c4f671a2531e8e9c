"""``benchmarks/parametric.py`` on the tiny model, and the ``tiermem adapters`` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tiermem.benchmarks.parametric import bench_facts, markdown, plan, plot, run_parametric
from tiermem.graphs.cli import app
from tiermem.graphs.config import TierMemConfig
from tiermem.graphs.services import Services
from tiermem.memory.adapters.config import EvalConfig
from typer.testing import CliRunner


def test_bench_reports_every_size_and_variant(tiny_runtime, quick_train, tmp_path: Path) -> None:
    seen = []
    report = run_parametric(
        (1, 2),
        config=quick_train.model_copy(update={"new_share": 1.0}),  # rehearse the known fact with 2 examples
        runtime=tiny_runtime,
        gate=EvalConfig(probe_tokens=4),
        on_result=seen.append,
    )
    variants = ("last-layers", "fp32", "all-layers", "constant-lr", "incremental", "full-softmax")
    assert [(r.facts, r.variant) for r in report.results] == [
        (n, v) for n in (1, 2) for v in variants if (n, v) != (1, "incremental")
    ]
    assert [r.continued for r in report.results] == [r.variant == "incremental" for r in report.results]
    assert [r.continued_recall is not None for r in report.results] == [r.continued for r in report.results]
    assert [r.reused_rows > 0 for r in report.results] == [r.continued for r in report.results]  # the row cache
    continued = next(r for r in report.results if r.continued)
    retrained = next(r for r in report.results if (r.facts, r.variant) == (2, "last-layers"))
    assert continued.examples < retrained.examples  # the first fact was rehearsed, not relearned
    assert seen == report.results
    row = report.results[0].model_dump()
    for key in ("facts", "exact_recall", "paraphrase_recall", "controls_changed", "ppl_increase_pct", "train_s"):
        assert key in row
    assert row["device"] == "cpu" and row["threads"] == 1 and row["job_s"] >= row["train_s"] > 0
    assert [r.layers for r in report.results[:4]] == ["2", "2", "all", "2"]
    assert [r.schedule for r in report.results[:4]] == ["cosine", "cosine", "cosine", "constant"]
    assert [r.precision for r in report.results[:2]] == ["fp32", "fp32"]  # the tiny runtime asks for fp32
    assert markdown(report).count("\n") == 1 + len(report.results)
    assert plot(report, tmp_path / "p.png").stat().st_size > 1000


def test_default_plan_runs_comparisons_at_fewer_sizes() -> None:
    runs = [(n, variant[0]) for n, variant in plan(None, None)]
    assert sorted(runs) == sorted(
        [(n, "last-layers") for n in (1, 5, 10, 20)]
        + [(n, "constant-lr") for n in (1, 5, 10)]
        + [(n, "fp32") for n in (1, 5, 10)]
        + [(n, "all-layers") for n in (1, 5)]
        + [(n, "incremental") for n in (5, 10, 20)]
        + [(n, "full-softmax") for n in (10, 20)]
    )
    assert [(n, v[0]) for n, v in plan([1, 2], ["incremental"])] == [(2, "incremental")]
    assert [(n, v[0]) for n, v in plan([10], ["all-layers"])] == [(10, "all-layers")]


def test_bench_rejects_unknown_variants_and_sizes() -> None:
    with pytest.raises(ValueError, match="unknown variants"):
        run_parametric((1,), variants=["everything"])
    with pytest.raises(ValueError, match="between 1 and 20"):
        bench_facts(21)


def test_adapters_commands(tmp_path: Path) -> None:
    services = Services(TierMemConfig(data_dir=str(tmp_path / "data")))
    registry, queue = services.registry, services.queue

    def write(folder: Path) -> None:
        (folder / "adapter_config.json").write_text("{}")
        (folder / "adapter_model.safetensors").write_bytes(b"w")

    for _ in range(2):
        version = registry.save("alice", write, passed=True, metrics={"paraphrase_recall": 0.95, "facts": 3})
        registry.promote("alice", version.version)
    queue.enqueue("alice")
    runner = CliRunner()
    data = ["--data-dir", str(tmp_path / "data")]

    listed = runner.invoke(app, ["adapters", "list", *data, "--json"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)["adapters"]
    assert [(r["version"], r["active"], r["paraphrase_recall"]) for r in rows] == [
        ("v0001", False, 0.95),
        ("v0002", True, 0.95),
    ]
    jobs = json.loads(runner.invoke(app, ["adapters", "jobs", *data, "--json"]).output)["jobs"]
    assert [(j["namespace"], j["state"]) for j in jobs] == [("alice", "queued")]

    rolled = runner.invoke(app, ["adapters", "rollback", "alice", *data])
    assert rolled.exit_code == 0 and "active adapter v0001" in rolled.output
    assert registry.active_name("alice") == "v0001"
    assert "base model" in runner.invoke(app, ["adapters", "rollback", "--user", "alice", *data]).output
    for users in ([], ["alice", "--user", "bob"]):  # no user, or two different ones: refused, nothing changes
        refused = runner.invoke(app, ["adapters", "rollback", *users, *data])
        assert refused.exit_code == 2 and "name one user" in refused.output
    table = runner.invoke(app, ["adapters", "list", *data])
    assert table.exit_code == 0 and "v0002" in table.output
    assert all(r["intact"] for r in rows)
    with (tmp_path / "data" / "adapters" / "alice" / "v0001" / "adapter_model.safetensors").open("ab") as weights:
        weights.write(b"x")  # damaged after it was saved: listed as such, never as passing
    unreadable = tmp_path / "data" / "adapters" / "alice" / "v0003"
    unreadable.mkdir()
    (unreadable / "manifest.json").write_text("[not a manifest")
    damaged = {
        r["version"]: r["intact"]
        for r in json.loads(runner.invoke(app, ["adapters", "list", *data, "--json"]).output)["adapters"]
    }
    assert damaged == {"v0001": False, "v0002": True, "v0003": False}
    assert "damaged" in " ".join(runner.invoke(app, ["adapters", "list", *data]).output.split())


def test_worker_once_on_an_empty_queue_exits(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    mistyped = CliRunner().invoke(app, ["worker", "--once", *data])
    assert mistyped.exit_code == 0, mistyped.output
    assert "no queued adapter jobs: no tiermem data in" in mistyped.output and not (tmp_path / "data").exists()
    assert Services(TierMemConfig(data_dir=str(tmp_path / "data"))).queue.list() == []
    result = CliRunner().invoke(app, ["worker", "--once", *data])
    assert result.exit_code == 0 and "no queued adapter jobs in" in result.output, result.output
    assert CliRunner().invoke(app, ["worker", "--once", "--row-cache-mb", "0", *data]).exit_code == 0
    refused = CliRunner().invoke(app, ["worker", "--once", "--row-cache-mb", "-1", *data])
    assert refused.exit_code == 2 and "row-cache-mb" in refused.output


def test_markdown_marks_unprobed_languages() -> None:
    from tiermem.benchmarks.parametric import COLUMNS, ParametricReport, ParametricResult

    result = ParametricResult(
        facts=1, variant="last-layers", layers="2", schedule="cosine", exact_recall=1.0, paraphrase_recall=0.75,
        recall_by_lang={"en": 0.75}, base_paraphrase_recall=0.0, controls_changed=0.0, ppl_increase_pct=0.5,
        passed=False, steps=30, examples=13, prepare_s=1.0, train_s=10.0, eval_s=2.0, job_s=12.0, peak_mb=100.0,
        device="cpu", precision="bf16", threads=1,
    )  # fmt: skip
    report = ParametricReport(results=[result], machine="m", device="cpu", threads=1, config={})
    cells = dict(zip([title for title, _, _ in COLUMNS], markdown(report).splitlines()[2].split(" | "), strict=True))
    assert cells["en"] == "75%" and cells["zh"] == "–" and cells["gate"] == "reject"
