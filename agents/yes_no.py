"""A yes-or-no question read as the statement it asks to confirm.

"Am I allergic to cats?" asks whether "I am allergic to cats" holds; the extraction rules
read that statement as ``user.allergy = cats``, so the responder can say yes, no longer, or
not that it was told, from the stored allergies, whichever cats is among them.

Example:
    >>> asked_fact("Does my sister have asthma?")
    ('sister.condition', 'asthma')
    >>> asked_fact("我对猫过敏吗？")
    ('user.allergy', '猫')
    >>> asked_fact("Am I allergic to anything?") is None
    True
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from tiermem.memory.versions import SET_VALUED

from .extract import extract_facts

YES_NO = re.compile(r"^\s*(?:am|are|is|was|were|do|does|did|have|has)\b|吗\s*[?？]?\s*$", re.I)
"""A question answered yes or no ("Am I vegetarian?", 我对猫过敏吗？)."""

_AS_STATED = (
    (re.compile(r"^\s*am\s+i\b", re.I), "I am"),
    (re.compile(r"^\s*do\s+i\b", re.I), "I"),
    (re.compile(r"^\s*(?:is|was)\s+((?:my|our)\s+[\w-]+|(?-i:[A-Z])[\w-]+)", re.I), r"\1 is"),
    (re.compile(r"^\s*does\s+((?:my|our)\s+[\w-]+|(?-i:[A-Z])[\w-]+)\s+have\b", re.I), r"\1 has"),
    (re.compile(r"\s*吗\s*[?？]?\s*$"), ""),
)
"""How a yes-or-no question is said as the statement it asks about."""
_ANY = re.compile(r"^(?:any\s*thing|something|any|anything\s+else|things?|stuff)\b|^(?:什么|任何)", re.I)
"""Values that name nothing ("Am I allergic to anything?" asks for the allergies held)."""


def asked_fact(question: str) -> tuple[str, str] | None:
    """The key and value of an allergy or condition a yes-or-no question names ("Am I allergic
    to cats?": ``("user.allergy", "cats")``); ``None`` for other questions and for one that
    names no value ("Do I have any allergies?")."""
    if not YES_NO.search(question):
        return None
    stated = question.strip().rstrip("?？ ")
    for asked, statement in _AS_STATED:
        stated, count = asked.subn(statement, stated, count=1)
        if count:
            break
    else:
        return None
    for fact, _ in extract_facts(stated, datetime.now(UTC)):
        if fact.key.partition(".")[2] in SET_VALUED and not _ANY.match(fact.value):
            return fact.key, fact.value
    return None


def _words(value: str) -> set[str]:
    """A value's words, case and a plural "s" aside, numbers apart ("Type 2 diabetes": type, 2, diabete)."""
    return {
        word if len(word) <= 3 else word.removesuffix("s") for word in re.findall(r"\d+|[^\W\d_]+", value.casefold())
    }


def same_value(asked: str, said: str) -> bool:
    """Whether a value a question names is one the user said: the words of one are among the
    other's ("cats" and "cat", "diabetes" and "type 2 diabetes", not "type 1 diabetes"); in
    Chinese, one is part of the other (猫, 猫毛)."""
    if not asked.isascii() or not said.isascii():
        return asked in said or said in asked
    mine, theirs = _words(asked), _words(said)
    return bool(mine) and bool(theirs) and (mine <= theirs or theirs <= mine)
