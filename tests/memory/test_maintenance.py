"""Index maintenance: thresholds, retraining, compaction, the background thread, concurrent writes."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from tiermem.memory import maintenance, vector_index
from tiermem.memory.compaction import segments_to_merge
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.maintenance import (
    COMMIT_ATTEMPTS,
    SCALAR_COLUMNS,
    IndexPolicy,
    Maintainer,
    maintain,
    retry_conflicts,
    small_fragments,
)
from tiermem.memory.policies import ReadCachePolicy
from tiermem.memory.records import MemoryRecord, Tier
from tiermem.memory.store import TierStore
from tiermem.memory.vector_index import recall_at_k, trained_rows

NOW = datetime(2025, 1, 1, tzinfo=UTC)
POLICY = IndexPolicy(
    scalar_min_rows=40,
    vector_min_rows=300,
    rows_per_partition=64,
    optimize_small_fragments=4,
    optimize_unindexed_rows=10,
    interval_s=0.05,
)


def unit_vectors(rng: np.random.Generator, count: int, dim: int, centres: np.ndarray | None = None) -> np.ndarray:
    """Random unit vectors, clustered around ``centres`` when given (like sentence embeddings)."""
    if centres is None:
        vectors = rng.normal(size=(count, dim))
    else:
        vectors = centres[rng.integers(0, len(centres), count)] + 0.6 * rng.normal(size=(count, dim))
    vectors = vectors.astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def write_rows(
    store: TierStore,
    rng: np.random.Generator,
    count: int,
    *,
    tier: Tier = "mid",
    namespace: str = "alice",
    batch: int = 100,
    start: int = 0,
) -> list[str]:
    """Write ``count`` rows with random vectors (no embedding) in commits of ``batch`` rows."""
    ids: list[str] = []
    for lo in range(start, start + count, batch):
        hi = min(lo + batch, start + count)
        records = [
            MemoryRecord(namespace=namespace, tier=tier, text=f"note number {i}", created_at=NOW) for i in range(lo, hi)
        ]
        ids += store.write(records, unit_vectors(rng, len(records), store.embedder.dim))
    return ids


def index_names(store: TierStore, tier: Tier = "mid") -> dict[str, tuple[int, int]]:
    """Index name -> (indexed rows, unindexed rows)."""
    return {i.name: (i.num_indexed_rows, i.num_unindexed_rows) for i in store.table(tier).list_indices()}


def vector_indexes(store: TierStore, tier: Tier = "mid") -> list[str]:
    return [name for name in index_names(store, tier) if name.startswith("vector_")]


def test_small_tables_get_only_the_text_index(store: TierStore) -> None:
    write_rows(store, np.random.default_rng(0), 10)
    report = maintain(store, POLICY)
    mid = next(t for t in report.tables if t.table == "facts")
    assert mid.rows == 10 and mid.created == []
    assert [i.index_type for i in store.table("mid").list_indices()] == ["FTS"]


def test_thresholds_build_scalar_and_vector_indexes_once(store: TierStore) -> None:
    write_rows(store, np.random.default_rng(1), 320)
    first = next(t for t in maintain(store, POLICY).tables if t.table == "facts")
    assert set(SCALAR_COLUMNS) <= set(first.created)
    assert vector_indexes(store) == ["vector_ivf_sq_320"]
    assert trained_rows(vector_indexes(store)[0]) == 320
    again = next(t for t in maintain(store, POLICY).tables if t.table == "facts")
    assert again.created == [] and again.dropped == []
    short = next(t for t in maintain(store, POLICY).tables if t.table == "short")
    assert short.rows == 0 and short.created == []


def test_vector_index_is_retrained_when_the_table_grows(store: TierStore) -> None:
    rng = np.random.default_rng(2)
    policy = POLICY.model_copy(update={"rebuild_growth": 2.0, "vector_index": "ivf_pq"})
    write_rows(store, rng, 300)
    maintain(store, policy)
    assert vector_indexes(store) == ["vector_ivf_pq_300"]
    write_rows(store, rng, 200, start=300)
    maintain(store, policy)
    assert vector_indexes(store) == ["vector_ivf_pq_300"]  # 500 < 2 x 300: keep, only add the new rows
    write_rows(store, rng, 100, start=500)
    report = next(t for t in maintain(store, policy).tables if t.table == "facts")
    assert vector_indexes(store) == ["vector_ivf_pq_600"]
    assert report.dropped == ["vector_ivf_pq_300"]


def test_optimize_compacts_small_files_and_indexes_new_rows(store: TierStore) -> None:
    rng = np.random.default_rng(3)
    write_rows(store, rng, 320)
    maintain(store, POLICY)
    write_rows(store, rng, 20, batch=1, start=320)
    table = store.table("mid")
    small_before = small_fragments(table, POLICY.fragment_rows)
    assert small_before >= POLICY.optimize_small_fragments
    assert all(unindexed == 20 for _, unindexed in index_names(store).values())
    report = next(t for t in maintain(store, POLICY).tables if t.table == "facts")
    assert report.optimized
    assert all(unindexed == 0 for _, unindexed in index_names(store).values())
    assert small_fragments(table, POLICY.fragment_rows) < small_before
    assert table.count_rows() == 340


@pytest.mark.parametrize("cached", [True, False])
def test_a_pass_for_small_files_leaves_indexes_that_miss_few_rows(
    tmp_path: Path, embedder: BaseEmbedder, cached: bool
) -> None:
    """Updating every index for a few new rows cost as much as for thousands: the small files
    are merged among themselves, the indexes wait for ``optimize_unindexed_rows``, and the new
    rows are found all the same, by the read cache and through Lance."""
    store = TierStore.open(tmp_path / "db", embedder, read_cache=ReadCachePolicy(enabled=cached))
    rng = np.random.default_rng(13)
    write_rows(store, rng, 320)
    maintain(store, POLICY)
    write_rows(store, rng, 6, batch=1, start=320)  # 6 one-row files, fewer rows than the 10 an update waits for
    table = store.table("mid")
    assert small_fragments(table, POLICY.fragment_rows) >= POLICY.optimize_small_fragments
    report = next(t for t in maintain(store, POLICY).tables if t.table == "facts")
    assert report.optimized
    assert sorted(f.metadata.physical_rows for f in table.to_lance().get_fragments()) == [6, 320]
    assert all(unindexed == 6 for _, unindexed in index_names(store).values())
    assert [h.record.text for h in store.text_search("alice", "325", k=1)] == ["note number 325"]
    newest = table.to_lance().to_table(columns=["vector"]).column("vector")[-1].values
    assert store.vector_search("alice", newest, k=1)[0].record.text == "note number 325"
    write_rows(store, rng, 4, batch=1, start=326)  # now 10: the indexes catch up
    maintain(store, POLICY)
    assert all(unindexed == 0 for _, unindexed in index_names(store).values())
    assert table.count_rows() == 330


def test_old_versions_are_cleaned_up(store: TierStore) -> None:
    write_rows(store, np.random.default_rng(4), 50, batch=5)
    table = store.table("mid")
    before = len(table.list_versions())
    maintain(store, POLICY.model_copy(update={"keep_versions_for_s": 0.0}), force=True)
    assert len(table.list_versions()) < before
    assert table.count_rows() == 50


def test_a_tagged_version_survives_the_cleanup_and_does_not_stop_it(store: TierStore) -> None:
    """A tag (a user's, or the latency benchmark's on its fill) once made every cleanup, and so the pass, fail."""
    write_rows(store, np.random.default_rng(4), 20, batch=5)
    table = store.table("mid")
    tagged = table.version
    table.tags.create("kept", tagged)
    write_rows(store, np.random.default_rng(5), 20, batch=5, start=20)
    before = len(table.list_versions())
    maintain(store, POLICY.model_copy(update={"keep_versions_for_s": 0.0}), force=True)
    assert len(table.list_versions()) < before
    table.restore(tagged)
    assert table.count_rows() == 20


def test_writer_and_compactors_in_parallel_lose_no_rows(store: TierStore) -> None:
    rng = np.random.default_rng(5)
    policy = POLICY.model_copy(update={"optimize_small_fragments": 2, "optimize_unindexed_rows": 1})
    for tier in ("short", "mid", "long"):  # the first write of a table creates its text index
        write_rows(store, rng, 1, tier=tier, namespace="seed")
    kept: set[str] = set()
    errors: list[BaseException] = []
    done = threading.Event()
    passes = 0

    def writer() -> None:
        try:
            for i in range(150):
                tier: Tier = ("short", "mid", "long")[i % 3]
                ids = write_rows(store, rng, 1 + i % 3, tier=tier, namespace=f"u{i % 4}", start=i * 10)
                kept.update(ids)
                if i % 10 == 7:  # deletes and updates race a compaction's rewrite
                    store.delete(f"u{i % 4}", [ids[-1]], tiers=[tier])
                    kept.discard(ids[-1])
                    store.update_confirmations(f"u{i % 4}", ids[0], tier, 2)
        except BaseException as exc:
            errors.append(exc)
        finally:
            done.set()

    def compactor() -> None:
        nonlocal passes
        while not done.is_set():
            try:
                maintain(store, policy, force=True)
                passes += 1
            except BaseException as exc:
                errors.append(exc)
                return

    # two compactors: the background Maintainer and a `tiermem maintain` call in one process
    threads = [threading.Thread(target=writer), threading.Thread(target=compactor), threading.Thread(target=compactor)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert passes >= 2
    stored = [row for tier in ("short", "mid", "long") for row in store.table(tier).to_arrow().column("id").to_pylist()]
    assert len(stored) == len(set(stored)) == len(kept) + 3
    assert set(stored) == kept | {r.id for r in store.records("seed")}


def test_background_maintainer_indexes_and_stops(store: TierStore) -> None:
    maintainer = Maintainer(store, POLICY).start()
    try:
        write_rows(store, np.random.default_rng(6), 320)
        deadline = time.monotonic() + 120
        while not vector_indexes(store) and time.monotonic() < deadline:
            time.sleep(0.1)
        (name,) = vector_indexes(store)  # built while rows were still arriving: 300 or 320
        assert name.startswith("vector_ivf_sq_") and trained_rows(name) >= POLICY.vector_min_rows
    finally:
        maintainer.stop(timeout=120)
    assert maintainer.passes >= 1 and maintainer.last_error is None
    assert not maintainer._thread.is_alive()  # type: ignore[union-attr]


def test_maintainer_thread_ends_with_its_store(tmp_path: Path, embedder: BaseEmbedder) -> None:
    store = TierStore.open(tmp_path / "db", embedder)
    maintainer = Maintainer(store, POLICY).start()
    thread = maintainer._thread
    del store
    gc.collect()
    assert thread is not None
    thread.join(timeout=30)
    assert not thread.is_alive()


@pytest.mark.parametrize("kind", ["ivf_sq", "ivf_hnsw_sq", "ivf_pq"])
def test_ann_search_keeps_recall_of_exact_search(tmp_path: Path, embedder: BaseEmbedder, kind: str) -> None:
    """Through the index, not the read cache (which searches exactly): a namespace holding most
    of the table (post-filtered) and one holding a quarter of it (pre-filtered)."""
    store = TierStore.open(tmp_path / "db", embedder, read_cache=ReadCachePolicy(enabled=False))
    policy = POLICY.model_copy(update={"vector_index": kind, "refine_factor": 20 if kind == "ivf_pq" else 2})
    store.index_policy = policy
    rng = np.random.default_rng(7)
    dim = store.embedder.dim
    centres = rng.normal(size=(12, dim))
    for lo in range(0, 2400, 600):
        records = [
            MemoryRecord(namespace="alice" if i % 4 else "bob", tier="mid", text=f"note {i}", created_at=NOW)
            for i in range(lo, lo + 600)
        ]
        store.write(records, unit_vectors(rng, 600, dim, centres))
    maintain(store, policy)
    assert vector_indexes(store)[0].startswith(f"vector_{kind}_")
    table = store.table("mid")
    exact, approximate = [], []
    for query in unit_vectors(rng, 30, dim, centres):
        for namespace in ("alice", "bob"):
            scope = f"`namespace` = '{namespace}'"
            rows = table.search(query).distance_type("cosine").where(scope, prefilter=True).bypass_vector_index()
            exact.append(rows.limit(10).to_arrow().column("id").to_pylist())
            approximate.append([h.record.id for h in store.vector_search(namespace, query, tiers=("mid",), k=10)])
    assert recall_at_k(exact, approximate) >= 0.95


def test_an_ivf_sq_search_probes_a_share_of_the_partitions_of_the_newest_index(store: TierStore) -> None:
    policy = POLICY.model_copy(update={"probe_share": 0.25})
    assert vector_index.partitions("ivf_sq", 640, policy) == 20  # 32 rows a partition
    assert vector_index.search_probes("vector_ivf_sq_640", policy) == 5
    assert vector_index.search_probes("vector_ivf_hnsw_sq_640", policy) == policy.nprobes
    store.index_policy = policy
    assert store._nprobes("mid") == policy.nprobes  # no index yet
    write_rows(store, np.random.default_rng(9), 640)
    maintain(store, policy)
    assert vector_indexes(store) == ["vector_ivf_sq_640"] and store._nprobes("mid") == 5
    write_rows(store, np.random.default_rng(10), 1920, start=640)
    maintain(store, policy)  # four times the rows: retrained
    assert vector_indexes(store) == ["vector_ivf_sq_2560"] and store._nprobes("mid") == 20


def test_indexed_and_scanned_tables_report_the_same_cosine_scores(store: TierStore) -> None:
    rng = np.random.default_rng(8)
    for tier, count in (("mid", 400), ("short", 50)):  # only mid gets a vector index
        write_rows(store, rng, count, tier=tier)
    maintain(store, POLICY)
    assert vector_indexes(store, "mid") and not vector_indexes(store, "short")
    for query in unit_vectors(rng, 5, store.embedder.dim):
        approximate = {h.record.id: h.score for h in store.vector_search("alice", query, k=5)}
        exact = {h.record.id: h.score for h in store.vector_search("alice", query, k=5, exact=True)}
        for record_id in approximate.keys() & exact.keys():
            assert approximate[record_id] == pytest.approx(exact[record_id], abs=1e-5)


@pytest.mark.parametrize(
    ("exact", "approximate", "expected"),
    [
        ([["a", "b"]], [["b", "a"]], 1.0),
        ([["a", "b"], ["c", "d"]], [["a", "x"], ["y", "z"]], 0.25),
        ([["a"], []], [["a"], ["q"]], 1.0),  # a query with no exact hits does not count
    ],
)
def test_recall_at_k(exact: list[list[str]], approximate: list[list[str]], expected: float) -> None:
    assert recall_at_k(exact, approximate) == pytest.approx(expected)


def test_retry_conflicts_retries_only_commit_races() -> None:
    calls = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise RuntimeError("lance error: Retryable commit conflict for version 7: Rewrite preempted by Delete")
        return "done"

    assert retry_conflicts(flaky) == "done" and len(calls) == 3

    def broken() -> None:
        calls.append(1)
        raise RuntimeError("lance error: Not found")

    calls.clear()
    with pytest.raises(RuntimeError, match="Not found"):
        retry_conflicts(broken)
    assert len(calls) == 1

    def always() -> None:
        calls.append(1)
        raise RuntimeError("Retryable commit conflict")

    calls.clear()
    with pytest.raises(RuntimeError, match="Retryable"):
        retry_conflicts(always)
    assert len(calls) == COMMIT_ATTEMPTS


def test_compaction_never_rewrites_a_full_file(store: TierStore) -> None:
    rng = np.random.default_rng(6)
    policy = POLICY.model_copy(update={"fragment_rows": 1_024})
    write_rows(store, rng, 1_500, batch=1_500)  # one file past the target: full, left alone
    table = store.table("mid")
    [full] = [f for f in table.to_lance().get_fragments() if f.metadata.physical_rows >= 1_024]
    write_rows(store, rng, 6, batch=1, start=1_500)
    maintain(store, policy, force=True)
    fragments = table.to_lance().get_fragments()
    assert full.fragment_id in [f.fragment_id for f in fragments]  # the same file, not a rewritten copy
    assert sorted(f.metadata.physical_rows for f in fragments) == [6, 1_500]  # the small files merged into one
    assert small_fragments(table, policy.fragment_rows) == 1 and table.count_rows() == 1_506
    assert all(unindexed == 0 for _, unindexed in index_names(store).values())


def vector_segments(store: TierStore, tier: Tier = "mid") -> list[int]:
    """Rows per segment of the table's vector index, oldest first."""
    dataset = store.table(tier).to_lance()
    [name] = vector_indexes(store, tier)
    return list(dataset.stats.index_stats(name)["num_indexed_rows_per_delta"])


def test_passes_keep_vector_segments_and_files_few(store: TierStore) -> None:
    """Each pass used to add a vector-index segment, and Lance merges only files that one segment
    covers: after 12 passes of a few one-row commits the table kept 13 segments and 13 files."""
    rng = np.random.default_rng(7)
    write_rows(store, rng, 320)
    maintain(store, POLICY)
    for turn in range(12):
        write_rows(store, rng, 4, batch=1, start=320 + 4 * turn)
        maintain(store, POLICY, force=True)
    table = store.table("mid")
    assert vector_segments(store) == [320, 48]  # the trained segment and one merged delta
    assert sorted(f.metadata.physical_rows for f in table.to_lance().get_fragments()) == [48, 320]
    assert all(unindexed == 0 for _, unindexed in index_names(store).values())
    assert table.count_rows() == 368
    found = store.vector_search("alice", table.to_lance().to_table(columns=["vector"]).column("vector")[-1].values)
    assert found and found[0].record.text == "note number 367"  # the newest row is found through the index


@pytest.mark.parametrize(
    ("sizes", "new_rows", "expected"),
    [
        ([5_000], 10, 0),  # only the trained segment: the new rows get a segment of their own
        ([5_000, 600, 20, 20], 5, 3),  # every small delta joins
        ([5_000, 3_000, 100], 5, 1),  # 3,000 > the cap and > the 105 rows gathered
        ([5_000, 3_000, 2_040], 10, 1),  # 2,040 joins; 3,000 > the 2,050 rows gathered
        ([5_000, 2_048, 2_048], 1, 2),  # 2,048 <= the cap, then 2,048 <= the 2,049 gathered
        ([5_000, 9_000, 4_000, 2_048, 2_048], 1, 3),  # size-tiered: 4,000 <= 4,097 gathered, 9,000 > 8,097
    ],
)
def test_segments_to_merge(sizes: list[int], new_rows: int, expected: int) -> None:
    assert segments_to_merge(sizes, new_rows, 2_048) == expected


def test_passes_clean_up_old_versions_once_per_interval(store: TierStore) -> None:
    rng = np.random.default_rng(8)
    policy = POLICY.model_copy(update={"keep_versions_for_s": 0.0, "cleanup_interval_s": 3600.0})
    table = store.table("mid")
    write_rows(store, rng, 8, batch=1)
    assert next(t for t in maintain(store, policy).tables if t.table == "facts").optimized
    cleaned = len(table.list_versions())
    write_rows(store, rng, 8, batch=1, start=8)
    assert next(t for t in maintain(store, policy).tables if t.table == "facts").optimized
    assert len(table.list_versions()) > cleaned + 8  # compacted, versions kept: the interval has not passed
    maintain(store, policy, force=True)
    assert len(table.list_versions()) <= cleaned


def test_a_compaction_that_keeps_losing_to_writes_is_deferred_not_failed(
    store: TierStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every turn's delete or update beats a concurrent compaction's commit; the pass reports the
    compaction deferred (the next pass compacts) instead of failing; other errors still raise."""
    write_rows(store, np.random.default_rng(9), 10, batch=1)
    attempts = []

    def losing(*_: object, **__: object) -> None:
        attempts.append(1)
        raise OSError("Retryable commit conflict for version 9: This Rewrite transaction was preempted")

    monkeypatch.setattr(maintenance, "compact_table", losing)
    monkeypatch.setattr(maintenance.time, "sleep", lambda _: None)
    report = maintain(store, POLICY, force=True).tables
    assert [(t.deferred, t.optimized) for t in report if t.rows] == [(True, False)]
    assert len(attempts) == COMMIT_ATTEMPTS

    def broken(*_: object, **__: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(maintenance, "compact_table", broken)
    with pytest.raises(OSError, match="disk full"):
        maintain(store, POLICY, force=True)


def test_adding_rows_to_an_ivf_index_does_not_flood_stderr(tmp_path: Path) -> None:
    """Lance warned once per IVF partition the new rows left empty (thousands of lines in a
    1M-memory run); in a fresh process, as a user's would be."""
    script = f"""
import numpy as np
from datetime import UTC, datetime
from tiermem.memory.embeddings import get_embedder
from tiermem.memory.maintenance import maintain
from tiermem.memory.policies import IndexPolicy
from tiermem.memory.records import MemoryRecord
from tiermem.memory.store import TierStore
store = TierStore.open({str(tmp_path / "db")!r}, get_embedder("use"))
rng = np.random.default_rng(0)
for start, count in ((0, 8000), (8000, 3)):
    records = [MemoryRecord(namespace="a", tier="mid", text=f"n {{i}}", created_at=datetime(2025, 1, 1, tzinfo=UTC))
               for i in range(start, start + count)]
    vectors = rng.normal(size=(count, store.embedder.dim)).astype(np.float32)
    store.write(records, vectors / np.linalg.norm(vectors, axis=1, keepdims=True))
    maintain(store, IndexPolicy(rows_per_partition=128), force=True)
print(sorted(i.name for i in store.table("mid").list_indices()))
"""
    env = {k: v for k, v in os.environ.items() if k not in ("LANCE_LOG", "RUST_LOG")}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "vector_ivf_sq_8000" in out.stdout
    assert "is empty" not in out.stderr, out.stderr[-1000:]


def test_running_maintainers_are_stopped_before_the_interpreter_exits(store: TierStore) -> None:
    maintainer = Maintainer(store, IndexPolicy(interval_s=0.01)).start()
    maintenance._stop_at_exit()  # what atexit runs: no pass is left inside LanceDB at finalization
    assert maintainer._thread is not None and not maintainer._thread.is_alive()
