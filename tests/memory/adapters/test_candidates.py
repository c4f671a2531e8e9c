"""The head's softmax over each step's candidate tokens: exact where they cover the
vocabulary, close where the tail is thin, refreshed as the rows are trained on."""

from __future__ import annotations

import torch
from tiermem.memory.adapters.candidates import CandidateHead
from torch import nn


def _rows(rows: int = 4, width: int = 12, dim: int = 16) -> tuple[torch.Tensor, torch.Tensor]:
    torch.manual_seed(0)
    states = torch.randn(rows, width, dim)
    labels = torch.randint(0, 200, (rows, width))
    labels[:, :4] = -100  # the prompt
    labels[rows - 1, 9:] = -100  # padding
    return states, labels


def _full(weight: torch.Tensor, states: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    logits = (states @ weight.T)[:, :-1]
    return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels[:, 1:].reshape(-1))


def _assert_full_softmax(
    head: CandidateHead, weight: torch.Tensor, states: torch.Tensor, labels: torch.Tensor, rows: list[int]
) -> None:
    """``head``'s loss and its gradient for ``states`` are the full softmax's."""
    mine, theirs = states.clone().requires_grad_(True), states.clone().requires_grad_(True)
    loss = head.loss(mine, labels, rows)
    expected = _full(weight, theirs, labels)
    torch.testing.assert_close(loss, expected, rtol=1e-5, atol=1e-6)
    loss.backward()
    expected.backward()
    assert mine.grad is not None and theirs.grad is not None
    torch.testing.assert_close(mine.grad, theirs.grad, rtol=1e-4, atol=1e-6)


def test_candidates_covering_the_vocabulary_give_the_full_loss_and_gradient() -> None:
    torch.manual_seed(1)
    weight = torch.randn(200, 16)
    states, labels = _rows()
    _assert_full_softmax(CandidateHead(weight, top_k=200, refresh=1), weight, states, labels, [5, 6, 7, 8])


def test_a_peaked_softmax_loses_only_its_thin_tail() -> None:
    """With the mass on a few tokens per position, top 8 of 200 is within a hair of the full loss."""
    torch.manual_seed(2)
    weight = torch.randn(200, 16)
    states, labels = _rows()
    states = states * 6.0  # confident positions, as a trained model's
    peaked = torch.argmax(states @ weight.T, dim=-1)
    labels = torch.where(labels == -100, labels, torch.roll(peaked, 1, dims=1))  # labels the model ranks first
    mine, theirs = states.clone().requires_grad_(True), states.clone().requires_grad_(True)
    loss = CandidateHead(weight, top_k=8, refresh=1).loss(mine, labels, [0, 1, 2, 3])
    expected = _full(weight, theirs, labels)
    assert abs(float(loss) - float(expected)) < 0.05 * max(float(expected), 1e-3) + 1e-3
    loss.backward()
    expected.backward()
    assert mine.grad is not None and theirs.grad is not None
    cosine = nn.functional.cosine_similarity(mine.grad.flatten(), theirs.grad.flatten(), dim=0)
    assert float(cosine) > 0.99


def test_every_label_is_a_candidate_even_far_down_the_ranking() -> None:
    """A label the model ranks last still gets its loss (and is pushed up)."""
    torch.manual_seed(3)
    weight = torch.randn(200, 16)
    states, labels = _rows(rows=1)
    worst = torch.argmin(states @ weight.T, dim=-1)
    labels = torch.where(labels == -100, labels, torch.roll(worst, 1, dims=1))
    states.requires_grad_(True)
    loss = CandidateHead(weight, top_k=4, refresh=1).loss(states, labels, [0])
    assert float(loss) > 5.0  # the label's log-probability among the candidates is very low
    loss.backward()
    assert states.grad is not None and states.grad.abs().sum() > 0


def test_a_rows_candidates_are_read_again_every_refresh_uses() -> None:
    torch.manual_seed(4)
    weight = torch.randn(200, 16)
    states, labels = _rows(rows=1)
    head = CandidateHead(weight, top_k=4, refresh=2)
    head.loss(states, labels, [9])
    first = head._candidates[9].clone()
    moved = torch.randn_like(states) * 3.0  # the model moved: other tokens rank first now
    head.loss(moved, labels, [9])  # second use: not due
    assert torch.equal(head._candidates[9], first)
    head.loss(moved, labels, [9])  # third use: read again from the moved states
    assert not torch.equal(head._candidates[9], first)
    assert torch.isin(labels[0, 1:][labels[0, 1:] != -100], head._candidates[9]).all()


def test_no_label_positions_give_zero() -> None:
    states, labels = _rows(rows=2)
    loss = CandidateHead(torch.randn(200, 16), top_k=8, refresh=1).loss(states, torch.full_like(labels, -100), [0, 1])
    assert float(loss) == 0.0


def test_a_row_whose_candidates_hold_too_little_takes_the_full_softmax() -> None:
    """A flat distribution (a model unsure at every position): its top 4 of 200 hold little, so the
    step's loss and gradient are the full softmax's, until the row's next refresh."""
    torch.manual_seed(5)
    weight = torch.randn(200, 16) * 0.01  # near-uniform logits
    states, labels = _rows(rows=2)
    head = CandidateHead(weight, top_k=4, refresh=1)
    _assert_full_softmax(head, weight, states, labels, [0, 1])
    assert head.full_steps == 1
    assert head._candidates[0] is None
