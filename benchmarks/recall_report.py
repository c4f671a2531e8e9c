"""What one ``tiermem bench recall`` run reports: the models behind ``--json``."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

Mode = Literal["tiered", "flat"]
"""``tiered``: the default graph; ``flat``: every turn in one table, no gate."""


class IngestStats(BaseModel):
    """How the write path handled the conversations."""

    turns: int = 0
    seconds: float = 0.0
    gate: dict[str, int] = Field(default_factory=dict)
    """Turns per gate label (tiered mode)."""
    evidence_gate: dict[str, int] = Field(default_factory=dict)
    """Evidence turns per gate label: what the gate alone would keep or throw away."""
    rows: dict[str, int] = Field(default_factory=dict)
    """Rows stored per kind and tier after the questions' consolidation."""

    @property
    def turns_per_s(self) -> float:
        """Ingest throughput."""
        return round(self.turns / self.seconds, 2) if self.seconds else 0.0


class RecallReport(BaseModel):
    """Everything one run measured."""

    data: str
    mode: Mode
    conversations: list[str]
    n_questions: int
    system: dict[str, Any]
    """The retrieval agent's scores (overall, per category, per kind, per sample)."""
    recall_at_10_budgeted: float
    """recall@10 of what the model is shown: the top 10 cut to the configured token budget."""
    baselines: dict[str, dict[str, Any]]
    levers: dict[str, dict[str, Any]] | None = None
    """The lever ladder (``--levers``): the same store re-ranked with settings before tuning, one lever at a time."""
    holdout: dict[str, Any] | None = None
    latency_ms: dict[str, float]
    """Retrieval per question: wall-clock p50/p95, and the process CPU time it took (all threads), which a
    machine shared with other work does not inflate."""
    context: dict[str, float]
    ingest: dict[str, Any]
    dropped_evidence: dict[str, list[str]]
    answers: dict[str, Any] | None = None

    def headline(self) -> dict[str, Any]:
        """The figures a script reads first, then the whole report."""
        return {
            "recall_at_10": self.system["recall_at_10"],
            "hit_at_10": self.system["hit_at_10"],
            "n_questions": self.n_questions,
            "baseline_hybrid_recall_at_10": self.baselines["hybrid"]["recall_at_10"],
            "baseline_bm25_recall_at_10": self.baselines["bm25"]["recall_at_10"],
            "baseline_dense_recall_at_10": self.baselines["dense"]["recall_at_10"],
            "p50_ms": self.latency_ms["p50"],
            "p95_ms": self.latency_ms["p95"],
            **self.model_dump(),
        }
