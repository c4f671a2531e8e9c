"""Requests answered by listing what is held of one relation, not by the model."""

from datetime import UTC, datetime

import pytest
from agent_helpers import RecordingGenerator
from tiermem.agents.listings import about_relation, about_thing, everything
from tiermem.agents.responder import Responder
from tiermem.agents.retriever import RetrievalResult, RetrievedItem
from tiermem.memory.embeddings import BaseEmbedder

NOW = datetime(2024, 5, 3, 9, tzinfo=UTC)


def _item(text: str, key: str = "", value: str = "", item_id: str = "") -> RetrievedItem:
    return RetrievedItem(
        id=item_id or key or text[:12], tier="long", text=text, score=0.5, created_at=NOW, key=key, value=value
    )


BROTHER = [
    _item("My brother Mike lives in Denver.", "brother.lives_in", "Denver"),
    _item("My brother Mike lives in Denver.", "user.brother", "Mike"),
    _item("He works as a firefighter.", "brother.occupation", "firefighter"),
    _item("Mike and I went fishing last summer."),
    _item("Tell me about my brother."),  # the request, kept as working memory: no memory of him
    _item("I live in Oslo.", "user.lives_in", "Oslo"),  # the user's: not the brother's
    _item("I had pasta for lunch."),
]


@pytest.mark.parametrize(
    ("question", "text"),
    [
        (
            "Tell me about my brother.",
            "Here is what I remember of your brother: Your brother is Mike (as of 2024-05-03). Your brother's home "
            "city is Denver (as of 2024-05-03). Your brother's occupation is firefighter (as of 2024-05-03). You also "
            'told me: "Mike and I went fishing last summer (1 June 2023 - 31 August 2023)." (2024-05-03).',
        ),
        (
            "What have I told you about my brother?",  # his, not everything of the user's
            "Here is what I remember of your brother: Your brother is Mike (as of 2024-05-03).",
        ),
        (
            "告诉我关于我哥哥的事",
            "我记得你告诉过我：兄弟 = Mike（2024-05-03）；兄弟的居住城市 = Denver（2024-05-03）；"
            '兄弟的工作 = firefighter（2024-05-03）；"Mike and I went fishing last summer '
            '(1 June 2023 - 31 August 2023)." (2024-05-03)。',
        ),
        ("What do you know about my sister?", "You haven't told me anything about your sister yet."),
    ],
)
def test_what_is_held_of_a_relation_is_listed(question: str, text: str) -> None:
    answer = about_relation(question, BROTHER, NOW)
    assert answer is not None and answer.text.startswith(text)


@pytest.mark.parametrize(
    "question",
    ["What do you know about me?", "Tell me about my day.", "Where does my brother live?", "Tell me a joke."],
)
def test_other_requests_are_not_a_relations_list(question: str) -> None:
    assert about_relation(question, BROTHER, NOW) is None


def test_the_responder_lists_a_relation_rather_than_let_the_model_make_one_up(embedder: BaseEmbedder) -> None:
    generator = RecordingGenerator()
    answer = Responder(generator=generator, embedder=embedder).answer(
        "Tell me about my brother", RetrievalResult(query="q", items=BROTHER), now=NOW
    )
    assert answer.mode == "quote" and answer.text.startswith(
        "Here is what I remember of your brother: Your brother is Mike"
    )
    assert not generator.prompts


@pytest.mark.parametrize(
    "question", ["Who is my brother's wife?", "What is Mike's wife's name?", "Who is Mike's best friend?"]
)
def test_a_relations_name_answers_no_question_about_their_own_relation(embedder: BaseEmbedder, question: str) -> None:
    """The brother's name is no answer to who his wife is: the memories are quoted instead."""
    items = [_item("My brother Mike lives in Denver.", "user.brother", "Mike"), _item("His wife is Laura.")]
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    answer = responder.answer(question, RetrievalResult(query="q", items=items), now=NOW)
    assert answer.mode == "quote" and answer.text.startswith("You told me:")
    mine = responder.answer("Who is my brother?", RetrievalResult(query="q", items=items), now=NOW)
    assert mine.text == "Your brother is Mike (as of 2024-05-03)."


@pytest.mark.parametrize(
    "question", ["Does my boss have a pet?", "Does Priya have a cat?", "What pet does Priya have?"]
)
def test_a_relations_name_answers_nothing_else_asked_of_them(embedder: BaseEmbedder, question: str) -> None:
    """The boss's name is no answer to whether she has a pet: a memory that names her says it, even
    one held as a fact of the user's (the allergy); with none, nothing is told."""
    boss = _item("My manager's name is Priya.", "user.boss", "Priya")
    cats = _item("I'm allergic to cats, because Priya brings her cat to the office.", "user.allergy", "cats")
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    answer = responder.answer(question, RetrievalResult(query="q", items=[boss, cats]), now=NOW)
    assert answer.mode == "quote" and answer.cited == [cats.id]
    alone = responder.answer("Does my boss have a pet?", RetrievalResult(query="q", items=[boss]), now=NOW)
    assert alone.mode == "unknown"
    for who in ("Who is my boss?", "What's my boss's name?", "Do I have a boss?"):
        named = responder.answer(who, RetrievalResult(query="q", items=[boss, cats]), now=NOW)
        assert named.text == "Your boss is Priya (as of 2024-05-03)."


def test_a_group_is_left_to_its_own_answers() -> None:
    """ "Tell me about my kids" is answered by the group (:mod:`~tiermem.agents.groups`: who they are), not
    as a relation none holds ("children")."""
    kids = [
        _item("My son Jake is 7", "user.son", "Jake"),
        _item("My daughter Emma likes cats", "user.daughter", "Emma"),
    ]
    for question in ("Tell me about my kids", "What do you know about my pets?", "告诉我关于我孩子的事"):
        assert about_relation(question, kids, NOW) is None


def test_the_words_of_a_fact_that_say_more_are_quoted_too() -> None:
    boss = [_item("My boss Karen is very strict.", "user.boss", "Karen")]
    answer = about_relation("Tell me about my boss", boss, NOW)
    assert answer is not None and answer.text == (
        "Here is what I remember of your boss: Your boss is Karen (as of 2024-05-03). "
        'You also told me: "My boss Karen is very strict." (2024-05-03).'
    )


CAR = [
    _item("I drive a blue Honda Civic.", "user.car", "Honda Civic"),
    _item("My car needs new tires."),
    _item("I had pasta for lunch."),
    _item("I live in Oslo.", "user.lives_in", "Oslo"),
]


def test_something_of_the_users_is_told_from_what_names_it() -> None:
    answer = about_thing("Tell me about my car.", CAR, NOW)
    assert answer is not None and answer.text == (
        "Here is what I remember of your car: Your car is Honda Civic (as of 2024-05-03). "
        'You also told me: "My car needs new tires." (2024-05-03).'
    )
    assert about_thing("What do you know about my cars?", CAR, NOW) is not None  # either number


@pytest.mark.parametrize(
    "question",
    [
        "Tell me about my rights as a tenant.",  # nothing names it: knowledge, the model's
        "Tell me about my brother.",  # a relation: about_relation's
        "Tell me about my kids.",  # a group: the group's
        "How is my car?",  # no request for what is remembered
        "What do you know about my life?",  # everything
    ],
)
def test_a_thing_no_memory_names_is_not_listed(question: str) -> None:
    assert about_thing(question, CAR, NOW) is None


def test_everything_quotes_no_line_a_listed_fact_says_all_of() -> None:
    """An episode's "I'm allergic to penicillin." is told as the allergy; "My son Jake is 7." (no listed
    fact holds the age) is quoted."""
    session = _item("3 May 2024\nI'm allergic to penicillin.\nMy son Jake is 7.", item_id="e")
    session = session.model_copy(update={"kind": "episode"})
    allergy = _item("I'm allergic to penicillin.", "user.allergy", "penicillin", "a")
    answer = everything("What do you know about me?", [allergy, session], NOW)
    assert answer is not None and answer.text == (
        "Here is what I remember: Your allergy is penicillin (as of 2024-05-03). "
        'You also told me: "My son Jake is 7." (2024-05-03).'
    )
