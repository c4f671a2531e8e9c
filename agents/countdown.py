"""How long until the day a fact names: "How many days until my birthday?" (its next June 5th),
"How long until my trip?" (a plan's day, resolved when it was told), 离我生日还有几天？

Example:
    >>> from datetime import UTC, datetime
    >>> from tiermem.agents.retriever import RetrievedItem
    >>> now = datetime(2024, 5, 3, 9, tzinfo=UTC)
    >>> birthday = RetrievedItem(
    ...     id="b", tier="long", text="My birthday is June 5th", score=1.0, created_at=now,
    ...     key="user.birthday", value="June 5th",
    ... )
    >>> countdown("How many days until my birthday?", None, [birthday], now).text
    '33 days until your birthday (5 June 2024).'
"""

from __future__ import annotations

import re
from datetime import date, datetime

from .answer import Answer
from .asked import referents, says
from .attribute_words import attribute_words, value_named
from .derived import month_day
from .fact_names import owned, sentence_start, zh_owned
from .plan_dates import undated, written_day, zh_day
from .replies import is_chinese
from .retriever import RetrievedItem
from .timeexpr import Period

_ASKS_UNTIL = re.compile(
    r"\bhow\s+(?:many\s+(?:more\s+)?(?:days|weeks)|long|soon)\b.*\b(?:until|till|til|before|left|away|to\s+go)\b"
    r"|\b(?:days|weeks)\s+(?:left\s+)?(?:until|till|before)\b|还有(?:几|多少)(?:天|周|个?星期)|还有多久|还剩(?:几|多少)天",
    re.I,
)
"""A question for how long until a day ("How many days until ...?", "How long until ...?", "How
soon is ... away?", 还有几天)."""
_IN_WEEKS = re.compile(r"\bweeks\b|周|星期", re.I)
YEARLY = frozenset({"birthday", "anniversary"})
"""Attributes whose day comes back every year: their next one is counted to."""


def countdown(
    question: str, fact: RetrievedItem | None, items: list[RetrievedItem], now: datetime | None
) -> Answer | None:
    """The reply to a question for how long until a day: that of ``fact`` (the one the question
    asks for), else of the first of ``items`` whose attribute it names and whose owner it asks
    about ("How many days until my dentist appointment?": ``user.plan_appointment``); ``None``
    where it asks no such thing or no such fact names a day."""
    if now is None or not _ASKS_UNTIL.search(question):
        return None
    whom = referents(question, {item.key.partition(".")[0] for item in items if item.key}) or {"user"}
    named = [fact] if fact is not None else [item for item in items if item.key and _names(question, item, whom)]
    for item in named:
        text = countdown_answer(item, question, now)
        if text is not None:
            reason = f"the question asks how long until the day {item.key} names: counted from today"
            return Answer(text=text, mode="fact", reason=reason, cited=[item.id])
    return None


def _names(question: str, fact: RetrievedItem, whom: set[str] | frozenset[str]) -> bool:
    """Whether ``question`` names ``fact``'s attribute, or a plan by the words of its value ("How many
    days until I fly to Lisbon?", 离我去上海还有几天？), of whom it asks about."""
    subject, _, attribute = fact.key.partition(".")
    if subject not in whom:
        return False
    if any(says(question, word, "s?") for word in attribute_words(attribute)):
        return True
    if not attribute.startswith("plan_"):
        return False
    said = undated(fact.value)
    if not is_chinese(question):
        return value_named(question, _MONTH_NAMES.sub("", said))  # "Lisbon", not "June"
    pairs = {said[i : i + 2] for i in range(len(said) - 1)}  # two characters that say what: 上海, not 要去
    return any(pair in question for pair in pairs if _ZH_PAIR.fullmatch(pair) and not set(pair) & _ZH_FUNCTION)


_MONTH_NAMES = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I)
_ZH_PAIR = re.compile(r"[\u4e00-\u9fff]{2}")
_ZH_FUNCTION = frozenset("我你他她们的了要去来在是有还几天离到和跟给会想周月号日")
"""Characters of how a plan is said, not what it is (要去, 下周五): no two of them name a plan."""


def countdown_answer(fact: RetrievedItem, question: str, now: datetime) -> str | None:
    """How long from ``now``'s day until the day ``fact`` names, said in the question's language:
    a birthday's or anniversary's next one, a plan's day or the first of its span; ``None`` where
    the fact names no day."""
    today = now.date()
    period = next_day(fact, today)
    if period is None:
        return None
    chinese = is_chinese(question)
    thing = zh_owned(fact.key) if chinese else owned(fact.key)
    label = zh_day(period) if chinese else period.label
    if period.start <= today <= period.end:
        return f"就是今天（{label}）。" if chinese else f"{sentence_start(thing)} is today ({label})."
    if period.end < today:
        ago = (today - period.end).days
        return (
            f"{thing}已经过去{ago}天了（{label}）。"
            if chinese
            else f"{sentence_start(thing)} was {_days(ago)} ago ({label})."
        )
    days = (period.start - today).days
    span = period.start != period.end  # "next spring": counted to its first day
    if chinese:
        first = "，从第一天算" if span else ""
        return f"距离{thing}（{label}）还有{days}天{first}。"
    weeks = f" ({days // 7} weeks and {_days(days % 7)})" if _IN_WEEKS.search(question) else ""
    first = ", its first day" if span else ""
    return f"{_days(days)}{weeks} until {thing} ({label}{first})."


def next_day(fact: RetrievedItem, today: date) -> Period | None:
    """The day (or span) ``fact`` names that a countdown counts to: a yearly day's next one, a
    plan's written day."""
    attribute = fact.key.partition(".")[2]
    if attribute in YEARLY and (said := month_day(fact.value)) is not None:
        for year in range(today.year, today.year + 9):  # the 29th of February: the next leap year's
            try:
                day = date(year, *said)
            except ValueError:
                continue
            if day >= today:
                return Period(day, day, fact.value)
        return None
    written = written_day(fact.value)
    return written[1] if written is not None else None


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"
