"""Turn a message into typed facts: ``"今天称重45kg"`` -> ``user.weight = 45 kg``.

Extraction is table-driven: each :class:`Pattern` is a regular expression with
named groups, the attribute it fills and the tier its facts belong to
(measurements of changing values are mid-term; identity is long-term).
English and Chinese patterns live side by side. Relative day words
("today", "yesterday", "昨天") move ``observed_at`` off the message time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from tiermem.memory.records import Fact, Tier

_NUM = r"(?P<num>\d+(?:[.,]\d+)?)"
_WEIGHT_UNIT = r"\s*(?P<unit>kg|kgs|kilos?|kilograms?|lbs?|pounds?|公斤|千克|斤)"


def _unit(unit: str) -> str:
    unit = unit.lower()
    for canonical, spellings in {
        "kg": ("kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "公斤", "千克"),
        "lb": ("lb", "lbs", "pound", "pounds"),
        "jin": ("斤",),
        "h": ("hour", "hours", "hrs", "hr", "h", "小时", "个小时"),
        "cm": ("cm", "厘米", "公分"),
    }.items():
        if unit in spellings:
            return canonical
    return unit


def _measure(match: re.Match[str]) -> str:
    return f"{match['num'].replace(',', '.')} {_unit(match['unit'])}"


def _phrase(match: re.Match[str]) -> str:
    return re.sub(r"\s+", " ", match["value"]).strip(" .,!?;:。，！？；")


@dataclass(frozen=True, slots=True)
class Pattern:
    """One extraction rule."""

    regex: re.Pattern[str]
    attribute: str
    tier: Tier
    value: Callable[[re.Match[str]], str] = _phrase
    """Builds the fact value from the match."""


def _p(pattern: str, attribute: str, tier: Tier, value: Callable[[re.Match[str]], str] = _phrase) -> Pattern:
    return Pattern(re.compile(pattern, re.IGNORECASE), attribute, tier, value)


_VALUE = r"(?P<value>[^.,!?;\n。，！？；]{2,60})"
_ZH_VALUE = r"(?P<value>[^，。！？；,.!?;\s]{1,20})"

MEASUREMENTS = frozenset({"weight", "sleep", "blood_pressure", "run_distance"})
"""Attributes whose facts are measurements of a changing value: mid-term by definition."""

PATTERNS: tuple[Pattern, ...] = (
    # measurements of changing values: mid-term, each a new version
    _p(
        rf"\b(?:i\s+)?(?:weighed|weigh|weighing|weight\s+(?:is|was|of)|weight:?)\s*(?:in\s+at\s+)?(?:about\s+|around\s+)?{_NUM}{_WEIGHT_UNIT}\b",
        "weight",
        "mid",
        _measure,
    ),
    _p(rf"(?:称重|体重|重了|重)\s*(?:是|为|有|:|：)?\s*{_NUM}{_WEIGHT_UNIT}", "weight", "mid", _measure),
    _p(
        rf"\b(?:slept|sleep(?:ing)?)\s+(?:for\s+)?(?:only\s+|about\s+)?{_NUM}\s*(?P<unit>hours?|hrs?|h)\b",
        "sleep",
        "mid",
        _measure,
    ),
    _p(rf"睡了\s*{_NUM}\s*(?P<unit>个小时|小时)", "sleep", "mid", _measure),
    _p(r"\bblood\s+pressure\s+(?:is\s+|was\s+|of\s+)?(?P<value>\d{2,3}\s*/\s*\d{2,3})", "blood_pressure", "mid"),
    _p(r"血压\s*(?:是|为)?\s*(?P<value>\d{2,3}\s*/\s*\d{2,3})", "blood_pressure", "mid"),
    _p(rf"\b(?:i\s+ran|ran|running)\s+{_NUM}\s*(?P<unit>km|kilometers?|miles?)\b", "run_distance", "mid", _measure),
    _p(
        r"\b(?:i\s+have|i've\s+got|i\s+got)\s+(?:an?\s+|my\s+)?(?P<what>exam|appointment|interview|meeting|flight|surgery|deadline)\s+(?P<value>(?:on|at|in|next|this|tomorrow)[^.,!?;\n]{0,40})",
        "plan",
        "mid",
    ),
    # 面试官 / 考试官: the interviewer, the examiner, not an interview
    _p(r"(?P<value>[^，。！？；,.!?;]{0,12}(?:考试|面试|预约|复诊|手术|航班))(?!官)", "plan", "mid"),
    _p(
        rf"\bi(?:'m|\s+am)\s+(?:currently\s+)?(?:on|taking)\s+(?:a\s+)?{_VALUE}\s+(?:diet|medication|pills?|antibiotics)",
        "regimen",
        "mid",
    ),
    # identity, relationships, lasting preferences: long-term
    _p(r"\bmy\s+name\s+is\s+(?P<value>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?)", "name", "long"),
    _p(r"(?:我叫|我的名字是)\s*(?P<value>[^\s，。！？,.!?]{1,10})", "name", "long"),
    _p(rf"\bi(?:'m|\s+am)\s+allergic\s+to\s+{_VALUE}", "allergy", "long"),
    _p(r"我对\s*(?P<value>[^\s，。！？,.!?]{1,12}?)\s*过敏", "allergy", "long"),
    _p(rf"\bi\s+(?:live|have\s+lived|am\s+living)\s+in\s+{_VALUE}", "lives_in", "long"),
    _p(rf"\bi\s+(?:just\s+)?moved\s+to\s+{_VALUE}", "lives_in", "long"),
    _p(rf"我(?:住在|搬到了?|家在)\s*{_ZH_VALUE}", "lives_in", "long"),
    _p(rf"\bmy\s+birthday\s+is\s+(?:on\s+)?{_VALUE}", "birthday", "long"),
    _p(rf"我的生日是\s*{_ZH_VALUE}", "birthday", "long"),
    _p(rf"\bmy\s+native\s+language\s+is\s+{_VALUE}", "native_language", "long"),
    _p(rf"我的母语是\s*{_ZH_VALUE}", "native_language", "long"),
    _p(rf"\bi\s+work\s+as\s+(?:an?\s+)?{_VALUE}", "occupation", "long"),
    _p(rf"我(?:是一名|是一个|的工作是)\s*{_ZH_VALUE}", "occupation", "long"),
    _p(rf"\bmy\s+favou?rite\s+(?P<what>[a-z]+(?:\s+[a-z]+)?)\s+is\s+{_VALUE}", "favorite", "long"),
    _p(
        r"\bi(?:'m|\s+am)\s+(?:a\s+)?(?P<value>vegetarian|vegan|pescatarian|lactose intolerant|diabetic|left-handed)\b",
        "diet_identity",
        "long",
    ),
    _p(r"我(?:是|吃)(?P<value>素食者|素食|纯素)", "diet_identity", "long"),
    _p(
        rf"\bmy\s+(?P<what>wife|husband|partner|son|daughter|mother|mom|father|dad|sister|brother|dog|cat)(?:'s\s+name)?\s+is\s+(?:called\s+|named\s+)?{_VALUE}",
        "relation",
        "long",
    ),
    _p(
        rf"我(?:的)?(?P<what>妻子|老婆|丈夫|老公|儿子|女儿|妈妈|爸爸|姐姐|妹妹|哥哥|弟弟|狗|猫)叫\s*{_ZH_VALUE}",
        "relation",
        "long",
    ),
)

_RELATIVE_DAYS = (
    (re.compile(r"\b(?:the\s+day\s+before\s+yesterday)\b|前天", re.I), 2),
    (re.compile(r"\byesterday\b|\blast\s+night\b|昨天|昨晚", re.I), 1),
)


def observed_time(text: str, now: datetime) -> datetime:
    """When the message's facts were true: ``now`` moved back by relative day words."""
    for pattern, days in _RELATIVE_DAYS:
        if pattern.search(text):
            return now - timedelta(days=days)
    return now


_ZH_RELATION = {
    "妻子": "wife",
    "老婆": "wife",
    "丈夫": "husband",
    "老公": "husband",
    "儿子": "son",
    "女儿": "daughter",
    "妈妈": "mother",
    "爸爸": "father",
    "姐姐": "sister",
    "妹妹": "sister",
    "哥哥": "brother",
    "弟弟": "brother",
    "狗": "dog",
    "猫": "cat",
}
"""Chinese relation words as attribute slugs (attributes are ASCII snake case)."""


def _attribute(pattern: Pattern, match: re.Match[str]) -> str:
    what = match.groupdict().get("what")
    what = _ZH_RELATION.get(what, what) if what else what
    if what and pattern.attribute in {"favorite", "relation", "plan"}:
        return f"{pattern.attribute}_{what}" if pattern.attribute != "relation" else what
    return pattern.attribute


_SENTENCE = re.compile(r"[^.!?。！？\n]+[.!?。！？]*")
_QUESTION_END = re.compile(r"[?？]\s*$")
_INTERROGATIVE = re.compile(
    r"(?:什么|哪里|哪儿|哪个|哪|谁|多少|几|怎么|为什么|吗|呢)|\b(?:what|where|which|who|whom|how|why|when)\b",
    re.IGNORECASE,
)


def stated_sentences(text: str) -> list[str]:
    """The sentences of ``text`` that state something (questions are dropped)."""
    return [s for s in (m.group().strip() for m in _SENTENCE.finditer(text)) if s and not _QUESTION_END.search(s)]


def extract_facts(text: str, now: datetime, *, subject: str = "user") -> list[tuple[Fact, Tier]]:
    """Facts stated in ``text``, each with the tier it belongs to.

    Questions state nothing: "我对什么过敏？" yields no ``allergy = 什么``, and a
    value that is itself a question word is never taken.

    Example:
        >>> [(f.key, f.value, t) for f, t in extract_facts("今天称重45kg", datetime(2024, 5, 3))]
        [('user.weight', '45 kg', 'mid')]
    """
    when = observed_time(text, now)
    found: dict[str, tuple[Fact, Tier]] = {}
    statements = " ".join(stated_sentences(text))
    for pattern in PATTERNS:
        for match in pattern.regex.finditer(statements):
            attribute = _attribute(pattern, match)
            value = pattern.value(match)
            if not value or attribute in found or _INTERROGATIVE.fullmatch(value):
                continue
            fact = Fact(subject=subject, attribute=attribute, value=value, observed_at=when, statement=text)
            found[attribute] = (fact, pattern.tier)
    return list(found.values())
