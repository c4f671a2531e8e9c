"""Whom a question asks about, and a relation's name said as the relation."""

from datetime import UTC, datetime

import pytest
from tiermem.agents.asked import by_relation, referents, relation_names
from tiermem.agents.extract import extract_facts

NAMES = relation_names(
    [
        ("user.girlfriend", "Emma Stone"),
        ("user.husband", "Will"),
        ("user.dog", "Max"),
        ("user.daughter", "May"),
        ("user.brother", "Jordan"),
        ("user.sister", "Paris"),
        ("user.wife", "王芳"),
    ]
)


def test_relation_names_come_from_the_users_relation_facts() -> None:
    assert NAMES["emma stone"] == NAMES["emma"] == "girlfriend" and NAMES["王芳"] == "wife"
    assert relation_names([("user.sister", "Anna"), ("user.friend", "Anna")]) == {}  # two relations share it
    assert relation_names([("user.girlfriend", "no longer has a girlfriend")]) == {}


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Where does Emma live?", "Where does my girlfriend live?"),
        ("emma has asthma", "my girlfriend has asthma"),
        ("Is Emma my girlfriend?", "Is Emma my girlfriend?"),  # the relation named: the name stays
        ("I told Will about it", "I told my husband about it"),
        ("Will has asthma", "my husband has asthma"),
        ("Will's birthday is June 5", "my husband's birthday is June 5"),
        ("Max is sick", "my dog is sick"),
        ("I met May yesterday", "I met my daughter yesterday"),
        # names that are words, used as words
        ("Will you help me?", "Will you help me?"),
        ("I will go to Paris", "I will go to Paris"),
        ("May I ask something?", "May I ask something?"),
        ("I moved in May", "I moved in May"),
        ("Since May I have been sad", "Since May I have been sad"),
        ("I'm off this May", "I'm off this May"),
        ("See you in late May", "See you in late May"),
        ("I slept max 5 hours", "I slept max 5 hours"),
        ("My birthday is May 5", "My birthday is May 5"),
        # a place, a company, a longer name, another relation's name
        ("I live in Paris", "I live in Paris"),
        ("Paris has asthma", "my sister has asthma"),
        ("I work at Jordan Industries", "I work at Jordan Industries"),
        ("I love Will Smith movies", "I love Will Smith movies"),
        ("My coworker Emma lives in Boston", "My coworker Emma lives in Boston"),
        ("王芳住在北京", "我妻子住在北京"),
        ("王芳芳住在北京", "王芳芳住在北京"),
        # a value said, not the relation
        ("My name is Emma", "My name is Emma"),
        ("My favorite city is Paris", "My favorite city is Paris"),
        ("My dog's name is Max", "My dog's name is Max"),
        ("我叫王芳", "我叫王芳"),
        ("My boss is now Jordan", "My boss is now Jordan"),  # a new name of another relation
        ("My roommate is actually Will", "My roommate is actually Will"),
    ],
)
def test_a_relations_name_is_said_as_the_relation_where_it_is_a_name(text: str, said: str) -> None:
    assert by_relation(text, NAMES) == said


def test_a_relation_of_several_words_is_said_as_words_extraction_reads() -> None:
    said = by_relation("Carol doesn't eat pork.", {"Carol": "mother_in_law"})
    assert said == "my mother in law doesn't eat pork."
    assert [(fact.key, fact.value) for fact, _ in extract_facts(said, datetime(2024, 5, 3, tzinfo=UTC))] == [
        ("mother_in_law.dislike", "pork")
    ]


def test_whom_a_question_asks_about() -> None:
    assert referents("Where does my sister live?") == {"sister"}
    assert referents("Where does Anna live?", subjects=["anna"]) == {"anna"}
    assert referents("Am I allergic to cats?") == frozenset()
    assert referents("我最好的朋友住在哪里？") == referents("Where does my best friend live?") == {"friend"}
    assert referents("我的新女朋友叫什么？") == referents("Who is my current girlfriend?") == {"girlfriend"}
    assert referents("where does my bro live?") == {"brother"}
    assert referents("who's my gf?") == {"girlfriend"}
    assert referents("Is my hubby allergic to cats?") == {"husband"}
    assert referents("Where does my sis live?") == {"sister"}


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Is Jordan my boss now?", "Is Jordan my boss now?"),  # whether the brother is another relation
        ("Jordan is my boss", "Jordan is my boss"),
        ("Jordan's now my coworker.", "Jordan's now my coworker."),
        ("I met Jordan, my roommate, today", "I met Jordan, my roommate, today"),
        ("Where does Jordan live?", "Where does my brother live?"),
        ("Jordan and my mom went out", "my brother and my mom went out"),
        ("王芳是我老板吗？", "王芳是我老板吗？"),
        ("王芳现在是我的同事", "王芳现在是我的同事"),
    ],
)
def test_a_name_said_to_be_another_relation_stays_the_name(text: str, said: str) -> None:
    assert by_relation(text, NAMES) == said


@pytest.mark.parametrize(
    ("word", "slug"),
    [("姐妹", "sister"), ("兄弟", "brother"), ("伴侣", "partner"), ("孩子", "child"), ("孩子们", "children")]
    + [("阿姨", "aunt"), ("叔叔", "uncle"), ("表亲", "cousin"), ("未婚夫", "fiance"), ("姐姐", "sister")]
    + [("妹妹", "sister"), ("哥哥", "brother"), ("弟弟", "brother"), ("老婆", "wife"), ("老公", "husband")]
    + [("妈", "mother"), ("爸", "father")],
)
def test_each_chinese_relation_word_is_its_relation(word: str, slug: str) -> None:
    assert referents(f"我的{word}住在哪里？") == referents(f"我{word}多大了？") == {slug}


def test_a_chinese_relations_name_is_said_as_the_relations_chinese_word() -> None:
    names = relation_names([("user.sister", "李娜"), ("user.brother", "李雷")])
    assert by_relation("李娜住在哪里？", names) == "我姐妹住在哪里？"
    assert referents(by_relation("李雷对猫过敏吗？", names)) == {"brother"}
