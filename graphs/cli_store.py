"""``tiermem bench store``: LanceDBStore latency against LangGraph's stores."""

from __future__ import annotations

import platform
from typing import Annotated

import typer
from rich.table import Table

from .cli_common import JsonFlag, console, emit_json
from .cli_options import counts, names


def bench_store(
    sizes: Annotated[str, typer.Option("--sizes", help="comma-separated item counts")] = "10000,100000",
    stores: Annotated[str, typer.Option("--stores", help="lancedb,inmemory,sqlite")] = "lancedb,inmemory,sqlite",
    samples: Annotated[int, typer.Option("--samples", min=1, help="timed calls per operation")] = 200,
    dims: Annotated[int, typer.Option("--dims", min=1, help="embedding width")] = 64,
    as_json: JsonFlag = False,
) -> None:
    """put/get/search p50 and p95 for each store and size, with LanceDB/baseline ratios."""
    from tiermem.benchmarks.store import STORES, bench_stores

    chosen = tuple(names(stores, "--stores", STORES))
    item_counts = tuple(counts(sizes, "--sizes"))
    report = bench_stores(item_counts, chosen, samples=samples, dims=dims, progress=not as_json)
    machine = f"{platform.machine()}, {platform.python_version()}"
    if as_json:
        emit_json({"machine": machine, **report.model_dump(mode="json")})
        return
    table = Table("items", "op", *(f"{s} p50/p95 ms" for s in chosen), title=f"store latency ({machine})")
    baselines = [s for s in chosen if s != "lancedb"] if "lancedb" in chosen else []
    for name in baselines:
        table.add_column(f"lancedb/{name} p50")
    rows = {(r.n_items, r.op, r.store): r for r in report.results}
    for n in item_counts:
        for op in dict.fromkeys(r.op for r in report.results):
            cells = [f"{rows[n, op, s].p50_ms:.3f} / {rows[n, op, s].p95_ms:.3f}" for s in chosen]
            ratios = [f"{report.ratio(op, n, b):.1f}x" for b in baselines]
            table.add_row(str(n), op, *cells, *ratios)
    console.print(table)
    loads = ", ".join(f"{r.store} {r.n_items}: {r.load_s:.1f}s" for r in report.results if r.op == "put")
    console.print(f"load time (batches of 1000): {loads}")


def register(app: typer.Typer, bench: typer.Typer) -> None:
    """Add ``tiermem bench store``."""
    bench.command("store")(bench_store)
