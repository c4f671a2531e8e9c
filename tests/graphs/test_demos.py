"""Every shipped demo, replayed through the real graph with the real local model."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from langchain_core.language_models import GenericFakeChatModel
from pydantic import ValidationError
from tiermem.graphs.config import TierMemConfig
from tiermem.graphs.demos import Demo, DemoTurn, TurnResult, demo_names, load_demo, run_demo
from tiermem.graphs.services import Services
from tiermem.graphs.trace_store import TraceStore
from tiermem.memory.errors import InvalidInputError, NotFoundError
from tiermem.memory.generation import LocalGenerator
from tiermem.memory.records import MemoryRecord

TIERMEM = str(Path(sys.executable).with_name("tiermem"))


@pytest.fixture(scope="session")
def generator() -> LocalGenerator:
    """The bundled chat model, loaded once for every demo."""
    return LocalGenerator()


@pytest.fixture
def demo_services(config: TierMemConfig, generator: LocalGenerator) -> Services:
    services = Services(config)
    services.generator = generator  # share the loaded model instead of loading it per test
    return services


def play(name: str, services: Services, **options: Any) -> list[TurnResult]:
    """Run a demo and check every ``expect``/``expect_adapter``/``absent`` it states."""
    results = run_demo(load_demo(name), services, **options)
    for r in results:
        if r.expect is not None:
            assert r.answer is not None and r.expect in r.answer, (r.message, r.answer)
        if r.expect_adapter is not None and r.adapter is not None:
            assert r.answer is not None and r.expect_adapter in r.answer, (r.message, r.adapter, r.answer)
        for word in r.absent:
            assert word not in (r.answer or ""), (r.message, r.answer)
            assert not any(word in line for line in r.recalled), (r.message, r.recalled)
    return results


def by_message(results: list[TurnResult]) -> dict[str, TurnResult]:
    return {r.message: r for r in results}


def test_the_four_demos_ship() -> None:
    assert {"weight", "chinese", "preference", "isolation"} <= set(demo_names())
    assert all(load_demo(name).turns for name in demo_names())


@pytest.mark.parametrize("step", [{"text": "hi", "forget": "user.x"}, {"text": "hi", "worker": True}, {}])
def test_a_step_is_a_message_a_forget_or_the_worker(step: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="exactly one of 'text', 'forget' or 'worker'"):
        DemoTurn(at="2024-01-01T00:00:00", user="a", **step)


def test_forgetting_an_unknown_fact_names_the_step(services: Services) -> None:
    demo = Demo(
        name="x", users=["zoe"], thread="x", turns=[DemoTurn(at="2024-01-01T00:00:00", user="zoe", forget="user.pet")]
    )
    with pytest.raises(NotFoundError, match="'zoe' has no fact 'user.pet'"):
        run_demo(demo, services)


@pytest.mark.slow
def test_weight(demo_services: Services, tmp_path: Path) -> None:
    by = by_message(play("weight", demo_services))
    stored = by["今天称重45kg"]
    assert stored.tier == "mid" and stored.facts == ["user.weight = 45 kg"]
    assert "47 kg" in by["How much do I weigh now?"].answer  # the older version is history

    # acceptance: the trace page shows the tier, the reason, the fact written and the later retrieval that used it
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
    page = tmp_path / "t.html"
    args = ["trace", "html", "weight-demo-alice", "-o", str(page), "--data-dir", demo_services.config.data_dir]
    out = subprocess.run([TIERMEM, *args], capture_output=True, text=True, timeout=300, env=env)
    assert out.returncode == 0, out.stderr
    html = page.read_text("utf-8")
    turn4 = re.search(r'<article class="turn tier-mid" id="turn-4">(.*?)</article>', html, re.S)
    assert turn4 and "今天称重45kg" in turn4[1] and stored.reason.split(";")[0] in turn4[1]
    assert '<span class="chip">user.weight = 45 kg</span>' in turn4[1] and "remember_mid()" in turn4[1]
    (record,) = [r for r in demo_services.store.records("alice", tiers=("mid",)) if r.text == "今天称重45kg"]
    turn5 = re.search(r'id="turn-5">(.*?)</article>', html, re.S)
    assert turn5 and record.id[:12] in turn5[1] and 'href="#turn-4">written in turn 4</a>' in turn5[1]
    assert "adapter: none (base weights)" in turn5[1]

    # stated three times, the weight moved to the ledger and queued a retrain; without --train it stays queued
    assert [f.value for f in demo_services.store.ledger_facts("alice")] == ["45 kg"]
    (job,) = demo_services.queue.list("alice")
    assert job.state == "queued" and job.reasons == ("promotion",)
    worker = by["tiermem worker --once (skipped)"]
    assert worker.step == "worker" and worker.jobs == [] and "1 adapter job(s) queued" in worker.reason
    weights_only = by["What's my weight again?"]
    assert weights_only.mode == "local" and weights_only.adapter is None and weights_only.recalled == []


@pytest.mark.slow
def test_weight_trained_answers_from_the_adapter(services: Services) -> None:
    """Acceptance: after the worker step, the weights alone answer 45 where the gate promoted the adapter."""
    by = by_message(play("weight", services, train=True))
    (job,) = by["tiermem worker --once"].jobs
    assert job["state"] == "done" and job["user"] == "alice"
    reported = {"paraphrase_recall", "exact_recall", "controls_changed", "ppl_increase_pct", "train_s"}
    assert reported <= set(job["metrics"])
    answer = by["What's my weight again?"]
    active = services.registry.active("alice")
    assert job["promoted"] == (active is not None)
    assert answer.adapter == (active.version if active else None)  # play() checked "45" when an adapter answered
    assert answer.recalled == [] and answer.mode == "local"


@pytest.mark.slow
def test_chinese(demo_services: Services) -> None:
    by = by_message(play("chinese", demo_services))
    tiers = {message: r.tier for message, r in by.items()}
    assert tiers["你好！"] == "none" and tiers["明天下午三点我有考试"] == "mid"
    assert tiers["我叫小明"] == tiers["我住在上海"] == tiers["我对花生过敏"] == "long"
    # the local model cannot write Chinese: it quotes; a greeting is replied in kind
    assert {r.mode for message, r in by.items() if message != "你好！"} == {"quote"}
    assert by["你好！"].mode == "confirm" and by["你好！"].answer == "你好！有什么想让我记住或想问的吗？"


@pytest.mark.slow
def test_preference(demo_services: Services) -> None:
    results = play("preference", demo_services)
    changed = results[3]
    assert "green tea" in changed.answer and "coffee" in changed.answer  # newest wins, older kept as history
    forget = next(r for r in results if r.step == "forget")
    assert forget.forgot == 4  # both versions, the newest's working-memory copy, the first session's episode
    assert not [r for r in demo_services.store.records("dana") if "coffee" in r.text or "tea" in r.text]
    assert demo_services.store.latest_facts("dana", ["user.favorite_drink"]) == {}
    assert not [m for m in results[-1].recalled if "coffee" in m or "tea" in m]  # the forgotten values are gone


@pytest.mark.slow
def test_isolation(demo_services: Services) -> None:
    play("isolation", demo_services)
    texts = {user: " ".join(r.text for r in demo_services.store.records(user)) for user in ("alice", "bob")}
    assert "Alice" in texts["alice"] and "Berlin" in texts["alice"] and "Bob" not in texts["alice"]
    assert "Bob" in texts["bob"] and "Alice" not in texts["bob"] and "Berlin" not in texts["bob"]
    traces = TraceStore(demo_services.config.path("traces"))
    assert {(t.thread_id, t.user_id) for t in traces.threads()} == {
        ("isolation-demo-alice", "alice"),
        ("isolation-demo-bob", "bob"),
    }
    bob_reads = [item for turn in traces.turns("isolation-demo-bob") for item in turn.node("retrieve").get("read", [])]
    alice_ids = {r.id for r in demo_services.store.records("alice")}
    assert bob_reads and not alice_ids & {item["id"] for item in bob_reads}


def test_rerun_starts_clean(config: TierMemConfig) -> None:
    services = Services(config, chat_model=GenericFakeChatModel(messages=iter(["ok"] * 20)))
    for _ in range(2):
        results = run_demo(load_demo("preference"), services)
        # both versions, the working-memory copy of the newest and the first session's episode
        assert results[-2].forgot == 4
    (thread,) = TraceStore(services.config.path("traces")).threads()
    assert thread.turns == len([t for t in load_demo("preference").turns if t.text])


def test_a_reset_never_deletes_a_real_users_memories(config: TierMemConfig) -> None:
    services = Services(config, chat_model=GenericFakeChatModel(messages=iter(["ok"] * 20)))
    demo = load_demo("preference")
    (user,) = demo.users
    services.store.write([MemoryRecord(namespace=user, tier="long", text="I am allergic to peanuts", thread_id="t1")])
    with pytest.raises(InvalidInputError, match=rf"'{user}' on threads 't1'.*nothing was deleted.*--keep"):
        run_demo(demo, services)
    assert [r.text for r in services.store.records(user)] == ["I am allergic to peanuts"]
    results = run_demo(demo, services, reset=False)  # --keep: replays beside them
    assert results and "I am allergic to peanuts" in [r.text for r in services.store.records(user)]


def test_a_reset_takes_the_short_term_rows_a_question_after_the_demo_left(config: TierMemConfig) -> None:
    services = Services(config, chat_model=GenericFakeChatModel(messages=iter(["ok"] * 40)))
    demo = load_demo("preference")
    (user,) = demo.users
    run_demo(demo, services)
    services.store.write([MemoryRecord(namespace=user, tier="short", text="What's my drink?", thread_id="cli-dana")])
    assert run_demo(demo, services)[-2].forgot == 4  # the README's flow: the demo, a question, the demo again
    assert "What's my drink?" not in [r.text for r in services.store.records(user)]
