from datetime import UTC, datetime, timedelta

import pytest
from agent_helpers import RecordingGenerator
from tiermem.agents.allergy_caution import allergy_caution
from tiermem.agents.forgetting import ForgetPlan, ForgetTarget
from tiermem.agents.grounded import about_user
from tiermem.agents.listings import everything
from tiermem.agents.replies import NO_CHINESE, forget_reply
from tiermem.agents.responder import Responder
from tiermem.agents.retriever import RetrievalResult, RetrievedItem
from tiermem.agents.statements import asks_not_to_keep
from tiermem.memory.embeddings import BaseEmbedder

WHEN = datetime(2024, 5, 3, 8, tzinfo=UTC)


def _said(text: str, days: int = 0, *, kind: str = "message", key: str = "", value: str = "") -> RetrievedItem:
    return RetrievedItem(
        id=text[:12], tier="short", text=text, score=0.9, created_at=WHEN + timedelta(days=days), kind=kind,
        key=key, value=value,
    )  # fmt: skip


SAID = [
    _said("I parked on level 3, spot B12"),
    _said("My salary is $85,000 a year"),
    _said("My rent is 1200 euros a month"),
    _said("I got a raise, I now make $95k", 14),
    _said("My friend Tom is a doctor"),
    _said("The wifi password here is sunflower88"),
    _said("My car has a flat tire"),
    _said("Jake's wife is expecting twins"),
    _said("Our team standup is at 9:30 every morning"),
    _said("I had a job interview at Apple"),
]


def _ask(responder: Responder, question: str, items: list[RetrievedItem] = SAID) -> str:
    return responder.answer(question, RetrievalResult(query=question, items=items)).text


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("Where did I park?", 'You told me: "I parked on level 3, spot B12" (2024-05-03).'),
        ("What's my rent?", 'You told me: "My rent is 1200 euros a month" (2024-05-03).'),
        (  # a newer memory nearly as near is quoted first: it may say the same thing since
            "What's my salary?",
            'You told me: "I got a raise, I now make $95k" (2024-05-17); also: "My salary is $85,000 a year" '
            "(2024-05-03).",
        ),
        ("What does Tom do?", 'You told me: "My friend Tom is a doctor" (2024-05-03).'),  # someone named
        ("What's the wifi password?", 'You told me: "The wifi password here is sunflower88" (2024-05-03).'),
        ("When are the twins due?", 'You told me: "Jake\'s wife is expecting twins" (2024-05-03).'),  # "due" asks
        ("When is standup?", 'You told me: "Our team standup is at 9:30 every morning" (2024-05-03).'),  # no "the"
        ("What time is standup?", 'You told me: "Our team standup is at 9:30 every morning" (2024-05-03).'),
        ("How did the interview go?", 'You told me: "I had a job interview at Apple" (2024-05-03).'),
        ("What's my PIN?", "You haven't told me that yet."),  # about the user, and no memory says it
        ("When is my flight?", "You haven't told me that yet."),
    ],
)
def test_a_question_no_fact_answers_is_answered_with_the_memory_that_says_it(
    responder: Responder, generator: RecordingGenerator, question: str, answer: str
) -> None:
    assert _ask(responder, question) == answer
    assert not generator.prompts  # the local model would guess


@pytest.mark.parametrize(
    "question",
    [
        "What is the capital of France?",  # no one's: the model's to answer
        "How do I fix a flat tire?",  # advice, not what was told (0.67 from "My car has a flat tire")
        "What should I cook tonight?",
        "What is love?",  # a thing without its article asks about no one: only a time of it may
    ],
)
def test_a_question_about_no_one_is_left_to_the_model(
    responder: Responder, generator: RecordingGenerator, question: str
) -> None:
    assert _ask(responder, question) == "generated" and len(generator.prompts) == 1


def test_a_thing_asked_by_which_it_is_is_quoted_from_the_line_that_names_which(responder: Responder) -> None:
    """ "What's my flight number?" is nearer "My passport number is ..." by its words: the line that
    names a flight says it; "What's my passport number?" is not told the phone number held."""
    episode = _said(
        "3 May 2024\nMy flight to Lisbon is UA 123 on June 14, departing at 7:45am.\nMy passport number is X1234567.",
        kind="episode",
    )
    phone = _said("My phone number is 555-0199.", key="user.phone_number", value="555-0199")
    assert _ask(responder, "What's my flight number?", [episode, phone]) == (
        'You told me: "My flight to Lisbon is UA 123 on June 14, departing at 7:45am." (2024-05-03).'
    )
    assert _ask(responder, "What's my passport number?", [phone, episode]) == (
        'You told me: "My passport number is X1234567." (2024-05-03).'
    )
    assert _ask(responder, "What's my cell phone number?", [phone, episode]).startswith("Your phone number is 555-0199")


def test_a_correction_that_no_fact_took_is_quoted_with_what_it_corrects(responder: Responder) -> None:
    """ "Sorry, I meant Tuesday evenings, not Thursday" changed no fact (the class is none): the words
    it corrects are quoted with it, the correction first."""
    episode = _said(
        "3 May 2024\nMy yoga class is on Thursday evenings.\nSorry, I meant Tuesday evenings, not Thursday.",
        kind="episode",
    )
    expected = (
        'You told me: "Sorry, I meant Tuesday evenings, not Thursday." (2024-05-03); also: "My yoga class is on '
        'Thursday evenings." (2024-05-03).'
    )
    assert _ask(responder, "When is my yoga class?", [episode]) == expected
    assert _ask(responder, "What day is yoga?", [episode]) == expected


def test_a_pets_fact_of_another_thing_is_no_answer_and_the_line_of_more_words_asked_is_quoted(
    responder: Responder,
) -> None:
    """ "When is Coco's vet appointment?" is not told Coco's age; of the lines that name her or her
    appointment, the one that says both the vet and the appointment is quoted."""
    dog = _said("We adopted a puppy named Coco last week. She's a golden retriever.", key="user.dog", value="Coco")
    age = _said("Coco is 10 weeks old.", key="dog.age", value="10 weeks")
    episode = _said(
        "3 May 2024\nWe adopted a puppy named Coco last week. She's a golden retriever.\nCoco is 10 weeks old."
        "\nHer vet appointment is on Monday.",
        kind="episode",
    )
    answer = _ask(responder, "When is Coco's vet appointment?", [dog, age, episode])
    assert answer == 'You told me: "Her vet appointment is on Monday." (2024-05-03).'


def test_how_long_is_answered_by_the_line_that_says_a_span_of_time(responder: Responder) -> None:
    """ "How long is my mom staying?" is nearer the visit's words; the line that says for how long is quoted."""
    episode = _said("3 May 2024\nMy mom is visiting from Ohio next Tuesday.\nShe's staying for a week.", kind="episode")
    assert _ask(responder, "How long is my mom staying?", [episode]) == (
        'You told me: "She\'s staying for a week." (2024-05-03).'
    )


def test_where_is_answered_by_the_line_that_names_a_place(responder: Responder) -> None:
    """ "Where do I teach?" is nearer "I teach math to 10th graders"; the line that names the school
    (a teacher teaches) is quoted."""
    lines = [
        _said("I teach math to 10th graders."),
        _said("I'm a teacher at Lincoln High School."),
        _said("I've been teaching for 12 years."),
    ]
    assert _ask(responder, "Where do I teach?", lines) == (
        'You told me: "I\'m a teacher at Lincoln High School." (2024-05-03).'
    )


def test_an_episode_is_quoted_by_the_line_that_says_it(responder: Responder) -> None:
    episode = _said("3 May 2024\nI parked on level 3\nWhere am I right now?\nI'm at the airport", kind="episode")
    assert _ask(responder, "Where did I park?", [episode]) == 'You told me: "I parked on level 3" (2024-05-03).'


def test_a_question_stored_says_nothing(responder: Responder) -> None:
    asked = _said("Where did I park?")
    asked_before = _said("3 May 2024\nWhere did I park?\nWhat's my rent?", kind="episode")
    assert _ask(responder, "Where did I park?", [asked, asked_before]) == "You haven't told me that yet."


def test_a_message_that_states_and_asks_is_not_told_it_was_never_said(
    responder: Responder, generator: RecordingGenerator
) -> None:
    answer = responder.answer(
        "I'm at the cafe. Where am I?", RetrievalResult(query="q", items=[]), remembered="short"
    )  # its own words are no retrieved memory
    assert answer.mode == "local" and generator.prompts


def test_everything_remembered_lists_the_facts_then_the_memories(responder: Responder) -> None:
    items = [
        _said("I live in Oslo", key="user.lives_in", value="Oslo"),
        _said("I love jazz"),
        _said("Where did I park?"),  # a question is nothing told
        _said("I'm allergic to peanuts", key="user.allergy", value="peanuts"),
    ]
    assert _ask(responder, "What do you know about me?", items) == (
        "Here is what I remember: Your home city is Oslo (as of 2024-05-03). Your allergy is peanuts (as of "
        '2024-05-03). You also told me: "I love jazz" (2024-05-03).'
    )
    assert _ask(responder, "你知道我的什么？", items[:1]) == "我记得你告诉过我：居住城市 = Oslo（2024-05-03）。"
    assert _ask(responder, "Tell me everything you remember about me", []) == (
        "You haven't told me anything about yourself yet."
    )
    assert everything("What do you know about Paris?", items) is None


def test_advice_questions_are_not_about_what_the_user_told() -> None:
    assert about_user("Where did I park?") and about_user("What do I do?") and about_user("How old am I?")
    assert not about_user("How do I fix a flat tire?") and not about_user("Where can I buy milk?")
    assert not about_user("What is the capital of France?")
    assert about_user("How did I break my arm?") and about_user("How did I meet my wife?")  # the past: told


def test_a_newer_memory_less_near_is_not_quoted_first(responder: Responder) -> None:
    salary_then_rent = [SAID[1], SAID[2].model_copy(update={"created_at": WHEN + timedelta(minutes=2)})]
    assert _ask(responder, "How much do I earn?", salary_then_rent) == (
        'You told me: "My salary is $85,000 a year" (2024-05-03).'
    )


@pytest.mark.parametrize(
    ("message", "reply"),
    [
        ("Please don't save this, but my password is hunter2", "OK, I won't keep that."),
        ("Off the record, I hate my boss", "OK, I won't keep that."),
        ("不要保存这个，我的密码是123", "好的，这条我不会保存。"),
        ("forget it", 'Tell me which memory to forget, for example "forget my address"; nothing was forgotten.'),
    ],
)
def test_a_request_not_to_keep_is_told_it_was_not_kept(message: str, reply: str) -> None:
    vague = ForgetPlan(asked="it", targets=[], reason="names nothing", vague=True)
    assert forget_reply(vague, message) == reply
    assert asks_not_to_keep(message) is reply.startswith(("OK", "好的"))


@pytest.mark.parametrize(
    ("message", "asked", "starts"),
    [
        ("Forget everything you know about me", "everything you know about me", "I can't erase all your memories"),
        ("Please forget all my memories", "all my memories", "I can't erase all your memories"),
        ("忘掉关于我的一切", "关于我的一切", "我不能在对话中删除你的全部记忆"),
        ("forget that", "that", "Tell me which memory to forget"),
    ],
)
def test_a_request_to_forget_everything_points_to_erasing_the_user(message: str, asked: str, starts: str) -> None:
    plan = ForgetPlan(asked=asked, targets=[], reason="names nothing", vague=True)
    reply = forget_reply(plan, message)
    assert reply.startswith(starts)
    assert ("memories erase" in reply) is plan.wholesale


def test_an_age_is_counted_from_the_birth_year_held(responder: Responder) -> None:
    year = _said("I was born on March 3, 1990", key="user.birth_year", value="1990")
    day = _said("I was born on March 3, 1990", key="user.birthday", value="March 3")
    asked = datetime(2024, 5, 3, 8, tzinfo=UTC)
    answer = responder.answer("How old am I?", RetrievalResult(query="q", items=[year, day]), now=asked)
    assert answer.text == "You are 34: you were born on 3 March 1990 (as of 2024-05-03)."
    before = responder.answer(
        "How old am I?", RetrievalResult(query="q", items=[year, day]), now=asked.replace(month=2)
    )
    assert before.text.startswith("You are 33:")
    only_year = responder.answer("How old am I?", RetrievalResult(query="q", items=[year]), now=asked)
    assert only_year.text == "You are 33 or 34: you were born in 1990 (as of 2024-05-03)."


def test_a_relations_age_is_counted_from_their_birth_year(responder: Responder) -> None:
    year = _said("My mom was born in 1958.", key="mother.birth_year", value="1958")
    mine = _said("I was born in 1990", key="user.birth_year", value="1990")
    asked = datetime(2024, 5, 3, 8, tzinfo=UTC)
    answer = responder.answer("How old is my mom?", RetrievalResult(query="q", items=[mine, year]), now=asked)
    assert answer.text == "Your mother is 65 or 66: born in 1958 (as of 2024-05-03)."


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("How old is Ava?", "I have two kids, Liam who is 8 and Ava who is 5."),
        ("How old is Lucy?", "Our kids are Ben, 10, and Lucy, 7."),
        ("How old is Tom?", None),  # nothing says his age: no quote of his dog
    ],
)
def test_an_age_asked_is_quoted_from_a_memory_that_says_one(
    responder: Responder, question: str, quoted: str | None
) -> None:
    kids = _said("I have two kids, Liam who is 8 and Ava who is 5.")
    allergy = _said("Ava is allergic to strawberries.")
    dog = _said("Tom has a dog named Rex.")
    answer = _ask(responder, question, [allergy, dog, kids, _said("Our kids are Ben, 10, and Lucy, 7.")])
    assert (quoted in answer) if quoted else ("Rex" not in answer and "strawberries" not in answer)


def test_a_secret_left_out_of_an_episode_is_nothing_said(responder: Responder) -> None:
    episode = _said("3 May 2024\n[a secret, not kept]\nWhat's the wifi password?", kind="episode")
    assert _ask(responder, "What's my password?", [episode]).startswith("I don't keep passwords, PINs")


def test_a_newer_memory_that_names_the_same_thing_is_quoted_first(responder: Responder) -> None:
    toyota = [_said("I drive a Toyota"), _said("I sold my Toyota and bought a Honda", 1), _said("I love jazz", 2)]
    assert _ask(responder, "What car do I drive?", toyota) == (
        'You told me: "I sold my Toyota and bought a Honda" (2024-05-04); also: "I drive a Toyota" (2024-05-03).'
    )


def test_a_memory_said_again_in_an_episode_is_one_memory(responder: Responder) -> None:
    salary = _said("My salary is $85,000 a year")
    episode = _said("3 May 2024\nMy salary is $85,000 a year\nMy rent is 1200 euros a month", kind="episode")
    raise_ = _said("I got a raise, I now make $95k", 14)
    assert _ask(responder, "What's my salary?", [salary, episode, raise_]).startswith(
        'You told me: "I got a raise, I now make $95k" (2024-05-17); also: "My salary is $85,000 a year"'
    )


def test_a_name_is_not_answered_by_a_memory_that_names_no_one(responder: Responder) -> None:
    assert _ask(responder, "What's my boss's name?", [_said("My boss is mean")]) == "You haven't told me that yet."
    assert _ask(responder, "What's my dog's name?", [_said("My sister's dog is called Max")]) == (
        "You haven't told me that yet."  # the sister's dog, not the user's
    )


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("Do I have a dog?", "You haven't told me that yet."),
        ("What's my dog called?", "You haven't told me that yet."),
        ("我的狗叫什么？", "我没有找到相关的记忆。"),
        ("我有狗吗？", "我没有找到相关的记忆。"),
    ],
)
def test_someone_elses_thing_is_not_quoted_as_the_users(responder: Responder, question: str, answer: str) -> None:
    said = [_said("My sister's dog is called Max"), _said("我姐姐的狗叫旺财")]  # hers, not the user's
    assert _ask(responder, question, said) == answer


def test_the_users_own_thing_and_a_relations_are_still_quoted(responder: Responder) -> None:
    said = [_said("My sister's dog is called Max"), _said("I have a dog named Rex", 1)]
    assert _ask(responder, "Do I have a dog?", said) == 'You told me: "I have a dog named Rex" (2024-05-04).'
    assert _ask(responder, "What's my sister's dog called?", said[:1]) == (
        'You told me: "My sister\'s dog is called Max" (2024-05-03).'
    )
    assert (
        _ask(responder, "我姐姐的狗叫什么？", [_said("我姐姐的狗叫旺财")])
        == "根据记忆（2024-05-03）：原话：“我姐姐的狗叫旺财”"
    )


@pytest.mark.parametrize(
    "question",
    [
        "What's your name?",
        "Can you help me?",
        "Do you remember me?",
        "What's a good gift idea for my birthday?",
        "Recommend me a song I'd like.",
    ],
)
def test_a_question_to_the_assistant_or_for_advice_is_the_models(
    responder: Responder, generator: RecordingGenerator, question: str
) -> None:
    items = [_said("My name is Sam", key="user.name", value="Sam")]
    assert _ask(responder, question, items) == "generated"
    assert ("Sam" in generator.prompts[0][0]["content"]) is not question.startswith("What's your")


def test_a_request_of_the_assistant_gets_no_memory_it_does_not_name(
    responder: Responder, generator: RecordingGenerator
) -> None:
    """ "Tell me a joke" says "me" of the one asked: no memory of the user goes in the prompt, and
    no "You haven't told me that yet"."""
    assert _ask(responder, "Tell me a joke.", [_said("I'm allergic to bees", key="user.allergy", value="bees")]) == (
        "generated"
    )
    assert "bees" not in generator.prompts[0][0]["content"]


def test_a_fact_no_one_stored_is_quoted_from_the_memory_that_says_it(responder: Responder) -> None:
    spoken = [_said("I speak Portuguese, English and German"), _said("I love jazz")]
    assert _ask(responder, "What languages do I speak?", spoken) == (
        'You told me: "I speak Portuguese, English and German" (2024-05-03).'
    )  # no native_language fact: the memory, not "You haven't told me your native language yet."
    assert _ask(responder, "Where do I live?", spoken) == "You haven't told me your home city yet."


def test_a_question_about_the_user_quotes_no_memory_of_a_relation_alone(responder: Responder) -> None:
    son = _said("我儿子不吃香菜。")
    assert _ask(responder, "我不吃什么？", [son]) == "我没有找到相关的记忆。"
    sister = _said("My sister hates mushrooms and olives")
    assert not _ask(responder, "What foods do I hate?", [sister]).startswith("You told me")


def test_a_name_never_told_is_the_one_the_user_goes_by(responder: Responder) -> None:
    bob = _said("Call me Bob", key="user.preferred_name", value="Bob")
    assert _ask(responder, "What's my name?", [bob]) == "You asked me to call you Bob (as of 2024-05-03)."


def test_a_model_answer_naming_a_held_allergen_carries_a_caution(embedder: BaseEmbedder) -> None:
    responder = Responder(generator=RecordingGenerator("Try peanut butter cups or almond cookies."), embedder=embedder)
    allergy = _said("I'm allergic to nuts", key="user.allergy", value="nuts")
    answer = _ask(responder, "What's a good snack for me?", [allergy])
    assert answer == "Try peanut butter cups or almond cookies. (Careful: you told me you are allergic to nuts.)"
    assert allergy_caution("Try an apple.", [allergy]) == ""
    assert allergy_caution("You are allergic to nuts. Try an apple.", [allergy]) == ""  # it read the allergy
    ended = allergy.model_copy(update={"value": "no longer nuts"})
    assert allergy_caution("Try peanut butter cups.", [ended]) == ""


def test_the_local_models_answer_loses_the_memory_date_it_copied(embedder: BaseEmbedder) -> None:
    responder = Responder(generator=RecordingGenerator("On 2024-05-03: You should rest your knee."), embedder=embedder)
    assert (
        _ask(responder, "Should I run tomorrow?", [_said("I hurt my knee yesterday")]) == "You should rest your knee."
    )


def test_a_chinese_question_quotes_an_episode_by_its_line(responder: Responder) -> None:
    episode = _said("3 May 2024\n我把车停在B2层\n今天好累", kind="episode")
    assert _ask(responder, "我的车停在哪？", [episode]) == "根据记忆（2024-05-03）：原话：“我把车停在B2层”"


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("How many kids do I have?", "Your children are Max and Mia (as of 2024-05-03)."),
        ("Am I married?", "Your husband is Chris (as of 2024-05-03)."),
        ("What's my spouse's name?", "Your husband is Chris (as of 2024-05-03)."),
    ],
)
def test_a_relation_is_asked_about_without_its_word(responder: Responder, question: str, answer: str) -> None:
    items = [
        _said("I have two kids, Max and Mia", key="user.children", value="Max and Mia"),
        _said("My husband is Chris", key="user.husband", value="Chris"),
    ]
    assert _ask(responder, question, items) == answer


@pytest.mark.parametrize(
    ("key", "value", "question", "answer"),
    [
        ("user.cat", "Luna and Milo", "What are my cats called?", "Your cats are Luna and Milo (as of 2024-05-03)."),
        ("user.dog", "Max", "What's my dog's name?", "Your dog is Max (as of 2024-05-03)."),
        (
            "sister.dog",
            "Rex, Bo and Kim",
            "What are my sister's dogs called?",
            "Your sister's dogs are Rex, Bo and Kim (as of 2024-05-03).",
        ),
    ],
)
def test_pets_named_together_are_told_as_several(
    responder: Responder, key: str, value: str, question: str, answer: str
) -> None:
    assert _ask(responder, question, [_said(f"names: {value}", key=key, value=value)]) == answer


def test_a_move_is_told_by_where_it_goes(responder: Responder) -> None:
    move = _said("I'm moving to Denver next month.", key="user.plan_move", value="Denver next month (June 2024)")
    assert _ask(responder, "Where am I moving?", [move]) == (
        "Your move is to Denver next month (June 2024) (as of 2024-05-03)."
    )


@pytest.mark.parametrize("question", ["Who am I dating?", "Am I in a relationship?", "Am I single?"])
def test_a_partner_is_asked_about_as_whom_one_dates(responder: Responder, question: str) -> None:
    amy = _said("I started dating a woman named Amy", key="user.partner", value="Amy")
    assert _ask(responder, question, [amy]) == "Your partner is Amy (as of 2024-05-03)."


@pytest.mark.parametrize("question", ["怎么做红烧肉？", "你叫什么名字？"])
def test_a_chinese_question_about_no_ones_memories_says_the_model_cannot_answer_it(
    responder: Responder, question: str
) -> None:
    answer = responder.answer(question, RetrievalResult(query=question, items=[_said("I love jazz")]))
    assert (answer.mode, answer.text) == ("unknown", NO_CHINESE)
    assert _ask(responder, "我开什么车？", [_said("I love jazz")]) == "我没有找到相关的记忆。"  # about the user


def test_a_chinese_question_for_a_thing_by_its_name_quotes_a_relations_memory_that_names_it(
    responder: Responder,
) -> None:
    """预产期是什么时候？ asks of no one, and the memory that says it is of the wife: quoted."""
    said = _said("我老婆怀孕了，预产期是十月。")
    assert (
        _ask(responder, "预产期是什么时候？", [said]) == "根据记忆（2024-05-03）：原话：“我老婆怀孕了，预产期是十月。”"
    )
    answer = responder.answer("怎么做红烧肉？", RetrievalResult(query="q", items=[said]))
    assert (answer.mode, answer.text) == ("unknown", NO_CHINESE)


def test_a_forget_names_the_facts_it_forgot_and_counts_the_other_memories() -> None:
    home = ForgetTarget(id="f", memory="lives_in = Oslo", said="Oslo", fact=True)
    said = (("a", "My ex Tom texts me"), ("b", "Tom is rude"))
    texts = [ForgetTarget(id=i, memory=f'"{t}"', said=t) for i, t in said]
    plan = ForgetPlan(asked="my ex", targets=[home, *texts], reason="names them")
    both = "Done: I've forgotten your home city and 2 memories that said it."
    assert forget_reply(plan, "Forget about my ex") == both
    one = plan.model_copy(update={"targets": texts[:1]})
    assert forget_reply(one, "forget my ex") == "Done: I've forgotten 1 memory."
    assert forget_reply(plan, "忘掉我的前任") == "好的，已经忘记：你的居住城市，以及2条记忆。"
    sister = [
        ForgetTarget(id=k, memory=f"{k} = [forgotten]", said="x", fact=True) for k in ("sister.lives_in", "sister")
    ]
    versions = [ForgetTarget(id=str(i), memory="weight = [forgotten]", said="x", fact=True) for i in range(2)]
    told = forget_reply(plan.model_copy(update={"targets": sister + versions}), "Forget everything about my sister")
    assert told == "Done: I've forgotten your sister's home city, your sister and your weight."  # no value, once each


@pytest.mark.parametrize(
    ("question", "items", "first"),
    [
        (  # the thing named again in lower case, and less near than the older words
            "What car do I drive?",
            [_said("I drive a 2015 Honda Civic"), _said("sold the civic, got a Tesla Model 3 now", 17)],
            "sold the civic, got a Tesla Model 3 now",
        ),
        (  # a word the question says too, where the newer words say they change it
            "What's my best 5k time?",
            [_said("my best 5k time is 24:30"), _said("new PR! 23:50 on the 5k today", 16)],
            "new PR! 23:50 on the 5k today",
        ),
        (  # a later line of the same session
            "When is my flight to Tokyo?",
            [
                _said(
                    "4 May 2024\nI'm flying to Tokyo on December 20\nactually the flight got moved to December 22",
                    kind="episode",
                )
            ],  # fmt: skip
            "actually the flight got moved to December 22",
        ),
    ],
)
def test_newer_words_that_may_change_the_nearest_are_quoted_first(
    responder: Responder, question: str, items: list[RetrievedItem], first: str
) -> None:
    assert _ask(responder, question, items).startswith(f'You told me: "{first}"')


def test_newer_words_that_share_only_what_the_question_asks_are_not_an_update(responder: Responder) -> None:
    food = [_said("my favorite food is sushi"), _said("my favorite color is blue", 3)]
    assert _ask(responder, "What's my favorite food?", food) == 'You told me: "my favorite food is sushi" (2024-05-03).'


def test_a_fact_no_one_stored_is_quoted_from_another_facts_words(responder: Responder) -> None:
    height = _said("I'm 5'10\" and I weigh 165 lbs", key="user.height", value="5 ft 10 in")
    assert _ask(responder, "What's my weight?", [height]) == (
        'You told me: "I\'m 5\'10" and I weigh 165 lbs" (2024-05-03).'
    )
    assert _ask(responder, "Where do I live?", [height]) == "You haven't told me your home city yet."


def test_a_relations_fact_is_not_quoted_from_anothers_words(responder: Responder) -> None:
    said = [_said("my dad is called Robert", key="user.father", value="Robert"), _said("my mom's birthday is March 3")]
    assert _ask(responder, "When is my dad's birthday?", said) == "You haven't told me your father's birthday yet."
    assert _ask(responder, "When is my mom's birthday?", said) == (
        'You told me: "my mom\'s birthday is March 3" (2024-05-03).'
    )


def test_a_chinese_question_for_a_fact_no_one_stored_quotes_the_memory_that_says_it(responder: Responder) -> None:
    assert (
        _ask(responder, "我会说哪些语言？", [_said("我会说英语和日语")])
        == "根据记忆（2024-05-03）：原话：“我会说英语和日语”"
    )
    assert _ask(responder, "我叫什么名字？", [_said("我女儿叫小雨", key="user.daughter", value="小雨")]) != (
        "根据记忆（2024-05-03）：原话：“我女儿叫小雨”"
    )


def test_a_general_question_is_not_given_memories_far_from_it(
    responder: Responder, generator: RecordingGenerator
) -> None:
    allergy = _said("I'm allergic to penicillin", key="user.allergy", value="penicillin")
    assert _ask(responder, "What is the capital of Australia?", [allergy]) == "generated"
    assert "penicillin" not in generator.prompts[-1][0]["content"]
    _ask(responder, "Who is lactose intolerant?", [_said("my daughter Mia is lactose intolerant")])
    assert "Mia" in generator.prompts[-1][0]["content"]


def test_a_relations_fact_no_one_stored_is_quoted_from_the_words_of_one_held(responder: Responder) -> None:
    emma = _said("My daughter Emma turns 7 on December 14th", key="user.daughter", value="Emma")
    assert _ask(responder, "When is my daughter's birthday?", [emma]) == (
        'You told me: "My daughter Emma turns 7 on December 14th" (2024-05-03).'
    )
    named = _said("My daughter is Emma", key="user.daughter", value="Emma")  # says no more than her name
    assert _ask(responder, "When is my daughter's birthday?", [named]) == (
        "You haven't told me your daughter's birthday yet."
    )


def test_a_relations_fact_is_quoted_from_a_fact_whose_words_name_them(responder: Responder) -> None:
    cat = _said("我养了一只猫，叫咪咪", key="user.pet_name", value="咪咪")
    assert _ask(responder, "我的猫叫什么名字？", [cat]) == "根据记忆（2024-05-03）：原话：“我养了一只猫，叫咪咪”"


def test_who_someone_named_is_is_quoted_from_a_memory_that_names_them(responder: Responder) -> None:
    rex = _said("my password hint is my first dog's name, Rex")
    assert _ask(responder, "Who is Rex?", [rex]) == (
        'You told me: "my password hint is my first dog\'s name, Rex" (2024-05-03).'
    )
    assert _ask(responder, "Who is Tom?", [rex]) == "generated"  # no memory names him: the model's


def test_a_place_a_general_question_asks_about_is_no_one_a_memory_names(responder: Responder) -> None:
    france = [_said("I visited France last year"), _said("My friend Tom lives in Paris")]
    assert _ask(responder, "What is the capital of France?", france) == "generated"
    assert _ask(responder, "What's the weather like in Paris?", france) == "generated"
    assert _ask(responder, "Where does Tom live?", france) == (
        'You told me: "My friend Tom lives in Paris" (2024-05-03).'
    )


def test_a_facts_words_are_dated_as_of_when_they_were_said_and_quoted_once(responder: Responder) -> None:
    """The fact held from last Monday (its ``created_at``), the user said it today (``said_at``)."""
    said = "I started a new job at Google last Monday."
    fact = RetrievedItem(
        id="f", tier="mid", text=said, score=0.9, created_at=datetime(2024, 4, 29, tzinfo=UTC), said_at=WHEN,
        key="user.employer", value="Google", kind="fact",
    )  # fmt: skip
    episode = _said(f"3 May 2024\n{said[:-1]} (29 April 2024).", kind="episode")
    asked = "When did I start at Google?"
    expected = 'You told me: "I started a new job at Google last Monday (29 April 2024)." (2024-05-03).'
    for items in ([fact, episode], [fact]):
        assert responder.answer(asked, RetrievalResult(query=asked, items=items), now=WHEN).text == expected


def test_words_a_forget_masked_are_quoted_for_nothing(responder: Responder) -> None:
    """ "Forget my weight" masks it in "I weigh [forgotten] pounds": no quote of the mask, not told."""
    masked = [_said("I'm 5'9\" and I weigh [forgotten] pounds."), _said("I parked on level 3")]
    assert _ask(responder, "How much do I weigh?", masked) == "You haven't told me your weight yet."
    assert _ask(responder, "Where did I park?", masked) == 'You told me: "I parked on level 3" (2024-05-03).'


def test_a_taste_not_asked_is_quoted_for_nothing(responder: Responder) -> None:
    """What one dislikes says nothing of what one likes, in words or in an episode's line."""
    episode = _said("3 May 2024\n我不喜欢吃辣。\nI walk to work.", kind="episode")
    for question, answer in [
        ("我喜欢吃什么？", "你还没有告诉过我你喜欢什么。"),
        ("What foods do I like?", "You haven't told me what you like yet."),
    ]:
        assert _ask(responder, question, [episode, _said("I hate olives.")]) == answer


def test_small_talk_quotes_no_memory(responder: Responder, generator: RecordingGenerator) -> None:
    """ "How are you today?" asks the assistant, not what was said today; 你好 is a greeting in kind."""
    hello = [_said("Hello!")]
    assert _ask(responder, "How are you today?", hello) == "generated"
    assert _ask(responder, "你好", hello) == "你好！有什么想让我记住或想问的吗？"
