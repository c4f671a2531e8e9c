"""Progress of long work: a bar on a terminal, structured log lines elsewhere.

Bulk imports, exports, fills and benchmarks report through :class:`Progress`.
On a terminal it draws a tqdm bar; anywhere else (a pipe, a file, a CI log) it
logs one line every tenth of the work on the ``tiermem.progress`` logger, as
JSON after the word ``progress``: ``progress {"task": "import notes.jsonl", "done": 2048,
"total": 20480, "unit": "row", "elapsed_s": 2.1, "per_s": 975.2}``.

Example:
    >>> with Progress(total=3, task="embed", unit="row") as progress:
    ...     for _ in range(3):
    ...         progress.update(1)
    >>> [text for text in track(["a", "b"], task="read")]
    ['a', 'b']
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from tqdm import tqdm

log = logging.getLogger("tiermem.progress")
T = TypeVar("T")
STEPS = 10
"""Log lines over the whole work when there is no terminal (one every tenth)."""


class Progress:
    """Counts work done towards ``total``: a bar on a terminal, a log line every tenth elsewhere.

    Args:
        total: units of work, if known (without it a log line every :data:`STEPS` updates).
        task: what is being done, as shown and logged.
        unit: what is counted (``row``, ``turn`` ...).
        show: ``True`` a bar, ``False`` log lines, ``None`` a bar only when stderr is a terminal.
        quiet: neither bar nor log lines.
    """

    def __init__(
        self, total: int | None = None, *, task: str, unit: str = "it", show: bool | None = None, quiet: bool = False
    ) -> None:
        self.total = total
        self.task = task
        self.unit = unit
        self.done = 0
        self._step = max(total // STEPS, 1) if total else None
        """Units between two log lines; ``None`` (no total): a line every :data:`STEPS` updates."""
        self._updates = 0
        self._started = time.perf_counter()
        self._logs = not quiet and not (sys.stderr.isatty() if show is None else show)
        bar = not quiet and not self._logs
        self._bar = tqdm(total=total, desc=task, unit=unit, disable=not bar, dynamic_ncols=True)

    def update(self, units: int = 1) -> None:
        """``units`` more done."""
        before, self.done = self.done, self.done + units
        self._updates += 1
        self._bar.update(units)
        if not self._logs:
            return
        if self._step is None:
            if self._updates % STEPS == 0:
                self._log()
        elif before // self._step != self.done // self._step:
            self._log()

    def _log(self) -> None:
        elapsed = time.perf_counter() - self._started
        fields = {
            "task": self.task,
            "done": self.done,
            "total": self.total,
            "unit": self.unit,
            "elapsed_s": round(elapsed, 1),
            "per_s": round(self.done / elapsed, 1) if elapsed > 0 else None,
        }
        log.info("progress %s", json.dumps(fields, ensure_ascii=False))

    def describe(self, task: str) -> None:
        """Name what is being done now (the bar's label, the log lines' ``task``)."""
        self.task = task
        self._bar.set_description(task)

    def close(self) -> None:
        """End the bar (a last log line if the work ended short of ``total`` or had none)."""
        if self._logs and self.done and (self._step is None or self.done % self._step):
            self._log()
        self._bar.close()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def track(
    items: Iterable[T],
    *,
    task: str,
    total: int | None = None,
    unit: str = "it",
    show: bool | None = None,
    quiet: bool = False,
) -> Iterator[T]:
    """``items``, one by one, counted by a :class:`Progress` (``total``: ``len(items)`` where it has one)."""
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    with Progress(total, task=task, unit=unit, show=show, quiet=quiet) as progress:
        for item in items:
            yield item
            progress.update(1)


def tracker(quiet: bool = False, show: bool | None = None) -> Any:
    """A tqdm-like wrapper ``(iterable, desc=..., total=..., unit=...)`` over :func:`track`, for
    code that takes a progress function (the benchmarks)."""

    def wrap(items: Iterable[T], *, desc: str, total: int | None = None, unit: str = "it") -> Iterator[T]:
        return track(items, task=desc, total=total, unit=unit, show=show, quiet=quiet)

    return wrap
