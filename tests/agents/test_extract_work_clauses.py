"""A promotion is the new job ("I got promoted to lead engineer", 我升为主管了), not one hoped for,
denied or at school; and two statements about two subjects joined in one clause ("My sister works as
a teacher and I work as a nurse") are both read."""

from datetime import UTC, datetime

import pytest
from tiermem.agents.extract import extract_facts
from tiermem.agents.statements import Clause, by_subject

NOW = datetime(2024, 5, 3, 9, tzinfo=UTC)


def _facts(text: str) -> dict[str, str]:
    return {fact.key: fact.value for fact, _ in extract_facts(text, NOW)}


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("I was promoted to lead engineer.", {"user.occupation": "lead engineer"}),
        ("I got promoted to principal today.", {"user.occupation": "principal"}),
        ("I just got promoted to senior engineer!", {"user.occupation": "senior engineer"}),
        ("I've been promoted to senior engineer", {"user.occupation": "senior engineer"}),
        ("I have just been promoted to director of engineering", {"user.occupation": "director of engineering"}),
        ("I got a promotion to senior analyst", {"user.occupation": "senior analyst"}),
        ("I was promoted to the rank of captain", {"user.occupation": "captain"}),
        ("I got promoted to senior engineer at Google", {"user.occupation": "senior engineer"}),
        ("I was promoted to lead developer role", {"user.occupation": "lead developer"}),
        ("My sister got promoted to manager", {"sister.occupation": "manager"}),
        ("My husband was promoted to VP of sales yesterday", {"husband.occupation": "VP of sales"}),
        # made, named or appointed to a post
        ("they made me head chef", {"user.occupation": "head chef"}),
        ("They just made me a manager at the bakery", {"user.occupation": "manager"}),
        ("My boss made me team leader", {"user.occupation": "team leader"}),
        ("I was made partner last week", {"user.occupation": "partner"}),
        ("I've been appointed as the new principal", {"user.occupation": "principal"}),
        # a post held now
        ("I'm now the team lead", {"user.occupation": "team lead"}),
        ("I'm now a team lead", {"user.occupation": "team lead"}),
        ("I was promoted, I'm now head chef", {"user.occupation": "head chef"}),
        ("My sister is now head nurse", {"sister.occupation": "head nurse"}),
        # Chinese
        ("我升职了，现在是经理", {"user.occupation": "经理"}),
        ("我升为主管了", {"user.occupation": "主管"}),
        ("我被提拔为副总", {"user.occupation": "副总"}),
        ("我被提拔为副总经理", {"user.occupation": "副总经理"}),
        ("我今天晋升为技术总监", {"user.occupation": "技术总监"}),
        ("我姐姐升职为经理了", {"sister.occupation": "经理"}),
        ("我是总监", {"user.occupation": "总监"}),
        # the day of a new job is no part of it
        ("I started a new job as a nurse two weeks ago", {"user.occupation": "nurse"}),
        ("I started working as a nurse yesterday", {"user.occupation": "nurse"}),
    ],
)
def test_a_promotion_is_the_new_job(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    "text",
    [
        "I hope to get promoted to manager",
        "I hope I get promoted to manager",
        "I want to be promoted to manager",
        "Did I get promoted?",
        "Did I get promoted to manager?",
        "I didn't get promoted",
        "I didn't get promoted to manager",
        "I was not promoted to manager",
        "I'm getting promoted to manager next month",
        "my promotion to manager was rejected",
        "If I get promoted to manager I'll buy a car",
        "My son got promoted to the next grade",
        "I was promoted to the Berlin office",
        "I was promoted to major league",
        "I got promoted",
        "they made me a cake",
        "they made me feel like a manager",
        "I'm now the proud owner of a dog",
        "I'm now the head of the household",
        "我希望升为经理",
        "我没有升为经理",
        "我儿子升到三年级了",
        "我升职了",
    ],
)
def test_no_promotion_had_is_no_job(text: str) -> None:
    assert "user.occupation" not in _facts(text) and not any(k.endswith(".occupation") for k in _facts(text))


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        (
            "My sister works as a teacher and I work as a nurse.",
            {"sister.occupation": "teacher", "user.occupation": "nurse"},
        ),
        (
            "I work as a nurse and my husband is a chef.",
            {"user.occupation": "nurse", "husband.occupation": "chef"},
        ),
        (
            "My sister works as a teacher and my brother works as a chef",
            {"sister.occupation": "teacher", "brother.occupation": "chef"},
        ),
        ("My brother lives in Boston and I live in Denver", {"brother.lives_in": "Boston", "user.lives_in": "Denver"}),
        (
            "My older brother lives in Boston while I live in Denver",
            {"brother.lives_in": "Boston", "user.lives_in": "Denver"},
        ),
        (
            "My husband lives in Boston, while I live in Denver",
            {"husband.lives_in": "Boston", "user.lives_in": "Denver"},
        ),
        ("My wife is a doctor but I'm a teacher", {"wife.occupation": "doctor", "user.occupation": "teacher"}),
        (
            "My sister works as a teacher; I work as a nurse.",
            {"sister.occupation": "teacher", "user.occupation": "nurse"},
        ),
        (
            "I'm vegetarian and my husband is allergic to nuts",
            {"user.diet_identity": "vegetarian", "husband.allergy": "nuts"},
        ),
        ("I'm allergic to cats and my son is allergic to dogs", {"user.allergy": "cats", "son.allergy": "dogs"}),
        ("My brother works at Google and I work at Apple", {"brother.employer": "Google", "user.employer": "Apple"}),
        ("My brother's name is Tom and my sister's name is Ana", {"user.brother": "Tom", "user.sister": "Ana"}),
        (
            "I got promoted to manager and my sister moved to Paris",
            {"user.occupation": "manager", "sister.lives_in": "Paris"},
        ),
        ("我姐姐是老师，我是护士", {"sister.occupation": "老师", "user.occupation": "护士"}),
        ("我姐姐是老师但我是护士", {"sister.occupation": "老师", "user.occupation": "护士"}),
        ("我哥哥住在北京而我住在上海", {"brother.lives_in": "北京", "user.lives_in": "上海"}),
        ("我老公对花生过敏而我对海鲜过敏", {"husband.allergy": "花生", "user.allergy": "海鲜"}),
    ],
)
def test_two_subjects_in_one_clause_are_each_read(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("I work as a nurse and teacher", {"user.occupation": "nurse"}),  # one subject, as before
        ("My husband and I live in Denver", {"user.lives_in": "Denver"}),
        ("Me and my wife live in Denver", {"user.lives_in": "Denver"}),
        ("Both my brother and I live in Boston", {"user.lives_in": "Boston"}),
        ("I live with my wife and my kids in Denver", {}),
        (
            "I quit my job and now I work as a teacher",
            {"user.employer": "no longer has that job", "user.occupation": "teacher"},
        ),
        # a pronoun's clause is the relation's where its gender fits
        ("My sister is a teacher and she lives in Rome", {"sister.occupation": "teacher", "sister.lives_in": "Rome"}),
        ("my husband is great, she is a teacher", {}),
    ],
)
def test_one_subject_stays_one(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


def test_a_clause_is_cut_where_another_subject_speaks() -> None:
    def parts(text: str) -> list[str]:
        return [clause.text for clause in by_subject(Clause(text, text))]

    assert parts("My brother lives in Boston and I live in Denver") == [
        "My brother lives in Boston",
        "I live in Denver",
    ]
    assert parts("My wife is a doctor but my son is a nurse") == ["My wife is a doctor", "my son is a nurse"]
    assert parts("My fiancé and I are getting married") == ["My fiancé and I are getting married"]
    assert parts("It's just me and my wife") == ["It's just me and my wife"]
    assert parts("I love cats and I") == ["I love cats and I"]


def test_what_my_job_is_after_a_promotion_is_the_new_post(services) -> None:  # noqa: ANN001
    from langchain_core.messages import HumanMessage
    from tiermem.graphs import build_graph

    graph = build_graph(services=services)

    def reply(text: str, at: str) -> str:
        run = {"configurable": {"thread_id": "t", "user_id": "alice", "now": at}}
        return graph.invoke({"messages": [HumanMessage(content=text)]}, run)["messages"][-1].content

    reply("I work as a software engineer at Acme.", "2024-05-03T09:00:00")
    reply("I got promoted to lead engineer today!", "2024-06-03T09:00:00")
    answer = reply("What's my job?", "2024-06-03T10:00:00")
    assert answer.startswith("Your occupation is lead engineer") and "earlier: software engineer" in answer


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("I'm a pediatrician.", {"user.occupation": "pediatrician"}),
        ("My wife Elena is a pediatrician.", {"user.wife": "Elena", "wife.occupation": "pediatrician"}),
        ("I'm an anesthesiologist", {"user.occupation": "anesthesiologist"}),
        ("I'm a freelance translator", {"user.occupation": "freelance translator"}),
        ("I'm a social worker", {"user.occupation": "social worker"}),
        ("I'm a stay-at-home mom", {"user.occupation": "stay-at-home mom"}),
        ("my dad is a retired physiotherapist", {"father.occupation": "retired physiotherapist"}),
        ("I'm an attorney", {"user.occupation": "attorney"}),
        ("我是牙医", {"user.occupation": "牙医"}),
        ("我是数据分析师", {"user.occupation": "数据分析师"}),
        # what one teaches is the job
        ("I teach high school chemistry in Portland.", {"user.occupation": "high school chemistry teacher"}),
        ("I teach math.", {"user.occupation": "math teacher"}),
        ("My wife teaches piano to kids.", {"wife.occupation": "piano teacher"}),
        ("I teach English online", {"user.occupation": "English teacher"}),
        # a judgement or a pastime is no job
        ("I'm a terrible cook", {}),
        ("I'm a good singer", {}),
        ("I'm an amateur photographer", {}),
        ("I teach my kids at home.", {}),
        ("I teach a class tonight", {}),
    ],
)
def test_an_occupation_is_named_by_its_word(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    ("text", "employer"),
    [
        ("I quit Google last week.", "no longer Google"),
        ("I just quit Amazon to start my own company.", "no longer Amazon"),
        ("I was fired from my job at Google.", "no longer Google"),
        ("I quit smoking.", None),
        ("I quit Instagram for a month.", None),  # an app, no employer
    ],
)
def test_an_employer_quit_by_name(text: str, employer: str | None) -> None:
    facts = {fact.key: fact.value for fact, _ in extract_facts(text, NOW)}
    assert facts == ({"user.employer": employer} if employer else {})


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("My sister's a nurse.", {"sister.occupation": "nurse"}),
        ("My sister Ana's a nurse.", {"sister.occupation": "nurse", "user.sister": "Ana"}),
        ("I'm a lawyer at Baker McKenzie.", {"user.occupation": "lawyer", "user.employer": "Baker McKenzie"}),
        ("My wife's a nurse at Mercy Hospital.", {"wife.occupation": "nurse", "wife.employer": "Mercy Hospital"}),
    ],
)
def test_a_job_said_with_s_or_at_a_firm_named_as_a_job(text: str, facts: dict[str, str]) -> None:
    assert {fact.key: fact.value for fact, _ in extract_facts(text, NOW)} == facts


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("My dad is retired.", {"father.occupation": "retired"}),
        ("My dad's retired.", {"father.occupation": "retired"}),
        ("My dad retired last year.", {"father.occupation": "retired"}),
        ("My dad's retired friend visited.", {}),  # the friend is
        ("My daughter's vegan.", {"daughter.diet_identity": "vegan"}),
        ("My daughter's vegan cookies are great.", {}),
    ],
)
def test_a_relation_retired_or_vegan_said_with_s(text: str, facts: dict[str, str]) -> None:
    assert {fact.key: fact.value for fact, _ in extract_facts(text, NOW)} == facts


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("我爸退休了", {"father.occupation": "retired"}),
        ("我妈去年退休了", {"mother.occupation": "retired"}),
        ("我退休了", {"user.occupation": "retired"}),
        ("我女儿吃素", {"daughter.diet_identity": "素食"}),
        ("我老公也是素食主义者", {"husband.diet_identity": "素食"}),
    ],
)
def test_a_relation_retired_or_vegetarian_in_chinese(text: str, facts: dict[str, str]) -> None:
    assert {fact.key: fact.value for fact, _ in extract_facts(text, NOW)} == facts


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("I've been working at Google for 5 years.", {"user.employer": "Google"}),
        ("I've been working as a nurse since 2015.", {"user.occupation": "nurse"}),
        ("I have been a teacher for 20 years.", {"user.occupation": "teacher"}),
        ("My wife has been working at Stripe.", {"wife.employer": "Stripe"}),
        ("I've been living in Chicago for 3 years.", {"user.lives_in": "Chicago"}),
        ("I've been working out a lot.", {}),
        ("I've been working on my thesis.", {}),
    ],
)
def test_a_state_held_since_some_time(text: str, facts: dict[str, str]) -> None:
    assert {fact.key: fact.value for fact, _ in extract_facts(text, NOW)} == facts
