"""Corrections said in chat: "Sorry, I meant Lyon, not Paris" changes the fact that holds Paris.

Such a message names no attribute, only the value it replaces, so it is read
against the user's stored facts: the fact whose current value names the old
value (``user.lives_in = Paris``; the most recently observed, where several
do) gets a new version with the new value, in the tier it is kept in. Only the
user's own facts are corrected, never a plan (its day was read from the words
that named it: a plan said again replaces it), and nothing is written where no
current value names the old one ("It's sunny, not rainy" corrects nothing). A correction
that states its attribute ("I meant I live in Lyon") is an ordinary statement,
extracted as one.

Example:
    >>> correction("Sorry, I meant Lyon, not Paris")
    Correction(new='Lyon', old='Paris')
    >>> correction("不对，不是巴黎，是里昂")
    Correction(new='里昂', old='巴黎')
    >>> correction("I like tea, not coffee") is None
    True
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import NamedTuple

from tiermem.memory import filters as f
from tiermem.memory.reads import FACT_TIERS
from tiermem.memory.records import Fact, MemoryRecord, Tier
from tiermem.memory.store import TierStore
from tiermem.memory.versions import ENDED, SET_VALUED, held_values, version_order

from .gate import GateDecision
from .gate_common import IMPORTANCE


class Correction(NamedTuple):
    """A value said to replace another."""

    new: str
    old: str


_VALUE = r"[^\W_][^,.;!?\n]{0,38}?"
_CUE = r"(?:(?:sorry|oops|whoops|oh|no|wait|actually|correction|my\s+bad|i\s+mean)\b[\s,.:!-]*)"
_MEANT = (
    r"(?:(?:i\s+meant(?:\s+to\s+say)?|i\s+mean|it'?s|it\s+is|it\s+was|that'?s|make\s+that|"
    r"(?:that|it)\s+should\s+be)\b)"
)
_OPENING = rf"^\s*(?:{_CUE}+{_MEANT}?|{_CUE}*{_MEANT})\s*"
"""A correction's first words: "Sorry,", "Oops, it's", "I meant"."""
_ENGLISH = (
    # "Sorry, I meant Lyon, not Paris", "Oops, it's Lyon not Paris", "Sorry, Lyon, not Paris"
    re.compile(rf"{_OPENING}(?P<new>{_VALUE})\s*,?\s+(?:and\s+)?not\s+(?P<old>{_VALUE})$", re.I),
    # "Sorry, not Paris, Lyon", "I meant not Paris but Lyon"
    re.compile(rf"{_OPENING}not\s+(?P<old>{_VALUE})\s*(?:,\s*|\s+but\s+)(?P<new>{_VALUE})$", re.I),
)
_ZH_VALUE = r"[^，,。！？!?；;\s]{1,15}?"
_ZH_CUE = r"(?:(?:不对|不好意思|抱歉|对不起|我说错了|说错了|更正|纠正一下|其实)[，,。！!：:\s]*)"
_CHINESE = (
    re.compile(rf"^\s*{_ZH_CUE}*(?:我是说)?不是(?P<old>{_ZH_VALUE})[，,\s]*(?:而)?是(?P<new>{_ZH_VALUE})[了啦呀]?$"),
    re.compile(
        rf"^\s*{_ZH_CUE}*(?:我是说|应该)?是(?P<new>{_ZH_VALUE})[，,\s]*(?:而)?不是(?P<old>{_ZH_VALUE})[了啦呀]?$"
    ),
)


def correction(text: str) -> Correction | None:
    """The new and the old value of a message that only corrects a value ("Sorry, I meant Lyon,
    not Paris", 不是巴黎，是里昂); ``None`` for any other message."""
    said = text.strip().rstrip(".!。！ ")
    for pattern in (*_ENGLISH, *_CHINESE):
        match = pattern.match(said)
        if match and match["new"].strip().casefold() != match["old"].strip().casefold():
            return Correction(new=match["new"].strip(), old=match["old"].strip())
    return None


class CorrectionResolver:
    """Finds the user's fact a correction changes, and its new version.

    Args:
        store: the tier store.
    """

    def __init__(self, store: TierStore) -> None:
        self.store = store

    def corrected(self, namespace: str, text: str, now: datetime) -> tuple[list[Fact], Tier] | None:
        """The new versions a correction in ``text`` writes, and their tier; ``None`` where the
        text is no correction or no current fact of the user's names the old value."""
        said = correction(text)
        if said is None:
            return None
        found = self._holding(namespace, said.old, now)
        if found is None:
            return None
        record, held = found
        fact = record.fact
        assert fact is not None
        # "I meant walnuts, not peanuts": peanuts ends and walnuts is held; one value is replaced
        set_valued = fact.attribute in SET_VALUED
        values = [f"{ENDED}{held}", said.new] if set_valued else [_replaced(held, said.old, said.new)]
        facts = [Fact(attribute=fact.attribute, value=value, observed_at=now, statement=text) for value in values]
        return facts, record.tier

    def revised(self, decision: GateDecision, namespace: str, text: str, now: datetime) -> GateDecision:
        """``decision`` for a message that corrects a value and states no fact of its own: the
        corrected fact's new versions, in its tier, with the reason; else ``decision`` as it is."""
        found = None if decision.facts else self.corrected(namespace, text, now)
        if found is None:
            return decision
        facts, tier = found
        said = correction(text)
        assert said is not None
        return decision.model_copy(
            update={
                "tier": tier,
                "facts": facts,
                "importance": max(decision.importance, IMPORTANCE[tier]),
                "reason": f"corrects {facts[-1].key}: {said.old} -> {said.new}",
            }
        )

    def _holding(self, namespace: str, old: str, now: datetime) -> tuple[MemoryRecord, str] | None:
        """The newest fact of the user's whose current value names ``old``, with that value (the
        one held item of an allergy or a condition)."""
        said = _said(old)
        longest = max(re.findall(r"\w+", old), key=len, default=old)  # "85kg" is found in "85 kg"
        scope = f.where(f.starts_with(f.column("key"), "user."), f.contains(f.column("value"), longest))
        keys = {record.key for record in self.store.records(namespace, tiers=FACT_TIERS, now=now, extra=scope)}
        holding: list[tuple[MemoryRecord, str]] = []
        for versions in self.store.latest_facts(namespace, keys, now=now).values():
            versions.sort(key=version_order, reverse=True)
            newest = versions[0].fact
            assert newest is not None
            values = [version.fact.value for version in versions if version.fact is not None]
            if newest.attribute.startswith("plan_"):  # its day was read from the words: said again, not patched
                continue
            held = next((value for value in held_values(newest.attribute, values) if said.search(value)), None)
            if held is not None and not held.startswith(ENDED):
                holding.append((versions[0], held))
        return max(holding, key=lambda found: version_order(found[0]), default=None)


def _said(value: str) -> re.Pattern[str]:
    """Where a text says ``value``: its words whole, in any case, with or without spaces between
    them ("85kg" says "85 kg")."""
    tokens = re.findall(r"\w+|[^\w\s]", value)
    pattern = r"\s*".join(map(re.escape, tokens))
    return re.compile(rf"(?<!\w){pattern}(?!\w)" if value.isascii() else pattern, re.I)


def _replaced(value: str, old: str, new: str) -> str:
    """``value`` with the part that said ``old`` said as ``new`` ("Paris, France" -> "Lyon, France")."""
    return _said(old).sub(lambda _: new, value, count=1)
