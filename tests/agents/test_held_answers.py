from datetime import UTC, datetime, timedelta

from agent_helpers import RecordingGenerator
from tiermem.agents.replies import as_yours, fact_answer
from tiermem.agents.responder import Responder
from tiermem.agents.retriever import FactVersion, RetrievalResult, RetrievedItem
from tiermem.agents.yes_no import narrows
from tiermem.memory.embeddings import BaseEmbedder

WHEN = datetime(2024, 5, 3, 8, tzinfo=UTC)


def _fact(key: str, value: str, text: str = "told", *older: str) -> RetrievedItem:
    versions = [FactVersion(value=v, observed_at=WHEN - timedelta(minutes=2 * (n + 1))) for n, v in enumerate(older)]
    return RetrievedItem(
        id=key, tier="long", text=text, score=0.9, created_at=WHEN, key=key, value=value, versions=versions
    )


def test_a_value_more_specific_than_the_one_told_is_told_not_confirmed(embedder: BaseEmbedder) -> None:
    assert narrows("type 1 diabetes", "diabetes") and narrows("cat hair", "cats")
    assert not narrows("diabetes", "type 2 diabetes") and not narrows("cats", "cat")
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    diabetes = RetrievalResult(query="q", items=[_fact("user.condition", "diabetes", "i have diabetes")])
    told = "You told me you have diabetes (as of 2024-05-03)."
    for question in ("Do I have type 1 diabetes?", "Am I type 1 diabetic?", "Do I have type 2 diabetes?"):
        assert responder.answer(question, diabetes).text == told
    assert responder.answer("Do I have diabetes?", diabetes).text == "Yes, you have diabetes (as of 2024-05-03)."
    type2 = RetrievalResult(query="q", items=[_fact("user.condition", "type 2 diabetes")])
    assert responder.answer("Am I diabetic?", type2).text == "Yes, you have type 2 diabetes (as of 2024-05-03)."


def test_an_ended_allergy_is_no_slip_of_the_statement_that_ended_it(embedder: BaseEmbedder) -> None:
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    ended = _fact(
        "user.allergy", "peanuts", "I'm not allergic to shellfish anymore", "no longer shellfish", "shellfish"
    )
    answer = responder.answer("Am I allergic to seafood?", RetrievalResult(query="q", items=[ended]))
    assert answer.text == "No, you are no longer allergic to shellfish (as of 2024-05-03)."
    stored = _fact(
        "user.allergy", "peanuts", "I'm not allergic to shellfish anymore", "shellfish"
    )  # as the store has it
    answer = responder.answer("Am I allergic to seafood?", RetrievalResult(query="q", items=[stored]))
    assert answer.text == "No, you are no longer allergic to shellfish (as of 2024-05-03)."


def test_a_question_stored_is_no_memory_of_the_relation(embedder: BaseEmbedder) -> None:
    generator = RecordingGenerator()
    responder = Responder(generator=generator, embedder=embedder)
    asked = RetrievedItem(id="q", tier="short", text="Who's my girlfriend?", score=0.9, created_at=WHEN)
    items = [
        _fact("user.girlfriend", "Sophie", "My girlfriend is now Sophie"),
        _fact("user.boss", "Mark", "My boss is now Mark"),
        _fact("boss.lives_in", "Berlin", "My boss moved to Berlin"),
        asked,
    ]
    answer = responder.answer("Where does Sophie live?", RetrievalResult(query="q", items=items))
    assert answer.text == "You haven't told me your girlfriend's home city yet." and not generator.prompts


def test_the_same_value_said_again_is_no_earlier_one() -> None:
    mother = _fact("user.mother", "May", "My mom's name is May", "May")
    assert fact_answer(mother) == "Your mother is May (as of 2024-05-03)."
    moved = _fact("user.lives_in", "Lyon", "told", "Paris", "Lyon")
    assert fact_answer(moved) == "Your home city is Lyon (as of 2024-05-03; earlier: Paris (2024-05-03))."


def test_a_category_asked_in_one_script_holds_a_member_told_in_the_other(embedder: BaseEmbedder) -> None:
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    peanuts = RetrievalResult(query="q", items=[_fact("user.allergy", "peanuts")])
    assert responder.answer("我对坚果过敏吗？", peanuts).text == "是的，你对peanuts过敏（截至 2024-05-03）。"
    told_in_chinese = RetrievalResult(query="q", items=[_fact("user.allergy", "花生")])
    assert responder.answer("Am I allergic to nuts?", told_in_chinese).text == (
        "Yes, you are allergic to 花生 (as of 2024-05-03)."
    )


def test_who_a_relation_is_asks_their_name(embedder: BaseEmbedder) -> None:
    generator = RecordingGenerator()
    responder = Responder(generator=generator, embedder=embedder)
    job = RetrievalResult(query="q", items=[_fact("mother.occupation", "老师", "我妈妈是老师")])
    assert responder.answer("Who is my mother?", job).text == "You haven't told me your mother's name yet."
    assert not generator.prompts


def test_a_message_read_into_its_fact_does_not_stop_not_told(embedder: BaseEmbedder) -> None:
    generator = RecordingGenerator()
    responder = Responder(generator=generator, embedder=embedder)
    said = RetrievedItem(id="m", tier="short", text="My girlfriend is Emma", score=0.9, created_at=WHEN, kind="context")
    items = [said, _fact("user.girlfriend", "Emma", "My girlfriend is Emma")]
    answer = responder.answer("Where does my girlfriend live?", RetrievalResult(query="q", items=items))
    assert answer.text == "You haven't told me your girlfriend's home city yet." and not generator.prompts


def _said(minutes: int, value: str, statement: str) -> FactVersion:
    return FactVersion(value=value, observed_at=WHEN + timedelta(minutes=minutes), statement=statement)


def test_values_corrected_away_are_no_earlier_ones_however_many_corrections() -> None:
    marseille = RetrievedItem(
        id="f", tier="long", text="Sorry, I meant Marseille, not Lyon", score=0.9,
        created_at=WHEN + timedelta(minutes=4), key="user.lives_in", value="Marseille",
        versions=[_said(2, "Lyon", "Sorry, I meant Lyon, not Paris"), _said(0, "Paris", "I live in Paris")],
    )  # fmt: skip
    assert fact_answer(marseille) == "Your home city is Marseille (as of 2024-05-03)."
    moved_back = marseille.model_copy(
        update={
            "text": "I moved to Berlin",
            "value": "Berlin",
            "created_at": WHEN + timedelta(days=3),
            "versions": [
                _said(2 * 24 * 60, "Paris", "I moved to Paris"),
                _said(4, "Marseille", marseille.text),
                *marseille.versions,
            ],
        }
    )  # Paris was a slip once, a home later
    assert fact_answer(moved_back) == (
        "Your home city is Berlin (as of 2024-05-06; earlier: Paris (2024-05-05), Marseille (2024-05-03))."
    )


def test_an_episode_that_may_say_a_held_value_is_quoted_by_its_line(embedder: BaseEmbedder) -> None:
    """ "Does Jake have asthma?" with no condition of his held: the episode's line, not the whole episode."""
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    lines = "3 May 2024\nMy son Jake has a peanut allergy.\nHe also has asthma and uses an inhaler."
    episode = RetrievedItem(id="e", tier="mid", kind="episode", text=lines, score=0.8, created_at=WHEN)
    items = RetrievalResult(query="q", items=[episode, _fact("user.son", "Jake", "My son Jake has a peanut allergy.")])
    answer = responder.answer("Does my son have asthma?", items, now=WHEN)
    assert answer.text == 'You told me: "He also has asthma and uses an inhaler." (2024-05-03).'


def test_a_plans_words_are_said_back_as_the_users() -> None:
    """ "traveling to Rome with my sister next month" is told back "with your sister"."""
    trip = _fact("user.plan_trip", "traveling to Rome with my sister next month (June 2024)", "told")
    assert fact_answer(trip, WHEN) == (
        "Your trip is traveling to Rome with your sister next month (June 2024) (as of 2024-05-03)."
    )
    assert as_yours("I am going with my wife and me") == "you are going with your wife and you"
