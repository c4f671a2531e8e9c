"""Vector index kinds compared on the latency benchmark's memories: recall@10 and CPU a search.

``tiermem bench ann --rows 500000 --kinds ivf_sq,ivf_hnsw_sq --json`` fills one
LanceDB table with the synthetic memories of :mod:`tiermem.benchmarks.latency`
(its cached embeddings: the target namespace's rows, then a tenth as many of
300 other namespaces, so the target holds about 91 % of the table, as a large
user does there), finds each query's exact top 10 in the target namespace, and
then, per index kind, builds the index the maintainer would build
(:func:`~tiermem.memory.vector_index.vector_index_config`) and searches it the
way the store searches a namespace holding most of a table: post-filtered,
:func:`~tiermem.memory.searches.candidate_rows` rows asked for, re-ranked with
the full vectors, at several settings of the kind's speed/recall knob
(:data:`SWEEPS`). Queries are the gate's labelled messages, as in the latency
benchmark.

Two recalls are reported: ``recall_at_10`` counts the exact top 10's ids found,
and ``tie_recall_at_10`` (:func:`~tiermem.memory.vector_index.tie_recall`,
ann-benchmarks' definition) counts the rows found whose distance is within
1e-3 of the exact 10th: the synthetic texts repeat (89 %
distinct), so many queries have more than ten rows at the 10th distance, and the
exact search's pick among them is arbitrary.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import lancedb
import numpy as np
import pyarrow as pa
from pydantic import BaseModel, Field
from tiermem.memory import filters as f
from tiermem.memory.embeddings import BaseEmbedder, get_embedder
from tiermem.memory.policies import IndexPolicy, VectorIndexKind
from tiermem.memory.searches import candidate_rows
from tiermem.memory.vector_index import (
    TIE_EPSILON,
    is_vector_index,
    partitions,
    recall_at_k,
    search_probes,
    tie_recall,
    vector_index_config,
)

from . import synthetic
from .latency import MIN_OTHERS, TARGET, machine, percentile, turn_messages

log = logging.getLogger(__name__)

K = 10
SWEEPS: dict[str, tuple[float, ...]] = {
    "ivf_sq": (0.125, 0.25, 0.33, 0.5),
    "ivf_hnsw_sq": (200, 400, 800, 1600),
    "ivf_pq": (16, 32, 64),
}
"""Each kind's knob: IVF_SQ the share of partitions probed, IVF_HNSW_SQ ``ef``, IVF_PQ ``nprobes``."""
PQ_REFINE = 20
"""IVF_PQ re-ranks this many times k candidates (it needs about 20, :class:`IndexPolicy`)."""

Progress = Callable[..., Iterable[Any]]
Neighbours = list[tuple[str, float]]
"""A query's nearest rows: (id, cosine distance), nearest first."""


class AnnResult(BaseModel):
    """One index kind at one setting."""

    kind: str
    setting: str
    """The knob and its value (``probe_share=0.33``, ``ef=800``, ``nprobes=32``)."""
    partitions: int
    nprobes: int
    recall_at_10: float
    tie_recall_at_10: float
    cpu_p50_ms: float
    """CPU time of the process per search, every thread (Lance's own included)."""
    cpu_p95_ms: float
    wall_p50_ms: float
    wall_p95_ms: float
    build_s: float
    """Seconds to build the kind's index (once per kind)."""


class AnnReport(BaseModel):
    """A whole run."""

    machine: str
    command: str = ""
    rows: int
    """Rows in the table (the target namespace's and the others')."""
    target_share: float
    queries: int
    exact_cpu_p50_ms: float
    """CPU per exact (brute-force, pre-filtered) search: what the index saves."""
    tied_queries: float
    """Share of the queries with more than 10 rows within ``TIE_EPSILON`` of their exact 10th
    distance (their exact top 10 is one pick of several)."""
    results: list[AnnResult] = Field(default_factory=list)


def _search(table: lancedb.table.Table, vector: np.ndarray) -> Any:
    """A cosine vector search of ``table`` (LanceDB's stub types ``search`` too loosely)."""
    return table.search(vector).distance_type("cosine")  # type: ignore[attr-defined]


class AnnBench:
    """Fill (or reuse) the table, find the exact neighbours, then build and search each kind.

    Args:
        work_dir: where the table goes (``n<rows>/``, reused when it holds ``rows`` rows).
        rows: the target namespace's rows (the others get a tenth as many, at least
            :data:`~tiermem.benchmarks.latency.MIN_OTHERS`).
        kinds: index kinds to compare, in order.
        policy: partition sizes and the other search settings (the store's defaults).
        queries: how many of the gate's messages to search with.
        seed: the synthetic memories' seed (the latency benchmark's: 0).
        sweeps: each kind's settings (default :data:`SWEEPS`).
        embedder: the embedder whose cached vectors fill the table (default: USE).
        progress: wraps an iterable with a progress bar (``tqdm``), or not.
    """

    def __init__(
        self,
        work_dir: Path,
        rows: int,
        kinds: Sequence[VectorIndexKind],
        *,
        policy: IndexPolicy | None = None,
        queries: int = 100,
        seed: int = 0,
        sweeps: Mapping[str, Sequence[float]] = SWEEPS,
        embedder: BaseEmbedder | None = None,
        progress: Progress = lambda iterable, **_: iterable,
    ) -> None:
        self.work_dir = work_dir
        self.rows = rows
        self.kinds = list(kinds)
        self.policy = policy or IndexPolicy()
        self.queries = queries
        self.seed = seed
        self.sweeps = sweeps
        self.embedder = embedder or get_embedder("use")
        self.progress = progress

    def run(self) -> AnnReport:
        """Every kind at every setting of its sweep."""
        table = self._table()
        total = table.count_rows()
        share = self.rows / total
        vectors = self.embedder.encode(turn_messages()[: self.queries])
        exact, exact_cpu, tied = self._exact(table, vectors)
        report = AnnReport(
            machine=machine(), rows=total, target_share=round(share, 4), queries=len(vectors),
            exact_cpu_p50_ms=percentile(exact_cpu, 50), tied_queries=round(tied, 4),
        )  # fmt: skip
        for kind in self.kinds:
            build_s, name = self._build(table, kind, total)
            for value in self.sweeps[kind]:
                report.results.append(self._measure(table, kind, name, value, share, vectors, exact, build_s))
                log.info("ann %s", report.results[-1].model_dump_json())
        return report

    def _table(self) -> lancedb.table.Table:
        """The filled table, built from the cached embeddings unless a fill of this size is there."""
        db = lancedb.connect(self.work_dir / f"n{self.rows}")
        others = max(self.rows // 10, MIN_OTHERS)
        if "memories" in db.table_names():
            table = db.open_table("memories")
            if table.count_rows() == self.rows + others:
                return table
            db.drop_table("memories")
        batches = iter(self.progress(self._batches(others), desc=f"fill {self.rows:,}", unit="batch"))
        table = db.create_table("memories", next(batches))
        for batch in batches:
            table.add(batch)
        table.optimize()
        return table

    def _batches(self, others: int) -> Iterator[pa.Table]:
        for stream, count in ((TARGET, self.rows), ("others", others)):
            for lo in range(0, count, synthetic.CHUNK):
                hi = min(lo + synthetic.CHUNK, count)
                vectors = synthetic.vectors(self.embedder, self.seed, stream, lo, hi)
                namespaces = [TARGET if stream == TARGET else f"user-{i % 300:03d}" for i in range(lo, hi)]
                yield pa.table(
                    {
                        "id": [f"{stream}-{i}" for i in range(lo, hi)],
                        "namespace": namespaces,
                        "vector": pa.FixedSizeListArray.from_arrays(pa.array(vectors.ravel()), vectors.shape[1]),
                    }
                )

    def _exact(self, table: lancedb.table.Table, vectors: np.ndarray) -> tuple[list[Neighbours], list[float], float]:
        """Each query's exact top 10 in the target namespace (id, cosine distance), CPU per
        search, and the share of queries with more than 10 rows tied at the 10th distance."""
        exact, cpu, tied = [], [], 0
        for vector in self.progress(vectors, desc="exact search", unit="query"):
            started = time.process_time()
            query = _search(table, vector).where(f.eq("namespace", TARGET), prefilter=True)
            rows = query.bypass_vector_index().limit(3 * K).to_arrow()
            cpu.append((time.process_time() - started) * 1e3)
            nearest = list(zip(rows.column("id").to_pylist(), rows.column("_distance").to_pylist(), strict=True))
            exact.append(nearest[:K])
            tied += len(nearest) > K and nearest[K][1] <= nearest[K - 1][1] + TIE_EPSILON
        return exact, cpu, tied / max(len(exact), 1)

    def _build(self, table: lancedb.table.Table, kind: VectorIndexKind, rows: int) -> tuple[float, str]:
        """Drop the vector indexes, build ``kind``'s as the maintainer names it; seconds and name."""
        for index in table.list_indices():
            if is_vector_index(index):
                table.drop_index(index.name)
        name = f"vector_{kind}_{rows}"
        started = time.perf_counter()
        config = vector_index_config(kind, rows, self.embedder.dim, self.policy)
        table.create_index("vector", config=config, name=name, replace=True)
        return round(time.perf_counter() - started, 1), name

    def _measure(
        self,
        table: lancedb.table.Table,
        kind: VectorIndexKind,
        name: str,
        value: float,
        share: float,
        vectors: np.ndarray,
        exact: list[Neighbours],
        build_s: float,
    ) -> AnnResult:
        """Search every query at one setting of ``kind``'s knob."""
        policy, refine = self.policy, self.policy.refine_factor or 1
        limit = candidate_rows(K, share)
        if kind == "ivf_sq":
            policy = policy.model_copy(update={"probe_share": value})
        elif kind == "ivf_pq":
            policy, refine = policy.model_copy(update={"nprobes": int(value)}), PQ_REFINE
        nprobes = search_probes(name, policy)
        ef = int(value) if kind == "ivf_hnsw_sq" else policy.ef
        found, ties, cpu, wall = [], [], [], []
        for vector, truth in zip(vectors, exact, strict=True):
            started, clock = time.process_time(), time.perf_counter()
            query = _search(table, vector).where(f.eq("namespace", TARGET), prefilter=False)
            query = query.limit(limit).nprobes(nprobes).refine_factor(refine).ef(max(ef, limit * refine))
            rows = query.to_arrow()
            cpu.append((time.process_time() - started) * 1e3)
            wall.append((time.perf_counter() - clock) * 1e3)
            found.append(rows.column("id").to_pylist()[:K])
            ties.append(tie_recall([d for _, d in truth], rows.column("_distance").to_pylist()))
        knob = {"ivf_sq": "probe_share", "ivf_hnsw_sq": "ef", "ivf_pq": "nprobes"}[kind]
        return AnnResult(
            kind=kind, setting=f"{knob}={value:g}", partitions=partitions(kind, table.count_rows(), self.policy),
            nprobes=nprobes, recall_at_10=round(recall_at_k([[i for i, _ in t] for t in exact], found), 4),
            tie_recall_at_10=round(float(np.mean(ties)), 4), cpu_p50_ms=percentile(cpu, 50),
            cpu_p95_ms=percentile(cpu, 95), wall_p50_ms=percentile(wall, 50), wall_p95_ms=percentile(wall, 95),
            build_s=build_s,
        )  # fmt: skip
