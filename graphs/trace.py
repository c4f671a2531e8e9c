"""Decision events: what each node decided, why, and how long it took.

Every node returns its event in the state's ``trace`` list. A :class:`Tracer`
also streams each event live (``graph.stream(..., stream_mode=["updates",
"custom"])`` yields ``("custom", {"tiermem_trace": event})``) and hands it to a
background writer that appends it to the thread's JSONL file under
``<data_dir>/traces/`` and, when OpenTelemetry is installed, exports spans.
Nothing here can fail a turn: writing happens off the request path and its
errors are logged.

Event fields (plain JSON): ``v``, ``node``, ``run_id``, ``thread_id``,
``namespace``, ``message_id``, ``at`` (message time), ``ts`` (wall time the
node ended), ``ms``, ``input`` (the message, shortened), plus per node:
``decision``/``reason``/``scores``/``facts``/``tool_calls`` (gate),
``tool_calls``/``written`` (tools), ``read``/``tokens`` (retrieve),
``mode``/``reason``/``cited``/``output``/``adapter_version`` (generate), and
``end_of_turn`` on a turn's last event.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from typing import Any

from langgraph.config import get_stream_writer
from tiermem.agents.secrets import says_secret
from tiermem.agents.statements import asks_not_to_keep

from .config import TierMemConfig
from .redaction import redact_value
from .trace_writer import TraceWriter

log = logging.getLogger(__name__)

EVENT_VERSION = 1
STREAM_KEY = "tiermem_trace"
"""Key of a trace event in the ``custom`` stream's chunks."""
INPUT_CHARS = 160
NOT_KEPT_INPUT = "[not kept: asked not to be saved]"
"""The ``input`` of the events of a message that asks not to be saved ("Please don't save this,
but ...", 不要保存): the thread's checkpoint keeps the conversation, the trace files do not."""
SECRET_INPUT = "[a secret: kept for its session only]"
"""The ``input`` of the events of a message that names a secret ("My PIN is 4821"): the trace files,
kept for weeks, hold none (:mod:`tiermem.agents.secrets`)."""


class Timer:
    """Measures a node's wall time in milliseconds."""

    def __init__(self) -> None:
        self.start = time.perf_counter()

    @property
    def ms(self) -> float:
        """Milliseconds since the timer started."""
        return round((time.perf_counter() - self.start) * 1000.0, 3)


def shorten(text: str, limit: int = INPUT_CHARS) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def event(node: str, timer: Timer, turn: dict[str, Any] | None, **fields: Any) -> dict[str, Any]:
    """A trace event for ``node``: its turn's ids, the given fields and the elapsed ms."""
    base: dict[str, Any] = {
        "v": EVENT_VERSION,
        "node": node,
        "ms": timer.ms,
        "ts": datetime.now(UTC).isoformat(),
    }
    if turn:
        withheld = (
            NOT_KEPT_INPUT if asks_not_to_keep(turn["text"]) else SECRET_INPUT if says_secret(turn["text"]) else ""
        )
        base.update(
            run_id=turn.get("run_id", ""),
            message_id=turn["message_id"],
            thread_id=turn["thread_id"],
            namespace=turn["namespace"],
            at=turn["now"],
            input=withheld or shorten(turn["text"]),
        )
        if withheld:  # the gate's facts read from it, a reply that repeats it
            said = [turn["text"], *(str(f).partition(" = ")[2] for f in fields.get("facts") or [])]
            fields = redact_value(fields, sorted(said, key=len, reverse=True), withheld)
    return {**base, **fields}


def stream(ev: dict[str, Any]) -> None:
    """Send ``ev`` to the run's ``custom`` stream (a no-op outside a graph run)."""
    try:
        writer = get_stream_writer()
    except RuntimeError:  # called outside a runnable context
        return
    writer({STREAM_KEY: ev})


class Tracer:
    """Streams events and queues them for saving; one per compiled graph.

    Args:
        config: settings; events are saved under ``config.path("traces")``
            unless ``config.traces`` is false.
    """

    def __init__(self, config: TierMemConfig) -> None:
        self.folder = config.path("traces").absolute()
        self.writer = TraceWriter.shared() if config.traces else None

    def event(self, node: str, timer: Timer, turn: dict[str, Any] | None, **fields: Any) -> dict[str, Any]:
        """Build, stream and queue the event of ``node``; returns it for the state's ``trace``."""
        ev = event(node, timer, turn, **fields)
        try:
            stream(ev)
            if self.writer is not None:
                self.writer.put(self.folder, ev)
        except Exception:  # noqa: BLE001 — tracing must never fail a turn
            log.exception("could not emit the trace event of node %s", node)
        return ev
