"""The training losses: the fused head cross-entropy equals the plain one, values and gradients."""

from __future__ import annotations

import pytest
import torch
from tiermem.memory.adapters import losses
from tiermem.memory.adapters.losses import anchor_loss, label_loss
from torch import nn


class _Head(nn.Module):
    """The smallest model :func:`label_loss` accepts: an ``lm_head``."""

    def __init__(self, vocab: int, dim: int, *, bias: bool = False) -> None:
        super().__init__()
        self.lm_head = nn.Linear(dim, vocab, bias=bias)


def _batch(rows: int = 3, width: int = 50, dim: int = 8, vocab: int = 40) -> tuple[torch.Tensor, torch.Tensor]:
    torch.manual_seed(0)
    states = torch.randn(rows, width, dim)
    labels = torch.randint(0, vocab, (rows, width))
    labels[:, :5] = -100  # the prompt
    labels[1, 30:] = -100  # padding
    return states, labels


def _plain(model: _Head, states: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    logits = model.lm_head(states)[:, :-1]
    return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels[:, 1:].reshape(-1))


@pytest.mark.parametrize("chunk", [1, 7, 10_000])
def test_fused_head_loss_equals_the_plain_cross_entropy(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    """Any chunking of the label positions: the same loss and the same gradient for the states."""
    monkeypatch.setattr(losses, "ROWS_PER_CHUNK", chunk)
    model = _Head(40, 8).requires_grad_(False)
    states, labels = _batch()
    mine, theirs = states.clone().requires_grad_(True), states.clone().requires_grad_(True)
    loss = label_loss(model, mine, labels)
    expected = _plain(model, theirs, labels)
    torch.testing.assert_close(loss, expected, rtol=1e-6, atol=1e-6)
    (2.0 * loss).backward()
    (2.0 * expected).backward()
    assert mine.grad is not None and theirs.grad is not None and mine.grad.abs().sum() > 0
    torch.testing.assert_close(mine.grad, theirs.grad, rtol=1e-5, atol=1e-7)


def test_bf16_head_stays_close_to_fp32() -> None:
    model = _Head(40, 8).requires_grad_(False)
    states, labels = _batch()
    exact = label_loss(model, states, labels)
    rounded = label_loss(model, states, labels, weight=model.lm_head.weight.to(torch.bfloat16))
    assert rounded.dtype == torch.float32
    torch.testing.assert_close(rounded, exact, rtol=2e-2, atol=2e-2)


@pytest.mark.parametrize("bias", [False, True])
def test_a_trained_or_biased_head_takes_the_plain_path(bias: bool) -> None:
    model = _Head(40, 8, bias=bias).requires_grad_(not bias)
    states, labels = _batch()
    states.requires_grad_(True)
    loss = label_loss(model, states, labels)
    torch.testing.assert_close(loss, _plain(model, states, labels))
    loss.backward()
    assert states.grad is not None
    assert (model.lm_head.weight.grad is not None) == (not bias)


def test_label_loss_is_zero_without_labels() -> None:
    states, labels = _batch()
    assert float(label_loss(_Head(40, 8), states, torch.full_like(labels, -100))) == 0.0


def test_anchor_loss_is_relative_and_ignores_padding() -> None:
    base = torch.ones(1, 3, 2)
    mask = torch.tensor([[1, 1, 0]])
    moved = base.clone()
    moved[0, 2] = 100.0  # padding: ignored
    assert float(anchor_loss(moved, base, mask)) == 0.0
    moved[0, 0, 0] = 2.0  # one of four real values moved by 1 -> mean square 0.25 over mean square 1
    assert float(anchor_loss(moved, base, mask)) == pytest.approx(0.25)
