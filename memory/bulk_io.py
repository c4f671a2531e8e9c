"""Memory files: JSON Lines and Parquet, read and written in streaming batches.

One row is one :class:`~tiermem.memory.records.MemoryRecord` as JSON
(``record.model_dump(mode="json")``), optionally with its ``vector`` and the
``embedder`` signature that made it (so an import into a store with the same
embedder skips embedding). Both formats hold the same rows; a file's format is
taken from its suffix (``.jsonl``, ``.ndjson``, ``.parquet``, ``.pq``) unless
given.

Example:
    >>> with RowWriter("memories.parquet") as out:
    ...     out.write([record])
    >>> [row["text"] for _, row in iter_rows("memories.parquet")]
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from .errors import ImportFileError, InvalidInputError
from .records import MemoryRecord

FileFormat = Literal["jsonl", "parquet"]
SUFFIXES: dict[str, FileFormat] = {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet"}
READ_BATCH = 4096
"""Rows read from a Parquet file at a time."""

_TS = pa.timestamp("us", tz="UTC")
FACT_TYPE = pa.struct(
    [
        pa.field("subject", pa.string()),
        pa.field("attribute", pa.string()),
        pa.field("value", pa.string()),
        pa.field("observed_at", _TS),
        pa.field("statement", pa.string()),
    ]
)


def file_schema(with_vectors: bool) -> pa.Schema:
    """The Parquet schema of a memory file (``vector`` and ``embedder`` only ``with_vectors``)."""
    fields = [
        pa.field("id", pa.string(), nullable=False),
        pa.field("namespace", pa.string(), nullable=False),
        pa.field("tier", pa.string(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        pa.field("created_at", _TS),
        pa.field("expires_at", _TS),
        pa.field("source_ids", pa.list_(pa.string())),
        pa.field("importance", pa.float64()),
        pa.field("fact", FACT_TYPE),
        pa.field("kind", pa.string()),
        pa.field("thread_id", pa.string()),
        pa.field("confirmations", pa.int64()),
    ]
    if with_vectors:
        fields += [pa.field("vector", pa.list_(pa.float32())), pa.field("embedder", pa.string())]
    return pa.schema(fields)


def file_format(path: str | Path, fmt: str | None = None) -> FileFormat:
    """The format of ``path``: ``fmt`` if given, else from the suffix.

    Raises:
        InvalidInputError: an unknown format or suffix.
    """
    if fmt is not None:
        if fmt not in ("jsonl", "parquet"):
            raise InvalidInputError(f"unknown memory file format {fmt!r}; use 'jsonl' or 'parquet'")
        return fmt  # type: ignore[return-value]
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise InvalidInputError(
            f"cannot tell the format of {str(path)!r} from its suffix {suffix!r}; "
            f"name it {' / '.join(SUFFIXES)} or pass --format jsonl|parquet"
        )
    return SUFFIXES[suffix]


def iter_rows(path: str | Path, fmt: str | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line or row number from 1, row)`` for every row of a memory file, streaming.

    Raises:
        ImportFileError: a JSONL line that is not a JSON object (names the line).
    """
    path = Path(path)
    if file_format(path, fmt) == "parquet":
        number = 0
        for batch in pq.ParquetFile(path).iter_batches(batch_size=READ_BATCH):
            for row in batch.to_pylist():
                number += 1
                yield number, row
        return
    with path.open("rb") as lines:  # decoded line by line, so an error names its own line
        for number, raw in enumerate(lines, start=1):
            try:  # a byte-order mark is no row
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8").rstrip("\r\n")
            except UnicodeDecodeError:
                raise ImportFileError(
                    f"{path.name} line {number}: not valid UTF-8; save the file as UTF-8"
                    + (" (it is a Parquet file: read it with --format parquet)" if _is_parquet(path) else "")
                ) from None
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ImportFileError(
                    f"{path.name} line {number}: not valid JSON ({exc.msg.removesuffix(' at')} at column {exc.colno})"
                ) from None
            if not isinstance(row, dict):
                raise ImportFileError(f"{path.name} line {number}: expected a JSON object, got {type(row).__name__}")
            yield number, row


class RowWriter:
    """Writes memory rows to a JSONL or Parquet file, batch by batch.

    Args:
        path: the file to (over)write.
        fmt: ``jsonl`` or ``parquet`` (default: from the suffix).
        with_vectors: whether rows carry ``vector`` and ``embedder`` (Parquet schema).
    """

    def __init__(self, path: str | Path, fmt: str | None = None, *, with_vectors: bool = False) -> None:
        self.path = Path(path)
        self.format = file_format(self.path, fmt)
        self.schema = file_schema(with_vectors)
        self.rows = 0
        self._text: Any = None
        self._parquet: pq.ParquetWriter | None = None

    def __enter__(self) -> RowWriter:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.format == "jsonl":
            self._text = self.path.open("w", encoding="utf-8")
        else:
            self._parquet = pq.ParquetWriter(self.path, self.schema, compression="zstd")
        return self

    def write(self, records: Sequence[MemoryRecord], vectors: np.ndarray | None = None, embedder: str = "") -> None:
        """Append records (with their vectors and the embedder signature, if the file has them)."""
        if not records:
            return
        if self._parquet is not None:
            self._parquet.write_table(self._arrow(records, vectors, embedder))
        else:
            rows = [record.model_dump(mode="json") for record in records]
            if vectors is not None:
                for row, vector in zip(rows, vectors, strict=True):
                    row["vector"] = vector.tolist()
                    row["embedder"] = embedder
            self._text.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        self.rows += len(records)

    def _arrow(self, records: Sequence[MemoryRecord], vectors: np.ndarray | None, embedder: str) -> pa.Table:
        plain = self.schema
        for name in ("vector", "embedder"):
            if name in plain.names:
                plain = plain.remove(plain.get_field_index(name))
        table = pa.Table.from_pylist([record.model_dump() for record in records], schema=plain)
        if vectors is None:
            return table
        count, dim = vectors.shape
        offsets = pa.array(np.arange(0, (count + 1) * dim, dim, dtype=np.int32))
        flat = pa.array(np.ascontiguousarray(vectors, dtype=np.float32).ravel())
        table = table.append_column(self.schema.field("vector"), pa.ListArray.from_arrays(offsets, flat))
        return table.append_column(self.schema.field("embedder"), pa.array([embedder] * count, pa.string()))

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._parquet is not None:
            self._parquet.close()
        if self._text is not None:
            self._text.close()


def _is_parquet(path: Path) -> bool:
    """Whether ``path`` starts with Parquet's magic bytes."""
    try:
        with path.open("rb") as file:
            return file.read(4) == b"PAR1"
    except OSError:
        return False
