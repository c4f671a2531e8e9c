"""A durable job queue for adapter training, on SQLite (WAL), safe across processes.

Jobs move ``queued -> running -> done | failed``. A worker *claims* a job
with a lease; it renews the lease while it trains (:meth:`JobQueue.heartbeat`).
If the worker dies, the lease expires and the next :meth:`JobQueue.claim`
puts the job back in the queue (up to ``max_attempts`` claims), so a
``kill -9`` never loses a job. Every claim runs in one ``BEGIN IMMEDIATE``
transaction, so two workers never claim the same job, and a namespace with
a running job is skipped, so no two workers train one namespace at once.
Enqueueing a namespace that already has a queued job returns that job
(consecutive jobs coalesce: one retrain covers them all).

Example:
    >>> queue = JobQueue(Path(".tiermem/jobs.sqlite"))
    >>> job_id = queue.enqueue("alice")          # returns at once
    >>> job = queue.claim("worker-1", lease_s=300)
    >>> queue.complete(job.id, "worker-1", {"version": "v0001"})
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, get_args

from ..errors import InvalidInputError, LeaseLostError, NotFoundError, QueueUnreadableError
from ..records import new_id, validate_namespace

JobState = Literal["queued", "running", "done", "failed"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    namespace TEXT NOT NULL,
    reasons TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    lease_owner TEXT,
    lease_expires REAL,
    error TEXT NOT NULL DEFAULT '',
    result TEXT
);
CREATE INDEX IF NOT EXISTS jobs_state ON jobs (state, created_at);
CREATE INDEX IF NOT EXISTS jobs_namespace ON jobs (namespace, state);
"""


@dataclass(frozen=True, slots=True, kw_only=True)
class Job:
    """One adapter-training job, as stored."""

    id: str
    namespace: str
    reasons: tuple[str, ...]
    """Why it was enqueued (``remember_long``, ``forget`` ...); coalesced jobs merge theirs."""
    state: JobState
    attempts: int
    """How many times a worker claimed it."""
    max_attempts: int
    created_at: datetime
    updated_at: datetime
    lease_owner: str | None
    lease_expires: datetime | None
    error: str
    result: dict[str, Any] | None


def _time(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def _job(row: sqlite3.Row) -> Job:
    return Job(
        id=row["id"],
        namespace=row["namespace"],
        reasons=tuple(r for r in row["reasons"].split(",") if r),
        state=row["state"],
        attempts=row["attempts"],
        max_attempts=row["max_attempts"],
        created_at=_time(row["created_at"]) or datetime.now(UTC),
        updated_at=_time(row["updated_at"]) or datetime.now(UTC),
        lease_owner=row["lease_owner"],
        lease_expires=_time(row["lease_expires"]),
        error=row["error"],
        result=json.loads(row["result"]) if row["result"] else None,
    )


class JobQueue:
    """Adapter jobs in one SQLite file.

    Args:
        path: the database file (created with its folder if missing).
        max_attempts: claims per job before a dead worker's job is marked failed.
        clock: seconds since the epoch (tests pass a fake clock).
    """

    def __init__(self, path: Path | str, *, max_attempts: int = 3, clock: Callable[[], float] = time.time) -> None:
        if max_attempts < 1:
            raise InvalidInputError(f"max_attempts must be at least 1, got {max_attempts}")
        self.path = Path(path)
        self.max_attempts = max_attempts
        self._clock = clock
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._readable(), closing(self._connect()) as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)

    @contextmanager
    def _readable(self) -> Iterator[None]:
        """Raise a damaged database file as :class:`QueueUnreadableError` (a busy one stays
        ``sqlite3.OperationalError``: it is waited for, not damaged)."""
        try:
            yield
        except sqlite3.OperationalError:
            raise
        except sqlite3.DatabaseError as exc:
            raise QueueUnreadableError(
                f"the adapter job queue {str(self.path)!r} is unreadable ({exc}); move it aside: a new one "
                "loses only the jobs' history (every job retrains a namespace's whole ledger)"
            ) from None

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA busy_timeout = 30000")
        return db

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken before reading so no two processes interleave."""
        with self._readable(), closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def enqueue(self, namespace: str, *, reason: str = "remember_long") -> str:
        """Queue a retrain of ``namespace``'s adapter; returns the job id at once.

        If the namespace already has a queued job, that job's id is returned
        and ``reason`` is added to its reasons.
        """
        namespace = validate_namespace(namespace)
        if not reason or "," in reason:
            raise InvalidInputError(f"job reason must be a non-empty word without commas, got {reason!r}")
        now = self._clock()
        with self._transaction() as db:
            row = db.execute(
                "SELECT id, reasons FROM jobs WHERE namespace = ? AND state = 'queued'", (namespace,)
            ).fetchone()
            if row is not None:
                reasons = sorted({*row["reasons"].split(","), reason})
                db.execute(
                    "UPDATE jobs SET reasons = ?, updated_at = ? WHERE id = ?", (",".join(reasons), now, row["id"])
                )
                return str(row["id"])
            job_id = new_id()
            db.execute(
                "INSERT INTO jobs (id, namespace, reasons, state, max_attempts, created_at, updated_at) "
                "VALUES (?, ?, ?, 'queued', ?, ?, ?)",
                (job_id, namespace, reason, self.max_attempts, now, now),
            )
            return job_id

    def claim(self, worker_id: str, lease_s: float) -> Job | None:
        """Take the oldest queued job whose namespace is not being trained, or ``None``.

        Expired leases are recovered first: their jobs are queued again (or
        failed after ``max_attempts`` claims, or when a newer queued job of
        the same namespace already covers them).
        """
        validate_lease(lease_s)
        now = self._clock()
        with self._transaction() as db:
            self._recover_expired(db, now)
            row = db.execute(
                "SELECT * FROM jobs WHERE state = 'queued' AND namespace NOT IN "
                "(SELECT namespace FROM jobs WHERE state = 'running') ORDER BY created_at, rowid LIMIT 1"
            ).fetchone()
            if row is None:
                return None
            db.execute(
                "UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_owner = ?, "
                "lease_expires = ?, updated_at = ? WHERE id = ?",
                (worker_id, now + lease_s, now, row["id"]),
            )
            return _job(db.execute("SELECT * FROM jobs WHERE id = ?", (row["id"],)).fetchone())

    def _recover_expired(self, db: sqlite3.Connection, now: float) -> None:
        expired = db.execute("SELECT * FROM jobs WHERE state = 'running' AND lease_expires < ?", (now,)).fetchall()
        for row in expired:
            lost = f"lease of worker {row['lease_owner']} expired (worker died or stalled)"
            newer = _newer_queued(db, row, now)
            if newer is not None:
                state, error = "failed", f"{lost}; superseded by queued job {newer}"
            elif row["attempts"] >= row["max_attempts"]:
                state, error = "failed", f"{lost} on all {row['attempts']} attempts; giving up"
            else:
                state, error = "queued", f"{lost}; retrying"
            db.execute(
                "UPDATE jobs SET state = ?, error = ?, lease_owner = NULL, lease_expires = NULL, "
                "updated_at = ? WHERE id = ?",
                (state, error, now, row["id"]),
            )

    def heartbeat(self, job_id: str, worker_id: str, lease_s: float) -> None:
        """Extend the lease of a running job.

        Raises:
            LeaseLostError: the job is not running under ``worker_id`` any more.
        """
        validate_lease(lease_s)
        now = self._clock()
        with self._transaction() as db:
            self._own(db, job_id, worker_id)
            db.execute("UPDATE jobs SET lease_expires = ?, updated_at = ? WHERE id = ?", (now + lease_s, now, job_id))

    def complete(self, job_id: str, worker_id: str, result: dict[str, Any] | None = None) -> Job:
        """Mark a job done with its ``result``.

        Raises:
            LeaseLostError: the lease expired and the job was recovered by another worker.
        """
        return self._finish(job_id, worker_id, "done", "", result)

    def release(self, job_id: str, worker_id: str) -> None:
        """Queue a job again at once, its attempt not counted: the worker was stopped (Ctrl-C),
        the job did not fail. Nothing happens if the worker no longer holds it."""
        now = self._clock()
        with self._transaction() as db:
            db.execute(
                "UPDATE jobs SET state = 'queued', attempts = MAX(attempts - 1, 0), lease_owner = NULL, "
                "lease_expires = NULL, updated_at = ? WHERE id = ? AND state = 'running' AND lease_owner = ?",
                (now, job_id, worker_id),
            )

    def fail(self, job_id: str, worker_id: str, error: str, *, retry: bool = False) -> Job:
        """Mark a job failed with ``error``; with ``retry`` it is queued again while attempts remain.

        Raises:
            LeaseLostError: the lease expired and the job was recovered by another worker.
        """
        now = self._clock()
        with self._transaction() as db:
            row = self._own(db, job_id, worker_id)
            newer = _newer_queued(db, row, now)
            state = "queued" if retry and row["attempts"] < row["max_attempts"] and newer is None else "failed"
            db.execute(
                "UPDATE jobs SET state = ?, error = ?, lease_owner = NULL, lease_expires = NULL, "
                "updated_at = ? WHERE id = ?",
                (state, error, now, job_id),
            )
            return _job(db.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone())

    def _finish(self, job_id: str, worker_id: str, state: JobState, error: str, result: dict[str, Any] | None) -> Job:
        now = self._clock()
        with self._transaction() as db:
            self._own(db, job_id, worker_id)
            db.execute(
                "UPDATE jobs SET state = ?, error = ?, result = ?, lease_owner = NULL, lease_expires = NULL, "
                "updated_at = ? WHERE id = ?",
                (state, error, json.dumps(result) if result is not None else None, now, job_id),
            )
            return _job(db.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone())

    def _own(self, db: sqlite3.Connection, job_id: str, worker_id: str) -> sqlite3.Row:
        row = db.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no adapter job with id {job_id!r}")
        # An expired lease still counts until claim() recovers the job for someone else.
        if row["state"] != "running" or row["lease_owner"] != worker_id:
            raise LeaseLostError(
                f"worker {worker_id} no longer holds job {job_id} (state {row['state']}, lease owner "
                f"{row['lease_owner']}); its result is discarded: the job is retried or was superseded"
            )
        return row

    def get(self, job_id: str) -> Job:
        """One job by id.

        Raises:
            NotFoundError: no job has this id.
        """
        with self._readable(), closing(self._connect()) as db:
            row = db.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no adapter job with id {job_id!r}; list jobs with JobQueue.list()")
        return _job(row)

    def list(self, namespace: str | None = None, state: JobState | None = None) -> list[Job]:
        """Jobs, oldest first, optionally of one namespace and/or state.

        Raises:
            InvalidInputError: ``state`` is none of :data:`JobState`'s, or ``namespace`` is invalid.
        """
        if state is not None and state not in get_args(JobState):
            raise InvalidInputError(f"unknown job state {state!r}; choose from {list(get_args(JobState))}")
        clauses, params = [], []
        if namespace is not None:
            clauses.append("namespace = ?")
            params.append(validate_namespace(namespace))
        if state is not None:
            clauses.append("state = ?")
            params.append(state)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        with self._readable(), closing(self._connect()) as db:
            rows = db.execute(f"SELECT * FROM jobs{where} ORDER BY created_at, rowid", params).fetchall()
        return [_job(row) for row in rows]


def _newer_queued(db: sqlite3.Connection, row: sqlite3.Row, now: float) -> str | None:
    """The id of the queued job of ``row``'s namespace, which covers ``row`` (a job that did not
    finish): ``row``'s reasons go with it, so a forget's purge is never dropped; ``None`` if none."""
    newer = db.execute(
        "SELECT id, reasons FROM jobs WHERE namespace = ? AND state = 'queued'", (row["namespace"],)
    ).fetchone()
    if newer is None:
        return None
    reasons = sorted({*newer["reasons"].split(","), *row["reasons"].split(",")} - {""})
    db.execute("UPDATE jobs SET reasons = ?, updated_at = ? WHERE id = ?", (",".join(reasons), now, newer["id"]))
    return str(newer["id"])


MAX_LEASE_S = 7 * 24 * 3600.0
"""The longest lease a job can be given: a week."""


def validate_lease(lease_s: float) -> float:
    """``lease_s`` if it is a number of seconds from 1 to :data:`MAX_LEASE_S`.

    Raises:
        InvalidInputError: it is not (negative, zero, NaN, infinite or longer).
    """
    if not (isinstance(lease_s, int | float) and 1.0 <= lease_s <= MAX_LEASE_S):
        raise InvalidInputError(f"lease of {lease_s!r} s: give seconds from 1 to {MAX_LEASE_S:.0f} (a week)")
    return float(lease_s)
