"""Concurrency: several processes on one data dir lose and duplicate nothing; two queue
workers run each job once; two processes putting into one LangGraph store lose and
duplicate no item.

Real processes (``worker.py``): two writers of 1,000 single-record writes each, a
reader and a compactor that drops every old version (what ``forget`` does) all run
at once on one directory. Every id a writer printed was acknowledged by
``TierStore.write``; afterwards the table holds exactly those ids, each once.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from rel_helpers import start_worker
from tiermem.memory.adapters.queue import JobQueue
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.lg_store import LanceDBStore
from tiermem.memory.records import MemoryRecord
from tiermem.memory.store import TierStore

WRITES = 1000


def stored_ids(store: TierStore, namespace: str) -> list[str]:
    return [r.id for r in store.records(namespace)]


@pytest.mark.slow
def test_two_writers_a_reader_and_a_compactor(tmp_path: Path, embedder: BaseEmbedder) -> None:
    folder, stop = str(tmp_path / "db"), str(tmp_path / "stop")
    start = time.perf_counter()
    writers = [start_worker("write", folder, name, str(WRITES)) for name in ("a", "b")]
    others = [start_worker(role, folder, stop) for role in ("read", "compact")]
    outputs = [w.communicate(timeout=900) for w in writers]
    seconds = time.perf_counter() - start
    Path(stop).touch()
    reader, compactor = (json.loads(p.communicate(timeout=300)[0].decode().strip().splitlines()[-1]) for p in others)
    for writer, (_, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, err.decode()[-2000:]
    acked = [line for out, _ in outputs for line in out.decode().split()]
    assert len(acked) == 2 * WRITES
    store = TierStore.open(folder, embedder)
    ids = stored_ids(store, "shared")
    assert len(ids) == len(set(ids)) == store.count() == 2 * WRITES  # nothing duplicated
    assert set(ids) == set(acked)  # nothing lost
    assert reader["errors"] == [] and compactor["errors"] == []
    assert reader["reads"] > 0 and compactor["compactions"] > 0
    print(
        f"\nconcurrency: {2 * WRITES} writes by 2 processes in {seconds:.0f} s, "
        f"{reader['reads']} concurrent reads, {compactor['compactions']} compactions, 0 lost, 0 duplicated"
    )


def test_threads_and_two_store_objects_in_one_process(tmp_path: Path, embedder: BaseEmbedder) -> None:
    """Two TierStore objects on one dir (separate handles, one lock file) and four threads."""
    stores = [TierStore.open(tmp_path / "db", embedder), TierStore.open(tmp_path / "db", embedder)]
    vector = embedder.encode(["a thread wrote this"])
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for i in range(25):
                record = MemoryRecord(id=f"t{worker}-{i}", namespace="shared", tier="short", text=f"w{worker} {i}")
                stores[worker % 2].write([record], vectors=vector)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for store in stores:  # each handle sees the other's writes (read consistency)
        assert sorted(stored_ids(store, "shared")) == sorted(f"t{w}-{i}" for w in range(4) for i in range(25))


def test_two_processes_put_into_one_langgraph_store(tmp_path: Path) -> None:
    folder = str(tmp_path / "lg")
    writers = [start_worker("store-put", folder, name, "150") for name in ("a", "b")]
    outputs = [w.communicate(timeout=600) for w in writers]
    for writer, (_, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, err.decode()[-2000:]
    acked = [line for out, _ in outputs for line in out.decode().split()]
    items = LanceDBStore(folder).search(("docs", "shared"), limit=1000)
    keys = [item.key for item in items]
    assert len(keys) == len(set(keys)) == len(acked) + 1  # each acked put once, plus the shared key
    assert set(keys) == {*acked, "common"}
    common = LanceDBStore(folder).get(("docs", "shared"), "common")
    assert common is not None and common.value["by"] in {"a", "b"}  # one of the last writes, whole


def test_two_queue_workers_run_each_job_once(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite"
    queue = JobQueue(path)
    jobs = {queue.enqueue(f"user{i}") for i in range(300)}
    assert len(jobs) == 300
    workers = [start_worker("queue", str(path), name, "2") for name in ("w1", "w2")]
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err.decode()[-2000:]
        results.append(json.loads(out.decode().strip().splitlines()[-1]))
    ran = [job for result in results for job in result["done"]]
    assert sorted(ran) == sorted(jobs)  # every job ran, none twice
    assert all(result["done"] for result in results)  # both workers took part
    assert {job.state for job in queue.list()} == {"done"}
