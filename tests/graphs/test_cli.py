"""The console script, run as a user would (real subprocesses)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

TIERMEM = str(Path(sys.executable).with_name("tiermem"))
ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1"}
    return subprocess.run([TIERMEM, *args], capture_output=True, text=True, timeout=900, cwd=cwd, env=env)


def test_top_level_agents_is_not_installed() -> None:
    out = subprocess.run([sys.executable, "-c", "import agents"], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode != 0
    ok = subprocess.run([sys.executable, "-c", "import tiermem.graphs, tiermem.agents, tiermem.memory"], cwd=ROOT)
    assert ok.returncode == 0


@pytest.mark.slow
def test_demo_weight_json(tmp_path: Path) -> None:
    out = cli("demo", "weight", "--json", "--data-dir", str(tmp_path / "d"))
    assert out.returncode == 0, out.stderr[-2000:]
    payload = json.loads(out.stdout)
    turns = [t for t in payload["turns"] if t["step"] == "message"]
    assert all({"message", "tier", "reason"} <= set(t) for t in turns)
    [worker] = [t for t in payload["turns"] if t["step"] == "worker"]
    assert "skipped" in worker["message"] and "queued" in worker["reason"]  # training needs --train
    by_message = {t["message"]: t for t in turns}
    assert by_message["今天称重45kg"]["tier"] == "mid"
    assert "45" in by_message["How much do I weigh now?"]["answer"]
    assert "45" in by_message["我现在体重多少？"]["answer"]
    listed = json.loads(cli("memories", "list", "--user", "alice", "--json", "--data-dir", str(tmp_path / "d")).stdout)
    assert {m["fact"]["value"] for m in listed["memories"] if m["fact"]} == {"47 kg", "45 kg"}


@pytest.mark.parametrize("user", ["a'b", "x OR 1=1", ""])
def test_bad_user_exits_2_with_the_rule(tmp_path: Path, user: str) -> None:
    out = cli("memories", "list", "--user", user, "--data-dir", str(tmp_path))
    assert out.returncode == 2
    assert "invalid namespace" in out.stderr


def test_unknown_memory_id_exits_nonzero(tmp_path: Path) -> None:
    out = cli("memories", "show", "nope", "--user", "alice", "--data-dir", str(tmp_path))
    assert out.returncode == 2 and "no memory with id 'nope'" in out.stderr


def test_unknown_demo_lists_the_choices(tmp_path: Path) -> None:
    out = cli("demo", "nope", "--data-dir", str(tmp_path))
    assert out.returncode == 2 and "available: " in out.stderr and "weight" in out.stderr


def test_the_worker_says_what_a_forget_that_emptied_the_ledger_did(capsys: pytest.CaptureFixture[str]) -> None:
    from tiermem.graphs.cli_adapters import print_jobs

    job = {
        "job": "661e1131a16e0000",
        "user": "alice",
        "state": "done",
        "error": "",
        "version": None,
        "promoted": False,
        "reasons": ["ledger is empty"],
        "purged": ["v0001"],
        "metrics": {},
    }
    print_jobs([job])
    said = capsys.readouterr().out
    assert "no adapter trained, the base model serves ledger is empty; purged v0001" in said
    assert "None" not in said


def test_sigterm_stops_the_worker_as_ctrl_c_does(tmp_path: Path) -> None:
    """systemd and ``docker stop`` send SIGTERM: the worker hands its job back and exits cleanly."""
    import signal
    import time

    env = {**os.environ, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1", "TIERMEM_DATA_DIR": str(tmp_path / "d")}
    worker = subprocess.Popen([TIERMEM, "worker", "--poll", "0.2"], env=env, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not (tmp_path / "d" / "jobs.sqlite").exists() and time.monotonic() < deadline:  # polling its queue
        time.sleep(0.2)
    worker.send_signal(signal.SIGTERM)
    _, stderr = worker.communicate(timeout=60)
    assert worker.returncode == 0 and "Traceback" not in stderr, stderr
    assert "worker stopped by SIGTERM" in stderr
