"""The rule and trained deciders: table-driven tiers (EN + ZH), bad input, registry, accuracy."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pytest
import yaml
from tiermem.agents.gate import Gate, GateDecision, GateInput, QuestionGuard, create_gate
from tiermem.agents.gate_data import load_labelled
from tiermem.agents.rule_gate import RuleGate
from tiermem.agents.trained_gate import TrainedGate
from tiermem.benchmarks.gate import evaluate_gate
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.errors import ConfigError

NOW = datetime(2024, 5, 3, 9, 0, tzinfo=UTC)
DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data"

CASES = [
    ("greeting", "Hey, good morning!", "none"),
    ("thanks", "thanks so much for the help", "none"),
    ("general knowledge", "How many legs does a spider have?", "none"),
    ("writing request", "Write a short story about a dragon who bakes bread.", "none"),
    ("doing now", "I'm sitting in the waiting room at the clinic right now.", "short"),
    ("feeling now", "I feel really nervous at the moment", "short"),
    ("measurement", "I weighed 58 kg this morning", "mid"),
    ("dated plan", "My sister's wedding is on June 14th and I'm giving a speech", "mid"),
    ("temporary medication", "I'm taking antibiotics for the next week", "mid"),
    ("allergy", "I'm allergic to bee stings", "long"),
    ("where I live", "I live in Vancouver with my two cats", "long"),
    ("relationship", "My husband and I have been together for fifteen years", "long"),
    ("zh greeting", "你好呀", "none"),
    ("zh knowledge", "月亮离地球有多远？", "none"),
    ("zh feeling now", "我现在特别困", "short"),
    ("zh measurement", "今天早上体重58公斤", "mid"),
    ("zh plan", "下个月15号我要去北京出差", "mid"),
    ("zh allergy", "我对芒果过敏", "long"),
    ("zh identity", "我是在广州长大的，一直住在这里", "long"),
]


@pytest.fixture(scope="module")
def rule_gate(embedder: BaseEmbedder) -> RuleGate:
    return RuleGate(embedder)


@pytest.fixture(scope="module")
def trained_gate(embedder: BaseEmbedder) -> TrainedGate:
    return TrainedGate(embedder)


@pytest.fixture(params=["rule", "trained"])
def gate(request: pytest.FixtureRequest, rule_gate: RuleGate, trained_gate: TrainedGate) -> Gate:
    return {"rule": rule_gate, "trained": trained_gate}[request.param]


@pytest.mark.parametrize(("name", "message", "expected"), CASES, ids=[c[0] for c in CASES])
def test_tier(gate: Gate, name: str, message: str, expected: str) -> None:
    decision = gate.decide(GateInput(text=message, now=NOW))
    assert decision.tier == expected, f"{gate.name} on {name!r}: {decision.reason}"
    assert decision.decider == gate.name
    assert decision.reason


def test_facts_attached_to_mid_and_long(gate: Gate) -> None:
    weight = gate.decide(GateInput(text="I weighed 58 kg this morning", now=NOW))
    assert [(f.key, f.value) for f in weight.facts] == [("user.weight", "58 kg")]
    allergy = gate.decide(GateInput(text="我对芒果过敏", now=NOW))
    assert [(f.key, f.value) for f in allergy.facts] == [("user.allergy", "芒果")]
    assert gate.decide(GateInput(text="Hey, good morning!", now=NOW)).facts == []


def test_question_about_a_fact_states_nothing(gate: Gate) -> None:
    decision = gate.decide(GateInput(text="Do you still remember how much I weighed?", now=NOW))
    assert decision.tier == "none"


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t ", "😂🎉👍", "!!! ??? ...", "12345"],
    ids=["empty", "whitespace", "emoji", "punctuation", "digits"],
)
def test_no_words_is_none(gate: Gate, text: str) -> None:
    decision = gate.decide(GateInput(text=text, now=NOW))
    assert decision == GateDecision(
        tier="none", importance=0.0, reason="no words (empty, emoji or symbols only)", decider=gate.name
    )


def test_very_long_message_is_truncated_for_the_decision(gate: Gate) -> None:
    text = "I'm allergic to peanuts. " + "blah " * 40_000
    decision = gate.decide(GateInput(text=text, now=NOW))
    assert decision.tier in {"none", "short", "mid", "long"}
    assert len(decision.reason) < 500


@pytest.mark.parametrize(
    "text",
    ["我今天meeting开了一整天 🤯", "my mom是台湾人", "Ich wohne in München", "Я живу в Москве 🙂", "مرحبا"],
)
def test_mixed_scripts_decided_without_error(gate: Gate, text: str) -> None:
    decision = gate.decide(GateInput(text=text, now=NOW))
    assert decision.tier in {"none", "short", "mid", "long"}
    assert set(decision.scores) >= {"none", "short", "mid", "long"}


def test_given_vector_is_used(gate: Gate, embedder: BaseEmbedder) -> None:
    text = "I live in Vancouver with my two cats"
    vector = embedder.encode_one("I'm feeling a bit sleepy right now")
    with_vector = gate.decide(GateInput(text=text, now=NOW, vector=vector))
    without = gate.decide(GateInput(text=text, now=NOW))
    assert with_vector.scores != without.scores


def test_registry_builds_every_decider(embedder: BaseEmbedder) -> None:
    assert create_gate("rule", embedder=embedder).name == "rule"
    assert create_gate("trained", embedder=embedder).name == "trained"
    with pytest.raises(ConfigError, match="unknown gate 'psychic'.*'llm', 'rule', 'trained'"):
        create_gate("psychic")


def test_default_gates_reach_target_on_held_out_split(rule_gate: RuleGate, trained_gate: TrainedGate) -> None:
    rows = load_labelled(DATA / "gate_test.jsonl")
    for gate in (rule_gate, trained_gate):
        report = evaluate_gate(gate, rows, gate.embedder)
        assert report.n == len(rows) >= 250
        assert report.accuracy >= 0.9, f"{gate.name}: {report.accuracy}"
        assert report.macro_f1 >= 0.88
        assert report.per_lang["zh"].accuracy >= 0.85 and report.per_lang["en"].accuracy >= 0.85


def test_splits_do_not_leak() -> None:
    train = {r.text for r in load_labelled(DATA / "gate_train.jsonl")}
    test = {r.text for r in load_labelled(DATA / "gate_test.jsonl")}
    assert len(train) >= 550 and not train & test
    prototypes = yaml.safe_load(resources.files("tiermem.agents").joinpath("data/gate_prototypes.yaml").read_text())
    shipped = {text for texts in prototypes.values() for text in texts}
    assert not shipped & test, "a test-split sentence is a RuleGate prototype"
    assert shipped <= train


@pytest.mark.parametrize(
    "message",
    [
        "My password is hunter2",
        "My bank card PIN is 4821",
        "The wifi password here is sunflower88",
        "我的银行卡密码是123456",
    ],
)
def test_a_secret_is_kept_for_the_session_only(gate: Gate, message: str) -> None:
    decision = QuestionGuard(gate).decide(GateInput(text=message, now=NOW))
    assert decision.tier in ("short", "none") and decision.facts == [], decision.reason
