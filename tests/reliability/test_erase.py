"""Erasing a user: no byte of theirs is left under the data dir (tables, old versions, traces,
checkpointed threads, adapters), everyone else's memories stay, and the user can start over.

Every test first proves its scan sees the user's secret, then that no file holds it afterwards.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.sqlite import SqliteSaver
from rel_helpers import files_containing
from tiermem.graphs import build_graph
from tiermem.graphs.cli import app
from tiermem.graphs.config import TierMemConfig
from tiermem.graphs.redaction import erase_checkpoints
from tiermem.graphs.services import Services
from tiermem.graphs.trace_store import TraceStore
from tiermem.graphs.trace_writer import TraceWriter
from tiermem.memory.errors import InvalidNamespaceError
from tiermem.memory.records import MemoryRecord
from typer.testing import CliRunner

SECRET = "ZETA7781QX"
OTHER = "OMEGA5512KV"


def _chat(services: Services, saver: SqliteSaver, user: str, thread: str, *messages: str) -> None:
    graph = build_graph(services=services, checkpointer=saver)
    run = {"configurable": {"thread_id": thread, "user_id": user}}
    for text in messages:
        graph.invoke({"messages": [HumanMessage(content=text)]}, run)


def _adapter_files(folder: Path) -> None:
    """An adapter version's files, its "weights" the secret (a real adapter holds the facts)."""
    (folder / "adapter_config.json").write_text("{}")
    (folder / "adapter_model.safetensors").write_text(SECRET)


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    model = GenericFakeChatModel(messages=itertools.cycle([AIMessage(content="noted")]))
    with Services(TierMemConfig(data_dir=tmp_path / "data"), chat_model=model) as services:
        yield services


def test_erasing_a_user_leaves_no_byte_of_theirs_and_keeps_everyone_else(services: Services) -> None:
    folder = Path(services.config.data_dir)
    checkpoints = folder / "checkpoints.sqlite"
    with SqliteSaver.from_conn_string(str(checkpoints)) as saver:  # what `tiermem chat` uses
        _chat(services, saver, "alice", "t-alice", f"I live in {SECRET}ville", "My sister is called Ann")
        _chat(services, saver, "alice", "t-alice-2", f"My favourite band is {SECRET}", "What do I like?")
        _chat(services, saver, "bob", "t-bob", f"I live in {OTHER}ville")
        services.store.write([MemoryRecord(namespace="alice", tier="long", text=f"alice's badge {SECRET}")])
        adapter = services.registry.save("alice", _adapter_files, passed=True, fact_digests=["d1"])
        services.registry.promote("alice", adapter.version)
        TraceWriter.shared().flush()
        assert files_containing(folder, SECRET.encode())  # the scan sees it
        bob_rows = services.store.count("bob")

        report = services.erase_user("alice")

        assert report.rows >= 4 and report.versions_cleaned
        assert report.trace_events > 0 and report.checkpoint_threads == 2
        assert report.adapters_purged == [adapter.version] and report.retrain_job
        assert files_containing(folder, SECRET.encode()) == []  # data, indexes, versions, WAL frames
        assert files_containing(folder, OTHER.encode())
        assert services.store.count("alice") == 0 and services.store.count("bob") == bob_rows
        assert services.registry.active("alice") is None
        graph = build_graph(services=services, checkpointer=saver)
        assert graph.get_state({"configurable": {"thread_id": "t-alice"}}).values == {}
        bob_state = graph.get_state({"configurable": {"thread_id": "t-bob"}}).values
        assert OTHER in bob_state["messages"][0].content
        traces = TraceStore(folder / "traces")
        assert {t.user_id for t in traces.threads()} == {"bob"}
        _chat(services, saver, "alice", "t-alice", "Hello again")  # she starts over on the same thread
        assert services.store.count("alice") >= 1
    job = services.queue.get(report.retrain_job)
    assert job.namespace == "alice" and "forget" in job.reasons


def test_erasing_an_unknown_user_removes_nothing(services: Services) -> None:
    services.store.write([MemoryRecord(namespace="bob", tier="mid", text=f"bob's code {OTHER}")])
    report = services.erase_user("nobody")
    assert (report.rows, report.trace_events, report.checkpoint_threads, report.adapters_purged) == (0, 0, 0, [])
    assert services.store.count("bob") == 1


def test_erasing_a_malformed_user_id_is_refused_before_anything_goes(services: Services) -> None:
    services.store.write([MemoryRecord(namespace="bob", tier="mid", text="bob likes tea")])
    with pytest.raises(InvalidNamespaceError):
        services.erase_user("bob' OR namespace != '")
    assert services.store.count("bob") == 1


def test_erasing_checkpoints_without_a_database_changes_nothing(tmp_path: Path) -> None:
    assert erase_checkpoints(tmp_path / "missing.sqlite", "alice") == 0
    assert not (tmp_path / "missing.sqlite").exists()


def test_the_cli_asks_for_yes_then_erases(services: Services) -> None:
    services.store.write([MemoryRecord(namespace="alice", tier="mid", text=f"my code {SECRET}")])
    data_dir = str(services.config.data_dir)
    runner = CliRunner()
    refused = runner.invoke(app, ["memories", "erase", "--user", "alice", "--data-dir", data_dir])
    assert refused.exit_code == 2 and "--yes" in refused.output
    assert services.store.count("alice") == 1  # nothing went
    done = runner.invoke(app, ["memories", "erase", "--user", "alice", "--yes", "--json", "--data-dir", data_dir])
    assert done.exit_code == 0, done.output
    payload = json.loads(done.stdout)
    assert payload["namespace"] == "alice" and payload["rows"] == 1 and payload["tables"] == {"facts": 1}
    assert services.store.count("alice") == 0
