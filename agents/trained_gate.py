"""TrainedGate: a softmax head over sentence embeddings plus lexical cues.

Features are the message's USE embedding (512-d) and the cue flags of
:mod:`tiermem.agents.gate_cues` scaled by :data:`CUE_SCALE`. The head is
trained with ``tiermem gate train DATA.jsonl`` (:func:`train_gate`); a default
head, trained on ``benchmarks/data/gate_train.jsonl``, ships in
``tiermem/agents/data/gate_head.{npz,json}``.

Example:
    >>> head = train_gate("benchmarks/data/gate_train.jsonl")
    >>> head.save("my_head")  # writes my_head.npz and my_head.json
    >>> gate = TrainedGate(head=load_head("my_head.npz"))
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from tiermem.memory.embeddings import BaseEmbedder, get_embedder
from tiermem.memory.errors import ConfigError
from tiermem.memory.records import GateLabel

from .gate import GateDecision, GateInput, register_gate
from .gate_common import IMPORTANCE, MAX_GATE_CHARS, facts_for, gate_text, no_words_decision
from .gate_cues import CUE_NAMES, cue_vector
from .gate_data import LabelledMessage, load_labelled
from .gate_head import GateHead, HeadMetadata, TrainStats, fit_softmax, load_head, tiermem_version

CUE_SCALE = 0.3
"""Cue flags enter the features as 0 or this value (chosen by grouped CV on the training split)."""

REFERENCE_TIME = datetime(2024, 1, 1, tzinfo=UTC)
"""Cues do not depend on the time; training needs one for fact extraction."""


def default_head_path() -> Path:
    """The shipped head (``tiermem/agents/data/gate_head.npz``)."""
    return Path(str(resources.files("tiermem.agents").joinpath("data/gate_head.npz")))


def feature_names(embedder: BaseEmbedder) -> list[str]:
    """Names of the feature columns, stored with a head and checked on load."""
    return [f"{embedder.name}[{embedder.dim}]", *(f"cue:{name}" for name in CUE_NAMES)]


def features(embedder: BaseEmbedder, texts: list[str], now: datetime = REFERENCE_TIME) -> np.ndarray:
    """Feature rows: embedding, then the scaled cue flags."""
    vectors = embedder.encode(texts)
    flags = np.stack([cue_vector(text, now) for text in texts]) * CUE_SCALE
    return np.hstack([vectors, flags]).astype(np.float32)


def fit_head(
    rows: list[LabelledMessage],
    embedder: BaseEmbedder,
    *,
    l2: float = 1e-3,
    epochs: int = 500,
    data_file: str = "",
    data_sha256: str = "",
) -> GateHead:
    """Fit a head on labelled messages (the pure core of :func:`train_gate`)."""
    labels: tuple[GateLabel, ...] = ("none", "short", "mid", "long")
    x = features(embedder, [gate_text(r.text) or "" for r in rows])
    y = np.array([labels.index(r.label) for r in rows])
    weights, bias = fit_softmax(x, y, len(labels), l2=l2, epochs=epochs)
    predicted = (x @ weights.T + bias).argmax(axis=1)
    train_accuracy = float(np.mean([r.accepts(labels[p]) for r, p in zip(rows, predicted, strict=True)]))
    meta = HeadMetadata(
        tiermem_version=tiermem_version(),
        embedder=embedder.signature,
        labels=labels,
        dim=x.shape[1],
        created_at=datetime.now(UTC),
        train=TrainStats(
            data_file=data_file,
            data_sha256=data_sha256,
            n=len(rows),
            per_label={label: int(np.sum(y == i)) for i, label in enumerate(labels)},
            train_accuracy=round(train_accuracy, 4),
            l2=l2,
            epochs=epochs,
        ),
        features=feature_names(embedder),
    )
    return GateHead(weights=weights, bias=bias, meta=meta)


def train_gate(
    data_path: str | Path,
    *,
    embedder: BaseEmbedder | None = None,
    l2: float = 1e-3,
    epochs: int = 500,
) -> GateHead:
    """Train a head on a labelled JSONL file (see :mod:`tiermem.agents.gate_data`).

    Args:
        data_path: labelled messages, one JSON object a line.
        embedder: the embedder the head is bound to (default: multilingual USE).
        l2: L2 penalty on the weights.
        epochs: full-batch optimisation steps.

    Returns:
        The head; call :meth:`GateHead.save` to write it.

    Raises:
        InvalidInputError: the data file is missing or malformed.
    """
    path = Path(data_path)
    rows = load_labelled(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return fit_head(
        rows,
        embedder or get_embedder("use"),
        l2=l2,
        epochs=epochs,
        data_file=path.name,
        data_sha256=digest,
    )


class TrainedGate:
    """Logistic-regression head over embeddings and cues.

    Args:
        embedder: must be the embedder the head was trained on (default: USE).
        head: a loaded head, or the path of one (default: the shipped head).
        max_chars: longer messages are truncated for the decision (stored intact).

    Raises:
        EmbedderMismatchError: the head was trained on another embedder.
    """

    name = "trained"

    def __init__(
        self,
        embedder: BaseEmbedder | None = None,
        *,
        head: GateHead | str | Path | None = None,
        max_chars: int = MAX_GATE_CHARS,
    ) -> None:
        self.embedder = embedder or get_embedder("use")
        self.head = head if isinstance(head, GateHead) else load_head(head or default_head_path())
        self.head.check_embedder(self.embedder)
        expected = feature_names(self.embedder)
        if self.head.meta.features != expected:
            raise ConfigError(
                f"this gate head uses features {self.head.meta.features}, but this tiermem "
                f"computes {expected}; retrain it with `tiermem gate train DATA.jsonl`"
            )
        self.max_chars = max_chars

    def decide(self, message: GateInput) -> GateDecision:
        """Classify one message; never raises on text."""
        text = gate_text(message.text, self.max_chars)
        if text is None:
            return no_words_decision(self.name)
        vector = message.vector if message.vector is not None else self.embedder.encode_one(text)
        row = np.concatenate([vector, cue_vector(text, message.now) * CUE_SCALE])
        probs = self.head.probabilities(row)[0]
        labels = self.head.meta.labels
        label = labels[int(probs.argmax())]
        facts = facts_for(text, message.now, label)
        listed = "; ".join(f"{fact.key} = {fact.value}" for fact in facts)
        return GateDecision(
            tier=label,
            facts=facts,
            importance=IMPORTANCE[label],
            reason=f"classifier: {label} with p={probs.max():.2f}" + (f"; states {listed}" if listed else ""),
            scores={name: round(float(p), 4) for name, p in zip(labels, probs, strict=True)},
            decider=self.name,
        )


def _factory(
    *, embedder: BaseEmbedder | None = None, gate_head: str | None = None, config: Any = None, **_: Any
) -> TrainedGate:
    return TrainedGate(embedder, head=gate_head or getattr(config, "gate_head", None))


register_gate("trained", _factory)
