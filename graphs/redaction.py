"""Masking forgotten texts where the graph keeps copies: saved traces and thread checkpoints
(and erasing a whole user's checkpointed threads).

``forget`` removes a memory from the tiers; the conversation that stated it also
lives on in the trace files and in the checkpointed thread state (the messages,
the turn, the gate's decision). Both are rewritten with every forgotten text
replaced by :data:`REDACTED`.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from pydantic import BaseModel
from tiermem.memory.masking import FORGOTTEN, mask_standalone

log = logging.getLogger(__name__)

REDACTED = FORGOTTEN
"""What a forgotten text is replaced with."""


IDENTIFIERS = frozenset(
    {
        "namespace",
        "user_id",
        "tiermem_user",
        "thread_id",
        "run_id",
        "message_id",
        "record_id",
        "prefetch_id",
        "id",
        "ids",
        "tool_call_id",
        "key",
        "node",
        "tier",
        "type",
        "name",
        "status",
        "mode",
        "decider",
        "kind",
        "written",
        "cited",
        "sources",
        "source_ids",
        "adapter_version",
        "v",
        "ts",
        "at",
        "now",
    }
)
"""Fields that name things rather than say them: never masked, though a forgotten text may equal
one (a user named "Anna" forgetting "My name is Anna" keeps her user id, her thread and its keys)."""


def redact_value(value: Any, needles: list[str], mask: str = REDACTED) -> Any:
    """``value`` with every needle masked, recursively through dicts, lists, tuples and pydantic models,
    but for the :data:`IDENTIFIERS` fields of dicts and models.

    A string that is the shortened start of a needle (a message cut with "…") is
    masked whole. Values of other types are returned as they are.
    """
    if isinstance(value, dict):
        return {k: v if k in IDENTIFIERS else redact_value(v, needles, mask) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(redact_value(v, needles, mask) for v in value)
    if isinstance(value, BaseModel):
        fields = [name for name in type(value).model_fields if name not in IDENTIFIERS]
        update = {name: redact_value(getattr(value, name), needles, mask) for name in fields}
        return value.model_copy(update=update)
    if not isinstance(value, str):
        return value
    start = value.removesuffix("…")
    if value.endswith("…") and start and any(n.startswith(start) for n in needles):
        return mask
    return mask_standalone(value, needles, mask)


def redact_checkpoints(path: Path, namespace: str, texts: Iterable[str], *, mask: str = REDACTED) -> int:
    """Mask ``texts`` in the threads of ``namespace`` saved by LangGraph's ``SqliteSaver`` at ``path``.

    A thread belongs to the user whose ``user_id`` its checkpoints' metadata
    carries (the graph refuses to mix users in one thread). Every checkpoint and
    pending write of those threads is decoded, masked and written back in one
    transaction, so a crash leaves either all or none of them redacted. Freed
    pages are zeroed (``secure_delete``) and the write-ahead log is folded into
    the database, so the old bytes do not linger in the file. Returns the number
    of rows changed; 0 when there is no checkpoint database.
    """
    needles = [t for t in texts if t]
    if not needles or not path.is_file():
        return 0
    serde = JsonPlusSerializer()
    with _users_threads(path, namespace) as (conn, threads):
        changed = 0
        for thread in threads:
            changed += _rewrite(conn, serde, needles, mask, "checkpoints", "checkpoint", thread)
            changed += _rewrite(conn, serde, needles, mask, "writes", "value", thread)
    if changed:
        log.info("redacted %d checkpoint rows of %s", changed, namespace)
    return changed


def erase_checkpoints(path: Path, namespace: str) -> int:
    """Delete every checkpointed thread of ``namespace`` (its checkpoints and pending writes) from
    the ``SqliteSaver`` database at ``path``, in one transaction, freed pages zeroed and the
    write-ahead log folded in as :func:`redact_checkpoints` does; returns the threads deleted."""
    if not path.is_file():
        return 0
    with _users_threads(path, namespace) as (conn, threads):
        for thread in threads:
            for table in ("checkpoints", "writes"):
                conn.execute(f"DELETE FROM {table} WHERE thread_id = ?", (thread,))
    if threads:
        log.info("erased %d checkpointed threads of %s", len(threads), namespace)
    return len(threads)


@contextmanager
def _users_threads(path: Path, namespace: str) -> Iterator[tuple[sqlite3.Connection, list[str]]]:
    """An open transaction on the checkpoint database at ``path`` and the threads of ``namespace``
    in it (none when it holds no checkpoint table); committed, and the write-ahead log truncated
    where the body changed rows, rolled back if it raised."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    try:
        if not _has_tables(conn, "checkpoints", "writes"):
            yield conn, []
            return
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("BEGIN IMMEDIATE")
        threads = [
            row[0]
            for row in conn.execute(
                "SELECT DISTINCT thread_id FROM checkpoints "
                "WHERE coalesce(json_extract(CAST(metadata AS TEXT), '$.user_id'), 'default') = ?",
                (namespace,),
            )
        ]
        yield conn, threads
        changed = conn.total_changes
        conn.execute("COMMIT")
        if changed:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()


def _has_tables(conn: sqlite3.Connection, *names: str) -> bool:
    found = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return set(names) <= found


def _rewrite(
    conn: sqlite3.Connection,
    serde: JsonPlusSerializer,
    needles: list[str],
    mask: str,
    table: str,
    column: str,
    thread: str,
) -> int:
    """Re-encode the rows of one thread in ``table`` whose decoded ``column`` holds a needle."""
    rows = conn.execute(f"SELECT rowid, type, {column} FROM {table} WHERE thread_id = ?", (thread,)).fetchall()
    changed = 0
    for rowid, kind, blob in rows:
        if kind is None or blob is None:
            continue
        value = serde.loads_typed((kind, blob))
        redacted = redact_value(value, needles, mask)
        if redacted == value:
            continue
        new_kind, new_blob = serde.dumps_typed(redacted)
        conn.execute(f"UPDATE {table} SET type = ?, {column} = ? WHERE rowid = ?", (new_kind, new_blob, rowid))
        changed += 1
    return changed
