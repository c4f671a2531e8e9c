"""Validate a store batch before any I/O: namespaces, keys, values, filters, texts.

A batch that fails here has written nothing, so one bad op (an invalid label,
an unsafe filter key, a value that is not JSON) never leaves half a batch
behind.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from langchain_core.embeddings import Embeddings
from langgraph.store.base import (
    GetOp,
    IndexConfig,
    InvalidNamespaceError,
    ListNamespacesOp,
    Op,
    PutOp,
    SearchOp,
    validate_op_namespace,
)
from langgraph.store.base.embed import ensure_embeddings, get_text_at_path

from .errors import ConfigError, InvalidInputError, TextTooLargeError
from .lg_store_filters import compile_filter
from .lg_store_tables import encode_value, item_id
from .records import DEFAULT_MAX_TEXT_BYTES


@dataclass(slots=True)
class Put:
    """One item to write (the last put of its namespace and key in the batch)."""

    namespace: tuple[str, ...]
    key: str
    value: str | None
    """Exact JSON text, or ``None`` to delete."""
    doc: str = ""
    """The value as strict JSON (non-finite numbers as ``null``) for filters."""
    ttl: float | None = None
    """Minutes until the item expires; ``None`` never expires."""
    texts: list[tuple[str, str]] = field(default_factory=list)
    """``(field path, text)`` pairs to embed."""


@dataclass(slots=True)
class Plan:
    """A validated batch: nothing in it can fail for bad input once writing starts."""

    ops: list[Op]
    puts: dict[str, Put] = field(default_factory=dict)
    """By row id; a later put of the same item replaces an earlier one."""
    filters: dict[int, str] = field(default_factory=dict)
    """Compiled where-clause of each search op, by op position."""
    queries: list[str] = field(default_factory=list)
    """Distinct search queries to embed."""

    @property
    def documents(self) -> list[str]:
        """Every text to embed, in put order."""
        return [text for put in self.puts.values() for _, text in put.texts]


def make_plan(
    ops: Iterable[Op], embeddings: Embeddings | None, fields: list[str], max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES
) -> Plan:
    """Check every op of a batch and prepare its writes.

    Raises:
        InvalidNamespaceError: a namespace is not a tuple, a label is empty, not a string,
            holds ``.`` or NUL, or a put has an empty namespace.
        InvalidInputError: a label, key or value holds a lone surrogate (checked before any
            write: a batch is written whole or not at all); a non-string key or query, an
            ``index`` other than ``None``, ``False`` or a list of field paths, or a
            negative ``max_depth``.
        TextTooLargeError: a text to embed is over ``max_text_bytes`` UTF-8 bytes.
        ValueError: a non-JSON value, an unsafe filter key or operator, or an unknown op type.
    """
    plan = Plan(list(ops))
    for op in plan.ops:
        _tuples(op)
        validate_op_namespace(op)
        for label in getattr(op, "namespace", None) or getattr(op, "namespace_prefix", None) or ():
            _unicode(label, "namespace label")
        if isinstance(op, PutOp) and not op.namespace:
            raise InvalidNamespaceError("Namespace cannot be empty.")
    for i, op in enumerate(plan.ops):
        if isinstance(op, PutOp):
            key = validate_key(op.key)
            plan.puts[item_id(op.namespace, key)] = _put(op, key, embeddings, fields, max_text_bytes)
        elif isinstance(op, SearchOp):
            _page("search", op.offset, op.limit)
            _query(op.query, max_text_bytes)
            plan.filters[i] = compile_filter(op.filter)
            if op.query and embeddings is not None and op.query not in plan.queries:
                plan.queries.append(op.query)
        elif isinstance(op, GetOp):
            validate_key(op.key)
        elif isinstance(op, ListNamespacesOp):
            _page("list_namespaces", op.offset, op.limit)
            _max_depth(op.max_depth)
        else:
            raise ValueError(f"unknown store operation {type(op).__name__}: {op!r:.80}")
    return plan


def _tuples(op: Op) -> None:
    """Refuse a namespace that is no tuple or list of labels: a string would be split into one
    label per character (LangGraph's own ``list_namespaces(prefix=["a"])`` passes a list).

    Raises:
        InvalidNamespaceError: ``("bob",)`` was meant but ``"bob"`` (or another non-sequence) arrived.
    """
    if isinstance(op, GetOp | PutOp):
        paths: list[object] = [op.namespace]
    elif isinstance(op, SearchOp):
        paths = [op.namespace_prefix]
    elif isinstance(op, ListNamespacesOp):
        paths = [condition.path for condition in op.match_conditions or ()]
    else:
        return
    for path in paths:
        if not isinstance(path, tuple | list):
            raise InvalidNamespaceError(
                f"namespaces are tuples of strings, e.g. ('alice', 'prefs'); got {type(path).__name__}: {path!r:.80}"
            )


def _query(query: object, max_text_bytes: int) -> None:
    """Refuse a search query that is not ``None`` or a string of at most ``max_text_bytes``.

    Raises:
        InvalidInputError: not a string.
        TextTooLargeError: too long to embed.
    """
    if query is None:
        return
    if not isinstance(query, str):
        raise InvalidInputError(f"search query must be a string or None, got {type(query).__name__}: {query!r:.40}")
    _text_size(query, "search query", max_text_bytes, "shorten the query")


def _max_depth(depth: object) -> None:
    """Refuse a ``max_depth`` that is not ``None`` or a whole number >= 0 (``-1`` cut labels off the
    end); ``0`` lists ``[()]`` where anything is stored, as LangGraph's stores do (a cheap health check)."""
    if depth is not None and (isinstance(depth, bool) or not isinstance(depth, int) or depth < 0):
        raise InvalidInputError(f"list_namespaces max_depth must be a whole number >= 0 or None, got {depth!r:.40}")


def _page(what: str, offset: object, limit: object) -> None:
    """Refuse a page that is not whole numbers >= 0 (a negative offset returned everything)."""
    for name, value in (("offset", offset), ("limit", limit)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidInputError(f"{what} {name} must be a whole number >= 0, got {value!r:.40}")


def _put(op: PutOp, key: str, embeddings: Embeddings | None, fields: list[str], max_text_bytes: int) -> Put:
    if op.value is None:
        return Put(op.namespace, key, None)
    value, doc = encode_value(op.namespace, key, op.value)
    _unicode(value, f"the value of {key!r:.40}")
    put = Put(op.namespace, key, value, doc, _ttl(op.ttl))
    index = _index(op.index)
    if embeddings is not None and index is not False:
        for path in fields if index is None else index:
            texts = get_text_at_path(op.value, path)
            if len(texts) == 1:
                put.texts.append((path, texts[0]))
            else:
                put.texts.extend((f"{path}.{i}", text) for i, text in enumerate(texts))
    for path, text in put.texts:
        _text_size(
            text, f"the text at {path!r:.40} of {key!r:.40}", max_text_bytes, "index fewer fields or split the value"
        )
    return put


def _index(index: object) -> Literal[False] | list[str] | None:
    """A put's ``index`` if LangGraph allows it: ``None``, ``False`` or a list of field paths.

    Raises:
        InvalidInputError: anything else (``"text"`` for ``["text"]``, ``True``).
    """
    if index is None or index is False:
        return index
    if not isinstance(index, list) or not all(isinstance(path, str) for path in index):
        raise InvalidInputError(
            f"index must be None, False or a list of field paths such as ['text'], got {index!r:.60}"
        )
    return index


def _text_size(text: str, what: str, max_bytes: int, fix: str) -> None:
    """Refuse a text to embed over ``max_bytes`` UTF-8 bytes (megabytes took minutes to embed).

    Raises:
        TextTooLargeError: it is longer.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise TextTooLargeError(
            f"{what} is {size} bytes, over the limit of {max_bytes} bytes to embed "
            f"(raise LanceDBStore's max_text_bytes, or {fix})"
        )


MAX_TTL_MINUTES = 100 * 365 * 24 * 60
"""The longest TTL a put takes (a hundred years); longer is no expiry: pass ``ttl=None``."""


def _ttl(minutes: object) -> float | None:
    """A put's TTL in minutes: ``None`` or a finite number in (0, :data:`MAX_TTL_MINUTES`]."""
    if minutes is None:
        return None
    if isinstance(minutes, bool) or not isinstance(minutes, int | float) or not 0 < minutes <= MAX_TTL_MINUTES:
        raise InvalidInputError(
            f"ttl must be minutes in (0, {MAX_TTL_MINUTES}] or None for no expiry, got {minutes!r:.40}"
        )
    return float(minutes)


def validate_key(key: object) -> str:
    """``key`` if it is a string of valid Unicode text (LangGraph's keys are ``str``).

    Raises:
        InvalidInputError: it is not a string (``5`` for ``"5"``) or holds a lone surrogate.
    """
    if not isinstance(key, str):
        raise InvalidInputError(f"store keys must be strings, got {type(key).__name__}: {key!r:.80}")
    return _unicode(key, "key")


def _unicode(text: str, what: str) -> str:
    """``text`` if it is valid Unicode text (a lone surrogate is not: it cannot be stored).

    Raises:
        InvalidInputError: it holds a lone surrogate.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInputError(f"{what} {text!r:.80} is not valid Unicode text (a lone surrogate)") from None
    return text


def embed_signature(embed: object) -> str | None:
    """What names an ``IndexConfig['embed']``, kept with the vectors it made: a tiermem
    embedder's signature (``"tiermem:use"`` and the embedder itself give the same one), a
    provider string, or an ``Embeddings`` class with its model; ``None`` for a function defined
    in a function or a lambda, which has no stable name."""
    if isinstance(embed, str) and embed.startswith("tiermem:"):
        from .embeddings import get_embedder

        embed = get_embedder(embed.removeprefix("tiermem:"))
    signature = getattr(embed, "signature", None)
    if isinstance(signature, str):  # a tiermem embedder
        return f"tiermem:{signature}"
    if isinstance(embed, str):
        return embed
    if isinstance(embed, Embeddings):
        model = getattr(embed, "model", None) or getattr(embed, "model_name", None)
        kind = f"{type(embed).__module__}.{type(embed).__qualname__}"
        return f"{kind}:{model}" if isinstance(model, str) else kind
    named = embed if inspect.isfunction(embed) or inspect.ismethod(embed) else type(embed)
    name = f"{named.__module__}.{named.__qualname__}"
    return None if "<" in name else name


def parse_index(index: IndexConfig) -> tuple[int, Embeddings, list[str]]:
    """``(dims, embeddings, field paths)`` from a LangGraph ``IndexConfig``.

    ``embed`` may also be ``"tiermem:<name>"`` for a tiermem embedder; field
    paths come from ``fields``, else SqliteStore's ``text_fields``, else ``["$"]``.

    Raises:
        ConfigError: ``dims`` is not a positive int, ``embed`` is missing, or a
            ``distance_type`` other than cosine is asked for.
    """
    dims = index.get("dims")
    if not isinstance(dims, int) or isinstance(dims, bool) or dims <= 0:
        raise ConfigError(f"IndexConfig['dims'] must be a positive int, got {dims!r}")
    extra: dict[str, Any] = dict(index)
    if extra.get("distance_type", "cosine") != "cosine":
        raise ConfigError(
            f"distance_type {extra['distance_type']!r} is not supported; LanceDBStore "
            "scores by cosine similarity (drop distance_type or set it to 'cosine')"
        )
    embed = index.get("embed")
    if embed is None:
        raise ConfigError("IndexConfig needs 'embed': an Embeddings, a function or 'tiermem:use'")
    if isinstance(embed, str) and embed.startswith("tiermem:"):
        from .embeddings import get_embedder

        embed = get_embedder(embed.removeprefix("tiermem:"))
    fields = index.get("fields") or extra.get("text_fields") or ["$"]
    return dims, ensure_embeddings(embed), list(fields)
