"""What a turn's writes are told as: the confirmation's words."""

import pytest
from tiermem.graphs.turn_writes import remembered_text


@pytest.mark.parametrize(
    ("decision", "told"),
    [
        ({"tier": "none", "reason": "chit-chat"}, None),
        ({"tier": "long", "reason": "classifier: long"}, "long"),
        (
            {"tier": "mid", "facts": [{"subject": "user", "attribute": "weight", "value": "45 kg"}]},
            "mid: weight = 45 kg",
        ),
        (
            {"tier": "long", "facts": [{"subject": "friend", "attribute": "allergy", "value": "cats"}]},
            "long: friend's allergy = cats",
        ),
        # a message read as a correction that changed no fact claims none
        (
            {
                "tier": "long",
                "reason": "classifier: long; nothing corrected: no fact stated within the last hour"
                " holds Paris to change",
            },
            "long; nothing corrected: no fact stated within the last hour holds Paris to change",
        ),
    ],
)
def test_what_a_turn_stored_is_told(decision: dict[str, object], told: str | None) -> None:
    assert remembered_text(decision) == told


@pytest.mark.parametrize(
    ("decision", "told"),
    [
        ({"tier": "long", "reason": "classifier: long"}, "长期记忆"),
        (
            {"tier": "mid", "facts": [{"subject": "user", "attribute": "weight", "value": "45 kg"}]},
            "体重 = 45 kg（中期记忆）",
        ),
        (
            {
                "tier": "long",
                "facts": [
                    {"subject": "user", "attribute": "car", "value": "特斯拉"},
                    {"subject": "sister", "attribute": "lives_in", "value": "杭州"},
                ],
            },
            "汽车 = 特斯拉，姐妹的居住城市 = 杭州（长期记忆）",
        ),
    ],
)
def test_what_a_chinese_turn_stored_is_told_in_chinese_words(decision: dict[str, object], told: str) -> None:
    assert remembered_text(decision, chinese=True) == told
