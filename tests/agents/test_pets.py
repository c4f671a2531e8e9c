"""The user's pets as a group: "What pets do I have?", "my pet" asked of the dog or cat held."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from agent_helpers import RecordingGenerator
from langchain_core.messages import HumanMessage
from tiermem.agents.asked import PETS, as_held_member
from tiermem.agents.extract import extract_facts
from tiermem.agents.fact_words import PET_SLUGS
from tiermem.agents.gate import GateDecision
from tiermem.agents.pet_losses import PetLossResolver, gone_names
from tiermem.agents.responder import Responder
from tiermem.agents.retriever import RetrievalResult, RetrievedItem
from tiermem.graphs import build_graph
from tiermem.graphs.services import Services
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.records import Fact, MemoryRecord
from tiermem.memory.store import TierStore
from tiermem.memory.versions import PETS as STORED_PETS
from tiermem.memory.versions import SET_VALUED

WHEN = datetime(2024, 5, 3, 8, tzinfo=UTC)
_BOTH = "I have a dog named Max and a cat named Luna."


def _fact(key: str, value: str, text: str) -> RetrievedItem:
    return RetrievedItem(id=key, tier="long", text=text, score=0.9, created_at=WHEN, key=key, value=value)


def _said(text: str) -> RetrievedItem:
    return RetrievedItem(id=text, tier="long", text=text, score=0.9, created_at=WHEN)


_DOG = _fact("user.dog", "Max", _BOTH)
_CAT = _fact("user.cat", "Luna", _BOTH)
_CAT_AGE = _fact("cat.age", "2", "My cat Luna is 2 years old.")
_LUNA = _fact("user.cat", "Luna", "My cat Luna is 2 years old.")
_HOME = _fact("user.lives_in", "Paris", "I live in Paris")


@pytest.mark.parametrize(
    "question",
    [
        "What pets do I have?",
        "Do I have any pets?",
        "How many pets do I have?",
        "Have I got any pets?",
        "Do I have a pet?",
        "Which animals do I own?",
        "What kind of pets do we have?",
        "How many pets have I got?",
        "Tell me about my pets.",
        "Who are my furry friends?",
        "我的宠物都有哪些？",
        "我有什么宠物？",
        "我有宠物吗？",
        "我有没有宠物？",
        "我家有几只宠物？",
        "我养了什么？",
        "我养了什么宠物？",
        "我们养了些啥？",
    ],
)
def test_a_question_that_counts_the_pets(question: str) -> None:
    assert PETS.counted.search(question)


@pytest.mark.parametrize(
    "question",
    [
        "Can I bring pets to the hotel?",
        "Are pets allowed on the train?",
        "Do I have a pet allergy?",
        "What pet food do I have?",
        "How many pets does my sister have?",
        "What are my pets' names?",
        "Tell me about my pet insurance.",
        "Do you have any pets?",
        "我有宠物过敏吗？",
        "我养了什么花？",
        "宠物可以带进酒店吗？",
    ],
)
def test_no_count_of_the_users_pets(question: str) -> None:
    assert not PETS.counted.search(question)


@pytest.mark.parametrize(
    ("question", "items", "asked"),
    [
        ("How old is my pet?", [_CAT, _CAT_AGE], "How old is my cat?"),
        ("What's my pet's name?", [_DOG], "What's my dog's name?"),
        ("What are my pets' names?", [_CAT], "What are my cat's names?"),
        ("Is my furry friend vaccinated?", [_DOG], "Is my dog vaccinated?"),
        ("What's my pet's name?", [_DOG, _CAT], "What's my dog's or my cat's name?"),
        ("What's my pet peeve?", [_DOG], "What's my pet peeve?"),
        ("Can I bring pets to the hotel?", [_DOG], "Can I bring pets to the hotel?"),
        ("What's my pet's name?", [_HOME], "What's my dog's or my cat's name?"),  # none held: not the user's name
        ("What's my pet's name?", [_fact("user.pet_name", "咪咪", "我养了一只猫叫咪咪")], "What's my pet's name?"),
        ("我的宠物叫什么？", [_CAT], "我的猫叫什么？"),
        ("我家宠物几岁了？", [_DOG], "我狗几岁了？"),
        ("我的宠物们叫什么？", [_CAT], "我的猫叫什么？"),
    ],
)
def test_my_pet_is_the_pet_held(question: str, items: list[RetrievedItem], asked: str) -> None:
    assert as_held_member(question, items) == asked


def test_a_pet_that_died_is_held_no_more() -> None:
    gone = _fact("user.dog", "no longer has a dog", "My dog Rex died last year.")
    assert PETS.held([gone, _fact("dog.age", "9", "Rex is 9"), _CAT]) == ("cat",)


def _answers(embedder: BaseEmbedder, items: list[RetrievedItem], *questions: str) -> list[str]:
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    return [responder.answer(q, RetrievalResult(query=q, items=items), now=WHEN).text for q in questions]


def test_a_dog_and_a_cat_are_told_together(embedder: BaseEmbedder) -> None:
    assert _answers(
        embedder,
        [_DOG, _CAT],
        "What pets do I have?",
        "Do I have any pets?",
        "How many pets do I have?",
        "What are my pets' names?",
        "What's my pet's name?",
        "How old is my pet?",
        "What's my cat's name?",
        "Tell me about my pets.",
    ) == [
        "You've told me about 2 pets: Max (dog) and Luna (cat).",
        "You've told me about 2 pets: Max (dog) and Luna (cat).",
        "You've told me about 2 pets: Max (dog) and Luna (cat).",
        "Your pets are Max (dog) and Luna (cat), as of 2024-05-03.",
        "Your pets are Max (dog) and Luna (cat), as of 2024-05-03.",
        "You haven't told me your dog's age yet. You haven't told me your cat's age yet.",
        "Your cat is Luna (as of 2024-05-03).",
        "You've told me about 2 pets: Max (dog) and Luna (cat).",
    ]
    assert _answers(embedder, [_DOG, _CAT], "我有什么宠物？", "我有宠物吗？", "我养了什么？", "我的宠物叫什么？") == [
        "你告诉过我你有2只宠物：Max（狗）和Luna（猫）。",
        "你告诉过我你有2只宠物：Max（狗）和Luna（猫）。",
        "你告诉过我你有2只宠物：Max（狗）和Luna（猫）。",
        "根据记忆（2024-05-03）：你的宠物是Max（狗）和Luna（猫）。",
    ]


def test_one_pet_held_answers_for_my_pet(embedder: BaseEmbedder) -> None:
    assert _answers(
        embedder,
        [_LUNA, _CAT_AGE],
        "What's my pet's name?",
        "How old is my pet?",
        "What pets do I have?",
        "我有几只宠物？",
        "What's my dog's name?",
    ) == [
        "Your cat is Luna (as of 2024-05-03).",
        "Your cat's age is 2 (as of 2024-05-03).",
        "You've told me about one pet: Luna (cat).",
        "你告诉过我你有1只宠物：Luna（猫）。",
        "You haven't told me anything about your dog yet.",  # a cat is no dog
    ]


def test_the_dog_age_told_and_the_cats_not(embedder: BaseEmbedder) -> None:
    dog_age = _fact("dog.age", "3", "My dog Max is 3 years old.")
    assert _answers(embedder, [_DOG, dog_age, _CAT], "How old is my pet?", "How old are my pets?") == [
        "Your dog's age is 3 (as of 2024-05-03). You haven't told me your cat's age yet.",
        "Your dog's age is 3 (as of 2024-05-03). You haven't told me your cat's age yet.",
    ]


def test_pets_told_by_name_alone_and_together(embedder: BaseEmbedder) -> None:
    named = _fact("user.pet_name", "咪咪", "我养了一只猫叫咪咪")
    assert _answers(embedder, [named], "我养了什么？", "Do I have any pets?") == [
        "你告诉过我你有1只宠物：咪咪。",
        "You've told me about one pet: 咪咪.",
    ]
    cats = _fact("user.cat", "Tom and Jerry", "I have two cats, Tom and Jerry.")
    gone = _fact("user.dog", "no longer has a dog", "My dog Rex died last year.")
    assert _answers(embedder, [cats, gone], "How many pets do I have?") == [
        "You've told me about 2 pets: Tom (cat) and Jerry (cat)."
    ]


def test_no_pet_held_is_not_told(embedder: BaseEmbedder) -> None:
    name = _fact("user.name", "Anna", "My name is Anna")
    asked_before = _said("Do I have any pets?")  # a question asked before tells nothing of them
    assert _answers(
        embedder,
        [_HOME, name, asked_before],
        "Do I have any pets?",
        "What's my pet's name?",
        "What are my pets' names?",
        "How old is my pet?",
        "我有宠物吗？",
        "我的宠物叫什么？",
    ) == [
        "You haven't told me anything about your pets yet.",
        "You haven't told me anything about your pet yet.",
        "You haven't told me anything about your pets yet.",
        "You haven't told me anything about your pet yet.",
        "我没有关于你的宠物的记忆：你还没有告诉过我。",
        "我没有关于你的宠物的记忆：你还没有告诉过我。",
    ]


def test_a_pet_only_said_is_quoted(embedder: BaseEmbedder) -> None:
    hamster = _said("We adopted a hamster named Bob.")
    name = _fact("user.name", "Anna", "My name is Anna")
    assert _answers(embedder, [name, hamster], "Do I have any pets?", "What's my pet's name?", "我有宠物吗？") == [
        'You told me: "We adopted a hamster named Bob." (2024-05-03).',
        'You told me: "We adopted a hamster named Bob." (2024-05-03).',
        "根据记忆（2024-05-03）：原话：“We adopted a hamster named Bob.”",
    ]


def test_pets_not_the_users_are_no_question_of_theirs(embedder: BaseEmbedder) -> None:
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    question = "Can I bring pets to the hotel?"
    answer = responder.answer(question, RetrievalResult(query=question, items=[_DOG, _CAT]), now=WHEN)
    assert "You've told me about" not in answer.text
    assert "Your pets are" not in answer.text


def _ask(graph: Any, user: str, text: str) -> str:
    config = {"configurable": {"thread_id": f"t-{user}", "user_id": user, "now": "2024-05-03T09:00:00"}}
    return str(graph.invoke({"messages": [HumanMessage(content=text)]}, config)["messages"][-1].content)


def test_pets_through_the_graph(services: Services) -> None:
    graph = build_graph(services=services)
    _ask(graph, "ann", _BOTH)
    assert _ask(graph, "ann", "What pets do I have?") == "You've told me about 2 pets: Max (dog) and Luna (cat)."
    assert _ask(graph, "ann", "Do I have any pets?") == "You've told me about 2 pets: Max (dog) and Luna (cat)."
    assert _ask(graph, "ann", "我有什么宠物？") == "你告诉过我你有2只宠物：Max（狗）和Luna（猫）。"
    assert _ask(graph, "ann", "What's my cat's name?") == "Your cat is Luna (as of 2024-05-03)."
    _ask(graph, "bob", "My cat Luna is 2 years old.")
    assert _ask(graph, "bob", "What's my pet's name?") == "Your cat is Luna (as of 2024-05-03)."
    assert _ask(graph, "bob", "How old is my pet?") == "Your cat's age is 2 (as of 2024-05-03)."
    assert _ask(graph, "bob", "What's my dog's name?") == "You haven't told me anything about your dog yet."
    _ask(graph, "cy", "I live in Paris.")
    assert _ask(graph, "cy", "Do I have any pets?") == "You haven't told me anything about your pets yet."
    assert _ask(graph, "cy", "What's my pet's name?") == "You haven't told me anything about your pet yet."


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("I have a hamster named Biscuit", {"user.hamster": "Biscuit"}),
        ("My rabbit is called Snowy.", {"user.rabbit": "Snowy"}),
        ("my bunny Clover is 3", {"user.rabbit": "Clover", "rabbit.age": "3"}),
        ("We adopted two guinea pigs, Salt and Pepper", {"user.guinea_pig": "Salt and Pepper"}),
        ("I have a kitten named Mochi and a puppy named Bolt", {"user.cat": "Mochi", "user.dog": "Bolt"}),
        ("my horse Thunder is 12 years old", {"user.horse": "Thunder", "horse.age": "12"}),
        ("We've got a parrot called Kiwi", {"user.parrot": "Kiwi"}),
        ("我的仓鼠叫小白", {"user.hamster": "小白"}),
        ("我家乌龟叫慢慢", {"user.turtle": "慢慢"}),
        ("Our guinea pigs died last week", {"user.guinea_pig": "no longer has a guinea pig"}),
        ("I just adopted a puppy called Rex.", {"user.dog": "Rex"}),
        ("We've just adopted a kitten named Luna", {"user.cat": "Luna"}),
        ("I recently rescued a dog named Bella", {"user.dog": "Bella"}),
        ("We finally got a rabbit called Clover", {"user.rabbit": "Clover"}),
        ("I also have a sister named Anna", {"user.sister": "Anna"}),
        ("I just got a new job", {}),
    ],
)
def test_pets_of_every_kind_are_named_relations(text: str, facts: dict[str, str]) -> None:
    assert {fact.key: fact.value for fact, _ in extract_facts(text, WHEN)} == facts


def test_pets_of_other_kinds_are_told_and_asked_by_their_kind(embedder: BaseEmbedder) -> None:
    hamster = _fact("user.hamster", "Biscuit", "I have a hamster named Biscuit")
    pigs = _fact("user.guinea_pig", "Salt and Pepper", "We adopted two guinea pigs, Salt and Pepper")
    assert _answers(
        embedder,
        [hamster, pigs],
        "What pets do I have?",
        "What's my hamster's name?",
        "What's my dog's name?",
        "我有什么宠物？",
    ) == [
        "You've told me about 3 pets: Biscuit (hamster), Salt (guinea pig) and Pepper (guinea pig).",
        "Your hamster is Biscuit (as of 2024-05-03).",
        "You haven't told me anything about your dog yet.",
        "你告诉过我你有3只宠物：Biscuit（仓鼠）、Salt（豚鼠）和Pepper（豚鼠）。",
    ]


@pytest.mark.parametrize(
    ("text", "pet"),
    [
        ("I have a golden retriever named Max.", ("user.dog", "Max")),
        ("I just adopted a golden retriever puppy named Biscuit!", ("user.dog", "Biscuit")),
        ("We have a beagle mix named Rosie", ("user.dog", "Rosie")),
        ("I have a tabby kitten called Milo", ("user.cat", "Milo")),
        ("My puppy is 10 weeks old", ("dog.age", "10 weeks")),
        ("Our tabby Milo hates baths", ("user.cat", "Milo")),
        ("My lab results came back", None),  # no breed said of a laboratory
        ("My husky voice is gone", None),
    ],
)
def test_a_pet_is_named_by_its_breed(text: str, pet: tuple[str, str] | None) -> None:
    facts = {fact.key: fact.value for fact, _ in extract_facts(text, WHEN)}
    assert (pet in facts.items()) if pet else not facts


def test_a_pet_that_died_last_month_is_gone_after_it_was_told_of_today(services: Services) -> None:
    graph = build_graph(services=services)
    config = {"configurable": {"thread_id": "t", "user_id": "ann", "now": WHEN.isoformat(), "respond": False}}
    for text in ("I have a golden retriever named Max.", "Sadly Max passed away last month."):
        graph.invoke({"messages": [HumanMessage(content=text)]}, config)
    newest = services.store.latest_facts("ann", ["user.dog"], versions=1)["user.dog"][0]
    assert newest.fact is not None and newest.fact.value == "no longer has a dog"


def test_an_episode_is_quoted_from_its_first_line_of_the_pets_on(embedder: BaseEmbedder) -> None:
    lines = ["3 May 2024", "Hi there!", "I have a golden retriever named Max.", "Sadly Max passed away (April 2024)."]
    session = "\n".join(lines)
    episode = RetrievedItem(id="e", tier="mid", kind="episode", text=session, score=0.9, created_at=WHEN)
    answer = Responder(generator=RecordingGenerator(), embedder=embedder).answer(
        "What pets do I have?", RetrievalResult(query="q", items=[episode]), now=WHEN
    )
    assert answer.text == (
        'You told me: "I have a golden retriever named Max. Sadly Max passed away (April 2024)." (2024-05-03).'
    )


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("We adopted another cat, her name is Pepper.", {"user.cat": "Pepper"}),
        ("We got a second dog named Rex.", {"user.dog": "Rex"}),
        ("We just got another kitten, Mochi.", {"user.cat": "Mochi"}),
        ("We just adopted a rescue cat named Biscuit.", {"user.cat": "Biscuit"}),
        ("My rescue dog Max is a beagle", {"user.dog": "Max", "dog.breed": "beagle"}),
        ("My adopted son Kai is 9.", {"user.son": "Kai", "son.age": "9"}),
        ("I adopted one more cat called Salt.", {"user.cat": "Salt"}),
        ("Our cat Luna died.", {"user.cat": "no longer Luna"}),
        ("My old cat Felix passed away last week.", {"user.cat": "no longer Felix"}),
        ("We lost our dog Rex last month.", {"user.dog": "no longer Rex"}),
        ("We had to put our dog Rex down yesterday.", {"user.dog": "no longer Rex"}),
        ("Our dog died.", {"user.dog": "no longer has a dog"}),
        ("We put our dog Rex in the car.", {}),
    ],
)
def test_a_pet_added_or_gone_by_its_name(text: str, facts: dict[str, str]) -> None:
    assert {fact.key: fact.value for fact, _ in extract_facts(text, WHEN)} == facts


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Sadly Rex passed away last night, and we had to put Milo down.", ["Rex", "Milo"]),
        ("Bella died last night.", ["Bella"]),
        ("Max ran away.", ["Max"]),
        ("We lost Milo.", ["Milo"]),
        ("Coco was rehomed last week", ["Coco"]),
        ("Rex has passed.", ["Rex"]),
        ("咪咪上周去世了", ["咪咪"]),
        ("Did Rex die?", []),  # asked, not stated
        ("Rex passed the vet check.", []),
        ("We had to put Milo in the car.", []),
    ],
)
def test_the_names_said_gone(text: str, names: list[str]) -> None:
    assert gone_names(text) == names


def _pet(store: TierStore, namespace: str, pet: str, value: str, minutes: int) -> None:
    fact = Fact(attribute=pet, value=value, observed_at=WHEN + timedelta(minutes=minutes))
    record = MemoryRecord(namespace=namespace, tier="long", kind="fact", text=value, fact=fact, created_at=WHEN)
    store.write([record])


def test_a_held_pet_said_gone_by_name_alone_is_ended_and_the_others_kept(store: TierStore) -> None:
    _pet(store, "ann", "dog", "Rex", 0)
    _pet(store, "ann", "dog", "Bella", 1)
    _pet(store, "ann", "cat", "Luna and Milo", 2)
    later = WHEN + timedelta(hours=1)
    small_talk = GateDecision(tier="none", reason="small talk")
    revised = PetLossResolver(store).revised(small_talk, "ann", "Bella died last night, and Milo ran away.", later)
    assert revised.tier == "mid" and [(f.key, f.value) for f in revised.facts] == [
        ("user.cat", "no longer Milo"),
        ("user.dog", "no longer Bella"),
    ]
    assert PetLossResolver(store).revised(small_talk, "bob", "Bella died last night.", later) == small_talk
    assert PetLossResolver(store).revised(small_talk, "ann", "Grandpa Joe passed away.", later) == small_talk
    stated = GateDecision(tier="long", facts=[Fact(attribute="dog", value="no longer Bella", observed_at=later)])
    assert PetLossResolver(store).revised(stated, "ann", "Our dog Bella died.", later) == stated


def test_pets_added_gone_and_counted_through_the_graph(services: Services) -> None:
    graph = build_graph(services=services)
    for text in ("We have two cats, Luna and Milo.", "We adopted another cat, her name is Pepper.", _BOTH):
        _ask(graph, "dee", text)
    assert _ask(graph, "dee", "How many cats do I have?") == "You've told me about 3 cats: Luna, Pepper and Milo."
    assert _ask(graph, "dee", "What are my cats' names?") == "Your cats are Luna, Pepper and Milo (as of 2024-05-03)."
    assert _ask(graph, "dee", "我有几只猫？") == "你告诉过我你有3只猫：Luna、Pepper和Milo。"
    _ask(graph, "dee", "Milo passed away.")
    pets = "You've told me about 3 pets: Max (dog), Luna (cat) and Pepper (cat)."
    assert _ask(graph, "dee", "How many pets do I have?") == pets
    _ask(graph, "dee", "Max ran away.")
    assert _ask(graph, "dee", "What's my dog's name?") == "You no longer have Max, your dog (as of 2024-05-03)."


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many cats do I have?", "cat"),
        ("How many dogs do we have?", "dog"),
        ("How many puppies have I got?", None),  # a word no kind's plural says: the pets' count answers
        ("我有几只猫？", "cat"),
        ("我家养了几条狗？", "dog"),
        ("How many pets do I have?", None),  # the group, not one kind
        ("How many dogs does my sister have?", None),
    ],
)
def test_a_question_that_counts_one_kind_of_pet(question: str, kind: str | None) -> None:
    assert PETS.counted_kind(question) == kind


def test_every_pet_kind_is_held_several_at_once() -> None:
    """The extraction's pets (``PET_SLUGS``) are the store's (``versions.PETS``), each :data:`SET_VALUED`."""
    assert set(PET_SLUGS) == STORED_PETS and STORED_PETS <= SET_VALUED


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("我们家有两只猫，一只叫咪咪，一只叫花花", {"user.cat": "咪咪和花花"}),
        ("我养了两条狗，一条叫旺财，另一条叫小黑", {"user.dog": "旺财和小黑"}),
    ],
)
def test_two_pets_named_one_by_one_in_chinese(text: str, facts: dict[str, str]) -> None:
    assert {fact.key: fact.value for fact, _ in extract_facts(text, WHEN)} == facts


def test_a_chinese_pet_gone_by_name_is_counted_no_more(services: Services) -> None:
    graph = build_graph(services=services)
    _ask(graph, "mei", "我们家有两只猫，一只叫咪咪，一只叫花花")
    assert _ask(graph, "mei", "我有几只猫？") == "你告诉过我你有2只猫：咪咪和花花。"
    _ask(graph, "mei", "花花去世了")
    assert _ask(graph, "mei", "我有几只猫？") == "你告诉过我你有1只猫：咪咪。"
