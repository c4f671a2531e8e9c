"""English answers from the user's own words, where no stored fact answers a question.

The local model (SmolLM2-135M) reads a context poorly: asked "What's my PIN?" with none
stored it makes one up, asked "Where did I park?" it adds a street no one named. So a question
in English that the facts do not answer is answered as a Chinese one is, with the memory that
says it, quoted with its day: ``You told me: "I parked on level 3" (2024-05-03).`` A memory
says it when its text (an episode's nearest line) is within
:data:`~tiermem.agents.fact_match.QUOTE_RELEVANCE` of the question (the cosine of their
embeddings). A newer memory that may say it since is quoted first ("I got a raise, I now make
$95k" before "My salary is $85,000 a year"; "I sold my Toyota ..." before "I drive a Toyota").
A question about the user (I, my, we ...) that no memory says is answered "You haven't told me
that yet." instead of a guess, as is one about their own thing that a memory says is someone
else's ("Do I have a dog?" after "My sister's dog is called Max": :mod:`~tiermem.agents.whose`);
one about a relation or someone named ("What does Tom do?") quotes a memory that names them; a
question for a name only a memory that says one. Advice and help ("How do I fix a flat tire?",
"What's a good gift for my wife?") and any other question ("What is the capital of France?") are
left to the model, whose answer carries a caution where it names an allergen the user holds
(:func:`allergy_caution`). "What do you know about me?" lists what was retrieved
(:func:`everything`); an age or a name no fact holds is told from the birth year or the name the
user goes by (:func:`~tiermem.agents.derived.derived_fact`).

Example:
    >>> from datetime import UTC, datetime
    >>> from tiermem.agents.retriever import RetrievedItem
    >>> parked = RetrievedItem(id="p", tier="short", text="I parked on level 3", score=1.0,
    ...     created_at=datetime(2024, 5, 3, tzinfo=UTC))
    >>> GroundedAnswers(None).answer("Where did I park?", [parked]).text
    'You told me: "I parked on level 3" (2024-05-03).'
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import numpy as np
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.masking import FORGOTTEN

from .answer import Answer
from .clauses import line_nearness
from .corrections import corrects
from .fact_match import (
    NAMED_IN,
    QUOTE_RELEVANCE,
    naming_which,
    reads_as_question,
    said_lines,
    says_something,
    to_assistant,
)
from .fact_words import RELATIONS
from .nearness import asks_only_days, nearest_first
from .plan_dates import words_key
from .replies import dated_words, is_chinese, quote
from .retriever import RetrievedItem
from .timeexpr import find_periods
from .unread import of_polarity_asked, unread
from .updates import may_change
from .whose import about_the_user, the_users

PERSONAL = re.compile(r"\b(?:i|i'm|im|i've|i'd|i'll|my|me|mine|myself|we|we're|our|ours|us)\b", re.I)
"""A question about the user: it says I, my, we ..."""
_THE_THING = re.compile(
    r"^(?:(?:what|where|when|who|which|how)(?:['’]s|\s+(?:is|are|was|were))\s+(?:the|our)"
    r"|(?:when|what\s+(?:time|day|date))(?:['’]s|\s+(?:is|are|was|were))(?:\s+(?:the|our))?"
    r"|how\s+did\s+(?:the|our))\s+([\w' -]{3,40}?)(?:\s+go)?"
    r"(?:\s+(?:due|over|happening|going\s+on|scheduled|planned|starting|ending|held|coming|arriving|born))?\s*[?？]?\s*$",
    re.I,
)
"""A thing asked for by its name ("What's the wifi password?", "Where is the meeting?", "When are
the twins due?", "How was the wedding?", "How did the interview go?", "When is standup?"): a memory
that names it may answer it ("The wifi password here is sunflower88"), while a general question near
a memory does not ("How do I fix a flat tire?" is 0.67 from "My car has a flat tire")."""
NEWER_WITHIN = 0.2
"""How much less near the question the next nearest memory may be than the nearest, where it is
newer, and still be quoted first ("What's my salary?": 0.71 from "My salary is $85,000 a year",
0.53 from the newer "I got a raise, I now make $95k")."""
NEWER_RELEVANCE = 0.4
"""And how near it must be at least: "How much do I earn?" is 0.43 from the newer "I got a raise,
I now make $95k" and 0.37 from the newer "My rent is 1200 euros a month", 0.48 from the salary."""
_HOW_OLD_IS = re.compile(r"^\s*how\s+old\s+(?:is|was)\s+(?P<name>(?-i:[A-Z])[a-z]+)\s*\??\s*$", re.I)
"""A question for the age of someone named, and nothing else ("How old is Tom?")."""
DAY_LINES = 5
"""The most things said of a day that a question for nothing but that day is told ("What did I do yesterday?")."""
_PEOPLE_NAMED = re.compile(r"(?<!\bof )(?<!\bin )(?<!\bto )(?<!\bfrom )(?<!\bat )" + NAMED_IN.pattern)
"""A name said inside a question, not a place it asks about ("What does Tom do?", not "What is the
capital of France?", which a memory "I visited France" does not answer)."""
_WHO_IS = re.compile(r"^\s*who(?:['’]s|\s+(?:is|was))\s+(?-i:[A-Z])[a-z]+\s*\??\s*$", re.I)
"""A question who someone named is ("Who is Rex?"): any memory that names them may say it."""
_ASKS_NAME = re.compile(r"\bname\b|\bwho\s+(?:is|was|are)\b|\bwho['’]s\b|\bcalled\b", re.I)
"""A question for someone's or something's name: a memory that names no one cannot answer it."""
_ASKS_NAME_WORD = re.compile(r"\bname\b|\bcalled\b", re.I)
"""A question for a name by that word ("What's my boss's name?"), not for who ("Who is visiting?")."""
_RELATION_SAID = re.compile(rf"\b(?:my|our)\s+(?:{RELATIONS})\b", re.I)
"""A memory that says who by their relation ("my mother-in-law", "our neighbour's son")."""
UPDATE_RELEVANCE = 0.2
"""How near the question newer words that name what the nearest name must be to be quoted
first, as what may have changed since ("I sold my Toyota and bought a Honda": 0.31, "sold the
civic, got a Tesla Model 3 now": 0.23 from "What car do I drive?")."""


_HOW_TO = re.compile(
    r"(?:^|[,;.!]\s*)(?:(?:how|what|where|when|which|who|why)\s+(?:\w+\s+)?(?:can|could|should|shall|might|may|would)\s+"
    r"(?:i|we)\b|how\s+do\s+(?:i|we)\b|(?:can|could|should|shall|may|might)\s+(?:i|we)\b"
    r"|is\s+it\s+(?:ok|okay|safe|fine|good|bad|wise|alright|all\s+right)\s+(?:if|for|to)\b|do\s+you\s+think\s+(?:i|we)\b"
    r"|(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:help|give|write|make|explain|suggest|recommend|show|teach|plan)\b"
    r"|^\s*(?:please\s+)?(?:write|explain|suggest|recommend|teach|tell\s+me\s+(?:a|an|some|one)\s)"
    r"|do\s+you\s+(?:remember|know|recognize|recognise)\s+me\s*[?.!]*$"
    r"|what(?:['’]s|\s+is|\s+are|\s+would\s+be)\s+(?:some\s+)?(?:a\s+)?(?:good|nice|great|healthy|cheap|fun)\b"
    r"|\bany\s+(?:ideas|suggestions|tips|recommendations)\b|\bideas?\s+for\b)",
    re.I,
)
"""A question for advice or help, not about what the user told ("How do I fix a flat tire?",
"What should I cook tonight?", "Is it OK if I eat a burrito?", "Can you help me?", "Recommend me a
song", "Tell me a joke", "What's a good gift for my wife?"): it may say "I" or "my" and asks nothing
remembered."""


TO_GET = re.compile(
    r"^\s*what\s+(?:\w+\s+)?(?:should|could|can|shall)\s+(?:i|we)\s+(?:get|buy|give|make|bring|do|plan|wear)\b", re.I
)
"""Advice asked for with the words of a fact ("What should I get my husband for his birthday?"): no
fact is its answer (the birthday), the model answers with what the memories say of him."""


def asks_advice(question: str) -> bool:
    """Whether ``question`` asks for advice or help rather than for what the user told (:data:`_HOW_TO`)."""
    return _HOW_TO.search(question) is not None


_ASKED_OF = re.compile(
    r"^\s*(?:please\s+)?(?:tell|give|show|write|recommend|suggest|teach|explain\s+to)\s+(?:me|us)\b", re.I
)
"""The "me" a request is made of ("Tell me a joke"), which says nothing of the user."""


def says_user(question: str) -> bool:
    """Whether ``question`` says the user (I, my, we ...), for advice or not: one that does not
    ("What is the capital of Australia?", "Tell me a joke") needs no memory far from it."""
    return PERSONAL.search(_ASKED_OF.sub("", question)) is not None


def about_user(question: str) -> bool:
    """Whether ``question`` asks about the user (it says I, my, we ...), not for advice."""
    return says_user(question) and not asks_advice(question)


_ASKS_SOMEONE = re.compile(r"^\W*who(?:['’]s|\s+(?!am\s+i\b|are\s+we\b)\w+)", re.I)
"""A question for someone ("Who is helping me with the charts?"), not for the user ("Who am I?")."""


def about_user_alone(question: str) -> bool:
    """Whether ``question`` asks about the user (:func:`about_user`) and no one else: "Who is helping
    me?" asks for someone, whom a memory of theirs alone ("My coworker Dev is helping") names."""
    return about_user(question) and _ASKS_SOMEONE.match(question) is None


def states_something(item: RetrievedItem) -> bool:
    """Whether a memory states something: it is no question; an episode (a session's lines under
    its day), where one of its lines is none."""
    if item.kind == "episode":
        return bool(said_lines(item))
    return not reads_as_question(item.text) and says_something(item.text)


class GroundedAnswers:
    """Answers English questions from the memories that say them (module docstring).

    Args:
        embedder: how near a memory is to the question; without one every memory is near.
    """

    def __init__(self, embedder: BaseEmbedder | None) -> None:
        self.embedder = embedder

    def answer(
        self,
        question: str,
        items: list[RetrievedItem],
        now: datetime | None = None,
        *,
        stated: bool = False,
        relation: bool = False,
    ) -> Answer | None:
        """The reply to ``question`` from ``items`` (the memories of whom it asks, best first);
        ``None`` where the model should answer it: it asks for advice, the message ``stated``
        something too (its own words are no retrieved memory), or no memory says it and it asks
        about no one. Where it asks about a ``relation`` ("What's my brother's name?"), ``items``
        are the memories that name them, and the nearest is quoted however near ("My brother
        Tom visited")."""
        if stated or asks_advice(question):
            return None
        # "Do I have a dog?" is not answered by "My sister's dog is called Max": her dog, not the user's
        said = [item for item in the_users(question, items) if states_something(item)]
        if _ASKS_NAME.search(question):  # "What's my boss's name?" is not answered by "My boss is mean"
            # "Who is visiting next weekend?" is: "My mother-in-law is visiting next weekend"
            who = _ASKS_NAME_WORD.search(question) is None
            said = [item for item in said if _names_someone(item.text) or (who and _RELATION_SAID.search(item.text))]
        personal = about_user(question)
        # "Who is visiting next weekend?": what the user said of that day, though it says no "I"
        dated = (  # not one to the assistant ("How are you today?")
            not personal and now is not None and bool(find_periods(question, now)) and not asks_advice(question)
        ) and not to_assistant(question)
        # "What does Tom do?", "What's the wifi password?": memories that name it
        named = [] if personal else [*_PEOPLE_NAMED.findall(question), *_THE_THING.findall(question)]
        if not personal and not relation and not dated:
            said = [item for item in said if any(_names(item.text, name) for name in named)]
        who = not personal and _WHO_IS.search(question) is not None  # "Who is Rex?": a memory naming Rex says
        quoted = self._saying(question, said, floor=-1.0 if relation or who else QUOTE_RELEVANCE, now=now)
        if not personal and relation:
            quoted = [(words, item) for words, item in quoted if any(_names(item.text, name) for name in named)]
        if quoted:
            return Answer(
                text=f"You told me: {'; also: '.join(dated_quote(words, item, now) for words, item in quoted)}.",
                mode="quote",
                reason="no fact answers the question; quoting the memories that say it, not the local model's guess",
                cited=list(dict.fromkeys(item.id for _, item in quoted)),
            )
        if (aged := _HOW_OLD_IS.match(question)) and not relation:  # "How old is Tom?": no guess of the model's
            return Answer(
                text=f"You haven't told me {aged['name']}'s age yet.",
                mode="unknown",
                reason=f"the question asks {aged['name']}'s age and no memory says it",
                cited=[],
            )
        if personal:
            return Answer(
                text="You haven't told me that yet.",
                mode="unknown",
                reason=f"the question asks about the user and no memory of theirs is within {QUOTE_RELEVANCE} of it",
                cited=[],
            )
        return None

    def told_otherwise(
        self,
        question: str,
        missing: str,
        own: list[RetrievedItem],
        items: list[RetrievedItem],
        about: frozenset[str],
        now: datetime | None = None,
    ) -> Answer | None:
        """The reply to a question for fact ``missing`` that no fact holds, from the memories of
        whom it asks that may say it (:func:`unread`: ``own`` of ``items``, ``about`` a relation or
        the user): their words quoted, a Chinese question's too (我会说哪些语言？ after 我会说英语和日语);
        ``None`` where none is near enough."""
        said = unread(missing, own, items, about) if about else about_the_user(unread(missing, own, items, about))
        said = of_polarity_asked(question, said)  # 我喜欢吃什么？ is not told 我不喜欢吃辣
        if not is_chinese(question):
            reply = self.answer(question, said, now)
            return reply if reply is not None and reply.mode == "quote" else None
        quoted = self._saying(question, [item for item in the_users(question, said) if states_something(item)])
        if not quoted:
            return None
        words, item = quoted[0]  # the newest words that may say it
        plain = item.model_copy(update={"text": words, "key": "", "value": ""})  # the words, not another fact
        return Answer(
            text=quote(plain, None, now.tzinfo if now is not None else None),
            mode="quote",
            reason=f"no fact holds {missing}; quoting the memory that says it",
            cited=[item.id],
        )

    def _saying(
        self, question: str, items: list[RetrievedItem], floor: float = QUOTE_RELEVANCE, now: datetime | None = None
    ) -> list[tuple[str, RetrievedItem]]:
        """The words nearest the question, where within ``floor``, with their memory (an episode is
        read line by line), and newer words that may say it since: the next nearest, nearly as
        near, or words that name what the nearest names ("I sold my Toyota and bought a Honda"
        after "I drive a Toyota", 0.31 from "What car do I drive?"; "sold the civic, got a Tesla"
        after "I drive a Honda Civic"; a later line of the session, "actually the flight got
        moved to December 22")."""
        if not items:
            return []
        if self.embedder is None:
            return [(self.words(items[0], question), items[0])]
        # once each (an episode's line and the message or fact it repeats too), the best-ranked; an
        # episode's later line is newer than its earlier ones; none a forget masked a part of ("I weigh
        # [forgotten] pounds" answers no weight, and says the rest of it no more surely)
        lines = {
            words_key(words): (words, item, when)
            for item in reversed(items)
            for words, when in _dated_lines(item)
            if FORGOTTEN not in words
        }
        said = {words: (item, when) for words, item, when in lines.values()}
        words = naming_which(question, list(said))  # "What's my flight number?": the lines that name a flight
        if not words:
            return []
        similarity = line_nearness(self.embedder, question, words)  # "... and I work in London" by its clause
        order, nearness = nearest_first(question, [(w, said[w][1]) for w in words], similarity, floor, now)
        best, (best_item, best_when) = words[order[0]], said[words[order[0]]]
        if nearness[order[0]] < floor:
            return []
        if asks_only_days(question, now):  # "What did I do yesterday?": each thing said of that day, as said
            of_days = [i for i in order if nearness[i] >= floor and nearness[i] > similarity[i]][:DAY_LINES]
            return [(words[i], said[words[i]][0]) for i in sorted(of_days, key=lambda i: said[words[i]][1])]
        newer = [
            i
            for rank, i in enumerate(order[1:], 1)
            if said[words[i]][1] > best_when
            # not of another day than the one asked, not only of now, nor without a word asked, the time
            # or the age the nearest says ("When is Carol coming?": "Carol doesn't eat pork" is no newer
            # word on it)
            and nearness[i] - similarity[i] >= max(0.0, nearness[order[0]] - similarity[order[0]])
            and (
                (rank == 1 and similarity[i] >= max(floor, NEWER_RELEVANCE, similarity[order[0]] - NEWER_WITHIN))
                or (similarity[i] >= UPDATE_RELEVANCE and may_change(words[i], best, question))
            )
        ]
        newer += [i for i in order[1:] if said[words[i]][1] > best_when and i not in newer and corrects(words[i], best)]
        if not newer:
            return [(best, best_item)]
        latest = words[max(newer, key=lambda i: said[words[i]][1])]
        return [(latest, said[latest][0]), (best, best_item)]

    def words(self, item: RetrievedItem, question: str) -> str:
        """What to quote of a memory: its text; of an episode (a session's lines under its day),
        the line nearest the question."""
        lines = said_lines(item)
        if item.kind != "episode" or not lines or self.embedder is None:
            return item.text
        vectors = self.embedder.encode([question, *lines])
        return lines[int(np.argmax(vectors[1:] @ vectors[0]))]


def _dated_lines(item: RetrievedItem) -> list[tuple[str, datetime]]:
    """What a memory says, each with when: its text; an episode's lines that state something, a
    later line a moment newer than the one before it."""
    if item.kind != "episode" or not (lines := said_lines(item)):
        return [(item.text, item.created_at)]
    return [(line, item.created_at + timedelta(microseconds=n)) for n, line in enumerate(lines)]


def dated_quote(text: str, item: RetrievedItem, now: datetime | None) -> str:
    """Words of a memory and its day, in the asker's days: ``"I parked on level 3" (2024-05-03)``."""
    tz = now.tzinfo if now is not None else None
    return f'"{dated_words(text, item, tz)}" ({item.said_day(tz)})'


_NO_NAMES = frozenset(
    "My I I'm The Our We He She It They His Her Their This That Yesterday Today Tomorrow".split()  # noqa: SIM905
)


_OF_SOMEONE = re.compile(
    r"^\s*(?:(?:their|his|her)\s+[a-z]+(?:\s+(?-i:[A-Z])[a-z]+)?|(?-i:(?P<name>[A-Z][a-z]+))(?:\s+(?-i:[A-Z])[a-z]+)?)"
    r"(?:['’]s)?\s+(?:is|was|has|had|lives|lived|works|worked|likes|loves|hates|just|got|moved|started|plays|goes|went"
    r"|studies|studied|wants|needs|enjoys|teaches|turned|turns|drives|runs|visited|visits|called|finished|won|graduated"
    r"|passed|joined|married|prefers|speaks|attends|owns|collects|practices|cooks|writes|sings|dances|swims)\b[^?？]*$",
    re.I,
)


def tells_of_someone(message: str) -> bool:
    """Whether ``message`` tells of someone other than the user and asks nothing ("Karl is a chef.",
    "Their son Max is 4."): kept in the session's working memory, and answered "Noted." rather than
    by the local model, which goes on about someone else."""
    told = _OF_SOMEONE.match(message)
    return told is not None and (told["name"] or "") not in _NO_NAMES | {"There", "What", "Who"}


def _names_someone(text: str) -> bool:
    """Whether ``text`` says a name: a capitalised word that is no pronoun or sentence opener."""
    return any(word not in _NO_NAMES for word in re.findall(r"\b[A-Z][a-z]+\b", text))


def _names(text: str, name: str) -> bool:
    """Whether ``text`` names ``name``, its words whole, in any case."""
    return re.search(rf"\b{re.escape(name)}\b", text, re.I) is not None
