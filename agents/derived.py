"""Facts told from other facts held, where the one asked for is not: an age from the birth year,
a name from the name the user goes by."""

from __future__ import annotations

import re
from datetime import datetime

from .fact_names import sentence_start, who
from .retriever import RetrievedItem


def derived_fact(key: str, items: list[RetrievedItem], now: datetime | None) -> str | None:
    """The answer to a question for fact ``key`` that no fact holds, from another that does: an
    age from the birth year (:func:`age_from_birth`, the user's or a relation's), a name from the
    name the user goes by ("Call me Bob", then "What's my name?")."""
    subject, _, attribute = key.partition(".")
    if attribute == "age":
        return age_from_birth(items, now, subject)
    if key == "user.name":
        called = next((item for item in items if item.key == "user.preferred_name"), None)
        if called is not None:
            return f"You asked me to call you {called.value} (as of {called.day(now.tzinfo if now else None)})."
    return None


def age_from_birth(items: list[RetrievedItem], now: datetime | None, subject: str = "user") -> str | None:
    """The answer to "How old am I?" (or "How old is my mom?": ``subject``) where no age is held but
    the birth year is (``user.birth_year``): the age it gives ``now``, exact where the birthday's
    month and day are held too ("March 3"), else the two it may be."""
    year = next((item.value.strip() for item in items if item.key == f"{subject}.birth_year"), "")
    if now is None or not year.isdigit():
        return None
    born = int(year)
    birthday = next((month_day(item.value) for item in items if item.key == f"{subject}.birthday"), None)
    whom = who(subject)  # "You are 34: you were born ...", "Your mother is 65 or 66: born in 1958"
    is_, were_born = ("are", "you were born") if subject == "user" else ("is", "born")
    if birthday is None:
        said = f"{now.year - born - 1} or {now.year - born}: {were_born} in {born}"
    else:
        age = now.year - born - (1 if (now.month, now.day) < birthday else 0)
        said = f"{age}: {were_born} on {birthday[1]} {_MONTHS[birthday[0] - 1]} {born}"
    return f"{sentence_start(whom)} {is_} {said} (as of {now:%Y-%m-%d})."


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip
_MONTH_DAY = re.compile(
    r"^\s*(?:(?P<month>[A-Za-z]+)\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?"
    r"|(?:the\s+)?(?P<day_first>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month_after>[A-Za-z]+)"
    r"|(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]?)\s*$",
    re.I,
)


def month_day(value: str) -> tuple[int, int] | None:
    """A birthday's month and day ("March 3", "Mar 3rd", "the 3rd of March", 3月3日); ``None`` for any other value."""
    said = _MONTH_DAY.match(value)
    if said is None:
        return None
    if said["m"]:
        month, day = int(said["m"]), int(said["d"])
    else:
        named = (said["month"] or said["month_after"]).casefold()
        month = next((n for n, name in enumerate(_MONTHS, 1) if name.casefold().startswith(named[:3])), 0)
        day = int(said["day"] or said["day_first"])
    return (month, day) if 1 <= month <= 12 and 1 <= day <= 31 else None
