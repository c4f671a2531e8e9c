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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import lancedb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from lancedb.index import FTS
from lancedb.query import MatchQuery
from pydantic import BaseModel

from . import filters as f
from .concurrency import CommitLock, retry_read
from .embeddings import BaseEmbedder
from .errors import EmbedderMismatchError, InvalidInputError, NotFoundError
from .maintenance import IndexPolicy
from .quota import NamespaceQuota, Usage, measure
from .reads import BatchReader
from .records import (
    DEFAULT_MAX_FUTURE_SKEW,
    DEFAULT_MAX_TEXT_BYTES,
    TIERS,
    Fact,
    MemoryRecord,
    Tier,
    as_utc,
    not_future,
    validate_namespace,
    validate_text,
)
from .schema import EMBEDDER_METADATA_KEY, TABLE_FOR_TIER, from_row, table_schema, to_row
from .versions import LIGHT_COLUMNS, newest_ids

log = logging.getLogger(__name__)

TRANSCRIPT_KINDS: tuple[str, ...] = ("context", "episode")
"""Rows that copy what was said (session working memory, consolidated episodes): forgetting a
memory also removes those holding one of its source messages."""
READ_COLUMNS: list[str] = [name for name in table_schema(1, "").names if name != "vector"]
"""What reads fetch: every column but the vector (2 KiB a row that no reader needs)."""


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


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: the record and its raw score from one search method."""

    record: MemoryRecord
    score: float
    """Cosine similarity for vector search, BM25 for full-text search."""


class TierStore:
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
        self._reads = BatchReader(self.uri, read_consistency_interval=timedelta(0))
        self._lock = CommitLock(self.uri)

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
            table.create_index("text", config=FTS(base_tokenizer="icu"), replace=True)
        self._text_indexed.add(table.name)

    def ensure_text_index(self, tier: Tier) -> None:
        """Create the full-text index of ``tier``'s table if it has none.

        Taken under the commit lock, as on the write path: two concurrent
        creations of one index make LanceDB fail one of them.
        """
        with self._lock():
            self._ensure_fts(self.table(tier))

    # -- writes ---------------------------------------------------------------------------

    def validate(self, record: MemoryRecord) -> MemoryRecord:
        """Check a record's text, namespace and times against this store's limits."""
        validate_namespace(record.namespace)
        if record.tier not in TIERS:
            raise InvalidInputError(f"unknown tier {record.tier!r:.40}; use one of {list(TIERS)}")
        validate_text(record.text, max_bytes=self.max_text_bytes)
        not_future(record.created_at, what="created_at", max_skew=self.max_future_skew)
        if record.fact is not None:
            not_future(record.fact.observed_at, what="fact observed_at", max_skew=self.max_future_skew)
        return record

    def _check_quota(self, records: Sequence[MemoryRecord]) -> None:
        """Raise :class:`QuotaExceededError` if ``records`` would take a namespace past its cap."""
        if not self.quota.enabled:
            return
        adding: dict[str, Usage] = {}
        for r in records:
            adding[r.namespace] = adding.get(r.namespace, Usage()) + Usage(
                rows=1, text_bytes=len(r.text.encode("utf-8"))
            )
        for namespace, new in adding.items():
            current = measure((self.table(t) for t in TIERS), f.eq("namespace", namespace))
            self.quota.check(namespace, current, new)

    def write(self, records: Sequence[MemoryRecord], vectors: np.ndarray | None = None) -> list[str]:
        """Store records (all validated first; one commit per table).

        Args:
            records: what to store; each goes to its tier's table.
            vectors: precomputed embeddings, one row per record; computed if omitted.

        Returns:
            The ids written, in order.

        Raises:
            InvalidInputError: a record is invalid; nothing is written.
            QuotaExceededError: a namespace would pass its cap; nothing is written.
        """
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
        by_table: dict[Tier, list[dict]] = {}
        for record, vector in zip(records, vectors, strict=True):
            by_table.setdefault(record.tier, []).append(to_row(record, vector))
        with self._lock():
            self._check_quota(records)
            for tier, rows in by_table.items():
                table = self.table(tier)
                table.add(rows)
                self._ensure_fts(table)
        return [r.id for r in records]

    def update_confirmations(self, namespace: str, record_id: str, tier: Tier, count: int) -> None:
        """Set how many times a fact was stated (used by promotion)."""
        clause = f.where(f.eq("namespace", validate_namespace(namespace)), f.eq("id", record_id))
        with self._lock():
            self.table(tier).update(where=clause, values={"confirmations": count})

    def _delete_where(self, clause: str, tiers: Iterable[Tier] = TIERS) -> dict[str, int]:
        """Delete rows matching ``clause``; rows removed per table (tables with none omitted)."""
        removed: dict[str, int] = {}
        with self._lock():
            for tier in tiers:
                table = self.table(tier)
                count = table.count_rows(clause)
                if count:
                    table.delete(clause)
                    removed[TABLE_FOR_TIER[tier]] = count
        return removed

    def _erase(self, clause: str) -> tuple[dict[str, int], set[str]]:
        """Delete the rows matching ``clause`` so that no data file keeps their bytes.

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
                found = retry_read(table.search().where(clause).select(["id", "text", "value"]).to_arrow)
                matching = found.column("id")
                if not len(matching):
                    continue
                contents.update(v for name in ("text", "value") for v in found.column(name).to_pylist() if v)
                rows = retry_read(table.to_arrow)
                table.add(rows.filter(pc.invert(pc.is_in(rows.column("id"), matching))), mode="overwrite")
                self._text_indexed.discard(table.name)
                self._ensure_fts(table)
                removed[TABLE_FOR_TIER[tier]] = len(matching)
        return removed, contents

    def delete(self, namespace: str, ids: Iterable[str], tiers: Iterable[Tier] = TIERS) -> int:
        """Delete rows by id in one namespace; returns how many were removed."""
        ids = list(ids)
        if not ids:
            return 0
        clause = f.where(f.eq("namespace", validate_namespace(namespace)), f.in_("id", ids))
        return sum(self._delete_where(clause, tiers).values())

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
        record = self.get(namespace, record_id)
        same = [f.eq("id", record_id), f.eq("text", record.text)]
        if record.key:
            same.append(f.eq("key", record.key))
        sources = {s for r in self.records(namespace, extra=f.any_of(*same)) for s in r.source_ids}
        same.append(f.where(f.in_("kind", TRANSCRIPT_KINDS), f.has_any("source_ids", sorted(sources))))
        clause = f.where(f.eq("namespace", namespace), f.any_of(*same))
        removed, contents = self._erase(clause)
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

    # -- reads ----------------------------------------------------------------------------

    def _gather(self, tiers: Iterable[Tier], build: Callable[[Any], Any]) -> list[pa.Table]:
        """``build(table)`` for each tier's table, all run in one round trip (see :mod:`.reads`)."""
        return self._reads.gather([(self.table(tier).name, build) for tier in tiers])

    def _has_text_index(self, tier: Tier) -> bool:
        """Whether ``tier``'s table has its full-text index (remembered once it has: it stays)."""
        name = TABLE_FOR_TIER[tier]
        if name not in self._text_indexed and any(i.index_type == "FTS" for i in self.table(tier).list_indices()):
            self._text_indexed.add(name)
        return name in self._text_indexed

    def _scope(self, namespace: str, now: datetime | None, extra: str | None = None) -> str:
        clauses = [f.eq("namespace", validate_namespace(namespace)), extra]
        if now is not None:
            moment = as_utc(now)
            clauses.append(f.compare("created_at", "<=", moment))
            clauses.append(f.any_of(f.is_null("expires_at"), f.compare("expires_at", ">", moment)))
        return f.where(*clauses)

    def vector_search(
        self,
        namespace: str,
        vector: np.ndarray,
        *,
        tiers: Iterable[Tier] = TIERS,
        k: int = 20,
        now: datetime | None = None,
        extra: str | None = None,
        exact: bool = False,
    ) -> list[Hit]:
        """Nearest records by cosine similarity in ``namespace``, per tier, best first.

        ``exact=True`` scans every row instead of using a vector index (slow on
        large tables; measures the index's recall).
        """
        dense, _ = self.hybrid_search(namespace, vector, "", tiers=tiers, k=k, now=now, extra=extra, exact=exact)
        return dense

    def text_search(
        self,
        namespace: str,
        text: str,
        *,
        tiers: Iterable[Tier] = TIERS,
        k: int = 20,
        now: datetime | None = None,
        extra: str | None = None,
    ) -> list[Hit]:
        """Full-text (BM25, ICU tokenizer: Chinese and English) matches, best first."""
        _, sparse = self.hybrid_search(namespace, None, text, tiers=tiers, k=k, now=now, extra=extra)
        return sparse

    def hybrid_search(
        self,
        namespace: str,
        vector: np.ndarray | None,
        text: str,
        *,
        tiers: Iterable[Tier] = TIERS,
        k: int = 20,
        now: datetime | None = None,
        extra: str | None = None,
        exact: bool = False,
    ) -> tuple[list[Hit], list[Hit]]:
        """:meth:`vector_search` and :meth:`text_search` together, every table's queries in
        one round trip: ``(vector hits, text hits)``, each best first. ``vector=None`` or
        a blank ``text`` skips that search."""
        scope = self._scope(namespace, now, extra)
        tiers = list(tiers)
        dense_tiers = tiers if vector is not None else []
        sparse_tiers = [tier for tier in tiers if text.strip() and self._has_text_index(tier)]
        plan = [(self.table(tier).name, self._vector_query(vector, scope, k, exact)) for tier in dense_tiers]
        plan += [(self.table(tier).name, self._text_query(text, scope, k)) for tier in sparse_tiers]
        results = self._reads.gather(plan)
        dense = [
            Hit(from_row(r), 1.0 - float(r["_distance"])) for t in results[: len(dense_tiers)] for r in t.to_pylist()
        ]
        sparse = [Hit(from_row(r), float(r["_score"])) for t in results[len(dense_tiers) :] for r in t.to_pylist()]
        return sorted(dense, key=lambda h: -h.score), sorted(sparse, key=lambda h: -h.score)

    def _vector_query(self, vector: Any, scope: str, k: int, exact: bool) -> Callable[[Any], Any]:
        policy = self.index_policy

        def build(table: Any) -> Any:
            query = table.vector_search(np.asarray(vector, dtype=np.float32)).distance_type("cosine")
            if exact:
                query = query.bypass_vector_index()
            else:
                # HNSW needs at least as many candidates as rows it re-ranks
                query = query.ef(max(policy.ef, k * (policy.refine_factor or 1))).nprobes(policy.nprobes)
                if policy.refine_factor:
                    query = query.refine_factor(policy.refine_factor)
            return query.where(scope).select([*READ_COLUMNS, "_distance"]).limit(k)

        return build

    @staticmethod
    def _text_query(text: str, scope: str, k: int) -> Callable[[Any], Any]:
        # A match query, not a query string: quotes, AND/OR and ':' in a user's words are literal.
        return lambda table: (
            table.query()
            .nearest_to_text(MatchQuery(text, "text"))
            .where(scope)
            .select([*READ_COLUMNS, "_score"])
            .limit(k)
        )

    def records(
        self,
        namespace: str,
        *,
        tiers: Iterable[Tier] = TIERS,
        now: datetime | None = None,
        extra: str | None = None,
        limit: int | None = None,
    ) -> list[MemoryRecord]:
        """Records of a namespace (newest first), optionally filtered."""
        scope = self._scope(namespace, now, extra)

        def build(table: Any) -> Any:
            query = table.query().where(scope).select(READ_COLUMNS)
            return query.limit(limit) if limit else query

        out = [from_row(r) for rows in self._gather(tiers, build) for r in rows.to_pylist()]
        out.sort(key=lambda r: r.created_at, reverse=True)
        return out[:limit] if limit else out

    def get(self, namespace: str, record_id: str) -> MemoryRecord:
        """One record by id in ``namespace``.

        Raises:
            NotFoundError: no record with that id in that namespace.
        """
        for tier in TIERS:  # ids are unique: stop at the first table that has it
            found = self.records(namespace, tiers=(tier,), extra=f.eq("id", record_id), limit=1)
            if found:
                return found[0]
        raise NotFoundError(f"no memory with id {record_id!r} in namespace {namespace!r}")

    def latest_facts(
        self, namespace: str, keys: Iterable[str], *, now: datetime | None = None, versions: int | None = None
    ) -> dict[str, list[MemoryRecord]]:
        """For each fact key, its versions in mid and long tiers, newest first: all of
        them, or the newest ``versions`` (picked from a few columns, so a fact with
        thousands of versions costs a scan of those columns, not thousands of records)."""
        keys = sorted(set(keys))
        if not keys:
            return {}
        tiers: tuple[Tier, ...] = ("mid", "long")
        if versions is None:
            found = self.records(namespace, tiers=tiers, now=now, extra=f.in_("key", keys))
        else:
            scope = self._scope(namespace, now, f.in_("key", keys))
            light = self._gather(tiers, lambda table: table.query().where(scope).select(LIGHT_COLUMNS))
            ids = newest_ids(pa.concat_tables(light), max(versions, 1))
            wanted = set(ids)
            holding = [
                tier for tier, rows in zip(tiers, light, strict=True) if wanted & set(rows.column("id").to_pylist())
            ]
            found = self.records(namespace, tiers=holding, extra=f.in_("id", ids))
        history_of: dict[str, list[MemoryRecord]] = {}
        for record in found:
            history_of.setdefault(record.key, []).append(record)
        for history in history_of.values():
            history.sort(key=lambda r: (r.fact.observed_at if r.fact else r.created_at, r.created_at), reverse=True)
        return history_of

    def ledger_facts(self, namespace: str) -> list[Fact]:
        """The current long-term facts of a namespace (newest version per key).

        The ledger is the source of truth the parametric tier trains on.
        """
        newest: dict[str, Fact] = {}
        for record in self.records(namespace, tiers=("long",)):
            if record.fact is None:
                continue
            known = newest.get(record.key)
            if known is None or record.fact.observed_at > known.observed_at:
                newest[record.key] = record.fact
        return sorted(newest.values(), key=lambda fact: fact.observed_at)

    def count(self, namespace: str | None = None, tiers: Iterable[Tier] = TIERS) -> int:
        """Rows in ``tiers`` (of one namespace, or of all)."""
        clause = f.eq("namespace", validate_namespace(namespace)) if namespace is not None else None
        return sum(retry_read(lambda t=t: self.table(t).count_rows(clause)) for t in tiers)

    def namespaces(self) -> list[str]:
        """Every namespace with at least one stored row."""
        seen: set[str] = set()
        for tier in TIERS:
            column = retry_read(lambda tier=tier: self.table(tier).to_arrow().column("namespace"))
            seen.update(column.to_pylist())
        return sorted(seen)

    # -- maintenance ----------------------------------------------------------------------

    def expire(self, now: datetime | None = None) -> int:
        """Delete short-tier rows whose TTL has passed; returns how many."""
        return sum(self._delete_where(f.compare("expires_at", "<=", as_utc(now)), ("short",)).values())

    def compact(self, *, keep_versions_for: timedelta = timedelta(hours=1)) -> None:
        """Compact files, index new rows and drop table versions older than the window.

        ``keep_versions_for=timedelta(0)`` removes every old version, so deleted rows
        are gone from disk too (used by ``forget``).
        """
        with self._lock():
            for tier in TIERS:
                self.table(tier).optimize(cleanup_older_than=keep_versions_for)
