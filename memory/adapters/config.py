"""Configuration of the parametric tier.

:class:`TrainConfig` and :class:`EvalConfig` are saved with every adapter
(what produced it, what it was judged by); :class:`Runtime` holds the
settings of one machine (device, threads, cache) that are never saved, as
peft keeps ``LoraRuntimeConfig`` apart from ``LoraConfig``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .templates import LANGS, Lang

Schedule = Literal["cosine", "linear", "constant"]
Precision = Literal["auto", "fp32", "bf16"]
"""Arithmetic of the training passes: ``bf16`` runs the matrix products in bfloat16
(autocast; weights, optimizer state and losses stay fp32), ``auto`` picks it where the
hardware has native bfloat16 arithmetic."""
"""Learning-rate shape after warmup (``constant`` also skips warmup)."""

PROJECTIONS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")
"""Every linear projection of a Llama decoder layer."""


class TrainConfig(BaseModel):
    """How an adapter is trained. Saved in the adapter's manifest."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    layers: int | Literal["all"] = 2
    """How many of the last decoder layers get LoRA; ``all`` for every layer."""
    rank: int = Field(default=16, ge=1, le=256)
    alpha: float = Field(default=32.0, gt=0)
    dropout: float = Field(default=0.0, ge=0.0, lt=1.0)
    lr: float = Field(default=3e-3, gt=0, le=1.0)
    schedule: Schedule = "cosine"
    warmup: float = Field(default=0.1, ge=0.0, lt=1.0)
    """Share of the steps spent warming the learning rate up from zero."""
    epochs: float = Field(default=12.0, gt=0)
    """Passes over the examples; the step count is ``epochs * examples / batch_size``..."""
    max_steps: int = Field(default=200, ge=1)
    """... capped at this budget."""
    min_steps: int = Field(default=30, ge=1)
    batch_size: int = Field(default=16, ge=1)
    languages: tuple[Lang, ...] = LANGS
    """Languages of the question templates trained on and probed."""
    replay: bool = True
    """Mix the base model's own answers to generic prompts into training."""
    replay_ce: float = Field(default=0.0, ge=0.0)
    """Weight of the cross-entropy on the replay answers. Off by default: the anchor term
    already holds the base model's states on them, and cross-entropy on its own greedy
    answers sharpens the model (measured: no recall gain, slightly higher perplexity)."""
    anchor: float = Field(default=300.0, ge=0.0)
    """Weight of the anchor term: the relative change of the final hidden states on
    replay chats and plain prose (0 turns it off)."""
    incremental: bool = False
    """Let the worker continue the active adapter when the ledger only gained facts (see
    :data:`ADAPTER_SHAPE` and :attr:`max_continuations`) instead of training from the base
    model; a forget job, a changed fact or a continued adapter the gate rejects trains from
    the base model."""
    continue_share: float = Field(default=0.3, gt=0.0, le=1.0)
    """Continue only when that takes at most this share of the steps of a job from the base
    model (0.3: ledgers of 14 facts or more). A small ledger retrains from the base model:
    cheap anyway, and continuations of 4 and 9 facts failed the gate where those of 19
    passed (``BENCHMARKS.md``), so there a continuation would mostly add its own time to the
    retrain."""
    max_continuations: int = Field(default=4, ge=1)
    """Continuations in a row before the next job trains from the base model again."""
    continue_lr: float = Field(default=5e-4, gt=0, le=1.0)
    """Peak learning rate when continuing an adapter: lower than :attr:`lr`, which overwrote
    the facts the adapter held (measured in ``docs/PARAMETRIC.md``)."""
    rehearsal: int = Field(default=2, ge=0)
    """When continuing an earlier adapter: examples of each fact it already holds in every
    pass (at least; see :attr:`new_share`), drawn afresh per pass (the new facts get all
    of theirs in every pass)."""
    new_share: float = Field(default=0.25, gt=0.0, le=1.0)
    """When continuing: the most of a pass the new facts' examples may take; known facts
    are rehearsed with more examples where needed (a fact learned from a large share of
    the steps leaks its value into the answers about the others)."""
    head_candidates: int = Field(default=64, ge=0)
    """Tokens per label position the label loss's softmax keeps (:mod:`.candidates`): each
    row's current top tokens and its labels; 0 runs it over the whole vocabulary."""
    candidate_refresh: int = Field(default=3, ge=1)
    """A row's candidate tokens are read again from its full logits every this many uses."""
    anchor_batch: int = Field(default=4, ge=1)
    """Replay/anchor rows added to every step."""
    seed: int = 0

    @field_validator("layers")
    @classmethod
    def _layers(cls, value: int | str) -> int | str:
        if isinstance(value, int) and value < 1:
            raise ValueError(f"layers must be a positive number of last layers or 'all', got {value}")
        return value

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError(f"languages must name at least one of {list(LANGS)}")
        return tuple(dict.fromkeys(value))

    def steps_for(self, examples: int) -> int:
        """The step budget for ``examples`` training examples."""
        wanted = math.ceil(self.epochs * examples / self.batch_size)
        return max(self.min_steps, min(self.max_steps, wanted))


ADAPTER_SHAPE = ("layers", "rank", "alpha", "languages")
"""The :class:`TrainConfig` fields an adapter must share with the config of a job that continues it."""


class EvalConfig(BaseModel):
    """When a trained adapter may be promoted. Saved with its metrics."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_recall: float = Field(default=0.9, ge=0.0, le=1.0)
    """Share of held-out paraphrase probes that must match the value's strict pattern."""
    max_ppl_increase_pct: float = Field(default=2.0, ge=0.0)
    """Allowed perplexity increase on the general text, in percent of the base model's."""
    max_controls_changed: float = Field(default=0.1, ge=0.0, le=1.0)
    """Share of negative controls allowed to change in substance (lose the base model's
    right answer, or state a trained value); 0.1 allows one of the twelve."""
    probe_tokens: int = Field(default=40, ge=4, le=256)
    """Answer budget per probe; Chinese needs ~2-3 tokens a character with this tokenizer."""


class Runtime(BaseModel):
    """Per-machine settings; never saved with an adapter."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    device: str = Field(default="auto", pattern=r"^(auto|cpu|cuda(:[0-9]+)?)$")
    """``auto`` (CUDA when available), ``cpu``, ``cuda`` or ``cuda:N``."""
    threads: int | None = Field(default=None, ge=1)
    """torch CPU threads; ``None`` leaves torch's setting alone."""
    precision: Precision = "auto"
    """Training arithmetic (:data:`Precision`); evaluation always runs in fp32, like the base reference."""
    checkpoint: str | None = None
    """Base model checkpoint folder; default: the bundled SmolLM2."""
    cache: Path | None = None
    """Where the base reference is cached; default ``<tiermem cache>/adapters``."""
    progress: bool | None = None
    """Show a progress bar; ``None``: only when stderr is a terminal."""
