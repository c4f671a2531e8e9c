"""Answer generation from the retrieved memories.

Two paths: any LangChain ``BaseChatModel`` (given the memories in a system
message), or the bundled local model. SmolLM2-135M follows a short
"Context / Question" prompt with the memories as plain sentences far better
than a long system prompt, and it cannot write Chinese: for a question in a
language it cannot write, the responder quotes the retrieved memory instead
and records that in the answer's ``mode``.
"""

from __future__ import annotations

import re
from typing import Literal, Protocol

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel

from tiermem.memory.generation import Generation

from .retriever import RetrievalResult, RetrievedItem

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
AnswerMode = Literal["chat_model", "local", "quote"]

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


def is_chinese(text: str) -> bool:
    """True when the text is mostly written in Chinese characters."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(bool(_CJK.match(c)) for c in letters) / len(letters) >= 0.3


def sentence(item: RetrievedItem) -> str:
    """A memory as a plain sentence (small models read these best)."""
    if item.key:
        subject, _, attribute = item.key.partition(".")
        owner = "The user's" if subject == "user" else f"{subject.title()}'s"
        return f"{owner} {attribute.replace('_', ' ')} is {item.value} (as of {item.created_at:%Y-%m-%d})."
    return f"On {item.created_at:%Y-%m-%d}: {item.text}"


def quote(result: RetrievalResult) -> str:
    """A reply in Chinese that quotes the best memory verbatim."""
    if not result.items:
        return "我没有找到相关的记忆。"
    best = result.items[0]
    value = f"{best.key.removeprefix('user.')} = {best.value}，" if best.key else ""
    return f"根据记忆（{best.created_at:%Y-%m-%d}）：{value}原话：“{best.text}”"


class Responder:
    """Produces the answer for one turn.

    Args:
        chat_model: a LangChain chat model; when given it answers everything.
        generator: the local model used when no chat model is given.
        max_new_tokens: generation budget of the local model.
        context_items: how many memories the local model is shown.
    """

    def __init__(
        self,
        *,
        chat_model: BaseChatModel | None = None,
        generator: TextGenerator | None = None,
        max_new_tokens: int = 64,
        context_items: int = 5,
    ) -> None:
        if chat_model is None and generator is None:
            raise ValueError("Responder needs a chat_model or a local generator")
        self.chat_model = chat_model
        self.generator = generator
        self.max_new_tokens = max_new_tokens
        self.context_items = context_items

    def answer(
        self,
        question: str,
        result: RetrievalResult,
        *,
        history: list[BaseMessage] | None = None,
        namespace: str | None = None,
        use_retrieval: bool = True,
    ) -> Answer:
        """Answer ``question`` given the retrieved memories and recent history."""
        items = result.items if use_retrieval else []
        cited = [item.id for item in items]
        if self.chat_model is not None:
            context = "\n".join(item.render() for item in items) or "(none)"
            messages = [SystemMessage(SYSTEM_PROMPT.format(context=context)), *(history or []), HumanMessage(question)]
            reply = self.chat_model.invoke(messages)
            return Answer(text=str(reply.text), mode="chat_model", reason="answered by the configured chat model", cited=cited)
        assert self.generator is not None
        if use_retrieval and is_chinese(question):
            return Answer(
                text=quote(result),
                mode="quote",
                reason="the local model cannot write Chinese: quoting the best retrieved memory",
                cited=cited[:1],
            )
        facts = " ".join(sentence(item) for item in items[: self.context_items])
        prompt = f"Context: {facts}\nQuestion: {question}\nAnswer briefly." if facts else question
        generation = self.generator.generate(
            [{"role": "user", "content": prompt}], max_new_tokens=self.max_new_tokens, namespace=namespace
        )
        source = "weights only (no retrieval)" if not use_retrieval else f"{len(items[: self.context_items])} memories"
        return Answer(
            text=generation.text,
            mode="local",
            reason=f"local model answered from {source}",
            cited=cited[: self.context_items],
            adapter_version=generation.adapter_version,
        )
