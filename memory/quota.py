"""Per-namespace caps: how many memories, and how many bytes of text, one user may keep.

The store checks a write against the caps while it holds the commit lock,
so two processes cannot both pass a check and together go over. Usage is
counted over every tier table: rows, and the UTF-8 bytes of their texts
(vectors add a fixed ``4 * dim`` bytes a row, so the row cap bounds them).

Example:
    >>> quota = NamespaceQuota(max_rows=1000, max_bytes=1_000_000)
    >>> quota.check("alice", Usage(rows=999, text_bytes=10), Usage(rows=2, text_bytes=20))
    Traceback (most recent call last):
    ...
    tiermem.memory.errors.QuotaExceededError: namespace 'alice' holds 999 memories; ...
"""

from __future__ import annotations

from collections.abc import Iterable

import lancedb
import pyarrow.compute as pc
from pydantic import BaseModel, ConfigDict, Field

from .concurrency import retry_read
from .errors import QuotaExceededError


class Usage(BaseModel):
    """What a namespace stores (or a write would add)."""

    model_config = ConfigDict(frozen=True)

    rows: int = 0
    text_bytes: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(rows=self.rows + other.rows, text_bytes=self.text_bytes + other.text_bytes)


class NamespaceQuota(BaseModel):
    """Caps per namespace; ``None`` means unlimited."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_rows: int | None = Field(default=None, ge=1)
    """Memories across all tiers."""
    max_bytes: int | None = Field(default=None, ge=1)
    """UTF-8 bytes of the memories' texts across all tiers."""

    @property
    def enabled(self) -> bool:
        """Whether any cap is set (usage is only measured then)."""
        return self.max_rows is not None or self.max_bytes is not None

    def check(self, namespace: str, current: Usage, adding: Usage) -> None:
        """Raise if ``current + adding`` passes a cap.

        Raises:
            QuotaExceededError: naming the cap, the usage and the fix.
        """
        total = current + adding
        if self.max_rows is not None and total.rows > self.max_rows:
            raise QuotaExceededError(
                f"namespace {namespace!r} holds {current.rows} memories; adding {adding.rows} would "
                f"pass its cap of {self.max_rows} rows; forget old memories or raise "
                "quota.max_rows in the config"
            )
        if self.max_bytes is not None and total.text_bytes > self.max_bytes:
            raise QuotaExceededError(
                f"namespace {namespace!r} holds {current.text_bytes} bytes of text; adding "
                f"{adding.text_bytes} would pass its cap of {self.max_bytes} bytes; forget old "
                "memories or raise quota.max_bytes in the config"
            )


def usage_by_namespace(namespaces: Iterable[str], texts: Iterable[str]) -> dict[str, Usage]:
    """What rows with these namespaces and texts (pairwise) add to each namespace."""
    adding: dict[str, Usage] = {}
    for namespace, text in zip(namespaces, texts, strict=True):
        adding[namespace] = adding.get(namespace, Usage()) + Usage(rows=1, text_bytes=len(text.encode("utf-8")))
    return adding


def measure(tables: Iterable[lancedb.table.Table], scope: str) -> Usage:
    """Rows and text bytes matching ``scope`` (a filter from the filter builder) in ``tables``."""
    usage = Usage()
    for table in tables:
        texts = retry_read(table.search().where(scope).select(["text"]).to_arrow).column("text")
        size = pc.sum(pc.binary_length(texts)).as_py() or 0
        usage = usage + Usage(rows=len(texts), text_bytes=size)
    return usage
