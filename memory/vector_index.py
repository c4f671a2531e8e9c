"""Vector indexes: their kinds, names, LanceDB configs, how many partitions a search probes,
and their recall against exact search.

The maintainer (:mod:`tiermem.memory.maintenance`) builds an index of the kind
:attr:`~tiermem.memory.policies.IndexPolicy.vector_index` names and calls it
``vector_<kind>_<rows trained on>``; the store's searches read the kind and the
rows back from that name (:func:`search_probes`) to probe a share of an IVF_SQ
index's partitions. :func:`recall_at_k` and :func:`tie_recall` measure an index
against exact search (``tiermem bench latency`` and ``tiermem bench ann``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from lancedb.index import HnswSq, IvfPq, IvfSq

if TYPE_CHECKING:
    from .policies import IndexPolicy, VectorIndexKind

VECTOR_PREFIX = "vector_"
"""Vector indexes are named ``vector_<kind>_<rows trained on>``."""


def partitions(kind: VectorIndexKind, rows: int, policy: IndexPolicy) -> int:
    """IVF partitions of a ``kind`` index trained on ``rows`` vectors."""
    per_partition = {"ivf_pq": 1, "ivf_sq": 0.5, "ivf_hnsw_sq": 16}[kind] * policy.rows_per_partition
    return max(1, int(rows // per_partition))


def vector_index_config(kind: VectorIndexKind, rows: int, dim: int, policy: IndexPolicy) -> Any:
    """The LanceDB config of a cosine vector index over ``rows`` vectors of ``dim`` dimensions."""
    count = partitions(kind, rows, policy)
    if kind == "ivf_hnsw_sq":
        return HnswSq(distance_type="cosine", num_partitions=count)
    if kind == "ivf_sq":
        return IvfSq(distance_type="cosine", num_partitions=count)
    sub_vectors = next(s for s in (dim // 8, dim // 4, dim // 2, dim) if s and dim % s == 0)
    return IvfPq(distance_type="cosine", num_partitions=count, num_sub_vectors=sub_vectors, max_iterations=25)


def search_probes(name: str, policy: IndexPolicy) -> int:
    """The IVF partitions a search of the vector index named ``name`` (as the maintainer names
    it, :data:`VECTOR_PREFIX`) probes: ``policy.probe_share`` of an IVF_SQ index's, else
    ``policy.nprobes``."""
    if name.removeprefix(VECTOR_PREFIX).rsplit("_", 1)[0] != "ivf_sq":
        return policy.nprobes
    return math.ceil(policy.probe_share * partitions("ivf_sq", trained_rows(name), policy))


def trained_rows(name: str) -> int:
    """The rows a vector index named as the maintainer names it was trained on (0 if unknown)."""
    tail = name.rsplit("_", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def is_vector_index(index: Any) -> bool:
    """Whether ``index`` (an entry of ``list_indices()``) is a vector index."""
    return list(index.columns) == ["vector"]


def recall_at_k(exact: list[list[str]], approximate: list[list[str]], k: int = 10) -> float:
    """Mean share of each query's exact top-``k`` ids that the approximate search also returned."""
    if not exact:
        return math.nan
    shares = [len(set(a[:k]) & set(e[:k])) / min(k, len(e)) for e, a in zip(exact, approximate, strict=True) if e]
    return sum(shares) / len(shares) if shares else math.nan


TIE_EPSILON = 1e-3
"""A row found counts for :func:`tie_recall` if its distance is at most the exact k-th's plus this."""


def tie_recall(exact: Sequence[float], found: Sequence[float], k: int = 10) -> float:
    """Share of the exact top ``k`` that rows found at distances ``found`` make, counting each row
    within :data:`TIE_EPSILON` of the exact ``k``-th distance (``exact``, ascending) as a true
    neighbour (ann-benchmarks' recall: where more than ``k`` rows tie at the ``k``-th distance,
    the exact search's pick among them is arbitrary)."""
    if not exact:
        return 1.0
    threshold = exact[min(k, len(exact)) - 1] + TIE_EPSILON
    return min(k, sum(d <= threshold for d in found[:k])) / min(k, len(exact))
