"""The memories that may say a fact that no fact holds: the words no fact was read from, and a
fact's words that say more than it holds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from .asked import mentions, referent, referents, relation_words
from .attribute_words import ATTRIBUTE_WORDS
from .clauses import clauses
from .extract import extract_facts
from .fact_match import NAMED_IN
from .polarity import may_answer
from .replies import is_chinese
from .retriever import RetrievedItem
from .updates import content_words


def unread(
    missing: str, own: list[RetrievedItem], items: list[RetrievedItem], about: frozenset[str]
) -> list[RetrievedItem]:
    """The memories of ``own`` that may say fact ``missing``, which no fact of ``items`` holds:
    those no fact was read from, and the words of a fact that say more than it holds ("I'm 5'10"
    and I weigh 165 lbs" holds the height and says the weight) or name whom it asks about; for a question ``about`` a
    relation, none that names only others ("my mom's birthday is March 3" does not say when the
    dad's is)."""
    read = {item.text for item in items if item.key}
    said = [
        item
        for item in items
        if (item in own and (item.text not in read or (bool(item.key) and item.key != missing and says_more(item))))
        or (item.key and item.key != missing and _names_other(item, about))
    ]
    # the words a fact holds all they say ("My wife is Anna." in an episode says nothing of her job)
    told = read - {item.text for item in said if item.key}
    said = [kept for item in said if (kept := _kept_lines(item, lambda line: line not in told)) is not None]
    return [item for item in said if not about or not (whose := referents(item.text)) or whose & about]


def _kept_lines(item: RetrievedItem, keep: Callable[[str], bool]) -> RetrievedItem | None:
    """``item`` with the lines ``keep`` holds for: an episode's below its day, another memory's text
    whole; ``None`` where none is left."""
    if item.kind != "episode":
        return item if keep(item.text) else None
    day, *lines = item.text.splitlines()
    kept = [line for line in lines if keep(line)]
    if kept == lines:
        return item
    return item.model_copy(update={"text": "\n".join([day, *kept])}) if kept else None


def _names_other(fact: RetrievedItem, about: frozenset[str]) -> bool:
    """Whether the words of ``fact`` name whom a question is ``about`` while it holds another's
    fact (我养了一只猫，叫咪咪 holds the user's pet's name and says it of the cat)."""
    return referent(fact.key) not in about and any(mentions(fact.text, slug) for slug in about)


def says_more(fact: RetrievedItem) -> bool:
    """Whether the words of ``fact`` say more than it holds, whom it is of and the names it says
    ("My daughter Emma turns 7 on December 14th" holds the daughter's name; "My girlfriend is
    Emma" and "My sister Anna lives in Rome" say no more)."""
    subject, _, attribute = fact.key.partition(".")
    if is_chinese(fact.text):  # 我叫李明，在北京工作 holds the name and says where the user works
        return any(fact.value not in clause for clause in clauses(fact.text))
    words = [*ATTRIBUTE_WORDS.get(attribute, ()), *_SAID_AS.get(attribute, ()), *relation_words(attribute)]
    said = " ".join([fact.value, attribute.replace("_", " "), *words, *relation_words(subject)])
    names = {name.casefold() for name in NAMED_IN.findall(fact.text)}  # "My sister Anna lives in Rome."
    return bool(content_words(fact.text) - content_words(said) - names - _NAMING)


_SAID_AS = {"allergy": ("allergic",)}
"""Words that say an attribute as a statement does, no more than it ("I'm allergic to penicillin")."""
_NAMING = frozenset({"called", "named", "name", "goes", "call"})
"""Words that say a name, and nothing more."""


def of_polarity_asked(question: str, items: list[RetrievedItem]) -> list[RetrievedItem]:
    """``items`` without what states only a taste the question does not ask (:func:`~.polarity.may_answer`:
    "I don't like spicy food" says nothing of what one likes), a fact or the words of a memory; an
    episode without such lines."""
    kept = (
        (item if may_answer(question, item.key, item.value) else None)
        if item.key
        else _kept_lines(item, lambda line: _may_answer_words(question, line))
        for item in items
    )
    return [item for item in kept if item is not None]


def _may_answer_words(question: str, line: str) -> bool:
    """Whether ``line`` states a fact of the taste ``question`` asks, or states no fact at all."""
    facts = [fact for fact, _ in extract_facts(line, datetime.now(UTC))]
    return not facts or any(may_answer(question, fact.key, fact.value) for fact in facts)
