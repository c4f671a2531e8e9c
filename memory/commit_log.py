"""The commits this process made, for in-memory copies of table rows that follow them.

:class:`~tiermem.memory.fact_heads.FactHeads` and
:class:`~tiermem.memory.read_cache.ReadCache` hold rows of the tables in memory
and must answer what a scan of the newest table versions answers. When a
table moves on they replay its new versions: a commit this process made is
applied as it was made (the store notes each one in a :class:`CommitLog`
with what it changed), a commit that changes no row is skipped (this
process's compactions are noted as such: pylance cannot always read back a
rewrite that remapped an index; other commits are known by their Lance
operation, :data:`UNCHANGED_OPERATIONS`), and at any other commit (another
process's write, a delete nobody noted, a forget) the follower drops what it
holds of that table and reads it again. A :class:`CommitFollower` waits for the
note of an own commit still on its way (another thread made it and has not
noted it yet) rather than take it for another process's and reload.

Example:
    >>> log: CommitLog[str] = CommitLog()
    >>> log.note("facts", 8, "appended row r1")
    >>> log.follow("facts", dataset_at_version_8, known=7)
    ['appended row r1']
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import lance

UNCHANGED_OPERATIONS = frozenset({"Rewrite", "CreateIndex", "UpdateConfig", "ReserveFragments", "BaseOperation"})
"""Lance operations that keep every row as it was. pylance 14 has no class for a
compaction's fragment-id reservation (``ReserveFragments``) and names it
``BaseOperation``; so are only operations that change no row either (MemWAL
state, base paths), and tiermem commits none of them."""
MAX_PENDING = 10_000
"""Rows of noted commits held at most; past this :meth:`CommitLog.note` says so and the follower starts over."""

Change = TypeVar("Change")


@dataclass(frozen=True, slots=True)
class Updated:
    """An own commit that set ``values`` of row ``record_id`` of ``namespace``."""

    namespace: str
    record_id: str
    values: Mapping[str, Any]


class _Unchanged:
    """A noted commit that changed no row."""


UNCHANGED = _Unchanged()


def operation(dataset: lance.LanceDataset, version: int) -> str | None:
    """The name of the Lance operation that made ``version`` (``None`` if it cannot be read:
    cleaned up, or one pylance cannot convert).

    Read on a handle of its own: pylance's ``read_transaction`` borrows the dataset
    mutably, and any other thread's read or append on the same handle meanwhile
    fails with ``RuntimeError: Already mutably borrowed``.
    """
    try:
        commit = dataset.checkout_version(dataset.version).read_transaction(version)
    except (OSError, ValueError, RuntimeError, TypeError):
        return None
    return type(commit.operation).__name__ if commit is not None else None


class CommitLog(Generic[Change]):
    """Changes this process committed, by table and version, until the follower moves past them.

    Not thread-safe: the follower calls it under its own lock.
    """

    def __init__(self, max_pending: int = MAX_PENDING) -> None:
        self.max_pending = max_pending
        self._pending: dict[str, dict[int, tuple[Change | _Unchanged, int]]] = {}
        self._rows = 0
        self._pins: dict[str, int] = {}
        """Table -> loads of it in flight: its changes are kept until the last one ends."""
        self._passed: dict[str, int] = {}
        """Pinned table -> the version its changes are let go of up to once unpinned."""

    def note(self, table: str, version: int, change: Change | _Unchanged, rows: int = 1) -> bool:
        """Keep ``change`` (of ``rows`` rows), which made ``version`` of ``table``; ``False``
        when the log holds more than :attr:`max_pending` rows (the follower should drop what
        it holds of the table and :meth:`forget` it)."""
        self._pending.setdefault(table, {})[version] = (change, rows)
        self._rows += rows
        return self._rows <= self.max_pending

    def note_unchanged(self, table: str, versions: Iterable[int]) -> bool:
        """``versions`` of ``table`` changed no row; ``False`` when the log is full."""
        return all([self.note(table, version, UNCHANGED) for version in versions])

    def follow(self, table: str, dataset: lance.LanceDataset, known: int) -> list[Change] | None:
        """The changes that took ``table`` from version ``known`` to ``dataset``'s, in order
        (those before it are let go), or ``None`` at a commit that is neither noted nor one
        that keeps every row."""
        pending = self._pending.get(table, {})
        changes: list[Change] = []
        followed = True
        for version in range(known + 1, dataset.version + 1):
            noted = pending.get(version)
            if noted is None:
                followed = operation(dataset, version) in UNCHANGED_OPERATIONS
                if not followed:
                    break
            elif not isinstance(noted[0], _Unchanged):
                changes.append(noted[0])
        self.passed(table, dataset.version)
        return changes if followed else None

    def passed(self, table: str, version: int) -> None:
        """Let go of the changes of ``table`` up to ``version`` (once it is unpinned)."""
        if table in self._pins:
            self._passed[table] = max(version, self._passed.get(table, version))
            return
        pending = self._pending.get(table, {})
        for noted in [v for v in pending if v <= version]:
            self._rows -= pending.pop(noted)[1]

    def pin(self, table: str) -> None:
        """Keep every change of ``table`` noted from now on until :meth:`unpin`: a load of its
        rows is in flight, and the changes other reads replay meanwhile must be replayed onto
        the loaded rows too."""
        self._pins[table] = self._pins.get(table, 0) + 1

    def unpin(self, table: str) -> None:
        """End a :meth:`pin`; after the last, let go of the changes passed meanwhile."""
        self._pins[table] -= 1
        if not self._pins[table]:
            del self._pins[table]
            if table in self._passed:
                self.passed(table, self._passed.pop(table))

    def pinned(self, table: str) -> bool:
        """Whether a load of ``table`` is in flight (:meth:`pin`)."""
        return table in self._pins

    def forget(self, table: str) -> None:
        """Let go of every change of ``table``."""
        self._rows -= sum(rows for _, rows in self._pending.pop(table, {}).values())

    def clear(self) -> None:
        """Let go of every change."""
        self._pending.clear()
        self._rows = 0


class CommitFollower(Generic[Change]):
    """What a follower of this process's commits shares: its lock (a condition), its log of
    own commits, the table versions it has moved to, and the own commits in flight per table.

    The store holds :meth:`committing` around each own commit and its note. A read on
    another thread may meet the new version before the note: it waits for the note
    (:meth:`_must_move`) rather than take the version for another process's commit and
    read the table again. A read that loads rows pins their tables in the log from before
    it reads until the rows are kept, and :meth:`_catch_up` replays onto them what other
    reads replayed meanwhile.
    """

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._commits: CommitLog[Change] = CommitLog()
        self._versions: dict[str, int] = {}
        """Table -> the version the rows held are at."""
        self._committing: dict[str, int] = {}
        """Own commits in flight per table (made, or about to be, and not noted yet)."""

    @contextmanager
    def committing(self, table: str) -> Iterator[None]:
        """Hold around an own commit to ``table`` and its note."""
        with self._lock:
            self._committing[table] = self._committing.get(table, 0) + 1
        try:
            yield
        finally:
            with self._lock:
                self._committing[table] -= 1
                self._lock.notify_all()

    def _must_move(self, table: str, version: int) -> bool:
        """Whether ``table`` must move on to ``version``, once the own commits to it in flight
        are noted (their notes may be what takes it there); the caller holds the lock."""
        while True:
            known = self._versions.get(table)
            if known is not None and version <= known:
                return False
            if not self._committing.get(table):
                return True
            self._lock.wait()

    def _catch_up(self, table: str, loaded: lance.LanceDataset) -> list[Change] | None:
        """The changes that took ``table`` from ``loaded``'s version (that of rows just loaded)
        to the version the follower has moved to meanwhile, in order; ``None`` at one it cannot
        follow. The caller holds the lock and pinned the table before the load began."""
        known = self._versions.get(table, loaded.version)
        if known <= loaded.version:
            return []
        return self._commits.follow(table, loaded.checkout_version(known), loaded.version)
