"""Gate and promotion benchmarks: the metrics, and the CLI commands end to end."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tiermem.agents.gate_data import LabelledMessage, load_labelled
from tiermem.agents.promotion import PromotionEvent
from tiermem.agents.rule_gate import RuleGate
from tiermem.agents.settings import PromotionSettings
from tiermem.benchmarks.gate import confusion, effective_truth, evaluate_gate, macro_f1, per_label_stats
from tiermem.benchmarks.gate_cv import cross_validate, grouped_folds, near_duplicate_groups
from tiermem.benchmarks.gate_promotion import StreamItem, run_stream, score_events
from tiermem.graphs.cli import app
from tiermem.memory.embeddings import BaseEmbedder
from typer.testing import CliRunner

DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data"
ROWS = [
    LabelledMessage(text="hi", label="none"),
    LabelledMessage(text="I'm at the gym", label="short"),
    LabelledMessage(text="I moved to Rome last week", label="mid", also_ok=("long",)),
    LabelledMessage(text="I'm allergic to nuts", label="long"),
]


def test_also_ok_counts_as_right_and_as_itself() -> None:
    predicted = ["none", "mid", "long", "long"]
    truth = effective_truth(ROWS, predicted)
    assert truth == ["none", "short", "long", "long"]
    assert confusion(truth, predicted)["short"] == {"none": 0, "short": 0, "mid": 1, "long": 0}
    stats = per_label_stats(truth, predicted)
    assert (stats["long"].precision, stats["long"].recall, stats["long"].support) == (1.0, 1.0, 2)
    assert (stats["short"].f1, stats["mid"].precision) == (0.0, 0.0)
    assert macro_f1(truth, predicted) == round((1 + 0 + 1) / 3, 4)  # mid has no support: left out


def test_evaluate_gate_report(embedder: BaseEmbedder) -> None:
    rows = [*ROWS, LabelledMessage(text="我对花生过敏", label="long", lang="zh")]
    report = evaluate_gate(RuleGate(embedder), rows, embedder, data="inline", max_misses=1)
    assert report.n == 5 and report.gate == "rule" and report.data == "inline"
    assert sum(sum(row.values()) for row in report.confusion.values()) == 5
    assert set(report.per_lang) == {"en", "zh"} and report.per_lang["zh"].n == 1
    assert 0 < report.p50_decide_ms <= report.p50_ms and report.p95_ms >= report.p50_ms
    assert len(report.misses) <= 1
    assert report.accuracy == round(1 - sum(1 for _ in report.misses) / 5, 4) or len(report.misses) == 1


def test_score_events_judges_sources() -> None:
    items = [StreamItem(text=t, theme=th) for t, th in [("a", "x"), ("b", "x"), ("c", ""), ("d", "x"), ("e", "")]]
    ids = ["1", "2", "3", "4", "5"]
    events = [
        PromotionEvent(kind="short->mid", namespace="n", trigger_id="2", record_ids=["m1"], source_ids=["2", "1"]),
        PromotionEvent(kind="confirm", namespace="n", trigger_id="4", record_ids=["m1"], source_ids=["4", "1"]),
        PromotionEvent(kind="short->mid", namespace="n", trigger_id="4", record_ids=["m2"], source_ids=["4", "2"]),
        PromotionEvent(kind="short->mid", namespace="n", trigger_id="5", record_ids=["m3"], source_ids=["5", "3"]),
    ]
    assert score_events(items, ids, events) == {"promotions": 3, "right": 2, "duplicates": 1, "themes_hit": 1}


def test_run_stream(embedder: BaseEmbedder) -> None:
    items = [
        StreamItem(text="I'm so tired today", theme="tired"),
        StreamItem(text="I had pasta for lunch"),
        StreamItem(text="so tired again today", theme="tired"),
        StreamItem(text="我在地铁上"),
    ]
    report = run_stream(items, embedder, PromotionSettings())
    assert (report.promotions, report.right, report.precision, report.recall, report.themes) == (1, 1, 1.0, 1.0, 1)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_cli_bench_gate_json(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "d.jsonl"
    data.write_text("".join(r.model_dump_json() + "\n" for r in ROWS), "utf-8")
    result = runner.invoke(app, ["bench", "gate", "--data", str(data), "--gate", "trained", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert {"accuracy", "macro_f1", "n", "p50_ms", "confusion", "per_lang"} <= set(report)
    assert report["n"] == 4 and report["gate"] == "trained"


def test_cli_bench_gate_table(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "d.jsonl"
    data.write_text("".join(r.model_dump_json() + "\n" for r in ROWS), "utf-8")
    result = runner.invoke(app, ["bench", "gate", "--data", str(data), "--limit", "2", "--misses", "5"])
    assert result.exit_code == 0, result.output
    assert "rule on" in result.stdout and "n=2" in result.stdout and "confusion" in result.stdout


def test_cli_gate_train_then_bench_with_head(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "d.jsonl"
    data.write_text("".join(r.model_dump_json() + "\n" for r in ROWS * 3), "utf-8")
    out = tmp_path / "head"
    trained = runner.invoke(app, ["gate", "train", str(data), "--out", str(out), "--epochs", "50", "--json"])
    assert trained.exit_code == 0, trained.output
    assert json.loads(trained.stdout)["train"]["n"] == 12
    scored = runner.invoke(
        app, ["bench", "gate", "--data", str(data), "--gate", "trained", "--head", f"{out}.npz", "--json"]
    )
    assert scored.exit_code == 0, scored.output
    assert json.loads(scored.stdout)["n"] == 12


def test_cli_benchmarks_default_to_the_bundled_data_from_any_folder(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # not a checkout: benchmarks/data/ is not here
    scored = runner.invoke(app, ["bench", "gate", "--limit", "3", "--json"])
    assert scored.exit_code == 0, scored.output
    assert json.loads(scored.stdout)["data"].endswith("gate_test.jsonl")
    assert runner.invoke(app, ["bench", "promotion", "--json"]).exit_code == 0


def test_cli_bench_promotion(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "s.jsonl"
    data.write_text(
        "".join(json.dumps({"text": t, "theme": "t"}) + "\n" for t in ["I'm so tired today", "so tired again today"]),
        "utf-8",
    )
    result = runner.invoke(app, ["bench", "promotion", "--data", str(data), "--threshold", "0.6", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["similarity_threshold"], report["promotions"], report["recall"]) == (0.6, 1, 1.0)


def test_grouped_folds_keep_groups_whole_and_cover_everything() -> None:
    vectors = np.eye(6, 4, dtype=np.float32)[[0, 0, 1, 2, 3, 3]]  # rows 0-1 and 4-5 are duplicates
    groups = near_duplicate_groups(vectors, 0.9)
    assert groups[0] == groups[1] and groups[4] == groups[5] and len(set(groups)) == 4
    rows = [LabelledMessage(text=str(i), label=("none", "long")[i % 2]) for i in range(6)]
    folds = grouped_folds(rows, groups, 3, seed=0)
    assert sorted(i for fold in folds for i in fold) == list(range(6))
    assert all((0 in fold) == (1 in fold) and (4 in fold) == (5 in fold) for fold in folds)


def test_cross_validate_small(embedder: BaseEmbedder) -> None:
    rows = load_labelled(DATA / "gate_train.jsonl")
    picked = [r for label in ("none", "short", "mid", "long") for r in [x for x in rows if x.label == label][:15]]
    report = cross_validate(picked, embedder, folds=3, seeds=1, data="small")
    assert report.n == 60 and report.folds == 3 and set(report.accuracy) == {"rule", "trained"}
    assert all(0.5 < acc <= 1.0 for acc in report.accuracy.values())
