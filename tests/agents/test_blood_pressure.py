"""Whether the blood pressure is high is told by its newest reading's category, not guessed."""

from datetime import UTC, datetime

import pytest
from tiermem.agents.blood_pressure import pressure_category
from tiermem.agents.responder import Responder
from tiermem.agents.retriever import RetrievalResult, RetrievedItem

WHEN = datetime(2024, 5, 3, 8, tzinfo=UTC)


def _reading(value: str, day: int = 3) -> RetrievedItem:
    return RetrievedItem(
        id=value, tier="mid", text=f"My blood pressure was {value}", score=0.9,
        created_at=WHEN.replace(day=day), key="user.blood_pressure", value=value,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("systolic", "diastolic", "category"),
    [
        (118, 76, "normal"),
        (125, 78, "elevated"),
        (125, 82, "stage 1 hypertension"),
        (135, 85, "stage 1 hypertension"),
        (142, 70, "stage 2 hypertension"),
        (120, 95, "stage 2 hypertension"),
        (185, 100, "a hypertensive crisis"),
        (88, 58, "low"),
    ],
)
def test_a_reading_falls_in_its_acc_aha_category(systolic: int, diastolic: int, category: str) -> None:
    assert pressure_category(systolic, diastolic) == category


def test_is_my_blood_pressure_high_is_told_by_the_newest_readings_category(responder: Responder) -> None:
    held = [_reading("150/95", day=1), _reading("118/76 mmHg")]
    answer = responder.answer("Is my blood pressure high?", RetrievalResult(query="q", items=held), now=WHEN)
    assert (answer.mode, answer.cited) == ("fact", ["118/76 mmHg"])
    assert answer.text == (
        "Your blood pressure is 118/76 mmHg (as of 2024-05-03): in the normal range (under 120/80, by the 2017 "
        "ACC/AHA categories). One reading says little; your doctor is the one to ask."
    )


def test_a_chinese_question_is_told_in_chinese(responder: Responder) -> None:
    answer = responder.answer("我的血压高吗？", RetrievalResult(query="q", items=[_reading("135/85")]), now=WHEN)
    assert answer.text == (
        "你的血压是135/85（截至 2024-05-03）：按2017年ACC/AHA标准属于1级高血压范围。单次读数说明不了太多，请咨询医生。"
    )


def test_the_value_asked_is_the_value(responder: Responder) -> None:
    answer = responder.answer("What was my blood pressure?", RetrievalResult(query="q", items=[_reading("135/85")]))
    assert answer.text == "Your blood pressure is 135/85 (as of 2024-05-03)."
