"""Serving: per-namespace adapters on one base model, hot swap, fallback, corruption."""

from __future__ import annotations

from pathlib import Path

import pytest
from peft import PeftModel
from tiermem.memory.adapters.decoding import greedy_generate
from tiermem.memory.adapters.device import load_base
from tiermem.memory.adapters.registry import AdapterRegistry
from tiermem.memory.adapters.serving import AdapterGenerator
from tiermem.memory.adapters.trainer import train_adapter
from tiermem.memory.generation import LocalGenerator
from tiermem.memory.records import Fact

QUESTION = [{"role": "user", "content": "What is my weight?"}]


@pytest.fixture
def registry(tmp_path: Path) -> AdapterRegistry:
    return AdapterRegistry(tmp_path / "adapters")


@pytest.fixture
def publish(registry, tiny_runtime, quick_train):
    """Train a tiny adapter on ``facts`` and promote it; returns the version name."""

    def run(namespace: str, facts: list[Fact], seed: int = 0) -> str:
        config = quick_train.model_copy(update={"seed": seed})
        trained = train_adapter(facts, config=config, runtime=tiny_runtime)
        version = registry.save(namespace, trained.model.save_pretrained, passed=True)
        registry.promote(namespace, version.version)
        return version.version

    return run


def expected(tiny_runtime, path: Path | None, tokens: int = 8) -> str:
    """What a freshly loaded model (with the adapter at ``path``) answers."""
    model, tokenizer = load_base(tiny_runtime)
    if path is not None:
        model = PeftModel.from_pretrained(model, str(path))
    [(text, _)] = greedy_generate(model, tokenizer, [QUESTION], max_new_tokens=tokens)
    return text


def test_base_model_answers_without_adapter(registry, tiny_runtime) -> None:
    generator = AdapterGenerator(registry, tiny_runtime.checkpoint)
    answer = generator.generate(QUESTION, namespace="alice", max_new_tokens=8)
    assert answer.adapter_version is None
    assert answer == LocalGenerator(tiny_runtime.checkpoint).generate(QUESTION, max_new_tokens=8)
    assert answer.text == expected(tiny_runtime, None)


def test_promoted_versions_are_picked_up_without_restart(registry, publish, tiny_runtime, weight_fact) -> None:
    generator = AdapterGenerator(registry, tiny_runtime.checkpoint)
    assert generator.generate(QUESTION, namespace="alice").adapter_version is None
    first = publish("alice", [weight_fact])
    answer = generator.generate(QUESTION, namespace="alice", max_new_tokens=8)
    assert answer.adapter_version == first
    assert answer.text == expected(tiny_runtime, registry.get("alice", first).path)
    second = publish("alice", [weight_fact], seed=1)
    answer = generator.generate(QUESTION, namespace="alice", max_new_tokens=8)
    assert answer.adapter_version == second
    assert answer.text == expected(tiny_runtime, registry.get("alice", second).path)
    assert len(generator._peft.peft_config) == 1  # the superseded version was unloaded
    registry.rollback("alice")
    assert generator.generate(QUESTION, namespace="alice", max_new_tokens=8).adapter_version == first


def test_namespaces_get_their_own_adapter(registry, publish, tiny_runtime, weight_fact, city_fact) -> None:
    alice, bob = publish("alice", [weight_fact]), publish("bob", [city_fact], seed=3)
    generator = AdapterGenerator(registry, tiny_runtime.checkpoint)
    for _ in range(2):
        a = generator.generate(QUESTION, namespace="alice", max_new_tokens=8)
        b = generator.generate(QUESTION, namespace="bob", max_new_tokens=8)
        base = generator.generate(QUESTION, namespace="carol", max_new_tokens=8)
        assert (a.adapter_version, b.adapter_version, base.adapter_version) == (alice, bob, None)
        assert a.text == expected(tiny_runtime, registry.get("alice", alice).path)
        assert b.text == expected(tiny_runtime, registry.get("bob", bob).path)
        assert base.text == expected(tiny_runtime, None)
        assert len({a.text, b.text, base.text}) == 3  # the adapters really change the answer


def test_corrupt_new_version_keeps_the_served_one(registry, publish, tiny_runtime, weight_fact) -> None:
    generator = AdapterGenerator(registry, tiny_runtime.checkpoint)
    first = publish("alice", [weight_fact])
    assert generator.generate(QUESTION, namespace="alice").adapter_version == first
    second = publish("alice", [weight_fact], seed=1)
    weights = registry.root / "alice" / second / "adapter_model.safetensors"
    weights.write_bytes(weights.read_bytes()[:-10])  # truncated after promotion
    answer = generator.generate(QUESTION, namespace="alice", max_new_tokens=8)
    assert answer.adapter_version == first
    assert answer.text == expected(tiny_runtime, registry.get("alice", first).path)


def test_a_purged_version_is_never_served_again(registry, publish, tiny_runtime, weight_fact) -> None:
    generator = AdapterGenerator(registry, tiny_runtime.checkpoint)
    first = publish("alice", [weight_fact])
    assert generator.generate(QUESTION, namespace="alice", max_new_tokens=4).adapter_version == first
    second = publish("alice", [weight_fact], seed=1)
    (registry.root / "alice" / second / "adapter_config.json").write_text("{}")  # the new one is corrupt
    registry.purge("alice", [first])  # and the served one forgotten
    answer = generator.generate(QUESTION, namespace="alice", max_new_tokens=8)
    assert answer.adapter_version is None and answer.text == expected(tiny_runtime, None)


def test_corrupt_first_version_falls_back_to_base(registry, publish, tiny_runtime, weight_fact) -> None:
    version = publish("alice", [weight_fact])
    (registry.root / "alice" / version / "adapter_config.json").write_text("{}")
    generator = AdapterGenerator(registry, tiny_runtime.checkpoint)
    answer = generator.generate(QUESTION, namespace="alice", max_new_tokens=8)
    assert answer.adapter_version is None and answer.text == expected(tiny_runtime, None)


def test_shared_base_model_is_never_modified(registry, publish, tiny_runtime, weight_fact) -> None:
    publish("alice", [weight_fact])
    generator = AdapterGenerator(registry, tiny_runtime.checkpoint)
    generator.generate(QUESTION, namespace="alice")
    assert not any("lora" in name for name, _ in generator.model.named_modules())


@pytest.mark.parametrize(("messages", "tokens"), [([], 8), (QUESTION, 0), (QUESTION, -5)])
def test_a_request_with_nothing_to_answer_is_refused(registry, tiny_runtime, messages, tokens) -> None:
    from tiermem.memory.errors import InvalidInputError

    generator = AdapterGenerator(registry, tiny_runtime.checkpoint)
    with pytest.raises(InvalidInputError, match="nothing to answer|at least 1"):
        generator.generate(messages, namespace="alice", max_new_tokens=tokens)


def test_a_name_reused_after_a_purge_serves_the_new_weights(registry, publish, tiny_runtime, weight_fact) -> None:
    generator = AdapterGenerator(registry, tiny_runtime.checkpoint)
    first = publish("alice", [weight_fact])
    generator.generate(QUESTION, namespace="alice", max_new_tokens=8)
    registry.purge("alice", [first])
    (registry.root / "alice" / ".last-version").unlink()  # the counter lost: the name comes round again
    again = publish("alice", [weight_fact], seed=7)
    assert again == first
    answer = generator.generate(QUESTION, namespace="alice", max_new_tokens=8)
    assert answer.adapter_version == again
    assert answer.text == expected(tiny_runtime, registry.get("alice", again).path)
