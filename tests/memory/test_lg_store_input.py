"""LanceDBStore refuses what LangGraph's ``BaseStore`` contract does not allow, with typed errors.

Each refusal leaves what was stored intact: a string namespace is not split
into characters, a non-finite embedding is not written (an ``inf`` vector
matched no search), an over-long text is not embedded for minutes.
"""

from __future__ import annotations

import asyncio
import math
from pathlib import Path

import pytest
from langgraph.store.base import InvalidNamespaceError
from tiermem.memory.errors import InvalidInputError, TextTooLargeError
from tiermem.memory.lg_store import LanceDBStore
from tiermem.memory.records import DEFAULT_MAX_TEXT_BYTES

NS = ("alice", "prefs")


class Switchable:
    """An embedder of 4 dims that returns ``fill`` in every coordinate once ``fill`` is set."""

    def __init__(self) -> None:
        self.fill: float | None = None

    def __call__(self, texts: list[str]) -> list[list[float]]:
        if self.fill is None:
            return [[1.0, float(len(t) % 7), 0.5, 0.1] for t in texts]
        return [[self.fill] * 4 for _ in texts]


@pytest.fixture
def embed() -> Switchable:
    return Switchable()


@pytest.fixture
def store(tmp_path: Path, embed: Switchable) -> LanceDBStore:
    """A store holding one indexed item, ``diet``."""
    store = LanceDBStore(tmp_path / "db", index={"dims": 4, "embed": embed})
    store.put(NS, "diet", {"text": "vegetarian since 2020"})
    return store


def _intact(store: LanceDBStore) -> None:
    assert [item.key for item in store.search(("alice",), limit=10)] == ["diet"]
    assert store.list_namespaces() == [NS]


@pytest.mark.parametrize("fill", [math.nan, math.inf, -math.inf])
def test_a_non_finite_embedding_is_refused_and_nothing_written(
    store: LanceDBStore, embed: Switchable, fill: float
) -> None:
    embed.fill = fill
    with pytest.raises(InvalidInputError, match="NaN or infinite"):
        store.put(NS, "new", {"text": "hi"})
    with pytest.raises(InvalidInputError, match="NaN or infinite"):
        store.put(NS, "diet", {"text": "vegan now"})
    with pytest.raises(InvalidInputError, match="search query 'hi' holds NaN or infinite"):
        store.search(("alice",), query="hi")
    embed.fill = None
    assert store.get(NS, "new") is None
    assert store.get(NS, "diet").value == {"text": "vegetarian since 2020"}
    assert [item.key for item in store.search(("alice",), query="vegetarian")] == ["diet"]


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.put("bob", "k", {"text": "x"}),
        lambda s: s.search("alice"),
        lambda s: s.get("alice", "diet"),
        lambda s: s.list_namespaces(prefix="alice"),
    ],
)
def test_a_namespace_that_is_no_sequence_of_labels_is_refused(store: LanceDBStore, call: object) -> None:
    with pytest.raises(InvalidNamespaceError, match="namespaces are tuples of strings"):
        call(store)  # type: ignore[operator]
    _intact(store)


@pytest.mark.parametrize("depth", [-1, 1.5, "2", True])
def test_a_negative_or_fractional_max_depth_is_refused(store: LanceDBStore, depth: object) -> None:
    with pytest.raises(InvalidInputError, match="max_depth must be a whole number >= 0 or None"):
        store.list_namespaces(max_depth=depth)  # type: ignore[arg-type]
    assert store.list_namespaces(max_depth=1) == [("alice",)]
    assert store.list_namespaces(max_depth=0) == [()]  # as LangGraph's stores: a health check's probe


def test_a_query_that_is_not_a_string_is_refused(store: LanceDBStore) -> None:
    with pytest.raises(InvalidInputError, match="search query must be a string or None, got int: 5"):
        store.search(("alice",), query=5)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="search query must be a string"):
        asyncio.run(store.asearch(("alice",), query=5))  # type: ignore[arg-type]


@pytest.mark.parametrize("index", ["text", True, [1], ("text",)])
def test_an_index_outside_langgraphs_contract_is_refused(store: LanceDBStore, index: object) -> None:
    with pytest.raises(InvalidInputError, match="index must be None, False or a list of field paths"):
        store.put(NS, "new", {"text": "hi"}, index=index)  # type: ignore[arg-type]
    assert store.get(NS, "new") is None
    store.put(NS, "new", {"text": "hi"}, index=["text"])
    store.put(NS, "plain", {"text": "hi"}, index=False)
    assert {item.key for item in store.search(NS)} == {"diet", "new", "plain"}


def test_a_key_that_is_not_a_string_is_refused_not_coerced(store: LanceDBStore) -> None:
    with pytest.raises(InvalidInputError, match="store keys must be strings, got int: 5"):
        store.put(NS, 5, {"text": "x"})  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="store keys must be strings"):
        asyncio.run(store.aput(NS, 5, {"text": "x"}))  # type: ignore[arg-type]
    assert store.get(NS, "5") is None
    _intact(store)


def test_a_text_to_embed_over_the_limit_is_refused(store: LanceDBStore) -> None:
    big = "word " * (DEFAULT_MAX_TEXT_BYTES // 5 + 1)
    with pytest.raises(TextTooLargeError, match=r"the text at '\$' of 'huge' is \d+ bytes, over the limit of 32768"):
        store.put(NS, "huge", {"text": big})
    with pytest.raises(TextTooLargeError, match="search query is"):
        store.search(NS, query=big)
    _intact(store)
    store.put(NS, "huge", {"text": big}, index=False)  # kept, not embedded
    assert store.get(NS, "huge").value == {"text": big}


def test_the_text_limit_is_a_store_argument(tmp_path: Path, embed: Switchable) -> None:
    store = LanceDBStore(tmp_path / "db", index={"dims": 4, "embed": embed, "fields": ["text"]}, max_text_bytes=10)
    with pytest.raises(TextTooLargeError, match="over the limit of 10 bytes to embed"):
        store.put(NS, "k", {"text": "eleven byte"})
    store.put(NS, "k", {"text": "ten bytes!"})
    unindexed = LanceDBStore(tmp_path / "plain", max_text_bytes=10)
    unindexed.put(NS, "k", {"text": "nothing to embed here"})
    assert unindexed.get(NS, "k") is not None


def test_a_namespace_given_as_a_list_is_a_namespace(store: LanceDBStore) -> None:
    store.put(("alice", "prefs"), "k", {"text": "x"})
    assert store.list_namespaces(prefix=["alice"]) == [("alice", "prefs")]  # as LangGraph's own callers pass it
