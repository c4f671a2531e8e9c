"""Trace events: what each node emits, live on the custom stream and saved per thread."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from langchain_core.language_models import GenericFakeChatModel
from tiermem.graphs import build_graph
from tiermem.graphs.config import TierMemConfig
from tiermem.graphs.services import Services
from tiermem.graphs.trace import STREAM_KEY
from tiermem.graphs.trace_store import TraceStore, file_stem, group_turns
from tiermem.graphs.trace_writer import TraceWriter
from tiermem.memory.errors import NotFoundError


def run(user: str = "alice", thread: str = "t1", now: str = "2024-05-03T08:00:00", **extra: Any) -> dict[str, Any]:
    return {"configurable": {"user_id": user, "thread_id": thread, "now": now, **extra}}


def saved(services: Services) -> TraceStore:
    TraceWriter.shared().flush()
    return TraceStore(services.config.path("traces"))


@pytest.fixture
def graph(services: Services) -> Any:
    services.chat_model = GenericFakeChatModel(messages=iter(["ok"] * 20))
    return build_graph(services=services)


def test_events_record_decision_writes_reads_and_answer(graph: Any, services: Services) -> None:
    graph.invoke({"messages": [("user", "今天称重45kg")]}, run())
    out = graph.invoke({"messages": [("user", "How much do I weigh now?")]}, run(now="2024-05-03T09:00:00"))

    first, second = saved(services).turns("t1")
    assert [e["node"] for e in first.events] == ["ingest", "gate", "tools", "retrieve", "generate"]
    assert [e["node"] for e in second.events] == ["ingest", "gate", "retrieve", "generate"]
    gate, tools = first.node("gate"), first.node("tools")
    assert gate["decision"] == "mid" and gate["facts"] == ["user.weight = 45 kg"] and gate["reason"]
    assert set(gate["scores"]) == {"none", "short", "mid", "long"}
    assert gate["tool_calls"][0]["name"] == "remember_mid"
    (call,) = tools["tool_calls"]
    assert call["id"] == gate["tool_calls"][0]["id"] and call["status"] == "success"
    (record,) = services.store.records("alice", tiers=("mid", "long"))  # short: the session's working memory
    assert tools["written"] == call["written"] == [record.id]
    assert "45 kg" in call["result"]
    read = second.node("retrieve")["read"]
    assert read[0]["id"] == record.id and read[0]["tier"] == "mid" and read[0]["score"] > 0
    assert "45 kg" in read[0]["memory"]
    generate = second.node("generate")
    assert generate["mode"] == "chat_model" and generate["output"] == "ok" and generate["cited"] == [record.id]
    for turn in (first, second):
        assert {e["run_id"] for e in turn.events} == {turn.run_id}
        assert {(e["thread_id"], e["namespace"]) for e in turn.events} == {("t1", "alice")}
        assert all(e["ms"] >= 0 and e["ts"] for e in turn.events)
        assert [bool(e.get("end_of_turn")) for e in turn.events] == [False] * (len(turn.events) - 1) + [True]
    assert second.node("ingest")["input"] == "How much do I weigh now?"
    assert out["trace"][-len(second.events) :] == second.events


def test_events_stream_live_alongside_updates(graph: Any) -> None:
    chunks = list(
        graph.stream({"messages": [("user", "I'm allergic to peanuts")]}, run(), stream_mode=["updates", "custom"])
    )
    modes = [mode for mode, _ in chunks]
    assert "updates" in modes and "custom" in modes
    streamed = [chunk[STREAM_KEY] for mode, chunk in chunks if mode == "custom"]
    updated = [
        e for mode, chunk in chunks if mode == "updates" for update in chunk.values() for e in update.get("trace", [])
    ]
    assert streamed == updated
    assert [e["node"] for e in streamed] == ["ingest", "gate", "tools", "retrieve", "generate"]
    # each event arrives before its node's update
    assert modes.index("custom") < modes.index("updates")


def test_run_id_from_the_run_config_is_used(graph: Any, services: Services) -> None:
    graph.invoke({"messages": [("user", "hello")]}, run(run_id="run-from-configurable"))
    graph.invoke({"messages": [("user", "hello")]}, {**run(), "metadata": {"run_id": "run-from-metadata"}})
    graph.invoke({"messages": [("user", "hello")]}, run())
    turns = saved(services).turns("t1")
    assert [t.run_id for t in turns[:2]] == ["run-from-configurable", "run-from-metadata"]
    assert len(turns) == 3 and len(turns[2].run_id) >= 16


def test_turn_without_answer_ends_at_its_last_node(graph: Any, services: Services) -> None:
    graph.invoke({"messages": [("user", "Haha, that's funny.")]}, run(respond=False))
    graph.invoke({"messages": [("user", "I weighed 47 kg")]}, run(respond=False))
    chit_chat, weight = saved(services).turns("t1")
    assert [e["node"] for e in chit_chat.events] == ["ingest", "gate"]
    assert [e["node"] for e in weight.events] == ["ingest", "gate", "tools"]
    assert chit_chat.events[-1]["end_of_turn"] and weight.events[-1]["end_of_turn"]


def test_a_trace_that_cannot_be_saved_never_breaks_a_turn(
    tmp_path: Path, services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    services.config.path().mkdir(parents=True, exist_ok=True)
    services.config.path("traces").write_text("a file where the traces folder should be")
    graph = build_graph(services=services)
    with caplog.at_level(logging.ERROR, logger="tiermem.graphs.trace_writer"):
        out = graph.invoke({"messages": [("user", "I weighed 47 kg")]}, run(respond=False))
        assert TraceWriter.shared().flush()
    assert out["decision"]["tier"] == "mid" and len(out["trace"]) == 3
    assert any(r.getMessage().startswith("could not save") and "traces" in r.getMessage() for r in caplog.records)


def test_traces_can_be_switched_off(tmp_path: Path) -> None:
    services = Services(TierMemConfig(data_dir=str(tmp_path / "d"), traces=False))
    out = build_graph(services=services).invoke({"messages": [("user", "I weighed 47 kg")]}, run(respond=False))
    assert len(out["trace"]) == 3
    assert not services.config.path("traces").exists()


def test_threads_are_listed_least_recently_updated_first(graph: Any, services: Services) -> None:
    for thread, user in (("t-old", "alice"), ("t-new", "bob"), ("t-old", "alice")):
        graph.invoke({"messages": [("user", "hello there")]}, run(user, thread, respond=False))
    graph.invoke({"messages": [("user", "hello again")]}, run("bob", "t-new", respond=False))
    threads = saved(services).threads()
    assert [(t.thread_id, t.user_id, t.turns) for t in threads] == [("t-old", "alice", 2), ("t-new", "bob", 2)]
    assert threads[0].updated_at < threads[1].updated_at


@pytest.mark.parametrize("thread", ["a/b", "..", "../../etc/passwd", "线程 1", "x" * 400, ""])
def test_any_thread_id_maps_to_one_file_inside_the_folder(tmp_path: Path, thread: str) -> None:
    store = TraceStore(tmp_path / "traces")
    store.append([{"node": "ingest", "thread_id": thread, "run_id": "r1", "ts": "2024-01-01T00:00:00+00:00"}])
    (path,) = (tmp_path / "traces").glob("*.jsonl")
    assert path == store.path(thread) and "/" not in file_stem(thread) and len(path.name) < 200
    assert store.events(thread)[0]["thread_id"] == thread


def test_a_line_cut_by_a_crash_is_skipped(tmp_path: Path) -> None:
    store = TraceStore(tmp_path)
    good = {"node": "ingest", "thread_id": "t", "run_id": "r1"}
    store.path("t").write_text(json.dumps(good) + "\n" + '{"node": "ga', encoding="utf-8")
    assert store.events("t") == [good]


def test_unknown_thread_says_how_to_find_one(tmp_path: Path) -> None:
    store = TraceStore(tmp_path)
    store.append([{"node": "ingest", "thread_id": "known", "run_id": "r1"}])
    with pytest.raises(NotFoundError, match=r"no trace for thread 'nope'.*known.*tiermem trace list"):
        store.events("nope")


def test_turns_group_by_run_in_start_order() -> None:
    events = [{"run_id": r, "node": n} for r, n in [("b", "ingest"), ("a", "ingest"), ("b", "gate"), ("a", "gate")]]
    assert [(t.run_id, [e["node"] for e in t.events]) for t in group_turns(events)] == [
        ("b", ["ingest", "gate"]),
        ("a", ["ingest", "gate"]),
    ]


def test_a_redaction_beside_another_processes_appends_loses_no_event(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tiermem.graphs.trace_store import TraceStore

    folder = tmp_path / "traces"
    store = TraceStore(folder)
    store.append([{"thread_id": "t", "namespace": "alice", "node": "ingest", "input": "my PIN is 4921"}])
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from tiermem.graphs.trace_store import TraceStore\n"
            "store = TraceStore(Path(sys.argv[1]))\n"
            "for i in range(1500): store.append([{'thread_id': 't', 'namespace': 'alice', 'node': 'gate', 'i': i}])",
            str(folder),
        ]
    )
    redactions = 0
    while writer.poll() is None:
        store.redact("alice", ["4921"])
        store.append([{"thread_id": "t", "namespace": "alice", "node": "ingest", "input": "my PIN is 4921"}])
        redactions += 1
    assert writer.returncode == 0 and redactions > 1
    written = [e["i"] for e in store.events("t") if "i" in e]
    assert written == list(range(1500))  # every append kept, in order


def test_a_failed_turn_ends_its_trace_with_the_error(graph: Any, services: Services) -> None:
    from rich.console import Console
    from tiermem.graphs.cli_trace import turn_tree
    from tiermem.graphs.trace_html import render_html
    from tiermem.memory.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown gate"):
        graph.invoke({"messages": [("user", "I'm allergic to peanuts")]}, run(gate="rules"))
    (turn,) = saved(services).turns("t1")
    assert [e["node"] for e in turn.events] == ["ingest", "gate"]
    failed = turn.node("gate")
    assert failed["end_of_turn"] and failed["error"].startswith("ConfigError: unknown gate 'rules'")
    console = Console(record=True, width=300)
    console.print(turn_tree(1, turn))
    assert "failed: ConfigError" in console.export_text()
    assert "ConfigError: unknown gate" in render_html("t1", [turn])


def test_a_refused_message_is_traced_on_its_thread(graph: Any, services: Services) -> None:
    from tiermem.memory.errors import InvalidInputError

    with pytest.raises(InvalidInputError):
        graph.invoke({"messages": [("user", "x" * 2_000_000)]}, run(thread="t-big"))
    (turn,) = saved(services).turns("t-big")
    (event,) = turn.events
    assert event["node"] == "ingest" and "TextTooLargeError" in event["error"] and event["run_id"]


def test_promotions_are_shown_with_their_reason() -> None:
    from rich.console import Console
    from tiermem.graphs.cli_trace import turn_tree
    from tiermem.graphs.trace_html import render_html

    promotion = {"kind": "mid->long", "record_ids": ["abcdef0123456789"], "reason": "stated 3 times (>= 3)"}
    events = [
        {"node": "ingest", "run_id": "r1", "input": "I weighed 45 kg", "at": "2024-05-03T08:00:00"},
        {"node": "tools", "run_id": "r1", "tool_calls": [], "promotions": [promotion]},
    ]
    (turn,) = group_turns(events)
    console = Console(record=True, width=300)
    console.print(turn_tree(1, turn))
    assert "mid->long abcdef012345 (stated 3 times (>= 3))" in console.export_text()
    assert "stated 3 times" in render_html("t1", [turn]) and "promoted" in render_html("t1", [turn])


def test_a_thread_two_users_shared_names_both_and_each_turns_user(tmp_path: Path) -> None:
    from rich.console import Console
    from tiermem.graphs.cli_trace import turn_tree

    store = TraceStore(tmp_path)
    store.append(
        [
            {"node": "ingest", "thread_id": "support", "namespace": "dana", "run_id": "r1", "input": "hi", "ts": "1"},
            {"node": "ingest", "thread_id": "support", "namespace": "erin", "run_id": "r2", "input": "yo", "ts": "2"},
        ]
    )
    (thread,) = store.threads()
    assert thread.user_id == "dana, erin"
    console = Console(record=True, width=200)
    for number, turn in enumerate(store.turns("support"), 1):
        console.print(turn_tree(number, turn))
    shown = console.export_text()
    assert "#1" in shown and "dana hi" in shown and "erin yo" in shown
