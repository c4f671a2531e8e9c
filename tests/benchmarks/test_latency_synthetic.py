"""The latency benchmark's synthetic memories and their embedding cache."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from tiermem.benchmarks import synthetic
from tiermem.memory.embeddings import BaseEmbedder

_CJK = re.compile(r"[\u4e00-\u9fff]")


def test_records_are_a_pure_function_of_seed_stream_and_index() -> None:
    first = [r.text for r in synthetic.records(0, "target", 0, 50, "alice")]
    again = [r.text for r in synthetic.records(0, "target", 0, 50, "bob")]
    other_seed = [r.text for r in synthetic.records(1, "target", 0, 50, "alice")]
    assert first == again
    assert sum(a != b for a, b in zip(first, other_seed, strict=True)) > 40
    assert [r.text for r in synthetic.records(0, "target", 20, 30, "alice")] == first[20:30]


def test_records_look_like_a_users_memories() -> None:
    records = list(synthetic.records(0, "target", 0, 3000, None))
    tiers = Counter(r.tier for r in records)
    for tier, share in synthetic.TIER_MIX:
        assert abs(tiers[tier] / len(records) - share) < 0.04, tiers
    assert len({r.namespace for r in records}) == 300
    assert 0.18 < sum(bool(_CJK.search(r.text)) for r in records) / len(records) < 0.32
    assert len({r.text for r in records}) / len(records) > 0.85
    for record in records:
        assert record.created_at <= synthetic.BENCH_NOW
        if record.tier == "short":
            assert record.fact is None and record.expires_at > synthetic.BENCH_NOW
        else:
            assert record.fact is not None and record.key and record.expires_at is None
    assert len({r.key for r in records if r.key}) > 100


def test_vectors_are_the_embeddings_cached_in_chunks(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, embedder: BaseEmbedder
) -> None:
    monkeypatch.setenv("TIERMEM_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(synthetic, "CHUNK", 64)
    vectors = synthetic.vectors(embedder, 0, "target", 10, 140)
    texts = [r.text for r in synthetic.records(0, "target", 10, 140)]
    assert vectors.shape == (130, embedder.dim)
    np.testing.assert_allclose(vectors, embedder.encode(texts), atol=1e-5)
    folder = synthetic.vector_cache(embedder, 0, "target")
    files = sorted(folder.iterdir())
    assert [(p.name, len(np.load(p))) for p in files] == [("00000.npy", 64), ("00001.npy", 64), ("00002.npy", 12)]
    stamps = [p.stat().st_mtime_ns for p in files]
    np.testing.assert_array_equal(synthetic.vectors(embedder, 0, "target", 0, 192)[10:140], vectors)
    assert [p.stat().st_mtime_ns for p in files[:2]] == stamps[:2]  # full chunks are read, not recomputed
    assert len(np.load(files[2])) == 64
    assert synthetic.vectors(embedder, 0, "target", 5, 5).shape == (0, embedder.dim)
