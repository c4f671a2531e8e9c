"""Questions about the user's children or pets as a group (:data:`~.asked.GROUPS`): who they are,
how many, and a question of "my kid" or "my pet" where more than one of them is held.

"My son Jake goes to Lincoln Elementary" and "My daughter Emma is 7" store ``user.son``,
``son.school``, ``user.daughter`` and ``daughter.age``; "I have a dog named Max and a cat named
Luna" stores ``user.dog`` and ``user.cat``. "How old is my kid?" with one child held is that one's
question (:func:`~.asked.as_held_member`); with both, :func:`group_answer` asks it of each ("How
old is my son?", "How old is my daughter?") and tells what is held and what is not. "What are my
kids' names?" is told as one list ("Jake (son) and Emma (daughter)"), and "How many pets do I
have?" / "Do I have kids?" / 我有什么宠物？ count what is held (children told together, "Max and
Lily", alone are told as the fact that holds them). Where none is held, the memory that speaks of
them is quoted ("We adopted a hamster named Bob"), and where none does, they were not told.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

from tiermem.memory.records import RELATIONS_ZH
from tiermem.memory.versions import ENDED

from .answer import Answer
from .asked import GROUPS, Group, referent, relation_words
from .fact_names import attribute_noun, plural_noun, zh_key
from .replies import fact_answer, is_chinese, not_told_attribute, quote, told
from .retriever import RetrievedItem
from .statements import is_question, stated_clauses
from .taste_replies import listed, zh_listed

if TYPE_CHECKING:
    from .fact_match import FactMatcher

_NAMES = re.compile(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*|和|、")
_PLURAL = re.compile(r"(?:s|ren)$", re.I)
"""A group's word that says several of them ("my kids'", "our children's", "my pets")."""


def named_members(group: Group, items: list[RetrievedItem]) -> list[tuple[str, str]]:
    """Each one of ``group`` named by a ``user.<member>`` fact among ``items`` (or a
    :attr:`~.asked.Group.named_by` one), with what names them (``("Jake", "son")``); a name told
    twice, once."""
    named: dict[str, tuple[str, str]] = {}
    for slug in (*group.members, *group.named_by):
        for item in items:
            if item.key == f"user.{slug}" and not item.value.startswith(ENDED):
                for name in _NAMES.split(item.value):
                    named.setdefault(name.strip().casefold(), (name.strip(), slug))
    return [pair for pair in named.values() if pair[0]]


def _listed(group: Group, named: list[tuple[str, str]], chinese: bool) -> str:
    """Those ``named`` as a list that says which is which: "Jake (son) and Emma (daughter)"; those
    that no one relation names (children told together, a ``user.pet_name``) by their name alone."""
    said = [(name, slug if slug in group.members and slug != group.together else "") for name, slug in named]
    if chinese:
        return zh_listed([name + (f"（{RELATIONS_ZH[slug]}）" if slug else "") for name, slug in said])
    return listed([name + (f" ({attribute_noun(slug)})" if slug else "") for name, slug in said])


def _counted(group: Group, question: str, items: list[RetrievedItem], held: tuple[str, ...]) -> str:
    """How many of ``group`` the user told of, and who they are: each one named, and each member
    held that names none ("your daughter" after "My daughter is 7") as one."""
    named = named_members(group, items)
    chinese = is_chinese(question)
    unnamed = [slug for slug in held if slug not in {slug for _, slug in named}]  # said as whom, not which
    named += [
        (f"你的{RELATIONS_ZH.get(slug, slug)}" if chinese else f"your {attribute_noun(slug)}", "") for slug in unnamed
    ]
    if chinese:
        return f"你告诉过我你有{len(named)}{group.zh_counter}{group.zh_name}：{_listed(group, named, chinese)}。"
    many = f"one {group.one}" if len(named) == 1 else f"{len(named)} {group.name}"
    return f"You've told me about {many}: {_listed(group, named, chinese)}."


def _kind_counted(group: Group, question: str, items: list[RetrievedItem], kind: str) -> str:
    """How many of one ``kind`` of ``group`` the user told of, by name ("2 cats: Luna and Pepper")."""
    names = [name for name, slug in named_members(group, items) if slug == kind]
    if is_chinese(question):
        word = next((word for word in relation_words(kind) if not word.isascii()), kind)
        return f"你告诉过我你有{len(names)}{group.zh_counter}{word}：{zh_listed(names)}。"
    many = f"one {attribute_noun(kind)}" if len(names) == 1 else f"{len(names)} {plural_noun(attribute_noun(kind))}"
    return f"You've told me about {many}: {listed(names)}."


def _each(
    group: Group, question: str, items: list[RetrievedItem], held: tuple[str, ...], matcher: FactMatcher
) -> tuple[list[RetrievedItem], list[str]]:
    """The facts that answer ``question`` asked of each member ``held`` ("How old is my son?", of
    his facts and the memories that are no fact), and the keys of those asked that none holds
    (``son.age``); children told together ("Max and Lily") are no one child: never not told."""
    said = [item for item in items if not item.key]
    facts, missing = [], []
    for slug in held:
        asked = group.said_as(question, slug)
        theirs = [item for item in items if item.key and referent(item.key) == slug] + said
        fact = matcher.matching_fact(asked, theirs)
        if fact is not None and referent(fact.key) == slug:
            facts.append(fact)
        elif slug != group.together and (key := matcher.missing_attribute(asked, theirs)):
            missing.append(key)
    return facts, missing


def _told(group: Group, question: str, facts: list[RetrievedItem], missing: list[str], now: datetime | None) -> str:
    """The facts told and the keys not told, one after the other; the names of those held as one list."""
    chinese = is_chinese(question)
    if facts and not missing and all(fact.key.startswith("user.") for fact in facts):  # "What are my kids' names?"
        listed = _listed(group, named_members(group, facts), chinese)
        day = max(fact.day(now.tzinfo if now else None) for fact in facts)
        if chinese:
            return f"根据记忆（{day}）：你的{group.zh_name}是{listed}。"
        return f"Your {group.name} are {listed}, as of {day}."
    not_told = [not_told_attribute(key, question) for key in missing]
    if chinese:
        said = "；".join(f"{zh_key(fact.key)} = {fact.value}" for fact in facts)
        return (f"根据记忆：{said}。" if said else "") + "".join(not_told)
    return " ".join([*(fact_answer(fact, now) for fact in facts), *not_told])


def _none_told(group: Group, question: str) -> str:
    """That the user told of none of ``group``: "your pet" where its word said one, else all of them."""
    if is_chinese(question):
        return f"我没有关于你的{group.zh_name}的记忆：你还没有告诉过我。"
    owned = group.english.search(question)
    one = owned is not None and not _PLURAL.search(owned.group().removesuffix(owned["own"] or ""))
    return f"You haven't told me anything about your {group.one if one else group.name} yet."


def _spoken_of(group: Group, items: list[RetrievedItem]) -> RetrievedItem | None:
    """The best memory among ``items`` that states something of ``group`` ("We adopted a hamster
    named Bob"), not one that only asks of them ("Do I have any pets?", asked before)."""
    return next(
        (item for item in items if any(group.words.search(clause.text) for clause in stated_clauses(item.text))), None
    )


def _from_first_said(group: Group, item: RetrievedItem) -> RetrievedItem:
    """``item``, or for an episode its lines from the first that speaks of ``group`` on (what was
    said of them next stays: "Sadly Max passed away"), without the questions among them."""
    if item.kind != "episode":
        return item
    lines = [line for line in item.text.splitlines()[1:] if not is_question(line)]
    first = next((i for i, line in enumerate(lines) if group.words.search(line)), 0)
    return item.model_copy(update={"text": " ".join(lines[first:])})


def _answer(
    group: Group, question: str, items: list[RetrievedItem], matcher: FactMatcher, now: datetime | None
) -> Answer | None:
    """:func:`group_answer` for one ``group``."""
    held = group.held(items)
    counted = group.counted.search(question) is not None
    if not group.told_of(items):
        if not (counted or group.asked_of(question)):
            return None
        said = _spoken_of(group, items)
        if said is not None:  # "We adopted a hamster named Bob": what was said of them, no guess
            said = _from_first_said(group, said)
            tz = now.tzinfo if now else None
            return Answer(
                text=quote(said, None, tz) if is_chinese(question) else told(said, tz),
                mode="quote",
                reason=f"the question asks of the user's {group.name}; none is held, a memory speaks of them",
                cited=[said.id],
            )
        return Answer(
            text=_none_told(group, question),
            mode="unknown",
            reason=f"the question asks of the user's {group.name}, and no memory speaks of any",
        )
    kind = group.counted_kind(question)
    if kind is not None and kind in held:  # "How many cats do I have?": the cats alone
        return Answer(
            text=_kind_counted(group, question, items, kind),
            mode="fact",
            reason=f"the question counts the user's {plural_noun(attribute_noun(kind))}: the ones held",
            cited=[item.id for item in items if item.key == f"user.{kind}"],
        )
    if counted and held != (group.together,):  # children told together are their own answer
        named = {f"user.{attribute}" for attribute in group.named_by}
        return Answer(
            text=_counted(group, question, items, held),
            mode="fact",
            reason=f"the question counts the user's {group.name}: the ones held",
            cited=[item.id for item in items if item.key and (referent(item.key) in held or item.key in named)],
        )
    if len(held) < 2 or not group.asked_of(question):
        return None
    facts, missing = _each(group, question, items, held, matcher)
    if not facts and not missing:
        return None
    return Answer(
        text=_told(group, question, facts, missing, now),
        mode="fact" if facts else "unknown",
        reason=f"the question asks of the user's {group.name}, {' and '.join(held)}: told for each",
        cited=[fact.id for fact in facts],
    )


def group_answer(
    question: str, items: list[RetrievedItem], matcher: FactMatcher, now: datetime | None = None
) -> Answer | None:
    """The answer to a question about the user's children or pets (``items``: the memories
    retrieved), from the members of their group held: how many there are, whether there are any
    or which; for a question of "my kid" with several held, its answer for each (:func:`_each`),
    said not told for those that hold none; where none is held, the memory that speaks of them
    quoted, or not told where none does. ``None`` where one is held (the question is that one's:
    :func:`~.asked.as_held_member`), or where the question asks nothing of them or no fact answers
    it for any of them ("What does my kid like?": the memories of them may say it)."""
    if not is_question(question):
        return None
    return next((answer for group in GROUPS if (answer := _answer(group, question, items, matcher, now))), None)
