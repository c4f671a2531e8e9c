"""Saved traces: one JSONL file of events per thread, read back as turns.

Files live in ``<data_dir>/traces/``; a file's name is its thread id,
percent-quoted (a thread id longer than the file system allows is hashed).
Events of one turn share a ``run_id``; :func:`group_turns` turns a thread's
events into :class:`TraceTurn` objects the CLI and the HTML page render.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel
from tiermem.memory.errors import NotFoundError

from .redaction import REDACTED, redact_value

log = logging.getLogger(__name__)

SUFFIX = ".jsonl"
LOCK = ".lock"
"""The traces folder's lock file (appends and redactions take it)."""
NO_THREAD = "-"
"""File stem of events that carry no thread id."""
_MAX_STEM = 180


def file_stem(thread_id: str) -> str:
    """The file name (without suffix) of a thread's events."""
    stem = quote(thread_id, safe="") if thread_id != NO_THREAD else "%2D"  # "-" is not "no thread"
    stem = stem or NO_THREAD
    if stem.startswith(".") or len(stem) > _MAX_STEM:
        digest = hashlib.sha256(thread_id.encode("utf-8")).hexdigest()[:16]
        stem = f"{stem[: _MAX_STEM - 17].lstrip('.')}~{digest}"
    return stem


class ThreadSummary(BaseModel):
    """One saved thread, as ``tiermem trace list`` prints it."""

    thread_id: str
    user_id: str
    """The users of its turns, in the order they first spoke (a thread id two users shared without
    a checkpointer lists both)."""
    turns: int
    updated_at: str


@dataclass
class TraceTurn:
    """The events of one turn (one user message through the graph), by node."""

    run_id: str
    events: list[dict[str, Any]] = field(default_factory=list)

    def node(self, name: str) -> dict[str, Any]:
        """The event of node ``name`` in this turn (empty if it did not run)."""
        return next((e for e in self.events if e.get("node") == name), {})

    @property
    def first(self) -> dict[str, Any]:
        return self.events[0] if self.events else {}

    @property
    def ms(self) -> float:
        """Total node time of the turn."""
        return round(sum(float(e.get("ms", 0.0)) for e in self.events), 3)

    def as_json(self) -> dict[str, Any]:
        """The turn as JSON: ids, message, the gate's tier and every event."""
        gate = self.node("gate")
        return {
            "run_id": self.run_id,
            "thread_id": self.first.get("thread_id", ""),
            "user_id": self.first.get("namespace", ""),
            "at": self.first.get("at", ""),
            "message": self.first.get("input", ""),
            "tier": gate.get("decision"),
            "ms": self.ms,
            "events": self.events,
        }


def group_turns(events: Iterable[dict[str, Any]]) -> list[TraceTurn]:
    """Group events into turns by ``run_id``, in the order the turns started."""
    turns: dict[str, TraceTurn] = {}
    for ev in events:
        run_id = str(ev.get("run_id") or ev.get("message_id") or "")
        turns.setdefault(run_id, TraceTurn(run_id)).events.append(ev)
    return list(turns.values())


class TraceStore:
    """Reads and appends the JSONL trace files in one folder.

    Args:
        folder: the traces folder (``config.path("traces")``).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def path(self, thread_id: str) -> Path:
        """The file of ``thread_id``'s events."""
        return self.folder / f"{file_stem(thread_id)}{SUFFIX}"

    def append(self, events: list[dict[str, Any]]) -> None:
        """Append events, each to its thread's file (one write per file)."""
        by_file: dict[Path, list[str]] = {}
        for ev in events:
            line = json.dumps(ev, ensure_ascii=False, default=str)
            by_file.setdefault(self.path(str(ev.get("thread_id") or "")), []).append(line + "\n")
        self.folder.mkdir(parents=True, exist_ok=True)
        with self._locked():
            for path, lines in by_file.items():
                with path.open("a", encoding="utf-8") as handle:
                    handle.write("".join(lines))

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """The folder's lock, across processes: a redaction rewrites a file through a rename,
        and an append made meanwhile by another process went to the replaced file and was lost."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / LOCK).open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _read(self, path: Path) -> list[dict[str, Any]]:
        events = []
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    events.append(json.loads(line))
                except json.JSONDecodeError:  # a line cut by a crash mid-write: skip it, keep the rest
                    log.warning("skipping unreadable line %d of %s", number, path)
        return events

    def events(self, thread_id: str) -> list[dict[str, Any]]:
        """Every saved event of ``thread_id``, oldest first.

        Raises:
            NotFoundError: no trace was saved for that thread.
        """
        path = self.path(thread_id)
        if not path.is_file():
            known = ", ".join(t.thread_id or NO_THREAD for t in self.threads()[-10:]) or "none yet"
            raise NotFoundError(
                f"no trace for thread {thread_id!r} in {self.folder}; saved threads: {known} "
                "(see `tiermem trace list`, and pass the same --data-dir the conversation used)"
            )
        return self._read(path)

    def turns(self, thread_id: str) -> list[TraceTurn]:
        """The saved turns of ``thread_id``, oldest first."""
        return group_turns(self.events(thread_id))

    def threads(self) -> list[ThreadSummary]:
        """Every saved thread, least recently updated first."""
        if not self.folder.is_dir():
            return []
        summaries = []
        for path in self.folder.glob(f"*{SUFFIX}"):
            events = self._read(path)
            if not events:
                continue
            summaries.append(
                ThreadSummary(
                    thread_id=str(events[-1].get("thread_id") or ""),
                    user_id=", ".join(dict.fromkeys(str(e["namespace"]) for e in events if e.get("namespace"))),
                    turns=len(group_turns(events)),
                    updated_at=str(events[-1].get("ts") or ""),
                )
            )
        return sorted(summaries, key=lambda s: (s.updated_at, s.thread_id))

    def redact(self, namespace: str, texts: Iterable[str], *, mask: str = REDACTED) -> int:
        """Replace forgotten ``texts`` in the saved events of ``namespace``; returns events changed.

        A string field holding a text is masked where it occurs; a field that is the
        shortened start of one (a message cut with "…") is masked whole. Files are
        rewritten through a temporary file and an atomic rename.
        """
        needles = [t for t in texts if t]
        if not needles or not self.folder.is_dir():
            return 0
        changed = 0
        for path in self.folder.glob(f"*{SUFFIX}"):
            with self._locked():  # no append may land in the file being replaced
                events = self._read(path)
                redacted = [redact_value(e, needles, mask) if e.get("namespace") == namespace else e for e in events]
                touched = sum(a != b for a, b in zip(events, redacted, strict=True))
                if touched:
                    self._replace(path, redacted)
                    changed += touched
        return changed

    def erase(self, namespace: str) -> int:
        """Delete every saved event of ``namespace`` (a user erased); returns how many. A file left
        with no event is removed; one that keeps other users' events is rewritten through a
        temporary file and an atomic rename."""
        if not self.folder.is_dir():
            return 0
        erased = 0
        for path in self.folder.glob(f"*{SUFFIX}"):
            with self._locked():
                events = self._read(path)
                kept = [e for e in events if e.get("namespace") != namespace]
                if len(kept) == len(events):
                    continue
                erased += len(events) - len(kept)
                if not kept:
                    path.unlink()
                    continue
                self._replace(path, kept)
        return erased

    def _replace(self, path: Path, events: list[dict[str, Any]]) -> None:
        """Write ``events`` as ``path``'s whole content, through a temporary file and a rename."""
        lines = [json.dumps(ev, ensure_ascii=False, default=str) + "\n" for ev in events]
        tmp = path.with_suffix(".redacting")
        tmp.write_text("".join(lines), encoding="utf-8")
        tmp.replace(path)

    def delete(self, thread_id: str) -> bool:
        """Delete a thread's saved trace; returns whether one existed."""
        path = self.path(thread_id)
        existed = path.is_file()
        path.unlink(missing_ok=True)
        return existed
