"""Training rows with the activations of the frozen lower layers, computed once per job; the
anchor rows' are kept on disk per base model, split and arithmetic."""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import torch
from peft import PeftModel

from .activations import label_positions, shared_prefix, top_hidden_states
from .config import TrainConfig
from .corpus import ANCHOR_TEXTS
from .dataset import Encoded, encode, encode_texts, replay_examples
from .device import arithmetic
from .manifest import write_durable
from .reference import BaseReference, cache_key
from .row_cache import RowCache, lower_states

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

log = logging.getLogger(__name__)


@dataclass(kw_only=True)
class TrainingRows:
    """One set of training rows with its cached lower-layer activations."""

    input_ids: torch.Tensor
    hidden: torch.Tensor
    mask: torch.Tensor
    labels: torch.Tensor
    lengths: list[int]

    @classmethod
    def of(
        cls, model: PeftModel, parts: Sequence[Encoded], split: int, precision: str, cache: RowCache | None = None
    ) -> TrainingRows:
        """Rows of every part, each part's activations computed apart (so each shares its own
        prefix), or taken from ``cache`` (see :func:`~.row_cache.lower_states`; ``precision``,
        the arithmetic, is part of its keys)."""
        device = next(model.parameters()).device
        width = max(p.input_ids.shape[1] for p in parts)

        def widen(t: torch.Tensor, fill: float) -> torch.Tensor:
            pad = (0, 0, 0, width - t.shape[1]) if t.dim() == 3 else (0, width - t.shape[1])
            return torch.nn.functional.pad(t.to(device), pad, value=fill)

        hidden = [lower_states(model, p, split, precision, cache) for p in parts]
        return cls(
            input_ids=torch.cat([widen(p.input_ids, 0) for p in parts]),
            hidden=torch.cat([widen(h, 0.0) for h in hidden]),
            mask=torch.cat([widen(p.attention_mask, 0) for p in parts]),
            labels=torch.cat([widen(p.labels, -100) for p in parts]),
            lengths=[n for p in parts for n in p.attention_mask.sum(dim=1).tolist()],
        )

    def states(
        self, model: PeftModel, rows: Sequence[int], split: int, *, labels_only: bool = False
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Final hidden states of ``rows`` through the top layers (their shared prefix run once),
        with their mask and labels, trimmed to the longest row. ``labels_only``: states only
        where the label loss reads them (zero elsewhere), which saves most of the last layer."""
        index = torch.tensor(list(rows), device=self.hidden.device)
        width = max(self.lengths[r] for r in rows)
        mask, labels = self.mask[index, :width], self.labels[index, :width]
        prefix = shared_prefix(self.input_ids[index, :width], mask)
        keep = label_positions(labels) if labels_only else None
        states = top_hidden_states(model, self.hidden[index, :width], mask, split, prefix=prefix, keep=keep)
        return states, mask, labels


def encode_anchors(tokenizer: PreTrainedTokenizerBase, reference: BaseReference, config: TrainConfig) -> list[Encoded]:
    """Replay chats and plain prose (empty when both replay and the anchor are off)."""
    parts = []
    if config.replay:
        parts.append(encode(replay_examples(reference.replay_prompts, reference.replay_answers), tokenizer))
    if config.anchor > 0:
        parts.append(encode_texts(ANCHOR_TEXTS, tokenizer))
    return parts


def _anchor_key(model: PeftModel, parts: Sequence[Encoded], split: int, precision: str) -> str:
    """What the anchor rows' activations depend on: the base model, the split, the arithmetic and the tokens."""
    return cache_key(
        model.get_base_model(),
        split=split,
        precision=precision,
        tokens=[p.input_ids[p.attention_mask.bool()].tolist() for p in parts],
        labels=[p.labels.tolist() for p in parts],
    )


def anchor_rows_and_base(
    model: PeftModel, parts: Sequence[Encoded], split: int, cache: Path | None, precision: str
) -> tuple[TrainingRows, torch.Tensor]:
    """The anchor rows with their lower-layer activations, and the base model's final states on them.

    Both come from the frozen base model alone, so they are computed once per base
    model, split and arithmetic (the training steps' own, so the anchor term starts
    at zero) and kept in ``cache`` (``None``: not kept), like the base reference.
    """
    path = cache / f"anchor-rows-{_anchor_key(model, parts, split, precision)}.pt" if cache is not None else None
    device = next(model.parameters()).device
    if path is not None and path.exists():
        try:
            saved = torch.load(path, map_location=device, weights_only=True)
            lengths = saved.pop("lengths").tolist()
            base = saved.pop("base")
            return TrainingRows(**saved, lengths=lengths), base
        except Exception as exc:  # noqa: BLE001  # any broken cache file is recomputed, never trusted
            log.warning("ignoring unreadable anchor cache %s (%s); recomputing", path, exc)
    with arithmetic(device, precision):
        rows = TrainingRows.of(model, parts, split, precision)
        with torch.no_grad(), model.disable_adapter():
            base, _, _ = rows.states(model, range(len(rows.lengths)), split)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tensors = {name: getattr(rows, name).cpu() for name in ("input_ids", "hidden", "mask", "labels")}
        saved = io.BytesIO()
        torch.save({**tensors, "lengths": torch.tensor(rows.lengths), "base": base.cpu()}, saved)
        write_durable(path, saved.getvalue())
    return rows, base
