"""Questions for the user's plans as a list: "What are my plans?", "Do I have any plans this
week?", "What's coming up?", 我下周有什么安排？

The plans held are the user's ``plan_*`` facts that have not ended ("My trip is cancelled" ends
one), and the memories that name a day to come as they were said ("I need to pick up my car from
the mechanic tomorrow"): a later day than the one they were said on, or that day or a weekday
told of as to come ("I have a meeting with my dentist on Friday"). Extraction wrote the day
each plan fact names beside its words ("at Google on Thursday (9 May 2024)",
:mod:`~.plan_dates`), so they are told soonest first, with their words: within the
period the question names (resolved forwards: "this week", "tomorrow", "in June" to come), else
from the asker's day on, with the plans that name no day after them. A question for a period
that holds none says so, and names the next plan held. Where no plan is among the memories
retrieved, the question is answered as any other.

Example:
    >>> plans_answer("What are my plans this week?", items, now).text
    'Your plans for 29 April 2024 - 5 May 2024: the interview on 9 May 2024 ...'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from tiermem.memory.versions import ENDED

from .answer import Answer
from .countdown import YEARLY, next_day
from .fact_match import memory_lines
from .fact_names import attribute_noun, owned, zh_key, zh_owned
from .grounded import states_something
from .plan_dates import undated, upcoming, words_key, written_day, zh_day
from .replies import is_chinese
from .retriever import RetrievedItem
from .statements import is_question
from .timeexpr import Period, find_periods, month_span, tells_ahead

PLANS_ASKED = re.compile(
    r"\b(?:my|our)\s+(?:[a-z]+\s+)?plans\b"
    r"|\bplans\s+(?:do|have)\s+(?:i|we)\b"
    r"|\b(?:do|have)\s+(?:i|we)\s+(?:have\s+|got\s+)?(?:any\s+)?plans\b"
    r"|\b(?:my|our)\s+(?:schedule|agenda|calendar)\b"
    r"|\bwhat(?:['’]s|\s+is)\s+(?:coming\s+up|on\s+(?:my|the)\s+(?:schedule|calendar|agenda))\b"
    r"|\b(?:is\s+there\s+|do\s+(?:i|we)\s+have\s+)?anything\s+(?:coming\s+up|happening|scheduled)\b"
    r"|\bwhat\s+do\s+(?:i|we)\s+have\s+(?:planned|coming\s+up|going\s+on)\b"
    r"|\bwhat\s+(?:do|have)\s+(?:i|we)\s+(?:got\s+|have\s+|got\s+going\s+on\s+)?(?:on\s+)?"
    r"(?=(?:today|tonight|tomorrow|this\s+(?:week|weekend)|next\s+(?:week|weekend)|on\s+\w+day)\s*[?？.]?\s*$)"
    r"|\bwhat(?:['’]s|\s+is)\s+(?:happening\s+|planned\s+|on\s+)?(?=(?:today|tonight|tomorrow|this\s+weekend)\s*[?？.]?\s*$)"
    r"|\b(?:what\s+am\s+i\s+doing|what\s+(?:do|did)\s+(?:i|we)\s+(?:need|have)\s+to\s+do|what\s+(?:tasks|errands|to-?dos)"
    r"\s+do\s+(?:i|we)\s+have|am\s+i\s+(?:busy|free)|do\s+i\s+have\s+anything(?:\s+(?:planned|on))?"
    r"|anything\s+(?:planned|on))\s+(?=(?:for\s+|on\s+)?(?:today|tonight|tomorrow|(?:this|next|the)\s+(?:week|weekend)|\w+day)\b)"
    r"|我?(?:今天|明天|后天|这周|下周|周末)我?(?:要|有|得)?(?:做什么|干什么|忙什么)"
    r"|(?:有(?:什么|哪些|没有)|什么)(?:安排|计划|日程|行程)|(?:安排|日程)(?:是什么|有哪些)",
    re.IGNORECASE,
)
"""A question for the user's plans together, not for one of them ("What's my plan for Paris?")."""


@dataclass(frozen=True, slots=True)
class _Plan:
    item: RetrievedItem
    words: str
    when: Period | None
    said: bool = False
    """A memory's words that name a day to come, not a plan fact."""
    yearly: bool = False
    """A day that comes back every year (a birthday, an anniversary), told as whose it is."""


def plans_answer(question: str, items: list[RetrievedItem], now: datetime | None) -> Answer | None:
    """The reply to a question for the user's plans (module docstring) from ``items``; ``None``
    for any other question, or where no plan is among ``items``."""
    if now is None or not is_question(question) or not PLANS_ASKED.search(question):
        return None
    today = now.date()
    plans = [_plan(item) for item in items if _holds_plan(item)]
    plans += _said_plans(items, today, told=_plan_words(items))
    asked = upcoming(question, now)
    if asked is not None:  # "next week": a birthday in it too
        plans += [_Plan(item, item.value, day, yearly=True) for item in items if (day := _yearly_day(item, today))]
    if not plans:
        return None
    chinese = is_chinese(question)
    if asked is not None:
        chosen = _soonest([p for p in plans if p.when is not None and asked.overlaps(p.when.start, p.when.end)])
        later = _soonest([p for p in plans if p.when is not None and p.when.start > asked.end])
    else:
        chosen = _soonest([p for p in plans if p.when is not None and p.when.end >= today])
        chosen += [p for p in plans if p.when is None]
        later = []
    cited = [p.item.id for p in chosen or later[:1]]
    text = _zh(chosen, later, asked) if chinese else _english(chosen, later, asked)
    reason = "the question asks for the plans held" + (f" in {asked.label}" if asked else " from today on")
    return Answer(text=text, mode="fact", reason=reason, cited=cited)


def _plan_words(items: list[RetrievedItem]) -> set[str]:
    """The words (:func:`~.plan_dates.words_key`) every version of the user's plan facts was said
    in, held, moved or called off: a memory that says one is that plan, not another ("I have a
    dentist appointment tomorrow at 9" after "I rescheduled it to Friday")."""
    plans = [item for item in items if item.key.startswith("user.plan_")]
    said = [item.text for item in plans] + [version.statement for item in plans for version in item.versions]
    return {words_key(text) for text in said if text}


def _yearly_day(item: RetrievedItem, today: date) -> Period | None:
    """The next day of a birthday or an anniversary fact, whosever it is; ``None`` for any other."""
    return next_day(item, today) if item.key.partition(".")[2] in YEARLY else None


def _holds_plan(item: RetrievedItem) -> bool:
    subject, _, attribute = item.key.partition(".")
    return subject == "user" and attribute.startswith("plan_") and not item.value.startswith(ENDED)


def _plan(item: RetrievedItem) -> _Plan:
    written = written_day(item.value)
    return _Plan(item, *written) if written else _Plan(item, item.value, None)


def _said_plans(items: list[RetrievedItem], today: date, told: set[str]) -> list[_Plan]:
    """The lines of memories that are no facts and name a day to come as they were said (module
    docstring), each with the first such day that has not passed by ``today``; once each, and
    none ``told`` (:func:`_bare` words of a plan fact's message)."""
    plans = []
    for item in items:
        if item.key or not states_something(item):
            continue
        said_on = item.created_at.date()
        for line in memory_lines(item):
            to_come = (
                period
                for period in find_periods(line, item.created_at)
                if period.end >= today and (period.start > said_on or tells_ahead(line))
            )
            when = next(to_come, None)
            if when is None or is_question(line) or words_key(line) in told:
                continue
            told.add(words_key(line))
            plans.append(_Plan(item, undated(line), when, said=True))
    return plans


def _soonest(plans: list[_Plan]) -> list[_Plan]:
    return sorted(plans, key=lambda p: p.when.start if p.when is not None else date.max)


def _english(chosen: list[_Plan], later: list[_Plan], asked: Period | None) -> str:
    def said(plan: _Plan) -> str:
        if plan.said and plan.when is not None:
            return f'{_on(plan.when)} {plan.when.label}, as you told me: "{plan.words}"'
        if plan.yearly and plan.when is not None:
            return f"{owned(plan.item.key)} on {plan.when.label}"
        noun = attribute_noun(plan.item.key.partition(".")[2])
        if plan.when is None:
            return f'the {noun} ("{plan.words}", no day told)'
        return f'the {noun} {_on(plan.when)} {plan.when.label} ("{plan.words}")'

    period = f" for {asked.label}" if asked is not None else ""
    if chosen:
        return f"Your plans{period}: {'; '.join(said(p) for p in chosen)}."
    if not later:
        return f"You haven't told me of any plans{period or ' from today on'}."
    return f"You haven't told me of any plans{period}. The next one: {said(later[0])}."


def _on(period: Period) -> str:
    """The preposition before a period's label: on a day, in a month, during a span."""
    start, end = period.start, period.end
    return "on" if start == end else "in" if (start, end) == month_span(start.year, start.month) else "during"


def _zh(chosen: list[_Plan], later: list[_Plan], asked: Period | None) -> str:
    def said(plan: _Plan) -> str:
        if plan.said and plan.when is not None:
            return f"{zh_day(plan.when)}（你说过：“{plan.words}”）"
        if plan.yearly and plan.when is not None:
            return f"{zh_owned(plan.item.key)}（{zh_day(plan.when)}）"
        noun = zh_key(plan.item.key)
        when = zh_day(plan.when) if plan.when is not None else "没有说哪天"
        return f"{noun}（{when}，原话：“{plan.words}”）"

    period = f"（{zh_day(asked)}）" if asked is not None else ""
    if chosen:
        return f"你的安排{period}：{'；'.join(said(p) for p in chosen)}。"
    if not later:
        return f"你还没有告诉过我{period}有什么安排。"
    return f"你还没有告诉过我{period}有什么安排。接下来的是：{said(later[0])}。"


def with_move_ahead(text: str, fact: RetrievedItem, items: list[RetrievedItem], now: datetime | None) -> str:
    """``text``, the answer from the user's home city, with the move to come that ``items`` hold
    ("Your home city is Austin ... You also told me you are moving to Seattle next month (June
    2024)."); a move whose day has passed (done, or never said done) or one called off is none."""
    if fact.key != "user.lives_in" or now is None:
        return text
    for item in items:
        if item.key != "user.plan_move" or item.value.startswith(ENDED):
            continue
        planned = written_day(item.value)
        if planned is not None and planned[1].end >= now.date():
            return f"{text} You also told me you are moving to {item.value}."
    return text
