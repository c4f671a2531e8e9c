"""Which user each checkpointed thread belongs to, kept in the data dir.

A checkpointed thread shows its history to whoever sends the next message on
it, so a thread belongs to one user. tiermem's graph reads the owner from its
own state, or from its replies in the history; a parent graph that runs it
with ``respond=False`` keeps neither, so the first user of a checkpointed
thread is recorded here (``<data dir>/threads.sqlite``) and every later
message on it must come from that user.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path


class ThreadOwners:
    """Thread id -> the user it belongs to, in one SQLite file (safe across processes)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._connection = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        self._connection.execute("PRAGMA journal_mode=WAL")
        self._connection.execute(
            "CREATE TABLE IF NOT EXISTS threads (thread_id TEXT PRIMARY KEY, namespace TEXT NOT NULL)"
        )
        self._lock = threading.Lock()

    def claim(self, thread_id: str, namespace: str) -> str:
        """The owner of ``thread_id``: its recorded user, or ``namespace``, recorded now."""
        with self._lock:
            self._connection.execute(
                "INSERT OR IGNORE INTO threads (thread_id, namespace) VALUES (?, ?)", (thread_id, namespace)
            )
            (owner,) = self._connection.execute(
                "SELECT namespace FROM threads WHERE thread_id = ?", (thread_id,)
            ).fetchone()
        return str(owner)

    def release(self, namespace: str) -> int:
        """Forget which threads ``namespace`` owned (the user was erased); returns how many."""
        with self._lock:
            return self._connection.execute("DELETE FROM threads WHERE namespace = ?", (namespace,)).rowcount
