"""The LanceDB tables behind :class:`~tiermem.memory.lg_store.LanceDBStore`.

``{name}_items`` holds one row per item: the value twice (``value``, the exact
JSON text handed back to callers; ``doc``, the same value as ``lance.json`` for
filters), timestamps and TTL. ``{name}_vectors`` holds one row per embedded
text (an item has one per indexed field path, as in LangGraph's stores).
Rows are keyed by :func:`item_id`, a digest of namespace and key.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

import lancedb
import pyarrow as pa
from lancedb.index import BTree
from langgraph.store.base import Item, SearchItem

from .errors import EmbedderMismatchError, InvalidInputError
from .lg_store_filters import namespace_text

log = logging.getLogger(__name__)

TIMESTAMP = pa.timestamp("us", tz="UTC")
ITEMS_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("namespace", pa.string()),
        ("key", pa.string()),
        ("value", pa.large_string()),
        ("doc", pa.json_(pa.utf8())),
        ("created_at", TIMESTAMP),
        ("updated_at", TIMESTAMP),
        ("expires_at", TIMESTAMP),
        ("ttl_minutes", pa.float64()),
        ("n_vectors", pa.int32()),
    ]
)
ITEM_COLUMNS = ["id", "namespace", "key", "value", "created_at", "updated_at"]
"""What reads fetch: everything an :class:`~langgraph.store.base.Item` needs."""


EMBED_METADATA_KEY = b"tiermem.store.embed"
"""Where a vectors table keeps what made its vectors (:func:`~.lg_store_plan.embed_signature`)."""


def vectors_schema(dims: int, embed: str | None = None) -> pa.Schema:
    """Rows of ``{name}_vectors``: which item, which field path, its text and vector; the
    schema's metadata names the ``embed`` that made the vectors, where it has a name."""
    return pa.schema(
        [
            ("id", pa.string()),
            ("namespace", pa.string()),
            ("path", pa.string()),
            ("text", pa.large_string()),
            ("vector", pa.list_(pa.float32(), dims)),
        ],
        metadata={EMBED_METADATA_KEY: embed.encode()} if embed else None,
    )


def item_id(namespace: Sequence[str], key: str) -> str:
    """The row id of ``(namespace, key)``: unambiguous because labels never hold NUL."""
    raw = f"{namespace_text(namespace)}\x00{key}".encode("utf-8", "surrogatepass")
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def encode_value(namespace: Sequence[str], key: str, value: Mapping[str, Any]) -> tuple[str, str]:
    """``(value, doc)`` JSON texts: exact for reading back, strict JSON for filtering.

    Raises:
        InvalidInputError: the value is not a mapping of JSON-serialisable data.
    """
    if not isinstance(value, Mapping):
        raise InvalidInputError(f"value for key {key!r} in {namespace} must be a dict, got {type(value).__name__}")
    try:
        exact = json.dumps(value, ensure_ascii=False, allow_nan=False)
        return exact, exact
    except ValueError:  # NaN or infinity: kept in `value`, null in the filterable `doc`
        return json.dumps(value, ensure_ascii=False), json.dumps(_finite(value), ensure_ascii=False)
    except TypeError as exc:
        raise InvalidInputError(
            f"value for key {key!r} in {namespace} is not JSON-serialisable ({exc}); "
            "store str, int, float, bool, None, lists and dicts"
        ) from None


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def to_items(rows: pa.Table) -> dict[str, Item]:
    """Items by row id from a table with :data:`ITEM_COLUMNS`."""
    return {
        row["id"]: Item(
            value=json.loads(row["value"]),
            key=row["key"],
            namespace=tuple(row["namespace"].split(".")),
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )
        for row in rows.select(ITEM_COLUMNS).to_pylist()
    }


def search_item(item: Item, score: float | None) -> SearchItem:
    """``item`` as a search result with ``score``."""
    return SearchItem(
        namespace=item.namespace,
        key=item.key,
        value=item.value,
        created_at=item.created_at,
        updated_at=item.updated_at,
        score=score,
    )


class Tables:
    """Open (or create) the store's tables; keep them compact and indexed.

    LanceDB writes one small fragment per commit. Every ``compact_every``
    commits, :meth:`maintain` merges fragments, drops versions older than
    ``keep_versions_for`` and brings the ``id`` and ``namespace`` indexes up to date.
    """

    def __init__(
        self,
        db: lancedb.DBConnection,
        name: str,
        dims: int | None,
        compact_every: int = 256,
        keep_versions_for: timedelta = timedelta(hours=1),
        embed: str | None = None,
    ) -> None:
        self.db = db
        self.name = name
        self.dims = dims
        self.compact_every = compact_every
        self.keep_versions_for = keep_versions_for
        self._commits = 0
        self.items = self._open(f"{self.name}_items", ITEMS_SCHEMA)
        self.vectors = self._open(f"{self.name}_vectors", vectors_schema(self.dims, embed)) if self.dims else None
        named = f"{self.name}_vectors"
        self.unembedded_vectors = self.db.open_table(named) if self.dims is None and named in self.db else None  # type: ignore[operator]
        """The vectors table of an indexed store on the same tables, for a store that embeds nothing:
        its puts and deletes remove an item's old vectors there too (else a search of the indexed
        store would find the old text's vectors)."""

    def _open(self, name: str, schema: pa.Schema) -> lancedb.table.Table:
        if name in self.db:  # type: ignore[operator]  # DBConnection defines __contains__
            table = self.db.open_table(name)
        else:
            try:
                return self.db.create_table(name, schema=schema)
            except (ValueError, OSError, RuntimeError):  # another process created it first
                if name not in self.db:  # type: ignore[operator]
                    raise
                table = self.db.open_table(name)
        expected = [field.name for field in schema]
        if table.schema.names != expected:
            raise InvalidInputError(
                f"table {name!r} has columns {table.schema.names}, expected {expected}: "
                "it was not written by LanceDBStore (or by another dims); pass another "
                "table name"
            )
        if "vector" in expected and table.schema.field("vector").type != schema.field("vector").type:
            stored = table.schema.field("vector").type.list_size  # type: ignore[attr-defined]
            raise InvalidInputError(
                f"table {name!r} holds vectors of {stored} dimensions, but the index config says "
                f"dims={self.dims}: open it with dims={stored} (the embeddings it was built with), "
                "or pass another table name"
            )
        made_by = (table.schema.metadata or {}).get(EMBED_METADATA_KEY, b"").decode()
        wanted = (schema.metadata or {}).get(EMBED_METADATA_KEY, b"").decode()
        if made_by and wanted and made_by != wanted:  # same width, other space: searches would be noise
            raise EmbedderMismatchError(
                f"table {name!r} holds vectors made by {made_by!r}, but the index config embeds with "
                f"{wanted!r}: open it with the original embed, or pass another table name and put the "
                "items again"
            )
        return table

    def committed(self, commits: int = 1) -> None:
        """Count commits; compact and re-index every ``compact_every`` of them."""
        self._commits += commits
        if self.compact_every and self._commits >= self.compact_every:
            self.maintain()

    def maintain(self) -> None:
        """Compact both tables, prune old versions, create or refresh the B-tree indexes."""
        self._commits = 0
        for table in (self.items, self.vectors):
            if table is None or table.count_rows() == 0:
                continue
            indexed = {column for index in table.list_indices() for column in index.columns}
            for column in ("id", "namespace"):
                if column not in indexed:
                    table.create_index(column, config=BTree(), replace=True)
            table.optimize(cleanup_older_than=self.keep_versions_for)
        log.debug("compacted %s tables", self.name)

    def expired_ids(self, where: str) -> list[str]:
        """Ids of item rows matching ``where`` (used by the TTL sweep)."""
        rows = self.items.search().where(where).select(["id"]).to_arrow()
        return rows.column("id").to_pylist()
