"""Whom a question asks about: the user, a relation ("my sister"), a named person.

A fact answers a question only when it is about the one the question names:
"Where does my sister live?" is not answered with the user's home city, nor
"我老婆叫什么名字？" with the user's own name, however close the words. A
relation is named in an owner's position ("my sister", "my best friend's",
我老婆, 我的弟弟), so "Am I allergic to cats?" still asks about the user.

A relation's name stands for the relation where the user told it ("my
girlfriend is Emma": "Where does Emma live?" asks about the girlfriend), and a
group's word for the one of the group the user told of (:data:`GROUPS`: "How
old is my kid?" after "My daughter Emma is 7" asks about the daughter, "my
pet" after "My cat Luna is 2" about the cat).

Example:
    >>> referents("Where does my sister live?", subjects=["anna"])
    frozenset({'sister'})
    >>> by_relation("Where does Emma live?", relation_names([("user.girlfriend", "Emma")]))
    'Where does my girlfriend live?'
    >>> referent("user.wife"), referent("sister.lives_in"), referent("user.weight")
    ('wife', 'sister', 'user')
    >>> CHILDREN.said_as("How old is my kid?", "daughter"), PETS.said_as("我的宠物叫什么？", "cat")
    ('How old is my daughter?', '我的猫叫什么？')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from tiermem.memory.records import RELATIONS_ZH
from tiermem.memory.versions import ENDED, SET_VALUED, current_value

from .fact_patterns_common import KIN_WORDS, ZH_KIN_WORDS
from .fact_values import RELATION_SLUGS, relation
from .fact_words import PET_SLUGS, longest_first
from .statements import is_question

if TYPE_CHECKING:
    from tiermem.memory.store import TierStore

    from .retriever import RetrievedItem

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


@dataclass(frozen=True, slots=True)
class Group:
    """The user's relations that one word names together: "my kids" the son and the daughter, "my
    pets" the dog and the cat (:func:`as_held_member`; :mod:`~.groups` answers of them all)."""

    name: str
    """Them in a reply ("children", "pets")."""
    one: str
    """One of them in a reply ("child", "pet")."""
    zh_name: str
    """Them in a Chinese reply (孩子, 宠物), counted with :attr:`zh_counter` (2个孩子, 2只宠物)."""
    zh_counter: str
    members: tuple[str, ...]
    """The relations that are of the group, in the order they are told ("Jake (son) and Emma (daughter)")."""
    unheld: tuple[str, ...]
    """The relations a question of the group asks of where none is held (我小孩叫什么？ asks of a 孩子,
    "What's my pet's name?" of a dog or a cat: neither asks of the user)."""
    english: re.Pattern[str]
    """The group said by a word that names no one member ("my kids", "our pets'": groups ``my``, ``own``)."""
    chinese: re.Pattern[str]
    """The same in Chinese (我的孩子, 我家宠物: group ``my``)."""
    counted: re.Pattern[str]
    """A question that counts them or asks whether or which there are ("How many pets do I have?", 我有孩子吗？)."""
    kind_counted: re.Pattern[str]
    """A question that counts the members of one kind ("How many cats do I have?", 我有几只狗？: group ``kind``)."""
    words: re.Pattern[str]
    """Any of their words, owned or not (pets, 宠物, dog, 狗): a memory that says them speaks of them."""
    together: str = ""
    """The member that holds several told together ("children": "Max and Lily"), a list of names, no one of them."""
    named_by: tuple[str, ...] = ()
    """User attributes that name one of them by no relation (``pet_name``: 我养了一只仓鼠叫小白)."""

    def counted_kind(self, question: str) -> str | None:
        """The member a question counts the ones of ("How many dogs do we have?": ``dog``), if any."""
        found = self.kind_counted.search(question)
        return _WORDS.get((found["kind"] or found["zh"]).lower()) if found else None

    def held(self, items: Iterable[RetrievedItem]) -> tuple[str, ...]:
        """The members that the facts among ``items`` are about (``user.daughter``, ``son.school``),
        in order; one whose relation ended ("no longer has a dog") is none."""
        facts = [(item.key, item.value) for item in items if item.key]
        ended = {key.removeprefix("user.") for key, value in facts if value.startswith(ENDED)}
        about = {referent(key) for key, _ in facts}
        return tuple(slug for slug in self.members if slug in about and slug not in ended)

    def told_of(self, items: Iterable[RetrievedItem]) -> bool:
        """Whether ``items`` hold a member (:meth:`held`) or a fact that names one (:attr:`named_by`)."""
        items = list(items)
        named = {f"user.{attribute}" for attribute in self.named_by}
        return bool(self.held(items)) or any(item.key in named for item in items)

    def asked_of(self, question: str) -> bool:
        """Whether ``question`` names the group by a word that names no one member ("my kid's", 我的宠物)."""
        return bool(self.english.search(question) or self.chinese.search(question))

    def said_as(self, question: str, *slugs: str, relations: bool = True) -> str:
        """``question`` with the group's words said as the relations ``slugs``: "How old is my kid?"
        -> "How old is my daughter?", 我孩子几岁？ -> 我女儿几岁？, "my pets'" -> "my dog's or my cat's";
        unless ``relations``, a word that names a relation itself ("my kids") is kept."""

        def said(match: re.Match[str], english: bool) -> str:
            if not relations and referents(match.group()):
                return match.group()
            if english:
                return " or ".join(f"{match['my']} {slug}" + ("'s" if match["own"] else "") for slug in slugs)
            return "或".join(match["my"].replace("家", "") + RELATIONS_ZH[slug] for slug in slugs)  # 我家小孩: 我孩子

        question = self.english.sub(lambda match: said(match, True), question)
        return self.chinese.sub(lambda match: said(match, False), question)


_HAVE = r"(?:(?:do|did)\s+(?:i|we)\s+(?:still\s+)?(?:have|own)|have\s+(?:i|we)\s+got)"
_ENDS = r"(?=\s*(?:[?.!,;]|$|(?:now|still|yet|any\s*more|at\s+home|right\s+now|or|and)\b))"
"""After a group's word that ends what is asked of them: "Do I have a pet?", not "a pet allergy"."""
_ZH_NOT_THEM = "(?!的|过敏|粮|食|用品|店|医院|保险|毛)"
"""After a Chinese group word that says no group: 我有宠物过敏吗？, 我有孩子的照片吗？."""


def _group(
    names: tuple[str, str, str, str],
    members: tuple[str, ...],
    english: str,
    chinese: str,
    *,
    unheld: tuple[str, ...] = (),
    zh_asked: str = "",
    kinds: str = "",
    zh_kinds: str = "",
    together: str = "",
    named_by: tuple[str, ...] = (),
) -> Group:
    """The :class:`Group` with ``names`` (:attr:`~Group.name`, :attr:`~Group.one`, :attr:`~Group.zh_name`,
    :attr:`~Group.zh_counter`) of ``members`` (:attr:`~Group.unheld`: all of them unless said), said by
    the regex alternatives ``english`` and ``chinese``, and asked which they are by ``zh_asked``
    too (我养了什么？); ``kinds``, ``zh_kinds``: words for ones no member names (hamster, 仓鼠)."""
    have = r"(?:养了|养|有)(?:几个|几只|多少(?:个|只)?|没有|什么|哪些)?"
    counted = (
        rf"\bhow\s+many\s+(?:{english})\s+{_HAVE}\b|\b{_HAVE}\s+(?:any\s+|a\s+)?(?:{english}){_ENDS}"
        rf"|\b(?:what|which)\s+(?:kinds?\s+of\s+)?(?:{english})\s+{_HAVE}\b"
        rf"|\b(?:tell\s+me\s+about|list|who\s+are|what\s+are)\s+(?:all\s+)?(?:my|our)\s+(?:{english})\s*(?:[?.!]|$)"
        rf"|我(?:们)?(?:家)?{have}(?:{chinese}){_ZH_NOT_THEM}|我(?:们)?(?:家)?的?(?:{chinese})都?(?:有|是)(?:哪些|什么)"
    )
    owned = rf"\b(?P<my>my|our)\s+(?:(?:{'|'.join(KIN_WORDS)})\s+)?(?:{english})(?P<own>['’]s?)?(?![\w'’])"
    said = [english, chinese, kinds, zh_kinds, *(re.escape(word) for slug in members for word in relation_words(slug))]
    kind_words = [word for slug in members if slug != together for word in relation_words(slug)]
    en_kinds, zh_kinds_said = (
        longest_first([w for w in kind_words if w.isascii() == latin]) for latin in (True, False)
    )
    kind_counted = (
        rf"\bhow\s+many\s+(?P<kind>{en_kinds})(?:e?s)?\s+{_HAVE}\b"
        rf"|我(?:们)?(?:家)?(?:有|养了?)(?:几|多少)(?:只|条|个|匹)?(?P<zh>{zh_kinds_said})"
    )
    words, zh_words = ("|".join(word for word in said if word and word.isascii() == latin) for latin in (True, False))
    return Group(
        *names,
        members=members,
        english=re.compile(owned, re.I),
        chinese=re.compile(rf"(?P<my>我(?:们)?(?:家)?(?:的)?)(?:{chinese})(?!粮|食品|用品|店|医院|保险)"),
        unheld=unheld or members,
        counted=re.compile("|".join(filter(None, (counted, zh_asked))), re.I),
        words=re.compile(rf"\b(?:{words})(?:'?s)?\b|{zh_words}", re.I),
        together=together,
        named_by=named_by,
        kind_counted=re.compile(kind_counted, re.I),
    )


CHILDREN = _group(
    ("children", "child", "孩子", "个"),
    ("son", "daughter", "child", "children"),
    r"kids?|child(?:ren)?|little\s+ones?",
    "孩子们?|小孩子?|儿女|子女",
    unheld=("child",),
    together="children",
)
PETS = _group(
    ("pets", "pet", "宠物", "只"),
    PET_SLUGS,
    r"pets?(?![\s-]+(?:peeves?|projects?|theor(?:y|ies)|hates?|causes?|subjects?|topics?|food|insurance|stores?|"
    r"shops?|supplies|sitters?)\b)|animals?"
    r"|fur\s*bab(?:y|ies)|furry\s+friends?",
    "宠物们?|小动物|动物|毛孩子",
    zh_asked=r"我(?:们|家)?养了?(?:些)?(?:什么|啥)(?=[？?吗呢]|$)",
    unheld=("dog", "cat"),
    kinds=r"birds?|fish|pupp(?:y|ies)|bunn(?:y|ies)|pon(?:y|ies)|guinea\s+pigs|snakes?",
    zh_kinds="小鸟|热带鱼|蛇",
    named_by=("pet_name",),
)
GROUPS = (CHILDREN, PETS)
"""The groups a question may name: the user's children (son, daughter) and pets (dog, cat, hamster ...)."""


def as_held_member(question: str, items: Iterable[RetrievedItem]) -> str:
    """A question about the user's child or pet ("How old is my kid?", 我的宠物叫什么？) asked of
    the members of its group that the facts among ``items`` hold: of the one ("How old is my
    daughter?" after "My daughter Emma is 7"), of each where several are ("my son or my daughter":
    :mod:`~.groups` tells each where it can); where none is, of :attr:`Group.unheld` where its word
    names no relation (我小孩叫什么？ asks of a 孩子, not of the user; "my kid" stays), unless a
    fact names one by no relation (``user.pet_name``, which "What's my pet's name?" asks for)."""
    items = list(items)
    for group in GROUPS:
        held = group.held(items)
        if held or not group.told_of(items):
            question = group.said_as(question, *(held or group.unheld), relations=bool(held))
    return question


_HELD_VERSIONS = 8
"""How many newest versions of a pet or child say which are held (any other relation: its newest)."""


def stored_relation_names(store: TierStore, namespace: str, now: datetime) -> dict[str, str]:
    """:func:`relation_names` of the user's relations as stored in ``namespace`` (the value each
    ``user.<relation>`` fact holds now, from its newest versions, read from the store's fact heads
    in memory: two dogs held, "Rex, Bella", name no one dog)."""
    keys = [f"user.{slug}" for slug in RELATIONS_ZH]
    newest = store.latest_facts(namespace, [k for k in keys if k[5:] not in SET_VALUED], now=now, versions=1)
    newest |= store.latest_facts(namespace, [k for k in keys if k[5:] in SET_VALUED], now=now, versions=_HELD_VERSIONS)
    held = {key: [version.fact.value for version in versions if version.fact] for key, versions in newest.items()}
    return relation_names((key, current_value(key.partition(".")[2], values)) for key, values in held.items() if values)


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
            word = slug.replace("_", " ")  # "my mother in law", as it is said
            text = said.sub(lambda m: f"my {word}" if _said_as_name(text, m, name) else m.group(), text)  # noqa: B023
        else:  # not inside a longer name (王芳芳), nor said as a value (我叫王芳, 我最喜欢的人是王芳)
            value = "" if is_question(text) else "(?<![叫是])"
            written = rf"{value}{re.escape(name)}(?!{re.escape(name[-1])})(?!{_ZH_SAID_IS})"
            text = re.sub(written, f"我{RELATIONS_ZH.get(slug, slug)}", text)
    return text
