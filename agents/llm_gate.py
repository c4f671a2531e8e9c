"""LLMGate: any LangChain chat model decides, through a strict schema.

Models with tool calling answer through ``with_structured_output``; models
without it (the bundled local model) are asked for the same JSON object in the
prompt. An invalid answer gets one repair round that shows the model its
error; a second failure, or any exception from the model, falls back to
another decider (RuleGate by default) and the decision records why
(``scores["llm_fallback"] == 1.0``, the error in ``reason``). A turn never
fails because a model answered badly.
"""

from __future__ import annotations

import json
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.runnables import Runnable
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.records import Fact, GateLabel

from .gate import Gate, GateDecision, GateInput, register_gate
from .gate_common import MAX_GATE_CHARS, facts_for, gate_text, no_words_decision


class LLMFact(BaseModel):
    """A fact as the model states it."""

    model_config = ConfigDict(extra="forbid")

    subject: str = Field(default="user", max_length=60)
    attribute: str = Field(max_length=60, description="snake_case English, e.g. weight, lives_in")
    value: str = Field(max_length=200, description="as stated, with its unit, e.g. 45 kg")


class LLMGateAnswer(BaseModel):
    """Decide which memory tier should keep the user's message."""

    model_config = ConfigDict(extra="forbid")

    tier: GateLabel = Field(description="none, short, mid or long")
    importance: float = Field(ge=0.0, le=1.0, description="0 = trivial, 1 = essential")
    reason: str = Field(max_length=300, description="one short sentence")
    facts: list[LLMFact] = Field(default_factory=list, max_length=8)


SYSTEM_PROMPT = """You route a user's chat message to memory. Choose one tier:
- none: nothing about the user worth keeping: greetings, thanks, jokes, general-knowledge
  questions, requests to write or explain something, questions about what was said before.
- short: true for this conversation or the next hours: what the user is doing or feeling
  right now, instructions for this chat ("answer in a table").
- mid: true for days to months: ongoing situations, plans and dates (an exam on the 12th),
  recent events, temporary diets or medication, measurements (today's weight, last
  night's sleep, blood pressure).
- long: true for years: identity, relationships, where the user lives, allergies, native
  language, birthdays, lasting preferences and habits.
If the message mixes several, choose the longest-lived tier any part deserves.
List the facts it states about the user (attribute in snake_case English)."""

JSON_EXAMPLES: tuple[tuple[str, str], ...] = (
    ("Thanks, that helps!", '{"tier": "none", "importance": 0.0, "reason": "thanks", "facts": []}'),
    (
        "I'm on the bus right now",
        '{"tier": "short", "importance": 0.3, "reason": "what the user does now", "facts": []}',
    ),
    (
        "My exam is on the 12th",
        '{"tier": "mid", "importance": 0.6, "reason": "a dated plan", "facts": '
        '[{"subject": "user", "attribute": "exam_date", "value": "the 12th"}]}',
    ),
    (
        "我住在柏林",
        '{"tier": "long", "importance": 0.8, "reason": "where the user lives", "facts": '
        '[{"subject": "user", "attribute": "lives_in", "value": "柏林"}]}',
    ),
)
"""Few-shot turns for models without tool calling: they show the JSON shape."""

REPAIR_PROMPT = """Your answer was invalid: {error}
Your answer was: {answer}
Answer again with a valid object: tier is one of none, short, mid, long; importance is a \
number from 0 to 1; reason is a short sentence; facts is a list (may be empty)."""


class InvalidAnswerError(ValueError):
    """The model's answer did not match :class:`LLMGateAnswer` (internal to this gate)."""

    def __init__(self, message: str, answer: str) -> None:
        super().__init__(message)
        self.answer = answer


def parse_json_answer(text: str) -> LLMGateAnswer:
    """Parse the first JSON object in ``text`` as an answer.

    Raises:
        InvalidAnswerError: no JSON object, invalid JSON or a schema violation.
    """
    start, end = text.find("{"), text.rfind("}")
    if start < 0:
        raise InvalidAnswerError("no JSON object in the answer", text)
    if end < start:
        raise InvalidAnswerError("invalid JSON (the object is never closed)", text)
    try:
        return LLMGateAnswer.model_validate(json.loads(text[start : end + 1]))
    except json.JSONDecodeError as exc:
        raise InvalidAnswerError(f"invalid JSON ({exc.msg})", text) from None
    except ValidationError as exc:
        raise InvalidAnswerError(_first_error(exc), text) from None


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    return f"{'.'.join(map(str, error['loc'])) or 'answer'}: {error['msg']}"


class LLMGate:
    """A chat model as the gate, with one repair round and a traced fallback.

    Args:
        chat_model: any LangChain chat model (default: the bundled local model).
        fallback: the decider used when the model fails (default: RuleGate).
        embedder: passed to the default fallback.
        max_chars: longer messages are truncated for the decision (stored intact).
    """

    name = "llm"

    def __init__(
        self,
        chat_model: BaseChatModel | None = None,
        *,
        fallback: Gate | None = None,
        embedder: BaseEmbedder | None = None,
        max_chars: int = MAX_GATE_CHARS,
    ) -> None:
        if chat_model is None:
            from .local_chat import LocalChatModel

            chat_model = LocalChatModel()
        if fallback is None:
            from .rule_gate import RuleGate

            fallback = RuleGate(embedder)
        self.chat_model = chat_model
        self.fallback = fallback
        self.max_chars = max_chars
        self._structured: Runnable[Any, Any] | None
        try:
            self._structured = chat_model.with_structured_output(LLMGateAnswer, include_raw=True)
        except NotImplementedError:  # no tool calling: ask for JSON in the prompt
            self._structured = None

    @property
    def mode(self) -> str:
        """``structured`` (tool calling) or ``json`` (JSON requested in the prompt)."""
        return "json" if self._structured is None else "structured"

    def _prompt(self, text: str) -> list[BaseMessage]:
        if self._structured is not None:
            return [SystemMessage(SYSTEM_PROMPT), HumanMessage(text)]
        messages: list[BaseMessage] = [SystemMessage(f"{SYSTEM_PROMPT}\nAnswer with one JSON object only.")]
        for example, answer in JSON_EXAMPLES:
            messages += [HumanMessage(example), AIMessage(answer)]
        return [*messages, HumanMessage(text)]

    def _ask(self, messages: list[BaseMessage]) -> LLMGateAnswer:
        if self._structured is None:
            reply = self.chat_model.invoke(messages)
            return parse_json_answer(reply.text)
        out = self._structured.invoke(messages)
        if out.get("parsed") is not None:
            return out["parsed"]
        error = out.get("parsing_error")
        if error is None:
            detail = "no structured answer (the model made no tool call)"
        elif isinstance(error, ValidationError):
            detail = _first_error(error)
        else:
            detail = str(error)
        raw = out.get("raw")
        answer = json.dumps(getattr(raw, "tool_calls", None) or getattr(raw, "text", ""), default=str)
        raise InvalidAnswerError(detail, answer)

    def decide(self, message: GateInput) -> GateDecision:
        """Classify one message; never raises on text or on a bad model answer."""
        text = gate_text(message.text, self.max_chars)
        if text is None:
            return no_words_decision(self.name)
        messages = self._prompt(text)
        errors: list[str] = []
        for attempt in (1, 2):
            try:
                answer = self._ask(messages)
            except InvalidAnswerError as exc:
                errors.append(str(exc))
                repair = REPAIR_PROMPT.format(error=exc, answer=exc.answer[:500])
                messages = [*messages, HumanMessage(repair)]
                continue
            except Exception as exc:  # noqa: BLE001 — any model failure falls back, traced
                errors.append(f"{type(exc).__name__}: {exc}"[:300])
                break
            return self._decision(answer, text, message, attempt)
        return self._fall_back(message, errors)

    def _decision(self, answer: LLMGateAnswer, text: str, message: GateInput, attempts: int) -> GateDecision:
        facts: list[Fact] = []
        for stated in answer.facts if answer.tier in ("mid", "long") else []:
            try:
                facts.append(Fact(**stated.model_dump(), observed_at=message.now, statement=text))
            except ValidationError:  # e.g. a non-ASCII attribute: keep the others
                continue
        known = {fact.key for fact in facts}
        facts += [f for f in facts_for(text, message.now, answer.tier) if f.key not in known]
        return GateDecision(
            tier=answer.tier,
            facts=facts,
            importance=answer.importance,
            reason=answer.reason or f"the chat model chose {answer.tier}",
            scores={"llm_attempts": float(attempts), "llm_fallback": 0.0},
            decider=self.name,
        )

    def _fall_back(self, message: GateInput, errors: list[str]) -> GateDecision:
        decision = self.fallback.decide(message)
        return decision.model_copy(
            update={
                "reason": f"LLM gate failed ({' | '.join(errors)}); {self.fallback.name} gate: {decision.reason}",
                "scores": {
                    **decision.scores,
                    "llm_attempts": float(len(errors)),
                    "llm_fallback": 1.0,
                },
            }
        )


def _factory(*, chat_model: BaseChatModel | None = None, embedder: BaseEmbedder | None = None, **_: Any) -> LLMGate:
    return LLMGate(chat_model, embedder=embedder)


register_gate("llm", _factory)
