"""A caution added to the local model's answer where it offers what the user is allergic to.

The local model, asked for a snack, does not read the allergy in its context: "peanut butter cups"
with peanuts held, "almond cookies" with nuts held are answered with a caution.
"""

from __future__ import annotations

import re

from tiermem.memory.versions import ENDED, value_items

from .retriever import RetrievedItem
from .value_match import allergens_in

_SENTENCES = re.compile(r"(?<=[.!?])\s+")
_ALLERGY_SAID = re.compile(r"allerg", re.I)


def allergy_caution(answer: str, items: list[RetrievedItem]) -> str:
    """A caution to add to the model's answer where it names something the user told they are
    allergic to, or a member of that allergen's group ("peanut butter cups" with peanuts held,
    "almond cookies" with nuts held); empty otherwise. The local model, asked for a snack, does
    not read the allergy in its context. A sentence that speaks of the allergy itself ("They are
    allergic to bees.") offers nothing and is no reason for one."""
    held = [
        value
        for item in items
        if item.key == "user.allergy"
        for value in value_items(item.value)
        if not value.startswith(ENDED)
    ]
    offered = [sentence for sentence in _SENTENCES.split(answer) if not _ALLERGY_SAID.search(sentence)]
    named = [
        value
        for value in held
        if any(_mentions(sentence, word) for sentence in offered for word in [value, *allergens_in(value)])
    ]
    if not named:
        return ""
    return f" (Careful: you told me you are allergic to {' and '.join(named)}.)"


def _mentions(text: str, word: str) -> bool:
    """Whether ``text`` names ``word``, a plural "s" aside ("peanut" names peanuts)."""
    stem = word.casefold().removesuffix("s")
    return re.search(rf"\b{re.escape(stem)}(?:s|es)?\b", text, re.I) is not None
