"""The worker on the tiny model: jobs, bad input, gate, forget, kill -9, two workers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from tiermem.memory.adapters.config import EvalConfig, Runtime, TrainConfig
from tiermem.memory.adapters.dataset import fact_digest, fact_examples
from tiermem.memory.adapters.plan import planned_steps
from tiermem.memory.adapters.queue import JobQueue
from tiermem.memory.adapters.registry import AdapterRegistry
from tiermem.memory.adapters.worker import continuation_for, purge_forgotten, run_worker
from tiermem.memory.errors import NotFoundError
from tiermem.memory.records import Fact


@pytest.fixture
def queue(tmp_path: Path) -> JobQueue:
    return JobQueue(tmp_path / "jobs.sqlite", max_attempts=2)


@pytest.fixture
def registry(tmp_path: Path) -> AdapterRegistry:
    return AdapterRegistry(tmp_path / "adapters")


@pytest.fixture
def work(queue, registry, tiny_runtime, quick_train, lenient_gate) -> Callable[..., int]:
    """Run the worker once over the queue with a ledger dict and the tiny model."""

    def run(ledger: dict[str, list[Fact]] | Callable[[str], list[Fact]], gate: EvalConfig | None = None) -> int:
        source = ledger if callable(ledger) else (lambda ns: list(ledger.get(ns, [])))
        return run_worker(
            queue,
            registry,
            source,
            once=True,
            train_config=quick_train,
            eval_config=gate or lenient_gate,
            runtime=tiny_runtime,
        )

    return run


def test_job_trains_saves_and_promotes(queue, registry, work, weight_fact) -> None:
    job_id = queue.enqueue("alice")
    assert work({"alice": [weight_fact]}) == 1
    job = queue.get(job_id)
    assert job.state == "done" and job.result["version"] == "v0001" and job.result["promoted"]
    active = registry.active("alice")
    assert active.version == "v0001" and active.manifest.job_id == job_id
    assert active.manifest.fact_digests == [fact_digest(weight_fact)]
    assert active.manifest.metrics["facts"] == 1 and active.manifest.train_config["layers"] == 2
    assert {"exact_recall", "paraphrase_recall", "controls_changed", "ppl_increase_pct"} <= set(job.result["metrics"])


def test_empty_or_unknown_ledger_fails_the_job_with_the_reason(queue, registry, work) -> None:
    empty = queue.enqueue("alice")
    unknown = queue.enqueue("ghost")

    def source(namespace: str) -> list[Fact]:
        if namespace == "ghost":
            raise NotFoundError(f"no namespace {namespace!r}")
        return []

    assert work(source) == 2
    assert queue.get(empty).state == "failed" and queue.get(empty).attempts == 1
    assert "namespace 'alice'" in queue.get(empty).error and "ledger is empty" in queue.get(empty).error
    assert queue.get(unknown).state == "failed" and "no namespace 'ghost'" in queue.get(unknown).error
    assert registry.namespaces() == []


def test_unexpected_errors_are_retried_then_failed(queue, work) -> None:
    calls = []

    def flaky(namespace: str) -> list[Fact]:
        calls.append(namespace)
        raise OSError("ledger table is being compacted")

    job_id = queue.enqueue("alice")
    work(flaky)
    assert len(calls) == 2  # max_attempts
    assert queue.get(job_id).state == "failed" and "OSError" in queue.get(job_id).error


def test_rejected_adapter_keeps_the_previous_one(queue, registry, work, weight_fact, city_fact) -> None:
    queue.enqueue("alice")
    work({"alice": [weight_fact]})
    job_id = queue.enqueue("alice")
    work({"alice": [weight_fact, city_fact]}, gate=EvalConfig())  # the tiny model recalls nothing
    job = queue.get(job_id)
    assert job.state == "done" and not job.result["promoted"]
    assert any("paraphrase recall" in r for r in job.result["reasons"])
    assert registry.active("alice").version == "v0001"
    rejected = registry.get("alice", "v0002")
    assert not rejected.manifest.passed and rejected.manifest.reasons == job.result["reasons"]


@pytest.mark.parametrize("gate_passes", [True, False])
def test_forget_purges_every_version_trained_on_the_fact(
    queue, registry, work, weight_fact, city_fact, gate_passes: bool
) -> None:
    ledger = {"alice": [weight_fact, city_fact]}
    queue.enqueue("alice")
    work(ledger)
    ledger["alice"] = [city_fact]
    job_id = queue.enqueue("alice", reason="forget")
    work(ledger, gate=None if gate_passes else EvalConfig())
    assert queue.get(job_id).result["purged"] == ["v0001"]
    assert [v.version for v in registry.versions("alice")] == ["v0002"]
    assert registry.get("alice", "v0002").manifest.fact_digests == [fact_digest(city_fact)]
    assert registry.active_name("alice") == ("v0002" if gate_passes else None)
    assert registry.rollback("alice") is None  # nothing trained on the forgotten fact is reachable


def test_a_forget_job_that_fails_leaves_nothing_of_the_fact(queue, registry, work, weight_fact, city_fact) -> None:
    ledger = {"alice": [weight_fact, city_fact]}
    queue.enqueue("alice")
    work(ledger)
    staging = registry.root / "alice" / ".staging-killed"  # a save killed half-way
    staging.mkdir()
    (staging / "adapter_model.safetensors").write_bytes(b"weights")
    unreadable = registry.root / "alice" / "v0007"  # a version whose manifest cannot be read
    unreadable.mkdir()
    (unreadable / "manifest.json").write_text("{")
    calls = []

    def ledger_then_crash(namespace: str) -> list[Fact]:
        calls.append(namespace)
        if len(calls) > 1:
            raise OSError("disk full")
        return [city_fact]

    original = registry.save
    registry.save = lambda *a, **k: (_ for _ in ()).throw(OSError("disk full"))  # type: ignore[method-assign]
    try:
        job_id = queue.enqueue("alice", reason="forget")
        work(ledger_then_crash)
    finally:
        registry.save = original  # type: ignore[method-assign]
    assert queue.get(job_id).state == "failed"
    assert registry.active_name("alice") is None and registry.versions("alice") == []
    assert not staging.exists() and not unreadable.exists()


def test_forgetting_the_last_fact_clears_the_namespace(queue, registry, work, weight_fact) -> None:
    ledger = {"alice": [weight_fact]}
    queue.enqueue("alice")
    work(ledger)
    ledger["alice"] = []
    job_id = queue.enqueue("alice", reason="forget")
    work(ledger)
    assert queue.get(job_id).state == "done" and queue.get(job_id).result["purged"] == ["v0001"]
    assert registry.versions("alice") == [] and registry.active("alice") is None


def test_a_forget_job_after_forget_purged_the_last_version_is_done(queue, registry, work, weight_fact) -> None:
    """``forget`` deletes the versions trained on the fact when it is asked; the worker's job then
    finds an empty ledger and nothing to purge: done, the base model serves, not failed."""
    ledger = {"alice": [weight_fact]}
    queue.enqueue("alice")
    work(ledger)
    ledger["alice"] = []
    purge_forgotten(registry, "alice", [])  # what Services.forget does at once
    job_id = queue.enqueue("alice", reason="forget")
    work(ledger)
    job = queue.get(job_id)
    assert job.state == "done" and job.result["version"] is None and job.result["reasons"] == ["ledger is empty"]


@pytest.mark.slow
def test_two_workers_run_each_job_once(queue, registry, tiny_runtime, quick_train, lenient_gate, weight_fact):
    names = [f"user{i}" for i in range(4)]
    ids = [queue.enqueue(n) for n in names]
    calls: list[str] = []
    lock = threading.Lock()

    def source(namespace: str) -> list[Fact]:
        with lock:
            calls.append(namespace)
        return [weight_fact]

    def worker(worker_id: str) -> None:
        run_worker(
            queue,
            registry,
            source,
            once=True,
            worker_id=worker_id,
            train_config=quick_train,
            eval_config=lenient_gate,
            runtime=tiny_runtime,
        )

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert sorted(calls) == sorted(names)
    assert all(queue.get(i).state == "done" and queue.get(i).attempts == 1 for i in ids)
    assert all([v.version for v in registry.versions(n)] == ["v0001"] for n in names)


_WORKER = """
import json, logging, sys
from pathlib import Path
from tiermem.memory.adapters.config import EvalConfig, Runtime, TrainConfig
from tiermem.memory.adapters.queue import JobQueue
from tiermem.memory.adapters.registry import AdapterRegistry
from tiermem.memory.adapters.worker import run_worker
from tiermem.memory.records import Fact

logging.basicConfig(level=logging.INFO, stream=sys.stdout, format="%(message)s", force=True)
args = json.loads(sys.argv[1])
facts = [Fact.model_validate(f) for f in args["facts"]]
run_worker(
    JobQueue(Path(args["queue"])),
    AdapterRegistry(Path(args["registry"])),
    lambda namespace: facts,
    once=True,
    lease_s=5.0,
    train_config=TrainConfig(min_steps=100000, max_steps=100000, batch_size=4),
    eval_config=EvalConfig(),
    runtime=Runtime.model_validate(args["runtime"]),
)
"""


@pytest.mark.slow
def test_killed_worker_job_is_retried_and_active_adapter_intact(
    queue, registry, work, tiny_runtime: Runtime, weight_fact, tmp_path: Path
) -> None:
    queue.enqueue("alice")
    work({"alice": [weight_fact]})
    active = registry.active("alice")
    job_id = queue.enqueue("alice")
    args = {
        "queue": str(queue.path),
        "registry": str(registry.root),
        "facts": [weight_fact.model_dump(mode="json")],
        "runtime": tiny_runtime.model_dump(mode="json"),
    }
    env = {**os.environ, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-c", _WORKER, json.dumps(args)], stdout=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 240
    for line in proc.stdout:  # wait until it is really training
        if line.startswith("train step 40/") or time.monotonic() > deadline:
            break
    assert queue.get(job_id).state == "running" and queue.get(job_id).attempts == 1
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    assert registry.active("alice").version == active.version == "v0001"
    assert [v.version for v in registry.versions("alice")] == ["v0001"]
    while queue.get(job_id).lease_expires.timestamp() >= time.time():
        time.sleep(0.2)
    assert work({"alice": [weight_fact]}) == 1
    retried = queue.get(job_id)
    assert retried.state == "done" and retried.attempts == 2 and retried.result["version"] == "v0002"
    assert registry.active("alice").version == "v0002"


def test_worker_loop_stops_on_event(queue, registry, tiny_runtime) -> None:
    stop = threading.Event()
    thread = threading.Thread(
        target=run_worker, args=(queue, registry, lambda ns: []), kwargs={"stop": stop, "poll_s": 0.05}
    )
    thread.start()
    time.sleep(0.2)
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive()


def _saved_adapter(registry: AdapterRegistry, facts: list[Fact], config: TrainConfig, **metrics: object) -> str:
    def write(folder: Path) -> None:
        (folder / "adapter_config.json").write_text(json.dumps({"r": config.rank}))
        (folder / "adapter_model.safetensors").write_bytes(b"w")

    version = registry.save(
        "alice",
        write,
        passed=True,
        metrics=dict(metrics),
        train_config=config.model_dump(mode="json"),
        fact_digests=[fact_digest(f) for f in facts],
    )
    return registry.promote("alice", version.version).version


def test_continuation_only_when_the_ledger_only_gained_facts(registry, weight_fact, city_fact) -> None:
    incremental = TrainConfig(incremental=True, max_continuations=2, continue_share=1.0)
    both = [weight_fact, city_fact]
    assert continuation_for(registry, "alice", both, incremental) is None  # no adapter yet
    version = _saved_adapter(registry, [weight_fact], incremental)
    continuation, generation = continuation_for(registry, "alice", both, incremental)
    assert continuation.folder.name == version and continuation.known == {fact_digest(weight_fact)}
    assert generation == 1
    assert continuation_for(registry, "alice", both, TrainConfig()) is None  # incremental is opt-in
    assert continuation_for(registry, "alice", [weight_fact], incremental) is None  # nothing new
    heavier = Fact(attribute="weight", value="47 kg", statement="I weigh 47 kg now")
    assert continuation_for(registry, "alice", [heavier, city_fact], incremental) is None  # unlearn the old value
    other_rank = incremental.model_copy(update={"rank": 8})
    assert continuation_for(registry, "alice", both, other_rank) is None
    assert continuation_for(registry, "alice", both, incremental.model_copy(update={"lr": 1e-3})) is not None
    _saved_adapter(registry, [weight_fact], incremental, generation=2)
    assert continuation_for(registry, "alice", both, incremental) is None  # max_continuations reached


def test_continuation_only_where_it_saves_steps(registry) -> None:
    """A small ledger retrains from the base model: continuing would run ``min_steps`` anyway."""
    config = TrainConfig(incremental=True)
    facts = [
        Fact(attribute=f"thing_{i}", value=f"value {i}", statement=f"My thing {i} is value {i}") for i in range(20)
    ]
    _saved_adapter(registry, facts[:2], config)
    assert planned_steps(facts[:3], config, frozenset(fact_digest(f) for f in facts[:2])) == config.min_steps
    assert continuation_for(registry, "alice", facts[:3], config) is None
    _saved_adapter(registry, facts[:9], config)
    assert continuation_for(registry, "alice", facts[:10], config) is None  # 44 of 98 steps: more than 30 %
    _saved_adapter(registry, facts[:19], config)
    known = frozenset(fact_digest(f) for f in facts[:19])
    assert planned_steps(facts, config, known) <= config.continue_share * planned_steps(facts, config)
    continuation, _ = continuation_for(registry, "alice", facts, config)
    assert continuation.known == known


def test_incremental_jobs_continue_then_forget_trains_from_the_base_model(
    queue, registry, tiny_runtime, quick_train, lenient_gate, weight_fact, city_fact
) -> None:
    config = quick_train.model_copy(
        update={"incremental": True, "rehearsal": 1, "continue_share": 1.0, "new_share": 1.0}
    )
    ledger = {"alice": [weight_fact]}

    def work(gate: EvalConfig = lenient_gate) -> dict:
        job_id = queue.enqueue(
            "alice", reason="forget" if len(ledger["alice"]) == 1 and registry.versions("alice") else "remember"
        )
        run_worker(
            queue,
            registry,
            lambda ns: list(ledger[ns]),
            once=True,
            train_config=config,
            eval_config=gate,
            runtime=tiny_runtime,
        )
        return queue.get(job_id).result

    first = work()
    assert first["metrics"]["generation"] == 0
    ledger["alice"] = [weight_fact, city_fact]
    second = work()
    assert second["promoted"] and second["metrics"]["generation"] == 1
    assert registry.active("alice").manifest.metrics["continued_from"] == first["version"]
    assert second["metrics"]["examples"] < first["metrics"]["examples"] * 2  # the known fact was rehearsed
    ledger["alice"] = [city_fact]
    forgot = work()
    assert forgot["metrics"]["generation"] == 0 and "continued_from" not in registry.active("alice").manifest.metrics


def test_a_continuation_the_gate_rejects_is_trained_again_from_the_base_model(
    queue, registry, tiny_runtime, quick_train, lenient_gate, weight_fact, city_fact
) -> None:
    config = quick_train.model_copy(update={"incremental": True, "continue_share": 1.0})
    for facts, gate in (([weight_fact], lenient_gate), ([weight_fact, city_fact], EvalConfig())):
        job_id = queue.enqueue("alice")
        run_worker(
            queue, registry, lambda ns, facts=facts: list(facts), once=True, train_config=config, eval_config=gate,
            runtime=tiny_runtime,
        )  # fmt: skip
    metrics = queue.get(job_id).result["metrics"]
    assert metrics["generation"] == 0 and any("paraphrase recall" in r for r in metrics["continuation_rejected"])
    assert metrics["examples"] == len(fact_examples([weight_fact, city_fact]))  # every example of both facts
    assert [v.version for v in registry.versions("alice")] == ["v0001", "v0002"]  # one version per job


def test_the_lease_is_kept_while_the_job_runs_outside_training(queue: JobQueue) -> None:
    from tiermem.memory.adapters.worker import _LeaseKeeper

    queue.enqueue("alice")
    job = queue.claim("w1", lease_s=1.0)
    assert job is not None
    with _LeaseKeeper(queue, job, "w1", 1.0):
        time.sleep(1.6)  # loading the model or evaluating: no training steps
        assert queue.claim("w2", lease_s=1.0) is None
    assert queue.get(job.id).lease_owner == "w1"


def test_a_device_the_machine_lacks_fails_before_any_job(queue: JobQueue, registry: AdapterRegistry) -> None:
    import torch
    from tiermem.memory.errors import ConfigError

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    job_id = queue.enqueue("alice")
    with pytest.raises(ConfigError, match="CUDA"):
        run_worker(queue, registry, lambda ns: [], once=True, runtime=Runtime(device="cuda"))
    assert queue.get(job_id).state == "queued"


def test_a_stopped_worker_hands_its_job_back(queue: JobQueue, registry: AdapterRegistry) -> None:
    def interrupted(namespace: str) -> list[Fact]:
        raise KeyboardInterrupt  # Ctrl-C while the job runs

    job_id = queue.enqueue("alice")
    with pytest.raises(KeyboardInterrupt):
        run_worker(queue, registry, interrupted, once=True)
    job = queue.get(job_id)
    assert job.state == "queued" and job.attempts == 0 and job.lease_owner is None
