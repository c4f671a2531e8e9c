"""A fact's key named to the user: what it is of whom, in English and Chinese."""

from __future__ import annotations

import pytest
from tiermem.agents.fact_names import attribute_noun, forgotten_key, owned, zh_key, zh_owned


@pytest.mark.parametrize(
    ("key", "english", "chinese"),
    [
        ("user.lives_in", "your home city", "你的居住城市"),
        ("user.weight", "your weight", "你的体重"),
        ("sister.occupation", "your sister's occupation", "你姐妹的工作"),
        ("user.sister", "your sister", "你的姐妹"),  # a relation held: their name
        ("user.daughter", "your daughter", "你的女儿"),
        ("user.plan_trip", "your trip", "你的行程"),
        ("user.plan_exam", "your exam", "你的考试"),
        ("emma.allergy", "Emma's allergy", "emma的过敏"),
    ],
)
def test_a_key_is_named_as_whose_thing_it_is(key: str, english: str, chinese: str) -> None:
    assert (owned(key), zh_owned(key)) == (english, chinese)


def test_chinese_keys_and_nouns() -> None:
    assert [zh_key(k) for k in ("user.weight", "sister.lives_in", "user.daughter", "user.plan_appointment")] == [
        "体重",
        "姐妹的居住城市",
        "女儿",
        "预约",
    ]
    assert (attribute_noun("lives_in"), attribute_noun("plan_exam"), attribute_noun("blood_pressure")) == (
        "home city",
        "exam",
        "blood pressure",
    )


def test_the_key_of_a_forgotten_fact() -> None:
    assert forgotten_key("lives_in = [forgotten]") == "user.lives_in"
    assert forgotten_key("sister.lives_in = Oslo") == "sister.lives_in"
