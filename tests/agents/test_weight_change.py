"""Changes of weight said in chat: the change read (EN + ZH), the new weight in the old one's
unit, and the resolver that reads the user's newest stored weight."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from tiermem.agents.gate import GateDecision, GateInput, create_gate
from tiermem.agents.weight_change import WeightChange, WeightChangeResolver, changed_weight, weight_change
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.records import Fact, MemoryRecord
from tiermem.memory.store import TierStore

NOW = datetime(2024, 5, 3, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "change"),
    [
        ("I lost 3 kg", (-3.0, "kg")),
        ("I've gained 2kg since last month", (2.0, "kg")),
        ("I have lost 1.5 kilos this week", (-1.5, "kg")),
        ("I just put on five pounds over the holidays", (5.0, "lb")),
        ("I'm down 4 lb this week", (-4.0, "lb")),
        ("Good news, I lost 3 kg!", (-3.0, "kg")),
        ("我瘦了3公斤", (-3.0, "kg")),
        ("我胖了两斤", (2.0, "jin")),
        ("我这个月瘦了五斤", (-5.0, "jin")),
        ("体重减了2kg", (-2.0, "kg")),
        ("My brother lost 3 kg", None),  # not the speaker's
        ("Did I gain 2 kg?", None),  # asked, not stated
        ("If I lost 3 kg I'd be happy", None),
        ("I'm down to 70 kg", None),  # a weight, not a change
        ("I lost my keys", None),
        ("我妈妈瘦了3公斤", None),
    ],
)
def test_a_change_of_weight_is_read(text: str, change: tuple[float, str] | None) -> None:
    assert weight_change(text) == (WeightChange(*change) if change else None)


@pytest.mark.parametrize(
    ("held", "change", "new"),
    [
        ("70 kg", (-3.0, "kg"), "67 kg"),
        ("70 kg", (2.0, "jin"), "71 kg"),  # 1 斤 is half a kilogram
        ("120 jin", (-3.0, "kg"), "114 jin"),
        ("140 lb", (-2.0, "kg"), "135.6 lb"),
        ("70.5 kg", (5.0, "lb"), "72.8 kg"),
        ("60 kg", (-1.0, "jin"), "59.5 kg"),
        ("2 kg", (-3.0, "kg"), None),  # leaves no weight
        ("about seventy", (-3.0, "kg"), None),  # no number and unit to change
    ],
)
def test_the_new_weight_is_in_the_old_ones_unit(held: str, change: tuple[float, str], new: str | None) -> None:
    assert changed_weight(held, WeightChange(*change)) == new


def weight(store: TierStore, value: str, at: datetime) -> None:
    fact = Fact(attribute="weight", value=value, observed_at=at)
    store.write(
        [MemoryRecord(namespace="ann", tier="mid", kind="fact", text=f"I weigh {value}", fact=fact, created_at=at)]
    )


def mid(reason: str = "classifier: mid") -> GateDecision:
    return GateDecision(tier="mid", importance=0.6, reason=reason)


def test_a_change_makes_a_new_version_of_the_newest_weight(store: TierStore) -> None:
    weight(store, "72 kg", NOW - timedelta(days=30))
    weight(store, "70 kg", NOW - timedelta(days=2))
    revised = WeightChangeResolver(store).revised(mid(), "ann", "I lost 3 kg", NOW)
    assert [(f.key, f.value, f.observed_at) for f in revised.facts] == [("user.weight", "67 kg", NOW)]
    assert revised.tier == "mid" and "70 kg -3 kg" in revised.reason


def test_without_a_stored_weight_no_weight_is_made_up(store: TierStore) -> None:
    assert WeightChangeResolver(store).revised(mid(), "ann", "I lost 3 kg", NOW) == mid()
    weight(store, "70 kg", NOW - timedelta(days=2))
    assert WeightChangeResolver(store).revised(mid(), "bob", "I lost 3 kg", NOW) == mid()  # another user's


def test_a_weight_said_with_the_change_is_the_one_kept(store: TierStore) -> None:
    weight(store, "70 kg", NOW - timedelta(days=2))
    stated = mid().model_copy(update={"facts": [Fact(attribute="weight", value="68 kg", observed_at=NOW)]})
    assert WeightChangeResolver(store).revised(stated, "ann", "I weigh 68 kg, I lost 2 kg", NOW) == stated
    assert (
        WeightChangeResolver(store).revised(mid().model_copy(update={"tier": "none"}), "ann", "I lost 3 kg", NOW).facts
        == []
    )


@pytest.mark.parametrize(
    ("text", "new"),
    [
        ("Weighed in at 76.5 this morning.", "76.5 kg"),
        ("I'm down to 76 now!", "76 kg"),
        ("The scale said 75.8 today", "75.8 kg"),
        ("I weigh 77,5 now", "77.5 kg"),
        ("I'm down to 3 coffees a day.", None),  # no weight: a word after the number
        ("I'm down to 30", None),  # too far from the 80 kg held to be a weight
        ("My son weighed 70 today", None),  # not the speaker's
        ("Did I weigh 78?", None),
    ],
)
def test_a_weight_said_by_its_number_alone_is_in_the_held_unit(store: TierStore, text: str, new: str | None) -> None:
    weight(store, "80 kg", NOW - timedelta(days=2))
    small_talk = GateDecision(tier="short", importance=0.2, reason="classifier: short")
    revised = WeightChangeResolver(store).revised(small_talk, "ann", text, NOW)
    assert [fact.value for fact in revised.facts] == ([new] if new else [])
    assert revised.tier == ("mid" if new else "short")  # the gate could not know the number is a weight
    assert WeightChangeResolver(store).revised(small_talk, "bob", text, NOW) == small_talk  # bob holds no weight


@pytest.mark.parametrize(
    ("text", "goal"),
    [
        ("My target weight is 165.", "165 lb"),
        ("I want to get down to 160", "160 lb"),
        ("My goal is to hit 170 by summer", None),  # a word after the number: no weight
        ("My goal is 10 pushups", None),
    ],
)
def test_a_goal_weight_said_by_its_number_alone_is_in_the_held_unit(
    store: TierStore, text: str, goal: str | None
) -> None:
    weight(store, "180 lb", NOW - timedelta(days=2))
    revised = WeightChangeResolver(store).revised(mid(), "ann", text, NOW)
    assert [(fact.key, fact.value) for fact in revised.facts] == ([("user.goal_weight", goal)] if goal else [])


@pytest.mark.parametrize("name", ["rule", "trained"])
@pytest.mark.parametrize("text", ["I lost 3 kg", "I've gained 2kg since last month", "我瘦了3公斤", "我胖了两斤"])
def test_the_gate_keeps_a_change_of_weight_mid_term(embedder: BaseEmbedder, name: str, text: str) -> None:
    decision = create_gate(name, embedder=embedder).decide(GateInput(text=text, now=NOW))
    assert decision.tier == "mid" and decision.facts == [], decision.reason


@pytest.mark.parametrize("text", ["我重了3公斤", "我体重重了3公斤", "我最近又重了两斤"])
def test_a_gain_said_with_zhong_le_is_no_weight(text: str) -> None:
    """重了3公斤 is a gain of 3 kg, not a weight of 3 kg; 称重了50公斤 still is a weight."""
    from tiermem.agents.extract import extract_facts

    assert [fact.key for fact, _ in extract_facts(text, NOW)] == []
    assert weight_change(text) is not None
    assert [(fact.key, fact.value) for fact, _ in extract_facts("今天称重了50公斤", NOW)] == [("user.weight", "50 kg")]


@pytest.mark.parametrize(
    ("text", "weight"),
    [
        ("down to 80.5 kg today!", "80.5 kg"),
        ("Finally down to 80 kg", "80 kg"),
        ("up to 90kg now, ugh", "90 kg"),
        ("down to 3 kg of flour left", None),
        ("My dog is down to 20 kg", None),
    ],
)
def test_a_weight_said_without_a_subject_is_the_speakers(text: str, weight: str | None) -> None:
    from tiermem.agents.extract import extract_facts

    found = {fact.key: fact.value for fact, _ in extract_facts(text, NOW)}
    assert found.get("user.weight") == weight and not any(key != "user.weight" for key in found)
