"""``tiermem bench latency`` end to end on tiny sizes (real graph, real LanceDB, real embedder)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tiermem.benchmarks.latency import MIN_OTHERS, LatencyReport
from tiermem.benchmarks.latency_report import COLUMNS, markdown

TIERMEM = str(Path(sys.executable).with_name("tiermem"))
REQUIRED = {"size", "p50_ms", "p95_ms", "p99_ms", "ingest_per_s", "baseline_search_p50_ms"}


def bench(tmp_path: Path, *args: str) -> dict:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1", "TIERMEM_CACHE_DIR": str(tmp_path / "cache")}
    command = [TIERMEM, "bench", "latency", "--turns", "6", "--ingest-sample", "40", "--recall-queries", "6"]
    out = subprocess.run(
        [*command, "--work-dir", str(tmp_path / "work"), "--json", *args],
        capture_output=True, text=True, timeout=1200, env=env,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout)


@pytest.mark.slow
def test_bench_latency_json_plot_and_reuse(tmp_path: Path) -> None:
    plot = tmp_path / "latency.png"
    payload = bench(tmp_path, "--sizes", "600,200", "--plot", str(plot))
    results = payload["results"]
    assert [r["size"] for r in results] == [200, 600]
    for r in results:
        assert set(r) >= REQUIRED
        assert r["total_rows"] == r["size"] + MIN_OTHERS  # the fill, without the turns' own writes
        assert 0 < r["p50_ms"] <= r["p95_ms"] <= r["p99_ms"] and r["cpu_p50_ms"] > 0 and r["first_turn_ms"] > 0
        assert r["baseline_search_p50_ms"] > 0 and r["retrieval_p50_ms"] > 0
        assert r["overhead_ratio_p50"] == pytest.approx(r["p50_ms"] / r["baseline_search_p50_ms"], rel=0.02)
        assert {"gate", "tools", "retrieve"} <= set(r["nodes_p50_ms"])
        assert r["ingest_per_s"] > 0 and r["fill_per_s"] > 0 and r["turn_ingest_per_s"] > 0
        assert 0.0 <= r["recall_at_10"] <= 1.0
        assert r["disk_bytes_per_1k"] > 0 and r["peak_rss_mb"] > 100
        assert r["read_cache_rows"] >= r["size"] and r["read_cache_loads"] >= 3  # the target's three tables
    assert payload["read_cache"]["enabled"] is True
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    table = markdown(LatencyReport.model_validate(payload)).splitlines()
    assert len(table) == 4 and table[0].count("|") == len(COLUMNS) + 1 and table[2].startswith("| 200 |")

    again = bench(
        tmp_path, "--sizes", "200", "--reuse", "--no-read-cache", "--session-turns", "3", "--versions-kept", "5"
    )
    assert payload["session_turns"] == 1 and again["session_turns"] == 3
    assert payload["versions_kept"] == 0 and again["versions_kept"] == 5  # row-keeping commits: no rows added
    assert again["results"][0]["total_rows"] == results[0]["total_rows"]
    assert again["results"][0]["fill_per_s"] == results[0]["fill_per_s"]  # not filled again
    assert again["read_cache"]["enabled"] is False and again["results"][0]["read_cache_rows"] == 0
