"""The background writer: saves trace events off the request path.

A turn only puts its events on a queue; one daemon thread per process appends
them to the JSONL files of their traces folders and exports OpenTelemetry
spans. A failure there (disk full, unwritable folder, exporter error) is
logged and never reaches the turn. Queued events are flushed at interpreter
exit and by :meth:`TraceWriter.flush` (call it before reading traces back in
the same process).
"""

from __future__ import annotations

import atexit
import logging
import queue
import threading
from pathlib import Path
from typing import Any, ClassVar

from .trace_otel import OtelExporter
from .trace_store import TraceStore

log = logging.getLogger(__name__)


class TraceWriter:
    """Saves events from one background thread; use :meth:`shared` for the process's writer."""

    _shared: ClassVar[TraceWriter | None] = None
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self) -> None:
        self.otel = OtelExporter.create()
        self._queue: queue.Queue[tuple[Path | None, Any, Any]] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="tiermem-trace-writer", daemon=True)
        self._thread.start()

    @classmethod
    def shared(cls) -> TraceWriter:
        """The process's writer, started on first use."""
        with cls._lock:
            if cls._shared is None:
                cls._shared = cls()
            return cls._shared

    def put(self, folder: Path, event: dict[str, Any]) -> None:
        """Queue ``event`` for ``folder`` (returns at once); the OpenTelemetry context is captured here."""
        self._queue.put((folder, event, self.otel.current_context() if self.otel else None))

    def flush(self, timeout: float = 10.0, *, end_turns: bool = False) -> bool:
        """Wait until every queued event is written; ``False`` if ``timeout`` seconds passed first.

        Args:
            timeout: seconds to wait.
            end_turns: also export the spans of turns that never ended (a node raised).
        """
        done = threading.Event()
        self._queue.put((None, done, end_turns))
        return done.wait(timeout)

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            while not self._queue.empty():
                batch.append(self._queue.get_nowait())
            by_folder: dict[Path, list[dict[str, Any]]] = {}
            for folder, event, _ in batch:
                if folder is not None:
                    by_folder.setdefault(folder, []).append(event)
            for folder, events in by_folder.items():
                try:
                    TraceStore(folder).append(events)
                except Exception:  # noqa: BLE001 — a trace that cannot be saved must not stop the writer
                    log.exception("could not save %d trace events to %s", len(events), folder)
            for folder, item, extra in batch:
                if folder is not None:
                    if self.otel is not None:
                        self.otel.export(item, extra)
                    continue
                if extra and self.otel is not None:
                    self.otel.end_pending()
                item.set()


def _flush_at_exit() -> None:
    if TraceWriter._shared is not None:
        TraceWriter._shared.flush(5.0, end_turns=True)


atexit.register(_flush_at_exit)
