"""``tiermem bench recall``: LoCoMo-format recall of the retrieval agent (see :mod:`tiermem.benchmarks.recall`)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from rich.markup import escape
from rich.table import Table

from .cli_common import JsonFlag, console, emit_json
from .config import TierMemConfig

if TYPE_CHECKING:
    from tiermem.benchmarks.recall import RecallReport

log = logging.getLogger("tiermem.cli")
Ids = Annotated[str | None, typer.Option(help="comma-separated sample ids")]


def _ids(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def bench_recall(
    data: Annotated[Path, typer.Option("--data", help="LoCoMo-format JSON file or folder", exists=True)],
    as_json: JsonFlag = False,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="first N conversations only")] = None,
    mode: Annotated[
        Literal["tiered", "flat"], typer.Option("--mode", help="tiered: the default graph; flat: one table, no gate")
    ] = "tiered",
    samples: Ids = None,
    holdout: Annotated[
        str | None, typer.Option(help="comma-separated sample ids also reported on their own (held out from tuning)")
    ] = None,
    answer_model: Annotated[
        str | None, typer.Option("--answer-model", help="module:attr of a LangChain chat model (or factory) to answer")
    ] = None,
    levers: Annotated[
        bool, typer.Option("--levers", help="also re-rank with the pre-tuning settings, one lever at a time")
    ] = False,
    judge: Annotated[
        str | None, typer.Option("--judge", help="module:attr of a judge (chat model or (q, gold, answer) -> score)")
    ] = None,
) -> None:
    """Replay LoCoMo-format conversations through the memory path and measure recall@k of the
    retrieval agent against raw-turn baselines (dense, BM25, hybrid RRF), in a temporary data dir."""
    from tiermem.benchmarks.locomo import load_locomo
    from tiermem.benchmarks.recall import RecallBench
    from tiermem.benchmarks.recall_answers import AnswerCheck, load_object

    conversations = load_locomo(data, limit=limit)
    wanted = _ids(samples)
    if wanted:
        known = {c.sample_id for c in conversations}
        missing = [s for s in wanted if s not in known]
        if missing:
            raise typer.BadParameter(f"no samples {missing} in {data}; it has {sorted(known)}", param_hint="--samples")
        conversations = [c for c in conversations if c.sample_id in wanted]
    answerer = None
    if answer_model:
        answerer = AnswerCheck(
            load_object(answer_model, "answer model"), load_object(judge, "judge") if judge else None
        )
    bench = RecallBench(TierMemConfig.load(), mode, answerer=answerer, holdout=_ids(holdout), levers=levers)
    report = bench.run(conversations, data=str(data))
    if as_json:
        emit_json(report.headline())
        return
    _print(report)


def _print(report: RecallReport) -> None:
    from tiermem.benchmarks.recall_metrics import KS

    table = Table("system", *(f"recall@{k}" for k in KS), "hit@10", title=f"LoCoMo recall ({report.mode})")
    rows = {
        f"tiermem ({report.mode})": report.system,
        **{f"baseline {n}": b for n, b in report.baselines.items()},
        **{f"lever: {n}": b for n, b in (report.levers or {}).items()},
    }
    for name, scores in rows.items():
        table.add_row(escape(name), *(f"{scores[f'recall_at_{k}']:.3f}" for k in KS), f"{scores['hit_at_10']:.3f}")
    console.print(table)
    categories = Table("category", "n", "tiermem recall@10", "hybrid recall@10")
    for name, scores in report.system["per_category"].items():
        base = report.baselines["hybrid"]["per_category"][name]
        ours, theirs = f"{scores['recall_at_10']:.3f}", f"{base['recall_at_10']:.3f}"
        categories.add_row(escape(name), str(scores["n"]), ours, theirs)
    console.print(categories)
    latency, context = report.latency_ms, report.context
    console.print(
        f"{report.n_questions} questions; retrieval p50 {latency['p50']} ms, p95 {latency['p95']} ms "
        f"(CPU p50 {latency['cpu_p50']} ms); "
        f"ingest {report.ingest['turns_per_s']} turns/s; top-10 context {context['tokens_at_10']} tokens "
        f"from {context['sources_at_10']} turns; recall@10 within the token budget {report.recall_at_10_budgeted}"
    )


def register(app: typer.Typer, bench: typer.Typer) -> None:
    """Add ``tiermem bench recall``."""
    bench.command("recall")(bench_recall)
