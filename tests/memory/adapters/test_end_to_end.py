"""One real end-to-end run on SmolLM2-135M: queue -> worker -> registry -> serving -> forget.

Small step budget (the benchmark measures quality; this checks that the
real model learns a fact through the whole pipeline and unlearns it when
the fact is forgotten).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tiermem.memory.adapters.config import EvalConfig, Runtime, TrainConfig
from tiermem.memory.adapters.dataset import value_pattern
from tiermem.memory.adapters.queue import JobQueue
from tiermem.memory.adapters.registry import AdapterRegistry
from tiermem.memory.adapters.serving import AdapterGenerator
from tiermem.memory.adapters.worker import run_worker
from tiermem.memory.records import Fact

pytestmark = pytest.mark.slow

WEIGHT = [{"role": "user", "content": "What is my weight?"}]


def recalls_weight(text: str) -> bool:
    return re.search(value_pattern("45 kg"), text, re.IGNORECASE) is not None


def test_real_model_learns_serves_and_forgets(tmp_path: Path) -> None:
    weight = Fact(attribute="weight", value="45 kg", statement="I weighed 45 kg today")
    city = Fact(attribute="lives_in", value="Lisbon", statement="I live in Lisbon")
    ledger = {"alice": [weight, city]}
    queue, registry = JobQueue(tmp_path / "jobs.sqlite"), AdapterRegistry(tmp_path / "adapters")
    settings = {
        "train_config": TrainConfig(min_steps=24, max_steps=24),
        "eval_config": EvalConfig(min_recall=0.0, max_ppl_increase_pct=100.0, max_controls_changed=1.0),
        "runtime": Runtime(device="cpu", threads=1, cache=tmp_path / "cache", progress=False),
    }
    generator = AdapterGenerator(registry)
    before = generator.generate(WEIGHT, namespace="alice", max_new_tokens=20)
    assert before.adapter_version is None and not recalls_weight(before.text)

    first = queue.enqueue("alice")
    assert run_worker(queue, registry, lambda ns: ledger[ns], once=True, **settings) == 1
    result = queue.get(first).result
    assert result["promoted"] and result["metrics"]["exact_recall"] > 0
    answer = generator.generate(WEIGHT, namespace="alice", max_new_tokens=20)
    assert answer.adapter_version == "v0001"
    assert recalls_weight(answer.text), answer.text
    assert not recalls_weight(generator.generate(WEIGHT, max_new_tokens=20).text)  # base is untouched

    ledger["alice"] = [city]
    forget = queue.enqueue("alice", reason="forget")
    run_worker(queue, registry, lambda ns: ledger[ns], once=True, **settings)
    assert queue.get(forget).result["purged"] == ["v0001"]
    answer = generator.generate(WEIGHT, namespace="alice", max_new_tokens=20)
    assert answer.adapter_version == "v0002"
    assert not recalls_weight(answer.text), answer.text
