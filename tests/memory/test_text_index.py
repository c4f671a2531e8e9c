"""Full-text search in memory: Lance's tokens, Lance's BM25, each namespace's own statistics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from lancedb.index import FTS
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.maintenance import maintain
from tiermem.memory.policies import IndexPolicy, ReadCachePolicy
from tiermem.memory.records import MemoryRecord
from tiermem.memory.store import TierStore
from tiermem.memory.text_index import _BREAK, Postings, bm25_top, tokenize, tokenize_many, tokenizes_as_configured

T0 = datetime(2025, 3, 1, tzinfo=UTC)
SUBJECTS = ["my sister Anna", "Anna", "my brother", "the new neighbour", "我的妹妹", "我"]
DOINGS = [
    "moved to Berlin last spring",
    "loves running marathons in Berlin",
    "weighed 45 kg this morning",
    "bought a red bicycle",
    "is learning the violin and the piano",
    "今天称重45kg",
    "feeds the cats and dogs of the city",
    "住在柏林",
    "plays chess every Sunday in the park",
]
QUERIES = [
    "Anna Berlin",
    "weighed kg",
    "violin piano lessons",
    "称重",
    "今天",
    "柏林 妹妹",
    "red bicycle park",
    "marathon",
    "cats and dogs in cities",
]


def texts(count: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    return [
        f"{SUBJECTS[int(rng.integers(len(SUBJECTS)))]} {DOINGS[int(rng.integers(len(DOINGS)))]}"
        + (f" and {DOINGS[int(rng.integers(len(DOINGS)))]}" if rng.random() < 0.4 else "")
        for _ in range(count)
    ]


def fill(store: TierStore, namespace: str, lines: list[str]) -> None:
    store.write(
        [
            MemoryRecord(namespace=namespace, tier="mid", text=line, created_at=T0 + timedelta(minutes=i))
            for i, line in enumerate(lines)
        ]
    )
    store.ensure_text_index("mid")


def scores(store: TierStore, namespace: str, query: str) -> dict[str, float]:
    """Every match of ``query`` in ``namespace``'s mid table: text -> BM25 score (texts repeat: the
    best score of each, which is every copy's)."""
    found: dict[str, float] = {}
    for hit in store.text_search(namespace, query, tiers=["mid"], k=500):
        found.setdefault(hit.record.text, hit.score)
    return found


def test_many_texts_tokenized_at_once_are_tokenized_as_each_alone() -> None:
    lines = [
        *texts(40, seed=1),
        "",
        "Café au lait, running!",
        f"a text with {_BREAK} in it",
        f"and {_BREAK.upper()} here",
        "我很开心",
    ]
    assert tokenize_many(lines) == [tokenize(line) for line in lines]
    assert tokenize_many(lines[-4:]) == [tokenize(line) for line in lines[-4:]]
    assert tokenize("I weighed 45 kg today") == ["weigh", "45", "kg", "today"]


def test_postings_kept_and_joined_find_the_same_rows() -> None:
    lines = texts(30, seed=2)
    whole = Postings.of(lines)
    joined = Postings.concat([Postings.of(lines[:11]), Postings.of(lines[11:])])
    kept = whole.keep(np.arange(5, 30, 2))
    for token in {t for line in lines for t in tokenize(line)}:
        rows = [i for i, line in enumerate(lines) if token in tokenize(line)]
        assert sorted(whole.matches(token)[0].tolist()) == rows
        assert sorted(joined.matches(token)[0].tolist()) == rows
        assert sorted(kept.matches(token)[0].tolist()) == [(i - 5) // 2 for i in rows if i >= 5 and i % 2 == 1]
    assert np.array_equal(joined.lengths, whole.lengths)
    assert bm25_top([(whole, np.ones(30, bool), np.ones(30, bool))], [], 5) == []


@pytest.mark.parametrize("query", QUERIES)
def test_scores_equal_lances_where_the_namespace_is_the_table(
    tmp_path: Path, embedder: BaseEmbedder, query: str
) -> None:
    lines = texts(120, seed=3)
    cached = TierStore.open(tmp_path / "db", embedder)
    fill(cached, "alice", lines)
    lance_only = TierStore.open(tmp_path / "db", embedder, read_cache=ReadCachePolicy(enabled=False))
    found, expected = scores(cached, "alice", query), scores(lance_only, "alice", query)
    assert found.keys() == expected.keys() and expected
    for text, score in expected.items():
        assert found[text] == pytest.approx(score, rel=1e-4), text


def test_a_namespaces_ranking_does_not_depend_on_other_namespaces(tmp_path: Path, embedder: BaseEmbedder) -> None:
    """alice's scores are those of a table holding alice's rows alone, however many rows bob
    has (on the shared table Lance's statistics count bob's too); bob's rows are never found."""
    mine = texts(60, seed=4)
    shared = TierStore.open(tmp_path / "shared", embedder)
    fill(shared, "alice", mine)
    fill(shared, "bob", texts(200, seed=5))
    alone = TierStore.open(tmp_path / "alone", embedder)
    fill(alone, "alice", mine)
    for query in QUERIES:
        hits = shared.text_search("alice", query, tiers=["mid"], k=500)
        assert all(hit.record.namespace == "alice" for hit in hits)
        found, expected = scores(shared, "alice", query), scores(alone, "alice", query)
        assert found.keys() == expected.keys()
        assert all(found[text] == pytest.approx(score, rel=1e-5) for text, score in expected.items())


def test_deleted_expired_and_later_rows_are_not_found(store: TierStore) -> None:
    store.write(
        [
            MemoryRecord(namespace="alice", tier="mid", text="Anna moved to Berlin", created_at=T0),
            MemoryRecord(
                namespace="alice",
                tier="short",
                text="Berlin trip tomorrow",
                created_at=T0,
                expires_at=T0 + timedelta(hours=1),
            ),
            MemoryRecord(namespace="alice", tier="mid", text="Berlin again", created_at=T0 + timedelta(days=2)),
        ]
    )
    gone = store.write([MemoryRecord(namespace="alice", tier="long", text="Berlin is home", created_at=T0)])
    store.delete("alice", gone)
    found = store.text_search("alice", "Berlin", k=10, now=T0 + timedelta(days=1))
    assert [hit.record.text for hit in found] == ["Anna moved to Berlin"]
    found = store.text_search("alice", "Berlin", k=10, now=T0 + timedelta(minutes=5))
    assert sorted(hit.record.text for hit in found) == ["Anna moved to Berlin", "Berlin trip tomorrow"]


def test_a_full_text_search_alone_is_answered_from_the_cache(store: TierStore) -> None:
    store.write([MemoryRecord(namespace="alice", tier="mid", text="Anna moved to Berlin", created_at=T0)])
    assert store._read_cache.rows_held == 0
    found = store.text_search("alice", "Berlin", tiers=["mid"], k=5)
    assert [hit.record.text for hit in found] == ["Anna moved to Berlin"]
    assert store._read_cache.rows_held == 1 and store._read_cache.loads == 1
    store.write([MemoryRecord(namespace="alice", tier="mid", text="Berlin in May", created_at=T0)])
    assert len(store.text_search("alice", "Berlin", tiers=["mid"], k=5)) == 2
    assert store._read_cache.loads == 1  # the append was followed, not reloaded


def test_an_index_built_with_other_tokenizer_settings_is_rebuilt(tmp_path: Path, embedder: BaseEmbedder) -> None:
    """A table indexed with Lance's default stop words (an older tiermem) is indexed again by
    the maintainer, after which Lance's index finds what the in-memory search finds."""
    store = TierStore.open(tmp_path / "db", embedder)
    fill(store, "alice", ["mango cats", "Anna moved to Berlin", "big cities at night"])
    store.table("mid").create_index("text", config=FTS(base_tokenizer="icu"), replace=True)
    assert not tokenizes_as_configured(text_index_details(store))
    maintain(store, IndexPolicy(), force=True)
    assert tokenizes_as_configured(text_index_details(store))
    lance_only = TierStore.open(tmp_path / "db", embedder, read_cache=ReadCachePolicy(enabled=False))
    for query in ("cats", "cities", "Berlin"):
        assert scores(lance_only, "alice", query).keys() == scores(store, "alice", query).keys() != set()


def text_index_details(store: TierStore) -> dict:
    return next(i.index_details for i in store.table("mid").list_indices() if i.index_type == "FTS")
