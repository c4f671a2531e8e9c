"""The day a plan names, resolved forwards: "next Tuesday", "on the 19th", "June 3rd", "6月15号".

:mod:`tiermem.agents.timeexpr` reads what a statement says about the past ("on Sunday" is the
Sunday gone); a plan names a day to come, and "on Sunday" is the next one. Extraction writes
the resolved day beside the words of a plan's value ("dentist next Tuesday (7 May 2024)"), so
the memory still says when a week later, when "next Tuesday" no longer does.

Example:
    >>> upcoming("interview on Thursday the 9th", datetime(2024, 5, 3)).label
    '9 May 2024'
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from .fact_values import zh_number
from .timeexpr import MONTHS, WEEKDAYS, Period, find_periods, month_span

_MONTHS = MONTHS | {"sept": 9}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_ZH_WEEKDAYS = "一二三四五六日天"
_ZH_NUMERAL = r"(\d{1,2}|[一二两三四五六七八九十]{1,3})"
_NEXT_YEAR = re.compile(r"\bnext\s+year\b|明年", re.IGNORECASE)

_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?!\s*(?:am|pm|:|h\b))|\b{_DAY}\s+(?:of\s+)?{_MONTH}\b", re.I)
_MONTH_ALONE = re.compile(rf"\b(?:in|on|this|next|by|early|late|mid|until)\s+{_MONTH}(?!\s*\d)", re.I)
_ZH_MONTH_DAY = re.compile(rf"{_ZH_NUMERAL}\s*月\s*(?:{_ZH_NUMERAL}\s*[号日])?")
_NEXT_MONTH_DAY = re.compile(
    rf"下个?月\s*{_ZH_NUMERAL}\s*[号日]|\bnext\s+month\s+on\s+the\s+(\d{{1,2}})(?:st|nd|rd|th)?\b", re.I
)
_DAY_OF_MONTH = re.compile(r"\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b|(?<![\d月])(\d{1,2})\s*[号日]", re.I)
_WEEKDAY = re.compile(
    r"\b(?:on\s+|this\s+|next\s+|coming\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    rf"|(?<![上这本下])(?:周|星期|礼拜)([{_ZH_WEEKDAYS}])",
    re.I,
)
_DAYS_AHEAD = re.compile(r"\bday\s+after\s+tomorrow\b|大后天|后天", re.I)
_TO = r"\s*(?:-|–|to|until|till|through|thru|and)\s*"
_DAY_SPAN = re.compile(
    rf"\b{_MONTH}\s+{_DAY}{_TO}(?:{_MONTH}\s+)?{_DAY}\b|\b{_DAY}{_TO}{_DAY}\s+(?:of\s+)?{_MONTH}",
    re.I,
)
"""Days from one to another: "June 10 to June 14", "June 10-14", "10 to 14 June"."""


def _int(numeral: str) -> int:
    return int(numeral) if numeral.isdigit() else int(zh_number(numeral))


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _next_date(today: date, month: int, day: int, *, next_year: bool) -> date | None:
    """``month``/``day`` in the year named, else the first on or after ``today``."""
    if next_year:
        return _day(today.year + 1, month, day)
    found = _day(today.year, month, day)
    return found if found is None or found >= today else _day(today.year + 1, month, day)


def _month_of(text: str, today: date) -> tuple[int, int | None] | None:
    """The month and day ``text`` names ("June 3rd", "3 June", "6月15号", "十月"), if any."""
    m = _MONTH_DAY.search(text)
    if m:
        month, day = (m[1], m[2]) if m[1] else (m[4], m[3])
        return _MONTHS[month.lower().rstrip(".")], int(day)
    m = _MONTH_ALONE.search(text)
    if m:
        return _MONTHS[m[1].lower().rstrip(".")], None
    m = _ZH_MONTH_DAY.search(text)
    if m and 1 <= _int(m[1]) <= 12:
        return _int(m[1]), _int(m[2]) if m[2] else None
    return None


def upcoming(text: str, now: datetime) -> Period | None:  # noqa: C901 - one rule a form
    """The first day or period to come that ``text`` names, or ``None``."""
    today = now.date()
    next_year = bool(_NEXT_YEAR.search(text))
    if (span := _day_span(text, today, next_year=next_year)) is not None:
        return span
    named = _month_of(text, today)
    if named and named[1] is not None:
        point = _next_date(today, named[0], named[1], next_year=next_year)
        return Period(point, point, text) if point else None
    if named:
        year = today.year + 1 if next_year or named[0] < today.month else today.year
        return Period(*month_span(year, named[0]), text)
    m = _NEXT_MONTH_DAY.search(text)
    if m:
        month = today.month % 12 + 1
        point = _day(today.year + (month == 1), month, _int(m[1] or m[2]))
        return Period(point, point, text) if point else None
    m = _DAY_OF_MONTH.search(text)
    if m:
        day = int(m[1] or m[2])
        point = _day(today.year, today.month, day)
        if point is None or point < today:
            month = today.month % 12 + 1
            point = _day(today.year + (month == 1), month, day)
        return Period(point, point, text) if point else None
    m = _DAYS_AHEAD.search(text)
    if m:
        point = today + timedelta(days=3 if m[0] == "大后天" else 2)
        return Period(point, point, text)
    m = _WEEKDAY.search(text)
    if m and not re.search(r"(?:last|past)\s+\w+day\b|上(?:个)?(?:周|星期|礼拜)", text, re.I):
        weekday = WEEKDAYS[m[1].lower()] if m[1] else min(_ZH_WEEKDAYS.index(m[2]), 6)
        point = today + timedelta(days=(weekday - today.weekday()) % 7 or 7)  # "next Tuesday": the first to come
        return Period(point, point, text)
    later = [p for p in find_periods(text, now) if p.end >= today]
    return later[0] if later else None


def _day_span(text: str, today: date, *, next_year: bool) -> Period | None:
    """The days ``text`` names from one to another (:data:`_DAY_SPAN`), the first to come."""
    m = _DAY_SPAN.search(text)
    if m is None:
        return None
    if m[1]:  # "June 10 to (July) 14"
        first, first_day, last, last_day = m[1], m[2], m[3] or m[1], m[4]
    else:  # "10 to 14 June"
        first, first_day, last, last_day = m[7], m[5], m[7], m[6]
    start = _next_date(today, _MONTHS[first.lower().rstrip(".")], int(first_day), next_year=next_year)
    end = _day(start.year, _MONTHS[last.lower().rstrip(".")], int(last_day)) if start else None
    if start is None or end is None:
        return None
    return (
        Period(start, end, m[0])
        if end >= start
        else Period(start, _day(start.year + 1, end.month, end.day) or start, m[0])
    )


_LABEL = re.compile(r"\s*\(([^()]*\d{4})\)\s*$")
"""The day extraction writes after a plan's words: ``(9 May 2024)``, ``(June 2024)``."""
_WRITTEN = re.compile(r"(?:(?P<day>\d{1,2})\s+)?(?P<month>[A-Za-z]+)\s+(?P<year>\d{4})")


def written_day(value: str) -> tuple[str, Period] | None:
    """A plan's value as extraction writes it, split into the words that named its day and the
    day, month or span written after them as :attr:`Period.label` writes one ("at Google on
    Thursday (9 May 2024)": the words and 9 May 2024; "(June 2024)", "(6 May 2024 - 12 May
    2024)"); ``None`` for a value with no such label."""
    label = _LABEL.search(value)
    if label is None:
        return None
    first, _, last = label.group(1).partition(" - ")
    start, end = _span_written(first), _span_written(last or first)
    if start is None or end is None or end[1] < start[0]:
        return None
    return value[: label.start()], Period(start[0], end[1], label.group(1))


def _span_written(label: str) -> tuple[date, date] | None:
    said = _WRITTEN.fullmatch(label.strip())
    month = MONTHS.get(said["month"].casefold()) if said else None
    if said is None or month is None:
        return None
    year = int(said["year"])
    if said["day"] is None:
        return month_span(year, month)
    try:
        day = date(year, month, int(said["day"]))
    except ValueError:
        return None
    return day, day


def zh_day(period: Period) -> str:
    """A period in Chinese: ``2024年5月9日``, ``2024年6月``, ``2024年``, or a range of days."""
    start, end = period.start, period.end
    if start == end:
        return f"{start.year}年{start.month}月{start.day}日"
    if (start, end) == month_span(start.year, start.month):
        return f"{start.year}年{start.month}月"
    if (start, end) == (date(start.year, 1, 1), date(start.year, 12, 31)):
        return f"{start.year}年"
    return f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"


_LABELS = re.compile(
    r"\s*\(((?:\d{1,2}\s+)?[A-Z][a-z]+\s+\d{4}(?:\s+-\s+(?:\d{1,2}\s+)?[A-Z][a-z]+\s+\d{4})?|(?P<year>\d{4}))\)"
)
"""A day written after the words that named it, anywhere in a text: `` (8 May 2024)``, `` (2024)``."""


def zh_labels(text: str) -> str:
    """``text`` with each day written after its words in Chinese: ``下周三 (8 May 2024)`` ->
    ``下周三（2024年5月8日）``; a label that names no day is left as it is."""

    def chinese(label: re.Match[str]) -> str:
        if label["year"]:
            return f"（{label['year']}年）"
        first, _, last = label[1].partition(" - ")
        start, end = _span_written(first), _span_written(last or first)
        if start is None or end is None:
            return label[0]
        return f"（{zh_day(Period(start[0], end[1], label[1]))}）"

    return _LABELS.sub(chinese, text)


_DAYS_WRITTEN = re.compile(r"\s*\((?:\d{1,2} )?[A-Z][a-z]+ \d{4}(?: - [^()]*)?\)")
"""A day, month or span of days written after the words that named it: `` (10 May 2024)``,
`` (6 May 2024 - 12 May 2024)``."""


def undated(words: str) -> str:
    """``words`` without the days written after their time words, nor a sentence's end:
    "I have a meeting on Friday (10 May 2024) at 3pm." -> "I have a meeting on Friday at 3pm"."""
    return _DAYS_WRITTEN.sub("", words).rstrip(" .!。！")


def words_key(words: str) -> str:
    """What tells the same words apart from others: :func:`undated`, in any case (an episode's
    line and the message or fact it repeats)."""
    return undated(words).casefold()


_DATE_SAID = re.compile(r"\d|月|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.IGNORECASE)


def yearly_value(value: str, now: datetime, *, past: bool) -> str:
    """A birthday (or an anniversary) said by a day relative to ``now`` as that day's month and day
    ("tomorrow" -> "4 May", "was yesterday" -> "2 May", 下周一 -> "6 May"), since "tomorrow" is wrong
    the next day; by a span as its days ("was last week" -> "between 22 April and 28 April", "last
    month" -> "April"); one said by its date ("June 1", "3月3日") or no day (a year) is kept as said."""
    if _DATE_SAID.search(value):
        return value
    day = None if past else upcoming(value, now)
    day = day or next(iter(find_periods(value, now)), None)
    if day is None:
        return value
    if day.start == day.end:
        return f"{day.start.day} {day.start:%B}"
    if day.start.day == 1 and (day.end + timedelta(days=1)).day == 1 and day.start.month == day.end.month:
        return f"{day.start:%B}"  # "last month"
    return f"between {day.start.day} {day.start:%B} and {day.end.day} {day.end:%B}"  # "last week"
