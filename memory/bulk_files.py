"""Memory files in and out of a store: a file checked whole before it is imported, a store exported.

:func:`import_file` reads a JSONL or Parquet memory file (see
:mod:`tiermem.memory.bulk_io`) twice: a first pass validates every row and
stops at the first invalid one, naming its line, and checks that the rows not
yet stored fit each namespace's quota, before anything is written; the second
pass imports. An import stopped half-way (a crash, Ctrl-C) keeps
the batches it committed; running it again completes it, since rows whose id
is already stored in their namespace (in any tier) or taken earlier in the same
import are skipped, never duplicated. A row without an id gets one from its
namespace, tier, text and time, the same on every import.

Example:
    >>> written = export(store, "backup.parquet", vectors=True)
    >>> import_file(other_store, "backup.parquet").imported == written
    True
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
from pydantic import ValidationError

from . import filters as f
from .bulk import BATCH_SIZE, ImportReport, Item, Progress, bulk_import, stored_keys
from .bulk_io import RowWriter, iter_rows
from .errors import ImportFileError, InvalidInputError
from .policies import Usage
from .quota import usage_by_namespace
from .records import TIERS, MemoryRecord, validate_namespace
from .schema import from_row
from .store import TierStore


def parse_row(row: dict, store: TierStore, where: str) -> Item:
    """One file row as an :class:`Item`, or :class:`ImportFileError` naming ``where``.

    A ``vector`` is kept only when ``embedder`` names this store's embedder;
    otherwise the text is embedded again on import (so a file moves between
    embedders by export + import).
    """
    row = dict(row)
    vector, embedder = row.pop("vector", None), row.pop("embedder", None)
    if row.get("id") is None:  # the same row gets the same id on every import: a re-import skips it
        row["id"] = content_id(row)
    try:
        record = store.validate(MemoryRecord.model_validate(row))
    except ValidationError as exc:
        problem = exc.errors()[0]
        field = ".".join(str(part) for part in problem["loc"]) or "row"
        raise ImportFileError(
            f"{where}: field {field!r}: {problem['msg']}; fix or remove the row and import again (nothing was imported)"
        ) from None
    except InvalidInputError as exc:
        raise ImportFileError(f"{where}: {exc} (nothing was imported)") from None
    if vector is None or embedder != store.embedder.signature:
        return Item(record)
    try:
        array = np.asarray(vector, dtype=np.float32)
    except (TypeError, ValueError):
        array = np.full(1, np.nan, dtype=np.float32)  # not numbers: refused below
    if array.shape != (store.embedder.dim,) or not np.isfinite(array).all() or not array.any():
        raise ImportFileError(
            f"{where}: vector has shape {array.shape}, non-finite values or only zeros, expected "
            f"{store.embedder.dim} finite floats; drop the vector to have the text embedded again "
            "(nothing was imported)"
        )
    return Item(record, array)


_CORE_FIELDS = ("namespace", "tier", "text", "created_at")


def _is_default(field: str, value: object) -> bool:
    """Whether ``value`` is what a row that leaves ``field`` out gets (so giving it changes no id)."""
    info = MemoryRecord.model_fields.get(field)
    return value is None or (info is not None and bool(value == info.get_default(call_default_factory=True)))


def content_id(row: dict) -> str:
    """The id of a file row that gives none, from everything it says (an id drawn at random
    made each import of the file store it again): its namespace, tier, text and time, and any
    other field it gives (two versions of a fact said in the same words are two rows; a row
    of the four alone keeps the id it had before the others counted)."""
    rest = {k: v for k, v in sorted(row.items()) if k not in _CORE_FIELDS and k != "id" and not _is_default(k, v)}
    said = json.dumps([row.get(k) for k in _CORE_FIELDS] + ([rest] if rest else []), default=str, sort_keys=True)
    return "c" + hashlib.blake2b(said.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


def validate_file(store: TierStore, path: str | Path, fmt: str | None = None) -> int:
    """Check every row of a memory file, and the namespaces' quotas, without writing;
    returns the row count.

    Raises:
        ImportFileError: the first invalid row, by line (JSONL) or row (Parquet) number.
        QuotaExceededError: importing the rows not yet stored would take a namespace past its cap.
    """
    name = Path(path).name
    count = 0
    adding: dict[str, Usage] = {}
    seen: set[tuple[str, str]] = set()
    pending: list[MemoryRecord] = []
    for number, row in iter_rows(path, fmt):
        record = parse_row(row, store, f"{name} line {number}").record
        count += 1
        if store.quota.enabled and (record.namespace, record.id) not in seen:
            seen.add((record.namespace, record.id))
            pending.append(record)
            if len(pending) == BATCH_SIZE:
                _tally_new(store, pending, adding)
                pending = []
    _tally_new(store, pending, adding)
    store.check_quota(adding)
    return count


def _tally_new(store: TierStore, records: list[MemoryRecord], adding: dict[str, Usage]) -> None:
    """Add to ``adding`` what ``records`` not yet stored would add to their namespaces."""
    stored: set[tuple[str, str]] = set()
    for tier in TIERS:  # stored in any tier, as the import skips them
        stored |= stored_keys(store, tier, records)
    fresh = [r for r in records if (r.namespace, r.id) not in stored]
    for namespace, usage in usage_by_namespace([r.namespace for r in fresh], [r.text for r in fresh]).items():
        adding[namespace] = adding.get(namespace, Usage()) + usage


def import_file(
    store: TierStore,
    path: str | Path,
    fmt: str | None = None,
    *,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    index: bool = True,
) -> ImportReport:
    """Validate a JSONL or Parquet memory file, then import it (see the module docs).

    Raises:
        ImportFileError: an invalid row; nothing was written.
        QuotaExceededError: the file would take a namespace past its cap; nothing was written.
    """
    validate_file(store, path, fmt)
    name = Path(path).name
    items = (parse_row(row, store, f"{name} line {number}") for number, row in iter_rows(path, fmt))
    return bulk_import(store, items, batch_size=batch_size, progress=progress, index=index)


def export(
    store: TierStore,
    path: str | Path,
    fmt: str | None = None,
    *,
    namespace: str | None = None,
    vectors: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
) -> int:
    """Write every memory (of one namespace, or all) to a JSONL or Parquet file.

    Args:
        store: the store to read.
        path: the file to write (its suffix picks the format unless ``fmt``).
        namespace: only this namespace (default: all).
        vectors: include each vector and the embedder signature, so an import
            into a store with the same embedder skips embedding.
        batch_size: rows read per batch.
        progress: called with the rows of each written batch.

    Returns:
        The rows written.
    """
    clause = f.eq("namespace", validate_namespace(namespace)) if namespace is not None else None
    with RowWriter(path, fmt, with_vectors=vectors) as out:
        for tier in TIERS:
            table = store.table(tier)
            columns = [name for name in table.schema.names if vectors or name != "vector"]
            query = table.search().select(columns)
            if clause is not None:
                query = query.where(clause)
            for batch in query.to_batches(batch_size):
                rows = batch.to_pylist()
                matrix = (
                    batch.column("vector").flatten().to_numpy().reshape(-1, store.embedder.dim) if vectors else None
                )
                out.write([from_row(row) for row in rows], matrix, store.embedder.signature)
                if progress is not None:
                    progress(len(rows))
    return out.rows
