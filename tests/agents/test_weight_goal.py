from datetime import UTC, datetime, timedelta

import pytest
from tiermem.agents.extract import extract_facts
from tiermem.agents.retriever import FactVersion, RetrievedItem
from tiermem.agents.weight_goal import body_answer, weight_to_goal

WHEN = datetime(2024, 5, 10, 8, tzinfo=UTC)
GOAL_SET = WHEN - timedelta(days=30)


def _held(key: str, value: str, *older: tuple[str, int], at: datetime = WHEN) -> RetrievedItem:
    """A fact held as of ``at``, with older values ``(value, days before at)``."""
    versions = [FactVersion(value=v, observed_at=at - timedelta(days=days)) for v, days in older]
    return RetrievedItem(
        id=key, tier="mid", text=value, score=0.9, created_at=at, key=key, value=value, versions=versions
    )


@pytest.mark.parametrize(
    ("text", "goal"),
    [
        ("My goal weight is 65 kg", "65 kg"),
        ("I'm trying to lose weight, currently 72 kg, goal is 65 kg.", "65 kg"),
        ("I want to get down to 150 lbs", "150 lb"),
        ("I'm aiming for 65 kg by summer", "65 kg"),
        ("I want to weigh 60 kg by summer", "60 kg"),  # a goal: no weight of the speaker's now
        ("I weigh 50 kg and want to get to 55 kg", "55 kg"),
        ("My target weight is 65kg", "65 kg"),
        ("我的目标体重是65公斤", "65 kg"),
        ("我想减到120斤", "120 jin"),
        ("I lost 3 kg", None),
        ("I weigh 72 kg", None),  # a reading, no goal
    ],
)
def test_a_goal_weight_is_a_fact_of_its_own(text: str, goal: str | None) -> None:
    facts = {fact.key: fact.value for fact, _ in extract_facts(text, WHEN)}
    assert facts.get("user.goal_weight") == goal
    if "weigh" not in text and "currently" not in text:
        assert "user.weight" not in facts  # the goal is no reading of the weight


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        (
            "How much more weight do I need to lose?",
            "You have 7 kg left to lose: you weigh 72 kg (as of 2024-05-10) and your goal weight is 65 kg.",
        ),
        (
            "How far am I from my goal weight?",
            "You have 7 kg left to lose: you weigh 72 kg (as of 2024-05-10) and your goal weight is 65 kg.",
        ),
        ("我还要减多少？", "你还需要减7 kg：现在是72 kg（2024-05-10），目标体重是65 kg。"),
        ("How much do I weigh?", None),  # the fact answers it
        ("What's my goal weight?", None),
    ],
)
def test_the_way_left_to_the_goal(question: str, answer: str | None) -> None:
    held = [_held("user.weight", "72 kg", ("75 kg", 40)), _held("user.goal_weight", "65 kg", at=GOAL_SET)]
    assert weight_to_goal(question, held, WHEN) == answer


def test_a_goal_passed_in_its_direction_is_reached() -> None:
    goal = _held("user.goal_weight", "65 kg", at=GOAL_SET)
    below = [_held("user.weight", "64 kg", ("72 kg", 40)), goal]  # was 72 when the goal was set: to lose
    assert weight_to_goal("Have I reached my goal weight?", below, WHEN) == (
        "You've reached your goal weight of 65 kg: you weigh 64 kg (as of 2024-05-10)."
    )
    gaining = [_held("user.weight", "52 kg", ("50 kg", 40)), _held("user.goal_weight", "55 kg", at=GOAL_SET)]
    assert weight_to_goal("How much more weight do I need to gain?", gaining, WHEN) == (
        "You have 3 kg left to gain: you weigh 52 kg (as of 2024-05-10) and your goal weight is 55 kg."
    )


def test_the_way_left_is_told_in_the_unit_of_the_weight() -> None:
    held = [_held("user.weight", "180 lbs"), _held("user.goal_weight", "75 kg", at=GOAL_SET)]
    assert weight_to_goal("How much more do I need to lose?", held, WHEN) == (
        "You have 14.7 lbs left to lose: you weigh 180 lbs (as of 2024-05-10) and your goal weight is 75 kg."
    )


def test_without_the_weight_or_the_goal_nothing_is_computed() -> None:
    assert weight_to_goal("How much more do I need to lose?", [_held("user.weight", "72 kg")], WHEN) is None
    assert body_answer("How much more do I need to lose?", [_held("user.goal_weight", "65 kg")], WHEN) is None
    computed = body_answer(
        "How far am I from my goal?", [_held("user.weight", "72 kg"), _held("user.goal_weight", "65 kg")], WHEN
    )
    assert computed is not None and computed.cited == ["user.weight", "user.goal_weight"]
