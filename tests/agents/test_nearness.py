"""A memory that says what a question asks, though its embedding is not near: the day asked, a word shared."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from tiermem.agents.nearness import (
    BONUS,
    DAY_ONLY_BONUS,
    FORMER_BONUS,
    WHEN_BONUS,
    asks_earlier,
    bonus,
    nearest_first,
    stem,
)
from tiermem.agents.responder import Responder
from tiermem.agents.retriever import FactVersion, RetrievalResult, RetrievedItem

NOW = datetime(2024, 5, 3, 9, tzinfo=UTC)  # a Friday


def _said(text: str, days_ago: int = 0) -> RetrievedItem:
    return RetrievedItem(id=text[:12], tier="mid", text=text, score=0.9, created_at=NOW - timedelta(days=days_ago))


def _ask(responder: Responder, question: str, items: list[RetrievedItem]) -> str:
    return responder.answer(question, RetrievalResult(query=question, items=items), now=NOW).text


@pytest.mark.parametrize(
    ("question", "memory"),
    [
        ("What book am I reading?", "I'm reading \"Project Hail Mary\" right now, it's great."),
        ("What did I do last Saturday?", "Last Saturday I went hiking with my friend Tom at Mount Tam."),
        ("What car do I drive?", "I'm driving a Tesla now."),  # "driving" is a form of "drive"
        ("Where am I traveling?", "I'm planning a trip to Japan in April with my wife."),  # a trip is travel
    ],
)
def test_a_memory_that_says_it_is_quoted_though_its_embedding_is_not_near(
    responder: Responder, question: str, memory: str
) -> None:
    items = [_said(memory, 6), _said("I had pasta for lunch", 1)]
    assert _ask(responder, question, items).startswith(f'You told me: "{memory[:14]}')  # "Last Saturday (20 April ..."


@pytest.mark.parametrize(
    ("question", "memory"),
    [
        ("Where do I work?", "I work out every morning."),  # another sense of "work"
        ("What's my favorite color?", "My favorite food is pizza."),  # "favorite" frames, "color" is asked
        ("What did I do last Saturday?", "I moved here last year."),  # "last" names no day asked
        ("Where did I go on vacation?", "I had a great time at the beach."),
    ],
)
def test_a_memory_that_only_shares_a_frame_word_is_not_quoted(responder: Responder, question: str, memory: str) -> None:
    assert not _ask(responder, question, [_said(memory, 3)]).startswith("You told me")


def test_a_relations_word_is_no_word_asked_for() -> None:
    lines = [("My brother Sam just moved to Denver", NOW)]
    assert bonus("What does my brother do for fun?", lines, NOW).tolist() == [0.0]
    assert bonus("When did my brother go to Denver?", lines, NOW).tolist() == [pytest.approx(BONUS)]


def test_a_kindred_word_counts_as_the_word_asked() -> None:
    lines = [("We booked a vacation in Crete", NOW), ("I went to the doctor", NOW)]
    # (the vacation's line names a place too, which a question for where counts: WHEN_BONUS)
    assert bonus("Where is my holiday?", lines, NOW).tolist() == [pytest.approx(BONUS + WHEN_BONUS), 0.0]
    assert bonus("When did I see my physician?", lines, NOW).tolist() == [0.0, pytest.approx(BONUS)]


def test_a_question_for_when_counts_a_line_that_names_a_time_nearer() -> None:
    lines = [("Carol doesn't eat pork.", NOW), ("My mother-in-law Carol is visiting on the 20th.", NOW)]
    assert bonus("When is Carol coming?", lines, NOW).tolist() == [
        pytest.approx(BONUS),
        pytest.approx(BONUS + WHEN_BONUS),
    ]
    party = [("Noah wants a dinosaur party.", NOW), ("He's turning 6 next week.", NOW)]
    assert bonus("When is Noah's birthday?", party, NOW).tolist()[1] == pytest.approx(WHEN_BONUS)


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("When is Carol coming?", "My mother-in-law Carol is visiting from Ohio on the 20th."),
        ("When is Noah's birthday?", "My son's name is Noah and he's turning 6 next week"),
        ("When do I go to the gym?", "I go to the gym every Monday"),  # not the newer time of waking
    ],
)
def test_a_newer_line_without_the_time_asked_is_no_update(responder: Responder, question: str, quoted: str) -> None:
    items = [
        _said("My son's name is Noah and he's turning 6 next week.", days_ago=1),
        _said("My mother-in-law Carol is visiting from Ohio on the 20th.", days_ago=1),
        _said("I go to the gym every Monday, Wednesday and Friday morning.", days_ago=1),
        _said("Noah wants a dinosaur-themed party."),
        _said("Carol doesn't eat pork."),
        _said("I wake up at 6am every day."),
    ]
    answer = _ask(responder, question, items)
    assert answer.startswith(f'You told me: "{quoted}') and "; also" not in answer


def test_what_one_is_doing_is_a_word_asked_though_it_frames_other_questions(responder: Responder) -> None:
    lines = [("I'm working on a big presentation for the Q3 review.", NOW), ("I work out every morning", NOW)]
    assert bonus("What am I working on?", lines, NOW).tolist() == [pytest.approx(BONUS), pytest.approx(BONUS)]
    assert bonus("Where do I work?", lines, NOW).tolist() == [0.0, 0.0]
    items = [_said(line) for line, _ in lines[:1]] + [_said("My coworker Dev is helping with the charts.")]
    assert _ask(responder, "What am I working on?", items).startswith("You told me: \"I'm working on a big")


def test_a_question_for_someone_is_answered_by_a_memory_of_theirs(responder: Responder) -> None:
    items = [_said("I'm working on a big presentation."), _said("My coworker Dev is helping with the charts.")]
    assert _ask(responder, "Who is helping me with the charts?", items) == (
        'You told me: "My coworker Dev is helping with the charts." (2024-05-03).'
    )


def test_a_line_said_on_the_day_asked_counts_nearer() -> None:
    lines = [("I'm at the gym", NOW - timedelta(days=1)), ("I'm at the gym", NOW - timedelta(days=3))]
    assert bonus("What did I eat yesterday?", lines, NOW).tolist() == [pytest.approx(BONUS), 0.0]
    assert bonus("What did I eat yesterday?", lines, None).tolist() == [0.0, 0.0]  # no day to count from


def test_a_question_for_a_day_alone_is_answered_by_that_days_lines_only() -> None:
    lines = [("I went to a support group yesterday", NOW), ("I painted a sunrise last week", NOW - timedelta(days=3))]
    assert bonus("What did I do yesterday?", lines, NOW).tolist() == [pytest.approx(DAY_ONLY_BONUS), -1.0]
    near = np.array([0.1, 0.5], dtype=np.float32)  # the other day's line is nearer in words: not the answer
    order, nearness = nearest_first("What did I do yesterday?", lines, near, 0.35, NOW)
    assert order == [0, 1] and nearness[0] == pytest.approx(0.1 + DAY_ONLY_BONUS)


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("What did I do yesterday?", 'You told me: "I went to a support group yesterday (2 May 2024)'),
        ("What did I do on Monday?", "You haven't told me that yet."),  # 29 April: nothing said of it
    ],
)
def test_a_day_asked_alone_is_answered_with_what_was_said_of_it(
    responder: Responder, question: str, quoted: str
) -> None:
    items = [_said("I went to a support group yesterday, it was powerful."), _said("I painted a sunrise last week.")]
    assert _ask(responder, question, items).startswith(quoted)


def test_a_day_asked_alone_is_told_everything_said_of_it_in_the_order_said(responder: Responder) -> None:
    items = [
        _said("Yesterday I had lunch with my sister at a Thai place."),
        _said("I slept only 5 hours last night."),
        _said("I ran 5 km in 28 minutes.", days_ago=1),
        _said("I painted a sunrise last week."),
        _said("I'm going to the cinema tomorrow."),
    ]
    assert _ask(responder, "What did I do yesterday?", items) == (
        'You told me: "I ran 5 km in 28 minutes." (2024-05-02); also: "I slept only 5 hours last night (2 May 2024)."'
        ' (2024-05-03); also: "Yesterday (2 May 2024) I had lunch with my sister at a Thai place." (2024-05-03).'
    )


def test_the_bonus_orders_only_where_nothing_is_near_enough() -> None:
    lines = [("My salary is $85,000 a year", NOW), ("I got a raise, I now make $95k", NOW)]
    near = np.array([0.5, 0.45], dtype=np.float32)
    order, nearness = nearest_first("What's my salary?", lines, near, 0.35, NOW)
    assert order == [0, 1] and nearness.tolist() == pytest.approx([0.5, 0.45])  # by similarity alone
    far = np.array([0.25, 0.3], dtype=np.float32)
    order, nearness = nearest_first("What's my salary?", lines, far, 0.35, NOW)
    assert order == [0, 1] and nearness[0] == pytest.approx(0.25 + BONUS)


def test_a_chinese_question_quotes_the_episode_line_that_says_it(responder: Responder) -> None:
    """An episode is as near as its nearest line (the whole session's text is 0.2 from the question)."""
    session = "3 May 2024\n我对青霉素过敏\n我下周三要去北京出差\n我老公是医生"
    episode = RetrievedItem(id="e", tier="mid", text=session, score=0.9, created_at=NOW, kind="episode")
    assert _ask(responder, "我什么时候去北京？", [episode]) == "根据记忆（2024-05-03）：原话：“我下周三要去北京出差”"


def test_a_chinese_question_quotes_a_later_memory_that_says_it(responder: Responder) -> None:
    """The best-ranked memory may say nothing of it; one of the next two that does is quoted."""
    items = [_said("我今天跑了10公里"), _said("我下周三要去北京出差")]
    expected = "根据记忆（2024-05-03）：原话：“我下周三（2024年5月8日）要去北京出差”"  # its day, as of when it was said
    assert _ask(responder, "我什么时候去北京？", items) == expected


def test_the_forms_of_a_word_meet() -> None:
    forms = [("drive", "drives", "driving"), ("run", "running", "runs"), ("book", "books"), ("move", "moved")]
    for words in forms:
        assert len({stem(word) for word in words}) == 1, words
    assert stem("glasses") == "glass" and stem("class") == "class" and stem("car") != stem("card")


@pytest.mark.parametrize(
    ("question", "earlier"),
    [
        ("Where did I work before?", True),
        ("What was my previous job?", True),
        ("我以前住在哪里？", True),
        ("Where do I work?", False),
        ("Where did I live before Berlin?", True),
        ("Where did I live before I moved to Berlin?", True),
        ("Where did I work before moving to Austin?", True),
        ("What should I eat before the gym?", False),  # "before" of another thing
    ],
)
def test_a_question_for_what_held_before(question: str, earlier: bool) -> None:
    assert asks_earlier(question) is earlier


def test_a_question_for_what_held_before_is_answered_by_a_former_state(responder: Responder) -> None:
    lines = [("I live in Austin", NOW), ("My old apartment was in Denver", NOW)]
    # "I live in Austin" tells only of now: no answer to what held before, however near its words
    assert bonus("Where did I live before?", lines, NOW).tolist() == [
        pytest.approx(BONUS - 1.0),
        pytest.approx(FORMER_BONUS),
    ]
    home = RetrievedItem(
        id="home", tier="long", text="I live in Austin", score=0.9, created_at=NOW, key="user.lives_in", value="Austin"
    )
    items = [home, _said("I live in Austin"), _said("My old apartment was in Denver.")]
    assert _ask(responder, "Where did I live before?", items) == (
        'You told me: "My old apartment was in Denver." (2024-05-03).'
    )  # not the home held now, which has no earlier version
    assert _ask(responder, "Where do I live?", items).startswith("Your home city is Austin")


def test_what_held_before_is_not_answered_by_what_holds_now(responder: Responder) -> None:
    home = RetrievedItem(
        id="home", tier="long", text="I live in Austin", score=0.9, created_at=NOW, key="user.lives_in", value="Austin"
    )
    assert _ask(responder, "Where did I live before?", [home, _said("I live in Austin")]) == (
        "You haven't told me that yet."
    )
    moved = _said("I moved to Austin from Boston last year")  # says what held before too
    assert _ask(responder, "Where did I live before?", [home, moved]).startswith(
        'You told me: "I moved to Austin from Boston'
    )


def test_what_held_before_is_told_from_the_facts_earlier_version(responder: Responder) -> None:
    home = RetrievedItem(
        id="home",
        tier="long",
        text="I moved to Austin",
        score=0.9,
        created_at=NOW,
        key="user.lives_in",
        value="Austin",
        history=["Denver (2023-07-08)"],
        versions=[FactVersion(value="Denver", observed_at=NOW - timedelta(days=300), statement="I live in Denver")],
    )
    assert _ask(responder, "Where did I live before?", [home]) == (
        "Your home city was Denver before Austin (as of 2023-07-08)."
    )
    assert (
        _ask(responder, "我以前住在哪里？", [home]) == "根据记忆（2023-07-08）：之前的居住城市 = Denver（现在：Austin）"
    )
    assert _ask(responder, "Where do I live?", [home]).startswith("Your home city is Austin")


def test_a_facts_history_is_every_value_it_held_newest_first(responder: Responder) -> None:
    weight = RetrievedItem(
        id="w",
        tier="mid",
        text="Weighed in at 76.5 this morning.",
        score=0.9,
        created_at=NOW,
        key="user.weight",
        value="76.5 kg",
        history=["78 kg (2024-04-23)", "80 kg (2024-04-03)"],
        versions=[
            FactVersion(value="78 kg", observed_at=NOW - timedelta(days=10), statement="I'm down to 78 kg"),
            FactVersion(value="80 kg", observed_at=NOW - timedelta(days=30), statement="I weigh 80 kg"),
        ],
    )
    assert _ask(responder, "What's my weight history?", [weight]) == (
        "Your weight, newest first: 76.5 kg (2024-05-03), 78 kg (2024-04-23), 80 kg (2024-04-03)."
    )
    assert _ask(responder, "What was my weight before?", [weight]) == (
        "Your weight was 78 kg before 76.5 kg (as of 2024-04-23)."
    )
    alone = weight.model_copy(update={"versions": [], "history": []})  # one value: its words
    assert _ask(responder, "What's my weight history?", [alone]) == (
        'You told me: "Weighed in at 76.5 this morning." (2024-05-03).'
    )


def test_a_question_of_a_day_that_says_no_i_is_answered_by_what_was_said_of_it(responder: Responder) -> None:
    items = [_said("My mother-in-law is visiting next weekend."), _said("I went to the dentist yesterday")]
    assert _ask(responder, "Who is visiting next weekend?", items).startswith(
        'You told me: "My mother-in-law is visiting next weekend'
    )
    assert _ask(responder, "What happened yesterday?", items) == (
        'You told me: "I went to the dentist yesterday (2 May 2024)" (2024-05-03).'
    )  # the visit, said the same day, is of another day: not quoted beside it
