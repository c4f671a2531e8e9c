"""Questions about the user's children, where more than one child relation is held or where they
are counted.

"My son Jake goes to Lincoln Elementary" and "My daughter Emma is 7" store ``user.son``,
``son.school``, ``user.daughter`` and ``daughter.age``. "How old is my kid?" with one of them held
is that one's question (:func:`~.asked.as_held_child`); with both, :func:`children_answer` asks it
of each ("How old is my son?", "How old is my daughter?") and tells what is held and what is not.
"What are my kids' names?" is told as one list ("Jake (son) and Emma (daughter)"), and "How many
kids do I have?" / "Do I have kids?" / 我有几个孩子？ count what is held (children told together,
"Max and Lily", alone are told as the fact that holds them). Where no child is held, no answer is
given here: the responder says it was not told.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

from tiermem.memory.records import RELATIONS_ZH
from tiermem.memory.versions import ENDED

from .answer import Answer
from .asked import CHILDREN, as_child, asks_of_children, held_children, referent
from .replies import fact_answer, is_chinese, not_told_attribute, zh_key
from .retriever import RetrievedItem
from .statements import is_question

if TYPE_CHECKING:
    from .fact_match import FactMatcher

_COUNTED = re.compile(
    r"\bhow\s+many\s+(?:kids|children|little\s+ones)\s+(?:(?:do|did)\s+(?:i|we)\s+have|have\s+(?:i|we)\s+got)\b"
    r"|\b(?:(?:do|did)\s+(?:i|we)\s+(?:still\s+)?have|have\s+(?:i|we)\s+got)\s+(?:any\s+|a\s+)?(?:kids?|child(?:ren)?)\b"
    r"|我(?:们)?(?:家)?有(?:几个|多少个?|没有)?(?:孩子|小孩|儿女|子女)",
    re.I,
)
"""A question that counts the user's children, or asks whether they have any ("How many kids do I
have?", "Do I have children?", "Have I got kids?", 我有几个孩子？, 我有没有孩子？)."""
_NAMES = re.compile(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*|和|、")


def _named(items: list[RetrievedItem]) -> list[tuple[str, str]]:
    """Each child named by ``user.<child>`` facts among ``items``, with the relation that names them
    (``("Jake", "son")``; children told together have ``children``); a name told twice, once."""
    named: dict[str, tuple[str, str]] = {}
    for slug in CHILDREN:
        for item in items:
            if item.key == f"user.{slug}" and not item.value.startswith(ENDED):
                for name in _NAMES.split(item.value):
                    named.setdefault(name.strip().casefold(), (name.strip(), slug))
    return [pair for pair in named.values() if pair[0]]


def _listed(children: list[tuple[str, str]], chinese: bool) -> str:
    """The children as a list that says which is which: "Jake (son) and Emma (daughter)"."""
    if chinese:
        return "和".join(name + (f"（{RELATIONS_ZH[slug]}）" if slug != "children" else "") for name, slug in children)
    said = [name + (f" ({slug})" if slug != "children" else "") for name, slug in children]
    return " and ".join([", ".join(said[:-1]), said[-1]] if len(said) > 2 else said)


def _counted(question: str, items: list[RetrievedItem], held: tuple[str, ...]) -> str:
    """How many children the user told of, and who they are: each one named, and each relation
    held that names none ("your daughter" after "My daughter is 7") as one."""
    children = _named(items)
    children += [(f"your {slug}", slug) for slug in held if slug not in {slug for _, slug in children}]
    chinese = is_chinese(question)
    if chinese:
        return f"你告诉过我你有{len(children)}个孩子：{_listed(children, chinese)}。"
    many = "one child" if len(children) == 1 else f"{len(children)} children"
    return f"You've told me about {many}: {_listed(children, chinese)}."


def _each_child(
    question: str, items: list[RetrievedItem], held: tuple[str, ...], matcher: FactMatcher
) -> tuple[list[RetrievedItem], list[str]]:
    """The facts that answer ``question`` asked of each child relation ``held`` ("How old is my
    son?", of his facts and the memories that are no fact), and the keys of those asked that none
    holds (``son.age``); children told together ("Max and Lily") are no one child: never not told."""
    said = [item for item in items if not item.key]
    facts, missing = [], []
    for slug in held:
        asked = as_child(question, slug)
        theirs = [item for item in items if item.key and referent(item.key) == slug] + said
        fact = matcher.matching_fact(asked, theirs)
        if fact is not None and referent(fact.key) == slug:
            facts.append(fact)
        elif slug != "children" and (key := matcher.missing_attribute(asked, theirs)):
            missing.append(key)
    return facts, missing


def _told(question: str, facts: list[RetrievedItem], missing: list[str], now: datetime | None) -> str:
    """The facts told and the keys not told, one after the other; the children's names as one list."""
    chinese = is_chinese(question)
    if facts and not missing and all(fact.key.startswith("user.") for fact in facts):  # "What are my kids' names?"
        listed = _listed(_named(facts), chinese)
        day = max(fact.day(now.tzinfo if now else None) for fact in facts)
        return f"根据记忆（{day}）：你的孩子是{listed}。" if chinese else f"Your children are {listed}, as of {day}."
    not_told = [not_told_attribute(key, question) for key in missing]
    if chinese:
        told = "；".join(f"{zh_key(fact.key)} = {fact.value}" for fact in facts)
        return (f"根据记忆：{told}。" if told else "") + "".join(not_told)
    return " ".join([*(fact_answer(fact, now) for fact in facts), *not_told])


def children_answer(
    question: str, items: list[RetrievedItem], matcher: FactMatcher, now: datetime | None = None
) -> Answer | None:
    """The answer to a question about the user's children (``items``: the memories retrieved),
    from the child relations held: how many there are or whether there are any; for a question of
    "my kid" with several held, its answer for each (:func:`_each_child`), said not told for those
    that hold none. ``None`` where no child is held, where one is (the question is that one's:
    :func:`~.asked.as_held_child`), or where the question asks nothing of them or no fact answers it
    for any of them ("What does my kid like?": the memories of them may say it)."""
    held = held_children(item.key for item in items if item.key)
    if not held or not is_question(question):
        return None
    if _COUNTED.search(question) and held != ("children",):  # children told together are their own answer
        return Answer(
            text=_counted(question, items, held),
            mode="fact",
            reason="the question counts the user's children: the ones held",
            cited=[item.id for item in items if item.key and referent(item.key) in held],
        )
    if len(held) < 2 or not asks_of_children(question):
        return None
    facts, missing = _each_child(question, items, held, matcher)
    if not facts and not missing:
        return None
    return Answer(
        text=_told(question, facts, missing, now),
        mode="fact" if facts else "unknown",
        reason=f"the question asks of the user's children, {' and '.join(held)}: told for each",
        cited=[fact.id for fact in facts],
    )
