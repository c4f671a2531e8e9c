"""Answers computed from the user's body measures: the BMI (:mod:`~.measures`), and how far the
user's weight is from their goal weight ("How much more do I need to lose?",
"How far am I from my goal weight?", 我还要减多少？), from the newest ``user.weight`` and
``user.goal_weight`` held: the difference in the unit the weight was told in, to lose or to gain,
or that the goal is reached.

Example:
    >>> from datetime import UTC, datetime
    >>> day = datetime(2024, 5, 3, tzinfo=UTC)
    >>> def held(key: str, value: str) -> RetrievedItem:
    ...     return RetrievedItem(id=key, tier="mid", text=value, score=1, created_at=day, key=key, value=value)
    >>> held = [held("user.weight", "72 kg"), held("user.goal_weight", "65 kg")]
    >>> weight_to_goal("How much more weight do I need to lose?", held)
    'You have 7 kg left to lose: you weigh 72 kg (as of 2024-05-03) and your goal weight is 65 kg.'
"""

from __future__ import annotations

import re
from datetime import datetime

from .answer import Answer
from .blood_pressure import pressure_answer
from .measures import bmi_answer, per_base, quantity, said_amount, told_unit
from .replies import is_chinese
from .retriever import RetrievedItem

_TO_GOAL = re.compile(
    r"\bhow\s+(?:much|many\s+(?:kilos?|kgs?|pounds|lbs?))\s+(?:more\s+)?(?:weight\s+)?(?:do|should|must)\s+i\s+"
    r"(?:still\s+)?(?:need\s+to|have\s+to|have\s+left\s+to|got\s+to)\s+(?:lose|gain|put\s+on|drop)\b"
    r"|\bhow\s+(?:much|many\s+(?:kilos?|kgs?|pounds|lbs?))\s+(?:more\s+)?(?:weight\s+)?(?:is\s+)?left\s+to\s+(?:lose|gain)\b"
    r"|\bhow\s+(?:far|close)\s+am\s+i\s+(?:from|to)\s+(?:my\s+)?(?:goal|target)(?:\s+weight)?\b"
    r"|\b(?:have|did)\s+i\s+(?:reach(?:ed)?|hit)\s+my\s+(?:goal|target)(?:\s+weight)?\b"
    r"|我?还(?:要|需要|得|差)(?:减|瘦|增|胖|长)?多少|离(?:我的)?(?:目标|目标体重)还(?:有|差)多(?:少|远)",
    re.I,
)
"""A question for the way left to the goal weight."""


def _newest(items: list[RetrievedItem], key: str) -> RetrievedItem | None:
    return max((item for item in items if item.key == key), key=lambda item: item.created_at, default=None)


def weight_to_goal(question: str, items: list[RetrievedItem], now: datetime | None = None) -> str | None:
    """The answer to a question for the way left from the user's weight to their goal weight
    (module docstring); ``None`` for any other question, or where either is not held in a
    known unit."""
    if not _TO_GOAL.search(question):
        return None
    weight, goal = _newest(items, "user.weight"), _newest(items, "user.goal_weight")
    if weight is None or goal is None:
        return None
    now_held, aimed = quantity(weight.value), quantity(goal.value)
    if now_held is None or aimed is None or {now_held.dimension, aimed.dimension} != {"weight"}:
        return None
    unit = told_unit(weight.value)
    left = round(abs(now_held.amount - aimed.amount) / per_base(unit), 1)
    losing = _losing(weight, goal, aimed.amount)
    reached = left == 0 or (now_held.amount < aimed.amount) is losing
    amount = said_amount(left, unit)
    day = weight.day(now.tzinfo if now is not None else None)
    if is_chinese(question):
        if reached:
            return f"你已经达到目标体重{goal.value}：现在是{weight.value}（{day}）。"
        return f"你还需要{'减' if losing else '增'}{amount}：现在是{weight.value}（{day}），目标体重是{goal.value}。"
    if reached:
        return f"You've reached your goal weight of {goal.value}: you weigh {weight.value} (as of {day})."
    told = f"you weigh {weight.value} (as of {day}) and your goal weight is {goal.value}"
    return f"You have {amount} left to {'lose' if losing else 'gain'}: {told}."


def _losing(weight: RetrievedItem, goal: RetrievedItem, aimed: float) -> bool:
    """Whether the goal is to lose weight: it is below the weight held when it was set (the
    oldest weight held, where all were told later)."""
    weights = weight.dated_values()
    then = next((value for value, at in weights if at <= goal.created_at), weights[-1][0])
    held = quantity(then)
    return held is None or held.amount > aimed


def body_answer(question: str, items: list[RetrievedItem], now: datetime | None = None) -> Answer | None:
    """The answer computed from the user's body measures held: whether their blood pressure is high
    (:func:`~tiermem.agents.blood_pressure.pressure_answer`), their BMI
    (:func:`~tiermem.agents.measures.bmi_answer`) or the way left to their goal weight
    (:func:`weight_to_goal`); ``None`` where the question asks neither or they are not held."""
    pressure = pressure_answer(question, items, now)
    if pressure is not None:  # "Is my blood pressure high?"
        return pressure
    bmi = bmi_answer(question, items, now)
    if bmi is not None:
        cited = [item.id for item in items if item.key in ("user.weight", "user.height")]
        return Answer(
            text=bmi, mode="fact", reason="the question asks the BMI: from the weight and height held", cited=cited
        )
    to_goal = weight_to_goal(question, items, now)
    if to_goal is None:
        return None
    cited = [item.id for item in items if item.key in ("user.weight", "user.goal_weight")]
    reason = "the question asks the way left to the goal weight: from the weight and the goal held"
    return Answer(text=to_goal, mode="fact", reason=reason, cited=cited)
