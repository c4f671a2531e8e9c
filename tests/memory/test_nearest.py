"""The two-pass nearest search (bf16 candidates, float32 ranking) returns the exact search's rows."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.nearest import COARSE_MIN_ROWS, ERROR_BOUND, coarse_vectors, nearest


def units(matrix: np.ndarray) -> np.ndarray:
    return (matrix / np.linalg.norm(matrix, axis=-1, keepdims=True)).astype(np.float32)


def clustered(
    rng: np.random.Generator, rows: int, dim: int = 512, centers: int = 40, spread: float = 0.05
) -> np.ndarray:
    """Unit vectors in tight clusters: many rows nearly tied for any query near a center."""
    middle = rng.normal(size=(centers, dim))
    return units(middle[rng.integers(centers, size=rows)] + spread * rng.normal(size=(rows, dim)))


def test_a_bf16_cosine_of_unit_vectors_is_within_the_bound(embedder: BaseEmbedder) -> None:
    """The derived bound (3u + u^2, u = 2^-8: 0.0118) holds on random and real embeddings."""
    rng = np.random.default_rng(0)
    texts = [f"note {i}: I weighed {40 + i % 30} kg and walked {i} km" for i in range(300)]
    for matrix in (clustered(rng, 6_000), units(rng.normal(size=(6_000, 512))), units(embedder.encode(texts))):
        coarse = torch.from_numpy(matrix).to(torch.bfloat16)  # as a large block keeps them
        for query in matrix[:20]:
            approx = torch.mv(coarse, torch.from_numpy(query).to(torch.bfloat16)).float().numpy()
            assert np.abs(approx - matrix @ query).max() <= 3 * 2.0**-8 + 2.0**-16 + 1e-4 < ERROR_BOUND


@pytest.mark.parametrize("k", [1, 10, 30, 500])
def test_the_two_pass_search_finds_the_exact_rows(k: int) -> None:
    rng = np.random.default_rng(k)
    matrix = clustered(rng, 3 * COARSE_MIN_ROWS)
    coarse = coarse_vectors(matrix)
    visible = rng.random(len(matrix)) < 0.8
    for query in (*matrix[:10], *units(rng.normal(size=(5, 512)))):
        found, scores = nearest(matrix, coarse, query, visible, k)
        expected, exact = nearest(matrix, None, query, visible, k)
        assert sorted(found.tolist()) == sorted(expected.tolist())
        assert np.allclose(np.sort(scores), np.sort(exact), atol=1e-6)
        assert visible[found].all()


def test_identical_rows_fall_back_to_scoring_every_row() -> None:
    """When most rows are candidates (here all are tied) the float32 pass scores them all."""
    matrix = np.tile(units(np.ones((1, 512))), (COARSE_MIN_ROWS, 1))
    matrix[7] = units(np.arange(512.0))
    visible = np.ones(len(matrix), dtype=bool)
    found, scores = nearest(matrix, coarse_vectors(matrix), matrix[7], visible, 3)
    assert 7 in found.tolist() and len(found) == 3 and scores.max() == pytest.approx(1.0)


def test_small_blocks_keep_no_bf16_copy() -> None:
    assert coarse_vectors(units(np.ones((COARSE_MIN_ROWS - 1, 8)))) is None
