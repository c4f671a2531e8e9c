"""Requests answered by listing what is held, not by the model: everything remembered of the user
("What do you know about me?", 你知道我的什么？), of one relation ("Tell me about my brother",
告诉我关于我哥哥的事), and the user's plans (:mod:`~.agenda`).

The local model, asked "Tell me about my brother", made a person up ("My name is Elena, and I'm a
human who loves to help ..."). So such a request is told what the memories retrieved for it hold:
the facts at their current values (a relation's name first), then other memories that say
something (of a relation: that name them), quoted with their day; where none does, that nothing
was told.

Example:
    >>> listed_answer("Tell me about my brother", items, now).text
    'Here is what I remember of your brother: Your brother is Mike (as of 2024-05-03). ...'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from .agenda import plans_answer
from .answer import Answer
from .asked import GROUPS, mentions, referent, referents
from .fact_match import memory_lines
from .fact_names import attribute_noun, zh_key
from .grounded import dated_quote, states_something
from .replies import fact_answer, is_chinese, not_told
from .retriever import RetrievedItem
from .unread import says_more
from .word_forms import named_in

ABOUT_ME = re.compile(
    r"\b(?:what|how\s+much)\s+(?:do|did|else\s+do)\s+you\s+(?:know|remember)\s+(?:about\s+)?(?:me|my\s+life)\b"
    r"|\btell\s+me\s+(?:everything|all|what)\s+(?:that\s+)?you\s+(?:know|remember)\s+about\s+me\b"
    r"|\bwhat\s+(?:have|did)\s+i\s+(?:told|tell)\s+you\b"
    r"|你(?:都)?(?:知道|记得|了解)(?:关于)?我(?:的)?(?:什么|哪些|多少)|(?:关于我|对我)你(?:都)?(?:知道|记得|了解)(?:什么|哪些|多少)",
    re.I,
)
"""A request for everything remembered of the user (你知道我的什么？)."""
ABOUT_RELATION = re.compile(
    r"\btell\s+me\s+(?:everything\s+|all\s+|more\s+)?about\s+(?:my|our)\b"
    r"|\bwhat\s+(?:do|did|else\s+do)\s+you\s+(?:know|remember)\s+about\s+(?:my|our)\b"
    r"|\bwhat\s+(?:have|did)\s+i\s+(?:told|tell)\s+you\s+about\s+(?:my|our)\b"
    r"|(?:告诉我|说说|讲讲)(?:关于)?我(?:的)?[^，。！？\s]{1,4}?的(?:事|情况)"
    r"|你(?:都)?(?:知道|记得|了解)(?:关于)?我(?:的)?[^，。！？\s]{1,4}?的?(?:什么|哪些)",
    re.IGNORECASE,
)
"""A request for everything remembered of someone of the user's ("my brother", 我哥哥)."""
LISTED_FACTS = 8
"""How many facts "What do you know about me?" lists."""
LISTED_MEMORIES = 3
"""How many other memories it quotes."""


def listed_answer(question: str, items: list[RetrievedItem], now: datetime | None = None) -> Answer | None:
    """The list ``question`` asks for from ``items``, the memories retrieved for it; ``None`` for
    a question that asks for none of them."""
    # "What have I told you about my brother?" asks the brother's, not everything of the user's
    return (
        about_relation(question, items, now)
        or about_thing(question, items, now)
        or everything(question, items, now)
        or plans_answer(question, items, now)
    )


def everything(question: str, items: list[RetrievedItem], now: datetime | None = None) -> Answer | None:
    """The reply to a request for everything remembered of the user ("What do you know about
    me?", 你知道我的什么？) from ``items``, the memories retrieved for it: the user's facts at their
    current values, then other memories quoted (a session's episode by its lines); ``None`` for
    any other message."""
    if not ABOUT_ME.search(question):
        return None
    said = [item for item in items if states_something(item)]
    facts = [item for item in said if item.key.startswith("user.")][:LISTED_FACTS]
    # a session's lines said once each: an episode repeats a message kept on its own too
    told = {fact.text for fact in facts if not says_more(fact)}  # "I'm allergic to penicillin": listed as the fact
    lines_of = {line: item for item in said if not item.key for line in memory_lines(item) if line not in told}
    others = list(lines_of.items())[:LISTED_MEMORIES]
    reason = "asked what is remembered of the user: the facts retrieved, then the memories"
    if not facts and not others:
        text = (
            "你还没有告诉过我关于你的事。"
            if is_chinese(question)
            else "You haven't told me anything about yourself yet."
        )
        return Answer(text=text, mode="unknown", reason=reason, cited=[])
    return told_list(facts, others, question, now, opening="Here is what I remember:", reason=reason)


def told_list(
    facts: list[RetrievedItem],
    others: list[tuple[str, RetrievedItem]],
    question: str,
    now: datetime | None,
    *,
    opening: str,
    reason: str,
) -> Answer:
    """What is remembered, listed: ``facts`` at their current values, then the ``others``' words
    (a line, its memory) quoted with their day; in Chinese for a Chinese ``question``, else
    after ``opening``."""
    cited = list(dict.fromkeys(item.id for item in [*facts, *(item for _, item in others)]))
    quotes = [dated_quote(line, item, now) for line, item in others]
    if is_chinese(question):
        tz = now.tzinfo if now is not None else None
        lines = [f"{zh_key(item.key)} = {item.value}（{item.day(tz)}）" for item in facts]
        text = "我记得你告诉过我：" + "；".join([*lines, *quotes]) + "。"
        return Answer(text=text, mode="quote", reason=reason, cited=cited)
    lines = [fact_answer(item, now) for item in facts]
    if quotes:
        lines.append(f"You {'also ' if facts else ''}told me: {'; '.join(quotes)}.")
    return Answer(text=" ".join([opening, *lines]), mode="quote", reason=reason, cited=cited)


def about_relation(question: str, items: list[RetrievedItem], now: datetime | None = None) -> Answer | None:
    """The reply to a request for what is remembered of one relation (module docstring) from
    ``items``; ``None`` for any other message, or one that names no relation, several, or a group
    ("my kids", "my pets": :mod:`~.groups` tells who they are)."""
    if not ABOUT_RELATION.search(question) or _names_group(question):
        return None
    whom = referents(question)
    if len(whom) != 1:
        return None
    (slug,) = whom
    facts = sorted(
        (item for item in items if item.key and referent(item.key) == slug),
        key=lambda item: item.key != f"user.{slug}",  # the name first
    )[:LISTED_FACTS]
    names = [item.value for item in facts if item.key == f"user.{slug}"]
    others = _naming(items, facts, lambda line: mentions(line, slug) or any(_says(line, name) for name in names))
    reason = f"asked what is remembered of the {slug}: their facts retrieved, then the memories that name them"
    if not facts and not others:
        return Answer(text=not_told(whom, question), mode="unknown", reason=reason)
    opening = f"Here is what I remember of your {attribute_noun(slug)}:"
    return told_list(facts, others, question, now, opening=opening, reason=reason)


def about_thing(question: str, items: list[RetrievedItem], now: datetime | None = None) -> Answer | None:
    """The reply to a request for what is remembered of something of the user's that is no
    relation ("Tell me about my car", "What do you know about my trip?"): the user's facts and the
    memories that name it; ``None`` where none does (the question may ask for knowledge, "Tell me
    about my rights as a tenant", and goes on as any other)."""
    said = _THING.search(question)
    if said is None or not ABOUT_RELATION.search(question) or ABOUT_ME.search(question) or referents(question):
        return None  # "What do you know about my life?" asks everything
    thing = said["thing"].casefold()
    if _names_group(question):
        return None
    facts = [
        item
        for item in items
        if item.key.startswith("user.")
        and states_something(item)
        and _names_thing(item, thing)
        and not ABOUT_RELATION.search(item.text)
    ][:LISTED_FACTS]
    others = _naming(items, facts, lambda line: named_in(thing, line))
    if not facts and not others:
        return None
    reason = f"asked what is remembered of the user's {thing}: the facts and memories that name it"
    return told_list(facts, others, question, now, opening=f"Here is what I remember of your {thing}:", reason=reason)


def _naming(
    items: list[RetrievedItem], facts: list[RetrievedItem], names_it: Callable[[str], bool]
) -> list[tuple[str, RetrievedItem]]:
    """The lines that ``names_it`` of the memories that are no fact and of ``facts`` (each once,
    with its memory, at most :data:`LISTED_MEMORIES`): a fact's words only where they say more than
    it holds ("My boss Karen is very strict"), and no request like the one answered."""
    stated = {item.text for item in facts if not says_more(item)}
    lines_of = {
        line: item
        for item in [*(item for item in items if not item.key), *facts]
        if states_something(item)
        for line in memory_lines(item)
        if line not in stated and not ABOUT_RELATION.search(line) and names_it(line)
    }
    return list(lines_of.items())[:LISTED_MEMORIES]


def _names_group(question: str) -> bool:
    """Whether ``question`` names a group ("my kids", 我的孩子), whose own answers tell who they are."""
    return any(group.english.search(question) or group.chinese.search(question) for group in GROUPS)


_THING = re.compile(r"\babout\s+(?:my|our)\s+(?P<thing>[a-z][a-z'-]{2,})", re.I)
"""What a request for what is remembered asks about ("about my car")."""


def _names_thing(fact: RetrievedItem, thing: str) -> bool:
    """Whether ``fact`` is of ``thing``: its attribute says it (``user.car``, ``plan_trip``) or its words do."""
    attribute = fact.key.partition(".")[2]
    return named_in(thing, attribute.replace("_", " ")) or named_in(thing, fact.text)


def _says(text: str, name: str) -> bool:
    """Whether ``text`` names ``name`` as a whole word."""
    return bool(name) and re.search(rf"\b{re.escape(name)}\b", text) is not None
