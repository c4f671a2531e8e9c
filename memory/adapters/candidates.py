"""The head's softmax over each step's candidate tokens instead of the whole vocabulary.

The label loss's cross-entropy multiplies every label position's state with the
whole frozen head twice (the logits, then the state gradient): with SmolLM2's
49k-token vocabulary that was 36-42 % of a training step. Most of a
position's probability sits on a few dozen tokens, though (measured on a
10-fact job, top 64: median 0.97 in the first steps, 0.999 in the last; 0.67
and 0.98 at the 5th percentile), and only tokens with probability get a
gradient worth having. :class:`CandidateHead` keeps, per
training row, the tokens the model currently ranks in its top
:attr:`~.config.TrainConfig.head_candidates` at any of the row's label
positions (and the row's label tokens); a step's softmax runs over the union of
its rows' candidates (a few thousand tokens), so the loss and the gradient are
those of the full softmax but for the tail left out. A row's candidates are
read again from the full logits of its label positions every
:attr:`~.config.TrainConfig.candidate_refresh` times it is trained on, so a
token training pushes up joins the set before it can matter.

Unlike a fixed subset of the vocabulary (tried: the 8,192 most frequent ids,
which left out the Chinese answers' competitors and lost their recall), the
candidates are the model's own competitors at each position.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import torch

from .losses import head_cross_entropy, label_states

FLAT_MASS = 0.1
"""A position whose top ``top_k`` tokens hold less than this probability is flat: its row takes
the full softmax (SmolLM2's label positions: 0.67 at the 5th percentile in a job's first steps,
top 64; a freshly initialised model's: 64 / 49,152)."""


class CandidateHead:
    """Cross-entropy of the label positions over per-row candidate tokens.

    A row with a label position whose top tokens hold less than :data:`FLAT_MASS` of its
    probability (a model that knows nothing there, as a freshly initialised one everywhere) has
    no candidates until its next refresh: a step with such a row takes the full softmax.

    Args:
        weight: the frozen output projection (vocabulary x hidden), in the steps' dtype.
        top_k: tokens kept per label position at a refresh.
        refresh: a row's candidates are read again every ``refresh`` uses.
    """

    def __init__(self, weight: torch.Tensor, *, top_k: int, refresh: int) -> None:
        self.weight = weight
        self.top_k = top_k
        self.refresh = refresh
        self.full_steps = 0
        """Steps that took the full softmax (a row without candidates)."""
        self._candidates: dict[int, torch.Tensor | None] = {}
        self._uses: dict[int, int] = {}

    def loss(self, states: torch.Tensor, labels: torch.Tensor, rows: Sequence[int]) -> torch.Tensor:
        """Mean next-token cross-entropy over the label positions of final hidden ``states``
        (one row of ``states`` and ``labels`` per index in ``rows``, the training rows' indexes)."""
        picked, wanted, row_of = label_states(states, labels)
        if not len(wanted):
            return states.new_zeros(())
        self._refresh(picked.detach(), wanted, row_of, rows)
        held = [self._candidates[row] for row in rows]
        if any(candidates is None for candidates in held):
            self.full_steps += 1
            return head_cross_entropy(picked, self.weight, wanted)
        tokens = torch.unique(torch.cat(cast(list[torch.Tensor], held)))
        local = torch.searchsorted(tokens, wanted)  # every target is its row's candidate
        return head_cross_entropy(picked, self.weight[tokens], local)

    def _refresh(self, picked: torch.Tensor, wanted: torch.Tensor, row_of: torch.Tensor, rows: Sequence[int]) -> None:
        """Read the candidates of the rows that are due from their positions' full logits."""
        due = [b for b, row in enumerate(rows) if self._uses.get(row, 0) % self.refresh == 0]
        for row in rows:
            self._uses[row] = self._uses.get(row, 0) + 1
        if not due:
            return
        at = torch.isin(row_of, torch.tensor(due, device=row_of.device))
        with torch.no_grad(), torch.autocast(picked.device.type, enabled=False):
            logits = (picked[at].to(self.weight.dtype) @ self.weight.T).float()
            best, top = logits.topk(min(self.top_k, logits.shape[1]), dim=1)
            flat = (best.logsumexp(dim=1) - logits.logsumexp(dim=1)).exp() < FLAT_MASS
        for b in due:
            mine = row_of[at] == b
            kept = torch.cat([top[mine].flatten(), wanted[row_of == b]])
            self._candidates[rows[b]] = None if bool(flat[mine].any()) else torch.unique(kept)
