"""A forget said in chat: the turn that forgets writes its own checkpoints and trace events after
the forget redacted the copies, so what it writes must not say the forgotten words again.

The graph runs as ``tiermem chat`` runs it (the data dir's ``checkpoints.sqlite``, no chat model),
and the raw bytes of every file under the data dir are scanned, the SQLite file and its
write-ahead log included. Every test first proves the scan sees the words.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from langchain_core.messages import HumanMessage
from langgraph.checkpoint.sqlite import SqliteSaver
from rel_helpers import files_containing
from tiermem.graphs import build_graph
from tiermem.graphs.config import TierMemConfig
from tiermem.graphs.services import Services
from tiermem.graphs.trace import NOT_KEPT_INPUT, SECRET_INPUT
from tiermem.graphs.trace_store import REDACTED, TraceStore
from tiermem.graphs.trace_writer import TraceWriter


@contextmanager
def chat_graph(folder: Path) -> Iterator[Any]:
    """The graph ``tiermem chat`` builds: the data dir's SQLite checkpointer, the local responder."""
    with (
        Services(TierMemConfig(data_dir=folder)) as services,
        SqliteSaver.from_conn_string(str(folder / "checkpoints.sqlite")) as saver,
    ):
        yield build_graph(services=services, checkpointer=saver)
    TraceWriter.shared().flush()


def say(graph: Any, user: str, thread: str, *texts: str) -> str:
    """Send ``texts`` on ``thread`` as ``user``; the last reply."""
    run = {"configurable": {"thread_id": thread, "user_id": user}}
    out: dict[str, Any] = {}
    for text in texts:
        out = graph.invoke({"messages": [HumanMessage(content=text)]}, run)
    return str(out["messages"][-1].content)


def thread_says(graph: Any, thread: str, word: str) -> bool:
    """Whether any checkpoint of ``thread`` (its history, not only the latest) holds ``word``."""
    run = {"configurable": {"thread_id": thread}}
    return any(word in repr(snapshot.values) for snapshot in graph.get_state_history(run))


def test_a_forget_said_in_chat_leaves_no_byte_of_the_value_in_its_own_thread(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    with chat_graph(folder) as graph:
        say(graph, "eve", "f3", "I live in Bergen")
        TraceWriter.shared().flush()
        assert files_containing(folder, b"Bergen")  # the scan sees it
        reply = say(graph, "eve", "f3", "Please forget my address")
        assert "your home city" in reply and "Bergen" not in reply
        latest = graph.get_state({"configurable": {"thread_id": "f3"}}).values
        assert [m.content for m in latest["messages"]][:2] == [
            REDACTED,
            "Noted, I'll remember that (long: lives_in = [forgotten]).",
        ]
        assert not thread_says(graph, "f3", "Bergen")
        assert "Bergen" not in json.dumps(latest["decision"]) + json.dumps(latest["answer"])
        assert "forgotten" not in latest  # the untracked channel is in no checkpoint
        say(graph, "eve", "f3", "Where do I live?")  # the thread goes on
    assert files_containing(folder, b"Bergen") == []


def test_a_forget_said_in_chinese_masks_every_version_it_forgot(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    with chat_graph(folder) as graph:
        say(graph, "zz", "z", "我住在巴黎", "不对，不是巴黎，是里昂")
        TraceWriter.shared().flush()
        assert files_containing(folder, "里昂".encode()) and files_containing(folder, "巴黎".encode())
        reply = say(graph, "zz", "z", "忘掉我的地址")
        assert "里昂" not in reply and "已经忘记" in reply
        assert not thread_says(graph, "z", "巴黎") and not thread_says(graph, "z", "里昂")
    assert files_containing(folder, "巴黎".encode()) == []
    assert files_containing(folder, "里昂".encode()) == []


def test_a_forget_said_on_another_thread_masks_both_and_no_other_users(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    with chat_graph(folder) as graph:
        say(graph, "eve", "A", "I live in Tromso")
        say(graph, "bob", "C", "I live in Tromso")
        reply = say(graph, "eve", "B", "Please forget my address")
        assert "Tromso" not in reply and "your home city" in reply
        assert not thread_says(graph, "A", "Tromso") and not thread_says(graph, "B", "Tromso")
        assert thread_says(graph, "C", "Tromso")  # bob's thread is his
    traces = TraceStore(folder / "traces")
    said = {t: json.dumps(traces.events(t), ensure_ascii=False) for t in ("A", "B", "C")}
    assert "Tromso" not in said["A"] and "Tromso" not in said["B"] and "Tromso" in said["C"]
    assert [p for p in files_containing(folder, b"Tromso") if p.startswith("traces")] == ["traces/C.jsonl"]


def test_a_message_asked_not_to_be_saved_is_in_no_trace(tmp_path: Path) -> None:
    """Its thread's checkpoint keeps it: it is the conversation, which the chat model reads back
    (documented in docs/RELIABILITY.md §6); no trace event, memory or episode does."""
    folder = tmp_path / "data"
    with chat_graph(folder) as graph:
        reply = say(
            graph, "nn", "n", "Please don't save this, but my password is hunter2", "不要保存：我的密码是abc123"
        )
        assert "不会保存" in reply
        messages = graph.get_state({"configurable": {"thread_id": "n"}}).values["messages"]
        assert "hunter2" in messages[0].content  # the conversation, in the thread's own checkpoint
    events = TraceStore(folder / "traces").events("n")
    assert events and {e["input"] for e in events} == {NOT_KEPT_INPUT}
    assert files_containing(folder / "traces", b"hunter2") == []
    assert files_containing(folder / "traces", b"abc123") == []
    assert [p for p in files_containing(folder, b"hunter2") if not p.startswith("checkpoints.sqlite")] == []


def test_a_secret_is_in_no_trace(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    with chat_graph(folder) as graph:
        say(graph, "sn", "s", "My PIN is 4821")
    events = TraceStore(folder / "traces").events("s")
    assert events and {e["input"] for e in events} == {SECRET_INPUT}
    assert files_containing(folder / "traces", b"4821") == []
