"""Reads of :class:`~tiermem.memory.lg_store.LanceDBStore`: get, list, search.

Pages are exact. Without a query, items come newest update first (ties by
id). With a query, items with vectors come first by their best cosine
similarity over all their vectors, then items without vectors (``score``
``None``) in listing order; the vector search widens until the page is full
or every vector was ranked, so filters and expiry never shorten a page and
``offset`` works at any depth (SqliteStore's vector search stops at
``2 * limit``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from lancedb.query import ColumnOrdering
from langgraph.store.base import Item, ListNamespacesOp, SearchItem

from . import filters as f
from .lg_store_filters import literal_prefix, namespace_scope, path_matches
from .lg_store_tables import ITEM_COLUMNS, Tables, search_item, to_items

_READ_COLUMNS = [*ITEM_COLUMNS, "ttl_minutes"]
_NEWEST_FIRST = [
    ColumnOrdering(column_name="updated_at", ascending=False),
    ColumnOrdering(column_name="id", ascending=True),
]


def alive(now: datetime) -> str:
    """Rows that have not expired at ``now``."""
    return f.any_of(f.is_null("expires_at"), f.compare("expires_at", ">", now))


def fetch(
    tables: Tables,
    ids: Iterable[str],
    *clauses: str,
    live_at: datetime | None = None,
    ttl_out: dict[str, float] | None = None,
) -> dict[str, Item]:
    """Items (by row id) with these ids that match ``clauses`` (and live at ``live_at``).

    ``ttl_out`` collects the TTL in minutes of the returned items that have one.
    """
    ids = list(ids)
    if not ids:
        return {}
    query = tables.items.search().where(f.where(f.in_("id", ids), *clauses))
    rows = query.select([*_READ_COLUMNS, "expires_at"]).to_arrow()
    if live_at is not None:  # cheaper here than as SQL for a handful of rows
        expires = rows.column("expires_at")
        rows = rows.filter(pc.or_kleene(pc.is_null(expires), pc.greater(expires, pa.scalar(live_at, expires.type))))
    return _items(rows, ttl_out)


def listing(
    tables: Tables, where: str, offset: int, limit: int, *, ttl_out: dict[str, float] | None = None
) -> list[SearchItem]:
    """One page of the items matching ``where``, newest update first."""
    if limit <= 0:
        return []
    query = tables.items.search()
    if where:
        query = query.where(where)
    query = query.select(_READ_COLUMNS).order_by(_NEWEST_FIRST).offset(offset).limit(limit)
    return [search_item(item, None) for item in _items(query.to_arrow(), ttl_out).values()]


def ranked_search(
    tables: Tables,
    prefix: Sequence[str],
    item_scope: str,
    vector: Sequence[float],
    offset: int,
    limit: int,
    *,
    text: str | None = None,
    ttl_out: dict[str, float] | None = None,
) -> list[SearchItem]:
    """One page of a semantic (or, with ``text``, hybrid) search.

    ``item_scope`` (namespace, filter, expiry) applies to the items; vectors are
    prefiltered by namespace only, and the candidate pool grows fourfold until
    the page is full or every vector is ranked.
    """
    want = offset + limit
    pool = max(2 * want, 16)
    while True:
        best, exhausted = _best_per_item(tables, prefix, vector, text, pool)
        items = fetch(tables, best, item_scope, ttl_out=ttl_out)
        ranked = [(row_id, score) for row_id, score in best.items() if row_id in items]
        if len(ranked) >= want or exhausted:
            break
        pool *= 4
    page = [search_item(items[row_id], score) for row_id, score in ranked[offset:want]]
    if exhausted and len(page) < limit:
        unembedded = f.where(item_scope, f.eq("n_vectors", 0))
        skip = max(0, offset - len(ranked))
        page += listing(tables, unembedded, skip, limit - len(page), ttl_out=ttl_out)
    return page


def _best_per_item(
    tables: Tables, prefix: Sequence[str], vector: Sequence[float], text: str | None, pool: int
) -> tuple[dict[str, float], bool]:
    """Best score per item id among the top ``pool`` vectors, and whether those were all."""
    if tables.vectors is None:
        raise RuntimeError("semantic search needs a store created with an index config")
    scope = namespace_scope(prefix)
    query = tables.vectors.search(list(vector), vector_column_name="vector")
    query = query.distance_type("cosine")  # type: ignore[attr-defined]  # a vector query builder
    nearest = _leg(query, scope, "_distance", pool, with_row_id=text is not None)
    if text is None:
        ids, scores = nearest.column("id").to_pylist(), pc.subtract(1.0, nearest.column("_distance")).to_pylist()
        exhausted = nearest.num_rows < pool
    else:
        matching = _leg(tables.vectors.search(text, query_type="fts", fts_columns="text"), scope, "_score", pool, True)
        ids, scores = _fused([nearest, matching], pool)
        exhausted = nearest.num_rows < pool and matching.num_rows < pool
    best: dict[str, float] = {}
    for row_id, score in zip(ids, scores, strict=True):
        best.setdefault(row_id, float(score))
    return best, exhausted


RRF_K = 60
"""Reciprocal rank fusion's constant (LanceDB's ``RRFReranker`` default, whose scores these equal)."""


def _leg(query: Any, scope: str, score: str, pool: int, with_row_id: bool) -> pa.Table:
    """The top ``pool`` rows of one search of the vectors table (its score column asked for by name,
    so LanceDB adds none on its own and warns of nothing)."""
    if scope:
        query = query.where(scope, prefilter=True)
    return query.with_row_id(with_row_id).select(["id", score]).limit(pool).to_arrow()


def _fused(legs: Sequence[pa.Table], pool: int) -> tuple[list[str], list[float]]:
    """Item ids and RRF relevance (``sum 1 / (rank + RRF_K)``, ranks from 1, per vector row) of the
    best ``pool`` rows of ``legs``; ties keep the first leg's order."""
    relevance: dict[int, float] = defaultdict(float)
    item_of: dict[int, str] = {}
    for rows in legs:
        for rank, (row, item) in enumerate(zip(rows["_rowid"].to_pylist(), rows["id"].to_pylist(), strict=True), 1):
            relevance[row] += 1.0 / (rank + RRF_K)
            item_of[row] = item
    ranked = sorted(relevance, key=lambda row: -relevance[row])[:pool]
    scores = pa.array([relevance[row] for row in ranked], pa.float32()).to_pylist()
    return [item_of[row] for row in ranked], scores


def _items(rows: pa.Table, ttl_out: dict[str, float] | None) -> dict[str, Item]:
    if ttl_out is not None:
        ids, minutes = rows.column("id").to_pylist(), rows.column("ttl_minutes").to_pylist()
        ttl_out.update((i, m) for i, m in zip(ids, minutes, strict=True) if m is not None)
    return to_items(rows)


def list_namespaces(
    tables: Tables, op: ListNamespacesOp, now: datetime, extra: Iterable[tuple[str, ...]] = ()
) -> list[tuple[str, ...]]:
    """Namespaces holding live items (and ``extra`` ones) that meet the conditions of ``op``."""
    conditions = op.match_conditions or ()
    prefixes = [literal_prefix(c.path) for c in conditions if c.match_type == "prefix"]
    scope = f.where(namespace_scope(prefixes[0]) if prefixes else "", alive(now))
    column = tables.items.search().where(scope).select(["namespace"]).to_arrow().column("namespace")
    found = {tuple(text.split(".")) for text in pc.unique(column).to_pylist()}
    found.update(extra)
    found = {ns for ns in found if all(path_matches(c.match_type, c.path, ns) for c in conditions)}
    if op.max_depth is not None:
        found = {ns[: op.max_depth] for ns in found}
    return sorted(found)[op.offset : op.offset + op.limit]
