"""Rendering of a vector index comparison: a Markdown table and recall against CPU per search."""

from __future__ import annotations

from pathlib import Path

from .ann import AnnReport
from .render import Column, markdown_table, pyplot, save_figure

COLUMNS: tuple[Column, ...] = (
    ("index", "kind", "{}"),
    ("setting", "setting", "{}"),
    ("partitions", "partitions", "{:,}"),
    ("nprobes", "nprobes", "{:,}"),
    ("recall@10", "recall_at_10", "{:.3f}"),
    ("tie-aware recall@10", "tie_recall_at_10", "{:.3f}"),
    ("CPU p50 ms", "cpu_p50_ms", "{:.1f}"),
    ("CPU p95 ms", "cpu_p95_ms", "{:.1f}"),
    ("wall p50 ms", "wall_p50_ms", "{:.1f}"),
    ("wall p95 ms", "wall_p95_ms", "{:.1f}"),
    ("build s", "build_s", "{:.1f}"),
)


def markdown(report: AnnReport) -> str:
    """The results as a Markdown table, one row per kind and setting."""
    return markdown_table(COLUMNS, (result.model_dump() for result in report.results))


def plot(report: AnnReport, path: str | Path) -> Path:
    """Recall@10 against CPU per search, one line per index kind through its settings."""
    fig, ax = pyplot().subplots(figsize=(6, 3.6), dpi=100)
    for kind in dict.fromkeys(r.kind for r in report.results):
        rows = [r for r in report.results if r.kind == kind]
        ax.plot([r.cpu_p50_ms for r in rows], [r.recall_at_10 for r in rows], "o-", label=kind)
        for r in rows:
            ax.annotate(r.setting.split("=")[1], (r.cpu_p50_ms, r.recall_at_10), fontsize=6)
    ax.axhline(0.95, color="grey", linewidth=0.6, label="target recall@10 (0.95)")
    ax.set_xlabel("CPU per search, p50 (ms)")
    ax.set_ylabel("recall@10 against exact search")
    ax.set_title(f"vector indexes on {report.rows:,} memories ({report.queries} queries)", fontsize=9)
    ax.legend(fontsize=7)
    ax.grid(True, linewidth=0.3)
    fig.tight_layout()
    return save_figure(fig, path)
