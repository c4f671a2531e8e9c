"""Load LoCoMo-format conversations: a JSON list of samples, one sample, or a folder of them.

A sample has a ``conversation`` (``speaker_a``, ``speaker_b``, ``session_N``
turn lists and ``session_N_date_time`` strings) and a ``qa`` list. The
official per-conversation files put the conversation fields at the top level;
both shapes load. Only what a live memory system would see is kept: turns,
speakers, session dates and image captions. The dataset's precomputed
``observation``, ``session_summary`` and ``event_summary`` fields are never read.

Evidence ids are normalised as the data README asks: a string holding several
ids is split (``"D8:6; D9:17"``), ``"D:11:26"`` and ``"D30:05"`` become
``D11:26`` and ``D30:5``; a bare ``"D"`` and ids that match no turn are
dropped and listed in :attr:`Conversation.dropped`. Anything else that is
malformed raises :class:`~tiermem.memory.errors.DatasetFormatError` naming the
sample and the field, before anything is ingested.

Example:
    >>> conversations = load_locomo("locomo10.json")
    >>> conversations[0].sessions[0].turns[0].render()
    'Caroline: Hey Mel! Good to see you! How have you been?'
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tiermem.memory.errors import DatasetFormatError

DATE_FORMAT = "%I:%M %p on %d %B, %Y"
"""LoCoMo session dates: ``"1:56 pm on 8 May, 2023"``."""

MAX_DANGLING_SHARE = 0.05
"""Above this share of a sample's evidence ids matching no turn, the file is refused:
a few dangling ids are annotation noise, many mean evidence and turns do not belong together."""

_SESSION = re.compile(r"session_(\d+)")
_ID = re.compile(r"D:?0*(\d+):0*(\d+)")
_SPLIT = re.compile(r"[;,\s]+")


@dataclass(frozen=True, slots=True)
class Turn:
    """One utterance."""

    dia_id: str
    """``D<session>:<turn>``: the source id every memory written from this turn keeps."""
    speaker: str
    text: str
    caption: str = ""
    """BLIP caption of an image shared with the turn (the image itself is not in the data)."""

    def render(self) -> str:
        """The turn as a live system sees it: ``speaker: text [image: caption]``."""
        image = f" [image: {self.caption}]" if self.caption else ""
        return f"{self.speaker}: {self.text}{image}"


@dataclass(frozen=True, slots=True)
class Session:
    """One dated session of turns."""

    index: int
    at: datetime
    """Session start (UTC); the message time of each of its turns."""
    turns: tuple[Turn, ...]


@dataclass(frozen=True, slots=True)
class Question:
    """One QA item with its normalised evidence."""

    index: int
    """Position in the sample's ``qa`` list."""
    question: str
    category: int
    evidence: tuple[str, ...]
    answer: str = ""
    kind: str | None = None
    """Optional finer label (``qa[i].kind``) reported separately when present."""


@dataclass(slots=True)
class Conversation:
    """One LoCoMo sample."""

    sample_id: str
    speakers: tuple[str, str]
    sessions: list[Session]
    questions: list[Question]
    dropped: list[str] = field(default_factory=list)
    """Evidence ids dropped while loading, as ``qa[i].evidence: 'D10:19' (matches no turn)``."""

    @property
    def turns(self) -> Iterator[tuple[Session, Turn]]:
        """Every turn in order, with its session."""
        for session in self.sessions:
            for turn in session.turns:
                yield session, turn

    def scored(self, categories: tuple[int, ...] = (1, 2, 3, 4)) -> list[Question]:
        """Questions of ``categories`` that have evidence (the ones recall is computed on)."""
        return [q for q in self.questions if q.category in categories and q.evidence]


def _fail(sample: str, where: str, problem: str) -> DatasetFormatError:
    return DatasetFormatError(f"sample {sample!r}, field {where!r}: {problem}")


def _expect(value: Any, kind: type | tuple[type, ...], sample: str, where: str, what: str) -> Any:
    if not isinstance(value, kind) or isinstance(value, bool):
        raise _fail(sample, where, f"expected {what}, got {type(value).__name__} {value!r:.60}")
    return value


def parse_date(value: Any, sample: str, where: str) -> datetime:
    """A LoCoMo session date (``"1:56 pm on 8 May, 2023"``) as UTC."""
    text = _expect(value, str, sample, where, f"a date like '1:56 pm on 8 May, 2023' ({DATE_FORMAT})")
    try:
        return datetime.strptime(text.strip(), DATE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise _fail(sample, where, f"{text!r} is not a date like '1:56 pm on 8 May, 2023'") from None


def _turn(raw: Any, sample: str, where: str) -> Turn:
    raw = _expect(raw, dict, sample, where, "an object {speaker, dia_id, text}")
    for key in ("speaker", "dia_id", "text"):
        if key not in raw:
            raise _fail(sample, f"{where}.{key}", "missing; every turn needs speaker, dia_id and text")
        _expect(raw[key], str, sample, f"{where}.{key}", "a string")
    match = _ID.fullmatch(raw["dia_id"].strip())
    if match is None:
        raise _fail(sample, f"{where}.dia_id", f"{raw['dia_id']!r} is not an id like 'D1:3'")
    caption = raw.get("blip_caption") or ""
    _expect(caption, str, sample, f"{where}.blip_caption", "a string")
    return Turn(f"D{int(match[1])}:{int(match[2])}", raw["speaker"], raw["text"], caption.strip())


def _sessions(conv: dict[str, Any], sample: str) -> list[Session]:
    numbers = sorted(int(m[1]) for key in conv if (m := _SESSION.fullmatch(key)))
    if not numbers:
        raise _fail(sample, "conversation", "has no session_N turn lists")
    sessions = []
    for n in numbers:
        key = f"session_{n}"
        turns = _expect(conv[key], list, sample, f"conversation.{key}", "a list of turns")
        if f"{key}_date_time" not in conv:
            raise _fail(sample, f"conversation.{key}_date_time", f"missing; {key} has turns but no date")
        at = parse_date(conv[f"{key}_date_time"], sample, f"conversation.{key}_date_time")
        parsed = tuple(_turn(t, sample, f"conversation.{key}[{i}]") for i, t in enumerate(turns))
        if parsed:
            sessions.append(Session(n, at, parsed))
    return sessions


def normalise_evidence(raw: Any, sample: str, where: str, dropped: list[str]) -> list[str]:
    """Split and normalise one ``evidence`` list; bare ``"D"`` entries go to ``dropped``.

    Raises:
        DatasetFormatError: not a list of strings, or an entry that is not an id.
    """
    items = _expect(raw, list, sample, where, "a list of dia_id strings")
    ids: list[str] = []
    for i, item in enumerate(items):
        _expect(item, str, sample, f"{where}[{i}]", "a dia_id string like 'D1:3'")
        for token in filter(None, _SPLIT.split(item.strip())):
            if token == "D":  # a truncated id in the published data: nothing to resolve
                dropped.append(f"{where}[{i}]: 'D' (truncated id)")
                continue
            match = _ID.fullmatch(token)
            if match is None:
                raise _fail(sample, f"{where}[{i}]", f"{token!r} is not a dia_id like 'D1:3'")
            ids.append(f"D{int(match[1])}:{int(match[2])}")
    return list(dict.fromkeys(ids))


def _question(raw: Any, index: int, sample: str, known: set[str], dropped: list[str]) -> Question:
    where = f"qa[{index}]"
    raw = _expect(raw, dict, sample, where, "an object {question, evidence, category}")
    for key in ("question", "evidence", "category"):
        if key not in raw:
            raise _fail(sample, f"{where}.{key}", "missing; every QA needs question, evidence and category")
    question = _expect(raw["question"], str, sample, f"{where}.question", "a string")
    category = _expect(raw["category"], int, sample, f"{where}.category", "an integer 1-5")
    if not 1 <= category <= 5:
        raise _fail(sample, f"{where}.category", f"{category} is not a category 1-5")
    kind = raw.get("kind")
    if kind is not None:
        _expect(kind, str, sample, f"{where}.kind", "a string")
    evidence = []
    for dia_id in normalise_evidence(raw["evidence"], sample, f"{where}.evidence", dropped):
        if dia_id in known:
            evidence.append(dia_id)
        else:
            dropped.append(f"{where}.evidence: {dia_id!r} (matches no turn)")
    answer = raw.get("answer", raw.get("adversarial_answer", ""))
    return Question(index, question, category, tuple(evidence), "" if answer is None else str(answer), kind)


def parse_sample(raw: Any, default_id: str) -> Conversation:
    """One sample (``{sample_id, conversation, qa}``, or the conversation fields at top level).

    Raises:
        DatasetFormatError: a missing key, a wrong type, a bad date or evidence id.
    """
    raw = _expect(raw, dict, default_id, "<sample>", "an object with 'conversation' and 'qa'")
    sample = raw.get("sample_id", default_id)
    sample = str(_expect(sample, (str, int), default_id, "sample_id", "a string"))
    conv = raw.get("conversation", raw if "speaker_a" in raw else None)
    if conv is None:
        raise _fail(sample, "conversation", "missing; a sample needs 'conversation' and 'qa'")
    conv = _expect(conv, dict, sample, "conversation", "an object")
    for key in ("speaker_a", "speaker_b"):
        if key not in conv:
            raise _fail(sample, f"conversation.{key}", "missing; name both speakers")
        _expect(conv[key], str, sample, f"conversation.{key}", "a string")
    if "qa" not in raw:
        raise _fail(sample, "qa", "missing; a sample needs a 'qa' list")
    sessions = _sessions(conv, sample)
    known = {turn.dia_id for session in sessions for turn in session.turns}
    dropped: list[str] = []
    qa = _expect(raw["qa"], list, sample, "qa", "a list of QA objects")
    questions = [_question(q, i, sample, known, dropped) for i, q in enumerate(qa)]
    cited = sum(len(q.evidence) for q in questions) + len(dropped)
    if dropped and len(dropped) > max(2, MAX_DANGLING_SHARE * cited):
        raise _fail(
            sample,
            "qa[*].evidence",
            f"{len(dropped)} of {cited} evidence ids match no turn (first: {dropped[0]}); "
            "the QA list does not belong to these sessions",
        )
    return Conversation(sample, (conv["speaker_a"], conv["speaker_b"]), sessions, questions, dropped)


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetFormatError(f"cannot read {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise DatasetFormatError(
            f"{path} is not JSON ({exc.msg} at line {exc.lineno}); expected a LoCoMo list of samples"
        ) from None


def load_locomo(path: str | Path, *, limit: int | None = None) -> list[Conversation]:
    """Every sample in a LoCoMo file (a list or one sample) or in a folder's ``*.json`` files.

    Args:
        path: a JSON file or a folder of them.
        limit: keep only the first ``limit`` conversations.

    Raises:
        DatasetFormatError: unreadable, not JSON, malformed, or duplicate sample ids.
    """
    path = Path(path)
    if path.is_dir():
        files = sorted(path.glob("*.json"))
        if not files:
            raise DatasetFormatError(f"folder {path} has no *.json files; pass a LoCoMo file or folder")
    elif path.is_file():
        files = [path]
    else:
        raise DatasetFormatError(f"{path} does not exist; pass a LoCoMo JSON file or a folder of them")
    conversations: list[Conversation] = []
    for file in files:
        data = _read(file)
        samples = data if isinstance(data, list) else [data]
        for i, raw in enumerate(samples):
            default = file.stem if len(samples) == 1 else f"{file.stem}[{i}]"
            conversations.append(parse_sample(raw, default))
    seen: set[str] = set()
    for conv in conversations:
        if conv.sample_id in seen:
            raise DatasetFormatError(f"sample {conv.sample_id!r} appears twice; sample ids must be unique")
        seen.add(conv.sample_id)
    if not conversations:
        raise DatasetFormatError(f"{path} holds no samples")
    return conversations[:limit] if limit else conversations
