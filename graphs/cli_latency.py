"""``tiermem bench latency|ann`` and ``tiermem maintain``."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from tiermem.memory.progress import tracker

from .cli_bench import PlotPath, bench_command, show_report
from .cli_common import DataDir, JsonFlag, console, emit_json, services_for
from .cli_options import counts, names


def maintain_command(
    data_dir: DataDir = None,
    force: Annotated[bool, typer.Option("--force", help="compact and clean up even below the thresholds")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Build the indexes each table needs, compact small files, drop old versions."""
    from tiermem.memory.maintenance import maintain

    services = services_for(data_dir, existing=True)  # a mistyped dir is no store to build
    report = maintain(services.store, services.config.maintenance, force=force)
    if as_json:
        emit_json(report.model_dump(mode="json"))
        return
    table = Table("table", "rows", "built", "dropped", "compacted", "seconds")
    for t in report.tables:
        table.add_row(
            t.table,
            f"{t.rows:,}",
            ", ".join(t.created),
            ", ".join(t.dropped),
            "deferred" if t.deferred else str(t.optimized),
            f"{t.seconds:.1f}",
        )
    console.print(table)


def bench_latency(
    sizes: Annotated[str, typer.Option("--sizes", help="comma-separated memory counts")] = "1000,10000,100000,1000000",
    turns: Annotated[int, typer.Option("--turns", min=1, max=800, help="measured turns per size")] = 500,
    work_dir: Annotated[Path, typer.Option("--work-dir", help="where the filled stores go")] = Path(
        ".tiermem-bench/latency"
    ),
    reuse: Annotated[bool, typer.Option("--reuse", help="reuse stores filled by an earlier run")] = False,
    vector_index: Annotated[str, typer.Option("--vector-index", help="ivf_sq, ivf_hnsw_sq or ivf_pq")] = "ivf_sq",
    profile: Annotated[
        Path | None, typer.Option("--profile", help="pyinstrument text profile of the largest size")
    ] = None,
    plot: PlotPath = None,
    ingest_sample: Annotated[
        int, typer.Option("--ingest-sample", min=1, help="fresh messages bulk-imported per size")
    ] = 2000,
    recall_queries: Annotated[
        int, typer.Option("--recall-queries", min=1, help="queries checked against exact search")
    ] = 100,
    no_read_cache: Annotated[
        bool, typer.Option("--no-read-cache", help="answer every read from the tables (for an A/B)")
    ] = False,
    session_turns: Annotated[
        int, typer.Option("--session-turns", min=1, help="turns per conversation thread (1: a session a turn)")
    ] = 1,
    versions_kept: Annotated[
        int, typer.Option("--versions-kept", min=0, help="row-keeping commits added to each table before the turns")
    ] = 0,
    as_json: JsonFlag = False,
) -> None:
    """Per-turn memory overhead (gate, writes, promotion, retrieval) p50/p95/p99 by memory count,
    with a plain LanceDB vector search baseline, ingest rates, recall@10, disk and RSS."""
    from tiermem.benchmarks.latency import LatencyBench
    from tiermem.benchmarks.latency_report import markdown, profiled
    from tiermem.benchmarks.latency_report import plot as draw
    from tiermem.memory.policies import IndexPolicy, ReadCachePolicy

    memory_counts = counts(sizes, "--sizes")
    policy = IndexPolicy(vector_index=vector_index)  # type: ignore[arg-type]
    profiler: AbstractContextManager[Any] | None = profiled(profile) if profile else None

    bench = LatencyBench(
        work_dir, turns=turns, policy=policy, reuse=reuse, progress=tracker(quiet=as_json), profiler=profiler,
        ingest_sample=ingest_sample, turn_ingest=min(turns, 100), recall_queries=recall_queries,
        read_cache=ReadCachePolicy(enabled=not no_read_cache), session_turns=session_turns,
        versions_kept=versions_kept,
    )  # fmt: skip
    report = bench.run(memory_counts)
    report.command = bench_command("latency")
    show_report(
        report,
        as_json=as_json,
        plot=plot,
        draw=draw,
        title=f"[bold]latency[/bold] ({report.machine}, {report.turns} turns per size, "
        f"{report.session_turns} per thread)",
        table=markdown,
    )


def bench_ann(
    rows: Annotated[int, typer.Option("--rows", min=100, help="the target namespace's memories")] = 500_000,
    kinds: Annotated[
        str, typer.Option("--kinds", help="comma-separated: ivf_sq, ivf_hnsw_sq, ivf_pq")
    ] = "ivf_sq,ivf_hnsw_sq",
    queries: Annotated[int, typer.Option("--queries", min=1, help="the gate's messages searched with")] = 100,
    work_dir: Annotated[Path, typer.Option("--work-dir", help="where the filled table goes")] = Path(
        ".tiermem-bench/ann"
    ),
    plot: PlotPath = None,
    as_json: JsonFlag = False,
) -> None:
    """Vector index kinds on the latency benchmark's memories: recall@10 against exact search
    and CPU per search at each setting of the kind's knob, and build seconds."""
    from tiermem.benchmarks.ann import SWEEPS, AnnBench
    from tiermem.benchmarks.ann_report import markdown
    from tiermem.benchmarks.ann_report import plot as draw

    chosen = names(kinds, "--kinds", SWEEPS)

    bench = AnnBench(work_dir, rows, chosen, queries=queries, progress=tracker(quiet=as_json))  # type: ignore[arg-type]
    report = bench.run()
    report.command = bench_command("ann")
    show_report(
        report,
        as_json=as_json,
        plot=plot,
        draw=draw,
        title=f"[bold]vector indexes[/bold] ({report.machine}, {report.rows:,} rows, {report.queries} queries)",
        table=markdown,
    )


def register(app: typer.Typer, bench: typer.Typer) -> None:
    """Add ``bench latency``, ``bench ann``, ``maintain`` and ``memories import|export``."""
    bench.command("latency")(bench_latency)
    bench.command("ann")(bench_ann)
    app.command("maintain")(maintain_command)
