"""Filter semantics of LanceDBStore, operator by operator (docs/STORE.md).

The reference stores disagree (langgraph issues 7684, 7795, 8786): InMemoryStore
coerces strings to numbers in ``$gt`` and crashes on missing keys, SqliteStore
lets ``True`` match ``1``. Ours are typed; a table pins each rule and a property
test checks the SQL LanceDB runs against a Python statement of the same rules.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from langgraph.store.base import PutOp
from tiermem.memory.errors import InvalidFilterError
from tiermem.memory.lg_store import LanceDBStore
from tiermem.memory.lg_store_filters import OPERATORS, matches

DOCS: dict[str, dict[str, Any]] = {
    "int3": {"x": 3, "user": {"age": 30, "access-level": "admin"}, "tags": ["a", "b"], "ok": True},
    "float3": {"x": 3.0, "user": {"age": 17.5}, "tags": ["a"], "ok": False},
    "str3": {"x": "3", "user": {"age": "30"}, "ok": 1},
    "neg": {"x": -2.5, "tags": []},
    "big": {"x": 10**20},
    "true": {"x": True},
    "false": {"x": False},
    "null": {"x": None},
    "missing": {"y": 1},
    "list": {"x": ["draft"], "tags": [{"k": 1}, 2]},
    "obj": {"x": {"y": 1, "z": "w"}},
    "a": {"x": "a"},
    "ab": {"x": "ab"},
    "a!": {"x": "a!"},
    "quote": {"x": 'a"b'},
    "slash": {"x": "a\\b"},
    "b": {"x": "b"},
    "zh": {"x": "中文", "用户": {"名字": "张"}},
    "digits": {"123abc": "ok", "user": {"access-level": "guest"}},
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LanceDBStore]:
    store = LanceDBStore(tmp_path_factory.mktemp("filters") / "db")
    store.batch([PutOp(("docs",), key, value) for key, value in DOCS.items()])
    yield store


def keys(store: LanceDBStore, filter: dict[str, Any]) -> set[str]:
    return {item.key for item in store.search(("docs",), filter=filter, limit=100)}


CASES = [
    ("bare value is $eq, typed", {"x": 3}, {"int3", "float3"}),
    ("string never equals number", {"x": "3"}, {"str3"}),
    ("True matches only true", {"ok": True}, {"int3"}),
    ("False matches only false", {"x": False}, {"false"}),
    ("None matches null and missing", {"x": None}, {"null", "missing", "digits"}),
    ("$ne matches missing and other types", {"x": {"$ne": 3}}, set(DOCS) - {"int3", "float3"}),
    ("$gt numbers only", {"x": {"$gt": 0}}, {"int3", "float3", "big"}),
    ("$lte negative", {"x": {"$lte": -2.5}}, {"neg"}),
    ("$gte and $lt together", {"x": {"$gte": 3, "$lt": 4}}, {"int3", "float3"}),
    ("huge bound", {"x": {"$lt": 10**100}}, {"int3", "float3", "neg", "big"}),
    ("inf bounds every number", {"x": {"$lt": math.inf}}, {"int3", "float3", "neg", "big"}),
    ("nothing above inf", {"x": {"$gt": math.inf}}, set()),
    ("nan equals nothing", {"x": math.nan}, set()),
    ("$ne nan is everything", {"x": {"$ne": math.nan}}, set(DOCS)),
    ("string ranges by code point", {"x": {"$gt": "a", "$lt": "b"}}, {"ab", "a!", "quote", "slash"}),
    ("quote and backslash order as characters", {"x": {"$lt": "a#"}}, {"str3", "a", "a!", "quote"}),
    ("unicode strings", {"x": {"$gte": "中"}}, {"zh"}),
    ("nested dotted key", {"user.age": {"$gte": 18}}, {"int3"}),
    ("nested dict is a subset match", {"user": {"access-level": "admin"}}, {"int3"}),
    ("hyphen key", {"user.access-level": "guest"}, {"digits"}),
    ("digit-leading key", {"123abc": "ok"}, {"digits"}),
    ("non-latin keys", {"用户.名字": "张"}, {"zh"}),
    ("list equality is exact", {"tags": ["a"]}, {"float3"}),
    ("empty list", {"tags": []}, {"neg"}),
    ("list elements keep their type", {"tags": [{"k": 1}, 2]}, {"list"}),
    ("empty dict matches objects", {"x": {}}, {"obj"}),
    ("$eq with a dict is a subset match", {"x": {"$eq": {"z": "w"}}}, {"obj"}),
    ("string with quote", {"x": 'a"b'}, {"quote"}),
    ("injection-shaped value is data", {"x": "a' OR '1'='1"}, set()),
    ("NUL in a value is data", {"x": "a\x00' OR 1=1"}, set()),
    ("several keys are ANDed", {"x": {"$gt": 2}, "ok": False}, {"float3"}),
]


@pytest.mark.parametrize(("name", "filter", "expected"), CASES, ids=[c[0] for c in CASES])
def test_filter_semantics(corpus: LanceDBStore, name: str, filter: dict[str, Any], expected: set[str]) -> None:
    assert keys(corpus, filter) == expected
    assert {key for key, doc in DOCS.items() if matches(doc, filter)} == expected  # the Python twin


@pytest.mark.parametrize(
    "key",
    [
        "access') = 'public' OR '1'='1' OR json_extract(value, '$.",
        "a b",
        "a'b",
        'a"b',
        "a\\b",
        "$where",
        "a[0]",
        "",
        "a..b",
        ".a",
        "a;--",
    ],
)
def test_injection_shaped_keys_raise_value_error(corpus: LanceDBStore, key: str) -> None:
    with pytest.raises(ValueError, match="Invalid filter key"):
        corpus.search(("docs",), filter={key: 1})


@pytest.mark.parametrize(
    ("filter", "message"),
    [
        ({"x": {"$in": [1]}}, "unsupported filter operator"),
        ({"x": {"$gt": 1, "y": 2}}, "mixes operators and keys"),
        ({"x": {"$gt": True}}, "compares numbers or strings"),
        ({"x": {"$lt": None}}, "compares numbers or strings"),
        ({"x": object()}, "cannot filter"),
    ],
)
def test_unusable_filters_say_what_to_do(corpus: LanceDBStore, filter: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidFilterError, match=message):
        corpus.search(("docs",), filter=filter)


# -- property: the SQL agrees with the same rules evaluated in Python -----------

SCALARS = st.one_of(
    st.sampled_from([3, 3.0, -2.5, 0, 10**20, 17.5, 30, "3", "30", "a", "a!", "ab", "b", 'a"b', "a\\b", "中文"]),
    st.sampled_from([True, False, None, "admin", "guest", "ok", "张"]),
)
PATHS = st.sampled_from(["x", "ok", "user.age", "user.access-level", "tags", "123abc", "用户.名字", "y", "nope"])
RANGE_ARGS = st.one_of(
    st.integers(-5, 40), st.floats(-5, 40, allow_nan=False), st.sampled_from(["3", "a", "a!", "b", "中"])
)
CONDITIONS = st.one_of(
    SCALARS,
    st.lists(st.one_of(SCALARS, st.sampled_from(["a", "b", "draft"])), max_size=2),
    st.dictionaries(st.sampled_from(["$eq", "$ne"]), SCALARS, min_size=1, max_size=1),
    st.dictionaries(st.sampled_from([op for op in OPERATORS if op not in ("$eq", "$ne")]), RANGE_ARGS, min_size=1),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(filter=st.dictionaries(PATHS, CONDITIONS, min_size=1, max_size=2))
def test_sql_agrees_with_the_documented_rules(corpus: LanceDBStore, filter: dict[str, Any]) -> None:
    expected = {key for key, doc in DOCS.items() if matches(doc, filter)}
    assert keys(corpus, filter) == expected
