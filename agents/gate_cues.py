"""Cheap lexical cues for the gate, English and Chinese.

The four labels differ mostly in *how long* a statement stays true, and
sentence embeddings blur the words that say so ("every Sunday" vs "this
Sunday"). These cues restore them: a habit marker points to long-term, a
"right now" to short-term, a dated period to mid-term, a question or a
request to nothing worth keeping. RuleGate adds small nudges for them;
TrainedGate learns their weights as extra features.
"""

from __future__ import annotations

import re
from datetime import datetime

import numpy as np

from .gate_common import fact_tiers

_I = re.IGNORECASE
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"

CUES: dict[str, re.Pattern[str]] = {
    "habit": re.compile(
        rf"\b(?:every\s+(?:day|night|week|morning|evening|summer|year|weekend|{_WEEKDAY})|always|"
        r"usually|never|whole life|for years|since i was|all my life|growing up|grew up)\b"
        r"|每天|每周|每年|一直|从来|总是|平时|从小|多年|好几年",
        _I,
    ),
    "now": re.compile(
        r"\b(?:right now|rn|at the moment|this (?:morning|afternoon|evening)|today|tonight|"
        r"just now|currently)\b|现在|正在|而家|此刻|今天|今晚|刚",
        _I,
    ),
    "period": re.compile(
        r"\b(?:these days|lately|recently|this (?:week|month|semester|summer|year|quarter)|"
        rf"next (?:week|month|year|{_WEEKDAY})|until|for the next|in \d+ (?:days|weeks|months)|"
        r"last (?:week|month|weekend|friday|saturday|sunday)|yesterday|ago|"
        r"on the \d+(?:st|nd|rd|th))\b"
        r"|最近|这周|这个月|这段时间|下周|下个月|下礼拜|上周|上个月|昨天|前天|明年|\d+号|月底",
        _I,
    ),
    "question": re.compile(
        r"[?？]\s*$|^(?:what|how|why|when|where|who|which|can|could|would|is|are|do|does|did)\b"
        r"|(?:吗|呢|多少|什么|怎么|为什么|哪|来着)[？?。]?\s*$",
        _I,
    ),
    "request": re.compile(
        r"^(?:please\s+)?(?:can you|could you|write|explain|tell me|give me|help me|translate|"
        r"summari[sz]e|draft|list|recommend|generate|define|convert)\b|帮我|给我|请|推荐|解释|翻译",
        _I,
    ),
    "first_person": re.compile(r"\b(?:i|i'm|im|i've|my|me|we|our|us)\b|我", _I),
}
"""Each cue is a regular expression; a message has the cue when it matches."""

CUE_NAMES: tuple[str, ...] = (*CUES, "fact_mid", "fact_long")
"""Feature order: the regex cues, then "extraction found a mid/long-term fact"."""


def cues(text: str, now: datetime) -> dict[str, bool]:
    """Which cues ``text`` has (the fact cues come from :mod:`~tiermem.agents.extract`)."""
    found = {name: bool(pattern.search(text)) for name, pattern in CUES.items()}
    tiers = fact_tiers(text, now)
    found["fact_mid"] = "mid" in tiers
    found["fact_long"] = "long" in tiers
    return found


def cue_vector(text: str, now: datetime) -> np.ndarray:
    """The cues as a 0/1 float32 vector in :data:`CUE_NAMES` order."""
    found = cues(text, now)
    return np.array([found[name] for name in CUE_NAMES], dtype=np.float32)
