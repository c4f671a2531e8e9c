"""Picking the newest versions of each fact from light rows, without building records.

A fact stated daily for years has thousands of versions; retrieval needs the
current one and a few older values. :func:`newest_ids` orders light rows
(``id``, ``key``, ``observed_at``, ``created_at``) as
:meth:`~tiermem.memory.store.TierStore.latest_facts` orders records (newest
observation first, then newest write time, then the later id: ids sort in the
order they were made, so of two versions stated at the same time the later write
wins) and keeps the first ``versions`` of each key, so only those rows are read
in full.
"""

from __future__ import annotations

import re
from datetime import datetime

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .records import MemoryRecord

LIGHT_COLUMNS = ["id", "key", "observed_at", "created_at"]
"""The columns :func:`newest_ids` needs."""

ENDED = "no longer "
"""How an ended fact's value begins. A statement that something no longer holds ("I'm no longer
vegetarian", "I stopped taking ibuprofen", 我以前对鸡蛋过敏) is a fact on the key its statement
would have given, whose value is ``ENDED`` and the value that ended: ``diet_identity = no longer
vegetarian``, ``medication = no longer ibuprofen``, ``allergy = no longer 鸡蛋``, ``lives_in = no
longer Paris``; a relation, whose value is a name, ``no longer has a cat``. As the newest
observation wins, it supersedes the fact it ends."""

PETS = frozenset(
    {"dog", "cat", "hamster", "rabbit", "parrot", "budgie", "guinea_pig", "turtle", "tortoise", "horse"}
    | {"ferret", "gerbil", "lizard", "snake", "goldfish"}
)
"""The user's pets as fact attributes (``user.dog = Rex``): one kind of pet may be several."""
CHILDREN = frozenset({"son", "daughter", "children"})
"""The user's children as fact attributes (``user.son = Jake``): a second son is no new name of the first."""
SET_VALUED = frozenset({"allergy", "condition", "likes", "dislike", "medication", *PETS, *CHILDREN})
"""Attributes with several values at once: a second allergy adds to the first ("I'm also
allergic to peanuts" does not end the penicillin allergy), asthma does not end diabetes, hiking
does not end the liking of sushi, nor cilantro the dislike of olives, vitamin D not metformin,
a second dog not the first ("We also have a dog called Bella" after "I have a dog named Rex"),
a second son not the first ("My other son Max" after "My son Jake");
only an ended value (:data:`ENDED`) takes one away ("I used to love skiing", "Actually I like
cilantro now", "I stopped taking metformin", "Rex passed away"), a medicine's new dose replaces
its old one ("metformin 1000mg" after "metformin 500mg"), and a relation ended as a whole takes
every one ("no longer has a dog": :data:`ENDS_ALL`). Every other attribute has one value, its newest."""
ENDS_ALL = re.compile(rf"{ENDED}has\s+(?:an?\s+)?", re.IGNORECASE)
"""An ended value that ends the relation itself, not one of its values ("no longer has a cat",
"Our cat died" where no name is said): every value stated before it has ended."""


def current_value(attribute: str, values: list[str]) -> str:
    """The value a fact holds now, from its versions' ``values`` (newest first): the newest; of a
    :data:`SET_VALUED` attribute every value stated and not ended since, newest first, joined
    ("peanuts, penicillin"), or the newest when all have ended ("no longer penicillin").

    Example:
        >>> current_value("allergy", ["peanuts", "no longer cats", "penicillin", "cats"])
        'peanuts, penicillin'
    """
    return ", ".join(held_values(attribute, values)) or (values[0] if values else "")


def same_held_value(value: str, other: str) -> bool:
    """Whether two versions' values are about one held value ("peanuts", "no longer Peanuts")."""
    return value.casefold().removeprefix(ENDED) == other.casefold().removeprefix(ENDED)


_BETWEEN_ITEMS = re.compile(r"\s*(?:[,/&;、，]|\b(?:and|or|plus)\b|以及|还有|和|跟|与|及)\s*", re.I)
"""What separates the items of a value said as a list ("eggs and peanuts", 高血压和糖尿病)."""


def value_items(value: str) -> list[str]:
    """The items of a :data:`SET_VALUED` value said as a list, an ended one's too: "eggs, milk and
    peanuts" -> eggs, milk, peanuts; "no longer asthma or eczema" -> no longer asthma, no longer eczema."""
    ended = value.casefold().startswith(ENDED)
    items = [item for item in _BETWEEN_ITEMS.split(value[len(ENDED) :] if ended else value) if item]
    return [f"{ENDED}{item}" if ended else item for item in items] or [value]


def holds_several(value: str) -> bool:
    """Whether a set-valued fact's current ``value`` holds more than one item ("Max, Jake"); an
    ended one ("no longer Rex") holds none."""
    return not value.startswith(ENDED) and len(value_items(value)) > 1


def held_values(attribute: str, values: list[str]) -> list[str]:
    """The values a fact holds now, from its versions' ``values`` (newest first): the newest
    alone, or of a :data:`SET_VALUED` attribute each item not ended since (none: all ended); a
    value said as a list is its items ("I'm no longer allergic to eggs" ends the eggs of "eggs
    and peanuts")."""
    if attribute not in SET_VALUED:
        return values[:1]
    held: dict[str, str] = {}
    ended: set[str] = set()
    for item in (item for value in values for item in value_items(value)):
        if ENDS_ALL.match(item):  # what was said before it ended with it
            break
        folded = _held_as(attribute, item.casefold())
        if folded.startswith(ENDED):
            ended.add(folded.removeprefix(ENDED))
        elif folded not in ended:
            held.setdefault(folded, item)
    return list(held.values())


_DOSE = re.compile(
    r"^\s*\d[\d.,]*\s*(?:mg|mcg|µg|ml|iu|g)\s+(?:of\s+)?(?=[^\W\d])"
    r"|\s*\b\d[\d.,]*\s*(?:mg|mcg|µg|ml|iu|g)\b.*$|\s*\d[\d.,]*\s*(?:毫克|微克|克|毫升).*$"
)
"""A medicine's dose and what follows it ("metformin 500mg twice a day": "500mg twice a day"), or
the dose said before it ("20mg of Lexapro": "20mg of ")."""


def _held_as(attribute: str, item: str) -> str:
    """What one held item is, whatever else said of it: a medicine without its dose ("metformin
    500mg" and "no longer metformin" are one medicine)."""
    return (_DOSE.sub("", item) or item) if attribute == "medication" else item


def newest_positions(rows: pa.Table, versions: int) -> np.ndarray:
    """Positions in ``rows`` of the newest ``versions`` rows of each key, newest first
    (keys interleaved, in the order :func:`newest_ids` gives).

    Args:
        rows: :data:`LIGHT_COLUMNS` of every version, in table order.
        versions: how many versions of each key to keep (at least 1).
    """
    if rows.num_rows == 0:
        return np.zeros(0, dtype=np.int64)
    observed = pc.coalesce(rows.column("observed_at"), rows.column("created_at"))
    order = pc.sort_indices(
        pa.table({"observed": observed, "created": rows.column("created_at"), "id": rows.column("id")}),
        sort_keys=[("observed", "descending"), ("created", "descending"), ("id", "descending")],
    ).to_numpy()  # a stable sort: rows with one id keep table order
    codes = pc.dictionary_encode(rows.column("key")).combine_chunks().indices.to_numpy()[order]
    grouped = np.argsort(codes, kind="stable")
    starts = np.r_[0, np.flatnonzero(np.diff(codes[grouped])) + 1]
    rank = np.arange(len(grouped)) - np.repeat(starts, np.diff(np.r_[starts, len(grouped)]))
    return order[np.sort(grouped[rank < versions])].astype(np.int64)


def id_rank(record_id: str) -> int:
    """``record_id`` as a number that sorts as the id does (its first 32 bytes)."""
    return int.from_bytes(record_id.encode()[:32].ljust(32, b"\0"), "big")


def version_order(record: MemoryRecord) -> tuple[datetime, datetime, str]:
    """Sort key of a fact version, the newest largest: observation, write time, id."""
    return (record.fact.observed_at if record.fact else record.created_at, record.created_at, record.id)


def newest_ids(rows: pa.Table, versions: int) -> list[str]:
    """Ids of the newest ``versions`` rows of each key, each key's ids newest first.

    Args:
        rows: :data:`LIGHT_COLUMNS` of every version, in table order.
        versions: how many versions of each key to keep (at least 1).
    """
    ids = rows.column("id").to_numpy(zero_copy_only=False)
    return [str(i) for i in ids[newest_positions(rows, versions)]]
