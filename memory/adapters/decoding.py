"""Batched greedy decoding, the way the responder decodes.

Evaluation must see the answers the user would see, so probes and controls
are decoded with the same settings as :class:`tiermem.memory.generation.LocalGenerator`
(greedy, repetition penalty 1.1), and each answer is the one ``model.generate``
gives for that chat alone: the penalty applies to the row's own tokens only
(never to another row's padding).

Two savings over ``model.generate`` on a padded batch: the prompt prefix every
chat shares (the chat template's system turn, 24 of ~40 tokens of a probe) runs
once and its keys and values serve every row, and a row leaves the batch as
soon as it ends, so one long answer does not keep the finished rows computing.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeAlias, cast

import torch

from .activations import head
from .dataset import Message, pad_id, prompt_text

if TYPE_CHECKING:
    from peft import PeftModel
    from transformers import DynamicCache, PreTrainedModel, PreTrainedTokenizerBase

    CausalLM: TypeAlias = PreTrainedModel | PeftModel
    """A causal LM, bare or with peft adapters attached."""

REPETITION_PENALTY = 1.1
"""Same as the base responder's, so measured answers are served answers."""
DECODER_VERSION = 2
"""Bumped when decoding can give other answers; part of the base reference's cache key."""


def _shared_length(prompts: Sequence[list[int]]) -> int:
    """Tokens every prompt starts with, less one so that every prompt keeps a token of its own."""
    shortest = min(len(p) for p in prompts)
    shared = 0
    while shared < shortest - 1 and all(p[shared] == prompts[0][shared] for p in prompts):
        shared += 1
    return shared


def _penalise(logits: torch.Tensor, seen: torch.Tensor) -> torch.Tensor:
    """The repetition penalty on the tokens each row has seen (as ``transformers`` applies it)."""
    penalised = torch.where(logits < 0, logits * REPETITION_PENALTY, logits / REPETITION_PENALTY)
    return torch.where(seen, penalised, logits)


def _decode(
    model: Any, prefix: DynamicCache | None, shared: int, prompts: Sequence[list[int]], tokens: int, eos: int, pad: int
) -> list[tuple[list[int], bool]]:
    """Greedy answers for ``prompts`` (each starting with the ``shared`` tokens ``prefix`` holds)."""
    device = next(model.parameters()).device
    rows, width = len(prompts), max(len(p) - shared for p in prompts)
    input_ids = torch.full((rows, width), pad, dtype=torch.long)
    attention_mask = torch.zeros((rows, shared + width), dtype=torch.long)
    attention_mask[:, :shared] = 1
    for row, prompt in enumerate(prompts):
        own = prompt[shared:]
        input_ids[row, width - len(own) :] = torch.tensor(own)
        attention_mask[row, shared + width - len(own) :] = 1
    input_ids, attention_mask = input_ids.to(device), attention_mask.to(device)
    vocabulary = cast(torch.Tensor, head(model).weight).shape[0]
    seen = torch.zeros((rows, vocabulary), dtype=torch.bool, device=device)
    for row, prompt in enumerate(prompts):  # the tokens the penalty applies to
        seen[row, prompt] = True
    positions = (attention_mask.cumsum(dim=1) - 1).clamp_min(0)[:, shared:]
    cache = copy.deepcopy(prefix) if prefix is not None else None
    if cache is not None:
        cache.batch_repeat_interleave(rows)
    live = list(range(rows))  # the rows still decoding, in batch order
    answers: list[list[int]] = [[] for _ in prompts]
    finished = [False] * rows
    for _ in range(tokens):
        output = model(
            input_ids=input_ids,
            attention_mask=attention_mask,
            position_ids=positions,
            cache=cache,
            use_cache=True,
            logits_to_keep=1,
        )
        cache = output.cache
        chosen = _penalise(output.logits[:, -1].float(), seen).argmax(dim=-1)
        keep = []
        for slot, (row, token) in enumerate(zip(live, chosen.tolist(), strict=True)):
            if token == eos:
                finished[row] = True
            else:
                answers[row].append(token)
                keep.append(slot)
        if not keep:
            break
        if len(keep) < len(live):
            index = torch.tensor(keep, device=device)
            cache.batch_select_indices(index)
            live = [live[slot] for slot in keep]
            chosen, seen, positions = chosen[index], seen[index], positions[index]
            attention_mask = attention_mask[index]
        seen[torch.arange(len(live), device=device), chosen] = True
        input_ids = chosen[:, None]
        attention_mask = torch.cat([attention_mask, attention_mask.new_ones(len(live), 1)], dim=1)
        positions = positions[:, -1:] + 1
    return list(zip(answers, finished, strict=True))


def greedy_generate(
    model: CausalLM,
    tokenizer: PreTrainedTokenizerBase,
    chats: Sequence[Sequence[Message]],
    *,
    max_new_tokens: int,
    batch_size: int = 32,
) -> list[tuple[str, bool]]:
    """Answer each chat greedily; returns ``(text, finished)`` per chat, in order.

    ``finished`` is false when the answer was cut at ``max_new_tokens``.
    """
    if not chats:
        return []
    prompts = [tokenizer(prompt_text(tokenizer, c), add_special_tokens=False)["input_ids"] for c in chats]
    shared = _shared_length(prompts)
    order = sorted(range(len(prompts)), key=lambda i: len(prompts[i]))
    device = next(model.parameters()).device
    results: list[tuple[str, bool]] = [("", False)] * len(prompts)
    with torch.inference_mode():
        prefix = None
        if shared:
            head = torch.tensor([prompts[0][:shared]], device=device)
            prefix = cast(Any, model)(input_ids=head, use_cache=True, logits_to_keep=1).cache
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            answers = _decode(
                model,
                prefix,
                shared,
                [prompts[i] for i in chunk],
                max_new_tokens,
                tokenizer.eos_token_id,
                pad_id(tokenizer),
            )
            for i, (tokens, finished) in zip(chunk, answers, strict=True):
                results[i] = (str(tokenizer.decode(tokens, skip_special_tokens=True)).strip(), finished)
    return results
