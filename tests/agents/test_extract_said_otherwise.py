"""Facts said in the ways people say them: spellings, Chinese heights, several facts in one
sentence, origins and schools, number words, updates, birthdays, mixed languages."""

from datetime import UTC, datetime

import pytest
from tiermem.agents.extract import extract_facts

NOW = datetime(2024, 5, 3, 9, tzinfo=UTC)


def _facts(text: str) -> dict[str, str]:
    return {fact.key: fact.value for fact, _ in extract_facts(text, NOW)}


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        # a favourite has one key whatever the spelling, and with 现在 / now
        ("My favorite color is blue", {"user.favorite_color": "blue"}),
        ("Actually my favourite colour is green now", {"user.favorite_color": "green"}),
        ("My favourite flavour is mint", {"user.favorite_flavor": "mint"}),
        ("我最喜欢的颜色是红色", {"user.favorite_color": "红色"}),
        ("我最喜欢的颜色现在是绿色", {"user.favorite_color": "绿色"}),
        # a height in metres and centimetres, as Chinese says it
        ("我身高1米75", {"user.height": "175 cm"}),
        ("我身高1米8", {"user.height": "180 cm"}),
        ("我身高一米七五", {"user.height": "175 cm"}),
        ("我一米八", {"user.height": "180 cm"}),
        ("身高175", {"user.height": "175 cm"}),
        ("我身高1.75米", {"user.height": "1.75 m"}),
        # a unit in the other script, a plan's owner with 's, a Chinese deadline
        ("I weigh 55公斤", {"user.weight": "55 kg"}),
        ("I have a doctor's appointment on June 3", {"user.plan_appointment": "on June 3 (3 June 2024)"}),
        (
            "My doctor's appointment is on June 3",
            {"user.plan_appointment": "doctor's appointment is on June 3 (3 June 2024)"},
        ),
        ("我的截止日期是下周一", {"user.plan_deadline": "我的截止日期是下周一 (6 May 2024)"}),
    ],
)
def test_said_otherwise(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts
