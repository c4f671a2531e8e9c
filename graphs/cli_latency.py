"""``tiermem bench latency|ann``, ``tiermem maintain``, ``tiermem memories import|export``."""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from tiermem.memory.errors import ImportFileError
from tiermem.memory.progress import Progress, tracker
from tiermem.memory.store import TierStore

from .cli import DataDir, JsonFlag, console, emit_json, err, memories_app, services_for
from .cli_bench import PlotPath, bench_command, show_report
from .cli_options import counts, names

Format = Annotated[
    str | None, typer.Option("--format", help="jsonl or parquet (default: from the suffix; needed with -)")
]
STDIO = "-"
"""The file name that means stdin (import) or stdout (export)."""


def _is_stdio(file: Path, fmt: str | None) -> bool:
    """Whether ``file`` is ``-``, checking that the format, which no suffix tells then, is given."""
    if str(file) != STDIO:
        return False
    if fmt is None:
        raise typer.BadParameter("give jsonl or parquet to read stdin or write stdout (-)", param_hint="--format")
    return True


@contextmanager
def _readable(file: Path, fmt: str | None) -> Iterator[Path]:
    """``file``, or for ``-`` a temporary copy of stdin named ``stdin`` (an import reads its file twice).

    Raises:
        typer.BadParameter: ``file`` is not a file (typer's own check would refuse ``-``).
    """
    if not _is_stdio(file, fmt):
        if not file.is_file():
            raise typer.BadParameter(f"{str(file)!r} is not a file", param_hint="FILE")
        yield file
        return
    with tempfile.TemporaryDirectory(prefix="tiermem-import-") as folder:
        copy = Path(folder) / "stdin"
        with copy.open("wb") as out:
            shutil.copyfileobj(sys.stdin.buffer, out)
        yield copy


@contextmanager
def _writable(file: Path, fmt: str | None) -> Iterator[Path]:
    """``file``, or for ``-`` a temporary file copied to stdout once written in full."""
    if not _is_stdio(file, fmt):
        yield file
        return
    with tempfile.TemporaryDirectory(prefix="tiermem-export-") as folder:
        copy = Path(folder) / "stdout"
        yield copy
        with copy.open("rb") as written:
            shutil.copyfileobj(written, sys.stdout.buffer)
        sys.stdout.buffer.flush()


def _validate(store: TierStore, file: Path, fmt: str | None) -> int:
    """:func:`~tiermem.memory.bulk.validate_file`, a file pyarrow cannot read named as bad input."""
    import pyarrow as pa
    from tiermem.memory.bulk import validate_file

    try:
        return validate_file(store, file, fmt)
    except pa.ArrowException as exc:
        raise ImportFileError(
            f"{file.name}: not a readable {fmt or 'Parquet'} memory file ({exc}); check the file and --format"
        ) from None


def memories_import(
    file: Annotated[Path, typer.Argument(help="a .jsonl or .parquet memory file (-: stdin)")],
    data_dir: DataDir = None,
    fmt: Format = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, max=65536, help="rows per commit")] = 2048,
    no_index: Annotated[bool, typer.Option("--no-index", help="skip the maintenance pass at the end")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Import memories (one record per row). The whole file is validated first: an invalid
    row stops the import before anything is written, naming its line."""
    from tiermem.memory.bulk import import_file

    with _readable(file, fmt) as path:
        store = services_for(data_dir).store
        total = _validate(store, path, fmt)
        with Progress(total, task=f"import {path.name}", unit="row") as progress:
            report = import_file(store, path, fmt, batch_size=batch_size, progress=progress.update, index=not no_index)
    if as_json:
        emit_json(report.model_dump(mode="json"))
        return
    console.print(
        f"imported {report.imported:,} of {report.rows:,} rows ({report.skipped:,} already stored or repeated), "
        f"{report.embedded:,} embedded, {report.per_second:,.0f} rows/s: {escape(str(report.tables))}"
    )


def memories_export(
    file: Annotated[Path, typer.Argument(help="the .jsonl or .parquet file to write (-: stdout)")],
    user: Annotated[str | None, typer.Option("--user", "-u", help="one namespace (default: all)")] = None,
    data_dir: DataDir = None,
    fmt: Format = None,
    vectors: Annotated[bool, typer.Option("--vectors", help="include vectors (import skips embedding)")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Export memories to JSONL or Parquet (the format `tiermem memories import` reads); to
    stdout with `-` (the summary goes to stderr then)."""
    from tiermem.memory.bulk import export

    store = services_for(data_dir, existing=True).store
    start = time.perf_counter()
    with _writable(file, fmt) as path, Progress(store.count(user), task=f"export {file.name}", unit="row") as progress:
        rows = export(store, path, fmt, namespace=user, vectors=vectors, progress=progress.update)
    to_stdout = str(file) == STDIO
    if as_json:
        summary = {"file": str(file), "rows": rows, "seconds": round(time.perf_counter() - start, 3)}
        emit_json(summary, stream=sys.stderr if to_stdout else None)
    else:
        (err if to_stdout else console).print(escape(f"exported {rows:,} memories to {file}"))


def maintain_command(
    data_dir: DataDir = None,
    force: Annotated[bool, typer.Option("--force", help="compact and clean up even below the thresholds")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Build the indexes each table needs, compact small files, drop old versions."""
    from tiermem.memory.maintenance import maintain

    services = services_for(data_dir)
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
    from tiermem.memory.maintenance import IndexPolicy
    from tiermem.memory.read_cache import ReadCachePolicy

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
    memories_app.command("import")(memories_import)
    memories_app.command("export")(memories_export)
