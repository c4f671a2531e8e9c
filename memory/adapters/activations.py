"""Train the top layers on cached activations of the frozen lower layers.

With LoRA only on the last N decoder layers, the lower L-N layers never
change during a job, so their output for each training example is computed
once (one forward pass, no gradients) and every training step runs only the
top N layers, the final norm and the head, the head only at label
positions. On SmolLM2-135M with N=2 this makes a step ~10x cheaper than a
full forward and backward.

The split works on Llama-family models (``model.model.layers``,
``rotary_emb``, ``norm``), which is what the bundled model is; a test
checks that the split forward equals the full forward.
"""

from __future__ import annotations

import copy
from contextlib import suppress
from typing import TYPE_CHECKING, cast

import torch
from torch import nn
from transformers import DynamicCache
from transformers.masking_utils import create_causal_mask

if TYPE_CHECKING:
    from transformers.models.llama.modeling_llama import LlamaModel

    from .decoding import CausalLM


class _Captured(Exception):
    """Raised by the capture hook to stop the forward pass at the split layer."""


def _inner(model: nn.Module) -> nn.Module:
    """The causal LM itself: ``model``, or the one a peft wrapper holds."""
    get_base_model = getattr(model, "get_base_model", None)
    return cast(nn.Module, get_base_model()) if callable(get_base_model) else model


def decoder(model: nn.Module) -> LlamaModel:
    """The decoder stack (``LlamaModel``) inside a causal LM or a peft wrapper around one."""
    inner = _inner(model)
    stack = getattr(inner, "model", None)
    if stack is None or not hasattr(stack, "layers") or not hasattr(stack, "rotary_emb"):
        raise TypeError(
            f"{type(inner).__name__} is not a Llama-family causal LM (no .model.layers/.rotary_emb); "
            "train it with layers='all' through the model's own forward instead"
        )
    return cast("LlamaModel", stack)


def head(model: nn.Module) -> nn.Module:
    """The output projection (``lm_head``) of a causal LM or a peft wrapper around one."""
    return cast(nn.Module, _inner(model).lm_head)


def _common_prefix(input_ids: torch.Tensor, attention_mask: torch.Tensor) -> int:
    """Length of the token prefix every row shares (the chat template's system turn)."""
    shortest = int(attention_mask.sum(dim=1).min())
    same = (input_ids[:, :shortest] == input_ids[:1, :shortest]).all(dim=0)
    return shortest if bool(same.all()) else int((~same).nonzero()[0])


def lower_hidden_states(
    model: CausalLM,
    input_ids: torch.Tensor,
    attention_mask: torch.Tensor,
    split: int,
    *,
    batch_size: int = 32,
) -> torch.Tensor:
    """The input of decoder layer ``split`` for each row, computed without gradients.

    ``split=0`` gives the token embeddings (for training every layer). The
    prefix all rows share (with causal attention its states are the same in
    every row) is run once and reused through the key/value cache, which
    halves the work for short chat examples under a long system prompt.
    """
    stack = decoder(model)
    device = next(model.parameters()).device
    input_ids, attention_mask = input_ids.to(device), attention_mask.to(device)
    if split == 0:
        with torch.no_grad():
            return stack.embed_tokens(input_ids).detach()
    captured: list[torch.Tensor] = []

    def capture(_module: nn.Module, args: tuple[torch.Tensor, ...]) -> None:
        captured.append(args[0].detach())
        raise _Captured

    # Keep one token per row out of the prefix, so every row has a suffix to run.
    prefix = min(_common_prefix(input_ids, attention_mask), input_ids.shape[1] - 1)
    hook = stack.layers[split].register_forward_pre_hook(capture)
    try:
        with torch.no_grad(), suppress(_Captured):
            shared = DynamicCache(config=stack.config)
            if prefix > 0:
                stack(input_ids=input_ids[:1, :prefix], cache=shared, use_cache=True)
        head = captured.pop() if prefix > 0 else None
        for start in range(0, len(input_ids), batch_size):
            rows = slice(start, start + batch_size)
            count = len(input_ids[rows])
            cache = None
            if head is not None:
                cache = copy.deepcopy(shared)
                cache.batch_repeat_interleave(count)
            positions = torch.arange(prefix, input_ids.shape[1], device=device).unsqueeze(0).expand(count, -1)
            with torch.no_grad(), suppress(_Captured):
                stack(
                    input_ids=input_ids[rows, prefix:],
                    attention_mask=attention_mask[rows],
                    position_ids=positions,
                    cache=cache,
                    use_cache=cache is not None,
                )
            if head is not None:
                captured[-1] = torch.cat([head.expand(count, -1, -1), captured[-1]], dim=1)
    finally:
        hook.remove()
    return torch.cat(captured)


def top_hidden_states(model: nn.Module, hidden: torch.Tensor, attention_mask: torch.Tensor, split: int) -> torch.Tensor:
    """Run decoder layers ``split..L-1`` and the final norm on cached ``hidden``."""
    stack = decoder(model)
    positions = torch.arange(hidden.shape[1], device=hidden.device).unsqueeze(0).expand(hidden.shape[0], -1)
    mask = create_causal_mask(
        config=stack.config,
        inputs_embeds=hidden,
        attention_mask=attention_mask,
        cache=None,
        position_ids=positions,
    )
    rotary = stack.rotary_emb(hidden, position_ids=positions)
    for layer in stack.layers[split:]:
        hidden = layer(hidden, attention_mask=mask, position_ids=positions, position_embeddings=rotary)
    return stack.norm(hidden)


def label_loss(model: nn.Module, states: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Mean next-token cross-entropy over label positions of final hidden ``states``.

    The head runs only where a label follows, which is most of the saving
    on a 49k-token vocabulary. Returns 0 when no row has a label.
    """
    targets = labels[:, 1:]
    where = targets != -100
    if not bool(where.any()):
        return states.new_zeros(())
    logits = head(model)(states[:, :-1][where])
    return nn.functional.cross_entropy(logits, targets[where])


def anchor_loss(states: torch.Tensor, base: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """How far final hidden ``states`` moved from the base model's, relative to their size.

    Mean squared change over real (unpadded) positions divided by the mean
    squared base state. The head is frozen, so holding the final hidden
    states of general text holds its next-token distribution.
    """
    real = attention_mask.bool()
    moved = (states - base)[real]
    return moved.pow(2).mean() / base[real].pow(2).mean().clamp_min(1e-12)
