"""What every decider shares: text preparation, fact attachment, importance.

Deciders differ in how they pick a label; they agree on the rest, so the graph
sees the same kind of :class:`~tiermem.agents.gate.GateDecision` whoever ran.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache

from tiermem.memory.records import GATE_LABELS, Fact, GateLabel, Tier

from .extract import extract_facts
from .gate import GateDecision

MAX_GATE_CHARS = 1000
"""Longer messages are truncated for the decision only; the store keeps them intact."""

IMPORTANCE: dict[GateLabel, float] = {"none": 0.0, "short": 0.3, "mid": 0.6, "long": 0.8}
"""Default importance of a memory by the tier it was routed to."""

TIER_RANK: dict[GateLabel, int] = {label: rank for rank, label in enumerate(GATE_LABELS)}

_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


def gate_text(text: str, max_chars: int = MAX_GATE_CHARS) -> str | None:
    """The part of ``text`` a decider reads, or ``None`` when there are no words.

    Empty, whitespace-only, emoji-only and symbol-only messages have no words:
    nothing in them is worth remembering, so every decider answers ``none``.
    """
    text = text.strip()[:max_chars]
    return text if _LETTER.search(text) else None


def no_words_decision(decider: str) -> GateDecision:
    """The decision for a message without words (see :func:`gate_text`)."""
    reason = "no words (empty, emoji or symbols only)"
    return GateDecision(tier="none", importance=0.0, reason=reason, decider=decider)


def facts_for(text: str, now: datetime, tier: GateLabel) -> list[Fact]:
    """Typed facts to attach to a ``mid``/``long`` decision (none for other tiers).

    Extraction is a table of regular expressions; a pattern that misfires on an
    odd message must not break a turn, so errors yield no facts.
    """
    if tier not in ("mid", "long"):
        return []
    return [fact for fact, _ in extracted_facts(text, now)]


@lru_cache(maxsize=256)
def extracted_facts(text: str, now: datetime) -> tuple[tuple[Fact, Tier], ...]:
    """The facts extraction finds in ``text``, each with its tier; none where a pattern
    misfires on an odd message (that must not break a turn). Remembered for the last few
    messages: a decision reads them three times (the cues, the facts attached, the shared
    rules of :class:`~tiermem.agents.gate.QuestionGuard`); facts are frozen, so sharing them is safe."""
    try:
        return tuple(extract_facts(text, now))
    except ValueError:
        return ()


def fact_tiers(text: str, now: datetime) -> set[GateLabel]:
    """The tiers of the facts that extraction finds in ``text`` (a cue for deciders)."""
    return {tier for _, tier in extracted_facts(text, now)}
