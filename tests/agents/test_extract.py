from datetime import UTC, datetime

import pytest
from tiermem.agents.extract import extract_facts, observed_time

NOW = datetime(2024, 5, 3, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "text", "key", "value", "tier"),
    [
        ("en weight", "I weighed 47 kg this morning", "user.weight", "47 kg", "mid"),
        ("zh weight", "今天称重45kg", "user.weight", "45 kg", "mid"),
        ("zh weight jin", "体重是46公斤", "user.weight", "46 kg", "mid"),
        ("en pounds", "I weigh 150 lbs now", "user.weight", "150 lb", "mid"),
        ("en sleep", "I slept 6 hours last night", "user.sleep", "6 h", "mid"),
        ("en blood pressure", "My blood pressure was 130/85", "user.blood_pressure", "130/85", "mid"),
        ("en exam", "I have an exam on the 12th", "user.plan_exam", "on the 12th", "mid"),
        ("en allergy", "I'm allergic to peanuts.", "user.allergy", "peanuts", "long"),
        ("zh allergy", "我对花生过敏", "user.allergy", "花生", "long"),
        ("en name", "My name is Alice Smith", "user.name", "Alice Smith", "long"),
        ("zh name", "我叫小明", "user.name", "小明", "long"),
        ("en lives", "I live in Berlin.", "user.lives_in", "Berlin", "long"),
        ("en favourite", "My favorite food is sushi", "user.favorite_food", "sushi", "long"),
    ],
)
def test_extracts(name: str, text: str, key: str, value: str, tier: str) -> None:
    found = {fact.key: (fact.value, t) for fact, t in extract_facts(text, NOW)}
    assert found[key] == (value, tier)


@pytest.mark.parametrize(
    "text", ["How much do I weigh now?", "我现在体重多少？", "Hello!", "The elephant weighs a lot"]
)
def test_no_fact_in_questions_and_small_talk(text: str) -> None:
    assert extract_facts(text, NOW) == []


def test_relative_days_move_observation_time() -> None:
    assert observed_time("I slept badly yesterday", NOW).day == 2
    assert observed_time("昨天称重45kg", NOW).day == 2
    assert observed_time("today", NOW) == NOW
    ((fact, _),) = extract_facts("今天称重45kg", NOW)
    assert fact.observed_at == NOW and fact.statement == "今天称重45kg"


@pytest.mark.parametrize(
    "text",
    [
        "我对什么过敏？",
        "我住在哪里？",
        "What am I allergic to?",
        "Where do I live?",
        "我叫什么名字？",
        "Do I live in Berlin?",
    ],
)
def test_questions_state_no_facts(text: str) -> None:
    assert extract_facts(text, NOW) == []


def test_statement_beside_a_question_is_kept() -> None:
    found = extract_facts("I'm allergic to peanuts. What can I eat at the party?", NOW)
    assert [(f.key, f.value) for f, _ in found] == [("user.allergy", "peanuts")]


@pytest.mark.parametrize("gate", ["rule", "trained"])
@pytest.mark.parametrize("text", ["What am I allergic to?", "我对什么过敏？", "我住在哪里？", "Where do I live?"])
def test_pure_questions_are_never_kept_as_mid_or_long(gate: str, text: str) -> None:
    from tiermem.agents.gate import GateInput, create_gate

    decision = create_gate(gate).decide(GateInput(text=text, now=NOW))
    assert decision.tier in ("none", "short") and decision.facts == []


def test_an_interviewer_is_not_an_interview() -> None:
    assert extract_facts("本次对话你扮演一个面试官", NOW) == []
    assert [(f.attribute, t) for f, t in extract_facts("我明天下午有个面试", NOW)] == [("plan", "mid")]


class _Says:
    """A decider that always answers ``tier`` (what the shared rules then do with it)."""

    name = "fixed"

    def __init__(self, tier: str) -> None:
        self.tier = tier

    def decide(self, message: object) -> object:
        from tiermem.agents.gate import GateDecision

        return GateDecision(tier=self.tier, importance=0.5, reason=f"said {self.tier}", decider=self.name)


@pytest.mark.parametrize(
    ("said", "text", "expected", "facts"),
    [
        ("long", "I weigh 45 kg", "mid", ["user.weight = 45 kg"]),
        ("short", "My blood pressure was 120/80 this morning", "mid", ["user.blood_pressure = 120/80"]),
        ("long", "My name is Ann and I weigh 50 kg", "long", []),  # a lasting fact beside the measurement
        ("short", "I have an exam on the 12th", "short", []),  # plans are the decider's call
        ("none", "I weigh 45 kg", "none", []),
        ("mid", "I weighed 47 kg", "mid", []),
    ],
)
def test_a_statement_of_measurements_alone_is_mid_term(said: str, text: str, expected: str, facts: list[str]) -> None:
    from tiermem.agents.gate import GateInput, QuestionGuard

    decision = QuestionGuard(_Says(said)).decide(GateInput(text=text, now=NOW))  # type: ignore[arg-type]
    assert decision.tier == expected
    assert [f"{f.key} = {f.value}" for f in decision.facts] == facts
    if expected != said:
        assert decision.importance == 0.6 and f"the fixed gate said {said}" in decision.reason


@pytest.mark.parametrize("gate", ["rule", "trained"])
@pytest.mark.parametrize("text", ["I weigh 45 kg", "My weight is 45 kg", "今天称重45kg"])
def test_every_gate_keeps_a_weight_mid_term(gate: str, text: str) -> None:
    from tiermem.agents.gate import GateInput, create_gate

    decision = create_gate(gate).decide(GateInput(text=text, now=NOW))
    assert decision.tier == "mid" and [f.key for f in decision.facts] == ["user.weight"]
