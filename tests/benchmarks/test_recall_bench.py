"""``tiermem bench recall`` end to end on a small bilingual LoCoMo-format file of our own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from tiermem.agents.retriever import RetrievalResult, RetrievedItem
from tiermem.benchmarks.locomo import Question, load_locomo
from tiermem.benchmarks.recall import RecallBench, RecallReport
from tiermem.benchmarks.recall_answers import AnswerCheck, load_object, token_f1
from tiermem.graphs.config import TierMemConfig
from tiermem.memory.errors import ConfigError

DATA = Path(__file__).resolve().parents[1] / "data" / "locomo_bilingual.json"
TIERMEM = str(Path(sys.executable).with_name("tiermem"))


@pytest.fixture(scope="module")
def tiered(tmp_path_factory: pytest.TempPathFactory) -> tuple[RecallReport, Path]:
    user_dir = tmp_path_factory.mktemp("user") / "data"
    bench = RecallBench(TierMemConfig(data_dir=str(user_dir)), "tiered", holdout=["mix-1"])
    return bench.run(load_locomo(DATA), data=str(DATA), progress=False), user_dir


@pytest.mark.slow
def test_tiered_run_finds_the_evidence_in_chinese_english_and_mixed(tiered: tuple[RecallReport, Path]) -> None:
    report, user_dir = tiered
    system = report.system
    assert report.n_questions == 14 and system["n"] == 14
    assert system["recall_at_5"] >= 0.75 and system["recall_at_1"] >= 0.5 and system["hit_at_10"] == 1.0
    assert system["recall_at_10"] >= report.baselines["bm25"]["recall_at_10"]
    assert set(system["per_kind"]) == {"en", "zh", "mixed"}
    assert all(system["per_kind"][kind]["hit_at_10"] == 1.0 for kind in ("en", "zh", "mixed"))
    assert sum(v["n"] for v in system["per_category"].values()) == 14
    assert set(report.baselines) == {"dense", "bm25", "hybrid"}
    assert report.holdout is not None and report.holdout["system"]["n"] == 14
    assert report.ingest["turns"] == 30 and sum(report.ingest["gate"].values()) == 30
    assert sum(report.ingest["evidence_gate"].values()) == 17
    assert report.ingest["rows"]["mid/episode"] >= 12  # three sessions of ten turns, windows of 4 every 2
    assert "short/context" not in report.ingest["rows"]  # every session was consolidated before the questions
    assert report.dropped_evidence == {
        "mix-1": ["qa[8].evidence[1]: 'D' (truncated id)", "qa[13].evidence: 'D9:9' (matches no turn)"]
    }
    assert 0 < report.latency_ms["p50"] <= report.latency_ms["p95"]
    assert 0 < report.recall_at_10_budgeted <= system["recall_at_10"]
    assert not user_dir.exists()  # the benchmark never touches the configured data dir
    headline = report.headline()
    assert {"recall_at_10", "hit_at_10", "n_questions", "baseline_hybrid_recall_at_10", "p50_ms"} <= set(headline)


@pytest.mark.slow
def test_flat_mode_stores_every_turn_in_one_table(tmp_path: Path) -> None:
    report = RecallBench(TierMemConfig(data_dir=str(tmp_path / "d")), "flat").run(load_locomo(DATA), progress=False)
    assert report.mode == "flat" and report.ingest["rows"] == {"mid/message": 30} and report.ingest["gate"] == {}
    assert report.system["hit_at_10"] >= 0.9


def cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1", "TIERMEM_DATA_DIR": str(data_dir)}
    return subprocess.run([TIERMEM, *args], capture_output=True, text=True, timeout=900, env=env)


@pytest.mark.slow
def test_cli_json(tmp_path: Path) -> None:
    out = cli("bench", "recall", "--data", str(DATA), "--json", "--mode", "flat", data_dir=tmp_path / "user")
    assert out.returncode == 0, out.stderr[-2000:]
    payload = json.loads(out.stdout)
    assert payload["n_questions"] == 14 and 0 <= payload["baseline_hybrid_recall_at_10"] <= 1
    assert payload["recall_at_10"] >= 0.5 and payload["p50_ms"] > 0
    assert not (tmp_path / "user").exists()


def test_cli_malformed_file_exits_2_naming_sample_and_field_and_writes_nothing(tmp_path: Path) -> None:
    raw = json.loads(DATA.read_text("utf-8"))
    raw[0]["qa"][4]["evidence"] = "D3:3"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(raw, ensure_ascii=False), "utf-8")
    out = cli("bench", "recall", "--data", str(bad), data_dir=tmp_path / "user")
    assert out.returncode == 2
    assert "sample 'mix-1', field 'qa[4].evidence'" in out.stderr and "a list" in out.stderr
    assert not (tmp_path / "user").exists()


def _shown(text: str) -> RetrievalResult:
    item = RetrievedItem(id="r1", tier="mid", text=text, score=1.0, sources=["D1:5"], created_at=datetime.now(UTC))
    return RetrievalResult(query="q", items=[item])


QUESTION = Question(index=1, question="What is the name of Tom's cat?", category=4, evidence=("D1:5",), answer="Mochi")


def test_answer_check_scores_with_token_f1_a_callable_or_a_judge_model() -> None:
    model = FakeListChatModel(responses=["Her name is Mochi.", "I don't know."])
    check = AnswerCheck(model)
    check(QUESTION, _shown("Tom: I just adopted a cat named Mochi"))
    check(QUESTION, _shown("nothing useful"))
    summary = check.summary()
    assert summary["metric"] == "token_f1" and summary["n"] == 2
    assert summary["per_category"]["single-hop"] == pytest.approx(token_f1("Mochi", "Her name is Mochi.") / 2)
    judged = AnswerCheck(FakeListChatModel(responses=["Mochi"]), judge=lambda q, gold, answer: gold in answer)
    judged(QUESTION, _shown("Mochi"))
    assert judged.summary()["score"] == 1.0
    by_model = AnswerCheck(FakeListChatModel(responses=["Mochi"]), judge=FakeListChatModel(responses=["WRONG"]))
    by_model(QUESTION, _shown("Mochi"))
    assert by_model.summary() == {"n": 1, "score": 0.0, "metric": "judge", "per_category": {"single-hop": 0.0}}


@pytest.mark.parametrize(
    ("gold", "answer", "expected"),
    [("Mochi", "Mochi", 1.0), ("Mochi", "Tom", 0.0), ("上海", "在上海", 0.8), ("7 May 2023", "On 7 May 2023", 6 / 7)],
)
def test_token_f1(gold: str, answer: str, expected: float) -> None:
    assert token_f1(gold, answer) == pytest.approx(expected)


def test_load_object_errors_name_the_spec() -> None:
    with pytest.raises(ConfigError, match="'nomodule' is not 'module:attribute'"):
        load_object("nomodule", "answer model")
    with pytest.raises(ConfigError, match="cannot load judge 'json:nothing_here'"):
        load_object("json:nothing_here", "judge")
    assert load_object("json:dumps", "judge") is json.dumps
    with pytest.raises(ConfigError, match="must be a LangChain chat model"):
        AnswerCheck(load_object("builtins:dict", "answer model"))
