"""LanceDBStore: a LangGraph ``BaseStore`` on tiermem's LanceDB database.

Any LangGraph app (or LangMem's tools) can keep long-term memory here, next
to tiermem's own tiers, and semantic search, filters, TTL and pagination work
as in LangGraph's reference stores (proven by running their test suites, see
``tests/peer/``). Differences, all on purpose, are listed in ``docs/STORE.md``.

Example:
    >>> store = LanceDBStore("./.tiermem", index={"dims": 512, "embed": get_embedder("use")})
    >>> store.put(("alice", "prefs"), "diet", {"text": "vegetarian since 2020"})
    >>> store.search(("alice",), query="what does she eat?")[0].key
    'diet'
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import lancedb
import numpy as np
from lancedb.index import FTS
from langchain_core.embeddings import Embeddings
from langgraph.store.base import (
    NOT_PROVIDED,
    BaseStore,
    GetOp,
    IndexConfig,
    ListNamespacesOp,
    NotProvided,
    Op,
    Result,
    SearchItem,
    SearchOp,
    TTLConfig,
)

from . import filters as f
from .concurrency import CommitLock
from .errors import ConfigError, InvalidInputError
from .lg_store_filters import namespace_scope
from .lg_store_plan import Plan, embed_signature, make_plan, parse_index, validate_key
from .lg_store_search import alive, fetch, list_namespaces, listing, ranked_search
from .lg_store_tables import Tables, item_id
from .lg_store_tiers import TierView
from .lg_store_ttl import TTLSweeper
from .lg_store_writes import delete_rows, refresh_ttl, write
from .records import DEFAULT_MAX_TEXT_BYTES
from .store import TierStore
from .text_index import TOKENIZER, tokenizes_as_configured

log = logging.getLogger(__name__)

SearchMode = Literal["vector", "hybrid"]


STORE_LOCK_FILE = ".tiermem-store.lock"
"""The lock file of a local store's writers (apart from the tier store's commit lock)."""


class LanceDBStore(BaseStore):
    """LangGraph ``BaseStore`` on LanceDB: by path (``./.tiermem``) or URI (``s3://...``).

    Args:
        uri: A directory, an object-store URI, or an open LanceDB connection.
        index: LangGraph ``IndexConfig``: ``dims``, ``embed`` (LangChain
            ``Embeddings``, a function of ``list[str]``, a provider string, or
            ``"tiermem:use"`` / ``"tiermem:minilm"``) and ``fields`` (or
            SqliteStore's ``text_fields``; default ``["$"]``, the whole value).
        ttl: LangGraph ``TTLConfig``: ``default_ttl`` and ``sweep_interval_minutes``
            in minutes. Reads refresh an item's TTL only when ``refresh_on_read``
            is set to ``True`` here and the read asks for it (as SqliteStore and
            PostgresStore do).
        table: Prefix of the two tables (``{table}_items``, ``{table}_vectors``).
        search_mode: ``"vector"`` (scores are cosine similarities) or
            ``"hybrid"`` (vector + full text fused by reciprocal rank; scores
            are RRF relevance).
        compact_every: Commits between compactions (0 never compacts).
        keep_versions_for: Table versions younger than this survive compaction.
        storage_options: Passed to ``lancedb.connect`` (object-store credentials).
        tiers: tiermem's tier store, shown read-only under ``("tiermem", user, tier)``
            (see :mod:`tiermem.memory.lg_store_tiers`).
        max_text_bytes: The longest text to embed (each indexed field, each query), in
            UTF-8 bytes; the tier store's limit by default.
    """

    supports_ttl = True

    def __init__(
        self,
        uri: str | Path | lancedb.DBConnection,
        *,
        index: IndexConfig | None = None,
        ttl: TTLConfig | None = None,
        table: str = "langgraph_store",
        search_mode: SearchMode = "vector",
        compact_every: int = 256,
        keep_versions_for: timedelta = timedelta(hours=1),
        storage_options: dict[str, str] | None = None,
        tiers: TierStore | None = None,
        max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES,
    ) -> None:
        if search_mode not in ("vector", "hybrid"):
            raise ConfigError(f"search_mode must be 'vector' or 'hybrid', got {search_mode!r}")
        local = str(uri) if isinstance(uri, str | Path) and "://" not in str(uri) else None
        if isinstance(uri, str | Path):
            uri = lancedb.connect(str(uri), read_consistency_interval=timedelta(0), storage_options=storage_options)
        self.db = uri
        self.index_config = dict(index) if index else None
        self.embeddings: Embeddings | None = None
        self._fields: list[str] = []
        dims = None
        if index:
            dims, self.embeddings, self._fields = parse_index(index)
        self.ttl_config = ttl
        self.search_mode: SearchMode = search_mode
        self.max_text_bytes = max_text_bytes
        signature = embed_signature(index.get("embed")) if index else None
        self.tables = Tables(uri, table, dims, compact_every, keep_versions_for, embed=signature)
        # one writer at a time across processes too: a put reads which items exist, then writes
        self._write_lock = CommitLock(local or "memory://", name=STORE_LOCK_FILE)
        self._sweeper: TTLSweeper | None = None
        self.tier_view = TierView(tiers) if tiers is not None else None
        if search_mode == "hybrid" and self.tables.vectors is not None:
            self._ensure_fts()

    # -- lifecycle --------------------------------------------------------------

    @classmethod
    @contextlib.contextmanager
    def from_conn_string(cls, uri: str | Path, **kwargs: Any) -> Iterator[LanceDBStore]:
        """Open a store for the duration of a ``with`` block (stops its sweeper on exit)."""
        store = cls(uri, **kwargs)
        try:
            yield store
        finally:
            store.close()

    def setup(self) -> None:
        """Compact the tables and build their ``id`` index now (tables are created on open)."""
        self.tables.maintain()

    def close(self) -> None:
        """Stop the TTL sweeper if it runs."""
        self.stop_ttl_sweeper()

    # -- BaseStore ------------------------------------------------------------

    def put(
        self,
        namespace: tuple[str, ...],
        key: str,
        value: Mapping[str, Any],
        index: Literal[False] | list[str] | None = None,
        *,
        ttl: float | None | NotProvided = NOT_PROVIDED,
    ) -> None:
        """``BaseStore.put``, refusing a key that is not a string (LangGraph's would store ``5`` as ``"5"``).

        Raises:
            InvalidInputError: ``key`` is not a string; the other errors of :meth:`batch`.
        """
        super().put(namespace, validate_key(key), value, index, ttl=ttl)

    async def aput(
        self,
        namespace: tuple[str, ...],
        key: str,
        value: Mapping[str, Any],
        index: Literal[False] | list[str] | None = None,
        *,
        ttl: float | None | NotProvided = NOT_PROVIDED,
    ) -> None:
        """Like :meth:`put`, through :meth:`abatch`."""
        await super().aput(namespace, validate_key(key), value, index, ttl=ttl)

    def batch(self, ops: Iterable[Op]) -> list[Result]:
        """Run ``ops`` in order; writes of the batch are visible to its reads.

        Raises:
            InvalidNamespaceError: an op's namespace is invalid (nothing is written).
            ValueError: an unsafe filter key, unknown operator or non-JSON value
                (nothing is written).
        """
        plan = self._plan(ops)
        vectors, queries = [], {}
        if self.embeddings is not None:
            vectors = self.embeddings.embed_documents(plan.documents) if plan.documents else []
            queries = {q: self.embeddings.embed_query(q) for q in plan.queries}
        return self._execute(plan, vectors, queries)

    async def abatch(self, ops: Iterable[Op]) -> list[Result]:
        """Like :meth:`batch`; embeds with the async API and runs LanceDB in a worker thread."""
        plan = self._plan(ops)
        vectors, queries = [], {}
        if self.embeddings is not None:
            if plan.documents:
                vectors = await self.embeddings.aembed_documents(plan.documents)
            embedded = await asyncio.gather(*map(self.embeddings.aembed_query, plan.queries))
            queries = dict(zip(plan.queries, embedded, strict=True))
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, self._execute, plan, vectors, queries)

    # -- TTL ------------------------------------------------------------------

    def sweep_ttl(self) -> int:
        """Delete every expired item now; returns how many were deleted."""
        with self._write_lock():
            expired = self.tables.expired_ids(f.compare("expires_at", "<=", _now()))
            if expired:
                delete_rows(self.tables, expired)
        return len(expired)

    def start_ttl_sweeper(self, sweep_interval_minutes: float | None = None) -> concurrent.futures.Future[None]:
        """Sweep expired items on a daemon thread; returns a future that resolves on stop.

        Raises:
            ValueError: no interval given here or in ``TTLConfig['sweep_interval_minutes']``.
        """
        interval = sweep_interval_minutes or (self.ttl_config or {}).get("sweep_interval_minutes")
        if not interval:
            raise ValueError(
                "no sweep interval: pass sweep_interval_minutes or set TTLConfig['sweep_interval_minutes']"
            )
        if self._sweeper is None or not self._sweeper.running:
            self._sweeper = TTLSweeper(self.sweep_ttl, interval)
        return self._sweeper.start()

    def stop_ttl_sweeper(self, timeout: float | None = None) -> bool:
        """Stop the sweeper thread; ``True`` once it has stopped (or never ran)."""
        return self._sweeper.stop(timeout) if self._sweeper else True

    # -- execution (I/O) -------------------------------------------------------

    def _plan(self, ops: Iterable[Op]) -> Plan:
        plan = make_plan(ops, self.embeddings, self._fields, self.max_text_bytes)
        if self.tier_view is not None:
            for put in plan.puts.values():
                if self.tier_view.owns(put.namespace):
                    self.tier_view.refuse_write(put.namespace)
        return plan

    def _execute(self, plan: Plan, vectors: list[list[float]], queries: Mapping[str, list[float]]) -> list[Result]:
        _finite_queries(queries)
        now = _now()
        if plan.puts:
            with self._write_lock():
                write(self.tables, plan.puts, vectors, now)
        results: list[Result] = [None] * len(plan.ops)
        ttl: dict[str, float] = {}
        refresh: set[str] = set()
        view = self.tier_view
        gets = {
            i: item_id(op.namespace, op.key)
            for i, op in enumerate(plan.ops)
            if isinstance(op, GetOp) and not (view and view.owns(op.namespace))
        }
        found = fetch(self.tables, set(gets.values()), live_at=now, ttl_out=ttl) if gets else {}
        for i, op in enumerate(plan.ops):
            if isinstance(op, GetOp) and i not in gets:
                results[i] = view.get(op.namespace, op.key, now)  # type: ignore[union-attr]
            elif isinstance(op, GetOp):
                results[i] = found.get(gets[i])
                if op.refresh_ttl and results[i] is not None:
                    refresh.add(gets[i])
            elif isinstance(op, SearchOp):
                hits = self._search(op, plan.filters[i], queries.get(op.query or ""), now, ttl)
                results[i] = hits
                if op.refresh_ttl:
                    refresh.update(item_id(h.namespace, h.key) for h in hits)
            elif isinstance(op, ListNamespacesOp):
                extra = view.namespaces() if view else []
                results[i] = list_namespaces(self.tables, op, now, extra)
        expiring = {i: ttl[i] for i in refresh if i in ttl}
        if expiring and (self.ttl_config or {}).get("refresh_on_read", False):
            with self._write_lock():
                refresh_ttl(self.tables, expiring, now)
        return results

    def _search(
        self, op: SearchOp, filter: str, vector: list[float] | None, now: datetime, ttl: dict
    ) -> list[SearchItem]:
        if self.tier_view and self.tier_view.owns(op.namespace_prefix):
            return self.tier_view.search(op, now)
        scope = f.where(namespace_scope(op.namespace_prefix), filter, alive(now))
        if vector is None:
            return listing(self.tables, scope, op.offset, op.limit, ttl_out=ttl)
        text = op.query if self.search_mode == "hybrid" else None
        return ranked_search(
            self.tables,
            op.namespace_prefix,
            scope,
            vector,
            op.offset,
            op.limit,
            text=text,
            ttl_out=ttl,
        )

    def _ensure_fts(self) -> None:
        """The full-text index, built anew where it has other tokenizer settings (an older tiermem's)."""
        vectors = self.tables.vectors
        if vectors is None:
            return
        text_indexes = [i for i in vectors.list_indices() if i.index_type == "FTS"]
        if not text_indexes or not all(tokenizes_as_configured(i.index_details) for i in text_indexes):
            vectors.create_index("text", config=FTS(**TOKENIZER), replace=True)


def _finite_queries(queries: Mapping[str, list[float]]) -> None:
    """Refuse a query embedding with NaN or infinite values (it ranks nothing), before any write.

    Raises:
        InvalidInputError: one has.
    """
    for query, vector in queries.items():
        if not np.isfinite(np.asarray(vector, dtype=np.float64)).all():
            raise InvalidInputError(
                f"the embedding of search query {query!r:.40} holds NaN or infinite values; check the embedder"
            )


def _now() -> datetime:
    return datetime.now(UTC)
