"""A memory line's clauses, and how near a line is to a question by the nearest of them.

A sentence embedding of a line that says two things is near neither: "Where do I work?" is 0.22
from "My name is Tom and I work in London" and 0.38 from its second clause.
"""

from __future__ import annotations

import re

import numpy as np
from tiermem.memory.embeddings import BaseEmbedder

_CLAUSE_ENDS = re.compile(
    r"[，；。！？]|(?<=[.!?])\s+(?=[A-Z])"
    r"|(?:\s*[,;]\s*(?:(?:and|but|so)\s+)?|\s+(?:and|but|so)\s+)(?=(?:i|i'm|i've|i'll|i'd|we|we're|my|our)\b)",
    re.I,
)
"""Where a line's clauses end: a sentence's end, a Chinese comma or stop, and an English clause
that starts again with the user ("My name is Tom and I work in London")."""


def line_nearness(embedder: BaseEmbedder, question: str, lines: list[str]) -> np.ndarray:
    """The cosine similarity of each of ``lines`` to ``question``, a line of several clauses by
    its nearest too: "Where do I work?" is 0.22 from "My name is Tom and I work in London" and 0.38
    from its second clause; 医生让我注意什么？ is near 我血压有点高，医生让我少吃盐 by its second."""
    parts = [(index, part) for index, line in enumerate(lines) for part in clauses(line)]
    vectors = embedder.encode([question, *lines, *(part for _, part in parts)])
    similarity = vectors[1:] @ vectors[0]
    nearness = similarity[: len(lines)].copy()
    for (index, _), near in zip(parts, similarity[len(lines) :], strict=True):
        nearness[index] = max(nearness[index], near)
    return nearness


def clauses(line: str) -> list[str]:
    """The clauses of ``line`` where it has several (:data:`_CLAUSE_ENDS`), else none."""
    parts = [part.strip() for part in _CLAUSE_ENDS.split(line) if part.strip()]
    return parts if len(parts) > 1 else []
