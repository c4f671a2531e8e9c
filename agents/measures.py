"""Answers that compute with a measured fact: its value in the unit asked for, or its change.

"What is my weight in pounds?" with ``user.weight = 47 kg`` answers "Your weight is 47 kg
(about 103.6 lb) (as of ...)"; "How much weight have I lost?" with 50 kg told before answers
how much it changed between the two newest values ("3 kg less than the 50 kg of 2024-05-03"),
gained or lost as it was, whatever the question assumed; 我瘦了多少？ the same in Chinese.
Weights and heights only: their units are the ones people say (kg, lb, 斤, g; cm, m, ft and in);
a value in no known unit is no measure, and the fact answers as it is.

Example:
    >>> quantity("5 ft 9 in")
    Quantity(amount=175.26, dimension='length')
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from typing import NamedTuple

from .replies import is_chinese
from .retriever import RetrievedItem

_TO_BASE = {  # kilograms, centimetres
    "kg": ("weight", 1.0),
    "kgs": ("weight", 1.0),
    "kilo": ("weight", 1.0),
    "kilos": ("weight", 1.0),
    "kilogram": ("weight", 1.0),
    "kilograms": ("weight", 1.0),
    "公斤": ("weight", 1.0),
    "千克": ("weight", 1.0),
    "g": ("weight", 0.001),
    "grams": ("weight", 0.001),
    "lb": ("weight", 0.45359237),
    "lbs": ("weight", 0.45359237),
    "pound": ("weight", 0.45359237),
    "pounds": ("weight", 0.45359237),
    "磅": ("weight", 0.45359237),
    "斤": ("weight", 0.5),
    "jin": ("weight", 0.5),  # 斤 as extraction writes it ("120 jin")
    "stone": ("weight", 6.35029318),
    "stones": ("weight", 6.35029318),
    "cm": ("length", 1.0),
    "厘米": ("length", 1.0),
    "公分": ("length", 1.0),
    "m": ("length", 100.0),
    "米": ("length", 100.0),
    "metre": ("length", 100.0),
    "meter": ("length", 100.0),
    "metres": ("length", 100.0),
    "meters": ("length", 100.0),
    "ft": ("length", 30.48),
    "feet": ("length", 30.48),
    "foot": ("length", 30.48),
    "in": ("length", 2.54),
    "inch": ("length", 2.54),
    "inches": ("length", 2.54),
}
"""Each unit said, with its dimension and how much of the base unit (kg, cm) it is."""
_SHOWN = {"weight": "kg", "length": "cm"}
_PART = re.compile(r"(?P<amount>\d+(?:[.,]\d+)?)\s*(?P<unit>[a-z]+|[\u4e00-\u9fff]+)", re.I)
_ASKED_UNIT = re.compile(
    r"\bin\s+(?P<unit>pounds|lbs?|kilos|kilograms|kgs?|stones?|grams|cm|centimet(?:er|re)s|met(?:er|re)s|feet|foot|inches)\b"
    r"|多少(?P<zh>斤|磅|公斤|千克|厘米|米)",
    re.I,
)
_ASKED_UNIT_WORDS = {"centimeters": "cm", "centimetres": "cm", "kilograms": "kg", "grams": "g"}
_CHANGE = re.compile(
    r"\bhow\s+much\s+(?:weight\s+)?(?:have|did|had)\s+i\s+(?:lost|lose|gained|gain|put\s+on)\b"
    r"|\bhow\s+much\s+(?:taller|shorter|heavier|lighter)\b|我(?:一共)?(?:胖|瘦|重|轻|长高|长)了多少",
    re.I,
)
_MEASURED = frozenset({"weight", "height"})


class Quantity(NamedTuple):
    """A measure in its dimension's base unit (kilograms or centimetres)."""

    amount: float
    dimension: str


def per_base(unit: str) -> float:
    """How much of its dimension's base unit (kg, cm) one ``unit`` is (``lb``: 0.45359237)."""
    return _TO_BASE[unit.casefold()][1]


def quantity(value: str) -> Quantity | None:
    """``value`` ("47 kg", "5 ft 9 in", "90斤") as a :class:`Quantity`; ``None`` where a part of it
    is in no known unit or the parts are of different dimensions."""
    parts = list(_PART.finditer(value))
    if not parts or _PART.sub("", value).strip(" ,"):
        return None
    known = [_TO_BASE.get(part["unit"].casefold()) for part in parts]
    if any(unit is None for unit in known) or len({unit[0] for unit in known if unit}) != 1:
        return None
    total = sum(
        float(part["amount"].replace(",", ".")) * unit[1] for part, unit in zip(parts, known, strict=True) if unit
    )
    return Quantity(round(total, 2), known[0][0] if known[0] else "")


def told_unit(value: str) -> str:
    """The unit a measured ``value`` was told in, its last part's ("5 ft 9 in": ``in``, "90斤": 斤)."""
    parts = list(_PART.finditer(value))
    return parts[-1]["unit"] if parts else ""


def said_amount(amount: float, unit: str) -> str:
    """An amount with its unit, to one decimal where it has one (``103.6 lb``, ``47 kg``)."""
    return f"{round(amount, 1):g}{' ' if unit.isascii() else ''}{unit}"


def measured_answer(item: RetrievedItem, question: str, now: datetime | None = None) -> str | None:
    """The answer to a question that asks a measured fact in another unit or for its change
    (module docstring); ``None`` for any other question or a value in no known unit."""
    attribute = item.key.partition(".")[2]
    if attribute not in _MEASURED:
        return None
    current = quantity(item.value)
    if current is None:
        return None
    tz = now.tzinfo if now is not None else None
    chinese = is_chinese(question)  # the one test of a Chinese question: mostly Chinese, not one word
    if _CHANGE.search(question):
        return _change(item, current, chinese, tz)
    asked = _ASKED_UNIT.search(question)
    if asked is None:
        return None
    unit = (asked["unit"] or asked["zh"]).casefold()
    unit = _ASKED_UNIT_WORDS.get(unit, unit)
    dimension, size = _TO_BASE[unit]
    if dimension != current.dimension:
        return None
    converted = said_amount(current.amount / size, unit)
    if chinese:
        return (
            f"你的{'体重' if dimension == 'weight' else '身高'}是{item.value}，约{converted}（截至 {item.day(tz)}）。"
        )
    noun = "weight" if dimension == "weight" else "height"
    whose = "Your" if item.key.startswith("user.") else f"{item.key.partition('.')[0].title()}'s"
    return f"{whose} {noun} is {item.value} (about {converted}) (as of {item.day(tz)})."


def _change(item: RetrievedItem, current: Quantity, chinese: bool, tz: tzinfo | None) -> str:
    """How the newest value differs from the one told before it, or that none was told before."""
    day = item.day(tz)
    before = next(
        (
            (value, at, found)
            for value, at in item.dated_values()[1:]
            if (found := quantity(value)) is not None and found.dimension == current.dimension
        ),
        None,
    )
    if before is None:
        if chinese:
            return f"我只记得一个数值：{item.value}（{day}），没有更早的可以比较。"
        return f"I only know one value: {item.value} (as of {day}), nothing earlier to compare it with."
    value, at, found = before
    then = f"{at.astimezone(tz or UTC):%Y-%m-%d}"
    difference = current.amount - found.amount
    unit = _SHOWN[current.dimension]
    amount = said_amount(abs(difference), unit)
    if chinese:
        change = "没有变化" if difference == 0 else f"{'多' if difference > 0 else '少'}了{amount}"
        return f"你现在是{item.value}（{day}），比{then}的{value}{change}。"
    if difference == 0:
        return f"It is {item.value} (as of {day}), the same as the {value} of {then}."
    more = "more" if difference > 0 else "less"
    return f"It is {item.value} now (as of {day}): {amount} {more} than the {value} of {then}."


BMI_ASKED = re.compile(r"\b(?:bmi|body[\s-]+mass[\s-]+index)\b|BMI|体重指数|身体质量指数", re.I)
"""A question for the body-mass index ("What's my BMI?", 我的BMI是多少？)."""
_MINE = re.compile(r"\b(?:my|i|me|am)\b|我", re.I)
"""The speaker's own BMI is asked ("What is a healthy BMI?" asks no one's)."""
_BMI_CLASSES = ((18.5, "underweight", "偏瘦"), (25.0, "a healthy weight", "正常"), (30.0, "overweight", "超重"))
"""The WHO's adult classes, each below its bound; past the last: obesity (肥胖)."""


def bmi_answer(question: str, items: list[RetrievedItem], now: datetime | None = None) -> str | None:
    """The answer to a question for the user's BMI, from the newest weight and height held:
    kilograms over metres squared, to one decimal, with the WHO's adult class ("Your BMI is
    about 24.7, a healthy weight: 80 kg at 180 cm ..."); which of the two is not held where
    one is; ``None`` for any other question, or where neither is held in a known unit. A
    question for no one's BMI ("What is a healthy BMI?") is told the WHO's classes, and the
    user's BMI where both are held."""
    if not BMI_ASKED.search(question):
        return None
    if not _MINE.search(question):  # "What is a healthy BMI?": the classes, and the user's where both are held
        general = _HEALTHY_ZH if is_chinese(question) else _HEALTHY_EN
        own = _own_bmi(question, items, now, computed_only=True)
        return f"{general} {own}" if own else general
    return _own_bmi(question, items, now)


_HEALTHY_EN = (
    "For adults, the WHO counts a BMI of 18.5 to 24.9 as a healthy weight "
    "(under 18.5 underweight, 25 to 29.9 overweight, 30 or more obesity)."
)
_HEALTHY_ZH = "按世界卫生组织的成人标准，BMI在18.5到24.9之间为正常（低于18.5偏瘦，25到29.9超重，30及以上肥胖）。"


def _own_bmi(
    question: str, items: list[RetrievedItem], now: datetime | None, *, computed_only: bool = False
) -> str | None:
    """The user's BMI from the newest weight and height held; where one of them is not held,
    which (``None`` instead with ``computed_only``); ``None`` where neither is held."""
    held = {
        item.key: (item, found)
        for item in items
        if item.key in ("user.weight", "user.height") and (found := quantity(item.value)) is not None
    }
    weight, height = held.get("user.weight"), held.get("user.height")
    chinese = is_chinese(question)
    tz = now.tzinfo if now is not None else None
    if weight is None or height is None:
        one = weight or height
        if one is None or computed_only:
            return None
        known = one[0]
        if chinese:
            lacking = "体重" if weight is None else "身高"
            return f"你还没有告诉过我你的{lacking}，所以算不出BMI（我只知道 {known.value}，{known.day(tz)}）。"
        lacking = "weight" if weight is None else "height"
        return (
            f"You haven't told me your {lacking}, so I can't work out your BMI "
            f"(I only know {known.value}, as of {known.day(tz)})."
        )
    (weight_item, kilograms), (height_item, centimetres) = weight, height
    if kilograms.dimension != "weight" or centimetres.dimension != "length" or centimetres.amount <= 0:
        return None
    bmi = kilograms.amount / (centimetres.amount / 100) ** 2
    english, zh = next(((en, zh) for bound, en, zh in _BMI_CLASSES if bmi < bound), ("obesity", "肥胖"))
    day = max(weight_item.day(tz), height_item.day(tz))
    if chinese:
        return f"你的BMI约为{bmi:.1f}（{zh}）：体重 {weight_item.value}，身高 {height_item.value}（截至 {day}）。"
    return f"Your BMI is about {bmi:.1f}, {english}: {weight_item.value} at {height_item.value} (as of {day})."
