"""The store's reads: scans, look-ups and fact versions, several queries per round trip.

:class:`StoreReads` holds :class:`~tiermem.memory.store.TierStore`'s read
methods but its searches (:mod:`tiermem.memory.searches`). The queries of one
call are :class:`~tiermem.memory.dataset_reader.Scan` objects run together on
the tables' Lance datasets (:class:`~tiermem.memory.dataset_reader.DatasetReader`).
Every query is scoped to one namespace; where a query runs on something
cheaper than the namespace filter (an id), the rows are checked against the
namespace as well (:func:`in_scope`), so isolation stays exact.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta

import lance
import lancedb
import pyarrow as pa
import pyarrow.compute as pc

from . import filters as f
from .cached_rows import CachedRows
from .dataset_reader import DatasetReader, Scan
from .errors import InvalidInputError, NotFoundError
from .fact_heads import FactHeads, Row
from .read_cache import ReadCache
from .records import TIERS, Fact, MemoryRecord, Tier, as_utc, utcnow, validate_namespace, validate_tiers
from .schema import from_row, naive_utc, table_schema
from .versions import LIGHT_COLUMNS, current_value, newest_ids, version_order

READ_COLUMNS: list[str] = [name for name in table_schema(1, "").names if name != "vector"]
"""What reads fetch: every column but the vector (2 KiB a row that no reader needs)."""
FACT_TIERS: tuple[Tier, ...] = ("mid", "long")
HOT_VERSIONS = 256
"""A fact key with more versions than this has its newest versions read from a recent window."""
RECENT_WINDOW = timedelta(days=30)


def in_scope(tables: Sequence[pa.Table], namespace: str, now: datetime | None = None) -> pa.Table:
    """The rows of ``tables`` (one shape) that belong to ``namespace`` (and, given ``now``, were
    written by then and have not expired): the exact isolation check on rows a query found by
    something else than the namespace filter, and the time scope of a post-filtered search."""
    rows = pa.concat_tables(tables)
    keep = pc.equal(rows.column("namespace"), namespace)
    if now is not None:
        moment = pa.scalar(naive_utc(now), pa.timestamp("us"))
        expires = rows.column("expires_at")
        keep = pc.and_(keep, pc.less_equal(rows.column("created_at"), moment))
        keep = pc.and_(keep, pc.or_kleene(pc.is_null(expires), pc.greater(expires, moment)))
    return rows.filter(keep)


class StoreReads(ABC):
    """Read methods of :class:`~tiermem.memory.store.TierStore` (which provides the tables), searches aside."""

    _reads: DatasetReader
    _hot_keys: set[tuple[str, str]]
    """(namespace, fact key) seen with more than :data:`HOT_VERSIONS` versions."""
    _fact_heads: FactHeads
    _read_cache: ReadCache

    @abstractmethod
    def table(self, tier: Tier) -> lancedb.table.Table:
        """The LanceDB table of ``tier``."""

    def _gather(
        self, tiers: Iterable[Tier], columns: Sequence[str], scope: str, limit: int | None = None
    ) -> list[pa.Table]:
        """``columns`` of the rows within ``scope`` (at most ``limit`` a table) of each tier's table, read together."""
        return self._reads.gather([Scan(self.table(tier).name, columns, scope, limit) for tier in tiers])

    def _scope(self, namespace: str, now: datetime | None, extra: str | None = None) -> str:
        clauses = [f.eq("namespace", validate_namespace(namespace)), extra]
        if now is not None:
            moment = as_utc(now)
            clauses.append(f.compare("created_at", "<=", moment))
            clauses.append(f.any_of(f.is_null("expires_at"), f.compare("expires_at", ">", moment)))
        return f.where(*clauses)

    def _cached(
        self,
        tiers: Iterable[Tier],
        namespace: str,
        *,
        load: bool = True,
        datasets: Mapping[str, lance.LanceDataset] | None = None,
    ) -> dict[Tier, CachedRows]:
        """The read cache's rows of ``namespace`` in each of ``tiers``' tables that it holds (or,
        with ``load``, loads now), as of the tables' newest versions (or of ``datasets``, by
        table name, just checked)."""
        namespace = validate_namespace(namespace)
        held = {}
        for tier in tiers:
            name = self.table(tier).name
            dataset = datasets[name] if datasets and name in datasets else self._reads.dataset(name)
            rows = self._read_cache.rows(name, namespace, dataset, load=load)
            if rows is not None:
                held[tier] = rows
        return held

    def records(
        self,
        namespace: str,
        *,
        tiers: Iterable[Tier] = TIERS,
        now: datetime | None = None,
        extra: str | None = None,
        limit: int | None = None,
    ) -> list[MemoryRecord]:
        """Records of a namespace, newest first (the newest ``limit`` of them), optionally filtered.

        Raises:
            InvalidInputError: ``limit`` is not a whole number of at least 1, or ``now`` is
                neither a datetime nor an ISO 8601 text.
        """
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
            raise InvalidInputError(f"limit must be a whole number of at least 1, got {limit!r:.40}")
        now = None if now is None else as_utc(now, what="now")
        scope = self._scope(namespace, now, extra)
        tiers = validate_tiers(tiers)
        # from the cache if it holds the namespace already: a scan needs no vectors, a load reads them
        cached = self._cached(tiers, namespace, load=False) if extra is None and not limit else {}
        found = [rows.select(now) for rows in cached.values()]
        uncached = [tier for tier in tiers if tier not in cached]
        if limit and uncached:  # the newest ``limit`` ids first (light rows), then those rows whole
            light = pa.concat_tables(self._gather(uncached, ["id", "namespace", "created_at"], scope))
            light = in_scope([light], validate_namespace(namespace)) if extra else light
            order = pc.sort_indices(light, sort_keys=[("created_at", "descending"), ("id", "descending")])
            newest = light.column("id").take(order[:limit]).to_pylist()
            scope = f.where(scope, f.in_("id", newest)) if newest else scope
            uncached = uncached if newest else []
        read = self._gather(uncached, READ_COLUMNS, scope)
        # checked again in Arrow: ``extra`` is SQL the caller wrote, and no clause of it may widen the scope
        found += [in_scope([rows], validate_namespace(namespace)) for rows in read] if extra else read
        out = [from_row(r) for rows in found for r in rows.to_pylist()]
        out.sort(key=lambda r: (r.created_at, r.id), reverse=True)
        return out[:limit] if limit else out

    def _by_ids(self, namespace: str, ids: Sequence[str], tiers: Iterable[Tier] = TIERS) -> pa.Table:
        """Rows of ``namespace`` with one of ``ids``: looked up by id alone (the id index; a
        namespace filter on top costs more than it saves), then checked for the namespace."""
        clause = f.in_("id", list(ids))
        found = self._gather(tiers, READ_COLUMNS, clause)
        return in_scope(found, validate_namespace(namespace))

    def get(self, namespace: str, record_id: str) -> MemoryRecord:
        """One record by id in ``namespace``.

        Raises:
            NotFoundError: no record with that id in that namespace.
        """
        found = self._by_ids(namespace, [record_id])
        if not found.num_rows:
            raise NotFoundError(f"no memory with id {record_id!r} in namespace {namespace!r}")
        return from_row(found.slice(0, 1).to_pylist()[0])

    def latest_facts(
        self, namespace: str, keys: Iterable[str], *, now: datetime | None = None, versions: int | None = None
    ) -> dict[str, list[MemoryRecord]]:
        """For each fact key, its versions in mid and long tiers, newest first: all of
        them, or the newest ``versions``. A key known to have thousands of versions is read
        from the last :data:`RECENT_WINDOW` of observations (the whole history only when
        the window holds too few), so a turn reads a few rows per key, not every version."""
        keys = sorted(set(keys))
        if not keys:
            return {}
        if versions is None:
            found = self.records(namespace, tiers=FACT_TIERS, now=now, extra=f.in_("key", keys))
        else:
            found = [from_row(r) for r in self._newest_rows(namespace, keys, now, max(versions, 1))]
        history_of: dict[str, list[MemoryRecord]] = {}
        for record in found:
            history_of.setdefault(record.key, []).append(record)
        for history in history_of.values():
            history.sort(key=version_order, reverse=True)
        return history_of

    def _newest_rows(self, namespace: str, keys: list[str], now: datetime | None, versions: int) -> list[Row]:
        """The newest ``versions`` rows of each of ``keys``: from the namespace's fact heads
        in memory (:class:`~tiermem.memory.fact_heads.FactHeads`), the tables for what they
        cannot answer."""
        datasets = {name: self._reads.dataset(name) for name in (self.table(tier).name for tier in FACT_TIERS)}
        heads, missed = self._fact_heads.newest(
            validate_namespace(namespace), keys, versions=versions, now=now, datasets=datasets
        )
        rows = [row for found in heads.values() for row in found]
        if missed:
            rows += self._newest_rows_read(namespace, missed, now, versions).to_pylist()
        return rows

    def _newest_rows_read(self, namespace: str, keys: list[str], now: datetime | None, versions: int) -> pa.Table:
        """The newest ``versions`` rows of each of ``keys``, read from the tables (one round
        trip unless a hot key's window holds fewer than ``versions``)."""
        hot = [key for key in keys if (namespace, key) in self._hot_keys]
        cold = [key for key in keys if (namespace, key) not in self._hot_keys]
        since = as_utc(now) - RECENT_WINDOW if now is not None else utcnow() - RECENT_WINDOW
        recent = f.any_of(
            f.compare("observed_at", ">=", since),
            f.where(f.is_null("observed_at"), f.compare("created_at", ">=", since)),
        )
        clauses = ([f.in_("key", cold)] if cold else []) + ([f.where(f.in_("key", hot), recent)] if hot else [])
        scopes = [self._scope(namespace, now, clause) for clause in clauses]
        scans = [Scan(self.table(tier).name, READ_COLUMNS, scope) for scope in scopes for tier in FACT_TIERS]
        rows = pa.concat_tables(self._reads.gather(scans))
        tally = pc.value_counts(rows.column("key"))
        counts = dict(zip(tally.field("values").to_pylist(), tally.field("counts").to_pylist(), strict=True))
        self._hot_keys.update((namespace, key) for key in cold if counts.get(key, 0) > HOT_VERSIONS)
        short = [key for key in hot if counts.get(key, 0) < versions]
        if short:  # the window held too few of these: pick from every version's light columns
            scope = self._scope(namespace, now, f.in_("key", short))
            light = self._gather(FACT_TIERS, LIGHT_COLUMNS, scope)
            older = self._by_ids(namespace, newest_ids(pa.concat_tables(light), versions), FACT_TIERS)
            rows = pa.concat_tables([rows.filter(pc.invert(pc.is_in(rows.column("key"), pa.array(short)))), older])
        keep = newest_ids(rows.select(LIGHT_COLUMNS), versions)
        return rows.filter(pc.is_in(rows.column("id"), pa.array(keep, pa.string())))

    def ledger_facts(self, namespace: str) -> list[Fact]:
        """The current long-term facts of a namespace: the newest version of each key, whose
        value is :func:`~tiermem.memory.versions.current_value` (every held allergy, joined).

        The ledger is the source of truth the parametric tier trains on.
        """
        versions: dict[str, list[Fact]] = {}
        for record in sorted(self.records(namespace, tiers=("long",)), key=version_order, reverse=True):
            if record.fact is not None:
                versions.setdefault(record.key, []).append(record.fact)  # newest first
        current = [
            facts[0].model_copy(update={"value": current_value(facts[0].attribute, [f.value for f in facts])})
            for facts in versions.values()
        ]
        return sorted(current, key=lambda fact: fact.observed_at)

    def count(self, namespace: str | None = None, tiers: Iterable[Tier] = TIERS) -> int:
        """Rows in ``tiers`` (of one namespace, or of all)."""
        clause = f.eq("namespace", validate_namespace(namespace)) if namespace is not None else None
        return sum(self._reads.count_rows(self.table(tier).name, clause) for tier in tiers)

    def namespaces(self) -> list[str]:
        """Every namespace with at least one stored row."""
        found = self._reads.gather([Scan(self.table(tier).name, ["namespace"]) for tier in TIERS])
        return sorted({namespace for rows in found for namespace in rows.column("namespace").to_pylist()})
