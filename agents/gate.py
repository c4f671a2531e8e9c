"""The gate: decides, per message, which memory tier (if any) should keep it.

Deciders implement the :class:`Gate` protocol and register under a name, so the
graph can pick one from config or per call. Every decider returns the same
:class:`GateDecision`, which the graph turns into the same tool calls whatever
decider ran.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from tiermem.memory.errors import ConfigError
from tiermem.memory.records import Fact, GateLabel


class GateDecision(BaseModel):
    """What the gate decided for one message, and why."""

    model_config = ConfigDict(extra="forbid")

    tier: GateLabel
    """``none`` (keep nothing), ``short``, ``mid`` or ``long``."""
    facts: list[Fact] = Field(default_factory=list)
    """Typed facts extracted from the message (for ``mid``/``long``)."""
    importance: float = Field(default=0.5, ge=0.0, le=1.0)
    reason: str = ""
    """Human-readable explanation, shown in traces."""
    scores: dict[str, float] = Field(default_factory=dict)
    """Per-label scores (or rule hits) behind the decision."""
    decider: str = ""
    """Name of the gate that decided (``rule``, ``llm``, ``trained``)."""

    def with_facts(self, facts: list[Fact], why: str) -> GateDecision:
        """This decision with ``facts`` read after the gate ("I lost 3 kg", "Max ran away") put first
        and ``why`` added to its reason; kept mid-term at least (the gate could not know the message
        states them), its importance at least its tier's."""
        from .gate_common import IMPORTANCE

        tier = self.tier if self.tier in ("mid", "long") else "mid"
        return self.model_copy(
            update={
                "tier": tier,
                "facts": [*facts, *self.facts],
                "importance": max(self.importance, IMPORTANCE[tier]),
                "reason": f"{self.reason}; {why}",
            }
        )


class GateInput(BaseModel):
    """What a gate sees: the message, its time, and (optionally) its embedding."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    text: str
    now: datetime
    vector: np.ndarray | None = None
    """The message embedding, computed once per message and reused."""
    speaker: str = "user"


@runtime_checkable
class Gate(Protocol):
    """A decider: message in, :class:`GateDecision` out. Must never raise on text."""

    name: str

    def decide(self, message: GateInput) -> GateDecision:
        """Classify one message."""
        ...


GateFactory = Callable[..., Gate]
_GATES: dict[str, GateFactory] = {}


def register_gate(name: str, factory: GateFactory) -> None:
    """Register a decider factory under ``name`` (called with keyword services)."""
    _GATES[name] = factory


def gate_names() -> list[str]:
    """The registered gate names: the built-in deciders and any :func:`register_gate` added."""
    from . import llm_gate, rule_gate, trained_gate  # noqa: F401  (register the deciders)

    return sorted(_GATES)


def check_gate_name(name: str) -> str:
    """``name`` if a gate is registered under it.

    Raises:
        ConfigError: none is.
    """
    if name not in gate_names():
        raise ConfigError(f"unknown gate {name!r}; registered gates: {gate_names()}")
    return name


def create_gate(name: str, **services: Any) -> Gate:
    """Build the registered gate ``name``; ``services`` are passed to its factory
    (``embedder``, ``config``, ``chat_model`` ...), each factory taking what it needs.

    Raises:
        ConfigError: no gate is registered under ``name``.
    """
    return QuestionGuard(_GATES[check_gate_name(name)](**services))


class QuestionGuard:
    """Applies the rules every decider shares.

    - A request to forget ("forget that I live in Paris", "不要记住我的体重") is
      not a fact to keep: nothing of it is stored (forgetting is the ``forget``
      tool's and ``tiermem memories forget``'s, which name what to remove).
    - A message that names a secret ("My password is hunter2", 我的银行卡密码是1234) is
      kept in working memory at most, for the session (:mod:`tiermem.agents.secrets`); what
      it states besides ("I moved to Lisbon last month, and my new door code is 4471") is
      decided on its own, without the secret's words
      (:func:`~tiermem.agents.secrets.without_secrets`), and kept where that decision says.
    - A message made only of questions, with no fact extracted, states nothing
      durable, so it is not kept as mid- or long-term ("What am I allergic to?" is a
      recall request, not an allergy). Short-term stays possible ("Can you answer in
      a table in this chat?").
    - A statement whose extracted facts are all measurements of changing values
      (:data:`~tiermem.agents.fact_patterns.MEASUREMENTS`: weight, sleep, blood pressure, a
      run's distance, body temperature) is mid-term, as the labelling guide defines it,
      whatever the decider said ("I weigh 45 kg" is a new version of the weight:
      neither identity nor gone tomorrow; "my temperature is 37.8, should I go to
      work?" states one beside its question). So is one that states only a change of weight ("I
      lost 3 kg", 我胖了两斤: :mod:`tiermem.agents.weight_change`).
    """

    def __init__(self, inner: Gate) -> None:
        self.inner = inner
        self.name = inner.name

    def decide(self, message: GateInput) -> GateDecision:
        """The inner decider's decision, with requests to forget kept out of every tier, secrets
        and pure questions kept out of mid/long and measurements kept mid-term."""
        from .secrets import says_secret
        from .statements import is_forget_request, stated_sentences

        decision = self.inner.decide(message)
        if is_forget_request(message.text):  # says why even where the decider said none too
            return decision.model_copy(
                update={
                    "tier": "none",
                    "facts": [],
                    "importance": 0.0,
                    "reason": f"asks to forget, which keeps nothing (the {self.name} gate said {decision.tier}: "
                    f"{decision.reason}); forget a memory by its id with the forget tool",
                }
            )
        if says_secret(message.text):
            return self._secret(message, decision)
        if decision.tier in ("mid", "long") and not decision.facts and not stated_sentences(message.text):
            return decision.model_copy(
                update={
                    "tier": "none",
                    "importance": 0.0,
                    "reason": "states no fact of its own: a question, a supposition or quoted words "
                    f"(the {self.name} gate said {decision.tier}: "
                    f"{decision.reason})",
                }
            )
        if (
            decision.tier != "mid"
        ):  # a measurement beside a question is still stated: "体温37.8°C, should I go to work?"
            return self._measurements(message, decision)
        return decision

    def _secret(self, message: GateInput, decision: GateDecision) -> GateDecision:
        """The decision for a message that names a secret: that of what it states besides, where
        that is kept mid- or long-term; else ``decision``, kept in working memory at most."""
        from .gate_common import IMPORTANCE
        from .secrets import says_secret, without_secrets
        from .statements import stated_sentences

        rest = without_secrets(message.text)
        besides = None
        if rest and not says_secret(rest):  # the secret's words left out: decided as a message of its own
            besides = self.decide(message.model_copy(update={"text": rest, "vector": None}))
        if besides is not None and besides.tier in ("mid", "long"):
            return besides.model_copy(
                update={
                    "reason": "names a secret, kept in working memory for the session only; what it states "
                    f"besides is kept: {besides.reason}"
                }
            )
        # kept for the session: a secret said as kept beyond it, or stated and asked to be kept ("Can you
        # remember that my locker code is 4512?", which the decider may read as a question)
        if decision.tier == "short" or (decision.tier == "none" and not stated_sentences(message.text)):
            return decision
        return decision.model_copy(
            update={
                "tier": "short",
                "facts": [],
                "importance": IMPORTANCE["short"],
                "reason": "names a secret (a password, a PIN, a card number ...): kept in working memory for "
                f"the session only, never in mid- or long-term memory (the {self.name} gate said "
                f"{decision.tier}: {decision.reason})",
            }
        )

    def _measurements(self, message: GateInput, decision: GateDecision) -> GateDecision:
        """``decision`` made mid-term where every fact the message states is a measurement, or it
        states only a change of weight."""
        from .fact_patterns import MEASUREMENTS
        from .gate_common import IMPORTANCE, extracted_facts
        from .weight_change import weight_change

        facts = [fact for fact, _ in extracted_facts(message.text, message.now)]
        if facts and all(fact.attribute in MEASUREMENTS for fact in facts):
            said = "a measurement, " + "; ".join(f"{fact.key} = {fact.value}" for fact in facts)
        elif not facts and (change := weight_change(message.text)) is not None:
            said = f"a change of weight, {change.amount:+g} {change.unit}"
        else:
            return decision
        return decision.model_copy(
            update={
                "tier": "mid",
                "facts": facts,
                "importance": IMPORTANCE["mid"],
                "reason": f"states {said} (the {self.name} gate said {decision.tier}: {decision.reason})",
            }
        )
