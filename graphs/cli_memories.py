"""``tiermem memories list|search|show|forget|erase|import|export``: a user's memories from the shell.

Ids may be abbreviated to a unique start or end of :data:`MIN_ID_PREFIX` characters or more
(the tables show each id's end: tiermem's ids start with their time, so memories written together
share their first characters, not their random end); import and
export read and write JSONL or Parquet, ``-`` for stdin / stdout.
"""

from __future__ import annotations

import difflib
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table
from tiermem.memory import filters
from tiermem.memory.errors import ImportFileError, InvalidInputError, NotFoundError
from tiermem.memory.progress import Progress
from tiermem.memory.records import MemoryRecord

if TYPE_CHECKING:
    from tiermem.memory.store import TierStore

from .cli_common import DataDir, JsonFlag, User, console, emit_json, err, memories_app, services_for

MIN_ID_PREFIX = 8
"""Characters of a record id (its start or end) that ``memories show|forget`` accept as an abbreviation."""
SHOWN_END = "…"
"""Marks an id shown by its end in the tables ("…3daec973d")."""
SHOWN_CHARS = 10
"""Characters of an id's random end the tables show."""


def shown_id(record_id: str) -> str:
    """An id as the tables show it: whole if short, else its random end after ``…``."""
    return record_id if len(record_id) <= SHOWN_CHARS + 1 else SHOWN_END + record_id[-SHOWN_CHARS:]


Format = Annotated[
    str | None, typer.Option("--format", help="jsonl or parquet (default: from the suffix; needed with -)")
]
STDIO = "-"
"""The file name that means stdin (import) or stdout (export)."""


def _is_stdio(file: Path, fmt: str | None) -> bool:
    """Whether ``file`` is ``-``, checking that the format, which no suffix tells then, is given."""
    if str(file) != STDIO:
        return False
    if fmt is None:
        raise typer.BadParameter("give jsonl or parquet to read stdin or write stdout (-)", param_hint="--format")
    return True


@contextmanager
def _readable(file: Path, fmt: str | None) -> Iterator[Path]:
    """``file``, or for ``-`` a temporary copy of stdin named ``stdin`` (an import reads its file twice).

    Raises:
        typer.BadParameter: ``file`` is not a file (typer's own check would refuse ``-``).
    """
    if not _is_stdio(file, fmt):
        if not file.is_file():
            raise typer.BadParameter(f"{str(file)!r} is not a file", param_hint="FILE")
        yield file
        return
    with tempfile.TemporaryDirectory(prefix="tiermem-import-") as folder:
        copy = Path(folder) / "stdin"
        with copy.open("wb") as out:
            shutil.copyfileobj(sys.stdin.buffer, out)
        yield copy


@contextmanager
def _writable(file: Path, fmt: str | None) -> Iterator[Path]:
    """``file``, or for ``-`` a temporary file copied to stdout once written in full."""
    if not _is_stdio(file, fmt):
        yield file
        return
    with tempfile.TemporaryDirectory(prefix="tiermem-export-") as folder:
        copy = Path(folder) / "stdout"
        yield copy
        with copy.open("rb") as written:
            shutil.copyfileobj(written, sys.stdout.buffer)
        sys.stdout.buffer.flush()


def _validate(store: TierStore, file: Path, fmt: str | None) -> int:
    """:func:`~tiermem.memory.bulk_files.validate_file`, a file pyarrow cannot read named as bad input."""
    import pyarrow as pa
    from tiermem.memory.bulk_files import validate_file

    try:
        return validate_file(store, file, fmt)
    except pa.ArrowException as exc:
        raise ImportFileError(
            f"{file.name}: not a readable {fmt or 'Parquet'} memory file ({exc}); check the file and --format"
        ) from None


def memories_import(
    file: Annotated[Path, typer.Argument(help="a .jsonl or .parquet memory file (-: stdin)")],
    data_dir: DataDir = None,
    fmt: Format = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, max=65536, help="rows per commit")] = 2048,
    no_index: Annotated[bool, typer.Option("--no-index", help="skip the maintenance pass at the end")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Import memories (one record per row). The whole file is validated first: an invalid
    row stops the import before anything is written, naming its line."""
    from tiermem.memory.bulk_files import import_file

    with _readable(file, fmt) as path:
        services = services_for(data_dir)
        total = _validate(services.store, path, fmt)
        with Progress(total, task=f"import {path.name}", unit="row") as progress:
            report = import_file(
                services.store, path, fmt, batch_size=batch_size, progress=progress.update, index=not no_index
            )
    retrains = {namespace: services.queue_retrain(namespace, "import") for namespace in report.ledger_namespaces}
    if as_json:
        emit_json(report.model_dump(mode="json") | {"retrain_jobs": retrains})
        return
    console.print(
        f"imported {report.imported:,} of {report.rows:,} rows ({report.skipped:,} already stored or repeated), "
        f"{report.embedded:,} embedded, {report.per_second:,.0f} rows/s: {escape(str(report.tables))}"
    )
    if retrains:
        console.print(f"retrains queued for {len(retrains)} user(s) with new ledger facts: run `tiermem worker`")


def memories_export(
    file: Annotated[Path, typer.Argument(help="the .jsonl or .parquet file to write (-: stdout)")],
    user: Annotated[str | None, typer.Option("--user", "-u", help="one namespace (default: all)")] = None,
    data_dir: DataDir = None,
    fmt: Format = None,
    vectors: Annotated[bool, typer.Option("--vectors", help="include vectors (import skips embedding)")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Export memories to JSONL or Parquet (the format `tiermem memories import` reads); to
    stdout with `-` (the summary goes to stderr then)."""
    from tiermem.memory.bulk_files import export

    store = services_for(data_dir, existing=True).store
    start = time.perf_counter()
    with _writable(file, fmt) as path, Progress(store.count(user), task=f"export {file.name}", unit="row") as progress:
        rows = export(store, path, fmt, namespace=user, vectors=vectors, progress=progress.update)
    to_stdout = str(file) == STDIO
    if as_json:
        summary = {"file": str(file), "rows": rows, "seconds": round(time.perf_counter() - start, 3)}
        emit_json(summary, stream=sys.stderr if to_stdout else None)
    else:
        (err if to_stdout else console).print(escape(f"exported {rows:,} memories to {file}"))


def _records_table(records: list[MemoryRecord]) -> Table:
    table = Table("id", "tier", "created", "text", "fact")
    for r in records:
        table.add_row(
            escape(shown_id(r.id)),
            r.tier,
            f"{r.created_at:%Y-%m-%d %H:%M}",
            escape(r.text[:60]),
            escape(f"{r.key} = {r.fact.value}") if r.fact else "",
        )
    return table


def memories_list(
    user: User = "default",
    data_dir: DataDir = None,
    as_json: JsonFlag = False,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    expired: Annotated[bool, typer.Option("--expired", help="also short-term memories past their TTL")] = False,
) -> None:
    """List a user's memories, newest first (those past their TTL, which no search finds, with --expired)."""
    from tiermem.memory.records import utcnow

    store = services_for(data_dir, existing=True).store
    records = store.records(user, limit=limit, now=None if expired else utcnow())
    if as_json:
        emit_json({"memories": [r.model_dump(mode="json") for r in records]})
    else:
        console.print(_records_table(records))
        known = store.namespaces() if not records else []
        if not records and user not in known:
            # a count, and only the names a typo would give: a listing of one user names no others
            close = [k for k in known if k.casefold() == user.casefold()] or difflib.get_close_matches(
                user, known, 3, 0.8
            )
            hint = f"{len(known)} users have memories here" if known else "nothing is stored here yet"
            hint += f"; did you mean {', '.join(map(repr, close))}?" if close else ""
            err.print(escape(f"no memories of user {user!r} in this data dir ({hint})"))


def memories_search(
    query: str,
    user: User = "default",
    data_dir: DataDir = None,
    as_json: JsonFlag = False,
    k: Annotated[int, typer.Option(min=1, max=200)] = 10,
) -> None:
    """Search a user's memories with the retrieval agent."""
    from tiermem.memory.records import utcnow

    result = services_for(data_dir, existing=True).retriever.retrieve(user, query, now=utcnow(), k=k)
    if as_json:
        emit_json(result.model_dump(mode="json"))
        return
    table = Table("score", "tier", "id", "memory")
    for item in result.items:
        table.add_row(f"{item.score:.4f}", item.tier, escape(shown_id(item.id)), escape(item.render()))
    console.print(table)


def find_record(store: TierStore, user: str, record_id: str) -> MemoryRecord:
    """``user``'s memory named by ``record_id``: its full id, or a unique start or end of it of at
    least :data:`MIN_ID_PREFIX` characters (the tables show ids' ends as ``…`` and the end).

    Raises:
        NotFoundError: no memory of ``user`` has that id, id start or id end.
        InvalidInputError: the prefix is shared by several of ``user``'s memories (listed).
    """
    try:
        return store.get(user, record_id)
    except NotFoundError:
        part = record_id.removeprefix(SHOWN_END).removeprefix("...")
        if len(part) < MIN_ID_PREFIX:
            raise
        column = filters.column("id")
        either = filters.any_of(filters.starts_with(column, part), filters.ends_with(column, part))
        matches = {r.id: r for r in store.records(user, extra=either)}
        if not matches:
            raise
    if len(matches) > 1:
        raise InvalidInputError(
            f"id part {record_id!r} matches {len(matches)} memories of {user!r}: "
            f"{', '.join(sorted(matches))}; give more of the id"
        )
    return next(iter(matches.values()))


def memories_show(record_id: str, user: User = "default", data_dir: DataDir = None, as_json: JsonFlag = False) -> None:
    """Show one memory (id, or a unique start or end of 8+ characters), or with --json the record as
    `memories list --json` gives it."""
    record = find_record(services_for(data_dir, existing=True).store, user, record_id).model_dump(mode="json")
    if as_json:
        emit_json(record)
        return
    table = Table("field", "value", show_header=False)
    for field, value in record.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        table.add_row(field, escape(shown))
    console.print(table)


def memories_forget(
    record_id: str, user: User = "default", data_dir: DataDir = None, as_json: JsonFlag = False
) -> None:
    """Forget a memory (id, or a unique start or end of 8+ characters) everywhere: every version of its
    fact, old table versions too; a forgotten long-term fact also queues an adapter retrain without it."""
    services = services_for(data_dir, existing=True)
    report = services.forget(user, find_record(services.store, user, record_id).id)
    if as_json:
        emit_json(report.model_dump(mode="json"))
    else:
        retrain = f"; adapter retrain queued as job {report.retrain_job}" if report.retrain_job else ""
        if report.adapters_purged:
            retrain += f"; adapter versions trained on it deleted: {', '.join(report.adapters_purged)}"
        copies = f"; masked in {report.traces_redacted} trace events, {report.checkpoints_redacted} checkpoint rows"
        if report.masked_in:
            copies += f" and in the text of {', '.join(report.masked_in)} (stated in the same message, kept)"
        tables = ", ".join(f"{table} {rows}" for table, rows in report.tables.items())
        console.print(escape(f"forgot {report.rows} rows ({tables}){copies}{retrain}"))


def memories_erase(
    user: Annotated[str, typer.Option("--user", "-u", help="the user id (memory namespace) to erase")],
    yes: Annotated[bool, typer.Option("--yes", help="erase without asking (needed without a terminal)")] = False,
    data_dir: DataDir = None,
    as_json: JsonFlag = False,
) -> None:
    """Erase a user: every memory of every tier (old table versions included), their saved
    traces, checkpointed threads and adapter versions. It cannot be undone."""
    if not yes:
        if not sys.stdin.isatty():
            raise typer.BadParameter("erasing a user cannot be undone: add --yes to confirm", param_hint="--yes")
        typer.confirm(f"Erase everything kept of user {user!r}? This cannot be undone", abort=True)
    report = services_for(data_dir, existing=True).erase_user(user)
    if as_json:
        emit_json(report.model_dump(mode="json"))
        return
    tables = ", ".join(f"{table} {rows}" for table, rows in report.tables.items()) or "none held"
    purged = ", ".join(report.adapters_purged) or "none"
    console.print(
        escape(
            f"erased user {user}: {report.rows} rows ({tables}), {report.trace_events} trace events, "
            f"{report.checkpoint_threads} checkpointed threads, adapter versions: {purged}"
        )
    )


def register(app: typer.Typer, bench: typer.Typer) -> None:
    """Add the memories commands to ``tiermem memories``."""
    memories_app.command("list")(memories_list)
    memories_app.command("search")(memories_search)
    memories_app.command("show")(memories_show)
    memories_app.command("forget")(memories_forget)
    memories_app.command("erase")(memories_erase)
    memories_app.command("import")(memories_import)
    memories_app.command("export")(memories_export)
