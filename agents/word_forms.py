"""Words matched in either number: "horror movie" names "horror movies", "tomatoes" names "tomato"."""

from __future__ import annotations

import re


def named_in(value: str, text: str) -> bool:
    """Whether ``text`` names ``value``, its last word in the singular or the plural ("Should we
    watch a horror movie?" names "horror movies"; "Is a tomato ok?" names "tomatoes")."""
    return re.search(rf"\b{_either_number(value.strip())}\b", text, re.I) is not None


def _either_number(words: str) -> str:
    """A pattern of ``words`` with the last in the singular or the plural (English endings)."""
    for plural, cut, endings in _PLURALS:
        if re.search(plural, words, re.I):
            return re.escape(words[: len(words) - cut]) + endings
    return re.escape(words) + "(?:e?s)?"


_PLURALS = (
    (r"\w{2}ies$", 3, "(?:y|ies?)"),  # berries, movies
    (r"\w{2}y$", 1, "(?:y|ies)"),  # berry
    (r"\w(?:ss|x|z|ch|sh|o)es$", 2, "(?:es)?"),  # tomatoes, boxes
    (r"\w{2}[^s\W]s$", 1, "(?:e?s)?"),  # cats, peanuts
)
