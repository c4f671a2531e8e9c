"""RuleGate: embedding similarity to labelled prototypes, nudged by rules.

1. The message embedding is compared with labelled prototype messages
   (English and Chinese, ``data/gate_prototypes.yaml``). Each label scores a
   blend of the similarity to the label's centroid and the mean of its
   ``top_k`` nearest prototypes.
2. Lexical cues (:mod:`tiermem.agents.gate_cues`) nudge the scores: a habit
   marker ("every Sunday", "一直") towards long-term, "right now" towards
   short-term, a dated period towards mid-term, a question or a request
   towards ``none``, a typed fact found by :mod:`tiermem.agents.extract`
   (a weight is mid-term, an allergy long-term) towards its tier, unless the
   message is a question ("do you remember my dog's name?" states nothing).
3. The best label wins. Facts are attached to mid/long decisions.

The weights were picked by grouped 5-fold cross-validation on the training
split only (see docs/GATE.md); the test split never tuned them.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from importlib import resources
from typing import Any

import numpy as np
import yaml
from tiermem.memory.embeddings import BaseEmbedder, get_embedder
from tiermem.memory.records import GATE_LABELS, GateLabel

from .gate import GateDecision, GateInput, register_gate
from .gate_common import (
    IMPORTANCE,
    MAX_GATE_CHARS,
    facts_for,
    gate_text,
    no_words_decision,
)
from .gate_cues import cues

DEFAULT_NUDGES: dict[str, tuple[GateLabel, float]] = {
    "habit": ("long", 0.06),
    "now": ("short", 0.02),
    "doing": ("short", 0.04),
    "instruction": ("short", 0.06),
    "period": ("mid", 0.04),
    "question": ("none", 0.04),
    "request": ("none", 0.04),
    "social": ("none", 0.02),
    "fact_mid": ("mid", 0.03),
    "fact_long": ("long", 0.03),
}
"""Cue -> (label it supports, score added)."""


def load_prototypes() -> dict[GateLabel, list[str]]:
    """The shipped labelled prototype messages, by label."""
    path = resources.files("tiermem.agents").joinpath("data/gate_prototypes.yaml")
    data = yaml.safe_load(path.read_text("utf-8")) or {}
    return {label: list(data.get(label) or []) for label in GATE_LABELS}


class RuleGate:
    """Prototype similarity plus rules, English and Chinese.

    Args:
        embedder: the sentence embedder (default: multilingual USE).
        prototypes: labelled example messages (default: the shipped set).
        top_k: how many nearest prototypes of each label are averaged.
        centroid_weight: weight of the centroid similarity (the rest: top-k mean).
        nudges: cue name -> (label, score added when the message has the cue).
        max_chars: longer messages are truncated for the decision (stored intact).

    Example:
        >>> gate = RuleGate()
        >>> gate.decide(GateInput(text="I'm allergic to peanuts", now=datetime.now(UTC))).tier
        'long'
    """

    name = "rule"

    def __init__(
        self,
        embedder: BaseEmbedder | None = None,
        *,
        prototypes: dict[GateLabel, list[str]] | None = None,
        top_k: int = 12,
        centroid_weight: float = 0.5,
        nudges: Mapping[str, tuple[GateLabel, float]] | None = None,
        max_chars: int = MAX_GATE_CHARS,
    ) -> None:
        self.embedder = embedder or get_embedder("use")
        self.prototypes = prototypes or load_prototypes()
        self.top_k = top_k
        self.centroid_weight = centroid_weight
        self.nudges = dict(DEFAULT_NUDGES if nudges is None else nudges)
        self.max_chars = max_chars

    @cached_property
    def _index(self) -> tuple[tuple[GateLabel, ...], np.ndarray, list[np.ndarray]]:
        """Labels with prototypes, their unit centroids, and their prototype vectors."""
        labels = tuple(label for label in GATE_LABELS if self.prototypes.get(label))
        matrices = [self.embedder.encode(self.prototypes[label]) for label in labels]
        centroids = np.stack([m.mean(axis=0) for m in matrices])
        centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
        return labels, centroids, matrices

    def label_scores(self, vector: np.ndarray) -> dict[str, float]:
        """Similarity score of each label (centroid blended with the top-k mean)."""
        labels, centroids, matrices = self._index
        central = centroids @ vector
        scores: dict[str, float] = {}
        for label, centre, matrix in zip(labels, central, matrices, strict=True):
            nearest = np.sort(matrix @ vector)[::-1][: self.top_k].mean()
            blend = self.centroid_weight * centre + (1 - self.centroid_weight) * nearest
            scores[label] = float(blend)
        return scores

    def apply_nudges(self, scores: dict[str, float], found: Mapping[str, bool]) -> list[str]:
        """Add the nudges of the cues ``found`` to ``scores`` (in place); returns what was applied.

        Fact cues are ignored in questions: asking about a fact does not state it.
        """
        applied: list[str] = []
        for cue, (label, weight) in self.nudges.items():
            if not found.get(cue) or (cue.startswith("fact_") and found.get("question")):
                continue
            scores[label] = scores.get(label, 0.0) + weight
            applied.append(f"{cue} {label}{weight:+.2f}")
        return applied

    def decide(self, message: GateInput) -> GateDecision:
        """Classify one message; never raises on text."""
        text = gate_text(message.text, self.max_chars)
        if text is None:
            return no_words_decision(self.name)
        vector = message.vector if message.vector is not None else self.embedder.encode_one(text)
        scores = self.label_scores(vector)
        applied = self.apply_nudges(scores, cues(text, message.now))
        label: GateLabel = max(scores, key=scores.__getitem__)  # type: ignore[assignment]
        facts = facts_for(text, message.now, label)
        listed = "; ".join(f"{fact.key} = {fact.value}" for fact in facts)
        because = f"; cues: {', '.join(applied)}" if applied else ""
        return GateDecision(
            tier=label,
            facts=facts,
            importance=IMPORTANCE[label],
            reason=f"closest to {label} examples (score {scores[label]:.2f}{because})"
            + (f"; states {listed}" if listed else ""),
            scores={k: round(v, 4) for k, v in scores.items()},
            decider=self.name,
        )


def _factory(*, embedder: BaseEmbedder | None = None, **_: Any) -> RuleGate:
    return RuleGate(embedder)


register_gate("rule", _factory)
