"""Facts said in the short forms people type: a drug taken with no "I", a relation who takes one,
a count of tablets, an age with no 岁, a height with no "tall", a weight after a height, a plan made
with someone, a first language, a clause that starts with living somewhere."""

from __future__ import annotations

from datetime import datetime

import pytest

from tiermem.agents.extract import extract_facts

NOW = datetime(2026, 12, 6, 10, 0)


def _said(text: str) -> dict[str, str]:
    return {fact.key: fact.value for fact, _ in extract_facts(text, NOW)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("currently taking atorvastatin 20mg at night", {"user.medication": "atorvastatin"}),
        ("I've been on fluoxetine since spring", {"user.medication": "fluoxetine"}),
        ("my mom takes levothyroxine", {"mother.medication": "levothyroxine"}),
        ("my husband is on insulin", {"husband.medication": "insulin"}),
        ("我每天吃两粒布洛芬", {"user.medication": "布洛芬"}),
        ("我每天吃两片维生素", {}),
        ("我爸今年62了", {"father.age": "62"}),
        ("我今年3月去了日本", {}),
        ("I'm around 165 cm", {"user.height": "165 cm"}),
        ("I'm 5 m away from the door", {}),
        ("i'm 6'1 and 190 lbs", {"user.height": "6 ft 1 in", "user.weight": "190 lb"}),
        ("down 2kg this week, now at 68kg", {"user.weight": "68 kg"}),
        ("now at 3kg of rice", {}),
        ("french is my mother tongue", {"user.native_language": "french"}),
        ("born on the 2nd of may", {"user.birthday": "2nd of may"}),
        ("living in Porto, any tips for surfing?", {"user.lives_in": "Porto"}),
        ("Living in Porto is cheap", {}),
        ("I'm 41, living in Leeds", {"user.age": "41", "user.lives_in": "Leeds"}),
        ("my sister lives in Oslo and works as a dentist", {"sister.lives_in": "Oslo", "sister.occupation": "dentist"}),
        ("我姐姐在上海，是律师", {"sister.occupation": "律师"}),
        ("me and my girlfriend are moving to Denver next month", {"user.plan_move": "Denver next month (January 2027)"}),
        ("my gf and i broke up", {"user.girlfriend": "no longer has a girlfriend"}),
        ("my fiancée is a chef", {"fiance.occupation": "chef"}),
    ],
)
def test_a_short_form(text: str, expected: dict[str, str]) -> None:
    said = _said(text)
    assert {key: said[key] for key in expected if key in said} == expected
    assert not expected or set(said) >= set(expected)
    if not expected:
        assert not {key for key in said if key.split(".")[1] in {"medication", "age", "height", "weight", "lives_in"}}
