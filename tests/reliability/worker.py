"""Subprocess roles for the concurrency and crash tests (run as a script, not collected).

Usage: ``python worker.py ROLE DATA_DIR [ARGS...]``. Writers print each id only
after ``TierStore.write`` returned (an acknowledged write), one per line, flushed;
other roles print one JSON summary line at the end. Vectors are random unit
vectors, so the processes spend their time in the store, not the embedder.
"""

from __future__ import annotations

import json
import os
import sys
import time
import warnings
import zlib
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
warnings.simplefilter("ignore")  # compaction's "cleanup_older_than=0" warning is expected here

import numpy as np  # noqa: E402
from tiermem.memory.embeddings import get_embedder  # noqa: E402
from tiermem.memory.records import TIERS, MemoryRecord  # noqa: E402
from tiermem.memory.store import TierStore  # noqa: E402

NAMESPACE = "shared"


def open_store(folder: str) -> TierStore:
    return TierStore.open(folder, get_embedder("use"))


def unit_vectors(count: int, seed: int, dim: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((count, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def write(folder: str, name: str, count: str, batch: str = "1") -> None:
    """Write ``count`` records (``batch`` per call, tiers in turn); print each acknowledged id."""
    store, total, size = open_store(folder), int(count), int(batch)
    vectors = unit_vectors(total, zlib.crc32(name.encode()), store.embedder.dim)
    for start in range(0, total, size):
        records = [
            MemoryRecord(id=f"{name}-{i:06d}", namespace=NAMESPACE, tier=TIERS[i % 3], text=f"{name} says {i}")
            for i in range(start, min(start + size, total))
        ]
        store.write(records, vectors=vectors[start : start + len(records)])
        sys.stdout.write("".join(f"{r.id}\n" for r in records))
        sys.stdout.flush()


def read(folder: str, stop: str) -> None:
    """Count and search until the file ``stop`` exists; counts must never go down."""
    store, stop_file = open_store(folder), Path(stop)
    reads, last, errors = 0, 0, []
    probe = unit_vectors(1, 7, store.embedder.dim)[0]
    while not stop_file.exists():
        try:
            count = store.count(NAMESPACE)
            if count < last:
                errors.append(f"count went down from {last} to {count}")
            last = count
            store.vector_search(NAMESPACE, probe, k=5)
            store.text_search(NAMESPACE, "says", k=5)
            reads += 1
        except Exception as exc:  # noqa: BLE001 — report every failure to the test
            errors.append(f"{type(exc).__name__}: {exc}"[:300])
    print(json.dumps({"reads": reads, "last_count": last, "errors": errors}))


def compact(folder: str, stop: str) -> None:
    """Compact and drop every old version (what ``forget`` does) until the file ``stop`` exists."""
    store, stop_file = open_store(folder), Path(stop)
    runs, errors = 0, []
    while not stop_file.exists():
        try:
            store.compact(keep_versions_for=timedelta(0))
            runs += 1
        except Exception as exc:  # noqa: BLE001
            errors.append(f"{type(exc).__name__}: {exc}"[:300])
        time.sleep(0.2)
    print(json.dumps({"compactions": runs, "errors": errors}))


def compact_forever(folder: str) -> None:
    """Compact in a loop, announcing each start (the crash test kills it mid-way)."""
    store = open_store(folder)
    while True:
        print("compacting", flush=True)
        store.compact(keep_versions_for=timedelta(0))


def queue_worker(path: str, worker_id: str, workers: str = "1") -> None:
    """Claim and complete jobs until the queue is empty; print the ids this worker ran.

    The workers start claiming together (a start barrier of ready files beside the
    queue), so a worker that imports faster cannot drain the queue alone, and each
    job takes a moment of simulated work, as training would.
    """
    from tiermem.memory.adapters.queue import JobQueue

    queue, done = JobQueue(Path(path)), []
    barrier = Path(path).parent / "ready"
    barrier.mkdir(exist_ok=True)
    (barrier / worker_id).touch()
    deadline = time.monotonic() + 120
    while len(list(barrier.iterdir())) < int(workers) and time.monotonic() < deadline:
        time.sleep(0.01)
    while (job := queue.claim(worker_id, lease_s=60)) is not None:
        time.sleep(0.002)
        queue.complete(job.id, worker_id, {"worker": worker_id})
        done.append(job.id)
    print(json.dumps({"worker": worker_id, "done": done}))


def store_put(folder: str, name: str, count: str) -> None:
    """Put ``count`` LangGraph store items (and, every tenth, overwrite one shared key); print each acked key."""
    from tiermem.memory.lg_store import LanceDBStore

    store = LanceDBStore(folder)
    for i in range(int(count)):
        store.put(("docs", NAMESPACE), f"{name}-{i:04d}", {"text": f"{name} says {i}", "by": name})
        print(f"{name}-{i:04d}", flush=True)
        if i % 10 == 0:
            store.put(("docs", NAMESPACE), "common", {"by": name, "i": i})


ROLES = {
    "write": write,
    "store-put": store_put,
    "read": read,
    "compact": compact,
    "compact-forever": compact_forever,
    "queue": queue_worker,
}

if __name__ == "__main__":
    ROLES[sys.argv[1]](*sys.argv[2:])
