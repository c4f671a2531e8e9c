"""Which stored fact a question asks for, and which one it asks for that no memory holds.

The responder answers a question from a fact only when the question asks for
that fact: one of the fact's probe questions ("What is my weight?", "Where does
my sister live?") is near the question in the embedding space, and nearer than
the probes of the facts no memory holds; and it says "You haven't told me"
where a question asks for a fact of the user's, or of a relation's, that no
memory holds, rather than let the local model make one up.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime

import numpy as np
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.masking import FORGOTTEN
from tiermem.memory.records import RELATIONS_ZH
from tiermem.memory.versions import SET_VALUED, holds_several

from .answer import Answer
from .asked import by_relation, mentions, referent, referents
from .attribute_words import ATTRIBUTE_WORDS, value_named
from .clauses import line_nearness
from .extract import extract_facts
from .fact_names import PARTNER_SLUGS, attribute_noun
from .fact_probes import KIND_OF, asked_as_the_users, asked_keys, fact_probes
from .groups import group_answer
from .nearness import asks_earlier, stem
from .polarity import may_answer
from .relation_names import name_answers_not
from .retriever import RetrievedItem
from .secrets import KEPT_OUT
from .statements import is_question
from .taste_replies import without_opposed
from .yes_no import said_fact

_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|my|me|mine|myself)\b|我", re.I)
_TO_ASSISTANT = re.compile(r"\byou(?:r|rs|rself)?\b|你", re.I)
"""A question to the assistant ("What's your name?", 你叫什么名字？), where it says no "I" or "my"."""
ASKS_FOR = 0.8
"""Cosine similarity at which a question asks for one of :data:`ASKED_ATTRIBUTES` ("How much do I
weigh now?" 0.82 from "What is my weight?", "Where do I work?" 0.70 from "Where do I live?")."""


def says_something(line: str) -> bool:
    """Whether ``line`` says more than what a forget masked in it ("[forgotten]")."""
    return re.search(r"\w{2}", line.replace(FORGOTTEN, "")) is not None


def said_lines(episode: RetrievedItem) -> list[str]:
    """The lines of an episode (below its day) that state something: no question, no secret left out."""
    lines = episode.text.splitlines()[1:]
    return [line for line in lines if says_something(line) and line != KEPT_OUT and not reads_as_question(line)]


def memory_lines(item: RetrievedItem) -> list[str]:
    """What a memory says: its text; an episode's lines that state something; none left only masks
    by a forget ("[forgotten]")."""
    lines = said_lines(item) if item.kind == "episode" else [item.text]
    return [line for line in lines if says_something(line)]


def to_assistant(question: str) -> bool:
    """Whether ``question`` asks about the assistant, not the user ("What's your name?", 你叫什么名字？)."""
    return _TO_ASSISTANT.search(question) is not None and not _FIRST_PERSON.search(question)


_LOOSELY_ASKED = re.compile(r"^(?:when|do|does|did|is|are)\b|吗|呢|多少|哪", re.I)


def reads_as_question(text: str) -> bool:
    """Whether ``text`` asks something, read loosely: a question (:func:`~.statements.is_question`),
    or a line that starts as one ("when I was ...", "Do ...", "Is ...") or holds a Chinese question
    word anywhere (哪, 多少, 吗, 呢). A memory line that reads so tells nothing to quote."""
    return is_question(text) or _LOOSELY_ASKED.search(text.strip()) is not None


NAMED_IN = re.compile(r"(?<=\s)(?-i:[A-Z])[a-z]+\b")
"""A name said inside a text ("What is Emma allergic to?", "What does Tom do?"), not its first word."""


def _of_several(fact: RetrievedItem, items: list[RetrievedItem]) -> bool:
    """Whether ``fact`` is of a relation the user holds several of (``son.age`` with ``user.son``
    holding "Max, Jake"): it is one son's, and no fact says whose, so it answers "my son" for neither."""
    subject = fact.key.partition(".")[0]
    return subject in SET_VALUED and any(item.key == f"user.{subject}" and holds_several(item.value) for item in items)


def _names_relation(key: str, held: set[str]) -> bool:
    """Whether ``key`` is a relation's name (``sister.name``) that is held as ``user.sister``."""
    subject, _, attribute = key.partition(".")
    return attribute == "name" and f"user.{subject}" in held


PARTNER_KEYS = frozenset(f"user.{slug}" for slug in PARTNER_SLUGS)
"""One place in a life, named by several words: the newest of them is the current partner."""
QUOTE_RELEVANCE = 0.35
"""Cosine similarity at which a memory's text may be quoted for a Chinese question no fact answers
("我开什么车？" is 0.24 from "今天跑了10公里" and 0.44 from "我买了一辆特斯拉"; "我住在哪里？" 0.42 from
"我住在杭州西湖区")."""


def named_value(question: str, items: list[RetrievedItem]) -> RetrievedItem | None:
    """The first fact among ``items`` whose value, now or earlier, the question names ("布洛芬我吃
    多少？" names ``medication = 布洛芬 200mg``, "Did I work at Google?" an employer that was
    Google): its newest version, not an older memory's text (:func:`~.forgetting.value_named`)."""
    for item in items:
        values = [item.value, *(version.value for version in item.versions)] if item.key else []
        if any(value_named(question, value) for value in values):
            return item
    return None


def named_relation(question: str, items: list[RetrievedItem]) -> RetrievedItem | None:
    """The first of the user's relation facts the question names by its word ("Do I have a
    dog?": ``user.dog = Max and Bella``), not as the one it asks about ("Is my girlfriend
    allergic to cats?" asks about her, not whether she is)."""
    about = referents(question)
    for item in items:
        subject, _, attribute = item.key.partition(".")
        if subject == "user" and attribute in RELATIONS_ZH and attribute not in about and mentions(question, attribute):
            return item
    return None


def may_say(item: RetrievedItem, key: str, value: str, names: Mapping[str, str]) -> bool:
    """Whether a memory that is no fact may say what a yes-or-no question asks of ``key`` and
    ``value`` ("Emma has asthma" for ``girlfriend.condition = asthma`` where Emma is the
    girlfriend): a statement that names the value and whom the key is about (the user: in the
    first person, naming no relation)."""
    if item.key or reads_as_question(item.text) or not value_named(item.text, value):
        return False
    whom = referent(key)
    text = by_relation(item.text, names)
    if whom != "user":
        return mentions(text, whom)
    return _FIRST_PERSON.search(text) is not None and not referents(text)  # "my girlfriend has asthma" is hers


def says_other(item: RetrievedItem, key: str, names: Mapping[str, str]) -> bool:
    """Whether a memory that is no fact says another value of ``key`` than the one asked: "Emma is
    allergic to cats" for "Is Emma allergic to dogs?" (``emma.allergy``), told as said, no yes."""
    if item.key or reads_as_question(item.text):
        return False
    said = said_fact(by_relation(item.text, names))
    return said is not None and said[0] == key


def _read(text: str, keys: set[str]) -> bool:
    """Whether a message says only facts among ``keys`` ("My girlfriend is Emma" with
    ``user.girlfriend`` held): read into them, it holds nothing more for the model to read."""
    facts = [fact.key for fact, _ in extract_facts(text, datetime.now(UTC))]
    return bool(facts) and set(facts) <= keys


_WHAT_THING = re.compile(
    r"^\s*(?:(?:what|which)\s+(?P<thing>[a-z]{3,})\s+(?:do|does|did|am|is|are|was|were)\b"
    r"|what(?:['’]s|\s+is|\s+are)\s+my\s+(?P<which>(?:[a-z]+(?:['’]s)?\s+){1,2})(?!(?:now|again|today|then|like|called|named)\b)"
    r"(?P<owned>[a-z]{3,}(?<!ed)(?<!ing))\s*\??\s*$)",
    re.I,
)
"""A question for a thing named after its "what" ("What shifts do I work?", "Which days do I run?"),
or last after a word that says whose or which ("What's my metformin dose?": dose, "What's my car's
color?": color)."""


def asked_aspect(question: str, fact: RetrievedItem) -> str | None:
    """The stem of a thing ``question`` names after its "what" ("What color is my car?": color,
    "What shifts do I work?": shift) that ``fact`` neither is, holds nor is asked by (its words,
    value and probes: "What food do I not like?" names food); ``None`` where it names none such."""
    asked = _WHAT_THING.match(question)
    if asked is None:
        return None
    return _not_held(stem(asked["thing"] or asked["owned"]), fact)


def _not_held(thing: str, fact: RetrievedItem) -> str | None:
    """``thing`` (a stem) where ``fact`` neither is, holds nor is asked by it, else ``None``."""
    attribute = fact.key.partition(".")[2]
    said_of_fact = " ".join(
        [*ATTRIBUTE_WORDS.get(attribute, ()), attribute_noun(attribute), fact.value, *fact_probes(fact.key)]
    )
    return None if thing in {stem(word) for word in re.findall(r"[a-z]+", said_of_fact.casefold())} else thing


def _which_not_held(question: str, fact: RetrievedItem) -> list[str]:
    """The stems of the words that say which of its thing ``question`` asks for, or the thing someone's
    it asks for, that ``fact`` does not hold ("What's my passport number?" of ``user.phone_number``:
    passport; "When is Coco's vet appointment?" of ``dog.age``: vet, appointment)."""
    which = _which_words(question)
    which += re.findall(r"[a-z]{3,}", owned["thing"].casefold()) if (owned := _OWNED_THING.search(question)) else []
    return [thing for word in which if (thing := _not_held(stem(word), fact))]


def _which_words(question: str) -> list[str]:
    """The words after "my" that say which of its thing ``question`` asks for ("What's my flight
    number?": flight; "What's my car's color?": car)."""
    asked = _WHAT_THING.match(question)
    said = re.findall(r"[a-z']{3,}", asked["which"].casefold()) if asked and asked["which"] else []
    return [word.removesuffix("'s") for word in said]


_OWNED_THING = re.compile(r"\b\w+['’]s\s+(?P<thing>(?:[a-z]+\s+){0,2}[a-z]{3,})\s*[?？.]?\s*$", re.I)
"""The thing a question ends by asking of someone ("When is Coco's vet appointment?")."""


def _asks_another_thing(question: str, fact: RetrievedItem, items: list[RetrievedItem]) -> bool:
    """Whether ``question`` asks for a thing that ``fact`` does not hold (:func:`asked_aspect`) while
    another memory names it ("What shifts do I work?", "I work night shifts"), or one of another
    thing than the fact's ("What's my passport number?" with the phone number held): that memory
    says it, not the fact ("Your occupation is nurse")."""
    things = [thing] if (thing := asked_aspect(question, fact)) else []
    # a line that asks ("What foods do I like?", an episode's too) names no thing held; the words
    # that start as the thing's stem does are stemmed, no other
    stating = [line for item in items for line in item.text.splitlines() if not reads_as_question(line)]
    return any(_names_stem(line, thing) for thing in [*things, *_which_not_held(question, fact)] for line in stating)


def _names_stem(line: str, thing: str) -> bool:
    """Whether ``line`` says a word of stem ``thing``; only the words that start as it does are stemmed."""
    starting = re.compile(rf"\b{re.escape(thing[: max(3, len(thing) - 1)])}[a-z]*", re.I)  # "studi": "study"
    return thing in {stem(word) for word in starting.findall(line)}


def naming_which(question: str, lines: list[str]) -> list[str]:
    """Those of ``lines`` that name a word saying which thing ``question`` asks for ("What's my flight
    number?": flight, not "My passport number is ..."), where any does; else all of them."""
    which = [stem(word) for word in _which_words(question)]
    naming = [line for line in lines if any(_names_stem(line, thing) for thing in which)]
    return naming or lines


class FactMatcher:
    """Matches questions to the facts among the retrieved memories.

    Args:
        embedder: embeds questions and probe questions (none: no fact is ever matched).
        fact_threshold: cosine similarity between the question and a fact's probe question
            above which the fact answers it.
        context_items: how many of the retrieved memories are looked at.
    """

    def __init__(self, *, embedder: BaseEmbedder | None, fact_threshold: float, context_items: int) -> None:
        self.embedder = embedder
        self.fact_threshold = fact_threshold
        self.context_items = context_items
        self._attribute_probes: dict[str, tuple[list[str], np.ndarray]] = {}
        """Per owner (``user``, a relation), the keys of :data:`ASKED_ATTRIBUTES` and their probes' vectors."""

    def matching_fact(self, question: str, items: list[RetrievedItem]) -> RetrievedItem | None:
        """The retrieved fact a question asks for, if one matches closely enough.

        Only questions qualify, and only facts about whom the question asks (the user, "my
        sister", "Anna": :mod:`tiermem.agents.asked`); one of the fact's probe questions ("What
        is my weight?", "Where does my sister live?") must be within :attr:`fact_threshold`
        cosine similarity of the question, and nearer than the probes of the user's facts that
        are not among them ("Where do I work?" asks for an employer, never for the home city).
        A taste the question does not ask is none of them (:meth:`of_polarity`).
        """
        if to_assistant(question):
            return None  # "What's your name?" asks the assistant, not the user's name
        facts = [item for item in items if item.key]  # every fact retrieved: the 6th may be the one asked
        asked = referents(question, {item.key.partition(".")[0] for item in facts}) or {"user"}
        facts = [  # "Am I married?" asks the user about the husband
            item
            for item in self.of_polarity(question, facts)
            if referent(item.key) in asked or (asked == {"user"} and asked_as_the_users(item.key, question))
        ]
        facts = [item for item in facts if not name_answers_not(question, item, asked) and not _of_several(item, items)]
        if self.embedder is None or not facts or not reads_as_question(question):
            return None
        kind_of = KIND_OF.search(question)
        holding = named_value(question[kind_of.end() :], facts) if kind_of else None
        if holding is not None:  # "What kind of diabetes do I have?": the fact that holds diabetes, whatever is nearer
            return holding
        held = {item.key for item in facts}
        # the probes of the facts not held compete: "What is my sister's job?" is not her home city
        absent = [key for key in asked_keys(asked) if key not in held and not _names_relation(key, held)]
        probes = [(index, probe) for index, item in enumerate(facts) for probe in fact_probes(item.key)]
        probes += [(-1, probe) for key in absent for probe in fact_probes(key)]
        vectors = self.embedder.encode([question, *(probe for _, probe in probes)])
        similarity = vectors[1:] @ vectors[0]
        best = int(similarity.argmax())
        index = probes[best][0]
        if index < 0 or similarity[best] < self.fact_threshold:
            return None
        if facts[index].key in PARTNER_KEYS:  # "dating Sophie" after "my girlfriend Emma": the newest partner
            shown = items[: self.context_items]
            return max((item for item in shown if item.key in PARTNER_KEYS), key=lambda item: item.created_at)
        if asks_earlier(question) and not facts[index].history:  # "Where did I work before?": not the one now
            return None
        if _asks_another_thing(question, facts[index], items):  # "What shifts do I work?" is no occupation
            return None
        return facts[index]

    @staticmethod
    def of_polarity(question: str, items: list[RetrievedItem]) -> list[RetrievedItem]:
        """``items`` without the facts of a taste the question does not ask (:mod:`~.polarity`): no
        dislike for "What do I like?", no like for "What do I hate?", to answer or to quote; a taste
        kept, without the values a newer fact of the opposite taste holds
        (:func:`~.taste_replies.without_opposed`: "I love coffee", later "I don't drink coffee")."""
        kept = (without_opposed(item, items) if item.key else item for item in items)
        return [
            item for item in kept if item is not None and (not item.key or may_answer(question, item.key, item.value))
        ]

    def said_of_named(
        self, question: str, items: list[RetrievedItem], names: Mapping[str, str]
    ) -> RetrievedItem | None:
        """A memory that says the allergy or condition a question asks of a person named who is no
        relation and has no facts ("What is Emma allergic to?", "What health conditions does Emma
        have?" with "Emma is allergic to cats" said): quoted, as a yes-or-no question's is, where
        the question is within :data:`ASKS_FOR` of that attribute's probe for them."""
        if self.embedder is None or not reads_as_question(question):
            return None
        for name in dict.fromkeys(NAMED_IN.findall(question)):
            said = [
                (item, fact[0])
                for item in items
                if not item.key
                and not reads_as_question(item.text)
                and (fact := said_fact(by_relation(item.text, names)))
                and fact[0].startswith(f"{name.casefold()}.")
            ]
            if not said:
                continue
            keys = list(dict.fromkeys(key for _, key in said))
            probes = [(key, probe) for key in keys for probe in fact_probes(key)]
            similarity = self.embedder.encode([probe for _, probe in probes]) @ self.embedder.encode_one(question)
            best = int(similarity.argmax())
            if similarity[best] >= ASKS_FOR:
                return next(item for item, key in said if key == probes[best][0])
        return None

    def relevant(self, question: str, item: RetrievedItem) -> bool:
        """Whether ``item`` is near enough to the question to be quoted as its answer
        (:data:`QUOTE_RELEVANCE`; an episode by its nearest line): the best-ranked memory of a user
        may say nothing about it."""
        if self.embedder is None:
            return True
        said = said_lines(item) if item.kind == "episode" else [item.text]
        return bool(said) and float(np.max(line_nearness(self.embedder, question, said))) >= QUOTE_RELEVANCE

    def unknown_referents(self, question: str, items: list[RetrievedItem]) -> frozenset[str]:
        """The relations a question asks about ("my brother") that no retrieved memory mentions:
        no fact is about them and no memory's text names them (in any of their words)."""
        shown = items[: self.context_items]
        asked = referents(question) - {referent(item.key) for item in shown if item.key}
        return frozenset(slug for slug in asked if not any(mentions(item.text, slug) for item in shown))

    def about_group(self, question: str, items: list[RetrievedItem], now: datetime | None = None) -> Answer | None:
        """The answer to a question that counts the user's children or pets, asks "my kid" or "my
        pet" where several are held (told from each held), or asks of them where none is
        (:func:`~.groups.group_answer`)."""
        return group_answer(question, items, self, now)

    def missing_attribute(self, question: str, items: list[RetrievedItem]) -> str | None:
        """The key of a fact that the question asks for ("Where do I live?": ``user.lives_in``;
        "What is my sister's job?": ``sister.occupation``) and that no retrieved memory holds:
        the local model would make one up.

        Only the attributes people name in a few words (:data:`ASKED_ATTRIBUTES`), of the user or
        of one relation of theirs, and only a question in the first person ("How old is
        Caroline?" asks about someone else) within :data:`ASKS_FOR` of one of their probe
        questions qualify.
        """
        whose = referents(question) or frozenset({"user"})
        candidates = asked_keys(whose)
        if self.embedder is None or not candidates or not _FIRST_PERSON.search(question):
            return None
        (slug,) = whose
        if slug not in self._attribute_probes:
            probes = [(key, p) for key in candidates for p in fact_probes(key)]
            self._attribute_probes[slug] = ([k for k, _ in probes], self.embedder.encode([p for _, p in probes]))
        keys, vectors = self._attribute_probes[slug]
        similarity = vectors @ self.embedder.encode_one(question)
        similarity[[not may_answer(question, key) for key in keys]] = -1.0  # "What do I hate?" asks no like
        best = int(similarity.argmax())
        asked = keys[best]
        held = {item.key for item in items}
        if similarity[best] < ASKS_FOR or asked in held or _names_relation(asked, held):
            return None
        if slug != "user" and any(  # an episode by its lines: the others may hold facts not retrieved
            mentions(line, slug) and not reads_as_question(line) and not _read(line, held)
            for item in items
            if not item.key
            for line in memory_lines(item)
        ):
            return None  # "My brother Tom visited": the model may read the answer there ("Who's my sister?" holds none)
        return asked
