"""Durable job queue: coalescing, leases, retries, one claim per job across processes."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from tiermem.memory.adapters.queue import JobQueue
from tiermem.memory.errors import InvalidInputError, InvalidNamespaceError, LeaseLostError, NotFoundError


class Clock:
    """A settable clock, so lease expiry needs no sleeping."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def queue(tmp_path: Path, clock: Clock) -> JobQueue:
    return JobQueue(tmp_path / "jobs.sqlite", max_attempts=2, clock=clock)


def test_enqueue_returns_at_once_and_coalesces_queued_jobs(queue: JobQueue) -> None:
    first = queue.enqueue("alice")
    assert queue.enqueue("alice", reason="forget") == first
    other = queue.enqueue("bob")
    assert other != first
    [alice, bob] = queue.list()
    assert (alice.id, alice.state, alice.reasons) == (first, "queued", ("forget", "remember_long"))
    assert (bob.namespace, bob.attempts) == ("bob", 0)


def test_a_running_job_does_not_absorb_new_ones(queue: JobQueue) -> None:
    assert queue.claim("w1", lease_s=60) is None
    first = queue.enqueue("alice")
    assert queue.claim("w1", lease_s=60).id == first
    second = queue.enqueue("alice", reason="forget")
    assert second != first  # the running job read the ledger before this change
    assert queue.claim("w2", lease_s=60) is None  # one namespace never trains twice at once
    queue.complete(first, "w1", {"version": "v0001"})
    assert queue.claim("w2", lease_s=60).id == second
    assert queue.get(first).result == {"version": "v0001"} and queue.get(first).state == "done"


def test_claims_are_oldest_first_across_namespaces(queue: JobQueue, clock: Clock) -> None:
    ids = []
    for name in ("carol", "alice", "bob"):
        ids.append(queue.enqueue(name))
        clock.now += 1
    assert [queue.claim(f"w{i}", 60).id for i in range(3)] == ids


def test_expired_lease_is_retried_then_given_up(queue: JobQueue, clock: Clock) -> None:
    job_id = queue.enqueue("alice")
    assert queue.claim("dead-1", lease_s=30).attempts == 1
    clock.now += 31
    retried = queue.claim("w2", lease_s=30)
    assert retried.id == job_id and retried.attempts == 2 and retried.lease_owner == "w2"
    with pytest.raises(LeaseLostError, match="no longer holds job"):
        queue.complete(job_id, "dead-1", {})
    clock.now += 31
    assert queue.claim("w3", lease_s=30) is None  # max_attempts=2 reached
    failed = queue.get(job_id)
    assert failed.state == "failed" and "expired" in failed.error and "giving up" in failed.error


def test_heartbeat_keeps_the_lease(queue: JobQueue, clock: Clock) -> None:
    job_id = queue.enqueue("alice")
    queue.claim("w1", lease_s=30)
    for _ in range(5):
        clock.now += 20
        queue.heartbeat(job_id, "w1", lease_s=30)
        assert queue.claim("w2", lease_s=30) is None
    assert queue.complete(job_id, "w1").state == "done"


def test_expired_job_superseded_by_a_newer_queued_job(queue: JobQueue, clock: Clock) -> None:
    old = queue.enqueue("alice")
    queue.claim("dead", lease_s=10)
    new = queue.enqueue("alice", reason="forget")
    clock.now += 11
    assert queue.claim("w2", lease_s=10).id == new
    assert queue.get(old).state == "failed" and f"superseded by queued job {new}" in queue.get(old).error


def test_a_superseded_forget_hands_its_purge_to_the_newer_job(queue: JobQueue, clock: Clock) -> None:
    forget = queue.enqueue("alice", reason="forget")
    assert queue.claim("w1", lease_s=10) is not None
    newer = queue.enqueue("alice", reason="remember_long")
    clock.now += 11  # the forget's worker died
    job = queue.claim("w2", lease_s=10)
    assert job is not None and job.id == newer and "forget" in job.reasons
    assert queue.get(forget).state == "failed"


def test_a_failed_forget_hands_its_purge_to_the_newer_job(queue: JobQueue) -> None:
    queue.enqueue("alice", reason="forget")
    job = queue.claim("w1", lease_s=10)
    assert job is not None
    newer = queue.enqueue("alice", reason="remember_long")
    queue.fail(job.id, "w1", "out of memory", retry=True)
    assert set(queue.get(newer).reasons) == {"forget", "remember_long"}


def test_fail_with_retry_requeues_while_attempts_remain(queue: JobQueue) -> None:
    job_id = queue.enqueue("alice")
    queue.claim("w1", 60)
    assert queue.fail(job_id, "w1", "RuntimeError: out of memory", retry=True).state == "queued"
    queue.claim("w1", 60)
    final = queue.fail(job_id, "w1", "RuntimeError: out of memory", retry=True)
    assert final.state == "failed" and final.error == "RuntimeError: out of memory"


def test_bad_input_is_rejected(queue: JobQueue, tmp_path: Path) -> None:
    with pytest.raises(InvalidNamespaceError):
        queue.enqueue("../etc")
    with pytest.raises(InvalidInputError, match="without commas"):
        queue.enqueue("alice", reason="a,b")
    with pytest.raises(NotFoundError, match="no adapter job"):
        queue.get("missing")
    with pytest.raises(InvalidInputError, match="max_attempts"):
        JobQueue(tmp_path / "other.sqlite", max_attempts=0)


def test_jobs_survive_reopening(tmp_path: Path) -> None:
    job_id = JobQueue(tmp_path / "q.sqlite").enqueue("alice")
    assert JobQueue(tmp_path / "q.sqlite").get(job_id).state == "queued"


def test_threads_claim_each_job_once(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    path = tmp_path / "q.sqlite"
    ids = {JobQueue(path).enqueue(f"user{i}") for i in range(30)}
    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(lambda w: _claim_all(str(path), w), [f"w{i}" for i in range(6)]))
    assert sorted(j for r in results for j in r) == sorted(ids)


def _claim_all(path: str, worker: str) -> list[str]:
    queue = JobQueue(Path(path))
    claimed = []
    while (job := queue.claim(worker, lease_s=600)) is not None:
        claimed.append(job.id)
        queue.complete(job.id, worker, {"by": worker})
    return claimed


def test_two_processes_claim_each_job_once(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite"
    queue = JobQueue(path)
    ids = {queue.enqueue(f"user{i}") for i in range(40)}
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        results = pool.starmap(_claim_all, [(str(path), "w1"), (str(path), "w2")])
    claimed = [job for r in results for job in r]
    assert sorted(claimed) == sorted(ids)
    assert all(j.state == "done" and j.attempts == 1 for j in queue.list())


@pytest.mark.parametrize("lease", [0.0, -5.0, float("nan"), float("inf"), 1e12])
def test_a_lease_must_be_seconds_from_one_to_a_week(queue: JobQueue, lease: float) -> None:
    job_id = queue.enqueue("alice")
    with pytest.raises(InvalidInputError, match="lease"):
        queue.claim("w1", lease)
    assert queue.get(job_id).state == "queued"
    job = queue.claim("w1", 60)
    assert job is not None
    with pytest.raises(InvalidInputError, match="lease"):
        queue.heartbeat(job.id, "w1", lease)


def test_a_damaged_queue_file_is_a_typed_error(tmp_path: Path) -> None:
    from tiermem.memory.errors import QueueUnreadableError

    path = tmp_path / "jobs.sqlite"
    JobQueue(path).enqueue("alice")
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(QueueUnreadableError, match="move it aside"):
        JobQueue(path)


def test_listing_an_unknown_state_is_refused(queue: JobQueue) -> None:
    with pytest.raises(InvalidInputError, match="unknown job state 'bogus'"):
        queue.list(state="bogus")  # type: ignore[arg-type]


def test_a_released_job_is_queued_again_its_attempt_not_counted(queue: JobQueue) -> None:
    job_id = queue.enqueue("alice")
    job = queue.claim("w1", 60)
    assert job is not None
    queue.release(job_id, "w1")
    again = queue.claim("w2", 60)
    assert again is not None and again.id == job_id and again.attempts == 1
