from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from agent_helpers import RecordingGenerator
from langchain_core.messages import HumanMessage
from tiermem.agents.may_eat import MAY_I, asked_food
from tiermem.agents.medicines import is_medicine, taken_medicine
from tiermem.agents.responder import Responder
from tiermem.agents.retriever import RetrievalResult, RetrievedItem
from tiermem.agents.value_match import ValueMatcher
from tiermem.graphs import build_graph
from tiermem.graphs.services import Services

WHEN = datetime(2024, 5, 3, tzinfo=UTC)
ASK = "Please ask a doctor or pharmacist."


def _facts(*facts: tuple[str, str]) -> RetrievalResult:
    items = [
        RetrievedItem(id=key, tier="long", text="told", score=0.9, created_at=WHEN, key=key, value=value)
        for key, value in facts
    ]
    return RetrievalResult(query="q", items=items)


@pytest.mark.parametrize(
    ("asked", "said", "names"),
    [
        ("NSAIDs", "ibuprofen", True), ("NSAID", "Advil", True), ("penicillin", "amoxicillin", True),
        ("penicillins", "Augmentin", True), ("sulfa drugs", "Bactrim", True), ("sulfa", "sulfamethoxazole", True),
        ("opioids", "codeine", True), ("narcotics", "oxycodone", True), ("ibuprofen", "Motrin", True),
        ("非甾体抗炎药", "布洛芬", True), ("青霉素", "阿莫西林", True), ("NSAIDs", "布洛芬", True),
        ("penicillin", "阿莫西林", True),
        ("amoxicillin", "penicillin", False), ("Advil", "ibuprofen", False), ("penicillin", "cephalexin", False),
        ("cephalosporins", "penicillin", False), ("NSAIDs", "acetaminophen", False), ("opioids", "ibuprofen", False),
        ("NSAIDs", "peanuts", False),
    ],
)  # fmt: skip
def test_a_drug_class_names_its_drugs_and_their_brands_not_the_reverse(asked: str, said: str, names: bool) -> None:
    assert ValueMatcher(None).names(asked, said) is names


@pytest.mark.parametrize(
    ("asked", "said", "within"),
    [
        ("amoxicillin", "penicillin", "a penicillin"),
        ("Augmentin", "penicillin", "amoxicillin-clavulanate, a penicillin"),
        ("Advil", "NSAIDs", "ibuprofen, an NSAID"), ("Advil", "ibuprofen", "ibuprofen, an NSAID"),
        ("naproxen", "ibuprofen", "an NSAID"), ("Aleve", "aspirin", "an NSAID"),
        ("Bactrim", "sulfa", "sulfamethoxazole-trimethoprim, a sulfa drug"), ("Percocet", "codeine", "an opioid"),
        ("amoxicillin", "青霉素", "a penicillin"), ("Augmentin", "青霉素", "amoxicillin-clavulanate, a penicillin"),
        ("阿莫西林", "penicillin", "青霉素类药物"), ("阿莫西林", "青霉素", "青霉素类药物"),
        ("芬必得", "布洛芬", "非甾体抗炎药"),
        ("头孢氨苄", "头孢", "头孢类药物"), ("almonds", "nuts", "tree nuts"),
        ("cephalexin", "penicillin", None), ("penicillin", "cephalexin", None), ("NSAIDs", "aspirin", None),
        ("tramadol", "ibuprofen", None), ("Tylenol", "ibuprofen", None), ("peanuts", "tree nuts", None),
    ],
)  # fmt: skip
def test_how_a_drug_asked_is_in_the_class_told(asked: str, said: str, within: str | None) -> None:
    assert ValueMatcher(None).covering(asked, said) == within


@pytest.mark.parametrize(
    ("question", "drug"),
    [
        ("Can I take amoxicillin?", "amoxicillin"), ("Is it safe for me to take Tylenol?", "Tylenol"),
        ("Should I take some Advil?", "Advil"), ("Is ibuprofen OK for me?", "ibuprofen"),
        ("Can I take two 200 mg ibuprofen tablets for my headache?", "ibuprofen"),
        ("Is Advil safe for my sister?", "Advil"), ("Would aspirin be okay for me?", "aspirin"),
        ("Is Aleve safe to take?", "Aleve"), ("Can I use hydrocortisone cream?", "hydrocortisone cream"),
        ("Could I pop a couple of Motrin tonight?", "Motrin"), ("Can I take lisinopril?", "lisinopril"),
        ("Can I take antibiotics?", "antibiotics"), ("Can I have some Advil?", "Advil"),
        ("我能吃阿莫西林吗？", "阿莫西林"), ("我可以吃布洛芬吗？", "布洛芬"), ("我可以服用两片布洛芬吗？", "布洛芬"),
        ("布洛芬对我安全吗？", "布洛芬"), ("我能吃感冒药吗？", "感冒药"), ("我可以吃头孢吗？", "头孢"),
    ],
)  # fmt: skip
def test_the_medicine_a_may_i_question_names(question: str, drug: str) -> None:
    assert MAY_I.match(question) and asked_food(question) == drug and is_medicine(drug)


@pytest.mark.parametrize(
    "question",
    [
        "Can I take a break?", "Can I take the bus?", "Should I take the job?", "Can I take April to the zoo?",
        "Can I take my sister to the doctor?", "Can I take a photo?", "Is this plan OK for me?",
        "Can I use your phone?", "Should I try again later?", "我可以用你的电脑吗？", "我能吃薯片吗？",
    ],
)  # fmt: skip
def test_what_else_one_takes_is_no_medicine(question: str) -> None:
    assert taken_medicine(question) is None


def test_a_drug_of_a_class_told_is_said_so(responder: Responder, generator: RecordingGenerator) -> None:
    penicillin = _facts(("user.allergy", "penicillin, tree nuts"))
    told = "You told me you are allergic to penicillin (as of 2024-05-03); "
    for question in (
        "Can I take amoxicillin?",
        "Am I allergic to amoxicillin?",
        "Is it safe for me to take ampicillin?",
    ):
        answer = responder.answer(question, penicillin)
        assert answer.mode == "fact" and answer.text.startswith(told) and answer.text.endswith("is a penicillin.")
    assert responder.answer("Should I take Augmentin?", penicillin).text == (
        f"{told}Augmentin is amoxicillin-clavulanate, a penicillin."
    )
    ibuprofen = _facts(("user.allergy", "ibuprofen"))
    assert responder.answer("Am I allergic to NSAIDs?", ibuprofen).text == (
        "Yes, you are allergic to ibuprofen (as of 2024-05-03)."
    )
    for question in ("Am I allergic to Advil?", "Should I take some Advil?", "Is Advil OK for me?"):
        assert responder.answer(question, ibuprofen).text == (
            "You told me you are allergic to ibuprofen (as of 2024-05-03); Advil is ibuprofen, an NSAID."
        ), question
    assert responder.answer("Can I take naproxen?", ibuprofen).text.endswith("; naproxen is an NSAID.")
    sister = _facts(("sister.allergy", "codeine"))
    assert responder.answer("Can my sister take Percocet?", sister).text == (
        "You told me your sister is allergic to codeine (as of 2024-05-03); Percocet is an opioid."
    )
    assert responder.answer("Is my sister allergic to opioids?", sister).text == (
        "Yes, your sister is allergic to codeine (as of 2024-05-03)."
    )
    assert not generator.prompts


def test_a_drug_of_a_class_told_is_said_so_in_chinese(responder: Responder) -> None:
    said = _facts(("user.allergy", "青霉素"))
    told = "你说过你对青霉素过敏（截至 2024-05-03）；阿莫西林属于青霉素类药物。"
    assert responder.answer("我能吃阿莫西林吗？", said).text == told
    assert responder.answer("我对阿莫西林过敏吗？", said).text == told
    assert responder.answer("Can I take amoxicillin?", said).text == (
        "You told me you are allergic to 青霉素 (as of 2024-05-03); amoxicillin is a penicillin."
    )
    english = _facts(("user.allergy", "penicillin"))
    assert responder.answer("我可以吃阿莫西林吗？", english).text == (
        "你说过你对penicillin过敏（截至 2024-05-03）；阿莫西林属于青霉素类药物。"
    )
    assert responder.answer("我对非甾体抗炎药过敏吗？", _facts(("user.allergy", "布洛芬"))).text == (
        "是的，你对布洛芬过敏（截至 2024-05-03）。"
    )


def test_a_drug_no_allergy_told_names_is_not_guessed(responder: Responder, generator: RecordingGenerator) -> None:
    told = _facts(("user.allergy", "penicillin"), ("user.condition", "kidney disease"))
    held = (
        "you told me you are allergic to penicillin (as of 2024-05-03) and you have kidney disease (as of 2024-05-03)"
    )
    answer = responder.answer("Is ibuprofen OK for me?", told)
    assert answer.mode == "fact" and answer.cited == ["user.allergy", "user.condition"]
    assert answer.text == f"I can't tell whether ibuprofen is safe for you: {held}. {ASK}"
    assert responder.answer("Can I take Tylenol for my headache?", told).text == (
        f"I can't tell whether Tylenol is safe for you: {held}. {ASK}"
    )
    assert responder.answer("Can I take painkillers?", told).text.startswith("I can't tell whether painkillers are")
    assert responder.answer("Can I take Advil and Tylenol together?", told).text.startswith(
        "I can't tell whether Advil and Tylenol are safe for you:"
    )
    assert responder.answer("Can I have a glass of wine with my antibiotics?", told).text.startswith(
        "I don't know what's in a glass of wine with my antibiotics, but"  # wine is no medicine
    )
    # a cephalosporin is no penicillin: what was told, no yes
    assert responder.answer("Can I take cephalexin?", told).text.startswith("I can't tell whether cephalexin is")
    assert responder.answer("Am I allergic to cephalexin?", told).text == (
        "Not that you've told me: you are allergic to penicillin (as of 2024-05-03)."
    )
    assert responder.answer("我可以吃布洛芬吗？", told).text == (
        "我无法判断布洛芬对你是否安全：你说过你对penicillin过敏（截至 2024-05-03），"
        "你有kidney disease（截至 2024-05-03）。请咨询医生或药剂师。"
    )
    sister = _facts(("sister.allergy", "shellfish"))
    assert responder.answer("Can my sister take aspirin?", sister).text == (
        "I can't tell whether aspirin is safe for your sister: you told me your sister is allergic to shellfish"
        f" (as of 2024-05-03). {ASK}"
    )
    assert not generator.prompts


def test_what_else_one_takes_is_the_models(responder: Responder, generator: RecordingGenerator) -> None:
    told = _facts(("user.allergy", "penicillin"))
    for question in ("Can I take a break?", "Can I take the bus to work?", "Should I take the job?"):
        assert responder.answer(question, told).mode == "local", question
    weight = _facts(("user.weight", "70 kg"))
    assert responder.answer("Can I take ibuprofen?", weight).mode == "local"  # nothing told of allergies
    assert len(generator.prompts) == 4


def _ask(graph: Any, text: str) -> str:
    config = {"configurable": {"thread_id": "t-med", "user_id": "ann", "now": "2024-05-03T09:00:00"}}
    return str(graph.invoke({"messages": [HumanMessage(content=text)]}, config)["messages"][-1].content)


def test_medicines_against_the_allergies_told_through_the_graph(services: Services) -> None:
    graph = build_graph(services=services)
    _ask(graph, "I'm allergic to penicillin.")
    penicillin = "You told me you are allergic to penicillin (as of 2024-05-03); amoxicillin is a penicillin."
    assert _ask(graph, "Can I take amoxicillin?") == penicillin
    assert _ask(graph, "Am I allergic to amoxicillin?") == penicillin
    assert _ask(graph, "Is ibuprofen OK for me?") == (
        f"I can't tell whether ibuprofen is safe for you: you told me you are allergic to penicillin"
        f" (as of 2024-05-03). {ASK}"
    )
    assert (
        _ask(graph, "我能吃阿莫西林吗？") == "你说过你对penicillin过敏（截至 2024-05-03）；阿莫西林属于青霉素类药物。"
    )


def test_each_of_two_things_asked_together_is_checked(responder: Responder) -> None:
    """Asked "Advil and Tylenol" is two medicines: Advil is ibuprofen, which is told (it was read as one
    name that no allergy named); "mac and cheese" holds cheese, which is dairy."""
    told = _facts(("user.allergy", "ibuprofen and milk"))
    assert responder.answer("Can I take Advil and Tylenol together?", told, now=WHEN).text == (
        "You told me you are allergic to ibuprofen (as of 2024-05-03); Advil is ibuprofen, an NSAID."
    )
    assert responder.answer("Can I eat mac and cheese?", told, now=WHEN).text == (
        "You told me you are allergic to milk (as of 2024-05-03); cheese is dairy."
    )
    assert responder.answer("Can I take Tylenol and Zyrtec?", told, now=WHEN).text.endswith(ASK)


@pytest.mark.parametrize(
    ("question", "same"),
    [
        ("Can I take aspirin?", "; aspirin is an NSAID, as ibuprofen is"),
        ("Can I take Advil?", "; Advil is ibuprofen"),
        ("Can I take Tylenol?", ""),
    ],
)
def test_a_medication_taken_is_told_with_a_drug_of_its_class(responder: Responder, question: str, same: str) -> None:
    """Taking ibuprofen, a question for another NSAID (or ibuprofen by a brand) is told so, never answered yes."""
    drug = question.removeprefix("Can I take ").removesuffix("?")
    answer = responder.answer(question, _facts(("user.medication", "ibuprofen 400mg")))
    assert answer.mode == "fact" and answer.cited == ["user.medication"]
    told = "you told me you take ibuprofen 400mg (as of 2024-05-03)"
    assert answer.text == f"I can't tell whether {drug} is safe for you: {told}{same}. {ASK}"
    assert responder.answer(question, _facts(("user.medication", "no longer ibuprofen"))).text.endswith(
        f"you told me you no longer take ibuprofen (as of 2024-05-03). {ASK}"
    )
