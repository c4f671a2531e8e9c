from datetime import UTC, datetime, timedelta, timezone

import pytest
from agent_helpers import RecordingGenerator
from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from tiermem.agents.fact_match import asked_aspect
from tiermem.agents.replies import fact_answer, is_chinese, not_told, quote, told
from tiermem.agents.responder import Responder
from tiermem.agents.retriever import FactVersion, RetrievalResult, RetrievedItem
from tiermem.agents.yes_no import asked_fact
from tiermem.memory.embeddings import BaseEmbedder

WHEN = datetime(2024, 5, 3, tzinfo=UTC)
WEIGHT = RetrievedItem(
    id="w",
    tier="mid",
    text="今天称重45kg",
    score=1.0,
    created_at=WHEN,
    key="user.weight",
    value="45 kg",
    history=["47 kg (2024-05-01)"],
)
HIKE = RetrievedItem(id="h", tier="short", text="I went hiking in the Alps", score=0.5, created_at=WHEN)


def test_is_chinese() -> None:
    assert is_chinese("我现在体重多少？") and not is_chinese("How much? 45kg")


def test_fact_question_answered_from_newest_version(embedder: BaseEmbedder) -> None:
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    answer = responder.answer("How much do I weigh now?", RetrievalResult(query="q", items=[HIKE, WEIGHT]))
    assert answer.mode == "fact" and answer.cited == ["w"]
    assert answer.text == "Your weight is 45 kg (as of 2024-05-03; earlier: 47 kg (2024-05-01))."


def test_the_bmi_is_computed_from_the_weight_and_height_held(embedder: BaseEmbedder) -> None:
    height = RetrievedItem(
        id="t", tier="long", text="I'm 160 cm tall", score=0.9, created_at=WHEN, key="user.height", value="160 cm"
    )
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    answer = responder.answer("What's my BMI?", RetrievalResult(query="q", items=[HIKE, WEIGHT, height]))
    assert answer.mode == "fact" and sorted(answer.cited) == ["t", "w"]
    assert answer.text == "Your BMI is about 17.6, underweight: 45 kg at 160 cm (as of 2024-05-03)."


def test_unrelated_question_goes_to_the_model_with_context(embedder: BaseEmbedder) -> None:
    generator = RecordingGenerator()
    answer = Responder(generator=generator, embedder=embedder).answer(
        "Where should we hike next?", RetrievalResult(query="q", items=[HIKE, WEIGHT]), namespace="alice"
    )  # advice: the model's, with the memories
    assert answer.mode == "local" and answer.adapter_version == "v3"
    prompt = generator.prompts[0][0]["content"]
    assert "I went hiking in the Alps" in prompt and "Question: Where should we hike next?" in prompt


@pytest.mark.parametrize(
    ("generated", "answer"),
    [
        (  # a loop is cut where it starts, then the answer ends at its last full sentence
            "Jake got engaged to Mia. He joined the team of the British team of the British team of the British",
            "Jake got engaged to Mia.",
        ),
        ("Sure! Pick a quiet trail. You could also try the", "Sure! Pick a quiet trail."),  # out of tokens
        ("Mr. Smith lives in", "Mr. Smith lives in"),  # no full sentence: kept
        ("I can't book it. Some options that suit your tastes:\n\n1.", "I can't book it."),  # a list's number
        ("On 2024-05-03: You went hiking in the Alps.", "You went hiking in the Alps."),
        ("Eat apples, apples and apples.", "Eat apples, apples and apples."),
    ],
)
def test_a_local_answer_ends_where_the_model_lost_its_way(embedder: BaseEmbedder, generated: str, answer: str) -> None:
    responder = Responder(generator=RecordingGenerator(generated), embedder=embedder)
    assert responder.answer("Where should we hike next?", RetrievalResult(query="q", items=[HIKE])).text == answer


def test_a_chinese_question_kept_in_working_memory_is_still_answered(embedder: BaseEmbedder) -> None:
    """我几点起床？ was kept short-term by the gate: the turn remembered it, and it asks all the same."""
    said = RetrievedItem(id="w", tier="long", text="我每天早上7点起床跑步。", score=0.8, created_at=WHEN)
    answer = Responder(generator=RecordingGenerator(), embedder=embedder).answer(
        "我几点起床？", RetrievalResult(query="q", items=[said]), remembered="short"
    )
    assert answer.text == "根据记忆（2024-05-03）：原话：“我每天早上7点起床跑步。”"


def test_chinese_question_quotes_memory(embedder: BaseEmbedder) -> None:
    generator = RecordingGenerator()
    answer = Responder(generator=generator, embedder=embedder).answer(
        "我现在体重多少？", RetrievalResult(query="q", items=[WEIGHT])
    )
    assert answer.mode == "quote" and "45 kg" in answer.text and "今天称重45kg" in answer.text
    assert generator.prompts == []


def test_a_chinese_memory_is_near_a_question_by_one_of_its_clauses(embedder: BaseEmbedder) -> None:
    said = RetrievedItem(id="s", tier="long", text="我血压有点高，医生让我少吃盐。", score=0.8, created_at=WHEN)
    answer = Responder(generator=RecordingGenerator(), embedder=embedder).answer(
        "医生让我注意什么？", RetrievalResult(query="q", items=[said])
    )
    assert answer.text == "根据记忆（2024-05-03）：原话：“我血压有点高，医生让我少吃盐。”"


@pytest.mark.parametrize(
    ("said", "name", "question", "answer"),
    [
        (
            "My name is Tom and I work in London.",
            "Tom",
            "Where do I work?",
            'You told me: "My name is Tom and I work in London." (2024-05-03).',
        ),
        ("我叫李明，在北京工作。", "李明", "我在哪里工作？", "根据记忆（2024-05-03）：原话：“我叫李明，在北京工作。”"),
    ],
)
def test_a_facts_words_say_another_thing_by_a_clause_of_theirs(
    embedder: BaseEmbedder, said: str, name: str, question: str, answer: str
) -> None:
    """A message that holds the name says where the user works in its second clause: quoted for
    the employer no fact holds, not "You haven't told me"."""
    fact = RetrievedItem(id="n", tier="long", text=said, score=0.8, created_at=WHEN, key="user.name", value=name)
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    assert responder.answer(question, RetrievalResult(query="q", items=[fact])).text == answer


def test_a_relation_not_told_of_is_named_as_said() -> None:
    assert not_told(frozenset({"mother_in_law"}), "Where does my mother-in-law live?") == (
        "You haven't told me anything about your mother-in-law yet."
    )
    assert not_told(frozenset({"emma"}), "Where does Emma live?") == "You haven't told me anything about Emma yet."


def test_chinese_statement_confirms_what_was_stored() -> None:
    assert quote(None, "mid: weight = 45 kg") == "好的，已记住：mid: weight = 45 kg。"
    assert quote(None, None) == "我没有找到相关的记忆。"


def test_no_retrieval_hides_memories(embedder: BaseEmbedder) -> None:
    generator = RecordingGenerator()
    answer = Responder(generator=generator, embedder=embedder).answer(
        "How much do I weigh now?", RetrievalResult(query="q", items=[WEIGHT]), use_retrieval=False
    )
    assert answer.mode == "local" and answer.cited == []
    assert generator.prompts[0][0]["content"] == "How much do I weigh now?"


def test_chat_model_gets_memories_in_system_prompt() -> None:
    model = GenericFakeChatModel(messages=iter([AIMessage(content="You weigh 45 kg.")]))
    answer = Responder(chat_model=model).answer("How much do I weigh?", RetrievalResult(query="q", items=[WEIGHT]))
    assert answer.mode == "chat_model" and answer.text == "You weigh 45 kg." and answer.cited == ["w"]


def test_fact_answer_for_other_subjects() -> None:
    item = WEIGHT.model_copy(update={"key": "anna.lives_in", "value": "Paris", "history": []})
    assert fact_answer(item) == "Anna's home city is Paris (as of 2024-05-03)."


def test_stored_statement_is_confirmed_not_generated(embedder: BaseEmbedder) -> None:
    generator = RecordingGenerator()
    responder = Responder(generator=generator, embedder=embedder)
    result = RetrievalResult(query="q", items=[WEIGHT])
    answer = responder.answer("I weighed 45 kg this morning.", result, remembered="mid: weight = 45 kg")
    assert answer.mode == "confirm" and answer.text == "Noted, I'll remember that (mid: weight = 45 kg)."
    hike = "I loved the Alps, where should I hike next?"
    asked = responder.answer(hike, RetrievalResult(query="q", items=[HIKE]), remembered="short")
    assert asked.mode == "local"  # a statement that also asks something is answered
    assert generator.prompts and f"Question: {hike}" in generator.prompts[-1][0]["content"]


def test_small_talk_reaches_the_model_without_memories(embedder: BaseEmbedder) -> None:
    generator = RecordingGenerator()
    answer = Responder(generator=generator, embedder=embedder).answer(
        "Haha, that's funny.", RetrievalResult(query="q", items=[HIKE, WEIGHT])
    )
    assert answer.mode == "local" and answer.cited == [] and "small talk" in answer.reason
    assert generator.prompts[0][0]["content"] == "Haha, that's funny."


HOME = RetrievedItem(
    id="o", tier="long", text="I live in Oslo", score=0.9, created_at=WHEN, key="user.lives_in", value="Oslo"
)


def test_a_fact_asked_for_the_natural_way_is_answered_from_the_fact(embedder: BaseEmbedder) -> None:
    generator = RecordingGenerator()
    responder = Responder(generator=generator, embedder=embedder)
    answer = responder.answer("Where do I live?", RetrievalResult(query="q", items=[HIKE, HOME]))
    assert answer.mode == "fact" and answer.text == "Your home city is Oslo (as of 2024-05-03)."
    hiking = responder.answer("Where did I go hiking?", RetrievalResult(query="q", items=[HIKE, HOME]))
    assert hiking.text == 'You told me: "I went hiking in the Alps" (2024-05-03).'  # not taken for the home city


SISTER_HOME = RetrievedItem(
    id="s",
    tier="long",
    text="My sister Anna lives in Rome.",
    score=0.95,
    created_at=WHEN,
    key="sister.lives_in",
    value="Rome",
)
WIFE = RetrievedItem(
    id="wf", tier="long", text="我老婆叫王芳", score=0.9, created_at=WHEN, key="user.wife", value="王芳"
)
NAME = RetrievedItem(id="n", tier="long", text="我叫李雷", score=0.99, created_at=WHEN, key="user.name", value="李雷")


def test_a_relation_is_answered_from_its_own_facts_not_the_users(embedder: BaseEmbedder) -> None:
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    items = RetrievalResult(query="q", items=[SISTER_HOME, HOME])
    sister = responder.answer("Where does my sister live?", items)
    assert sister.mode == "fact" and sister.text == "Your sister's home city is Rome (as of 2024-05-03)."
    mine = responder.answer("Where do I live?", items)
    assert mine.mode == "fact" and mine.text == "Your home city is Oslo (as of 2024-05-03)."
    wife = responder.answer("我老婆叫什么名字？", RetrievalResult(query="q", items=[NAME, WIFE]))
    assert wife.mode == "quote" and "王芳" in wife.text and "李雷" not in wife.text


def test_someone_never_mentioned_is_not_answered_from_other_memories(embedder: BaseEmbedder) -> None:
    generator = RecordingGenerator()
    responder = Responder(generator=generator, embedder=embedder)
    items = RetrievalResult(query="q", items=[NAME, HOME, HIKE])
    english = responder.answer("What's my brother's name?", items)
    assert english.mode == "unknown" and english.text == "You haven't told me anything about your brother yet."
    chinese = responder.answer("我弟弟叫什么？", items)
    assert chinese.mode == "unknown" and "兄弟" in chinese.text and "李雷" not in chinese.text
    assert not generator.prompts  # the local model was not asked to make something up
    told = RetrievedItem(id="b", tier="short", text="My brother Tom visited", score=0.4, created_at=WHEN)
    known = responder.answer("What's my brother's name?", RetrievalResult(query="q", items=[told]))
    assert known.text == 'You told me: "My brother Tom visited" (2024-05-03).'  # a memory names him: quoted
    person = responder.answer(
        "How old is my son?",
        RetrievalResult(query="q", items=[HIKE.model_copy(update={"text": "A person asked the reason"})]),
    )
    assert person.mode == "unknown"  # "son" is a word, not a part of "person" or "reason"


def test_a_question_about_a_past_period_gets_the_value_then(embedder: BaseEmbedder) -> None:
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    weight = WEIGHT.model_copy(
        update={
            "created_at": datetime(2024, 6, 10, 8, tzinfo=UTC),
            "value": "76 kg",
            "history": ["78 kg (2024-05-01)"],
            "versions": [FactVersion(value="78 kg", observed_at=datetime(2024, 5, 1, 8, tzinfo=UTC))],
        }
    )
    items = RetrievalResult(query="q", items=[weight])
    now = datetime(2024, 6, 12, 9, tzinfo=UTC)
    then = responder.answer("What was my weight last month?", items, now=now)
    assert then.mode == "fact" and then.text == "Your weight was 78 kg in May 2024 (as of 2024-05-01)."
    current = responder.answer("What's my weight now?", items, now=now)
    assert current.text == "Your weight is 76 kg (as of 2024-06-10; earlier: 78 kg (2024-05-01))."
    before = responder.answer("What was my weight in March?", items, now=now)
    assert before.text == "I have no record of your weight from March 2024 or before."


def test_dates_are_the_askers_days(embedder: BaseEmbedder) -> None:
    shanghai = timezone(timedelta(hours=8))
    morning = WEIGHT.model_copy(update={"created_at": datetime(2024, 5, 2, 23, 30, tzinfo=UTC), "history": []})
    items = RetrievalResult(query="q", items=[morning])
    evening = datetime(2024, 5, 3, 20, tzinfo=shanghai)
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    assert (
        responder.answer("How much do I weigh?", items, now=evening).text == "Your weight is 45 kg (as of 2024-05-03)."
    )
    assert "（2024-05-03）" in responder.answer("我现在体重多少？", items, now=evening).text
    assert responder.answer("How much do I weigh?", items).text.endswith("(as of 2024-05-02).")  # UTC without a now


def test_a_fact_never_told_is_not_made_up(embedder: BaseEmbedder) -> None:
    generator = RecordingGenerator()
    responder = Responder(generator=generator, embedder=embedder)
    items = RetrievalResult(query="q", items=[HIKE, NAME])
    where = responder.answer("Where do I live?", items)
    assert where.mode == "unknown" and where.text == "You haven't told me your home city yet."
    assert responder.answer("我住在哪里？", items).text == "你还没有告诉过我你的居住城市。"
    assert responder.answer("How much do I weigh now?", items).text == "You haven't told me your weight yet."
    assert not generator.prompts
    hiking = responder.answer("Where did I go hiking?", items)
    assert hiking.mode == "quote"  # no fact of the user's is asked for: the memory that says it answers
    told = responder.answer("Where do I live?", RetrievalResult(query="q", items=[HIKE, HOME]))
    assert told.mode == "fact"


def test_a_question_about_someone_else_is_not_taken_for_the_users_fact(embedder: BaseEmbedder) -> None:
    generator = RecordingGenerator()
    answer = Responder(generator=generator, embedder=embedder).answer(
        "How old is Caroline?", RetrievalResult(query="q", items=[HIKE])
    )
    assert (answer.mode, answer.text) == ("unknown", "You haven't told me anything about Caroline yet.")


def test_a_plan_is_told_by_its_day_in_the_right_tense(embedder: BaseEmbedder) -> None:
    exam = RetrievedItem(
        id="e", tier="mid", text="I have an exam tomorrow.", score=1.0, created_at=WHEN,
        key="user.plan_exam", value="tomorrow (4 May 2024)",
    )  # fmt: skip
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    later = responder.answer(
        "When was my exam?", RetrievalResult(query="q", items=[exam]), now=datetime(2024, 5, 20, tzinfo=UTC)
    )
    assert later.text == 'Your exam was on 4 May 2024 (as of 2024-05-03: "tomorrow").'
    before = responder.answer("When is my exam?", RetrievalResult(query="q", items=[exam]), now=WHEN)
    assert before.text == 'Your exam is on 4 May 2024 (as of 2024-05-03: "tomorrow").'


def test_chinese_quotes_the_users_own_current_fact(embedder: BaseEmbedder) -> None:
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    friend = RetrievedItem(
        id="f", tier="long", text="我朋友说他对猫过敏", score=1.0, created_at=WHEN, key="friend.allergy", value="猫"
    )
    mine = responder.answer("我对什么过敏？", RetrievalResult(query="q", items=[friend]))
    assert mine.text == "我没有找到相关的记忆。"  # the friend's allergy is not the user's
    dose = RetrievedItem(
        id="d", tier="mid", text="医生把布洛芬减到每天200毫克", score=0.5, created_at=WHEN,
        key="user.medication", value="布洛芬 200mg",
    )  # fmt: skip
    said_before = RetrievedItem(
        id="o", tier="mid", text="我在吃布洛芬，每天400毫克", score=0.9, created_at=WHEN, kind="episode"
    )
    current = responder.answer("布洛芬我吃多少？", RetrievalResult(query="q", items=[said_before, dose]))
    assert "布洛芬 200mg" in current.text and "400" not in current.text


def test_chinese_question_about_a_past_period_quotes_the_value_then(embedder: BaseEmbedder) -> None:
    weight = WEIGHT.model_copy(
        update={
            "created_at": datetime(2024, 6, 10, 8, tzinfo=UTC),
            "value": "76 kg",
            "versions": [FactVersion(value="78 kg", observed_at=datetime(2024, 5, 1, 8, tzinfo=UTC))],
        }
    )
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    answer = responder.answer(
        "我上个月体重多少？", RetrievalResult(query="q", items=[weight]), now=datetime(2024, 6, 12, tzinfo=UTC)
    )
    assert answer.text == "根据记忆（2024-05-01）：May 2024时 体重 = 78 kg"


def test_a_yes_no_question_is_answered_from_the_fact_it_names(embedder: BaseEmbedder) -> None:
    diet = RetrievedItem(
        id="v", tier="long", text="I'm no longer vegetarian.", score=1.0, created_at=WHEN,
        key="user.diet_identity", value="no longer vegetarian", history=["vegetarian (2024-05-01)"],
    )  # fmt: skip
    answer = Responder(generator=RecordingGenerator(), embedder=embedder).answer(
        "Am I vegetarian?", RetrievalResult(query="q", items=[HIKE, diet])
    )
    assert answer.mode == "fact" and answer.text.startswith("Your diet is no longer vegetarian")


def test_where_i_work_is_not_answered_with_the_home_city(embedder: BaseEmbedder) -> None:
    answer = Responder(generator=RecordingGenerator(), embedder=embedder).answer(
        "Where do I work?", RetrievalResult(query="q", items=[HOME, HIKE])
    )
    assert answer.mode != "fact" and "Oslo" not in answer.text


def test_chinese_quotes_nothing_rather_than_an_unrelated_memory(embedder: BaseEmbedder) -> None:
    run = RetrievedItem(id="r", tier="short", text="今天跑了10公里", score=1.0, created_at=WHEN)
    car = RetrievedItem(id="c", tier="short", text="我买了一辆特斯拉", score=1.0, created_at=WHEN)
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    assert responder.answer("我开什么车？", RetrievalResult(query="q", items=[run])).text == "我没有找到相关的记忆。"
    assert "特斯拉" in responder.answer("我开什么车？", RetrievalResult(query="q", items=[car])).text


def test_chinese_never_quotes_an_earlier_question_as_a_memory(embedder: BaseEmbedder) -> None:
    asked = RetrievedItem(id="q", tier="short", text="我开什么车？", score=1.0, created_at=WHEN)
    car = RetrievedItem(id="c", tier="short", text="我买了一辆特斯拉", score=0.9, created_at=WHEN)
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    only_asked = responder.answer("我开的是什么车？", RetrievalResult(query="q", items=[asked]))
    assert only_asked.text == "我没有找到相关的记忆。" and only_asked.cited == []
    both = responder.answer("我开的是什么车？", RetrievalResult(query="q", items=[asked, car]))
    assert "特斯拉" in both.text and both.cited == ["c"]


def test_the_newest_partner_answers_and_an_ended_relation_reads_as_one(embedder: BaseEmbedder) -> None:
    emma = RetrievedItem(
        id="e", tier="long", text="My girlfriend Emma lives in Leeds.", score=1.0, created_at=WHEN,
        key="user.girlfriend", value="Emma",
    )  # fmt: skip
    sophie = emma.model_copy(
        update={"id": "s", "key": "user.partner", "value": "Sophie", "created_at": datetime(2024, 6, 5, tzinfo=UTC)}
    )
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    answer = responder.answer("Who is my girlfriend?", RetrievalResult(query="q", items=[emma, sophie]))
    assert "Sophie" in answer.text and "Emma" not in answer.text
    single = sophie.model_copy(update={"value": "no longer has a partner"})
    assert fact_answer(single) == "You no longer have a partner (as of 2024-06-05)."


def test_yes_no_questions_name_a_pet_or_an_earlier_value(embedder: BaseEmbedder) -> None:
    dogs = RetrievedItem(
        id="d", tier="long", text="I've got two dogs, Max and Bella.", score=1.0, created_at=WHEN,
        key="user.dog", value="Max and Bella",
    )  # fmt: skip
    job = RetrievedItem(
        id="j", tier="long", text="I joined Microsoft", score=1.0, created_at=WHEN, key="user.employer",
        value="Microsoft", versions=[FactVersion(value="Google", observed_at=datetime(2024, 1, 1, tzinfo=UTC))],
    )  # fmt: skip
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    assert "Max and Bella" in responder.answer("Do I have a dog?", RetrievalResult(query="q", items=[HIKE, dogs])).text
    google = responder.answer("Did I work at Google?", RetrievalResult(query="q", items=[HIKE, job])).text
    assert "Microsoft" in google and "Google" in google


SISTER = RetrievedItem(
    id="sn", tier="long", text="My sister is Anna", score=0.9, created_at=WHEN, key="user.sister", value="Anna"
)


def test_a_relation_is_asked_about_by_its_name_and_never_told_facts_are_not_made_up(embedder: BaseEmbedder) -> None:
    generator = RecordingGenerator()
    responder = Responder(generator=generator, embedder=embedder)
    items = RetrievalResult(query="q", items=[SISTER, SISTER_HOME, HOME])
    where = responder.answer("Where does Anna live?", items)
    assert where.mode == "fact" and where.text == "Your sister's home city is Rome (as of 2024-05-03)."
    wife = responder.answer("王芳住在哪里？", RetrievalResult(query="q", items=[WIFE, HOME]))
    assert wife.mode == "unknown" and wife.text == "你还没有告诉过我你妻子的居住城市。"  # not the user's home city
    who = responder.answer("Is Anna my sister?", items)
    assert who.mode == "fact" and "Anna" in who.text  # the name is what is asked: kept
    # a fact of hers never told is not made up, nor answered with another of hers
    age = responder.answer("How old is my sister?", items)
    assert age.mode == "unknown" and age.text == "You haven't told me your sister's age yet."
    named = responder.answer("How old is Anna?", items)
    assert named.text == age.text
    job = responder.answer("What is my sister's job?", items)
    assert job.text == "You haven't told me your sister's occupation yet."  # not her employer, nor her city
    allergy = responder.answer("Is my sister allergic to anything?", items)
    assert allergy.mode == "unknown" and "Anna" not in allergy.text  # not "your sister is Anna"
    assert not generator.prompts
    assert responder.answer("Where does my sister live?", items).mode == "fact"


def test_a_yes_no_question_about_one_allergy_or_condition_says_which(embedder: BaseEmbedder) -> None:
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    allergy = SISTER.model_copy(
        update={
            "text": "I'm no longer allergic to eggs",
            "key": "user.allergy",
            "value": "peanuts",
            "versions": [FactVersion(value="eggs and peanuts", observed_at=WHEN - timedelta(days=9))],
        }
    )
    items = RetrievalResult(query="q", items=[allergy])
    assert (
        responder.answer("Am I allergic to peanuts?", items).text
        == "Yes, you are allergic to peanuts (as of 2024-05-03)."
    )
    assert (
        responder.answer("Am I allergic to eggs?", items).text
        == "No, you are no longer allergic to eggs (as of 2024-05-03)."
    )
    sister = SISTER.model_copy(update={"text": "My sister has asthma", "key": "sister.condition", "value": "asthma"})
    answer = responder.answer("Does my sister have asthma?", RetrievalResult(query="q", items=[sister]))
    assert answer.mode == "fact" and answer.text == "Yes, your sister has asthma (as of 2024-05-03)."


def _fact(key: str, value: str, text: str) -> RetrievedItem:
    return RetrievedItem(id=key, tier="long", text=text, score=0.9, created_at=WHEN, key=key, value=value)


ALLERGY = _fact("user.allergy", "peanuts", "I'm allergic to peanuts")


def test_a_yes_no_question_is_read_as_the_allergy_or_condition_it_names() -> None:
    assert asked_fact("Am I allergic to cats?") == ("user.allergy", "cats")
    assert asked_fact("Is my dad allergic to shellfish?") == ("father.allergy", "shellfish")
    assert asked_fact("Does my sister have diabetes?") == ("sister.condition", "diabetes")
    assert asked_fact("我有哮喘吗？") == ("user.condition", "哮喘")
    for question in ("Am I allergic to anything?", "Do I have any allergies?", "Do I have a dog?", "I have asthma"):
        assert asked_fact(question) is None, question


def test_an_allergy_or_condition_never_told_is_not_confirmed(embedder: BaseEmbedder) -> None:
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    items = RetrievalResult(query="q", items=[ALLERGY, HIKE])
    answer = responder.answer("Am I allergic to cats?", items)
    assert answer.mode == "fact"
    assert answer.text == "Not that you've told me: you are allergic to peanuts (as of 2024-05-03)."
    answer = responder.answer("Do I have asthma?", items)
    assert (answer.mode, answer.text) == ("unknown", "Not that you've told me: I have no memory of your conditions.")
    sister = _fact("sister.allergy", "eggs and milk", "My sister is allergic to eggs and milk")
    answer = responder.answer("Is my sister allergic to cats?", RetrievalResult(query="q", items=[sister, ALLERGY]))
    assert answer.text == "Not that you've told me: your sister is allergic to eggs and milk (as of 2024-05-03)."
    assert responder.answer("Am I allergic to anything?", items).text.startswith("Your allergy is peanuts (")


def test_a_chinese_yes_no_question_about_an_allergy_is_answered_in_chinese(embedder: BaseEmbedder) -> None:
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    items = RetrievalResult(query="q", items=[_fact("user.allergy", "花生", "我对花生过敏")])
    assert responder.answer("我对花生过敏吗？", items).text == "是的，你对花生过敏（截至 2024-05-03）。"
    answer = responder.answer("我对猫过敏吗？", items)
    assert answer.text == "据我所知没有：你没有告诉过我你对猫过敏；你说过你对花生过敏（截至 2024-05-03）。"
    assert responder.answer("我有哮喘吗？", items).text == "据我所知没有：你没有告诉过我你有哮喘。"


def test_a_memory_that_says_it_is_read_not_denied(embedder: BaseEmbedder) -> None:
    generator = RecordingGenerator()
    responder = Responder(generator=generator, embedder=embedder)
    said = RetrievedItem(id="e", tier="short", text="Emma has asthma", score=0.5, created_at=WHEN)
    asked = RetrievedItem(id="q", tier="short", text="Do I have asthma?", score=0.5, created_at=WHEN)
    girlfriend = _fact("user.girlfriend", "Emma", "My girlfriend is Emma")
    items = RetrievalResult(query="q", items=[girlfriend, said, asked])
    answer = responder.answer("Does Emma have asthma?", items)  # quoted: an allergy or illness is not guessed
    assert (answer.mode, answer.text) == ("quote", 'You told me: "Emma has asthma" (2024-05-03).')
    # the user's own: "Emma has asthma" is hers, and a question says nothing
    answer = responder.answer("Do I have asthma?", items)
    assert (answer.mode, answer.text) == ("unknown", "Not that you've told me: I have no memory of your conditions.")


def test_short_and_numbered_values_are_matched_by_their_words(embedder: BaseEmbedder) -> None:
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    soy = _fact("user.allergy", "soy and cat", "I'm allergic to soy and my cat")
    assert responder.answer("Am I allergic to soy?", RetrievalResult(query="q", items=[soy])).text.startswith(
        "Yes, you are allergic to soy"
    )
    assert responder.answer("Am I allergic to cats?", RetrievalResult(query="q", items=[soy])).text.startswith(
        "Yes, you are allergic to cat"
    )
    cat = _fact("user.allergy", "猫", "我对猫过敏")
    assert responder.answer("我对猫过敏吗？", RetrievalResult(query="q", items=[cat])).text.startswith(
        "是的，你对猫过敏"
    )
    diabetes = RetrievalResult(query="q", items=[_fact("user.condition", "type 2 diabetes", "I have type 2 diabetes")])
    assert responder.answer("Do I have diabetes?", diabetes).text.startswith("Yes, you have type 2 diabetes")
    assert responder.answer("Do I have type 1 diabetes?", diabetes).text.startswith(
        "Not that you've told me: you have type 2 diabetes"
    )


def test_a_yes_no_question_that_asks_no_allergy_is_never_answered_yes(embedder: BaseEmbedder) -> None:
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    milk = RetrievalResult(query="q", items=[_fact("user.allergy", "eggs, milk and peanuts", "I'm allergic to ...")])
    assert not responder.answer("Is milk good for me?", milk).text.startswith("Yes")
    girlfriend = _fact("user.girlfriend", "Emma", "My girlfriend is Emma")
    cats = _fact("girlfriend.allergy", "cats", "Emma is allergic to cats")
    answer = responder.answer("Does Emma have asthma?", RetrievalResult(query="q", items=[girlfriend, cats]))
    assert answer.text == "Not that you've told me: I have no memory of your girlfriend's conditions."


def test_health_conditions_never_told_are_not_made_up(embedder: BaseEmbedder) -> None:
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    items = RetrievalResult(query="q", items=[ALLERGY, HIKE])
    for question in ("Do I have any health conditions?", "What illnesses do I have?"):
        answer = responder.answer(question, items)
        assert (answer.mode, answer.text) == ("unknown", "You haven't told me your condition yet."), question
    asthma = _fact("user.condition", "asthma", "I have asthma")
    answer = responder.answer("Do I have any health conditions?", RetrievalResult(query="q", items=[asthma]))
    assert answer.text.startswith("Your condition is asthma")


def test_values_in_another_script_are_told_not_denied(embedder: BaseEmbedder) -> None:
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    eggs = RetrievalResult(query="q", items=[_fact("user.allergy", "eggs", "I'm allergic to eggs")])
    assert responder.answer("我对花生过敏吗？", eggs).text == "你说过你对eggs过敏（截至 2024-05-03）。"
    peanuts = RetrievalResult(query="q", items=[_fact("user.allergy", "花生", "我对花生过敏")])
    assert (
        responder.answer("Am I allergic to eggs?", peanuts).text
        == "You told me you are allergic to 花生 (as of 2024-05-03)."
    )


def test_may_i_questions_naming_an_allergy_get_the_allergy(embedder: BaseEmbedder) -> None:
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    items = RetrievalResult(query="q", items=[HIKE, _fact("user.allergy", "eggs and peanuts", "I'm allergic to ...")])
    for question in ("Can I eat peanuts?", "Should I avoid eggs?", "Is it safe for me to eat peanut butter?"):
        answer = responder.answer(question, items)
        assert (answer.mode, answer.text) == ("fact", "Your allergies are eggs and peanuts (as of 2024-05-03)."), (
            question
        )
    assert responder.answer("Can I go hiking in the Alps?", items).mode == "local"
    three = RetrievalResult(query="q", items=[_fact("user.allergy", "shellfish, tree nuts, eggs", "I'm allergic to")])
    assert responder.answer("What are my allergies?", three).text == (
        "Your allergies are shellfish, tree nuts and eggs (as of 2024-05-03)."
    )


@pytest.mark.parametrize(
    ("message", "reply"),
    [("你好", "你好！有什么想让我记住或想问的吗？"), ("谢谢你", "不客气！"), ("拜拜", "再见！"), ("哈哈", "好的。")],
)
def test_chinese_small_talk_is_replied_in_kind_not_told_no_memory_was_found(
    embedder: BaseEmbedder, message: str, reply: str
) -> None:
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    answer = responder.answer(message, RetrievalResult(query=message, items=[HOME]))
    assert answer.text == reply and answer.mode == "confirm" and answer.cited == []
    assert answer.reason == "Chinese small talk, replied in kind"


def test_what_someone_does_asks_their_occupation_not_their_name(embedder: BaseEmbedder) -> None:
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    brother = RetrievedItem(
        id="b", tier="long", text="My brother Sam just moved to Denver", score=0.9, created_at=WHEN,
        key="user.brother", value="Sam",
    )  # fmt: skip
    asked = responder.answer("What does my brother do?", RetrievalResult(query="q", items=[brother]))
    assert asked.text == "You haven't told me your brother's occupation yet."
    assert "Sam" in responder.answer("Who is my brother?", RetrievalResult(query="q", items=[brother])).text


@pytest.mark.parametrize(
    ("text", "kind", "said"),
    [
        ("Yesterday I went to a concert", "message", "Yesterday (2 May 2024) I went to a concert"),
        (
            "We visited my parents last weekend",
            "message",
            "We visited my parents last weekend (27 April 2024 - 28 April 2024)",
        ),
        ("I ran 5k today", "message", "I ran 5k today"),  # the quote's own day says it
        ("I moved in on 3 March 2020", "message", "I moved in on 3 March 2020"),
        ("[2 May 2024] yesterday (1 May 2024) I went out", "episode", "[2 May 2024] yesterday (1 May 2024) I went out"),
    ],
)
def test_a_quote_dates_its_relative_times_as_of_when_it_was_said(text: str, kind: str, said: str) -> None:
    item = RetrievedItem(id="q", tier="mid", text=text, score=0.5, created_at=WHEN.replace(hour=9), kind=kind)
    assert told(item) == f'You told me: "{said}" (2024-05-03).'


def test_a_thing_asked_by_name_that_the_fact_is_not_is_quoted_from_the_memory_naming_it(
    embedder: BaseEmbedder,
) -> None:
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    said = "I'm a nurse at St. Mary's and I work night shifts"
    job = _fact("user.occupation", "nurse", said)
    message = RetrievedItem(id="m", tier="mid", text=said, score=0.8, created_at=WHEN)
    items = RetrievalResult(query="q", items=[job, message])
    assert responder.answer("What shifts do I work?", items).text.startswith(f'You told me: "{said}"')
    for asked in ("What job do I have?", "What's my role?", "What is my job title?"):
        assert responder.answer(asked, items).text.startswith("Your occupation is nurse")
    car = _fact("user.car", "Toyota", "I drive a red Toyota")
    assert responder.answer("What car do I drive?", RetrievalResult(query="q", items=[car])).text.startswith(
        "Your car is Toyota"
    )
    dislike = _fact("user.dislike", "cilantro", "I hate cilantro")
    food = RetrievedItem(id="f", tier="mid", text="I love Thai food", score=0.8, created_at=WHEN)
    answer = responder.answer("What food do I dislike?", RetrievalResult(query="q", items=[dislike, food]))
    assert answer.text.startswith("You dislike cilantro")  # "food" is what the dislike is asked by
    subaru = _fact("user.car", "Subaru Outback", "My car is a blue 2018 Subaru Outback.")
    for question in ("What color is my car?", "What year is my car?"):  # no aspect the fact holds: its words
        answer = responder.answer(question, RetrievalResult(query="q", items=[subaru]))
        assert answer.text == 'You told me: "My car is a blue 2018 Subaru Outback." (2024-05-03).'
    answer = responder.answer("What car do I drive?", RetrievalResult(query="q", items=[subaru]))
    assert answer.text.startswith("Your car is Subaru Outback")
    for question in ("What's my car's color?", "What is my car model?"):  # the thing said last, after whose
        answer = responder.answer(question, RetrievalResult(query="q", items=[subaru]))
        assert answer.text == 'You told me: "My car is a blue 2018 Subaru Outback." (2024-05-03).', question
    metformin = _fact("user.medication", "metformin", "My doctor put me on metformin, 500mg twice a day.")
    answer = responder.answer("What's my metformin dose?", RetrievalResult(query="q", items=[metformin]))
    assert answer.text == 'You told me: "My doctor put me on metformin, 500mg twice a day." (2024-05-03).'
    for question in ("What's my current weight?", "What are my cats called?"):  # no other thing asked
        assert asked_aspect(question, _fact("user.weight", "80 kg", "I weigh 80 kg")) is None


def test_a_fact_all_an_episodes_line_says_is_no_answer_for_another(embedder: BaseEmbedder) -> None:
    """ "My wife is Anna." in an episode says nothing of her job: "What's my wife's job?" is not told it."""
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    lines = "3 May 2024\nI drive a blue Honda Civic.\nMy wife is Anna.\nMy dog Rex is a beagle."
    episode = RetrievedItem(id="e", tier="mid", kind="episode", text=lines, score=0.8, created_at=WHEN)
    wife = _fact("user.wife", "Anna", "My wife is Anna.")
    answer = responder.answer("What's my wife's job?", RetrievalResult(query="q", items=[episode, wife]))
    assert answer.text == "You haven't told me your wife's occupation yet."


def test_a_pets_breed_is_asked_as_what_kind_it_is(embedder: BaseEmbedder) -> None:
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    said = "Our dog Biscuit is a beagle"
    items = RetrievalResult(query="q", items=[_fact("dog.breed", "beagle", said), _fact("user.dog", "Biscuit", said)])
    for question in ("What breed is my dog?", "What kind of dog do I have?", "What kind of dog is Biscuit?"):
        assert responder.answer(question, items).text == "Your dog's breed is beagle (as of 2024-05-03).", question
    assert responder.answer("Do I have a dog?", items).text == "Your dog is Biscuit (as of 2024-05-03)."


def test_what_kind_of_a_thing_held_is_asked_is_answered_by_the_fact_holding_it(embedder: BaseEmbedder) -> None:
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    condition = _fact("user.condition", "type 1 diabetes", "I have type 1 diabetes")
    sugar = _fact("user.blood_sugar", "140", "My blood sugar this morning was 140")
    items = RetrievalResult(query="q", items=[sugar, condition])
    assert responder.answer("What kind of diabetes do I have?", items).text == (
        "Your condition is type 1 diabetes (as of 2024-05-03)."
    )
    assert responder.answer("What's my blood sugar?", items).text.startswith("Your blood sugar is 140")


def test_a_message_that_tells_of_someone_is_noted_not_chatted_about() -> None:
    responder = Responder(generator=RecordingGenerator())
    empty = RetrievalResult(query="q", items=[])
    for message in (
        "Karl is a chef.",
        "Their son Max is 4.",
        "Anna just got engaged!",
        "Eli plays basketball and Sam is into chess.",
    ):
        answer = responder.answer(message, empty)
        assert (answer.text, answer.mode) == ("Noted.", "confirm"), message
    for message in ("Hello there", "It is raining", "Is Karl a chef?", "Thanks for the help"):
        assert responder.answer(message, empty).mode == "local", message
    assert responder.answer("Karl is a chef.", empty, use_retrieval=False).mode == "local"  # the weights alone


def test_the_major_is_asked_as_what_one_studied(embedder: BaseEmbedder) -> None:
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    said = "I graduated from UCLA in 2015 with a degree in economics."
    items = RetrievalResult(
        query="q", items=[_fact("user.major", "economics", said), _fact("user.school", "UCLA", said)]
    )
    for question in ("What did I study?", "What's my major?"):
        assert responder.answer(question, items).text == "Your major is economics (as of 2024-05-03).", question
    assert responder.answer("我的专业是什么？", items).text.startswith("根据记忆（2024-05-03）：专业 = economics")
    assert responder.answer("Where did I go to college?", items).text == "Your school is UCLA (as of 2024-05-03)."


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("Who is Max's coach?", 'You told me: "Max\'s coach is Mr. Rivera."'),
        ("What's my son's name?", "Your son is Max"),  # the name is what the fact holds
    ],
)
def test_a_relations_fact_answers_no_question_for_another_thing_of_theirs(
    embedder: BaseEmbedder, question: str, answer: str
) -> None:
    son = _fact("user.son", "Max", "My son Max has a soccer game every Saturday at 10.")
    coach = RetrievedItem(id="c", tier="long", text="Max's coach is Mr. Rivera.", score=0.8, created_at=WHEN)
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    assert responder.answer(question, RetrievalResult(query="q", items=[son, coach])).text.startswith(answer)


def test_a_partner_left_by_name_is_told_so() -> None:
    jess = _fact("user.girlfriend", "no longer Jess", "I broke up with my girlfriend Jess.")
    assert fact_answer(jess) == "You are no longer with Jess, your girlfriend (as of 2024-05-03)."
    gone = _fact("user.boyfriend", "no longer has a boyfriend", "My boyfriend dumped me.")
    assert fact_answer(gone) == "You no longer have a boyfriend (as of 2024-05-03)."
