"""Corrections said in chat: "Sorry, I meant Lyon, not Paris" changes the fact that holds Paris.

Such a message names no attribute, only the value it replaces, so it is read
against the stored facts: the fact whose current value says the old value
gets a new version with the new value, in the tier it is kept in. Which fact:
of those whose value is the old value whole (else says it among other words:
``lives_in = Paris, France``), the newest, whoever's it is ("My brother moved
to Paris", then "Oops, I meant Lyon, not Paris" corrects the brother's). A
correction follows what it corrects: a fact last stated more than
:data:`CORRECTION_WINDOW` before is left alone, and where the newest fact
that holds the old value is a plan, nothing is corrected (a plan's day was read
from the words that named it: a plan said again replaces it).

What counts as a correction is narrow, since a wrong one silently changes a
fact: the message is only the correction, it opens with a word that says so
("sorry", "oops", "actually", "I meant", 不对, 说错了 ...; a bare "No, ..." is
an answer, not a correction) or ends with an apology ("Lyon, not Paris,
sorry"), and both values are plain values of a few
words, no sentence ("No, not peanuts, I said walnuts" names walnuts; "Oh no,
not asthma, it's just a cold" names nothing). A correction that states its
attribute ("I meant I live in Lyon") is an ordinary statement, extracted as
one (where it denies a held allergy or condition, "I'm allergic to shellfish,
not peanuts", that one ends). A correction may be one sentence of a message that
says more ("Sorry, I meant Lyon, not Paris. And I'm allergic to peanuts"): both
are kept. Where a message reads as a correction but no fact can take it, the
gate's reason says so (:data:`NOTHING_CORRECTED`), so the reply claims no
correction.

Example:
    >>> correction("Sorry, I meant Lyon, not Paris")
    Correction(new='Lyon', old='Paris')
    >>> correction("不对，不是巴黎，是里昂")
    Correction(new='里昂', old='巴黎')
    >>> correction("No, not Alice, Bob is better") is None
    True
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import NamedTuple

from tiermem.memory import filters as f
from tiermem.memory.reads import FACT_TIERS
from tiermem.memory.records import RELATIONS_ZH, Fact, MemoryRecord, Tier
from tiermem.memory.store import TierStore
from tiermem.memory.versions import ENDED, SET_VALUED, held_values, version_order

from .fact_words import EMOJI
from .gate import GateDecision
from .gate_common import IMPORTANCE

CORRECTION_WINDOW = timedelta(hours=1)
"""How long after a fact was stated a bare correction of its value may change it."""
NOTHING_CORRECTED = "nothing corrected"
"""Where a gate's reason says a message read as a correction changed no fact (what follows says why)."""


class Correction(NamedTuple):
    """A value said to replace another."""

    new: str
    old: str


_VALUE = r"(?:[^,;!?\n.]|\.(?=\d)){1,40}?"
_OPENING = (
    r"^\s*(?:(?:sorry|oops|whoops|oh|no|wait|actually|correction|my\s+bad)\b[\s,.:!-]*)*"
    r"(?:(?:i\s+meant(?:\s+to\s+say)?|i\s+mean|meant\s+to\s+say|make\s+that|(?:that|it)\s+should\s+be|"
    r"(?:her|his|their|my)\s+name\s+is|(?:she|he)(?:['’]s|\s+is)|(?:it['’]?s\s+|it\s+is\s+)?spelled|"
    r"it'?s|it\s+is|it\s+was|that'?s)\b\s*)?"
)
"""A correction's first words: "Sorry,", "Oops, it's", "I meant", "Sorry, her name is", "Actually
she's", "it's spelled" (:data:`_SAYS_CORRECTION` must be among them)."""
_ENGLISH = (
    # "Sorry, I meant Lyon, not Paris", "Oops, it's Lyon not Paris", "Sorry, Lyon, not Paris"
    re.compile(rf"{_OPENING}(?P<new>{_VALUE})\s*,?\s+(?:and\s+)?not\s+(?P<old>{_VALUE})$", re.I),
    # "Sorry, not Paris, Lyon", "I meant not Paris but Lyon", "Sorry, not peanuts, I said walnuts"
    re.compile(
        rf"{_OPENING}(?:it'?s\s+|it\s+is\s+)?not\s+(?P<old>{_VALUE})\s*(?:,\s*|\s+but\s+)"
        rf"(?:(?:it'?s|it\s+is|i\s+said|i\s+meant)\s+)?(?P<new>{_VALUE})$",
        re.I,
    ),
)
_ZH_VALUE = r"[^，,。！？!?；;\s]{1,12}?"
_ZH_CUE = r"(?:(?:不对|不好意思|抱歉|对不起|我说错了|说错了|打错了|写错了|更正|纠正一下|其实)[，,。！!：:\s]*)"
_CHINESE = (
    re.compile(rf"^\s*{_ZH_CUE}*(?:我是说)?不是(?P<old>{_ZH_VALUE})[，,\s]*(?:而)?是(?P<new>{_ZH_VALUE})[了啦呀]?$"),
    re.compile(
        rf"^\s*{_ZH_CUE}*(?:我是说|应该)?是(?P<new>{_ZH_VALUE})[，,\s]*(?:而)?不是(?P<old>{_ZH_VALUE})[了啦呀]?$"
    ),
)
_SAYS_CORRECTION = re.compile(
    r"\b(?:sorry|oops|whoops|wait|actually|correction|my\s+bad|i\s+meant|i\s+mean|meant\s+to\s+say|make\s+that|"
    r"should\s+be)\b|不对|抱歉|对不起|不好意思|说错了|打错了|写错了|更正|纠正|我是说",
    re.I,
)
"""Words that say a message corrects something; "no" or "oh" alone do not ("No, not today")."""
_SORRY_AFTER = re.compile(r"[\s,.;]*\b(?:sorry|my\s+bad|oops)\s*$", re.I)
"""An apology after the correction ("Lyon, not Paris, sorry")."""
_NOT_OLD = re.compile(r",?\s+(?:and\s+)?not\s+(?P<old>[^,;!?\n]{1,40})$", re.I)
"""A statement's last words naming the value it replaces ("I'm allergic to shellfish, not peanuts")."""
_NOT_A_VALUE = re.compile(
    r"\b(?:i|i'm|im|me|my|mine|you|your|it|it's|its|is|are|was|were|be|am|said|say|says|mean|meant|just|"
    r"better|best|works?|maybe|somewhere|something|anything|nothing|because|for|really|think|lol|haha|now|"
    r"today|tonight|tomorrow|yesterday|here|there|this|that|what|who|why|how|please|thanks|ok|okay|yes|no|"
    r"not|sure|fine|problem|joke|right)\b|[我你他她它吗呢吧啊]",
    re.I,
)
"""Words no plain value holds: a clause ("Bob is better", "it's just a cold", "I said walnuts")."""
_TRAILING = re.compile(
    rf"(?:\s|[.!。！~]|:\)|:\(|:d\b|;\)|\b(?:lol|lmao|tbh|ha(?:ha)+|he(?:he)+|xd)\b|{EMOJI})*$",
    re.I,
)
"""What may end a correction and is not its value ("... not Paris :)", "... not paris 🙈", "... tbh")."""
_SENTENCE = re.compile(r"(?<=[.!?;])\s+(?!\d)|(?<=[。！？；])|,?\s+and\s+(?=(?:i|i'm|i've|my)\b)", re.I)
"""Where one sentence of a message ends and the next begins ("... not Paris. And I'm ...")."""
_QUOTES = " \t\"'“”‘’「」『』"


def _plain(value: str) -> str | None:
    """``value`` without its quotes, where it is a plain value of at most five words; else ``None``."""
    value = value.strip(_QUOTES)
    if not value or len(value.split()) > 5 or not value[0].isalnum() or _NOT_A_VALUE.search(value):
        return None
    return value


def correction(text: str) -> Correction | None:
    """The new and the old value of a message that only corrects a value ("Sorry, I meant Lyon,
    not Paris", 不对，不是巴黎，是里昂); ``None`` for any other message."""
    said = _TRAILING.sub("", text.strip())
    sorry = _SORRY_AFTER.search(said)
    said = said[: sorry.start()] if sorry else said
    if not sorry and not _SAYS_CORRECTION.search(said):
        return None
    for pattern in (*_ENGLISH, *_CHINESE):
        match = pattern.match(said)
        if not match or not (sorry or _SAYS_CORRECTION.search(said[: min(match.start("new"), match.start("old"))])):
            continue
        new, old = _plain(match["new"]), _plain(match["old"])
        if new and old and new.casefold() != old.casefold():
            return Correction(new=new, old=old)
    return None


def correction_in(text: str) -> tuple[Correction, str] | None:
    """The correction ``text`` says, whole or as one of its sentences ("Sorry, I meant Lyon, not
    Paris. And I'm allergic to peanuts"), with the rest of the text; ``None`` where it says none."""
    said = correction(text)
    if said is not None:
        return said, ""
    sentences = [sentence for sentence in _SENTENCE.split(text) if sentence.strip()]
    for at, sentence in enumerate(sentences):
        said = correction(sentence) if len(sentences) > 1 else None
        if said is not None:
            return said, " ".join(sentences[:at] + sentences[at + 1 :])
    return None


def corrects(line: str, words: str) -> bool:
    """Whether ``line`` is a correction of a value that ``words`` say ("Sorry, I meant Tuesday
    evenings, not Thursday" of "My yoga class is on Thursday evenings", which holds no fact to change)."""
    said = correction(line)
    return said is not None and says_value(words, said.old)


def replaced_value(text: str) -> str | None:
    """The value a message says is wrong: a correction's old value, or what a statement ends by
    denying ("Correction: I live in Lyon, not Paris": Paris); ``None`` where it denies none."""
    said = correction_in(text)
    if said is not None:
        return said[0].old
    denied = _NOT_OLD.search(_TRAILING.sub("", text.strip()))
    return _plain(denied["old"]) if denied else None


class CorrectionResolver:
    """Finds the fact a correction changes, and its new version.

    Args:
        store: the tier store.
    """

    def __init__(self, store: TierStore) -> None:
        self.store = store

    def corrected(self, namespace: str, text: str, now: datetime) -> tuple[list[Fact], Tier] | None:
        """The new versions a correction in ``text`` writes, and their tier; ``None`` where the
        text is no correction or no fact stated lately holds the old value."""
        said = correction(text)
        return None if said is None else self._corrected(namespace, said, text, now)

    def _corrected(self, namespace: str, said: Correction, text: str, now: datetime) -> tuple[list[Fact], Tier] | None:
        found = self._holding(namespace, said.old, now)
        if found is None:
            return None
        record, held = found
        fact = record.fact
        assert fact is not None
        # "I meant walnuts, not peanuts": peanuts ends and walnuts is held; one value is replaced
        replaced = _replaced(held, said.old, said.new)
        values = [f"{ENDED}{held}", replaced] if fact.attribute in SET_VALUED else [replaced]
        facts = [fact.model_copy(update={"value": value, "observed_at": now, "statement": text}) for value in values]
        return facts, record.tier

    def revised(self, decision: GateDecision, namespace: str, text: str, now: datetime) -> GateDecision:
        """``decision`` for a message that corrects a value: the corrected fact's new versions, in
        its tier, with the reason; said with a statement ("Sorry, I meant Lyon, not Paris. And I'm
        allergic to peanuts"), beside the statement's facts, in the higher of the two tiers (a
        fact the statement states itself, "Sorry, I meant 47 kg, not 45 kg", is not written
        twice); where no fact can take the correction, the reason says :data:`NOTHING_CORRECTED`.
        For a statement of an allergy or a condition that ends by denying one held ("I'm
        allergic to shellfish, not peanuts"), the denied one is ended too."""
        found = correction_in(text)
        said, rest = found if found is not None else (None, text)
        stated = self._denied(decision, namespace, rest, now) if decision.facts else decision
        if said is None:
            return stated
        corrected = self._corrected(namespace, said, text, now)
        if corrected is None:
            why = f"no fact stated within the last hour holds {said.old} to change"
            return stated.model_copy(update={"reason": f"{stated.reason}; {NOTHING_CORRECTED}: {why}"})
        facts, tier = corrected
        if {fact.key for fact in facts} & {fact.key for fact in stated.facts}:  # "I meant 47 kg, not 45 kg"
            return stated
        tier = max(tier, stated.tier, key=IMPORTANCE.__getitem__) if stated.facts else tier
        reason = f"corrects {facts[-1].key}: {said.old} -> {said.new}"
        return stated.model_copy(
            update={
                "tier": tier,
                "facts": [*facts, *stated.facts],
                "importance": max(stated.importance, IMPORTANCE[tier]),
                "reason": f"{stated.reason}; {reason}" if stated.facts else reason,
            }
        )

    def _denied(self, decision: GateDecision, namespace: str, text: str, now: datetime) -> GateDecision:
        """``decision`` with an end for each held allergy or condition the statement denies."""
        old = replaced_value(text)
        stated = [fact for fact in decision.facts if fact.attribute in SET_VALUED]
        if old is None or not stated:
            return decision
        said = _said(old)
        versions = self.store.latest_facts(namespace, {fact.key for fact in stated}, now=now)
        ended = []
        for fact in stated:
            held = _held_saying(versions.get(fact.key, []), said)
            if held is not None:
                ended.append(fact.model_copy(update={"value": f"{ENDED}{held}"}))
        if not ended:
            return decision
        reason = f"{decision.reason}; ends {', '.join(f'{fact.key} = {old}' for fact in ended)}"
        return decision.model_copy(update={"facts": [*ended, *decision.facts], "reason": reason})

    def _holding(self, namespace: str, old: str, now: datetime) -> tuple[MemoryRecord, str] | None:
        """The fact a correction of ``old`` changes, with the value of it that says ``old`` (one
        held item of an allergy or a condition): of the facts whose current value is ``old``
        (else says it), the newest, if it was stated within :data:`CORRECTION_WINDOW`."""
        said = _said(old)
        longest = max(_tokens(old), key=len, default=old)  # "85kg" is found in "85 kg"
        scope = f.where(f.compare("key", "!=", ""), f.contains(f.column("value"), longest))
        keys = {record.key for record in self.store.records(namespace, tiers=FACT_TIERS, now=now, extra=scope)}
        holding: list[tuple[bool, MemoryRecord, str]] = []
        for versions in self.store.latest_facts(namespace, keys, now=now).values():
            held = _held_saying(versions, said)
            if held is not None:
                holding.append((said.fullmatch(held.strip()) is not None, max(versions, key=version_order), held))
        if not holding:
            return None
        _, newest, _ = max(holding, key=lambda found: version_order(found[1]))
        if newest.key.partition(".")[2].startswith("plan_"):  # meant for a plan: said again, its day read anew
            return None
        _, record, held = max(holding, key=lambda found: (found[0], version_order(found[1])))
        subject, _, attribute = record.key.partition(".")
        if subject == "user" and attribute in RELATIONS_ZH and any(found[1].key != record.key for found in holding):
            return None  # "Paris" is the sister's name and the home city: which one is meant is not said
        stated = record.fact.observed_at if record.fact else record.created_at
        return (record, held) if max(stated, record.created_at) >= now - CORRECTION_WINDOW else None


def _held_saying(versions: list[MemoryRecord], said: re.Pattern[str]) -> str | None:
    """The value a fact's ``versions`` hold now (one held item of an allergy or a condition)
    that says ``said``; ``None`` where none does or it has ended."""
    history = sorted(versions, key=version_order, reverse=True)
    values = [version.fact.value for version in history if version.fact is not None]
    if not values:
        return None
    attribute = history[0].key.partition(".")[2]
    held = next((value for value in held_values(attribute, values) if said.search(value)), None)
    return None if held is None or held.startswith(ENDED) else held


def _tokens(value: str) -> list[str]:
    """A value's numbers, words and signs ("80.5kg": 80.5, kg)."""
    return re.findall(r"\d+(?:\.\d+)?|[^\W\d_]+|[^\w\s]", value)


def _said(value: str) -> re.Pattern[str]:
    """Where a text says ``value``: its words whole, in any case, with or without spaces between
    them ("85kg" says "85 kg")."""
    pattern = r"\s*".join(map(re.escape, _tokens(value)))
    return re.compile(rf"(?<!\w){pattern}(?!\w)" if value.isascii() else pattern, re.I)


def says_value(text: str, value: str) -> bool:
    """Whether ``text`` says ``value``, its words whole, in any case ("Paris (2024-05-03)" says Paris)."""
    return _said(value).search(text) is not None


def _replaced(value: str, old: str, new: str) -> str:
    """``value`` with the part that said ``old`` said as ``new`` ("Paris, France" -> "Lyon, France"),
    capitalised as that part where ``new`` was said in lower case ("lyon, not paris": Lyon)."""
    return _said(old).sub(lambda said: new.title() if new.islower() and said[0].istitle() else new, value, count=1)
