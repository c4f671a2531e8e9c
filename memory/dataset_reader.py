"""The store's reads, straight on Lance datasets, several at once.

LanceDB's table API plans every query through its own layers and hands each
call to its event-loop thread; for the small, filtered reads of a turn that
costs more than the read itself. Measured on the latency benchmark's 10k
store (one core's CPU time per call, same results): the fact-version look-up
(two filtered scans) 53 ms through LanceDB against 9 ms on the datasets, a
retrieval's six searches 60 ms against 35-38 ms, one full-text search 7.4 ms
against 1.9 ms. A :class:`DatasetReader` runs each :class:`Scan` with
``LanceDataset.to_table`` on the newest version of its table (the same rows a
LanceDB read with ``read_consistency_interval=0`` sees), the scans of one
batch on a small shared thread pool: Lance releases the GIL while it reads.

Example:
    >>> reader = DatasetReader(lambda name: lancedb.connect("./.tiermem").open_table(name).to_lance())
    >>> short, mid = reader.gather([Scan("short", ["id"], limit=3), Scan("facts", ["id"], limit=3)])
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import lance
import pyarrow as pa
from lance.query import MatchQuery

from .concurrency import retry_read
from .version_probe import VersionProbe

T = TypeVar("T")

_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="tiermem-read")
"""Shared by every reader: a batch is a handful of scans, and idle threads cost nothing."""


@dataclass(frozen=True, slots=True, eq=False)
class Scan:
    """One read of one table: a filtered scan, a vector search or a full-text search.

    ``nearest`` holds Lance's vector-query settings (``column``, ``q``,
    ``metric``, ``nprobes``, ``ef``, ``refine_factor``, ``use_index``); its
    ``k`` is ``limit`` (which a search needs). ``match`` is a full-text match (never parsed as a
    query string: quotes, AND/OR and ``:`` in a user's words are literal) on
    ``match_column``. A search returns its score column (``_distance`` or
    ``_score``) when ``columns`` names it. ``prefilter=False`` searches first
    and filters what it found.
    """

    table: str
    columns: Sequence[str]
    filter: str | None = None
    limit: int | None = None
    nearest: Mapping[str, Any] | None = None
    match: str | None = None
    match_column: str = "text"
    prefilter: bool = True

    def run(self, dataset: lance.LanceDataset) -> pa.Table:
        """The scan's rows on ``dataset``."""
        search: dict[str, Any] = {}
        limit = self.limit
        if self.nearest is not None:
            search["nearest"] = {**self.nearest, "k": limit}
            limit = None
        if self.match is not None:
            search["full_text_query"] = MatchQuery(self.match, self.match_column)
        if search:
            search["prefilter"] = self.prefilter
        return dataset.to_table(
            columns=list(self.columns),
            filter=self.filter,
            limit=limit,
            disable_scoring_autoprojection=True,
            **search,
        )


@dataclass(frozen=True, slots=True)
class _Checked:
    """A table's dataset at the newest version the last check found, and its version probe."""

    dataset: lance.LanceDataset
    probe: VersionProbe


class DatasetReader:
    """The newest version of each table's dataset, and batches of scans on them.

    Args:
        open_dataset: the Lance dataset of a table, by table name (e.g. a LanceDB
            table's ``to_lance()``); called once per table.
    """

    def __init__(self, open_dataset: Callable[[str], lance.LanceDataset]) -> None:
        self._open = open_dataset
        self._datasets: dict[str, _Checked] = {}
        self._lock = threading.Lock()

    def dataset(self, name: str) -> lance.LanceDataset:
        """Table ``name``'s dataset at its newest committed version.

        One version check: a look for the manifests of the versions after the one held, and a
        listing of the table's versions only where that cannot tell (:mod:`tiermem.memory.version_probe`).
        """
        with self._lock:
            known = self._datasets.get(name)
        if known is None:  # a first check lists
            dataset = self._open(name)
            probe, newest = VersionProbe(dataset.uri), None
        else:
            dataset, probe = known.dataset, known.probe
            newest = probe.newest_from(dataset.version)
            if newest == dataset.version:
                return dataset
        latest = newest if newest is not None else dataset.latest_version
        if latest != dataset.version:
            dataset = dataset.checkout_version(latest)
        with self._lock:  # a racing reader may have listed later: keep the newer handle
            stored = self._datasets.get(name)
            if stored is None or stored.dataset.version < dataset.version:
                self._datasets[name] = _Checked(dataset, probe)
        return dataset

    def advance(self, name: str, dataset: lance.LanceDataset) -> None:
        """Hold ``dataset``, a version of table ``name`` this process has just committed (the
        next check then finds no newer manifest, unless another commit followed, and lists nothing)."""
        with self._lock:
            known = self._datasets.get(name)
            if known is not None and known.dataset.version < dataset.version:
                self._datasets[name] = _Checked(dataset, known.probe)

    def submit(self, work: Callable[[], T]) -> Future[T]:
        """Run ``work`` on the read pool (beside a :meth:`gather`: work that releases the GIL,
        as NumPy's matrix products do, runs on the other core meanwhile)."""
        return _POOL.submit(work)

    def count_rows(self, name: str, filter: str | None = None) -> int:
        """Rows of table ``name`` (matching ``filter``) at its newest version."""
        return retry_read(lambda: int(self.dataset(name).count_rows(filter)))

    def gather(self, scans: Sequence[Scan], datasets: Mapping[str, lance.LanceDataset] | None = None) -> list[pa.Table]:
        """Every scan's rows, in order, each on the newest version of its table (or on the
        version in ``datasets``, by table name, that the caller has just checked).

        A read that lost its files to a concurrent cleanup is run again on the
        newest version (see :func:`tiermem.memory.concurrency.retry_read`).
        """
        if not scans:
            return []
        checked: dict[str, lance.LanceDataset | None] = dict(datasets or {})

        def run() -> list[pa.Table]:
            # a run again after lost files takes the newest versions: pop what the caller checked
            datasets = {}
            for name in dict.fromkeys(scan.table for scan in scans):
                given = checked.pop(name, None)
                datasets[name] = given if given is not None else self.dataset(name)
            if len(scans) == 1:
                return [scans[0].run(datasets[scans[0].table])]
            return list(_POOL.map(lambda scan: scan.run(datasets[scan.table]), scans))

        return retry_read(run)
