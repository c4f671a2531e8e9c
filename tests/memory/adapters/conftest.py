"""Fixtures of the parametric tier: a tiny random Llama with the real tokenizer.

The tiny model has SmolLM2's architecture family, vocabulary and chat
template but 4 layers of width 32, so the whole pipeline (activations,
training, evaluation, registry, serving, worker) runs in seconds; one slow
test trains the real model end to end.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from tiermem.memory.adapters.config import EvalConfig, Runtime, TrainConfig
from tiermem.memory.models import smollm2_checkpoint
from tiermem.memory.records import Fact
from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM


@pytest.fixture(scope="session")
def tiny_checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A saved 4-layer random Llama with SmolLM2's tokenizer."""
    folder = tmp_path_factory.mktemp("tiny-llama")
    tokenizer = AutoTokenizer.from_pretrained(str(smollm2_checkpoint()))
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=4,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=512,
        tie_word_embeddings=True,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(0)
    LlamaForCausalLM(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="session")
def tiny_runtime(tiny_checkpoint: Path, tmp_path_factory: pytest.TempPathFactory) -> Runtime:
    """Runtime on the tiny model, CPU, one thread, fp32 arithmetic (the same results on every CPU;
    the bf16 path has tests of its own); its base reference is computed once."""
    cache = tmp_path_factory.mktemp("reference-cache")
    return Runtime(
        device="cpu", threads=1, precision="fp32", checkpoint=str(tiny_checkpoint), cache=cache, progress=False
    )


@pytest.fixture
def quick_train() -> TrainConfig:
    """A few steps: enough to move the weights, not to learn."""
    return TrainConfig(min_steps=3, max_steps=3, batch_size=4, lr=5e-2)


@pytest.fixture
def lenient_gate() -> EvalConfig:
    """A gate every adapter passes (the tiny model recalls nothing)."""
    return EvalConfig(min_recall=0.0, max_ppl_increase_pct=1e9, max_controls_changed=1.0, probe_tokens=4)


@pytest.fixture
def weight_fact() -> Fact:
    return Fact(attribute="weight", value="45 kg", statement="I weighed 45 kg today")


@pytest.fixture
def city_fact() -> Fact:
    return Fact(attribute="lives_in", value="Lisbon", statement="I live in Lisbon")
