"""Bulk import of memories: streaming batches, one commit per table per batch.

:func:`bulk_import` writes any stream of records: it embeds a batch (only the
rows that arrive without a vector from this store's embedder) while the
previous batch is being committed, and commits each batch with one
insert-if-absent per table, keyed on the namespace and record id (ids are the
caller's: two users' files may share one), under the store's commit
lock and after the namespaces' quota check (:meth:`TierStore.insert_absent`),
as every other write. Memory stays bounded by two batches whatever the size
of the stream.

Memory files are checked, imported and exported by :mod:`tiermem.memory.bulk_files`.
"""

from __future__ import annotations

import hashlib
import os
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice

import numpy as np
import pyarrow as pa
from pydantic import BaseModel, Field

from . import filters as f
from .maintenance import maintain
from .policies import IndexPolicy
from .records import TIERS, MemoryRecord, Tier
from .schema import TABLE_FOR_TIER, table_schema, to_row
from .store import TierStore

Progress = Callable[[int], None]
"""Called with the number of rows just handled (drives a progress bar)."""
BATCH_SIZE = 2048
EMBED_SLICE = 64
"""Below twice this many texts a batch is embedded in one thread."""


@dataclass(frozen=True, slots=True)
class Item:
    """A record to import and its vector, if it came with one from this store's embedder."""

    record: MemoryRecord
    vector: np.ndarray | None = None


class ImportReport(BaseModel):
    """What an import did."""

    rows: int = 0
    """Rows read."""
    imported: int = 0
    """Rows written."""
    skipped: int = 0
    """Rows whose id was already stored (or repeated in the input)."""
    embedded: int = 0
    """Rows whose vector was computed (the others came with one)."""
    seconds: float = 0.0
    per_second: float = 0.0
    """Rows read per second, embedding and commits included."""
    tables: dict[str, int] = Field(default_factory=dict)
    """Rows written per table."""
    ledger_namespaces: list[str] = Field(default_factory=list)
    """Namespaces whose long-term ledger got facts: their adapters no longer match it, so each
    needs a retrain (``tiermem memories import`` queues them; a caller of :func:`bulk_import`
    queues them with :meth:`~tiermem.memory.adapters.queue.JobQueue.enqueue`)."""


def _as_item(item: MemoryRecord | Item) -> Item:
    return item if isinstance(item, Item) else Item(item)


def _batches(items: Iterable[MemoryRecord | Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while batch := [_as_item(item) for item in islice(iterator, size)]:
        yield batch


def arrow_rows(store: TierStore, records: list[MemoryRecord], vectors: np.ndarray) -> pa.Table:
    """Records and their vectors as an Arrow table in the store's row shape."""
    schema = table_schema(store.embedder.dim, store.embedder.signature)
    rows = [to_row(record, vector) for record, vector in zip(records, vectors, strict=True)]
    for row in rows:
        del row["vector"]
    index = schema.get_field_index("vector")
    table = pa.Table.from_pylist(rows, schema=schema.remove(index))
    flat = pa.array(np.ascontiguousarray(vectors, dtype=np.float32).ravel())
    return table.add_column(index, schema.field(index), pa.FixedSizeListArray.from_arrays(flat, store.embedder.dim))


def _key_digest(key: tuple[str, str]) -> bytes:
    return hashlib.blake2b("\0".join(key).encode("utf-8", "surrogatepass"), digest_size=12).digest()


def stored_keys(store: TierStore, tier: Tier, records: list[MemoryRecord]) -> set[tuple[str, str]]:
    """Which ``(namespace, id)`` of ``records`` the table of ``tier`` already holds."""
    ids = [r.id for r in records]
    if not ids:
        return set()
    rows = store.table(tier).search().where(f.in_("id", ids)).select(["namespace", "id"]).to_arrow()
    return set(zip(rows.column("namespace").to_pylist(), rows.column("id").to_pylist(), strict=True))


def embed(store: TierStore, texts: list[str], pool: ThreadPoolExecutor | None, workers: int) -> np.ndarray:
    """Embed ``texts``, split across ``workers`` threads of ``pool`` (the embedder's matrix
    products run outside the GIL, so two threads keep two cores busy)."""
    if pool is None or workers < 2 or len(texts) < 2 * EMBED_SLICE:
        return store.embedder.encode(texts)
    step = -(-len(texts) // workers)
    slices = [texts[i : i + step] for i in range(0, len(texts), step)]
    return np.concatenate(list(pool.map(store.embedder.encode, slices)))


def _prepare(
    store: TierStore,
    batch: list[Item],
    report: ImportReport,
    check: set[Tier],
    seen: set[bytes],
    pool: ThreadPoolExecutor | None,
    workers: int,
) -> dict[Tier, pa.Table]:
    """Drop rows already stored (in the tiers to ``check``) or repeated in this import (``seen``:
    the keys of the rows taken so far, whatever their batch or tier), embed what lacks a vector,
    and split the batch by tier."""
    known: set[tuple[str, str]] = set()
    for tier in check:  # an id stored in any tier: the same memory, whatever tier the file gives
        known |= stored_keys(store, tier, [item.record for item in batch])
    unique = []
    for item in batch:
        key = (item.record.namespace, item.record.id)
        if key not in known and (digest := _key_digest(key)) not in seen:
            known.add(key)
            seen.add(digest)
            unique.append(item)
    report.skipped += len(batch) - len(unique)
    missing = [i for i, item in enumerate(unique) if item.vector is None]
    vectors = np.zeros((len(unique), store.embedder.dim), dtype=np.float32)
    if missing:
        vectors[missing] = embed(store, [unique[i].record.text for i in missing], pool, workers)
        report.embedded += len(missing)
    for i, item in enumerate(unique):
        if item.vector is not None:
            vectors[i] = item.vector
    by_tier: dict[Tier, list[int]] = {}
    for i, item in enumerate(unique):
        by_tier.setdefault(item.record.tier, []).append(i)
    return {tier: arrow_rows(store, [unique[i].record for i in rows], vectors[rows]) for tier, rows in by_tier.items()}


def _commit(store: TierStore, batch: dict[Tier, pa.Table], report: ImportReport) -> None:
    for tier, inserted in store.insert_absent(batch).items():
        name = TABLE_FOR_TIER[tier]
        report.tables[name] = report.tables.get(name, 0) + inserted
        report.imported += inserted
        report.skipped += batch[tier].num_rows - inserted
        if tier == "long" and inserted:  # a ledger fact (a message without one trains nothing)
            rows = batch[tier].select(["namespace", "key"]).to_pylist()
            added = {row["namespace"] for row in rows if row["key"]}
            report.ledger_namespaces = sorted({*report.ledger_namespaces, *added})


def bulk_import(
    store: TierStore,
    items: Iterable[MemoryRecord | Item],
    *,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    index: bool = True,
    policy: IndexPolicy | None = None,
    embed_threads: int | None = None,
) -> ImportReport:
    """Write a stream of records, embedding and committing in overlapping batches.

    Args:
        store: where to write.
        items: records, or :class:`Item` with a precomputed vector.
        batch_size: rows per commit (and per embedding call).
        progress: called with the rows of each committed batch.
        index: run a maintenance pass afterwards (indexes the new rows, builds
            the indexes a table now needs).
        policy: the maintenance thresholds.
        embed_threads: threads embedding each batch (default: up to 2, one per core).

    Returns:
        Counts and throughput.

    Raises:
        InvalidInputError: from ``items`` itself; batches committed before stay.
        QuotaExceededError: a batch would take a namespace past its cap; that batch and the
            rest are not written, batches committed before stay (:func:`~.bulk_files.import_file` checks
            a whole file first).
    """
    report = ImportReport()
    start = time.perf_counter()
    pending: queue.Queue[dict[Tier, pa.Table] | None] = queue.Queue(maxsize=1)
    failures: list[BaseException] = []

    def commit_loop() -> None:
        while (batch := pending.get()) is not None:
            if failures:
                continue
            try:
                rows = sum(table.num_rows for table in batch.values())
                _commit(store, batch, report)
                if progress is not None:
                    progress(rows)
            except BaseException as exc:  # handed to the caller's thread below
                failures.append(exc)

    # an import into empty tables (the usual bulk load) needs no look-ups; a resumed or
    # repeated one skips stored rows before spending time on embedding them
    check = {tier for tier in TIERS if store.table(tier).count_rows()}
    seen: set[bytes] = set()  # 12-byte digests of (namespace, id): ~60 MB a million rows
    workers = embed_threads or min(2, os.cpu_count() or 1)
    pool = ThreadPoolExecutor(workers, thread_name_prefix="tiermem-embed") if workers > 1 else None
    committer = threading.Thread(target=commit_loop, name="tiermem-import", daemon=True)
    committer.start()
    try:
        for batch in _batches(items, batch_size):
            report.rows += len(batch)
            prepared = _prepare(store, batch, report, check, seen, pool, workers)
            if failures:
                break
            pending.put(prepared)
    finally:
        pending.put(None)
        committer.join()
        if pool is not None:
            pool.shutdown()
    if failures:
        raise failures[0]
    if index:
        maintain(store, policy)
    report.seconds = round(time.perf_counter() - start, 3)
    report.per_second = round(report.rows / report.seconds, 1) if report.seconds else 0.0
    return report
