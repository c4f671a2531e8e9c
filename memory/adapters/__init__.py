"""tiermem.memory.adapters — the parametric tier: per-user LoRA on the last layers.

A ``remember_long`` or ``forget`` enqueues a job (:class:`JobQueue`, returns
at once); :func:`run_worker` trains an adapter from the namespace's whole
ledger (:func:`train_adapter`), judges it (:func:`evaluate_adapter`), stores
it (:class:`AdapterRegistry`) and promotes it only if it passed;
:class:`AdapterGenerator` answers with the active adapter of each namespace.

Names are imported on first use, so enqueueing a job never loads torch.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "AdapterGenerator": "serving",
    "AdapterRegistry": "registry",
    "AdapterVersion": "registry",
    "EvalConfig": "config",
    "EvalReport": "evaluate",
    "Job": "queue",
    "JobQueue": "queue",
    "LedgerSource": "worker",
    "Runtime": "config",
    "TrainConfig": "config",
    "TrainedAdapter": "trainer",
    "evaluate_adapter": "evaluate",
    "run_worker": "worker",
    "train_adapter": "trainer",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)


def __dir__() -> list[str]:
    return __all__
