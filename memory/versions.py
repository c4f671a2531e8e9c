"""Picking the newest versions of each fact from light rows, without building records.

A fact stated daily for years has thousands of versions; retrieval needs the
current one and a few older values. :func:`newest_ids` orders light rows
(``id``, ``key``, ``observed_at``, ``created_at``) as
:meth:`~tiermem.memory.store.TierStore.latest_facts` orders records (newest
observation first, then newest write time, then the later id: ids sort in the
order they were made, so of two versions stated at the same time the later write
wins) and keeps the first ``versions`` of each key, so only those rows are read
in full.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .records import MemoryRecord

LIGHT_COLUMNS = ["id", "key", "observed_at", "created_at"]
"""The columns :func:`newest_ids` needs."""


def newest_positions(rows: pa.Table, versions: int) -> np.ndarray:
    """Positions in ``rows`` of the newest ``versions`` rows of each key, newest first
    (keys interleaved, in the order :func:`newest_ids` gives).

    Args:
        rows: :data:`LIGHT_COLUMNS` of every version, in table order.
        versions: how many versions of each key to keep (at least 1).
    """
    if rows.num_rows == 0:
        return np.zeros(0, dtype=np.int64)
    observed = pc.coalesce(rows.column("observed_at"), rows.column("created_at"))
    order = pc.sort_indices(
        pa.table({"observed": observed, "created": rows.column("created_at"), "id": rows.column("id")}),
        sort_keys=[("observed", "descending"), ("created", "descending"), ("id", "descending")],
    ).to_numpy()  # a stable sort: rows with one id keep table order
    codes = pc.dictionary_encode(rows.column("key")).combine_chunks().indices.to_numpy()[order]
    grouped = np.argsort(codes, kind="stable")
    starts = np.r_[0, np.flatnonzero(np.diff(codes[grouped])) + 1]
    rank = np.arange(len(grouped)) - np.repeat(starts, np.diff(np.r_[starts, len(grouped)]))
    return order[np.sort(grouped[rank < versions])].astype(np.int64)


def id_rank(record_id: str) -> int:
    """``record_id`` as a number that sorts as the id does (its first 32 bytes)."""
    return int.from_bytes(record_id.encode()[:32].ljust(32, b"\0"), "big")


def version_order(record: MemoryRecord) -> tuple[datetime, datetime, str]:
    """Sort key of a fact version, the newest largest: observation, write time, id."""
    return (record.fact.observed_at if record.fact else record.created_at, record.created_at, record.id)


def newest_ids(rows: pa.Table, versions: int) -> list[str]:
    """Ids of the newest ``versions`` rows of each key, each key's ids newest first.

    Args:
        rows: :data:`LIGHT_COLUMNS` of every version, in table order.
        versions: how many versions of each key to keep (at least 1).
    """
    ids = rows.column("id").to_numpy(zero_copy_only=False)
    return [str(i) for i in ids[newest_positions(rows, versions)]]
