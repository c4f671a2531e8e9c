"""Bulk import and export of memories: streaming batches, one commit per table per batch.

:func:`bulk_import` writes any stream of records: it embeds a batch (only the
rows that arrive without a vector from this store's embedder) while the
previous batch is being committed, and commits each batch with one
insert-if-absent per table, keyed on the namespace and record id (ids are the
caller's: two users' files may share one), under the store's commit
lock and after the namespaces' quota check (:meth:`TierStore.insert_absent`),
as every other write. Memory stays bounded by two batches whatever the size
of the stream.

:func:`import_file` reads a JSONL or Parquet memory file (see
:mod:`tiermem.memory.bulk_io`) twice: a first pass validates every row and
stops at the first invalid one, naming its line, and checks that the rows not
yet stored fit each namespace's quota, before anything is written; the second
pass imports. An import stopped half-way (a crash, Ctrl-C) keeps
the batches it committed; running it again completes it, since rows whose id
is already stored in their namespace (in any tier) or taken earlier in the same
import are skipped, never duplicated. A row without an id gets one from its
namespace, tier, text and time, the same on every import.

Example:
    >>> written = export(store, "backup.parquet", vectors=True)
    >>> import_file(other_store, "backup.parquet").imported == written
    True
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import numpy as np
import pyarrow as pa
from pydantic import BaseModel, Field, ValidationError

from . import filters as f
from .bulk_io import RowWriter, iter_rows
from .errors import ImportFileError, InvalidInputError
from .maintenance import maintain
from .policies import IndexPolicy, Usage
from .quota import usage_by_namespace
from .records import TIERS, MemoryRecord, Tier, validate_namespace
from .schema import TABLE_FOR_TIER, from_row, table_schema, to_row
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


def parse_row(row: dict, store: TierStore, where: str) -> Item:
    """One file row as an :class:`Item`, or :class:`ImportFileError` naming ``where``.

    A ``vector`` is kept only when ``embedder`` names this store's embedder;
    otherwise the text is embedded again on import (so a file moves between
    embedders by export + import).
    """
    row = dict(row)
    vector, embedder = row.pop("vector", None), row.pop("embedder", None)
    if row.get("id") is None:  # the same row gets the same id on every import: a re-import skips it
        row["id"] = content_id(row)
    try:
        record = store.validate(MemoryRecord.model_validate(row))
    except ValidationError as exc:
        problem = exc.errors()[0]
        field = ".".join(str(part) for part in problem["loc"]) or "row"
        raise ImportFileError(
            f"{where}: field {field!r}: {problem['msg']}; fix or remove the row and import again (nothing was imported)"
        ) from None
    except InvalidInputError as exc:
        raise ImportFileError(f"{where}: {exc} (nothing was imported)") from None
    if vector is None or embedder != store.embedder.signature:
        return Item(record)
    try:
        array = np.asarray(vector, dtype=np.float32)
    except (TypeError, ValueError):
        array = np.full(1, np.nan, dtype=np.float32)  # not numbers: refused below
    if array.shape != (store.embedder.dim,) or not np.isfinite(array).all() or not array.any():
        raise ImportFileError(
            f"{where}: vector has shape {array.shape}, non-finite values or only zeros, expected "
            f"{store.embedder.dim} finite floats; drop the vector to have the text embedded again "
            "(nothing was imported)"
        )
    return Item(record, array)


def content_id(row: dict) -> str:
    """The id of a file row that gives none, from what it says: its namespace, tier, text and
    time (an id drawn at random made each import of the file store it again)."""
    said = json.dumps([row.get(k) for k in ("namespace", "tier", "text", "created_at")], default=str)
    return "c" + hashlib.blake2b(said.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


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
            rest are not written, batches committed before stay (:func:`import_file` checks
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


def validate_file(store: TierStore, path: str | Path, fmt: str | None = None) -> int:
    """Check every row of a memory file, and the namespaces' quotas, without writing;
    returns the row count.

    Raises:
        ImportFileError: the first invalid row, by line (JSONL) or row (Parquet) number.
        QuotaExceededError: importing the rows not yet stored would take a namespace past its cap.
    """
    name = Path(path).name
    count = 0
    adding: dict[str, Usage] = {}
    seen: set[tuple[str, str]] = set()
    pending: list[MemoryRecord] = []
    for number, row in iter_rows(path, fmt):
        record = parse_row(row, store, f"{name} line {number}").record
        count += 1
        if store.quota.enabled and (record.namespace, record.id) not in seen:
            seen.add((record.namespace, record.id))
            pending.append(record)
            if len(pending) == BATCH_SIZE:
                _tally_new(store, pending, adding)
                pending = []
    _tally_new(store, pending, adding)
    store.check_quota(adding)
    return count


def _tally_new(store: TierStore, records: list[MemoryRecord], adding: dict[str, Usage]) -> None:
    """Add to ``adding`` what ``records`` not yet stored would add to their namespaces."""
    stored: set[tuple[str, str]] = set()
    for tier in TIERS:  # stored in any tier, as the import skips them
        stored |= stored_keys(store, tier, records)
    fresh = [r for r in records if (r.namespace, r.id) not in stored]
    for namespace, usage in usage_by_namespace([r.namespace for r in fresh], [r.text for r in fresh]).items():
        adding[namespace] = adding.get(namespace, Usage()) + usage


def import_file(
    store: TierStore,
    path: str | Path,
    fmt: str | None = None,
    *,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    index: bool = True,
) -> ImportReport:
    """Validate a JSONL or Parquet memory file, then import it (see the module docs).

    Raises:
        ImportFileError: an invalid row; nothing was written.
        QuotaExceededError: the file would take a namespace past its cap; nothing was written.
    """
    validate_file(store, path, fmt)
    name = Path(path).name
    items = (parse_row(row, store, f"{name} line {number}") for number, row in iter_rows(path, fmt))
    return bulk_import(store, items, batch_size=batch_size, progress=progress, index=index)


def export(
    store: TierStore,
    path: str | Path,
    fmt: str | None = None,
    *,
    namespace: str | None = None,
    vectors: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
) -> int:
    """Write every memory (of one namespace, or all) to a JSONL or Parquet file.

    Args:
        store: the store to read.
        path: the file to write (its suffix picks the format unless ``fmt``).
        namespace: only this namespace (default: all).
        vectors: include each vector and the embedder signature, so an import
            into a store with the same embedder skips embedding.
        batch_size: rows read per batch.
        progress: called with the rows of each written batch.

    Returns:
        The rows written.
    """
    clause = f.eq("namespace", validate_namespace(namespace)) if namespace is not None else None
    with RowWriter(path, fmt, with_vectors=vectors) as out:
        for tier in TIERS:
            table = store.table(tier)
            columns = [name for name in table.schema.names if vectors or name != "vector"]
            query = table.search().select(columns)
            if clause is not None:
                query = query.where(clause)
            for batch in query.to_batches(batch_size):
                rows = batch.to_pylist()
                matrix = (
                    batch.column("vector").flatten().to_numpy().reshape(-1, store.embedder.dim) if vectors else None
                )
                out.write([from_row(row) for row in rows], matrix, store.embedder.signature)
                if progress is not None:
                    progress(len(rows))
    return out.rows
