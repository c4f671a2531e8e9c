"""A car, as people say they have one: named, driven, bought, traded in, switched to, sold; English
and Chinese, the speaker's and a relation's; the newest one answers "What car do I drive?"."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from langchain_core.messages import HumanMessage
from tiermem.agents.extract import extract_facts
from tiermem.graphs import build_graph
from tiermem.graphs.services import Services

NOW = datetime(2024, 5, 3, 9, tzinfo=UTC)


def _facts(text: str) -> dict[str, str]:
    return {fact.key: fact.value for fact, _ in extract_facts(text, NOW)}


def _cars(text: str) -> dict[str, str]:
    return {key: value for key, value in _facts(text).items() if key.endswith(".car")}


@pytest.mark.parametrize(
    ("text", "car"),
    [
        ("My car is a Corolla.", "Corolla"),
        ("my car's a 2020 Honda Civic", "Honda Civic"),
        ("My new car is a Tesla Model 3", "Tesla Model 3"),
        ("My car is a Toyota SUV", "Toyota SUV"),
        ("Our car is an old Volvo", "Volvo"),
        ("I drive a Honda Civic.", "Honda Civic"),
        ("I drive a 2015 Honda Civic.", "Honda Civic"),
        ("I drive an Audi", "Audi"),
        ("I drive a BMW 3 Series", "BMW 3 Series"),
        ("I drive a Mercedes-Benz C-Class", "Mercedes-Benz C-Class"),
        ("I drive a Lada Niva", "Lada Niva"),  # a name no list holds, where driving says it is a car
        ("i drive a honda civic", "Honda Civic"),
        ("I'm driving a Tesla now", "Tesla"),
        ("I bought myself a used Prius", "Prius"),
        ("I got a new Toyota RAV4 last week", "Toyota RAV4"),
        ("i bought a bmw x5", "BMW X5"),
        ("I bought a Ford F-150 two years ago", "Ford F-150"),
        ("I finally bought a Tesla Model Y last week!", "Tesla Model Y"),
        ("Just bought a Tesla!", "Tesla"),
        ("sold the civic, got a Tesla Model 3 now", "Tesla Model 3"),
        ("I have a Honda Civic", "Honda Civic"),
        ("We own a Volvo XC90", "Volvo XC90"),
        ("I've got a Jeep Wrangler", "Jeep Wrangler"),
        ("I just traded it in for a Tesla.", "Tesla"),
        ("I traded in my Corolla for a Model 3.", "Model 3"),
        ("I switched to a Tesla", "Tesla"),
        ("I switched from a Civic to a Model Y", "Model Y"),
        ("I sold my Toyota and bought a Honda", "Honda"),  # what holds, over what ended
        ("My Corolla got totaled so I bought a Tesla", "Tesla"),
        ("I just got a new car, a Tesla Model Y", "Tesla Model Y"),
        ("We just bought a minivan, a Honda Odyssey", "Honda Odyssey"),
        ("My daily driver is a Honda Fit", "Honda Fit"),
        ("I traded my Corolla for a Tesla", "Tesla"),
        ("Traded in the Corolla for a Tesla", "Tesla"),
        ("I replaced my Corolla with a Tesla", "Tesla"),
        ("I upgraded my car to a Tesla", "Tesla"),
        ("I drive my Tesla to work every day", "Tesla"),
        ("Finally got my Tesla!", "Tesla"),
        ("I got my Tesla back from the shop", "Tesla"),
    ],
)
def test_the_speakers_car(text: str, car: str) -> None:
    assert _cars(text) == {"user.car": car}


@pytest.mark.parametrize(
    ("text", "car"),
    [
        ("I sold my Corolla.", "no longer has a Corolla"),
        ("I sold my car last month", "no longer has a car"),
        ("I got rid of my car", "no longer has a car"),
        ("I no longer have a car", "no longer has a car"),
        ("I sold my old Audi", "no longer has an Audi"),
        ("我把车卖了", "no longer has a car"),
        ("我卖掉了我的卡罗拉", "no longer has a 卡罗拉"),
        ("我现在没车了", "no longer has a car"),
    ],
)
def test_a_car_sold_ends_it(text: str, car: str) -> None:
    assert _cars(text) == {"user.car": car}


@pytest.mark.parametrize(
    ("text", "cars"),
    [
        ("My sister drives a Jeep", {"sister.car": "Jeep"}),
        ("My sister's car is a Jeep", {"sister.car": "Jeep"}),
        ("My dad's car is an old Volvo", {"father.car": "Volvo"}),
        ("my friend's car is a Corolla", {"friend.car": "Corolla"}),  # the friend's, not the speaker's
        ("My car is a Tesla but my wife's car is a BMW", {"user.car": "Tesla", "wife.car": "BMW"}),
        ("我姐姐开宝马", {"sister.car": "宝马"}),
        ("我老公买了一辆比亚迪汉", {"husband.car": "比亚迪汉"}),
    ],
)
def test_a_relations_car_is_theirs(text: str, cars: dict[str, str]) -> None:
    assert _cars(text) == cars


@pytest.mark.parametrize(
    ("text", "car"),
    [
        ("我的车是卡罗拉", "卡罗拉"),
        ("我家的车是大众", "大众"),
        ("我开特斯拉", "特斯拉"),
        ("我开的是一辆丰田", "丰田"),
        ("我现在开特斯拉了", "特斯拉"),
        ("我开Tesla Model 3", "Tesla Model 3"),
        ("我买了一辆特斯拉", "特斯拉"),
        ("我有一辆宝马X5", "宝马X5"),
        ("我的车是一辆白色的特斯拉Model Y。", "特斯拉Model Y"),
        ("我买了一辆黑色宝马X5", "宝马X5"),
        ("我换了一辆特斯拉", "特斯拉"),
        ("我把车换成了特斯拉", "特斯拉"),
        ("我把卡罗拉换成了Model 3", "Model 3"),
        ("我最近买了一辆二手的凯美瑞", "凯美瑞"),
        ("我新买的车是特斯拉", "特斯拉"),
        ("我的座驾是宝马", "宝马"),
        ("我刚提了一辆特斯拉", "特斯拉"),
        ("我开着一辆丰田", "丰田"),
    ],
)
def test_the_speakers_car_in_chinese(text: str, car: str) -> None:
    assert _cars(text) == {"user.car": car}


@pytest.mark.parametrize(
    "text",
    [
        "I drive to work",
        "I drive a hard bargain",
        "I drive a truck",  # a kind of car, no make: no car named
        "My brother drives a bus",
        "I bought a new phone",
        "Should I buy a Tesla?",
        "What car do I drive?",
        "I want a Tesla",
        "I'm thinking of buying a Tesla",
        "I'm getting a Tesla next month",
        "If I bought a Tesla I'd be happy",
        "I rented a car",
        "I rented a Tesla for the weekend",
        "I'm driving a Toyota rental this week",
        "I'm driving my dad's Corolla",
        "I used to drive a Corolla",
        "I don't drive a Tesla",
        "I bought a Tesla charger",
        "I got a Honda lawnmower",
        "I sold my Tesla stock",
        "I got my Tesla serviced",
        "I replaced my phone with a Pixel",
        "Should I trade in my Corolla for a Tesla?",
        "I might switch to a Tesla",
        "I'd trade it in for a Tesla",
        "I have a Ford interview tomorrow",
        "I work at Tesla",
        "I bought a leaf blower",
        "I have a mini fridge",
        "My car is a mess",
        "My car is in the shop until Monday.",
        "我开车去上班",
        "我开会",
        "我开什么车?",
        "我的车是什么?",
        "我想买一辆特斯拉",
        "我买了特斯拉的股票",
        "我买了一辆自行车",
        "我的车是红色的",
        "我买了高尔夫球杆",
        "我把头像换成了特斯拉",
    ],
)
def test_no_car_of_the_speakers(text: str) -> None:
    assert "user.car" not in _facts(text)


def _ask(graph: Any, user: str, text: str, minutes: int) -> str:
    now = (datetime(2024, 5, 3, 9) + timedelta(minutes=minutes)).isoformat()
    config = {"configurable": {"thread_id": f"t-{user}", "user_id": user, "now": now}}
    return str(graph.invoke({"messages": [HumanMessage(content=text)]}, config)["messages"][-1].content)


def test_the_newest_car_answers_through_the_graph(services: Services) -> None:
    graph = build_graph(services=services)
    _ask(graph, "ann", "My car is a Corolla.", 0)
    _ask(graph, "ann", "I just traded it in for a Tesla.", 5)
    newest = "Your car is Tesla (as of 2024-05-03; earlier: Corolla (2024-05-03))."
    for question in ("What car do I drive?", "What kind of car do I have?", "What's my car?"):
        assert _ask(graph, "ann", question, 10) == newest
    _ask(graph, "ann", "My sister drives a Jeep", 15)
    assert _ask(graph, "ann", "What car does my sister drive?", 20) == "Your sister's car is Jeep (as of 2024-05-03)."
    _ask(graph, "bo", "我的车是卡罗拉", 0)
    _ask(graph, "bo", "我换了一辆特斯拉", 5)
    for question in ("我开什么车?", "我的车是什么?"):
        assert _ask(graph, "bo", question, 10) == "根据记忆（2024-05-03）：汽车 = 特斯拉，原话：“我换了一辆特斯拉”"


@pytest.mark.parametrize("text", ["I traded it in for a Tesla last week.", "上周我换了一辆特斯拉"])
def test_a_car_is_held_from_when_it_is_said(text: str) -> None:
    """A car told with a past day is the current one from the message on, as a home is: it stands
    over one told before it that day ("My car is a Corolla." this morning)."""
    (fact,) = [fact for fact, _ in extract_facts(text, NOW) if fact.attribute == "car"]
    assert (fact.value, fact.observed_at) == ("Tesla" if text.isascii() else "特斯拉", NOW)
