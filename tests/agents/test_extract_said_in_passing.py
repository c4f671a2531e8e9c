"""Values said in passing, as a blind round of chat messages says them: an employer with an
abbreviation ("St. Mary's"), a place with when the move was after it, a list of names with a word
of which one, a value hedged ("probably ramen tbh"), a name said in an introduction, a longer job
title; and what is no fact (a dislike of one's own name)."""

from datetime import UTC, datetime

import pytest
from tiermem.agents.extract import extract_facts

NOW = datetime(2024, 5, 3, 9, tzinfo=UTC)


def _facts(text: str) -> dict[str, str]:
    return {fact.key: fact.value for fact, _ in extract_facts(text, NOW)}


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        # an abbreviation's dot ends no employer's name
        ("I'm a nurse at St. Mary's", {"user.occupation": "nurse", "user.employer": "St. Mary's"}),
        ("My wife works at Mt. Sinai", {"wife.employer": "Mt. Sinai"}),
        ("I work at Google. Then I go home", {"user.employer": "Google"}),
        # when a move was is no part of the place
        ("We just moved to Austin two weeks ago!", {"user.lives_in": "Austin"}),
        ("My sister moved to New York a couple of weeks ago", {"sister.lives_in": "New York"}),
        ("I moved to Lyon recently", {"user.lives_in": "Lyon"}),
        # a list of names, a word saying which one left out
        ("I have three kids, Noah, Ava and little Finn", {"user.children": "Noah, Ava and Finn"}),
        ("We have two dogs, Salt and Pepper", {"user.dog": "Salt and Pepper"}),
        ("My kids are called Mia, Leo, and baby Sam.", {"user.children": "Mia, Leo, and Sam"}),
        # hedges and fillers are no part of a value
        ("fav food is probably ramen tbh", {"user.favorite_food": "ramen"}),
        ("My favorite movie is maybe Inception lol", {"user.favorite_movie": "Inception"}),
        ("my favourite colour is green i think", {"user.favorite_color": "green"}),
        ("I'm allergic to cats and dogs probably", {"user.allergy": "cats and dogs"}),
        ("My favourite band is Def Leppard", {"user.favorite_band": "Def Leppard"}),  # a name, no hedge
        # a name said in an introduction; not a nationality, a state or a post
        ("Hi! I'm Rosa, nice to meet you.", {"user.name": "Rosa"}),
        ("I'm Sarah by the way", {"user.name": "Sarah"}),
        ("I'm Sarah btw, I live in Oslo", {"user.name": "Sarah", "user.lives_in": "Oslo"}),
        ("I'm tired by the way", {}),
        ("I'm from Brazil originally", {"user.origin": "Brazil"}),
        ("My mom is from Kenya originally", {"mother.origin": "Kenya"}),
        (
            "I'm Rosa Diaz and I work as a graphic designer",
            {"user.name": "Rosa Diaz", "user.occupation": "graphic designer"},
        ),
        ("I'm Canadian", {}),
        ("I'm Hungarian", {}),
        ("I'm Czech", {}),
        ("I'm Brian", {"user.name": "Brian"}),
        ("Hey, I'm Fine, thanks", {}),
        ("I'm Head Chef", {}),
        # a job said with three words before its word
        ("I'm a high school math teacher", {"user.occupation": "high school math teacher"}),
        (
            "I'm a high school math teacher at Lincoln High",
            {"user.occupation": "high school math teacher", "user.employer": "Lincoln High"},
        ),
        # one's own name disliked is no dislike to keep
        ("Call me Jo, I don't like my full name", {"user.preferred_name": "Jo"}),
        ("I hate my real name", {}),
        ("I don't like olives", {"user.dislike": "olives"}),
        # Chinese: a pet named after 我家的
        ("我家的猫叫汤圆", {"user.cat": "汤圆"}),
    ],
)
def test_a_value_said_in_passing_is_the_value_alone(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("我姐姐一家在温哥华定居", {"sister.lives_in": "温哥华"}),
        ("我现在定居在厦门", {"user.lives_in": "厦门"}),
        ("我们在杭州安家了", {"user.lives_in": "杭州"}),
        ("我生活在北京", {"user.lives_in": "北京"}),
        ("我老家是四川的", {"user.origin": "四川"}),
        ("我来自成都", {"user.origin": "成都"}),
        # a life somewhere said after the place is no home; a home to come is none yet
        ("我在公司生活很累", {}),
        ("我打算在海南定居", {}),
        ("我不想在北京定居", {}),
    ],
)
def test_a_chinese_place_is_the_place_without_its_verb_or_particle(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        # a relation's plan is the relation's; one of someone unnamed is no one's
        ("我妈下周做白内障手术", {"mother.plan_surgery": "下周做白内障手术 (6 May 2024 - 12 May 2024)"}),
        ("我老公明天体检", {"husband.plan_checkup": "明天体检 (4 May 2024)"}),
        ("我下周做手术", {"user.plan_surgery": "我下周做手术 (6 May 2024 - 12 May 2024)"}),
        ("他下周做手术", {}),
        # a departure said in the present, not a habit
        ("We fly out to Reykjavik on the 17th", {"user.plan_trip": "fly out to Reykjavik on the 17th (17 May 2024)"}),
        ("I leave for Tokyo next week", {"user.plan_trip": "leave for Tokyo next week (6 May 2024 - 12 May 2024)"}),
        ("I fly to Berlin on Mondays every week", {}),
        # a visit said by whom one sees, not what a doctor said
        ("Eye doctor on Thursday at 4:30", {"user.plan_appointment": "Eye doctor on Thursday at 4:30 (9 May 2024)"}),
        ("I have the dentist tomorrow at 9", {"user.plan_appointment": "dentist tomorrow at 9 (4 May 2024)"}),
        ("Doctor on Monday said I am fine", {}),
    ],
)
def test_a_plan_is_its_owners_and_said_in_the_present_too(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        # for good, or nothing said of how long (English reads the whole sentence as one clause)
        ("keep your answers short please", {"user.reply_style": "short"}),
        ("Please always reply to me in Spanish.", {"user.reply_language": "Spanish"}),
        ("From now on, always keep answers short, I am on the bus a lot", {"user.reply_style": "short"}),
        ("以后都用中文回答我", {"user.reply_language": "中文"}),
        ("从现在开始用英文回答", {"user.reply_language": "英文"}),
        # for now only (GATE.md rule 5): a Chinese instruction holds for good only where it says so, as
        # what is said of now may lie in the clause before it
        ("I'm on the bus right now, so keep answers short", {}),
        ("Please keep your answers short in this chat.", {}),
        ("我现在在地铁上，回答简短点", {}),
        ("先用中文回答我这个问题", {}),
        ("接下来请用英文回答我", {}),
    ],
)
def test_an_instruction_for_replies_is_kept_only_for_good(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts
