"""Plot a ``tiermem bench recall --json`` report: recall@10 per category, tiermem beside the baselines.

Usage:
    python -m tiermem.benchmarks.recall_plot report.json docs/recall_locomo.png
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def plot(report: dict[str, Any], out: Path) -> None:
    """Grouped bars: overall and each category, for tiermem and the three raw-turn baselines."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    systems = {
        f"tiermem ({report['mode']})": report["system"],
        **{f"{name} (raw turns)": report["baselines"][name] for name in ("hybrid", "bm25", "dense")},
    }
    groups = ["all", *report["system"]["per_category"]]
    fig, ax = plt.subplots(figsize=(7.5, 3.4), dpi=110)
    width = 0.8 / len(systems)
    for i, (name, scores) in enumerate(systems.items()):
        values = [scores["recall_at_10"], *(scores["per_category"][g]["recall_at_10"] for g in groups[1:])]
        bars = ax.bar([x + i * width for x in range(len(groups))], values, width, label=name)
        if i == 0:
            ax.bar_label(bars, fmt="%.2f", fontsize=7)
    counts = {g: report["system"]["per_category"][g]["n"] for g in groups[1:]}
    ax.set_xticks(
        [x + width * (len(systems) - 1) / 2 for x in range(len(groups))],
        [f"all\n(n={report['n_questions']})", *(f"{g}\n(n={counts[g]})" for g in groups[1:])],
    )
    ax.set_ylabel("recall@10")
    ax.set_ylim(0, 1.18)
    ax.axhline(0.8, color="grey", linestyle=":", linewidth=1)
    ax.legend(fontsize=7, loc="upper center", ncols=4, frameon=False)
    ax.set_title("LoCoMo evidence recall@10 (10 conversations)", fontsize=9)
    fig.tight_layout()
    fig.savefig(out)


def main(argv: list[str]) -> None:
    """``recall_plot REPORT.json OUT.png``."""
    if len(argv) != 2:
        raise SystemExit("usage: python -m tiermem.benchmarks.recall_plot REPORT.json OUT.png")
    plot(json.loads(Path(argv[0]).read_text("utf-8")), Path(argv[1]))


if __name__ == "__main__":
    main(sys.argv[1:])
