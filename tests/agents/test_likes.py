"""What the user likes, kept as a set-valued ``likes`` fact, and never a dislike for a question about
likes (nor a like for one about dislikes): the polarity guard of :mod:`tiermem.agents.polarity`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from agent_helpers import RecordingGenerator
from langchain_core.messages import HumanMessage
from tiermem.agents.extract import extract_facts
from tiermem.agents.polarity import asked_polarity, fact_polarity, may_answer
from tiermem.agents.replies import fact_answer
from tiermem.agents.responder import Responder
from tiermem.agents.retriever import RetrievalResult, RetrievedItem
from tiermem.graphs import build_graph
from tiermem.graphs.services import Services
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.versions import SET_VALUED, current_value

WHEN = datetime(2024, 5, 3, 8, tzinfo=UTC)


def _facts(text: str) -> dict[str, str]:
    return {fact.key: fact.value for fact, _ in extract_facts(text, WHEN)}


def _fact(key: str, value: str, text: str) -> RetrievedItem:
    return RetrievedItem(id=key, tier="long", text=text, score=0.9, created_at=WHEN, key=key, value=value)


def _answers(embedder: BaseEmbedder, items: list[RetrievedItem], *questions: str) -> list[str]:
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    return [responder.answer(q, RetrievalResult(query=q, items=items), now=WHEN).text for q in questions]


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("I love sushi and ramen but I hate olives.", "user.likes", "sushi and ramen"),
        ("I really like hiking", "user.likes", "hiking"),
        ("I'm a huge fan of jazz", "user.likes", "jazz"),
        ("I'm such a big fan of Taylor Swift", "user.likes", "Taylor Swift"),
        ("I enjoy gardening", "user.likes", "gardening"),
        ("I'm really into rock climbing", "user.likes", "rock climbing"),
        ("I love sushi too", "user.likes", "sushi"),
        ("I like jazz more than rock", "user.likes", "jazz"),
        ("I like sushi, ramen and tempura", "user.likes", "sushi, ramen and tempura"),
        ("I love the beach", "user.likes", "beach"),
        ("我喜欢吃寿司", "user.likes", "寿司"),
        ("我很爱打篮球", "user.likes", "打篮球"),
        ("我喜欢寿司和拉面", "user.likes", "寿司和拉面"),
        ("my son loves Lego", "son.likes", "Lego"),
        ("my sister Ana really likes horror movies", "sister.likes", "horror movies"),
        ("我儿子喜欢乐高", "son.likes", "乐高"),
        ("My wife loves gardening", "wife.likes", "gardening"),
        ("I'm obsessed with sourdough", "user.likes", "sourdough"),
        ("I love hot yoga and pilates!", "user.likes", "hot yoga and pilates"),
        ("我好喜欢猫", "user.likes", "猫"),
        ("我喜欢看电影", "user.likes", "看电影"),
        # a preference: what is preferred, not what it is preferred to
        ("I prefer tea over coffee.", "user.likes", "tea"),
        ("I prefer tea to coffee", "user.likes", "tea"),
        ("I prefer window seats", "user.likes", "window seats"),
        ("My wife prefers red wine over white.", "wife.likes", "red wine"),
        # a like that ended
        ("I used to love skiing", "user.likes", "no longer skiing"),
        ("I no longer enjoy running", "user.likes", "no longer running"),
        ("I don't like sushi anymore", "user.likes", "no longer sushi"),
        ("我不再喜欢篮球了", "user.likes", "no longer 篮球"),
    ],
)
def test_a_like_is_read(text: str, key: str, value: str) -> None:
    assert _facts(text)[key] == value


@pytest.mark.parametrize(
    "text",
    [
        "I love you",
        "I love it",
        "I'd prefer tea",
        "I prefer not to say",
        "I prefer to work from home",
        "I prefer the first option",
        "I love it here",
        "I love that",
        "I love that movie",
        "I'd love to",
        "I like that idea",
        "I like the idea of moving",
        "I like your answer",
        "would you like some tea?",
        "I would like a coffee",
        "I don't like mushrooms",
        "I'm not a fan of jazz",
        "I'm not into jazz",
        "Do I like olives?",
        "What do I like?",
        "I love how you explain things",
        "I like it when you're short",
        "I love my wife",
        "I like to think so",
        "I like both",
        "I like yours",
        "I like the first one",
        "I like the new update",
        "I love y'all",
        "I like totally forgot",
        "I'm a fan of your work",
        "I'm into the idea",
        "我喜欢这个",
        "我爱你们",
        "我喜欢过一个人",
        "我喜欢你",
        "我喜欢吃什么？",
        "我最喜欢的颜色是红色",
        "我不喜欢吃香菜",
    ],
)
def test_no_like_of_the_users_is_read(text: str) -> None:
    assert "user.likes" not in _facts(text)


def test_whose_like_and_what_else_is_read() -> None:
    assert "user.likes" not in _facts("my son loves Lego")
    assert _facts("I don't like mushrooms") == {"user.dislike": "mushrooms"}
    assert _facts("我不喜欢吃香菜") == {"user.dislike": "香菜"}  # what is eaten, not 吃香菜
    assert _facts("I love sushi and ramen but I hate olives.") == {
        "user.likes": "sushi and ramen",
        "user.dislike": "olives",
    }


def test_a_later_like_adds_to_the_earlier() -> None:
    assert "likes" in SET_VALUED
    assert current_value("likes", ["hiking", "sushi and ramen"]) == "hiking, sushi, ramen"
    assert current_value("likes", ["no longer sushi", "hiking", "sushi and ramen"]) == "hiking, ramen"


@pytest.mark.parametrize(
    ("question", "polarity"),
    [
        ("What do I like?", "for"),
        ("What foods do I enjoy?", "for"),
        ("What's my favorite food?", "for"),
        ("What am I into?", "for"),
        ("我喜欢吃什么？", "for"),
        ("What do I hate?", "against"),
        ("What food don't I like?", "against"),
        ("What do I not like?", "against"),
        ("What can't I stand?", "against"),
        ("What am I not a fan of?", "against"),
        ("What's my least favorite food?", "against"),
        ("我不喜欢吃什么？", "against"),
        ("我讨厌什么？", "against"),
        ("我不爱吃什么？", "against"),
        ("Where do I live?", None),
        ("我住在哪里？", None),
    ],
)
def test_the_polarity_a_question_asks(question: str, polarity: str | None) -> None:
    assert asked_polarity(question) == polarity


def test_which_facts_have_a_polarity() -> None:
    assert fact_polarity("user.dislike", "olives") == "against"
    assert fact_polarity("user.likes", "sushi") == "for"
    assert fact_polarity("user.favorite_food", "pizza") == "for"
    assert fact_polarity("user.likes", "no longer skiing") == "against"  # a taste that ended
    assert fact_polarity("user.allergy", "no longer peanuts") is None  # no taste
    assert not may_answer("What's my favorite food?", "user.dislike", "olives")
    assert not may_answer("我不喜欢吃什么？", "user.favorite_food", "pizza")
    assert may_answer("Where do I live?", "user.lives_in", "Paris")


_OLIVES = _fact("user.dislike", "olives", "I hate olives")
_SUSHI = _fact("user.likes", "sushi, ramen", "I love sushi and ramen")


def test_a_dislike_answers_no_question_about_likes(embedder: BaseEmbedder) -> None:
    questions = ("What do I like?", "What foods do I like?", "What foods do I enjoy?", "What do I enjoy doing?")
    for answer in _answers(embedder, [_OLIVES], *questions, "What's my favorite food?", "我喜欢吃什么？"):
        assert "olives" not in answer and "dislike" not in answer
    assert _answers(embedder, [_OLIVES], *questions) == ["You haven't told me what you like yet."] * 4
    assert _answers(embedder, [_OLIVES], "我喜欢吃什么？") == ["你还没有告诉过我你喜欢什么。"]


def test_a_like_answers_no_question_about_dislikes(embedder: BaseEmbedder) -> None:
    questions = ("What do I hate?", "What food don't I like?", "What do I dislike?", "我不喜欢吃什么？")
    for answer in _answers(embedder, [_SUSHI], *questions):
        assert "sushi" not in answer and "You like" not in answer
    assert _answers(embedder, [_SUSHI], "What do I hate?") == ["You haven't told me what you dislike yet."]
    assert _answers(embedder, [_SUSHI], "我不喜欢吃什么？") == ["你还没有告诉过我你不喜欢什么。"]


def test_each_is_told_where_both_are_held(embedder: BaseEmbedder) -> None:
    liked = "You like sushi and ramen (as of 2024-05-03)."
    disliked = "You dislike olives (as of 2024-05-03)."
    assert _answers(
        embedder,
        [_OLIVES, _SUSHI],
        "What foods do I like?",
        "What do I enjoy?",
        "What food do I hate?",
        "What food don't I like?",
    ) == [liked, liked, disliked, disliked]
    assert _answers(embedder, [_SUSHI, _OLIVES], "What do I like?", "What do I hate?") == [liked, disliked]


def test_likes_and_dislikes_are_said_with_their_verb() -> None:
    assert fact_answer(_OLIVES) == "You dislike olives (as of 2024-05-03)."
    assert (
        fact_answer(_fact("user.likes", "hiking, sushi, ramen", ""))
        == "You like hiking, sushi and ramen (as of 2024-05-03)."
    )
    assert fact_answer(_fact("son.likes", "Lego", "")) == "Your son likes Lego (as of 2024-05-03)."
    assert fact_answer(_fact("sister.dislike", "olives", "")) == "Your sister dislikes olives (as of 2024-05-03)."
    assert fact_answer(_fact("user.likes", "no longer skiing", "")) == "You no longer like skiing (as of 2024-05-03)."
    assert fact_answer(_fact("user.weight", "45 kg", "")) == "Your weight is 45 kg (as of 2024-05-03)."


def test_hobbies_are_what_one_likes(embedder: BaseEmbedder) -> None:
    hiking = _fact("user.likes", "hiking and photography", "I love hiking and photography")
    liked = "You like hiking and photography (as of 2024-05-03)."
    assert _answers(embedder, [hiking], "What are my hobbies?", "What are my interests?") == [liked, liked]


def test_a_like_asked_by_name(embedder: BaseEmbedder) -> None:
    assert _answers(embedder, [_SUSHI], "Do I like sushi?") == ["Yes, you like sushi (as of 2024-05-03)."]


def _ask(graph: Any, user: str, text: str) -> str:
    config = {"configurable": {"thread_id": f"t-{user}", "user_id": user, "now": "2024-05-03T09:00:00"}}
    return str(graph.invoke({"messages": [HumanMessage(content=text)]}, config)["messages"][-1].content)


def test_likes_through_the_graph(services: Services) -> None:
    graph = build_graph(services=services)
    _ask(graph, "ann", "I love sushi and ramen but I hate olives.")
    assert _ask(graph, "ann", "What foods do I like?") == "You like sushi and ramen (as of 2024-05-03)."
    assert _ask(graph, "ann", "What food do I hate?") == "You dislike olives (as of 2024-05-03)."
    _ask(graph, "ann", "I also really enjoy hiking.")
    assert _ask(graph, "ann", "What do I like?") == "You like hiking, sushi and ramen (as of 2024-05-03)."
    _ask(graph, "bob", "I hate olives.")
    assert _ask(graph, "bob", "What do I like?") == "You haven't told me what you like yet."
    _ask(graph, "cy", "My son loves Lego.")
    assert _ask(graph, "cy", "What does my son like?") == "Your son likes Lego (as of 2024-05-03)."


def test_a_later_dislike_adds_to_the_earlier_and_an_ended_one_goes(services: Services) -> None:
    graph = build_graph(services=services)
    _ask(graph, "dee", "I hate olives.")
    _ask(graph, "dee", "I can't stand cilantro.")
    assert _ask(graph, "dee", "What do I hate?") == "You dislike cilantro and olives (as of 2024-05-03)."
    _ask(graph, "dee", "Actually I like cilantro now.")
    assert _ask(graph, "dee", "What do I hate?") == "You dislike olives (as of 2024-05-03)."
    assert _ask(graph, "dee", "What do I like?") == "You like cilantro (as of 2024-05-03)."


def test_a_taste_asked_the_other_way_is_a_no(embedder: BaseEmbedder) -> None:
    """A "Do I like olives?" with olives disliked is no, and says the dislike (it was "not that you've
    told me: you like sushi"); a value neither holds still gets what was told."""
    held = [_SUSHI, _OLIVES]
    assert _answers(embedder, held, "Do I like olives?", "Do I love olives?", "Do I hate sushi?") == [
        "No, you dislike olives (as of 2024-05-03).",
        "No, you dislike olives (as of 2024-05-03).",
        "No, you like sushi (as of 2024-05-03).",
    ]
    assert _answers(embedder, held, "Do I like sushi?", "Do I dislike olives?") == [
        "Yes, you like sushi (as of 2024-05-03).",
        "Yes, you dislike olives (as of 2024-05-03).",
    ]
    assert "olives" not in _answers(embedder, held, "Do I like pizza?")[0]
    coriander = _fact("user.dislike", "香菜", "我不喜欢香菜")
    assert _answers(embedder, [coriander], "我喜欢香菜吗？") == ["不，你不喜欢香菜（截至 2024-05-03）。"]
    ended = _fact("user.dislike", "no longer olives", "I don't mind olives anymore")
    assert "No, you dislike" not in _answers(embedder, [ended], "Do I like olives?")[0]


def test_a_like_disliked_since_is_no_like(responder: Responder) -> None:
    likes = _fact("user.likes", "coffee and chocolate", "I love coffee and chocolate")
    later = _fact("user.dislike", "coffee", "I don't drink coffee anymore").model_copy(
        update={"created_at": WHEN.replace(hour=10)}
    )
    answer = responder.answer("What do I like?", RetrievalResult(query="q", items=[likes, later]), now=WHEN)
    assert answer.text == "You like chocolate (as of 2024-05-03)."
    earlier = later.model_copy(update={"created_at": WHEN.replace(hour=6)})  # the like is newer: it holds
    answer = responder.answer("What do I like?", RetrievalResult(query="q", items=[likes, earlier]), now=WHEN)
    assert answer.text == "You like coffee and chocolate (as of 2024-05-03)."
