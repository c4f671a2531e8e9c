"""Writes of :class:`~tiermem.memory.lg_store.LanceDBStore`: put, delete, TTL refresh.

Callers hold the store's write lock. A put keeps the item's ``created_at``
(LangGraph's InMemoryStore and SqliteStore reset it on every update) unless
the old item had expired; its vectors are replaced.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta

import numpy as np
import pyarrow as pa

from . import filters as f
from .errors import InvalidInputError
from .lg_store_plan import Put
from .lg_store_search import alive
from .lg_store_tables import ITEMS_SCHEMA, Tables, vectors_schema


def write(tables: Tables, puts: dict[str, Put], vectors: Sequence[Sequence[float]], now: datetime) -> None:
    """Apply the puts and deletes of one batch (``vectors``: one per text, in put order)."""
    ids = list(puts)
    old = tables.items.search().where(f.in_("id", ids))
    old_rows = old.select(["id", "created_at", "expires_at"]).to_arrow().to_pylist()
    existing = {row["id"] for row in old_rows}
    created = {row["id"]: row["created_at"] for row in old_rows if row["expires_at"] is None or row["expires_at"] > now}
    embedded = _vector_rows(tables, puts, vectors)  # every row built before the first commit
    counts = Counter(embedded.column("id").to_pylist() if embedded is not None else [])
    kept = [(i, p) for i, p in puts.items() if p.value is not None]
    rows = _item_rows(kept, created, counts, now) if kept else None
    commits = 0
    if deleted := [i for i in ids if puts[i].value is None and i in existing]:
        tables.items.delete(f.in_("id", deleted))
        commits += 1
    if rows is not None:
        if existing.intersection(i for i, _ in kept):
            merge = tables.items.merge_insert("id").when_matched_update_all()
            merge.when_not_matched_insert_all().execute(rows)
        else:
            tables.items.add(rows)
        commits += 1
    vectors_table = tables.vectors if tables.vectors is not None else tables.unembedded_vectors
    if vectors_table is not None and existing:
        vectors_table.delete(f.in_("id", list(existing)))
        commits += 1
    if tables.vectors is not None and embedded is not None and embedded.num_rows:
        tables.vectors.add(embedded)
        commits += 1
    tables.committed(commits)


def delete_rows(tables: Tables, ids: list[str]) -> None:
    """Remove items and their vectors."""
    tables.items.delete(f.in_("id", ids))
    for vectors_table in (tables.vectors, tables.unembedded_vectors):
        if vectors_table is not None:
            vectors_table.delete(f.in_("id", ids))
    tables.committed(2)


def refresh_ttl(tables: Tables, ttl: dict[str, float], now: datetime) -> None:
    """Push the expiry of live items (row id -> TTL minutes) to ``now + ttl``."""
    by_minutes: dict[float, list[str]] = {}
    for row_id, minutes in ttl.items():
        by_minutes.setdefault(minutes, []).append(row_id)
    for minutes, ids in by_minutes.items():
        tables.items.update(
            where=f.where(f.in_("id", ids), alive(now)),
            values={"expires_at": now + timedelta(minutes=minutes)},
        )
    tables.committed(len(by_minutes))


def _vector_rows(tables: Tables, puts: dict[str, Put], vectors: Sequence[Sequence[float]]) -> pa.Table | None:
    owners = [(i, p.namespace, path, text) for i, p in puts.items() for path, text in p.texts]
    dims = tables.dims
    if tables.vectors is None or dims is None or not owners:
        return None
    matrix = np.asarray(vectors, dtype=np.float32).reshape(len(owners), -1)
    if matrix.shape[1] != dims:
        raise ValueError(
            f"the embedder returned {matrix.shape[1]}-dimensional vectors but the index "
            f"config says dims={dims}; set IndexConfig['dims'] to {matrix.shape[1]}"
        )
    if not np.isfinite(matrix).all():  # an inf vector matched no search; a NaN one was dropped
        raise InvalidInputError("vectors hold NaN or infinite values; check the embedder (nothing was written)")
    # A zero vector has no direction: it matches nothing, so it is not stored.
    keep = np.linalg.norm(matrix, axis=1) > 0
    rows = [owner for owner, ok in zip(owners, keep, strict=True) if ok]
    return pa.table(
        {
            "id": [r[0] for r in rows],
            "namespace": [".".join(r[1]) for r in rows],
            "path": [r[2] for r in rows],
            "text": [r[3] for r in rows],
            "vector": pa.FixedSizeListArray.from_arrays(pa.array(matrix[keep].reshape(-1), pa.float32()), dims),
        },
        schema=vectors_schema(dims),
    )


def _item_rows(puts: list[tuple[str, Put]], created: dict[str, datetime], counts: Counter, now: datetime) -> pa.Table:
    return pa.table(
        {
            "id": [i for i, _ in puts],
            "namespace": [".".join(p.namespace) for _, p in puts],
            "key": [p.key for _, p in puts],
            "value": [p.value for _, p in puts],
            "doc": pa.array([p.doc for _, p in puts], type=pa.json_(pa.utf8())),
            "created_at": [created.get(i, now) for i, _ in puts],
            "updated_at": [now] * len(puts),
            "expires_at": [None if p.ttl is None else now + timedelta(minutes=p.ttl) for _, p in puts],
            "ttl_minutes": [p.ttl for _, p in puts],
            "n_vectors": [counts.get(i, 0) for i, _ in puts],
        },
        schema=ITEMS_SCHEMA,
    )
