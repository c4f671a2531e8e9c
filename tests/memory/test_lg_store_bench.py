"""`tiermem bench store` at a tiny size: every store, every operation, sane figures."""

from __future__ import annotations

import json

from tiermem.benchmarks.store import OPERATIONS, STORES, bench_stores, hash_embed
from tiermem.graphs.cli import app
from typer.testing import CliRunner


def test_hash_embed_is_deterministic_unit_vectors() -> None:
    embed = hash_embed(16)
    first, again = embed(["a", "b"]), embed(["a"])
    assert first[0] == again[0] and first[0] != first[1]
    assert abs(sum(x * x for x in first[1]) - 1) < 1e-9


def test_bench_times_every_store_and_operation() -> None:
    report = bench_stores(sizes=(300,), samples=5, dims=16, progress=False)
    assert {(r.store, r.op) for r in report.results} == {(s, op) for s in STORES for op in OPERATIONS}
    assert all(0 < r.p50_ms <= r.p95_ms for r in report.results)
    assert report.ratio("get", 300, "sqlite") > 0


def test_cli_prints_json() -> None:
    args = ["bench", "store", "--sizes", "200", "--samples", "3", "--stores", "lancedb,inmemory", "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output.strip().splitlines()[-1])
    assert {r["store"] for r in payload["results"]} == {"lancedb", "inmemory"}
