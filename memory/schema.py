"""The Arrow schema shared by every tier table, and record <-> row conversion.

All tiers use one row shape, so retrieval can fuse results across tables and
a record moves between tiers (promotion) without reshaping. Times are stored
as UTC microsecond timestamps without a zone; :func:`to_row` and
:func:`from_row` convert at the boundary.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pyarrow as pa

from .records import Fact, MemoryRecord, Tier

TABLE_FOR_TIER: dict[Tier, str] = {"short": "short", "mid": "facts", "long": "ledger"}
"""Which LanceDB table holds each tier."""

EMBEDDER_METADATA_KEY = b"tiermem.embedder"
SCHEMA_VERSION_KEY = b"tiermem.schema"
SCHEMA_VERSION = b"1"

_TS = pa.timestamp("us")


def table_schema(dim: int, embedder_signature: str) -> pa.Schema:
    """The schema of a tier table whose vectors have ``dim`` dimensions."""
    return pa.schema(
        [
            pa.field("id", pa.string(), nullable=False),
            pa.field("namespace", pa.string(), nullable=False),
            pa.field("tier", pa.string(), nullable=False),
            pa.field("kind", pa.string(), nullable=False),
            pa.field("text", pa.string(), nullable=False),
            pa.field("vector", pa.list_(pa.float32(), dim)),
            pa.field("created_at", _TS, nullable=False),
            pa.field("expires_at", _TS),
            pa.field("source_ids", pa.list_(pa.string())),
            pa.field("importance", pa.float32()),
            pa.field("thread_id", pa.string()),
            pa.field("confirmations", pa.int32()),
            pa.field("key", pa.string()),
            pa.field("subject", pa.string()),
            pa.field("attribute", pa.string()),
            pa.field("value", pa.string()),
            pa.field("observed_at", _TS),
        ],
        metadata={EMBEDDER_METADATA_KEY: embedder_signature.encode(), SCHEMA_VERSION_KEY: SCHEMA_VERSION},
    )


_EPOCH = datetime(1970, 1, 1)
_MICROSECOND = timedelta(microseconds=1)


def micros(moment: datetime) -> int:
    """A stored (naive UTC) time as microseconds since the epoch, the integer Arrow stores."""
    return (moment - _EPOCH) // _MICROSECOND


def naive_utc(moment: datetime | None) -> datetime | None:
    """Drop the zone after converting to UTC (the storage convention)."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None)


def _aware(moment: Any) -> datetime | None:
    """``moment`` (a datetime or pandas timestamp, naive meaning UTC) in UTC; ``None`` stays ``None``."""
    if moment is None:
        return None
    if hasattr(moment, "to_pydatetime"):
        moment = moment.to_pydatetime()
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _required(moment: Any, column: str) -> datetime:
    aware = _aware(moment)
    if aware is None:
        raise ValueError(f"a stored row has no {column}")
    return aware


def to_row(record: MemoryRecord, vector: np.ndarray) -> dict[str, Any]:
    """A record and its vector as a table row."""
    fact = record.fact
    return {
        "id": record.id,
        "namespace": record.namespace,
        "tier": record.tier,
        "kind": record.kind,
        "text": record.text,
        "vector": np.asarray(vector, dtype=np.float32),
        "created_at": naive_utc(record.created_at),
        "expires_at": naive_utc(record.expires_at),
        "source_ids": list(record.source_ids),
        "importance": float(record.importance),
        "thread_id": record.thread_id,
        "confirmations": record.confirmations,
        "key": record.key,
        "subject": fact.subject if fact else "",
        "attribute": fact.attribute if fact else "",
        "value": fact.value if fact else "",
        "observed_at": naive_utc(fact.observed_at) if fact else None,
    }


def from_row(row: Mapping[str, Any]) -> MemoryRecord:
    """A table row (dict from LanceDB) back as a :class:`MemoryRecord`."""
    fact = None
    if row.get("key"):
        fact = Fact(
            subject=row["subject"],
            attribute=row["attribute"],
            value=row["value"],
            observed_at=_required(row["observed_at"] or row["created_at"], "observed_at"),
            statement=row["text"],
        )
    return MemoryRecord(
        id=row["id"],
        namespace=row["namespace"],
        tier=row["tier"],
        kind=row["kind"],
        text=row["text"],
        created_at=_required(row["created_at"], "created_at"),
        expires_at=_aware(row.get("expires_at")),
        source_ids=list(row.get("source_ids") or []),
        importance=round(float(row.get("importance") or 0.0), 6),  # a float32 column: 0.6, not 0.6000000238
        thread_id=row.get("thread_id") or "",
        confirmations=int(row.get("confirmations") or 1),
        fact=fact,
    )
