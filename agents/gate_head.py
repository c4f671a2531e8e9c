"""A small classifier head over sentence embeddings, and its versioned file.

The head is a multinomial logistic regression (softmax over the four gate
labels) trained in numpy: no extra dependency, a few hundred milliseconds for
a few hundred messages. It is saved as two files side by side: ``NAME.npz``
(weights) and ``NAME.json`` (metadata: format version, tiermem version, the
embedder signature, labels, training figures). A head only works with the
embedder that trained it, and loading refuses any other.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.errors import ConfigError, EmbedderMismatchError, NotFoundError
from tiermem.memory.records import GATE_LABELS, GateLabel

HEAD_FORMAT: Literal["tiermem.gate_head"] = "tiermem.gate_head"
HEAD_FORMAT_VERSION = 1


def tiermem_version() -> str:
    """The installed tiermem version (``0+unknown`` from a bare source tree)."""
    try:
        return version("tiermem")
    except PackageNotFoundError:
        return "0+unknown"


class TrainStats(BaseModel):
    """How a head was trained (kept with the weights)."""

    model_config = ConfigDict(extra="forbid")

    data_file: str
    data_sha256: str
    n: int
    per_label: dict[str, int]
    train_accuracy: float
    l2: float
    epochs: int


class HeadMetadata(BaseModel):
    """The JSON half of a saved head."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["tiermem.gate_head"] = HEAD_FORMAT
    format_version: int = HEAD_FORMAT_VERSION
    tiermem_version: str
    embedder: str
    """Signature (``name|version|dim``) of the embedder the head was trained on."""
    labels: tuple[GateLabel, ...] = GATE_LABELS
    dim: int
    features: list[str]
    """What the ``dim`` input columns are, in order (embedding, then named cues)."""
    created_at: datetime
    train: TrainStats


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax, numerically stable."""
    shifted = logits - logits.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=-1, keepdims=True)


def fit_softmax(
    x: np.ndarray,
    y: np.ndarray,
    n_classes: int,
    *,
    l2: float = 1e-3,
    epochs: int = 500,
    lr: float = 0.05,
) -> tuple[np.ndarray, np.ndarray]:
    """Fit a softmax regression with class-balanced weights by full-batch Adam.

    Minimises the balanced mean cross-entropy plus ``l2 / 2 * ||W||^2`` (the
    problem is convex; Adam reaches the optimum closely in a few hundred steps).

    Returns:
        ``(weights, bias)`` of shapes ``(n_classes, dim)`` and ``(n_classes,)``.
    """
    n, dim = x.shape
    counts = np.bincount(y, minlength=n_classes).astype(np.float64)
    sample_weight = (n / (n_classes * np.maximum(counts, 1)))[y] / n
    onehot = np.eye(n_classes)[y]
    params = np.zeros((n_classes, dim + 1))
    xb = np.hstack([x.astype(np.float64), np.ones((n, 1))])
    first, second = np.zeros_like(params), np.zeros_like(params)
    beta1, beta2 = 0.9, 0.999
    for step in range(1, epochs + 1):
        probs = softmax(xb @ params.T)
        grad = ((probs - onehot) * sample_weight[:, None]).T @ xb
        grad[:, :dim] += l2 * params[:, :dim]
        first = beta1 * first + (1 - beta1) * grad
        second = beta2 * second + (1 - beta2) * grad**2
        params -= lr * (first / (1 - beta1**step)) / (np.sqrt(second / (1 - beta2**step)) + 1e-8)
    return params[:, :dim].astype(np.float32), params[:, dim].astype(np.float32)


@dataclass(frozen=True, slots=True)
class GateHead:
    """Trained weights and their metadata."""

    weights: np.ndarray
    """``(len(labels), dim)`` float32."""
    bias: np.ndarray
    meta: HeadMetadata

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """Label probabilities for a batch of embeddings, ``(n, len(labels))``."""
        return softmax(np.atleast_2d(vectors) @ self.weights.T + self.bias)

    def check_embedder(self, embedder: BaseEmbedder) -> None:
        """Refuse an embedder other than the one the head was trained on.

        Raises:
            EmbedderMismatchError: the signatures differ.
        """
        if embedder.signature != self.meta.embedder:
            raise EmbedderMismatchError(
                f"this gate head was trained on embedder {self.meta.embedder!r}, but "
                f"{embedder.signature!r} is configured; use that embedder, or retrain the head "
                "with `tiermem gate train DATA.jsonl --out PATH` and point the gate at PATH"
            )

    def save(self, path: str | Path) -> Path:
        """Write ``PATH.npz`` and ``PATH.json`` (any suffix of ``path`` is replaced).

        Returns:
            The ``.npz`` path.
        """
        base = Path(path).with_suffix("")
        base.parent.mkdir(parents=True, exist_ok=True)
        np.savez(base.with_suffix(".npz"), weights=self.weights, bias=self.bias)
        base.with_suffix(".json").write_text(self.meta.model_dump_json(indent=2) + "\n", "utf-8")
        return base.with_suffix(".npz")


def load_head(path: str | Path) -> GateHead:
    """Read a head saved by :meth:`GateHead.save` (give either file, or the stem).

    Raises:
        NotFoundError: either file is missing.
        ConfigError: the files are not a tiermem gate head of a known format version,
            or the weights do not match the metadata.
    """
    base = Path(path).with_suffix("")
    npz, meta_file = base.with_suffix(".npz"), base.with_suffix(".json")
    for needed in (npz, meta_file):
        if not needed.is_file():
            raise NotFoundError(
                f"gate head file {str(needed)!r} is missing; a head is NAME.npz plus NAME.json "
                "written by `tiermem gate train`"
            )
    try:
        meta = HeadMetadata.model_validate(json.loads(meta_file.read_text("utf-8")))
    except ValueError as exc:
        raise ConfigError(
            f"{meta_file} is not tiermem gate head metadata (format {HEAD_FORMAT!r} version "
            f"{HEAD_FORMAT_VERSION}): {str(exc).splitlines()[0]}; retrain with `tiermem gate train`"
        ) from None
    with np.load(npz) as arrays:
        weights, bias = arrays["weights"], arrays["bias"]
    if weights.shape != (len(meta.labels), meta.dim) or bias.shape != (len(meta.labels),):
        raise ConfigError(
            f"{npz} holds weights {weights.shape} and bias {bias.shape}, but its metadata says "
            f"{len(meta.labels)} labels x {meta.dim} dims; retrain with `tiermem gate train`"
        )
    return GateHead(weights=weights, bias=bias, meta=meta)
