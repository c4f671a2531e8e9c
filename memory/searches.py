"""The store's searches: vector, full-text and both at once, over every tier of one namespace.

:class:`StoreSearches` extends :class:`~tiermem.memory.reads.StoreReads` with
the searches of :class:`~tiermem.memory.store.TierStore`. A namespace the read
cache holds is searched in memory (the vector search exact, the full-text
search tokenized and scored as Lance's index does it); a namespace that dominates a table is
searched with a post-filter, its rows checked against the namespace and the
time scope afterwards, so isolation stays exact.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

import numpy as np
import pyarrow as pa

from . import filters as f
from .dataset_reader import Scan
from .embeddings import BaseEmbedder
from .errors import InvalidInputError
from .fact_heads import Row
from .policies import IndexPolicy
from .reads import READ_COLUMNS, StoreReads, in_scope
from .records import TIERS, MemoryRecord, Tier, validate_k, validate_tiers
from .schema import TABLE_FOR_TIER, from_row
from .text_index import tokenize
from .vector_index import is_vector_index, search_probes, trained_rows

POSTFILTER_SHARE = 0.5
"""A namespace holding at least this share of a table is searched with a post-filter: a
pre-filter that keeps most rows costs more than the index walk it narrows."""
POSTFILTER_MIN_ROWS = 2_000
"""Below this many rows of the namespace a pre-filtered search is cheap anyway."""
SHARE_TTL_S = 300.0
"""How long a namespace's measured share of a table is trusted."""


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: the record and its raw score from one search method."""

    record: MemoryRecord
    score: float
    """Cosine similarity for vector search, BM25 for full-text search."""


def candidate_rows(k: int, share: float | None) -> int:
    """Rows a search asks for: ``k``, or with a post-filter on a table ``namespace`` holds
    ``share`` of, enough that about ``k`` of them are left after it."""
    return k if share is None else math.ceil(k / share * 1.25)


class StoreSearches(StoreReads):
    """Search methods of :class:`~tiermem.memory.store.TierStore`."""

    index_policy: IndexPolicy
    embedder: BaseEmbedder
    _text_indexed: set[str]
    _shares: dict[tuple[str, str], tuple[float, int, float]]
    """(table, namespace) -> (share of the table's rows, rows, when measured)."""
    _probes: dict[str, tuple[int, float]]
    """Table -> (IVF partitions its vector searches probe, when looked up)."""

    def _has_text_index(self, tier: Tier) -> bool:
        """Whether ``tier``'s table has its full-text index (remembered once it has: it stays)."""
        name = TABLE_FOR_TIER[tier]
        if name not in self._text_indexed and any(i.index_type == "FTS" for i in self.table(tier).list_indices()):
            self._text_indexed.add(name)
        return name in self._text_indexed

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

    def vector_index_changed(self, tier: Tier) -> None:
        """``tier``'s vector index was built anew (the maintainer says so): look up its partitions again."""
        self._probes.pop(self.table(tier).name, None)

    def _nprobes(self, tier: Tier) -> int:
        """IVF partitions a search of ``tier``'s vector index probes (``vector_index.search_probes``; of
        the newest index while a rebuild has two), looked up every :data:`SHARE_TTL_S` seconds
        (another process may rebuild it)."""
        name = self.table(tier).name
        known = self._probes.get(name)
        if known is None or time.monotonic() - known[1] >= SHARE_TTL_S:
            indexes = [i.name for i in self.table(tier).list_indices() if is_vector_index(i)]
            newest = max(indexes, key=trained_rows, default=None)
            probes = search_probes(newest, self.index_policy) if newest else self.index_policy.nprobes
            known = self._probes[name] = (probes, time.monotonic())
        return known[0]

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
        too large, :mod:`tiermem.memory.read_cache`) is searched in memory when there is no
        ``extra`` clause: the vector search exactly, the full-text search with the index's
        tokenizer and BM25 over the namespace's rows (:mod:`tiermem.memory.text_index`). On a table
        where ``namespace`` holds most rows (:data:`POSTFILTER_SHARE`) the
        index is searched first and the scope applied to what it found, with more
        candidates in proportion (and again with a pre-filter if fewer than ``k``
        were left of a search that may have missed some); every row returned is in
        ``namespace`` either way.
        """
        scope = self._scope(namespace, now, extra)
        tiers, k = validate_tiers(tiers), validate_k(k)
        if vector is not None:
            vector = self._query_vector(vector)
        dense_tiers = tiers if vector is not None else []
        sparse_tiers = [tier for tier in tiers if text.strip() and self._has_text_index(tier)]
        both = list(dict.fromkeys([*dense_tiers, *sparse_tiers]))
        # one version check per table, for the read cache and the scans alike
        datasets = {name: self._reads.dataset(name) for name in (self.table(tier).name for tier in both)}
        # the read cache answers both searches (it cannot apply ``extra``, a SQL clause); of a namespace
        # it holds light, Lance finds the ids and scores and the cache gives the rows
        held = {} if exact or extra is not None else self._cached(both, namespace, datasets=datasets)
        light = {tier: rows for tier, rows in held.items() if rows.light}
        cached = {tier: rows for tier, rows in held.items() if not rows.light}
        queries = [(tier, vector) for tier in dense_tiers if tier not in cached]
        queries += [(tier, None) for tier in sparse_tiers if tier not in cached]
        shares = [None if exact else self._postfilter_share(tier, namespace) for tier, _ in queries]

        def scan(tier: Tier, dense: Any, share: float | None) -> Scan:
            # a post-filter without ``extra`` is applied here in Arrow, on the rows found: same
            # rows, less of Lance's filter planning (a retrieval's six searches at 100k
            # memories: 76-77 against 80-84 ms of CPU, BENCHMARKS.md)
            where = None if share is not None and extra is None else scope
            ids_only = tier in light
            if dense is not None:
                return self._vector_scan(tier, dense, where, k, exact, share, ids_only=ids_only)
            return self._text_scan(tier, text, where, k, share, ids_only=ids_only)

        def rows_of(tier: Tier, dense: Any, found: pa.Table) -> pa.Table:
            """A search's rows, those of a light tier taken from the cache."""
            if tier not in light:
                return found
            return light[tier].joined(found, "_distance" if dense is not None else "_score")

        searching = {
            (tier, True): self._reads.submit(partial(cached[tier].search, vector, k, now))
            for tier in dense_tiers
            if tier in cached and vector is not None
        }
        tokens = tokenize(text) if any(tier in cached for tier in sparse_tiers) else []
        searching.update(
            {
                (tier, False): self._reads.submit(partial(cached[tier].text_search, tokens, k, now))
                for tier in sparse_tiers
                if tier in cached
            }
        )
        found = self._reads.gather([scan(t, v, s) for (t, v), s in zip(queries, shares, strict=True)], datasets)
        results = [
            in_scope([rows_of(*query, rows)], namespace, now).slice(0, k)
            for query, rows in zip(queries, found, strict=True)
        ]
        # a post-filter that kept fewer than k (the scope dropped many of the nearest rows: expired,
        # written after ``now``, or left out by ``extra``) is run again with the pre-filter, unless
        # the search found every match already (fewer than it asked for: a full-text search of
        # rare words; re-running those was most of a 100k namespace's full-text searches)
        again = [
            i
            for i, share in enumerate(shares)
            if share is not None
            and results[i].num_rows < k
            and (extra is not None or found[i].num_rows >= candidate_rows(k, share))
        ]
        for i, rows in zip(again, self._reads.gather([scan(*queries[i], None) for i in again]), strict=True):
            results[i] = in_scope([rows_of(*queries[i], rows)], namespace)
        read = {(tier, dense is not None): rows for (tier, dense), rows in zip(queries, results, strict=True)}
        read.update({key: searched.result() for key, searched in searching.items()})
        dense_rows = [read[(t, True)] for t in dense_tiers]
        built: dict[str, MemoryRecord] = {}  # a row both searches found becomes one record

        def record(row: Row) -> MemoryRecord:
            known = built.get(row["id"])
            return known if known is not None else built.setdefault(row["id"], from_row(row))

        dense = [Hit(record(r), 1.0 - float(r["_distance"])) for t in dense_rows for r in t.to_pylist()]
        sparse = [Hit(record(r), float(r["_score"])) for t in sparse_tiers for r in read[(t, False)].to_pylist()]
        return sorted(dense, key=lambda h: -h.score), sorted(sparse, key=lambda h: -h.score)

    def _query_vector(self, vector: object) -> np.ndarray:
        """``vector`` as a float32 query of the embedder's width, or raise :class:`InvalidInputError`."""
        dim = self.embedder.dim
        try:
            query = np.asarray(vector, dtype=np.float32)
        except (TypeError, ValueError):
            raise InvalidInputError(f"the query vector must be {dim} numbers, got {type(vector).__name__}") from None
        if query.shape != (dim,) or not np.isfinite(query).all():
            raise InvalidInputError(
                f"the query vector must be {dim} finite numbers (embedder {self.embedder.name!r}), "
                f"got shape {query.shape}"
            )
        return query

    def _vector_scan(
        self,
        tier: Tier,
        vector: Any,
        scope: str | None,
        k: int,
        exact: bool,
        share: float | None,
        *,
        ids_only: bool = False,
    ) -> Scan:
        policy = self.index_policy
        limit = candidate_rows(k, share)
        nearest: dict[str, Any] = {"column": "vector", "q": np.asarray(vector, dtype=np.float32), "metric": "cosine"}
        if exact:
            nearest["use_index"] = False
        else:
            # HNSW needs at least as many candidates as rows it re-ranks
            nearest.update(ef=max(policy.ef, limit * (policy.refine_factor or 1)), nprobes=self._nprobes(tier))
            if policy.refine_factor:
                nearest["refine_factor"] = policy.refine_factor
        columns = [*(["id"] if ids_only else READ_COLUMNS), "_distance"]
        return Scan(self.table(tier).name, columns, scope, limit, nearest=nearest, prefilter=share is None)

    def _text_scan(
        self, tier: Tier, text: str, scope: str | None, k: int, share: float | None, *, ids_only: bool = False
    ) -> Scan:
        """A full-text search of ``tier``'s index; ``ids_only``: the ids and scores alone."""
        columns = [*(["id"] if ids_only else READ_COLUMNS), "_score"]
        return Scan(
            self.table(tier).name, columns, scope, candidate_rows(k, share), match=text, prefilter=share is None
        )
