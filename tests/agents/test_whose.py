"""Whose thing a memory speaks of, where a question asks about the user's own."""

from datetime import UTC, datetime

import pytest
from tiermem.agents.retriever import RetrievedItem
from tiermem.agents.whose import about_the_user, asked_thing, of_others_only, theirs


@pytest.mark.parametrize(
    ("question", "thing"),
    [
        ("Do I have a dog?", "dog"),
        ("What's my dog called?", "dog"),
        ("What's my dog's name?", "dog"),
        ("What colour is my new car?", "car"),
        ("Have I got any pets?", "pets"),
        ("How many kids do I have?", "kids"),
        ("What's my sister's dog called?", "sister"),  # the user's sister: her dog is asked about
        ("我的狗叫什么？", "狗"),
        ("我有狗吗？", "狗"),
        ("我家有没有猫？", "猫"),
        ("What's my phone number?", "number"),  # a thing of two words: "My wife's number" is hers
        ("Am I married?", None),
        ("Where do I work?", None),
    ],
)
def test_the_thing_a_question_asks_about_as_the_users(question: str, thing: str | None) -> None:
    asked = asked_thing(question)
    assert (thing in asked) if thing else asked == ()


def test_a_relations_thing_is_asked_in_each_of_its_words() -> None:
    assert {"dog", "狗"} <= set(asked_thing("Do I have a dog?"))  # an English memory for 我有狗吗？


def test_a_things_possessive_makes_it_no_one_elses() -> None:
    assert not theirs("The car's license plate is 7ABC123.", ("license", "plate"))
    assert theirs("My sister's license plate is X", ("license", "plate"))
    assert theirs("my parents' house is big", ("house",))


@pytest.mark.parametrize(
    ("text", "others"),
    [
        ("My sister's dog is called Max", True),
        ("My friend Tom's dog bit me", True),
        ("My sister has a dog", True),
        ("He has two dogs", True),
        ("我姐姐的狗叫旺财", True),
        ("我妹妹有一只狗", True),
        ("My dog Rex and Tom's dog play", False),  # the user's too
        ("I just got a dog", False),
        ("We've got two dogs", False),
        ("My old black dog is sick", False),
        ("我的狗叫旺财", False),
        ("我有一只狗", False),
        ("The dog barked all night", False),  # no one's
        ("I love jazz", False),
    ],
)
def test_a_memory_speaks_of_the_thing_as_someone_elses(text: str, others: bool) -> None:
    assert theirs(text, ("dog", "狗")) is others


def test_a_thing_of_two_words_is_someone_elses_by_either() -> None:
    asked = asked_thing("What's my phone number?")
    assert theirs("My wife's number is 555-0100", asked)
    assert not theirs("My phone number is 555-0123", asked)


@pytest.mark.parametrize(
    ("text", "others"),
    [
        ("My son hates mushrooms.", True),
        ("我儿子不吃香菜。", True),
        ("My sister's dog is Max.", True),
        ("My wife and I live in Seattle.", False),  # the user too
        ("My wife Elena and I moved.", False),
        ("My sister lives in Ohio. I live in Austin.", False),
        ("I love my son.", False),
        ("我和我老婆住在上海", False),
    ],
)
def test_a_memory_of_a_relation_alone(text: str, others: bool) -> None:
    assert of_others_only(text) is others


def test_a_question_about_the_user_reads_no_memory_of_a_relation_alone() -> None:
    def said(text: str, kind: str = "message", key: str = "") -> RetrievedItem:
        when = datetime(2024, 5, 3, tzinfo=UTC)
        return RetrievedItem(id=text[:9], tier="mid", text=text, score=1, created_at=when, kind=kind, key=key)

    episode = said("3 May 2024\n我儿子不吃香菜。\nI hate olives.", kind="episode")
    kept = about_the_user([said("My son hates mushrooms."), said("I'm vegan"), episode, said("x", key="son.dislike")])
    assert [item.text for item in kept] == ["I'm vegan", "3 May 2024\nI hate olives.", "x"]
