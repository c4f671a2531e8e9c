"""How a fact's key is named to the user, in English and Chinese.

Example:
    >>> attribute_noun("lives_in"), attribute_noun("plan_exam")
    ('home city', 'exam')
    >>> owned("user.lives_in"), owned("sister.occupation"), owned("user.sister"), owned("emma.allergy")
    ('your home city', "your sister's occupation", 'your sister', "Emma's allergy")
    >>> zh_key("user.weight"), zh_key("sister.lives_in"), zh_key("user.daughter"), zh_key("user.plan_trip")
    ('体重', '姐妹的居住城市', '女儿', '行程')
    >>> owned_several("user.cat", "Luna and Milo"), owned_several("sister.dog", "Rex, Bo and Kim")
    ('your cats', "your sister's dogs")
    >>> zh_owned("user.lives_in"), zh_owned("sister.occupation"), forgotten_key("lives_in = [forgotten]")
    ('你的居住城市', '你姐妹的工作', 'user.lives_in')
"""

from __future__ import annotations

import re

from tiermem.memory.records import RELATIONS_ZH

from .attribute_words import ATTRIBUTE_WORDS
from .fact_words import PET_SLUGS, ZH_PLAN_KINDS

_ATTRIBUTE_NOUNS = {
    "lives_in": "home city",
    "diet_identity": "diet",
    "origin": "place of origin",
    "birth_year": "birth year",
}


def attribute_noun(attribute: str) -> str:
    """An attribute as a noun phrase: ``lives_in`` -> ``home city``, ``plan_exam`` -> ``exam``,
    ``mother_in_law`` -> ``mother-in-law``, ``in_laws`` -> ``in-laws``."""
    if attribute.endswith(("_in_law", "in_laws")):
        return attribute.replace("_", "-")
    return _ATTRIBUTE_NOUNS.get(attribute, attribute.removeprefix("plan_").replace("_", " "))


def who(subject: str) -> str:
    """Whom a fact is of, as a reply's subject: ``user`` -> "you", a relation -> "your sister", a
    named person -> "Emma"."""
    if subject == "user":
        return "you"
    return f"your {attribute_noun(subject)}" if subject in RELATIONS_ZH else subject.title()


def sentence_start(said: str) -> str:
    """``said`` as a sentence starts: its first letter capitalised, the rest as it is ("your mother-in-law" ->
    "Your mother-in-law")."""
    return said[:1].upper() + said[1:]


PARTNER_SLUGS = frozenset({"partner", "girlfriend", "boyfriend", "wife", "husband", "fiance"})
"""The relations one dates or is married to (one held at a time)."""
PLURAL_ATTRIBUTES = frozenset({"children", "kids", "parents", "siblings", "pets", "in_laws", "grandparents"})
"""Attributes named by a plural noun (and relations of several: "your parents'", "your in-laws'")."""


def whose(subject: str) -> str:
    """Whose a fact is, as a reply says it: "your", "your sister's", "Emma's", "your parents'"."""
    if subject == "user":
        return "your"
    plural_s = subject in PLURAL_ATTRIBUTES and subject.endswith("s")  # "your parents'"; "children's" is right
    return f"{who(subject)}'" if plural_s else f"{who(subject)}'s"


def zh_who(subject: str) -> str:
    """Whom a fact is of in Chinese: ``user`` -> 你, a relation -> 你姐妹, a named person -> Emma."""
    return "你" if subject == "user" else f"你{RELATIONS_ZH[subject]}" if subject in RELATIONS_ZH else subject.title()


def owned(key: str) -> str:
    """A fact's key as the user's thing: ``user.lives_in`` -> "your home city", ``user.sister`` ->
    "your sister" (a relation held: their name), ``sister.occupation`` -> "your sister's occupation"."""
    subject, _, attribute = key.partition(".")
    return f"{whose(subject)} {attribute_noun(attribute)}"


_IRREGULAR_PLURALS = {"child": "children", "goldfish": "goldfish", "fish": "fish", "mouse": "mice"}
_NAMES = re.compile(r"(?-i:[A-Z][\w'-]*)(?:\s+(?-i:[A-Z][\w'-]*))?")
_SEVERAL_NAMES = re.compile(rf"^{_NAMES.pattern}(?:\s*,\s*{_NAMES.pattern})*(?:\s*,)?\s+(?:and|&)\s+{_NAMES.pattern}$")
"""Two or more names said as a list ("Luna and Milo", "Rex, Bo and Kim")."""


def plural_noun(noun: str) -> str:
    """A noun's plural, its last word's: ``cat`` -> cats, ``puppy`` -> puppies, ``guinea pig`` ->
    guinea pigs, ``child`` -> children."""
    head, space, last = noun.rpartition(" ")
    if last in _IRREGULAR_PLURALS:
        return f"{head}{space}{_IRREGULAR_PLURALS[last]}"
    if last.endswith("y") and last[-2:-1] not in "aeiou":
        return f"{head}{space}{last[:-1]}ies"
    return f"{noun}es" if last.endswith(("s", "sh", "ch", "x")) else f"{noun}s"


def owned_several(key: str, value: str) -> str | None:
    """``key`` said as several ("your cats") where it is a pet or relation held by a ``value`` that
    names more than one ("Luna and Milo"); ``None`` otherwise."""
    subject, _, attribute = key.partition(".")
    several_kind = attribute in PET_SLUGS or attribute in RELATIONS_ZH
    if several_kind and attribute not in PLURAL_ATTRIBUTES and _SEVERAL_NAMES.match(value.strip()):
        return f"{whose(subject)} {plural_noun(attribute_noun(attribute))}"
    return None


_ZH_NOUNS = {
    "lives_in": "居住城市",
    "condition": "病情",
    "origin": "家乡",
    "plan_flight": "航班",
    "plan_wedding": "婚礼",
    "plan_meeting": "会议",
    "plan_trip": "行程",
    "plan_appointment": "预约",
    "plan_move": "搬家",
}
"""Chinese nouns for attributes where the first Chinese word people use for them is no noun for the
value (a plan's kind is named by its first Chinese word otherwise: ``plan_exam`` -> 考试)."""
_ZH_PLAN_NOUNS = {f"plan_{kind}": word for word, kind in reversed(ZH_PLAN_KINDS.items())}


def zh_noun(attribute: str) -> str:
    """An attribute's Chinese noun (``weight`` -> 体重): the first Chinese word people name it by."""
    said = next((word for word in ATTRIBUTE_WORDS.get(attribute, ()) if not word.isascii()), None)
    planned = _ZH_PLAN_NOUNS.get(attribute)
    return _ZH_NOUNS.get(attribute) or said or planned or RELATIONS_ZH.get(attribute) or attribute_noun(attribute)


def zh_key(key: str) -> str:
    """A fact's key in Chinese words: ``user.weight`` -> 体重, ``sister.lives_in`` -> 姐妹的居住城市,
    ``user.daughter`` (her name) -> 女儿."""
    subject, _, attribute = key.partition(".")
    whose = "" if subject == "user" else f"{RELATIONS_ZH.get(subject, subject)}的"
    return f"{whose}{zh_noun(attribute)}"


def zh_owned(key: str) -> str:
    """A fact's key as the user's thing in Chinese: ``user.lives_in`` -> 你的居住城市,
    ``sister.occupation`` -> 你姐妹的工作, ``emma.allergy`` -> emma的过敏."""
    subject = key.partition(".")[0]
    return f"你的{zh_key(key)}" if subject == "user" else f"你{zh_key(key)}" if subject in RELATIONS_ZH else zh_key(key)


def forgotten_key(memory: str) -> str:
    """The key of a forgotten fact from how :class:`~.forgetting.ForgetTarget` tells it
    (``lives_in = Oslo``: the user's; ``sister.lives_in = Oslo``)."""
    key = memory.partition(" = ")[0]
    return key if "." in key else f"user.{key}"
