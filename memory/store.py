"""TierStore: every memory tier in one LanceDB database.

Tables ``short``, ``facts`` and ``ledger`` (see :data:`TABLE_FOR_TIER`) share
one row shape. Every query is scoped to one namespace through the filter
builder, so no call can read another user's rows. Writes validate the whole
batch before touching a table and go in one commit per table.

Example:
    >>> store = TierStore.open("./.tiermem", get_embedder("use"))
    >>> store.write([MemoryRecord(namespace="alice", tier="short", text="I'm at the gym")])
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import lance
import lancedb
import numpy as np
import pyarrow as pa
from lancedb.index import FTS

from . import filters as f
from .changes import NamespaceChanges
from .concurrency import CommitLock, KeyedLocks
from .dataset_reader import DatasetReader
from .embeddings import BaseEmbedder
from .errors import EmbedderMismatchError, InvalidInputError
from .fact_heads import FactHeads
from .policies import IndexPolicy, NamespaceQuota, ReadCachePolicy, Usage
from .quota import measure, usage_by_namespace
from .read_cache import ReadCache
from .reads import FACT_TIERS, READ_COLUMNS
from .records import (
    DEFAULT_MAX_FUTURE_SKEW,
    DEFAULT_MAX_TEXT_BYTES,
    TIERS,
    MemoryRecord,
    Tier,
    as_utc,
    not_future,
    validate_namespace,
    validate_text,
)
from .schema import EMBEDDER_METADATA_KEY, TABLE_FOR_TIER, table_schema, to_row
from .searches import Hit as Hit  # re-exported: callers import it with the store
from .searches import StoreSearches
from .store_deletes import ErasedRows as ErasedRows  # re-exported: callers import it with the store
from .store_deletes import ForgetReport as ForgetReport  # re-exported: callers import it with the store
from .store_deletes import StoreDeletes
from .text_index import TOKENIZER

log = logging.getLogger(__name__)


class TierStore(StoreDeletes, StoreSearches):
    """All tiers of all namespaces in one LanceDB database.

    Several processes may open one data dir: every read sees the newest
    committed version, commits are serialised by a lock file in the data dir,
    and a read that loses its files to a concurrent cleanup is retried
    (see :mod:`tiermem.memory.concurrency`).

    Args:
        uri: a directory path or a LanceDB URI (``s3://bucket/path`` works the same).
        embedder: builds the vectors; its signature is stored with each table.
        max_text_bytes: the largest text accepted.
        max_future_skew: how far past the wall clock a record or fact time may lie.
        quota: caps per namespace (rows, text bytes); unlimited by default.
        index_policy: vector-index query settings (``ef``, ``nprobes``, ``refine_factor``);
            :mod:`tiermem.memory.maintenance` builds the indexes with the same policy.
        read_cache: which namespaces' rows reads keep in memory (:mod:`tiermem.memory.read_cache`).
    """

    def __init__(
        self,
        uri: str | Path,
        embedder: BaseEmbedder,
        *,
        max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES,
        max_future_skew: timedelta = DEFAULT_MAX_FUTURE_SKEW,
        quota: NamespaceQuota | None = None,
        index_policy: IndexPolicy | None = None,
        read_cache: ReadCachePolicy | None = None,
    ) -> None:
        self.uri = str(uri)
        self.embedder = embedder
        self.max_text_bytes = max_text_bytes
        self.max_future_skew = max_future_skew
        self.quota = quota or NamespaceQuota()
        self.index_policy = index_policy or IndexPolicy()
        self._db = lancedb.connect(self.uri, read_consistency_interval=timedelta(0))
        self._tables: dict[str, lancedb.table.Table] = {}
        self._text_indexed: set[str] = set()
        self._reads = DatasetReader(lambda name: self._tables[name].to_lance())
        self._shares: dict[tuple[str, str], tuple[float, int, float]] = {}
        self._probes: dict[str, tuple[int, float]] = {}
        self._hot_keys: set[tuple[str, str]] = set()
        self._fact_heads = FactHeads([TABLE_FOR_TIER[tier] for tier in FACT_TIERS], READ_COLUMNS)
        self._read_cache = ReadCache(READ_COLUMNS, read_cache)
        self._followers: tuple[FactHeads | ReadCache, ...] = (self._fact_heads, self._read_cache)
        """What holds table rows in memory and replays this process's commits (appends, updates,
        row-keeping commits; the read cache also deletes, :meth:`_delete_where`)."""
        self._lock = CommitLock(self.uri)
        self._forgetting = KeyedLocks()
        self.changes = NamespaceChanges()
        """Which namespaces this process's commits changed, and from which messages (:mod:`tiermem.memory.changes`)."""

    @property
    def read_cache(self) -> ReadCache:
        """The rows of recently read namespaces held in memory (:mod:`tiermem.memory.read_cache`)."""
        return self._read_cache

    @classmethod
    def open(cls, uri: str | Path, embedder: BaseEmbedder, **kwargs: Any) -> TierStore:
        """Open (creating folders as needed) the store at ``uri``."""
        if "://" not in str(uri):
            Path(uri).mkdir(parents=True, exist_ok=True)
        return cls(uri, embedder, **kwargs)

    # -- tables ---------------------------------------------------------------------------

    def table(self, tier: Tier) -> lancedb.table.Table:
        """The LanceDB table of ``tier``, created on first use, checked for its embedder."""
        name = TABLE_FOR_TIER[tier]
        if name in self._tables:
            return self._tables[name]
        with self._lock():
            if name in self._tables:
                return self._tables[name]
            schema = table_schema(self.embedder.dim, self.embedder.signature)
            try:
                table = self._db.open_table(name)
            except (FileNotFoundError, ValueError):
                table = self._db.create_table(name, schema=schema, exist_ok=True)
            self._check_embedder(name, table)
            self._tables[name] = table
            return table

    def _check_embedder(self, name: str, table: lancedb.table.Table) -> None:
        stored = (table.schema.metadata or {}).get(EMBEDDER_METADATA_KEY, b"").decode()
        if stored != self.embedder.signature:
            raise EmbedderMismatchError(
                f"table {name!r} in {self.uri} was built by embedder {stored!r}, but "
                f"{self.embedder.signature!r} is configured; use the original embedder or "
                "re-embed: `tiermem memories export` then import into a new data dir"
            )

    def _ensure_fts(self, table: lancedb.table.Table) -> None:
        if table.name in self._text_indexed:  # once built it stays: no listing on every write
            return
        if not any(idx.index_type == "FTS" for idx in table.list_indices()):
            table.create_index("text", config=FTS(**TOKENIZER), replace=True)
        self._text_indexed.add(table.name)

    def ensure_text_index(self, tier: Tier, *, rebuild: bool = False) -> None:
        """Create the full-text index of ``tier``'s table if it has none (``rebuild``: anew, with
        today's tokenizer settings, :data:`~tiermem.memory.text_index.TOKENIZER`).

        Taken under the commit lock, as on the write path: two concurrent
        creations of one index make LanceDB fail one of them.
        """
        with self._lock():
            if rebuild:
                self.table(tier).create_index("text", config=FTS(**TOKENIZER), replace=True)
            self._ensure_fts(self.table(tier))

    # -- writes ---------------------------------------------------------------------------

    def validate(self, record: MemoryRecord) -> MemoryRecord:
        """Check a record's type, text, namespace and times against this store's limits."""
        if not isinstance(record, MemoryRecord):
            raise InvalidInputError(
                f"records must be MemoryRecord objects, got {type(record).__name__}: {record!r:.80} "
                "(build one with MemoryRecord(namespace=..., tier=..., text=...))"
            )
        validate_namespace(record.namespace)
        if record.tier not in TIERS:
            raise InvalidInputError(f"unknown tier {record.tier!r:.40}; use one of {list(TIERS)}")
        validate_text(record.text, max_bytes=self.max_text_bytes)
        not_future(record.created_at, what="created_at", max_skew=self.max_future_skew)
        if record.expires_at is not None and record.expires_at < record.created_at:
            raise InvalidInputError(
                f"expires_at {record.expires_at.isoformat()} is before created_at {record.created_at.isoformat()}: "
                "such a memory would never be found; give a later expiry, or none"
            )
        if record.fact is not None:
            not_future(record.fact.observed_at, what="fact observed_at", max_skew=self.max_future_skew)
        return record

    def check_quota(self, adding: Mapping[str, Usage]) -> None:
        """Raise :class:`QuotaExceededError` if ``adding`` (per namespace) would take a namespace
        past its cap; the writes check under the commit lock, so this alone is a preview.

        Rows already expired (by the wall clock) do not count: :meth:`expire` deletes them.
        """
        if not self.quota.enabled:
            return
        live = f.any_of(f.is_null("expires_at"), f.compare("expires_at", ">", as_utc(None)))
        for namespace, new in adding.items():
            current = measure((self.table(t) for t in TIERS), f.where(f.eq("namespace", namespace), live))
            self.quota.check(namespace, current, new)

    def write(self, records: Sequence[MemoryRecord], vectors: np.ndarray | None = None) -> list[str]:
        """Store records (all validated first; one commit per table).

        Args:
            records: what to store; each goes to its tier's table.
            vectors: precomputed embeddings, one row per record; computed if omitted.

        Returns:
            The ids written, in order.

        Raises:
            InvalidInputError: ``records`` is one record, not a sequence of them, or a record
                is invalid; nothing is written.
            QuotaExceededError: a namespace would pass its cap; nothing is written.
        """
        if isinstance(records, MemoryRecord):
            raise InvalidInputError(
                f"records must be a sequence of MemoryRecord, got one {type(records).__name__}; pass [record]"
            )
        if not records:
            return []
        for record in records:
            self.validate(record)
        if vectors is None:
            vectors = self.embedder.encode([r.text for r in records])
        if np.shape(vectors) != (len(records), self.embedder.dim):
            raise InvalidInputError(
                f"got vectors of shape {np.shape(vectors)} for {len(records)} records; "
                f"need ({len(records)}, {self.embedder.dim}) from embedder {self.embedder.name!r}"
            )
        if not np.isfinite(vectors).all():
            raise InvalidInputError("vectors hold NaN or infinite values; embed the texts again")
        if not np.asarray(vectors, dtype=np.float32).any(axis=1).all():  # no direction: no cosine to rank by
            raise InvalidInputError("a vector is all zeros; embed the texts again")
        by_table: dict[Tier, list[dict]] = {}
        for record, vector in zip(records, vectors, strict=True):
            by_table.setdefault(record.tier, []).append(to_row(record, vector))
        with self._lock():
            self.check_quota(usage_by_namespace([r.namespace for r in records], [r.text for r in records]))
            for tier, rows in by_table.items():
                self._append(tier, rows)
        return [r.id for r in records]

    def _append(self, tier: Tier, rows: list[dict]) -> None:
        """Append ``rows`` to ``tier``'s table in one commit, straight through Lance (half the
        CPU of LanceDB's ``add`` for a turn's one-row write: 4 against 8 ms); the caller holds the
        commit lock."""
        table = self.table(tier)
        dataset = self._reads.dataset(table.name)
        batch = pa.Table.from_pylist(rows, schema=dataset.schema)
        with self._committing(table.name):
            written = lance.write_dataset(batch, dataset, mode="append")
            self._reads.advance(table.name, written)
            for follower in self._followers:
                follower.appended(table.name, written.version, batch)
            self.changes.note({row["namespace"] for row in rows}, {s for row in rows for s in row["source_ids"]})
        self._ensure_fts(table)

    def insert_absent(self, batch: Mapping[Tier, pa.Table]) -> dict[Tier, int]:
        """Append the rows (in the store's row shape, vectors included) whose id is not stored in
        their namespace yet, one commit per table under the commit lock; the bulk path's write.

        Returns:
            Rows inserted per tier.

        Raises:
            QuotaExceededError: the batch would take a namespace past its cap; nothing of it is written.
        """
        inserted: dict[Tier, int] = {}
        with self._lock():
            rows = [table for table in batch.values() if table.num_rows]
            if rows:
                self.check_quota(
                    usage_by_namespace(
                        (n for t in rows for n in t.column("namespace").to_pylist()),
                        (x for t in rows for x in t.column("text").to_pylist()),
                    )
                )
            for tier, table in batch.items():
                merge = self.table(tier).merge_insert(["namespace", "id"])  # ids are the caller's, per user
                result = merge.when_not_matched_insert_all().execute(table)
                inserted[tier] = result.num_inserted_rows
                if result.num_inserted_rows:
                    self.changes.note(table.column("namespace").to_pylist())
        return inserted

    def update_confirmations(self, namespace: str, record_id: str, tier: Tier, count: int) -> None:
        """Set how many times a fact was stated (used by promotion)."""
        clause = f.where(f.eq("namespace", validate_namespace(namespace)), f.eq("id", record_id))
        with self._lock():
            table = self.table(tier)
            with self._committing(table.name):
                result = table.update(where=clause, values={"confirmations": count})
                for follower in self._followers if result.rows_updated else ():
                    follower.updated(table.name, result.version, namespace, record_id, {"confirmations": count})
            if result.rows_updated:
                self.changes.note([namespace])

    @contextmanager
    def _committing(self, table: str) -> Iterator[None]:
        """Hold around an own commit to ``table`` and the followers' notes of it: a read on another
        thread meanwhile waits for the notes (:class:`~tiermem.memory.commit_log.CommitFollower`)."""
        with ExitStack() as windows:
            for follower in self._followers:
                windows.enter_context(follower.committing(table))
            yield

    def rows_unchanged(self, table: str, versions: Iterable[int]) -> None:
        """Note that this process committed ``versions`` of ``table`` without changing a row
        (a compaction's), so the rows held in memory follow them without a reload."""
        versions = list(versions)
        for follower in self._followers:
            follower.unchanged(table, versions)

    # -- maintenance ----------------------------------------------------------------------

    def compact(self, *, keep_versions_for: timedelta = timedelta(hours=1)) -> None:
        """Compact files, index new rows and drop table versions older than the window.

        ``keep_versions_for=timedelta(0)`` removes every old version, so deleted rows
        are gone from disk too (used by ``forget``).
        """
        with self._lock(), warnings.catch_warnings():
            # LanceDB warns that a cleanup of every old version fails concurrent readers: this
            # store's readers retry on the newest version (:func:`~.concurrency.retry_read`)
            warnings.filterwarnings("ignore", r"optimize\(cleanup_older_than=0\)", UserWarning)
            for tier in TIERS:
                self.table(tier).optimize(cleanup_older_than=keep_versions_for)
