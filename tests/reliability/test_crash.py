"""Crashes: ``kill -9`` during writes and during compaction; afterwards the data dir opens,
no acknowledged write is missing, nothing is duplicated, and the store keeps working.

The writer (``worker.py write``) prints an id only after ``TierStore.write`` returned, so
every printed id was acknowledged before the kill. Killing the training worker and an
adapter promotion is tested by the parametric tier's own suite (see docs/RELIABILITY.md).
"""

from __future__ import annotations

import signal
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from rel_helpers import start_worker
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.records import MemoryRecord
from tiermem.memory.store import TierStore

KILL_AFTER = (1, 17, 60)
"""Acknowledged writes before each kill (the first lands near table creation)."""


def acknowledged_then_kill(proc: subprocess.Popen[bytes], count: int, delay: float) -> list[str]:
    """Read ``count`` acknowledged ids, wait ``delay`` s, ``kill -9``, then read the rest."""
    assert proc.stdout is not None
    acked = []
    while len(acked) < count:
        line = proc.stdout.readline()
        assert line, proc.stderr.read().decode()[-2000:] if proc.stderr else "writer exited"
        acked.append(line.decode().strip())
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    return acked + out.decode().split()


def still_works(store: TierStore, embedder: BaseEmbedder) -> None:
    """A write, a search and a compaction succeed after the crash (no lock left behind)."""
    record = MemoryRecord(namespace="after", tier="mid", text="written after the crash")
    store.write([record])
    assert store.vector_search("after", embedder.encode_one(record.text), k=1)[0].record.id == record.id
    store.compact(keep_versions_for=timedelta(0))
    assert store.get("after", record.id).text == record.text
    store.delete_namespace("after")


@pytest.mark.slow
def test_kill_9_during_writes_loses_no_acknowledged_write(tmp_path: Path, embedder: BaseEmbedder) -> None:
    folder = str(tmp_path / "db")
    acked: list[str] = []
    for round_, count in enumerate(KILL_AFTER):
        proc = start_worker("write", folder, f"r{round_}", "100000", "4")
        acked += acknowledged_then_kill(proc, count, delay=0.013 * (round_ + 1))
        store = TierStore.open(folder, embedder)  # opens after every crash
        ids = [r.id for r in store.records("shared")]
        assert len(ids) == len(set(ids)), "a row was stored twice"
        missing = set(acked) - set(ids)
        assert not missing, f"acknowledged writes lost: {sorted(missing)[:5]}"
        assert all(i.split("-")[0] in {f"r{n}" for n in range(round_ + 1)} for i in ids)
    still_works(store, embedder)


@pytest.mark.slow
def test_kill_9_during_compaction_keeps_every_row(tmp_path: Path, embedder: BaseEmbedder) -> None:
    folder = tmp_path / "db"
    store = TierStore.open(folder, embedder)
    vectors = np.random.default_rng(0).standard_normal((300, embedder.dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    written = 0
    for delay in (0.05, 0.3, 1.0):
        for j in range(written, written + 100):  # 100 commits: small fragments, so compaction has work
            record = MemoryRecord(id=f"row-{j}", namespace="shared", tier="long", text=f"row {j}")
            store.write([record], vectors=vectors[j : j + 1])
        written += 100
        proc = start_worker("compact-forever", str(folder))
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.readline().strip() == b"compacting", proc.stderr.read().decode()[-2000:]
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        store = TierStore.open(folder, embedder)
        assert sorted(r.id for r in store.records("shared")) == sorted(f"row-{j}" for j in range(written))
        assert store.vector_search("shared", vectors[7], k=1)[0].record.id == "row-7"
    still_works(store, embedder)
