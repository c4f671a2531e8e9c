"""RuleGate: the default decider — extraction rules, then embedding similarity.

1. Typed facts found by :mod:`tiermem.agents.extract` decide directly (a
   measurement is mid-term, an allergy long-term).
2. Otherwise the message embedding is compared with labelled prototype
   messages (English and Chinese); each label scores the mean of its top
   ``k`` cosine similarities, and cheap cues (a question, a greeting, "right
   now") shift the scores.
3. The best label wins; a weak best score falls back to ``none``.
"""

from __future__ import annotations

import re
from functools import cached_property
from importlib import resources
from typing import Any

import numpy as np
import yaml

from tiermem.memory.embeddings import BaseEmbedder, get_embedder
from tiermem.memory.records import GATE_LABELS, GateLabel

from .extract import extract_facts
from .gate import GateDecision, GateInput, register_gate

_QUESTION = re.compile(
    r"[?？]\s*$|^(?:what|how|why|when|where|who|which|can|could|would|is|are|do|does|did)\b|(?:吗|呢|多少|什么|怎么|为什么|哪)[？?。]?\s*$",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|my|me|we|our)\b|我", re.IGNORECASE)
_NOW = re.compile(
    r"\b(?:right now|at the moment|currently|this chat|this conversation|for now|today)\b|现在|此刻|这次对话|今天",
    re.IGNORECASE,
)
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
IMPORTANCE: dict[GateLabel, float] = {"none": 0.0, "short": 0.3, "mid": 0.6, "long": 0.8}
TIER_RANK: dict[GateLabel, int] = {label: rank for rank, label in enumerate(GATE_LABELS)}


def load_prototypes() -> dict[GateLabel, list[str]]:
    """The shipped labelled prototype messages."""
    text = resources.files("tiermem.agents").joinpath("data/gate_prototypes.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    return {label: list(data.get(label, [])) for label in GATE_LABELS}


class RuleGate:
    """Rules plus embedding similarity to labelled prototypes (English and Chinese).

    Args:
        embedder: the sentence embedder (default: multilingual USE).
        top_k: how many nearest prototypes of each label are averaged.
        max_chars: longer messages are truncated for the decision (stored intact).
    """

    name = "rule"

    def __init__(self, embedder: BaseEmbedder | None = None, *, top_k: int = 3, max_chars: int = 1000) -> None:
        self.embedder = embedder or get_embedder("use")
        self.top_k = top_k
        self.max_chars = max_chars
        self.prototypes = load_prototypes()

    @cached_property
    def _prototype_matrix(self) -> dict[GateLabel, np.ndarray]:
        return {label: self.embedder.encode(texts) for label, texts in self.prototypes.items() if texts}

    def label_scores(self, vector: np.ndarray) -> dict[str, float]:
        """Mean of the top-k prototype similarities for each label."""
        scores: dict[str, float] = {}
        for label, matrix in self._prototype_matrix.items():
            sims = np.sort(matrix @ vector)[::-1][: self.top_k]
            scores[label] = float(sims.mean())
        return scores

    def decide(self, message: GateInput) -> GateDecision:
        """Classify one message; never raises on text."""
        text = message.text[: self.max_chars]
        if not _LETTER.search(text):
            return GateDecision(tier="none", reason="no words (empty, emoji or symbols only)", decider=self.name)
        facts = extract_facts(text, message.now)
        if facts:
            tier: GateLabel = max((t for _, t in facts), key=TIER_RANK.__getitem__)
            listed = "; ".join(f"{fact.key} = {fact.value}" for fact, _ in facts)
            return GateDecision(
                tier=tier,
                facts=[fact for fact, _ in facts],
                importance=IMPORTANCE[tier],
                reason=f"states {listed} ({tier}-term fact)",
                scores={"rule_fact": 1.0},
                decider=self.name,
            )
        vector = message.vector if message.vector is not None else self.embedder.encode_one(text)
        scores = self.label_scores(vector)
        cues = self._cues(text)
        for label, delta in cues.items():
            scores[label] = scores.get(label, 0.0) + delta
        best = max(scores, key=scores.__getitem__)
        label: GateLabel = best  # type: ignore[assignment]
        cue_text = ", ".join(f"{k}{v:+.2f}" for k, v in cues.items()) or "none"
        return GateDecision(
            tier=label,
            importance=IMPORTANCE[label],
            reason=f"closest to {label} examples (score {scores[best]:.2f}; cues: {cue_text})",
            scores={k: round(v, 4) for k, v in scores.items()},
            decider=self.name,
        )

    @staticmethod
    def _cues(text: str) -> dict[str, float]:
        cues: dict[str, float] = {}
        first_person = bool(_FIRST_PERSON.search(text))
        if _QUESTION.search(text.strip()):
            cues["none"] = 0.15
        if not first_person:
            cues["none"] = cues.get("none", 0.0) + 0.06
        if first_person and _NOW.search(text):
            cues["short"] = 0.05
        return cues


def _factory(*, embedder: BaseEmbedder | None = None, **_: Any) -> RuleGate:
    return RuleGate(embedder)


register_gate("rule", _factory)
