"""Per-namespace caps: how many memories, and how many bytes of text, one user may keep.

The store checks a write against the caps while it holds the commit lock,
so two processes cannot both pass a check and together go over. Usage is
counted over every tier table: rows, and the UTF-8 bytes of their texts
(vectors add a fixed ``4 * dim`` bytes a row, so the row cap bounds them).
Rows past their expiry do not count: they are garbage that the next sweep
(``TierStore.expire``) deletes, not memories the user keeps.

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

from .concurrency import retry_read
from .policies import Usage


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
