"""Recall metrics: table-driven over hand-made rankings."""

from __future__ import annotations

import pytest
from tiermem.benchmarks.recall_metrics import Scoreboard, hit_at, percentile, recall_at

RANKING = [["D1:1"], ["D1:2", "D1:3"], ["D2:1"], ["D1:3"]]


@pytest.mark.parametrize(
    ("evidence", "k", "recall", "hit"),
    [
        (["D1:1"], 1, 1.0, 1.0),
        (["D1:3"], 1, 0.0, 0.0),
        (["D1:3"], 2, 1.0, 1.0),
        (["D1:3", "D2:1"], 2, 0.5, 1.0),
        (["D1:3", "D2:1"], 3, 1.0, 1.0),
        (["D9:9", "D1:2"], 20, 0.5, 1.0),
        (["D9:9"], 20, 0.0, 0.0),
        (["D1:1", "D1:1"], 1, 1.0, 1.0),
    ],
)
def test_recall_and_hit(evidence: list[str], k: int, recall: float, hit: float) -> None:
    assert recall_at(RANKING, evidence, k) == recall
    assert hit_at(RANKING, evidence, k) == hit


def test_recall_needs_evidence() -> None:
    with pytest.raises(ValueError, match="without evidence"):
        recall_at(RANKING, [], 5)


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [([], 50, 0.0), ([3.0], 95, 3.0), ([1, 2, 3, 4], 50, 2.5), ([1, 2, 3, 4, 5], 95, 4.8), ([5, 1, 3], 0, 1.0)],
)
def test_percentile(values: list[float], q: float, expected: float) -> None:
    assert percentile(values, q) == pytest.approx(expected)


def test_scoreboard_groups_and_subsets() -> None:
    board = Scoreboard()
    board.add(RANKING, ["D1:1"], category=4, sample="a", kind="en")
    board.add(RANKING, ["D2:1"], category=2, sample="b", kind=None)
    board.add(RANKING, ["D9:9"], category=2, sample="b", kind="zh")
    summary = board.summary()
    assert summary["n"] == 3 and summary["recall_at_1"] == pytest.approx(1 / 3, abs=1e-4)
    assert summary["recall_at_5"] == pytest.approx(2 / 3, abs=1e-4)
    assert set(summary["per_category"]) == {"single-hop", "temporal"}
    assert summary["per_category"]["temporal"]["n"] == 2 and summary["per_category"]["temporal"]["hit_at_5"] == 0.5
    assert summary["per_kind"] == {"en": board.by_kind["en"].summary(), "zh": board.by_kind["zh"].summary()}
    held = board.subset(["b", "missing"]).summary()
    assert held["n"] == 2 and held["recall_at_20"] == 0.5
