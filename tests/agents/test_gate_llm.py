"""LLMGate with fake chat models (JSON and tool-calling), repair, fallback; once with SmolLM2."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatResult
from tiermem.agents.gate import GateInput, create_gate
from tiermem.agents.llm_gate import LLMGate, parse_json_answer
from tiermem.agents.rule_gate import RuleGate
from tiermem.memory.embeddings import BaseEmbedder

NOW = datetime(2024, 5, 3, 9, 0, tzinfo=UTC)


class RecordingChatModel(GenericFakeChatModel):
    """Replies from a list and keeps every prompt it was sent."""

    prompts: list[list[BaseMessage]] = []

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        self.prompts.append(list(messages))
        return super()._generate(messages, *args, **kwargs)


class ToolCallingChatModel(RecordingChatModel):
    """A fake with tool calling, so ``with_structured_output`` works."""

    def bind_tools(self, tools: Any, **kwargs: Any) -> ToolCallingChatModel:
        return self


def answer(**fields: Any) -> str:
    return json.dumps({"tier": "mid", "importance": 0.6, "reason": "a measurement", "facts": [], **fields})


def replies(*items: str | AIMessage) -> Iterator[str | AIMessage]:
    return iter(items)


@pytest.fixture(scope="module")
def fallback(embedder: BaseEmbedder) -> RuleGate:
    return RuleGate(embedder)


def test_json_answer_is_used(fallback: RuleGate) -> None:
    model = RecordingChatModel(messages=replies(answer(tier="long", importance=0.9, reason="an allergy")), prompts=[])
    gate = LLMGate(model, fallback=fallback)
    decision = gate.decide(GateInput(text="I'm allergic to peanuts", now=NOW))
    assert gate.mode == "json"
    assert (decision.tier, decision.importance, decision.reason, decision.decider) == ("long", 0.9, "an allergy", "llm")
    assert decision.scores == {"llm_attempts": 1.0, "llm_fallback": 0.0}
    assert [f.key for f in decision.facts] == ["user.allergy"]  # extraction fills in missing facts
    system = model.prompts[0][0].text
    assert "none:" in system and "long:" in system and "JSON" in system


def test_model_facts_kept_and_invalid_ones_dropped(fallback: RuleGate) -> None:
    facts = [
        {"subject": "user", "attribute": "weight", "value": "61 kg"},
        {"subject": "user", "attribute": "体重", "value": "61公斤"},
    ]
    model = RecordingChatModel(messages=replies(answer(facts=facts)), prompts=[])
    decision = LLMGate(model, fallback=fallback).decide(GateInput(text="今天61公斤", now=NOW))
    assert [(f.key, f.value, f.observed_at) for f in decision.facts] == [("user.weight", "61 kg", NOW)]


def test_broken_json_is_repaired_once(fallback: RuleGate) -> None:
    model = RecordingChatModel(messages=replies('{"tier": "mid", "importance": ', "Sure! " + answer()), prompts=[])
    decision = LLMGate(model, fallback=fallback).decide(GateInput(text="I weighed 61 kg today", now=NOW))
    assert (decision.tier, decision.decider) == ("mid", "llm")
    assert decision.scores["llm_attempts"] == 2.0
    repair = model.prompts[1][-1].text
    assert "invalid JSON" in repair and '{"tier": "mid", "importance": ' in repair


def test_two_invalid_answers_fall_back_traced(fallback: RuleGate) -> None:
    model = RecordingChatModel(messages=replies(answer(tier="medium"), "I think it is long-term."), prompts=[])
    decision = LLMGate(model, fallback=fallback).decide(GateInput(text="I'm allergic to peanuts", now=NOW))
    assert decision.decider == "rule" and decision.tier == "long"
    assert decision.scores["llm_fallback"] == 1.0 and decision.scores["llm_attempts"] == 2.0
    assert decision.reason.startswith("LLM gate failed (tier: Input should be")
    assert "no JSON object in the answer" in decision.reason and "rule gate:" in decision.reason


def test_model_exception_falls_back(fallback: RuleGate) -> None:
    model = RecordingChatModel(messages=replies(), prompts=[])  # StopIteration inside the model
    decision = LLMGate(model, fallback=fallback).decide(GateInput(text="I live in Oslo", now=NOW))
    assert decision.scores["llm_fallback"] == 1.0 and decision.scores["llm_attempts"] == 1.0
    assert decision.tier == "long" and "LLM gate failed" in decision.reason


def test_structured_output_path(fallback: RuleGate) -> None:
    call = {"name": "LLMGateAnswer", "args": {"tier": "short", "importance": 0.2, "reason": "now"}, "id": "c1"}
    model = ToolCallingChatModel(messages=replies(AIMessage(content="", tool_calls=[call])), prompts=[])
    gate = LLMGate(model, fallback=fallback)
    decision = gate.decide(GateInput(text="I'm at the gym", now=NOW))
    assert gate.mode == "structured"
    assert (decision.tier, decision.importance, decision.decider) == ("short", 0.2, "llm")
    assert "JSON" not in model.prompts[0][0].text


def test_structured_output_invalid_then_no_call_falls_back(fallback: RuleGate) -> None:
    bad = {"name": "LLMGateAnswer", "args": {"tier": "weird", "importance": 2}, "id": "c1"}
    model = ToolCallingChatModel(messages=replies(AIMessage(content="", tool_calls=[bad]), "no idea"), prompts=[])
    decision = LLMGate(model, fallback=fallback).decide(GateInput(text="I'm at the gym right now", now=NOW))
    assert decision.scores["llm_fallback"] == 1.0
    assert "made no tool call" in decision.reason
    assert "weird" in model.prompts[1][-1].text  # the repair shows the model its answer


@pytest.mark.parametrize("text", ["", "   ", "🙂🙂"])
def test_no_words_never_calls_the_model(fallback: RuleGate, text: str) -> None:
    model = RecordingChatModel(messages=replies(), prompts=[])
    decision = LLMGate(model, fallback=fallback).decide(GateInput(text=text, now=NOW))
    assert decision.tier == "none" and model.prompts == []


def test_long_message_truncated_in_prompt(fallback: RuleGate) -> None:
    model = RecordingChatModel(messages=replies(answer()), prompts=[])
    LLMGate(model, fallback=fallback, max_chars=200).decide(GateInput(text="word " * 10_000, now=NOW))
    assert len(model.prompts[0][-1].text) <= 200


@pytest.mark.parametrize(
    ("text", "error"),
    [("nothing here", "no JSON object"), ("{tier: mid}", "invalid JSON"), ('{"tier": "mid"}', "importance")],
)
def test_parse_json_answer_errors(text: str, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        parse_json_answer(text)


def test_registry_passes_the_chat_model(embedder: BaseEmbedder) -> None:
    model = RecordingChatModel(messages=replies(answer(tier="none")), prompts=[])
    gate = create_gate("llm", chat_model=model, embedder=embedder)
    assert gate.decide(GateInput(text="what's 2+2?", now=NOW)).tier == "none"


@pytest.mark.slow
def test_local_smollm2_never_crashes(embedder: BaseEmbedder) -> None:
    from tiermem.agents.local_chat import LocalChatModel

    gate = LLMGate(LocalChatModel(max_new_tokens=48), embedder=embedder)
    decision = gate.decide(GateInput(text="I weighed 61 kg today", now=NOW))
    assert decision.tier in {"none", "short", "mid", "long"}
    assert decision.decider in {"llm", "rule"}
    assert decision.scores["llm_fallback"] in {0.0, 1.0}
