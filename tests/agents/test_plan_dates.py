"""The day a plan names, resolved forwards from the message time (a Friday)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from tiermem.agents.plan_dates import upcoming, zh_labels
from tiermem.agents.replies import quote
from tiermem.agents.retriever import RetrievedItem

NOW = datetime(2024, 5, 3, 9, tzinfo=UTC)  # a Friday


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("on Thursday the 9th", date(2024, 5, 9), date(2024, 5, 9)),
        ("next Tuesday at 3pm", date(2024, 5, 7), date(2024, 5, 7)),
        ("on Friday", date(2024, 5, 10), date(2024, 5, 10)),  # today is Friday: the next one
        ("on the 2nd", date(2024, 6, 2), date(2024, 6, 2)),  # passed this month: next month's
        ("May 21", date(2024, 5, 21), date(2024, 5, 21)),
        ("on March 3rd", date(2025, 3, 3), date(2025, 3, 3)),  # passed this year: next year's
        ("on Sept 7 next year", date(2025, 9, 7), date(2025, 9, 7)),
        ("the 14th of June", date(2024, 6, 14), date(2024, 6, 14)),
        ("in May next year", date(2025, 5, 1), date(2025, 5, 31)),
        ("tomorrow at 6am", date(2024, 5, 4), date(2024, 5, 4)),
        ("the day after tomorrow", date(2024, 5, 5), date(2024, 5, 5)),
        ("6月15号考雅思", date(2024, 6, 15), date(2024, 6, 15)),
        ("明年十月结婚", date(2025, 10, 1), date(2025, 10, 31)),
        ("下周三有个面试", date(2024, 5, 8), date(2024, 5, 8)),
        ("15号要考驾照", date(2024, 5, 15), date(2024, 5, 15)),
        ("后天", date(2024, 5, 5), date(2024, 5, 5)),
        ("下个月搬去深圳", date(2024, 6, 1), date(2024, 6, 30)),
        # days from one to another: the span
        ("from June 10 to June 14", date(2024, 6, 10), date(2024, 6, 14)),
        ("June 10-14", date(2024, 6, 10), date(2024, 6, 14)),
        ("from 10 to 14 June", date(2024, 6, 10), date(2024, 6, 14)),
        ("Dec 28 to Jan 3", date(2024, 12, 28), date(2025, 1, 3)),
    ],
)
def test_a_plans_day_is_the_one_to_come(text: str, start: date, end: date) -> None:
    period = upcoming(text, NOW)
    assert period is not None
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("text", ["at 3pm", "last Monday", "上周三", "whenever", "on February 30th"])
def test_no_day_to_come(text: str) -> None:
    assert upcoming(text, NOW) is None


@pytest.mark.parametrize(
    ("text", "chinese"),
    [
        ("下周三 (8 May 2024)我要去北京出差", "下周三（2024年5月8日）我要去北京出差"),
        ("下个月 (June 2024)搬家", "下个月（2024年6月）搬家"),
        ("明年 (2025)", "明年（2025年）"),
        ("(Beijing 2008)", "(Beijing 2008)"),  # no date: left as it is
        ("下周 (6 May 2024 - 12 May 2024)", "下周（2024年5月6日至2024年5月12日）"),
        ("去北京 (Beijing)", "去北京 (Beijing)"),
    ],
)
def test_days_written_after_words_read_in_chinese(text: str, chinese: str) -> None:
    assert zh_labels(text) == chinese


def test_a_chinese_quote_dates_its_relative_days() -> None:
    said = RetrievedItem(id="m", tier="mid", text="我昨天去看了牙医", score=0.5, created_at=NOW)
    assert quote(said, None) == "根据记忆（2024-05-03）：原话：“我昨天（2024年5月2日）去看了牙医”"
