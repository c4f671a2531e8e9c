"""Index management and compaction for the tier tables, off the request path.

LanceDB writes a new table version and a new small data file per commit, and
its indexes cover only the rows that existed when they were built: a table
that only ever grows gets slower every turn. :func:`maintain` keeps each
table fast as it grows:

- full-text index (ICU tokenizer; the store creates it on the first write; an index
  built with other tokenizer settings is built again);
- scalar BTREE indexes on the columns every query filters by (``namespace``,
  ``id``, ``key``, ``created_at``, ``expires_at``, ``observed_at``) once a table has
  :attr:`IndexPolicy.scalar_min_rows`; the tier needs none, a tier is a table;
- a vector index (IVF_SQ, IVF_HNSW_SQ or IVF_PQ) once a table has
  :attr:`IndexPolicy.vector_min_rows` (below that an exact scan is fast),
  retrained when the table has grown :attr:`IndexPolicy.rebuild_growth` times
  past the rows it was trained on;
- compaction of small files into files of at most
  :attr:`IndexPolicy.fragment_rows` rows (full files are never rewritten, see
  :mod:`tiermem.memory.compaction`), new rows added to every index, and cleanup
  of versions older than :attr:`IndexPolicy.keep_versions_for_s`.

None of this takes the store's write lock: LanceDB resolves appends against a
concurrent compaction or index build itself, so a turn never waits for it.
:class:`Maintainer` runs :func:`maintain` on a daemon thread;
``tiermem maintain`` runs it once.

Example:
    >>> with Maintainer(store, IndexPolicy(interval_s=30)):
    ...     serve()            # tables are indexed and compacted in the background
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

import lancedb
from lancedb.index import BTree
from pydantic import BaseModel, Field

from .compaction import compact_table
from .policies import IndexPolicy
from .records import TIERS, Tier
from .text_index import tokenizes_as_configured
from .vector_index import VECTOR_PREFIX, is_vector_index, trained_rows, vector_index_config

if TYPE_CHECKING:
    from .store import TierStore

log = logging.getLogger(__name__)
# Index statistics (read on every maintenance pass) leave the IVF centroids out, as Lance will
# by default: otherwise Lance warns on stderr at each pass, in the middle of a user's chat.
os.environ.setdefault("LANCE_INCLUDE_VECTOR_CENTROIDS", "false")

SCALAR_COLUMNS: tuple[str, ...] = ("namespace", "id", "key", "created_at", "expires_at", "observed_at")
"""Columns the store filters by: namespace isolation, id lookups, fact versions (and their recent
window), time scope."""
COMMIT_ATTEMPTS = 4
_CONFLICT = "Retryable commit conflict"
T = TypeVar("T")


class TableReport(BaseModel):
    """What one maintenance pass did to one table."""

    table: str
    rows: int
    created: list[str] = Field(default_factory=list)
    """Indexes built in this pass."""
    dropped: list[str] = Field(default_factory=list)
    """Vector indexes replaced by a retrained one."""
    optimized: bool = False
    deferred: bool = False
    """The compaction lost every commit race to concurrent deletes or updates; the next pass tries again."""
    seconds: float = 0.0


class MaintenanceReport(BaseModel):
    """What one maintenance pass did."""

    tables: list[TableReport] = Field(default_factory=list)
    seconds: float = 0.0


def needs_optimize(table: lancedb.table.Table, indices: Iterable[Any], policy: IndexPolicy) -> bool:
    """Whether an index misses enough rows, or the table has enough small files, to compact."""
    if indexes_behind(indices, policy.optimize_unindexed_rows):
        return True
    return small_fragments(table, policy.fragment_rows) >= policy.optimize_small_fragments


def indexes_behind(indices: Iterable[Any], rows: int) -> set[str]:
    """The names of the ``indices`` (LanceDB's index configs) that miss at least ``rows`` rows:
    the ones a compaction updates (an update costs about as much for a few rows as for thousands)."""
    return {index.name for index in indices if (index.num_unindexed_rows or 0) >= rows}


def small_fragments(table: lancedb.table.Table, target_rows: int) -> int:
    """How many of ``table``'s data files hold fewer than ``target_rows`` rows (from the manifest)."""
    return sum(fragment.metadata.physical_rows < target_rows for fragment in table.to_lance().get_fragments())


def retry_conflicts(action: Callable[[], T], attempts: int = COMMIT_ATTEMPTS) -> T:
    """Run ``action``, again after a short pause when its commit lost a race.

    LanceDB lets appends through a concurrent compaction or index build, but
    a compaction (``Rewrite``) loses to a concurrent delete or update with a
    "Retryable commit conflict": the turn's write wins, maintenance retries.
    """
    for attempt in range(attempts - 1):
        try:
            return action()
        except (RuntimeError, OSError) as exc:
            if not lost_commit_race(exc):
                raise
            time.sleep(0.05 * 2**attempt)
    return action()


def lost_commit_race(exc: BaseException) -> bool:
    """Whether ``exc`` is a commit that lost to a concurrent one (lancedb raises RuntimeError,
    pylance OSError)."""
    return isinstance(exc, RuntimeError | OSError) and _CONFLICT in str(exc)


def maintain_table(store: TierStore, tier: Tier, policy: IndexPolicy, *, force: bool = False) -> TableReport:
    """Bring one tier table's indexes up to ``policy`` and compact it if due (or ``force``)."""
    start = time.perf_counter()
    table = store.table(tier)
    rows = table.count_rows()
    report = TableReport(table=table.name, rows=rows)
    indices = list(table.list_indices())
    have = {column for index in indices for column in index.columns}
    if rows and "text" not in have:
        retry_conflicts(lambda: store.ensure_text_index(tier))
        report.created.append("text")
    elif any(i.index_type == "FTS" and not tokenizes_as_configured(i.index_details) for i in indices):
        # built with other tokenizer settings (an older tiermem): searches of it and of the
        # read cache would not find the same rows
        retry_conflicts(lambda: store.ensure_text_index(tier, rebuild=True))
        report.created.append("text")
    if rows >= policy.scalar_min_rows:
        for column in SCALAR_COLUMNS:
            if column not in have:
                retry_conflicts(partial(table.create_index, column, config=BTree(), replace=True))
                report.created.append(column)
    vectors = [index for index in indices if is_vector_index(index)]
    if rows >= policy.vector_min_rows and (
        not vectors or rows >= policy.rebuild_growth * max(trained_rows(v.name) for v in vectors)
    ):
        name = f"{VECTOR_PREFIX}{policy.vector_index}_{rows}"
        config = vector_index_config(policy.vector_index, rows, store.embedder.dim, policy)
        retry_conflicts(lambda: table.create_index("vector", config=config, name=name, replace=True))
        store.vector_index_changed(tier)
        report.created.append(name)
        for old in vectors:
            if old.name != name:
                retry_conflicts(partial(table.drop_index, old.name))
                report.dropped.append(old.name)
        indices = list(table.list_indices())
    if rows and (force or needs_optimize(table, indices, policy)):
        due = force or _passes(store).cleanup_due(tier, policy)
        keep = timedelta(seconds=policy.keep_versions_for_s) if due else None
        try:
            retry_conflicts(
                lambda: compact_table(
                    table,
                    target_rows=policy.fragment_rows,
                    keep_versions_for=keep,
                    merge_rows=policy.merge_index_rows,
                    reindex=indexes_behind(indices, 1 if force else policy.optimize_unindexed_rows),
                    on_unchanged=partial(store.rows_unchanged, table.name),
                )
            )
            report.optimized = True
        except (RuntimeError, OSError) as exc:
            if not lost_commit_race(exc):
                raise
            # the turns' deletes and updates kept winning: nothing is lost, the next pass compacts
            # (and cleans up, if this one was to)
            report.deferred = True
            if due and not force:
                _passes(store).cleaned.pop(tier, None)
            log.info("compaction of %s deferred: lost %d commit races to writes", table.name, COMMIT_ATTEMPTS)
    report.seconds = round(time.perf_counter() - start, 3)
    return report


@dataclass
class _Passes:
    """What this process keeps per store between maintenance passes."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    """One pass at a time per store: two would race each other's compactions."""
    cleaned: dict[Tier, float] = field(default_factory=dict)
    """When each table's old versions were last deleted (monotonic seconds)."""

    def cleanup_due(self, tier: Tier, policy: IndexPolicy) -> bool:
        """Whether a compaction of ``tier`` should delete old versions now (and note that it will)."""
        now = time.monotonic()
        if tier in self.cleaned and now - self.cleaned[tier] < policy.cleanup_interval_s:
            return False
        self.cleaned[tier] = now
        return True


_PASSES: weakref.WeakKeyDictionary[TierStore, _Passes] = weakref.WeakKeyDictionary()
_PASSES_GUARD = threading.Lock()


def _passes(store: TierStore) -> _Passes:
    """This process's maintenance state of ``store``."""
    with _PASSES_GUARD:
        return _PASSES.setdefault(store, _Passes())


def maintain(store: TierStore, policy: IndexPolicy | None = None, *, force: bool = False) -> MaintenanceReport:
    """One maintenance pass over every tier table of ``store``.

    Args:
        store: the tier store.
        policy: thresholds (default :class:`IndexPolicy`).
        force: compact and clean up even when no threshold is passed.
    """
    policy = policy or IndexPolicy()
    start = time.perf_counter()
    with _passes(store).lock:
        tables = [maintain_table(store, tier, policy, force=force) for tier in TIERS]
    for table in tables:
        if table.created or table.optimized:
            log.info("maintained table %s", table.model_dump_json())
    return MaintenanceReport(tables=tables, seconds=round(time.perf_counter() - start, 3))


_RUNNING: weakref.WeakSet[Maintainer] = weakref.WeakSet()
EXIT_WAIT_S = 30.0
"""How long the interpreter's exit waits for a maintenance pass in progress."""


@atexit.register
def _stop_at_exit() -> None:
    """Let a pass in progress end before the interpreter finalizes: a daemon thread still inside
    LanceDB's native code then is torn down mid-call, which can abort the process ("FATAL:
    exception not rethrown") after a command's work was done."""
    for maintainer in list(_RUNNING):
        maintainer.stop(EXIT_WAIT_S)


class Maintainer:
    """Runs :func:`maintain` every ``policy.interval_s`` seconds on a daemon thread (a pass in
    progress when the interpreter exits is waited for, up to :data:`EXIT_WAIT_S`).

    The thread holds the store weakly, so it stops by itself when the store is
    garbage collected; an error in one pass is logged and the next pass runs.

    Args:
        store: the tier store to maintain.
        policy: thresholds and interval.
    """

    def __init__(self, store: TierStore, policy: IndexPolicy | None = None) -> None:
        self._store = weakref.ref(store)
        self.policy = policy or IndexPolicy()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.passes = 0
        self.last_report: MaintenanceReport | None = None
        self.last_error: str | None = None

    def start(self) -> Maintainer:
        """Start the background thread (idempotent)."""
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="tiermem-maintainer", daemon=True)
            self._thread.start()
            _RUNNING.add(self)
        return self

    def stop(self, timeout: float | None = None) -> None:
        """Ask the thread to stop after its current pass and wait up to ``timeout`` seconds."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run_once(self, *, force: bool = False) -> MaintenanceReport | None:
        """One pass now, in the calling thread (``None`` when the store is gone)."""
        store = self._store()
        if store is None:
            return None
        self.last_report = maintain(store, self.policy, force=force)
        self.passes += 1
        return self.last_report

    def _loop(self) -> None:
        while not self._stop.wait(self.policy.interval_s):
            try:
                if self.run_once() is None:
                    return
                self.last_error = None
            except Exception as exc:  # a failed pass must not kill maintenance for good
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.warning("maintenance pass failed: %s", self.last_error)

    def __enter__(self) -> Maintainer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()
