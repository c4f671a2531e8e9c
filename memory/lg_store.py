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
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import lancedb
import numpy as np
import pyarrow as pa
from lancedb.index import FTS
from langchain_core.embeddings import Embeddings
from langgraph.store.base import (
    BaseStore,
    GetOp,
    IndexConfig,
    InvalidNamespaceError,
    ListNamespacesOp,
    Op,
    PutOp,
    Result,
    SearchItem,
    SearchOp,
    TTLConfig,
    validate_op_namespace,
)
from langgraph.store.base.embed import ensure_embeddings, get_text_at_path

from . import filters as f
from .errors import ConfigError
from .lg_store_filters import compile_filter, namespace_scope
from .lg_store_search import alive, fetch, list_namespaces, listing, ranked_search
from .lg_store_tables import ITEMS_SCHEMA, Tables, encode_value, item_id, vectors_schema
from .lg_store_ttl import TTLSweeper

log = logging.getLogger(__name__)

SearchMode = Literal["vector", "hybrid"]


@dataclass(slots=True)
class _Put:
    namespace: tuple[str, ...]
    key: str
    value: str | None
    """Exact JSON text, or ``None`` to delete."""
    doc: str = ""
    ttl: float | None = None
    texts: list[tuple[str, str]] = field(default_factory=list)
    """``(field path, text)`` pairs to embed."""


@dataclass(slots=True)
class _Plan:
    """A validated batch: nothing in it can fail for bad input once writing starts."""

    ops: list[Op]
    puts: dict[str, _Put]
    filters: dict[int, str]
    queries: list[str]


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
    ) -> None:
        if search_mode not in ("vector", "hybrid"):
            raise ConfigError(f"search_mode must be 'vector' or 'hybrid', got {search_mode!r}")
        if isinstance(uri, str | Path):
            uri = lancedb.connect(
                str(uri), read_consistency_interval=timedelta(0), storage_options=storage_options
            )
        self.db = uri
        self.index_config = dict(index) if index else None
        self.embeddings: Embeddings | None = None
        self._fields: list[str] = []
        dims = None
        if index:
            dims, self.embeddings, self._fields = _parse_index(index)
        self.ttl_config = ttl
        self.search_mode: SearchMode = search_mode
        self.tables = Tables(uri, table, dims, compact_every, keep_versions_for)
        self._write_lock = threading.Lock()
        self._sweeper: TTLSweeper | None = None
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
        """Create missing tables and indexes (also done on open; kept for API parity)."""
        self.tables.maintain()

    def close(self) -> None:
        """Stop the TTL sweeper if it runs."""
        self.stop_ttl_sweeper()

    # -- BaseStore ------------------------------------------------------------

    def batch(self, ops: Iterable[Op]) -> list[Result]:
        """Run ``ops`` in order; writes of the batch are visible to its reads.

        Raises:
            InvalidNamespaceError: an op's namespace is invalid (nothing is written).
            ValueError: an unsafe filter key, unknown operator or non-JSON value
                (nothing is written).
        """
        plan = self._plan(ops)
        documents = [text for put in plan.puts.values() for _, text in put.texts]
        vectors = self.embeddings.embed_documents(documents) if documents else []
        queries = {q: self.embeddings.embed_query(q) for q in plan.queries} if plan.queries else {}
        return self._execute(plan, vectors, queries)

    async def abatch(self, ops: Iterable[Op]) -> list[Result]:
        """Like :meth:`batch`; embeds with the async API and runs LanceDB in a worker thread."""
        plan = self._plan(ops)
        documents = [text for put in plan.puts.values() for _, text in put.texts]
        vectors = await self.embeddings.aembed_documents(documents) if documents else []
        embedded = await asyncio.gather(*(self.embeddings.aembed_query(q) for q in plan.queries))
        queries = dict(zip(plan.queries, embedded, strict=True))
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, self._execute, plan, vectors, queries)

    # -- TTL ------------------------------------------------------------------

    def sweep_ttl(self) -> int:
        """Delete every expired item now; returns how many were deleted."""
        with self._write_lock:
            expired = self.tables.expired_ids(f.compare("expires_at", "<=", _now()))
            if expired:
                self._delete_rows(expired)
                self.tables.committed(2)
        return len(expired)

    def start_ttl_sweeper(
        self, sweep_interval_minutes: float | None = None
    ) -> concurrent.futures.Future[None]:
        """Sweep expired items on a daemon thread; returns a future that resolves on stop.

        Raises:
            ValueError: no interval given here or in ``TTLConfig['sweep_interval_minutes']``.
        """
        interval = sweep_interval_minutes or (self.ttl_config or {}).get("sweep_interval_minutes")
        if not interval:
            raise ValueError(
                "no sweep interval: pass sweep_interval_minutes or set "
                "TTLConfig['sweep_interval_minutes']"
            )
        if self._sweeper is None or not self._sweeper.running:
            self._sweeper = TTLSweeper(self.sweep_ttl, interval)
        return self._sweeper.start()

    def stop_ttl_sweeper(self, timeout: float | None = None) -> bool:
        """Stop the sweeper thread; ``True`` once it has stopped (or never ran)."""
        return self._sweeper.stop(timeout) if self._sweeper else True

    # -- planning (pure, before any I/O) ---------------------------------------

    def _plan(self, ops: Iterable[Op]) -> _Plan:
        plan = _Plan(list(ops), {}, {}, [])
        for op in plan.ops:
            validate_op_namespace(op)
            if isinstance(op, PutOp) and not op.namespace:
                raise InvalidNamespaceError("Namespace cannot be empty.")
        for i, op in enumerate(plan.ops):
            if isinstance(op, PutOp):
                plan.puts[item_id(op.namespace, _key(op.key))] = self._prepare_put(op)
            elif isinstance(op, SearchOp):
                plan.filters[i] = compile_filter(op.filter)
                if op.query and self.embeddings and op.query not in plan.queries:
                    plan.queries.append(op.query)
            elif isinstance(op, GetOp):
                _key(op.key)
            elif not isinstance(op, ListNamespacesOp):
                raise ValueError(f"unknown store operation {type(op).__name__}: {op!r:.80}")
        return plan

    def _prepare_put(self, op: PutOp) -> _Put:
        if op.value is None:
            return _Put(op.namespace, op.key, None)
        value, doc = encode_value(op.namespace, op.key, op.value)
        put = _Put(op.namespace, op.key, value, doc, op.ttl)
        if self.embeddings is not None and op.index is not False:
            for path in self._fields if op.index is None else op.index:
                texts = get_text_at_path(op.value, path)
                named = [(path, texts[0])] if len(texts) == 1 else [
                    (f"{path}.{i}", text) for i, text in enumerate(texts)
                ]
                put.texts.extend(named)
        return put

    # -- execution (I/O) -------------------------------------------------------

    def _execute(
        self, plan: _Plan, vectors: list[list[float]], queries: Mapping[str, list[float]]
    ) -> list[Result]:
        now = _now()
        if plan.puts:
            with self._write_lock:
                self._write(plan.puts, vectors, now)
        results: list[Result] = [None] * len(plan.ops)
        ttl: dict[str, float] = {}
        refresh: set[str] = set()
        gets = {
            i: item_id(op.namespace, op.key)
            for i, op in enumerate(plan.ops)
            if isinstance(op, GetOp)
        }
        found = fetch(self.tables, set(gets.values()), alive(now), ttl_out=ttl) if gets else {}
        for i, op in enumerate(plan.ops):
            if isinstance(op, GetOp):
                results[i] = found.get(gets[i])
                if op.refresh_ttl and results[i] is not None:
                    refresh.add(gets[i])
            elif isinstance(op, SearchOp):
                hits = self._search(op, plan.filters[i], queries.get(op.query or ""), now, ttl)
                results[i] = hits
                if op.refresh_ttl:
                    refresh.update(item_id(h.namespace, h.key) for h in hits)
            elif isinstance(op, ListNamespacesOp):
                results[i] = list_namespaces(self.tables, op, now)
        if (self.ttl_config or {}).get("refresh_on_read", False):
            self._refresh_ttl({i: ttl[i] for i in refresh if i in ttl}, now)
        return results

    def _search(
        self, op: SearchOp, filter: str, vector: list[float] | None, now: datetime, ttl: dict
    ) -> list[SearchItem]:
        scope = f.where(namespace_scope(op.namespace_prefix), filter, alive(now))
        if vector is None:
            return listing(self.tables, scope, op.offset, op.limit, ttl_out=ttl)
        text = op.query if self.search_mode == "hybrid" else None
        return ranked_search(
            self.tables, op.namespace_prefix, scope, vector, op.offset, op.limit,
            text=text, ttl_out=ttl,
        )

    def _write(self, puts: dict[str, _Put], vectors: list[list[float]], now: datetime) -> None:
        ids = list(puts)
        old = self.tables.items.search().where(f.in_("id", ids))
        old = old.select(["id", "created_at", "expires_at"]).to_arrow().to_pylist()
        existing = {row["id"] for row in old}
        created = {
            row["id"]: row["created_at"]
            for row in old
            if row["expires_at"] is None or row["expires_at"] > now
        }
        commits = 0
        if deleted := [i for i in ids if puts[i].value is None and i in existing]:
            self.tables.items.delete(f.in_("id", deleted))
            commits += 1
        vector_rows = self._vector_rows(puts, vectors)
        counts: dict[str, int] = {}
        for row_id in vector_rows.column("id").to_pylist() if vector_rows is not None else []:
            counts[row_id] = counts.get(row_id, 0) + 1
        kept = [(i, p) for i, p in puts.items() if p.value is not None]
        if kept:
            rows = _item_rows(kept, created, counts, now)
            if existing.intersection(i for i, _ in kept):
                merge = self.tables.items.merge_insert("id").when_matched_update_all()
                merge.when_not_matched_insert_all().execute(rows)
            else:
                self.tables.items.add(rows)
            commits += 1
        if self.tables.vectors is not None:
            if stale := list(existing):
                self.tables.vectors.delete(f.in_("id", stale))
                commits += 1
            if vector_rows is not None and vector_rows.num_rows:
                self.tables.vectors.add(vector_rows)
                commits += 1
        self.tables.committed(commits)

    def _vector_rows(self, puts: dict[str, _Put], vectors: list[list[float]]) -> pa.Table | None:
        owners = [(i, p.namespace, path, text) for i, p in puts.items() for path, text in p.texts]
        dims = self.tables.dims
        if self.tables.vectors is None or dims is None or not owners:
            return None
        matrix = np.asarray(vectors, dtype=np.float32).reshape(len(owners), -1)
        if matrix.shape[1] != dims:
            raise ValueError(
                f"the embedder returned {matrix.shape[1]}-dimensional vectors but the index "
                f"config says dims={dims}; set IndexConfig['dims'] to {matrix.shape[1]}"
            )
        # A zero vector has no direction: it can match nothing, so it is not stored.
        keep = np.linalg.norm(matrix, axis=1) > 0
        rows = [owner for owner, ok in zip(owners, keep, strict=True) if ok]
        return pa.table(
            {
                "id": [r[0] for r in rows],
                "namespace": [".".join(r[1]) for r in rows],
                "path": [r[2] for r in rows],
                "text": [r[3] for r in rows],
                "vector": pa.FixedSizeListArray.from_arrays(
                    pa.array(matrix[keep].reshape(-1), pa.float32()), dims
                ),
            },
            schema=vectors_schema(dims),
        )

    def _delete_rows(self, ids: list[str]) -> None:
        self.tables.items.delete(f.in_("id", ids))
        if self.tables.vectors is not None:
            self.tables.vectors.delete(f.in_("id", ids))

    def _refresh_ttl(self, ttl: dict[str, float], now: datetime) -> None:
        by_minutes: dict[float, list[str]] = {}
        for row_id, minutes in ttl.items():
            by_minutes.setdefault(minutes, []).append(row_id)
        if not by_minutes:
            return
        with self._write_lock:
            for minutes, ids in by_minutes.items():
                self.tables.items.update(
                    where=f.where(f.in_("id", ids), alive(now)),
                    values={"expires_at": now + timedelta(minutes=minutes)},
                )
            self.tables.committed(len(by_minutes))

    def _ensure_fts(self) -> None:
        vectors = self.tables.vectors
        if vectors is not None and not any(i.index_type == "FTS" for i in vectors.list_indices()):
            vectors.create_index("text", config=FTS(base_tokenizer="icu"), replace=True)


def _now() -> datetime:
    return datetime.now(UTC)


def _key(key: object) -> str:
    if not isinstance(key, str):
        raise ValueError(f"store keys must be strings, got {type(key).__name__}: {key!r:.80}")
    return key


def _item_rows(
    puts: list[tuple[str, _Put]],
    created: dict[str, datetime],
    counts: dict[str, int],
    now: datetime,
) -> pa.Table:
    return pa.table(
        {
            "id": [i for i, _ in puts],
            "namespace": [".".join(p.namespace) for _, p in puts],
            "key": [p.key for _, p in puts],
            "value": [p.value for _, p in puts],
            "doc": pa.array([p.doc for _, p in puts], type=pa.json_(pa.utf8())),
            "created_at": [created.get(i, now) for i, _ in puts],
            "updated_at": [now] * len(puts),
            "expires_at": [now + timedelta(minutes=p.ttl) if p.ttl else None for _, p in puts],
            "ttl_minutes": [p.ttl for _, p in puts],
            "n_vectors": [counts.get(i, 0) for i, _ in puts],
        },
        schema=ITEMS_SCHEMA,
    )


def _parse_index(index: IndexConfig) -> tuple[int, Embeddings, list[str]]:
    dims = index.get("dims")
    if not isinstance(dims, int) or isinstance(dims, bool) or dims <= 0:
        raise ConfigError(f"IndexConfig['dims'] must be a positive int, got {dims!r}")
    embed = index.get("embed")
    if embed is None:
        raise ConfigError("IndexConfig needs 'embed': an Embeddings, a function or 'tiermem:use'")
    if isinstance(embed, str) and embed.startswith("tiermem:"):
        from .embeddings import get_embedder

        embed = get_embedder(embed.removeprefix("tiermem:"))
    fields = index.get("fields") or index.get("text_fields") or ["$"]  # type: ignore[typeddict-item]
    return dims, ensure_embeddings(embed), list(fields)
