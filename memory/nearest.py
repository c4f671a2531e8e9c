"""The exact nearest rows by cosine, found in two passes: bf16 picks the candidates, float32 ranks them.

An exact search of the read cache multiplies every unit vector of a namespace
with the query: at 50k rows of 512 floats that reads 100 MB and takes about 9
ms of one core, bound by memory. Where the CPU computes bf16 natively
(AVX512-BF16 or AMX: 2.5x as fast for this product, half the bytes), a block
of rows also keeps its vectors in bf16. A search then scores every row in bf16,
keeps each row whose approximate score is within ``2 * ERROR_BOUND`` of the
``k``-th best, and scores those again in float32. For unit vectors an
approximate score is off by at most ``3u + u^2`` (``u = 2^-8``: the row's,
the query's and the product's rounding to bf16; products accumulate in
float32), about 0.0118 < :data:`ERROR_BOUND`, so every row of the exact top
``k`` is a candidate, and the result is the exact search's.
"""

from __future__ import annotations

from typing import Any

import numpy as np

COARSE_MIN_ROWS = 4_096
"""Blocks of fewer rows are searched in float32 alone."""
ERROR_BOUND = 0.015
"""The most a bf16 cosine of two unit vectors is off by (0.0118, with room)."""
MAX_CANDIDATE_SHARE = 0.25
"""Where more rows than this share are candidates, all of them are scored in float32 anyway."""


def coarse_vectors(units: np.ndarray) -> Any:
    """``units`` in bf16 for the first pass (a torch tensor), or ``None`` for a small block."""
    if len(units) < COARSE_MIN_ROWS:
        return None
    import torch

    return torch.from_numpy(units).to(torch.bfloat16)


def nearest(
    units: np.ndarray, coarse: Any, query: np.ndarray, visible: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """The positions of the (at most) ``k`` rows of ``units`` nearest to the unit ``query`` among
    the ``visible`` ones, and their float32 cosines; ``coarse``: :func:`coarse_vectors` of ``units``."""
    if coarse is not None and int(visible.sum()) > k:
        candidates = _candidates(coarse, query, visible, k)
        if candidates is not None:
            exact = units[candidates] @ query
            top = np.argpartition(-exact, k - 1)[:k] if len(exact) > k else np.arange(len(exact))
            return candidates[top], exact[top]
    found = np.where(visible, units @ query, -np.inf)
    top = np.argpartition(-found, k - 1)[:k] if len(found) > k else np.arange(len(found))
    top = top[np.isfinite(found[top])]
    return top, found[top]


def _candidates(coarse: Any, query: np.ndarray, visible: np.ndarray, k: int) -> np.ndarray | None:
    """The visible rows whose bf16 score is within ``2 * ERROR_BOUND`` of the ``k``-th best of them
    (more than ``k`` rows are visible); ``None`` where they are too many to be worth it."""
    import torch

    approx = torch.mv(coarse, torch.from_numpy(query).to(torch.bfloat16)).float().numpy()
    approx = np.where(visible, approx, -np.inf)
    kth = np.partition(approx, len(approx) - k)[len(approx) - k]
    candidates = np.flatnonzero(approx >= kth - 2 * ERROR_BOUND)
    return None if len(candidates) > MAX_CANDIDATE_SHARE * len(approx) else candidates
