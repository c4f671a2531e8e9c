from datetime import UTC, datetime, timedelta

import pytest
from agent_helpers import RecordingGenerator
from tiermem.agents.handover import by_holder
from tiermem.agents.responder import Responder
from tiermem.agents.retriever import FactVersion, RetrievalResult, RetrievedItem
from tiermem.memory.embeddings import BaseEmbedder

WHEN = datetime(2024, 5, 3, 8, tzinfo=UTC)


def _at(minutes: int) -> datetime:
    return WHEN + timedelta(minutes=minutes)


def _fact(
    key: str, value: str, text: str, minutes: int, *older: tuple[str, int] | tuple[str, int, str]
) -> RetrievedItem:
    versions = [FactVersion(value=v[0], observed_at=_at(v[1]), statement=v[2] if len(v) > 2 else "") for v in older]
    return RetrievedItem(
        id=key, tier="long", text=text, score=0.9, created_at=_at(minutes), key=key, value=value, versions=versions
    )


SOPHIE = _fact("user.girlfriend", "Sophie", "My girlfriend is now Sophie", 4, ("Emma", 0))
CATS = _fact("girlfriend.allergy", "cats", "Emma is allergic to cats", 2)
EMMA_SAID = [
    RetrievedItem(id="a", tier="short", text="Emma has asthma", score=0.9, created_at=WHEN),
    RetrievedItem(id="c", tier="long", text="Emma is allergic to cats", score=0.8, created_at=WHEN),
]
"""Said of a person named who is no relation: stored without a fact."""
LONDON = _fact("girlfriend.lives_in", "London", "Emma moved to London", 2)


def test_a_relations_fact_is_the_holders_it_was_observed_under() -> None:
    assert [(item.key, item.value) for item in by_holder([SOPHIE, CATS])] == [
        ("user.girlfriend", "Sophie"),
        ("emma.allergy", "cats"),
    ]
    paris = _fact("girlfriend.lives_in", "Paris", "She moved to Paris", 6, ("London", 2))  # Sophie's, then Emma's
    split = {item.key: (item.value, [v.value for v in item.versions]) for item in by_holder([SOPHIE, paris])}
    assert split == {"user.girlfriend": ("Sophie", ["Emma"]), "girlfriend.lives_in": ("Paris", []),
                     "emma.lives_in": ("London", [])}  # fmt: skip
    named_once = _fact("user.girlfriend", "Emma", "My girlfriend is Emma", 0)
    assert by_holder([named_once, CATS]) == [named_once, CATS]


def test_a_corrected_name_was_a_slip_not_an_earlier_holder() -> None:
    emily = _fact("user.girlfriend", "Emily", "Sorry, I meant Emily, not Emma", 4, ("Emma", 0))
    assert [(item.key, item.value) for item in by_holder([emily, CATS])] == [
        ("user.girlfriend", "Emily"),
        ("girlfriend.allergy", "cats"),
    ]


def test_a_name_corrected_twice_was_a_slip_both_times() -> None:
    emilia = _fact(
        "user.girlfriend",
        "Emilia",
        "Sorry, I meant Emilia, not Emily",
        6,
        ("Emily", 4, "Sorry, I meant Emily, not Emma"),
        ("Emma", 0, "My girlfriend is Emma"),
    )
    assert [(item.key, item.value) for item in by_holder([emilia, CATS])] == [
        ("user.girlfriend", "Emilia"),
        ("girlfriend.allergy", "cats"),
    ]


def test_the_new_holder_is_not_answered_with_the_earlier_ones_facts(embedder: BaseEmbedder) -> None:
    generator = RecordingGenerator()
    responder = Responder(generator=generator, embedder=embedder)
    memories = RetrievalResult(query="q", items=[SOPHIE, CATS, LONDON])
    not_told = "Not that you've told me: I have no memory of your girlfriend's allergies."
    assert responder.answer("Is Sophie allergic to cats?", memories).text == not_told
    assert responder.answer("Is my girlfriend allergic to cats?", memories).text == not_told
    assert (
        responder.answer("Is Emma allergic to cats?", memories).text
        == "Yes, Emma is allergic to cats (as of 2024-05-03)."
    )
    assert responder.answer("Emma对猫过敏吗？", memories).text == "是的，Emma对cats过敏（截至 2024-05-03）。"
    assert responder.answer("Where does my girlfriend live?", memories).text == (
        "You haven't told me your girlfriend's home city yet."
    )
    assert responder.answer("Where does Emma live?", memories).text == "Emma's home city is London (as of 2024-05-03)."
    assert not generator.prompts


ASTHMA_SAID = 'You told me: "Emma has asthma" (2024-05-03).'
CATS_SAID = 'You told me: "Emma is allergic to cats" (2024-05-03).'


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("Does Emma have asthma?", ASTHMA_SAID),
        ("Is Emma asthmatic?", ASTHMA_SAID),
        ("Is Emma allergic to cats?", CATS_SAID),
        ("Is Emma allergic to dogs?", CATS_SAID),  # what was said, no yes
        ("What is Emma allergic to?", CATS_SAID),
        ("Does Emma have any allergies?", CATS_SAID),
        ("What health conditions does Emma have?", ASTHMA_SAID),
    ],
)
def test_a_named_persons_memory_is_quoted_for_every_question_form(
    embedder: BaseEmbedder, question: str, answer: str
) -> None:
    generator = RecordingGenerator()
    responder = Responder(generator=generator, embedder=embedder)
    assert responder.answer(question, RetrievalResult(query="q", items=EMMA_SAID)).text == answer
    assert not generator.prompts
