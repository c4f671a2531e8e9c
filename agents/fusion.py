"""Pure ranking functions used by the retrieval agent.

Reciprocal-rank fusion, recency/importance/tier weighting, newest-version
selection and token budgeting: plain functions over plain data, tested
table-driven.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def rrf(rankings: Iterable[Sequence[str]], *, k: int = 60, weights: Sequence[float] | None = None) -> dict[str, float]:
    """Reciprocal-rank fusion: ``sum(weight / (k + rank))`` over the lists an id appears in.

    Example:
        >>> sorted(rrf([["a", "b"], ["b", "c"]], k=1).items())
        [('a', 0.5), ('b', 0.8333333333333333), ('c', 0.3333333333333333)]
        >>> rrf([["a"], ["b"]], k=1, weights=[1.0, 2.0])
        {'a': 0.5, 'b': 1.0}
    """
    scores: dict[str, float] = {}
    for index, ranking in enumerate(rankings):
        weight = 1.0 if weights is None else weights[index]
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return scores


def drop_covered(sources: Sequence[Sequence[str]], pinned: Sequence[bool] | None = None) -> list[int]:
    """Indexes of the items (best first, each as its source ids) that add a source not
    already shown by a better item: a turn and the episode holding it are not both shown
    unless the episode adds other turns.

    ``pinned`` items (typed facts) add a structured value even when their turn is
    shown, so they are always kept; a pinned item takes the place of a better-ranked
    unpinned item with exactly its sources (the raw copy of the same turn), which is dropped.

    Example:
        >>> drop_covered([["m1", "m2"], ["m2"], ["m2", "m3"], []])
        [0, 2, 3]
        >>> drop_covered([["m1"], ["m2"], ["m1"]], pinned=[False, False, True])
        [2, 1]
    """
    flags = list(pinned) if pinned is not None else [False] * len(sources)
    order = list(range(len(sources)))
    for fact in (j for j, flag in enumerate(flags) if flag):
        better = order[: order.index(fact)]
        twin = next((i for i in better if not flags[i] and sources[i] and set(sources[i]) == set(sources[fact])), None)
        if twin is not None:
            order.remove(fact)
            order[order.index(twin)] = fact
    seen: set[str] = set()
    keep: list[int] = []
    for index in order:
        fresh = set(sources[index]) - seen
        if fresh or not sources[index] or flags[index]:
            keep.append(index)
            seen |= fresh
    return keep


def recency(created_at: datetime, now: datetime, half_life_days: float) -> float:
    """``0.5 ** (age / half_life)``; 1 for items from the future or with no half-life."""
    if half_life_days <= 0:
        return 1.0
    age_days = max((now - created_at).total_seconds() / 86400.0, 0.0)
    return math.pow(0.5, age_days / half_life_days)


def blend(score: float, factor: float, weight: float) -> float:
    """Scale ``score`` by ``factor`` with strength ``weight`` in [0, 1]."""
    return score * ((1.0 - weight) + weight * factor)


def count_tokens(text: str) -> int:
    """A fast token estimate: one per CJK character, one per ~4 other characters."""
    cjk = len(_CJK.findall(text))
    return cjk + math.ceil((len(text) - cjk) / 4)


def fit_budget(texts: Sequence[str], budget: int, counter: Callable[[str], int] = count_tokens) -> list[int]:
    """The indices of ``texts`` (in order) that fit in ``budget`` tokens together: each that fits in
    what is left is kept and one that does not is passed over, so one long text leaves room for
    the shorter ones after it; the first alone when none fits."""
    kept, used = [], 0
    for index, text in enumerate(texts):
        cost = counter(text)
        if used + cost <= budget:
            kept.append(index)
            used += cost
    return kept or [0] if texts else []
