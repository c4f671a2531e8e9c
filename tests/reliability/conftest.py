"""Fixtures of the reliability suite."""

from __future__ import annotations

import pytest
from rel_helpers import TOPICS, Vocabulary
from tiermem.memory.embeddings import BaseEmbedder


@pytest.fixture(scope="session")
def vocab(embedder: BaseEmbedder) -> Vocabulary:
    """64 English and Chinese texts that share topics (so searches find near neighbours)."""
    texts = [topic.format(n=n) for n in range(8) for topic in TOPICS]
    return Vocabulary(texts, embedder.encode(texts))
