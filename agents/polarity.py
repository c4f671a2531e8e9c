"""Whether a question asks what one likes or what one dislikes, and which taste facts may answer it.

The embeddings the fact matcher compares questions by ignore negation ("What food do I like?"
is near the dislike's probe "What food do I not like?"), so a dislike would answer a question
about likes, and a like one about dislikes. The polarity of a question is read from its words
instead: "hate", "don't like", "can't stand", 不喜欢, 讨厌 ask against; "like", "love", "enjoy",
"favorite", 喜欢, 爱 ask for. Only the facts of tastes (likes, favourites, dislikes) have a
polarity: a dislike, and a taste that ended ("no longer skiing"), is against; a like or a
favourite held is for.

Example:
    >>> may_answer("What foods do I like?", "user.dislike", "olives")
    False
    >>> may_answer("What food don't I like?", "user.likes", "sushi")
    False
    >>> may_answer("What do I hate?", "user.dislike", "olives")
    True
"""

from __future__ import annotations

import re
from typing import Literal

from tiermem.memory.versions import ENDED

Polarity = Literal["for", "against"]

_AGAINST = re.compile(
    r"\b(?:hates?|dislikes?|detests?|can(?:'|’)?t\s+(?:\w+\s+)?stand|cannot\s+stand|least\s+favou?rite|pet\s+peeves?|avoid"
    r"|(?:don(?:'|’)?t|doesn(?:'|’)?t|didn(?:'|’)?t|not|never|no\s+longer)\s+(?:\w+\s+)?(?:like|love|enjoy|eat|drink|into|a\s+fan)"
    r"|not\s+(?:a\s+|the\s+)?(?:big\s+|huge\s+)?fan)\b"
    r"|不喜欢|讨厌|不爱|不吃|不喝|受不了|反感",
    re.IGNORECASE,
)
"""Words that ask what one dislikes: "What do I hate?", "What food don't I like?", "What am I not a
fan of?", 我不喜欢吃什么？, 我讨厌什么？."""
_FOR = re.compile(
    r"\b(?:likes?|loves?|enjoys?|adores?|favou?rites?|faves?|fav|fan|into|passionate|obsessed)\b|喜欢|爱|最爱",
    re.IGNORECASE,
)
"""Words that ask what one likes: "What do I like?", "What do I enjoy doing?", "What's my favorite
food?", 我喜欢什么？."""
_AGAINST_ATTRIBUTES = frozenset({"dislike"})
_FOR_ATTRIBUTES = frozenset({"likes"})
_FOR_PREFIX = "favorite"
"""Favourites are kept per kind (``favorite_food``, ``favorite_color``): the prefix says a taste."""


def asked_polarity(question: str) -> Polarity | None:
    """Whether ``question`` asks what one dislikes (``"against"``), what one likes (``"for"``), or
    neither (``None``: "Where do I live?")."""
    if _AGAINST.search(question):
        return "against"
    return "for" if _FOR.search(question) else None


def fact_polarity(key: str, value: str = "") -> Polarity | None:
    """A taste fact's polarity: a dislike and a taste that ended are against, a like or a favourite
    held is for; ``None`` for any other fact (a home city, an allergy)."""
    attribute = key.partition(".")[2]
    taste = attribute in _AGAINST_ATTRIBUTES or attribute in _FOR_ATTRIBUTES or attribute.startswith(_FOR_PREFIX)
    if not taste:
        return None
    return "against" if attribute in _AGAINST_ATTRIBUTES or value.casefold().startswith(ENDED) else "for"


def may_answer(question: str, key: str, value: str = "") -> bool:
    """Whether the fact ``key`` (holding ``value``) may answer ``question`` by polarity: not a
    dislike for "What do I like?", not a like for "What do I hate?"; any fact where either says
    nothing of liking."""
    asked = asked_polarity(question)
    held = fact_polarity(key, value)
    return asked is None or held is None or asked == held
