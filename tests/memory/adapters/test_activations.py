"""The cached-activation split: training the top layers equals training the whole model."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from peft import LoraConfig, get_peft_model
from tiermem.memory.adapters.activations import (
    _common_prefix,
    decoder,
    label_positions,
    lower_hidden_states,
    run_layers,
    shared_prefix,
    top_hidden_states,
)
from tiermem.memory.adapters.dataset import encode, fact_examples
from tiermem.memory.adapters.losses import label_loss
from tiermem.memory.records import Fact
from torch import nn
from transformers import AutoModelForCausalLM, AutoTokenizer


@pytest.fixture(params=["sdpa", "eager"])
def adapted(tiny_checkpoint: Path, request: pytest.FixtureRequest):
    """The tiny model with a LoRA adapter on its last two layers, made non-zero; both attention
    implementations the packed passes support."""
    model = AutoModelForCausalLM.from_pretrained(tiny_checkpoint, attn_implementation=request.param)
    tokenizer = AutoTokenizer.from_pretrained(tiny_checkpoint)
    config = LoraConfig(r=4, target_modules=["q_proj", "v_proj", "down_proj"], layers_to_transform=[2, 3])
    peft_model = get_peft_model(model, config)
    torch.manual_seed(1)
    for name, param in peft_model.named_parameters():
        if "lora_B" in name:
            nn.init.normal_(param, std=0.5)
    peft_model.eval()
    facts = [Fact(attribute="weight", value="45 kg", statement="I weighed 45 kg today")]
    return peft_model, encode(fact_examples(facts)[:4], tokenizer)


@pytest.mark.parametrize(("split", "share_prefix"), [(0, False), (2, False), (2, True), (0, True)])
def test_split_forward_equals_full_forward(adapted, split: int, share_prefix: bool) -> None:
    model, batch = adapted
    prefix = shared_prefix(batch.input_ids, batch.attention_mask) if share_prefix else 0
    with torch.no_grad():
        full = model(input_ids=batch.input_ids, attention_mask=batch.attention_mask, labels=batch.labels)
        hidden = lower_hidden_states(model, batch.input_ids, batch.attention_mask, split)
        states = top_hidden_states(model, hidden, batch.attention_mask, split, prefix=prefix)
        logits = model.get_base_model().lm_head(states)
        loss = label_loss(model, states, batch.labels)
    real = batch.attention_mask.bool()
    torch.testing.assert_close(logits[real], full.logits[real], rtol=1e-4, atol=1e-4)
    torch.testing.assert_close(loss, full.loss, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("share_prefix", [False, True])
def test_states_at_label_positions_equal_the_full_forward(adapted, share_prefix: bool) -> None:
    """With ``keep``, the last layer computes only where the label loss reads: the same states there."""
    model, batch = adapted
    prefix = shared_prefix(batch.input_ids, batch.attention_mask) if share_prefix else 0
    keep = label_positions(batch.labels)
    with torch.no_grad():
        full = model(input_ids=batch.input_ids, attention_mask=batch.attention_mask, labels=batch.labels)
        hidden = lower_hidden_states(model, batch.input_ids, batch.attention_mask, 2)
        states = top_hidden_states(model, hidden, batch.attention_mask, 2, prefix=prefix, keep=keep)
        logits = model.get_base_model().lm_head(states)
    assert 0 < int(keep.sum()) < int(batch.attention_mask.sum())
    torch.testing.assert_close(logits[keep], full.logits[keep], rtol=1e-4, atol=1e-4)
    torch.testing.assert_close(label_loss(model, states, batch.labels), full.loss, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("labels_only", [False, True])
def test_packed_gradients_equal_the_full_models(adapted, labels_only: bool) -> None:
    """One training step through the prefix-shared, packed top layers moves the adapter as the model's own
    forward would: the same loss gradient on every LoRA weight."""
    model, batch = adapted
    model.train()
    model(input_ids=batch.input_ids, attention_mask=batch.attention_mask, labels=batch.labels).loss.backward()
    expected = {n: p.grad.clone() for n, p in model.named_parameters() if p.grad is not None}
    model.zero_grad(set_to_none=True)
    hidden = lower_hidden_states(model, batch.input_ids, batch.attention_mask, 2)
    prefix = shared_prefix(batch.input_ids, batch.attention_mask)
    assert prefix > 0
    keep = label_positions(batch.labels) if labels_only else None
    states = top_hidden_states(model, hidden, batch.attention_mask, 2, prefix=prefix, keep=keep)
    label_loss(model, states, batch.labels).backward()
    got = {n: p.grad for n, p in model.named_parameters() if p.grad is not None}
    assert got.keys() == expected.keys() and got
    for name, grad in got.items():
        torch.testing.assert_close(grad, expected[name], rtol=1e-3, atol=1e-5, msg=name)


@pytest.mark.parametrize("budget", [1, 20, 10_000])
def test_packing_budget_does_not_change_the_states(adapted, budget: int) -> None:
    """One row per packed sequence, a few, or all rows in one: the same states, zero at padding."""
    model, batch = adapted
    stack = decoder(model)
    prefix = shared_prefix(batch.input_ids, batch.attention_mask)
    with torch.no_grad():
        hidden = stack.embed_tokens(batch.input_ids)
        reference = run_layers(stack, stack.layers, hidden, batch.attention_mask, budget=10_000)
        states = run_layers(stack, stack.layers, hidden, batch.attention_mask, prefix=prefix, budget=budget)
    torch.testing.assert_close(states, reference, rtol=1e-4, atol=1e-5)
    assert float(states[~batch.attention_mask.bool()].abs().sum()) == 0.0


def test_lower_states_equal_the_models_hidden_states(adapted) -> None:
    model, batch = adapted
    with torch.no_grad():
        reference = model(input_ids=batch.input_ids, attention_mask=batch.attention_mask, output_hidden_states=True)
        captured = lower_hidden_states(model, batch.input_ids, batch.attention_mask, 2, batch_size=3)
    real = batch.attention_mask.bool()  # padding positions hold zeros: nothing reads them
    torch.testing.assert_close(captured[real], reference.hidden_states[2][real], rtol=1e-4, atol=1e-5)


def test_gradients_reach_only_the_top_adapter(adapted) -> None:
    model, batch = adapted
    hidden = lower_hidden_states(model, batch.input_ids, batch.attention_mask, 2)
    label_loss(model, top_hidden_states(model, hidden, batch.attention_mask, 2), batch.labels).backward()
    grads = {n: p.grad for n, p in model.named_parameters() if p.requires_grad}
    assert grads and all(g is not None and g.abs().sum() > 0 for n, g in grads.items() if "lora_A" in n)


def test_label_loss_is_zero_without_labels(adapted) -> None:
    model, batch = adapted
    hidden = lower_hidden_states(model, batch.input_ids, batch.attention_mask, 2)
    unlabelled = torch.full_like(batch.labels, -100)
    for keep in (None, label_positions(unlabelled)):  # nothing to keep: the last layer computes nothing
        states = top_hidden_states(model, hidden, batch.attention_mask, 2, prefix=3, keep=keep)
        assert float(label_loss(model, states, unlabelled)) == 0.0


def test_non_llama_models_are_refused() -> None:
    with pytest.raises(TypeError, match="Llama-family"):
        decoder(nn.Linear(2, 2))


def test_label_positions_precede_the_labels() -> None:
    labels = torch.tensor([[-100, -100, 7, 8], [-100, 5, -100, -100]])
    assert label_positions(labels).tolist() == [[False, True, True, False], [True, False, False, False]]


def test_shared_prefix_leaves_every_row_a_token() -> None:
    ids = torch.tensor([[1, 2, 3], [1, 2, 3]])
    assert shared_prefix(ids, torch.ones(2, 3)) == 2
    assert shared_prefix(ids, torch.tensor([[1, 1, 0], [1, 1, 1]])) == 1


def test_common_prefix() -> None:
    ids = torch.tensor([[1, 2, 3, 4], [1, 2, 9, 0], [1, 2, 3, 0]])
    mask = torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0], [1, 1, 1, 0]])
    assert _common_prefix(ids, mask) == 2
    assert _common_prefix(ids[[0, 2]], mask[[0, 2]]) == 3
    assert _common_prefix(torch.tensor([[5, 1], [6, 1]]), torch.ones(2, 2)) == 0
