"""The day a plan names, resolved forwards from the message time (a Friday)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from tiermem.agents.plan_dates import upcoming

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
    ],
)
def test_a_plans_day_is_the_one_to_come(text: str, start: date, end: date) -> None:
    period = upcoming(text, NOW)
    assert period is not None
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("text", ["at 3pm", "last Monday", "上周三", "whenever", "on February 30th"])
def test_no_day_to_come(text: str) -> None:
    assert upcoming(text, NOW) is None
