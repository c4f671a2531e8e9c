"""``tiermem bench ann``: vector index kinds against exact search on the latency benchmark's memories."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tiermem.benchmarks.ann import SWEEPS, AnnBench
from tiermem.benchmarks.ann_report import COLUMNS, markdown
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.policies import IndexPolicy
from tiermem.memory.vector_index import tie_recall

TIERMEM = str(Path(sys.executable).with_name("tiermem"))


def test_tie_recall_counts_rows_at_the_exact_kth_distance() -> None:
    exact = [0.1, 0.2, 0.3]
    assert tie_recall(exact, [0.1, 0.3000001, 0.2], k=3) == 1.0  # another row at the 3rd distance
    assert tie_recall(exact, [0.1, 0.2, 0.35], k=3) == pytest.approx(2 / 3)
    assert tie_recall(exact, [0.1], k=3) == pytest.approx(1 / 3)
    assert tie_recall([], [0.4]) == 1.0


@pytest.mark.slow
def test_every_kind_is_built_and_measured_against_exact_search(
    tmp_path: Path, embedder: BaseEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIERMEM_CACHE_DIR", str(tmp_path / "cache"))
    policy = IndexPolicy(rows_per_partition=1_024)  # IVF_SQ: 512 rows a partition
    # every partition at the last IVF_SQ setting: how much of the top 10 a few of them hold
    # varies with the random k-means of a 2,900-row build (0.88-0.99 at half of them)
    sweeps = {**SWEEPS, "ivf_sq": (0.125, 0.5, 1.0)}
    kinds = ["ivf_sq", "ivf_hnsw_sq", "ivf_pq"]
    bench = AnnBench(tmp_path / "work", 2_000, kinds, policy=policy, queries=12, sweeps=sweeps)
    report = bench.run()
    assert report.rows == 2_000 + 900 and report.target_share == pytest.approx(2_000 / 2_900, abs=1e-4)
    assert 0.0 <= report.tied_queries <= 1.0
    assert [(r.kind, r.setting.split("=")[0]) for r in report.results] == [
        (kind, knob) for kind, knob in (("ivf_sq", "probe_share"), ("ivf_hnsw_sq", "ef"), ("ivf_pq", "nprobes"))
        for _ in sweeps[kind]
    ]  # fmt: skip
    sq = [r for r in report.results if r.kind == "ivf_sq"]
    assert sq[0].partitions == 5 and [r.nprobes for r in sq] == [1, 3, 5]
    for r in report.results:
        assert 0.0 <= r.recall_at_10 <= r.tie_recall_at_10 <= 1.0 and r.cpu_p50_ms > 0 and r.build_s >= 0
    assert sq[-1].tie_recall_at_10 >= 0.95  # every partition, re-ranked
    assert sq[0].recall_at_10 <= sq[-1].recall_at_10  # probing more finds more
    assert markdown(report).count("\n") == len(report.results) + 1
    assert all(key in report.results[0].model_dump() for _, key, _ in COLUMNS)
    again = AnnBench(tmp_path / "work", 2_000, ["ivf_sq"], policy=policy, queries=12, sweeps=sweeps)
    monkeypatch.setattr(again, "_batches", lambda others: pytest.fail("the fill was not reused"))
    assert len(again.run().results) == len(sq)


@pytest.mark.slow
def test_cli_prints_json_and_rejects_an_unknown_kind(tmp_path: Path) -> None:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1", "TIERMEM_CACHE_DIR": str(tmp_path / "cache")}
    command = [TIERMEM, "bench", "ann", "--rows", "1000", "--queries", "5", "--work-dir", str(tmp_path / "w")]
    out = subprocess.run([*command, "--kinds=ivf_sq", "--json"], capture_output=True, text=True, env=env, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    payload = json.loads(out.stdout)
    assert payload["command"].startswith("tiermem bench ann --rows 1000")
    assert [r["setting"] for r in payload["results"]] == [f"probe_share={v:g}" for v in SWEEPS["ivf_sq"]]
    bad = subprocess.run([*command, "--kinds", "hnsw"], capture_output=True, text=True, env=env, timeout=300)
    assert bad.returncode == 2 and "--kinds: unknown ['hnsw']" in bad.stderr
