"""Recall metrics over ranked retrieval results: pure functions, no I/O.

A ranking is a list of items, each given as the source ids (LoCoMo
``dia_id``s) it was made from. ``recall@k`` is the share of a question's
evidence ids found among the sources of the top ``k`` items; ``hit@k`` is
whether at least one of them is.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

KS: tuple[int, ...] = (1, 5, 10, 20)
"""The cut-offs reported."""
CATEGORY_NAMES: dict[int, str] = {1: "multi-hop", 2: "temporal", 3: "open-domain", 4: "single-hop", 5: "adversarial"}
"""The names commonly used for LoCoMo's numeric QA categories."""

Ranking = Sequence[Sequence[str]]
"""Items best first, each as its source ids."""


def covered(ranking: Ranking, k: int) -> set[str]:
    """Every source id among the top ``k`` items."""
    return {source for item in ranking[:k] for source in item}


def recall_at(ranking: Ranking, evidence: Sequence[str], k: int) -> float:
    """Share of ``evidence`` among the sources of the top ``k`` items.

    Example:
        >>> recall_at([["D1:1"], ["D1:2", "D1:3"]], ["D1:3", "D2:1"], 2)
        0.5
    """
    if not evidence:
        raise ValueError("recall is undefined for a question without evidence")
    return len(covered(ranking, k) & set(evidence)) / len(set(evidence))


def hit_at(ranking: Ranking, evidence: Sequence[str], k: int) -> float:
    """1.0 if any evidence id is among the sources of the top ``k`` items, else 0.0."""
    return 1.0 if covered(ranking, k) & set(evidence) else 0.0


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by linear interpolation; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100.0
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(slots=True)
class Tally:
    """Running means of recall@k and hit@k for one group of questions."""

    n: int = 0
    recall: dict[int, float] = field(default_factory=lambda: dict.fromkeys(KS, 0.0))
    hit: dict[int, float] = field(default_factory=lambda: dict.fromkeys(KS, 0.0))

    def add(self, ranking: Ranking, evidence: Sequence[str]) -> None:
        """Count one question."""
        self.n += 1
        for k in KS:
            self.recall[k] += recall_at(ranking, evidence, k)
            self.hit[k] += hit_at(ranking, evidence, k)

    def summary(self) -> dict[str, float]:
        """``{"n": ..., "recall_at_1": ..., "hit_at_1": ..., ...}`` as means, rounded."""
        out: dict[str, float] = {"n": self.n}
        for k in KS:
            out[f"recall_at_{k}"] = round(self.recall[k] / self.n, 4) if self.n else 0.0
            out[f"hit_at_{k}"] = round(self.hit[k] / self.n, 4) if self.n else 0.0
        return out


@dataclass(slots=True)
class Scoreboard:
    """Tallies overall, per category, per ``kind`` and per sample, for one system."""

    overall: Tally = field(default_factory=Tally)
    by_category: dict[str, Tally] = field(default_factory=dict)
    by_kind: dict[str, Tally] = field(default_factory=dict)
    by_sample: dict[str, Tally] = field(default_factory=dict)

    def add(self, ranking: Ranking, evidence: Sequence[str], *, category: int, sample: str, kind: str | None) -> None:
        """Count one question in every group it belongs to."""
        groups: Iterable[Tally] = (
            self.overall,
            self.by_category.setdefault(CATEGORY_NAMES.get(category, str(category)), Tally()),
            self.by_sample.setdefault(sample, Tally()),
            *([self.by_kind.setdefault(kind, Tally())] if kind else []),
        )
        for tally in groups:
            tally.add(ranking, evidence)

    def subset(self, samples: Iterable[str]) -> Tally:
        """One tally over the questions of ``samples`` (e.g. the held-out conversations)."""
        merged = Tally()
        for sample in samples:
            part = self.by_sample.get(sample)
            if part is None:
                continue
            merged.n += part.n
            for k in KS:
                merged.recall[k] += part.recall[k]
                merged.hit[k] += part.hit[k]
        return merged

    def summary(self) -> dict[str, object]:
        """Every tally as means (``per_kind`` only when some question had a kind)."""
        out: dict[str, object] = dict(self.overall.summary())
        out["per_category"] = {name: t.summary() for name, t in sorted(self.by_category.items())}
        out["per_sample"] = {name: t.summary() for name, t in self.by_sample.items()}
        if self.by_kind:
            out["per_kind"] = {name: t.summary() for name, t in sorted(self.by_kind.items())}
        return out
