"""The correlation rule on a real TierStore: short -> mid, confirmations, mid -> long."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from tiermem.agents.promotion import Promoter, PromotionEvent
from tiermem.agents.settings import PromotionSettings
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.errors import InvalidInputError
from tiermem.memory.records import Fact, MemoryRecord
from tiermem.memory.store import TierStore

T0 = datetime(2024, 5, 3, 9, 0, tzinfo=UTC)


def say(
    store: TierStore, promoter: Promoter, text: str, step: int, *, namespace: str = "alice", by_record: bool = False
) -> list[PromotionEvent]:
    now = T0 + timedelta(minutes=10 * step)
    record = MemoryRecord(
        namespace=namespace, tier="short", text=text, created_at=now, expires_at=now + timedelta(hours=24)
    )
    store.write([record])
    return promoter.on_write(namespace, [record if by_record else record.id], now)


def state_mid(
    store: TierStore, promoter: Promoter, value: str, step: int, importance: float = 0.6, by_record: bool = False
) -> list[PromotionEvent]:
    now = T0 + timedelta(minutes=10 * step)
    fact = Fact(attribute="weight", value=value, observed_at=now, statement=f"I weigh {value}")
    record = MemoryRecord(
        namespace="alice",
        tier="mid",
        kind="fact",
        text=f"I weigh {value}",
        fact=fact,
        created_at=now,
        importance=importance,
    )
    store.write([record])
    return promoter.on_write("alice", [record if by_record else record.id], now)


@pytest.fixture
def promoter(store: TierStore, embedder: BaseEmbedder) -> Promoter:
    return Promoter(store, embedder)


def test_one_off_messages_are_not_promoted(store: TierStore, promoter: Promoter) -> None:
    texts = [
        "I'm at the dentist right now",
        "I had pasta for lunch",
        "我在地铁上",
        "watching a documentary about whales",
    ]
    assert [e for i, t in enumerate(texts) for e in say(store, promoter, t, i)] == []
    assert store.count("alice", ("mid", "long")) == 0


def test_recurring_text_is_promoted_with_sources_and_scores(store: TierStore, promoter: Promoter) -> None:
    first = say(store, promoter, "I'm so tired today", 0)
    events = say(store, promoter, "feeling so tired today", 1)
    assert first == []
    [event] = events
    assert event.kind == "short->mid" and event.fact_key == ""
    assert event.scores["max_similarity"] >= 0.65 and event.scores["correlated"] == 1.0
    assert event.scores["threshold"] == 0.65 and event.scores["k"] == 1.0
    [mid] = store.records("alice", tiers=("mid",))
    assert mid.id == event.record_ids[0] and mid.kind == "promoted"
    assert mid.source_ids == event.source_ids and len(mid.source_ids) == 2
    assert event.trigger_id == mid.source_ids[0]


def test_recurring_fact_is_promoted_as_a_fact(store: TierStore, promoter: Promoter) -> None:
    say(store, promoter, "I weighed 61 kg this morning", 0)
    [event] = say(store, promoter, "weighed myself again, 61 kg", 1)
    assert event.kind == "short->mid" and event.fact_key == "user.weight"
    [mid] = store.records("alice", tiers=("mid",))
    assert mid.fact is not None and (mid.key, mid.fact.value) == ("user.weight", "61 kg")


def test_repeats_confirm_then_move_to_long(store: TierStore, promoter: Promoter) -> None:
    kinds = []
    for step, text in enumerate(
        ["I'm so tired today", "so tired again today", "still so tired today", "tired again today"]
    ):
        kinds += [e.kind for e in say(store, promoter, text, step)]
    assert kinds == ["short->mid", "confirm", "confirm", "mid->long"]
    [mid] = store.records("alice", tiers=("mid",))
    [durable] = store.records("alice", tiers=("long",))
    assert mid.confirmations == 3
    assert durable.text == mid.text and mid.id in durable.source_ids and durable.expires_at is None


def test_other_namespaces_do_not_count(store: TierStore, promoter: Promoter) -> None:
    say(store, promoter, "I'm so tired today", 0, namespace="bob")
    say(store, promoter, "so tired today", 1, namespace="bob")
    assert say(store, promoter, "I'm so tired today", 2) == []


def test_threshold_and_k_are_configurable(store: TierStore, embedder: BaseEmbedder) -> None:
    strict = Promoter(store, embedder, PromotionSettings(similarity_threshold=0.99))
    say(store, strict, "I'm so tired today", 0)
    assert say(store, strict, "feeling so tired today", 1) == []
    needs_two = Promoter(store, embedder, PromotionSettings(min_correlated=2))
    assert say(store, needs_two, "so tired today honestly", 2)[0].scores["correlated"] >= 2


def test_restated_mid_fact_is_confirmed_then_long(store: TierStore, promoter: Promoter) -> None:
    assert state_mid(store, promoter, "61 kg", 0) == []
    [confirm] = state_mid(store, promoter, "61 kg", 1)
    assert confirm.kind == "confirm" and confirm.scores == {"confirmations": 2.0}
    assert state_mid(store, promoter, "60 kg", 2) == []  # a new value starts over
    events = state_mid(store, promoter, "60 kg", 3) + state_mid(store, promoter, "60 kg", 4)
    assert [e.kind for e in events] == ["confirm", "confirm", "mid->long"]
    assert events[-1].scores["confirmations"] == 3.0
    assert [f.value for f in store.ledger_facts("alice")] == ["60 kg"]
    assert [e.kind for e in state_mid(store, promoter, "60 kg", 5)] == ["confirm"]  # already long: not copied twice


def test_important_mid_fact_goes_long_at_once(store: TierStore, promoter: Promoter) -> None:
    [event] = state_mid(store, promoter, "61 kg", 0, importance=0.95)
    assert event.kind == "mid->long" and event.scores["importance"] == 0.95
    assert "importance 0.95" in event.reason


def test_records_as_written_need_no_read_back(
    store: TierStore, promoter: Promoter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Handed the records it was told about (as the graph does), the rule reads none of them back
    and decides as it does from their ids."""
    monkeypatch.setattr(store, "get", lambda *a, **k: pytest.fail("read back a record it was given"))
    kinds = [e.kind for step in range(3) for e in state_mid(store, promoter, "61 kg", step, by_record=True)]
    kinds += [e.kind for step, t in enumerate(["so tired today", "so tired again today"], 3) for e in say(
        store, promoter, t, step, by_record=True
    )]  # fmt: skip
    assert kinds == ["confirm", "confirm", "mid->long", "short->mid"]


def test_a_record_of_another_namespace_is_refused(store: TierStore, promoter: Promoter) -> None:
    record = MemoryRecord(namespace="bob", tier="short", text="I'm so tired today", created_at=T0)
    with pytest.raises(InvalidInputError, match="belongs to namespace 'bob'"):
        promoter.on_write("alice", [record], T0)


def test_unknown_record_ids_are_skipped(store: TierStore, promoter: Promoter) -> None:
    assert promoter.on_write("alice", ["0" * 32], T0) == []


def test_graph_traces_promotions(services, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    """The graph hands the tools' records to the rule: nothing it just wrote is read back."""
    from langchain_core.messages import HumanMessage
    from tiermem.graphs import build_graph

    graph = build_graph(services=services)
    monkeypatch.setattr(services.store, "get", lambda *a, **k: pytest.fail("read back a record just written"))

    def turn(text: str, at: str) -> dict:
        run = {"configurable": {"thread_id": "t", "user_id": "alice", "now": at, "respond": False}}
        return graph.invoke({"messages": [HumanMessage(content=text)]}, run)

    first = turn("I'm so tired right now", "2024-05-03T09:00:00")
    second = turn("I feel so tired right now", "2024-05-03T10:00:00")
    assert first["decision"]["tier"] == second["decision"]["tier"] == "short"
    assert first["trace"][-1]["promotions"] == []
    [event] = second["trace"][-1]["promotions"]
    assert event["kind"] == "short->mid" and event["scores"]["max_similarity"] >= 0.65
    assert set(event["source_ids"]) == set(first["written"]) | set(second["written"])
    assert [r.kind for r in services.store.records("alice", tiers=("mid",))] == ["promoted"]


def test_a_question_asked_again_is_never_promoted(store: TierStore, promoter: Promoter) -> None:
    events = [e for step in range(5) for e in say(store, promoter, "What am I doing right now?", step)]
    assert events == [] and store.count("alice", ("mid", "long")) == 0
    # nor does it count for a statement that follows it
    assert say(store, promoter, "I'm doing my taxes right now", 6) == []


def test_a_secret_said_again_is_never_promoted(store: TierStore, promoter: Promoter) -> None:
    events = [e for step in range(5) for e in say(store, promoter, "My PIN is 4821", step)]
    assert events == [] and store.count("alice", ("mid", "long")) == 0  # kept for its session only


def test_a_newer_mid_term_value_supersedes_the_ledgers(store: TierStore, promoter: Promoter) -> None:
    def city(value: str, tier: str, step: int) -> list[PromotionEvent]:
        now = T0 + timedelta(minutes=10 * step)
        fact = Fact(attribute="lives_in", value=value, observed_at=now)
        record = MemoryRecord(
            namespace="alice", tier=tier, kind="fact", text=f"I live in {value}", fact=fact, created_at=now
        )
        store.write([record])
        return promoter.on_write("alice", [record], now)

    city("Paris", "long", 0)
    [event] = city("Berlin", "mid", 1)  # "I moved to Berlin last week": a mid-term version
    assert event.kind == "mid->long" and "supersedes the ledger's Paris" in event.reason
    assert [f.value for f in store.ledger_facts("alice")] == ["Berlin"]


def test_a_new_weight_reaches_the_ledger_only_confirmed(store: TierStore, promoter: Promoter) -> None:
    for step in range(3):  # confirmed three times: copied to the ledger
        state_mid(store, promoter, "45 kg", step)
    assert [f.value for f in store.ledger_facts("alice")] == ["45 kg"]
    assert not [e for e in state_mid(store, promoter, "23 kg", 5) if e.kind == "mid->long"]  # said once: a slip?
    assert [f.value for f in store.ledger_facts("alice")] == ["45 kg"]
    for step in range(6, 9):
        events = state_mid(store, promoter, "50 kg", step)
    assert events[-1].kind == "mid->long" and [f.value for f in store.ledger_facts("alice")] == ["50 kg"]


def test_forgetting_a_promoted_memory_takes_what_it_was_made_from(store: TierStore, promoter: Promoter) -> None:
    say(store, promoter, "my divorce hearing is stressing me out", 0)
    [event] = say(store, promoter, "so stressed about the divorce hearing", 1)
    store.forget("alice", event.record_ids[0])
    assert store.records("alice") == []  # the short-term items it gathered went with it
    assert say(store, promoter, "the divorce hearing is all I think about", 2) == []  # nothing left to recur with
