"""How a like or a dislike is said: with its verb ("You like sushi and ramen", "Your son dislikes
olives"), not as a noun ("Your dislike is olives").

Example:
    >>> taste_said("user", "likes", "sushi and ramen, hiking")
    'You like sushi, ramen and hiking'
    >>> taste_said("son", "dislike", "no longer olives")
    'Your son no longer dislikes olives'
"""

from __future__ import annotations

from tiermem.memory.records import RELATIONS_ZH
from tiermem.memory.versions import ENDED, value_items

from .fact_names import who

TASTES = {"likes": ("like", "likes"), "dislike": ("dislike", "dislikes")}
"""Attributes said by a verb, not a noun, and the verb with "you" and with anyone else."""


def listed(values: list[str]) -> str:
    """Values said as an English list: "eggs", "eggs and milk", "eggs, milk and peanuts"."""
    return " and ".join([", ".join(values[:-1]), values[-1]] if len(values) > 2 else values)


def taste_said(subject: str, attribute: str, value: str) -> str:
    """A like or a dislike of ``subject`` (``user``, a relation, a name) said with its verb; a value
    that ended with "no longer"."""
    verb = TASTES[attribute][subject != "user"]
    ended = value.casefold().startswith(ENDED)
    values = [part[len(ENDED) :] if ended else part for part in value_items(value)]
    said = f"{who(subject)} {'no longer ' if ended else ''}{verb} {listed(values)}"
    return said[:1].upper() + said[1:]


_TASTES_ZH = {"likes": "喜欢什么", "dislike": "不喜欢什么"}
"""A taste asked in Chinese: 你喜欢什么, 你姐姐不喜欢什么."""


def not_told_taste(subject: str, attribute: str, *, chinese: bool = False) -> str:
    """What no memory says of a taste, as "You haven't told me ..." (你还没有告诉过我) goes on: "what
    you like", "what your sister dislikes", 你喜欢什么."""
    if chinese:
        return f"你{RELATIONS_ZH.get(subject, subject) if subject != 'user' else ''}{_TASTES_ZH[attribute]}"
    return f"what {who(subject)} {TASTES[attribute][subject != 'user']}"
