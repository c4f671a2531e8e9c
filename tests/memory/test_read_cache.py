"""The read cache answers what the tables answer, across every kind of commit."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from tiermem.memory.cached_rows import MAX_BLOCKS, MERGE_BELOW, CachedRows
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.maintenance import maintain
from tiermem.memory.policies import IndexPolicy, ReadCachePolicy
from tiermem.memory.records import TIERS, Fact, MemoryRecord
from tiermem.memory.store import TierStore

T0 = datetime(2025, 1, 1, tzinfo=UTC)
NAMESPACES = ("alice", "bob", "alice.work")
POLICY = IndexPolicy(scalar_min_rows=20, vector_min_rows=256, rows_per_partition=64, optimize_small_fragments=2)
UNCACHED = ReadCachePolicy(enabled=False)


def record(rng: np.random.Generator, serial: int) -> MemoryRecord:
    """A memory in a random namespace and tier, some of them facts, some expiring, some written later."""
    created = T0 + timedelta(days=int(rng.integers(6)))
    tier = TIERS[int(rng.integers(3))]
    fact = Fact(attribute="weight", value=f"{serial} kg", observed_at=created) if tier != "short" else None
    return MemoryRecord(
        namespace=NAMESPACES[int(rng.integers(len(NAMESPACES)))],
        tier=tier,
        kind="fact" if fact else "message",
        text=f"note {serial}",
        fact=fact,
        created_at=created,
        expires_at=created + timedelta(days=int(rng.integers(1, 4))) if rng.random() < 0.3 else None,
    )


def vectors(rng: np.random.Generator, count: int, dim: int) -> np.ndarray:
    return rng.normal(size=(count, dim)).astype(np.float32)


WORDS = ("apple", "river", "violin", "garden", "letter", "harbor", "cloud", "pepper")


def row_table(ids: list[str], matrix: np.ndarray) -> pa.Table:
    """Rows of namespace alice with ``ids``, vectors ``matrix`` and texts of a few repeated words."""
    texts = [" ".join(WORDS[(int(i[1:]) * j) % len(WORDS)] for j in range(1, 2 + int(i[1:]) % 4)) for i in ids]
    return pa.table(
        {
            "id": ids,
            "namespace": ["alice"] * len(ids),
            "text": texts,
            "created_at": pa.array([T0.replace(tzinfo=None)] * len(ids), pa.timestamp("us")),
            "expires_at": pa.array([None] * len(ids), pa.timestamp("us")),
            "vector": pa.array(list(matrix), pa.list_(pa.float32(), matrix.shape[1])),
        }
    )


def assert_text_search_as_one_block(rows: CachedRows, ids: list[str], matrix: np.ndarray) -> None:
    """``rows`` (many blocks, merged, rewritten) finds what one block of the same rows finds."""
    reference = CachedRows(rows.columns)
    reference.add(row_table(ids, matrix))
    for query in (["apple"], ["river", "garden"], ["violin", "pepper", "cloud"]):
        found, expected = rows.text_search(query, len(ids), None), reference.text_search(query, len(ids), None)
        assert np.all(np.diff(found["_score"].to_numpy()) <= 0)
        scores = dict(zip(found["id"].to_pylist(), found["_score"].to_pylist(), strict=True))
        assert scores.keys() == set(expected["id"].to_pylist()), query
        for record_id, score in zip(expected["id"].to_pylist(), expected["_score"].to_pylist(), strict=True):
            assert abs(scores[record_id] - score) < 1e-5


def searched(store: TierStore, namespace: str, query: np.ndarray, now: datetime | None, exact: bool) -> dict:
    """Every row of the namespace in scope: id -> (confirmations, cosine)."""
    hits = store.vector_search(namespace, query, k=1_000, now=now, exact=exact)
    return {h.record.id: (h.record.confirmations, h.score) for h in hits}


def text_found(store: TierStore, namespace: str, query: np.ndarray, text: str, now: datetime | None) -> dict:
    """A hybrid search's full-text hits: id -> the whole record. (Their BM25 scores differ: the
    cache's statistics are the namespace's rows, the index's the table's; test_text_index.py
    checks that they equal Lance's where the namespace is the table.)"""
    _, sparse = store.hybrid_search(namespace, query, text, k=1_000, now=now)
    return {h.record.id: h.record.model_dump() for h in sparse}


def listed(store: TierStore, namespace: str, now: datetime | None) -> list:
    return sorted((r.id, r.tier, r.confirmations) for r in store.records(namespace, now=now))


def assert_same_as_tables(
    store: TierStore, reference: TierStore, rng: np.random.Generator, *, indexed: bool = False
) -> None:
    """Every namespace's exact search, full-text hits (whole rows) and scan, at three moments,
    against a store without the cache; ``indexed``: the store's vector searches use Lance's
    index (a namespace held light), so they find at least what the reference's index search
    finds, and nothing its exact search does not (a namespace loaded empty is held whole, and
    searched exactly, as it grows)."""
    for namespace in NAMESPACES:
        query = vectors(rng, 1, store.embedder.dim)[0]
        text = f"note {int(rng.integers(900))} kg"
        for now in (None, T0 + timedelta(days=2), T0 + timedelta(days=9)):
            assert text_found(store, namespace, query, text, now) == text_found(reference, namespace, query, text, now)
            expected = searched(reference, namespace, query, now, exact=True)
            found = searched(store, namespace, query, now, exact=False)
            if indexed:
                assert set(searched(reference, namespace, query, now, exact=False)) <= set(found) <= set(expected)
            else:
                assert sorted(found) == sorted(expected), (namespace, now)
            for record_id, (confirmations, score) in found.items():
                assert confirmations == expected[record_id][0]
                assert abs(score - expected[record_id][1]) < 1e-5
            assert listed(store, namespace, now) == listed(reference, namespace, now), (namespace, now)


@pytest.mark.parametrize("light", [False, True])
def test_the_cache_matches_the_tables_after_mixed_commits(tmp_path: Path, embedder: BaseEmbedder, light: bool) -> None:
    """Writes, deletes, confirmation counts, compactions (index remaps included), a deleted
    namespace and another store's writes, in a random order; after each every namespace's
    search and scan are compared with an uncached store's exact ones. ``light``: every
    namespace is held without its vectors, its searches run by Lance and joined."""
    rng = np.random.default_rng(17)
    policy = ReadCachePolicy(churn_loads=1_000, max_namespace_rows=0 if light else 200_000)
    store = TierStore.open(tmp_path / "db", embedder, read_cache=policy)
    other = TierStore.open(tmp_path / "db", embedder, read_cache=UNCACHED)
    serial = 0

    def write(target: TierStore, count: int) -> list[MemoryRecord]:
        nonlocal serial
        records = [record(rng, serial + i) for i in range(count)]
        serial += count
        target.write(records, vectors(rng, count, embedder.dim))
        return records

    written = write(store, 900)
    maintain(store, POLICY, force=True)
    assert_same_as_tables(store, other, rng, indexed=light)
    loads = store._read_cache.loads
    reloads = 0
    for _ in range(30):
        action = rng.choice(["write", "write", "delete", "delete", "confirm", "compact", "other", "drop"])
        if action == "write":
            written += write(store, int(rng.integers(1, 4)))
        elif action == "delete":
            gone = [written.pop(int(rng.integers(len(written)))) for _ in range(int(rng.integers(1, 3)))]
            for each in gone:
                store.delete(each.namespace, [each.id])
        elif action == "confirm":
            facts = [r for r in written if r.fact is not None]
            chosen = facts[int(rng.integers(len(facts)))]
            store.update_confirmations(chosen.namespace, chosen.id, chosen.tier, int(rng.integers(2, 9)))
        elif action == "compact":
            maintain(store, POLICY, force=True)
        elif action == "other":
            written += write(other, 2)
        else:
            store.delete_namespace("alice.work")
            written = [r for r in written if r.namespace != "alice.work"]
        reloads += action in ("other", "drop")
        assert_same_as_tables(store, other, rng, indexed=light)
    # followed, not reloaded: only another store's writes and a whole namespace's delete cost loads
    assert store._read_cache.loads - loads <= len(TIERS) * len(NAMESPACES) * reloads
    held = store._read_cache._held
    assert {rows.light for (_, namespace), rows in held.items() if namespace != "alice.work"} == {light}


def test_own_commits_are_followed_and_others_reload(store: TierStore) -> None:
    rng = np.random.default_rng(3)
    records = [record(rng, i).model_copy(update={"namespace": "alice", "tier": "mid"}) for i in range(40)]
    store.write(records, vectors(rng, 40, store.embedder.dim))
    cache = store._read_cache
    query = vectors(rng, 1, store.embedder.dim)[0]
    store.vector_search("alice", query, tiers=("mid",))
    assert cache.loads == 1
    store.write([record(rng, 100).model_copy(update={"namespace": "alice", "tier": "mid"})])
    store.delete("alice", [records[0].id])
    store.update_confirmations("alice", records[1].id, "mid", 4)
    maintain(store, POLICY, force=True)
    found = store.vector_search("alice", query, tiers=("mid",), k=100)
    assert cache.loads == 1
    assert records[0].id not in {h.record.id for h in found}
    assert {h.record.id: h.record.confirmations for h in found}[records[1].id] == 4
    TierStore.open(store.uri, store.embedder).write([records[0].model_copy(update={"id": "from-elsewhere"})])
    assert "from-elsewhere" in {h.record.id for h in store.vector_search("alice", query, tiers=("mid",), k=100)}
    assert cache.loads == 2


def test_a_namespace_too_large_for_the_cache_is_searched_through_lance(tmp_path: Path, embedder: BaseEmbedder) -> None:
    rng = np.random.default_rng(5)
    policy = ReadCachePolicy(max_namespace_rows=10, max_light_rows=10)
    store = TierStore.open(tmp_path / "db", embedder, read_cache=policy)
    records = [record(rng, i).model_copy(update={"namespace": "alice", "tier": "mid"}) for i in range(30)]
    store.write(records, vectors(rng, 30, embedder.dim))
    store.write([records[0].model_copy(update={"id": "bob-1", "namespace": "bob"})])
    query = vectors(rng, 1, embedder.dim)[0]
    assert len(store.vector_search("alice", query, tiers=("mid",), k=50)) == 30
    assert [h.record.id for h in store.vector_search("bob", query, tiers=("mid",))] == ["bob-1"]
    assert store._read_cache.loads == 1  # bob only
    assert list(store._read_cache._held) == [("facts", "bob")]


def test_a_large_namespace_is_held_light_and_searched_by_ids(tmp_path: Path, embedder: BaseEmbedder) -> None:
    """Past ``max_namespace_rows`` a namespace is held without vectors: Lance finds ids and scores,
    the rows come from memory, and the hits equal an uncached store's; a light row weighs a sixth."""
    rng = np.random.default_rng(9)
    policy = ReadCachePolicy(max_namespace_rows=10, max_light_rows=100, max_rows=10)
    store = TierStore.open(tmp_path / "db", embedder, read_cache=policy)
    reference = TierStore.open(tmp_path / "db", embedder, read_cache=UNCACHED)
    records = [record(rng, i).model_copy(update={"namespace": "alice", "tier": "mid"}) for i in range(60)]
    store.write(records, vectors(rng, 60, embedder.dim))
    store.write([records[0].model_copy(update={"id": "bob-1", "namespace": "bob"})])
    query = vectors(rng, 1, embedder.dim)[0]
    for k in (5, 100):
        hits = store.hybrid_search("alice", query, "note kg", tiers=("mid",), k=k)
        expected = reference.hybrid_search("alice", query, "note kg", tiers=("mid",), k=k)
        for found, wanted in zip(hits, expected, strict=True):
            assert [(h.record, round(h.score, 5)) for h in found] == [(h.record, round(h.score, 5)) for h in wanted]
    assert store._read_cache._held[("facts", "alice")].light
    assert store._read_cache._held[("facts", "alice")].weight == 10  # 60 light rows weigh 10
    store.update_confirmations("alice", records[1].id, "mid", 5)
    store.delete("alice", [records[2].id])
    found = {h.record.id: h.record for h in store.vector_search("alice", query, tiers=("mid",), k=100)}
    assert found[records[1].id].confirmations == 5 and records[2].id not in found
    assert store._read_cache.loads == 1
    with pytest.raises(RuntimeError, match="without vectors"):
        store._read_cache._held[("facts", "alice")].search(query, 5, None)


def test_the_least_recently_read_namespace_goes_first_past_the_row_cap(tmp_path: Path, embedder: BaseEmbedder) -> None:
    rng = np.random.default_rng(7)
    store = TierStore.open(tmp_path / "db", embedder, read_cache=ReadCachePolicy(max_rows=25))
    for namespace in ("alice", "bob"):
        batch = [record(rng, i).model_copy(update={"namespace": namespace, "tier": "mid"}) for i in range(20)]
        store.write(batch, vectors(rng, 20, embedder.dim))
    query = vectors(rng, 1, embedder.dim)[0]
    for namespace in ("alice", "bob", "alice"):
        assert {h.record.namespace for h in store.vector_search(namespace, query, tiers=("mid",))} == {namespace}
    assert store._read_cache.loads == 3
    assert list(store._read_cache._held) == [("facts", "alice")]


def test_many_small_commits_are_merged_into_few_blocks(embedder: BaseEmbedder) -> None:
    rng = np.random.default_rng(9)
    rows = CachedRows(["id", "namespace", "text", "created_at", "expires_at"])
    ids = [f"r{i}" for i in range(60)]
    matrix = vectors(rng, 60, 8)
    for i, record_id in enumerate(ids):
        rows.add(row_table([record_id], matrix[i : i + 1]))
        if i % 3 == 0:
            rows.delete([ids[i // 2]])
    assert len(rows.blocks) <= MAX_BLOCKS
    deleted = {ids[i // 2] for i in range(0, 60, 3)}
    kept = [i for i, record_id in enumerate(ids) if record_id not in deleted]
    assert sorted(rows.select(None)["id"].to_pylist()) == sorted(ids[i] for i in kept)
    query = matrix[kept[5]]
    units = matrix[kept] / np.linalg.norm(matrix[kept], axis=1, keepdims=True)
    expected = [ids[kept[i]] for i in np.argsort(-(units @ (query / np.linalg.norm(query))))[:7]]
    found = rows.search(query, 7, None)
    assert found["id"].to_pylist() == expected
    assert np.all(np.diff(found["_distance"].to_numpy()) >= 0)
    assert_text_search_as_one_block(rows, [ids[i] for i in kept], matrix[kept])


def test_a_read_sees_every_commit_acknowledged_before_it_while_threads_write(
    tmp_path: Path, embedder: BaseEmbedder, run_writers_and_readers: Callable[..., None]
) -> None:
    """Two writer threads append and delete while readers search and scan through the cache:
    a read never misses a row written before it started, never returns one deleted before it
    started, and never returns another namespace's row."""
    store = TierStore.open(tmp_path / "db", embedder)
    rng = np.random.default_rng(13)
    store.write([record(rng, i).model_copy(update={"namespace": "alice"}) for i in range(50)])
    lock = threading.Lock()
    written: set[str] = {r.id for r in store.records("alice")}
    deleted: set[str] = set()
    deleting: set[str] = set()
    failures: list[str] = []
    done = threading.Event()

    def writer(seed: int) -> None:
        local = np.random.default_rng(seed)
        for i in range(40):
            batch = [record(local, 1_000 * seed + i).model_copy(update={"namespace": "alice"})]
            store.write(batch, vectors(local, 1, embedder.dim))
            store.write([batch[0].model_copy(update={"id": f"bob-{seed}-{i}", "namespace": "bob"})])
            with lock:
                written.add(batch[0].id)
                left = sorted(written - deleted - deleting)
                victim = left[int(local.integers(len(left)))] if i % 3 else None
                if victim is not None:
                    deleting.add(victim)  # a read may or may not see it until the delete returns
            if victim is not None:
                store.delete("alice", [victim])
                with lock:
                    deleting.discard(victim)
                    deleted.add(victim)

    def reader(seed: int) -> None:
        local = np.random.default_rng(seed)
        while not done.is_set():
            with lock:
                must, gone = written - deleting, set(deleted)
            found = {r.id for r in store.records("alice")}
            dense, sparse = store.hybrid_search("alice", vectors(local, 1, embedder.dim)[0], "note", k=10_000)
            hits, matched = {h.record.id for h in dense}, {h.record.id for h in sparse}
            with lock:  # a row deleted while the read ran may be found or not
                must -= deleting | deleted
            for label, ids in (("scan", found), ("search", hits), ("full-text search", matched)):
                if must - ids:
                    failures.append(f"{label} missed {sorted(must - gone - ids)[:3]}")
                if ids & gone:
                    failures.append(f"{label} returned deleted {sorted(ids & gone)[:3]}")
                if any(i.startswith("bob") for i in ids):
                    failures.append(f"{label} returned bob's rows")

    run_writers_and_readers([partial(writer, 1), partial(writer, 2)], [partial(reader, 3), partial(reader, 4)], done)
    assert not failures, failures[:5]
    assert {r.id for r in store.records("alice")} == written - deleted
    assert store._read_cache.loads <= 3 * 2  # followed the writers' commits, never reloaded


def test_a_scan_uses_the_cache_only_once_a_search_has_loaded_it(store: TierStore) -> None:
    """A scan needs no vectors: it reads the table rather than loading a namespace with them."""
    rng = np.random.default_rng(21)
    records = [record(rng, i).model_copy(update={"namespace": "alice", "tier": "mid"}) for i in range(12)]
    store.write(records, vectors(rng, 12, store.embedder.dim))
    read_from_tables: list[list[str]] = []
    gather = store._gather
    store._gather = lambda tiers, *args: read_from_tables.append(list(tiers)) or gather(tiers, *args)  # type: ignore[method-assign]
    assert len(store.records("alice", tiers=("mid",))) == 12
    assert store.read_cache.loads == 0 and read_from_tables == [["mid"]]
    store.vector_search("alice", vectors(rng, 1, store.embedder.dim)[0], tiers=("mid",))
    store.delete("alice", [records[0].id])
    assert {r.id for r in store.records("alice", tiers=("mid",))} == {r.id for r in records[1:]}
    assert store.read_cache.loads == 1 and read_from_tables[-1] == []  # from the cache, which followed the delete


@pytest.mark.parametrize("coarse", [False, True])
def test_a_block_mostly_deleted_is_rewritten_without_its_deleted_rows(coarse: bool) -> None:
    """(``coarse``: the block is large enough to keep bf16 vectors for a first pass, the search
    still exact.)"""
    rng = np.random.default_rng(23)
    rows = CachedRows(["id", "namespace", "text", "created_at", "expires_at"], coarse=coarse)
    count = MERGE_BELOW + 10
    ids = [f"r{i}" for i in range(count)]
    matrix = vectors(rng, count, 8)
    rows.add(row_table(ids, matrix))
    rows.delete(ids[: count // 2])
    assert rows.size == count  # half deleted: kept as it is
    assert_text_search_as_one_block(rows, ids[count // 2 :], matrix[count // 2 :])
    alive = matrix[count // 2 :] / np.linalg.norm(matrix[count // 2 :], axis=1, keepdims=True)
    for query in matrix[-20:]:
        nearest = np.argsort(-(alive @ (query / np.linalg.norm(query))))[:10]
        assert rows.search(query, 10, None)["id"].to_pylist() == [ids[count // 2 + i] for i in nearest]
    rows.delete(ids[count // 2 : count - 5])
    assert rows.size == 5 and len(rows.blocks) == 1
    assert sorted(rows.select(None)["id"].to_pylist()) == sorted(ids[-5:])
    rows.delete([ids[-1]])  # positions in the rewritten block are right
    left = matrix[-5:-1] / np.linalg.norm(matrix[-5:-1], axis=1, keepdims=True)
    query = matrix[-2] / np.linalg.norm(matrix[-2])
    assert rows.search(matrix[-2], 4, None)["id"].to_pylist() == [ids[-5:-1][i] for i in np.argsort(-(left @ query))]
    assert_text_search_as_one_block(rows, ids[-5:-1], matrix[-5:-1])


def test_a_namespace_another_process_keeps_writing_to_is_left_to_lance(tmp_path: Path, embedder: BaseEmbedder) -> None:
    """Each foreign commit costs a reload of the whole namespace: after three within a minute the
    namespace is read through Lance (same rows) until the bypass ends."""
    rng = np.random.default_rng(29)
    store = TierStore.open(tmp_path / "db", embedder, read_cache=ReadCachePolicy(bypass_s=3600))
    other = TierStore.open(tmp_path / "db", embedder, read_cache=UNCACHED)
    query = vectors(rng, 1, embedder.dim)[0]
    written: list[str] = []
    for i in range(6):
        batch = [record(rng, i).model_copy(update={"namespace": "alice", "tier": "mid"})]
        other.write(batch, vectors(rng, 1, embedder.dim))
        written.append(batch[0].id)
        assert {h.record.id for h in store.vector_search("alice", query, tiers=("mid",), k=50)} == set(written)
    assert store.read_cache.loads == 3 and store.read_cache.rows_held == 0


def test_a_load_while_another_read_moves_past_own_commits_is_caught_up_and_kept(
    store: TierStore, tmp_path: Path
) -> None:
    """Bob's rows load at one version while an append, a delete and an update land and a read
    of Alice's moves the table past them: Bob's rows are caught up with them and kept, not
    loaded again."""
    rng = np.random.default_rng(31)
    dim = store.embedder.dim

    def mid(namespace: str, serial: int) -> MemoryRecord:
        return MemoryRecord(namespace=namespace, tier="mid", kind="message", text=f"note {serial}", created_at=T0)

    store.write([mid(namespace, i) for namespace in ("alice", "bob") for i in range(6)], vectors(rng, 12, dim))
    query = vectors(rng, 1, dim)[0]
    store.vector_search("alice", query, tiers=("mid",))
    late = [mid("alice", 100), mid("bob", 101)]
    cache = store._read_cache
    load = cache._load

    bobs = sorted(r.id for r in store.records("bob"))

    def load_while_others_move_on(*args: object) -> object:
        loaded = load(*args)  # type: ignore[arg-type]
        store.write(late, vectors(rng, 2, dim))
        store.delete("bob", bobs[:1])
        store.update_confirmations("bob", bobs[1], "mid", 5)
        store.vector_search("alice", query, tiers=("mid",))  # moves the table past the commits
        return loaded

    cache._load = load_while_others_move_on  # type: ignore[method-assign]
    store.vector_search("bob", query, tiers=("mid",))
    cache._load = load  # type: ignore[method-assign]
    reference = TierStore.open(tmp_path / "db", store.embedder, read_cache=UNCACHED)
    for namespace, newest, count in (("alice", late[0], 7), ("bob", late[1], 6)):
        found, expected = (
            {h.record.id: h.record.confirmations for h in one.vector_search(namespace, query, k=100, tiers=("mid",))}
            for one in (store, reference)
        )
        assert found == expected and len(found) == count and newest.id in found, namespace
    assert expected[bobs[1]] == 5 and bobs[0] not in expected
    assert cache.loads == 2  # Alice once, Bob once


def test_a_large_namespace_loads_in_the_background_while_lance_answers(tmp_path: Path, embedder: BaseEmbedder) -> None:
    """Past ``background_load_rows`` the first read is answered by Lance and the rows load on the
    cache's own thread; an append, a delete and an update that land while they load are caught
    up, and the reads after it come from memory with the tables' hits. A small namespace is
    loaded by its read."""
    rng = np.random.default_rng(41)
    store = TierStore.open(tmp_path / "db", embedder, read_cache=ReadCachePolicy(background_load_rows=10))
    reference = TierStore.open(tmp_path / "db", embedder, read_cache=UNCACHED)

    def mid(namespace: str, serial: int) -> MemoryRecord:
        return MemoryRecord(namespace=namespace, tier="mid", kind="message", text=f"note {serial}", created_at=T0)

    records = [mid("alice", i) for i in range(30)]
    store.write([*records, mid("bob", 99)], vectors(rng, 31, embedder.dim))
    cache = store.read_cache
    load = cache._load
    go, loaders = threading.Event(), []

    def load_while_commits_land(namespace: str, dataset: object, later_above: int | None = None) -> object:
        if later_above is not None:  # the read's own call: counts, and hands a large namespace over
            return load(namespace, dataset, later_above)  # type: ignore[arg-type]
        loaders.append(threading.current_thread().name)
        go.wait(timeout=30)
        loaded = load(namespace, dataset)  # type: ignore[arg-type]
        store.write([mid("alice", 100)], vectors(rng, 1, embedder.dim))
        store.delete("alice", [records[0].id])
        store.update_confirmations("alice", records[1].id, "mid", 4)
        return loaded

    cache._load = load_while_commits_land  # type: ignore[method-assign]
    query = vectors(rng, 1, embedder.dim)[0]

    def hits(one: TierStore, namespace: str = "alice") -> dict[str, tuple[int, float]]:
        found = one.vector_search(namespace, query, tiers=("mid",), k=100)
        return {h.record.id: (h.record.confirmations, round(h.score, 5)) for h in found}

    assert hits(store) == hits(reference) and len(hits(store)) == 30  # Lance's answer, the load queued
    assert hits(store, "bob") == hits(reference, "bob")
    assert list(cache._held) == [("facts", "bob")] and cache.loads == 1
    go.set()
    cache.wait_for_loads()
    cache._load = load  # type: ignore[method-assign]
    expected = hits(reference)
    assert hits(store) == expected and len(expected) == 30 and records[0].id not in expected
    assert expected[records[1].id][0] == 4
    assert ("facts", "alice") in cache._held and cache.loads == 2
    assert loaders == ["tiermem-cache-load_0"]


def test_a_background_load_that_fails_is_logged_and_tried_again(
    tmp_path: Path, embedder: BaseEmbedder, caplog: pytest.LogCaptureFixture
) -> None:
    rng = np.random.default_rng(43)
    store = TierStore.open(tmp_path / "db", embedder, read_cache=ReadCachePolicy(background_load_rows=5))
    rows = [MemoryRecord(namespace="alice", tier="long", text=f"note {i}", created_at=T0) for i in range(12)]
    store.write(rows, vectors(rng, 12, embedder.dim))
    cache = store.read_cache
    load = cache._load
    failures = [OSError("disk went away")]

    def failing_once(namespace: str, dataset: object, later_above: int | None = None) -> object:
        if later_above is None and failures:
            raise failures.pop()
        return load(namespace, dataset, later_above)  # type: ignore[arg-type]

    cache._load = failing_once  # type: ignore[method-assign]
    query = vectors(rng, 1, embedder.dim)[0]
    with caplog.at_level("WARNING", logger="tiermem.memory.read_cache"):
        assert len(store.vector_search("alice", query, tiers=("long",), k=50)) == 12
        cache.wait_for_loads()
    assert "background load of ledger failed: disk went away" in caplog.text
    assert cache.loads == 0
    assert len(store.vector_search("alice", query, tiers=("long",), k=50)) == 12  # queues the load again
    cache.wait_for_loads()
    assert cache.loads == 1 and ("ledger", "alice") in cache._held
    cache.close()


def test_closing_the_cache_drops_the_queued_loads_and_waits_for_the_running_one(
    tmp_path: Path, embedder: BaseEmbedder
) -> None:
    rng = np.random.default_rng(47)
    store = TierStore.open(tmp_path / "db", embedder, read_cache=ReadCachePolicy(background_load_rows=5))
    rows = [
        MemoryRecord(namespace=n, tier="mid", text=f"note {i}", created_at=T0) for n in ("a", "b") for i in range(8)
    ]
    store.write(rows, vectors(rng, 16, embedder.dim))
    cache = store.read_cache
    load = cache._load
    started, go = threading.Event(), threading.Event()

    def slow(namespace: str, dataset: object, later_above: int | None = None) -> object:
        if later_above is None:
            started.set()
            go.wait(timeout=30)
        return load(namespace, dataset, later_above)  # type: ignore[arg-type]

    cache._load = slow  # type: ignore[method-assign]
    query = vectors(rng, 1, embedder.dim)[0]
    assert len(store.vector_search("a", query, tiers=("mid",), k=50)) == 8
    assert started.wait(timeout=30)  # a's load runs, held up; b's waits behind it
    assert len(store.vector_search("b", query, tiers=("mid",), k=50)) == 8
    closing = threading.Thread(target=cache.close)
    closing.start()
    go.set()
    closing.join(timeout=30)
    assert not closing.is_alive()
    assert [key for key in cache._held] == [("facts", "a")] and not cache._loading
    assert not cache._commits.pinned("facts")
