"""The two-pass nearest search (int8 candidates, float32 ranking) returns the exact search's rows."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.nearest import COARSE_MIN_ROWS, Quantized, coarse_vectors, integer_products, nearest


def units(matrix: np.ndarray) -> np.ndarray:
    return (matrix / np.linalg.norm(matrix, axis=-1, keepdims=True)).astype(np.float32)


def clustered(
    rng: np.random.Generator, rows: int, dim: int = 512, centers: int = 40, spread: float = 0.05
) -> np.ndarray:
    """Unit vectors in tight clusters: many rows nearly tied for any query near a center."""
    middle = rng.normal(size=(centers, dim))
    return units(middle[rng.integers(centers, size=rows)] + spread * rng.normal(size=(rows, dim)))


def test_this_torch_has_the_integer_product() -> None:
    assert integer_products()


def test_codes_times_scales_are_within_each_rows_error(embedder: BaseEmbedder) -> None:
    rng = np.random.default_rng(0)
    texts = [f"note {i}: I weighed {40 + i % 30} kg and walked {i} km" for i in range(300)]
    for matrix in (clustered(rng, 2_000), units(rng.normal(size=(2_000, 384))), units(embedder.encode(texts))):
        quantized = Quantized.of(matrix)
        codes = quantized.codes.numpy().astype(np.float64)
        off = np.linalg.norm(matrix - codes * quantized.scales[:, None].astype(np.float64), axis=1)
        assert np.allclose(off, quantized.errors, atol=1e-6)
        assert quantized.errors.max() < 0.02  # a 256th of each row's largest component, at most, per component


def test_the_integer_pass_is_within_its_bound(embedder: BaseEmbedder) -> None:
    """|first pass - cosine| <= |e| |q| + (1 + |e|) |f| on random and real embeddings."""
    rng = np.random.default_rng(1)
    texts = [f"I moved to city number {i} and my dog is called Rex {i}" for i in range(300)]
    for matrix in (clustered(rng, 3_000), units(rng.normal(size=(3_000, 512))), units(embedder.encode(texts))):
        rows = Quantized.of(matrix)
        for query in matrix[:20]:
            asked = Quantized.of(query[None, :])
            sums = torch._int_mm(asked.codes, rows.codes.t())[0].numpy().astype(np.float64)
            approx = sums * rows.scales * asked.scales[0]
            bound = rows.errors + (1 + rows.errors) * asked.errors[0]
            assert (np.abs(approx - matrix.astype(np.float64) @ query) <= bound + 1e-6).all()


@pytest.mark.parametrize("k", [1, 10, 30, 500])
def test_the_two_pass_search_finds_the_exact_rows(k: int) -> None:
    rng = np.random.default_rng(k)
    matrix = clustered(rng, 3 * COARSE_MIN_ROWS)
    coarse = coarse_vectors(matrix)
    assert coarse is not None
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


def test_a_zero_row_or_query_is_searched_like_any_other() -> None:
    rng = np.random.default_rng(5)
    matrix = clustered(rng, COARSE_MIN_ROWS)
    matrix[3] = 0.0
    visible = np.ones(len(matrix), dtype=bool)
    coarse = coarse_vectors(matrix)
    for query in (matrix[10], np.zeros(512, np.float32)):
        found, _ = nearest(matrix, coarse, query, visible, 5)
        assert len(found) == 5


def test_small_blocks_keep_no_codes() -> None:
    assert coarse_vectors(units(np.ones((COARSE_MIN_ROWS - 1, 8)))) is None
