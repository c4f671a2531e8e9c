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
from typing import Literal, Protocol

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.generation import Generation
from tiermem.memory.records import RELATIONS_ZH

from .retriever import RetrievalResult, RetrievedItem

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
AnswerMode = Literal["chat_model", "local", "fact", "quote", "confirm", "refused"]

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


def is_chinese(text: str) -> bool:
    """True when the text is mostly written in Chinese characters."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(bool(_CJK.match(c)) for c in letters) / len(letters) >= 0.3


def sentence(item: RetrievedItem) -> str:
    """A memory as a plain sentence (small models read these best)."""
    if item.key:
        subject, _, attribute = item.key.partition(".")
        owner = "The user's" if subject == "user" else f"{subject.title()}'s"
        return f"{owner} {attribute_noun(attribute)} is {item.value} (as of {item.created_at:%Y-%m-%d})."
    return f"On {item.created_at:%Y-%m-%d}: {item.text}"


def quote(best: RetrievedItem | None, remembered: str | None) -> str:
    """A reply in Chinese that quotes a memory verbatim (or confirms what was stored)."""
    if best is None:
        return f"好的，已记住：{remembered}。" if remembered else "我没有找到相关的记忆。"
    value = f"{best.key.removeprefix('user.')} = {best.value}，" if best.key else ""
    return f"根据记忆（{best.created_at:%Y-%m-%d}）：{value}原话：“{best.text}”"


_ATTRIBUTE_NOUNS = {"lives_in": "home city", "diet_identity": "diet"}


def attribute_noun(attribute: str) -> str:
    """An attribute as a noun phrase: ``lives_in`` -> ``home city``, ``plan_exam`` -> ``exam``."""
    return _ATTRIBUTE_NOUNS.get(attribute, attribute.removeprefix("plan_").replace("_", " "))


def fact_answer(item: RetrievedItem) -> str:
    """A direct answer from a fact: ``Your weight is 45 kg (as of 2024-05-03; earlier: 47 kg ...).``"""
    subject, _, attribute = item.key.partition(".")
    owner = "Your" if subject == "user" else f"Your {subject}'s" if subject in RELATIONS_ZH else f"{subject.title()}'s"
    earlier = f"; earlier: {', '.join(item.history[:2])}" if item.history else ""
    return f"{owner} {attribute_noun(attribute)} is {item.value} (as of {item.created_at:%Y-%m-%d}{earlier})."


def confirmation(remembered: str) -> str:
    """An English confirmation of what a turn stored: ``Noted, I'll remember that (mid: weight = 45 kg).``"""
    return f"Noted, I'll remember that ({remembered})."


def is_question(text: str) -> bool:
    """Whether ``text`` asks something (question mark, question word, Chinese question particle)."""
    return bool(_QUESTION.search(text.strip()))


_NATURAL_PROBES = {
    "lives_in": ("Where do I live?",),
    "occupation": ("What do I do for a living?",),
    "native_language": ("What language do I speak?",),
    "diet_identity": ("What do I eat?",),
}
"""How people ask for the user's facts where "What is my <attribute>?" is not how they ask
("Where do I live?" is 0.54 from "What is my home city?" with USE)."""


def _fact_probes(key: str) -> list[str]:
    """Questions that ask for fact ``key``: "What is my <attribute>?", and the natural ones."""
    subject, _, attribute = key.partition(".")
    owner = "my" if subject == "user" else f"{subject}'s"
    natural = _NATURAL_PROBES.get(attribute, ()) if subject == "user" else ()
    return [f"What is {owner} {attribute_noun(attribute)}?", *natural]


_QUESTION = re.compile(
    r"[?？]\s*$|^(?:what|how|when|where|who|which|do|does|did|is|are)\b|(?:吗|呢|多少|什么|哪)", re.I
)


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

    def matching_fact(self, question: str, items: list[RetrievedItem]) -> RetrievedItem | None:
        """The retrieved fact a question asks for, if one matches closely enough.

        Only questions qualify; one of the fact's probe questions ("What is my weight?",
        "Where do I live?") must be within :attr:`fact_threshold` cosine similarity of
        the question.
        """
        facts = [item for item in items[: self.context_items] if item.key]
        if self.embedder is None or not facts or not is_question(question):
            return None
        probes = [(index, probe) for index, item in enumerate(facts) for probe in _fact_probes(item.key)]
        vectors = self.embedder.encode([question, *(probe for _, probe in probes)])
        similarity = vectors[1:] @ vectors[0]
        best = int(similarity.argmax())
        return facts[probes[best][0]] if similarity[best] >= self.fact_threshold else None

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
        """
        reply = self._answer(question, result, history, namespace, use_retrieval, remembered, message, refused)
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
    ) -> Answer:
        items = result.items if use_retrieval else []
        cited = [item.id for item in items]
        if self.chat_model is not None:
            context = "\n".join(item.render() for item in items) or "(none)"
            asked = message if message is not None else HumanMessage(question)
            system = SYSTEM_PROMPT.format(context=context) + (REFUSED_NOTE.format(reason=refused) if refused else "")
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
        fact = self.matching_fact(question, items) if use_retrieval else None
        asks = is_question(question)
        if refused and not asks:
            chinese = is_chinese(question)
            return Answer(
                text=f"没能记住这条：{refused}" if chinese else f"I could not remember that: {refused}",
                mode="refused",
                reason="the message stated something, but its memory write was refused: telling the user",
            )
        if use_retrieval and is_chinese(question):
            best = fact or (items[0] if items and not remembered else None)
            return Answer(
                text=quote(best, remembered),
                mode="quote",
                reason="the local model cannot write Chinese: quoting the best retrieved memory",
                cited=[best.id] if best else [],
            )
        if fact is not None:
            return Answer(
                text=fact_answer(fact),
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
        facts = " ".join(sentence(item) for item in items[: self.context_items])
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
