"""The questions that ask for a fact: "What is my <attribute>?" and how people ask it otherwise.

A question is matched to a fact by its nearness to these probes ("Where do I live?" asks for
``user.lives_in``, "Am I married?" for ``user.husband``), in :mod:`~tiermem.agents.fact_match`.

Example:
    >>> fact_probes("sister.lives_in")
    ["What is my sister's home city?", 'Where does my sister live?']
    >>> asked_keys({"user"})[:2]
    ['user.lives_in', 'user.weight']
"""

from __future__ import annotations

import re

from tiermem.memory.records import RELATIONS_ZH

from .attribute_words import ATTRIBUTE_WORDS
from .fact_names import attribute_noun

_ASKED_WHEN_HELD = frozenset({"diet_identity", "plan_new_job", "plan_baby", "hotel", "anniversary"})
"""Attributes a question is answered from where a fact holds them, but never said untold: the diet's
probe "What do I eat?" is 0.80 from "What did I eat yesterday?", which memories of meals answer;
"When do I start?" may ask of a course or a shift as well as a new job, "When is my due date?" of
a project as well as a baby; "When is our anniversary?" may be of a company's or a death; "Where am I
staying?" of a flat or a friend's place that a memory says and no hotel fact holds."""
ASKED_ATTRIBUTES = tuple(attribute for attribute in ATTRIBUTE_WORDS if attribute not in _ASKED_WHEN_HELD)
"""The user's facts a question is checked against before the local model answers it (but :data:`_ASKED_WHEN_HELD`)."""
_SPOUSE = ("Am I married?", "Who is my spouse?", "What is my spouse's name?")
_DATING = ("Who am I dating?", "Am I in a relationship?", "Am I seeing anyone?", "Am I single?")
_RELATION_PROBES = {
    "wife": _SPOUSE,
    "husband": _SPOUSE,
    "partner": _DATING,
    "girlfriend": _DATING,
    "boyfriend": _DATING,
    "children": ("How many kids do I have?", "Do I have kids?", "What are my kids' names?"),
}
"""How people ask about a relation other than by its word ("Am I married?" for the husband)."""
_NATURAL_PROBES = {
    "lives_in": ("Where {do} {who} live?",),
    "occupation": (
        "What {do} {who} do for a living?",
        "What job {do} {who} have?",
        "What {do} {who} do?",
        "What is {owner} role?",
    ),
    "employer": ("Where {do} {who} work?",),
    "anniversary": ("When is {owner} anniversary?", "When is {owner} wedding anniversary?"),
    "hotel": (
        "Where {be} {who} staying?",
        "Where {be} {who} staying in the city?",
        "What hotel {be} {who} staying at?",
        "Which hotel did {who} book?",
    ),
    "plan_baby": ("When is {owner} baby due?", "When {be} {who} due?", "Am {who} pregnant?"),
    "plan_new_job": (
        "When {do} {who} start?",
        "When {do} {who} start the new job?",
        "When is {owner} first day at work?",
    ),
    "native_language": ("What language {do} {who} speak?",),
    "diet_identity": ("What {do} {who} eat?",),
    "condition": ("What health conditions {do} {who} have?", "What illnesses {do} {who} have?"),
    "allergy": ("What {be} {who} allergic to?", "What allergies {do} {who} have?"),
    "dislike": ("What {do} {who} hate?", "What {do} {who} dislike?", "What food {do} {who} not like?"),
    "likes": (
        "What {do} {who} like?",
        "What {do} {who} enjoy doing?",
        "What food {do} {who} like?",
        "What are {owner} hobbies?",
    ),
    "origin": ("Where {be} {who} from?", "Where did {who} grow up?", "Where was {who} born?"),
    "school": ("Where {do} {who} study?", "Which university {do} {who} go to?", "What school {do} {who} go to?"),
    "major": (
        "What did {who} study?",
        "What did {who} major in?",
        "What {be} {who} studying?",
        "What degree {do} {who} have?",
        "{zh_who}的专业是什么？",  # 专业 is near "What is my occupation?" too
    ),
    "birth_year": ("What year was {who} born?", "When was {who} born?"),
    "car": ("What car {do} {who} drive?", "What kind of car {do} {who} have?"),
    "breed": ("What breed {be} {who}?", "What kind of {pet} {be} {who}?"),
}
"""How people ask for facts where "What is my <attribute>?" is not how they ask ("Where do I
live?" is 0.54 from "What is my home city?" with USE); ``{who}`` is "I", "my sister", "Anna", ``{zh_who}``
我, 我姐妹, Anna."""


KIND_OF = re.compile(r"\b(?:kind|type|sort)\s+of\b|\bbreed\b", re.I)
"""A question for what kind a thing is ("What kind of dog do I have?", "What type of diabetes ...")."""


def asked_as_the_users(key: str, question: str) -> bool:
    """Whether fact ``key`` is asked of the user though it is a relation's: "Am I married?" (the
    husband), "What kind of dog do I have?" (the dog's breed; "Do I have a dog?" asks no breed)."""
    breed = key.endswith(".breed") and KIND_OF.search(question) is not None
    return key.removeprefix("user.") in _RELATION_PROBES or breed


def fact_probes(key: str) -> list[str]:
    """Questions that ask for fact ``key``: "What is my <attribute>?", and the natural ones."""
    subject, _, attribute = key.partition(".")
    if subject == "user" and attribute in RELATIONS_ZH:  # user.wife = 王芳: her name
        named = [f"What is my {attribute}'s name?", f"Who is my {attribute}?", f"Do I have a {attribute}?"]
        return [*named, *_RELATION_PROBES.get(attribute, ())]
    if subject == "user":
        owner, who, do = "my", "I", "do"
    else:
        who = f"my {subject}" if subject in RELATIONS_ZH else subject.title()
        owner, do = f"{who}'s", "does"
    be = "am" if who == "I" else "is"
    zh_who = "我" if subject == "user" else f"我{RELATIONS_ZH[subject]}" if subject in RELATIONS_ZH else subject.title()
    natural = [
        probe.format(who=who, do=do, be=be, pet=subject, zh_who=zh_who, owner=owner)
        for probe in _NATURAL_PROBES.get(attribute, ())
    ]
    if attribute == "name" and subject != "user":  # "Who is my mother?" after 我妈妈是老师: her name
        natural.append(f"Who is {who}?")
    if attribute.startswith("plan_"):  # "When do I move?" is 0.95 from "When is my move?"
        natural.append(f"When is {owner} {attribute_noun(attribute)}?")
    return [f"What is {owner} {attribute_noun(attribute)}?", *natural]


def asked_keys(whose: frozenset[str] | set[str]) -> list[str]:
    """The keys of :data:`ASKED_ATTRIBUTES` of the one the question asks about (the user or a
    relation of theirs); none for a named person or several."""
    if len(whose) != 1:
        return []
    (slug,) = whose
    if slug != "user" and slug not in RELATIONS_ZH:
        return []
    return [f"{slug}.{attribute}" for attribute in ASKED_ATTRIBUTES]
