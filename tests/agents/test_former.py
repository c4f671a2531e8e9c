"""The user's ex: which one a request to forget names, and the memories that speak of them."""

from datetime import UTC, datetime

import pytest
from tiermem.agents.forgetting import ForgetResolver
from tiermem.agents.former import asked_ex, ex_names, ex_pattern
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.records import Fact, MemoryRecord
from tiermem.memory.store import TierStore

NOW = datetime(2024, 5, 20, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("asked", "kind"),
    [
        ("my ex", ""),
        ("everything about my ex", ""),
        ("my ex-partner", ""),
        ("my ex-boyfriend", "boyfriend"),
        ("my ex girlfriend", "girlfriend"),
        ("my ex-husband", "husband"),
        ("my ex-wife", "wife"),
        ("我的前任", ""),
        ("我的前男友", "boyfriend"),
        ("我前女友", "girlfriend"),
        ("我的前夫", "husband"),
        ("我的前妻", "wife"),
        ("my ex-boss", None),  # no partner
        ("我前任老板", None),
        ("my boyfriend", None),
        ("my ex's phone number", None),  # a thing of theirs, not all of them
    ],
)
def test_which_ex_a_request_to_forget_names(asked: str, kind: str | None) -> None:
    assert asked_ex(asked) == kind


@pytest.mark.parametrize(
    ("text", "any_ex", "ex_boyfriend"),
    [
        ("My ex Tom still texts me", True, False),
        ("I broke up with my ex last year", True, False),
        ("My ex-boyfriend Mark lives in Paris", True, True),
        ("my ex boyfriend called", True, True),
        ("我前任还在给我发消息", True, False),
        ("我的前男友叫王强", True, True),
        ("My ex-boss yelled at me", False, False),
        ("My sister's ex is rude", False, False),  # hers
        ("I love jazz", False, False),
    ],
)
def test_where_a_memory_speaks_of_the_ex(text: str, any_ex: bool, ex_boyfriend: bool) -> None:
    assert bool(ex_pattern("").search(text)) is any_ex
    assert bool(ex_pattern("boyfriend").search(text)) is ex_boyfriend


def test_the_names_an_ex_goes_by() -> None:
    said = ["My ex Tom still texts me", "My ex-husband is called Marc Dupont", "我的前男友叫王强", "My ex is rude"]
    assert ex_names(said) == ["Tom", "Marc Dupont", "王强"]


def _memory(namespace: str, text: str, day: int, key: tuple[str, str] | None = None) -> MemoryRecord:
    when = NOW.replace(day=day)
    fact = Fact(attribute=key[0], value=key[1], observed_at=when) if key else None
    return MemoryRecord(namespace=namespace, tier="long", text=text, fact=fact, created_at=when)


@pytest.fixture
def resolver(store: TierStore, embedder: BaseEmbedder) -> ForgetResolver:
    store.write(
        [
            _memory("zoe", "My boyfriend is Mark", 1, ("boyfriend", "Mark")),
            _memory("zoe", "I broke up with my boyfriend", 2, ("boyfriend", "no longer has a boyfriend")),
            _memory("zoe", "My boyfriend is now Leo", 3, ("boyfriend", "Leo")),
            _memory("zoe", "My ex Tom still texts me", 4),
            _memory("zoe", "I broke up with my ex last year", 5, ("partner", "no longer has a partner")),
            _memory("zoe", "Tom sent me flowers again", 6),
            _memory("zoe", "My ex-boss yelled at me", 7),
            _memory("zoe", "我的前男友叫王强", 8),
            _memory("zoe", "I love jazz", 9),
            _memory("bob", "My ex Tom still texts me", 4),
        ]
    )
    return ForgetResolver(store, embedder)


_FACTS = {"My boyfriend is Mark", "I broke up with my boyfriend", "I broke up with my ex last year"}


def _forgotten(resolver: ForgetResolver, request: str, namespace: str = "zoe") -> list[str]:
    """What ``request`` forgets; a fact only as the version said (its key's others stay)."""
    plan = resolver.plan(namespace, request, NOW)
    assert plan is not None
    assert all(target.version_only == (target.said in _FACTS) for target in plan.targets)
    return sorted(target.said for target in plan.targets)


@pytest.mark.parametrize("request_", ["Forget about my ex", "forget my ex please", "忘掉我的前任"])
def test_forgetting_the_ex_forgets_what_speaks_of_them_and_no_partner_since(
    resolver: ForgetResolver, request_: str
) -> None:
    assert _forgotten(resolver, request_) == [
        "I broke up with my boyfriend",  # the boyfriend fact until it ended, not Leo since
        "I broke up with my ex last year",
        "My boyfriend is Mark",
        "My ex Tom still texts me",
        "Tom sent me flowers again",  # by the name the ex goes by
        "我的前男友叫王强",
    ]


@pytest.mark.parametrize("request_", ["Forget my ex-boyfriend", "忘掉我的前男友"])
def test_forgetting_an_ex_boyfriend_is_not_the_current_boyfriend(resolver: ForgetResolver, request_: str) -> None:
    ex_boyfriend = ["I broke up with my boyfriend", "My boyfriend is Mark", "我的前男友叫王强"]  # not Leo, no other ex
    assert _forgotten(resolver, request_) == ex_boyfriend


def test_an_ex_no_memory_speaks_of_is_nothing_forgotten(resolver: ForgetResolver) -> None:
    assert _forgotten(resolver, "Forget my ex-wife") == []
    assert _forgotten(resolver, "忘掉我的前夫") == []
    assert _forgotten(resolver, "Forget about my ex", namespace="bob") == ["My ex Tom still texts me"]  # bob's own
