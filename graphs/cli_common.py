"""What every ``tiermem`` command module shares: the app and its sub-apps, the consoles, the
common options, configuration and services for a ``--data-dir``, JSON and error output.

:mod:`tiermem.graphs.cli` adds the commands (its own and its command modules'), so a command
module can be imported on its own.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from tiermem.memory.errors import ConfigError, EmbedderMismatchError, InvalidInputError, NotFoundError

from .config import TierMemConfig

if TYPE_CHECKING:
    from .services import Services

app = typer.Typer(help="tiermem: tiered memory for LLM agents.", no_args_is_help=True, pretty_exceptions_enable=False)
memories_app = typer.Typer(help="Inspect and edit stored memories.", no_args_is_help=True)
bench_app = typer.Typer(help="Benchmarks (results go to BENCHMARKS.md).", no_args_is_help=True)
app.add_typer(memories_app, name="memories")
app.add_typer(bench_app, name="bench")


UNBOUNDED_WIDTH = 1 << 14
"""Columns of output off a terminal: tables take the width their cells need."""


def _console(*, stderr: bool = False) -> Console:
    """A console that wraps lines at the terminal's width on a terminal only: a message piped or
    redirected stays one line (tables keep their layout)."""
    made = Console(stderr=stderr)
    made.soft_wrap = not made.is_terminal
    if not made.is_terminal and "COLUMNS" not in os.environ:  # a pipe has no width: crop nothing
        made.width = UNBOUNDED_WIDTH
    return made


console = _console()
err = _console(stderr=True)

DataDir = Annotated[str | None, typer.Option("--data-dir", help="data dir or URI (default: config)")]
User = Annotated[str, typer.Option("--user", "-u", help="user id (memory namespace)")]
JsonFlag = Annotated[bool, typer.Option("--json", help="print JSON")]
BAD_INPUT = (InvalidInputError, KeyError, ConfigError, EmbedderMismatchError)
"""tiermem errors that exit with status 2: the input, an id or the configuration (a setting, an
embedder other than the one a gate head or the tables were made with) is wrong."""


def load_config(data_dir: str | None, *, existing: bool = False, **overrides: Any) -> TierMemConfig:
    """The configuration with ``--data-dir`` and other CLI overrides applied.

    Args:
        data_dir: the ``--data-dir`` value (``None``: from the config).
        existing: a local data dir given by ``--data-dir``, ``TIERMEM_DATA_DIR`` or the
            config file must exist already (read commands: a mistyped one must not create
            an empty store).
        overrides: other settings given on the command line.

    Raises:
        InvalidInputError: the local data dir is a file.
        NotFoundError: ``existing`` and the data dir given does not exist.
    """
    config = TierMemConfig.load(data_dir=data_dir, **overrides)
    folder = Path(config.data_dir)
    if config.is_local and folder.exists() and not folder.is_dir():
        raise InvalidInputError(f"the data dir {config.data_dir!r} is a file; pass a folder with --data-dir")
    if existing and config.is_local and "data_dir" in config.model_fields_set and not folder.exists():
        raise NotFoundError(
            f"no tiermem data in {config.data_dir}; check --data-dir (or TIERMEM_DATA_DIR), "
            "or store memories there first (tiermem chat, memories import, demo)"
        )
    return config


def services_for(data_dir: str | None, *, existing: bool = False, **overrides: Any) -> Services:
    """Services on the configured data dir, with CLI overrides (see :func:`load_config`)."""
    from .services import Services  # torch and LanceDB: not for `tiermem --help`

    return Services(load_config(data_dir, existing=existing, **overrides))


def emit_json(payload: Any, *, stream: IO[str] | None = None) -> None:
    """Print one JSON document to ``stream`` (default: stdout)."""
    (stream or sys.stdout).write(json.dumps(payload, ensure_ascii=False, default=str) + "\n")


def error_line(message: str) -> None:
    """Print ``message`` as one ``error:`` line on stderr, its brackets as they are."""
    err.print(f"[red]error:[/red] {escape(message)}", markup=True, highlight=False)
