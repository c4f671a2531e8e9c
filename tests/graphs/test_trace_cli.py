"""``tiermem trace ...`` and ``tiermem graph --mermaid`` on a real data dir."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from langchain_core.language_models import GenericFakeChatModel
from tiermem.graphs import build_graph
from tiermem.graphs.cli import app
from tiermem.graphs.services import Services
from tiermem.graphs.trace_writer import TraceWriter
from typer.testing import CliRunner

TIERMEM = str(Path(sys.executable).with_name("tiermem"))
SNAPSHOT = Path(__file__).parent / "snapshots" / "graph.mmd"
runner = CliRunner()


@pytest.fixture
def data_dir(services: Services) -> str:
    """A data dir with two saved threads: bob's (older) and alice's weight conversation."""
    services.chat_model = GenericFakeChatModel(messages=iter(["Hi!", "Noted.", "Your weight is 45 kg."]))
    graph = build_graph(services=services)
    turns = [
        ("bob", "b-1", "2024-05-01T07:00:00", "Hello there"),
        ("alice", "a-1", "2024-05-03T08:00:00", "今天称重45kg"),
        ("alice", "a-1", "2024-05-03T09:00:00", "How much do I weigh now?"),
    ]
    for user, thread, now, text in turns:
        graph.invoke(
            {"messages": [("user", text)]}, {"configurable": {"user_id": user, "thread_id": thread, "now": now}}
        )
    TraceWriter.shared().flush()
    return services.config.data_dir


def invoke(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_list_json_is_oldest_first(data_dir: str) -> None:
    payload = json.loads(invoke("trace", "list", "--json", "--data-dir", data_dir))
    threads = payload["threads"]
    assert [(t["thread_id"], t["user_id"], t["turns"]) for t in threads] == [("b-1", "bob", 1), ("a-1", "alice", 2)]
    assert threads[0]["updated_at"] < threads[1]["updated_at"]


def test_show_json_and_tree(data_dir: str) -> None:
    payload = json.loads(invoke("trace", "show", "a-1", "--json", "--data-dir", data_dir))
    first, second = payload["turns"]
    assert (first["message"], first["tier"], second["tier"]) == ("今天称重45kg", "mid", "none")
    assert [e["node"] for e in first["events"]] == ["ingest", "gate", "tools", "retrieve", "generate"]
    written = first["events"][2]["written"]
    assert [r["id"] for r in second["events"][2]["read"]] == written
    tree = invoke("trace", "show", "a-1", "--data-dir", data_dir)
    assert "gate → mid user.weight = 45 kg" in tree and "remember_mid: stored in mid-term memory" in tree
    assert written[0][:12] in tree and "generate → chat_model" in tree


def test_html_writes_one_page(data_dir: str, tmp_path: Path) -> None:
    out = tmp_path / "pages" / "t.html"
    invoke("trace", "html", "a-1", "-o", str(out), "--data-dir", data_dir)
    html = out.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.count('<article class="turn') == 2
    assert "<script" not in html and "http" not in html.split("</style>")[0]  # nothing to fetch


def test_delete_removes_only_that_thread(data_dir: str) -> None:
    invoke("trace", "delete", "b-1", "--data-dir", data_dir)
    threads = json.loads(invoke("trace", "list", "--json", "--data-dir", data_dir))["threads"]
    assert [t["thread_id"] for t in threads] == ["a-1"]


def test_unknown_thread_exits_2_with_the_fix(data_dir: str) -> None:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1"}
    out = subprocess.run(
        [TIERMEM, "trace", "show", "nope", "--data-dir", data_dir], capture_output=True, text=True, env=env, timeout=300
    )
    assert out.returncode == 2
    assert "no trace for thread 'nope'" in out.stderr and "tiermem trace list" in out.stderr


def test_graph_mermaid_matches_the_snapshot(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    """The graph's structure; after an intended change: UPDATE_SNAPSHOTS=1 pytest -k mermaid."""
    monkeypatch.setenv("TIERMEM_DATA_DIR", services.config.data_dir)
    drawing = build_graph(services=services).get_graph().draw_mermaid()
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(drawing, encoding="utf-8")
    assert drawing == SNAPSHOT.read_text("utf-8")
    printed = invoke("graph", "--mermaid")
    assert [line.strip() for line in printed.splitlines() if line.strip()] == [
        line.strip() for line in drawing.splitlines() if line.strip()
    ]
