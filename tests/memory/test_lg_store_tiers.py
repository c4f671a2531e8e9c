"""tiermem's tiers read through LanceDBStore under ("tiermem", user, tier)."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.language_models import GenericFakeChatModel
from langgraph.store.base import PutOp
from tiermem.graphs.demos import load_demo, run_demo
from tiermem.graphs.services import Services
from tiermem.memory.errors import InvalidNamespaceError
from tiermem.memory.lg_store import LanceDBStore
from tiermem.memory.lg_store_tiers import user_label
from tiermem.memory.records import Fact, MemoryRecord
from tiermem.memory.store import TierStore


@pytest.fixture
def view(tmp_path: Path, store: TierStore) -> LanceDBStore:
    store.write(
        [
            MemoryRecord(namespace="alice", tier="short", text="I'm at the gym right now"),
            MemoryRecord(
                namespace="alice",
                tier="mid",
                text="I weighed 45 kg today",
                fact=Fact(attribute="weight", value="45 kg"),
                kind="fact",
            ),
            MemoryRecord(
                namespace="alice",
                tier="long",
                text="I am allergic to peanuts",
                fact=Fact(attribute="allergy", value="peanuts"),
                kind="fact",
            ),
            MemoryRecord(namespace="bob", tier="long", text="I live in Lisbon"),
        ]
    )
    return LanceDBStore(tmp_path / "lg", tiers=store)


def test_search_reads_every_tier_of_one_user(view: LanceDBStore) -> None:
    hits = view.search(("tiermem", "alice"), query="how heavy am I", limit=10)
    assert [h.namespace[2] for h in hits][:1] == ["mid"]
    assert hits[0].value["fact"]["value"] == "45 kg" and hits[0].score > hits[-1].score
    assert {h.value["text"] for h in hits} == {
        "I'm at the gym right now",
        "I weighed 45 kg today",
        "I am allergic to peanuts",
    }
    assert all(h.namespace[1] == "alice" for h in hits)


def test_prefixes_filters_and_get(view: LanceDBStore) -> None:
    long_only = view.search(("tiermem", "alice", "long"))
    assert [h.value["text"] for h in long_only] == ["I am allergic to peanuts"]
    facts = view.search(("tiermem", "alice"), filter={"fact.attribute": "weight"})
    assert [h.value["fact"]["value"] for h in facts] == ["45 kg"]
    item = view.get(("tiermem", "alice", "mid"), facts[0].key)
    assert item is not None and item.value["text"] == "I weighed 45 kg today"
    assert view.get(("tiermem", "alice", "long"), facts[0].key) is None  # wrong tier
    assert view.get(("tiermem", "bob", "mid"), facts[0].key) is None  # another user
    assert view.search(("tiermem",), query="weight") == []
    assert view.search(("tiermem", "alice", "mid", "x")) == []


def test_list_namespaces_shows_tiers_beside_store_items(view: LanceDBStore) -> None:
    view.put(("notes", "alice"), "k", {"text": "a plain store item"})
    assert view.list_namespaces() == [
        ("notes", "alice"),
        ("tiermem", "alice", "long"),
        ("tiermem", "alice", "mid"),
        ("tiermem", "alice", "short"),
        ("tiermem", "bob", "long"),
    ]
    assert view.search(("notes",))[0].value == {"text": "a plain store item"}


def test_user_ids_with_dots_are_addressable_through_their_label(tmp_path: Path, store: TierStore) -> None:
    email = "alice.smith@example.com"
    store.write([MemoryRecord(namespace=email, tier="mid", text="I take my tea with lemon")])
    store.write([MemoryRecord(namespace="alice_smith@example", tier="mid", text="not hers")])
    view = LanceDBStore(tmp_path / "lg", tiers=store)
    label = user_label(email)
    assert label == "alice%2Esmith@example%2Ecom"  # LangGraph rejects '.' in labels
    assert ("tiermem", label, "mid") in view.list_namespaces()
    hits = view.search(("tiermem", label), query="tea")
    assert [h.value["text"] for h in hits] == ["I take my tea with lemon"]
    assert hits[0].namespace == ("tiermem", label, "mid")
    assert view.get(hits[0].namespace, hits[0].key) is not None
    assert [h.value["text"] for h in view.search(("tiermem", "alice_smith@example"), query="tea")] == ["not hers"]


def test_the_tier_view_is_read_only(view: LanceDBStore) -> None:
    with pytest.raises(InvalidNamespaceError, match="read-only"):
        view.batch([PutOp(("notes",), "ok", {"v": 1}), PutOp(("tiermem", "alice", "mid"), "k", {"v": 1})])
    assert view.get(("notes",), "ok") is None


def test_weight_demo_fact_is_found_through_the_store(tmp_path: Path, services: Services) -> None:
    services.chat_model = GenericFakeChatModel(messages=iter(["Noted."] * 20))
    run_demo(load_demo("weight"), services)
    store = LanceDBStore(tmp_path / "lg", tiers=services.store)
    hits = store.search(("tiermem", "alice"), query="weight")
    weights = [h.value["fact"]["value"] for h in hits if (h.value.get("fact") or {}).get("attribute") == "weight"]
    assert "45 kg" in weights
