"""Bulk import and export: round trips, invalid rows, idempotence, streaming, throughput."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from tiermem.memory.bulk import Item, bulk_import
from tiermem.memory.bulk_files import content_id, export, import_file, validate_file
from tiermem.memory.bulk_io import RowWriter, file_format, iter_rows
from tiermem.memory.concurrency import CommitLock
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.errors import ImportFileError, InvalidInputError, QuotaExceededError, StoreBusyError
from tiermem.memory.policies import NamespaceQuota
from tiermem.memory.records import Fact, MemoryRecord
from tiermem.memory.store import TierStore

NOW = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def sample_records(count: int, namespace: str = "alice") -> list[MemoryRecord]:
    """A mix of tiers, facts, TTLs, sources and Chinese text."""
    out = []
    for i in range(count):
        tier = ("short", "mid", "long")[i % 3]
        fact = None
        if tier != "short":
            fact = Fact(
                attribute="weight" if tier == "mid" else "lives_in",
                value=f"{40 + i} kg" if tier == "mid" else "Berlin",
                observed_at=NOW - timedelta(days=i),
                statement=f"stated {i}",
            )
        out.append(
            MemoryRecord(
                namespace=namespace,
                tier=tier,
                text=f"memory {i} 今天称重{40 + i}kg",
                created_at=NOW - timedelta(hours=i),
                expires_at=NOW + timedelta(hours=24) if tier == "short" else None,
                source_ids=[f"m{i}"],
                importance=0.25 + (i % 3) / 4,
                fact=fact,
                kind="fact" if fact else "message",
                thread_id=f"t{i % 2}",
                confirmations=1 + i % 2,
            )
        )
    return out


def stored(store: TierStore) -> dict[str, dict]:
    return {r.id: r.model_dump() for ns in store.namespaces() for r in store.records(ns)}


def random_items(store: TierStore, count: int, seed: int = 0) -> list[Item]:
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(count, store.embedder.dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    records = [
        MemoryRecord(namespace=f"u{i % 7}", tier=("short", "mid", "long")[i % 3], text=f"row {i}") for i in range(count)
    ]
    return [Item(r, v) for r, v in zip(records, vectors, strict=True)]


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
@pytest.mark.parametrize("vectors", [False, True])
def test_export_import_round_trip(
    tmp_path: Path, store: TierStore, embedder: BaseEmbedder, suffix: str, vectors: bool
) -> None:
    records = sample_records(12) + sample_records(3, namespace="bob")
    store.write(records)
    path = tmp_path / f"memories{suffix}"
    assert export(store, path, vectors=vectors) == 15
    target = TierStore.open(tmp_path / "copy", embedder)
    report = import_file(target, path)
    assert (report.rows, report.imported, report.skipped) == (15, 15, 0)
    assert report.embedded == (0 if vectors else 15)
    assert report.tables == {"short": 5, "facts": 5, "ledger": 5}
    assert stored(target) == stored(store)
    query = embedder.encode_one("今天称重45kg")
    assert [h.record.id for h in target.vector_search("alice", query, k=5)] == [
        h.record.id for h in store.vector_search("alice", query, k=5)
    ]
    assert [h.record.id for h in target.text_search("alice", "memory", k=5)]


def test_export_of_one_namespace(tmp_path: Path, store: TierStore) -> None:
    store.write(sample_records(4) + sample_records(2, namespace="bob"))
    path = tmp_path / "bob.jsonl"
    assert export(store, path, namespace="bob") == 2
    assert {row["namespace"] for _, row in iter_rows(path)} == {"bob"}
    with pytest.raises(InvalidInputError, match="namespace"):
        export(store, path, namespace="no spaces")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"namespace": "alice", "tier": "forever", "text": "x"}', "line 3: field 'tier'"),
        ('{"namespace": "a b", "tier": "short", "text": "x"}', "line 3: field 'namespace'"),
        ('{"namespace": "alice", "tier": "short"}', "line 3: field 'text'"),
        ('{"namespace": "alice", "tier": "short", "text": "   "}', "line 3: text is empty"),
        ('{"namespace": "alice", "tier": "short", "text": "x", "colour": "red"}', "line 3: field 'colour'"),
        ('{"namespace": "alice", "tier": "short", "text": "x"', "line 3: not valid JSON"),
        ('{"namespace', r"line 3: not valid JSON \(Unterminated string starting at column 2\)"),
        ('["alice", "short", "x"]', "line 3: expected a JSON object"),
        (
            '{"namespace": "alice", "tier": "short", "text": "x", "vector": [1, 2], "embedder": "SIG"}',
            "line 3: vector has shape",
        ),
        (
            '{"namespace": "alice", "tier": "short", "text": "x", "created_at": "2024-05-03T10:00:00Z", '
            '"expires_at": "2024-05-01T00:00:00Z"}',
            "line 3: expires_at 2024-05-01T00:00:00[+]00:00 is before created_at",
        ),
    ],
)
def test_invalid_row_names_its_line_and_nothing_is_imported(
    tmp_path: Path, store: TierStore, line: str, message: str
) -> None:
    good = json.dumps({"namespace": "alice", "tier": "short", "text": "fine"})
    path = tmp_path / "bad.jsonl"
    path.write_text(
        "\n".join([good, good, line.replace("SIG", store.embedder.signature), good]) + "\n", encoding="utf-8"
    )
    with pytest.raises(ImportFileError, match=message) as caught:
        import_file(store, path)
    assert "bad.jsonl" in str(caught.value)
    assert store.count() == 0


def test_invalid_parquet_row_names_its_row(tmp_path: Path, store: TierStore) -> None:
    path = tmp_path / "bad.parquet"
    with RowWriter(path) as out:
        out.write(sample_records(5))
    table = pq.read_table(path)
    texts = table.column("text").to_pylist()
    texts[3] = "bad\x00text"
    pq.write_table(table.set_column(table.schema.get_field_index("text"), "text", [texts]), path)
    with pytest.raises(ImportFileError, match=r"bad.parquet line 4: .*NUL"):
        validate_file(store, path)
    assert store.count() == 0


def test_file_format_from_suffix_or_flag(tmp_path: Path) -> None:
    assert file_format("a.ndjson") == "jsonl" and file_format("a.pq") == "parquet"
    assert file_format("a.txt", "jsonl") == "jsonl"
    with pytest.raises(InvalidInputError, match="--format"):
        file_format("a.csv")
    with pytest.raises(InvalidInputError, match="unknown memory file format 'csv'"):
        file_format("a.jsonl", "csv")


def test_import_again_skips_stored_rows_and_repeated_ids(tmp_path: Path, store: TierStore) -> None:
    path = tmp_path / "m.jsonl"
    records = sample_records(9)
    with RowWriter(path) as out:
        out.write(records + records[:2])  # two ids twice in one file
    first = import_file(store, path)
    assert (first.imported, first.skipped) == (9, 2)
    again = import_file(store, path)
    assert (again.imported, again.skipped, again.embedded) == (0, 11, 0)
    assert store.count() == 9


def test_vectors_from_another_embedder_are_embedded_again(tmp_path: Path, store: TierStore) -> None:
    path = tmp_path / "other.jsonl"
    records = sample_records(3)
    with RowWriter(path, with_vectors=True) as out:
        out.write(records, np.ones((3, 7), dtype=np.float32), "other|1|7")
    report = import_file(store, path)
    assert (report.imported, report.embedded) == (3, 3)
    hits = store.vector_search("alice", store.embedder.encode_one(records[0].text), k=1)
    assert hits[0].record.id == records[0].id and hits[0].score == pytest.approx(1.0, abs=1e-4)


def test_bulk_import_streams_in_bounded_batches(store: TierStore) -> None:
    items = random_items(store, 1000)
    produced = 0
    committed: list[int] = []
    lead: list[int] = []

    def stream() -> Iterator[Item]:
        nonlocal produced
        for item in items:
            produced += 1
            yield item

    def progress(rows: int) -> None:
        committed.append(rows)
        lead.append(produced - sum(committed))

    report = bulk_import(store, stream(), batch_size=100, progress=progress, index=False)
    assert report.imported == 1000 and sum(committed) == 1000
    assert max(committed) <= 100
    assert max(lead) <= 3 * 100  # at most the batch being embedded, one queued, one committing
    assert store.count() == 1000


def test_bulk_import_builds_the_indexes_a_table_needs(store: TierStore) -> None:
    from tiermem.memory.policies import IndexPolicy

    bulk_import(store, random_items(store, 400), policy=IndexPolicy(scalar_min_rows=100, vector_min_rows=10_000))
    kinds = {i.name: i.index_type for i in store.table("mid").list_indices()}
    assert kinds["text_idx"] == "FTS" and kinds["namespace_idx"] == "BTree"
    assert not any(name.startswith("vector_") for name in kinds)
    assert store.text_search("u1", "row", k=3)


def test_an_error_in_the_stream_keeps_committed_batches(store: TierStore) -> None:
    items = random_items(store, 300)

    def stream() -> Iterator[Item]:
        yield from items[:250]
        raise ImportFileError("line 251: broken")

    with pytest.raises(ImportFileError, match="line 251"):
        bulk_import(store, stream(), batch_size=100, index=False)
    assert store.count() == 200  # batches before the bad row; importing again skips them
    assert bulk_import(store, items, batch_size=100, index=False).imported == 100


def test_bulk_import_with_vectors_sustains_1000_rows_per_second(store: TierStore) -> None:
    items = random_items(store, 6000)
    report = bulk_import(store, items, batch_size=2048, index=False)
    assert report.imported == 6000
    assert report.per_second >= 1000, report


def test_import_over_a_quota_names_the_namespace_and_writes_nothing(tmp_path: Path, embedder: BaseEmbedder) -> None:
    store = TierStore.open(tmp_path / "db", embedder, quota=NamespaceQuota(max_rows=5))
    alice = sample_records(5)
    store.write(alice[:2])
    path = tmp_path / "memories.jsonl"
    with RowWriter(path) as out:
        out.write([*alice[:4], *sample_records(3, namespace="bob")])  # alice: 2 stored + 2 new; bob: 3 new
    import_file(store, path)
    assert (store.count("alice"), store.count("bob")) == (4, 3)
    with RowWriter(path) as out:
        out.write([*alice, *sample_records(6, namespace="carol")])  # alice 5: fits; carol 6: does not
    with pytest.raises(QuotaExceededError, match="namespace 'carol' holds 0 memories; adding 6"):
        import_file(store, path)
    assert (store.count("alice"), store.count("carol")) == (4, 0)


def test_bulk_import_stops_at_the_batch_that_would_pass_a_quota(tmp_path: Path, embedder: BaseEmbedder) -> None:
    store = TierStore.open(tmp_path / "db", embedder, quota=NamespaceQuota(max_rows=5))
    live = datetime.now(UTC) + timedelta(hours=1)  # expired rows count against no cap: the samples expired in 2025
    records = [r.model_copy(update={"expires_at": live if r.expires_at else None}) for r in sample_records(7)]
    with pytest.raises(QuotaExceededError, match="namespace 'alice' holds 3 memories; adding 3"):
        bulk_import(store, records, batch_size=3, index=False)
    assert store.count("alice") == 3


def test_bulk_import_commits_under_the_store_lock(store: TierStore) -> None:
    """While another writer holds the data dir's commit lock, an import waits (here: gives up)."""
    assert store.count() == 0  # opens the tables (which takes the lock) before it is held
    store._lock = CommitLock(store.uri, timeout=0.2)
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with CommitLock(store.uri)():
            holding.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(30)
    try:
        with pytest.raises(StoreBusyError):
            bulk_import(store, random_items(store, 10), index=False)
        assert store.count() == 0
    finally:
        release.set()
        holder.join()
    assert bulk_import(store, random_items(store, 10), index=False).imported == 10


def test_an_id_stored_for_another_user_is_imported_for_this_one(tmp_path: Path, store: TierStore) -> None:
    def row(namespace: str) -> str:
        return json.dumps({"id": "m1", "namespace": namespace, "tier": "mid", "text": f"{namespace}'s note"})

    (tmp_path / "alice.jsonl").write_text(row("alice") + "\n")
    (tmp_path / "copy.jsonl").write_text(row("alice2") + "\n")  # one user's export given to another
    assert import_file(store, tmp_path / "alice.jsonl").imported == 1
    assert import_file(store, tmp_path / "copy.jsonl").imported == 1
    assert import_file(store, tmp_path / "copy.jsonl").imported == 0  # still idempotent per user
    assert [r.text for r in store.records("alice2")] == ["alice2's note"]
    assert [r.text for r in store.records("alice")] == ["alice's note"]


@pytest.mark.parametrize("bad_id", ["", "   ", "a\nb"])
def test_a_blank_or_unprintable_id_is_refused_naming_its_line(tmp_path: Path, store: TierStore, bad_id: str) -> None:
    (tmp_path / "ids.jsonl").write_text(
        json.dumps({"id": bad_id, "namespace": "alice", "tier": "mid", "text": "x"}) + "\n"
    )
    with pytest.raises(ImportFileError, match="line 1.*record id must be"):
        import_file(store, tmp_path / "ids.jsonl")
    assert store.count("alice") == 0


def test_an_id_in_two_tiers_is_one_memory_at_any_batch_size(tmp_path: Path, embedder: BaseEmbedder) -> None:
    rows = [
        {"id": "g1", "namespace": "alice", "tier": "long", "text": "I live in Lyon"},
        {"id": "g2", "namespace": "alice", "tier": "mid", "text": "I weighed 45 kg"},
        {"id": "g1", "namespace": "alice", "tier": "short", "text": "I live in Lyon, again"},
    ]
    path = tmp_path / "m.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    for size in (1, 2, 100):
        store = TierStore.open(tmp_path / f"db{size}", embedder)
        report = import_file(store, path, batch_size=size, index=False)
        assert (report.imported, report.skipped) == (2, 1), size
        assert sorted((r.id, r.tier) for r in store.records("alice")) == [("g1", "long"), ("g2", "mid")]


def test_a_file_listing_its_rows_twice_fits_a_quota_it_fits_once(tmp_path: Path, embedder: BaseEmbedder) -> None:
    store = TierStore.open(tmp_path / "db", embedder, quota=NamespaceQuota(max_rows=5))
    path = tmp_path / "m.jsonl"
    records = sample_records(5)
    with RowWriter(path) as out:
        out.write(records + records)
    report = import_file(store, path, batch_size=5, index=False)
    assert (report.imported, report.skipped, store.count("alice")) == (5, 5, 5)


def test_rows_without_ids_are_not_stored_again_on_a_second_import(tmp_path: Path, store: TierStore) -> None:
    path = tmp_path / "m.jsonl"
    rows = [{"namespace": "bob", "tier": "long", "text": f"fact {i}"} for i in range(3)]
    path.write_text("\ufeff" + "".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")  # and a BOM
    assert import_file(store, path, index=False).imported == 3
    again = import_file(store, path, index=False)
    assert (again.imported, again.skipped, store.count("bob")) == (0, 3, 3)


def test_rows_without_ids_that_state_different_facts_are_two_memories(tmp_path: Path, store: TierStore) -> None:
    path = tmp_path / "m.jsonl"
    said = {"namespace": "v1", "tier": "mid", "text": "weigh-in", "created_at": "2024-05-08T00:00:00Z"}
    rows = [{**said, "fact": {"attribute": "weight", "value": f"{kg} kg"}} for kg in (45, 46)] + [said]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert import_file(store, path, index=False).imported == 3
    assert sorted(r.fact.value for r in store.records("v1") if r.fact) == ["45 kg", "46 kg"]
    assert import_file(store, path, index=False).imported == 0  # and each keeps its id on a re-import


def test_a_row_id_depends_on_what_it_says_not_on_defaults_spelled_out() -> None:
    row = {"namespace": "bob", "tier": "long", "text": "fact", "created_at": None}
    earlier = "c" + hashlib.blake2b(json.dumps(["bob", "long", "fact", None]).encode(), digest_size=12).hexdigest()
    assert content_id(row) == content_id({**row, "kind": "message", "source_ids": [], "fact": None}) == earlier
    assert content_id({**row, "kind": "episode"}) != earlier


@pytest.mark.parametrize(("value", "said"), [("a", "m.jsonl line 1: vector"), (0.0, "only zeros")])
def test_a_vector_of_words_or_zeros_is_refused_naming_its_line(
    tmp_path: Path, store: TierStore, value: object, said: str
) -> None:
    row = {"id": "v1", "namespace": "u", "tier": "long", "text": "t", "vector": [value] * store.embedder.dim}
    row["embedder"] = store.embedder.signature
    path = tmp_path / "m.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match=said):
        import_file(store, path)
    assert store.count() == 0


@pytest.mark.parametrize("limit", [0, -1, 1.5, True])
def test_records_refuses_a_limit_that_is_no_count(store: TierStore, limit: object) -> None:
    store.write(sample_records(3))
    with pytest.raises(InvalidInputError, match="limit must be"):
        store.records("alice", limit=limit)  # type: ignore[arg-type]


def test_records_takes_now_as_iso_text(store: TierStore) -> None:
    store.write(sample_records(3))
    assert len(store.records("alice", now="2030-01-01T00:00:00")) == 2  # the short one has expired


def test_an_all_zero_vector_is_refused(store: TierStore) -> None:
    with pytest.raises(InvalidInputError, match="all zeros"):
        store.write(sample_records(1), np.zeros((1, store.embedder.dim), dtype=np.float32))
    assert store.count() == 0
