"""OpenTelemetry spans from trace events (optional: ``pip install 'tiermem[otel]'``).

A turn becomes one ``invoke_workflow tiermem`` span with a child span per
node, built when the turn's last event arrives (events carry their end time
and duration, so spans keep the real timing even though they are exported
from the background writer). Attribute names follow the OpenTelemetry GenAI
semantic conventions where one fits (``gen_ai.operation.name``,
``gen_ai.conversation.id``, ``gen_ai.agent.name``, ``gen_ai.tool.name``,
``gen_ai.tool.call.id``) and the proposed memory ones (``gen_ai.memory.*``)
for namespaces, tiers and record ids; tiermem's own are ``tiermem.*``.
Message text is never put on a span.

Spans go to whatever tracer provider the application configured; with none,
the OpenTelemetry API drops them at no cost.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

log = logging.getLogger(__name__)

WORKFLOW = "tiermem"


def _ns(ts: str, minus_ms: float = 0.0) -> int:
    return int(datetime.fromisoformat(ts).timestamp() * 1e9 - minus_ms * 1e6)


def node_spans(ev: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The ``(span name, attributes)`` of one event (a tools event gives one per tool call)."""
    base: dict[str, Any] = {
        "tiermem.node": ev.get("node", ""),
        "gen_ai.conversation.id": ev.get("thread_id", ""),
        "gen_ai.memory.namespace": ev.get("namespace", ""),
        "tiermem.run_id": ev.get("run_id", ""),
    }
    node = ev.get("node")
    if node == "gate":
        return [
            (
                "invoke_agent gate",
                {
                    **base,
                    "gen_ai.operation.name": "invoke_agent",
                    "gen_ai.agent.name": "gate",
                    "gen_ai.memory.tier": str(ev.get("decision", "")),
                    "tiermem.gate.facts": [str(f).partition(" = ")[0] for f in ev.get("facts") or []],
                    "tiermem.gate.decider": str(ev.get("decider", "")),
                    **{f"tiermem.gate.score.{tier}": float(score) for tier, score in (ev.get("scores") or {}).items()},
                },
            )
        ]
    if node == "tools":
        return [
            (
                f"execute_tool {call.get('name', '')}",
                {
                    **base,
                    "gen_ai.operation.name": "execute_tool",
                    "gen_ai.tool.name": call.get("name", ""),
                    "gen_ai.tool.call.id": call.get("id", ""),
                    "gen_ai.memory.tier": call.get("tier", ""),
                    "gen_ai.memory.ids": list(call.get("written") or []),
                },
            )
            for call in ev.get("tool_calls") or []
        ]
    if node == "retrieve":
        read = ev.get("read") or []
        return [
            (
                f"retrieval {WORKFLOW}",
                {
                    **base,
                    "gen_ai.operation.name": "retrieval",
                    "gen_ai.memory.ids": [r["id"] for r in read],
                    "gen_ai.memory.scores": [float(r["score"]) for r in read],
                    "tiermem.retrieval.tokens": int(ev.get("tokens", 0)),
                },
            )
        ]
    if node == "generate":
        return [
            (
                f"chat {WORKFLOW}",
                {
                    **base,
                    "gen_ai.operation.name": "chat",
                    "tiermem.answer.mode": str(ev.get("mode", "")),
                    "gen_ai.memory.ids": list(ev.get("cited") or []),
                    **({"tiermem.adapter.version": ev["adapter_version"]} if ev.get("adapter_version") else {}),
                },
            )
        ]
    return [(f"{WORKFLOW}.{node}", base)]


MAX_OPEN_TURNS = 256
"""Turns held for their last event; past that the oldest is exported as it is (incomplete)."""


class OtelExporter:
    """Turns each finished turn's events into spans on the global tracer provider."""

    def __init__(self) -> None:
        from opentelemetry import context, trace

        self._context = context
        self._trace = trace
        self._pending: dict[str, list[tuple[dict[str, Any], Any]]] = {}

    @classmethod
    def create(cls) -> OtelExporter | None:
        """An exporter, or ``None`` when ``opentelemetry-api`` is not installed."""
        try:
            return cls()
        except ImportError:
            return None

    def current_context(self) -> Any:
        """The caller's OpenTelemetry context (so a turn's span nests under the app's span)."""
        return self._context.get_current()

    def export(self, ev: dict[str, Any], ctx: Any) -> None:
        """Buffer ``ev``; when it ends its turn, export the turn's spans. Errors are logged."""
        run_id = str(ev.get("run_id") or "")
        self._pending.setdefault(run_id, []).append((ev, ctx))
        if ev.get("end_of_turn"):
            self._finish(run_id)
        while len(self._pending) > MAX_OPEN_TURNS:  # turns that never ended (a crash outside a node)
            self._finish(next(iter(self._pending)))

    def end_pending(self) -> None:
        """Export the turns still waiting for their last event (a node raised)."""
        for run_id in list(self._pending):
            self._finish(run_id)

    def _finish(self, run_id: str) -> None:
        events = self._pending.pop(run_id, [])
        try:
            self._spans([ev for ev, _ in events], events[0][1])
        except Exception:  # noqa: BLE001 — a broken exporter must not stop the trace writer
            log.exception("could not export the spans of turn %s", run_id)

    def _spans(self, events: list[dict[str, Any]], parent: Any) -> None:
        tracer = self._trace.get_tracer("tiermem")
        first, last = events[0], events[-1]
        root = tracer.start_span(
            f"invoke_workflow {WORKFLOW}",
            context=parent,
            start_time=_ns(first["ts"], first.get("ms", 0.0)),
            attributes={
                "gen_ai.operation.name": "invoke_workflow",
                "gen_ai.workflow.name": WORKFLOW,
                "gen_ai.conversation.id": first.get("thread_id", ""),
                "tiermem.run_id": first.get("run_id", ""),
                "gen_ai.memory.namespace": first.get("namespace", ""),
                "tiermem.complete": bool(last.get("end_of_turn")),
            },
        )
        inside = self._trace.set_span_in_context(root)
        for ev in events:
            for name, attributes in node_spans(ev):
                span = tracer.start_span(
                    name,
                    context=inside,
                    start_time=_ns(ev["ts"], ev.get("ms", 0.0)),
                    attributes=attributes,
                )
                span.end(end_time=_ns(ev["ts"]))
        root.end(end_time=_ns(last["ts"]))
