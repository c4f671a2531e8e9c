"""A turn's retrieval started early, on a thread, while the gate and the tools write.

The retrieval only reads what the user said before the turn: the turn's own message
and writes are left out of its context either way (``RetrievalAgent.retrieve``'s
``exclude``), and the turn's writes are appends, so a retrieval started once the gate
has embedded the message finds what one run after the writes finds. The gate starts it
(:meth:`RetrievalPrefetch.start`) unless the turn forgets something, the collect node
drops it (:meth:`RetrievalPrefetch.drop`) when the turn promoted a memory (a promotion
moves memories between tiers), and the retrieve node takes it
(:meth:`RetrievalPrefetch.take`) or, where there is none (another process resumed the
turn, it was dropped, it failed), retrieves then. On two cores the search runs beside
the writes' commits and the gate's rules instead of after them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tiermem.agents.retriever import RetrievalResult

log = logging.getLogger(__name__)

MAX_PENDING = 64
"""Retrievals started and not yet taken before the oldest are let go (turns that failed or
were interrupted between the gate and the retrieve node never take theirs)."""

MAX_AGE_S = 30.0
"""A retrieval started longer ago than this is not used (a turn resumed after it failed
between the gate and the retrieve node reads the memories again)."""


class RetrievalPrefetch:
    """Retrievals of turns in progress, keyed by turn, each run once on a worker thread.

    Args:
        workers: threads running retrievals (turns of different users run side by side).
    """

    def __init__(self, workers: int = 2) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tiermem-prefetch")
        self._pending: OrderedDict[str, tuple[float, Future[RetrievalResult]]] = OrderedDict()
        self._lock = threading.Lock()

    def start(self, key: str, retrieve: Callable[[], RetrievalResult]) -> None:
        """Run ``retrieve`` for the turn ``key`` now, on a worker thread."""
        future = self._pool.submit(retrieve)
        with self._lock:
            self._pending[key] = (time.monotonic(), future)
            while len(self._pending) > MAX_PENDING:
                _, (_, stale) = self._pending.popitem(last=False)
                stale.cancel()

    def drop(self, key: str) -> None:
        """Forget the turn ``key``'s retrieval (the turn changed what it would find)."""
        with self._lock:
            started = self._pending.pop(key, None)
        if started is not None:
            started[1].cancel()

    def take(self, key: str) -> RetrievalResult | None:
        """The turn ``key``'s retrieval, waiting for it to finish; ``None`` where none was
        started, it is older than :data:`MAX_AGE_S` or it failed (the caller retrieves again, so
        an error is raised there)."""
        with self._lock:
            started = self._pending.pop(key, None)
        if started is None:
            return None
        since, future = started
        if time.monotonic() - since > MAX_AGE_S:
            future.cancel()
            return None
        try:
            return future.result()
        except Exception as exc:  # the retrieve node retrieves again and raises it in the turn
            log.debug("prefetched retrieval of turn %s failed: %s", key, exc)
            return None
