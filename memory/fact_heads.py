"""The newest versions of every fact key of recently read namespaces, in memory, kept exact.

Retrieval and promotion read the newest few versions of the fact keys they
meet on every turn; at 100k memories those keys hold 10-27k versions and the
read cost 55 ms of a 200 ms turn (BENCHMARKS.md, Latency). A cache of the
keys read was not enough (half a turn's keys were new to it, and one miss
pays the read), so :class:`FactHeads` holds a whole namespace: for each of
its fact keys the newest :data:`DEPTH` versions (the "head") and how many
versions it has, loaded in one pass over the namespace's light columns. It
moves to each new table version before it answers:

- a commit this process made is applied as it was made: appended rows join
  their keys' heads, a changed confirmation count is changed
  (:meth:`FactHeads.appended`, :meth:`FactHeads.updated`);
- a commit that changes no row changes nothing: this process's compactions
  say so (:meth:`FactHeads.unchanged`: pylance cannot always read back a
  rewrite that remapped an index), other commits are known by their Lance
  operation (:mod:`tiermem.memory.commit_log`);
- any other commit (another process's write, a delete, a forget, a bulk
  import) empties it, and the next read of a namespace loads it again.

So it answers what a scan of the same table versions answers; the tests
compare the two after every step of mixed writes, updates, deletes,
compactions and another store's commits. A question it cannot answer from
a head (more versions asked than it keeps, or a head whose rows are outside
the time scope: written after ``now``, or expired) is left to the tables.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import lance
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import filters as f
from .commit_log import CommitFollower, Updated
from .schema import micros, naive_utc
from .versions import LIGHT_COLUMNS, id_rank, newest_positions

Row = dict[str, Any]
"""A stored row as read (column name -> value; times naive UTC)."""

DEPTH = 8
"""Versions kept per key: retrieval asks for 6 (a fact and 5 older values), promotion for 8."""
MAX_ROWS = 50_000
"""Rows held at most over every namespace; the least recently read namespaces go first."""
_APPENDED_SEQ = 1 << 62
"""Versions with one id (a caller's duplicate) keep table order; appended rows come after every row loaded."""


@dataclass(frozen=True, slots=True)
class _Appended:
    table: int
    rows: pa.Table


_Change = _Appended | Updated


def _order(row: Row, table: int, seq: int) -> tuple[int, int, int, int, int]:
    """Sort key of a version, newest first: observation, then write time, then id (ids sort in
    the order they were made, :func:`~tiermem.memory.records.new_id`), then table order."""
    created = micros(row["created_at"])
    observed = micros(row["observed_at"]) if row["observed_at"] is not None else created
    return (-observed, -created, -id_rank(row["id"]), table, seq)


@dataclass(slots=True)
class _Namespace:
    """One namespace's heads: each key's newest versions (sort key, row), and its version count."""

    depth: int
    heads: dict[str, list[tuple[tuple[int, int, int, int, int], Row]]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        """Rows held."""
        return sum(map(len, self.heads.values()))

    def add(self, row: Row, table: int, seq: int) -> None:
        """One more version of its key (``seq`` orders it after every row of ``table`` so far)."""
        self.counts[row["key"]] = self.counts.get(row["key"], 0) + 1
        self._place(row, table, seq)

    def update(self, record_id: str, values: Mapping[str, Any], seq: int) -> None:
        """Change row ``record_id``; Lance rewrites an updated row at the end of its table
        (``seq``), which moves it after the versions it ties with in time."""
        for head in self.heads.values():
            for i, (order, row) in enumerate(head):
                if row["id"] == record_id:
                    del head[i]
                    self._place({**row, **values}, order[3], seq)
                    return

    def _place(self, row: Row, table: int, seq: int) -> None:
        """Put a version in its key's head, if it belongs to the newest :attr:`depth`."""
        head = self.heads.setdefault(row["key"], [])
        entry = (_order(row, table, seq), row)
        at = len(head)
        while at and head[at - 1][0] > entry[0]:
            at -= 1
        if at == len(head) and self.counts[row["key"]] - 1 > len(head):
            return  # after every cached version, and versions not cached may come first
        if at < self.depth:
            head.insert(at, entry)
            del head[self.depth :]


class FactHeads(CommitFollower[_Change]):
    """Each fact key's newest versions, for whole namespaces, exact across commits.

    Args:
        tables: the fact tables' names (their order is the table order of ties).
        columns: the columns a row holds (at least :data:`LIGHT_COLUMNS`,
            ``namespace`` and ``expires_at``).
        depth: versions kept per key.
        max_rows: rows held at most.
    """

    def __init__(
        self, tables: Sequence[str], columns: Sequence[str], *, depth: int = DEPTH, max_rows: int = MAX_ROWS
    ) -> None:
        super().__init__()
        self.tables = list(tables)
        self.columns = list(columns)
        self.depth = depth
        self.max_rows = max_rows
        self.loads = 0
        """Namespaces loaded from the tables (a first read, or after a commit it could not follow)."""
        self._namespaces: OrderedDict[str, _Namespace] = OrderedDict()
        self._seq = _APPENDED_SEQ

    # -- what this process committed ------------------------------------------------------

    def appended(self, table: str, version: int, rows: pa.Table) -> None:
        """This process appended ``rows`` (at least :attr:`columns`) to ``table`` as ``version``."""
        if table in self.tables:
            self._note(table, version, _Appended(self.tables.index(table), rows.select(self.columns)), len(rows))

    def updated(self, table: str, version: int, namespace: str, record_id: str, values: Mapping[str, Any]) -> None:
        """This process set ``values`` of row ``record_id`` of ``table`` as ``version``."""
        if table in self.tables:
            self._note(table, version, Updated(namespace, record_id, dict(values)))

    def unchanged(self, table: str, versions: Iterable[int]) -> None:
        """This process committed ``versions`` of ``table`` without changing a row."""
        if table in self.tables:
            with self._lock:
                if self._follows(table) and not self._commits.note_unchanged(table, versions):
                    self._clear()

    def _note(self, table: str, version: int, change: _Change, rows: int = 1) -> None:
        with self._lock:
            if self._follows(table) and not self._commits.note(table, version, change, rows):
                self._clear()

    # -- reads ----------------------------------------------------------------------------

    def newest(
        self,
        namespace: str,
        keys: Sequence[str],
        *,
        versions: int,
        now: datetime | None,
        datasets: Mapping[str, lance.LanceDataset],
    ) -> tuple[dict[str, list[Row]], list[str]]:
        """The newest ``versions`` rows of each of ``keys`` (newest first) in ``namespace``
        as of the fact tables' ``datasets``, within the scope of ``now`` (written by
        then, not expired) if given, and the keys left to the tables.

        A key with no version is answered with no rows (it is not in the result).
        """
        if versions > self.depth:
            return {}, list(keys)
        with self._lock:
            self._sync(datasets)
            heads = self._namespaces.get(namespace)
            if heads is not None:
                self._namespaces.move_to_end(namespace)
                return _answer(heads, keys, versions, now)
            for name in datasets:  # commits from now on are noted and kept until the load is held
                self._commits.pin(name)
        try:
            heads = self._load(namespace, datasets)
            answer = _answer(heads, keys, versions, now)  # once kept, other threads' commits change the heads
            with self._lock:
                self._keep(namespace, heads, datasets)
        finally:
            with self._lock:
                for name in datasets:
                    self._commits.unpin(name)
        return answer

    def _load(self, namespace: str, datasets: Mapping[str, lance.LanceDataset]) -> _Namespace:
        """Every key's head in ``namespace``, read from ``datasets`` (one light scan and one take per table)."""
        scope = f.where(f.eq("namespace", namespace), f.compare("key", "!=", ""))
        light = [datasets[name].to_table(columns=LIGHT_COLUMNS, filter=scope, with_row_id=True) for name in self.tables]
        sizes = np.cumsum([0] + [t.num_rows for t in light])
        every = pa.concat_tables([t.select(LIGHT_COLUMNS) for t in light])
        keep = newest_positions(every, self.depth)
        heads = _Namespace(self.depth)
        tally = pc.value_counts(every.column("key"))
        heads.counts = dict(zip(tally.field("values").to_pylist(), tally.field("counts").to_pylist(), strict=True))
        rows_at: dict[int, Row] = {}
        for index, name in enumerate(self.tables):
            mine = np.sort(keep[(keep >= sizes[index]) & (keep < sizes[index + 1])])
            row_ids = light[index].column("_rowid").take(pa.array(mine - sizes[index])).to_pylist()
            taken = datasets[name]._take_rows(row_ids, columns=self.columns).to_pylist()  # pinned version
            wanted = every.column("id").take(pa.array(mine)).to_pylist()
            if [row["id"] for row in taken] != wanted:
                raise RuntimeError(f"table {name!r}: rows taken by row id do not match the rows scanned")
            rows_at.update(zip(mine.tolist(), taken, strict=True))
        for position in keep.tolist():  # newest first
            table = int(np.searchsorted(sizes, position, side="right")) - 1
            row = rows_at[position]
            heads.heads.setdefault(row["key"], []).append((_order(row, table, position), row))
        self.loads += 1
        return heads

    def _keep(self, namespace: str, heads: _Namespace, datasets: Mapping[str, lance.LanceDataset]) -> None:
        """Hold ``heads``, loaded from ``datasets``, caught up with the commits other reads
        replayed while they loaded; the caller holds the lock."""
        if namespace in self._namespaces:  # another read loaded it meanwhile
            return
        caught_up = [self._catch_up(name, dataset) for name, dataset in datasets.items()]
        if any(changes is None for changes in caught_up):  # a commit no read can follow
            return
        for changes in caught_up:
            for change in changes or []:
                self._apply(change, {namespace: heads})
        self._namespaces[namespace] = heads
        while sum(h.rows for h in self._namespaces.values()) > self.max_rows and len(self._namespaces) > 1:
            self._namespaces.popitem(last=False)

    # -- internals ------------------------------------------------------------------------

    def _sync(self, datasets: Mapping[str, lance.LanceDataset]) -> None:
        """Move to the versions of ``datasets`` (never back); the caller holds the lock."""
        for name, dataset in datasets.items():
            if not self._must_move(name, dataset.version):
                continue
            known = self._versions.get(name)
            changes = None  # with no namespace held there is nothing to replay
            if known is not None and self._namespaces:
                changes = self._commits.follow(name, dataset, known)
            else:
                self._commits.passed(name, dataset.version)
            if changes is None:
                self._namespaces.clear()
            for change in changes or []:
                self._apply(change, self._namespaces)
            self._versions[name] = dataset.version

    def _apply(self, change: _Change, namespaces: Mapping[str, _Namespace]) -> None:
        """Replay ``change`` onto those of ``namespaces`` it touches."""
        if isinstance(change, Updated):
            heads = namespaces.get(change.namespace)
            if heads is not None:
                self._seq += 1
                heads.update(change.record_id, change.values, self._seq)
        elif isinstance(change, _Appended):
            for row in change.rows.to_pylist():
                heads = namespaces.get(row["namespace"])
                if heads is not None and row["key"]:
                    self._seq += 1
                    heads.add(row, change.table, self._seq)

    def _follows(self, table: str) -> bool:
        """Whether commits to ``table`` are worth noting: namespaces are held or being loaded
        (with nothing held there is nothing to keep current: the next read loads from the tables)."""
        return bool(self._namespaces) or self._commits.pinned(table)

    def _clear(self) -> None:
        self._namespaces.clear()
        self._commits.clear()


def _answer(
    heads: _Namespace, keys: Sequence[str], versions: int, now: datetime | None
) -> tuple[dict[str, list[Row]], list[str]]:
    found: dict[str, list[Row]] = {}
    missed: list[str] = []
    moment = naive_utc(now)
    for key in keys:
        head = heads.heads.get(key)
        if head is None:
            continue  # the namespace has no version of it
        rows = [row for _, row in head if moment is None or _in_scope(row, moment)]
        if len(rows) >= versions or heads.counts[key] == len(head):
            if rows:
                found[key] = rows[:versions]
        else:
            missed.append(key)
    return found, missed


def _in_scope(row: Row, moment: datetime) -> bool:
    expires = row["expires_at"]
    return bool(row["created_at"] <= moment and (expires is None or expires > moment))
