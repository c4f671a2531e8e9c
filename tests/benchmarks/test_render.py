"""The shared Markdown and figure rendering of benchmark reports."""

from __future__ import annotations

from pathlib import Path

from tiermem.benchmarks.render import markdown_table, pyplot, save_figure


def test_markdown_table_formats_each_column() -> None:
    columns = (("size", "n", "{:,}"), ("p50 ms", "p50", "{:.1f}"), ("gate", "ok", "{}"))
    rows = [{"n": 1000, "p50": 2.345, "ok": "pass", "unused": 1}, {"n": 20, "p50": 10.0, "ok": "reject"}]
    assert markdown_table(columns, rows).splitlines() == [
        "| size | p50 ms | gate |",
        "|---|---|---|",
        "| 1,000 | 2.3 | pass |",
        "| 20 | 10.0 | reject |",
    ]


def test_save_figure_creates_folders_and_closes(tmp_path: Path) -> None:
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.plot([1, 2], [3, 4])
    path = save_figure(fig, tmp_path / "a" / "b.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not plt.fignum_exists(fig.number)
