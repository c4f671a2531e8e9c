"""What a relation's own fact (``user.boss = Priya``, their name) answers of them: who they are,
their name, whether the user has one; never another thing of theirs ("Does my boss have a pet?",
"Who is Max's coach?" with ``user.son = Max``), which a memory that names them may say."""

from __future__ import annotations

import re
from collections.abc import Set

from tiermem.memory.records import RELATIONS_ZH

from .relation_slugs import relation
from .retriever import RetrievedItem


def _of_their_relation(question: str, fact: RetrievedItem) -> bool:
    """Whether ``fact`` names a relation whom ``question`` asks about another of, or another
    thing of than their name ("Who is my brother's wife?", "What's Mike's wife's name?" with
    ``user.brother = Mike``, "Who is Max's coach?" with ``user.son = Max``): the name of the
    brother or the son answers none of them."""
    subject, _, slug = fact.key.partition(".")
    if subject != "user" or slug not in RELATIONS_ZH:
        return False
    return any(
        relation(owner) == slug or owner.casefold() == fact.value.casefold()
        for owner, said in _OWNED.findall(question)
        if relation(said) != slug and said.casefold() not in _NAME_WORDS
    )


_NAME_WORDS = frozenset({"name", "names", "nickname", "nicknames"})
"""What a relation's fact holds of them, asked by a possessive ("What's my son's name?")."""
_ASKS_WHO = re.compile(
    r"\bwho\b|\b(?:nick)?names?d?\b|\bcalled\b|\b(?:do|did)\s+i\s+have\b|\bhave\s+i\s+got\b|谁|名字|叫|有没有|有.{0,6}吗",
    re.I,
)
"""A question for who a relation is, their name, or whether the user has one: all that a
relation's own fact (``user.boss = Priya``) answers of them."""


def asks_other_than_who(question: str, fact: RetrievedItem, asked: Set[str]) -> bool:
    """Whether ``fact`` names a relation ``question`` asks something else of than who they are
    ("Does my boss have a pet?", "Does Priya have a cat?" with ``user.boss = Priya``): their
    name answers neither, a memory that names them may."""
    subject, _, slug = fact.key.partition(".")
    return subject == "user" and slug in RELATIONS_ZH and slug in asked and _ASKS_WHO.search(question) is None


_OWNED = re.compile(r"\b([^\W\d_]+)['’]s\s+(?:(?:best|new|old|older|younger|little|big|ex)[\s-]+)?([^\W\d_]+)\b")
"""A word and what it owns ("brother's wife", "Mike's wife", "Lily's best friend")."""


def name_answers_not(question: str, fact: RetrievedItem, asked: Set[str]) -> bool:
    """Whether ``fact`` is a relation's name that does not answer ``question``, which asks of them
    (``asked``: whom it asks about) something else than who they are."""
    return _of_their_relation(question, fact) or asks_other_than_who(question, fact, asked)
