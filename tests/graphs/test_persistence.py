"""Threads persist in SQLite: ``tiermem chat --thread`` resumes after a restart, history is inspectable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from langchain_core.language_models import GenericFakeChatModel
from langgraph.checkpoint.sqlite import SqliteSaver
from tiermem.graphs import build_graph
from tiermem.graphs.config import TierMemConfig
from tiermem.graphs.services import Services

TIERMEM = str(Path(sys.executable).with_name("tiermem"))


def chat(data_dir: Path, *lines: str) -> str:
    """One ``tiermem chat`` process (a fresh start), fed ``lines`` on stdin."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1", "COLUMNS": "200"}
    args = ["chat", "--user", "mei", "--thread", "diary", "--data-dir", str(data_dir)]
    out = subprocess.run(
        [TIERMEM, *args], input="\n".join(lines) + "\n", capture_output=True, text=True, timeout=600, env=env
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


@pytest.mark.slow
def test_chat_resumes_its_thread_after_a_restart(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = chat(data, "今天称重45kg")
    second = chat(data, "我现在体重多少？")
    assert "[mid]" in first
    assert "45 kg" in second  # the memory written by the first process

    config = {"configurable": {"thread_id": "diary"}}
    services = Services(TierMemConfig(data_dir=str(data)), chat_model=GenericFakeChatModel(messages=iter([])))
    with SqliteSaver.from_conn_string(str(data / "checkpoints.sqlite")) as saver:
        graph = build_graph(services=services, checkpointer=saver)
        state = graph.get_state(config)
        history = list(graph.get_state_history(config))

    # the second process continued the first one's thread: both turns are in one conversation
    messages = state.values["messages"]
    assert [m.type for m in messages] == ["human", "ai", "human", "ai"]
    assert [messages[0].content, messages[2].content] == ["今天称重45kg", "我现在体重多少？"]
    assert "45 kg" in messages[3].content
    assert len({e["run_id"] for e in state.values["trace"]}) == 1  # the state holds the last turn's events
    runs = {e["run_id"] for s in history for e in s.values.get("trace", []) if e["node"] == "ingest"}
    assert len(runs) == 2  # each turn's are in its checkpoints

    # every step of both runs is a checkpoint, newest first, each pointing at its parent
    steps = [snapshot.metadata["step"] for snapshot in history]
    assert steps == sorted(steps, reverse=True) and len(steps) >= 8
    assert history[0].config["configurable"]["checkpoint_id"] == state.config["configurable"]["checkpoint_id"]
    assert all(s.parent_config is not None for s in history[:-1]) and history[-1].parent_config is None
    after_first = [s for s in history if len(s.values.get("messages", [])) == 2]
    assert after_first and after_first[0].values["decision"]["tier"] == "mid"
    assert sum(1 for s in history if not s.next) == 2  # two finished runs


def test_chat_off_a_terminal_draws_no_progress_bars(tmp_path: Path) -> None:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1"}
    env.pop("HF_HUB_DISABLE_PROGRESS_BARS", None)
    args = ["chat", "--user", "mei", "--data-dir", str(tmp_path / "data")]
    out = subprocess.run([TIERMEM, *args], input="hello\n", capture_output=True, text=True, timeout=600, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "tiermem>" in out.stdout  # small talk: the local model loaded and answered
    assert "Loading weights" not in out.stderr and "it/s]" not in out.stderr
