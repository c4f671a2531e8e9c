"""The store's deletes: by id, a whole namespace, expired short-term rows, and ``forget``.

The deletes read too, so :class:`StoreDeletes` extends
:class:`~tiermem.memory.reads.StoreReads`; :class:`~tiermem.memory.store.TierStore`
extends it with the tables, the writes, the commit lock and the in-memory
followers of its commits.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timedelta

import lancedb
import pyarrow.compute as pc
from pydantic import BaseModel

from . import filters as f
from .concurrency import CommitLock, retry_read
from .reads import StoreReads
from .records import TIERS, Tier, as_utc, validate_namespace
from .schema import TABLE_FOR_TIER

TRANSCRIPT_KINDS: tuple[str, ...] = ("context", "episode")
"""Rows that copy what was said (session working memory, consolidated episodes): forgetting a
memory also removes those holding one of its source messages."""


class ForgetReport(BaseModel):
    """Where a forgotten memory was removed from."""

    namespace: str
    record_id: str
    key: str = ""
    """The fact key whose every version was removed, if the memory was a fact."""
    rows: int = 0
    tables: dict[str, int] = {}
    """Rows removed per table."""
    versions_cleaned: bool = False
    """Whether old table versions (which still held the rows) were deleted."""
    retrain_job: str | None = None
    """The adapter retrain queued because the ledger changed (set by the caller that queues it)."""


class StoreDeletes(StoreReads):
    """Read and delete methods of :class:`~tiermem.memory.store.TierStore`."""

    _lock: CommitLock
    _text_indexed: set[str]

    @abstractmethod
    def _committing(self, table: str) -> AbstractContextManager[None]:
        """Held around an own commit to ``table`` and the notes of it."""

    @abstractmethod
    def _ensure_fts(self, table: lancedb.table.Table) -> None:
        """Create the table's full-text index if it has none."""

    @abstractmethod
    def compact(self, *, keep_versions_for: timedelta = timedelta(hours=1)) -> None:
        """Compact the tables and drop old versions."""

    def _delete_where(
        self, clause: str, tiers: Iterable[Tier] = TIERS, *, ids_of: tuple[str, Sequence[str]] | None = None
    ) -> dict[str, int]:
        """Delete rows matching ``clause``; rows removed per table (tables with none omitted).
        ``ids_of``: ``(namespace, ids)`` when the clause picks exactly those rows (the read cache
        follows such a delete without a reload)."""
        removed: dict[str, int] = {}
        with self._lock():
            for tier in tiers:
                table = self.table(tier)
                with self._committing(table.name):
                    result = table.delete(clause)
                    if ids_of is not None:
                        self._read_cache.deleted(table.name, result.version, *ids_of)  # type: ignore[attr-defined]
                if result.num_deleted_rows:  # type: ignore[attr-defined]  # stub lags
                    removed[TABLE_FOR_TIER[tier]] = result.num_deleted_rows  # type: ignore[attr-defined]
        return removed

    def _erase(self, namespace: str, clause: str) -> tuple[dict[str, int], set[str]]:
        """Delete the rows of ``namespace`` matching ``clause`` so that no data file keeps their bytes.

        A LanceDB delete only marks rows, keeps its predicate (the forgotten text)
        in the new version's files, and compaction leaves a data file alone while
        few of its rows are deleted. So each table holding a matching row is
        rewritten from its other rows (its full-text index rebuilt; the
        maintainer rebuilds the others) and ``compact(keep_versions_for=0)``
        then removes every older file. Costs a rewrite of those tables.

        Returns:
            Rows removed per table, and the texts and fact values they held.
        """
        removed: dict[str, int] = {}
        contents: set[str] = set()
        with self._lock():
            for tier in TIERS:
                table = self.table(tier)
                found = retry_read(table.search().where(clause).select(["namespace", "id", "text", "value"]).to_arrow)
                found = found.filter(pc.equal(found.column("namespace"), namespace))
                matching = found.column("id")
                if not len(matching):
                    continue
                contents.update(v for name in ("text", "value") for v in found.column(name).to_pylist() if v)
                rows = retry_read(table.to_arrow)
                # by id *and* namespace: another user's row may carry the same id (ids are the caller's)
                gone = pc.and_(pc.is_in(rows.column("id"), matching), pc.equal(rows.column("namespace"), namespace))
                table.add(rows.filter(pc.invert(gone)), mode="overwrite")
                self._text_indexed.discard(table.name)
                self._ensure_fts(table)
                removed[TABLE_FOR_TIER[tier]] = len(matching)
        return removed, contents

    def delete(self, namespace: str, ids: Iterable[str], tiers: Iterable[Tier] = TIERS) -> int:
        """Delete rows by id in one namespace; returns how many were removed."""
        ids = list(ids)
        if not ids:
            return 0
        namespace = validate_namespace(namespace)
        clause = f.where(f.eq("namespace", namespace), f.in_("id", ids))
        return sum(self._delete_where(clause, tiers, ids_of=(namespace, ids)).values())

    def delete_namespace(self, namespace: str) -> int:
        """Delete every memory of ``namespace`` in every tier; returns how many rows."""
        return sum(self._delete_where(f.eq("namespace", validate_namespace(namespace))).values())

    def forget(
        self, namespace: str, record_id: str, *, on_erase: Callable[[list[str]], object] | None = None
    ) -> ForgetReport:
        """Remove a memory from every table: the record, every version of its fact,
        verbatim copies of its text, and the transcript rows (``context``, ``episode``)
        holding a message it came from; then drop old table versions so it is gone from disk.

        Args:
            namespace: whose memory.
            record_id: the memory to forget.
            on_erase: called with the removed texts and fact values (longest first), e.g. to
                redact copies kept elsewhere (traces); they appear in no report.

        Raises:
            NotFoundError: no such record in ``namespace``.
        """
        namespace = validate_namespace(namespace)
        record = self.get(namespace, record_id)
        same = [f.eq("id", record_id), f.eq("text", record.text)]
        if record.key:
            same.append(f.eq("key", record.key))
        sources = {s for r in self.records(namespace, extra=f.any_of(*same)) for s in r.source_ids}
        same.append(f.where(f.in_("kind", TRANSCRIPT_KINDS), f.has_any("source_ids", sorted(sources))))
        clause = f.where(f.eq("namespace", namespace), f.any_of(*same))
        removed, contents = self._erase(namespace, clause)
        self.compact(keep_versions_for=timedelta(0))
        if on_erase is not None:
            on_erase(sorted(contents, key=len, reverse=True))
        return ForgetReport(
            namespace=namespace,
            record_id=record_id,
            key=record.key,
            rows=sum(removed.values()),
            tables=removed,
            versions_cleaned=True,
        )

    def expire(self, now: datetime | None = None) -> int:
        """Delete short-tier rows whose TTL has passed; returns how many."""
        return sum(self._delete_where(f.compare("expires_at", "<=", as_utc(now)), ("short",)).values())
