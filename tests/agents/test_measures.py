from datetime import UTC, datetime, timedelta

import pytest
from tiermem.agents.measures import Quantity, bmi_answer, measured_answer, quantity
from tiermem.agents.retriever import FactVersion, RetrievedItem

WHEN = datetime(2024, 5, 10, 8, tzinfo=UTC)


def _weight(value: str, *older: str, key: str = "user.weight") -> RetrievedItem:
    versions = [FactVersion(value=v, observed_at=WHEN - timedelta(days=7 * (n + 1))) for n, v in enumerate(older)]
    return RetrievedItem(
        id="w", tier="mid", text="told", score=0.9, created_at=WHEN, key=key, value=value, versions=versions
    )


@pytest.mark.parametrize(
    ("value", "found"),
    [
        ("47 kg", Quantity(47.0, "weight")),
        ("90斤", Quantity(45.0, "weight")),
        ("120 jin", Quantity(60.0, "weight")),  # 斤 as extraction writes it
        ("5 ft 9 in", Quantity(175.26, "length")),
        ("1.75 m", Quantity(175.0, "length")),
        ("about 70 kg", None),  # words that are no unit: no measure
        ("70", None),
        ("5 ft 70 kg", None),  # two dimensions
    ],
)
def test_a_value_is_a_quantity_only_in_known_units(value: str, found: Quantity | None) -> None:
    assert quantity(value) == found


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("What is my weight in pounds?", "Your weight is 47 kg (about 103.6 pounds) (as of 2024-05-10)."),
        ("我现在多少斤？", "你的体重是47 kg，约94斤（截至 2024-05-10）。"),
        ("How much weight have I lost?", "It is 47 kg now (as of 2024-05-10): 3 kg less than the 50 kg of 2024-05-03."),
        (
            "How much weight have I gained?",
            "It is 47 kg now (as of 2024-05-10): 3 kg less than the 50 kg of 2024-05-03.",
        ),
        ("我瘦了多少？", "你现在是47 kg（2024-05-10），比2024-05-03的50 kg少了3 kg。"),
        ("How much do I weigh?", None),  # asks the value: the fact answers it
    ],
)
def test_a_weight_is_told_in_the_unit_asked_and_by_how_much_it_changed(question: str, answer: str | None) -> None:
    assert measured_answer(_weight("47 kg", "50 kg"), question, WHEN) == answer


def test_a_change_needs_a_value_told_before() -> None:
    assert measured_answer(_weight("70 kg"), "How much weight have I lost?", WHEN) == (
        "I only know one value: 70 kg (as of 2024-05-10), nothing earlier to compare it with."
    )
    assert measured_answer(_weight("heavy"), "What is my weight in pounds?", WHEN) is None
    assert measured_answer(_weight("47 kg", key="user.age"), "What is my age in pounds?", WHEN) is None
    height = _weight("5 ft 9 in", key="user.height")
    assert measured_answer(height, "What is my height in cm?", WHEN) == (
        "Your height is 5 ft 9 in (about 175.3 cm) (as of 2024-05-10)."
    )
    assert measured_answer(height, "What is my height in pounds?", WHEN) is None  # another dimension


def test_a_mostly_english_question_with_a_chinese_word_is_answered_in_english() -> None:
    """One Chinese word ("since 春节") leaves a question English, as everywhere else (``replies.is_chinese``)."""
    weight = _weight("47 kg", "50 kg")
    assert measured_answer(weight, "How much weight have I lost since 春节?", WHEN) == (
        "It is 47 kg now (as of 2024-05-10): 3 kg less than the 50 kg of 2024-05-03."
    )
    assert measured_answer(weight, "春节以后我瘦了多少？", WHEN) == (
        "你现在是47 kg（2024-05-10），比2024-05-03的50 kg少了3 kg。"
    )


_HEIGHT = _weight("180 cm", key="user.height")


@pytest.mark.parametrize(
    ("question", "items", "answer"),
    [
        (
            "What's my BMI?",
            [_weight("82 kg"), _HEIGHT],
            "Your BMI is about 25.3, overweight: 82 kg at 180 cm (as of 2024-05-10).",
        ),
        (
            "What is my body mass index?",
            [_weight("165 lbs"), _weight("5 ft 9 in", key="user.height")],
            "Your BMI is about 24.4, a healthy weight: 165 lbs at 5 ft 9 in (as of 2024-05-10).",
        ),
        (
            "Is my BMI ok?",
            [_weight("50 kg"), _HEIGHT],
            "Your BMI is about 15.4, underweight: 50 kg at 180 cm (as of 2024-05-10).",
        ),
        (
            "我的BMI是多少？",
            [_weight("200斤"), _HEIGHT],
            "你的BMI约为30.9（肥胖）：体重 200斤，身高 180 cm（截至 2024-05-10）。",
        ),
        (
            "What's my BMI?",
            [_weight("82 kg")],
            "You haven't told me your height, so I can't work out your BMI (I only know 82 kg, as of 2024-05-10).",
        ),
        ("我的体重指数正常吗？", [_HEIGHT], "你还没有告诉过我你的体重，所以算不出BMI（我只知道 180 cm，2024-05-10）。"),
        (
            "What's my BMI?",
            [_weight("82 kg", key="sister.weight"), _HEIGHT.model_copy(update={"key": "sister.height"})],
            None,
        ),
        (  # no one's: the WHO's classes, and the user's where both are held
            "What is a healthy BMI?",
            [_weight("82 kg"), _HEIGHT],
            "For adults, the WHO counts a BMI of 18.5 to 24.9 as a healthy weight (under 18.5 underweight, "
            "25 to 29.9 overweight, 30 or more obesity). Your BMI is about 25.3, overweight: 82 kg at 180 cm "
            "(as of 2024-05-10).",
        ),
        (
            "健康的BMI是多少？",
            [_HEIGHT],
            "按世界卫生组织的成人标准，BMI在18.5到24.9之间为正常（低于18.5偏瘦，25到29.9超重，30及以上肥胖）。",
        ),
        ("What's my weight?", [_weight("82 kg"), _HEIGHT], None),
        (
            "What's my BMI?",
            [_weight("heavy"), _HEIGHT],
            "You haven't told me your weight, so I can't work out your BMI (I only know 180 cm, as of 2024-05-10).",
        ),
    ],
)
def test_the_bmi_is_told_from_the_weight_and_height_held(
    question: str, items: list[RetrievedItem], answer: str | None
) -> None:
    assert bmi_answer(question, items, WHEN) == answer
