"""Batched greedy decoding, the way the responder decodes.

Evaluation must see the answers the user would see, so probes and controls
are decoded with the same settings as :class:`tiermem.memory.generation.LocalGenerator`
(greedy, repetition penalty 1.1). Prompts are left-padded by hand so a
tokenizer shared with other code is never mutated.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeAlias, cast

import torch

from .dataset import Message, pad_id, prompt_text

if TYPE_CHECKING:
    from peft import PeftModel
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

    CausalLM: TypeAlias = PreTrainedModel | PeftModel
    """A causal LM, bare or with peft adapters attached."""

REPETITION_PENALTY = 1.1
"""Same as the base responder's, so measured answers are served answers."""


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
    prompts = [tokenizer(prompt_text(tokenizer, c), add_special_tokens=False)["input_ids"] for c in chats]
    order = sorted(range(len(prompts)), key=lambda i: len(prompts[i]))
    pad = pad_id(tokenizer)
    generate = cast(Callable[..., torch.Tensor], model.generate)  # typed through nn.Module.__getattr__
    device = next(model.parameters()).device
    results: list[tuple[str, bool]] = [("", False)] * len(prompts)
    for start in range(0, len(order), batch_size):
        chunk = order[start : start + batch_size]
        width = max(len(prompts[i]) for i in chunk)
        input_ids = torch.full((len(chunk), width), pad, dtype=torch.long)
        attention_mask = torch.zeros((len(chunk), width), dtype=torch.long)
        for row, i in enumerate(chunk):
            input_ids[row, width - len(prompts[i]) :] = torch.tensor(prompts[i])
            attention_mask[row, width - len(prompts[i]) :] = 1
        with torch.inference_mode():
            output = generate(
                input_ids=input_ids.to(device),
                attention_mask=attention_mask.to(device),
                max_new_tokens=max_new_tokens,
                do_sample=False,
                repetition_penalty=REPETITION_PENALTY,
                pad_token_id=pad,
                eos_token_id=tokenizer.eos_token_id,
            )
        for row, i in enumerate(chunk):
            new = output[row, width:].tolist()
            finished = tokenizer.eos_token_id in new
            if finished:
                new = new[: new.index(tokenizer.eos_token_id)]
            results[i] = (str(tokenizer.decode(new, skip_special_tokens=True)).strip(), finished)
    return results
