"""Whom a "she" or "he" (她, 他) stands for: the relation the user named before it.

Within a message ("my wife's name is Ngozi, she's a pharmacist") extraction reads the pronoun
as the last relation named before it whose gender fits (:func:`antecedent`). People go on in
the next message as well: "My sister Anna lives in Berlin.", then "She works as a nurse."
Alone that message names no one, and its fact would be lost; read with the user's message
before it (:func:`with_antecedent`), it says "My sister works as a nurse." Only a relation
named there counts: "I met Sarah today." then "She is a doctor." stays as said (Sarah is
nobody's relation the message names), and so does a message that names a relation itself.

Example:
    >>> from langchain_core.messages import HumanMessage
    >>> with_antecedent("She works as a nurse.", [HumanMessage("My sister Anna lives in Berlin.")])
    'My sister works as a nurse.'
    >>> with_antecedent("他是医生", [HumanMessage("我哥哥住在上海")])
    '我哥哥是医生'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from langchain_core.messages import BaseMessage, HumanMessage
from tiermem.memory.records import RELATIONS_ZH

from .fact_values import relation
from .fact_words import RELATIONS, ZH_RELATIONS

_RELATION_NAMED = re.compile(
    rf"\b(?:my|our|(?:i|we)(?:\s+(?:just\s+)?(?:have|had|got|adopted)|['’]ve\s+got)\s+an?)\s+(?P<en>{RELATIONS})\b"
    rf"|我(?:的|家)?(?P<zh>{ZH_RELATIONS})",
    re.IGNORECASE,
)
"""A relation named: "my sister", "we have a daughter", 我妈妈."""
_FEMALE = frozenset({"wife", "mother", "sister", "daughter", "girlfriend", "grandmother", "aunt"})
_MALE = frozenset({"husband", "father", "brother", "son", "boyfriend", "grandfather", "uncle"})
_LEADING = re.compile(
    r"^(?P<lead>\s*(?:(?:and|also|oh|btw|plus|so)\b[\s,]*)?)(?P<pronoun>she|he)(?P<is>['’]s\b)?(?=\s)", re.IGNORECASE
)
"""A message that starts with "she" or "he" as its subject ("She works as a nurse", "And he's 40")."""
_ZH_LEADING = re.compile(r"^(?P<lead>\s*(?:而且|还有|另外)?[，,]?\s*)(?P<pronoun>[她他])(?![们的])")
"""A Chinese message that starts with 她 or 他 as its subject (她是护士; not 她们, 他的)."""


def fits(slug: str, pronoun: str) -> bool:
    """Whether "she" or "he" (她, 他) may stand for the relation ``slug``: one of its gender, or one
    that has none (a partner, a friend, a pet)."""
    return slug not in (_MALE if pronoun.lower() in ("she", "她") else _FEMALE)


def _named(before: str, pronoun: str) -> re.Match[str] | None:
    """The last relation named in ``before`` whose gender fits ``pronoun``, as it was said."""
    named = [m for m in _RELATION_NAMED.finditer(before) if fits(relation(m["en"] or m["zh"]), pronoun)]
    return named[-1] if named else None


def antecedent(before: str, pronoun: str) -> str | None:
    """The relation a "she" or "he" (她, 他) refers to: the last one named ``before`` it whose
    gender fits ("my wife's name is Ngozi, she's a pharmacist"); ``None`` when none does."""
    named = _named(before, pronoun)
    return relation(named["en"] or named["zh"]) if named else None


def _named_before(history: Sequence[BaseMessage], pronoun: str, lookback: int) -> re.Match[str] | None:
    """The relation the newest of the user's last ``lookback`` messages that names one fitting
    ``pronoun`` named last (:func:`_named`); messages that go on about them with the same pronoun
    are passed over too ("My son Jake has a peanut allergy." "He also has asthma." "He's 9.")."""
    previous = [m.content for m in reversed(history) if isinstance(m, HumanMessage) and isinstance(m.content, str)]
    for count, before in enumerate(previous, 1):
        named = _named(before, pronoun)
        if named is not None:
            return named
        going_on = _LEADING.match(before) or _ZH_LEADING.match(before)
        if count >= lookback and (going_on is None or going_on["pronoun"].casefold() != pronoun.casefold()):
            return None
    return None


def with_antecedent(text: str, history: Sequence[BaseMessage], *, lookback: int = 1) -> str:
    """``text`` with the "she" or "he" it starts with said as the relation that the user's message
    before it (the last :class:`HumanMessage` of ``history``; or, with ``lookback``, the newest of
    the last ``lookback`` that names one) named last with a fitting gender; ``text`` as it is where
    it starts otherwise, names a relation itself, or none fits."""
    said = _LEADING.match(text) or _ZH_LEADING.match(text)
    if said is None or _RELATION_NAMED.search(text):
        return text
    named = _named_before(history, said["pronoun"], lookback)
    if named is None:
        return text
    slug = relation(named["en"] or named["zh"])
    if said.re is _ZH_LEADING:
        who = f"我{named['zh'] or RELATIONS_ZH.get(slug, slug)}"
    else:
        who = f"{'my' if said['lead'] else 'My'} {named['en'].lower() if named['en'] else slug}"
        who += " is" if said["is"] else ""
    return text[: said.start("pronoun")] + who + text[said.end() :]


_INSIDE = re.compile(
    r"\b(?:(?P<subject>she|he)\b(?P<is>['’]s\b)?"
    r"|(?P<owner>her|his)\s+(?!(?:the|a|an|to|about|for|with|back|up|out|that|this|anything|something|some|any)\b)(?=[a-z])"
    r"|(?P<object>him|her)\b(?=\s*(?:[?？.!,]|$|about|for|to|at|on|in|with)))",
    re.IGNORECASE,
)
"""A "she" or "he" inside a question, a "her" or "his" before a noun, a "him" or "her" after a verb
("Is she allergic to anything?", "What should I pack for her lunch?", "What did I buy him?")."""
_ZH_INSIDE = re.compile(r"(?P<subject>[她他])(?!们)")
"""她 or 他 anywhere in a Chinese question (她喜欢什么？, 我该给他买什么？, 她的生日是哪天？)."""


def question_with_antecedent(
    question: str, history: Sequence[BaseMessage], *, lookback: int = 6, known: Sequence[str] = ()
) -> str:
    """``question`` with a "she", "he", "her", "his" or "him" (她, 他) in it said as the relation the
    user named last with a fitting gender in one of their last ``lookback`` messages ("How old is
    she?" after "My daughter Mia has a peanut allergy": "How old is my daughter?"), else as the
    first of the ``known`` relations (the slugs of the facts retrieved for it, best first) of the
    pronoun's gender; a question that starts with the pronoun as :func:`with_antecedent` reads
    it; as it is where it names a relation itself or none fits."""
    leading = with_antecedent(question, history, lookback=lookback)
    said = _INSIDE.search(question) or _ZH_INSIDE.search(question)
    if leading != question or said is None or _RELATION_NAMED.search(question):
        return leading
    chinese = said.re is _ZH_INSIDE
    pronoun = said["subject"] or ("she" if (said["owner"] or said["object"]).lower() in ("her", "她") else "he")
    named = _named_before(history, pronoun, lookback)
    gender = _FEMALE if pronoun.lower() in ("she", "她") else _MALE
    slug = (
        relation(named["en"] or named["zh"])
        if named is not None
        else next((known_slug for known_slug in known if known_slug in gender), None)
    )
    if slug is None:
        return question
    if chinese:
        who = f"我{named['zh'] if named is not None and named['zh'] else RELATIONS_ZH.get(slug, slug)}"
    else:
        who = f"my {named['en'].lower() if named is not None and named['en'] else slug}"
        who += "'s " if said["owner"] else " is" if said["is"] else ""
    return question[: said.start()] + who + question[said.end() :]


def relations_of(keys: Iterable[str]) -> list[str]:
    """The relations facts are of, in order (``user.daughter``, ``daughter.age``: ``daughter``;
    a plain memory's empty key: none), for :func:`question_with_antecedent`'s ``known``."""
    subjects = (key.partition(".") for key in keys if key)
    return list(dict.fromkeys(attribute if subject == "user" else subject for subject, _, attribute in subjects))
