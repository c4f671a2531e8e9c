"""A relation's home and name, as people say them: a move, a name that is also a word, a new name."""

from datetime import UTC, datetime

import pytest
from tiermem.agents.extract import extract_facts

NOW = datetime(2024, 5, 3, 9, tzinfo=UTC)


def _facts(text: str) -> dict[str, str]:
    return {fact.key: fact.value for fact, _ in extract_facts(text, NOW)}


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        # a relation's move is their home, kept as "lives in" keeps it
        ("My sister lives in Paris", {"sister.lives_in": "Paris"}),
        ("My brother moved to Paris", {"brother.lives_in": "Paris"}),
        ("My sister just moved to Berlin", {"sister.lives_in": "Berlin"}),
        ("My mom lives in Lyon now", {"mother.lives_in": "Lyon"}),
        ("My dad has moved to Nice", {"father.lives_in": "Nice"}),
        ("My brother's moved back to Rome", {"brother.lives_in": "Rome"}),
        ("My grandma recently relocated to Toronto to be near us", {"grandmother.lives_in": "Toronto"}),
        ("My best friend lives in Madrid", {"friend.lives_in": "Madrid"}),
        ("My brother is now living in Paris", {"brother.lives_in": "Paris"}),
        ("My mom has been living in Lyon for years", {"mother.lives_in": "Lyon"}),
        ("My sister moved to the Bay Area", {"sister.lives_in": "Bay Area"}),
        ("My brother Tom moved to Oslo", {"brother.lives_in": "Oslo", "user.brother": "Tom"}),
        ("I've moved to Paris to study", {"user.lives_in": "Paris"}),
        ("I moved back to Leeds", {"user.lives_in": "Leeds"}),
        # a home left
        ("My brother moved out of Paris", {"brother.lives_in": "no longer Paris"}),
        ("My sister doesn't live in Paris anymore", {"sister.lives_in": "no longer Paris"}),
        ("My mom no longer lives in Lyon", {"mother.lives_in": "no longer Lyon"}),
        # Chinese
        ("我哥哥搬到巴黎了", {"brother.lives_in": "巴黎"}),
        ("我妈妈现在住在上海", {"mother.lives_in": "上海"}),
        ("我弟弟搬家到上海了", {"brother.lives_in": "上海"}),
        ("我最好的朋友住在北京", {"friend.lives_in": "北京"}),  # not the speaker's home
        ("我哥哥不住在上海了", {"brother.lives_in": "no longer 上海"}),
        # a return that is no move back: a visit, a trip
        ("My brother moved to Paris but came back for Christmas", {"brother.lives_in": "Paris"}),
        ("My sister moved to Rome and left her job", {"sister.lives_in": "Rome"}),
        ("I live in Paris and I came back from Rome yesterday", {"user.lives_in": "Paris"}),
        ("我住在上海，刚从北京回来了", {"user.lives_in": "上海"}),
    ],
)
def test_a_relations_move_is_their_home(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    "text",
    [
        "My brother moved the car",
        "My brother moved to a new apartment",
        "My sister moved to the other team",
        "My brother moved to the Berlin office",
        "My dad moved to sales",
        "My son moved to high school",
        "My cat moved to the couch",
        "My mom moved to tears",
        "Did my brother move to Paris?",
        "If my brother moved to Paris, I'd visit",
        "My brother moved to the Paris office",
        # a move undone: no home now
        "My brother moved to Paris last year but came back",
        "My sister moved to Rome but moved back",
        "My dad moved to Berlin in 2019 but returned",
        "My brother moved to Paris but has since moved back",
        "My brother moved to Paris but he's back now",
        "My sister moved to Rome, but she left again",
        "I moved to Lyon but went back home after a year",
        "我哥哥搬到巴黎了，但是后来又搬回来了",
        "我姐姐去年搬到北京，后来又回来了",
    ],
)
def test_no_home_from_a_move_elsewhere(text: str) -> None:
    assert not {key for key in _facts(text) if key.endswith(".lives_in")}


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        # a name that is a word or a month too, written as a name
        ("My mother is May", {"user.mother": "May"}),
        ("My dad is Will", {"user.father": "Will"}),
        ("My older sister is April", {"user.sister": "April"}),
        ("My mom is June, and my dad is Will", {"user.mother": "June", "user.father": "Will"}),
        # a relation said with the word that says which
        ("My best friend is Jordan", {"user.friend": "Jordan"}),
        ("My best friend Jordan moved to Paris", {"user.friend": "Jordan", "friend.lives_in": "Paris"}),
        ("My little brother Tom is a nurse", {"user.brother": "Tom"}),
        ("My roommate is Alex", {"user.roommate": "Alex"}),
        ("My boss is Mark Lee", {"user.boss": "Mark Lee"}),
        ("My boss is Dean", {"user.boss": "Dean"}),
        ("My manager is Priya.", {"user.boss": "Priya"}),  # a manager or a supervisor is the boss
        ("My supervisor Tom is strict", {"user.boss": "Tom"}),
        ("I'm a manager at Target", {"user.occupation": "manager", "user.employer": "Target"}),
        # a new name for the relation: a new version of its key
        ("My girlfriend is now Sophie", {"user.girlfriend": "Sophie"}),
        ("My boss is now Mark", {"user.boss": "Mark"}),
        ("My wife's name is now Anna", {"user.wife": "Anna"}),
        ("My new girlfriend is Sophie", {"user.girlfriend": "Sophie"}),
        ("My girlfriend is now called Sophie", {"user.girlfriend": "Sophie"}),
        ("I have a new girlfriend, Sophie", {"user.girlfriend": "Sophie"}),
        ("My current boss is Dana", {"user.boss": "Dana"}),
        ("我女朋友现在是Sophie", {"user.girlfriend": "Sophie"}),
        ("我女朋友现在叫Sophie", {"user.girlfriend": "Sophie"}),
        ("我老板是Mark", {"user.boss": "Mark"}),
        ("我的新女朋友叫Sophie", {"user.girlfriend": "Sophie"}),
        ("我最好的朋友叫小李", {"user.friend": "小李"}),
        # casual words for a relation, a name typed in lower case said as new, an emoji after it
        ("my gf is sophie now 😊", {"user.girlfriend": "Sophie"}),
        ("my boyfriend is now jake", {"user.boyfriend": "Jake"}),
        ("my bf is now ted!", {"user.boyfriend": "Ted"}),
        ("My husband is Tom 😊", {"user.husband": "Tom"}),
        ("My hubby is Tom", {"user.husband": "Tom"}),
        ("my sis's name is ana", {"user.sister": "ana"}),
        ("my bro just moved to Paris!", {"brother.lives_in": "Paris"}),
        ("my hubby is allergic to cats", {"husband.allergy": "cats"}),
        ("my bestie is Jordan", {"user.friend": "Jordan"}),
        # the name first
        ("Sarah is my best friend from college.", {"user.friend": "Sarah"}),
        ("Tom is my husband", {"user.husband": "Tom"}),
        ("Anna Lee is my boss.", {"user.boss": "Anna Lee"}),
        ("We met in 2019 and Emma is my girlfriend now", {"user.girlfriend": "Emma"}),
    ],
)
def test_a_relations_name(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    "text",
    [
        "My mother is sick",
        "My mother is happy",
        "My mother is in May",
        "My mom is May's friend",
        "My boss is now happy",
        "My mom is Korean",
        "My mother is May 5th",
        "My dad is Monday",
        "My dad is now CEO",  # a post, not a name
        "My sister is now Head Nurse",
        "My boss is now Head of Sales",
        "我老板现在是CEO",
        "Is my mother May?",
        "Is my girlfriend now Sophie?",
        "My wife's name is now",
        "我妈妈是老师",  # her job, not her name
        "我哥是IT",
        "我老板是Google的",
        "my bro is tired",
        "my gf is now happy",
        "my gf is happier now",
        "my dad is now retired",
        "my sis is pregnant now",
        "my bro is now working",
        "my boss is now nicer",
        "my dad is now ceo",
        "my mom is a nurse now",
        "my gf is sophie",  # lower case, and not said as new
        "She is my sister",
        "This is my dog",
        "Mom is my best friend",
        "Sarah is my sister's friend",
        "Is Sarah my sister?",
        "Tokyo is my favorite city",
        "Sarah is my sister's friend in law school",
    ],
)
def test_no_name_from_what_a_relation_is(text: str) -> None:
    assert not {key for key in _facts(text) if key.startswith("user.")}


def test_a_new_name_is_dated_when_said() -> None:
    [(fact, tier)] = extract_facts("My girlfriend is now Sophie", NOW)
    assert (fact.key, fact.value, fact.observed_at, tier) == ("user.girlfriend", "Sophie", NOW, "long")


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        (
            "My mom's name is Linda and she lives in Phoenix.",
            {"user.mother": "Linda", "mother.lives_in": "Phoenix"},
        ),
        ("My mom is Linda. She lives in Phoenix.", {"user.mother": "Linda", "mother.lives_in": "Phoenix"}),
        ("She lives in Phoenix.", {}),  # no one named before her: whose home it is stays unsaid
    ],
)
def test_she_or_he_is_the_relation_named_before_in_the_message(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        (
            "My daughter Mia is 7 and loves swimming.",
            {"daughter.age": "7", "daughter.likes": "swimming", "user.daughter": "Mia"},
        ),
        ("I'm 34 and love hiking.", {"user.age": "34", "user.likes": "hiking"}),
        (
            "I'm a nurse, love cats and hate mornings",
            {"user.occupation": "nurse", "user.likes": "cats", "user.dislike": "mornings"},
        ),
    ],
)
def test_a_taste_said_without_its_subject_is_of_the_sentences_subject(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


def test_a_chinese_clause_of_an_allergy_without_its_subject_is_the_sentences_subjects() -> None:
    facts = _facts("我女儿叫小美，今年七岁，对花生过敏")
    assert facts == {"user.daughter": "小美", "daughter.age": "7", "daughter.allergy": "花生"}
    assert _facts("我今天很忙，对了，我住在杭州") == {"user.lives_in": "杭州"}  # 对了: by the way


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("Sarah is my sister in law", {"user.sister_in_law": "Sarah"}),
        ("My mother-in-law lives in Boston.", {"mother_in_law.lives_in": "Boston"}),
        ("My mom in law is vegan", {"mother_in_law.diet_identity": "vegan"}),
        ("My mother-in-law is coming, she's gluten-free.", {"mother_in_law.diet_identity": "gluten-free"}),
        ("My brother-in-law Tom is a nurse", {"user.brother_in_law": "Tom", "brother_in_law.occupation": "nurse"}),
        ("My niece Sara is allergic to peanuts", {"user.niece": "Sara", "niece.allergy": "peanuts"}),
        ("My grandson is 5 years old", {"grandson.age": "5"}),
        ("My stepdad is a plumber", {"stepfather.occupation": "plumber"}),
        ("我婆婆对花生过敏", {"mother_in_law.allergy": "花生"}),
        ("My mother lives in Boston", {"mother.lives_in": "Boston"}),  # no in-law
    ],
)
def test_in_laws_step_relations_and_grandchildren_are_relations(text: str, facts: dict[str, str]) -> None:
    assert {fact.key: fact.value for fact, _ in extract_facts(text, NOW)} == facts


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("My sister is coming, she's vegan.", {"sister.diet_identity": "vegan"}),
        ("My brother Tom is visiting and he's allergic to cats", {"user.brother": "Tom", "brother.allergy": "cats"}),
        ("My brother moved to Paris but he's back now", {}),  # "he's back": the move undone
    ],
)
def test_a_relations_pronoun_with_is_said_short(text: str, facts: dict[str, str]) -> None:
    assert {fact.key: fact.value for fact, _ in extract_facts(text, NOW)} == facts


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("I'm seeing someone new, her name is Amy", {"user.partner": "Amy"}),
        ("I have a new boss, his name's Tom", {"user.boss": "Tom"}),
        ("I met a guy at work, his name is Dave", {}),  # no relation of the speaker's
    ],
)
def test_a_name_said_in_the_clause_after(text: str, facts: dict[str, str]) -> None:
    assert {fact.key: fact.value for fact, _ in extract_facts(text, NOW)} == facts


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        (
            "We live in Toronto with our two kids, Anya and Dev.",
            {"user.lives_in": "Toronto", "user.children": "Anya and Dev"},
        ),
        ("I went to the zoo with my kids Mia and Leo.", {"user.children": "Mia and Leo"}),
        ("My sons Jake and Max love soccer.", {"user.son": "Jake and Max"}),
        ("Our cats Salt and Pepper are asleep.", {"user.cat": "Salt and Pepper"}),
        ("My sister Anna and I went shopping.", {"user.sister": "Anna"}),  # "and I" is the speaker, no name
    ],
)
def test_several_named_after_their_word(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts
