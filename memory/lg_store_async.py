"""AsyncLanceDBStore: LanceDBStore for event-loop code, batching concurrent calls.

Concurrent ``aget``/``aput``/``asearch`` calls made in one loop iteration are
queued and run as one ``abatch`` (LangGraph's ``AsyncBatchedBaseStore``);
LanceDB work runs in a worker thread, so the loop never blocks. Sync methods
work from other threads and raise ``asyncio.InvalidStateError`` on the loop's
own thread, where they would deadlock.

Example:
    >>> async with AsyncLanceDBStore.from_conn_string("./.tiermem") as store:
    ...     await store.aput(("alice",), "k", {"text": "hi"})
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

from langgraph.store.base import Op, Result
from langgraph.store.base.batch import AsyncBatchedBaseStore

from .lg_store import LanceDBStore


class AsyncLanceDBStore(AsyncBatchedBaseStore):
    """Async front of :class:`LanceDBStore`; takes the same arguments.

    Must be created inside a running event loop.
    """

    supports_ttl = True

    def __init__(self, uri: str | Path | Any, **kwargs: Any) -> None:
        super().__init__()
        self.store = LanceDBStore(uri, **kwargs)
        self.ttl_config = self.store.ttl_config
        self._sweeper_task: asyncio.Task[None] | None = None

    @property
    def index_config(self) -> dict[str, Any] | None:
        """The ``IndexConfig`` the store was created with."""
        return self.store.index_config

    @property
    def embeddings(self) -> Any:
        """The embeddings the store uses (``None`` without an index)."""
        return self.store.embeddings

    @classmethod
    @contextlib.asynccontextmanager
    async def from_conn_string(cls, uri: str | Path, **kwargs: Any) -> AsyncIterator[AsyncLanceDBStore]:
        """Open a store for an ``async with`` block (stops its sweeper on exit)."""
        store = cls(uri, **kwargs)
        try:
            yield store
        finally:
            await store.stop_ttl_sweeper()

    async def setup(self) -> None:
        """Create missing tables and indexes."""
        await asyncio.to_thread(self.store.setup)

    async def abatch(self, ops: Iterable[Op]) -> list[Result]:
        """Run ``ops`` through :meth:`LanceDBStore.abatch` (LanceDB in a worker thread)."""
        return await self.store.abatch(ops)

    async def sweep_ttl(self) -> int:
        """Delete expired items now; returns how many."""
        return await asyncio.to_thread(self.store.sweep_ttl)

    async def start_ttl_sweeper(self, sweep_interval_minutes: float | None = None) -> asyncio.Task:
        """Sweep expired items periodically; the task ends when the sweeper stops.

        Raises:
            ValueError: no interval given here or in ``TTLConfig['sweep_interval_minutes']``.
        """
        future = self.store.start_ttl_sweeper(sweep_interval_minutes)
        task = asyncio.ensure_future(asyncio.wrap_future(future))
        self._sweeper_task = task  # type: ignore[assignment]  # a Future the loop drives, cancellable like a Task
        return task  # type: ignore[return-value]

    async def stop_ttl_sweeper(self, timeout: float | None = None) -> bool:
        """Stop the sweeper; ``True`` once it has stopped (or never ran)."""
        return await asyncio.to_thread(self.store.stop_ttl_sweeper, timeout)
