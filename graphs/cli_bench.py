"""What the ``tiermem bench`` commands share: the ``--plot`` option and how a report is shown.

A benchmark command runs, then :func:`show_report` draws the plot if one was
asked for and prints the report as JSON (``--json``) or as a title line and a
Markdown table.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from pydantic import BaseModel

from .cli_common import console, emit_json

PlotPath = Annotated[Path | None, typer.Option("--plot", help="write a PNG of the results")]

Report = TypeVar("Report", bound=BaseModel)


def bench_command(name: str) -> str:
    """The command line that ran ``tiermem bench <name>``, as recorded in a report."""
    args = sys.argv[3:] if sys.argv[1:3] == ["bench", name] else []
    return " ".join(["tiermem", "bench", name, *args])


def show_report(
    report: Report,
    *,
    as_json: bool,
    plot: Path | None,
    draw: Callable[[Report, Path], object],
    title: str,
    table: Callable[[Report], str],
) -> None:
    """Draw ``report`` to ``plot`` (if given), then print it as JSON or as ``title`` and a table."""
    if plot is not None:
        draw(report, plot)
    if as_json:
        emit_json(report.model_dump(mode="json"))
        return
    console.print(title)
    console.print(table(report), markup=False)
