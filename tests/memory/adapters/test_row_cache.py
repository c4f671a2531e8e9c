"""The worker's in-memory cache of fact rows' lower-layer activations."""

from __future__ import annotations

import pytest
import torch
from peft import get_peft_model
from tiermem.memory.adapters import trainer
from tiermem.memory.adapters.activations import lower_hidden_states
from tiermem.memory.adapters.config import Runtime, TrainConfig
from tiermem.memory.adapters.dataset import encode, fact_examples
from tiermem.memory.adapters.device import load_base
from tiermem.memory.adapters.queue import JobQueue
from tiermem.memory.adapters.registry import AdapterRegistry
from tiermem.memory.adapters.row_cache import RowCache, lower_states
from tiermem.memory.adapters.trainer import Continuation, train_adapter
from tiermem.memory.adapters.worker import process_job
from tiermem.memory.records import Fact


def test_rows_beyond_the_bound_drop_the_least_recently_used() -> None:
    row = torch.zeros(4, 8)  # 128 bytes
    cache = RowCache(max_bytes=3 * 128)
    for key in "abc":
        cache.put(key, row)
    assert cache.get("a") is not None  # now the most recently used
    cache.put("d", row)
    assert cache.get("b") is None and [cache.get(k) is not None for k in "acd"] == [True, True, True]
    assert len(cache) == 3 and cache.bytes == 3 * 128
    cache.put("huge", torch.zeros(100, 8))  # larger than the whole bound: not kept, nothing dropped
    assert cache.get("huge") is None and len(cache) == 3
    cache.clear()
    assert len(cache) == 0 and cache.bytes == 0 and cache.get("a") is None
    with pytest.raises(ValueError, match="max_bytes"):
        RowCache(max_bytes=-1)
    none = RowCache(max_bytes=0)  # keeps nothing: every row is computed
    none.put("a", row)
    assert none.get("a") is None and len(none) == 0


def _valid(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    return hidden[mask.bool()]


def test_cached_rows_equal_computed_ones(tiny_runtime: Runtime, weight_fact: Fact, city_fact: Fact) -> None:
    model, tokenizer = load_base(tiny_runtime)
    split = 2
    part = encode(fact_examples([weight_fact, city_fact]), tokenizer)
    fresh = lower_hidden_states(model, part.input_ids, part.attention_mask, split)
    cache = RowCache()
    first = lower_states(model, part, split, "fp32", cache)
    assert cache.misses == len(part.input_ids) and cache.hits == 0 and len(cache) == len(part.input_ids)
    again = lower_states(model, part, split, "fp32", cache)
    assert cache.hits == len(part.input_ids)
    for states in (first, again):
        assert states.shape == fresh.shape
        torch.testing.assert_close(_valid(states, part.attention_mask), _valid(fresh, part.attention_mask))
    grown = encode(fact_examples([weight_fact, city_fact, Fact(attribute="pet", value="Rex")]), tokenizer)
    mixed = lower_states(model, grown, split, "fp32", cache)  # known rows from the cache, the pet's computed
    assert cache.hits == 2 * len(part.input_ids)
    expected = lower_hidden_states(model, grown.input_ids, grown.attention_mask, split)
    torch.testing.assert_close(_valid(mixed, grown.attention_mask), _valid(expected, grown.attention_mask))
    other = lower_states(model, part, split - 1, "fp32", cache)  # another split: other keys
    assert cache.hits == 2 * len(part.input_ids) and other.shape == fresh.shape


def test_a_grown_ledger_trains_the_same_with_the_rows_of_the_job_before(
    tiny_runtime: Runtime, quick_train: TrainConfig, weight_fact: Fact, city_fact: Fact
) -> None:
    quick_train = quick_train.model_copy(update={"lr": 1e-3})  # 5e-2 diverges: any rounding would show
    cache = RowCache()
    train_adapter([weight_fact], config=quick_train, runtime=tiny_runtime, row_cache=cache)
    stored = len(cache)
    assert stored == len(fact_examples([weight_fact]))
    warm = train_adapter([weight_fact, city_fact], config=quick_train, runtime=tiny_runtime, row_cache=cache)
    assert cache.hits == stored and len(cache) == len(fact_examples([weight_fact, city_fact]))
    cold = train_adapter([weight_fact, city_fact], config=quick_train, runtime=tiny_runtime)
    assert warm.losses == pytest.approx(cold.losses, rel=1e-5)


def test_an_adapter_of_lower_layers_never_uses_the_cache(
    tiny_runtime: Runtime, quick_train: TrainConfig, weight_fact: Fact, tmp_path
) -> None:
    every = quick_train.model_copy(update={"layers": "all"})
    cache = RowCache()
    train_adapter([weight_fact], config=every, runtime=tiny_runtime, row_cache=cache)
    assert len(cache) == 0
    model, _ = load_base(tiny_runtime)
    get_peft_model(model, trainer._lora(model, every)).save_pretrained(tmp_path / "all")
    train_adapter([weight_fact], config=quick_train, runtime=tiny_runtime, row_cache=cache)  # fills it
    continued = train_adapter(
        [weight_fact],
        config=quick_train,
        runtime=tiny_runtime,
        continue_from=Continuation(tmp_path / "all"),
        row_cache=cache,
    )
    assert trainer._adapts_below(continued.model, trainer._split(continued.model, quick_train))
    assert cache.hits == 0  # its lower layers are not the base model's


def test_a_forget_job_clears_the_rows_before_it_trains(
    tmp_path, tiny_runtime, quick_train, lenient_gate, weight_fact: Fact, city_fact: Fact
) -> None:
    queue, registry = JobQueue(tmp_path / "jobs.sqlite"), AdapterRegistry(tmp_path / "adapters")
    cache = RowCache()
    ledger = [weight_fact, city_fact]

    def run(reason: str) -> None:
        queue.enqueue("alice", reason=reason)
        job = queue.claim("w", 60.0)
        assert job is not None
        result = process_job(
            job,
            queue,
            registry,
            lambda namespace: list(ledger),
            worker_id="w",
            lease_s=60.0,
            train_config=quick_train,
            eval_config=lenient_gate,
            runtime=tiny_runtime,
            row_cache=cache,
        )
        queue.complete(job.id, "w", result)

    run("remember")
    assert len(cache) == len(fact_examples(ledger))
    ledger.remove(weight_fact)
    run("forget")
    assert cache.hits == 0 and len(cache) == len(fact_examples([city_fact]))  # no row of the weight fact is left
