"""Gate benchmark: accuracy, macro-F1, confusion matrix and latency of a decider.

A prediction counts as right when it equals the message's ``label`` or is in
its ``also_ok``; for the F1 and the confusion matrix such a prediction is
counted against itself (the accepted alternative), otherwise against ``label``.
Latency is timed per message in two parts: embedding the message (the graph
does this once per turn and shares the vector with the gate, the store and
retrieval) and ``gate.decide`` given that vector. ``p50_ms`` is their sum,
the strict figure; ``p50_decide_ms`` is the gate's own cost. The CLI uses an
embedder without a cache, so every message is really embedded.

Run it with ``tiermem bench gate --data benchmarks/data/gate_test.jsonl``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

import numpy as np
from pydantic import BaseModel
from tiermem.agents.gate import Gate, GateInput
from tiermem.agents.gate_data import LabelledMessage
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.progress import track
from tiermem.memory.records import GATE_LABELS

BENCH_TIME = datetime(2024, 5, 3, 9, 0, tzinfo=UTC)
"""The message time given to the gate (only relative dates depend on it)."""


class LabelStats(BaseModel):
    """Precision, recall and F1 of one label."""

    precision: float
    recall: float
    f1: float
    support: int


class SliceReport(BaseModel):
    """Figures for a subset (one language)."""

    n: int
    accuracy: float
    macro_f1: float
    p50_ms: float


class Miss(BaseModel):
    """A message the gate got wrong."""

    text: str
    label: str
    also_ok: list[str]
    predicted: str
    reason: str


class GateReport(BaseModel):
    """Everything ``tiermem bench gate`` measures."""

    gate: str
    data: str
    n: int
    accuracy: float
    macro_f1: float
    p50_ms: float
    """Median embedding + decision time per message."""
    p95_ms: float
    mean_ms: float
    p50_decide_ms: float
    """Median decision time given the message's vector."""
    p50_embed_ms: float
    per_label: dict[str, LabelStats]
    confusion: dict[str, dict[str, int]]
    """``confusion[true][predicted]`` (true = the accepted label the prediction matched)."""
    per_lang: dict[str, SliceReport]
    fallbacks: int = 0
    """Decisions where the LLM gate fell back to another decider."""
    misses: list[Miss] = []


def effective_truth(rows: Sequence[LabelledMessage], predicted: Sequence[str]) -> list[str]:
    """The label each prediction is scored against (itself when it is acceptable)."""
    return [p if row.accepts(p) else row.label for row, p in zip(rows, predicted, strict=True)]


def per_label_stats(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, LabelStats]:
    """Precision, recall, F1 and support for each gate label."""
    stats: dict[str, LabelStats] = {}
    for label in GATE_LABELS:
        tp = sum(t == label and p == label for t, p in zip(truth, predicted, strict=True))
        n_pred = sum(p == label for p in predicted)
        n_true = sum(t == label for t in truth)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_true if n_true else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        stats[label] = LabelStats(
            precision=round(precision, 4), recall=round(recall, 4), f1=round(f1, 4), support=n_true
        )
    return stats


def macro_f1(truth: Sequence[str], predicted: Sequence[str]) -> float:
    """Mean F1 over the labels present in ``truth``."""
    stats = [s for s in per_label_stats(truth, predicted).values() if s.support]
    return round(float(np.mean([s.f1 for s in stats])), 4) if stats else 0.0


def confusion(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, dict[str, int]]:
    """``matrix[true][predicted]`` counts over the gate labels."""
    matrix = {t: dict.fromkeys(GATE_LABELS, 0) for t in GATE_LABELS}
    for t, p in zip(truth, predicted, strict=True):
        matrix[t][p] += 1
    return matrix


def _percentile(values: Sequence[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 3) if values else 0.0


def _slice(rows: Sequence[LabelledMessage], predicted: Sequence[str], ms: Sequence[float]) -> SliceReport:
    truth = effective_truth(rows, predicted)
    right = [t == p for t, p in zip(truth, predicted, strict=True)]
    return SliceReport(
        n=len(rows),
        accuracy=round(float(np.mean(right)), 4),
        macro_f1=macro_f1(truth, predicted),
        p50_ms=_percentile(ms, 50),
    )


def evaluate_gate(
    gate: Gate,
    rows: Sequence[LabelledMessage],
    embedder: BaseEmbedder,
    *,
    data: str = "",
    now: datetime = BENCH_TIME,
    progress: bool = False,
    max_misses: int = 50,
) -> GateReport:
    """Run ``gate`` over labelled messages and score it.

    Args:
        gate: any decider.
        embedder: embeds each message before the gate sees it (timed apart).
        rows: labelled messages (see :func:`tiermem.agents.gate_data.load_labelled`).
        data: where the rows came from (for the report).
        now: the message time.
        progress: show a progress bar.
        max_misses: how many wrong decisions to keep in the report.
    """
    gate.decide(GateInput(text="warm-up message, not timed", now=now))
    predicted: list[str] = []
    ms: list[float] = []
    decide_ms: list[float] = []
    embed_ms: list[float] = []
    reasons: list[str] = []
    fallbacks = 0
    items: Iterable[LabelledMessage] = track(rows, task=f"gate {gate.name}", unit="message", quiet=not progress)
    for row in items:
        start = time.perf_counter()
        vector = embedder.encode_one(row.text)
        embedded = time.perf_counter()
        decision = gate.decide(GateInput(text=row.text, now=now, vector=vector))
        done = time.perf_counter()
        embed_ms.append((embedded - start) * 1000)
        decide_ms.append((done - embedded) * 1000)
        ms.append((done - start) * 1000)
        predicted.append(decision.tier)
        reasons.append(decision.reason)
        fallbacks += decision.scores.get("llm_fallback", 0.0) == 1.0
    truth = effective_truth(rows, predicted)
    langs = sorted({row.lang for row in rows})
    misses = [
        Miss(text=row.text, label=row.label, also_ok=list(row.also_ok), predicted=p, reason=r)
        for row, p, r in zip(rows, predicted, reasons, strict=True)
        if not row.accepts(p)
    ]
    return GateReport(
        gate=gate.name,
        data=data,
        n=len(rows),
        accuracy=_slice(rows, predicted, ms).accuracy,
        macro_f1=macro_f1(truth, predicted),
        p50_ms=_percentile(ms, 50),
        p95_ms=_percentile(ms, 95),
        mean_ms=round(float(np.mean(ms)), 3) if ms else 0.0,
        p50_decide_ms=_percentile(decide_ms, 50),
        p50_embed_ms=_percentile(embed_ms, 50),
        per_label=per_label_stats(truth, predicted),
        confusion=confusion(truth, predicted),
        per_lang={
            lang: _slice(
                [r for r in rows if r.lang == lang],
                [p for r, p in zip(rows, predicted, strict=True) if r.lang == lang],
                [m for r, m in zip(rows, ms, strict=True) if r.lang == lang],
            )
            for lang in langs
        },
        fallbacks=int(fallbacks),
        misses=misses[:max_misses],
    )
