"""Retrieval levers on a real store: the time boost, multi-granularity items, per-call budget."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from tiermem.agents.retriever import RetrievalAgent
from tiermem.agents.settings import RetrievalSettings
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.records import Fact, MemoryRecord
from tiermem.memory.store import TierStore

NOW = datetime(2023, 12, 1, tzinfo=UTC)


def record(text: str, at: datetime, *, sources: list[str], kind: str = "message") -> MemoryRecord:
    return MemoryRecord(namespace="mel", tier="mid", text=text, created_at=at, source_ids=sources, kind=kind)


@pytest.fixture
def filled(store: TierStore) -> TierStore:
    store.write(
        [
            record("I painted a lake at sunrise", datetime(2023, 3, 5, tzinfo=UTC), sources=["D1:1"]),
            record("I painted a sunset over the sea", datetime(2023, 7, 10, tzinfo=UTC), sources=["D2:1"]),
            record("We visited Paris last month, lovely", datetime(2023, 8, 2, tzinfo=UTC), sources=["D3:1"]),
            record("I run every morning", datetime(2023, 9, 2, tzinfo=UTC), sources=["D4:1"]),
            record(
                "2 September 2023\nMel: I run every morning\nCaroline: How far do you run?\nMel: Five kilometres",
                datetime(2023, 9, 2, tzinfo=UTC),
                sources=["D4:1", "D4:2", "D4:3"],
                kind="episode",
            ),
        ]
    )
    return store


def test_a_period_in_the_query_lifts_memories_from_it(filled: TierStore, embedder: BaseEmbedder) -> None:
    boosted = RetrievalAgent(filled, embedder, RetrievalSettings(time_weight=0.5))
    flat = RetrievalAgent(filled, embedder, RetrievalSettings(time_weight=0.0))
    query = "What did I paint in July 2023?"
    with_time = {i.sources[0]: i.score for i in boosted.retrieve("mel", query, now=NOW).items}
    without = {i.sources[0]: i.score for i in flat.retrieve("mel", query, now=NOW).items}
    assert with_time["D2:1"] == pytest.approx(without["D2:1"] * 1.5)
    assert with_time["D1:1"] == pytest.approx(without["D1:1"])
    assert boosted.retrieve("mel", query, now=NOW).items[0].sources == ["D2:1"]
    # a memory whose text speaks of the period counts too: "last month" said on 2 August is July
    trip = {i.sources[0]: i.score for i in boosted.retrieve("mel", "Where did we travel in July 2023?", now=NOW).items}
    plain = {i.sources[0]: i.score for i in flat.retrieve("mel", "Where did we travel in July 2023?", now=NOW).items}
    assert trip["D3:1"] == pytest.approx(plain["D3:1"] * 1.5)


def test_an_episode_and_the_turn_it_holds_are_not_both_shown(filled: TierStore, embedder: BaseEmbedder) -> None:
    agent = RetrievalAgent(filled, embedder)
    items = agent.retrieve("mel", "How far does Mel run every morning?", now=NOW).items
    holding = [i for i in items if "D4:1" in i.sources]
    assert len(holding) == 1 and holding[0].kind == "episode"
    assert holding[0].render() == holding[0].text and holding[0].render().startswith("2 September 2023\n")


def test_budget_per_call(filled: TierStore, embedder: BaseEmbedder) -> None:
    agent = RetrievalAgent(filled, embedder)
    assert len(agent.retrieve("mel", "painting", now=NOW, k=5).items) >= 2
    assert len(agent.retrieve("mel", "painting", now=NOW, k=5, token_budget=16).items) == 1


def _weight(kg: int, at: datetime, tier: str = "mid") -> MemoryRecord:
    fact = Fact(attribute="weight", value=f"{kg} kg", observed_at=at)
    return MemoryRecord(namespace="mel", tier=tier, kind="fact", text=f"I weigh {kg} kg", created_at=at, fact=fact)


def test_the_turns_own_version_leaves_the_one_before_shown(store: TierStore, embedder: BaseEmbedder) -> None:
    earlier, now = _weight(52, datetime(2023, 11, 1, tzinfo=UTC)), _weight(50, NOW)
    store.write([_weight(55, datetime(2023, 10, 1, tzinfo=UTC)), earlier, now])
    agent = RetrievalAgent(store, embedder)
    query = "I weigh 50 kg today. How much did I weigh last time?"
    [item] = [i for i in agent.retrieve("mel", query, now=NOW, exclude=[now.id]).items if i.key]
    assert item.id == earlier.id and item.value == "52 kg" and item.history == ["55 kg (2023-10-01)"]


def test_a_ledger_copy_does_not_repeat_a_value_in_the_history(store: TierStore, embedder: BaseEmbedder) -> None:
    first = datetime(2023, 11, 1, tzinfo=UTC)
    store.write([_weight(45, first), _weight(45, first, tier="long"), _weight(50, NOW)])
    [item] = [i for i in RetrievalAgent(store, embedder).retrieve("mel", "my weight", now=NOW).items if i.key]
    assert item.value == "50 kg" and item.history == ["45 kg (2023-11-01)"]


def test_a_question_asked_earlier_in_the_session_ranks_below_what_was_said(
    store: TierStore, embedder: BaseEmbedder
) -> None:
    def context(text: str) -> MemoryRecord:
        return MemoryRecord(namespace="mel", tier="short", kind="context", text=text, created_at=NOW)

    asked, said = context("我现在住在哪里？"), context("我住在上海，最近体重涨了")
    store.write([asked, said])
    query = "我现在多重？"
    flat = {
        i.id: i.score
        for i in RetrievalAgent(store, embedder, RetrievalSettings(asked_weight=1.0))
        .retrieve("mel", query, now=NOW)
        .items
    }
    items = RetrievalAgent(store, embedder).retrieve("mel", query, now=NOW).items
    weighted = {i.id: i.score for i in items}
    assert weighted[asked.id] < flat[asked.id] and weighted[said.id] == pytest.approx(flat[said.id])
    assert items[0].id == said.id


def test_a_second_allergy_adds_to_the_first_and_an_ended_one_goes(store: TierStore, embedder: BaseEmbedder) -> None:
    def allergy(value: str, day: int) -> MemoryRecord:
        when = datetime(2024, 5, day, 9, tzinfo=UTC)
        fact = Fact(attribute="allergy", value=value, observed_at=when)
        return MemoryRecord(namespace="dan", tier="long", text=f"allergy: {value}", fact=fact, created_at=when)

    store.write([allergy("penicillin", 1), allergy("peanuts", 2)])
    agent = RetrievalAgent(store, embedder)
    now = datetime(2024, 5, 20, tzinfo=UTC)
    item = next(i for i in agent.retrieve("dan", "What am I allergic to?", now=now).items if i.key == "user.allergy")
    assert item.value == "peanuts, penicillin" and item.history == []
    assert [f.value for f in store.ledger_facts("dan")] == ["peanuts, penicillin"]
    store.write([allergy("no longer penicillin", 3)])
    item = next(i for i in agent.retrieve("dan", "What am I allergic to?", now=now).items if i.key == "user.allergy")
    assert item.value == "peanuts" and item.history == ["penicillin (2024-05-01)"]
    assert [f.value for f in store.ledger_facts("dan")] == ["peanuts"]
