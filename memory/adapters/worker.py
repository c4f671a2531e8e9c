"""The adapter worker: claim a job, train from the ledger, evaluate, promote or keep.

One job = one namespace's full current ledger, trained from the base model
(:func:`~.trainer.train_adapter`), or with ``TrainConfig.incremental`` by
continuing the active adapter when the ledger only gained facts (a
continuation the gate rejects is trained again from the base model in the
same job), judged by the evaluation gate
(:func:`~.evaluate.evaluate_adapter`), saved as a new registry version
either way, and promoted only if it passed. A job enqueued by ``forget``
also deletes, before it trains, every stored version trained on a fact
that is no longer in the ledger (and any version or half-written save that
cannot be checked): the namespace falls back to the base model until the
new adapter passes the gate, so a forgotten fact is neither served while
the job runs, nor after it fails, nor reachable by rollback.

Example:
    >>> run_worker(JobQueue(path), AdapterRegistry(root), store.ledger_facts, once=True)
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from typing import Any

from ..errors import AdapterCorruptError, InvalidInputError, LeaseLostError, NotFoundError
from ..records import Fact
from .config import ADAPTER_SHAPE, EvalConfig, Runtime, TrainConfig
from .dataset import fact_digest, latest_facts
from .device import resolve_device
from .evaluate import EvalReport, evaluate_adapter
from .plan import planned_steps
from .queue import Job, JobQueue, validate_lease
from .registry import AdapterRegistry
from .row_cache import DEFAULT_MAX_BYTES, RowCache
from .trainer import Continuation, StepCallback, TrainedAdapter, train_adapter

log = logging.getLogger(__name__)

LedgerSource = Callable[[str], list[Fact]]
"""A namespace's long-term facts (``TierStore.ledger_facts``)."""


def default_worker_id() -> str:
    """``host:pid:random``, unique per worker process."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class _LeaseKeeper:
    """Renews a job's lease every third of its length from a background thread while the job
    runs (loading the model, training and evaluating alike); as a training step callback it
    stops the training of a job another worker has taken over."""

    def __init__(self, queue: JobQueue, job: Job, worker_id: str, lease_s: float) -> None:
        self.queue, self.job, self.worker_id, self.lease_s = queue, job, worker_id, lease_s
        self._done = threading.Event()
        self._lost: LeaseLostError | None = None
        self._thread = threading.Thread(target=self._renew, name=f"tiermem-lease-{job.id}", daemon=True)

    def __enter__(self) -> _LeaseKeeper:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._done.set()
        self._thread.join()

    def _renew(self) -> None:
        while not self._done.wait(self.lease_s / 3):
            try:
                self.queue.heartbeat(self.job.id, self.worker_id, self.lease_s)
            except LeaseLostError as exc:
                self._lost = exc
                return
            except Exception:  # the queue busy or briefly unreadable: try again at the next third
                log.warning("job %s: could not renew the lease", self.job.id, exc_info=True)

    def __call__(self, step: int, total: int, loss: float) -> None:
        if self._lost is not None:
            raise self._lost


def summary(trained: TrainedAdapter, report: EvalReport, generation: int = 0) -> dict[str, Any]:
    """The metrics stored in the adapter manifest and the job result (``generation``:
    continuations in a row since an adapter trained from the base model)."""
    return {
        "facts": len(trained.facts),
        "generation": generation,
        "examples": trained.examples,
        "steps": trained.steps,
        "final_loss": trained.losses[-1] if trained.losses else None,
        "exact_recall": report.exact_recall,
        "paraphrase_recall": report.paraphrase_recall,
        "controls_changed": report.controls_changed,
        "changed_controls": report.changed_controls,
        "ppl_base": report.ppl_base,
        "ppl_adapter": report.ppl_adapter,
        "ppl_increase_pct": report.ppl_increase_pct,
        "prepare_s": trained.prepare_s,
        "train_s": trained.train_s,
        "eval_s": report.eval_s,
        "device": trained.device,
        "precision": trained.precision,
    }


JOB_METRICS = (
    "paraphrase_recall",
    "exact_recall",
    "controls_changed",
    "ppl_increase_pct",
    "steps",
    "train_s",
    "generation",
)
"""The evaluation metrics :func:`job_summary` reports."""


def job_summary(job: Job) -> dict[str, Any]:
    """What a finished job did: its version, the gate's verdict and the main evaluation metrics."""
    outcome = job.result or {}
    metrics = outcome.get("metrics", {})
    return {
        "job": job.id,
        "user": job.namespace,
        "state": job.state,
        "error": job.error,
        "version": outcome.get("version"),
        "promoted": bool(outcome.get("promoted")),
        "reasons": list(outcome.get("reasons", [])),
        "purged": list(outcome.get("purged", [])),
        "metrics": {key: metrics[key] for key in JOB_METRICS if key in metrics},
    }


def _forgotten(registry: AdapterRegistry, namespace: str, current: set[str]) -> list[str]:
    """Versions trained on a fact version that is no longer in the ledger, and those whose
    manifest cannot be read (not known to be free of one)."""
    stale = [v.version for v in registry.versions(namespace) if not set(v.manifest.fact_digests) <= current]
    return stale + registry.unreadable(namespace)


def purge_forgotten(registry: AdapterRegistry, namespace: str, ledger: list[Fact]) -> list[str]:
    """Delete every adapter version of ``namespace`` that may hold a fact no longer in its
    ``ledger`` (the long-term facts as they are now); returns the versions.

    ``forget`` calls it at once, so a forgotten fact is not served while its retrain waits for a
    worker; a forget job calls it again before it trains (a job that started before the forget
    may have saved a version with the fact since), and clears the half-written saves too, which
    only the worker holding the namespace's job may (a save in progress is one)."""
    current = {fact_digest(f) for f in latest_facts(ledger)}
    return registry.purge(namespace, _forgotten(registry, namespace, current))


def continuation_for(
    registry: AdapterRegistry, namespace: str, facts: list[Fact], config: TrainConfig
) -> tuple[Continuation, int] | None:
    """The active adapter a job on ``facts`` (the current ledger) may continue, with the new
    adapter's generation, or ``None`` (train from the base model).

    A job continues only with ``config.incremental``, from an active version that passed
    the gate, was trained with the same :data:`~.config.ADAPTER_SHAPE`, holds only fact
    versions still in the ledger but not all of them, and has been continued fewer than
    ``config.max_continuations`` times in a row, and only when continuing takes at most
    ``config.continue_share`` of the steps of a job from the base model.
    """
    if not config.incremental:
        return None
    try:
        active = registry.active(namespace)
    except AdapterCorruptError as exc:
        log.warning("namespace %s: not continuing the active adapter: %s", namespace, exc)
        return None
    if active is None or not active.manifest.passed:
        return None
    known = frozenset(active.manifest.fact_digests)
    generation = int(active.manifest.metrics.get("generation", 0)) + 1
    wanted = config.model_dump(mode="json")
    same_shape = all(active.manifest.train_config.get(field) == wanted[field] for field in ADAPTER_SHAPE)
    if not (known < {fact_digest(f) for f in facts} and same_shape and generation <= config.max_continuations):
        return None
    if planned_steps(facts, config, known) > config.continue_share * planned_steps(facts, config):
        return None
    return Continuation(active.path, known), generation


def _train_and_judge(
    facts: list[Fact],
    continuation: Continuation | None,
    train_config: TrainConfig,
    eval_config: EvalConfig | None,
    runtime: Runtime | None,
    on_step: StepCallback,
    row_cache: RowCache | None,
) -> tuple[TrainedAdapter, EvalReport]:
    trained = train_adapter(
        facts, config=train_config, runtime=runtime, on_step=on_step, continue_from=continuation, row_cache=row_cache
    )
    report = evaluate_adapter(
        trained.model,
        trained.tokenizer,
        trained.facts,
        trained.reference,
        eval_config,
        languages=train_config.languages,
    )
    return trained, report


def process_job(
    job: Job,
    queue: JobQueue,
    registry: AdapterRegistry,
    ledger_source: LedgerSource,
    *,
    worker_id: str,
    lease_s: float,
    train_config: TrainConfig | None = None,
    eval_config: EvalConfig | None = None,
    runtime: Runtime | None = None,
    row_cache: RowCache | None = None,
) -> dict[str, Any]:
    """Train, evaluate and store one claimed job; returns the job result.

    ``row_cache`` holds the activations of fact rows from this worker's earlier jobs (see
    :mod:`~.row_cache`); a ``forget`` job clears it before it trains.

    Raises:
        EmptyLedgerError: the namespace has no long-term facts (and the job is no forget).
        LeaseLostError: another worker took the job over.
    """
    train_config = train_config or TrainConfig()
    facts = latest_facts(ledger_source(job.namespace))
    digests = {fact_digest(f) for f in facts}
    forgetting = "forget" in job.reasons
    if forgetting and row_cache is not None:
        row_cache.clear()
    # Gone before training: a job that fails must not leave the forgotten fact served.
    purged = purge_forgotten(registry, job.namespace, facts) if forgetting else []
    if forgetting and (left := registry.clear_staging(job.namespace)):
        log.info("namespace %s: removed %d half-written adapter folders", job.namespace, len(left))
    if not facts and forgetting:  # the forget emptied the ledger (its versions went when it was asked)
        return {"version": None, "promoted": False, "purged": purged, "reasons": ["ledger is empty"]}
    with _LeaseKeeper(queue, job, worker_id, lease_s) as keeper:
        plan = None if forgetting else continuation_for(registry, job.namespace, facts, train_config)
        continuation, generation = plan if plan is not None else (None, 0)
        trained, report = _train_and_judge(facts, continuation, train_config, eval_config, runtime, keeper, row_cache)
        rejected: list[str] = []
        if continuation is not None and not report.passed:
            rejected = report.reasons
            log.info(
                "job %s: the continued adapter failed the gate (%s); training from the base model", job.id, rejected
            )
            del trained
            trained, report = _train_and_judge(facts, None, train_config, eval_config, runtime, keeper, row_cache)
            generation = 0
        metrics = summary(trained, report, generation)
        if generation and continuation is not None:
            metrics["continued_from"] = continuation.folder.name
        if rejected:
            metrics["continuation_rejected"] = rejected
        version = registry.save(
            job.namespace,
            lambda folder: trained.model.save_pretrained(str(folder)),
            passed=report.passed,
            reasons=report.reasons,
            metrics=metrics,
            train_config=train_config.model_dump(mode="json"),
            fact_digests=sorted(digests),
            job_id=job.id,
        )
        queue.heartbeat(job.id, worker_id, lease_s)  # still ours? then promote
        if report.passed:
            registry.promote(job.namespace, version.version)
        if forgetting:  # none expected: the purge before training cleared them
            purged += purge_forgotten(registry, job.namespace, facts)
        log.info(
            "job %s namespace %s: %s %s (recall %.2f, ppl %+.2f%%)",
            job.id,
            job.namespace,
            version.version,
            "promoted" if report.passed else "kept previous: " + "; ".join(report.reasons),
            report.paraphrase_recall,
            report.ppl_increase_pct,
        )
        return {
            "version": version.version,
            "promoted": report.passed,
            "reasons": report.reasons,
            "purged": purged,
            "metrics": metrics,
        }


def run_worker(
    queue: JobQueue,
    registry: AdapterRegistry,
    ledger_source: LedgerSource,
    *,
    once: bool = False,
    worker_id: str | None = None,
    lease_s: float = 300.0,
    poll_s: float = 2.0,
    train_config: TrainConfig | None = None,
    eval_config: EvalConfig | None = None,
    runtime: Runtime | None = None,
    stop: threading.Event | None = None,
    row_cache_bytes: int = DEFAULT_MAX_BYTES,
    on_finished: Callable[[Job], object] | None = None,
) -> int:
    """Process adapter jobs; returns how many were finished (done or failed).

    Args:
        once: process the jobs that can be claimed now, then return;
            otherwise poll every ``poll_s`` seconds until ``stop`` is set.
        lease_s: job lease; renewed while training, so only a dead worker loses it.
        row_cache_bytes: memory for the fact rows' lower-layer activations kept between
            jobs (:class:`~.row_cache.RowCache`); 0 keeps none.
        on_finished: called with each job this worker finished, as stored then (other
            workers on the same queue finish theirs).

    Raises:
        ConfigError: ``runtime`` names a device this machine does not have (checked before
            any job is claimed, so no job fails for it).
        InvalidInputError: ``lease_s`` is not a number of seconds from 1 to a week.
    """
    validate_lease(lease_s)
    resolve_device(runtime or Runtime())
    worker_id = worker_id or default_worker_id()
    stop = stop or threading.Event()
    row_cache = RowCache(max_bytes=row_cache_bytes)
    finished = 0
    while not stop.is_set():
        job = queue.claim(worker_id, lease_s)
        if job is None:
            if once:
                break
            stop.wait(poll_s)
            continue
        log.info("worker %s claimed job %s (namespace %s, attempt %d)", worker_id, job.id, job.namespace, job.attempts)
        try:
            result = process_job(
                job,
                queue,
                registry,
                ledger_source,
                worker_id=worker_id,
                lease_s=lease_s,
                train_config=train_config,
                eval_config=eval_config,
                runtime=runtime,
                row_cache=row_cache,
            )
        except LeaseLostError as exc:
            log.warning("%s", exc)
            continue
        except KeyboardInterrupt:  # stopped, not failed: the next worker takes the job at once
            queue.release(job.id, worker_id)
            raise
        except (InvalidInputError, NotFoundError) as exc:
            stored = queue.fail(job.id, worker_id, f"namespace {job.namespace!r}: {type(exc).__name__}: {exc}")
        except Exception as exc:  # a bug or resource error: retry while attempts remain
            log.exception("job %s failed", job.id)
            stored = queue.fail(job.id, worker_id, f"{type(exc).__name__}: {exc}", retry=True)
            if stored.state == "queued":
                continue  # not finished: claimed again
        else:
            stored = queue.complete(job.id, worker_id, result)
        finished += 1
        if on_finished is not None:
            on_finished(stored)
    return finished
