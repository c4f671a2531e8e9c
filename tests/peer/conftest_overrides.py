"""Run LangGraph's own store test suites against tiermem's LanceDBStore.

``run_langgraph_store_suite.sh`` copies this file to ``tests/conftest.py`` of
the extracted ``langgraph-checkpoint`` and ``langgraph-checkpoint-sqlite``
source distributions. pytest imports a conftest before the test modules, so
the classes below replace ``InMemoryStore``, ``SqliteStore`` and
``AsyncSqliteStore`` in their modules before any test does
``from langgraph.store... import ...``. Nothing else in the suites changes.

Connection strings map as: ``":memory:"`` -> LanceDB's ``memory://``; a file
path -> a LanceDB directory next to it (``<path>.lance``, removed on close).
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import AsyncIterator, Iterator
from typing import Any

import langgraph.store.memory
import langgraph.store.sqlite
import langgraph.store.sqlite.aio
from tiermem.memory.lg_store import LanceDBStore
from tiermem.memory.lg_store_async import AsyncLanceDBStore


def _uri(conn_string: str) -> tuple[str, str | None]:
    """LanceDB URI for a SQLite connection string, and a directory to remove after."""
    if conn_string == ":memory:":
        return "memory://", None
    return conn_string + ".lance", conn_string + ".lance"


class InMemoryStore(LanceDBStore):
    """``InMemoryStore(index=..., ttl=...)`` -> a LanceDBStore in a fresh ``memory://`` database."""

    def __init__(self, *, index: Any = None, ttl: Any = None) -> None:
        super().__init__("memory://", index=index, ttl=ttl)


class SqliteStore(LanceDBStore):
    """``SqliteStore.from_conn_string(...)`` -> a LanceDBStore."""

    @classmethod
    @contextlib.contextmanager
    def from_conn_string(  # type: ignore[override]
        cls, conn_string: str, *, index: Any = None, ttl: Any = None
    ) -> Iterator[SqliteStore]:
        uri, cleanup = _uri(conn_string)
        store = cls(uri, index=index, ttl=ttl)
        try:
            yield store
        finally:
            store.close()
            if cleanup:
                shutil.rmtree(cleanup, ignore_errors=True)


class AsyncSqliteStore(AsyncLanceDBStore):
    """``AsyncSqliteStore.from_conn_string(...)`` -> an AsyncLanceDBStore."""

    @classmethod
    @contextlib.asynccontextmanager
    async def from_conn_string(  # type: ignore[override]
        cls, conn_string: str, *, index: Any = None, ttl: Any = None
    ) -> AsyncIterator[AsyncSqliteStore]:
        uri, cleanup = _uri(conn_string)
        store = cls(uri, index=index, ttl=ttl)
        try:
            yield store
        finally:
            await store.stop_ttl_sweeper()
            if cleanup:
                shutil.rmtree(cleanup, ignore_errors=True)


langgraph.store.memory.InMemoryStore = InMemoryStore  # type: ignore[misc]
langgraph.store.sqlite.SqliteStore = SqliteStore  # type: ignore[misc]
langgraph.store.sqlite.AsyncSqliteStore = AsyncSqliteStore  # type: ignore[misc]
langgraph.store.sqlite.aio.AsyncSqliteStore = AsyncSqliteStore  # type: ignore[misc]
