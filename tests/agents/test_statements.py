"""Which clauses of a message state something about its speaker."""

from datetime import UTC, datetime

import pytest
from tiermem.agents.extract import extract_facts
from tiermem.agents.statements import is_forget_request, is_question, is_request, sentences, stated_clauses


def _stated(text: str) -> list[str]:
    return [clause.text for clause in stated_clauses(text)]


def test_a_decimal_point_ends_no_sentence() -> None:
    assert sentences("I weigh 45.5 kg. Feeling good!") == ["I weigh 45.5 kg.", "Feeling good!"]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("I'm allergic to peanuts, is pad thai safe?", ["I'm allergic to peanuts"]),
        ("我对海鲜过敏，能吃寿司吗？", ["我对海鲜过敏"]),
        ("Since I live in Oslo, where should I hike this weekend?", ["Since I live in Oslo"]),
        ("I'm allergic to cats, dogs and pollen", ["I'm allergic to cats, dogs and pollen"]),
        ("my weight: 72,5 kg", ["my weight: 72,5 kg"]),
    ],
)
def test_a_statement_beside_a_question_is_kept(text: str, kept: list[str]) -> None:
    assert _stated(text) == kept


@pytest.mark.parametrize(
    "text",
    [
        "Where do I live again",
        "what am I allergic to",
        "tell me my birthday",
        "Give me my schedule",
        "show me all my allergies",
        "我叫什么名字",
        "我多重",
        "我住哪来着",
    ],
)
def test_questions_without_a_question_mark(text: str) -> None:
    assert is_question(text) and _stated(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "If I lived in Tokyo I'd eat sushi every day",
        "If I were rich, I would live in Monaco",
        "I wish I lived in Lisbon",
        "如果我住在上海，夏天会很热吧",
        "Imagine I'm allergic to gluten",
    ],
)
def test_suppositions_state_nothing(text: str) -> None:
    assert _stated(text) == []


def test_a_clause_of_time_is_no_question() -> None:
    assert _stated("When I woke up I weighed 80 kg") == ["When I woke up I weighed 80 kg"]
    assert is_question("when is my flight") and not is_question("When I was a kid I lived in Rome")


def test_a_condition_elsewhere_leaves_the_statement() -> None:
    assert _stated("Tell me if I should bring anything, I'm vegan") == ["I'm vegan"]
    assert _stated("Job interview on Monday, wish me luck") == ["Job interview on Monday", "wish me luck"]


@pytest.mark.parametrize(
    "text",
    [
        'Translate to German: "I live in Rome and I work as a nurse"',
        "帮我翻译这句话：我住在成都，我是一名老师",
        "My friend texted me: “I'm allergic to kiwi”",
        "帮我translate: I'm allergic to dust mites",
        "帮我把这句话翻译成英文：我住在北京，我明天要去出差",
        "请把下面这段话改写一下：我住在成都",
    ],
)
def test_quoted_words_are_not_the_speakers(text: str) -> None:
    assert not any("live" in c or "allergic" in c or "住在" in c for c in _stated(text))


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Write me a limerick about a cat who hates mondays", []),
        ("can u translate 'my daughter is allergic to bees' into german", []),
        ("帮我写个朋友圈文案，关于周末去露营的", []),
        ("Tell me a joke about accountants, I am one so I can take it", ["I am one so I can take it"]),
        ("帮我写个文案，我是护士", ["我是护士"]),
        ("Write me a poem, also I'm a nurse", ["also I'm a nurse"]),
        ("Write down that I'm allergic to peanuts", ["Write down that I'm allergic to peanuts"]),
        ("I write novels for a living", ["I write novels for a living"]),
    ],
)
def test_requests_state_nothing_until_the_speaker_speaks_of_themselves(text: str, kept: list[str]) -> None:
    assert _stated(text) == kept


@pytest.mark.parametrize(
    ("text", "forget"),
    [
        ("forget that I live in Paris", True),
        ("Please don't remember my weight", True),
        ("Delete the note about my allergy", True),
        ("请忘记我的体重", True),
        ("别记我的体重了", True),
        ("Actually don't remember anything about my ex", True),
        ("别记错了", False),
        ("不要记住我住在哪里", True),
        ("Don't forget my birthday is June 5", False),
        ("I always forget my keys", False),
        ("Remove the onions, I'm allergic", False),
        ("忘记带钥匙了", False),
        ("Please don't save this, but my password is hunter2", True),
        ("Don't store this: I weigh 90kg", True),
        ("Do not save this, I'm pregnant", True),
        ("don't write this down: my PIN is 4821", True),
        ("You don't need to remember this, my code is 55", True),
        ("Don’t keep this, my salary is 90k", True),
        ("Off the record, I was fired last week", True),
        ("不要保存：我的密码是123456", True),
        ("别存这个，我怀孕了", True),
        ("不要记录我的体重", True),
        ("Don't forget to buy milk", False),
        ("I don't remember my password", False),
        ("I don't keep pets", False),
        ("Don't save money in a bank, I invest it", False),
        ("我要存钱买房", False),
        ("delete whatever I said about my ex", True),
        ("Remove anything I told you about my job", True),
        ("remove all i mentioned about my sister", True),
        ("Delete the file", False),
        ("I deleted what I said on Twitter", False),
        ("Delete my address.", True),  # a memory assistant's own things: "my" and what it names, no more
        ("Please remove my phone number", True),
        ("Can you delete my weight?", True),
        ("Delete my address and phone number", True),
        ("删除我的地址", True),
        ("帮我删掉我的电话号码", True),
        ("Remove my name from the list", False),  # from somewhere else
        ("How do I delete my account?", False),
        ("我想删除我的微信", False),
    ],
)
def test_requests_to_forget(text: str, forget: bool) -> None:
    assert is_forget_request(text) is forget
    if forget:
        assert _stated(text) == []


@pytest.mark.parametrize(
    ("text", "theirs", "kept"),
    [
        ("He said: my name is Bob and I live in Paris.", "Bob", []),
        ("The song goes: I live in a yellow submarine.", "submarine", []),
        ("他说：我住在北京", "北京", []),
        ("我妈说：你又胖了\nI weigh 60 kg", "胖", ["I weigh 60 kg"]),  # their words end with the line
    ],
)
def test_someone_elses_words_after_a_colon_are_not_the_speakers(text: str, theirs: str, kept: list[str]) -> None:
    assert _stated(text) == kept and not any(theirs in clause for clause in _stated(text))


def test_the_speakers_own_words_after_a_colon_are_theirs() -> None:
    assert _stated("我把书翻译完了：我住在北京") == ["我把书翻译完了：我住在北京"]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("我从来没说过我住在上海啊", []),
        ("I never said I live in Shanghai", []),
        ("I didn't tell you I was married", []),
        ("I never said that, I live in Oslo.", ["I live in Oslo."]),
        ("我没说过我住在上海，我住在杭州", ["我住在杭州"]),
        ("I said I live in Oslo", ["I said I live in Oslo"]),
    ],
)
def test_a_denial_of_having_said_something_states_it_not(text: str, kept: list[str]) -> None:
    assert _stated(text) == kept
    assert _stated("I told him: I'm allergic to nuts") == ["I told him: I'm allergic to nuts"]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("As my mom says, I'm a night owl", []),
        ("The song goes, I live in a yellow submarine", []),
        ("I'm tired. As my dad always says, I'm a real engineer", ["I'm tired."]),
    ],
)
def test_words_after_who_says_them_are_theirs(text: str, kept: list[str]) -> None:
    assert _stated(text) == kept


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("My name isn't Carol, it's Cara.", ["My name isn't Carol, it's Cara."]),
        ("我在吃二甲双胍，每天500毫克", ["我在吃二甲双胍，每天500毫克"]),
        ("It's late, it's raining", ["It's late", "it's raining"]),  # no negation: two clauses
        ("I was allergic to eggs, but not anymore", ["I was allergic to eggs, but not anymore"]),
        ("I was vegan, not anymore.", ["I was vegan, not anymore."]),
        ("I like cats, but not dogs", ["I like cats", "but not dogs"]),  # says more than "no more"
    ],
)
def test_a_clause_that_goes_on_with_the_one_before(text: str, kept: list[str]) -> None:
    assert _stated(text) == kept


def test_a_request_is_told_from_a_statement() -> None:
    assert (
        is_request("Recommend me a song") and is_request("can you write me a limerick") and is_request("帮我写个文案")
    )
    assert not is_request("I recommended the book to my sister") and not is_request("My boss gave me a raise")


def test_an_emoji_ends_a_sentence_before_a_new_one() -> None:
    text = "My son starts kindergarten tomorrow and I'm nervous 😅 Any tips for the morning?"
    assert sentences(text) == ["My son starts kindergarten tomorrow and I'm nervous 😅", "Any tips for the morning?"]
    assert _stated(text) == ["My son starts kindergarten tomorrow and I'm nervous 😅"]
    assert sentences("I love it 😍 so much") == ["I love it 😍 so much"]  # no new sentence after it


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("Can you remember that my locker code is 4512?", False),
        ("Please note that I moved to Lyon", False),
        ("Remind me to call the plumber tomorrow.", False),
        ("Remind me what my locker code is", True),
        ("Can you remember where I parked?", True),
        ("Can you help me?", True),
    ],
)
def test_a_request_to_keep_what_it_says_asks_nothing(text: str, question: bool) -> None:
    assert is_question(text) is question


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("My sister, who lives in Berlin, is a nurse.", ["My sister is a nurse.", "My sister lives in Berlin"]),
        ("My daughter Mia, who is 8, loves dinosaurs.", ["My daughter Mia loves dinosaurs.", "My daughter Mia is 8"]),
        ("We have a son, Vihaan, who is 2", ["We have a son, Vihaan, who is 2"]),
        ("I met Tom, who works at Google.", ["I met Tom, who works at Google."]),
        ("There's someone at the door, who is it?", ["There's someone at the door"]),
    ],
)
def test_a_relative_clause_between_commas_is_said_of_its_subject(text: str, kept: list[str]) -> None:
    assert _stated(text) == kept


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("We have a son, Vihaan, who is 2", {"user.son": "Vihaan", "son.age": "2"}),
        ("My sister, who lives in Berlin, is a nurse.", {"sister.occupation": "nurse", "sister.lives_in": "Berlin"}),
        (
            "My brother, who is a doctor, lives in Boston and I live in Paris.",
            {"brother.lives_in": "Boston", "user.lives_in": "Paris", "brother.occupation": "doctor"},
        ),
    ],
)
def test_the_facts_of_a_relative_clause(text: str, facts: dict[str, str]) -> None:
    assert {fact.key: fact.value for fact, _ in extract_facts(text, datetime(2024, 5, 3, tzinfo=UTC))} == facts
