"""Questions for the user's plans as a list, soonest first, within the period asked."""

from datetime import UTC, datetime

import pytest
from agent_helpers import RecordingGenerator
from tiermem.agents.agenda import plans_answer
from tiermem.agents.extract import extract_facts
from tiermem.agents.replies import fact_answer
from tiermem.agents.responder import Responder
from tiermem.agents.retriever import FactVersion, RetrievalResult, RetrievedItem
from tiermem.memory.embeddings import BaseEmbedder

NOW = datetime(2024, 5, 3, 9, tzinfo=UTC)  # a Friday


def _plan(key: str, value: str, item_id: str) -> RetrievedItem:
    return RetrievedItem(id=item_id, tier="mid", text=value, score=0.5, created_at=NOW, key=key, value=value)


INTERVIEW = _plan("user.plan_interview", "at Google on Thursday (9 May 2024)", "i")
FLIGHT = _plan("user.plan_flight", "to Tokyo on May 20 (20 May 2024)", "f")
MOVE = _plan("user.plan_move", "Porto next month (June 2024)", "m")
DINNER = _plan("user.plan_dinner", "with Sam sometime", "d")
VISIT = _plan("user.plan_trip", "下周我要去上海 (6 May 2024 - 12 May 2024)", "v")
PAST = _plan("user.plan_trip", "Rome in April (12 April 2024)", "p")
CANCELLED = _plan("user.plan_wedding", "no longer planned", "c")
HELD = [FLIGHT, MOVE, DINNER, PAST, CANCELLED, INTERVIEW]


@pytest.mark.parametrize(
    ("question", "text", "cited"),
    [
        (
            "What are my plans?",
            'Your plans: the interview on 9 May 2024 ("at Google on Thursday"); the flight on 20 May 2024 '
            '("to Tokyo on May 20"); the move in June 2024 ("Porto next month"); the dinner ("with Sam sometime", '
            "no day told).",
            ["i", "f", "m", "d"],
        ),
        (
            "Do I have any plans next week?",
            'Your plans for 6 May 2024 - 12 May 2024: the interview on 9 May 2024 ("at Google on Thursday").',
            ["i"],
        ),
        (
            "What do I have planned in June?",
            'Your plans for June 2024: the move in June 2024 ("Porto next month").',
            ["m"],
        ),
        (
            "What are my plans tomorrow?",
            "You haven't told me of any plans for 4 May 2024. The next one: the interview on 9 May 2024 "
            '("at Google on Thursday").',
            ["i"],
        ),
        (
            "我下周有什么安排？",
            "你的安排（2024年5月6日至2024年5月12日）：面试（2024年5月9日，原话：“at Google on Thursday”）。",
            ["i"],
        ),
        (
            "我这周有什么安排？",
            "你还没有告诉过我（2024年4月29日至2024年5月5日）有什么安排。"
            "接下来的是：面试（2024年5月9日，原话：“at Google on Thursday”）。",
            ["i"],
        ),
    ],
)
def test_the_plans_held_are_told_soonest_first(question: str, text: str, cited: list[str]) -> None:
    answer = plans_answer(question, HELD, NOW)
    assert answer is not None and answer.mode == "fact"
    assert answer.text == text and answer.cited == cited


def test_a_birthday_or_anniversary_in_the_period_asked_is_told_with_the_plans() -> None:
    """ "Anything coming up next week?" tells the sister's birthday on its day; "What are my plans?"
    names no period, and a day of every year is no plan of its own."""
    birthday = _plan("sister.birthday", "10 May", "b")
    anniversary = _plan("user.anniversary", "June 5th", "a")
    held = [*HELD, birthday, anniversary]
    answer = plans_answer("Anything coming up next week?", held, NOW)
    assert answer is not None and answer.text == (
        'Your plans for 6 May 2024 - 12 May 2024: the interview on 9 May 2024 ("at Google on Thursday"); '
        "your sister's birthday on 10 May 2024."
    )
    alone = plans_answer("Do I have any plans in June?", [anniversary], NOW)
    assert alone is not None and alone.text == "Your plans for June 2024: your anniversary on 5 June 2024."
    zh = plans_answer("我下周有什么安排？", [birthday], NOW)
    assert zh is not None and zh.text == "你的安排（2024年5月6日至2024年5月12日）：你姐妹的生日（2024年5月10日）。"
    assert plans_answer("What are my plans?", [birthday], NOW) is None


def test_the_weekend_asked_for_is_the_coming_one() -> None:
    weekend = _plan("user.plan_trip", "to my parents' place this weekend (4 May 2024 - 5 May 2024)", "w")
    answer = plans_answer("What are my plans for the weekend?", [weekend, INTERVIEW], NOW)
    assert answer is not None and answer.cited == ["w"]


def test_nothing_to_come_is_said_so() -> None:
    answer = plans_answer("What are my plans?", [PAST, CANCELLED], NOW)
    assert answer is not None and answer.text == "You haven't told me of any plans from today on."


@pytest.mark.parametrize(
    ("question", "items"),
    [
        ("What's my plan for Paris?", HELD),  # one plan: asked as that fact
        ("What are your plans?", HELD),
        ("My plans changed, the trip is off.", HELD),  # no question
        ("What are my plans?", [_plan("sister.plan_trip", "Rome (9 May 2024)", "s")]),  # no plan of the user's
    ],
)
def test_other_questions_are_not_answered_as_plans(question: str, items: list[RetrievedItem]) -> None:
    assert plans_answer(question, items, NOW) is None


def test_the_responder_lists_the_plans(embedder: BaseEmbedder) -> None:
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    answer = responder.answer("What's coming up?", RetrievalResult(query="q", items=[FLIGHT, INTERVIEW]), now=NOW)
    assert answer.text.startswith('Your plans: the interview on 9 May 2024 ("at Google on Thursday"); the flight')


def test_a_plan_for_a_span_of_days_is_told_during_it() -> None:
    answer = plans_answer("What are my plans next week?", [VISIT], NOW)
    assert answer is not None and answer.text == (
        'Your plans for 6 May 2024 - 12 May 2024: the trip during 6 May 2024 - 12 May 2024 ("下周我要去上海").'
    )
    assert plans_answer("What's coming up?", [VISIT, FLIGHT], NOW).text.startswith(  # type: ignore[union-attr]
        'Your plans: the trip during 6 May 2024 - 12 May 2024 ("下周我要去上海"); the flight on 20 May 2024'
    )


def _said(text: str, item_id: str, when: datetime = NOW) -> RetrievedItem:
    return RetrievedItem(id=item_id, tier="mid", text=text, score=0.5, created_at=when)


def test_memories_that_name_a_day_to_come_are_plans_too() -> None:
    held = [
        _said("I need to pick up my car from the mechanic tomorrow.", "car"),
        _said("I have a meeting with my dentist on Friday at 3pm.", "dentist"),  # a Friday: the next one
        _said("I went hiking on Friday.", "hike"),  # the one gone
        _said("I'm tired today.", "tired"),  # today, and nothing to come
        _said("My flight leaves tomorrow.", "old", datetime(2024, 4, 20, tzinfo=UTC)),  # that day has passed
        INTERVIEW,
    ]
    answer = plans_answer("What's on my schedule?", held, NOW)
    assert answer is not None and answer.text == (
        'Your plans: on 4 May 2024, as you told me: "I need to pick up my car from the mechanic tomorrow"; '
        'the interview on 9 May 2024 ("at Google on Thursday"); '
        'on 10 May 2024, as you told me: "I have a meeting with my dentist on Friday at 3pm".'
    )
    assert answer.cited == ["car", "i", "dentist"]


def test_a_plan_fact_and_the_episode_line_that_said_it_are_told_once() -> None:
    fact = RetrievedItem(
        id="fact",
        tier="mid",
        text="I have a meeting with my dentist on Friday at 3pm.",
        score=0.5,
        created_at=NOW,
        key="user.plan_meeting",
        value="with my dentist on Friday at 3pm (10 May 2024)",
    )
    episode = RetrievedItem(
        id="ep",
        tier="mid",
        kind="episode",
        text="3 May 2024:\nI have a meeting with my dentist on Friday (10 May 2024) at 3pm.",
        score=0.5,
        created_at=NOW,
    )
    answer = plans_answer("What are my plans?", [fact, episode], NOW)
    assert answer is not None and answer.cited == ["fact"]


def test_a_plan_moved_is_told_once_by_its_new_day() -> None:
    """The message that first said the plan is no other plan once the plan was moved."""
    said = "I have a dentist appointment tomorrow at 9"
    moved = RetrievedItem(
        id="a",
        tier="mid",
        text="I rescheduled my dentist appointment to Friday.",
        score=0.5,
        created_at=NOW,
        key="user.plan_appointment",
        value="Friday (10 May 2024)",
        versions=[FactVersion(value="tomorrow at 9 (4 May 2024)", observed_at=NOW, statement=said)],
    )
    answer = plans_answer("What are my plans?", [moved, _said(said, "m")], NOW)
    assert answer is not None and answer.text == 'Your plans: the appointment on 10 May 2024 ("Friday").'


@pytest.mark.parametrize(
    "question",
    [
        "What do I have tomorrow?",
        "What's on tomorrow?",
        "What do I have on Thursday?",
        "What's happening today?",
        "What am I doing tomorrow?",
        "Am I busy on Thursday?",
        "Anything planned for the weekend?",
        "What do I need to do tomorrow?",
        "我明天要做什么？",
    ],
)
def test_what_one_has_on_a_day_is_asked_as_plans(question: str) -> None:
    answer = plans_answer(question, HELD, NOW)
    assert answer is not None and answer.mode == "fact"
    assert plans_answer("What do I have in my bag?", HELD, NOW) is None
    assert plans_answer("What am I doing wrong today", HELD, NOW) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("I got a new job at Stripe, starting Monday!", "Monday (6 May 2024)"),
        ("I start my new job next week.", "next week (6 May 2024 - 12 May 2024)"),
        ("My new job starts on June 3rd.", "on June 3rd (3 June 2024)"),
        ("I start at Google on Monday.", "on Monday (6 May 2024)"),
        ("I start work at 9 every day.", None),  # a habit, no first day
        ("I got a new job at Stripe.", None),
    ],
)
def test_the_first_day_of_a_new_job_is_a_plan(text: str, value: str | None) -> None:
    facts = {fact.key: fact.value for fact, _ in extract_facts(text, NOW)}
    assert facts.get("user.plan_new_job") == value


@pytest.mark.parametrize("question", ["When do I start?", "When's my start date?", "When do I start the new job?"])
def test_when_i_start_is_the_new_jobs_first_day(embedder: BaseEmbedder, question: str) -> None:
    first_day = _plan("user.plan_new_job", "Monday (6 May 2024)", "j")
    items = [INTERVIEW, first_day, _plan("user.employer", "Stripe", "e")]
    answer = Responder(generator=RecordingGenerator(), embedder=embedder).answer(
        question, RetrievalResult(query=question, items=items), now=NOW
    )
    assert answer.text == 'Your new job starts on 6 May 2024 (as of 2024-05-03: "Monday").'


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        (
            "I'm training for a half marathon in October.",
            ("user.plan_marathon", "half marathon in October (October 2024)"),
        ),
        (
            "I signed up for the Boston Marathon next April.",
            ("user.plan_marathon", "Boston Marathon next April (April 2025)"),
        ),
        ("We're running a charity race on Sunday.", ("user.plan_race", "charity race on Sunday (5 May 2024)")),
        ("I'm training for a 10k in September.", ("user.plan_race", "10k in September (September 2024)")),
        ("I signed up for a 5k on Saturday.", ("user.plan_race", "5k on Saturday (4 May 2024)")),
        ("I'm running an ultramarathon in July.", ("user.plan_marathon", "ultramarathon in July (July 2024)")),
        ("I'm training for a marathon.", None),  # no day: no plan
    ],
)
def test_a_race_entered_is_a_plan(text: str, fact: tuple[str, str] | None) -> None:
    facts = [(found.key, found.value) for found, _ in extract_facts(text, NOW)]
    assert facts == ([fact] if fact else [])


def test_a_plan_whose_words_name_it_is_told_as_the_plan() -> None:
    marathon = _plan("user.plan_marathon", "half marathon in October (October 2024)", "m")
    assert fact_answer(marathon, NOW) == "Your plan: half marathon in October (October 2024) (as of 2024-05-03)."
    race = _plan("user.plan_race", "10k in September (September 2024)", "r")
    assert fact_answer(race, NOW) == "Your plan: 10k in September (September 2024) (as of 2024-05-03)."


@pytest.mark.parametrize(
    ("move", "told"),
    [
        ("Seattle next month (June 2024)", " You also told me you are moving to Seattle next month (June 2024)."),
        ("Denver in April (April 2024)", ""),  # its month has passed
        ("no longer planned", ""),  # called off
    ],
)
def test_the_home_city_is_told_with_a_move_to_come(embedder: BaseEmbedder, move: str, told: str) -> None:
    home = _plan("user.lives_in", "Austin", "h")
    items = [home, _plan("user.plan_move", move, "m")]
    answer = Responder(generator=RecordingGenerator(), embedder=embedder).answer(
        "Where do I live?", RetrievalResult(query="q", items=items), now=NOW
    )
    assert answer.text == f"Your home city is Austin (as of 2024-05-03).{told}"


@pytest.mark.parametrize(
    "text",
    ["Big news: we're moving to Seattle next month!", "Guess what, we're moving to Seattle next month."],
)
def test_a_move_told_after_a_word_of_news_is_the_speakers(text: str) -> None:
    facts = {fact.key: fact.value for fact, _ in extract_facts(text, NOW)}
    assert facts == {"user.plan_move": "Seattle next month (June 2024)"}


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("I'm pregnant! The baby is due in October.", "in October (October 2024)"),
        ("My due date is June 5th.", "June 5th (5 June 2024)"),
        ("We're expecting a baby girl in March.", "in March (March 2025)"),
        ("我的预产期是10月5号", "10月5号 (5 October 2024)"),
        ("My project's due date is Friday.", None),
        ("The report is due on Monday.", None),
    ],
)
def test_a_baby_on_the_way_is_a_plan(text: str, due: str | None) -> None:
    facts = {fact.key: fact.value for fact, _ in extract_facts(text, NOW)}
    assert facts.get("user.plan_baby") == due


@pytest.mark.parametrize("question", ["When is my baby due?", "What's my due date?", "Am I pregnant?"])
def test_when_the_baby_is_due(embedder: BaseEmbedder, question: str) -> None:
    baby = _plan("user.plan_baby", "in October (October 2024)", "b")
    answer = Responder(generator=RecordingGenerator(), embedder=embedder).answer(
        question, RetrievalResult(query=question, items=[INTERVIEW, baby]), now=NOW
    )
    assert answer.text == "Your baby is due in October (October 2024) (as of 2024-05-03)."
