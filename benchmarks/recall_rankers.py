"""The rankings scored beside the retrieval agent: raw-turn baselines and the lever ladder.

Baselines search the flat copy (every turn, one table, no gate) the way a
plain RAG over the chat log would: vector only, BM25 only, and both fused by
reciprocal rank. The lever ladder re-ranks the agent's own store with the
retrieval settings as they were before tuning, then adds one tuned setting at
a time, so each lever's share of the gain (and its cost) can be read off one run.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
from tiermem.agents.fusion import rrf
from tiermem.agents.retriever import RetrievalAgent
from tiermem.agents.settings import RetrievalSettings
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.store import TierStore

BASELINES: tuple[str, ...] = ("dense", "bm25", "hybrid")
CANDIDATES = 30
"""Candidates per list fused by the hybrid baseline (the agent's default)."""
_BEFORE: dict[str, Any] = {
    "rrf_k": 60,
    "text_weight": 1.0,
    "recency_weight": 0.2,
    "tier_weights": {"short": 1.0, "mid": 1.15, "long": 1.2},
    "time_weight": 0.0,
}
"""The retrieval settings before this benchmark tuned them."""
LEVER_LADDER: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("before tuning", ()),
    ("+ BM25 weight 2", ("text_weight",)),
    ("+ rrf_k 30", ("text_weight", "rrf_k")),
    ("+ equal tier weights, recency 0.05", ("text_weight", "rrf_k", "tier_weights", "recency_weight")),
)
"""Each rung keeps the configured value of the settings it names and the pre-tuning value of the
others; the configured settings themselves (with the time boost) are the system's own row."""


def baseline_rankings(
    flat: TierStore, namespace: str, query: str, vector: np.ndarray, now: datetime, depth: int
) -> dict[str, list[list[str]]]:
    """The baselines' top ``depth`` turns (as source-id lists) for one question."""
    dense = flat.vector_search(namespace, vector, k=CANDIDATES, now=now)
    sparse = flat.text_search(namespace, query, k=CANDIDATES, now=now)
    sources = {h.record.id: h.record.source_ids for h in [*dense, *sparse]}
    fused = rrf([[h.record.id for h in dense], [h.record.id for h in sparse]])
    hybrid = sorted(fused, key=lambda rid: -fused[rid])
    return {
        "dense": [h.record.source_ids for h in dense[:depth]],
        "bm25": [h.record.source_ids for h in sparse[:depth]],
        "hybrid": [sources[rid] for rid in hybrid[:depth]],
    }


def lever_agents(store: TierStore, embedder: BaseEmbedder, settings: RetrievalSettings) -> dict[str, RetrievalAgent]:
    """One retrieval agent per rung of :data:`LEVER_LADDER`, on the agent's own store."""
    agents = {}
    for name, tuned in LEVER_LADDER:
        before = {key: value for key, value in _BEFORE.items() if key not in tuned}
        agents[name] = RetrievalAgent(store, embedder, settings.model_copy(update=before))
    return agents
