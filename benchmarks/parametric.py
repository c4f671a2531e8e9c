"""``tiermem bench parametric``: can the last layers of SmolLM2 hold a user's facts?

For 1, 5, 10 and 20 facts of one namespace, trains an adapter the way the
worker does and measures recall on exact and held-out paraphrase probes
(strict patterns), the share of negative controls whose answer changed, the
general perplexity change, seconds and peak memory. In the same run it
trains comparisons, so the seed's claims and our own choices are measured, not assumed:

- ``fp32``: the default adapter trained in fp32 arithmetic (the default picks
  bf16 autocast where the hardware has native bf16, see
  :func:`~tiermem.memory.adapters.device.resolve_precision`);
- ``all-layers``: LoRA on every decoder layer instead of the last two;
- ``constant-lr``: the default adapter with a constant learning rate
  (no warmup, no cosine decay);
- ``incremental``: the job the worker runs with ``TrainConfig.incremental``
  when the ledger gains its N-th fact: it continues the default adapter of
  the first N - 1 facts (trained beforehand, not timed) instead of starting
  from the base model, and is judged on all N.

The facts are invented and unguessable (a base-model recall is reported as
a check); none answers a control prompt.
"""

from __future__ import annotations

import ctypes
import gc
import os
import platform
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

import torch
from pydantic import BaseModel
from tiermem.memory.adapters.config import EvalConfig, Runtime, TrainConfig
from tiermem.memory.adapters.dataset import fact_digest, fact_probes
from tiermem.memory.adapters.device import load_base
from tiermem.memory.adapters.evaluate import evaluate_adapter, recall, run_probes
from tiermem.memory.adapters.row_cache import RowCache
from tiermem.memory.adapters.trainer import Continuation, train_adapter
from tiermem.memory.records import Fact

from .render import Column, markdown_table, pyplot, save_figure

SIZES = (1, 5, 10, 20)

BENCH_FACTS: tuple[tuple[str, str, str], ...] = (
    ("weight", "45 kg", "I weighed 45 kg today"),
    ("lives_in", "Lisbon", "I live in Lisbon"),
    ("pet_name", "Biscuit", "My dog is called Biscuit"),
    ("allergy", "peanuts", "I am allergic to peanuts"),
    ("birthday", "March 14", "My birthday is March 14"),
    ("works_at", "Nordlicht Labs", "I work at Nordlicht Labs"),
    ("height", "172 cm", "I am 172 cm tall"),
    ("blood_type", "AB negative", "My blood type is AB negative"),
    ("car", "blue Volvo", "I drive a blue Volvo"),
    ("hobby", "rock climbing", "My hobby is rock climbing"),
    ("native_language", "Portuguese", "My native language is Portuguese"),
    ("shoe_size", "38", "My shoe size is 38"),
    ("favourite_food", "ramen", "My favourite food is ramen"),
    ("phone", "555-0142", "My phone number is 555-0142"),
    ("school", "Riverside High", "I went to Riverside High"),
    ("hometown", "Porto", "My hometown is Porto"),
    ("gym_day", "Thursday", "I go to the gym on Thursday"),
    ("coffee_order", "flat white", "I always order a flat white"),
    ("job", "nurse", "I work as a nurse"),
    ("sister", "Marta", "My sister is Marta"),
)

Variant = tuple[str, Callable[[TrainConfig, Runtime], tuple[TrainConfig, Runtime]]]
"""A name and how it changes the default training config and runtime."""
VARIANTS: tuple[Variant, ...] = (
    ("last-layers", lambda c, r: (c, r)),
    ("fp32", lambda c, r: (c, r.model_copy(update={"precision": "fp32"}))),
    ("all-layers", lambda c, r: (c.model_copy(update={"layers": "all"}), r)),
    ("constant-lr", lambda c, r: (c.model_copy(update={"schedule": "constant"}), r)),
    ("incremental", lambda c, r: (c.model_copy(update={"incremental": True}), r)),
    ("full-softmax", lambda c, r: (c.model_copy(update={"head_candidates": 0}), r)),
)


DEFAULT_PLAN: dict[str, tuple[int, ...]] = {
    "last-layers": SIZES,
    "fp32": (1, 5, 10),
    "constant-lr": (1, 5, 10),
    "all-layers": (1, 5),
    "incremental": (5, 10, 20),
    "full-softmax": (10, 20),
}
"""Ledger sizes each variant runs at by default: all-layers costs ~6x more per step
on CPU, so the comparisons run at fewer sizes to keep one run bounded."""


class ParametricResult(BaseModel):
    """One trained adapter's measurements."""

    facts: int
    variant: str
    layers: str
    schedule: str
    exact_recall: float
    paraphrase_recall: float
    recall_by_lang: dict[str, float]
    """Paraphrase recall per probe language."""
    base_paraphrase_recall: float
    """The untrained model's recall on the same probes (should be ~0)."""
    controls_changed: float
    ppl_increase_pct: float
    passed: bool
    """Whether the default evaluation gate would promote it."""
    steps: int
    examples: int
    continued: bool = False
    """Whether the job continued an adapter of the first N - 1 facts (``incremental``)."""
    continued_recall: float | None = None
    """``incremental``: the paraphrase recall of the adapter it continued (on its N - 1 facts);
    the worker continues only an adapter that passed the gate."""
    reused_rows: int = 0
    """Fact rows whose lower-layer activations came from the row cache of the job before."""
    prepare_s: float
    train_s: float
    """Seconds to build the data, cache activations and train (``prepare_s`` included)."""
    eval_s: float
    job_s: float
    """train_s + eval_s: one worker job."""
    peak_mb: float
    """Peak growth of resident memory during the job, base model already loaded (CPU),
    or peak CUDA memory."""
    device: str
    precision: str
    """The training arithmetic, ``fp32`` or ``bf16`` (:func:`~tiermem.memory.adapters.device.resolve_precision`)."""
    threads: int


class ParametricReport(BaseModel):
    """A benchmark run."""

    results: list[ParametricResult]
    machine: str
    device: str
    threads: int
    config: dict[str, object]
    command: str = ""
    """The command line that produced it (set by the CLI)."""


def bench_facts(count: int) -> list[Fact]:
    """The first ``count`` benchmark facts, one day apart."""
    if not 1 <= count <= len(BENCH_FACTS):
        raise ValueError(f"--facts must be between 1 and {len(BENCH_FACTS)}, got {count}")
    start = datetime(2024, 5, 1, tzinfo=UTC)
    return [
        Fact(attribute=a, value=v, statement=s, observed_at=start + timedelta(days=i))
        for i, (a, v, s) in enumerate(BENCH_FACTS[:count])
    ]


def _rss_mb() -> float:
    with open("/proc/self/statm") as stream:
        return int(stream.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _malloc_trim() -> None:
    """Give freed heap pages back to the OS (glibc only; elsewhere a no-op)."""
    with suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


@contextmanager
def peak_memory(device: torch.device) -> Iterator[list[float]]:
    """Yields a one-item list filled with the peak memory (MB) used inside the block."""
    found = [0.0]
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(device)
        yield found
        found[0] = torch.cuda.max_memory_allocated(device) / 2**20
        return
    gc.collect()
    _malloc_trim()  # return pages freed by earlier runs, so the growth below is this run's
    start, peak, done = _rss_mb(), [0.0], threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], _rss_mb())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield found
    finally:
        done.set()
        sampler.join()
        found[0] = max(peak[0], _rss_mb()) - start


def run_one(
    facts: Sequence[Fact], variant: Variant, config: TrainConfig, runtime: Runtime, gate: EvalConfig
) -> ParametricResult:
    """Train and evaluate one variant from a fresh base model (``incremental``: continuing an
    adapter trained just before, as a worker whose previous job it was, its row cache included)."""
    name, change = variant
    chosen, runtime = change(config, runtime)
    rows = RowCache() if chosen.incremental else None
    with TemporaryDirectory(prefix="tiermem-bench-") as scratch:
        continuation, continued_recall = (
            _earlier_adapter(facts, chosen, runtime, gate, Path(scratch), rows) if rows is not None else (None, None)
        )
        model, tokenizer = load_base(runtime)
        device = next(model.parameters()).device
        with peak_memory(device) as peak:
            trained = train_adapter(
                facts,
                config=chosen,
                runtime=runtime,
                base=(model, tokenizer),
                continue_from=continuation,
                row_cache=rows,
            )
            report = evaluate_adapter(
                trained.model, trained.tokenizer, trained.facts, trained.reference, gate, languages=chosen.languages
            )
    with trained.model.disable_adapter():
        base = run_probes(trained.model, tokenizer, fact_probes(trained.facts, chosen.languages), gate.probe_tokens)
    train_s = trained.prepare_s + trained.train_s
    return ParametricResult(
        facts=len(facts),
        variant=name,
        layers=str(chosen.layers),
        schedule=chosen.schedule,
        exact_recall=report.exact_recall,
        paraphrase_recall=report.paraphrase_recall,
        recall_by_lang=report.recall_by_lang,
        base_paraphrase_recall=recall(base, "paraphrase"),
        controls_changed=report.controls_changed,
        ppl_increase_pct=report.ppl_increase_pct,
        passed=report.passed,
        steps=trained.steps,
        examples=trained.examples,
        continued=trained.continued,
        continued_recall=continued_recall,
        reused_rows=rows.hits if rows is not None else 0,
        prepare_s=trained.prepare_s,
        train_s=train_s,
        eval_s=report.eval_s,
        job_s=train_s + report.eval_s,
        peak_mb=peak[0],
        device=str(device),
        precision=trained.precision,
        threads=torch.get_num_threads(),
    )


def _earlier_adapter(
    facts: Sequence[Fact], config: TrainConfig, runtime: Runtime, gate: EvalConfig, folder: Path, rows: RowCache
) -> tuple[Continuation, float]:
    """The default adapter of all but the last fact, trained from the base model into
    ``folder`` (its fact rows kept in ``rows``), and its paraphrase recall.

    Raises:
        ValueError: fewer than two facts (nothing to continue).
    """
    if len(facts) < 2:
        raise ValueError("the incremental variant needs at least 2 facts: it continues an adapter of N - 1")
    earlier = train_adapter(
        facts[:-1], config=config.model_copy(update={"incremental": False}), runtime=runtime, row_cache=rows
    )
    report = evaluate_adapter(
        earlier.model, earlier.tokenizer, earlier.facts, earlier.reference, gate, languages=config.languages
    )
    earlier.model.save_pretrained(str(folder))
    return Continuation(folder, frozenset(fact_digest(fact) for fact in earlier.facts)), report.paraphrase_recall


def plan(sizes: Sequence[int] | None, variants: Sequence[str] | None) -> list[tuple[int, Variant]]:
    """The ``(facts, variant)`` runs: ``sizes`` for every chosen variant, else :data:`DEFAULT_PLAN`
    (``incremental`` needs 2 facts or more: it continues an adapter of all but the last).

    Raises:
        ValueError: a variant name that does not exist, or a choice that leaves nothing to run
            (``--facts 1 --variants incremental``).
    """
    unknown = set(variants or ()) - {name for name, _ in VARIANTS}
    if unknown:
        raise ValueError(f"unknown variants {sorted(unknown)}; choose from {[name for name, _ in VARIANTS]}")
    chosen = [v for v in VARIANTS if variants is None or v[0] in variants]
    runs = [
        (size, variant)
        for size in (sizes or SIZES)
        for variant in chosen
        if (sizes is not None or size in DEFAULT_PLAN[variant[0]]) and (size > 1 or variant[0] != "incremental")
    ]
    if not runs:
        raise ValueError("nothing to run: the incremental variant continues an adapter of N - 1 facts; use --facts 2+")
    return runs


def run_parametric(
    sizes: Sequence[int] | None = None,
    *,
    variants: Sequence[str] | None = None,
    config: TrainConfig | None = None,
    runtime: Runtime | None = None,
    gate: EvalConfig | None = None,
    on_result: Callable[[ParametricResult], None] | None = None,
) -> ParametricReport:
    """Run the benchmark.

    Args:
        sizes: ledger sizes for every chosen variant; default: :data:`DEFAULT_PLAN`.
        variants: names from :data:`VARIANTS` (default: all).
    """
    config = config or TrainConfig()
    runtime = runtime or Runtime(threads=1)
    gate = gate or EvalConfig()
    if runtime.threads is not None:
        torch.set_num_threads(runtime.threads)
    results = []
    for size, variant in plan(sizes, variants):
        result = run_one(bench_facts(size), variant, config, runtime, gate)
        results.append(result)
        if on_result is not None:
            on_result(result)
    return ParametricReport(
        results=results,
        machine=f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"torch {torch.__version__}",
        device=results[0].device if results else "",
        threads=torch.get_num_threads(),
        config={"train": config.model_dump(mode="json"), "gate": gate.model_dump(mode="json")},
    )


COLUMNS: tuple[Column, ...] = (
    ("facts", "facts", "{}"),
    ("variant", "variant", "{}"),
    ("precision", "precision", "{}"),
    ("exact recall", "exact_recall", "{:.0%}"),
    ("paraphrase recall", "paraphrase_recall", "{:.0%}"),
    ("en", "recall_en", "{}"),
    ("zh", "recall_zh", "{}"),
    ("base recall", "base_paraphrase_recall", "{:.0%}"),
    ("controls changed", "controls_changed", "{:.0%}"),
    ("ppl change", "ppl_increase_pct", "{:+.2f}%"),
    ("gate", "passed", "{}"),
    ("continued adapter's recall", "continued_recall", "{}"),
    ("reused rows", "reused_rows", "{}"),
    ("steps", "steps", "{}"),
    ("train s", "train_s", "{:.1f}"),
    ("eval s", "eval_s", "{:.1f}"),
    ("job s", "job_s", "{:.1f}"),
    ("peak MB", "peak_mb", "{:.0f}"),
)


def _share(value: float | None) -> str:
    """A share as a whole percentage; a dash where there is none (a language not probed)."""
    return "–" if value is None else f"{value:.0%}"


def markdown(report: ParametricReport) -> str:
    """The results as a Markdown table."""
    rows = [
        {
            **result.model_dump(),
            "passed": "pass" if result.passed else "reject",
            **{f"recall_{lang}": _share(result.recall_by_lang.get(lang)) for lang in ("en", "zh")},
            "continued_recall": _share(result.continued_recall),
        }
        for result in report.results
    ]
    return markdown_table(COLUMNS, rows)


def plot(report: ParametricReport, path: str | Path) -> Path:
    """Paraphrase recall, perplexity change and job seconds against facts, one line per variant."""
    fig, axes = pyplot().subplots(1, 3, figsize=(9, 3), dpi=100)
    panels = (
        ("paraphrase_recall", "paraphrase recall", 0.9),
        ("ppl_increase_pct", "perplexity change (%)", 2.0),
        ("job_s", "seconds per job", 60.0),
    )
    for ax, (key, title, target) in zip(axes, panels, strict=True):
        for name in dict.fromkeys(r.variant for r in report.results):
            rows = [r for r in report.results if r.variant == name]
            ax.plot([r.facts for r in rows], [getattr(r, key) for r in rows], "o-", label=name)
        ax.axhline(target, color="grey", linewidth=0.6, linestyle="--")
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("facts in the ledger", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(True, linewidth=0.3)
    axes[0].legend(fontsize=7)
    fig.suptitle(f"parametric tier, SmolLM2-135M ({report.device}, {report.threads} thread(s))", fontsize=9)
    fig.tight_layout()
    return save_figure(fig, path)
