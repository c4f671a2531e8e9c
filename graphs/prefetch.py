"""Speculative retrieval: read the store while the turn's writes run.

A turn's context does not depend on what the turn itself writes (its own
memories are left out of it), so the ``ingest`` node starts the retrieval on
a worker thread and the ``retrieve`` node collects it once the gate and the
tools are done: the reads overlap the writes instead of queueing behind them
(LanceDB releases the GIL). A turn whose retrieval was not started here (a
thread resumed from a checkpoint in another process, ``prefetch_retrieval``
off) retrieves in place.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from tiermem.agents.retriever import RetrievalResult

STALE_AFTER_S = 300.0
"""A started retrieval nobody collected (its turn failed after ``ingest``) is dropped after this long."""


class RetrievalPrefetch:
    """Retrievals started ahead of the ``retrieve`` node, keyed by turn.

    Args:
        workers: threads running retrievals at once.
    """

    def __init__(self, workers: int = 4) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tiermem-retrieve")
        self._started: dict[str, tuple[Future[RetrievalResult], float]] = {}
        self._lock = threading.Lock()

    def start(self, turn_key: str, retrieve: Callable[[], RetrievalResult]) -> None:
        """Run ``retrieve`` on a worker thread for the turn ``turn_key``."""
        future = self._pool.submit(retrieve)
        now = time.monotonic()
        with self._lock:
            for key in [k for k, (_, at) in self._started.items() if now - at > STALE_AFTER_S]:
                del self._started[key]
            self._started[turn_key] = (future, now)

    def take(self, turn_key: str) -> Future[RetrievalResult] | None:
        """The retrieval started for ``turn_key`` (handed out once), or ``None``."""
        with self._lock:
            started = self._started.pop(turn_key, None)
        return started[0] if started else None

    @property
    def pending(self) -> int:
        """Retrievals started and not yet collected."""
        with self._lock:
            return len(self._started)
