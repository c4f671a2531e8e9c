"""Time expressions resolved against the message time, English and Chinese."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from tiermem.agents.timeexpr import Period, annotate, find_periods

NOW = datetime(2023, 5, 8, 13, 56)  # a Monday


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("I went to a LGBTQ support group yesterday", ["7 May 2023"]),
        ("the day before yesterday", ["6 May 2023"]),
        ("tonight we cook", ["8 May 2023"]),
        ("see you tomorrow", ["9 May 2023"]),
        ("last week I painted", ["1 May 2023 - 7 May 2023"]),
        ("we went camping two weekends ago", ["29 April 2023 - 30 April 2023"]),
        ("3 days ago", ["5 May 2023"]),
        # days to come counted from the message
        ("My dentist appointment is in 3 days", ["11 May 2023"]),
        ("My exam is in two weeks", ["22 May 2023 - 28 May 2023"]),
        ("We're moving in 2 months", ["July 2023"]),
        ("3 days from now", ["11 May 2023"]),
        ("two weeks from today", ["22 May 2023 - 28 May 2023"]),
        ("I'm flying out the day after tomorrow", ["10 May 2023"]),
        ("I lost 3 kg in two weeks", []),  # how long it took, no day to come
        ("三天后我去北京", ["11 May 2023"]),
        ("后天见", ["10 May 2023"]),
        ("大后天", ["11 May 2023"]),
        ("a few weeks ago", ["17 April 2023 - 23 April 2023"]),
        ("I passed the interviews last Friday!", ["5 May 2023"]),
        ("I went to the gym on Friday", ["5 May 2023"]),  # told in the past: the one gone
        ("I have a dentist appointment on Friday at 3pm", ["12 May 2023"]),  # to come: the next one
        ("My interview is on Wednesday", ["10 May 2023"]),
        ("What am I doing on Sunday?", ["14 May 2023"]),
        ("What did I do on Sunday?", ["7 May 2023"]),
        ("I had a meeting on Monday", ["1 May 2023"]),  # today is a Monday: the one before
        ("My yoga class is on Thursday evenings", []),  # a habit's days: no one day
        ("My mom is visiting from Ohio next Tuesday.", ["9 May 2023"]),  # next: the first to come
        ("this coming Friday", ["12 May 2023"]),
        ("What are my plans for the weekend?", ["13 May 2023 - 14 May 2023"]),  # the coming one
        ("I went hiking over the weekend", ["6 May 2023 - 7 May 2023"]),  # the one gone
        ("I was in Paris for the weekend", ["6 May 2023 - 7 May 2023"]),
        ("I usually hike on the weekend", []),  # as often a habit's
        ("I'm training for a marathon in October.", ["October 2023"]),  # to come: the next one
        ("I've been training for a marathon in October.", ["October 2023"]),  # trained for: to come
        ("I was training for a marathon in October.", ["October 2022"]),
        ("I'm looking forward to the concert in August", ["August 2023"]),
        ("Dinner with Sarah on Saturday at 7", ["13 May 2023"]),  # a time of day: an appointment to come
        ("I'm pregnant! Due in November.", ["November 2023"]),  # due: to come
        ("My daughter starts kindergarten in September", ["September 2023"]),  # starts: to come
        ("The rent was due in March", ["March 2023"]),
        ("I went to the gym on Saturday at 7", ["6 May 2023"]),
        ("I will visit Rome in March", ["March 2024"]),
        ("I went to Rome in March", ["March 2023"]),
        ("next month", ["June 2023"]),
        ("3 years ago I moved", ["2020"]),
        ("What did Melanie do in July 2023?", ["July 2023"]),
        ("What painting did she show on October 13, 2023?", ["13 October 2023"]),
        ("on 1 February, 2023", ["1 February 2023"]),
        ("When did Melanie go camping in June?", ["June 2022"]),  # a bare month: the latest one
        ("in March", ["March 2023"]),
        ("since 2016", ["2016"]),
        ("2023-04-02", ["2 April 2023"]),
        ("我昨天去了医院", ["7 May 2023"]),
        ("前天", ["6 May 2023"]),
        ("上个月我去了北京", ["April 2023"]),
        ("上周我很忙", ["1 May 2023 - 7 May 2023"]),
        ("下周末去爬山", ["20 May 2023 - 21 May 2023"]),
        ("去年", ["2022"]),
        ("3天前", ["5 May 2023"]),
        ("两个月前", ["March 2023"]),
        ("2023年7月15日", ["15 July 2023"]),
        ("2022年10月", ["October 2022"]),
        ("yesterday and last week", ["7 May 2023", "1 May 2023 - 7 May 2023"]),
        ("nothing about time here", []),
        ("May I ask you something?", []),
        ("February 30, 2023", []),
        ("I was 70kg last summer", ["1 June 2022 - 31 August 2022"]),  # May 2023: the summer over
        ("this summer", ["1 June 2023 - 31 August 2023"]),
        ("last winter", ["1 December 2022 - 28 February 2023"]),
        ("a trip to Japan next spring", ["1 March 2024 - 31 May 2024"]),  # the next to begin
        ("next summer", ["1 June 2023 - 31 August 2023"]),
        # a day or month without its year: the latest one not after the message
        ("on 5 May", ["5 May 2023"]),
        ("on June 5", ["5 June 2022"]),
        ("on the 3rd", ["3 May 2023"]),
        ("on the 20th", ["20 April 2023"]),
        ("我5月去了北京", ["May 2023"]),
        ("十二月很冷", ["December 2022"]),
        ("6月5日那天", ["5 June 2022"]),
        ("I have 5 may be 6", []),  # "may" in lower case is the verb
        # a place that starts like a month is no date
        ("I live in Marseille", []),
        ("We moved to Decatur", []),
        ("she works in Augsburg since Janesville", []),
        ("born in Sept.", ["September 2022"]),
        ("since Mar. 2021", ["March 2021"]),
    ],
)
def test_find_periods(text: str, labels: list[str]) -> None:
    assert [p.label for p in find_periods(text, NOW)] == labels


def test_period_overlap_and_text() -> None:
    (period,) = find_periods("last week", NOW)
    assert period == Period(date(2023, 5, 1), date(2023, 5, 7), "last week")
    assert period.overlaps(date(2023, 5, 7), date(2023, 5, 20)) and not period.overlaps(
        date(2023, 5, 8), date(2023, 6, 1)
    )


def test_annotate_resolves_relative_times_and_leaves_dates() -> None:
    assert (
        annotate("I went yesterday, and in July 2023 too", NOW) == "I went yesterday (7 May 2023), and in July 2023 too"
    )
    assert annotate("我昨天去了医院", NOW) == "我昨天 (7 May 2023)去了医院"
    assert annotate("no time words", NOW) == "no time words"
    assert annotate("I went to Paris in April.", NOW) == "I went to Paris in April (April 2023)."  # not after the dot
    assert annotate("We met in Oct. last year", NOW).startswith("We met in Oct. (October 2022)")
