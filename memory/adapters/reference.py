"""What the base model says before any training: computed once, cached on disk.

The replay answers (mixed into training), the control answers (that must
not change) and the perplexity of the general text all come from the base
model alone, so they are generated once per base checkpoint and reused by
every job. The cache file is keyed by a hash of everything that produced it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import torch
from pydantic import BaseModel

from .corpus import CONTROL_PROMPTS, GENERAL_TEXT, REPLAY_PROMPTS
from .decoding import DECODER_VERSION, REPETITION_PENALTY, greedy_generate
from .manifest import write_durable

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

    from .decoding import CausalLM

log = logging.getLogger(__name__)

REPLAY_TOKENS = 48
CONTROL_TOKENS = 24


class BaseReference(BaseModel):
    """The base model's answers and perplexity on the fixed corpus."""

    replay_prompts: list[str]
    replay_answers: list[tuple[str, bool]]
    control_prompts: list[str]
    control_answers: list[str]
    perplexity: float
    """Perplexity of :data:`~.corpus.GENERAL_TEXT` under the base model."""


def perplexity(model: CausalLM, tokenizer: PreTrainedTokenizerBase, text: str) -> float:
    """exp(mean next-token negative log-likelihood) of ``text``."""
    ids = tokenizer(text, return_tensors="pt", add_special_tokens=False)["input_ids"]
    ids = ids.to(next(model.parameters()).device)
    with torch.inference_mode():
        loss = model(input_ids=ids, labels=ids).loss
    return math.exp(float(loss))


def model_fingerprint(model: torch.nn.Module) -> dict[str, object]:
    """What identifies a base model's weights in a cache key: its path, size, dtype and a
    checksum of the first values of every tensor (a different checkpoint at the same path
    gets another key; reading them costs microseconds). LoRA weights peft added are not
    the base model's and are left out."""
    params = [p for name, p in model.named_parameters() if "lora_" not in name]
    with torch.no_grad():
        checksum = sum(float(p.detach().reshape(-1)[:64].double().sum()) for p in params)
    return {
        "model": str(getattr(model, "name_or_path", "")),
        "params": sum(p.numel() for p in params),
        "dtype": str(params[0].dtype),
        "checksum": round(checksum, 6),
    }


def cache_key(model: torch.nn.Module, **inputs: object) -> str:
    """The name part of a cache file computed from ``model`` (see :func:`model_fingerprint`) and
    ``inputs`` (JSON values): a short hash of both."""
    source = {**model_fingerprint(model), **inputs}
    return hashlib.sha256(json.dumps(source, sort_keys=True).encode()).hexdigest()[:20]


def _key(model: CausalLM, replay: Sequence[str], controls: Sequence[str]) -> str:
    return cache_key(
        model,
        replay=list(replay),
        controls=list(controls),
        tokens=[REPLAY_TOKENS, CONTROL_TOKENS, REPETITION_PENALTY, DECODER_VERSION],
        text=GENERAL_TEXT,
    )


def base_reference(
    model: CausalLM,
    tokenizer: PreTrainedTokenizerBase,
    cache: Path | None,
    *,
    replay: Sequence[str] = REPLAY_PROMPTS,
    controls: Sequence[str] = CONTROL_PROMPTS,
) -> BaseReference:
    """The :class:`BaseReference` of ``model`` (the untrained base), from ``cache`` if there.

    Args:
        model: the base model; with a peft model, call it inside ``disable_adapter()``.
        cache: folder for the cache file; ``None`` computes without caching.
    """
    path = cache / f"base-reference-{_key(model, replay, controls)}.json" if cache else None
    if path is not None and path.exists():
        try:
            return BaseReference.model_validate_json(path.read_text("utf-8"))
        except ValueError:
            log.warning("ignoring unreadable base reference cache %s; recomputing", path)
    reference = BaseReference(
        replay_prompts=list(replay),
        replay_answers=greedy_generate(model, tokenizer, _chats(replay), max_new_tokens=REPLAY_TOKENS),
        control_prompts=list(controls),
        control_answers=control_answers(model, tokenizer, controls),
        perplexity=perplexity(model, tokenizer, GENERAL_TEXT),
    )
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_durable(path, reference.model_dump_json())
    return reference


def _chats(prompts: Sequence[str]) -> list[list[dict[str, str]]]:
    return [[{"role": "user", "content": p}] for p in prompts]


def control_answers(model: CausalLM, tokenizer: PreTrainedTokenizerBase, controls: Sequence[str]) -> list[str]:
    """The first :data:`CONTROL_TOKENS` tokens of the greedy answer to each control prompt."""
    answers = greedy_generate(model, tokenizer, _chats(controls), max_new_tokens=CONTROL_TOKENS)
    return [text for text, _ in answers]
