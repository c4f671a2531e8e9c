"""Questions whether one may do something, and the food one asks to eat.

"Can I eat peanuts?" names a value of the user's allergies and is answered with them; "Can I
have a Snickers?" names none, and what is in a Snickers is not something to guess: the answer
says so, and what allergies and conditions were told (:func:`~.held_replies.unknown_food`). Only a
question about eating or drinking, or taking a medicine ("Can I take amoxicillin?", "Is
ibuprofen OK for me?": :mod:`~.medicines`), qualifies: "Can I go hiking?" is the local model's,
and so are "Can I have a word?" (:data:`_NOT_FOOD`) and "Can I take a break?".

Example:
    >>> bool(MAY_I.match("Is it OK if I eat pad thai?")), asked_food("Is it OK if I eat pad thai?")
    (True, 'pad thai')
    >>> asked_food("Can I have a Snickers tonight?"), asked_food("我能吃士力架吗？")
    ('a Snickers', '士力架')
    >>> asked_food("Can I have a word with you?") is None
    True
"""

from __future__ import annotations

import re

from tiermem.memory.versions import value_items

from .medicines import taken_medicine
from .retriever import RetrievedItem
from .value_match import listed_food

HEALTH_FACTS = frozenset({"allergy", "condition", "diet_identity", "medication"})
"""Facts a "may I" question that names their value is answered with: the model would guess."""
MAY_I = re.compile(
    r"^\s*(?:can|could|should|may|am\s+i\s+allowed|would\s+it\s+be\s+(?:ok|okay|safe|fine|alright)|"
    r"is\s+it\s+(?:ok|okay|safe|fine|alright|all\s+right|a\s+good\s+idea)|"
    r"(?:is|are|would)\s+.+?\s+(?:be\s+)?(?:ok|okay|safe|fine|alright|all\s+right)\s+"
    r"(?:for\s+(?:me|us|him|her|them|my\s+[\w-]+)|to\s+(?:take|use)))\b"
    r"|我能|我可以|能不能|可以吃|[^，,。？?]{1,12}?对我(?:来说)?(?:安全|没问题|可以)吗",
    re.I,
)
"""A question whether the user may do something ("Can I eat peanuts?", 我能吃花生吗？), or whether
something is safe for them ("Is ibuprofen OK for me?", 布洛芬对我安全吗？)."""
_EATS = re.compile(
    r"\b(?P<verb>eat|drink|taste|snack\s+on|have|try|order|grab)\s+(?P<food>[^?.!]+?)"
    r"(?:\s+(?:today|tonight|now|later|tomorrow|please|for\s+(?:breakfast|lunch|dinner|dessert|a\s+snack)))*"
    r"\s*[?.!]*\s*$",
    re.I,
)
"""A food asked about after the verb that eats it ("... eat pad thai?", "... have a Snickers tonight?")."""
_OK_FOR_ME = re.compile(
    r"^\s*(?:is|are)\s+(?P<food>(?!it\b|this\b|that\b)(?:[\w'-]+\s+){0,2}?[\w'-]+(?<!ing))\s+"
    r"(?:ok|okay|safe|fine|alright|all\s+right)\s+(?:for\s+me(?:\s+to\s+(?:eat|drink|have))?|to\s+(?:eat|drink))\s*[?.!]*\s*$",
    re.I,
)
"""A food asked about as what may be had ("Is almond milk ok for me?", "Are walnuts safe for me to eat?"; not
"Is hiking ok for me?")."""
_ONLY_EATS = frozenset({"eat", "drink", "taste"})
"""The verbs whose object is always something to eat or drink; "have", "try", "order" may take others."""
_NOT_FOOD = frozenset(
    (  # noqa: SIM905 (a list of words reads better as words)
        "word words look minute minutes second moment break question chat talk go turn ride nap rest shower bath "
        "seat day time fun hug kiss party pet dog cat puppy kitten baby child kids job raise refund again to it "
        "that one idea"
    ).split()
)
"""Words after "have", "try", "order" that name something else than food ("have a word", "try again")."""
_DETERMINER = re.compile(r"^(?:(?:a|an|the|some|any|this|that|these|those|my|another|one|more)\s+)+", re.I)
_ZH_EATS = re.compile(r"(?:吃|喝|尝)(?:一?[点口些块个杯份碗])?(?P<food>[^吗呢？?。！!，,]+)")


_FILLER = re.compile(r"(?:\s+(?:lol|lmao|haha+|tbh|pls|plz|rn|though|then))+(?=\s*[?.!]*\s*$)|[^\w\s?.!,'&-]+", re.I)
"""Words and emoji that end a question but name no food ("can i grab a reeses pb cup lol 🙈")."""
_SOME = re.compile(r"^(?:(?:some|any|more)\s+)+", re.I)
"""Determiners a food is not said with in an answer ("Can I try some sushi?": sushi)."""


def bare_foods(food: str) -> list[str]:
    """The foods (or medicines) asked, each without its determiners ("some shrimp", "a Snickers":
    shrimp, Snickers; "Advil and Tylenol": Advil, Tylenol), to compare with the values told."""
    return [_DETERMINER.sub("", part) for part in value_items(food)]


def asked_food(question: str) -> str | None:
    """The food or drink a question whether one may have it names ("a Snickers", 士力架), as said;
    ``None`` where it asks about something else ("Can I go hiking?", "Can I have a word?"). A
    medicine is one too, taken or used ("Can I take some Advil?": Advil, :func:`~.medicines.taken_medicine`)."""
    medicine = taken_medicine(question)
    if medicine is not None:
        return medicine
    chinese = _ZH_EATS.search(question)
    if chinese:
        return chinese["food"].strip()
    ok = _OK_FOR_ME.match(question)
    eats = _EATS.search(_FILLER.sub("", question))
    if ok is not None and listed_food(_DETERMINER.sub("", ok["food"])):  # not "Is the gym ok for me?"
        return ok["food"]
    if eats is None:
        return None
    food = _SOME.sub("", eats["food"].strip())
    head = _DETERMINER.sub("", food).split()
    if eats["verb"].casefold() not in _ONLY_EATS and (not head or head[0].casefold() in _NOT_FOOD):
        return None
    return food


TOLD_FOR_FOOD = frozenset({"allergy", "condition"})
"""Facts told for a food a "may I" question names that no fact holds ("Can I have a Snickers?")."""


def holds_for_food(item: RetrievedItem) -> bool:
    """Whether ``item`` is an allergy or a condition (told for a food no fact names, held or ended:
    "Can I have a Snickers?" with peanuts outgrown is told so, not left to the model to guess)."""
    return item.key.partition(".")[2] in TOLD_FOR_FOOD
