from datetime import UTC, datetime

import pytest
from tiermem.agents.extract import extract_facts, observed_time
from tiermem.agents.fact_names import owned
from tiermem.agents.replies import fact_answer
from tiermem.agents.retriever import RetrievedItem

NOW = datetime(2024, 5, 3, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "text", "key", "value", "tier"),
    [
        ("en weight", "I weighed 47 kg this morning", "user.weight", "47 kg", "mid"),
        ("zh weight", "今天称重45kg", "user.weight", "45 kg", "mid"),
        ("zh weight jin", "体重是46公斤", "user.weight", "46 kg", "mid"),
        ("en pounds", "I weigh 150 lbs now", "user.weight", "150 lb", "mid"),
        ("en sleep", "I slept 6 hours last night", "user.sleep", "6 h", "mid"),
        ("en blood pressure", "My blood pressure was 130/85", "user.blood_pressure", "130/85", "mid"),
        ("en exam", "I have an exam on the 12th", "user.plan_exam", "on the 12th (12 May 2024)", "mid"),
        ("en allergy", "I'm allergic to peanuts.", "user.allergy", "peanuts", "long"),
        ("zh allergy", "我对花生过敏", "user.allergy", "花生", "long"),
        ("en name", "My name is Alice Smith", "user.name", "Alice Smith", "long"),
        ("zh name", "我叫小明", "user.name", "小明", "long"),
        ("en lives", "I live in Berlin.", "user.lives_in", "Berlin", "long"),
        ("en favourite", "My favorite food is sushi", "user.favorite_food", "sushi", "long"),
    ],
)
def test_extracts(name: str, text: str, key: str, value: str, tier: str) -> None:
    found = {fact.key: (fact.value, t) for fact, t in extract_facts(text, NOW)}
    assert found[key] == (value, tier)


@pytest.mark.parametrize(
    "text",
    [
        "How much do I weigh now?",
        "我现在体重多少？",
        "Hello!",
        "The elephant weighs a lot",
        "My daughter is named after my mother",  # no name said
    ],
)
def test_no_fact_in_questions_and_small_talk(text: str) -> None:
    assert extract_facts(text, NOW) == []


def test_relative_days_move_observation_time() -> None:
    assert observed_time("I slept badly yesterday", NOW).day == 2
    assert observed_time("昨天称重45kg", NOW).day == 2
    assert observed_time("today", NOW) == NOW
    ((fact, _),) = extract_facts("今天称重45kg", NOW)
    assert fact.observed_at == NOW and fact.statement == "今天称重45kg"


@pytest.mark.parametrize(
    "text",
    [
        "我对什么过敏？",
        "我住在哪里？",
        "What am I allergic to?",
        "Where do I live?",
        "我叫什么名字？",
        "Do I live in Berlin?",
    ],
)
def test_questions_state_no_facts(text: str) -> None:
    assert extract_facts(text, NOW) == []


def test_statement_beside_a_question_is_kept() -> None:
    found = extract_facts("I'm allergic to peanuts. What can I eat at the party?", NOW)
    assert [(f.key, f.value) for f, _ in found] == [("user.allergy", "peanuts")]


@pytest.mark.parametrize("gate", ["rule", "trained"])
@pytest.mark.parametrize("text", ["What am I allergic to?", "我对什么过敏？", "我住在哪里？", "Where do I live?"])
def test_pure_questions_are_never_kept_as_mid_or_long(gate: str, text: str) -> None:
    from tiermem.agents.gate import GateInput, create_gate

    decision = create_gate(gate).decide(GateInput(text=text, now=NOW))
    assert decision.tier in ("none", "short") and decision.facts == []


def test_an_interviewer_is_not_an_interview() -> None:
    assert extract_facts("本次对话你扮演一个面试官", NOW) == []
    assert [(f.attribute, t) for f, t in extract_facts("我明天下午有个面试", NOW)] == [("plan_interview", "mid")]


class _Says:
    """A decider that always answers ``tier`` (what the shared rules then do with it)."""

    name = "fixed"

    def __init__(self, tier: str) -> None:
        self.tier = tier

    def decide(self, message: object) -> object:
        from tiermem.agents.gate import GateDecision

        return GateDecision(tier=self.tier, importance=0.5, reason=f"said {self.tier}", decider=self.name)


@pytest.mark.parametrize(
    ("said", "text", "expected", "facts"),
    [
        ("long", "I weigh 45 kg", "mid", ["user.weight = 45 kg"]),
        ("short", "My blood pressure was 120/80 this morning", "mid", ["user.blood_pressure = 120/80"]),
        ("long", "My name is Ann and I weigh 50 kg", "long", []),  # a lasting fact beside the measurement
        ("short", "I have an exam on the 12th", "short", []),  # plans are the decider's call
        ("none", "My temperature is 37.8 C, should I go to work?", "mid", ["user.body_temperature = 37.8 °C"]),
        ("none", "Is 45 kg a healthy weight for me?", "none", []),  # asked, not stated
        ("mid", "I weighed 47 kg", "mid", []),
    ],
)
def test_a_statement_of_measurements_alone_is_mid_term(said: str, text: str, expected: str, facts: list[str]) -> None:
    from tiermem.agents.gate import GateInput, QuestionGuard

    decision = QuestionGuard(_Says(said)).decide(GateInput(text=text, now=NOW))  # type: ignore[arg-type]
    assert decision.tier == expected
    assert [f"{f.key} = {f.value}" for f in decision.facts] == facts
    if expected != said:
        assert decision.importance == 0.6 and f"the fixed gate said {said}" in decision.reason


@pytest.mark.parametrize("gate", ["rule", "trained"])
@pytest.mark.parametrize("text", ["I weigh 45 kg", "My weight is 45 kg", "今天称重45kg"])
def test_every_gate_keeps_a_weight_mid_term(gate: str, text: str) -> None:
    from tiermem.agents.gate import GateInput, create_gate

    decision = create_gate(gate).decide(GateInput(text=text, now=NOW))
    assert decision.tier == "mid" and [f.key for f in decision.facts] == ["user.weight"]


def _facts(text: str) -> dict[str, str]:
    return {fact.key: fact.value for fact, _ in extract_facts(text, NOW)}


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("I weigh 45.5 kg", "user.weight", "45.5 kg"),
        ("今天体重58.3kg", "user.weight", "58.3 kg"),
        ("my weight: 72,5 kg", "user.weight", "72.5 kg"),
        ("My truck weighed 1,250 lbs empty... I weigh 1,200 lbs", "user.weight", "1200 lb"),
        ("Slept 7.5 hours", "user.sleep", "7.5 h"),
        ("I ran 10.2 km this morning", "user.run_distance", "10.2 km"),
        ("I'm now 150 lbs", "user.weight", "150 lb"),
        ("Actually my weight is now 50 kg", "user.weight", "50 kg"),
        ("不对，我现在是46公斤", "user.weight", "46 kg"),
        ("BP 135/90 this morning", "user.blood_pressure", "135/90"),
        ("blood pressure 118 over 76", "user.blood_pressure", "118/76"),
        ("My temperature is 38.5°C", "user.body_temperature", "38.5 °C"),
        ("I'm 182 cm tall", "user.height", "182 cm"),
        ("Yesterday I was 70 kg", "user.weight", "70 kg"),
        ("Weighed myself this morning: 81.4kg", "user.weight", "81.4 kg"),
        ("今天weight是75.3kg", "user.weight", "75.3 kg"),
        ("I only got like 4 hrs of sleep", "user.sleep", "4 h"),
        ("昨晚只睡了五个小时", "user.sleep", "5 h"),
        ("睡了六个半小时", "user.sleep", "6.5 h"),
        ("Ran 10k this morning", "user.run_distance", "10 km"),
        ("上周三跑了10公里", "user.run_distance", "10 km"),
        ("Temp is 38.6 C", "user.body_temperature", "38.6 °C"),
        ("我以前120公斤，现在90公斤了", "user.weight", "90 kg"),
        ("fasting glucose 5.6 mmol/L this morning", "user.blood_sugar", "5.6 mmol/L"),
        ("血糖6.1", "user.blood_sugar", "6.1"),
        ("resting heart rate 58 bpm", "user.heart_rate", "58 bpm"),
        ("Walked 12,000 steps today", "user.steps", "12000"),
        ("今天走了8000步", "user.steps", "8000"),
        ("I'm 34 years old", "user.age", "34"),
        ("我今年28岁", "user.age", "28"),
        ("我现在一百二十斤", "user.weight", "120 jin"),
        ("今天走了一万两千步", "user.steps", "12000"),
        ("体温38度5，要不要请假", "user.body_temperature", "38.5 °C"),
    ],
)
def test_measurements_as_people_write_them(text: str, key: str, value: str) -> None:
    assert _facts(text)[key] == value


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("My husband weighed 90 kg at the doctor's", "husband.weight", "90 kg"),
        ("我老公昨天体重80公斤", "husband.weight", "80 kg"),
        ("My dad's blood pressure was 150/95", "father.blood_pressure", "150/95"),
        ("My sister is allergic to shellfish", "sister.allergy", "shellfish"),
        ("My mom lives in Madrid", "mother.lives_in", "Madrid"),
        ("我老公是程序员", "husband.occupation", "程序员"),
    ],
)
def test_a_relations_fact_is_the_relations(text: str, key: str, value: str) -> None:
    assert _facts(text) == {key: value}


def test_a_relation_named_beside_it_is_named() -> None:
    assert _facts("my brother Sam is allergic to bees") == {"brother.allergy": "bees", "user.brother": "Sam"}


@pytest.mark.parametrize(
    "text",
    [
        "Cats sleep about 15 hours a day",
        "He weighed 70 kg at birth... no, 7 lbs",
        "I used to weigh 100 kg",
        "Training for a marathon, running 50 km a week",
        "My mom is Korean",
        "I live in the moment",
        "我叫外卖了",
        "我是一个很内向的人",
        "My daughter is 7 years old",
        "My name is not Bob",
        "我对花生不过敏",
        "I'm a mess",
        "上周的面试挂了",
    ],
)
def test_no_fact_of_the_speaker(text: str) -> None:
    assert not any(key.startswith("user.") for key in _facts(text))


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("My sister's name is Ana and she lives in Lisbon", "user.sister", "Ana"),
        ("I live in Paris with my husband and two kids", "user.lives_in", "Paris"),
        ("I moved to Lyon last month", "user.lives_in", "Lyon"),
        ("我住在 New York", "user.lives_in", "New York"),
        ("I'm allergic to cats, dogs and pollen", "user.allergy", "cats, dogs and pollen"),
        ("I'm allergic to shrimp btw", "user.allergy", "shrimp"),
        ("my name is jon not John", "user.name", "Jon"),  # capitalised as a name is written
        ("My birthday is actually June 6, not June 5", "user.birthday", "June 6"),
        ("I live in Paris. No wait, I live in Nice now.", "user.lives_in", "Nice"),
        ("My mum is called Linda", "user.mother", "Linda"),
        ("call me Bob", "user.preferred_name", "Bob"),
        ("I just moved to Leeds for my new job", "user.lives_in", "Leeds"),
        ("My birthday's on the 9th of August", "user.birthday", "9th of August"),
        ("Im allergic to strawberries", "user.allergy", "strawberries"),
        ("我是vegetarian", "user.diet_identity", "vegetarian"),
        ("I've got a dentist appointment on the 14th", "user.plan_appointment", "on the 14th (14 May 2024)"),
        ("Moving to Denver at the end of the month", "user.plan_move", "Denver at the end of the month"),
        ("We're flying to Lisbon on June 3rd", "user.plan_trip", "flying to Lisbon on June 3rd (3 June 2024)"),
        (
            "We're going to Italy for our anniversary in August.",
            "user.plan_trip",
            "going to Italy for our anniversary in August (August 2024)",
        ),
        ("I'm planning a trip to Japan in April", "user.plan_trip", "to Japan in April (April 2025)"),
        ("We booked a vacation to Crete for June", "user.plan_trip", "to Crete for June"),
        (
            "I'm getting married on September 14th next year",
            "user.plan_wedding",
            "on September 14th next year (14 September 2025)",
        ),
        ("我们下个月搬到深圳", "user.plan_move", "我们下个月搬到深圳 (June 2024)"),
        ("我上个月刚搬到了苏州", "user.lives_in", "苏州"),
        ("I'm a pediatric nurse, been doing it for 8 years", "user.occupation", "pediatric nurse"),
        ("我是高中数学老师", "user.occupation", "高中数学老师"),
        ("im alergic to shellfish and penicillin", "user.allergy", "shellfish and penicillin"),
        ("My flight to Tokyo leaves on May 17 at 7am", "user.plan_flight", "on May 17 at 7am (17 May 2024)"),
        ("Getting married next October!!", "user.plan_wedding", "next October (October 2024)"),
        ("I have a flight tomorrow at 6am and an exam next week", "user.plan_flight", "tomorrow at 6am (4 May 2024)"),
        ("下周三有个考试", "user.plan_exam", "下周三有个考试 (8 May 2024)"),
        ("我们下周六去杭州玩。", "user.plan_trip", "下周六去杭州玩 (11 May 2024)"),
        ("下周我要去上海", "user.plan_trip", "下周我要去上海 (6 May 2024 - 12 May 2024)"),
        (
            "My vet appointment for Biscuit is next Tuesday at 3pm.",
            "user.plan_appointment",
            "vet appointment for Biscuit is next Tuesday at 3pm (7 May 2024)",
        ),
        (
            "My appointment with Dr. Smith is on Friday",
            "user.plan_appointment",
            "appointment with Dr. Smith is on Friday (10 May 2024)",
        ),
        ("My son is 18 months old", "son.age", "18 months"),
        ("We have a son named Vihaan who is 2.", "son.age", "2"),
        ("My mom, who's 70 years old, lives with us", "mother.age", "70"),
        (
            "We're hosting a dinner party Saturday for 6 people.",
            "user.plan_party",
            "dinner party Saturday for 6 people (4 May 2024)",
        ),
        ("We're having a BBQ on Sunday", "user.plan_bbq", "BBQ on Sunday (5 May 2024)"),
        ("I'm having friends over for dinner on Friday", "user.plan_dinner", "dinner on Friday (10 May 2024)"),
        ("My piano recital is next Friday", "user.plan_recital", "piano recital is next Friday (10 May 2024)"),
        ("Also my husband Raj is vegetarian.", "husband.diet_identity", "vegetarian"),
        ("I moved to Berlin from Madrid three months ago for a job at Zalando.", "user.lives_in", "Berlin"),
        ("I'm 28 and just started my first job as a nurse at Mount Sinai.", "user.employer", "Mount Sinai"),
        ("I'm 28 and just started my first job as a nurse at Mount Sinai.", "user.occupation", "nurse"),
        ("I'm Tom and have a dog named Rex", "user.dog", "Rex"),
        ("My husband Mark works nights as an ER doctor.", "husband.occupation", "ER doctor"),
        ("My husband Mark works night shifts as a nurse.", "husband.occupation", "nurse"),
        ("I work 12-hour shifts as a paramedic.", "user.occupation", "paramedic"),
        ("I moved to Berlin from Madrid three months ago for a job at Zalando.", "user.employer", "Zalando"),
        ("My wife relocated to Austin for a role at Meta", "wife.employer", "Meta"),
        (
            "My dentist appointment... no: my appointment is next Tuesday at 3pm",
            "user.plan_appointment",
            "next Tuesday at 3pm (7 May 2024)",
        ),
    ],
)
def test_values_end_where_their_clause_goes_on(text: str, key: str, value: str) -> None:
    assert _facts(text)[key] == value


def test_a_day_to_come_that_goes_nowhere_new_is_no_trip() -> None:
    for text in (
        "明天去上班",
        "明天去超市买菜",
        "下周一去接孩子",
        "上周我去了杭州",
        "我每周日都去爬山",
        "下周二去医院体检",
    ):
        assert "user.plan_trip" not in _facts(text), text


def test_a_move_to_come_is_a_plan_not_the_home_city() -> None:
    assert "user.lives_in" not in _facts("我们下个月搬到深圳")
    assert "user.lives_in" not in _facts("We're moving to Denver next month")


def test_two_names_in_one_sentence() -> None:
    assert _facts("My cat is called Miso and my dog is called Pepper") == {"user.cat": "Miso", "user.dog": "Pepper"}


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Last week I weighed 70 kg", 28),  # its last day: Sunday 28 April
        ("3 days ago I weighed 71 kg", 30),
        ("I ran 10 km on Sunday", 28),
        ("上周体重65公斤", 28),
        ("大前天睡了5个小时", 30),
        ("I slept 6 hours the night before last", 1),
        ("Yesterday was rough. Today I weigh 69 kg", 3),
        ("上周三跑了10公里", 24),
        ("I weigh 146 pounds now, down from 160 in January", 3),
        ("体重128斤，比上个月瘦了4斤", 3),
        ("Last week, I weighed 70 kg", 28),
    ],
)
def test_time_words_date_the_fact(text: str, day: int) -> None:
    ((fact, _),) = extract_facts(text, NOW)
    assert fact.observed_at.day == day and fact.observed_at.time() == NOW.time()


def test_each_clause_is_dated_by_its_own_time_words() -> None:
    ((fact, _),) = extract_facts("Yesterday I slept badly, today I weigh 69 kg", NOW)
    assert (fact.key, fact.observed_at) == ("user.weight", NOW)


@pytest.mark.parametrize("gate", ["rule", "trained"])
@pytest.mark.parametrize(
    "text", ["forget that I live in Paris", "请忘记我的体重是45kg", "Don't remember this: I weigh 80 kg"]
)
def test_a_request_to_forget_is_kept_nowhere(gate: str, text: str) -> None:
    from tiermem.agents.gate import GateInput, create_gate

    decision = create_gate(gate).decide(GateInput(text=text, now=NOW))
    assert decision.tier == "none" and decision.facts == [] and "forget" in decision.reason


@pytest.mark.parametrize(
    ("numeral", "digits"),
    [
        ("十", "10"),
        ("十二", "12"),
        ("二十五", "25"),
        ("一百二十", "120"),
        ("一百二", "120"),
        ("一万两千", "12000"),
        ("六个半", "6.5"),
    ],
)
def test_chinese_numerals(numeral: str, digits: str) -> None:
    from tiermem.agents.fact_values import zh_number

    assert zh_number(numeral) == digits


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("fav color is teal, for the logo ideas", "user.favorite_color", "teal"),
        ("最喜欢的颜色是紫色", "user.favorite_color", "紫色"),
        ("My daughter Emma turns 7 on the 19th", "user.daughter", "Emma"),
        ("our cat Mochi knocked over my plant", "user.cat", "Mochi"),
        ("My brother Tomás lives in Austin", "brother.lives_in", "Austin"),
        ("I have a sister named Ana", "user.sister", "Ana"),
        ("我养了一只柯基叫可乐🐶", "user.pet_name", "可乐"),
        ("My husband is left-handed", "husband.handedness", "left"),
        ("我是左撇子", "user.handedness", "left"),
        ("我老公花生过敏", "husband.allergy", "花生"),
        ("I take 50mg sertraline every morning", "user.medication", "50mg sertraline"),
        ("我在吃降压药", "user.medication", "降压药"),
        ("I can't stand cilantro, tastes like soap", "user.dislike", "cilantro"),
        ("我最讨厌考试了", "user.dislike", "考试"),
        ("always reply in spanish", "user.reply_language", "spanish"),
        ("以后用英文回答", "user.reply_language", "英文"),
        ("keep your answers short please", "user.reply_style", "short"),
        ("以后回答都简短一点", "user.reply_style", "简短"),
        ("I'm 34 and 178 cm if that matters", "user.age", "34"),
        ("sry typo earlier: im 31 not 13 haha", "user.age", "31"),
        ("Sorry, I'm actually 32.", "user.age", "32"),
        ("My son is still 3.", "son.age", "3"),
        ("I'm 5'9 and like 170 lbs", "user.height", "5 ft 9 in"),
        ("im gluten free (celiac)", "user.diet_identity", "gluten free"),
        ("今天早上称了一下，68.5公斤", "user.weight", "68.5 kg"),
        (
            "Dentist appointment next Tuesday at 3pm",
            "user.plan_appointment",
            "Dentist appointment next Tuesday at 3pm (7 May 2024)",
        ),
        ("6月15号考雅思", "user.plan_exam", "6月15号考雅思 (15 June 2024)"),
        ("明年十月结婚", "user.plan_wedding", "明年十月结婚 (October 2025)"),
        ("我儿子下周六钢琴考级", "son.plan_exam", "下周六钢琴考级 (11 May 2024)"),
        ("We're getting married in May next year.", "user.plan_wedding", "in May next year (May 2025)"),
        ("下个月15号要考试", "user.plan_exam", "下个月15号要考试 (15 June 2024)"),
        ("I'm allergic to penicilin fyi", "user.allergy", "penicilin"),
    ],
)
def test_facts_people_state_in_passing(text: str, key: str, value: str) -> None:
    assert _facts(text)[key] == value


@pytest.mark.parametrize(
    "text",
    [
        "can u translate 'I'm allergic to peanuts' into japanese",
        "pls proofread: 'Dear Hiring Manager, I am a certified accountant.'",
        "我同事在群里说“我体重90公斤”，笑死",
        "I'd move to Paris if I could",
        "his favorite color is red",
        "I hate it when people are late",
        "我不喜欢他",
        "我有点过敏",
        "I'm 30 minutes late",
        "I'm actually 5 minutes away",
        "下周考虑一下",
        "我对花生不过敏，是我老婆过敏",
        "My boss Monday meeting ran long",
    ],
)
def test_no_fact_of_the_speaker_in_passing(text: str) -> None:
    assert not any(key.startswith("user.") for key in _facts(text))


@pytest.mark.parametrize(
    ("text", "key", "day"),
    [
        ("i was 70kg last summer", "user.weight", "2023-08-31"),  # the summer over, its last day
        ("my daughter Priya starts kindergarten in september", "user.daughter", "2024-05-03"),  # to come: now
    ],
)
def test_a_fact_is_dated_by_what_its_clause_says_of_time(text: str, key: str, day: str) -> None:
    (fact,) = [f for f, _ in extract_facts(text, NOW) if f.key == key]
    assert fact.observed_at.date().isoformat() == day


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        # readings without a cue word of their own, or in a list of readings
        ("temp 37.9 after lunch", {"user.body_temperature": "37.9 °C"}),
        ("bp 121/80 hr 71", {"user.blood_pressure": "121/80", "user.heart_rate": "71"}),
        ("昨晚睡了不到六个小时", {"user.sleep": "6 h"}),
        # allergies as a noun
        ("I've got a severe sesame allergy", {"user.allergy": "sesame"}),
        ("my daughter has a mild egg allergy", {"daughter.allergy": "egg"}),
        ("I have an allergy to latex", {"user.allergy": "latex"}),
        ("我女儿有芒果过敏", {"daughter.allergy": "芒果"}),
        # medication named before its dose, a dose changed, Chinese names without 药
        ("I'm on metformin 850mg twice a day", {"user.medication": "metformin 850mg"}),
        ("my doctor lowered my atorvastatin to 10mg", {"user.medication": "atorvastatin 10mg"}),
        ("最近在吃阿莫西林，一天三次", {"user.medication": "阿莫西林"}),
        # names, nicknames, identity said without 我的
        ("My name's Priya, but my friends call me Pri", {"user.name": "Priya", "user.preferred_name": "Pri"}),
        ("我生日是十月二号", {"user.birthday": "十月二号"}),
        ("我妈妈的生日是3月12日", {"mother.birthday": "3月12日"}),
        ("我老婆生日是6月5号", {"wife.birthday": "6月5号"}),
        ("我妈明天过生日", {"mother.birthday": "4 May"}),
        ("他的生日是5月1号", {}),  # whose: none the speaker named
        ("我是四川人，母语是四川话", {"user.origin": "四川", "user.native_language": "四川话"}),
        ("我在杭州当老师", {"user.occupation": "老师", "user.lives_in": "杭州"}),  # a job in a city: home
        ("我在深圳做产品经理", {"user.occupation": "产品经理", "user.lives_in": "深圳"}),  # the city is no employer
        # pets and relations named
        ("our two dogs are named Ziggy and Stardust", {"user.dog": "Ziggy and Stardust"}),
        ("我家狗狗叫旺财", {"user.dog": "旺财"}),
        # a relation's fact said of "she" / "he" after the relation is named
        ("my husband's name is Tom, he's a firefighter", {"user.husband": "Tom", "husband.occupation": "firefighter"}),
        ("我妈叫王芳，她是医生", {"user.mother": "王芳", "mother.occupation": "医生"}),
        # plans: "scheduled for", a flight with its destination, Chinese check-ups
        ("My MRI is scheduled for June 4th", {"user.plan_mri": "June 4th (4 June 2024)"}),
        ("Flight to Osaka is on the 20th", {"user.plan_flight": "Flight to Osaka is on the 20th (20 May 2024)"}),
        (  # its number before its day
            "My flight to Lisbon is UA 123 on June 14, departing at 7:45am.",
            {"user.plan_flight": "flight to Lisbon is UA 123 on June 14 (14 June 2024)"},
        ),
        ("下周二去医院体检", {"user.plan_checkup": "下周二去医院体检 (7 May 2024)"}),
        ("我周末喜欢去爬山。", {}),  # a habit, no plan
        ("我爱人下周去北京出差", {"partner.plan_trip": "下周去北京出差 (6 May 2024 - 12 May 2024)"}),  # 爱人: a spouse
        ("我爱人喜欢吃鱼", {"partner.likes": "鱼"}),
        # a baby's due date: to come, said without a day to come in Chinese, or as the partner's
        ("我老婆怀孕了，预产期是十月。", {"user.plan_baby": "十月 (October 2024)"}),
        ("My wife is due in October.", {"user.plan_baby": "in October (October 2024)"}),
        ("预产期是上个月", {}),
        # what the speaker does not eat or drink
        ("I don't eat shellfish, for religious reasons", {"user.dislike": "shellfish"}),
        ("I stopped eating meat last month.", {"user.dislike": "meat"}),
        ("I quit coffee last month, I only drink green tea now.", {"user.dislike": "coffee"}),
        ("I've cut out red meat.", {"user.dislike": "red meat"}),
        ("I quit smoking.", {}),  # no food or drink
        ("My son hates mushrooms.", {"son.dislike": "mushrooms"}),
        ("My wife doesn't eat pork.", {"wife.dislike": "pork"}),
        ("My son doesn't eat much.", {}),
        ("I'm seeing someone new named Amy.", {"user.partner": "Amy"}),
        ("I started dating a guy named Tom.", {"user.partner": "Tom"}),
        # typed casually: "hey im sam", " n " for "and", a clause with no "I'm"
        ("hey im sam, i live in denver n work at a bakery", {"user.name": "Sam", "user.lives_in": "Denver"}),
        ("allergic to bees btw", {"user.allergy": "bees"}),
        ("I'm vegan and allergic to soy.", {"user.diet_identity": "vegan", "user.allergy": "soy"}),
        ("I moved from Boston to Chicago last year.", {"user.lives_in": "Chicago"}),
        ("My sister moved from Paris to Lyon.", {"sister.lives_in": "Lyon"}),
        ("My husband and I just bought a house in Austin.", {"user.lives_in": "Austin"}),
        ("I just got engaged to Mark!", {"user.partner": "Mark"}),
        ("I was born in 1988 in Lagos.", {"user.birth_year": "1988", "user.origin": "Lagos"}),
        ("I graduated from MIT in 2015.", {"user.school": "MIT"}),
        ("我今年32岁，老公是医生。", {"user.age": "32", "husband.occupation": "医生"}),  # 老公: 我老公
        ("我妈妈住在北京，爸爸住在上海。", {"mother.lives_in": "北京", "father.lives_in": "上海"}),
        ("My mom lives in Boston and my dad in Miami.", {"mother.lives_in": "Boston", "father.lives_in": "Miami"}),
        (
            "My sister works at Google and my brother at Meta.",
            {"sister.employer": "Google", "brother.employer": "Meta"},
        ),
        ("I'm 5'6\" and weigh 140 lbs.", {"user.height": "5 ft 6 in", "user.weight": "140 lb"}),  # inches: no quote
        ("gotta take ibuprofen 400mg 3x a day for 2 weeks", {"user.medication": "ibuprofen"}),
        ("I have to take amoxicillin twice a day", {"user.medication": "amoxicillin"}),
        ("My wife Elena can't stand cilantro.", {"user.wife": "Elena", "wife.dislike": "cilantro"}),
        ("I've given up drinking coffee", {"user.dislike": "coffee"}),
    ],
)
def test_facts_said_in_other_words(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    "text",
    [
        "She's a nurse",  # no relation named: whose is it?
        "my husband is great, she is a teacher",  # the pronoun fits no relation named
        "the temperature outside is 38 today",  # the weather
        "I worked 8 hr 30 min today",  # hours, not a heart rate
        "I don't eat after 8pm",
        "I stopped eating at 8pm",
        "My boss hates me",
        "I'm seeing Dr. Lee on Friday",  # a visit, not a partner
        "hi im tired",
        "hey im back",
        "Allergic to what?",
        "I'm allergic to nothing",
        "I bought a car in Texas",
        "I moved from the couch to the bed",
        "I need to take a break",
        "I can't eat eggs right now",
        "我在吃火锅",
        "我在吃素",
        "I have seasonal allergies",
        "他的母语是法语",  # someone else's
        "it's scheduled for tomorrow",
        "my anxiety is over the top today",  # a mood, not a condition over
        "I've recovered from the flu",  # a passing illness
    ],
)
def test_other_words_that_state_no_fact_of_the_speaker(text: str) -> None:
    assert _facts(text) == {}


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("I live in St. Louis now. It's cold.", {"user.lives_in": "St. Louis"}),
        ("我上周搬到上海了", {"user.lives_in": "上海"}),  # a sentence-final particle is no part of it
        ("I can't stand cilantro by the way", {"user.dislike": "cilantro"}),
    ],
)
def test_values_run_past_an_abbreviation_and_stop_before_filler(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    "text",
    [
        "I weigh 60 kg, same as last year",  # the time words date what it is compared with
        "I'm 45 kg now, down from 50 last month",
        "My sister Lena is getting married in Porto on August 17",  # a plan: her name holds now
    ],
)
def test_time_words_of_a_comparison_or_a_plan_do_not_date_the_fact(text: str) -> None:
    assert {fact.observed_at for fact, _ in extract_facts(text, NOW)} == {NOW}


def test_a_past_statement_beside_other_words_keeps_its_date() -> None:
    ((fact, _),) = extract_facts("I weighed 70 kg last week, coming back from the gym", NOW)
    assert fact.observed_at.date().isoformat() == "2024-04-28"


@pytest.mark.parametrize(
    ("text", "value"),
    [("Sorry, I meant 47 kg not 74", "47 kg"), ("不对，刚才说错了，是51公斤", "51 kg"), ("应该是102斤", "102 jin")],
)
def test_a_corrected_weight_is_the_new_version(text: str, value: str) -> None:
    assert _facts(text) == {"user.weight": value}


@pytest.mark.parametrize("text", ["I meant 3 kg of flour", "这袋米是10公斤"])
def test_a_weight_of_something_else_is_not_the_speakers(text: str) -> None:
    assert _facts(text) == {}


@pytest.mark.parametrize("text", ["Sorry, I meant 23 kg for the suitcase", "I'm on amoxicillin 500mg for my dog"])
def test_a_value_for_something_else_is_not_the_speakers(text: str) -> None:
    assert _facts(text) == {}


@pytest.mark.parametrize(
    ("text", "value", "day"),
    [
        ("I weigh 60 kg. Last year I weighed 70 kg", "60 kg", "2024-05-03"),  # the newest observation wins
        ("I've weighed 60 kg since January", "60 kg", "2024-05-03"),  # a state since then holds now
        ("I weigh 58 kg, same as in March", "58 kg", "2024-05-03"),
    ],
)
def test_the_current_value_is_kept_and_dated_now(text: str, value: str, day: str) -> None:
    ((fact, _),) = extract_facts(text, NOW)
    assert (fact.value, fact.observed_at.date().isoformat()) == (value, day)


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("I'm no longer vegetarian.", "user.diet_identity", "no longer vegetarian"),
        ("I'm not vegan any more", "user.diet_identity", "no longer vegan"),
        ("I used to be vegetarian but now I eat meat", "user.diet_identity", "no longer vegetarian"),
        ("我不再吃素了", "user.diet_identity", "no longer 素食"),
        ("我不是素食者了", "user.diet_identity", "no longer 素食者"),
        ("I stopped taking ibuprofen.", "user.medication", "no longer ibuprofen"),
        ("I'm off sertraline now", "user.medication", "no longer sertraline"),
        ("I don't take insulin anymore", "user.medication", "no longer insulin"),
        ("我已经停了布洛芬", "user.medication", "no longer 布洛芬"),
        ("二甲双胍我已经停了", "user.medication", "no longer 二甲双胍"),
        ("I don't have a cat anymore", "user.cat", "no longer has a cat"),
        ("Our dog passed away", "user.dog", "no longer has a dog"),
        ("我家的狗去世了", "user.dog", "no longer has a dog"),
        ("I broke up with my girlfriend", "user.girlfriend", "no longer has a girlfriend"),
        ("I broke up with my girlfriend Jess two weeks ago.", "user.girlfriend", "no longer Jess"),
        ("I finally divorced my husband Mark.", "user.husband", "no longer Mark"),
        ("My boyfriend dumped me.", "user.boyfriend", "no longer has a boyfriend"),
        ("My husband left me for his secretary", "user.husband", "no longer has a husband"),
        ("My boyfriend Tom left me a note.", "user.boyfriend", "Tom"),
        ("I got a gift from my girlfriend Jess", "user.girlfriend", "Jess"),
        ("我和男朋友分手了", "user.boyfriend", "no longer has a boyfriend"),
        ("I'm not allergic to eggs anymore", "user.allergy", "no longer eggs"),
        ("I outgrew my peanut allergy", "user.allergy", "no longer peanut"),
        ("我以前对鸡蛋过敏，现在不过敏了", "user.allergy", "no longer 鸡蛋"),
        ("我对海鲜不过敏了", "user.allergy", "no longer 海鲜"),
        ("我不再对花生过敏", "user.allergy", "no longer 花生"),
        ("I don't live in Chicago anymore", "user.lives_in", "no longer Chicago"),
        ("我不住在上海了", "user.lives_in", "no longer 上海"),
        ("I left my job as a teacher", "user.occupation", "no longer teacher"),
        ("我不当老师了", "user.occupation", "no longer 老师"),
        ("I no longer have asthma", "user.condition", "no longer asthma"),
        ("I don't have eczema anymore", "user.condition", "no longer eczema"),
        ("I've recovered from depression", "user.condition", "no longer depression"),
        ("I'm fully cured of anemia", "user.condition", "no longer anemia"),
        ("My migraines have gone away", "user.condition", "no longer migraines"),
        ("My dad no longer has diabetes", "father.condition", "no longer diabetes"),
        ("我的哮喘已经好了", "user.condition", "no longer 哮喘"),
        ("我不再有偏头痛", "user.condition", "no longer 偏头痛"),
    ],
)
def test_an_ended_fact_is_a_new_version_of_the_same_key(text: str, key: str, value: str) -> None:
    assert _facts(text) == {key: value}


@pytest.mark.parametrize(
    ("positive", "ended"),
    [
        ("I'm vegetarian", "I'm not vegetarian anymore"),
        ("I'm on ibuprofen", "I stopped taking ibuprofen"),
        ("我在吃布洛芬", "我已经停了布洛芬"),
        ("I have a cat called Mochi", "I don't have a cat anymore"),
        ("I'm allergic to eggs", "I'm no longer allergic to eggs"),
        ("I have asthma", "I no longer have asthma"),
        ("我对鸡蛋过敏", "我以前对鸡蛋过敏，现在不过敏了"),
        ("我吃素", "我不再吃素了"),
    ],
)
def test_an_ending_has_the_key_of_what_it_ends(positive: str, ended: str) -> None:
    assert _facts(positive).keys() == _facts(ended).keys()


@pytest.mark.parametrize("text", ["I stopped taking ibuprofen last week.", "Our cat Luna died yesterday"])
def test_an_ending_is_observed_when_said(text: str) -> None:
    """It says what holds now: told after "I have a cat named Luna" (observed today), it ends her."""
    ((fact, _),) = extract_facts(text, NOW)
    assert fact.value.startswith("no longer") and fact.observed_at == NOW


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("I'm retired, I used to be an engineer.", {"user.occupation": "retired"}),
        ("I don't live in Chicago anymore, I moved to Madison", {"user.lives_in": "Madison"}),
        ("I'm vegan now, I'm no longer vegetarian", {"user.diet_identity": "vegan"}),
    ],
)
def test_what_holds_stands_over_what_ended_in_one_message(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("I quit my nurse job, I'm now a software developer.", "user.occupation", "software developer"),
        ("I left my job as a teacher, now I'm a writer", "user.occupation", "writer"),
        ("I got a new job as a data analyst", "user.occupation", "data analyst"),
        ("I became a teacher last year", "user.occupation", "teacher"),
        ("我现在是程序员", "user.occupation", "程序员"),
        ("We broke up. My new boyfriend is Alex.", "user.boyfriend", "Alex"),
        ("My new boss is Sarah", "user.boss", "Sarah"),
        ("Sorry, I live in Lyon, not Paris", "user.lives_in", "Lyon"),
        ("Update: I now live in Denver", "user.lives_in", "Denver"),
        ("医生把二甲双胍加到每天1000毫克", "user.medication", "二甲双胍 1000mg"),
        ("医生把我的阿莫西林减到每次250毫克", "user.medication", "阿莫西林 250mg"),
        ("我在吃二甲双胍，每天500毫克", "user.medication", "二甲双胍 500mg"),
        ("我每天吃布洛芬400毫克", "user.medication", "布洛芬 400mg"),
        ("I take ibuprofen 400mg twice a day", "user.medication", "ibuprofen 400mg"),
        ("I'm taking melatonin to fix my jet lag", "user.medication", "melatonin"),
    ],
)
def test_a_change_told_as_an_event(text: str, key: str, value: str) -> None:
    assert _facts(text)[key] == value


@pytest.mark.parametrize(
    "text",
    [
        "He said: my name is Bob and I live in Paris.",
        "The song goes: I live in a yellow submarine.",
        "She told me: I'm allergic to dogs.",
        "As my dad says, I'm a real engineer",
        "He said my name is Bob",
        "She told me I'm vegetarian",
        "他说：我住在北京",
        "他告诉我：我叫李雷",
        "他说我叫小明",
    ],
)
def test_reported_words_are_not_the_speakers(text: str) -> None:
    assert not any(key.startswith("user.") for key in _facts(text))


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("My friend says he is allergic to cats", {"friend.allergy": "cats"}),
        ("我朋友说他对猫过敏", {"friend.allergy": "猫"}),
        ("我妈说我胖了，其实我才55公斤", {"user.weight": "55 kg"}),
        ("I told him: I'm allergic to nuts", {"user.allergy": "nuts"}),
    ],
)
def test_what_others_say_of_themselves_and_the_speakers_own_words_are_read(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("I weighed 70 kg on 1 May.", "2024-05-01"),
        ("On April 20 I was 71 kg", "2024-04-20"),
        ("I weighed 72 kg on June 1st", "2023-06-01"),  # the last 1 June not after the message
        ("5月1日我称了70公斤", "2024-05-01"),
        ("I ran 10 km on 3 March", "2024-03-03"),
        ("I weigh 70 kg on 1 May", "2024-05-01"),  # a measurement cannot lie ahead
        ("5月1日我体重65公斤", "2024-05-01"),
        ("6月5日我体重65公斤", "2024-05-03"),  # ahead: no day it was measured
        ("12月5日我体重65公斤", "2024-05-03"),  # not this year's: may be a target
    ],
)
def test_a_past_statement_is_dated_by_a_day_without_its_year(text: str, day: str) -> None:
    ((fact, _),) = extract_facts(text, NOW)
    assert fact.observed_at.date().isoformat() == day


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("We have a cat called Mochi.", {"user.cat": "Mochi"}),
        ("We've got a dog called Biscuit", {"user.dog": "Biscuit"}),
        ("I have a dog named Rex and a cat named Luna.", {"user.dog": "Rex", "user.cat": "Luna"}),
        (
            "I have two cats named Salt and Pepper and a dog named Max",
            {"user.cat": "Salt and Pepper", "user.dog": "Max"},
        ),
        ("My husband weighs 90 kg.", {"husband.weight": "90 kg"}),
        ("I'm 34.", {"user.age": "34"}),
        ("I am 34 years old", {"user.age": "34"}),
        ("My son is 7 years old.", {"son.age": "7"}),
        ("My son is 8 and my daughter is 5.", {"son.age": "8", "daughter.age": "5"}),
        ("our son is 7 years old", {"son.age": "7"}),
        ("our dog Max is 3", {"dog.age": "3", "user.dog": "Max"}),
        ("our daughter has asthma", {"daughter.condition": "asthma"}),
        ("our son works as a nurse", {"son.occupation": "nurse"}),
        ("our cat loves tuna", {"cat.likes": "tuna"}),
        (
            "My daughter Emma is allergic to peanuts and she is 7",
            {"daughter.allergy": "peanuts", "daughter.age": "7", "user.daughter": "Emma"},
        ),
        ("our son Jake is 12 and he loves chess", {"son.age": "12", "son.likes": "chess", "user.son": "Jake"}),
        ("my grandma just turned 90", {"grandmother.age": "90"}),
        ("我儿子7岁了", {"son.age": "7"}),
        ("我奶奶今年八十五岁了", {"grandmother.age": "85"}),
        ("My name isn't Carol, it's Cara.", {"user.name": "Cara"}),
        ("My name's not Jon but John", {"user.name": "John"}),
        ("I live at 12 Rue de Rivoli, Paris.", {"user.address": "12 Rue de Rivoli, Paris", "user.lives_in": "Paris"}),
        ("我也对芒果过敏", {"user.allergy": "芒果"}),
        ("我还对猫过敏", {"user.allergy": "猫"}),
        ("我在Google做software engineer", {"user.employer": "Google", "user.occupation": "software engineer"}),
        (
            "I work at Google as a software engineer",
            {"user.employer": "Google", "user.occupation": "software engineer"},
        ),
        ("我吃素", {"user.diet_identity": "素食"}),
        ("I take metformin for my diabetes.", {"user.medication": "metformin", "user.condition": "diabetes"}),
        ("I'm on lisinopril for my blood pressure.", {"user.medication": "lisinopril"}),
        ("I take melatonin for my little brother", {}),  # his, not the speaker's
    ],
)
def test_common_phrasings(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    "text",
    [
        "我六岁开始学小提琴",  # an age then, not now
        "My mom is Korean",
        "我在一家创业公司当程序员",  # "a startup" names no employer: only the occupation
        "Haha I'm allergic to Mondays 😂",
        "LOL I'm allergic to work",
        "I'm on amoxicillin 500mg for my dog",
        "我不吃降压药了",  # medication stopped, not a dislike
    ],
)
def test_no_misread_facts(text: str) -> None:
    assert not {k: v for k, v in _facts(text).items() if k not in ("user.occupation", "user.medication")}


def test_a_joke_allergy_is_none_but_a_real_one_said_laughing_is() -> None:
    assert _facts("Haha I'm allergic to Mondays 😂") == {}
    assert _facts("I'm allergic to cats lol") == {"user.allergy": "cats"}


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        (
            "I left Google and joined Microsoft as a product manager.",
            {"user.employer": "Microsoft", "user.occupation": "product manager"},
        ),
        (
            "I just joined Amazon as a software engineer",
            {"user.employer": "Amazon", "user.occupation": "software engineer"},
        ),
        ("I quit Deloitte and joined KPMG last month", {"user.employer": "KPMG"}),
        ("I started a new job at Siemens as an engineer.", {"user.employer": "Siemens", "user.occupation": "engineer"}),
        ("I got a new position at Shell as a geologist", {"user.employer": "Shell", "user.occupation": "geologist"}),
        ("I started a new job as a nurse at St Mary's", {"user.occupation": "nurse", "user.employer": "St Mary's"}),
        ("My brother works as a chef.", {"brother.occupation": "chef"}),
        ("My sister works at Google", {"sister.employer": "Google"}),
        ("我辞职了，现在当老师", {"user.occupation": "老师"}),
        ("我辞职了，现在是一名护士", {"user.occupation": "护士"}),
        ("我在腾讯当产品经理", {"user.employer": "腾讯", "user.occupation": "产品经理"}),
        ("我姐在阿里巴巴上班", {"sister.employer": "阿里巴巴"}),
        ("我哥在上海当医生", {"brother.occupation": "医生", "brother.lives_in": "上海"}),  # a city: no employer
    ],
)
def test_a_job_taken_or_held_gives_employer_and_occupation(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    "text",
    [
        "I joined a book club recently",
        "I joined Reddit last year",  # joining, not as anything and leaving nothing: no employer
        "I work as hard as I can",
        "I work with Python every day",
        "现在当老师很辛苦",  # being a teacher is hard: no one's job
        "I have anxiety about the exam",
        "我有点焦虑",
        "I got diagnosed with covid yesterday",
        "I'm single-handedly running this",
        "我还没结婚",
        "我对周一过敏哈哈",
        "我对上班过敏",
        "My mom says I'm allergic to cats",  # she is no doctor
        "The doctor said: you're allergic to penicillin",
        "医生说：我对青霉素过敏",  # a quote after a colon stays excluded
    ],
)
def test_no_job_health_or_partner_misread(text: str) -> None:
    assert not {k: v for k, v in _facts(text).items() if k != "user.occupation"}


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("Emma and I split up. I'm now dating Sophie.", {"user.partner": "Sophie"}),
        ("I'm dating Sophie", {"user.partner": "Sophie"}),
        ("I've been going out with Sam Lee", {"user.partner": "Sam Lee"}),
        ("I broke up with my girlfriend, now I'm dating Sophie.", {"user.girlfriend": "Sophie"}),
        ("Tom and I broke up", {"user.partner": "no longer has a partner"}),
        ("My girlfriend Emma and I split up", {"user.girlfriend": "no longer has a girlfriend"}),
        ("我和小李分手了", {"user.partner": "no longer has a partner"}),
        ("我和小李在交往", {"user.partner": "小李"}),
        ("我和小王分手了，现在和小李在一起。", {"user.partner": "小李"}),
        ("我和小李在一起吃饭", {}),
        ("今天和朋友在一起，很开心", {}),
        ("I'm married to John", {"user.marital_status": "married", "user.partner": "John"}),
        ("I'm not married anymore, we got divorced.", {"user.marital_status": "divorced"}),
        ("I'm not married anymore", {"user.marital_status": "no longer married"}),
        ("I'm divorced.", {"user.marital_status": "divorced"}),
        ("My husband and I have been married for 12 years.", {"user.marital_status": "married"}),
        ("We're married", {"user.marital_status": "married"}),
        ("I'm single", {"user.marital_status": "single"}),
        ("我离婚了", {"user.marital_status": "divorced"}),
        ("我是单身", {"user.marital_status": "single"}),
    ],
)
def test_a_relationship_begun_or_ended(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("I've got two dogs, Max and Bella.", {"user.dog": "Max and Bella"}),
        ("I have two dogs named Max and Bella", {"user.dog": "Max and Bella"}),
        ("We have a cat: Luna", {"user.cat": "Luna"}),
        ("I have two kids, Emma and Jack.", {"user.children": "Emma and Jack"}),
        (
            "My address is 10 Downing Street, London.",
            {"user.address": "10 Downing Street, London", "user.lives_in": "London"},
        ),
        (
            "My address is 221B Baker Street, London",
            {"user.address": "221B Baker Street, London", "user.lives_in": "London"},
        ),
        ("我的地址是北京市朝阳区建国路88号", {"user.address": "北京市朝阳区建国路88号"}),
    ],
)
def test_pets_named_after_a_comma_and_an_address_said_as_such(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("I have two kids, Emma who is 8 and Noah who is 5", {"user.children": "Emma and Noah"}),
        ("I have two kids, Emma (8) and Noah (5)", {"user.children": "Emma and Noah"}),
        ("I have two kids, Emma, 8, and Noah, 5", {"user.children": "Emma and Noah"}),
        ("My kids are Emma and Noah", {"user.children": "Emma and Noah"}),
        ("My children are Emma, 8, and Noah, 5.", {"user.children": "Emma and Noah"}),
        ("Our cats are called Salt and Pepper", {"user.cat": "Salt and Pepper"}),
        ("My sisters are Ann and Mia", {"user.sister": "Ann and Mia"}),
        ("I have two dogs, Rex aged 3 and Luna", {"user.dog": "Rex and Luna"}),
        ("My parents are Catholic", {}),
        ("My kids are happy", {}),
        ("My kids are at school", {}),
    ],
)
def test_several_named_with_their_ages_or_after_are(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        (
            "We have a daughter, Anika, she's 4 and she's allergic to eggs.",
            {"user.daughter": "Anika", "daughter.age": "4", "daughter.allergy": "eggs"},
        ),
        ("I have a son named Leo, he is 6.", {"user.son": "Leo", "son.age": "6"}),
        ("My mom is Linda, she's 62", {"user.mother": "Linda", "mother.age": "62"}),
        ("I have a sister, she lives in Paris", {"sister.lives_in": "Paris"}),
        ("He's 40", {}),  # no one named before it
        ("She's 5 minutes away", {}),
    ],
)
def test_she_or_he_after_a_relation_one_has_is_that_relation(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("My asthma is acting up today", {"user.condition": "asthma"}),
        (
            "I take metformin every morning for my diabetes.",
            {"user.medication": "metformin", "user.condition": "diabetes"},
        ),
        ("My dad's arthritis is getting worse", {"father.condition": "arthritis"}),
        ("My mom's high blood pressure worries me", {"mother.condition": "high blood pressure"}),
        ("My anxiety about the exam is bad", {}),
        ("My migraines have gone away", {"user.condition": "no longer migraines"}),
    ],
)
def test_a_condition_said_as_ones_own_is_held(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        (
            "I'm Priya, 29, a data scientist in Bangalore.",
            {"user.name": "Priya", "user.age": "29", "user.occupation": "data scientist", "user.lives_in": "Bangalore"},
        ),
        ("I'm 29 and a nurse.", {"user.age": "29", "user.occupation": "nurse"}),
        ("I'm a teacher living in Texas.", {"user.occupation": "teacher", "user.lives_in": "Texas"}),
        ("I'm a nurse in St Luke's Hospital.", {"user.occupation": "nurse"}),  # where one works, no home
        ("I have two kids, 8 and 5.", {}),  # no "I'm": the ages are not the speaker's
        ("We have a 2-year-old son, Vihaan.", {"user.son": "Vihaan", "son.age": "2"}),
        ("I have a 3-year-old dog named Rex.", {"user.dog": "Rex", "dog.age": "3"}),
        ("My 7 year old daughter loves dinosaurs.", {"daughter.age": "7", "daughter.likes": "dinosaurs"}),
        (
            "My 7-year-old son Max is allergic to peanuts.",
            {"user.son": "Max", "son.age": "7", "son.allergy": "peanuts"},
        ),
        (
            "Hey, name's Marco, I'm a 41-year-old chef.",
            {"user.name": "Marco", "user.age": "41", "user.occupation": "chef"},
        ),
        (
            "I'm originally from Kenya but I've lived in Toronto for 10 years.",
            {"user.origin": "Kenya", "user.lives_in": "Toronto"},
        ),
    ],
)
def test_what_one_is_said_as_a_list_after_i_am(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("Our dog Biscuit is a beagle", {"user.dog": "Biscuit", "dog.breed": "beagle"}),
        ("I have a golden retriever named Max", {"user.dog": "Max", "dog.breed": "golden retriever"}),
        ("My cat is a Maine Coon", {"cat.breed": "Maine Coon"}),
        ("We just adopted a poodle", {"dog.breed": "poodle"}),
        ("My dog is a good boy", {}),
        (  # "she" after the pet named: its breed
            "We adopted a puppy named Coco last week. She's a golden retriever.",
            {"user.dog": "Coco", "dog.breed": "golden retriever"},
        ),
        ("We got a dog named Rex. He's a beagle.", {"user.dog": "Rex", "dog.breed": "beagle"}),
        ("My son Max is 12. He's a boxer.", {"user.son": "Max", "son.age": "12"}),  # no breed of a son's
    ],
)
def test_a_pets_breed_is_the_pets(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("I quit Google last month and joined a startup called Finch.", {"user.employer": "Finch"}),
        ("I joined a small law firm named Lark", {"user.employer": "Lark"}),
        ("I was laid off from Google", {"user.employer": "no longer Google"}),
        ("I got fired from Amazon last week", {"user.employer": "no longer Amazon"}),
        ("I resigned from Siemens", {"user.employer": "no longer Siemens"}),
        ("I joined a book club called Readers", {}),
        ("Actually I switched to Mercy Hospital last week.", {"user.employer": "Mercy Hospital"}),
        ("My wife transferred to Stanford University", {"wife.employer": "Stanford University"}),
        ("I changed jobs to Acme", {"user.employer": "Acme"}),
        ("I moved to the Mayo Clinic in May", {"user.employer": "Mayo Clinic"}),  # no home
        ("I switched to Android", {}),
        ("I switched to decaf", {}),
        ("I got a new car, a Mazda CX-5", {"user.car": "Mazda CX-5"}),  # a model with a digit is a list item
    ],
)
def test_an_employer_joined_or_left_in_so_many_words(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


def test_a_job_taken_is_observed_when_it_is_said() -> None:
    """Told after "I work at Google" (today), "I quit Google last month and joined Finch" is the
    speaker's latest word on their employer: it is observed now, not last month, so it is newest."""
    (fact, _), *_ = extract_facts("I quit Google last month and joined a startup called Finch.", NOW)
    assert fact.observed_at == NOW


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("My trip is cancelled", {"user.plan_trip": "no longer planned (cancelled)"}),
        ("I cancelled my dentist appointment", {"user.plan_appointment": "no longer planned (cancelled)"}),
        ("We called off the wedding", {"user.plan_wedding": "no longer planned (cancelled)"}),
        (
            "My flight to Paris got cancelled.",  # the trip said as "flying to Paris" ends too
            {"user.plan_flight": "no longer planned (cancelled)", "user.plan_trip": "no longer planned (cancelled)"},
        ),
        ("I rescheduled my dentist appointment to Friday.", {"user.plan_appointment": "Friday (10 May 2024)"}),
        ("We postponed the wedding until June", {"user.plan_wedding": "June (June 2024)"}),
        ("Actually the appointment moved to Monday.", {"user.plan_appointment": "Monday (6 May 2024)"}),
        ("My flight was moved back to Friday.", {"user.plan_flight": "Friday (10 May 2024)"}),
        ("My gym membership was cancelled", {}),
        ("我的航班取消了。", {"user.plan_flight": "no longer planned (cancelled)"}),
        ("婚礼被取消了", {"user.plan_wedding": "no longer planned (cancelled)"}),
        ("他的手术取消了", {}),  # his
    ],
)
def test_a_plan_called_off_or_moved(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


def test_parents_are_a_relation_of_their_own() -> None:
    assert _facts("My parents live in Ohio.") == {"parents.lives_in": "Ohio"}
    assert _facts("My parents are retired") == {}
    assert owned("parents.lives_in") == "your parents' home city" and owned("children.age") == "your children's age"


@pytest.mark.parametrize(
    ("text", "key", "owner"),
    [
        ("My in-laws live in Ohio.", "in_laws.lives_in", "your in-laws' home city"),
        ("My parents-in-law live in Ohio.", "in_laws.lives_in", "your in-laws' home city"),
        ("我公婆住在上海", "in_laws.lives_in", "your in-laws' home city"),
        ("My grandparents live in Florida.", "grandparents.lives_in", "your grandparents' home city"),
        ("My siblings live in Texas.", "siblings.lives_in", "your siblings' home city"),
    ],
)
def test_relations_of_several_are_relations_of_their_own(text: str, key: str, owner: str) -> None:
    assert list(_facts(text)) == [key] and owned(key) == owner


def test_relations_of_several_are_named_as_several() -> None:
    assert _facts("My grandparents are Ann and Joe.") == {"user.grandparents": "Ann and Joe"}
    said = datetime(2024, 5, 3, tzinfo=UTC)
    grandparents = RetrievedItem(
        id="g", tier="long", text="t", score=1.0, created_at=said, key="user.grandparents", value="Ann and Joe"
    )
    assert fact_answer(grandparents) == "Your grandparents are Ann and Joe (as of 2024-05-03)."  # not "grandparentses"


def test_a_pet_named_after_a_comma_is_kept_as_pets_named_are() -> None:
    assert _facts("I've got two dogs, Max and Bella.") == _facts("I have two dogs named Max and Bella")


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("My doctor said I'm allergic to penicillin.", {"user.allergy": "penicillin"}),
        ("The allergist confirmed I'm allergic to shellfish", {"user.allergy": "shellfish"}),
        ("The doctor told me I have diabetes", {"user.condition": "diabetes"}),
        ("The nurse told me I have high cholesterol", {"user.condition": "high cholesterol"}),
        ("My doctor said my blood pressure is 150/95", {"user.blood_pressure": "150/95"}),
        ("医生说我对青霉素过敏", {"user.allergy": "青霉素"}),
        ("医生说我有糖尿病", {"user.condition": "糖尿病"}),
        ("我同事说她对花粉过敏", {"coworker.allergy": "花粉"}),
        ("My coworker says she is allergic to nuts", {"coworker.allergy": "nuts"}),
        ("I have asthma.", {"user.condition": "asthma"}),
        ("I was diagnosed with type 2 diabetes last year", {"user.condition": "type 2 diabetes"}),
        ("My dad has high blood pressure", {"father.condition": "high blood pressure"}),
        ("我有哮喘", {"user.condition": "哮喘"}),
        ("我爸有高血压", {"father.condition": "高血压"}),
    ],
)
def test_health_facts_and_what_a_doctor_says_of_the_speaker(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        # several conditions are one value, kept whole as a list of allergies is
        ("I'm allergic to peanuts, shellfish and penicillin", {"user.allergy": "peanuts, shellfish and penicillin"}),
        ("I have asthma and eczema", {"user.condition": "asthma and eczema"}),
        ("I have type 2 diabetes, asthma and gout", {"user.condition": "type 2 diabetes, asthma and gout"}),
        (
            "I have type 2 diabetes, high blood pressure and gout",
            {"user.condition": "type 2 diabetes, high blood pressure and gout"},
        ),
        ("My dad has diabetes and heart disease", {"father.condition": "diabetes and heart disease"}),
        ("My son has ADHD and autism", {"son.condition": "ADHD and autism"}),
        ("I suffer from migraines and insomnia", {"user.condition": "migraines and insomnia"}),
        ("I have asthma and severe eczema", {"user.condition": "asthma and severe eczema"}),
        ("I was diagnosed with ADHD and anxiety", {"user.condition": "ADHD and anxiety"}),
        ("I was diagnosed with ADHD and anxiety last year", {"user.condition": "ADHD and anxiety"}),
        ("I've been diagnosed with type 2 diabetes last year.", {"user.condition": "type 2 diabetes"}),
        ("I was diagnosed with celiac disease in 2019", {"user.condition": "celiac disease"}),
        (
            "The doctor told me I have diabetes and high blood pressure",
            {"user.condition": "diabetes and high blood pressure"},
        ),
        ("我有高血压和糖尿病", {"user.condition": "高血压和糖尿病"}),
        ("我爸有糖尿病和高血压", {"father.condition": "糖尿病和高血压"}),
        ("我有高血压、糖尿病和痛风", {"user.condition": "高血压、糖尿病和痛风"}),
        ("医生说我有糖尿病和高血压", {"user.condition": "糖尿病和高血压"}),
        # the list ends at what is no lasting condition
        ("I have asthma and a cold", {"user.condition": "asthma"}),
        ("I have asthma and anxiety about the exam", {"user.condition": "asthma"}),
        ("I have asthma but not eczema", {"user.condition": "asthma"}),
        ("我有哮喘和感冒", {"user.condition": "哮喘"}),
        ("I have a dog and asthma", {"user.condition": "asthma"}),
        ("I have asthma and my dad has diabetes", {"user.condition": "asthma", "father.condition": "diabetes"}),
        # a diagnosis not of the known conditions is kept as said
        ("I was diagnosed with diabetes insipidus", {"user.condition": "diabetes insipidus"}),
        # several conditions over
        ("I no longer have asthma or eczema", {"user.condition": "no longer asthma or eczema"}),
        ("I don't have asthma or eczema anymore", {"user.condition": "no longer asthma or eczema"}),
        ("My asthma and eczema are gone", {"user.condition": "no longer asthma and eczema"}),
        ("我不再有哮喘和湿疹", {"user.condition": "no longer 哮喘和湿疹"}),
        ("我的哮喘和湿疹已经好了", {"user.condition": "no longer 哮喘和湿疹"}),
    ],
)
def test_conditions_said_as_a_list_are_one_value_as_allergies_are(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    "text",
    [
        "I have anxiety about the exam and a headache",
        "I have a headache and anxiety about the exam",
        "I have an exam and anxiety",
        "I have a son with ADHD and autism",  # the son's, not the speaker's
        "I have a cold and the flu",
    ],
)
def test_a_list_of_passing_ills_is_no_condition(text: str) -> None:
    assert "user.condition" not in _facts(text)


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("I was allergic to eggs as a kid but not anymore", "user.allergy", "no longer eggs"),
        ("I was allergic to eggs, but not anymore", "user.allergy", "no longer eggs"),
        ("I was allergic to milk when I was little", "user.allergy", "no longer milk"),
        ("I was vegan as a teenager", "user.diet_identity", "no longer vegan"),
        ("我小时候对鸡蛋过敏", "user.allergy", "no longer 鸡蛋"),
    ],
)
def test_a_state_said_of_a_time_gone_ended(text: str, key: str, value: str) -> None:
    assert _facts(text) == {key: value}


@pytest.mark.parametrize(
    ("text", "now", "day"),
    [
        ("6月5日我体重70公斤", datetime(2024, 7, 10, 8, tzinfo=UTC), "2024-06-05"),
        ("On June 5 I weigh 70 kg", datetime(2024, 7, 10, 8, tzinfo=UTC), "2024-06-05"),
        ("6月5日我睡了6个小时", datetime(2024, 7, 10, 8, tzinfo=UTC), "2024-06-05"),
        ("12月5日我体重70公斤", datetime(2024, 7, 10, 8, tzinfo=UTC), "2024-07-10"),  # last year's, or a target
    ],
)
def test_a_measurement_is_dated_by_an_earlier_day_of_the_year(text: str, now: datetime, day: str) -> None:
    ((fact, _),) = extract_facts(text, now)
    assert fact.observed_at.date().isoformat() == day


def test_a_plan_keeps_its_day_to_come() -> None:
    ((fact, _),) = extract_facts("6月5日考雅思", datetime(2024, 5, 3, 9, tzinfo=UTC))
    assert fact.value == "6月5日考雅思 (5 June 2024)" and fact.observed_at.date().isoformat() == "2024-05-03"


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("i live in paris", "user.lives_in", "Paris"),
        ("i moved to new york city last year", "user.lives_in", "New York City"),
        ("my brother lives in rio de janeiro", "brother.lives_in", "Rio de Janeiro"),
        ("my sister moved to são paulo", "sister.lives_in", "São Paulo"),
        ("i moved to st. louis", "user.lives_in", "St. Louis"),
        ("i live in NYC", "user.lives_in", "NYC"),  # a capital said: as typed
        ("i live in the suburbs", "user.lives_in", "suburbs"),  # a common noun stays one
        ("i live in a small town near paris", "user.lives_in", "a small town near paris"),
        ("my name is mary-jane", "user.name", "Mary-Jane"),
        ("My name is McKenzie", "user.name", "McKenzie"),
        ("call me jo", "user.preferred_name", "Jo"),
        ("我住在上海", "user.lives_in", "上海"),
    ],
)
def test_a_name_typed_in_lower_case_is_stored_as_it_is_written(text: str, key: str, value: str) -> None:
    assert [(fact.key, fact.value) for fact, _ in extract_facts(text, NOW)] == [(key, value)]


@pytest.mark.parametrize(
    "text", ["I weigh 0 kg", "I weigh 9999 kg", "我体重0公斤", "我住在希尔顿酒店", "I live in the Hilton hotel"]
)
def test_no_weight_or_home_that_no_one_could_have(text: str) -> None:
    assert {fact.key for fact, _ in extract_facts(text, NOW)} <= {"user.hotel"}  # a hotel is where one stays


@pytest.mark.parametrize(
    "text",
    ["I'm having a party", "I'm having a bad day", "The party was on Saturday", "We're having fun on Saturday"],
)
def test_no_gathering_planned_without_its_day_to_come(text: str) -> None:
    assert not [key for key in _facts(text) if key.startswith("user.plan_")]


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("我们有一个女儿，叫小雨，今年6岁。", {"user.daughter": "小雨", "daughter.age": "6"}),
        ("我有个儿子叫小明", {"user.son": "小明"}),
        ("我有个朋友叫张伟，他是医生", {"user.friend": "张伟", "friend.occupation": "医生"}),
        ("我在华为做工程师", {"user.occupation": "工程师", "user.employer": "华为"}),  # a workplace: no home
        ("我在医院当护士", {"user.occupation": "护士"}),
        ("我在家做设计师", {"user.occupation": "设计师"}),
        ("我在旧金山做软件工程师", {"user.occupation": "软件工程师", "user.lives_in": "旧金山"}),
    ],
)
def test_chinese_relations_had_and_homes_worked_in(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("Remind me to call the plumber tomorrow.", "call the plumber tomorrow (4 May 2024)"),
        ("Can you remind me to call the plumber tomorrow?", "call the plumber tomorrow (4 May 2024)"),
        ("I need to renew my passport by Friday", "renew my passport by Friday (10 May 2024)"),
        ("I have to pick up my kids at 3 on Friday", "pick up my kids at 3 on Friday (10 May 2024)"),
        ("Don't let me forget to pay rent on the 1st", "pay rent on the 1st (1 June 2024)"),
        ("I have to work every Sunday", None),  # a habit
        ("I need to be there tomorrow", None),
        ("I need to lose weight", None),  # no day
        ("I have a doctor's appointment on June 3", None),  # an appointment, not a task
    ],
)
def test_a_task_for_a_day_to_come_is_a_plan(text: str, task: str | None) -> None:
    assert _facts(text).get("user.plan_task") == task


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        (
            "Hi, I'm Marcus, a 45-year-old architect from Chicago.",
            {"user.name": "Marcus", "user.age": "45", "user.occupation": "architect", "user.origin": "Chicago"},
        ),
        ("My wife is a doctor from Lagos", {"wife.occupation": "doctor", "wife.origin": "Lagos"}),
        ("I'm a student from Spain studying here", {"user.occupation": "student", "user.origin": "Spain"}),
        ("I live in Berlin working remotely", {"user.lives_in": "Berlin"}),
        ("I live in Reading", {"user.lives_in": "Reading"}),  # a place's own capitalised word
        (
            "I'm divorced and have two teenage sons, Eli and Sam.",
            {"user.marital_status": "divorced", "user.son": "Eli and Sam"},
        ),
        ("My twin sister lives in Oslo", {"sister.lives_in": "Oslo"}),
        ("I'm not allergic to peanuts, just tree nuts.", {"user.allergy": "tree nuts"}),
        ("My son is not allergic to milk, only to eggs", {"son.allergy": "eggs"}),
        ("I'm not allergic to peanuts", {}),
        ("I live in Portland, Oregon, not Maine.", {"user.lives_in": "Portland, Oregon"}),
        ("I live in Austin, TX", {"user.lives_in": "Austin, TX"}),
        ("I live in Boston, Sarah lives in NYC", {"user.lives_in": "Boston"}),
        ("I live in Berlin, Germany and work at SAP", {"user.lives_in": "Berlin", "user.employer": "SAP"}),
    ],
)
def test_introductions_and_places_said_with_more(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("I stopped taking lisinopril, my doctor switched me to amlodipine.", ["no longer lisinopril", "amlodipine"]),
        ("I also take vitamin D.", ["vitamin D"]),
        ("I take fish oil daily", ["fish oil"]),
    ],
)
def test_medicines_stopped_started_and_supplements(text: str, values: list[str]) -> None:
    assert [fact.value for fact, _ in extract_facts(text, NOW) if fact.key == "user.medication"] == values


def test_an_ended_allergy_and_a_new_one_said_together_are_both_kept() -> None:
    said = "I'm no longer allergic to cats, but I'm allergic to dogs now."
    assert [fact.value for fact, _ in extract_facts(said, NOW)] == ["no longer cats", "dogs"]
    assert _facts("I'm allergic to eggs too") == {"user.allergy": "eggs"}


def test_a_condition_had_also_or_still() -> None:
    assert _facts("My son also has asthma and uses an inhaler.") == {"son.condition": "asthma"}
    assert _facts("I still have eczema") == {"user.condition": "eczema"}


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        (
            "I graduated from UCLA in 2015 with a degree in economics.",
            {"user.school": "UCLA", "user.major": "economics"},
        ),
        ("I majored in biology", {"user.major": "biology"}),
        ("I have a master's degree in nursing", {"user.major": "nursing"}),
        ("My sister studies law", {"sister.major": "law"}),
        ("我的专业是金融", {"user.major": "金融"}),
        ("我大学学的是计算机", {"user.major": "计算机"}),
        ("I'm studying for the exam", {}),
        ("I'm studying right now", {}),
        ("I studied abroad in Spain", {}),
    ],
)
def test_what_one_studies_is_the_major(text: str, facts: dict[str, str]) -> None:
    assert {k: v for k, v in _facts(text).items() if not k.startswith("user.plan_")} == facts
