import numpy as np
import pytest
from tiermem.memory.embeddings import BaseEmbedder, get_embedder
from tiermem.memory.errors import ConfigError


def test_use_vectors_are_unit_and_cross_lingual(embedder: BaseEmbedder) -> None:
    vectors = embedder.encode(["I weighed 45 kg today", "今天称重45kg", "The train leaves at noon"])
    assert vectors.shape == (3, 512)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    same, unrelated = vectors[0] @ vectors[1], vectors[0] @ vectors[2]
    assert same > 0.7 > 0.3 > unrelated


def test_cache_returns_identical_vectors(embedder: BaseEmbedder) -> None:
    first = embedder.encode_one("cache me")
    assert np.array_equal(first, embedder.encode(["other", "cache me"])[1])


def test_langchain_interface(embedder: BaseEmbedder) -> None:
    docs = embedder.embed_documents(["a", "b"])
    assert len(docs) == 2 and len(docs[0]) == embedder.dim
    assert embedder.embed_query("a") == pytest.approx(docs[0], abs=1e-6)


def test_signature_names_model_version_dim(embedder: BaseEmbedder) -> None:
    name, version, dim = embedder.signature.split("|")
    assert (name, dim) == ("use", "512") and version


def test_minilm_is_english_sentence_transformer() -> None:
    minilm = get_embedder("minilm")
    assert minilm.dim == 384
    assert minilm.name == "st:all-MiniLM-L6-v2"


def test_unknown_embedder_names_the_choices() -> None:
    with pytest.raises(ConfigError, match="unknown embedder 'nope'.*minilm"):
        get_embedder("nope")
