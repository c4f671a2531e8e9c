"""Questions for the user's plans as a list: "What are my plans?", "Do I have any plans this
week?", "What's coming up?", 我下周有什么安排？

The plans held are the user's ``plan_*`` facts that have not ended ("My trip is cancelled" ends
one). Extraction wrote the day each names beside its words ("at Google on Thursday (9 May
2024)", :mod:`~.plan_dates`), so they are told soonest first, with their words: within the
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
from .fact_names import attribute_noun, zh_key
from .plan_dates import upcoming, written_day
from .replies import is_chinese
from .retriever import RetrievedItem
from .statements import is_question
from .timeexpr import Period, month_span

PLANS_ASKED = re.compile(
    r"\b(?:my|our)\s+(?:[a-z]+\s+)?plans\b"
    r"|\bplans\s+(?:do|have)\s+(?:i|we)\b"
    r"|\b(?:do|have)\s+(?:i|we)\s+(?:have\s+|got\s+)?(?:any\s+)?plans\b"
    r"|\b(?:my|our)\s+(?:schedule|agenda|calendar)\b"
    r"|\bwhat(?:['’]s|\s+is)\s+(?:coming\s+up|on\s+(?:my|the)\s+(?:schedule|calendar|agenda))\b"
    r"|\bwhat\s+do\s+(?:i|we)\s+have\s+(?:planned|coming\s+up|going\s+on)\b"
    r"|(?:有(?:什么|哪些|没有)|什么)(?:安排|计划|日程|行程)|(?:安排|日程)(?:是什么|有哪些)",
    re.IGNORECASE,
)
"""A question for the user's plans together, not for one of them ("What's my plan for Paris?")."""


@dataclass(frozen=True, slots=True)
class _Plan:
    item: RetrievedItem
    words: str
    when: Period | None


def plans_answer(question: str, items: list[RetrievedItem], now: datetime | None) -> Answer | None:
    """The reply to a question for the user's plans (module docstring) from ``items``; ``None``
    for any other question, or where no plan is among ``items``."""
    if now is None or not is_question(question) or not PLANS_ASKED.search(question):
        return None
    plans = [_plan(item) for item in items if _holds_plan(item)]
    if not plans:
        return None
    today = now.date()
    asked = upcoming(question, now)
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


def _holds_plan(item: RetrievedItem) -> bool:
    subject, _, attribute = item.key.partition(".")
    return subject == "user" and attribute.startswith("plan_") and not item.value.startswith(ENDED)


def _plan(item: RetrievedItem) -> _Plan:
    written = written_day(item.value)
    return _Plan(item, *written) if written else _Plan(item, item.value, None)


def _soonest(plans: list[_Plan]) -> list[_Plan]:
    return sorted(plans, key=lambda p: p.when.start if p.when is not None else date.max)


def _english(chosen: list[_Plan], later: list[_Plan], asked: Period | None) -> str:
    def said(plan: _Plan) -> str:
        noun = attribute_noun(plan.item.key.partition(".")[2])
        if plan.when is None:
            return f'the {noun} ("{plan.words}", no day told)'
        start, end = plan.when.start, plan.when.end
        on = "on" if start == end else "in" if (start, end) == month_span(start.year, start.month) else "during"
        return f'the {noun} {on} {plan.when.label} ("{plan.words}")'

    period = f" for {asked.label}" if asked is not None else ""
    if chosen:
        return f"Your plans{period}: {'; '.join(said(p) for p in chosen)}."
    if not later:
        return f"You haven't told me of any plans{period or ' from today on'}."
    return f"You haven't told me of any plans{period}. The next one: {said(later[0])}."


def _zh(chosen: list[_Plan], later: list[_Plan], asked: Period | None) -> str:
    def said(plan: _Plan) -> str:
        noun = zh_key(plan.item.key)
        when = _zh_day(plan.when) if plan.when is not None else "没有说哪天"
        return f"{noun}（{when}，原话：“{plan.words}”）"

    period = f"（{_zh_day(asked)}）" if asked is not None else ""
    if chosen:
        return f"你的安排{period}：{'；'.join(said(p) for p in chosen)}。"
    if not later:
        return f"你还没有告诉过我{period}有什么安排。"
    return f"你还没有告诉过我{period}有什么安排。接下来的是：{said(later[0])}。"


def _zh_day(period: Period) -> str:
    """``2024年5月9日``, ``2024年6月``, or a range of them."""
    start, end = period.start, period.end
    if start == end:
        return f"{start.year}年{start.month}月{start.day}日"
    if (start, end) == month_span(start.year, start.month):
        return f"{start.year}年{start.month}月"
    return f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"
