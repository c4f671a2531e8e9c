"""Resolve time expressions against the message time, English and Chinese.

"I went there yesterday" said on 8 May 2023 means 7 May 2023; "last week"
means the week before; "in July 2023" or "上个月" name a period. Memories
keep the period their text refers to, and a question that names a period
("what did I do in July?") prefers memories from it. Everything here is a
pure function of the text and a reference time.

Example:
    >>> [p.label for p in find_periods("I went to a support group yesterday", datetime(2023, 5, 8))]
    ['7 May 2023']
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
"""Month names and abbreviations (lower case) -> month number."""
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a few": 3,
    "a couple of": 2,
    "couple of": 2,
    "several": 3,
}
_ZH_NUMBERS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_ZH_NUMBERS["几"] = 3  # "几天前": a few days ago
_ZH_UNITS = {"天": "day", "周": "week", "个星期": "week", "星期": "week", "个月": "month", "年": "year"}
_ZH_REL_UNITS = {"周": "week", "个星期": "week", "星期": "week", "周末": "weekend", "月": "month", "个月": "month"}
_WEEKDAY = "(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
HABIT_PARTS = r"(?:mornings|afternoons|evenings|nights)"
"""Parts of the day said after a weekday as a habit's ("on Thursday evenings"): no one day."""


@dataclass(frozen=True, slots=True)
class Period:
    """A span of days a text refers to (inclusive), with the words that named it."""

    start: date
    end: date
    text: str
    """The matched words (``"last week"``)."""
    year_guessed: bool = False
    """A day or month named without its year ("on 5 June", "5月", "on the 3rd"): taken as the latest
    one, which is right for a question about the past, not for a statement about what comes."""

    @property
    def label(self) -> str:
        """A readable form: ``7 May 2023``, ``May 2023``, ``2023`` or a range."""
        if self.start == self.end:
            return f"{self.start.day} {self.start:%B %Y}"
        last = calendar.monthrange(self.start.year, self.start.month)[1]
        if self.start.day == 1 and self.end == self.start.replace(day=last):
            return f"{self.start:%B %Y}"
        if self.start == date(self.start.year, 1, 1) and self.end == date(self.start.year, 12, 31):
            return str(self.start.year)
        return f"{self.start.day} {self.start:%B %Y} - {self.end.day} {self.end:%B %Y}"

    def overlaps(self, start: date, end: date) -> bool:
        """Whether this period shares a day with ``start..end``."""
        return self.start <= end and start <= self.end


def month_span(year: int, month: int) -> tuple[date, date]:
    """The first and last day of ``month`` of ``year``."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _latest(today: date, month: int, day: int) -> tuple[date, date] | None:
    """The latest ``day`` of ``month`` not after ``today`` (this year's, else last year's)."""
    for year in (today.year, today.year - 1):
        try:
            point = date(year, month, day)
        except ValueError:
            continue
        if point <= today:
            return point, point
    return None


def _previous_month(today: date) -> tuple[int, int]:
    return (today.month - 1, today.year) if today.month > 1 else (12, today.year - 1)


def _zh_month(numeral: str) -> int:
    """A month number written in digits or Chinese numerals ("5", "十二")."""
    if numeral.isdigit():
        return int(numeral)
    tens, _, ones = numeral.partition("十")
    if "十" not in numeral:
        return _ZH_NUMBERS.get(numeral, 0)
    return (_ZH_NUMBERS.get(tens, 1) if tens else 1) * 10 + (_ZH_NUMBERS.get(ones, 0) if ones else 0)


def _week(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _shift_months(day: date, months: int) -> tuple[date, date]:
    index = day.year * 12 + day.month - 1 + months
    return month_span(index // 12, index % 12 + 1)


def _count(word: str) -> int:
    word = word.lower().strip()
    return int(word) if word.isdigit() else _NUMBERS.get(word, _ZH_NUMBERS.get(word, 1))


_NUM = r"(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a few|a couple of|couple of|several)"
_MONTH = r"(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")(?:(?<![A-Za-z]{5})\.(?=\s*(?-i:[a-z0-9]))|\b)"
"""A month's name or abbreviation, whole: "Mar." and "March", not the start of "Marseille"; an
abbreviation's dot ("Oct. 3"), not the dot that ends a sentence ("in October.")."""
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"

_SEASONS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}
"""Each season's first month (northern hemisphere: three months from it)."""
_SEASON_HINTS = ("spring", "summer", "fall", "autumn", "winter")
_MONTH_HINTS = tuple(name[:3].lower() for name in calendar.month_name if name)
_DIGITS = tuple("0123456789")
_RULES: list[tuple[re.Pattern[str], str, tuple[str, ...]]] = [
    (re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+(\d{{4}})\b", re.I), "dmy", _MONTH_HINTS),
    (re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+(\d{{4}})\b", re.I), "mdy", _MONTH_HINTS),
    (re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]"), "zh_ymd", ("年",)),
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), "iso", ("-",)),
    (re.compile(rf"\b{_MONTH},?\s+(\d{{4}})\b", re.I), "my", _MONTH_HINTS),
    (re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月"), "zh_ym", ("年",)),
    (re.compile(rf"\b{_DAY}\s+(?:of\s+)?(?-i:(?!may\b)){_MONTH}(?![\w,]*\s*\d)", re.I), "dm", _MONTH_HINTS),
    (
        re.compile(rf"\b(?-i:(?!may\b)){_MONTH}\s+{_DAY}\b(?!,?\s*\d{{4}})(?!\s*(?:am|pm|h)\b)", re.I),
        "md",
        _MONTH_HINTS,
    ),
    (re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]"), "zh_md", ("月",)),
    (re.compile(r"\bon\s+the\s+(\d{1,2})(?:st|nd|rd|th)\b", re.I), "dom", ("the",)),
    (
        re.compile(rf"\b(?:in|on|since|during|last|this|early|late|mid)\s+{_MONTH}(?!\s*\d)", re.I),
        "month",
        _MONTH_HINTS,
    ),
    (
        re.compile(r"(?<![\d年])(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月(?![\d一二三四五六七八九十]|份?\s*[\d])"),
        "zh_month",
        ("月",),
    ),
    (re.compile(r"\b(?:in|since|during)\s+(\d{4})\b|\b(\d{4})\s*年"), "year", _DIGITS),
    (re.compile(r"大前天"), "day-3", ("大前天",)),
    (
        re.compile(r"\bthe\s+(?:day|night)\s+before\s+(?:yesterday|last)\b|前天|前晚", re.I),
        "day-2",
        ("yesterday", "before last", "前天", "前晚"),
    ),
    (re.compile(r"\byesterday\b|\blast\s+night\b|昨天|昨晚", re.I), "day-1", ("yesterday", "night", "昨")),
    # "two weeks from today" before "today"
    (re.compile(rf"\b{_NUM}\s+(day|week|month|year)s?\s+from\s+(?:now|today)\b", re.I), "hence", ("from",)),
    (
        re.compile(r"\b(?:today|tonight|this\s+morning|this\s+afternoon|this\s+evening)\b|今天|今晚", re.I),
        "day0",
        ("today", "tonight", "this", "今"),
    ),
    (re.compile(r"大后天"), "day+3", ("大后天",)),
    (re.compile(r"\bthe\s+day\s+after\s+tomorrow\b|后天", re.I), "day+2", ("after tomorrow", "后天")),
    (re.compile(r"\btomorrow\b|明天", re.I), "day+1", ("tomorrow", "明天")),
    (
        re.compile(rf"\bin\s+{_NUM}\s+(day|week|month|year)s?\b(?!\s+(?:ago|old|of|in\s+a\s+row))", re.I),
        "hence",
        ("day", "week", "month", "year"),
    ),
    (re.compile(r"([一两二三四五六七八九十几\d]+)\s*(天|周|个星期|星期|个月|年)(?:以|之)?后"), "zh_hence", ("后",)),
    (re.compile(rf"\b{_NUM}\s+(day|weekend|week|month|year)s?\s+ago\b", re.I), "ago", ("ago",)),
    (re.compile(r"([一两二三四五六七八九十几\d]+)\s*(天|周|个星期|星期|个月|年)前"), "zh_ago", ("前",)),
    (re.compile(r"\b(last|this|next|past)\s+(week|weekend|month|year)\b", re.I), "rel", ("week", "month", "year")),
    # the weekend to come or gone, by the words around it ("plans for the weekend", "went hiking over the
    # weekend"); not "on the weekend", which is as often a habit's
    (re.compile(r"\b(for|over|during)\s+the\s+weekend\b", re.I), "the_weekend", ("weekend",)),
    (re.compile(r"(上|这|本|下)个?(?:周|星期|礼拜)([一二三四五六日天])"), "zh_weekday", ("周", "星期", "礼拜")),
    (re.compile(r"(上|这|本|下)(周末|周|个?星期|个月|月)|(去|今|明)年"), "zh_rel", ("周", "星期", "月", "年")),
    # not a habit's days ("on Thursday evenings")
    (
        re.compile(
            rf"\b(?:last|on|this\s+past|next|this\s+coming|coming)\s+{_WEEKDAY}\b"
            rf"(?!\s+{HABIT_PARTS}\b)",
            re.I,
        ),
        "weekday",
        ("day",),
    ),
    (re.compile(r"\b(last|this|past|next)\s+(spring|summer|fall|autumn|winter)\b", re.I), "season", _SEASON_HINTS),
]
"""(pattern, kind, hints): a rule runs only on texts holding one of its hints (lower case), which
spares most texts the regular expressions."""


_YEAR_GUESSED = frozenset({"dm", "md", "zh_md", "dom", "zh_month"})

_AHEAD = re.compile(
    r"\b(?:will|shall|going\s+to|gonna|plan(?:s|ning)?\s+to|scheduled|do\s+(?:i|we)\s+have|coming\s+up"
    r"|(?:have|has|got)\s+(?:a|an|my|our|his|her|their|the)|(?:am|is|are)\s+(?:[\w'’]+\s+){0,2}?(?:\w+ing|on|in)"
    r"|(?:i|we|you|he|she|they|it)(?:'|’)(?:ll|(?:m|re|s)\s+\w+ing)"
    r"|(?:training|preparing|practi[cs]ing|studying|saving(?:\s+up)?|getting\s+ready|signed\s+up|registered)\s+for"
    r"|looking\s+forward\s+to|can['’]?t\s+wait|due|starts|begins"
    r"|at\s+\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.|o['’]clock)?(?!\s*(?:years?|yrs?|%|kg|lbs?|km|miles?)\b))\b",
    re.I,
)
"""Words of a text that tell of what is to come: "I have a dentist appointment on Friday", "My
interview is on Friday", "What am I doing on Friday?", "My exam is in June", "I've been training for
a marathon in October", "Dinner with Sarah on Saturday at 7" (a time of day: an appointment), "My
daughter starts kindergarten in September"."""
_BEHIND = re.compile(r"\b(?:was|were|did|had|went|came|saw|met|ate|yesterday|ago)\b", re.I)
"""Words of a text that tell of the past: with them, "on Friday" is the one gone."""


def tells_ahead(text: str) -> bool:
    """Whether ``text`` tells of what is to come, and not of the past (:data:`_AHEAD`)."""
    return _AHEAD.search(text) is not None and _BEHIND.search(text) is None


def _resolve(kind: str, m: re.Match[str], today: date, ahead: bool) -> tuple[date, date] | None:  # noqa: C901
    """The days the match of a ``kind`` rule names; ``ahead``: its text tells of what is to come,
    so "on Friday" is the next one, not the one gone."""
    g = m.groups()
    if kind in ("dmy", "mdy", "zh_ymd", "iso"):
        if kind == "dmy":
            day, month, year = int(g[0]), MONTHS[g[1].lower()], int(g[2])
        elif kind == "mdy":
            month, day, year = MONTHS[g[0].lower()], int(g[1]), int(g[2])
        else:
            year, month, day = int(g[0]), int(g[1]), int(g[2])
        try:
            point = date(year, month, day)
        except ValueError:
            return None
        return point, point
    if kind in ("my", "zh_ym"):
        month, year = (MONTHS[g[0].lower()], int(g[1])) if kind == "my" else (int(g[1]), int(g[0]))
        return month_span(year, month) if 1 <= month <= 12 else None
    if kind in ("month", "zh_month"):  # a bare month: the latest one not after today, or the next one to come
        month = MONTHS[g[0].lower()] if kind == "month" else _zh_month(g[0])
        if not 1 <= month <= 12:
            return None
        if ahead and kind == "month" and m.group(0)[:2].lower() == "in":  # "I'm running a marathon in October"
            return month_span(today.year if month >= today.month else today.year + 1, month)
        year = today.year if month <= today.month else today.year - 1
        return month_span(year, month)
    if kind in ("dm", "md", "zh_md"):  # a day of a month without its year: the latest one not after today
        day, month = (
            (int(g[0]), MONTHS[g[1].lower()])
            if kind == "dm"
            else ((int(g[1]), MONTHS[g[0].lower()]) if kind == "md" else (int(g[1]), int(g[0])))
        )
        return _latest(today, month, day)
    if kind == "dom":  # "on the 5th": this month's, or last month's when that is still to come
        day = int(g[0])
        month, year = (today.month, today.year) if day <= today.day else _previous_month(today)
        try:
            point = date(year, month, day)
        except ValueError:
            return None
        return point, point
    if kind == "year":
        year = int(g[0] or g[1])
        return (date(year, 1, 1), date(year, 12, 31)) if 1900 <= year <= 2100 else None
    if kind.startswith("day"):
        point = today + timedelta(days=int(kind[3:]))
        return point, point
    if kind == "hence" and not ahead and m.group(0)[:2].lower() == "in":  # "I lost 3 kg in two weeks": no day to come
        return None
    if kind in ("ago", "zh_ago", "hence", "zh_hence"):  # "in 3 days", 三天后: as many days on
        n = _count(g[0]) * (1 if kind.endswith("hence") else -1)
        unit = _ZH_UNITS.get(g[1], g[1].lower())
        if unit == "day":
            point = today + timedelta(days=n)
            return point, point
        if unit in ("week", "weekend"):
            start, end = _week(today + timedelta(weeks=n))
            return (start + timedelta(days=5), end) if unit == "weekend" else (start, end)
        if unit == "month":
            return _shift_months(today, n)
        return date(today.year + n, 1, 1), date(today.year + n, 12, 31)
    if kind == "the_weekend":  # the coming one (this one, on a Saturday or Sunday), or the one gone
        coming = ahead or (g[0].lower() == "for" and _BEHIND.search(m.string) is None)  # "plans for the weekend"
        start, end = _week(today if coming or today.weekday() >= 5 else today - timedelta(weeks=1))
        return start + timedelta(days=5), end
    if kind in ("rel", "zh_rel"):
        if kind == "rel":
            where, unit = g[0].lower(), g[1].lower()
            step = {"last": -1, "past": -1, "this": 0, "next": 1}[where]
        else:
            where = g[0] or g[2]
            unit = _ZH_REL_UNITS[g[1]] if g[0] else "year"
            step = {"上": -1, "去": -1, "这": 0, "本": 0, "今": 0, "下": 1, "明": 1}[where]
        if unit in ("week", "weekend"):
            start, end = _week(today + timedelta(weeks=step))
            return (start + timedelta(days=5), end) if unit == "weekend" else (start, end)
        if unit == "month":
            return _shift_months(today, step)
        return date(today.year + step, 1, 1), date(today.year + step, 12, 31)
    if kind == "zh_weekday":  # 上周三: Wednesday of last week (weeks start on Monday)
        step = {"上": -1, "这": 0, "本": 0, "下": 1}[g[0]]
        start, _ = _week(today + timedelta(weeks=step))
        point = start + timedelta(days="一二三四五六日天".index(g[1]) if g[1] != "天" else 6)
        return point, point
    # "last summer": the latest one over; "this summer": this year's; "next spring": the next to begin
    if kind == "season":
        first = _SEASONS[g[1].lower()]
        year = today.year - (first == 12 and today.month <= 2)  # this winter began last December
        if g[0].lower() == "next":
            year = today.year + (date(today.year, first, 1) <= today)
        elif g[0].lower() != "this" and _shift_months(date(year, first, 1), 2)[1] >= today:
            year -= 1
        start = date(year, first, 1)
        return start, _shift_months(start, 2)[1]
    if kind == "weekday":
        weekday = WEEKDAYS[g[0].lower()]
        said = m.group(0).lower()
        if (ahead and said.startswith("on")) or said.startswith(("next", "this coming", "coming")):  # the first to come
            point = today + timedelta(days=(weekday - today.weekday()) % 7 or 7)
        else:
            point = today - timedelta(days=(today.weekday() - weekday) % 7 or 7)
        return point, point
    return None


def find_periods(text: str, now: datetime) -> list[Period]:
    """Every period ``text`` names, resolved against ``now`` (first match wins on overlaps)."""
    return list(_periods(text, now.date()))


@lru_cache(maxsize=16_384)
def _periods(text: str, today: date) -> tuple[Period, ...]:
    """Cached: retrieval asks again for the same memories' texts on every turn."""
    lowered = text.lower()
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, Period]] = []
    ahead = tells_ahead(text)
    for pattern, kind, hints in _RULES:
        if not any(hint in lowered for hint in hints):
            continue
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            span = _resolve(kind, m, today, ahead)
            if span is None:
                continue
            taken.append((m.start(), m.end()))
            found.append((m.start(), Period(span[0], span[1], m.group(0), kind in _YEAR_GUESSED)))
    return tuple(period for _, period in sorted(found, key=lambda item: item[0]))


def annotate(text: str, now: datetime) -> str:
    """``text`` with each relative time expression followed by its date:
    ``"yesterday"`` -> ``"yesterday (7 May 2023)"``. Absolute dates are left as they are, and so is a
    day without its year ("on June 10" may be the one to come)."""
    periods = [p for p in find_periods(text, now) if not re.search(r"\d{4}", p.text) and not p.year_guessed]
    out, last = [], 0
    for period in periods:
        index = text.find(period.text, last)
        if index < 0:
            continue
        end = index + len(period.text)
        out.append(text[last:end] + f" ({period.label})")
        last = end
    return "".join(out) + text[last:]
