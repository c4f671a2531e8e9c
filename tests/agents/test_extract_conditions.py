"""A condition said as what one is ("I'm diabetic") is the condition one has, as "I have diabetes"
writes it; a diet stays a diet; and a relation's move to come is the relation's plan."""

from datetime import UTC, datetime

import pytest
from tiermem.agents.extract import extract_facts
from tiermem.agents.fact_words import CONDITION_ADJECTIVES

NOW = datetime(2024, 5, 3, 9, tzinfo=UTC)


def _facts(text: str) -> dict[str, str]:
    return {fact.key: fact.value for fact, _ in extract_facts(text, NOW)}


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("I'm diabetic", {"user.condition": "diabetes"}),
        ("My blood pressure is a bit high.", {"user.condition": "high blood pressure"}),
        ("My dad's cholesterol is high", {"father.condition": "high cholesterol"}),
        ("My blood pressure was high this morning", {}),  # one reading
        ("我血压有点高，医生让我少吃盐。", {"user.condition": "高血压"}),
        ("我爸血糖偏高", {"father.condition": "高血糖"}),
        ("I am asthmatic", {"user.condition": "asthma"}),
        ("I'm epileptic.", {"user.condition": "epilepsy"}),
        ("I'm lactose intolerant", {"user.condition": "lactose intolerance"}),
        ("I'm Lactose-Intolerant", {"user.condition": "lactose intolerance"}),
        ("I have lactose intolerance", {"user.condition": "lactose intolerance"}),
        ("im anemic", {"user.condition": "anemia"}),
        ("I'm a type 2 diabetic", {"user.condition": "type 2 diabetes"}),
        ("I'm also hypertensive, and I live in Paris", {"user.condition": "hypertension", "user.lives_in": "Paris"}),
        ("I'm diabetic and asthmatic", {"user.condition": "diabetes and asthma"}),
        ("My son is autistic", {"son.condition": "autism"}),
        ("My sister is epileptic", {"sister.condition": "epilepsy"}),
        ("My dad's diabetic", {"father.condition": "diabetes"}),
        ("My child is dyslexic", {"child.condition": "dyslexia"}),
        ("My daughter is mildly autistic", {"daughter.condition": "autism"}),
        ("I cook for my diabetic dad", {"father.condition": "diabetes"}),
        ("My autistic son starts school in May", {"son.condition": "autism"}),
        ("My wife's name is Ngozi, she's epileptic", {"user.wife": "Ngozi", "wife.condition": "epilepsy"}),
        # celiac and gluten intolerance are conditions, as "I have celiac disease" is; gluten-free is a diet
        ("I'm celiac", {"user.condition": "celiac disease"}),
        ("I have celiac disease", {"user.condition": "celiac disease"}),
        ("I'm gluten intolerant", {"user.condition": "gluten intolerance"}),
        ("im gluten free (celiac)", {"user.diet_identity": "gluten free"}),
        # ended, as "I no longer have asthma" ends it
        ("I'm no longer diabetic", {"user.condition": "no longer diabetes"}),
        ("I'm not asthmatic anymore", {"user.condition": "no longer asthma"}),
        ("My dad is no longer diabetic", {"father.condition": "no longer diabetes"}),
        ("My brother is no longer epileptic", {"brother.condition": "no longer epilepsy"}),
        # Chinese: a patient of a condition, an intolerance
        ("我是糖尿病患者", {"user.condition": "糖尿病"}),
        ("我妈妈是高血压患者", {"mother.condition": "高血压"}),
        ("我乳糖不耐受", {"user.condition": "乳糖不耐受"}),
        ("我有乳糖不耐受", {"user.condition": "乳糖不耐受"}),
        # diets stay diets
        ("I'm vegetarian", {"user.diet_identity": "vegetarian"}),
        ("I'm vegan", {"user.diet_identity": "vegan"}),
        ("I'm dairy-free", {"user.diet_identity": "dairy-free"}),
        ("I'm on a keto diet", {"user.regimen": "keto"}),
        # a denial says nothing, as "I don't have diabetes" does; a question, a word it begins, nothing either
        ("I'm not diabetic", {}),
        ("I don't have diabetes", {}),
        ("Am I diabetic?", {}),
        ("I'm looking for diabetic-friendly recipes", {}),
        ("He's diabetic", {}),  # no one named before: whose is unknown
    ],
)
def test_a_condition_said_as_what_one_is_is_the_condition(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(("adjective", "condition"), sorted(CONDITION_ADJECTIVES.items()))
def test_each_adjective_writes_what_having_the_condition_writes(adjective: str, condition: str) -> None:
    assert _facts(f"I'm {adjective}") == _facts(f"I have {condition}") == {"user.condition": condition}


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("I'm moving to Berlin next month", {"user.plan_move": "Berlin next month (June 2024)"}),
        ("My sister is moving to Berlin next month", {"sister.plan_move": "Berlin next month (June 2024)"}),
        ("我下个月搬到上海", {"user.plan_move": "我下个月搬到上海 (June 2024)"}),
        ("我们下个月搬到深圳", {"user.plan_move": "我们下个月搬到深圳 (June 2024)"}),
        ("我哥哥下个月搬到上海", {"brother.plan_move": "我哥哥下个月搬到上海 (June 2024)"}),
        ("我最好的朋友下个月搬到北京", {"friend.plan_move": "我最好的朋友下个月搬到北京 (June 2024)"}),
        ("我的姐妹下个月搬到广州", {"sister.plan_move": "我的姐妹下个月搬到广州 (June 2024)"}),
        ("他下个月搬到上海", {}),  # someone unnamed: no fact of the speaker's
        ("我哥哥搬到上海了", {"brother.lives_in": "上海"}),  # a move made is a home
    ],
)
def test_a_relations_move_to_come_is_the_relations_plan(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("我的姐妹住在北京", {"sister.lives_in": "北京"}),
        ("我兄弟有糖尿病", {"brother.condition": "糖尿病"}),
        ("我孩子今年5岁", {"child.age": "5"}),
        ("我阿姨叫王芳", {"user.aunt": "王芳"}),
        ("我叔叔住在广州", {"uncle.lives_in": "广州"}),
        ("我的伴侣对猫过敏", {"partner.allergy": "猫"}),
        ("我表哥住在北京", {"cousin.lives_in": "北京"}),  # not the speaker's home
        ("我未婚夫住在上海", {"fiance.lives_in": "上海"}),
        ("带孩子跑了5公里", {"user.run_distance": "5 km"}),  # the speaker ran, with the child
    ],
)
def test_every_chinese_relation_word_is_read_as_its_relation(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    ("text", "blood_type"),
    [
        ("My blood type is O negative.", "O-"),
        ("My blood group is a positive", "A+"),
        ("I have A+ blood.", "A+"),
        ("My blood type is B.", "B"),
        ("我是O型血", "O"),
        ("我的血型是AB型", "AB"),
        ("I'm a blood donor.", None),
        ("I gave blood today", None),
    ],
)
def test_a_blood_type(text: str, blood_type: str | None) -> None:
    facts = {fact.key: fact.value for fact, _ in extract_facts(text, NOW)}
    assert facts == ({"user.blood_type": blood_type} if blood_type else {})


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("My kids are allergic to peanuts.", {"children.allergy": "peanuts"}),
        ("Both my kids are allergic to peanuts.", {"children.allergy": "peanuts"}),
        ("My sons are both lactose intolerant.", {"son.condition": "lactose intolerance"}),
        ("My parents are diabetic.", {"parents.condition": "diabetes"}),
        ("My kids are amazing.", {}),
        ("My sister Ana's allergic to cats.", {"sister.allergy": "cats", "user.sister": "Ana"}),  # not "Ana's"
    ],
)
def test_what_several_of_a_kind_are(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts
