"""LanceDBStore behaviour beyond LangGraph's own suites (tests/peer runs those).

Each test pins a promise from docs/STORE.md, most of them places where the
reference stores fall short: created_at kept on update, pages that
concatenate to the full ranking at any depth, ``fields`` and ``text_fields``
both honoured, a whole batch rejected before any write.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from lancedb.index import FTS
from langgraph.store.base import GetOp, InvalidNamespaceError, PutOp, SearchOp
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.errors import ConfigError, InvalidInputError
from tiermem.memory.lg_store import LanceDBStore
from tiermem.memory.text_index import tokenizes_as_configured

NS = ("alice", "memories")
FACTS = {
    "weight": "I weighed 45 kg this morning",
    "diet": "I have been vegetarian since 2020",
    "city": "I moved to Lisbon last spring",
    "sister": "My sister Ana is a nurse",
    "exam": "My driving exam is on the 12th",
    "allergy": "I am allergic to peanuts",
}


@pytest.fixture
def lg_store(tmp_path: Path, embedder: BaseEmbedder) -> LanceDBStore:
    """A LanceDBStore with the bundled multilingual embedder, indexing ``text``."""
    return LanceDBStore(tmp_path / "db", index={"dims": 512, "embed": embedder, "fields": ["text"]})


def _fill(store: LanceDBStore) -> None:
    store.batch([PutOp(NS, key, {"text": text, "n": i}) for i, (key, text) in enumerate(FACTS.items())])


def test_round_trip_keeps_values_exactly(tmp_path: Path) -> None:
    store = LanceDBStore(tmp_path / "db")
    value = {"big": 10**30, "f": 0.1, "nan": math.nan, "zh": "今天称重45kg", "q": 'o\'b "x" \\', "l": [{"a": None}]}
    store.put(("u",), "k", value)
    got = store.get(("u",), "k").value
    assert got["big"] == 10**30 and got["f"] == 0.1 and math.isnan(got["nan"])
    assert {k: v for k, v in got.items() if k != "nan"} == {k: v for k, v in value.items() if k != "nan"}


def test_update_keeps_created_at_and_moves_updated_at(tmp_path: Path) -> None:
    store = LanceDBStore(tmp_path / "db")
    store.put(("u",), "k", {"v": 1})
    first = store.get(("u",), "k")
    store.put(("u",), "k", {"v": 2})
    second = store.get(("u",), "k")
    assert second.value == {"v": 2}
    assert second.created_at == first.created_at
    assert second.updated_at > first.updated_at


def test_delete_removes_item_and_vectors(lg_store: LanceDBStore) -> None:
    _fill(lg_store)
    lg_store.delete(NS, "weight")
    assert lg_store.get(NS, "weight") is None
    assert all(hit.key != "weight" for hit in lg_store.search(NS, query="weight", limit=10))
    assert lg_store.tables.vectors.count_rows() == len(FACTS) - 1


def test_namespace_scope_is_segment_exact_and_literal(tmp_path: Path) -> None:
    store = LanceDBStore(tmp_path / "db")
    spaces = [("foo",), ("foo", "x"), ("foobar",), ("a%b",), ("axxb",), ("u_1",), ("uX1",), ("Foo",), ("n\n",), ("n",)]
    for ns in spaces:
        store.put(ns, "k", {"ns": list(ns)})

    def found(prefix: tuple[str, ...]) -> set[tuple[str, ...]]:
        return {item.namespace for item in store.search(prefix, limit=100)}

    assert found(("foo",)) == {("foo",), ("foo", "x")}
    assert found(("a%b",)) == {("a%b",)}
    assert found(("u_1",)) == {("u_1",)}
    assert found(("n",)) == {("n",)}
    assert found(("Foo",)) == {("Foo",)}
    assert found(()) == set(spaces)
    assert set(store.list_namespaces(suffix=("n",))) == {("n",)}


@pytest.mark.parametrize(
    "bad",
    [
        GetOp(("a.b",), "k"),
        SearchOp(("",)),
        PutOp(("x", "y\x00"), "k", {"v": 1}),
        PutOp((), "k", {"v": 1}),
        PutOp(("u",), "k2", {"when": object()}),
        SearchOp(("u",), filter={"a') OR 1=1 --": 1}),
        GetOp(("u",), 7),  # type: ignore[arg-type]
    ],
)
def test_a_bad_op_rejects_the_whole_batch_before_any_write(tmp_path: Path, bad: object) -> None:
    store = LanceDBStore(tmp_path / "db")
    with pytest.raises(ValueError):  # InvalidNamespaceError and InvalidInputError are ValueErrors
        store.batch([PutOp(("u",), "written", {"v": 1}), bad])  # type: ignore[list-item]
    assert store.get(("u",), "written") is None


def test_batch_reads_see_its_writes_and_last_put_wins(tmp_path: Path) -> None:
    store = LanceDBStore(tmp_path / "db")
    results = store.batch(
        [PutOp(("u",), "k", {"v": 1}), PutOp(("u",), "k", {"v": 2}), GetOp(("u",), "k"), SearchOp(("u",))]
    )
    assert results[2].value == {"v": 2}
    assert [item.value for item in results[3]] == [{"v": 2}]


def test_listing_is_newest_first_and_pages_concatenate(tmp_path: Path) -> None:
    store = LanceDBStore(tmp_path / "db", compact_every=7)
    for i in range(23):
        store.put(("u", str(i % 3)), f"k{i}", {"i": i, "even": i % 2 == 0})
    full = store.search(("u",), limit=100)
    assert [item.value["i"] for item in full] == list(range(22, -1, -1))
    pages = [item for offset in range(0, 23, 5) for item in store.search(("u",), limit=5, offset=offset)]
    assert [(i.namespace, i.key) for i in pages] == [(i.namespace, i.key) for i in full]
    even = store.search(("u",), filter={"even": True}, limit=100)
    assert [i.value["i"] for i in store.search(("u",), filter={"even": True}, limit=3, offset=2)] == [
        i.value["i"] for i in even[2:5]
    ]


def test_scores_are_cosine_similarity(lg_store: LanceDBStore, embedder: BaseEmbedder) -> None:
    _fill(lg_store)
    hits = lg_store.search(NS, query="how heavy am I?", limit=len(FACTS))
    query = embedder.encode_one("how heavy am I?")
    for hit in hits:
        expected = float(np.dot(query, embedder.encode_one(FACTS[hit.key])))
        assert hit.score == pytest.approx(expected, abs=1e-5)
    assert hits[0].key == "weight"
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_semantic_search_crosses_languages(lg_store: LanceDBStore) -> None:
    _fill(lg_store)
    assert lg_store.search(NS, query="今天称重多少公斤", limit=1)[0].key == "weight"


def test_vector_pages_concatenate_past_twice_the_limit(tmp_path: Path, embedder: BaseEmbedder) -> None:
    # SqliteStore stops ranking at offset 2 * limit; ours pages to the end.
    store = LanceDBStore(tmp_path / "db", index={"dims": 512, "embed": embedder})
    store.batch([PutOp(("u",), f"k{i}", {"text": f"note number {i} about topic {i % 4}"}) for i in range(30)])
    store.put(("u",), "plain", {"text": "not embedded"}, index=False)
    full = store.search(("u",), query="topic 2", limit=100)
    assert len(full) == 31 and full[-1].key == "plain" and full[-1].score is None
    paged = [h.key for offset in range(0, 31, 3) for h in store.search(("u",), query="topic 2", limit=3, offset=offset)]
    assert paged == [h.key for h in full]


def test_filters_apply_before_paging_vector_results(lg_store: LanceDBStore) -> None:
    _fill(lg_store)
    hits = lg_store.search(NS, query="food", filter={"n": {"$gte": 3}}, limit=10)
    assert {h.key for h in hits} == {k for i, k in enumerate(FACTS) if i >= 3}


@pytest.mark.parametrize("key", ["fields", "text_fields"])
def test_fields_and_text_fields_choose_what_is_embedded(tmp_path: Path, embedder: BaseEmbedder, key: str) -> None:
    store = LanceDBStore(tmp_path / "db", index={"dims": 512, "embed": embedder, key: ["title"]})
    store.put(("u",), "a", {"title": "peanut allergy", "body": "Lisbon apartment"})
    store.put(("u",), "b", {"title": "Lisbon apartment", "body": "peanut allergy"})
    store.put(("u",), "c", {"title": "peanut allergy", "body": "a red bicycle"}, index=["body"])
    store.put(("u",), "d", {"title": "peanut allergy"}, index=False)
    hits = {h.key: h.score for h in store.search(("u",), query="peanut allergy", limit=4)}
    query = embedder.encode_one("peanut allergy")
    for key, embedded in [("a", "peanut allergy"), ("b", "Lisbon apartment"), ("c", "a red bicycle")]:
        assert hits[key] == pytest.approx(float(np.dot(query, embedder.encode_one(embedded))), abs=1e-5)
    assert list(hits)[0] == "a" and list(hits)[-1] == "d" and hits["d"] is None


def test_embed_accepts_functions_and_tiermem_names(tmp_path: Path, embedder: BaseEmbedder) -> None:
    def embed(texts: list[str]) -> list[list[float]]:
        return embedder.encode(texts).tolist()

    by_function = LanceDBStore(tmp_path / "f", index={"dims": 512, "embed": embed})
    by_name = LanceDBStore(tmp_path / "n", index={"dims": 512, "embed": "tiermem:use"})
    for store in (by_function, by_name):
        _fill(store)
        assert store.search(NS, query="peanuts", limit=1)[0].key == "allergy"


def test_index_config_is_validated(tmp_path: Path, embedder: BaseEmbedder) -> None:
    with pytest.raises(ConfigError, match="dims"):
        LanceDBStore(tmp_path / "a", index={"dims": 0, "embed": embedder})
    with pytest.raises(ConfigError, match="cosine"):
        LanceDBStore(tmp_path / "b", index={"dims": 512, "embed": embedder, "distance_type": "l2"})  # type: ignore[typeddict-unknown-key]
    wrong = LanceDBStore(tmp_path / "c", index={"dims": 384, "embed": embedder})
    with pytest.raises(ValueError, match="dims=384"):
        wrong.put(("u",), "k", {"text": "x"})
    assert wrong.get(("u",), "k") is None


def test_connects_by_uri_and_by_connection(tmp_path: Path) -> None:
    import lancedb

    by_uri = LanceDBStore(f"file://{tmp_path / 'db'}")
    by_uri.put(("u",), "k", {"v": 1})
    shared = LanceDBStore(lancedb.connect(tmp_path / "db"))
    assert shared.get(("u",), "k").value == {"v": 1}
    in_memory = LanceDBStore("memory://")
    in_memory.put(("u",), "k", {"v": 2})
    assert in_memory.get(("u",), "k").value == {"v": 2}


def test_reopening_sees_the_same_items_and_refuses_foreign_tables(tmp_path: Path) -> None:
    LanceDBStore(tmp_path / "db").put(("u",), "k", {"v": 1})
    assert LanceDBStore(tmp_path / "db").get(("u",), "k").value == {"v": 1}
    import lancedb
    import pyarrow as pa

    lancedb.connect(tmp_path / "other").create_table("langgraph_store_items", pa.table({"x": [1]}))
    with pytest.raises(InvalidInputError, match="not written by LanceDBStore"):
        LanceDBStore(tmp_path / "other")


def test_compaction_keeps_results_and_builds_the_id_index(tmp_path: Path) -> None:
    store = LanceDBStore(tmp_path / "db", compact_every=3)
    for i in range(10):
        store.put(("u",), f"k{i}", {"i": i})
    store.put(("u",), "k3", {"i": 33})
    assert store.get(("u",), "k3").value == {"i": 33}
    assert len(store.search(("u",), limit=100)) == 10
    assert any("id" in index.columns for index in store.tables.items.list_indices())


def test_list_namespaces_matches_prefix_suffix_wildcards_and_depth(tmp_path: Path) -> None:
    store = LanceDBStore(tmp_path / "db")
    for ns in [("a", "b", "c"), ("a", "b", "d", "e"), ("a", "c", "f"), ("b", "a", "f"), ("users", "1")]:
        store.put(ns, "k", {"v": 1})
    assert store.list_namespaces(prefix=("a", "*", "f")) == [("a", "c", "f")]
    assert store.list_namespaces(suffix=("f",)) == [("a", "c", "f"), ("b", "a", "f")]
    assert store.list_namespaces(prefix=("a",), max_depth=2) == [("a", "b"), ("a", "c")]
    assert store.list_namespaces(limit=2, offset=1) == [("a", "b", "d", "e"), ("a", "c", "f")]


def test_hybrid_search_finds_keywords_in_chinese(tmp_path: Path, embedder: BaseEmbedder) -> None:
    store = LanceDBStore(
        tmp_path / "db", index={"dims": 512, "embed": embedder, "fields": ["text"]}, search_mode="hybrid"
    )
    _fill(store)
    store.put(NS, "zh", {"text": "今天称重45kg"})
    assert store.search(NS, query="称重", limit=1)[0].key == "zh"
    assert store.search(NS, query="vegetarian", limit=1)[0].key == "diet"
    with pytest.raises(ConfigError):
        LanceDBStore(tmp_path / "x", search_mode="fuzzy")  # type: ignore[arg-type]


def test_a_text_index_with_other_tokenizer_settings_is_rebuilt_on_open(tmp_path: Path, embedder: BaseEmbedder) -> None:
    """Lance's default stop words left "cats" out of the index; reopened, the store indexes it again."""
    index = {"dims": 512, "embed": embedder, "fields": ["text"]}
    store = LanceDBStore(tmp_path / "db", index=index, search_mode="hybrid")
    store.put(NS, "pets", {"text": "she feeds the cats"})
    store.put(NS, "city", {"text": "Berlin is a big city"})
    assert store.tables.vectors is not None
    store.tables.vectors.create_index("text", config=FTS(base_tokenizer="icu"), replace=True)
    reopened = LanceDBStore(tmp_path / "db", index=index, search_mode="hybrid")
    assert reopened.tables.vectors is not None
    details = [i.index_details for i in reopened.tables.vectors.list_indices() if i.index_type == "FTS"]
    assert details and all(tokenizes_as_configured(d) for d in details)
    assert reopened.search(NS, query="cats", limit=1)[0].key == "pets"


def test_invalid_namespace_error_is_langgraphs(tmp_path: Path) -> None:
    store = LanceDBStore(tmp_path / "db")
    with pytest.raises(InvalidNamespaceError):
        store.batch([GetOp(("a.b",), "k")])


def test_a_store_without_an_index_removes_the_vectors_an_indexed_one_wrote(tmp_path: Path) -> None:
    import lancedb
    from langchain_core.embeddings import DeterministicFakeEmbedding

    indexed = LanceDBStore(str(tmp_path / "lg"), index={"dims": 8, "embed": DeterministicFakeEmbedding(size=8)})
    plain = LanceDBStore(str(tmp_path / "lg"))
    indexed.put(("u",), "secret", {"text": "my password is hunter2"})
    indexed.put(("u",), "other", {"text": "unrelated"})
    plain.delete(("u",), "secret")
    plain.put(("u",), "other", {"text": "replaced"})
    texts = lancedb.connect(str(tmp_path / "lg")).open_table("langgraph_store_vectors").to_arrow().column("text")
    assert texts.to_pylist() == []  # neither the deleted item's nor the replaced one's old text is left
    found = indexed.search(("u",), query="my password is hunter2")
    assert [(item.key, item.score) for item in found] == [("other", None)]


@pytest.mark.parametrize(("name", "value"), [("offset", -1), ("limit", -5), ("offset", 1.5)])
def test_a_page_out_of_range_is_refused(tmp_path: Path, name: str, value: object) -> None:
    store = LanceDBStore(str(tmp_path))
    with pytest.raises(InvalidInputError, match=f"search {name} must be a whole number"):
        store.search(("a",), **{name: value})  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=f"list_namespaces {name} must be a whole number"):
        store.list_namespaces(**{name: value})  # type: ignore[arg-type]


class OtherSpace:
    """A 512-wide embedding of another space: searches over vectors of USE's would be noise."""

    def __call__(self, texts: list[str]) -> list[list[float]]:
        return [[1.0] + [0.0] * 511 for _ in texts]


def test_reopening_with_another_embed_of_the_same_width_is_refused(tmp_path: Path, embedder: BaseEmbedder) -> None:
    from tiermem.memory.errors import EmbedderMismatchError

    first = LanceDBStore(tmp_path / "db", index={"dims": 512, "embed": "tiermem:use"})
    _fill(first)
    again = LanceDBStore(tmp_path / "db", index={"dims": 512, "embed": embedder})  # the same embedder, by object
    assert again.search(NS, query="peanuts", limit=1)[0].key == "allergy"
    with pytest.raises(EmbedderMismatchError, match="tiermem:"):
        LanceDBStore(tmp_path / "db", index={"dims": 512, "embed": OtherSpace()})
    assert LanceDBStore(tmp_path / "db").get(NS, "allergy") is not None  # a store without an index still reads
