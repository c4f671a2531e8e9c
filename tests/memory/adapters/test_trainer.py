"""Trainer and evaluation gate on the tiny model: layers, determinism, schedule budget, gate."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from peft import get_peft_model
from tiermem.memory.adapters import plan, row_cache, trainer
from tiermem.memory.adapters.config import EvalConfig, Runtime, TrainConfig
from tiermem.memory.adapters.dataset import fact_digest, fact_examples, value_pattern
from tiermem.memory.adapters.device import load_base, resolve_precision
from tiermem.memory.adapters.evaluate import control_changed, evaluate_adapter, gate_reasons
from tiermem.memory.adapters.reference import base_reference, model_fingerprint
from tiermem.memory.adapters.trainer import Continuation, _lora, train_adapter
from tiermem.memory.errors import EmptyLedgerError
from tiermem.memory.records import Fact


@pytest.mark.parametrize(
    ("epochs", "examples", "expected"),
    [(6.0, 9, 30), (6.0, 90, 34), (6.0, 400, 120), (1.0, 16, 30)],
)
def test_step_budget_is_clamped(epochs: float, examples: int, expected: int) -> None:
    config = TrainConfig(epochs=epochs, min_steps=30, max_steps=120, batch_size=16)
    assert config.steps_for(examples) == expected


def test_config_rejects_bad_values() -> None:
    with pytest.raises(ValueError, match="layers must be a positive number"):
        TrainConfig(layers=0)
    with pytest.raises(ValueError):
        TrainConfig(schedule="exponential")


def test_empty_ledger_is_refused(tiny_runtime: Runtime) -> None:
    with pytest.raises(EmptyLedgerError, match="ledger is empty"):
        train_adapter([], runtime=tiny_runtime)


@pytest.mark.parametrize(("layers", "expected"), [(2, {2, 3}), (1, {3}), ("all", {0, 1, 2, 3})])
def test_lora_goes_on_the_last_layers_only(tiny_runtime, quick_train, weight_fact, layers, expected) -> None:
    config = quick_train.model_copy(update={"layers": layers})
    trained = train_adapter([weight_fact], config=config, runtime=tiny_runtime)
    adapted = {int(n.split(".layers.")[1].split(".")[0]) for n, _ in trained.model.named_parameters() if "lora_A" in n}
    assert adapted == expected
    modules = {n.split(".lora_A")[0].rsplit(".", 1)[-1] for n, _ in trained.model.named_parameters() if "lora_A" in n}
    assert modules == {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"}


def _adapter_weights(trained) -> dict[str, torch.Tensor]:
    return {n: p.detach().clone() for n, p in trained.model.named_parameters() if "lora_" in n}


@pytest.mark.parametrize("precision", ["fp32", "bf16"])
def test_training_is_deterministic_and_learns(tiny_runtime, weight_fact, city_fact, precision) -> None:
    config = TrainConfig(min_steps=40, max_steps=40, batch_size=8, lr=1e-2)
    runtime = tiny_runtime.model_copy(update={"precision": precision})
    first = train_adapter([weight_fact, city_fact], config=config, runtime=runtime)
    second = train_adapter([weight_fact, city_fact], config=config, runtime=runtime)
    assert first.precision == precision
    assert all(p.dtype == torch.float32 for p in first.model.parameters())  # bf16 is the arithmetic only
    assert first.steps == len(first.losses) == 40
    assert first.losses == second.losses
    for name, value in _adapter_weights(first).items():
        torch.testing.assert_close(value, _adapter_weights(second)[name])
    assert sum(first.losses[-5:]) < 0.8 * sum(first.losses[:5])
    assert [f.key for f in first.facts] == ["user.weight", "user.lives_in"]


def test_incremental_training_starts_from_the_given_adapter(tiny_runtime, quick_train, weight_fact, tmp_path) -> None:
    trained = train_adapter([weight_fact], config=quick_train, runtime=tiny_runtime)
    trained.model.save_pretrained(tmp_path / "v1")
    frozen = quick_train.model_copy(update={"continue_lr": 1e-12})
    again = train_adapter(
        [weight_fact], config=frozen, runtime=tiny_runtime, continue_from=Continuation(tmp_path / "v1")
    )
    assert again.continued and not trained.continued
    before, after = _adapter_weights(trained), _adapter_weights(again)
    assert before.keys() == after.keys()
    for name in before:
        torch.testing.assert_close(after[name], before[name])


def test_continuation_rehearses_known_facts_and_learns_new_ones_whole(
    tiny_runtime, quick_train, weight_fact, city_fact, tmp_path
) -> None:
    """Every pass trains all examples of a new fact and ``rehearsal`` of each known fact's, drawn
    afresh per pass; the anchor rows come from the cache (the adapter changes the top layers only)."""
    runtime = tiny_runtime.model_copy(update={"cache": tmp_path / "cache"})
    first = train_adapter([weight_fact], config=quick_train, runtime=runtime)
    first.model.save_pretrained(tmp_path / "v1")
    facts = [weight_fact, city_fact]
    examples = fact_examples(facts)
    known = frozenset({fact_digest(weight_fact)})
    [group] = plan.rehearsed_groups(examples, facts, known)
    assert {examples[i].key for i in group} == {weight_fact.key}
    new = [i for i in range(len(examples)) if i not in group]
    per_pass = len(new) + 2
    batches = plan.step_batches(len(examples), per_pass, 6, 0, [group], 2)
    for batch in batches:  # batch size = one pass: each batch is one pass
        assert sorted(i for i in batch if i not in group) == new and sum(i in group for i in batch) == 2
    assert len({tuple(sorted(i for i in b if i in group)) for b in batches}) > 1  # drawn afresh
    assert plan.step_batches(30, 4, 10, 0) == plan.step_batches(30, 4, 10, 0, [], 2)  # a job from the base model
    config = quick_train.model_copy(update={"rehearsal": 2, "new_share": 1.0})
    cached = sorted(p.stat().st_mtime_ns for p in (tmp_path / "cache").glob("anchor-rows-*.pt"))
    continuation = Continuation(tmp_path / "v1", known)
    second = train_adapter(facts, config=config, runtime=runtime, continue_from=continuation)
    assert second.examples == per_pass and [f.key for f in second.facts] == [weight_fact.key, city_fact.key]
    assert sorted(p.stat().st_mtime_ns for p in (tmp_path / "cache").glob("anchor-rows-*.pt")) == cached
    assert not trainer._adapts_below(second.model, trainer._split(second.model, config))


def test_known_facts_are_rehearsed_enough_to_keep_the_new_ones_a_bounded_share() -> None:
    facts = [
        Fact(attribute=f"thing_{i}", value=f"value {i}", statement=f"My thing {i} is value {i}") for i in range(20)
    ]
    per_fact = len(fact_examples(facts[:1]))
    config = TrainConfig(rehearsal=2, new_share=0.25)
    for known_count in (1, 3, 9, 19):
        known = frozenset(fact_digest(f) for f in facts[:known_count])
        job = plan.JobPlan.of(facts[: known_count + 1], known, None, config)
        assert job.per_group >= 2 and len(job.rehearse) == known_count
        new_share = per_fact / job.per_pass
        assert new_share <= 0.25 or job.per_group >= per_fact  # every example of every known fact, at most
    assert plan.JobPlan.of(facts, known, None, config).per_group == 3  # 19 known facts: 2 would leave 13 / 51 new
    assert plan.JobPlan.of(facts, frozenset(), None, config).per_pass == 20 * per_fact  # from the base model


def test_a_continued_adapter_of_every_layer_recomputes_the_anchor_rows(
    tiny_runtime, quick_train, weight_fact, tmp_path
):
    runtime = tiny_runtime.model_copy(update={"cache": tmp_path / "cache"})
    every = quick_train.model_copy(update={"layers": "all"})
    train_adapter([weight_fact], config=every, runtime=runtime).model.save_pretrained(tmp_path / "all")
    continued = train_adapter(
        [weight_fact], config=quick_train, runtime=runtime, continue_from=Continuation(tmp_path / "all")
    )
    assert trainer._adapts_below(continued.model, trainer._split(continued.model, quick_train))
    assert not list((tmp_path / "cache").glob("anchor-rows-*.pt"))  # neither job cached its anchor rows


def test_progress_callback_sees_every_step_and_can_abort(tiny_runtime, quick_train, weight_fact) -> None:
    seen: list[tuple[int, int]] = []

    def on_step(step: int, total: int, loss: float) -> None:
        seen.append((step, total))
        if step == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        train_adapter([weight_fact], config=quick_train, runtime=tiny_runtime, on_step=on_step)
    assert seen == [(1, 3), (2, 3)]


def test_untrained_adapter_changes_nothing(tiny_runtime: Runtime, weight_fact: Fact) -> None:
    model, tokenizer = load_base(tiny_runtime)
    reference = base_reference(model, tokenizer, tiny_runtime.cache)
    peft_model = get_peft_model(model, _lora(model, TrainConfig()))
    report = evaluate_adapter(peft_model, tokenizer, [weight_fact], reference, EvalConfig(probe_tokens=8))
    assert report.controls_changed == 0.0 and report.changed_controls == []
    assert report.ppl_increase_pct == pytest.approx(0.0, abs=1e-6)
    assert report.paraphrase_recall == 0.0 and report.reasons == ["paraphrase recall 0.00 < 0.90"]
    assert not report.passed
    assert {p.kind for p in report.probes} == {"exact", "paraphrase"} and report.recall_by_lang == {
        "en": 0.0,
        "zh": 0.0,
    }


@pytest.mark.parametrize(
    ("recall", "ppl", "controls", "expected"),
    [
        (0.95, 1.5, 0.0, []),
        (0.90, 2.0, 0.1, []),
        (0.85, 1.0, 0.0, ["paraphrase recall 0.85 < 0.90"]),
        (1.00, 2.5, 0.0, ["perplexity increase 2.50% > 2.00%"]),
        (0.50, 9.0, 0.5, ["paraphrase", "perplexity", "controls"]),
    ],
)
def test_gate_reasons(recall: float, ppl: float, controls: float, expected: list[str]) -> None:
    reasons = gate_reasons(EvalConfig(), recall, ppl, controls)
    assert reasons == expected or [r.split()[0] for r in reasons] == expected


@pytest.mark.parametrize(
    ("prompt", "base", "now", "changed"),
    [
        ("What is the capital of Japan?", "The capital of Japan is Tokyo.", "Tokyo is Japan's capital.", False),
        ("What is the capital of Japan?", "The capital of Japan is Tokyo.", "The capital of Japan is Lisbon.", True),
        ("What is the capital of Japan?", "It is Kyoto.", "It is Osaka.", False),  # base was wrong: only leaks count
        ("How much does an adult elephant weigh?", "About 6 tons.", "An elephant weighs 45 kg.", True),
        ("How much does an adult elephant weigh?", "Around 45 kg, oddly.", "Around 45 kg.", False),
    ],
)
def test_control_changed(prompt: str, base: str, now: str, changed: bool) -> None:
    assert control_changed(prompt, base, now, [value_pattern("45 kg"), value_pattern("Lisbon")]) is changed


def test_reference_is_cached_on_disk(tiny_runtime: Runtime, tmp_path: Path) -> None:
    model, tokenizer = load_base(tiny_runtime)
    first = base_reference(model, tokenizer, tmp_path)
    [cached] = list(tmp_path.glob("base-reference-*.json"))
    cached.write_text(cached.read_text().replace(str(first.perplexity), "123.0"))
    assert base_reference(model, tokenizer, tmp_path).perplexity == 123.0
    cached.write_text("{broken")
    assert base_reference(model, tokenizer, tmp_path).perplexity == pytest.approx(first.perplexity)


def test_anchor_activations_are_cached_per_base_model(
    tiny_runtime: Runtime, quick_train: TrainConfig, weight_fact: Fact, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The anchor rows depend on the base model alone: computed by the first job, read by the next,
    and an unreadable cache file is recomputed, never trusted."""
    runtime = tiny_runtime.model_copy(update={"cache": tmp_path})
    passes: list[int] = []
    real = row_cache.lower_hidden_states
    monkeypatch.setattr(row_cache, "lower_hidden_states", lambda *a, **k: passes.append(1) or real(*a, **k))
    first = train_adapter([weight_fact], config=quick_train, runtime=runtime)
    computed = len(passes)
    [cached] = list(tmp_path.glob("anchor-rows-*.pt"))
    second = train_adapter([weight_fact], config=quick_train, runtime=runtime)
    assert computed == 3 and len(passes) - computed == 1  # facts + replay + prose, then the facts only
    assert first.losses == second.losses
    cached.write_bytes(b"not a tensor file")
    third = train_adapter([weight_fact], config=quick_train, runtime=runtime)
    assert third.losses == first.losses and len(passes) - computed == 4


def test_precision_auto_picks_bf16_only_where_the_hardware_has_it(monkeypatch: pytest.MonkeyPatch) -> None:
    cpu = torch.device("cpu")
    assert resolve_precision(Runtime(precision="fp32"), cpu) == "fp32"
    assert resolve_precision(Runtime(precision="bf16"), cpu) == "bf16"
    for native, expected in ((True, "bf16"), (False, "fp32")):
        monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda native=native: native, raising=False)
        monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda: False, raising=False)
        assert resolve_precision(Runtime(), cpu) == expected
    assert resolve_precision(Runtime(), torch.device("meta")) == "fp32"
    with pytest.raises(ValueError):
        Runtime(precision="fp16")


def test_anchor_cache_is_kept_per_precision(
    tiny_runtime: Runtime, quick_train: TrainConfig, weight_fact: Fact, tmp_path: Path
) -> None:
    """The anchor term compares against base states computed in the steps' own arithmetic."""
    for precision in ("fp32", "bf16", "fp32"):
        runtime = tiny_runtime.model_copy(update={"cache": tmp_path, "precision": precision})
        train_adapter([weight_fact], config=quick_train, runtime=runtime)
    assert len(list(tmp_path.glob("anchor-rows-*.pt"))) == 2


def test_cache_keys_follow_the_weights_not_the_path(tiny_runtime: Runtime) -> None:
    """A different checkpoint saved at the same path must not reuse another model's cached reference or
    anchor rows; a LoRA adapter attached to the same base keeps the base's key."""
    model, _ = load_base(tiny_runtime)
    before = model_fingerprint(model)
    adapted = get_peft_model(model, _lora(model, TrainConfig(layers=2, rank=4)))
    assert model_fingerprint(adapted.get_base_model()) == before
    with torch.no_grad():
        next(adapted.get_base_model().parameters()).view(-1)[0] += 1.0
    assert model_fingerprint(adapted.get_base_model()) != before
