"""Requests to forget said in chat: what they name, and which memories that is."""

from datetime import UTC, datetime

import pytest
from tiermem.agents.attribute_words import named_attributes
from tiermem.agents.forgetting import ForgetResolver, forget_object
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.records import Fact, MemoryRecord
from tiermem.memory.store import TierStore

NOW = datetime(2024, 5, 3, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Please forget my address.", "my address"),
        ("Can you forget about my weight please?", "my weight"),
        ("Forget that I live in Oslo.", "I live in Oslo"),
        ("Delete my allergy from your memory", "my allergy"),
        ("Don't remember my birthday", "my birthday"),
        ("忘掉我的地址", "我的地址"),
        ("不要记住我的体重", "我的体重"),
        ("请忘记我老婆的名字吧", "我老婆的名字"),
        ("forget it", "it"),
        ("Please don't save this, but my password is hunter2", "this"),
        ("don't write this down: my PIN is 4821", "this"),
        ("Don't save my card number", "my card number"),
        ("不要记录我的体重", "我的体重"),
        ("Forget about it, let's talk about dinner", "it"),
        ("Forget everything about my therapist.", "my therapist"),  # all of it: what it names
        ("Forget what I said about my salary", "my salary"),
        ("Forget everything about me", "everything about me"),  # every memory of the user, as before
        ("Please forget my address, thanks", "my address"),
        ("Delete my address.", "my address"),
        ("删除我的地址", "我的地址"),
        ("I forgot my keys at home", None),
        ("What's my address?", None),
    ],
)
def test_what_a_request_to_forget_names(text: str, named: str | None) -> None:
    assert forget_object(text) == named


@pytest.mark.parametrize(
    ("phrase", "attributes"),
    [
        ("my address", {"lives_in"}),
        ("where I live", {"lives_in"}),
        ("where I work", {"employer"}),  # not the occupation's "work" inside it
        ("how much I weigh", {"weight"}),
        ("my meds", {"medication"}),
        ("我的体重和身高", {"weight", "height"}),
        ("my blood pressure", {"blood_pressure"}),
        ("my passport number", set()),
        ("I'm allergic to peanuts", set()),  # a statement, not the attribute's name
    ],
)
def test_attributes_are_named_by_their_words(phrase: str, attributes: set[str]) -> None:
    assert named_attributes(phrase) == attributes


def _fact(namespace: str, text: str, subject: str, attribute: str, value: str, day: int = 3) -> MemoryRecord:
    when = NOW.replace(day=day)
    fact = Fact(subject=subject, attribute=attribute, value=value, observed_at=when)
    return MemoryRecord(namespace=namespace, tier="long", text=text, fact=fact, created_at=when)


@pytest.fixture
def resolver(store: TierStore, embedder: BaseEmbedder) -> ForgetResolver:
    store.write(
        [
            _fact("zoe", "My name is Zoe", "user", "name", "Zoe"),
            _fact("zoe", "I lived in Bergen", "user", "lives_in", "Bergen", day=1),
            _fact("zoe", "I live in Oslo", "user", "lives_in", "Oslo"),
            _fact("zoe", "My sister Anna lives in Rome", "sister", "lives_in", "Rome"),
            _fact("zoe", "My sister is Anna", "user", "sister", "Anna"),
            MemoryRecord(namespace="zoe", tier="short", text="I went hiking in the Alps", created_at=NOW),
            _fact("bob", "I live in Lima", "user", "lives_in", "Lima"),
        ]
    )
    return ForgetResolver(store, embedder)


def test_a_named_fact_is_planned_once_per_key_and_only_its_owners(resolver: ForgetResolver) -> None:
    mine = resolver.plan("zoe", "Please forget my address.", NOW)
    assert mine is not None and [t.memory for t in mine.targets] == ["lives_in = Oslo"]  # its newest version
    sisters = resolver.plan("zoe", "Forget my sister's address", NOW)
    assert sisters is not None and [t.memory for t in sisters.targets] == ["sister.lives_in = Rome"]
    her_name = resolver.plan("zoe", "forget my sister's name", NOW)
    assert her_name is not None and [t.memory for t in her_name.targets] == ["sister = Anna"]
    info = resolver.plan("zoe", "Please delete my address info.", NOW)
    assert info is not None and [t.memory for t in info.targets] == ["lives_in = Oslo"]


@pytest.mark.parametrize("request_", ["Forget about my sister.", "Forget about Anna"])  # "my sister is Anna"
def test_everything_about_a_relation_is_planned_by_its_word_or_name(resolver: ForgetResolver, request_: str) -> None:
    all_of_her = resolver.plan("zoe", request_, NOW)
    assert all_of_her is not None and sorted(t.memory for t in all_of_her.targets) == [
        "sister = Anna",
        "sister.lives_in = Rome",
    ]


def test_a_relation_is_named_by_the_name_the_user_gave_it(resolver: ForgetResolver) -> None:
    address = resolver.plan("zoe", "Forget Anna's address", NOW)
    assert address is not None and [t.memory for t in address.targets] == ["sister.lives_in = Rome"]
    nobody = resolver.plan("zoe", "Forget about Carla", NOW)
    assert nobody is not None and nobody.targets == []


def test_a_repeated_statement_is_planned_and_nothing_else(resolver: ForgetResolver) -> None:
    said = resolver.plan("zoe", "Forget that I went hiking in the Alps.", NOW)
    assert said is not None and [t.memory for t in said.targets] == ['"I went hiking in the Alps"']
    unknown = resolver.plan("zoe", "Forget my passport number.", NOW)
    assert unknown is not None and unknown.targets == [] and not unknown.vague
    for vague_request in (
        "Forget everything.",
        "Forget everything about me",
        "Please don't save this: my PIN is 4821",
        "忘掉关于我的一切",
        "forget what I just told you",
        "Forget the last thing I said",
        "忘掉我刚才说的",
    ):
        vague = resolver.plan("zoe", vague_request, NOW)
        assert vague is not None and vague.vague and vague.targets == [], vague_request
    assert resolver.plan("zoe", "Where do I live?", NOW) is None
    assert resolver.plan("carol", "Please forget my address.", NOW).targets == []  # type: ignore[union-attr]


def test_a_statement_said_again_in_other_forms_of_its_words_is_planned(
    store: TierStore, embedder: BaseEmbedder
) -> None:
    store.write(
        [
            MemoryRecord(namespace="ann", tier="long", text="I'm seeing a therapist for anxiety.", created_at=NOW),
            MemoryRecord(namespace="ann", tier="long", text="My salary is 95k.", created_at=NOW),
        ]
    )
    resolver = ForgetResolver(store, embedder)
    seen = resolver.plan("ann", "Please forget that I see a therapist.", NOW)
    assert seen is not None and [t.memory for t in seen.targets] == ['"I\'m seeing a therapist for anxiety"']
    other = resolver.plan("ann", "Please forget that I see a dentist.", NOW)  # not every word it names
    assert other is not None and other.targets == []


def test_one_allergy_is_forgotten_and_the_others_kept(store: TierStore, embedder: BaseEmbedder) -> None:
    store.write([_fact("dan", "I'm allergic to penicillin", "user", "allergy", "penicillin", day=1)])
    store.write([_fact("dan", "I'm also allergic to peanuts", "user", "allergy", "peanuts", day=2)])
    resolver = ForgetResolver(store, embedder)
    said = resolver.plan("dan", "Forget that I'm also allergic to peanuts", NOW)
    assert said is not None and len(said.targets) == 1
    store.forget("dan", said.targets[0].id)
    assert [f.value for f in store.ledger_facts("dan")] == ["penicillin"]
    every = resolver.plan("dan", "Forget my allergies", NOW)
    assert every is not None and [t.memory for t in every.targets] == ["allergy = penicillin"]


@pytest.mark.parametrize(
    "idiom",
    [
        "Forget about work, I just want to relax this weekend.",
        "Forget my trip to New York City",
        "Forget the diet, I ate a whole pizza today!",
        "Forget the name of that restaurant, what was my weight?",
        "忘记工作吧，我们聊聊周末。",
    ],
)
def test_a_sentence_that_only_starts_with_forget_forgets_nothing(resolver: ForgetResolver, idiom: str) -> None:
    plan = resolver.plan("zoe", idiom, NOW)
    assert plan is None or plan.targets == []


def test_a_value_names_the_fact_it_is_and_only_that_one(store: TierStore, embedder: BaseEmbedder) -> None:
    store.write([_fact("dan", "I'm allergic to penicillin", "user", "allergy", "penicillin", day=1)])
    store.write([_fact("dan", "I'm also allergic to peanuts", "user", "allergy", "peanuts", day=2)])
    store.write([_fact("dan", "I have diabetes", "user", "condition", "diabetes", day=2)])
    resolver = ForgetResolver(store, embedder)
    peanut = resolver.plan("dan", "Forget my peanut allergy", NOW)
    assert peanut is not None and [t.memory for t in peanut.targets] == ["allergy = peanuts"]
    diabetes = resolver.plan("dan", "Forget my diabetes", NOW)
    assert diabetes is not None and [t.memory for t in diabetes.targets] == ["condition = diabetes"]


def test_where_the_user_works_names_the_employer(store: TierStore, embedder: BaseEmbedder) -> None:
    store.write([_fact("eve", "I work at Siemens as a nurse", "user", "employer", "Siemens")])
    store.write([_fact("eve", "I'm a nurse", "user", "occupation", "nurse")])
    plan = ForgetResolver(store, embedder).plan("eve", "Forget where I work", NOW)
    assert plan is not None and [t.memory for t in plan.targets] == ["employer = Siemens"]


def test_a_plain_memory_is_named_by_the_users_words_for_it(store: TierStore, embedder: BaseEmbedder) -> None:
    store.write(
        [
            MemoryRecord(namespace="eve", tier="long", text="My password is hunter2", created_at=NOW),
            MemoryRecord(namespace="eve", tier="long", text="My gmail password is b4ck", created_at=NOW),
            MemoryRecord(namespace="eve", tier="mid", text="My order number is 5521. I like tea.", created_at=NOW),
            MemoryRecord(namespace="eve", tier="long", text="我的银行卡密码是8888", created_at=NOW),
            MemoryRecord(namespace="eve", tier="long", text="The wifi password at work changed", created_at=NOW),
            MemoryRecord(namespace="bob", tier="long", text="My password is bob123", created_at=NOW),
        ]
    )
    resolver = ForgetResolver(store, embedder)
    password = resolver.plan("eve", "Forget my password", NOW)
    assert password is not None
    assert sorted(t.memory for t in password.targets) == ['"My gmail password is b4ck"', '"My password is hunter2"']
    order = resolver.plan("eve", "Please forget my order number", NOW)
    assert order is not None and [t.memory for t in order.targets] == ['"My order number is 5521"']  # its sentence
    zh = resolver.plan("eve", "忘掉我的密码", NOW)
    assert zh is not None and [t.memory for t in zh.targets] == ['"我的银行卡密码是8888"']
    nothing = resolver.plan("eve", "Forget my passport number", NOW)
    assert nothing is not None and nothing.targets == []


def test_a_message_only_an_episode_holds_is_forgotten_from_it(store: TierStore, embedder: BaseEmbedder) -> None:
    episode = "on 2024-05-03: user: my PIN is 4821\nuser: I like tea"
    store.write([MemoryRecord(namespace="eve", tier="mid", kind="episode", text=episode, created_at=NOW)])
    plan = ForgetResolver(store, embedder).plan("eve", "Forget my PIN", NOW)
    assert plan is not None and len(plan.targets) == 1
    store.forget("eve", plan.targets[0].id)
    assert not [r for r in store.records("eve") if "4821" in r.text]


def test_a_person_named_is_forgotten_from_every_memory_that_names_them(
    store: TierStore, embedder: BaseEmbedder
) -> None:
    said = ["My manager is called Peter", "Peter says I work too much", "I love jazz"]
    ids = store.write([MemoryRecord(namespace="zoe", tier="long", text=t, created_at=NOW) for t in said])
    plan = ForgetResolver(store, embedder).plan("zoe", "Forget about Peter", NOW)
    assert plan is not None and sorted(t.id for t in plan.targets) == sorted(ids[:2])
    assert ForgetResolver(store, embedder).plan("zoe", "Forget about Petra", NOW).targets == []  # type: ignore[union-attr]


def test_a_fact_told_in_chinese_is_forgotten_when_asked_in_english(store: TierStore, embedder: BaseEmbedder) -> None:
    """ "Forget that I'm allergic to cats" after 我对猫过敏: the same fact in other words; a dog is no cat."""
    store.write([_fact("li", "我对猫过敏", "user", "allergy", "猫", day=1)])
    store.write([_fact("li", "我对花生过敏", "user", "allergy", "花生", day=2)])
    resolver = ForgetResolver(store, embedder)
    cats = resolver.plan("li", "Forget that I'm allergic to cats.", NOW)
    assert cats is not None and [t.memory for t in cats.targets] == ["allergy = 猫"]
    dogs = resolver.plan("li", "Forget that I'm allergic to dogs.", NOW)
    assert dogs is not None and dogs.targets == []


def test_one_pet_named_is_forgotten_and_the_others_of_its_kind_kept(store: TierStore, embedder: BaseEmbedder) -> None:
    store.write([_fact("dee", "I have a dog named Rex", "user", "dog", "Rex", day=1)])
    store.write([_fact("dee", "We also have a dog called Bella", "user", "dog", "Bella", day=2)])
    resolver = ForgetResolver(store, embedder)
    plan = resolver.plan("dee", "Please forget about Bella.", NOW)
    assert plan is not None and [t.said for t in plan.targets] == ["We also have a dog called Bella"]
    store.forget("dee", plan.targets[0].id)
    assert [f.value for f in store.ledger_facts("dee")] == ["Rex"]
    every = resolver.plan("dee", "Forget my dog", NOW)
    assert every is not None and [t.memory for t in every.targets] == ["dog = Rex"]
