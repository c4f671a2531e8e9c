"""Decision events: what each node decided, why, and how long it took.

Every node returns its event in the state's ``trace`` list; events are plain
JSON so they can be streamed, saved and rendered.
"""

from __future__ import annotations

import time
from typing import Any


class Timer:
    """Measures a node's wall time in milliseconds."""

    def __init__(self) -> None:
        self.start = time.perf_counter()

    @property
    def ms(self) -> float:
        """Milliseconds since the timer started."""
        return round((time.perf_counter() - self.start) * 1000.0, 3)


def event(node: str, timer: Timer, turn: dict[str, Any] | None, **fields: Any) -> dict[str, Any]:
    """A trace event for ``node``: its turn's ids, the given fields and the elapsed ms."""
    base: dict[str, Any] = {"node": node, "ms": timer.ms}
    if turn:
        base.update(message_id=turn["message_id"], thread_id=turn["thread_id"], namespace=turn["namespace"])
    return {**base, **fields}
