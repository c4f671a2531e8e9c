"""The exact nearest rows by cosine, found in two passes: int8 picks the candidates, float32 ranks them.

An exact search of the read cache multiplies every unit vector of a namespace
with the query: at 50k rows of 512 floats that reads 100 MB and takes 8-10 ms
of one core, bound by memory. A large block therefore also keeps its vectors
as int8 codes with a scale per row (:func:`coarse_vectors`, a quarter of the
bytes), and a search first scores every row with an integer product of those
codes and the query's own (``torch._int_mm``: exact int32 sums, 2 ms for the
same rows), then scores the candidates again in float32.

The first pass is off by a bound known per row, so the result is the exact
search's. With ``u = s c + e`` (a row's unit vector, its scale, codes and
rounding error) and ``q = t d + f`` (the query's), the product is
``u . q = s t (c . d) + s c . f + e . q``, and ``|s c . f| <= (|u| + |e|) |f|``
and ``|e . q| <= |e| |q|``. A search takes the ``k`` best rows by the first
pass, scores them exactly, and keeps as candidates every row whose first-pass
score plus its bound reaches the least of those exact scores: a row of the
exact top ``k`` scores at least that, so it is among them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

COARSE_MIN_ROWS = 4_096
"""Blocks of fewer rows are searched in float32 alone."""
MAX_CANDIDATE_SHARE = 0.25
"""Where more rows than this share are candidates, all of them are scored in float32 anyway."""
_ROUNDING = 2.0**-22
"""Room per dimension for float32 arithmetic: the exact scores a search compares are float32 sums
(off by at most ``d * 2^-24`` for ``d`` dimensions), as are the scales, norms and bounds."""
_CODE_MAX = 127


@dataclass(frozen=True, slots=True)
class Quantized:
    """Unit vectors as int8 codes: row ``r`` is ``codes[r] * scales[r]``, off by ``errors[r]`` (L2)."""

    codes: Any
    """A torch int8 tensor, one row per vector."""
    scales: np.ndarray
    errors: np.ndarray

    @classmethod
    def of(cls, matrix: np.ndarray) -> Quantized:
        """The codes of ``matrix``'s rows, each scaled to its largest component."""
        import torch

        peak = np.abs(matrix).max(axis=1)
        scales = np.where(peak > 0, peak / _CODE_MAX, 1.0).astype(np.float32)
        codes = np.clip(np.rint(matrix / scales[:, None]), -_CODE_MAX, _CODE_MAX).astype(np.int8)
        errors = np.linalg.norm(matrix - codes * scales[:, None], axis=1)
        return cls(torch.from_numpy(codes), scales, errors.astype(np.float32))


def coarse_vectors(units: np.ndarray) -> Quantized | None:
    """``units`` as int8 codes for the first pass, or ``None`` for a small block or where this
    torch has no integer matrix product."""
    if len(units) < COARSE_MIN_ROWS or not integer_products():
        return None
    return Quantized.of(units)


@cache
def integer_products() -> bool:
    """Whether ``torch._int_mm`` (int8 x int8 -> int32) runs here."""
    import torch

    try:
        ones = torch.ones((1, 8), dtype=torch.int8)
        return int(torch._int_mm(ones, ones.t())[0, 0]) == 8
    except (AttributeError, RuntimeError):
        return False


def nearest(
    units: np.ndarray, coarse: Quantized | None, query: np.ndarray, visible: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """The positions of the (at most) ``k`` rows of ``units`` nearest to the unit ``query`` among
    the ``visible`` ones, and their float32 cosines; ``coarse``: :func:`coarse_vectors` of ``units``."""
    if coarse is not None and int(visible.sum()) > k:
        candidates = _candidates(units, coarse, query, visible, k)
        if candidates is not None:
            exact = units[candidates] @ query
            top = np.argpartition(-exact, k - 1)[:k] if len(exact) > k else np.arange(len(exact))
            return candidates[top], exact[top]
    found = np.where(visible, units @ query, -np.inf)
    top = np.argpartition(-found, k - 1)[:k] if len(found) > k else np.arange(len(found))
    top = top[np.isfinite(found[top])]
    return top, found[top]


def _candidates(
    units: np.ndarray, coarse: Quantized, query: np.ndarray, visible: np.ndarray, k: int
) -> np.ndarray | None:
    """The visible rows that may be among the ``k`` nearest (more than ``k`` rows are visible),
    by the integer pass and its bounds; ``None`` where they are too many to be worth it."""
    import torch

    asked = Quantized.of(query[None, :])
    sums = torch._int_mm(asked.codes, coarse.codes.t())[0].numpy()
    approx = sums * (coarse.scales * asked.scales[0])
    query_norm = float(np.linalg.norm(query))
    slack = len(query) * _ROUNDING
    bounds = coarse.errors * query_norm + (1.0 + coarse.errors) * float(asked.errors[0]) + slack
    approx = np.where(visible, approx, -np.inf)
    best = np.argpartition(-approx, k - 1)[:k]
    floor = float((units[best] @ query).min())  # the k-th best exact score is at least this
    candidates = np.flatnonzero(approx + bounds >= floor)
    return None if len(candidates) > MAX_CANDIDATE_SHARE * len(approx) else candidates
