"""Store benchmark: LanceDBStore against LangGraph's InMemoryStore and SqliteStore.

Each store gets the same ``n`` items (values ``{"text", "i", "group"}`` in 100
user namespaces ``("bench", "u<k>")``, every ``text`` embedded) and then times
``samples`` single calls of each operation, all in one run so the ratios
compare like with like:

- ``put``: overwrite a random existing item (re-embedding it);
- ``get``: read a random item;
- ``search``: semantic search in one user's namespace (1% of the items), top 10;
- ``search_all``: semantic search over every item, top 10;
- ``filter``: ``{"group": k}`` in one user's namespace, no query, top 10.

Embeddings come from a hash-seeded random projection (``dims`` wide, a few
microseconds a text), identical for every store, so the timings are the
stores' own cost. Run with ``tiermem bench store``.
"""

from __future__ import annotations

import contextlib
import hashlib
import random
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from langgraph.store.base import BaseStore, PutOp
from pydantic import BaseModel
from tiermem.memory.lg_store import LanceDBStore
from tiermem.memory.progress import Progress

STORES = ("lancedb", "inmemory", "sqlite")
OPERATIONS = ("put", "get", "search", "search_all", "filter")
USERS = 100


class Latency(BaseModel):
    """Per-call latency of one operation on one store at one size."""

    store: str
    op: str
    n_items: int
    p50_ms: float
    p95_ms: float
    load_s: float
    """Seconds it took to load the ``n_items`` (batches of 1000 puts)."""


class StoreBenchReport(BaseModel):
    """Every latency of a run, and LanceDB's p50 as a multiple of each baseline's."""

    dims: int
    samples: int
    results: list[Latency]

    def ratio(self, op: str, n_items: int, baseline: str) -> float:
        """LanceDB p50 / ``baseline`` p50 for ``op`` at ``n_items`` (>1: LanceDB is slower)."""
        p50 = {(r.store, r.op, r.n_items): r.p50_ms for r in self.results}
        return p50["lancedb", op, n_items] / p50[baseline, op, n_items]


def hash_embed(dims: int) -> Callable[[list[str]], list[list[float]]]:
    """A deterministic embedding function: unit vectors seeded by each text's digest."""

    def embed(texts: list[str]) -> list[list[float]]:
        rows = []
        for text in texts:
            seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
            vector = np.random.default_rng(seed).standard_normal(dims)
            rows.append((vector / np.linalg.norm(vector)).tolist())
        return rows

    return embed


@contextlib.contextmanager
def open_store(kind: str, workdir: Path, dims: int) -> Iterator[BaseStore]:
    """A fresh store of ``kind`` with the hash embedder, cleaned up on exit."""
    index = {"dims": dims, "embed": hash_embed(dims), "fields": ["text"]}
    if kind == "lancedb":
        yield LanceDBStore(workdir / "lancedb", index=index)
    elif kind == "inmemory":
        from langgraph.store.memory import InMemoryStore

        yield InMemoryStore(index=index)
    elif kind == "sqlite":
        from langgraph.store.sqlite import SqliteStore

        sqlite_index = {**index, "text_fields": index["fields"]}  # SqliteStore ignores `fields`
        conn = sqlite_connection(workdir / "store.sqlite")
        try:
            store = SqliteStore(conn, index=sqlite_index)  # type: ignore[arg-type]
            store.setup()
            yield store
        finally:
            conn.close()
    else:
        raise ValueError(f"unknown store {kind!r}; use one of {STORES}")


def sqlite_connection(path: Path) -> Any:
    """A SQLite connection that can load sqlite-vec, as SqliteStore's vector index needs.

    Raises:
        RuntimeError: this Python's ``sqlite3`` cannot load extensions and
            ``pysqlite3-binary`` is not installed.
    """
    try:
        import pysqlite3.dbapi2 as sqlite  # type: ignore[import-not-found]
    except ImportError:
        import sqlite3 as sqlite
    conn = sqlite.connect(str(path), check_same_thread=False, isolation_level=None)
    if not hasattr(conn, "enable_load_extension"):
        conn.close()
        raise RuntimeError(
            "this Python's sqlite3 cannot load extensions, so SqliteStore has no vector "
            "search here; pip install pysqlite3-binary (or run --stores lancedb,inmemory)"
        )
    return conn


def _value(i: int, version: int = 0) -> dict:
    return {"text": f"note {i} v{version} about topic {i % 37} and place {i % 11}", "i": i, "group": i % 10}


def _namespace(i: int) -> tuple[str, str]:
    return ("bench", f"u{i % USERS}")


def load(store: BaseStore, n: int, batch: int = 1000) -> float:
    """Put ``n`` items in batches; returns the seconds it took."""
    start = time.perf_counter()
    for first in range(0, n, batch):
        store.batch([PutOp(_namespace(i), f"k{i}", _value(i)) for i in range(first, min(n, first + batch))])
    if isinstance(store, LanceDBStore):
        store.setup()  # compact and index, as a long-running store would have
    return time.perf_counter() - start


def time_operations(store: BaseStore, n: int, samples: int, seed: int = 0) -> dict[str, list[float]]:
    """Milliseconds of ``samples`` calls of each operation in :data:`OPERATIONS`."""
    rng = random.Random(seed)
    calls: dict[str, Callable[[int], object]] = {
        "put": lambda i: store.put(_namespace(i), f"k{i}", _value(i, version=rng.randrange(10**6))),
        "get": lambda i: store.get(_namespace(i), f"k{i}"),
        "search": lambda i: store.search(_namespace(i), query=f"topic {i % 37}", limit=10),
        "search_all": lambda i: store.search(("bench",), query=f"place {i % 11}", limit=10),
        "filter": lambda i: store.search(_namespace(i), filter={"group": i % 10}, limit=10),
    }
    timings: dict[str, list[float]] = {}
    for op, call in calls.items():
        timings[op] = []
        for _ in range(samples):
            i = rng.randrange(n)
            start = time.perf_counter()
            call(i)
            timings[op].append((time.perf_counter() - start) * 1000)
    return timings


def bench_stores(
    sizes: tuple[int, ...] = (10_000, 100_000),
    stores: tuple[str, ...] = STORES,
    samples: int = 200,
    dims: int = 64,
    progress: bool = True,
) -> StoreBenchReport:
    """Load and time every store at every size (see the module docstring)."""
    results = []
    steps = Progress(len(sizes) * len(stores), task="store bench", unit="run", quiet=not progress)
    for n in sizes:
        for kind in stores:
            steps.describe(f"store bench {kind} n={n}")
            workdir = tempfile.TemporaryDirectory(prefix="tiermem-bench-")
            with workdir as tmp, open_store(kind, Path(tmp), dims) as store:
                load_s = load(store, n)
                for op, ms in time_operations(store, n, samples).items():
                    p50, p95 = np.percentile(ms, [50, 95])
                    results.append(Latency(store=kind, op=op, n_items=n, p50_ms=p50, p95_ms=p95, load_s=load_s))
            steps.update()
    steps.close()
    return StoreBenchReport(dims=dims, samples=samples, results=results)
