"""How a like or a dislike is said: with its verb ("You like sushi and ramen", "Your son dislikes
olives"), not as a noun ("Your dislike is olives").

Example:
    >>> taste_said("user", "likes", "sushi and ramen, hiking")
    'You like sushi, ramen and hiking'
    >>> taste_said("son", "dislike", "no longer olives")
    'Your son no longer dislikes olives'
"""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING

from tiermem.memory.records import RELATIONS_ZH
from tiermem.memory.versions import ENDED, value_items

from .answer import Answer
from .fact_names import sentence_start, who, zh_who
from .yes_no import asked_fact, same_value

if TYPE_CHECKING:
    from .retriever import RetrievedItem

TASTES = {"likes": ("like", "likes"), "dislike": ("dislike", "dislikes")}
"""Attributes said by a verb, not a noun, and the verb with "you" and with anyone else."""


def listed(values: list[str]) -> str:
    """Values said as an English list: "eggs", "eggs and milk", "eggs, milk and peanuts"."""
    return " and ".join([", ".join(values[:-1]), values[-1]] if len(values) > 2 else values)


def zh_listed(values: list[str]) -> str:
    """Values said as a Chinese list: "鸡蛋", "鸡蛋和牛奶", "鸡蛋、牛奶和花生"."""
    return "和".join(["、".join(values[:-1]), values[-1]] if len(values) > 2 else values)


def taste_said(subject: str, attribute: str, value: str) -> str:
    """A like or a dislike of ``subject`` (``user``, a relation, a name) said with its verb; a value
    that ended with "no longer"."""
    said = _taste(subject, attribute, value)
    return sentence_start(said)


def _taste(subject: str, attribute: str, value: str) -> str:
    """:func:`taste_said` within a sentence: "you like sushi", "your son dislikes olives"."""
    verb = TASTES[attribute][subject != "user"]
    ended = value.casefold().startswith(ENDED)
    values = [part[len(ENDED) :] if ended else part for part in value_items(value)]
    return f"{who(subject)} {'no longer ' if ended else ''}{verb} {listed(values)}"


_OPPOSITE = {"likes": "dislike", "dislike": "likes"}
_VERB_ZH = {"likes": "喜欢", "dislike": "不喜欢"}


def opposite_taste(
    question: str, items: list[RetrievedItem], tz: tzinfo | None = None, *, chinese: bool = False
) -> Answer | None:
    """A no for a yes-or-no question about a taste whose value the opposite taste holds: "Do I like
    olives?" with olives disliked, "No, you dislike olives (as of ...)"; "Do I hate sushi?" with
    sushi liked, 我喜欢橄榄吗？ with 橄榄 disliked (``chinese``: answered in Chinese). ``None`` for any
    other question, and where no taste held names the value (the like or dislike asked answers, or
    that it was never told)."""
    asked = asked_fact(question)
    if asked is None:
        return None
    subject, _, attribute = asked[0].partition(".")
    if attribute not in _OPPOSITE:
        return None
    other = _OPPOSITE[attribute]
    for item in items:
        if item.key != f"{subject}.{other}" or item.value.casefold().startswith(ENDED):
            continue
        named = [value for value in value_items(item.value) if same_value(asked[1], value)]
        if not named:
            continue
        day = item.day(tz)
        if chinese:
            text = f"不，{zh_who(subject)}{_VERB_ZH[other]}{'、'.join(named)}（截至 {day}）。"
        else:
            text = f"No, {_taste(subject, other, ', '.join(named))} (as of {day})."
        return Answer(
            text=text,
            mode="fact",
            reason=f"the question asks whether {asked[0]} holds {asked[1]}, and {item.key} holds it",
            cited=[item.id],
        )
    return None


def without_opposed(fact: RetrievedItem, items: list[RetrievedItem]) -> RetrievedItem | None:
    """A like or dislike held, without the values that a newer fact of the opposite taste holds ("I
    love coffee", later "I don't drink coffee anymore": coffee is no like now); ``fact`` itself
    where none is, or it is no taste; ``None`` where every value is."""
    subject, _, attribute = fact.key.partition(".")
    if attribute not in _OPPOSITE:
        return fact
    opposed = [
        value
        for item in items
        if item.key == f"{subject}.{_OPPOSITE[attribute]}" and item.created_at > fact.created_at
        for value in value_items(item.value)
        if not value.startswith(ENDED)
    ]
    held = [value for value in value_items(fact.value) if not any(same_value(value, other) for other in opposed)]
    if len(held) == len(value_items(fact.value)):
        return fact
    return fact.model_copy(update={"value": listed(held)}) if held else None


_TASTES_ZH = {"likes": "喜欢什么", "dislike": "不喜欢什么"}
"""A taste asked in Chinese: 你喜欢什么, 你姐姐不喜欢什么."""


def not_told_taste(subject: str, attribute: str, *, chinese: bool = False) -> str:
    """What no memory says of a taste, as "You haven't told me ..." (你还没有告诉过我) goes on: "what
    you like", "what your sister dislikes", 你喜欢什么."""
    if chinese:
        return f"你{RELATIONS_ZH.get(subject, subject) if subject != 'user' else ''}{_TASTES_ZH[attribute]}"
    return f"what {who(subject)} {TASTES[attribute][subject != 'user']}"
