"""TrainedGate heads: training, the versioned file, refusing another embedder, the shipped head."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from tiermem.agents.gate import GateInput
from tiermem.agents.gate_cues import CUE_NAMES
from tiermem.agents.gate_data import LabelledMessage, load_labelled
from tiermem.agents.gate_head import fit_softmax, load_head
from tiermem.agents.trained_gate import TrainedGate, default_head_path, fit_head, train_gate
from tiermem.memory.embeddings import BaseEmbedder, get_embedder
from tiermem.memory.errors import ConfigError, EmbedderMismatchError, InvalidInputError, NotFoundError

NOW = datetime(2024, 5, 3, 9, 0, tzinfo=UTC)
DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data"


@pytest.fixture(scope="module")
def small_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = load_labelled(DATA / "gate_train.jsonl")
    picked = [r for label in ("none", "short", "mid", "long") for r in [x for x in rows if x.label == label][:25]]
    path = tmp_path_factory.mktemp("gate") / "small.jsonl"
    path.write_text("".join(r.model_dump_json() + "\n" for r in picked), "utf-8")
    return path


def test_fit_softmax_separates_classes() -> None:
    rng = np.random.default_rng(0)
    centres = np.eye(3, 8) * 3
    x = np.concatenate([c + rng.normal(size=(40, 8)) for c in centres])
    y = np.repeat(np.arange(3), 40)
    weights, bias = fit_softmax(x, y, 3)
    assert weights.shape == (3, 8) and bias.shape == (3,)
    assert np.mean((x @ weights.T + bias).argmax(axis=1) == y) > 0.95


def test_train_save_load_round_trip(small_data: Path, tmp_path: Path, embedder: BaseEmbedder) -> None:
    head = train_gate(small_data, embedder=embedder, epochs=200)
    meta = head.meta
    assert meta.embedder == embedder.signature and meta.dim == 512 + len(CUE_NAMES)
    assert meta.train.n == 100 and meta.train.per_label == {"none": 25, "short": 25, "mid": 25, "long": 25}
    assert meta.train.data_sha256 == hashlib.sha256(small_data.read_bytes()).hexdigest()
    assert meta.train.train_accuracy > 0.9
    path = head.save(tmp_path / "heads" / "mine.anything")
    assert path == tmp_path / "heads" / "mine.npz" and path.with_suffix(".json").is_file()
    loaded = load_head(path.with_suffix(".json"))
    np.testing.assert_array_equal(loaded.weights, head.weights)
    assert loaded.meta == head.meta
    message = GateInput(text="I'm allergic to shellfish", now=NOW)
    assert TrainedGate(embedder, head=path).decide(message) == TrainedGate(embedder, head=head).decide(message)


def test_head_refuses_another_embedder(small_data: Path, tmp_path: Path, embedder: BaseEmbedder) -> None:
    path = train_gate(small_data, embedder=embedder, epochs=50).save(tmp_path / "h")
    with pytest.raises(EmbedderMismatchError, match=r"trained on embedder 'use\|.*'st:all-MiniLM-L6-v2.*gate train"):
        TrainedGate(get_embedder("minilm"), head=path)


def test_head_with_other_features_is_refused(small_data: Path, tmp_path: Path, embedder: BaseEmbedder) -> None:
    path = train_gate(small_data, embedder=embedder, epochs=50).save(tmp_path / "h")
    meta = json.loads(path.with_suffix(".json").read_text())
    meta["features"] = meta["features"][:-1] + ["cue:sarcasm"]
    path.with_suffix(".json").write_text(json.dumps(meta))
    with pytest.raises(ConfigError, match="cue:sarcasm.*retrain"):
        TrainedGate(embedder, head=path)


@pytest.mark.parametrize(
    ("damage", "error", "match"),
    [
        (lambda p: p.with_suffix(".json").unlink(), NotFoundError, "h.json' is missing"),
        (lambda p: p.with_suffix(".json").write_text('{"format": "other"}'), ConfigError, "not tiermem gate head"),
        (lambda p: np.savez(p, weights=np.zeros((4, 3)), bias=np.zeros(4)), ConfigError, r"weights \(4, 3\)"),
    ],
    ids=["missing-json", "foreign-json", "wrong-shape"],
)
def test_damaged_head_files(small_data: Path, tmp_path: Path, embedder: BaseEmbedder, damage, error, match) -> None:  # noqa: ANN001
    path = train_gate(small_data, embedder=embedder, epochs=20).save(tmp_path / "h")
    damage(path)
    with pytest.raises(error, match=match):
        load_head(path)


def test_shipped_head_matches_the_training_split(embedder: BaseEmbedder) -> None:
    head = load_head(default_head_path())
    train_file = DATA / "gate_train.jsonl"
    assert head.meta.embedder == embedder.signature
    assert head.meta.train.data_file == "gate_train.jsonl"
    assert head.meta.train.data_sha256 == hashlib.sha256(train_file.read_bytes()).hexdigest(), (
        "gate_train.jsonl changed: retrain with `tiermem gate train benchmarks/data/gate_train.jsonl "
        "-o agents/data/gate_head`"
    )


def test_fit_head_rows_without_words(embedder: BaseEmbedder) -> None:
    rows = [LabelledMessage(text=t, label=lab) for t, lab in [("🙂", "none"), ("I live in Rome", "long")] * 3]
    head = fit_head(rows, embedder, epochs=20)
    assert head.meta.train.n == 6


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ('{"text": "hi", "label": "maybe"}\n', r"bad.jsonl:1: .*label: Input should be"),
        ('{"text": "hi", "label": "none"}\nnot json\n', r"bad.jsonl:2: .*invalid JSON"),
        ('{"text": "hi", "label": "none", "also_ok": ["none"]}\n', "repeats the label"),
        ("\n\n", "holds no messages"),
    ],
)
def test_bad_training_data(tmp_path: Path, content: str, match: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content, "utf-8")
    with pytest.raises(InvalidInputError, match=match):
        load_labelled(path)


def test_missing_training_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="no labelled data file"):
        train_gate(tmp_path / "absent.jsonl")


def test_config_points_the_graph_at_a_head(small_data: Path, tmp_path: Path, embedder: BaseEmbedder) -> None:
    from tiermem.graphs.config import TierMemConfig
    from tiermem.graphs.services import Services

    head = train_gate(small_data, embedder=embedder, epochs=20)
    path = head.save(tmp_path / "custom")
    services = Services(TierMemConfig(data_dir=str(tmp_path / "data"), gate_head=str(path)))
    gate = services.gate().inner  # type: ignore[attr-defined]
    assert isinstance(gate, TrainedGate) and gate.head.meta == head.meta
    default = Services(TierMemConfig(data_dir=str(tmp_path / "other"))).gate().inner  # type: ignore[attr-defined]
    assert isinstance(default, TrainedGate) and default.head.meta.train.data_file == "gate_train.jsonl"
