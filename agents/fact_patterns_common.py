"""The building blocks of the extraction rules: :class:`Pattern`, :func:`rule` that compiles one, and the
regular-expression fragments rules of several families share.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from tiermem.memory.records import Tier

from .fact_values import phrase
from .fact_words import RELATIONS
from .statements import ABBREVIATION_DOT


@dataclass(frozen=True, slots=True)
class Pattern:
    """One extraction rule."""

    regex: re.Pattern[str]
    attribute: str
    tier: Tier
    value: Callable[[re.Match[str]], str] = phrase
    """Builds the fact value from the match."""
    about_speaker: bool = False
    """The match names no subject ("weighed 80 kg"): whose fact it is comes from the words before
    it (:func:`_subject`); patterns that start with "I" or "my" are the speaker's anyway."""


def rule(
    pattern: str,
    attribute: str,
    tier: Tier,
    value: Callable[[re.Match[str]], str] = phrase,
    *,
    about_speaker: bool = False,
) -> Pattern:
    """The :class:`Pattern` of ``pattern``, compiled case-insensitive with its ``\\b`` an ASCII word's edge."""
    return Pattern(
        re.compile(pattern.replace(r"\b", _ASCII_BOUNDARY), re.IGNORECASE), attribute, tier, value, about_speaker
    )


_ASCII_BOUNDARY = r"(?:(?<![A-Za-z0-9_])(?=[A-Za-z0-9_])|(?<=[A-Za-z0-9_])(?![A-Za-z0-9_]))"
"""``\b`` between ASCII word characters and anything else: to ``\b`` a Chinese character is a word
character, so in "今天weight是75kg" or "我是vegetarian" the English words had no boundary."""


VALUE = rf"(?P<value>(?:[^.,!?;\n。，！？；]|{ABBREVIATION_DOT}){{2,60}})"
"""A stated value, up to where its sentence or clause ends (the dot of "St. Louis" ends neither)."""
ZH_VALUE = r"(?P<value>[A-Za-z][A-Za-z'\-]*(?:\s+[A-Z][A-Za-z'\-]*)*|[^，。！？；,.!?;\s]{1,20})"
I_AM = r"\bi(?:'m|’m|m|\s+am)\s+"
ANYMORE = r"(?=[^.!?;\n]*\bany\s*more\b)"
"""A "not" that says a state ended: "anymore" follows it in its clause ("I'm not vegan anymore")."""
_FORMER = (
    r"(?=[^.!?;\n]*\b(?:as\s+an?\s+(?:kid|child|baby|toddler|teen(?:ager)?)|when\s+i\s+was\s+(?:young|little|small|an?\s)"
    r"|growing\s+up|any\s*more|no\s+longer)\b)"
)
"""A "was" that says a state ended: the clause says when it held, or that it holds no more ("I was
allergic to eggs as a kid", "I was vegan, but not anymore")."""
NO_LONGER_BE = (
    rf"(?:{I_AM}(?:no\s+longer|not{ANYMORE})|\bi\s+(?:(?:have|'ve)\s+)?(?:stopped|quit)\s+being"
    rf"|\bi\s+used\s+to\s+be(?![^.!?\n]*\bstill\b)|\bi\s+was{_FORMER})\s+"
)
"""The speaker says a state of theirs ended: "I'm no longer", "I'm not ... anymore", "I stopped
being", "I used to be", "I was ... as a kid"."""
ZH_DAY_AHEAD = (
    r"(?:\d{1,2}\s*月\s*\d{1,2}\s*[号日]|[一二三四五六七八九十]{1,3}月(?:[一二三四五六七八九十]{1,3}[号日])?|\d{1,2}\s*[号日]"
    r"|大?后天|明天|下(?:个)?(?:周|星期|礼拜)[一二三四五六日天末]?|下个?月|明年|月底|周[一二三四五六日末])"
)
"""A day or period to come, as Chinese names it ("6月15号", "下周三", "明年十月")."""
ZH_NO_LONGER = r"(?:不再|不(?=[^，。！？]*了))"
"""Chinese says a state ended: 不再, or 不 with the 了 of a change ("我不吃素了")."""
KIN_WORDS = (
    "new",
    "current",
    "best",
    "little",
    "older",
    "younger",
    "elder",
    "big",
    "teenage",
    "adult",
    "twin",
    "grown",
    "adopted",
    "foster",
    "rescue",
)
"""Words before a relation that say which one, not another relation ("my best friend", "my new boss",
"my twin sister", "two teenage sons", "a rescue cat")."""
SAID_AS_MANY = r"s?(?:(?<=s)|(?<=ren))"
"""After a relation's word: it said as several ("my kids", "my sons", "our children"; not "my son")."""
KIN_WORD = rf"(?:{'|'.join(KIN_WORDS)}|\d{{1,2}}[- ](?:year|yr)s?[- ]old)"
"""One of :data:`KIN_WORDS`, or an age said before the relation ("my 7-year-old daughter")."""
ZH_KIN_WORDS = ("新的?", "最好的", "现任")
"""The same in Chinese (patterns): 我的新女朋友, 我最好的朋友."""
ZH_KIN_WORD = rf"(?:{'|'.join(ZH_KIN_WORDS)})?"
WHO = (
    rf"\b(?:i|(?:my|our)\s+(?:{KIN_WORD}\s+)?(?P<subject>{RELATIONS})(?:\s+(?-i:[A-Z][^\W\d_]+))?"
    r"|(?P<pronoun>she|he))"
)
"""The speaker or a relation ("I", "my brother", "my sister Ana"), or "she" or "he" for the relation
named before it in the message ("My mom is Linda and she lives in Phoenix")."""
