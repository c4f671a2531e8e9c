"""Several processes on one data dir: a commit lock and read retries.

LanceDB commits each change as a new table version and resolves most
concurrent commits itself, but two of its races surface to callers, both
measured with two to four processes on one directory:

- two processes creating the full-text index (or a table) at once: one
  fails with ``Retryable commit conflict ... CreateIndex`` *after* its rows
  were appended, so the caller sees an error for a write that happened;
- a cleanup of old versions (``optimize(cleanup_older_than=0)``, run by
  ``forget``) deletes files that a read in another process is still
  scanning: ``lance error: Not found: .../data/....lance``.

:class:`CommitLock` serialises every commit to a local data dir (threads
and processes; the OS releases the lock of a killed process), and
:func:`retry_read` re-runs a read that lost its files to a cleanup: with
``read_consistency_interval=0`` the retry reads the newest version.
Object-store URIs (``s3://``) get the thread lock only and rely on LanceDB's
own conflict retries.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from filelock import FileLock, Timeout

from .errors import StoreBusyError

T = TypeVar("T")

LOCK_FILE = ".tiermem-commit.lock"
"""The lock file inside a local data dir."""
READ_ATTEMPTS = 4
_VANISHED = "Not found"
"""What LanceDB's error says when a version's files were cleaned up under a read."""


class CommitLock:
    """One writer at a time on a data dir, across threads and processes (re-entrant).

    Args:
        uri: the data dir; a URI with ``://`` gets only the in-process lock.
        timeout: seconds to wait for another process's commit before giving up.
        name: the lock file's name in the data dir.
    """

    def __init__(self, uri: str, *, timeout: float = 120.0, name: str = LOCK_FILE) -> None:
        self.uri = uri
        self.timeout = timeout
        self.path = Path(uri) / name
        self._thread = threading.RLock()
        self._file = None if "://" in uri else FileLock(self.path, timeout=timeout)

    @contextmanager
    def __call__(self) -> Iterator[None]:
        """Hold the lock for the ``with`` block.

        Raises:
            StoreBusyError: another process held it for longer than ``timeout``.
        """
        with self._thread:
            if self._file is None:
                yield
                return
            try:
                self._file.acquire()
            except Timeout:
                raise StoreBusyError(
                    f"the data dir {self.uri} has been locked by another tiermem process for over "
                    f"{self.timeout:.0f} s (a long compaction?); retry later, or find the process "
                    f"holding {self.path}"
                ) from None
            try:
                yield
            finally:
                self._file.release()


def retry_read(read: Callable[[], T], *, attempts: int = READ_ATTEMPTS) -> T:
    """Run ``read``; if a concurrent cleanup removed the files it was reading, run it again."""
    for attempt in range(1, attempts):
        try:
            return read()
        except (RuntimeError, OSError, ValueError) as exc:  # pylance's ArrowInvalid is a ValueError
            if _VANISHED not in str(exc):
                raise
            time.sleep(0.01 * attempt)
    return read()


class KeyedLocks:
    """One in-process lock per key (a namespace): read-modify-write steps of one user, such as
    turning ended sessions into episodes or counting a fact's confirmations, run one at a time
    while other users' run freely.

    Example:
        >>> locks = KeyedLocks()
        >>> with locks.hold("alice"):
        ...     pass
    """

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, threading.RLock] = {}

    @contextmanager
    def hold(self, key: str) -> Iterator[None]:
        """Hold ``key``'s lock (re-entrant) for the block."""
        with self._guard:
            lock = self._locks.setdefault(key, threading.RLock())
        with lock:
            yield
