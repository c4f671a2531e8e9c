"""Answer generation from the retrieved memories.

Two paths: any LangChain ``BaseChatModel`` (given the memories in a system
message), or the bundled local model. SmolLM2-135M follows a short
"Context / Question" prompt with the memories as plain sentences far better
than a long system prompt, and it cannot write Chinese: for a question in a
language it cannot write, the responder quotes the retrieved memory instead
and records that in the answer's ``mode``. A statement the gate stored and
that asks nothing is confirmed with what was stored (mode ``confirm``) rather
than handed to the small model, and small talk that neither asks nor stores
anything reaches the local model without memories, which it would otherwise
recite.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Literal, Protocol

import numpy as np
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.generation import Generation
from tiermem.memory.records import RELATIONS_ZH

from .asked import by_relation, mentions, referent, referents, relation_names
from .forgetting import ATTRIBUTE_WORDS, ForgetPlan, value_named
from .replies import (
    attribute_noun,
    confirmation,
    fact_answer,
    forget_reply,
    held_answer,
    is_chinese,
    not_told,
    not_told_attribute,
    not_told_held,
    past_period,
    quote,
    sentence,
)
from .retriever import RetrievalResult, RetrievedItem
from .yes_no import YES_NO, asked_fact

AnswerMode = Literal["chat_model", "local", "fact", "quote", "confirm", "refused", "unknown", "forgot"]

FORGOT_NOTE = "\nThe user's last message asked you to forget something; tiermem did this: {reply}"
REFUSED_NOTE = "\nThe user's last message could not be stored in memory ({reason}): say so if they ask you to remember."
SYSTEM_PROMPT = (
    "You are a helpful assistant with a memory of this user. Use the memories below when "
    "they are relevant; the newest value of a fact is the current one.\nMemories:\n{context}"
)


class TextGenerator(Protocol):
    """What the responder needs from a local model (``LocalGenerator`` and its adapter-aware subclasses)."""

    def generate(
        self, messages: list[dict[str, str]], *, max_new_tokens: int = 64, namespace: str | None = None
    ) -> Generation: ...


class Answer(BaseModel):
    """The assistant's reply and how it was produced."""

    text: str
    mode: AnswerMode
    reason: str
    cited: list[str] = []
    """Record ids of the memories the answer was given."""
    adapter_version: str | None = None
    message_id: str | None = None
    """The chat model's reply id: the graph's answer message keeps it, so a ``messages`` stream
    that carried the reply's tokens does not carry the reply a second time."""


ASKED_ATTRIBUTES = tuple(attribute for attribute in ATTRIBUTE_WORDS if attribute != "diet_identity")
"""The user's facts a question is checked against before the local model answers it; the diet's
probe "What do I eat?" is 0.80 from "What did I eat yesterday?", which memories of meals answer."""
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|my|me|mine|myself)\b|我", re.I)
ASKS_FOR = 0.8
"""Cosine similarity at which a question asks for one of :data:`ASKED_ATTRIBUTES` ("How much do I
weigh now?" 0.82 from "What is my weight?", "Where do I work?" 0.70 from "Where do I live?")."""


def is_question(text: str) -> bool:
    """Whether ``text`` asks something (question mark, question word, Chinese question particle)."""
    return bool(_QUESTION.search(text.strip()))


_NATURAL_PROBES = {
    "lives_in": ("Where {do} {who} live?",),
    "occupation": ("What {do} {who} do for a living?", "What job {do} {who} have?"),
    "employer": ("Where {do} {who} work?",),
    "native_language": ("What language {do} {who} speak?",),
    "diet_identity": ("What {do} {who} eat?",),
}
"""How people ask for facts where "What is my <attribute>?" is not how they ask ("Where do I
live?" is 0.54 from "What is my home city?" with USE); ``{who}`` is "I", "my sister", "Anna"."""


def _fact_probes(key: str) -> list[str]:
    """Questions that ask for fact ``key``: "What is my <attribute>?", and the natural ones."""
    subject, _, attribute = key.partition(".")
    if subject == "user" and attribute in RELATIONS_ZH:  # user.wife = 王芳: her name
        return [f"What is my {attribute}'s name?", f"Who is my {attribute}?"]
    if subject == "user":
        owner, who, do = "my", "I", "do"
    else:
        who = f"my {subject}" if subject in RELATIONS_ZH else subject.title()
        owner, do = f"{who}'s", "does"
    natural = [probe.format(who=who, do=do) for probe in _NATURAL_PROBES.get(attribute, ())]
    if attribute.startswith("plan_"):  # "When do I move?" is 0.95 from "When is my move?"
        natural.append(f"When is {owner} {attribute_noun(attribute)}?")
    return [f"What is {owner} {attribute_noun(attribute)}?", *natural]


_QUESTION = re.compile(
    r"[?？]\s*$|^(?:what|how|when|where|who|which|do|does|did|is|are)\b|(?:吗|呢|多少|什么|哪)", re.I
)


def _asked_keys(whose: frozenset[str] | set[str]) -> list[str]:
    """The keys of :data:`ASKED_ATTRIBUTES` of the one the question asks about (the user or a
    relation of theirs); none for a named person or several."""
    if len(whose) != 1:
        return []
    (slug,) = whose
    if slug != "user" and slug not in RELATIONS_ZH:
        return []
    return [f"{slug}.{attribute}" for attribute in ASKED_ATTRIBUTES]


def _names_relation(key: str, held: set[str]) -> bool:
    """Whether ``key`` is a relation's name (``sister.name``) that is held as ``user.sister``."""
    subject, _, attribute = key.partition(".")
    return attribute == "name" and f"user.{subject}" in held


PARTNER_KEYS = frozenset(f"user.{word}" for word in ("partner", "girlfriend", "boyfriend", "wife", "husband", "fiance"))
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


def _may_say(item: RetrievedItem, key: str, value: str, names: Mapping[str, str]) -> bool:
    """Whether a memory that is no fact may say what a yes-or-no question asks of ``key`` and
    ``value`` ("Emma has asthma" for ``girlfriend.condition = asthma`` where Emma is the
    girlfriend): a statement that names the value and whom the key is about (the user: in the
    first person, naming no relation)."""
    if item.key or is_question(item.text) or not value_named(item.text, value):
        return False
    whom = referent(key)
    text = by_relation(item.text, names)
    if whom != "user":
        return mentions(text, whom)
    return _FIRST_PERSON.search(text) is not None and not referents(text)  # "my girlfriend has asthma" is hers


class Responder:
    """Produces the answer for one turn.

    Args:
        chat_model: a LangChain chat model; when given it answers everything.
        generator: the local model used when no chat model is given.
        max_new_tokens: generation budget of the local model.
        context_items: how many memories the local model is shown.
        embedder: matches questions to stored facts for direct fact answers.
        fact_threshold: cosine similarity between the question and "What is my
            <attribute>?" (or a natural question for it: "Where do I live?") above
            which a fact is answered directly.
    """

    def __init__(
        self,
        *,
        chat_model: BaseChatModel | None = None,
        generator: TextGenerator | None = None,
        max_new_tokens: int = 64,
        context_items: int = 5,
        embedder: BaseEmbedder | None = None,
        fact_threshold: float = 0.6,
    ) -> None:
        if chat_model is None and generator is None:
            raise ValueError("Responder needs a chat_model or a local generator")
        self.chat_model = chat_model
        self.generator = generator
        self.max_new_tokens = max_new_tokens
        self.context_items = context_items
        self.embedder = embedder
        self.fact_threshold = fact_threshold
        self._attribute_probes: dict[str, tuple[list[str], np.ndarray]] = {}
        """Per owner (``user``, a relation), the keys of :data:`ASKED_ATTRIBUTES` and their probes' vectors."""

    def matching_fact(self, question: str, items: list[RetrievedItem]) -> RetrievedItem | None:
        """The retrieved fact a question asks for, if one matches closely enough.

        Only questions qualify, and only facts about whom the question asks (the user, "my
        sister", "Anna": :mod:`tiermem.agents.asked`); one of the fact's probe questions ("What
        is my weight?", "Where does my sister live?") must be within :attr:`fact_threshold`
        cosine similarity of the question, and nearer than the probes of the user's facts that
        are not among them ("Where do I work?" asks for an employer, never for the home city).
        """
        facts = [item for item in items[: self.context_items] if item.key]
        asked = referents(question, {item.key.partition(".")[0] for item in facts}) or {"user"}
        facts = [item for item in facts if referent(item.key) in asked]
        if self.embedder is None or not facts or not is_question(question):
            return None
        held = {item.key for item in facts}
        # the probes of the facts not held compete: "What is my sister's job?" is not her home city
        absent = [key for key in _asked_keys(asked) if key not in held and not _names_relation(key, held)]
        probes = [(index, probe) for index, item in enumerate(facts) for probe in _fact_probes(item.key)]
        probes += [(-1, probe) for key in absent for probe in _fact_probes(key)]
        vectors = self.embedder.encode([question, *(probe for _, probe in probes)])
        similarity = vectors[1:] @ vectors[0]
        best = int(similarity.argmax())
        index = probes[best][0]
        if index < 0 or similarity[best] < self.fact_threshold:
            return None
        if facts[index].key in PARTNER_KEYS:  # "dating Sophie" after "my girlfriend Emma": the newest partner
            shown = items[: self.context_items]
            return max((item for item in shown if item.key in PARTNER_KEYS), key=lambda item: item.created_at)
        return facts[index]

    def relevant(self, question: str, item: RetrievedItem) -> bool:
        """Whether ``item`` is near enough to the question to be quoted as its answer
        (:data:`QUOTE_RELEVANCE`): the best-ranked memory of a user may say nothing about it."""
        if self.embedder is None:
            return True
        vectors = self.embedder.encode([question, item.text])
        return float(vectors[0] @ vectors[1]) >= QUOTE_RELEVANCE

    def unknown_referents(self, question: str, items: list[RetrievedItem]) -> frozenset[str]:
        """The relations a question asks about ("my brother") that no retrieved memory mentions:
        no fact is about them and no memory's text names them (in any of their words)."""
        shown = items[: self.context_items]
        asked = referents(question) - {referent(item.key) for item in shown if item.key}
        return frozenset(slug for slug in asked if not any(mentions(item.text, slug) for item in shown))

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
        asked_keys = _asked_keys(whose)
        if self.embedder is None or not asked_keys or not _FIRST_PERSON.search(question):
            return None
        (slug,) = whose
        if slug not in self._attribute_probes:
            probes = [(key, p) for key in asked_keys for p in _fact_probes(key)]
            self._attribute_probes[slug] = ([k for k, _ in probes], self.embedder.encode([p for _, p in probes]))
        keys, vectors = self._attribute_probes[slug]
        similarity = vectors @ self.embedder.encode_one(question)
        best = int(similarity.argmax())
        asked = keys[best]
        held = {item.key for item in items}
        if similarity[best] < ASKS_FOR or asked in held or _names_relation(asked, held):
            return None
        if slug != "user" and any(not item.key and mentions(item.text, slug) for item in items):
            return None  # "My brother Tom visited": the model may read the answer there
        return asked

    def answer(
        self,
        question: str,
        result: RetrievalResult,
        *,
        history: list[BaseMessage] | None = None,
        namespace: str | None = None,
        use_retrieval: bool = True,
        remembered: str | None = None,
        message: HumanMessage | None = None,
        refused: str | None = None,
        now: datetime | None = None,
        forgot: ForgetPlan | None = None,
    ) -> Answer:
        """Answer ``question`` given the retrieved memories and recent history.

        Args:
            question: the user's message.
            result: what the retrieval agent found.
            history: recent conversation (passed to a chat model).
            namespace: whose adapter the local model uses.
            use_retrieval: ``False`` answers from the weights alone.
            remembered: what this turn stored, for a confirmation in quote mode.
            refused: why this turn's memory write was refused (a full namespace): the user is told,
                never thanked for a memory that was not kept.
            message: the user's message as sent (its images and other content blocks go to a
                chat model as they are; ``question`` is its text).
            now: when the question was asked, with the asker's UTC offset: dates are shown as the
                asker's days, and "last month" is counted from theirs.
            forgot: the message asked to forget something: what it named and what was forgotten.
                The local model is not asked (it would repeat what was forgotten); a chat model
                is told in its system prompt.
        """
        if forgot is not None and self.chat_model is None:
            return Answer(text=forget_reply(forgot, question), mode="forgot", reason=forgot.reason)
        note = FORGOT_NOTE.format(reply=forget_reply(forgot, "")) if forgot is not None else ""
        reply = self._answer(
            question, result, history, namespace, use_retrieval, remembered, message, refused, now, note
        )
        if refused and reply.mode not in ("refused", "chat_model"):  # it asked too: answered, and told
            chinese = is_chinese(question)
            note = (
                f"（没能记住你说的：{refused}）" if chinese else f" (I could not remember what you told me: {refused})"
            )
            reply = reply.model_copy(update={"text": reply.text + note})
        return reply

    def _answer(
        self,
        question: str,
        result: RetrievalResult,
        history: list[BaseMessage] | None,
        namespace: str | None,
        use_retrieval: bool,
        remembered: str | None,
        message: HumanMessage | None,
        refused: str | None,
        now: datetime | None,
        note: str,
    ) -> Answer:
        items = result.items if use_retrieval else []
        cited = [item.id for item in items]
        tz = now.tzinfo if now is not None else None
        if self.chat_model is not None:
            context = "\n".join(item.render(tz) for item in items) or "(none)"
            asked = message if message is not None else HumanMessage(question)
            system = (
                SYSTEM_PROMPT.format(context=context) + (REFUSED_NOTE.format(reason=refused) if refused else "") + note
            )
            messages = [SystemMessage(system), *(history or []), asked]
            reply = self.chat_model.invoke(messages)
            return Answer(
                text=str(reply.text),
                mode="chat_model",
                reason="answered by the configured chat model",
                cited=cited,
                message_id=reply.id,
            )
        assert self.generator is not None
        # "Where does Emma live?" after "my girlfriend is Emma" asks where the girlfriend lives
        names = relation_names((item.key, item.value) for item in items if item.key)
        about_whom = by_relation(question, names)
        fact = self.matching_fact(about_whom, items) if use_retrieval else None
        about = referents(about_whom)  # 我弟弟, my sister: whom it asks about (none: the user)
        own = [item for item in items if not item.key or referent(item.key) in (about or {"user"})]
        yes_no = use_retrieval and YES_NO.search(question) is not None
        asked_value = asked_fact(about_whom) if yes_no else None  # "Am I allergic to cats?": user.allergy, cats
        if asked_value:  # that fact, or none ("Does Emma have asthma?" is not answered with her allergies)
            fact = next((item for item in items if item.key == asked_value[0]), None)
        elif fact is None and yes_no:  # "Am I vegetarian?": the fact whose value it names
            fact = named_value(about_whom, own) or named_relation(about_whom, items[: self.context_items])
        asks = is_question(question)
        if refused and not asks:
            chinese = is_chinese(question)
            return Answer(
                text=f"没能记住这条：{refused}" if chinese else f"I could not remember that: {refused}",
                mode="refused",
                reason="the message stated something, but its memory write was refused: telling the user",
            )
        unknown = self.unknown_referents(about_whom, items) if use_retrieval and asks else frozenset()
        if unknown:
            return Answer(
                text=not_told(unknown, question),
                mode="unknown",
                reason=f"the question asks about {', '.join(sorted(unknown))}, whom no retrieved memory mentions",
            )
        if fact is None and asked_value and not any(_may_say(item, *asked_value, names) for item in items):
            key, value = asked_value
            return Answer(
                text=not_told_held(key, value, question),
                mode="unknown",
                reason=f"the question asks whether {key} holds {value}, and no memory holds {key}",
            )
        missing = self.missing_attribute(about_whom, items) if use_retrieval and asks and fact is None else None
        if missing:
            return Answer(
                text=not_told_attribute(missing, question),
                mode="unknown",
                reason=f"the question asks for the fact {missing}, and no memory holds it",
            )
        held = held_answer(fact, about_whom, now) if fact is not None and yes_no else None  # "Do I have asthma?"
        if fact is not None and held:
            return Answer(
                text=held,
                mode="fact",
                reason=f"the question asks whether the stored fact {fact.key} holds a value it names",
                cited=[fact.id],
            )
        if use_retrieval and is_chinese(question):
            named = next((item for item in items if any(mentions(item.text, slug) for slug in about)), None)
            nearest = own[0] if own and not remembered and self.relevant(question, own[0]) else None
            # a statement stored is confirmed (王芳住在杭州 names 王芳, whom a memory holds: not quoted)
            best = None if remembered and not asks else fact or named_value(question, own) or named or nearest
            return Answer(
                text=quote(best, remembered, tz, past_period(question, now) if best is fact else None),
                mode="quote",
                reason="the local model cannot write Chinese: quoting the best retrieved memory",
                cited=[best.id] if best else [],
            )
        if fact is not None:
            return Answer(
                text=fact_answer(fact, now, past_period(question, now)),
                mode="fact",
                reason=f"the question asks for the stored fact {fact.key}: answered from its newest version",
                cited=[fact.id],
            )
        if remembered and not asks:
            return Answer(
                text=confirmation(remembered),
                mode="confirm",
                reason="the message stated something that was stored and asked nothing: confirming it",
            )
        if not asks:
            items = []  # small talk: memories in the prompt would only be recited
        facts = " ".join(sentence(item, tz) for item in items[: self.context_items])
        prompt = f"Context: {facts}\nQuestion: {question}\nAnswer briefly." if facts else question
        generation = self.generator.generate(
            [{"role": "user", "content": prompt}], max_new_tokens=self.max_new_tokens, namespace=namespace
        )
        if not use_retrieval:
            source = "weights only (no retrieval)"
        elif not asks:
            source = "the message alone (small talk, no memories)"
        else:
            source = f"{len(items[: self.context_items])} memories"
        return Answer(
            text=generation.text,
            mode="local",
            reason=f"local model answered from {source}",
            cited=[item.id for item in items[: self.context_items]],
            adapter_version=generation.adapter_version,
        )
