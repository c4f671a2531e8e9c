"""Which namespaces this process's commits changed, and from which messages.

A read made early (the graph's retrieval started beside a turn's writes,
:mod:`tiermem.graphs.prefetch`) is still what a read now would find if nothing
but the turn's own writes changed the namespace since. :class:`NamespaceChanges`
numbers every row-changing commit of a :class:`~tiermem.memory.store.TierStore`
and keeps, per namespace, the last ones with the messages their rows came from;
:meth:`NamespaceChanges.others_since` answers whether anything else changed a
namespace after a mark. Deletes, updates and bulk imports count as changes from
something else; a commit it cannot attribute (a purge of expired rows in every
namespace) counts for every namespace. Commits of other processes sharing the
data dir are not seen.

Example:
    >>> changes = NamespaceChanges()
    >>> mark = changes.mark()
    >>> changes.note(["alice"], sources=["m1"])
    >>> changes.others_since("alice", mark, own="m1"), changes.others_since("alice", mark, own="m2")
    (False, True)
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from collections.abc import Iterable

KEPT_PER_NAMESPACE = 32
"""Commits remembered per namespace; a mark older than all of them counts as changed."""
MAX_NAMESPACES = 4_096
"""Namespaces remembered; one let go counts as changed for a mark older than its last commit."""


class NamespaceChanges:
    """A numbered log of the row-changing commits of one store, per namespace (thread-safe)."""

    def __init__(self) -> None:
        self._serial = 0
        self._everyone = 0
        """The last commit that may have changed any namespace."""
        self._forgotten = 0
        """The newest commit of the namespaces let go."""
        self._log: OrderedDict[str, deque[tuple[int, frozenset[str] | None]]] = OrderedDict()
        self._lock = threading.Lock()

    def mark(self) -> int:
        """The number of the newest commit: what changes after now are counted from."""
        with self._lock:
            return self._serial

    def note(self, namespaces: Iterable[str] | None, sources: Iterable[str] | None = None) -> None:
        """A commit changed the rows of ``namespaces`` (``None``: any namespace); ``sources``:
        the messages the rows it added came from (``None``: it did more than add rows)."""
        with self._lock:
            self._serial += 1
            if namespaces is None:
                self._everyone = self._serial
                return
            entry = (self._serial, frozenset(sources) if sources is not None else None)
            for namespace in set(namespaces):
                log = self._log.pop(namespace, None) or deque(maxlen=KEPT_PER_NAMESPACE)
                log.append(entry)
                self._log[namespace] = log
            while len(self._log) > MAX_NAMESPACES:
                _, dropped = self._log.popitem(last=False)
                self._forgotten = max(self._forgotten, dropped[-1][0])

    def others_since(self, namespace: str, mark: int, own: str) -> bool:
        """Whether a commit after ``mark`` changed ``namespace`` other than by adding rows that
        came from the message ``own`` (or may have: a mark older than what is remembered)."""
        with self._lock:
            if self._everyone > mark:
                return True
            log = self._log.get(namespace)
            if log is None:
                return self._forgotten > mark
            if len(log) == log.maxlen and log[0][0] > mark:
                return True  # some of its commits since the mark are no longer remembered
            return any(serial > mark and sources != {own} for serial, sources in log)
