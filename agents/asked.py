"""Whom a question asks about: the user, a relation ("my sister"), a named person.

A fact answers a question only when it is about the one the question names:
"Where does my sister live?" is not answered with the user's home city, nor
"我老婆叫什么名字？" with the user's own name, however close the words. A
relation is named in an owner's position ("my sister", "my best friend's",
我老婆, 我的弟弟), so "Am I allergic to cats?" still asks about the user.

A relation's name stands for the relation where the user told it ("my
girlfriend is Emma": "Where does Emma live?" asks about the girlfriend), and
"my kid" for the one child the user told of ("How old is my kid?" after "My
daughter Emma is 7" asks about the daughter).

Example:
    >>> referents("Where does my sister live?", subjects=["anna"])
    frozenset({'sister'})
    >>> by_relation("Where does Emma live?", relation_names([("user.girlfriend", "Emma")]))
    'Where does my girlfriend live?'
    >>> referent("user.wife"), referent("sister.lives_in"), referent("user.weight")
    ('wife', 'sister', 'user')
    >>> as_held_child("How old is my kid?", ["user.daughter", "daughter.age"])
    'How old is my daughter?'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from tiermem.memory.records import RELATIONS_ZH
from tiermem.memory.versions import ENDED

from .fact_patterns_common import KIN_WORDS, ZH_KIN_WORDS
from .fact_values import RELATION_SLUGS, relation
from .statements import is_question

if TYPE_CHECKING:
    from tiermem.memory.store import TierStore

_SLUGS = frozenset(RELATIONS_ZH)
_WORDS: dict[str, str] = {
    **{slug: slug for slug in RELATIONS_ZH},
    **{word: slug for slug, word in RELATIONS_ZH.items()},
    **RELATION_SLUGS,
}
"""Every word for a relation (English, Chinese, informal) -> its slug."""
_ENGLISH = sorted((w for w in _WORDS if w.isascii()), key=len, reverse=True)
_CHINESE = sorted((w for w in _WORDS if not w.isascii()), key=len, reverse=True)
_OWNED_EN = re.compile(
    rf"\b(?:my|our)\s+(?:(?:{'|'.join((*KIN_WORDS, 'ex', 'late'))})[\s-]+)?("
    + "|".join(map(re.escape, _ENGLISH))
    + r")(?:'s|s)?\b",
    re.I,
)
_OWNED_ZH = re.compile(
    rf"我(?:们)?(?:的)?(?:{'|'.join((*ZH_KIN_WORDS, '前'))})?(" + "|".join(map(re.escape, _CHINESE)) + ")"
)


def referent(key: str) -> str:
    """Whom the fact ``key`` is about: its subject, or the relation a ``user.<relation>`` fact names
    (``user.wife = 王芳`` is about the wife), else ``user``."""
    subject, _, attribute = key.partition(".")
    if subject == "user":
        return attribute if attribute in _SLUGS else "user"
    return subject


def referents(question: str, subjects: Iterable[str] = ()) -> frozenset[str]:
    """The relations (as slugs) and named ``subjects`` the question asks about; empty: the user.

    Args:
        question: the question's text.
        subjects: the named people among the memories at hand (facts' subjects), found in the
            question as whole words ("Where does Anna live?").
    """
    found = {relation(m.group(1)) for m in _OWNED_EN.finditer(question)}
    found |= {relation(m.group(1)) for m in _OWNED_ZH.finditer(question)}
    lowered = question.lower()
    for name in subjects:
        if name != "user" and name not in _SLUGS and re.search(rf"\b{re.escape(name)}\b", lowered):
            found.add(name)
    return frozenset(found)


def says(text: str, word: str, endings: str = "") -> bool:
    """Whether ``text`` holds ``word``: an English one whole, with one of the regex ``endings``
    ("son" is not in "person"; "sisters" with ``"s?"``), a Chinese one anywhere (no spaces)."""
    if word.isascii():
        return re.search(rf"\b{re.escape(word)}{endings}\b", text, re.I) is not None
    return word in text


def mentions(text: str, slug: str) -> bool:
    """Whether ``text`` names the relation ``slug`` in any of its words (brother, 兄弟, 弟弟 ...), or
    the named person ``slug``; English words whole, with "'s" or a plural "s"."""
    return any(says(text, word, "(?:'s|s)?") for word in relation_words(slug))


def relation_words(word: str) -> list[str]:
    """Every word for the relation ``word`` names (a slug or any of its words: "bro" -> brother,
    兄弟, 弟弟 ...); ``[word]`` for a word that names no relation (a named person's slug)."""
    slug = _WORDS.get(word.lower())
    return [said for said, of in _WORDS.items() if of == slug] if slug else [word]


_NAME_EN = re.compile(r"(?-i:[A-Z])[^\W\d_]+(?:[ -](?-i:[A-Z])[^\W\d_]+)?")
_NAME_ZH = re.compile(r"[\u4e00-\u9fff]{2,4}")


def relation_names(facts: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The names the user's relations go by, from ``user.<relation> = name`` facts (``key, value``
    pairs, each key's newest): ``{"emma": "girlfriend"}`` for ``user.girlfriend = Emma``; a full
    name gives its first name too. A name two relations share, one that facts of their own are
    stored under (``emma.allergy``: the named person, :func:`referents`), or a value that is no
    name ("no longer has a girlfriend"), names none."""
    found: dict[str, set[str]] = {}
    facts = list(facts)
    subjects = {key.partition(".")[0] for key, _ in facts}
    for key, value in facts:
        slug = referent(key)
        if slug == "user" or not key.startswith("user.") or value.startswith(ENDED):
            continue
        value = value.strip()
        if not (_NAME_EN.fullmatch(value) or _NAME_ZH.fullmatch(value)):
            continue
        for name in {value, value.split()[0]} if value.isascii() else {value}:
            found.setdefault(name.casefold(), set()).add(slug)
    return {name: next(iter(slugs)) for name, slugs in found.items() if len(slugs) == 1 and name not in subjects}


_WORD_NAMES = frozenset(
    (  # noqa: SIM905 (a list of words reads better as words)
        "will may june april august hope grace joy faith rose bill mark pat sue art max jack frank rich sky "
        "summer autumn dawn eve ray hunter chase dale glen lily iris holly ivy amber ruby jade pearl crystal "
        "sunny star destiny honey angel buddy lucky bear penny ginger pepper cookie coco daisy rocky shadow"
    ).split()
)
"""Names that are also English words ("will", "may", "hope", a dog's "lucky"): said as the
relation only where written as a name: capitalised after another word ("I told Will"), or
opening a statement about them ("Will has asthma", not "Will you help me?")."""
_STATES = re.compile(
    r"(?:'s|\s+(?:is|was|has|had|lives|lived|works|worked|moved|just|got|gets|loves|likes|hates|went|started|"
    r"said|and))\b"
)
_NOT_THE_RELATION_AFTER = frozenset(
    ["in", "at", "to", "from", "into", "near", "of", "on", "by", "since", "until", "till", "during", "last", "next"]
    + ["this", "every", "early", "mid", "late", "named", "called", "call"]
)
"""Words after which a name is not the relation: a place, a company or a month ("live in Paris",
"work at Apple", "in May", "this May"), or a name given ("named after", "called Emma")."""
_IN_BETWEEN = frozenset(["now", "still", "actually", "currently", "really"])
"""Words that may stand between a name and the word it is said after ("My boss is now Mark")."""
_VALUE_AFTER = frozenset(["is", "was", "be"])
"""Words after which a statement's name is the value it states ("My name is Emma", "My favorite
city is Paris"); in a question it is whom it asks about ("How old is Anna?")."""
_WORD = re.compile(r"[^\W\d_]+(?:'s)?")
_NAME_GOES_ON = re.compile(r"\s+(?:(?-i:[A-Z])|\d)")
"""A capitalised word or a number after the name: another name ("Will Smith", "Jordan Industries"), a day ("May 5")."""
_SAID_IS = re.compile(
    rf"(?:\s+(?:is|was)|['’]s|\s*,)?(?:\s+(?:{'|'.join(sorted(_IN_BETWEEN))}|not|no\s+longer))*\s+", re.I
)
"""What stands between a name and a relation it is said to be ("Mark is now my boss", "Is Mark my
boss", "Mark, my boss")."""
_ZH_SAID_IS = rf"(?:现在|还|也|不|不再|已经)?是?{_OWNED_ZH.pattern}"
"""The same in Chinese (王芳是我老板, 王芳现在是我的同事吗？)."""


def _said_as_name(text: str, match: re.Match[str], name: str) -> bool:
    """Whether the relation's ``name`` at ``match`` is the relation: not a place, company or
    month ("I live in Paris"), not a value said ("My name is Emma"), not another relation's ("my
    coworker Emma"), not the start of a longer name ("Will Smith"), not one said to be a relation
    ("Is Mark my boss now?", "Mark is my boss": whether he is, or that he is, another), and for a
    name that is also a word, written as a name."""
    before, after = text[: match.start()], text[match.end() :]
    words = [word for word in _WORD.findall(before[-40:]) if word.casefold() not in _IN_BETWEEN]
    previous = words[-1].casefold().removesuffix("'s") if words else ""
    if previous in _NOT_THE_RELATION_AFTER or previous in _WORDS or _NAME_GOES_ON.match(after):
        return False
    said_is = _SAID_IS.match(after)
    if said_is and _OWNED_EN.match(after, said_is.end()):  # "Is Mark my boss now?": whether he is another
        return False
    if previous in _VALUE_AFTER and not is_question(text):
        return False
    if name not in _WORD_NAMES:
        return True
    if match.group() != name.title():  # "I will", "hope so"
        return False
    opens = not before.strip() or before.rstrip()[-1] in ".!?"
    return _STATES.match(after) is not None if opens else True  # "Will has asthma", not "Will you ...?"


CHILDREN = ("son", "daughter", "child", "children")
"""The relations that are the user's children, in the order they are told ("Jake (son) and Emma (daughter)")."""
_KIDS_EN = re.compile(
    rf"\b(?P<my>my|our)\s+(?:(?:{'|'.join(KIN_WORDS)})\s+)?(?:kids?|child(?:ren)?|little\s+ones?)"
    r"(?P<own>['’]s?)?(?![\w'’])",
    re.I,
)
_KIDS_ZH = re.compile(r"(?P<my>我(?:们)?(?:家)?(?:的)?)(?:孩子们?|小孩子?|儿女|子女)")
"""The user's children, by a word that says no son or daughter ("my kids", "our children's", 我的孩子, 我家小孩)."""


def held_children(keys: Iterable[str]) -> tuple[str, ...]:
    """The relations of :data:`CHILDREN` that facts ``keys`` are about (``user.daughter``, ``son.school``), in order."""
    about = {referent(key) for key in keys}
    return tuple(slug for slug in CHILDREN if slug in about)


def asks_of_children(question: str) -> bool:
    """Whether ``question`` names the user's children by a word that says no son or daughter ("my kid's")."""
    return bool(_KIDS_EN.search(question) or _KIDS_ZH.search(question))


def as_child(question: str, *slugs: str, english: bool = True) -> str:
    """``question`` with the user's children (:data:`_KIDS_EN`, :data:`_KIDS_ZH`; the Chinese words
    alone where not ``english``) said as the relations ``slugs``: "How old is my kid?" -> "How old
    is my daughter?", 我孩子几岁？ -> 我女儿几岁？, "my kid's" -> "my son's or my daughter's"."""

    def said_en(match: re.Match[str]) -> str:
        return " or ".join(f"{match['my']} {slug}" + ("'s" if match["own"] else "") for slug in slugs)

    def said_zh(match: re.Match[str]) -> str:  # 我家小孩: 我孩子
        return "或".join(match["my"].replace("家", "") + RELATIONS_ZH[slug] for slug in slugs)

    return _KIDS_ZH.sub(said_zh, _KIDS_EN.sub(said_en, question) if english else question)


def as_held_child(question: str, keys: Iterable[str]) -> str:
    """A question about the user's child ("How old is my kid?", 我孩子叫什么？) asked of the
    child relations the facts ``keys`` hold: of the one ("How old is my daughter?" after "My
    daughter Emma is 7"), of each where several are ("my son or my daughter": :mod:`~.kids` tells
    each where it can); where none is, as it is, its Chinese words as 孩子 (我小孩叫什么？ asks of a
    孩子, not of the user)."""
    held = held_children(keys)
    return as_child(question, *(held or ("child",)), english=bool(held))


def stored_relation_names(store: TierStore, namespace: str, now: datetime) -> dict[str, str]:
    """:func:`relation_names` of the user's relations as stored in ``namespace`` (the newest
    version of each ``user.<relation>`` fact, read from the store's fact heads in memory)."""
    keys = [f"user.{slug}" for slug in RELATIONS_ZH]
    newest = store.latest_facts(namespace, keys, now=now, versions=1)
    return relation_names((key, versions[0].fact.value) for key, versions in newest.items() if versions[0].fact)


def by_relation(text: str, names: Mapping[str, str]) -> str:
    """``text`` with each relation's name (:func:`relation_names`) said as the relation: "Where
    does Emma live?" -> "Where does my girlfriend live?", 王芳住在哪里？ -> 我妻子住在哪里？. A text
    that names the relation itself keeps the name ("Is Emma my girlfriend?"), and so does one that
    says the name is a relation ("Is Mark my boss now?" with a friend Mark, 王芳是我老板吗？)."""
    for name in sorted(names, key=len, reverse=True):
        slug = names[name]
        if mentions(text, slug):
            continue
        if name.isascii():
            said = re.compile(rf"\b{re.escape(name)}\b", re.I)
            text = said.sub(lambda m: f"my {slug}" if _said_as_name(text, m, name) else m.group(), text)  # noqa: B023
        else:  # not inside a longer name (王芳芳), nor said as a value (我叫王芳, 我最喜欢的人是王芳)
            value = "" if is_question(text) else "(?<![叫是])"
            written = rf"{value}{re.escape(name)}(?!{re.escape(name[-1])})(?!{_ZH_SAID_IS})"
            text = re.sub(written, f"我{RELATIONS_ZH.get(slug, slug)}", text)
    return text
