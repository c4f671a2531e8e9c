"""A yes-or-no question read as the statement it asks to confirm.

"Am I allergic to cats?" asks whether "I am allergic to cats" holds; the extraction rules
read that statement as ``user.allergy = cats``, so the responder can say yes, no longer, or
not that it was told, from the stored allergies, whichever cats is among them. A condition
asked by its adjective ("Am I asthmatic?", "Is my sister epileptic?") is asked as the condition
(:data:`CONDITION_ADJECTIVES`: "Do I have asthma?").

Example:
    >>> asked_fact("Does my sister have asthma?")
    ('sister.condition', 'asthma')
    >>> asked_fact("我对猫过敏吗？")
    ('user.allergy', '猫')
    >>> asked_fact("Is my dad diabetic?")
    ('father.condition', 'diabetes')
    >>> asked_fact("Am I allergic to anything?") is None
    True
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from tiermem.memory.versions import SET_VALUED

from .extract import extract_facts
from .fact_values import relation
from .fact_words import CONDITION_ADJECTIVES

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
_FILLER = re.compile(r"(?:\s+(?:at\s+all|or\s+not|any\s*more|though|really|lol|tbh))+\s*$", re.I)
"""Words after a value asked that are no part of it ("Am I allergic to nuts at all?")."""
_ANY = re.compile(r"^(?:any\s*thing|something|any|anything\s+else|things?|stuff)\b|^(?:什么|任何)", re.I)
"""Values that name nothing ("Am I allergic to anything?" asks for the allergies held)."""
_ADJECTIVE = re.compile(
    r"^\s*(?:am\s+i|(?:is|was)\s+(?:(?:my|our)\s+(?P<relation>[\w-]+)|(?P<name>(?-i:[A-Z])[\w-]+)))\s+"
    r"(?:(?:still|also|really|actually)\s+)?(?:an?\s+)?(?P<type>type\s+(?:1|2|one|two)\s+)?"
    rf"(?P<adjective>{'|'.join(sorted(map(re.escape, CONDITION_ADJECTIVES), key=len, reverse=True))})(?![\w-])",
    re.I,
)
"""A yes-or-no question whether someone is what a condition makes them ("Is my sister epileptic?")."""


def asked_fact(question: str) -> tuple[str, str] | None:
    """The key and value of an allergy or condition a yes-or-no question names ("Am I allergic
    to cats?": ``("user.allergy", "cats")``); ``None`` for other questions and for one that
    names no value ("Do I have any allergies?")."""
    if not YES_NO.search(question):
        return None
    described = _ADJECTIVE.match(question)
    if described:  # "Am I asthmatic?" asks "Do I have asthma?"
        subject = relation(described["relation"]) if described["relation"] else (described["name"] or "user")
        condition = CONDITION_ADJECTIVES[described["adjective"].casefold()]
        return f"{subject.casefold()}.condition", f"{described['type'] or ''}{condition}".casefold()
    stated = _as_stated(question)
    return said_fact(stated) if stated is not None else None


def _as_stated(question: str) -> str | None:
    """A yes-or-no question said as the statement it asks about ("Am I a doctor?": "I am a
    doctor"); ``None`` for a question in no form it knows."""
    stated = question.strip().rstrip("?？ ")
    for asked, statement in _AS_STATED:
        stated, count = asked.subn(statement, stated, count=1)
        if count:
            return stated
    return None


def stated_value(question: str) -> tuple[str, str] | None:
    """The key and value a yes-or-no question names of a fact that holds one value at a time
    ("Am I a doctor?": ``("user.occupation", "doctor")``); ``None`` for any other question."""
    stated = _as_stated(question) if YES_NO.search(question) else None
    for fact, _ in extract_facts(stated, datetime.now(UTC)) if stated else []:
        attribute = fact.key.partition(".")[2]
        if attribute not in SET_VALUED and not attribute.startswith("plan_") and fact.value:
            return fact.key, _FILLER.sub("", fact.value)
    return None


_NAMED = re.compile(r"^[A-Z][a-zà-ÿ]+(?=\s|[\u4e00-\u9fff])")
"""A statement's subject said by name ("Emma is allergic to cats", Emma对猫过敏)."""
_NOT_NAMES = frozenset({"My", "Our", "The", "He", "She", "They", "It", "We", "You", "This", "That", "There"})


def said_fact(statement: str) -> tuple[str, str] | None:
    """The key and value of the allergy or condition a statement says ("My sister has asthma":
    ``("sister.condition", "asthma")``). The extraction stores no facts of a person named who is
    no relation, so "Emma is allergic to cats" is read as a relation's statement and said as
    Emma's: ``("emma.allergy", "cats")``."""
    named = _NAMED.match(statement)
    name = named.group() if named is not None and named.group() not in _NOT_NAMES else None
    if name is not None:
        stand_in = "My friend" if statement[len(name)].isspace() else "我朋友"
        statement = stand_in + statement[len(name) :]
    for fact, _ in extract_facts(statement, datetime.now(UTC)):
        subject, _, attribute = fact.key.partition(".")
        value = _FILLER.sub("", fact.value)
        if attribute in SET_VALUED and value and not _ANY.match(value):
            return f"{name.casefold()}.{attribute}" if name and subject == "friend" else fact.key, value
    return None


def _words(value: str) -> set[str]:
    """A value's words, case and a plural "s" aside, numbers apart, a condition's adjective said as
    the condition ("Type 2 diabetes" and "type 2 diabetic": type, 2, diabete)."""
    found = re.findall(r"\d+|[^\W\d_]+", value.casefold())
    said = " ".join(CONDITION_ADJECTIVES.get(word, word) for word in found).split()
    return {word if len(word) <= 3 else word.removesuffix("s") for word in said}


def same_words(one: str, other: str) -> bool:
    """Whether two values are said in the same words, case and a plural "s" aside ("Walnut" and
    "walnuts", not "walnuts" and "black walnuts"); in Chinese, the same characters."""
    if not one.isascii() or not other.isascii():
        return one == other
    return _words(one) == _words(other)


def same_value(asked: str, said: str) -> bool:
    """Whether a value a question names is one the user said: the words of one are among the
    other's ("cats" and "cat", "diabetes" and "type 2 diabetes", not "type 1 diabetes"); in
    Chinese, one is part of the other (猫, 猫毛)."""
    if not asked.isascii() or not said.isascii():
        return asked in said or said in asked
    mine, theirs = _words(asked), _words(said)
    return bool(mine) and bool(theirs) and (mine <= theirs or theirs <= mine)


def narrows(asked: str, said: str) -> bool:
    """Whether a value a question names says more than the one the user said ("type 1 diabetes"
    asked, "diabetes" said; "cat hair", "cats"): a yes would confirm what was never said."""
    return asked.isascii() and said.isascii() and _words(said) < _words(asked)
