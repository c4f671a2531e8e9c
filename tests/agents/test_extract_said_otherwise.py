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


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        # where one comes from or grew up, beside the home city
        ("I'm from Brazil but I live in Berlin", {"user.origin": "Brazil", "user.lives_in": "Berlin"}),
        ("I'm originally from Canada", {"user.origin": "Canada"}),
        ("I grew up in Lyon but I live in Paris now", {"user.origin": "Lyon", "user.lives_in": "Paris"}),
        ("My wife is from Kenya", {"wife.origin": "Kenya"}),
        ("I was born in Lyon", {"user.origin": "Lyon"}),
        ("我来自巴西", {"user.origin": "巴西"}),
        ("我是在成都长大的", {"user.origin": "成都"}),
        ("我的老家在四川", {"user.origin": "四川"}),
        ("I'm from work", {}),
        ("I grew up in the 90s", {}),
        # where one studies
        ("I study at TU Berlin", {"user.school": "TU Berlin"}),
        ("I'm studying computer science at MIT", {"user.school": "MIT", "user.major": "computer science"}),
        ("I'm a student at MIT", {"user.school": "MIT", "user.occupation": "student"}),
        ("My son attends Eton", {"son.school": "Eton"}),
        ("我在清华读书", {"user.school": "清华"}),
        ("我是北京大学的学生", {"user.school": "北京大学"}),
        # an employer said with the job
        ("I'm a software engineer at Google", {"user.occupation": "software engineer", "user.employer": "Google"}),
        ("I'm a nurse at Charité", {"user.occupation": "nurse", "user.employer": "Charité"}),
        # birthdays: a relative day resolved, month and day; the year apart
        ("My birthday is tomorrow", {"user.birthday": "4 May"}),
        ("My birthday was yesterday", {"user.birthday": "2 May"}),
        ("My birthday was last week", {"user.birthday": "between 22 April and 28 April"}),
        ("My birthday was last month", {"user.birthday": "April"}),
        ("我的生日是明天", {"user.birthday": "4 May"}),
        ("My birthday is June 1", {"user.birthday": "June 1"}),
        ("My 生日 is June 1", {"user.birthday": "June 1"}),
        ("我的birthday是3月3日", {"user.birthday": "3月3日"}),
        ("I was born on March 3, 1990", {"user.birthday": "March 3", "user.birth_year": "1990"}),
        ("I was born in 1990", {"user.birth_year": "1990"}),
        ("My son was born on May 5th 2015", {"son.birthday": "May 5th", "son.birth_year": "2015"}),
        ("我1990年3月3日出生", {"user.birthday": "3月3日", "user.birth_year": "1990"}),
        ("我是1990年出生的", {"user.birth_year": "1990"}),
        # an anniversary: a day that comes back every year (not one of a company's, nor a trip for one)
        ("Our wedding anniversary is June 5th.", {"user.anniversary": "June 5th"}),
        ("Our anniversary is on the 12th of August", {"user.anniversary": "12th of August"}),
        ("Our anniversary is tomorrow", {"user.anniversary": "4 May"}),
        ("我们的结婚纪念日是6月5日。", {"user.anniversary": "6月5日"}),
        ("My anniversary with the company is next week", {}),
        ("We're going to Paris for our anniversary", {}),
    ],
)
def test_origin_school_and_birth(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


def test_a_birth_is_observed_when_said() -> None:
    (fact, _), *_ = extract_facts("I was born in 1990", NOW)
    assert fact.observed_at == NOW


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        # the speaker's subject carries over to the clauses that leave it unsaid
        (
            "I'm 34, live in Berlin and work as a nurse",
            {"user.age": "34", "user.lives_in": "Berlin", "user.occupation": "nurse"},
        ),
        ("I live in Rome and work at Fiat", {"user.lives_in": "Rome", "user.employer": "Fiat"}),
        (  # after a heading: the speaker's sentence all the same
            "Hi! Quick intro: I'm Maria, 34, a UX designer from Madrid, now living in Amsterdam.",
            {
                "user.name": "Maria",
                "user.age": "34",
                "user.occupation": "UX designer",
                "user.origin": "Madrid",
                "user.lives_in": "Amsterdam",
            },
        ),
        (
            "我今年28岁，住在杭州，是程序员",
            {"user.age": "28", "user.lives_in": "杭州", "user.occupation": "程序员"},
        ),
        ("我住在杭州，在阿里巴巴工作", {"user.lives_in": "杭州", "user.employer": "阿里巴巴"}),
        # a relation's sentence says the relation again; not a clause that names someone else
        ("我哥哥住在北京，是医生", {"brother.lives_in": "北京", "brother.occupation": "医生"}),
        ("My best friend is Jenna, she lives in Portland.", {"user.friend": "Jenna", "friend.lives_in": "Portland"}),
        ("My brother lives in Paris and works as a chef", {"brother.lives_in": "Paris", "brother.occupation": "chef"}),
        ("我妈妈有高血压，每天吃降压药", {"mother.condition": "高血压", "mother.medication": "降压药"}),
        ("My sister moved to Rome but moved back", {}),
        ("我对花生不过敏，是我老婆过敏", {}),
        ("I'm tired, work was hard", {}),
    ],
)
def test_the_speaker_said_once(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        # numbers in words
        ("I weigh seventy-two kilograms", {"user.weight": "72 kg"}),
        ("I'm a hundred and sixty pounds", {"user.weight": "160 lb"}),
        ("I'm thirty-four years old", {"user.age": "34"}),
        ("I just turned forty", {"user.age": "40"}),
        ("I lost 3kg this week", {}),  # a change, not a weight
        # an employer or a dislike that ended
        (
            "I quit my job and now I work as a teacher",
            {"user.employer": "no longer has that job", "user.occupation": "teacher"},
        ),
        ("I quit my job at Google", {"user.employer": "no longer Google"}),
        ("I quit my job and now I work at Siemens", {"user.employer": "Siemens"}),
        ("Actually I like cilantro now", {"user.dislike": "no longer cilantro", "user.likes": "cilantro"}),
        ("I don't hate olives anymore", {"user.dislike": "no longer olives"}),
        ("我现在喜欢香菜了", {"user.dislike": "no longer 香菜"}),
        ("I like it now", {}),
    ],
)
def test_numbers_in_words_and_ends(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts
