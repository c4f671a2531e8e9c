"""The background writer: saves trace events off the request path.

A turn only puts its events on a queue; one daemon thread per traces folder
appends them to the JSONL files and exports OpenTelemetry spans. A failure
there (disk full, unwritable folder, exporter error) is logged and never
reaches the turn. Queued events are flushed at interpreter exit and by
:meth:`TraceWriter.flush` (the CLI calls it before reading traces back).
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
    """Saves events of one traces folder from a background thread.

    Use :meth:`for_folder` to share one writer (and thread) per folder.

    Args:
        folder: where the JSONL files go.
    """

    _writers: ClassVar[dict[Path, TraceWriter]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, folder: Path) -> None:
        self.store = TraceStore(folder)
        self.otel = OtelExporter.create()
        self._queue: queue.Queue[tuple[dict[str, Any], Any]] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name=f"tiermem-trace-{folder.name}", daemon=True)
        self._thread.start()

    @classmethod
    def for_folder(cls, folder: Path) -> TraceWriter:
        """The writer of ``folder``, started on first use."""
        key = Path(folder).absolute()
        with cls._lock:
            if key not in cls._writers:
                cls._writers[key] = cls(key)
            return cls._writers[key]

    @classmethod
    def flush_all(cls, timeout: float = 10.0, *, end_turns: bool = False) -> None:
        """Flush every writer of this process (at exit, and before reading traces)."""
        with cls._lock:
            writers = list(cls._writers.values())
        for writer in writers:
            writer.flush(timeout, end_turns=end_turns)

    def put(self, event: dict[str, Any]) -> None:
        """Queue an event (returns at once); the OpenTelemetry context is captured here."""
        self._queue.put((event, self.otel.current_context() if self.otel else None))

    def flush(self, timeout: float = 10.0, *, end_turns: bool = False) -> bool:
        """Wait until every queued event is written; ``False`` if ``timeout`` seconds passed first.

        Args:
            timeout: seconds to wait.
            end_turns: also export the spans of turns that never ended (a node raised).
        """
        done = threading.Event()
        self._queue.put(({}, (done, end_turns)))
        return done.wait(timeout)

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            while not self._queue.empty():
                batch.append(self._queue.get_nowait())
            events = [(ev, ctx) for ev, ctx in batch if ev]
            try:
                if events:
                    self.store.append([ev for ev, _ in events])
            except Exception:  # noqa: BLE001 — a trace that cannot be saved must not stop the writer
                log.exception("could not save %d trace events to %s", len(events), self.store.folder)
            if self.otel is not None:
                for ev, ctx in events:
                    self.otel.export(ev, ctx)
            for ev, marker in batch:
                if not ev:
                    done, end_turns = marker
                    if end_turns and self.otel is not None:
                        self.otel.end_pending()
                    done.set()


atexit.register(TraceWriter.flush_all, 5.0, end_turns=True)
