"""Grouped cross-validation of the rule and trained gates on a training file.

This is how the gates were tuned and the default was chosen without touching
the test split. Near-duplicates (cosine >= ``group_threshold`` on the
embedding, e.g. a message and its translation) form one group, and a group
never straddles folds; groups are dealt to folds label by label, so every fold
has about the same label mix. Each fold builds a RuleGate from the other
folds' messages as prototypes and trains a head on them.

Run it with ``tiermem bench gate-cv --data benchmarks/data/gate_train.jsonl``.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np
from pydantic import BaseModel
from tiermem.agents.gate import GateInput
from tiermem.agents.gate_data import LabelledMessage
from tiermem.agents.rule_gate import RuleGate
from tiermem.agents.trained_gate import TrainedGate, fit_head
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.progress import track
from tiermem.memory.records import GATE_LABELS


class CVReport(BaseModel):
    """Mean and spread (over seeds) of the fold accuracy of each gate."""

    data: str
    n: int
    groups: int
    folds: int
    seeds: int
    accuracy: dict[str, float]
    """Mean accuracy over seeds, per gate."""
    std: dict[str, float]


def near_duplicate_groups(vectors: np.ndarray, threshold: float) -> list[int]:
    """Group id per row: rows linked by cosine >= ``threshold`` share a group (union-find)."""
    parent = list(range(len(vectors)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    similar = vectors @ vectors.T
    for i, j in zip(*np.nonzero(np.triu(similar >= threshold, k=1)), strict=True):
        parent[root(int(i))] = root(int(j))
    return [root(i) for i in range(len(vectors))]


def grouped_folds(rows: Sequence[LabelledMessage], groups: Sequence[int], folds: int, seed: int) -> list[list[int]]:
    """Row indices per fold: whole groups, each to the smallest fold, label by label."""
    members: dict[int, list[int]] = {}
    for index, group in enumerate(groups):
        members.setdefault(group, []).append(index)
    rng = random.Random(seed)
    out: list[list[int]] = [[] for _ in range(folds)]
    for label in GATE_LABELS:
        batch = [m for m in members.values() if rows[m[0]].label == label]
        rng.shuffle(batch)
        for group_rows in sorted(batch, key=len, reverse=True):  # stable: the shuffle orders equal sizes
            min(out, key=len).extend(group_rows)
    return out


def cross_validate(
    rows: Sequence[LabelledMessage],
    embedder: BaseEmbedder,
    *,
    folds: int = 5,
    seeds: int = 3,
    group_threshold: float = 0.6,
    data: str = "",
    progress: bool = False,
) -> CVReport:
    """Accuracy of the rule and trained gates over grouped folds, for several fold seeds."""
    vectors = embedder.encode([r.text for r in rows])
    groups = near_duplicate_groups(vectors, group_threshold)
    now = datetime(2024, 5, 3, 9, 0, tzinfo=UTC)
    results: dict[str, list[float]] = {"rule": [], "trained": []}
    for seed in track(range(seeds), task="gate cv", unit="seed", quiet=not progress):
        right: dict[str, list[bool]] = {"rule": [], "trained": []}
        for held_out in grouped_folds(rows, groups, folds, seed):
            held = set(held_out)
            train = [r for i, r in enumerate(rows) if i not in held]
            prototypes = {label: [r.text for r in train if r.label == label] for label in GATE_LABELS}
            gates = {
                "rule": RuleGate(embedder, prototypes=prototypes),
                "trained": TrainedGate(embedder, head=fit_head(train, embedder)),
            }
            for i in held_out:
                message = GateInput(text=rows[i].text, now=now, vector=vectors[i])
                for name, gate in gates.items():
                    right[name].append(rows[i].accepts(gate.decide(message).tier))
        for name, flags in right.items():
            results[name].append(float(np.mean(flags)))
    return CVReport(
        data=data,
        n=len(rows),
        groups=len(set(groups)),
        folds=folds,
        seeds=seeds,
        accuracy={name: round(float(np.mean(v)), 4) for name, v in results.items()},
        std={name: round(float(np.std(v)), 4) for name, v in results.items()},
    )
