"""Whether the user's blood pressure is high, normal or low, from the newest reading held.

"Is my blood pressure high?", "Is my blood pressure OK?", 我的血压高吗？ are told the newest
``user.blood_pressure`` held ("135/85") with its category by the 2017 ACC/AHA guideline (normal
under 120/80, elevated 120-129 systolic with under 80 diastolic, stage 1 hypertension 130-139 or
80-89, stage 2 at 140 or 90 and above, a hypertensive crisis over 180 or 120), or low under 90/60;
and that one reading says little, so a doctor is the one to ask. A reading in no known form
("normal") is told as held, with no category.

Example:
    >>> pressure_category(135, 85), pressure_category(118, 76), pressure_category(150, 95)
    ('stage 1 hypertension', 'normal', 'stage 2 hypertension')
"""

from __future__ import annotations

import re
from datetime import datetime

from .answer import Answer
from .replies import is_chinese
from .retriever import RetrievedItem

_ASKED = re.compile(
    r"\bblood\s+pressure\s+(?:(?:too|a\s+bit|very|dangerously)\s+)?"
    r"(?:high|low|normal|ok|okay|good|fine|healthy|bad|dangerous|elevated)\b"
    r"|\bblood\s+pressure\s+(?:category|range)\b|\bdo\s+i\s+have\s+(?:high|low)\s+blood\s+pressure\b"
    r"|\bam\s+i\s+hypertensive\b|血压(?:高|低|正常|偏高|偏低|还好|怎么样)",
    re.I,
)
"""A question whether the blood pressure is high, low or fine, not for its value."""
_READING = re.compile(r"(?P<systolic>\d{2,3})\s*(?:/|over|／)\s*(?P<diastolic>\d{2,3})", re.I)
_CATEGORIES_ZH = {
    "low": "偏低",
    "normal": "正常",
    "elevated": "偏高（血压升高）",
    "stage 1 hypertension": "1级高血压",
    "stage 2 hypertension": "2级高血压",
    "a hypertensive crisis": "高血压危象",
}
_RANGES = {
    "low": "under 90/60",
    "normal": "under 120/80",
    "elevated": "120-129 systolic and under 80 diastolic",
    "stage 1 hypertension": "130-139 systolic or 80-89 diastolic",
    "stage 2 hypertension": "140 systolic or 90 diastolic and above",
    "a hypertensive crisis": "over 180 systolic or 120 diastolic",
}


def pressure_category(systolic: int, diastolic: int) -> str:
    """The category of a reading (mmHg) by the 2017 ACC/AHA guideline, or ``low`` under 90/60."""
    if systolic > 180 or diastolic > 120:
        return "a hypertensive crisis"
    if systolic >= 140 or diastolic >= 90:
        return "stage 2 hypertension"
    if systolic >= 130 or diastolic >= 80:
        return "stage 1 hypertension"
    if systolic < 90 or diastolic < 60:
        return "low"
    return "elevated" if systolic >= 120 else "normal"


def pressure_answer(question: str, items: list[RetrievedItem], now: datetime | None = None) -> Answer | None:
    """The answer to whether the user's blood pressure is high or fine, from the newest reading
    held among ``items``; ``None`` where the question asks no such thing or none is held."""
    if not _ASKED.search(question):
        return None
    held = [item for item in items if item.key == "user.blood_pressure"]
    newest = max(held, key=lambda item: item.created_at, default=None)
    if newest is None:
        return None
    day = newest.day(now.tzinfo if now is not None else None)
    reading = _READING.search(newest.value)
    chinese = is_chinese(question)
    if reading is None:
        text = (
            f"你的血压是{newest.value}（截至 {day}）。"
            if chinese
            else f"Your blood pressure is {newest.value} (as of {day})."
        )
    else:
        category = pressure_category(int(reading["systolic"]), int(reading["diastolic"]))
        if chinese:
            text = (
                f"你的血压是{newest.value}（截至 {day}）：按2017年ACC/AHA标准属于{_CATEGORIES_ZH[category]}范围。"
                "单次读数说明不了太多，请咨询医生。"
            )
        else:
            text = (
                f"Your blood pressure is {newest.value} (as of {day}): in the {category} range "
                f"({_RANGES[category]}, by the 2017 ACC/AHA categories). "
                "One reading says little; your doctor is the one to ask."
            )
    reason = "the question asks whether the blood pressure is high: its newest reading, categorised"
    return Answer(text=text, mode="fact", reason=reason, cited=[newest.id])
