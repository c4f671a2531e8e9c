"""`langgraph dev` serves tiermem offline: one turn, its checkpoint and the store over HTTP.

The server runs as LangGraph Studio would use it, from the repo's
``langgraph.json``: our graph factory, LanceDBStore (with the tiers view) as
the store, AsyncSqliteSaver as the checkpointer. Offline switches: no
LANGSMITH_API_KEY, LANGGRAPH_CLI_NO_ANALYTICS=1, LANGGRAPH_NO_VERSION_CHECK=true.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tiermem.graphs.studio import make_graph

ROOT = Path(__file__).resolve().parents[2]
LANGGRAPH = Path(sys.executable).with_name("langgraph")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    if not LANGGRAPH.exists():
        pytest.skip("langgraph-cli is not installed: pip install -e '.[studio]'")
    port, data = _free_port(), tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LANGSMITH_", "LANGCHAIN_"))}
    env |= {
        "LANGGRAPH_CLI_NO_ANALYTICS": "1",
        "LANGGRAPH_NO_VERSION_CHECK": "true",
        "TIERMEM_DATA_DIR": str(data),
        "TIERMEM_MAX_NEW_TOKENS": "8",
    }
    log = (tmp_path / "server.log").open("w")
    command = [str(LANGGRAPH), "dev", "--config", str(ROOT / "langgraph.json"), "--no-browser", "--no-reload"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    # cwd: the server keeps its run queue in ./.langgraph_api
    proc = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if httpx.get(f"{url}/ok", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.5)
        else:
            pytest.fail(f"langgraph dev did not start:\n{(tmp_path / 'server.log').read_text()[-3000:]}")
        yield url, data
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


@pytest.mark.slow
def test_dev_server_runs_a_turn_and_serves_the_store(server: tuple[str, Path]) -> None:
    url, data = server
    with httpx.Client(base_url=url, timeout=300) as http:
        thread = http.post("/threads", json={}).raise_for_status().json()["thread_id"]
        run = {
            "assistant_id": "tiermem",
            "input": {"messages": [{"role": "user", "content": "今天称重45kg"}]},
            "config": {"configurable": {"user_id": "alice"}},
        }
        out = http.post(f"/threads/{thread}/runs/wait", json=run).raise_for_status().json()
        assert out["decision"]["tier"] == "mid", json.dumps(out, ensure_ascii=False)[:2000]
        assert out["messages"][-1]["type"] == "ai"

        state = http.get(f"/threads/{thread}/state").raise_for_status().json()
        assert state["values"]["messages"][0]["content"] == "今天称重45kg"
        assert (data / "checkpoints.sqlite").exists()

        item = {"namespace": ["notes", "alice"], "key": "diet", "value": {"text": "vegetarian"}}
        http.put("/store/items", json=item).raise_for_status()
        found = http.post("/store/items/search", json={"namespace_prefix": ["notes"]}).raise_for_status()
        assert [i["value"] for i in found.json()["items"]] == [{"text": "vegetarian"}]
        tiers = {"namespace_prefix": ["tiermem", "alice"], "query": "体重"}
        facts = http.post("/store/items/search", json=tiers).raise_for_status().json()["items"]
        assert any((i["value"].get("fact") or {}).get("value") == "45 kg" for i in facts), facts


def test_langgraph_json_points_at_the_studio_factories() -> None:
    spec = json.loads((ROOT / "langgraph.json").read_text())
    assert spec["graphs"] == {"tiermem": "tiermem.graphs.studio:make_graph"}
    assert spec["store"]["path"] == "tiermem.graphs.studio.make_store"
    assert spec["checkpointer"]["path"] == "tiermem.graphs.studio.make_checkpointer"


@pytest.mark.asyncio
async def test_graph_factory_compiles_without_checkpointer(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from tiermem.graphs import studio

    monkeypatch.setenv("TIERMEM_DATA_DIR", str(tmp_path / "data"))
    studio.studio_services.cache_clear()
    try:
        async with make_graph() as graph:
            assert graph.checkpointer is None and graph.store is None
            assert {"gate", "retrieve", "generate"} <= set(graph.get_graph().nodes)
    finally:
        studio.studio_services.cache_clear()
