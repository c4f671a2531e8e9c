"""Train the top layers on cached activations of the frozen lower layers.

With LoRA only on the last N decoder layers, the lower L-N layers never
change during a job, so their output for each training example is computed
once (one forward pass, no gradients) and every training step runs only the
top N layers, the final norm and the head, the head only at label
positions. On SmolLM2-135M with N=2 this makes a step ~10x cheaper than a
full forward and backward.

Both passes run through :func:`run_layers`: the prefix every row of a batch
shares (the chat template's system turn, a third of a fact example's tokens)
runs once and its keys and values serve every row, and the rest of the rows
run packed end to end, so no position is computed for padding (a step of 16
fact rows: 0.84 s -> 0.64 s on one core).

The split works on Llama-family models (``model.model.layers``,
``rotary_emb``, ``norm``), which is what the bundled model is; a test
checks that the split forward equals the full forward.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

import torch
from torch import nn
from transformers import DynamicCache
from transformers.modeling_utils import ALL_ATTENTION_FUNCTIONS
from transformers.models.llama.modeling_llama import eager_attention_forward, rotate_half

if TYPE_CHECKING:
    from transformers.cache_utils import DynamicLayer
    from transformers.models.llama.modeling_llama import LlamaDecoderLayer, LlamaModel

    from .decoding import CausalLM


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


PACK_TOKENS = 256
"""Tokens per packed sequence: long enough that little is padding, short enough that the
block-diagonal attention (quadratic in the packed length) stays a small share of a layer."""


def _common_prefix(input_ids: torch.Tensor, attention_mask: torch.Tensor) -> int:
    """Length of the token prefix every row shares (the chat template's system turn)."""
    shortest = int(attention_mask.sum(dim=1).min())
    same = (input_ids[:, :shortest] == input_ids[:1, :shortest]).all(dim=0)
    return shortest if bool(same.all()) else int((~same).nonzero()[0])


def shared_prefix(input_ids: torch.Tensor, attention_mask: torch.Tensor) -> int:
    """How many leading positions :func:`run_layers` may run once for all these rows.

    The common prefix, less one token, so that every row keeps a position of
    its own (rows are right-padded, so the prefix is never padding).
    """
    return max(0, min(_common_prefix(input_ids, attention_mask), int(attention_mask.sum(dim=1).min()) - 1))


@dataclass(frozen=True)
class _Packing:
    """Where each row's tokens after the shared prefix sit in a few packed sequences.

    Rows are laid end to end, in order, into sequences of at most
    :data:`PACK_TOKENS` tokens (a longer row gets a sequence of its own), so
    no position is computed for right padding. ``row`` and ``column`` say where
    each slot's token comes from (``column`` is also its position in its row; 0
    for a padding slot); ``segment`` names the slot's row, or holds a distinct
    negative number for a slot that is padding (so it attends to itself only).
    """

    row: torch.Tensor
    column: torch.Tensor
    segment: torch.Tensor
    real: torch.Tensor

    @classmethod
    def of(cls, attention_mask: torch.Tensor, prefix: int, budget: int) -> _Packing:
        lengths = [int(n) - prefix for n in attention_mask.sum(dim=1).tolist()]
        sequences: list[list[int]] = [[]]
        used = 0
        for index, length in enumerate(lengths):
            if sequences[-1] and used + length > budget:
                sequences.append([])
                used = 0
            sequences[-1].append(index)
            used += length
        width = max(sum(lengths[i] for i in rows) for rows in sequences)
        shape = (len(sequences), width)
        row = torch.zeros(shape, dtype=torch.long)
        column = torch.zeros(shape, dtype=torch.long)
        segment = -1 - torch.arange(shape[0] * width).view(shape)
        for slot, rows in enumerate(sequences):
            start = 0
            for index in rows:
                span = slice(start, start + lengths[index])
                row[slot, span] = index
                column[slot, span] = torch.arange(prefix, prefix + lengths[index])
                segment[slot, span] = index
                start += lengths[index]
        return cls(row=row, column=column, segment=segment, real=segment >= 0)

    def to(self, device: torch.device) -> _Packing:
        return _Packing(**{name: getattr(self, name).to(device) for name in self.__dataclass_fields__})


def _bias(allowed: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """An additive attention mask ``(batch, 1, queries, keys)``: 0 where allowed, the dtype's minimum elsewhere.

    Both the ``sdpa`` and the ``eager`` attention of transformers add a float mask to the scores.
    """
    return torch.zeros(allowed.shape, dtype=dtype, device=allowed.device).masked_fill(~allowed, torch.finfo(dtype).min)[
        :, None
    ]


def _run(
    stack: LlamaModel,
    layers: nn.ModuleList,
    hidden: torch.Tensor,
    positions: torch.Tensor,
    bias: torch.Tensor,
    cache: DynamicCache | None,
) -> torch.Tensor:
    rotary = stack.rotary_emb(hidden, position_ids=positions)
    for layer in layers:
        hidden = layer(
            hidden,
            attention_mask=bias,
            position_ids=positions,
            position_embeddings=rotary,
            cache=cache,
            use_cache=cache is not None,
        )
    return hidden


def run_layers(
    stack: LlamaModel,
    layers: nn.ModuleList,
    hidden: torch.Tensor,
    attention_mask: torch.Tensor,
    *,
    prefix: int = 0,
    keep: torch.Tensor | None = None,
    budget: int = PACK_TOKENS,
) -> torch.Tensor:
    """Run decoder ``layers`` on right-padded rows of ``hidden``, packed, with causal attention per row.

    The first ``prefix`` positions, the same in every row (see
    :func:`shared_prefix`), run once; their keys and values are reused by
    every row. The rest of the rows run packed (:class:`_Packing`) with a
    block-diagonal causal mask, so padding costs nothing. ``keep`` (a boolean
    mask like ``attention_mask``) names the positions whose output is wanted:
    the last layer then computes queries and its MLP only there (keys and
    values still at every position). Returns states shaped like ``hidden``,
    zero at padding and at positions after the prefix that ``keep`` leaves
    out. Differentiable: the trainer's steps run through it.
    """
    if stack.config._attn_implementation not in ("sdpa", "eager"):
        raise TypeError(
            f"packed training needs 'sdpa' or 'eager' attention, not {stack.config._attn_implementation!r}; "
            "load the base model with attn_implementation='sdpa'"
        )
    rows, width, _ = hidden.shape
    device, dtype = hidden.device, hidden.dtype
    cache = DynamicCache(config=stack.config) if prefix else None
    head = None
    if prefix:
        places = torch.arange(prefix, device=device)
        causal = (places[None, :] <= places[:, None])[None]
        head = _run(stack, layers, hidden[:1, :prefix], places[None], _bias(causal, dtype), cache)
    pack = _Packing.of(attention_mask, prefix, budget).to(device)
    sequences = len(pack.segment)
    same_row = pack.segment[:, :, None] == pack.segment[:, None, :]
    allowed = same_row & (pack.column[:, None, :] <= pack.column[:, :, None])
    if cache is not None:
        cache.batch_repeat_interleave(sequences)
        seen = pack.real[:, :, None].expand(-1, -1, prefix)  # every real token sees the prefix
        allowed = torch.cat([seen, allowed], dim=2)
    packed = hidden[pack.row, pack.column]
    wanted = pack.real if keep is None else pack.real & keep.to(device).bool()[pack.row, pack.column]
    if keep is None:
        packed = _run(stack, layers, packed, pack.column, _bias(allowed, dtype), cache)[wanted]
    else:
        packed = _run(stack, layers[:-1], packed, pack.column, _bias(allowed, dtype), cache)
        packed = _last_layer_at(
            stack, cast("LlamaDecoderLayer", layers[-1]), packed, wanted, pack.column, allowed, cache
        )
    out = hidden.new_zeros(rows, width - prefix, hidden.shape[2]).index_put(
        (pack.row[wanted], pack.column[wanted] - prefix), packed
    )
    return out if head is None else torch.cat([head.expand(rows, -1, -1), out], dim=1)


def _last_layer_at(
    stack: LlamaModel,
    layer: LlamaDecoderLayer,
    hidden: torch.Tensor,
    wanted: torch.Tensor,
    positions: torch.Tensor,
    allowed: torch.Tensor,
    cache: DynamicCache | None,
) -> torch.Tensor:
    """A Llama decoder layer's output at the ``wanted`` packed positions only, ``(wanted, dim)``.

    Keys and values come from every position (and the cached prefix); queries,
    the output projection and the MLP run only where the output is wanted:
    the label positions of a fact row are a quarter of its tokens. Equals
    ``LlamaDecoderLayer.forward`` at those positions (a test checks it).
    """
    if not bool(wanted.any()):
        return hidden.new_zeros(0, hidden.shape[-1])
    attn = layer.self_attn
    sequences, width, _ = hidden.shape
    normed = layer.input_layernorm(hidden)
    cos, sin = stack.rotary_emb(hidden, position_ids=positions)

    def split_heads(states: torch.Tensor) -> torch.Tensor:  # (..., heads * head_dim) -> (..., heads, head_dim)
        return states.view(*states.shape[:-1], -1, attn.head_dim)

    def rotate(states: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
        return states * cos.unsqueeze(-2) + rotate_half(states) * sin.unsqueeze(-2)

    def flat(states: torch.Tensor) -> torch.Tensor:  # every sequence end to end, heads first: (1, heads, n, head_dim)
        return states.reshape(1, sequences * width, *states.shape[2:]).transpose(1, 2)

    keys = flat(rotate(split_heads(attn.k_proj(normed)), cos, sin))
    values = flat(split_heads(attn.v_proj(normed)))
    query = rotate(split_heads(attn.q_proj(normed[wanted])), cos[wanted], sin[wanted]).transpose(0, 1)[None]
    prefix = allowed.shape[2] - width
    # each wanted query sees the prefix and its own sequence's positions, laid out end to end
    sequence_of = torch.arange(sequences, device=hidden.device)[:, None].expand(-1, width)[wanted]
    columns = sequence_of[:, None] * width + torch.arange(width, device=hidden.device)
    own = torch.zeros(len(columns), sequences * width, dtype=torch.bool, device=hidden.device)
    own = own.scatter(1, columns, allowed[wanted][:, prefix:])
    mask = own
    if cache is not None and prefix:
        cached = cast("DynamicLayer", cache.layers[attn.layer_idx])
        assert cached.keys is not None and cached.values is not None  # filled by the prefix pass
        keys = torch.cat([cached.keys[:1], keys], dim=2)
        values = torch.cat([cached.values[:1], values], dim=2)
        mask = torch.cat([allowed[wanted][:, :prefix], own], dim=1)
    attend = ALL_ATTENTION_FUNCTIONS.get_interface(stack.config._attn_implementation, eager_attention_forward)
    output, _ = attend(attn, query, keys, values, _bias(mask[None], hidden.dtype), dropout=0.0, scaling=attn.scaling)
    states = hidden[wanted] + attn.o_proj(output.reshape(len(columns), -1))
    return states + layer.mlp(layer.post_attention_layernorm(states))


def lower_hidden_states(
    model: CausalLM,
    input_ids: torch.Tensor,
    attention_mask: torch.Tensor,
    split: int,
    *,
    batch_size: int = 32,
) -> torch.Tensor:
    """The input of decoder layer ``split`` for each row, computed without gradients.

    ``split=0`` gives the token embeddings (for training every layer). Rows
    run ``batch_size`` at a time through :func:`run_layers`: the prefix all
    rows share (the chat template's system turn) once, the rest packed.
    """
    stack = decoder(model)
    device = next(model.parameters()).device
    input_ids, attention_mask = input_ids.to(device), attention_mask.to(device)
    with torch.no_grad():
        embedded = stack.embed_tokens(input_ids).detach()
        if split == 0:
            return embedded
        prefix = shared_prefix(input_ids, attention_mask)
        chunks = [
            run_layers(stack, stack.layers[:split], embedded[rows], attention_mask[rows], prefix=prefix)
            for rows in (slice(start, start + batch_size) for start in range(0, len(input_ids), batch_size))
        ]
    return torch.cat(chunks)


def top_hidden_states(
    model: nn.Module,
    hidden: torch.Tensor,
    attention_mask: torch.Tensor,
    split: int,
    *,
    prefix: int = 0,
    keep: torch.Tensor | None = None,
) -> torch.Tensor:
    """Run decoder layers ``split..L-1`` and the final norm on cached ``hidden``.

    ``prefix``: leading positions every row shares (:func:`shared_prefix`), run once.
    ``keep``: the positions whose states are wanted (:func:`label_positions`); others are zero.
    """
    stack = decoder(model)
    return stack.norm(run_layers(stack, stack.layers[split:], hidden, attention_mask, prefix=prefix, keep=keep))


def label_positions(labels: torch.Tensor) -> torch.Tensor:
    """Where :func:`~.losses.label_loss` reads the states: each position followed by a label."""
    keep = torch.zeros_like(labels, dtype=torch.bool)
    keep[:, :-1] = labels[:, 1:] != -100
    return keep
