"""Records that cross a boundary: messages, facts and stored memories.

All validation of user-supplied text and namespace ids lives here, so the
store, the tools and the CLI reject bad input the same way.
"""

from __future__ import annotations

import functools
import operator
import re
import secrets
import threading
import time
import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .errors import InvalidInputError, InvalidNamespaceError, TextTooLargeError

Tier = Literal["short", "mid", "long"]
"""A memory tier: session scratch, versioned facts, durable ledger."""

GateLabel = Literal["none", "short", "mid", "long"]
"""What the gate decides for a message: one tier, or nothing to keep."""

TIERS: tuple[Tier, ...] = get_args(Tier)
GATE_LABELS: tuple[GateLabel, ...] = get_args(GateLabel)

DEFAULT_MAX_TEXT_BYTES = 32 * 1024
DEFAULT_MAX_FUTURE_SKEW = timedelta(minutes=5)
"""How far past the wall clock a message or fact time may lie (clock skew between hosts).

Past times are always accepted (replays of old conversations); a later time is
rejected, because ``now``-scoped reads would hide the record until then and the
"newest version wins" rule would let it override every real value.
"""
NAMESPACE_SYMBOLS = frozenset("_.@:+-")
"""Namespace ids: letters, marks and digits of any script ("alice", "José", "张伟", "राम") and
``_ . @ : + -``, starting with a letter or digit; at most :data:`MAX_NAMESPACE_BYTES` in UTF-8, in
Unicode's composed form (NFC)."""
MAX_NAMESPACE_BYTES = 128
"""A namespace names a folder of adapters too: 128 bytes leave room under any file system's 255."""
_NOT_SLUG = re.compile(r"[^0-9a-z_]+")
"""What a fact's subject or attribute replaces with ``_`` (compiled once: every row read is validated)."""


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


MAX_ID_CHARS = 256
"""The longest record id taken (a caller's ids, e.g. an import's, may be any printable text)."""
_LAST_MICROS = [0]
_ID_LOCK = threading.Lock()


def new_id() -> str:
    """A new record id: 32 hex characters, the first 13 the microseconds since the epoch (made
    strictly increasing within the process), the rest random. Ids sort in the order they were
    made (like UUIDv7), which breaks ties between versions stated at the same time: the later
    write is the newer version."""
    with _ID_LOCK:
        micros = max(time.time_ns() // 1000, _LAST_MICROS[0] + 1)
        _LAST_MICROS[0] = micros
    return f"{micros:013x}{secrets.randbits(76):019x}"


def validate_namespace(namespace: object) -> str:
    """Return ``namespace`` if it is a safe namespace id, else raise.

    Raises:
        InvalidNamespaceError: not a string, other characters than :data:`NAMESPACE_SYMBOLS` says,
            too long, or a lookalike of another id.
    """
    if not isinstance(namespace, str):
        raise InvalidNamespaceError(f"namespace must be a string, got {type(namespace).__name__}: {namespace!r:.80}")
    return _valid_namespace(namespace)


@functools.lru_cache(maxsize=65_536)
def _valid_namespace(namespace: str) -> str:
    """:func:`validate_namespace` of a string, remembered: every record read back validates its
    namespace, 2.6 us of Unicode look-ups each time (a turn reads hundreds); a refused one raises
    again every time, and is not remembered."""
    composed = unicodedata.normalize("NFC", namespace)  # "José" typed either way is one user
    if _confusable(composed):
        raise InvalidNamespaceError(
            f"invalid namespace {namespace!r:.80}: it looks like another id (fullwidth or other compatibility "
            "characters, or Latin letters mixed with Cyrillic or Greek ones); use the plain letters"
        )
    if not _namespace_chars(composed) or len(composed.encode("utf-8", "replace")) > MAX_NAMESPACE_BYTES:
        raise InvalidNamespaceError(
            f"invalid namespace {namespace!r:.80}: use letters and digits (any script) and '_.@:+-', "
            f"starting with a letter or digit, at most {MAX_NAMESPACE_BYTES} bytes in UTF-8 (no spaces or quotes)"
        )
    return composed


def _namespace_chars(namespace: str) -> bool:
    """Letters, marks (the vowel signs of Devanagari and Thai) and digits, and the symbols of
    :data:`NAMESPACE_SYMBOLS`, a letter or digit first."""
    if not namespace or unicodedata.category(namespace[0])[0] not in "LN":
        return False
    return all(c in NAMESPACE_SYMBOLS or unicodedata.category(c)[0] in "LMN" for c in namespace)


_LOOKALIKE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def _confusable(namespace: str) -> bool:
    """Whether ``namespace`` would pass for another id to a reader: compatibility characters
    ("ａｌｉｃｅ" is "alice" in fullwidth) or Latin letters mixed with Cyrillic or Greek ones
    ("аlice" with a Cyrillic а)."""
    if unicodedata.normalize("NFKC", namespace) != namespace:
        return True
    scripts = {name.split(" ", 1)[0] for c in namespace if c.isalpha() and (name := unicodedata.name(c, ""))}
    return len(scripts.intersection(_LOOKALIKE_SCRIPTS)) > 1


def validate_tiers(tiers: object) -> list[Tier]:
    """``tiers`` as a list, each one of :data:`TIERS`, or raise.

    Raises:
        InvalidInputError: a string instead of a list, or an unknown tier.
    """
    if isinstance(tiers, str | bytes):
        raise InvalidInputError(f"tiers must be a list of tiers, got the string {tiers!r:.40}; e.g. [{tiers!r:.40}]")
    listed = list(tiers)  # type: ignore[call-overload]
    unknown = [tier for tier in listed if tier not in TIERS]
    if unknown:
        raise InvalidInputError(f"unknown tier {unknown[0]!r:.40}; use some of {list(TIERS)}")
    return listed


def validate_k(k: object) -> int:
    """``k`` (how many results) if it is a whole number of at least 1, else raise :class:`InvalidInputError`."""
    try:
        whole = operator.index(k)  # type: ignore[arg-type]
    except TypeError:
        whole = 0
    if isinstance(k, bool) or whole < 1:
        raise InvalidInputError(f"k must be a whole number of at least 1, got {k!r:.40}")
    return whole


def validate_text(text: object, *, max_bytes: int = DEFAULT_MAX_TEXT_BYTES, what: str = "text") -> str:
    """Return ``text`` as a clean ``str`` or raise a typed error.

    Accepts ``str`` or UTF-8 ``bytes``. Rejects other types, invalid UTF-8
    (including lone surrogates), NUL characters, empty or whitespace-only text
    and text longer than ``max_bytes`` UTF-8 bytes.

    Raises:
        InvalidInputError: wrong type, invalid encoding, NUL or empty.
        TextTooLargeError: over ``max_bytes``.
    """
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidInputError(
                f"{what} is not valid UTF-8 (bad byte at offset {exc.start}); send UTF-8 text"
            ) from None
    if not isinstance(text, str):
        raise InvalidInputError(f"{what} must be a string, got {type(text).__name__}: {text!r:.80}")
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:
        raise InvalidInputError(f"{what} contains unpaired surrogate characters and is not valid UTF-8") from None
    if "\x00" in text:
        raise InvalidInputError(f"{what} contains a NUL character; strip binary data before sending")
    if not text.strip():
        raise InvalidInputError(f"{what} is empty or whitespace only; send a non-empty message")
    if size > max_bytes:
        raise TextTooLargeError(
            f"{what} is {size} bytes, over the limit of {max_bytes} bytes "
            "(raise max_text_bytes in the config, or split the text)"
        )
    return text


def as_utc(moment: datetime | str | None, *, what: str = "time") -> datetime:
    """Parse an ISO datetime (or pass a datetime through) as timezone-aware UTC.

    Naive values are taken as UTC. ``None`` means now.

    Raises:
        InvalidInputError: the string is not an ISO 8601 datetime.
    """
    moment = as_aware(moment, what=what)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise InvalidInputError(f"{what} {moment.isoformat()} is out of range in UTC") from None


def as_aware(moment: datetime | str | None, *, what: str = "time") -> datetime:
    """Parse an ISO datetime (or pass a datetime through) keeping its UTC offset: the speaker's
    calendar day, which "yesterday" and "next Tuesday" count from. Naive values are taken as
    UTC; ``None`` means now.

    Raises:
        InvalidInputError: the string is not an ISO 8601 datetime.
    """
    if moment is None:
        return utcnow()
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment)
        except ValueError:
            raise InvalidInputError(
                f"{what} {moment!r:.60} is not an ISO 8601 datetime (e.g. 2024-05-03T09:00:00)"
            ) from None
    if not isinstance(moment, datetime):
        raise InvalidInputError(f"{what} must be a datetime or ISO string, got {type(moment).__name__}")
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def not_future(moment: datetime, *, what: str = "time", max_skew: timedelta = DEFAULT_MAX_FUTURE_SKEW) -> datetime:
    """Return ``moment`` (UTC) if it is not later than the wall clock plus ``max_skew``.

    Raises:
        InvalidInputError: ``moment`` lies further in the future (see :data:`DEFAULT_MAX_FUTURE_SKEW`).
    """
    moment = as_utc(moment, what=what)
    ahead = moment - utcnow()
    if ahead > max_skew:
        raise InvalidInputError(
            f"{what} {moment.isoformat()} is {ahead.total_seconds():.0f} s in the future, over the "
            f"allowed clock skew of {max_skew.total_seconds():.0f} s; send the time the message was "
            "written (past times are fine for replays) or raise max_future_skew_s in the config"
        )
    return moment


Importance = Annotated[float, Field(ge=0.0, le=1.0)]


RELATIONS_ZH: dict[str, str] = {
    "wife": "妻子",
    "husband": "丈夫",
    "partner": "伴侣",
    "boyfriend": "男朋友",
    "girlfriend": "女朋友",
    "fiance": "未婚夫",
    "son": "儿子",
    "daughter": "女儿",
    "child": "孩子",
    "children": "孩子们",
    "parents": "父母",
    "in_laws": "配偶的父母",
    "grandparents": "祖父母",
    "siblings": "兄弟姐妹",
    "mother": "妈妈",
    "father": "爸爸",
    "sister": "姐妹",
    "brother": "兄弟",
    "grandmother": "奶奶",
    "grandfather": "爷爷",
    "mother_in_law": "配偶的母亲",
    "father_in_law": "配偶的父亲",
    "sister_in_law": "姻亲姐妹",
    "brother_in_law": "姻亲兄弟",
    "son_in_law": "女婿",
    "daughter_in_law": "儿媳",
    "stepmother": "继母",
    "stepfather": "继父",
    "stepson": "继子",
    "stepdaughter": "继女",
    "grandson": "孙子",
    "granddaughter": "孙女",
    "niece": "侄女",
    "nephew": "侄子",
    "aunt": "阿姨",
    "uncle": "叔叔",
    "cousin": "表亲",
    "friend": "朋友",
    "boss": "老板",
    "roommate": "室友",
    "coworker": "同事",
    "dog": "狗",
    "cat": "猫",
    "hamster": "仓鼠",
    "rabbit": "兔子",
    "parrot": "鹦鹉",
    "budgie": "虎皮鹦鹉",
    "guinea_pig": "豚鼠",
    "turtle": "乌龟",
    "tortoise": "陆龟",
    "horse": "马儿",
    "ferret": "雪貂",
    "gerbil": "沙鼠",
    "lizard": "蜥蜴",
    "snake": "宠物蛇",
    "goldfish": "金鱼",
}
"""Fact subjects that are the user's relations ("my husband"), with their Chinese words; any
other subject than ``user`` is a named person."""


class Fact(BaseModel):
    """A typed fact about a subject, e.g. ``user.weight = 45 kg`` observed on a date.

    Facts with the same :attr:`key` are versions of one another; the newest
    ``observed_at`` wins at retrieval.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    subject: str = "user"
    """Who the fact is about: ``user`` or a named person."""
    attribute: str
    """Snake-case attribute name: ``weight``, ``allergy``, ``lives_in``."""
    value: str
    """The value as stated, with its unit: ``45 kg``."""
    observed_at: datetime = Field(default_factory=utcnow)
    """When the fact was true (the message time)."""
    statement: str = ""
    """The source sentence, for display and for training the adapter."""

    @field_validator("attribute", "subject")
    @classmethod
    def _slug(cls, value: str) -> str:
        slug = _NOT_SLUG.sub("_", value.strip().lower()).strip("_")
        if not slug:
            raise ValueError(f"fact subject/attribute must contain a letter or digit, got {value!r}")
        return slug

    @field_validator("value")
    @classmethod
    def _value(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("fact value is empty")
        return value.strip()

    @property
    def key(self) -> str:
        """The versioning key, ``subject.attribute``."""
        return f"{self.subject}.{self.attribute}"

    def render(self) -> str:
        """One line for context windows: ``user weight: 45 kg (2024-05-03)``."""
        subject = "" if self.subject == "user" else f"{self.subject} "
        return f"{subject}{self.attribute.replace('_', ' ')}: {self.value} ({self.observed_at:%Y-%m-%d})"


class MemoryRecord(BaseModel):
    """One stored memory, in any tier. Rows of every LanceDB table have this shape."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(default_factory=new_id)
    namespace: str
    tier: Tier
    text: str
    created_at: datetime = Field(default_factory=utcnow)
    """When the memory was written (the message time during replays)."""
    expires_at: datetime | None = None
    """Short-tier TTL; ``None`` never expires."""
    source_ids: list[str] = Field(default_factory=list)
    """Ids of the messages this memory came from (e.g. LoCoMo ``dia_id``s)."""
    importance: Importance = 0.5
    fact: Fact | None = None
    """The typed fact, for ``mid`` and ``long`` records that carry one."""
    kind: str = "message"
    """Granularity: ``message``, ``fact``, ``episode`` ..."""
    thread_id: str = ""
    confirmations: int = Field(default=1, ge=1)
    """How many times this fact was stated (promotion counts these)."""

    @field_validator("namespace")
    @classmethod
    def _namespace(cls, value: str) -> str:
        return validate_namespace(value)

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not value.strip() or len(value) > MAX_ID_CHARS or not value.isprintable():
            raise ValueError(f"record id must be 1-{MAX_ID_CHARS} printable characters, not blank, got {value!r:.80}")
        return value

    @field_validator("created_at", "expires_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else as_utc(value)

    @property
    def key(self) -> str:
        """The fact key, or ``""`` for plain messages."""
        return self.fact.key if self.fact else ""
