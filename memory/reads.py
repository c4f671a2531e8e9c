"""The store's reads: searches, look-ups and fact versions, several queries per round trip.

:class:`StoreReads` holds :class:`~tiermem.memory.store.TierStore`'s read
methods; the queries of one call are :class:`~tiermem.memory.dataset_reader.Scan`
objects run together on the tables' Lance datasets
(:class:`~tiermem.memory.dataset_reader.DatasetReader`). Every query is
scoped to one namespace; where a query runs on something cheaper than the
namespace filter (an id, or a post-filter on a table the namespace
dominates), the rows are checked against the namespace as well, so isolation
stays exact.
"""

from __future__ import annotations

import math
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import lance
import lancedb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import filters as f
from .cached_rows import CachedRows
from .dataset_reader import DatasetReader, Scan
from .errors import NotFoundError
from .fact_heads import FactHeads, Row
from .maintenance import IndexPolicy
from .read_cache import ReadCache
from .records import TIERS, Fact, MemoryRecord, Tier, as_utc, utcnow, validate_namespace
from .schema import TABLE_FOR_TIER, from_row, naive_utc, table_schema
from .versions import LIGHT_COLUMNS, newest_ids

READ_COLUMNS: list[str] = [name for name in table_schema(1, "").names if name != "vector"]
"""What reads fetch: every column but the vector (2 KiB a row that no reader needs)."""
SCOPE_COLUMNS: list[str] = ["id", "namespace", "created_at", "expires_at"]
"""What the namespace and time scope of a search's rows is checked on."""
FACT_TIERS: tuple[Tier, ...] = ("mid", "long")
POSTFILTER_SHARE = 0.5
"""A namespace holding at least this share of a table is searched with a post-filter: a
pre-filter that keeps most rows costs more than the index walk it narrows."""
POSTFILTER_MIN_ROWS = 2_000
"""Below this many rows of the namespace a pre-filtered search is cheap anyway."""
SHARE_TTL_S = 300.0
"""How long a namespace's measured share of a table is trusted."""
HOT_VERSIONS = 256
"""A fact key with more versions than this has its newest versions read from a recent window."""
RECENT_WINDOW = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: the record and its raw score from one search method."""

    record: MemoryRecord
    score: float
    """Cosine similarity for vector search, BM25 for full-text search."""


def _candidates(k: int, share: float | None) -> int:
    """Rows a search asks for: ``k``, or with a post-filter on a table ``namespace`` holds
    ``share`` of, enough that about ``k`` of them are left after it."""
    return k if share is None else math.ceil(k / share * 1.25)


def _in_scope(tables: Sequence[pa.Table], namespace: str, now: datetime | None = None) -> pa.Table:
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
    """Read methods of :class:`~tiermem.memory.store.TierStore` (which provides the tables)."""

    index_policy: IndexPolicy
    _reads: DatasetReader
    _text_indexed: set[str]
    _shares: dict[tuple[str, str], tuple[float, int, float]]
    """(table, namespace) -> (share of the table's rows, rows, when measured)."""
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

    def _has_text_index(self, tier: Tier) -> bool:
        """Whether ``tier``'s table has its full-text index (remembered once it has: it stays)."""
        name = TABLE_FOR_TIER[tier]
        if name not in self._text_indexed and any(i.index_type == "FTS" for i in self.table(tier).list_indices()):
            self._text_indexed.add(name)
        return name in self._text_indexed

    def _scope(self, namespace: str, now: datetime | None, extra: str | None = None) -> str:
        clauses = [f.eq("namespace", validate_namespace(namespace)), extra]
        if now is not None:
            moment = as_utc(now)
            clauses.append(f.compare("created_at", "<=", moment))
            clauses.append(f.any_of(f.is_null("expires_at"), f.compare("expires_at", ">", moment)))
        return f.where(*clauses)

    def _postfilter_share(self, tier: Tier, namespace: str) -> float | None:
        """The share of ``tier``'s rows that ``namespace`` holds if its searches should
        post-filter (it holds at least :data:`POSTFILTER_SHARE` of the rows and at least
        :data:`POSTFILTER_MIN_ROWS`), else ``None``; measured every :data:`SHARE_TTL_S` seconds."""
        name = self.table(tier).name
        known = self._shares.get((name, namespace))
        if known is None or time.monotonic() - known[2] >= SHARE_TTL_S:
            total = self._reads.count_rows(name)
            rows = self._reads.count_rows(name, f.eq("namespace", namespace))
            known = (rows / total if total else 0.0, rows, time.monotonic())
            self._shares[(name, namespace)] = known
        share, rows, _ = known
        return share if share >= POSTFILTER_SHARE and rows >= POSTFILTER_MIN_ROWS else None

    def vector_search(
        self,
        namespace: str,
        vector: np.ndarray,
        *,
        tiers: Iterable[Tier] = TIERS,
        k: int = 20,
        now: datetime | None = None,
        extra: str | None = None,
        exact: bool = False,
    ) -> list[Hit]:
        """Nearest records by cosine similarity in ``namespace``, per tier, best first.

        ``exact=True`` scans every row instead of using a vector index (slow on
        large tables; measures the index's recall).
        """
        dense, _ = self.hybrid_search(namespace, vector, "", tiers=tiers, k=k, now=now, extra=extra, exact=exact)
        return dense

    def text_search(
        self,
        namespace: str,
        text: str,
        *,
        tiers: Iterable[Tier] = TIERS,
        k: int = 20,
        now: datetime | None = None,
        extra: str | None = None,
    ) -> list[Hit]:
        """Full-text (BM25, ICU tokenizer: Chinese and English) matches, best first."""
        _, sparse = self.hybrid_search(namespace, None, text, tiers=tiers, k=k, now=now, extra=extra)
        return sparse

    def hybrid_search(
        self,
        namespace: str,
        vector: np.ndarray | None,
        text: str,
        *,
        tiers: Iterable[Tier] = TIERS,
        k: int = 20,
        now: datetime | None = None,
        extra: str | None = None,
        exact: bool = False,
    ) -> tuple[list[Hit], list[Hit]]:
        """:meth:`vector_search` and :meth:`text_search` together, every table's queries in
        one round trip: ``(vector hits, text hits)``, each best first. ``vector=None`` or
        a blank ``text`` skips that search.

        A table whose rows of ``namespace`` the read cache holds (or loads now: it is not
        too large, :mod:`tiermem.memory.read_cache`) is searched exactly in memory when
        there is no ``extra`` clause; the full-text searches always run on Lance (whose index
        holds the tokens), the cache then supplying the rows they found. On a table
        where ``namespace`` holds most rows (:data:`POSTFILTER_SHARE`) the
        index is searched first and the scope applied to what it found, with more
        candidates in proportion (and again with a pre-filter if fewer than ``k``
        were left of a search that may have missed some); every row returned is in
        ``namespace`` either way.
        """
        scope = self._scope(namespace, now, extra)
        tiers = list(tiers)
        dense_tiers = tiers if vector is not None else []
        sparse_tiers = [tier for tier in tiers if text.strip() and self._has_text_index(tier)]
        # one version check per table, for the read cache and the scans alike
        names = [self.table(tier).name for tier in dict.fromkeys([*dense_tiers, *sparse_tiers])]
        datasets = {name: self._reads.dataset(name) for name in names}
        # the read cache answers a vector search exactly (it cannot apply ``extra``, a SQL clause)
        cached = {} if exact or extra is not None else self._cached(dense_tiers, namespace, datasets=datasets)
        queries = [(tier, vector) for tier in dense_tiers if tier not in cached]
        queries += [(tier, None) for tier in sparse_tiers]
        shares = [None if exact else self._postfilter_share(tier, namespace) for tier, _ in queries]

        def scan(tier: Tier, dense: Any, share: float | None) -> Scan:
            # a post-filter without ``extra`` is applied here in Arrow, on the rows found: same
            # rows, less of Lance's filter planning (a retrieval's six searches at 100k
            # memories: 76-77 against 80-84 ms of CPU, BENCHMARKS.md)
            where = None if share is not None and extra is None else scope
            if dense is not None:
                return self._vector_scan(tier, dense, where, k, exact, share)
            return self._text_scan(tier, text, where, k, share, light=tier in cached)

        searching = {
            tier: self._reads.submit(partial(rows.search, vector, k, now))
            for tier, rows in cached.items()
            if vector is not None
        }
        found = self._reads.gather([scan(t, v, s) for (t, v), s in zip(queries, shares, strict=True)], datasets)
        results = [_in_scope([rows], namespace, now).slice(0, k) for rows in found]
        # a post-filter that kept fewer than k (the scope dropped many of the nearest rows: expired,
        # written after ``now``, or left out by ``extra``) is run again with the pre-filter, unless
        # the search found every match already (fewer than it asked for: a full-text search of
        # rare words; re-running those was most of a 100k namespace's full-text searches)
        again = [
            i
            for i, share in enumerate(shares)
            if share is not None
            and results[i].num_rows < k
            and (extra is not None or found[i].num_rows >= _candidates(k, share))
        ]
        for i, rows in zip(again, self._reads.gather([scan(*queries[i], None) for i in again]), strict=True):
            results[i] = _in_scope([rows], namespace)
        read = {(tier, dense is not None): rows for (tier, dense), rows in zip(queries, results, strict=True)}
        for tier in sparse_tiers:
            if tier in cached:  # the whole rows of what the full-text search found, from memory
                read[(tier, False)] = self._read_cache.take(cached[tier], read[(tier, False)])
        dense_rows = [searching[t].result() if t in searching else read[(t, True)] for t in dense_tiers]
        built: dict[str, MemoryRecord] = {}  # a row both searches found becomes one record

        def record(row: Row) -> MemoryRecord:
            known = built.get(row["id"])
            return known if known is not None else built.setdefault(row["id"], from_row(row))

        dense = [Hit(record(r), 1.0 - float(r["_distance"])) for t in dense_rows for r in t.to_pylist()]
        sparse = [Hit(record(r), float(r["_score"])) for t in sparse_tiers for r in read[(t, False)].to_pylist()]
        return sorted(dense, key=lambda h: -h.score), sorted(sparse, key=lambda h: -h.score)

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

    def _vector_scan(
        self, tier: Tier, vector: Any, scope: str | None, k: int, exact: bool, share: float | None
    ) -> Scan:
        policy = self.index_policy
        limit = _candidates(k, share)
        nearest: dict[str, Any] = {"column": "vector", "q": np.asarray(vector, dtype=np.float32), "metric": "cosine"}
        if exact:
            nearest["use_index"] = False
        else:
            # HNSW needs at least as many candidates as rows it re-ranks
            nearest.update(ef=max(policy.ef, limit * (policy.refine_factor or 1)), nprobes=policy.nprobes)
            if policy.refine_factor:
                nearest["refine_factor"] = policy.refine_factor
        columns = [*READ_COLUMNS, "_distance"]
        return Scan(self.table(tier).name, columns, scope, limit, nearest=nearest, prefilter=share is None)

    def _text_scan(
        self, tier: Tier, text: str, scope: str | None, k: int, share: float | None, *, light: bool = False
    ) -> Scan:
        """A full-text search of ``tier``; ``light``: of the columns the scope needs only (the read
        cache holds the rest: half the search's CPU, BENCHMARKS.md)."""
        columns = [*(SCOPE_COLUMNS if light else READ_COLUMNS), "_score"]
        return Scan(self.table(tier).name, columns, scope, _candidates(k, share), match=text, prefilter=share is None)

    def records(
        self,
        namespace: str,
        *,
        tiers: Iterable[Tier] = TIERS,
        now: datetime | None = None,
        extra: str | None = None,
        limit: int | None = None,
    ) -> list[MemoryRecord]:
        """Records of a namespace (newest first), optionally filtered."""
        scope = self._scope(namespace, now, extra)
        tiers = list(tiers)
        # from the cache if it holds the namespace already: a scan needs no vectors, a load reads them
        cached = self._cached(tiers, namespace, load=False) if extra is None and not limit else {}
        found = [rows.select(now) for rows in cached.values()]
        found += self._gather([tier for tier in tiers if tier not in cached], READ_COLUMNS, scope, limit or None)
        out = [from_row(r) for rows in found for r in rows.to_pylist()]
        out.sort(key=lambda r: r.created_at, reverse=True)
        return out[:limit] if limit else out

    def _by_ids(self, namespace: str, ids: Sequence[str], tiers: Iterable[Tier] = TIERS) -> pa.Table:
        """Rows of ``namespace`` with one of ``ids``: looked up by id alone (the id index; a
        namespace filter on top costs more than it saves), then checked for the namespace."""
        clause = f.in_("id", list(ids))
        found = self._gather(tiers, READ_COLUMNS, clause)
        return _in_scope(found, validate_namespace(namespace))

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
            history.sort(key=lambda r: (r.fact.observed_at if r.fact else r.created_at, r.created_at), reverse=True)
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
        """The current long-term facts of a namespace (newest version per key).

        The ledger is the source of truth the parametric tier trains on.
        """
        newest: dict[str, Fact] = {}
        for record in self.records(namespace, tiers=("long",)):
            if record.fact is None:
                continue
            known = newest.get(record.key)
            if known is None or record.fact.observed_at > known.observed_at:
                newest[record.key] = record.fact
        return sorted(newest.values(), key=lambda fact: fact.observed_at)

    def count(self, namespace: str | None = None, tiers: Iterable[Tier] = TIERS) -> int:
        """Rows in ``tiers`` (of one namespace, or of all)."""
        clause = f.eq("namespace", validate_namespace(namespace)) if namespace is not None else None
        return sum(self._reads.count_rows(self.table(tier).name, clause) for tier in tiers)

    def namespaces(self) -> list[str]:
        """Every namespace with at least one stored row."""
        found = self._reads.gather([Scan(self.table(tier).name, ["namespace"]) for tier in TIERS])
        return sorted({namespace for rows in found for namespace in rows.column("namespace").to_pylist()})
