"""``tiermem gate train`` and ``tiermem bench gate|gate-cv|promotion``."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from tiermem.memory.embeddings import BaseEmbedder, USEEmbedder, get_embedder

from .cli_common import JsonFlag, console, emit_json

Embedder = Annotated[str, typer.Option("--embedder", help="embedder name (the head is bound to it)")]


def bundled_data(name: str) -> Path:
    """A labelled data file shipped with tiermem (``benchmarks/data``), wherever it is installed:
    the benchmarks' defaults work from any folder, not only from a checkout's root."""
    return Path(str(resources.files("tiermem.benchmarks").joinpath("data", name)))


GATE_TEST = bundled_data("gate_test.jsonl")
PROMOTION_TEST = bundled_data("gate_promotion_test.jsonl")
GATE_TRAIN = bundled_data("gate_train.jsonl")
"""The benchmarks' default data: the bundled files."""


def timing_embedder(name: str) -> BaseEmbedder:
    """The embedder for a latency benchmark: USE without a cache, so every message is embedded."""
    return USEEmbedder(cache_size=0) if name == "use" else get_embedder(name)


def gate_train(
    data: Annotated[Path, typer.Argument(help="labelled JSONL (text, label, also_ok, lang)")],
    out: Annotated[Path, typer.Option("--out", "-o", help="writes OUT.npz and OUT.json")] = Path("gate_head"),
    embedder: Embedder = "use",
    l2: Annotated[float, typer.Option(help="L2 penalty on the weights")] = 1e-3,
    epochs: Annotated[int, typer.Option(min=1, help="full-batch optimisation steps")] = 500,
    as_json: JsonFlag = False,
) -> None:
    """Train a TrainedGate head; use it with `--head OUT.npz` or config `gate_head`."""
    from tiermem.agents.trained_gate import train_gate

    head = train_gate(data, embedder=get_embedder(embedder), l2=l2, epochs=epochs)
    path = head.save(out)
    if as_json:
        emit_json({"path": str(path), **head.meta.model_dump(mode="json")})
        return
    stats = head.meta.train
    console.print(
        escape(
            f"trained on {stats.n} messages {stats.per_label}: train accuracy "
            f"{stats.train_accuracy:.1%}; wrote {path} and {path.with_suffix('.json')}"
        )
    )


def bench_gate(
    data: Annotated[Path, typer.Option("--data", help="labelled JSONL to score")] = GATE_TEST,
    gate: Annotated[str, typer.Option("--gate", help="rule, llm or trained")] = "rule",
    head: Annotated[Path | None, typer.Option("--head", help="trained gate head (.npz)")] = None,
    embedder: Embedder = "use",
    limit: Annotated[int, typer.Option("--limit", help="score only the first N messages")] = 0,
    misses: Annotated[int, typer.Option("--misses", help="list N wrong decisions")] = 0,
    as_json: JsonFlag = False,
) -> None:
    """Score a gate on labelled messages: accuracy, macro-F1, confusion, latency."""
    from tiermem.agents.gate import create_gate
    from tiermem.agents.gate_data import load_labelled
    from tiermem.benchmarks.gate import evaluate_gate

    rows = load_labelled(data)[: limit or None]
    encoder = timing_embedder(embedder)
    decider = create_gate(gate, embedder=encoder, gate_head=str(head) if head else None)
    report = evaluate_gate(decider, rows, encoder, data=str(data), progress=not as_json, max_misses=misses)
    if as_json:
        emit_json(report.model_dump(mode="json"))
        return
    console.print(
        f"[bold]{escape(report.gate)}[/bold] on {escape(report.data)}: n={report.n} accuracy "
        f"{report.accuracy:.1%} macro-F1 {report.macro_f1:.3f} p50 {report.p50_ms:.2f} ms "
        f"p95 {report.p95_ms:.2f} ms (embedding {report.p50_embed_ms:.2f} + decision "
        f"{report.p50_decide_ms:.2f} ms)" + (f" fallbacks {report.fallbacks}" if gate == "llm" else "")
    )
    matrix = Table("true \\ predicted", *report.confusion, title="confusion")
    for truth, row in report.confusion.items():
        matrix.add_row(truth, *(str(v) for v in row.values()))
    console.print(matrix)
    langs = Table("lang", "n", "accuracy", "macro-F1", "p50 ms", title="per language")
    for lang, s in report.per_lang.items():
        langs.add_row(lang, str(s.n), f"{s.accuracy:.1%}", f"{s.macro_f1:.3f}", f"{s.p50_ms:.2f}")
    console.print(langs)
    for miss in report.misses:
        console.print(f"  {miss.label}->{miss.predicted}: {miss.text[:90]}", markup=False)


def bench_promotion(
    data: Annotated[Path, typer.Option("--data", help="stream JSONL of {text, theme}")] = PROMOTION_TEST,
    threshold: Annotated[float | None, typer.Option("--threshold", help="similarity threshold")] = None,
    k: Annotated[int | None, typer.Option("--k", help="correlated items needed")] = None,
    embedder: Embedder = "use",
    as_json: JsonFlag = False,
) -> None:
    """Replay a scripted stream through the correlation rule: precision/recall of promotions."""
    from tiermem.agents.settings import PromotionSettings
    from tiermem.benchmarks.gate_promotion import load_stream, run_stream

    overrides = {"similarity_threshold": threshold, "min_correlated": k}
    settings = PromotionSettings(**{key: v for key, v in overrides.items() if v is not None})
    report = run_stream(load_stream(data), get_embedder(embedder), settings, data=str(data))
    if as_json:
        emit_json(report.model_dump(mode="json"))
        return
    console.print(
        f"promotion on {escape(report.data)} (threshold {report.similarity_threshold}, k {report.min_correlated}): "
        f"{report.promotions} short->mid, precision {report.precision:.1%}, recall {report.recall:.1%} of "
        f"{report.themes} recurring themes; {report.duplicates} duplicates, {report.confirmations} "
        f"confirmations, {report.to_long} mid->long; p50 {report.p50_ms:.1f} ms per write"
    )


def bench_gate_cv(
    data: Annotated[Path, typer.Option("--data", help="labelled JSONL (the training split)")] = GATE_TRAIN,
    folds: Annotated[int, typer.Option("--folds", min=2, help="folds per seed")] = 5,
    seeds: Annotated[int, typer.Option("--seeds", min=1, help="fold assignments averaged")] = 3,
    embedder: Embedder = "use",
    as_json: JsonFlag = False,
) -> None:
    """Grouped cross-validation of the rule and trained gates (how they were tuned and compared)."""
    from tiermem.agents.gate_data import load_labelled
    from tiermem.benchmarks.gate_cv import cross_validate

    rows = load_labelled(data)
    report = cross_validate(
        rows, get_embedder(embedder), folds=folds, seeds=seeds, data=str(data), progress=not as_json
    )
    if as_json:
        emit_json(report.model_dump(mode="json"))
        return
    console.print(
        f"grouped {report.folds}-fold CV on {escape(report.data)} ({report.n} messages, {report.groups} groups, "
        f"{report.seeds} seeds): "
        + ", ".join(f"{g} {acc:.1%} (+- {report.std[g]:.1%})" for g, acc in report.accuracy.items())
    )


def register(app: typer.Typer, bench: typer.Typer) -> None:
    """Add ``gate train`` to ``app`` and ``gate`` to ``bench``."""
    gate_app = typer.Typer(help="Train gate deciders.", no_args_is_help=True)
    gate_app.command("train")(gate_train)
    app.add_typer(gate_app, name="gate")
    bench.command("gate")(bench_gate)
    bench.command("gate-cv")(bench_gate_cv)
    bench.command("promotion")(bench_promotion)
