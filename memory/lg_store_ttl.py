"""A background thread that deletes expired store items every few minutes."""

from __future__ import annotations

import concurrent.futures
import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class TTLSweeper:
    """Call ``sweep`` every ``interval_minutes`` on a daemon thread until stopped.

    Example:
        >>> sweeper = TTLSweeper(store.sweep_ttl, interval_minutes=5)
        >>> done = sweeper.start()
        >>> sweeper.stop(timeout=10)
        True
    """

    def __init__(self, sweep: Callable[[], int], interval_minutes: float) -> None:
        if interval_minutes <= 0:
            raise ValueError(
                f"sweep interval must be > 0 minutes, got {interval_minutes}; set TTLConfig['sweep_interval_minutes']"
            )
        self._sweep = sweep
        self._interval = interval_minutes * 60
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._done: concurrent.futures.Future[None] = concurrent.futures.Future()

    @property
    def running(self) -> bool:
        """Whether the sweeper thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> concurrent.futures.Future[None]:
        """Start the thread (once); the future resolves when it has stopped."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="tiermem-ttl-sweeper", daemon=True)
            self._thread.start()
        return self._done

    def stop(self, timeout: float | None = None) -> bool:
        """Ask the thread to stop; ``True`` once it has (or never ran)."""
        self._stop.set()
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _loop(self) -> None:
        try:
            while not self._stop.wait(self._interval):
                try:
                    swept = self._sweep()
                except Exception:  # a failed sweep must not end the sweeper
                    log.exception("TTL sweep failed; retrying in %.0f s", self._interval)
                else:
                    if swept:
                        log.info("TTL sweep deleted %d expired items", swept)
        finally:
            self._done.set_result(None)
