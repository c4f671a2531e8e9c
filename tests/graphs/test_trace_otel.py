"""OpenTelemetry spans from trace events, checked with the SDK's in-memory exporter."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from langchain_core.language_models import GenericFakeChatModel
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from tiermem.graphs import build_graph
from tiermem.graphs.services import Services
from tiermem.graphs.trace_writer import TraceWriter

_EXPORTER = InMemorySpanExporter()


@pytest.fixture(scope="module")
def provider() -> Iterator[TracerProvider]:
    """The process's tracer provider (OpenTelemetry allows setting it once); the exporter stops after the module."""
    current = trace.get_tracer_provider()
    if not isinstance(current, TracerProvider):
        current = TracerProvider()
        trace.set_tracer_provider(current)
    current.add_span_processor(SimpleSpanProcessor(_EXPORTER))
    yield current
    _EXPORTER.shutdown()


@pytest.fixture
def spans(provider: TracerProvider) -> Iterator[InMemorySpanExporter]:
    _EXPORTER.clear()
    yield _EXPORTER
    _EXPORTER.clear()


def turn(services: Services, text: str, **extra: Any) -> dict[str, Any]:
    graph = build_graph(services=services)
    config = {"configurable": {"user_id": "alice", "thread_id": "t-otel", "now": "2024-05-03T08:00:00", **extra}}
    out = graph.invoke({"messages": [("user", text)]}, config)
    assert TraceWriter.shared().flush()
    return out


def test_a_turn_is_one_workflow_span_with_a_span_per_node(services: Services, spans: InMemorySpanExporter) -> None:
    services.chat_model = GenericFakeChatModel(messages=iter(["Noted."]))
    out = turn(services, "今天称重45kg")

    finished = spans.get_finished_spans()
    by_name = {s.name: s for s in finished}
    root = by_name["invoke_workflow tiermem"]
    assert set(by_name) == {
        "invoke_workflow tiermem", "tiermem.ingest", "invoke_agent gate", "execute_tool remember_mid",
        "retrieval tiermem", "chat tiermem",
    }  # fmt: skip
    assert root.attributes["gen_ai.operation.name"] == "invoke_workflow"
    assert root.attributes["gen_ai.conversation.id"] == "t-otel"
    assert root.attributes["gen_ai.memory.namespace"] == "alice" and root.attributes["tiermem.complete"] is True
    children = [s for s in finished if s is not root]
    assert all(s.parent is not None and s.parent.span_id == root.context.span_id for s in children)
    assert all(s.context.trace_id == root.context.trace_id for s in children)
    assert all(root.start_time <= s.start_time <= s.end_time <= root.end_time for s in children)

    gate, tool = by_name["invoke_agent gate"], by_name["execute_tool remember_mid"]
    assert gate.attributes["gen_ai.agent.name"] == "gate" and gate.attributes["gen_ai.memory.tier"] == "mid"
    assert gate.attributes["tiermem.gate.score.mid"] == pytest.approx(out["decision"]["scores"]["mid"])
    assert tool.attributes["gen_ai.operation.name"] == "execute_tool"
    assert tool.attributes["gen_ai.tool.name"] == "remember_mid"
    assert list(tool.attributes["gen_ai.memory.ids"]) == out["written"]
    assert by_name["retrieval tiermem"].attributes["gen_ai.operation.name"] == "retrieval"
    assert by_name["chat tiermem"].attributes["tiermem.answer.mode"] == "chat_model"
    # message text and fact values stay out of spans (no forget reaches an exporter)
    assert list(gate.attributes["tiermem.gate.facts"]) == ["user.weight"]
    assert "tiermem.gate.reason" not in gate.attributes  # free text (an LLM gate's) may hold values
    assert not any(w in str(v) for s in finished for v in s.attributes.values() for w in ("45kg", "45 kg"))


def test_the_turn_nests_under_the_callers_span(services: Services, spans: InMemorySpanExporter) -> None:
    with trace.get_tracer("app").start_as_current_span("handle request") as outer:
        turn(services, "Haha, that's funny.", respond=False)
    root = next(s for s in spans.get_finished_spans() if s.name == "invoke_workflow tiermem")
    assert root.parent is not None and root.parent.span_id == outer.get_span_context().span_id
    assert {s.name for s in spans.get_finished_spans()} == {
        "handle request", "invoke_workflow tiermem", "tiermem.ingest", "invoke_agent gate",
    }  # fmt: skip
