"""A relation's facts said about whoever held the relation then.

"Emma is allergic to cats" with Emma the girlfriend is stored as ``girlfriend.allergy = cats``;
once "My girlfriend is now Sophie" gives ``user.girlfriend`` a newer version with another name,
that allergy is still Emma's, not Sophie's. :func:`by_holder` reads each fact keyed by a
relation as the holder's it was observed under: the versions observed while the relation's
current holder held it stay the relation's (``girlfriend.allergy``), those observed under an
earlier holder become that person's (``emma.allergy``), so "Is Sophie allergic to cats?" is not
told and "Is Emma allergic to cats?" is answered from what was said while Emma was the
girlfriend. The holder at a time is the newest name of the relation observed by then (before
any, its first name); a relation without a stored name, or named once, changes nothing.

Example:
    >>> from datetime import datetime, timedelta
    >>> from tiermem.agents.retriever import FactVersion
    >>> t = datetime(2024, 5, 3, 8)
    >>> named = RetrievedItem(id="n", tier="long", text="My girlfriend is now Sophie", score=1.0,
    ...     created_at=t + timedelta(minutes=4), key="user.girlfriend", value="Sophie",
    ...     versions=[FactVersion(value="Emma", observed_at=t)])
    >>> cats = RetrievedItem(id="c", tier="long", text="Emma is allergic to cats", score=1.0,
    ...     created_at=t + timedelta(minutes=2), key="girlfriend.allergy", value="cats")
    >>> [(item.key, item.value) for item in by_holder([named, cats])]
    [('user.girlfriend', 'Sophie'), ('emma.allergy', 'cats')]
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from tiermem.memory.records import RELATIONS_ZH
from tiermem.memory.versions import ENDED

from .corrections import replaced_value, says_value
from .retriever import FactVersion, RetrievedItem


class Slip(NamedTuple):
    """A value said by mistake: the value said ``old``, replaced by ``new`` at ``at``."""

    old: str
    new: str
    at: datetime


def slips(item: RetrievedItem) -> list[Slip]:
    """The values a fact held by mistake, oldest correction first.

    A version said as a correction ("Sorry, I meant Lyon, not Paris") says that the versions
    before it that hold the value it names as old were slips; where the value that replaced a
    slip was corrected in turn (Paris, then Lyon, then Marseille), both slips lead to the last
    one."""
    said = [(item.value, item.created_at, item.text), *((v.value, v.observed_at, v.statement) for v in item.versions)]
    found: list[Slip] = []
    for value, at, statement in sorted(said, key=lambda version: version[1]):
        old = replaced_value(statement) if statement else None
        if old is None:
            continue
        found = [slip._replace(new=value) if says_value(slip.new, old) else slip for slip in found]
        found.append(Slip(old, value, at))
    return found


def slipped(found: list[Slip], value: str, at: datetime) -> str | None:
    """What replaced ``value``, observed at ``at``, where it was a slip; else ``None``."""
    return next((slip.new for slip in found if at <= slip.at and says_value(value, slip.old)), None)


def _holders(item: RetrievedItem) -> list[tuple[datetime, str]]:
    """The names a ``user.<relation>`` fact held, each with when it was observed, oldest first.

    A name a later version corrected ("Sorry, I meant Emily, not Emma") was a slip, not an
    earlier holder: its time counts as the corrected name's, so what was said of "Emma" stays
    the girlfriend's."""
    found = slips(item)
    dated = [(at, slipped(found, name, at) or name) for name, at in item.dated_values()]
    return sorted(dated, key=lambda pair: pair[0])


def _holder(holders: list[tuple[datetime, str]], at: datetime) -> str:
    """Who held the relation at ``at``: its newest name observed by then, else its first."""
    return next((name for when, name in reversed(holders) if when <= at), holders[0][1])


def _slug(name: str) -> str:
    """The key a named person's facts go under (``Emma Stone`` -> ``emma``, 王芳 -> 王芳)."""
    return name.split()[0].casefold() if name.isascii() else name


def _split(item: RetrievedItem, holders: list[tuple[datetime, str]]) -> list[RetrievedItem]:
    """``item`` (a relation's fact) as one item per holder its versions were observed under."""
    attribute = item.key.partition(".")[2]
    current = holders[-1][1]
    by_name: dict[str, list[tuple[datetime, str, str]]] = {}
    said = [(item.value, item.created_at, item.text), *((v.value, v.observed_at, v.statement) for v in item.versions)]
    for value, at, statement in said:  # newest first
        by_name.setdefault(_holder(holders, at), []).append((at, value, statement))
    split = []
    for name, values in by_name.items():
        if name.casefold() != current.casefold() and (name.startswith(ENDED) or not name.strip()):
            continue  # said while the relation was ended: nobody's to tell
        key = item.key if name.casefold() == current.casefold() else f"{_slug(name)}.{attribute}"
        (newest, value, _), *older = values
        versions = [FactVersion(value=v, observed_at=at, statement=said) for at, v, said in older]
        history = [f"{v} ({at:%Y-%m-%d})" for at, v, _ in older]
        split.append(
            item.model_copy(
                update={"key": key, "value": value, "created_at": newest, "versions": versions, "history": history}
            )
        )
    return split


def by_holder(items: list[RetrievedItem]) -> list[RetrievedItem]:
    """``items`` with each relation's fact said about whoever held the relation when it was
    observed (module docstring); the order kept, an item split in place."""
    names = {
        item.key.removeprefix("user."): _holders(item)
        for item in items
        if item.key.startswith("user.") and item.key.removeprefix("user.") in RELATIONS_ZH and item.versions
    }
    if not names:
        return items
    found: list[RetrievedItem] = []
    for item in items:
        holders = names.get(item.key.partition(".")[0])
        found.extend(_split(item, holders) if holders else [item])
    return found
