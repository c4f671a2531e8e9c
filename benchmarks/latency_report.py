"""Rendering of a latency benchmark run: a Markdown table and a log-scale plot."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .latency import LatencyReport
from .render import Column, markdown_table, pyplot, save_figure

COLUMNS: tuple[Column, ...] = (
    ("memories", "size", "{:,}"),
    ("turn p50 ms", "p50_ms", "{:.1f}"),
    ("turn p95 ms", "p95_ms", "{:.1f}"),
    ("turn p99 ms", "p99_ms", "{:.1f}"),
    ("first turn ms", "first_turn_ms", "{:,.0f}"),
    ("turn CPU p50 ms", "cpu_p50_ms", "{:.1f}"),
    ("retrieval p95 ms", "retrieval_p95_ms", "{:.1f}"),
    ("baseline search p50 ms", "baseline_search_p50_ms", "{:.1f}"),
    ("turn / baseline p50", "overhead_ratio_p50", "{:.1f}x"),
    ("recall@10", "recall_at_10", "{:.3f}"),
    ("tie-aware recall@10", "tie_recall_at_10", "{:.3f}"),
    ("score ratio@10", "score_ratio_at_10", "{:.4f}"),
    ("bulk import msg/s", "ingest_per_s", "{:,.0f}"),
    ("bulk, vectors given, rows/s", "fill_per_s", "{:,.0f}"),
    ("per-turn ingest msg/s", "turn_ingest_per_s", "{:.1f}"),
    ("index build s", "index_s", "{:.0f}"),
    ("disk per 1k", "disk_bytes_per_1k", "{:,.0f} B"),
    ("peak RSS MB", "peak_rss_mb", "{:,.0f}"),
    ("read cache rows", "read_cache_rows", "{:,}"),
    ("load avg", "load_avg", "{:.1f}"),
)


def markdown(report: LatencyReport) -> str:
    """The results as a Markdown table, one row per size."""
    return markdown_table(COLUMNS, (result.model_dump() for result in report.results))


def plot(report: LatencyReport, path: str | Path) -> Path:
    """Latency against memories in the namespace, both axes log scale, as a small PNG."""
    sizes = [r.size for r in report.results]
    fig, ax = pyplot().subplots(figsize=(6, 3.6), dpi=100)
    for key, label, style in (
        ("p50_ms", "turn overhead p50", "o-"),
        ("p95_ms", "turn overhead p95", "s-"),
        ("p99_ms", "turn overhead p99", "^:"),
        ("retrieval_p95_ms", "retrieval p95", "d--"),
        ("baseline_search_p50_ms", "plain LanceDB vector search p50", "x-."),
    ):
        ax.plot(sizes, [getattr(r, key) for r in report.results], style, label=label)
    ax.axhline(25, color="grey", linewidth=0.6, label="target p50 (25 ms)")
    ax.axhline(60, color="grey", linewidth=0.6, linestyle="--", label="target p95 (60 ms)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("memories in the namespace")
    ax.set_ylabel("ms")
    ax.set_title("tiermem per-turn memory overhead (generation excluded)", fontsize=9)
    ax.legend(fontsize=7)
    ax.grid(True, which="both", linewidth=0.3)
    fig.tight_layout()
    return save_figure(fig, path)


@contextmanager
def profiled(path: Path) -> Iterator[None]:
    """Profile the block with pyinstrument; text to ``path``, HTML next to it."""
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    try:
        yield
    finally:
        profiler.stop()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(profiler.output_text(unicode=True, show_all=False), encoding="utf-8")
        profiler.write_html(path.with_suffix(".html"))
