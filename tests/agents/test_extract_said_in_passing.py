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
        ("My kids are called Mia, Leo, and baby Sam.", {"user.child": "Mia, Leo, and Sam"}),
        # hedges and fillers are no part of a value
        ("fav food is probably ramen tbh", {"user.favorite_food": "ramen"}),
        ("My favorite movie is maybe Inception lol", {"user.favorite_movie": "Inception"}),
        ("my favourite colour is green i think", {"user.favorite_color": "green"}),
        ("I'm allergic to cats and dogs probably", {"user.allergy": "cats and dogs"}),
        # a name said in an introduction; not a nationality, a state or a post
        ("Hi! I'm Rosa, nice to meet you.", {"user.name": "Rosa"}),
        (
            "I'm Rosa Diaz and I work as a graphic designer",
            {"user.name": "Rosa Diaz", "user.occupation": "graphic designer"},
        ),
        ("I'm Canadian", {}),
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
