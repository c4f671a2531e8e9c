"""Greedy decoding: each answer equals ``model.generate`` on that chat alone."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from tiermem.memory.adapters.config import Runtime
from tiermem.memory.adapters.dataset import prompt_text
from tiermem.memory.adapters.decoding import REPETITION_PENALTY, greedy_generate
from tiermem.memory.adapters.device import load_base

CHATS = [
    [{"role": "user", "content": "Say yes."}],
    [{"role": "user", "content": "What is the capital of France?"}],
    [{"role": "user", "content": "Write a long story about a dragon who learns to cook pasta in Rome."}],
    [{"role": "system", "content": "Answer in one word."}, {"role": "user", "content": "Colour of the sky?"}],
    [{"role": "user", "content": "2+2?"}],
]


def alone(model, tokenizer, chat, tokens: int) -> tuple[str, bool]:  # noqa: ANN001
    """``model.generate`` on one chat (no padding), the responder's settings."""
    ids = tokenizer(prompt_text(tokenizer, chat), add_special_tokens=False, return_tensors="pt")["input_ids"]
    with torch.inference_mode():
        output = model.generate(
            input_ids=ids,
            attention_mask=torch.ones_like(ids),
            max_new_tokens=tokens,
            do_sample=False,
            repetition_penalty=REPETITION_PENALTY,
            pad_token_id=tokenizer.eos_token_id,
        )
    new = output[0, ids.shape[1] :].tolist()
    finished = tokenizer.eos_token_id in new
    new = new[: new.index(tokenizer.eos_token_id)] if finished else new
    return tokenizer.decode(new, skip_special_tokens=True).strip(), finished


@pytest.fixture(scope="module")
def smollm():  # noqa: ANN201
    return load_base(Runtime(device="cpu"))


@pytest.mark.slow
@pytest.mark.parametrize("batch_size", [2, 32])
def test_batched_answers_equal_each_chat_alone(smollm, batch_size: int) -> None:  # noqa: ANN001
    """The shared prefix run once, rows leaving the batch as they end, batches of any size: the same
    text, and the same verdict on whether it ended, as generating for each chat by itself."""
    model, tokenizer = smollm
    got = greedy_generate(model, tokenizer, CHATS, max_new_tokens=24, batch_size=batch_size)
    expected = [alone(model, tokenizer, chat, 24) for chat in CHATS]
    assert got == expected
    assert {finished for _, finished in got} == {True, False}  # some rows ended early, some ran out


def test_tiny_model_and_edge_cases(tiny_checkpoint: Path) -> None:
    model, tokenizer = load_base(Runtime(device="cpu", checkpoint=str(tiny_checkpoint)))
    assert greedy_generate(model, tokenizer, [], max_new_tokens=4) == []
    one = [{"role": "user", "content": "hi"}]
    assert greedy_generate(model, tokenizer, [one], max_new_tokens=6) == [alone(model, tokenizer, one, 6)]
    got = greedy_generate(model, tokenizer, CHATS[:3], max_new_tokens=5, batch_size=2)
    assert got == [alone(model, tokenizer, chat, 5) for chat in CHATS[:3]]
