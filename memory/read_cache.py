"""Recently read namespaces' rows in memory, vectors included, kept exact across commits.

Every Lance read costs 2-5 ms of CPU however few rows it returns (a vector
search on a 950-row table, an exact scan, 4-5 ms; a full-text search 2.5 ms;
a namespace's ids 1.5 ms), and a turn made ten of them. A :class:`ReadCache`
holds the rows of the namespaces read most recently, per table, with their
unit vectors and tokens, and answers a namespace's vector searches (exact
cosine, :mod:`tiermem.memory.nearest`), full-text searches (BM25 as Lance scores it,
:mod:`tiermem.memory.text_index`) and scans from memory. It moves to each new table version
before it answers, as :class:`~tiermem.memory.fact_heads.FactHeads` does
(:mod:`tiermem.memory.commit_log`): this process's appends, deletes and
updates are applied as they were made, a commit that keeps every row changes
nothing, and at any other commit (another process's write, a forget, a bulk
import) it drops what it holds of that table, so the next read loads the
namespace again. So it answers what a scan of the same table version
answers; an exact search finds what Lance's exact search finds (the tests
compare them after mixed writes, deletes, updates and compactions).

A namespace with more rows in a table than
:attr:`ReadCachePolicy.max_namespace_rows` is searched through Lance's indexes: an
exact search reads every vector (100k rows: 10 ms of one core), an index
does not. Up to :attr:`ReadCachePolicy.max_light_rows` its rows are still held,
without their vectors and tokens, and a search asks Lance for ids and scores
alone (:meth:`CachedRows.joined`); a larger one is left to Lance. So is, for a
while, a namespace that another process keeps writing to
(:attr:`ReadCachePolicy.churn_loads`): every such commit would cost a reload.

A namespace with more rows in a table than :attr:`ReadCachePolicy.background_load_rows`
is loaded on a background thread, one load at a time, and Lance answers its
reads until the load is held: a large user's first turn after a restart or an
eviction does not wait seconds for it. Smaller ones are loaded by the read that
needs them.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

import lance
import pyarrow as pa
import pyarrow.compute as pc

from . import filters as f
from .cached_rows import CachedRows
from .commit_log import CommitFollower, Updated
from .concurrency import retry_read
from .policies import ReadCachePolicy

log = logging.getLogger(__name__)

MAX_TRACKED = 4_096
"""Namespaces whose loads and bypasses are remembered before the stale ones are let go."""


@dataclass(frozen=True, slots=True)
class _Appended:
    rows: pa.Table


@dataclass(frozen=True, slots=True)
class _Deleted:
    namespace: str
    ids: tuple[str, ...]


_Change = _Appended | _Deleted | Updated


class _Later:
    """A namespace to load on the background thread."""


_LATER = _Later()


class ReadCache(CommitFollower[_Change]):
    """The rows of recently read namespaces, per table, exact across commits.

    Args:
        columns: the columns a cached row holds (besides its vector; at least ``id``,
            ``namespace``, ``created_at`` and ``expires_at``).
        policy: how large a namespace and the whole cache may be.
    """

    def __init__(self, columns: Sequence[str], policy: ReadCachePolicy | None = None) -> None:
        super().__init__()
        self.columns = list(columns)
        self.policy = policy or ReadCachePolicy()
        self.loads = 0
        """Namespaces read from a table (a first read, or after a commit it could not follow)."""
        self._held: OrderedDict[tuple[str, str], CachedRows] = OrderedDict()
        self._bypass: dict[tuple[str, str], float] = {}
        """(table, namespace) -> when it was found too large or churning."""
        self._loaded: dict[tuple[str, str], list[float]] = {}
        """(table, namespace) -> when it was loaded, within :attr:`ReadCachePolicy.churn_window_s`."""
        self._loading: dict[tuple[str, str], Future[None]] = {}
        """(table, namespace) -> its load on the background thread, queued or running."""
        self._loader: ThreadPoolExecutor | None = None

    @property
    def rows_held(self) -> int:
        """Rows held now, over every table and namespace."""
        with self._lock:
            return self._rows_held()

    # -- what this process committed ------------------------------------------------------

    def appended(self, table: str, version: int, rows: pa.Table) -> None:
        """This process appended ``rows`` (:attr:`columns` and ``vector``) to ``table`` as ``version``."""
        self._note(table, version, _Appended(rows.select([*self.columns, "vector"])), len(rows))

    def deleted(self, table: str, version: int, namespace: str, ids: Iterable[str]) -> None:
        """This process deleted the rows of ``namespace`` with ``ids`` from ``table`` as ``version``."""
        ids = tuple(ids)
        self._note(table, version, _Deleted(namespace, ids), len(ids))

    def updated(self, table: str, version: int, namespace: str, record_id: str, values: Mapping[str, Any]) -> None:
        """This process set ``values`` of row ``record_id`` of ``table`` as ``version``."""
        self._note(table, version, Updated(namespace, record_id, dict(values)))

    def unchanged(self, table: str, versions: Iterable[int]) -> None:
        """This process committed ``versions`` of ``table`` without changing a row."""
        with self._lock:
            if self._follows(table) and not self._commits.note_unchanged(table, versions):
                self._forget(table)

    def _note(self, table: str, version: int, change: _Change, rows: int = 1) -> None:
        with self._lock:
            if self._follows(table) and not self._commits.note(table, version, change, rows):
                self._forget(table)

    # -- reads ----------------------------------------------------------------------------

    def rows(self, table: str, namespace: str, dataset: lance.LanceDataset, *, load: bool = True) -> CachedRows | None:
        """``namespace``'s rows of ``table`` as of ``dataset`` (a version of it) or newer;
        ``None`` when the namespace is too large for the cache (or it is off), while it is
        loaded on the background thread, or, with ``load=False``, when the cache does not
        hold it already."""
        if not self.policy.enabled:
            return None
        key = (table, namespace)
        with self._lock:
            self._sync(table, dataset)
            held = self._held.get(key)
            if held is not None:
                self._held.move_to_end(key)
                return held
            since = self._bypass.get(key)
            if (
                not load
                or key in self._loading
                or (since is not None and time.monotonic() - since < self.policy.bypass_s)
            ):
                return None
            self._commits.pin(table)  # commits from now on are noted and kept until the load is held
        later = False
        try:
            dataset, loaded = retry_read(partial(self._load, namespace, dataset, self.policy.background_load_rows))
            if isinstance(loaded, _Later):
                later = self._load_later(key, dataset)
                return None
            with self._lock:
                return self._keep(key, dataset, loaded)
        finally:
            if not later:
                with self._lock:
                    self._commits.unpin(table)

    def wait_for_loads(self) -> None:
        """Return once the background loads queued now have ended (held, or failed and logged)."""
        with self._lock:
            pending = list(self._loading.values())
        wait(pending)

    def close(self) -> None:
        """Drop the queued background loads and wait for the running one (call it before the
        tables' files go); a later large load starts the background thread again."""
        with self._lock:
            loader, self._loader = self._loader, None
        if loader is not None:
            loader.shutdown(wait=True, cancel_futures=True)
        with self._lock:
            dropped = [key for key, future in self._loading.items() if future.cancelled()]
        for key in dropped:
            self._end_load(key)

    def _load(
        self, namespace: str, dataset: lance.LanceDataset, later_above: int | None = None
    ) -> tuple[lance.LanceDataset, CachedRows | _Later | None]:
        """The newest version of ``dataset``'s table and ``namespace``'s rows as of it (``None``
        if it has too many; :data:`_LATER`, unread, if it has more than ``later_above``). The
        newest: a commit before the load began was not noted. Run again if another process's
        cleanup removes the files it reads."""
        dataset = dataset.checkout_version(dataset.latest_version)
        scope = f.eq("namespace", namespace)
        rows = dataset.count_rows(scope)
        if rows > max(self.policy.max_namespace_rows, self.policy.max_light_rows):
            return dataset, None
        if later_above is not None and rows > later_above:
            return dataset, _LATER
        light = rows > self.policy.max_namespace_rows
        loaded = CachedRows(self.columns, coarse=self.policy.coarse_search != "off", light=light)
        loaded.add(dataset.to_table(columns=self.columns if light else [*self.columns, "vector"], filter=scope))
        return dataset, loaded

    def _load_later(self, key: tuple[str, str], dataset: lance.LanceDataset) -> bool:
        """Queue the load of ``key`` on the background thread, which takes over the table's pin
        (``False``: one is queued already, and the caller keeps the pin to end it)."""
        with self._lock:
            if key in self._loading:
                return False
            if self._loader is None:
                self._loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tiermem-cache-load")
            self._loading[key] = self._loader.submit(self._load_in_background, key, dataset)
        return True

    def _load_in_background(self, key: tuple[str, str], dataset: lance.LanceDataset) -> None:
        """Load and hold ``key``'s rows; a failure is logged, and the next read queues the load again."""
        table, namespace = key
        started = time.perf_counter()
        try:
            dataset, loaded = retry_read(partial(self._load, namespace, dataset))
            with self._lock:
                held = self._keep(key, dataset, cast(CachedRows | None, loaded))  # loaded now: never _LATER
            rows = held.size if held else 0
            log.info(
                "read cache loaded %d rows of %s in the background in %.2f s",
                rows,
                table,
                time.perf_counter() - started,
            )
        except Exception as error:  # noqa: BLE001 - Lance's and Arrow's errors have no common base
            log.warning("read cache background load of %s failed: %s", table, error)
        finally:
            self._end_load(key)

    def _end_load(self, key: tuple[str, str]) -> None:
        """End a background load, run or dropped: no longer in flight, its table unpinned."""
        with self._lock:
            self._loading.pop(key, None)
            self._commits.unpin(key[0])

    def _keep(self, key: tuple[str, str], dataset: lance.LanceDataset, loaded: CachedRows | None) -> CachedRows | None:
        """Hold ``loaded``, the rows of ``key`` as of ``dataset``, caught up with the commits
        other reads replayed while it loaded; the caller holds the lock."""
        now = time.monotonic()
        if loaded is None:
            self._bypass[key] = now
            return None
        self.loads += 1
        recent = [t for t in self._loaded.get(key, []) if now - t < self.policy.churn_window_s] + [now]
        self._loaded[key] = recent
        self._forget_stale(now)
        if len(recent) >= self.policy.churn_loads:  # answer this read, then leave it to Lance a while
            self._bypass[key] = now
            del self._loaded[key]
            return loaded
        self._bypass.pop(key, None)
        table, namespace = key
        self._sync(table, dataset)
        held = self._held.get(key)
        if held is not None:  # another read loaded it meanwhile, and has followed every commit since
            return held
        changes = self._catch_up(table, dataset)
        if changes is None:  # a commit no read can follow: answer as of the load, keep nothing
            return loaded
        for change in changes:
            _replay(loaded, namespace, change)
        self._held[key] = loaded
        self._evict()
        return loaded

    # -- internals ------------------------------------------------------------------------

    def _holds(self, table: str) -> bool:
        return any(name == table for name, _ in self._held)

    def _follows(self, table: str) -> bool:
        """Whether commits to ``table`` are worth noting: it holds or is loading namespaces of it
        (otherwise the next read loads from the table anyway)."""
        return self._commits.pinned(table) or self._holds(table)

    def _forget(self, table: str) -> None:
        """Drop the table's namespaces and its noted commits (too many of them were held)."""
        self._drop(table)
        self._commits.forget(table)

    def _sync(self, table: str, dataset: lance.LanceDataset) -> None:
        """Move ``table`` to ``dataset``'s version (never back); the caller holds the lock."""
        if not self._must_move(table, dataset.version):
            return
        known = self._versions.get(table)
        changes = None  # with nothing of the table held there is nothing to replay
        if known is not None and self._holds(table):
            changes = self._commits.follow(table, dataset, known)
        else:
            self._commits.passed(table, dataset.version)
        if changes is None:
            self._drop(table)
        for change in changes or []:
            self._apply(table, change)
        self._versions[table] = dataset.version

    def _apply(self, table: str, change: _Change) -> None:
        """Replay ``change`` onto every namespace it touches that is held."""
        if isinstance(change, _Appended):
            touched = set(change.rows.column("namespace").to_pylist())
        else:
            touched = {change.namespace}
        for namespace in touched:
            held = self._held.get((table, namespace))
            if held is not None:
                _replay(held, namespace, change)

    def _drop(self, table: str) -> None:
        for key in [key for key in self._held if key[0] == table]:
            del self._held[key]

    def _forget_stale(self, now: float) -> None:
        """Let go of loads and bypasses too old to matter once many namespaces are remembered."""
        if len(self._loaded) > MAX_TRACKED:
            window = self.policy.churn_window_s
            self._loaded = {key: times for key, times in self._loaded.items() if now - times[-1] < window}
        if len(self._bypass) > MAX_TRACKED:
            self._bypass = {key: since for key, since in self._bypass.items() if now - since < self.policy.bypass_s}

    def _rows_held(self) -> int:
        return sum(rows.size for rows in self._held.values())

    def _evict(self) -> None:
        while sum(rows.weight for rows in self._held.values()) > self.policy.max_rows and len(self._held) > 1:
            self._held.popitem(last=False)


def _replay(rows: CachedRows, namespace: str, change: _Change) -> None:
    """Apply ``change`` to ``rows``, ``namespace``'s rows of the table it was committed to."""
    if isinstance(change, _Appended):
        mine = change.rows.filter(pc.equal(change.rows.column("namespace"), namespace))
        if mine.num_rows:
            rows.add(mine)
    elif change.namespace != namespace:
        return
    elif isinstance(change, _Deleted):
        rows.delete(change.ids)
    else:
        rows.update(change.record_id, change.values)
