"""Injection: hostile namespace ids, metadata, filter keys/values and queries are either
rejected with a typed error or stored and matched literally; a filter is never widened.

The filter builder (``tiermem.memory.filters``) is tested directly against a real
LanceDB table: every clause it renders must select exactly the rows Python's
``==`` selects. An AST scan checks that no module builds a where-clause itself.
"""

from __future__ import annotations

import ast
from pathlib import Path

import lancedb
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from langgraph.store.base import InvalidNamespaceError as LabelError
from rel_helpers import REPO, Vocabulary
from tiermem.agents.retriever import RetrievalAgent
from tiermem.memory import filters as f
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.errors import InvalidFilterError, InvalidInputError, InvalidNamespaceError, NotFoundError
from tiermem.memory.lg_store import LanceDBStore
from tiermem.memory.records import Fact, MemoryRecord, utcnow
from tiermem.memory.store import TierStore

HOSTILE = [
    "alice",
    "alice'",
    "' OR 1=1 --",
    "alice' OR '1'='1",
    "alice'); DROP TABLE short; --",
    '" OR ""="',
    "back\\slash",
    "trailing\\",
    "\\' OR 1=1 --",
    "%",
    "_",
    "alic%",
    "a\nb",
    "tab\there",
    "`namespace`",
    "ａｌｉｃｅ",  # fullwidth
    "аlice",  # Cyrillic а
    "alice\u200b",  # zero-width space
    "ALICE",
    "",
    " ",
    "🙂' OR 1=1",
    "x" * 10_000,
    "'" * 300,
]
"""Values that a naive f-string filter would widen or break."""
NUL = "ali\x00ce"


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> lancedb.table.Table:
    """One row per hostile value, plus a second row of plain ``alice``."""
    db = lancedb.connect(tmp_path_factory.mktemp("filters"))
    values = [*HOSTILE, "alice"]
    return db.create_table("t", pa.table({"namespace": values, "n": list(range(len(values)))}))


def matched(table: lancedb.table.Table, clause: str) -> list[int]:
    return sorted(table.search().where(clause).select(["n"]).to_arrow().column("n").to_pylist())


def expected(value: str) -> list[int]:
    return [i for i, v in enumerate([*HOSTILE, "alice"]) if v == value]


# -- the builder, table-driven ------------------------------------------------------------------


@pytest.mark.parametrize("value", HOSTILE, ids=[repr(v[:20]) for v in HOSTILE])
def test_eq_matches_exactly_the_literal_value(table: lancedb.table.Table, value: str) -> None:
    assert matched(table, f.eq("namespace", value)) == expected(value)
    assert matched(table, f.in_("namespace", [value])) == expected(value)
    assert matched(table, f.where(f.eq("namespace", value), f.compare("n", ">=", 0))) == expected(value)


@pytest.mark.parametrize("value", HOSTILE, ids=[repr(v[:20]) for v in HOSTILE])
def test_ne_is_the_exact_complement(table: lancedb.table.Table, value: str) -> None:
    every = list(range(len(HOSTILE) + 1))
    assert matched(table, f.compare("namespace", "!=", value)) == [i for i in every if i not in expected(value)]


def test_nul_and_non_finite_values_are_refused() -> None:
    for bad in (NUL, float("nan"), float("inf")):
        with pytest.raises(InvalidFilterError):
            f.eq("namespace", bad)


@pytest.mark.parametrize(
    "name", ["namespace OR 1=1", "namespace`", "`x`", "Namespace", "a b", "x;drop", "", "n\x00", "名字", "a" * 65]
)
def test_column_names_outside_the_allow_list_are_refused(name: str) -> None:
    with pytest.raises(InvalidFilterError, match="invalid column name"):
        f.eq(name, "x")


@pytest.mark.parametrize("op", ["OR", "= 1 OR 1 =", "LIKE", "==", "<>", "; --", ""])
def test_unknown_operators_are_refused(op: str) -> None:
    with pytest.raises(InvalidFilterError, match="unsupported operator"):
        f.compare("namespace", op, "x")


@pytest.mark.parametrize("key", ["a'b", 'a"b', "a]b", "a b", "$.x", "a\\b", "", "x" * 129, "a\x00"])
def test_json_keys_outside_the_allow_list_are_refused(key: str) -> None:
    with pytest.raises(InvalidFilterError):
        f.json_extract("doc", [key])


# -- the builder, property-based -------------------------------------------------------------

VALUES = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=200), st.text(alphabet="'\"\\%_ ORDAN=1-;`", max_size=30))


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(value=VALUES)
def test_builder_never_widens(table: lancedb.table.Table, value: str) -> None:
    if "\x00" in value:
        with pytest.raises(InvalidFilterError):
            f.eq("namespace", value)
        return
    assert matched(table, f.eq("namespace", value)) == expected(value)
    both = f.where(f.eq("namespace", value), f.eq("namespace", "alice"))
    assert matched(table, both) == (expected("alice") if value == "alice" else [])
    either = f.any_of(f.eq("namespace", value), f.eq("namespace", "alice"))
    assert matched(table, either) == sorted(set(expected(value)) | set(expected("alice")))


# -- through the tier store ------------------------------------------------------------------


@pytest.mark.parametrize("namespace", [v for v in HOSTILE if v not in ("alice", "ALICE")] + [NUL, 1, 1.5, ["a"]])
def test_hostile_namespace_ids_are_refused_everywhere(store: TierStore, vocab: Vocabulary, namespace: object) -> None:
    store.write([MemoryRecord(namespace="alice", tier="short", text=vocab.texts[0])], vectors=vocab.vector(0))
    calls = [
        lambda: store.records(namespace),  # type: ignore[arg-type]
        lambda: store.vector_search(namespace, vocab.vectors[0]),  # type: ignore[arg-type]
        lambda: store.text_search(namespace, "weighed"),  # type: ignore[arg-type]
        lambda: store.count(namespace),  # type: ignore[arg-type]
        lambda: store.delete_namespace(namespace),  # type: ignore[arg-type]
        lambda: store.delete(namespace, ["x"]),  # type: ignore[arg-type]
        lambda: store.get(namespace, "x"),  # type: ignore[arg-type]
    ]
    for call in calls:
        with pytest.raises(InvalidNamespaceError):
            call()
    with pytest.raises(ValueError, match="namespace"):  # pydantic's ValidationError carrying our message
        MemoryRecord(namespace=namespace, tier="short", text="x")  # type: ignore[arg-type]
    assert store.count("alice") == 1


@pytest.mark.parametrize("value", HOSTILE[1:14] + ["ａｌｉｃｅ", "🙂' OR 1=1"])
def test_hostile_record_fields_are_stored_and_matched_literally(
    store: TierStore, vocab: Vocabulary, value: str
) -> None:
    text = f"note {value}" if value.strip() else "note"
    mine = MemoryRecord(
        namespace="alice",
        tier="mid",
        text=text,
        thread_id=value,
        source_ids=[value, "s2"],
        kind=value or "message",
        fact=Fact(attribute="code", value=f"v{value}"),
    )
    store.write([mine, MemoryRecord(namespace="bob", tier="mid", text=text, fact=Fact(attribute="code", value="b"))])
    back = store.get("alice", mine.id)
    fields = ("text", "thread_id", "source_ids", "kind")
    assert [getattr(back, name) for name in fields] == [getattr(mine, name) for name in fields]
    assert back.fact is not None and back.fact.value == f"v{value}".strip()
    with pytest.raises(NotFoundError):
        store.get("bob", mine.id)
    with pytest.raises(NotFoundError):
        store.get("alice", value or "x")  # an id is matched whole, never as a pattern
    report = store.forget("alice", mine.id)
    assert report.rows == 1 and store.count("bob") == 1


@pytest.mark.parametrize("query", [*HOSTILE, NUL, "text:alice", "namespace:bob", "(", '"', "*", "alice OR bob"])
def test_hostile_queries_search_only_the_callers_namespace(
    store: TierStore, embedder: BaseEmbedder, vocab: Vocabulary, query: str
) -> None:
    for ns in ("alice", "bob"):
        texts = [f"{vocab.texts[i]} {query[:50]}".replace("\x00", "") for i in range(3)]
        store.write([MemoryRecord(namespace=ns, tier="long", text=text) for text in texts])
    own = {r.id for r in store.records("alice")}
    agent = RetrievalAgent(store, embedder)
    try:
        result = agent.retrieve("alice", query, now=utcnow())
    except InvalidInputError:
        return
    assert {item.id for item in result.items} <= own
    assert {h.record.namespace for h in store.text_search("alice", query)} <= {"alice"}


# -- through the LangGraph store -------------------------------------------------------------


@pytest.mark.parametrize("key", ["a'b", "a OR 1=1", "a\\b", "a b", "a]", "$eq", "a\x00", ""])
def test_lg_store_refuses_injection_shaped_filter_keys(tmp_path: Path, key: str) -> None:
    lg = LanceDBStore(tmp_path / "db")
    lg.put(("users", "alice"), "k", {"a": 1})
    with pytest.raises(ValueError):
        lg.search(("users", "alice"), filter={key: 1})


@pytest.mark.parametrize("value", [v for v in HOSTILE if v] + [NUL])
def test_lg_store_matches_filter_values_literally(tmp_path: Path, value: str) -> None:
    lg = LanceDBStore(tmp_path / "db")
    lg.put(("users", "alice"), "hit", {"tag": value})
    lg.put(("users", "alice"), "miss", {"tag": "other"})
    lg.put(("users", "bob"), "foreign", {"tag": value})
    found = lg.search(("users", "alice"), filter={"tag": value})
    assert [(i.namespace, i.key) for i in found] == [(("users", "alice"), "hit")]


@pytest.mark.parametrize("query", ['" OR ""="', '"unbalanced', 'he said "hi there"', "text:x OR 1=1"])
def test_lg_store_hybrid_search_takes_quotes_literally(tmp_path: Path, embedder: BaseEmbedder, query: str) -> None:
    lg = LanceDBStore(tmp_path / "db", index={"dims": embedder.dim, "embed": embedder}, search_mode="hybrid")
    lg.put(("users", "alice"), "k", {"text": 'he said "hi there"'})
    lg.put(("users", "bob"), "k", {"text": 'he said "hi there"'})
    assert {i.namespace for i in lg.search(("users", "alice"), query=query)} <= {("users", "alice")}


@pytest.mark.parametrize("label", ["alice'", "' OR 1=1 --", "%", "_", "a\\b", "ａｌｉｃｅ", "al*"])
def test_lg_store_namespace_labels_are_literal(tmp_path: Path, label: str) -> None:
    lg = LanceDBStore(tmp_path / "db")
    lg.put(("users", "alice"), "k", {"v": 1})
    lg.put(("users", "alicex"), "k", {"v": 2})
    try:
        lg.put(("users", label), "k", {"v": 3})
    except (LabelError, ValueError):  # refused with a typed error: nothing stored
        assert len(lg.search(("users",))) == 2
        return
    assert [i.value["v"] for i in lg.search(("users", label))] == [3]
    assert [i.value["v"] for i in lg.search(("users", "alice"))] == [1]


# -- no where-clause is built outside the filter builder ---------------------------------------

SOURCE_DIRS = ("agents", "graphs", "memory", "benchmarks", "demos")
CLAUSE_METHODS = {"where", "delete", "count_rows", "update", "merge_insert", "search"}


def _builder_call(node: ast.AST) -> bool:
    """A call into the filter builder (``f.eq(...)``): its arguments are values it quotes."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "f"
    )


def _walk_outside_builder(node: ast.AST) -> list[ast.AST]:
    found = [node]
    if not _builder_call(node):
        for child in ast.iter_child_nodes(node):
            found += _walk_outside_builder(child)
    return found


def _builds_sql_text(node: ast.AST) -> bool:
    """Whether ``node`` builds a string itself (f-string, ``%``, ``+``, ``.format``, ``.join``)
    outside the filter builder's calls."""
    for sub in _walk_outside_builder(node):
        if isinstance(sub, ast.JoinedStr):
            return True
        sides = (sub.left, sub.right) if isinstance(sub, ast.BinOp) and isinstance(sub.op, ast.Add | ast.Mod) else ()
        if any(isinstance(side, ast.Constant) and isinstance(side.value, str) for side in sides):
            return True
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr in {"format", "join"}:
            return True
        if (
            isinstance(sub, ast.Constant)
            and isinstance(sub.value, str)
            and any(token in sub.value for token in ("=", " AND ", " OR ", " IN ", "LIKE"))
        ):
            return True
    return False


def clause_violations(source: str, filename: str) -> list[str]:
    """Where-clause arguments that build SQL text instead of calling the filter builder."""
    tree = ast.parse(source, filename)
    assigned: dict[str, list[ast.AST]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    assigned.setdefault(target.id, []).append(node.value)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in CLAUSE_METHODS:
            continue
        args = [*node.args[:1], *(k.value for k in node.keywords if k.arg in {"where", "filter", "predicate"})]
        if node.func.attr == "search":  # the query text is data; only a where= keyword is a clause
            args = [k.value for k in node.keywords if k.arg == "where"]
        for arg in args:
            sources = [arg, *(assigned.get(arg.id, []) if isinstance(arg, ast.Name) else [])]
            if any(_builds_sql_text(s) for s in sources):
                found.append(f"{filename}:{node.lineno}: .{node.func.attr}({ast.unparse(arg)[:60]})")
    return found


def test_scanner_flags_hand_built_clauses() -> None:
    bad = """
def a(t, ns):
    t.delete(f"namespace = '{ns}'")
def b(t, ns):
    clause = "namespace = '" + ns + "'"
    t.search().where(clause)
def c(t, ns):
    t.count_rows("namespace = '%s'" % ns)
def d(t, ns):
    t.update(where="id = '{}'".format(ns), values={})
"""
    good = """
def e(t, ns):
    clause = f.where(f.eq("namespace", ns))
    t.delete(clause)
    t.search("free text").where(f.eq("id", ns)).limit(3)
    t.search().where(f.compare("namespace", ">=", ns + "."))
    seen.update(x for x in ns)
"""
    assert len(clause_violations(bad, "bad.py")) == 4
    assert clause_violations(good, "good.py") == []


def test_no_module_builds_a_where_clause_outside_the_builder() -> None:
    files = [p for d in SOURCE_DIRS for p in (REPO / d).rglob("*.py") if p != REPO / "memory" / "filters.py"]
    assert len(files) > 30
    violations = [v for p in files for v in clause_violations(p.read_text(encoding="utf-8"), str(p.relative_to(REPO)))]
    assert violations == []
