"""Reads straight on Lance datasets: newest version, scans in order, searches with their scores."""

from __future__ import annotations

from pathlib import Path

import lancedb
import numpy as np
import pyarrow as pa
from lancedb.index import FTS
from tiermem.memory.dataset_reader import DatasetReader, Scan


def rows(ids: list[str], angle: float = 0.0) -> pa.Table:
    vectors = [[np.cos(angle + i), np.sin(angle + i)] for i in range(len(ids))]
    return pa.table({"id": ids, "text": [f"row {i} says hello" for i in ids], "vector": vectors})


def test_gather_reads_the_newest_version_in_scan_order(tmp_path: Path) -> None:
    db = lancedb.connect(tmp_path)
    tables = {name: db.create_table(name, rows([f"{name}{i}" for i in range(3)])) for name in ("a", "b")}
    reader = DatasetReader(lambda name: tables[name].to_lance())
    first = reader.gather([Scan("b", ["id"]), Scan("a", ["id"], limit=2), Scan("b", ["id"], filter="id = 'b1'")])
    assert [t.column("id").to_pylist() for t in first] == [["b0", "b1", "b2"], ["a0", "a1"], ["b1"]]
    tables["a"].add(rows(["a9"]))  # committed through LanceDB after the reader opened the dataset
    [after] = reader.gather([Scan("a", ["id"], filter="id = 'a9'")])
    assert after.column("id").to_pylist() == ["a9"]
    assert reader.count_rows("a") == 4 and reader.count_rows("a", "id != 'a9'") == 3


def test_searches_return_their_scores(tmp_path: Path) -> None:
    table = lancedb.connect(tmp_path).create_table("t", rows([f"r{i}" for i in range(6)]))
    table.create_index("text", config=FTS(base_tokenizer="icu"))
    reader = DatasetReader(lambda _: table.to_lance())
    query = {"column": "vector", "q": np.array([1.0, 0.0], dtype=np.float32), "metric": "cosine"}
    near, words, post = reader.gather(
        [
            Scan("t", ["id", "_distance"], limit=2, nearest=query),
            Scan("t", ["id", "_score"], limit=3, match='r4 says "AND" : OR'),  # taken literally
            Scan("t", ["id", "_distance"], filter="id != 'r0'", limit=2, nearest=query, prefilter=False),
        ]
    )
    assert near.column("id").to_pylist()[0] == "r0" and near.column("_distance")[0].as_py() < 1e-6
    assert words.column("id").to_pylist()[0] == "r4" and words.num_rows == 3 and "_score" in words.column_names
    assert "r0" not in post.column("id").to_pylist() and post.num_rows <= 2  # searched first, then filtered
