"""A turn's retrieval started early, on a thread, while the gate and the tools write.

The retrieval only reads what the user said before the turn: the turn's own
message and writes are left out of its context (``RetrievalAgent.retrieve``'s
``exclude``, applied before the candidates are cut), and the turn's writes are
appends. So a retrieval started once the gate has embedded the message finds
what one run after the writes finds, unless something else changed the user's
memories meanwhile. The gate starts it (:meth:`RetrievalPrefetch.start`) unless
the turn forgets something, the collect node drops it
(:meth:`RetrievalPrefetch.drop`) when the turn promoted a memory, and the
retrieve node takes it (:meth:`RetrievalPrefetch.take`). It is not taken, and
the retrieve node retrieves then, where this process changed the namespace
since it started other than by the turn's own writes (another turn of the user,
say, while this one waited at an interrupt: :mod:`tiermem.memory.changes`), where
it is older than :data:`MAX_AGE_S`, failed, or was started in another process.
On two cores the searches run beside the writes' commits and the gate's rules
instead of after them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tiermem.memory.changes import NamespaceChanges
from tiermem.memory.records import new_id

if TYPE_CHECKING:
    from tiermem.agents.retriever import RetrievalResult

log = logging.getLogger(__name__)

MAX_PENDING = 64
"""Retrievals started and not yet taken before the oldest are let go (turns that failed or
were interrupted between the gate and the retrieve node never take theirs)."""

MAX_AGE_S = 30.0
"""A retrieval started longer ago than this is not used (a turn resumed after it failed
between the gate and the retrieve node reads the memories again)."""


@dataclass(frozen=True, slots=True)
class _Started:
    namespace: str
    mark: int
    """The store's newest commit when the retrieval started (:meth:`NamespaceChanges.mark`)."""
    at: float
    future: Future[RetrievalResult]


class RetrievalPrefetch:
    """Retrievals of turns in progress, each run once on a worker thread.

    Args:
        changes: the store's log of changed namespaces (``TierStore.changes``).
        workers: threads running retrievals (turns of different users run side by side).
    """

    def __init__(self, changes: NamespaceChanges, workers: int = 2) -> None:
        self.changes = changes
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tiermem-prefetch")
        self._pending: OrderedDict[str, _Started] = OrderedDict()
        self._lock = threading.Lock()

    def start(self, namespace: str, retrieve: Callable[[], RetrievalResult]) -> str:
        """Run ``retrieve`` of ``namespace``'s memories now, on a worker thread; the id to take it by."""
        key = new_id()
        mark = self.changes.mark()  # before it reads: a change while it reads counts
        started = _Started(namespace, mark, time.monotonic(), self._pool.submit(retrieve))
        with self._lock:
            self._pending[key] = started
            while len(self._pending) > MAX_PENDING:
                _, stale = self._pending.popitem(last=False)
                stale.future.cancel()
        return key

    def drop(self, key: str) -> None:
        """Forget the retrieval ``key`` (the turn changed what it would find)."""
        with self._lock:
            started = self._pending.pop(key, None)
        if started is not None:
            started.future.cancel()

    def take(self, key: str, own: str) -> RetrievalResult | None:
        """The retrieval ``key``, waiting for it to finish, if it still reads what a retrieval now
        would: ``None`` where none was started (here) or it has not begun (the workers are busy
        with other turns': the caller's thread reads instead), it is older than :data:`MAX_AGE_S`, its
        namespace changed since other than by rows from the message ``own`` (the turn's), or it
        failed (the caller retrieves again, so an error is raised there)."""
        with self._lock:
            started = self._pending.pop(key, None)
        if started is None or started.future.cancel():  # still queued behind other turns': read here
            return None
        try:
            result = started.future.result()
        except Exception as exc:  # the retrieve node retrieves again and raises it in the turn
            log.debug("prefetched retrieval %s failed: %s", key, exc)
            return None
        stale = time.monotonic() - started.at > MAX_AGE_S
        return None if stale or self.changes.others_since(started.namespace, started.mark, own) else result

    def close(self) -> None:
        """Cancel the retrievals not begun and wait for those running; :meth:`start` is refused after."""
        with self._lock:
            self._pending.clear()
        self._pool.shutdown(wait=True, cancel_futures=True)
