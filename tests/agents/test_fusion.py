"""Pure ranking functions, table-driven."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from tiermem.agents.fusion import blend, count_tokens, drop_covered, fit_budget, recency, rrf


@pytest.mark.parametrize(
    ("rankings", "k", "weights", "expected"),
    [
        ([["a", "b"], ["b", "c"]], 1, None, {"a": 0.5, "b": 1 / 3 + 1 / 2, "c": 1 / 3}),
        ([["a"], ["b"]], 1, [1.0, 2.0], {"a": 0.5, "b": 1.0}),
        ([["a", "b"], ["b"]], 30, [1.0, 0.0], {"a": 1 / 31, "b": 1 / 32}),
        ([[], []], 60, None, {}),
    ],
)
def test_rrf(rankings: list[list[str]], k: int, weights: list[float] | None, expected: dict[str, float]) -> None:
    assert rrf(rankings, k=k, weights=weights) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("sources", "kept"),
    [
        ([["m1"], ["m1", "m2"], ["m2"]], [0, 1]),  # the episode adds m2; the lone m2 adds nothing
        ([["m1", "m2", "m3"], ["m2"], ["m3", "m4"]], [0, 2]),
        ([["m1"], ["m1"]], [0]),  # a fact and its working-memory copy: one is shown
        ([[], ["m1"], []], [0, 1, 2]),  # items without sources are always kept
    ],
)
def test_drop_covered(sources: list[list[str]], kept: list[int]) -> None:
    assert drop_covered(sources) == kept


def test_recency_blend_tokens_budget() -> None:
    now = datetime(2024, 5, 3, tzinfo=UTC)
    assert recency(now - timedelta(days=30), now, 30.0) == pytest.approx(0.5)
    assert recency(now + timedelta(days=1), now, 30.0) == 1.0 and recency(now, now, 0.0) == 1.0
    assert blend(1.0, 0.5, 0.2) == pytest.approx(0.9) and blend(2.0, 0.0, 0.0) == 2.0
    assert count_tokens("今天称重") == 4 and count_tokens("abcdefgh") == 2
    assert fit_budget(["aaaa", "bbbb", "cccc"], 2) == [0, 1] and fit_budget(["a" * 400], 10) == [0]
    assert fit_budget(["a" * 400, "bbbb", "a" * 400, "cccc"], 10) == [1, 3]  # a long one leaves room for the rest
    assert fit_budget([], 10) == []
