"""Comma-separated CLI options, read and checked: a bad value exits with status 2 and names the option.

Example:
    >>> counts("100_000,1000", "--sizes")
    [1000, 100000]
    >>> names("ivf_sq", "--kinds", {"ivf_sq", "ivf_pq"})
    ['ivf_sq']
"""

from __future__ import annotations

from collections.abc import Collection

import typer


def names(value: str, option: str, choices: Collection[str]) -> list[str]:
    """The comma-separated names in ``value`` (in order, each once), every one of ``choices``.

    Raises:
        typer.BadParameter: a name is not one of ``choices``, or none is given.
    """
    chosen = list(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    unknown = [name for name in chosen if name not in choices]
    if unknown or not chosen:
        problem = f"unknown {unknown}" if unknown else f"none given in {value!r}"
        raise typer.BadParameter(f"{problem}; choose from {sorted(choices)}", param_hint=option)
    return chosen


def counts(value: str, option: str, *, minimum: int = 1) -> list[int]:
    """The comma-separated whole numbers in ``value`` (``100_000`` allowed), sorted, each once.

    Raises:
        typer.BadParameter: a part is not a whole number or is below ``minimum``, or none is given.
    """
    found: set[int] = set()
    for part in (p.strip() for p in value.split(",")):
        if not part:
            continue
        try:
            number = int(part.replace("_", ""))
        except ValueError:
            raise typer.BadParameter(f"{part!r} is not a whole number", param_hint=option) from None
        if number < minimum:
            raise typer.BadParameter(f"{number} is below {minimum}", param_hint=option)
        found.add(number)
    if not found:
        raise typer.BadParameter(f"no number given in {value!r}; e.g. 1000,10000", param_hint=option)
    return sorted(found)
