"""``tiermem memories import|export`` and ``tiermem maintain``, run as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.records import Fact, MemoryRecord
from tiermem.memory.store import TierStore

TIERMEM = str(Path(sys.executable).with_name("tiermem"))


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1"}
    return subprocess.run([TIERMEM, *args], capture_output=True, text=True, timeout=600, env=env)


def seed(data_dir: Path, embedder: BaseEmbedder) -> list[MemoryRecord]:
    records = [
        MemoryRecord(namespace="alice", tier="short", text="I'm at the gym right now"),
        MemoryRecord(namespace="alice", tier="mid", text="今天称重45kg", kind="fact",
                     fact=Fact(attribute="weight", value="45 kg")),
        MemoryRecord(namespace="bob", tier="long", text="I'm allergic to peanuts", kind="fact",
                     fact=Fact(attribute="allergy", value="peanuts")),
    ]  # fmt: skip
    TierStore.open(data_dir, embedder).write(records)
    return records


@pytest.mark.slow  # six processes, each loading the embedder
def test_export_then_import_round_trip_through_the_cli(tmp_path: Path, embedder: BaseEmbedder) -> None:
    records = seed(tmp_path / "a", embedder)
    for name, flags, embedded in (("m.jsonl", [], 3), ("m.parquet", ["--vectors"], 0)):
        out = cli("memories", "export", str(tmp_path / name), "--data-dir", str(tmp_path / "a"), "--json", *flags)
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout)["rows"] == 3
        target = tmp_path / f"copy-{name}"
        out = cli("memories", "import", str(tmp_path / name), "--data-dir", str(target), "--json")
        assert out.returncode == 0, out.stderr
        report = json.loads(out.stdout)
        assert (report["imported"], report["embedded"]) == (3, embedded)
        listed = json.loads(cli("memories", "list", "--user", "alice", "--data-dir", str(target), "--json").stdout)
        assert {m["id"] for m in listed["memories"]} == {r.id for r in records if r.namespace == "alice"}
    out = cli("memories", "export", str(tmp_path / "bob.jsonl"), "--user", "bob", "--data-dir", str(tmp_path / "a"))
    assert out.returncode == 0 and "exported 1 memories" in out.stdout


def test_import_of_an_invalid_file_exits_2_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"namespace": "alice", "tier": "short", "text": "ok"}\n{"namespace": "alice", "tier": "soon"}\n')
    out = cli("memories", "import", str(path), "--data-dir", str(tmp_path / "d"))
    assert out.returncode == 2
    assert "bad.jsonl line 2" in out.stderr and "nothing was imported" in out.stderr
    listed = json.loads(cli("memories", "list", "--user", "alice", "--data-dir", str(tmp_path / "d"), "--json").stdout)
    assert listed["memories"] == []


def test_import_without_a_terminal_logs_its_progress(tmp_path: Path) -> None:
    path = tmp_path / "notes.jsonl"
    path.write_text("".join(f'{{"namespace": "alice", "tier": "mid", "text": "note {i}"}}\n' for i in range(30)))
    out = cli("memories", "import", str(path), "--batch-size", "3", "--data-dir", str(tmp_path / "d"))
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line.split("progress ", 1)[1]) for line in out.stderr.splitlines() if "progress {" in line]
    assert [line["done"] for line in lines] == list(range(3, 31, 3))
    assert {line["task"] for line in lines} == {"import notes.jsonl"}
    quiet = subprocess.run(
        [TIERMEM, "memories", "import", str(path), "--data-dir", str(tmp_path / "e")],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1", "TIERMEM_LOG_LEVEL": "WARNING"},
    )
    assert quiet.returncode == 0 and "progress {" not in quiet.stderr


def test_maintain_reports_every_table(tmp_path: Path, embedder: BaseEmbedder) -> None:
    seed(tmp_path / "a", embedder)
    out = cli("maintain", "--data-dir", str(tmp_path / "a"), "--force", "--json")
    assert out.returncode == 0, out.stderr
    tables = {t["table"]: t for t in json.loads(out.stdout)["tables"]}
    assert set(tables) == {"short", "facts", "ledger"}
    assert all(t["optimized"] and t["rows"] == 1 for t in tables.values())
