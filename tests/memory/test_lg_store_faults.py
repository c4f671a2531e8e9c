"""LanceDBStore under bad input and concurrent processes: a batch is whole or nothing, an item is
stored once."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from langgraph.store.base import PutOp
from tiermem.memory.errors import InvalidInputError
from tiermem.memory.lg_store import LanceDBStore


@pytest.mark.parametrize(
    "bad",
    [
        PutOp(("atom",), "other", {"t": "\udc80"}),
        PutOp(("atom",), "k\udc80", {"t": "x"}),
        PutOp(("atom", "l\udc80"), "k", {"t": "x"}),
    ],
)
def test_a_batch_refused_for_a_lone_surrogate_changes_nothing(tmp_path: Path, bad: PutOp) -> None:
    store = LanceDBStore(tmp_path / "db")
    store.put(("atom",), "keep", {"v": 1})
    with pytest.raises(InvalidInputError, match="lone surrogate"):
        store.batch([PutOp(("atom",), "keep", None), bad])  # the delete came first and was kept
    assert store.get(("atom",), "keep").value == {"v": 1}


WRITER = """
import sys, time
from langgraph.store.base import PutOp
from tiermem.memory.lg_store import LanceDBStore
store = LanceDBStore(sys.argv[1])
while time.time() < float(sys.argv[3]):  # start together
    time.sleep(0.001)
for round in range(8):
    store.batch([PutOp(("shared", f"r{round}"), f"k{i}", {"from": sys.argv[2], "i": i}) for i in range(5)])
"""


def test_two_processes_putting_the_same_keys_store_each_once(tmp_path: Path) -> None:
    LanceDBStore(tmp_path / "db")  # the tables exist before the race
    start = str(time.time() + 8)  # every writer has imported by then
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path / "db"), str(n), start]) for n in range(3)]
    assert all(w.wait(timeout=300) == 0 for w in writers)
    store = LanceDBStore(tmp_path / "db")
    ids = store.tables.items.to_arrow().column("id").to_pylist()
    assert len(ids) == len(set(ids)) == 40  # each new key once, whoever put it first
