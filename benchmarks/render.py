"""Shared rendering of benchmark reports: Markdown tables and PNG figures.

A table is described by columns ``(title, key, format)``; each row is a
mapping from key to value. Figures are drawn with matplotlib's Agg backend
(no display needed) and saved with :func:`save_figure`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Column = tuple[str, str, str]
"""``(title, key, format)``: the header, the row key, a ``str.format`` pattern."""


def markdown_table(columns: Sequence[Column], rows: Iterable[Mapping[str, Any]]) -> str:
    """A Markdown table: a header row, a separator, then one line per row."""
    lines = ["| " + " | ".join(title for title, _, _ in columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(fmt.format(row[key]) for _, key, fmt in columns) + " |" for row in rows]
    return "\n".join(lines)


def pyplot() -> Any:
    """``matplotlib.pyplot`` on the Agg backend (imported on first use: matplotlib is slow to load)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save_figure(fig: Figure, path: str | Path) -> Path:
    """Save ``fig`` as ``path`` (folders created), close it and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    pyplot().close(fig)
    return path
