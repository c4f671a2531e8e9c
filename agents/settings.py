"""The agents' settings: how sessions become episodes, when memories move up a tier,
how the retrieval agent ranks and cuts.

Plain settings (pydantic), kept apart from the agents so a config can be read
without importing the store.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator
from tiermem.memory.records import Tier


class EpisodeSettings(BaseModel):
    """How sessions become episodes."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    """Keep working memory and consolidate it; off: only what the gate keeps is remembered."""
    window: int = Field(default=4, ge=1, le=50)
    """Messages per episode."""
    stride: int = Field(default=2, ge=1, le=50)
    """A new episode starts every ``stride`` messages (``window - stride`` messages overlap)."""
    session_gap_hours: float = Field(default=3.0, gt=0.0)
    """Silence after which a thread's session counts as ended."""
    max_rows_per_turn: int = Field(default=256, ge=50)
    """Working-memory rows one turn consolidates at most, oldest session first. More ended rows
    (a bulk import of short-term memories, a long session) are consolidated over the next turns,
    and are read as short-term rows until then, so no turn waits to embed thousands of episodes."""

    @model_validator(mode="after")
    def _stride_fits(self) -> EpisodeSettings:
        if self.stride > self.window:
            raise ValueError(
                f"episodes.stride ({self.stride}) is larger than episodes.window ({self.window}), "
                "which would skip messages; use a stride <= window"
            )
        return self


class PromotionSettings(BaseModel):
    """When recurring content moves up a tier."""

    model_config = ConfigDict(extra="forbid")

    similarity_threshold: float = Field(default=0.65, ge=0.0, le=1.0)
    """Cosine similarity at which two short-term items count as the same content."""
    min_correlated: int = Field(default=1, ge=1)
    """How many earlier short-term items must correlate (k)."""
    window: int = Field(default=50, ge=1)
    """How many of the most similar recent short-term items are compared."""
    confirmations_for_long: int = Field(default=3, ge=2)
    """A mid-term memory stated this many times (n) moves to long-term."""
    importance_for_long: float = Field(default=0.9, ge=0.0, le=1.0)
    """A mid-term memory at least this important moves to long-term at once."""


class RetrievalSettings(BaseModel):
    """How the retrieval agent ranks and cuts."""

    model_config = ConfigDict(extra="forbid")

    k: int = Field(default=10, ge=1, le=200)
    """Items returned."""
    candidates: int = Field(default=30, ge=1, le=1000)
    """Candidates fetched per search method and tier."""
    rrf_k: int = Field(default=30, ge=1)
    """RRF's rank offset: smaller trusts the first ranks of each list more."""
    dense_weight: float = Field(default=1.0, ge=0.0)
    """Weight of the vector ranking in the fusion."""
    text_weight: float = Field(default=2.0, ge=0.0)
    """Weight of the full-text (BM25) ranking in the fusion (names, places, rare words)."""
    time_weight: float = Field(default=0.5, ge=0.0)
    """Share added to the score of memories from a period the query names ("in July 2023")."""
    tier_weights: dict[Tier, float] = Field(default_factory=lambda: {"short": 1.0, "mid": 1.0, "long": 1.0})
    """Per-tier factors; the gate's judgement already enters through ``importance``."""
    recency_weight: float = Field(default=0.05, ge=0.0, le=1.0)
    """How much newer memories are preferred (facts show their newest version regardless)."""
    half_life_days: float = Field(default=30.0, ge=0.0)
    importance_weight: float = Field(default=0.2, ge=0.0, le=1.0)
    asked_weight: float = Field(default=0.0, ge=0.0, le=1.0)
    """Factor on the relevance of the session's working-memory rows that only ask ("我现在住在哪里？"):
    a question asked before is no memory, yet it looks like the question asked now, in words and
    vector. At 0 they only fill places nothing that states something takes (their episodes, once
    the session ends, keep them with the answers)."""
    token_budget: int = Field(default=1500, ge=16)
    history: int = Field(default=5, ge=0, le=100)
    """Older values kept with a fact (only its newest versions are read, however many it has)."""
