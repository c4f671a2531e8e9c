"""The in-memory fact heads answer what the tables answer, across every kind of commit."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import numpy as np
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.maintenance import maintain
from tiermem.memory.policies import IndexPolicy
from tiermem.memory.records import Fact, MemoryRecord
from tiermem.memory.store import TierStore

T0 = datetime(2025, 1, 1, tzinfo=UTC)
KEYS = ["user.weight", "user.sleep", "user.lives_in", "mia.job", "user.unknown"]
POLICY = IndexPolicy(scalar_min_rows=20, vector_min_rows=256, rows_per_partition=64, optimize_small_fragments=2)


def fact(rng: np.random.Generator, namespace: str, serial: int) -> MemoryRecord:
    """A version of one of four keys, with many ties in time, in either fact tier, sometimes expiring."""
    pairs = [("user", "weight"), ("user", "sleep"), ("user", "lives_in"), ("mia", "job")]
    subject, attribute = pairs[int(rng.integers(len(pairs)))]
    observed = T0 + timedelta(days=int(rng.integers(6)))
    created = T0 + timedelta(days=int(rng.integers(6)))
    expires = created + timedelta(days=int(rng.integers(1, 4))) if rng.random() < 0.2 else None
    return MemoryRecord(
        namespace=namespace,
        tier=("mid", "long")[int(rng.integers(2))],
        kind="fact",
        text=f"{subject} {attribute} is v{serial}",
        fact=Fact(subject=subject, attribute=attribute, value=f"v{serial}", observed_at=observed),
        created_at=created,
        expires_at=expires,
    )


def vectors(store: TierStore, count: int) -> np.ndarray:
    """Random unit vectors (the vector index trains on them)."""
    found = np.random.default_rng(count).normal(size=(count, store.embedder.dim)).astype(np.float32)
    return found / np.linalg.norm(found, axis=1, keepdims=True)


@contextmanager
def tables_only(store: TierStore) -> Iterator[None]:
    """Every key read from the tables (the heads answer no more than 0 versions)."""
    depth = store._fact_heads.depth
    store._fact_heads.depth = 0
    try:
        yield
    finally:
        store._fact_heads.depth = depth


def versions_seen(
    store: TierStore, namespace: str, versions: int, now: datetime | None
) -> dict[str, list[tuple[str, int]]]:
    found = store.latest_facts(namespace, KEYS, now=now, versions=versions)
    return {key: [(r.id, r.confirmations) for r in history] for key, history in found.items()}


def assert_same_as_tables(store: TierStore) -> None:
    for namespace in ("alice", "bob"):
        for versions in (1, 3, 6, 8):
            for now in (None, T0 + timedelta(days=2), T0 + timedelta(days=9)):
                from_heads = versions_seen(store, namespace, versions, now)
                with tables_only(store):
                    assert from_heads == versions_seen(store, namespace, versions, now), (namespace, versions, now)


def test_heads_match_the_tables_after_mixed_commits(tmp_path: Path, embedder: BaseEmbedder) -> None:
    """Writes, confirmation counts, deletes, compactions (index remaps included) and another
    store's writes, in a random order; after each, every question is compared."""
    rng = np.random.default_rng(7)
    store = TierStore.open(tmp_path / "db", embedder)
    other = TierStore.open(tmp_path / "db", embedder)
    serial = 0

    def write(target: TierStore, count: int) -> list[MemoryRecord]:
        nonlocal serial
        records = [fact(rng, ("alice", "bob")[int(rng.integers(2))], serial + i) for i in range(count)]
        serial += count
        target.write(records, vectors(target, count))
        return records

    written = write(store, 600)
    maintain(store, POLICY, force=True)  # indexes: later compactions remap them
    assert_same_as_tables(store)
    reloads = 0
    for _ in range(40):
        action = rng.choice(["write", "write", "confirm", "compact", "delete", "other"])
        if action == "write":
            written += write(store, int(rng.integers(1, 4)))
        elif action == "confirm":
            record = written[int(rng.integers(len(written)))]
            store.update_confirmations(record.namespace, record.id, record.tier, int(rng.integers(2, 9)))
        elif action == "compact":
            maintain(store, POLICY, force=True)
        elif action == "delete":
            record = written.pop(int(rng.integers(len(written))))
            store.delete(record.namespace, [record.id])
        else:
            written += write(other, 2)
        reloads += action in ("delete", "other")
        assert_same_as_tables(store)
    # followed, not reloaded: only the deletes and the other store's writes cost a load (of each namespace)
    assert store._fact_heads.loads <= 2 * (1 + reloads)


def test_own_commits_are_followed_and_others_reload(store: TierStore) -> None:
    rng = np.random.default_rng(3)
    records = [fact(rng, "alice", i) for i in range(60)]
    store.write(records, vectors(store, len(records)))
    heads = store._fact_heads
    store.latest_facts("alice", KEYS, versions=6)
    assert heads.loads == 1
    store.write([fact(rng, "alice", 100)], vectors(store, 1))
    store.update_confirmations("alice", records[0].id, records[0].tier, 5)
    maintain(store, POLICY, force=True)  # builds indexes (readable operations) and compacts (own rewrites)
    store.write([fact(rng, "alice", 101)], vectors(store, 1))
    maintain(store, POLICY, force=True)
    store.latest_facts("alice", KEYS, versions=6)
    assert heads.loads == 1
    store.delete("alice", [records[1].id])  # a delete is not followed: the namespace is read again
    store.latest_facts("alice", KEYS, versions=6)
    assert heads.loads == 2
    TierStore.open(store.uri, store.embedder).write([fact(rng, "alice", 102)], vectors(store, 1))
    store.latest_facts("alice", KEYS, versions=6)
    assert heads.loads == 3


def test_more_versions_than_the_heads_keep_are_read_from_the_tables(store: TierStore) -> None:
    rng = np.random.default_rng(5)
    store.write([fact(rng, "alice", i) for i in range(60)], vectors(store, 60))
    many = store.latest_facts("alice", KEYS, versions=20)
    with tables_only(store):
        assert many == store.latest_facts("alice", KEYS, versions=20)
    assert store._fact_heads.loads == 0


def test_a_namespace_loads_only_its_own_rows(store: TierStore) -> None:
    rng = np.random.default_rng(9)
    store.write([fact(rng, "alice", i) for i in range(10)], vectors(store, 10))
    store.write([fact(rng, "alice.work", i + 10) for i in range(3)], vectors(store, 3))
    found = store.latest_facts("alice.work", KEYS, versions=6)
    assert {r.namespace for history in found.values() for r in history} == {"alice.work"}
    assert sum(map(len, found.values())) == 3
    assert store.latest_facts("nobody", KEYS, versions=6) == {}


def test_of_versions_stated_at_one_time_the_later_write_wins_and_an_update_moves_none(store: TierStore) -> None:
    """Ids sort in the order they were made: among versions with the same times the last
    written is the newest, and Lance rewriting an updated row at the end of its table
    (a confirmation count) changes nothing, in the heads and in the tables alike."""
    same = T0 + timedelta(days=1)
    records = [
        MemoryRecord(
            namespace="alice",
            tier="mid",
            kind="fact",
            text=f"weight is {kg} kg",
            fact=Fact(attribute="weight", value=f"{kg} kg", observed_at=same),
            created_at=same,
        )
        for kg in (40, 41, 42, 43)
    ]
    store.write(records, vectors(store, len(records)))
    store._fact_heads.depth = 2
    assert [r.id for r in store.latest_facts("alice", ["user.weight"], versions=2)["user.weight"]] == [
        records[3].id,
        records[2].id,
    ]
    store.update_confirmations("alice", records[1].id, "mid", 3)
    for versions in (1, 2):
        from_heads = versions_seen(store, "alice", versions, None)
        with tables_only(store):
            assert from_heads == versions_seen(store, "alice", versions, None)
    assert store._fact_heads.loads == 1


def test_the_least_recently_read_namespace_goes_first_past_the_row_cap(store: TierStore) -> None:
    rng = np.random.default_rng(11)
    for namespace in ("alice", "bob"):
        store.write([fact(rng, namespace, i) for i in range(30)], vectors(store, 30))
    heads = store._fact_heads
    heads.max_rows = 20  # one namespace's heads (4 keys x up to 8 versions) pass it
    expected = {}
    for namespace in ("alice", "bob"):
        with tables_only(store):
            expected[namespace] = versions_seen(store, namespace, 6, None)
        assert versions_seen(store, namespace, 6, None) == expected[namespace]
    assert list(heads._namespaces) == ["bob"]
    assert versions_seen(store, "alice", 6, None) == expected["alice"]  # loaded again
    assert heads.loads == 3 and list(heads._namespaces) == ["alice"]


def test_threads_writing_facts_are_followed_not_reloaded(
    store: TierStore, run_writers_and_readers: Callable[..., None]
) -> None:
    """Readers on other threads meet the writers' versions before their notes arrive: they wait
    for the note rather than take it for another process's commit and reload the namespace; and
    a read sees every version written before it started."""
    rng = np.random.default_rng(21)
    store.write([fact(rng, "alice", i) for i in range(12)], vectors(store, 12))
    store.latest_facts("alice", KEYS, versions=3)  # loaded once
    lock = threading.Lock()
    written: set[str] = set()
    failures: list[str] = []
    done = threading.Event()

    def writer(seed: int) -> None:
        for i in range(25):
            record = MemoryRecord(
                namespace="alice",
                tier=("mid", "long")[i % 2],
                kind="fact",
                text=f"w{seed} is v{i}",
                fact=Fact(subject="user", attribute=f"w{seed}_{i}", value=f"v{i}", observed_at=T0),
                created_at=T0,
            )
            store.write([record], vectors(store, 1))
            with lock:
                written.add(record.key)

    def reader() -> None:
        while not done.is_set():
            with lock:
                must = set(written)
            found = store.latest_facts("alice", sorted(must), versions=1)
            if must - set(found):
                failures.append(f"missed {sorted(must - set(found))[:3]}")

    run_writers_and_readers([partial(writer, 1), partial(writer, 2)], [reader, reader], done)
    assert not failures, failures[:5]
    assert set(store.latest_facts("alice", sorted(written), versions=1)) == written
    assert store._fact_heads.loads == 1


def test_a_load_while_another_read_moves_past_an_own_commit_is_caught_up_and_kept(store: TierStore) -> None:
    """Bob's heads load at one version while a fact lands, another's confirmations change and a
    read of Alice's moves the tables past them: Bob's heads are caught up and kept, not loaded
    again."""
    rng = np.random.default_rng(33)
    store.write([fact(rng, namespace, i) for namespace in ("alice", "bob") for i in range(8)], vectors(store, 16))
    store.latest_facts("alice", KEYS, versions=3)
    heads = store._fact_heads
    load = heads._load
    late = fact(rng, "bob", 100)
    late = late.model_copy(update={"fact": late.fact.model_copy(update={"observed_at": T0 + timedelta(days=30)})})

    bobs = sorted((r.id, r.tier) for r in store.records("bob"))

    def load_while_others_move_on(*args: object) -> object:
        loaded = load(*args)  # type: ignore[arg-type]
        store.write([late], vectors(store, 1))
        store.update_confirmations("bob", *bobs[0], 4)
        store.latest_facts("alice", KEYS, versions=3)  # moves the tables past the write
        return loaded

    heads._load = load_while_others_move_on  # type: ignore[method-assign]
    store.latest_facts("bob", KEYS, versions=3)
    heads._load = load  # type: ignore[method-assign]
    assert store.latest_facts("bob", [late.key], versions=1)[late.key][0].id == late.id
    with tables_only(store):
        expected = versions_seen(store, "bob", 8, None)
    assert versions_seen(store, "bob", 8, None) == expected
    assert (bobs[0][0], 4) in [seen for history in expected.values() for seen in history]
    assert heads.loads == 2  # Alice once, Bob once
