"""The training losses on the top layers' final hidden states.

:func:`label_loss` is the cross-entropy on the label tokens. The output
projection is frozen (LoRA adapts the decoder layers only), so the loss needs
the gradient for the hidden states alone: :class:`_HeadCrossEntropy` computes
it in the forward pass, a few rows at a time, and never keeps the logits
(49k per label token with SmolLM2) for a backward pass. On one core, for the
234 label positions of a 16-row step, forward and backward took 0.39 s as a
plain fp32 ``cross_entropy(lm_head(x))`` and 0.21 s this way with the head in
bf16.

:func:`anchor_loss` holds the final hidden states of general text where the
base model had them.
"""

from __future__ import annotations

from typing import cast

import torch
from torch import nn
from torch.autograd.function import FunctionCtx

from .activations import head

ROWS_PER_CHUNK = 64
"""Label positions whose logits are held at once (64 x 49k fp32 logits: 12.6 MB)."""


class _HeadCrossEntropy(torch.autograd.Function):
    """Mean cross-entropy of ``states @ weight.T`` against ``targets``, for a frozen ``weight``.

    The gradient for ``states`` (``(softmax - onehot) @ weight / n``) is computed in
    the forward pass, chunk by chunk, in ``weight``'s dtype with the softmax in fp32,
    and backward only scales it.
    """

    @staticmethod
    def forward(ctx: FunctionCtx, states: torch.Tensor, weight: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        count = len(targets)
        total = states.new_zeros((), dtype=torch.float32)
        grad = torch.empty_like(states)
        with torch.autocast(states.device.type, enabled=False):
            for start in range(0, count, ROWS_PER_CHUNK):
                rows = slice(start, start + ROWS_PER_CHUNK)
                logits = (states[rows].to(weight.dtype) @ weight.T).float()
                target = targets[rows, None]
                norm = torch.logsumexp(logits, dim=1, keepdim=True)
                total += (norm - logits.gather(1, target)).sum()
                probs = logits.sub_(norm).exp_()
                probs.scatter_add_(1, target, probs.new_full(target.shape, -1.0))
                grad[rows] = (probs.to(weight.dtype) @ weight).to(states.dtype)
        ctx.save_for_backward(grad.div_(count))
        return total / count

    @staticmethod
    def backward(ctx: FunctionCtx, *grad_outputs: torch.Tensor) -> tuple[torch.Tensor | None, ...]:
        (grad,) = ctx.saved_tensors  # type: ignore[attr-defined]  # set by save_for_backward
        return grad * grad_outputs[0], None, None


def head_cross_entropy(states: torch.Tensor, weight: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy of ``states @ weight.T`` against ``targets`` for a frozen ``weight``
    (rows of the head: all of it, or the candidates of :mod:`.candidates`), without keeping the logits."""
    return _HeadCrossEntropy.apply(states, weight, targets)  # type: ignore[no-any-return]


def label_states(states: torch.Tensor, labels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The final hidden states where a label follows, the labels that follow them, and the row of
    ``states`` each comes from (all empty when no row has a label)."""
    targets = labels[:, 1:]
    where = targets != -100
    return states[:, :-1][where], targets[where], where.nonzero()[:, 0]


def frozen_head_weight(model: nn.Module) -> torch.Tensor | None:
    """The output projection's weight where the fused cross-entropy may use it: a head that is not
    trained and has no bias; ``None`` otherwise (the plain autograd path)."""
    projection = head(model)
    if projection.weight.requires_grad or getattr(projection, "bias", None) is not None:
        return None
    return cast(torch.Tensor, projection.weight)


def label_loss(
    model: nn.Module, states: torch.Tensor, labels: torch.Tensor, *, weight: torch.Tensor | None = None
) -> torch.Tensor:
    """Mean next-token cross-entropy over label positions of final hidden ``states``.

    The head runs only where a label follows, which is most of the saving
    on a 49k-token vocabulary. Returns 0 when no row has a label.

    Args:
        weight: the output projection to use (e.g. a bf16 copy of the frozen head made once
            per job); default: the model's own. A head that is trained itself, or has a
            bias, takes the plain autograd path.
    """
    picked, targets, _ = label_states(states, labels)
    if not len(targets):
        return states.new_zeros(())
    frozen = frozen_head_weight(model)
    if frozen is None:  # plain autograd
        return nn.functional.cross_entropy(head(model)(picked).float(), targets)
    return head_cross_entropy(picked, frozen if weight is None else weight, targets)


def anchor_loss(states: torch.Tensor, base: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """How far final hidden ``states`` moved from the base model's, relative to their size.

    Mean squared change over real (unpadded) positions divided by the mean
    squared base state. The head is frozen, so holding the final hidden
    states of general text holds its next-token distribution.
    """
    real = attention_mask.bool()
    moved = (states - base)[real]
    return moved.pow(2).mean() / base[real].pow(2).mean().clamp_min(1e-12)
