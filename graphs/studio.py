"""Factories that ``langgraph dev`` (and so LangGraph Studio) loads via ``langgraph.json``.

- ``make_graph``: tiermem's graph, compiled without checkpointer or store
  (the server passes its own);
- ``make_store``: a :class:`~tiermem.memory.lg_store.LanceDBStore` on the data
  dir, embedding with tiermem's embedder and showing the tiers read-only
  under ``("tiermem", user, tier)``;
- ``make_checkpointer``: ``AsyncSqliteSaver`` on ``<data_dir>/checkpoints.sqlite``.

Settings come from ``TIERMEM_*`` variables / ``tiermem.toml`` as for the CLI.
Each factory is an async context manager that builds in a worker thread: the
dev server calls factories on its event loop and refuses blocking I/O there.

Run: ``langgraph dev --no-browser`` at the repo root (``pip install -e '.[studio]'``).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import AsyncIterator

from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from langgraph.graph.state import CompiledStateGraph
from tiermem.memory.lg_store import LanceDBStore

from .builder import build_graph
from .config import TierMemConfig
from .services import Services


@functools.cache
def studio_services() -> Services:
    """The process-wide services for the dev server (loaded once, on first use)."""
    services = Services(TierMemConfig.load())
    if services.config.is_local:
        services.config.path().mkdir(parents=True, exist_ok=True)
    return services


def open_store(services: Services) -> LanceDBStore:
    """The LangGraph store on ``services``' data dir (table ``langgraph_store``)."""
    embedder = services.embedder
    return LanceDBStore(
        services.config.data_dir,
        index={"dims": embedder.dim, "embed": embedder},
        tiers=services.store,
    )


@contextlib.asynccontextmanager
async def make_graph() -> AsyncIterator[CompiledStateGraph]:
    """Graph factory: the compiled graph, without checkpointer or store."""
    services = await asyncio.to_thread(studio_services)
    yield build_graph(services=services)


@contextlib.asynccontextmanager
async def make_store() -> AsyncIterator[LanceDBStore]:
    """Store factory: :func:`open_store` on the configured data dir; its sweeper stops on exit."""
    services = await asyncio.to_thread(studio_services)
    store = await asyncio.to_thread(open_store, services)
    try:
        yield store
    finally:
        store.close()


@contextlib.asynccontextmanager
async def make_checkpointer() -> AsyncIterator[AsyncSqliteSaver]:
    """Checkpointer factory: threads persist in ``<data_dir>/checkpoints.sqlite``."""
    services = await asyncio.to_thread(studio_services)
    async with AsyncSqliteSaver.from_conn_string(str(services.config.path("checkpoints.sqlite"))) as saver:
        yield saver
