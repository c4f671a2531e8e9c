"""Facts said in the short forms people type: a drug taken with no "I", a relation who takes one,
a count of tablets, an age with no 岁, a height with no "tall", a weight after a height or its time, a
plan made with someone, a first language, a clause that starts with living somewhere, "based in",
"not a fan of", 是湖南人, a pet named after a comma."""

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
        ("me and my gf are moving to Denver next month", {"user.plan_move": "Denver next month (January 2027)"}),
        ("my gf and i broke up", {"user.girlfriend": "no longer has a girlfriend"}),
        ("my fiancée is a chef", {"fiance.occupation": "chef"}),
        ("checked this morning, 71.5 kg.", {}),
        ("weighed myself today, 71.5 kg.", {"user.weight": "71.5 kg"}),
        ("my weight today: 64kg", {"user.weight": "64 kg"}),
        ("hit 11k steps yesterday", {"user.steps": "11000"}),
        ("not a big fan of mushrooms tbh", {"user.dislike": "mushrooms"}),
        ("我不爱喝牛奶", {"user.dislike": "牛奶"}),
        ("我不喝咖啡会困", {}),
        ("im from Peru", {"user.origin": "Peru"}),
        ("我妈妈是江西人", {"mother.origin": "江西"}),
        ("我是一个普通的上班族，是好人", {}),
        ("我妈是退休工人", {}),
        ("我是商人", {}),
        ("我老公是节目主持人", {}),
        ("my dad is vegetarian", {"father.diet_identity": "vegetarian"}),
        ("my husband's a vegan", {"husband.diet_identity": "vegan"}),
        ("my husband's vegan friend is here", {}),
        ("me and my partner live in Bristol", {"user.lives_in": "Bristol"}),
        ("I'm a data analyst based in Leeds", {"user.lives_in": "Leeds"}),
        ("I work full-time as a paramedic", {"user.occupation": "paramedic"}),
        ("I have asthma and take montelukast daily", {"user.medication": "montelukast"}),
        ("our baby boy is called Theo", {"user.son": "Theo"}),
        ("我养了一条狗，叫豆豆", {"user.pet_name": "豆豆"}),
        ("以后用英文回答我所有的问题", {"user.reply_language": "英文"}),
        ("我妈出生在1965年", {"mother.birth_year": "1965"}),
        ("我上个月从字节离职了", {"user.employer": "no longer 字节"}),
        ("我一般不吃羊肉", {"user.dislike": "羊肉"}),
        ("我血压偏低，95/60", {"user.blood_pressure": "95/60"}),
        ("I've been vegan for years", {"user.diet_identity": "vegan"}),
        ("my mum turned 65 last month", {"mother.age": "65"}),
        ("the doctor switched me on to sertraline", {}),
        ("my GP put me on ramipril", {"user.medication": "ramipril"}),
        ("quick intro: I'm Nadia, a nurse", {"user.name": "Nadia"}),
        ("我父母住在成都", {"parents.lives_in": "成都"}),
        ("我爸妈都住在老家", {}),
        ("我太太是护士", {"wife.occupation": "护士"}),
        ("my brothers name is Omar", {"user.brother": "Omar"}),
        ("I work remotely as a copywriter", {"user.occupation": "copywriter"}),
        ("my bf Leo is a plumber", {"boyfriend.occupation": "plumber"}),
        ("my mom's birthday is on May 9", {"mother.birthday": "May 9"}),
        ("about me - name's Ines", {"user.name": "Ines"}),
        ("我血糖偏高，餐后11.2", {"user.blood_sugar": "11.2"}),
        ("我外公有阿尔茨海默病", {"grandfather.condition": "阿尔茨海默病"}),
        ("这半年瘦到了58公斤", {"user.weight": "58 kg"}),
        ("我在深圳生活了五年", {"user.lives_in": "深圳"}),
        ("我在酒店住了两年", {}),
        ("我叫李雷，28岁，已婚", {"user.age": "28", "user.marital_status": "married"}),
        ("我是佛教徒，不吃肉", {"user.dislike": "肉"}),
        ("I'm 29, 165 cm and 58 kg", {"user.height": "165 cm", "user.weight": "58 kg"}),
        ("I ran 5k, 2 kg lighter now", {}),
        ("name's the game", {}),
        ("Name is required in the form", {}),
        ("我在公司住了三年", {}),
        ("我们下周去海南度假", {"user.plan_trip": "下周去海南度假 (7 December 2026 - 13 December 2026)"}),
    ],
)
def test_a_short_form(text: str, expected: dict[str, str]) -> None:
    said = _said(text)
    assert {key: said[key] for key in expected if key in said} == expected
    assert not expected or set(said) >= set(expected)
    if not expected:
        read = {"medication", "age", "height", "weight", "lives_in", "name", "dislike", "blood_pressure"}
        read |= {"diet_identity", "origin"}
        assert not {key for key in said if key.split(".")[1] in read}
