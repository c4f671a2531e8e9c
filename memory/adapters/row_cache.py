"""Lower-layer activations of training rows, kept in memory between the jobs of one worker.

A row's activations at the split (the input of the first trained layer) depend on
the frozen base model, the split, the arithmetic and the row's tokens alone. When
a namespace's ledger grows by one fact, its next job would compute the same
activations again for every fact it already had (15 s of a 20-fact job on one
thread); with a :class:`RowCache` it computes only the new fact's rows.

The cache lives in the worker's memory only: nothing derived from a user's facts
is written to disk here, and the worker clears it before a ``forget`` job trains.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

import torch
from peft import PeftModel

from .activations import lower_hidden_states
from .dataset import Encoded
from .reference import cache_key

if TYPE_CHECKING:
    from .decoding import CausalLM

DEFAULT_MAX_BYTES = 256 * 2**20
"""About 2,000 rows of SmolLM2 (150 facts of 13 examples)."""


class RowCache:
    """Least-recently-used store of rows' lower-layer activations, bounded in bytes; thread-safe.

    Rows stay on the device that computed them (on a GPU, ``max_bytes`` is GPU memory).
    """

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        if max_bytes < 0:
            raise ValueError(f"max_bytes must be >= 0, got {max_bytes}")
        self.max_bytes = max_bytes
        self._rows: OrderedDict[str, torch.Tensor] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._rows)

    @property
    def bytes(self) -> int:
        """Bytes of activations held."""
        return self._bytes

    def get(self, key: str) -> torch.Tensor | None:
        """The activations stored under ``key`` (now the most recently used), or ``None``."""
        with self._lock:
            found = self._rows.get(key)
            if found is None:
                self.misses += 1
                return None
            self._rows.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: str, states: torch.Tensor) -> None:
        """Keep ``states`` under ``key``, dropping the least recently used rows beyond the bound."""
        size = states.numel() * states.element_size()
        with self._lock:
            if key in self._rows or size > self.max_bytes:
                return
            self._rows[key] = states
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, dropped = self._rows.popitem(last=False)
                self._bytes -= dropped.numel() * dropped.element_size()

    def clear(self) -> None:
        """Drop every row (before a ``forget`` job: no activation of a forgotten fact survives it)."""
        with self._lock:
            self._rows.clear()
            self._bytes = 0


def _row_key(scope: str, tokens: torch.Tensor) -> str:
    digest = hashlib.sha256(scope.encode())
    digest.update(tokens.to(torch.int64).cpu().numpy().tobytes())
    return digest.hexdigest()


def lower_states(model: CausalLM, part: Encoded, split: int, precision: str, cache: RowCache | None) -> torch.Tensor:
    """:func:`~.activations.lower_hidden_states` of ``part``'s rows, each taken from ``cache``
    where it holds the row and computed (then kept) otherwise; ``cache=None`` computes all.

    The caller must pass ``cache`` only where the model's layers below ``split`` are the base
    model's (an adapter of the top layers): the key holds the base model, not the adapter.
    """
    if cache is None or not len(part.input_ids):
        return lower_hidden_states(model, part.input_ids, part.attention_mask, split)
    base = model.get_base_model() if isinstance(model, PeftModel) else model
    scope = cache_key(base, split=split, precision=precision, device=str(next(base.parameters()).device))
    lengths = part.attention_mask.sum(dim=1).tolist()
    keys = [_row_key(scope, part.input_ids[row, :length]) for row, length in enumerate(lengths)]
    found = {row: states for row, key in enumerate(keys) if (states := cache.get(key)) is not None}
    missing = [row for row in range(len(keys)) if row not in found]
    computed = (
        lower_hidden_states(model, part.input_ids[missing], part.attention_mask[missing], split) if missing else None
    )
    template = computed if computed is not None else next(iter(found.values()))
    hidden = template.new_zeros((len(keys), part.input_ids.shape[1], template.shape[-1]))
    if computed is not None:
        hidden[missing] = computed
        for at, row in enumerate(missing):
            cache.put(keys[row], computed[at, : lengths[row]].clone())
    for row, states in found.items():
        hidden[row, : lengths[row]] = states
    return hidden
