"""The LoCoMo-format loader: shapes it accepts, evidence normalisation, and errors naming sample and field."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from tiermem.benchmarks.locomo import load_locomo, normalise_evidence
from tiermem.memory.errors import DatasetFormatError

DATA = Path(__file__).resolve().parents[1] / "data" / "locomo_bilingual.json"


def sample() -> dict[str, Any]:
    return copy.deepcopy(json.loads(DATA.read_text("utf-8"))[0])


def write(tmp_path: Path, payload: Any, name: str = "data.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(payload, ensure_ascii=False), "utf-8")
    return path


def test_bilingual_file_loads_turns_dates_and_normalised_evidence() -> None:
    (conv,) = load_locomo(DATA)
    assert conv.sample_id == "mix-1" and conv.speakers == ("Tom", "小美")
    assert [s.index for s in conv.sessions] == [1, 2, 3]  # session_4 has a date but no turns
    assert conv.sessions[0].at == datetime(2024, 3, 3, 14, 15, tzinfo=UTC)
    first = conv.sessions[0].turns[4]
    expected = "Tom: I just adopted a cat named Mochi last week. [image: a grey kitten sleeping on a sofa]"
    assert first.render() == expected
    evidence = {q.index: q.evidence for q in conv.questions}
    assert evidence[2] == ("D1:4", "D2:1")  # "D1:4; D2:1" split
    assert evidence[4] == ("D3:3",)  # "D:3:3"
    assert evidence[5] == ("D3:4",)  # "D3:04"
    assert evidence[9] == ("D1:9", "D3:9")  # "D1:9 D3:9"
    assert evidence[8] == ("D2:4",) and evidence[13] == ("D1:7",)
    assert conv.dropped == ["qa[8].evidence[1]: 'D' (truncated id)", "qa[13].evidence: 'D9:9' (matches no turn)"]
    scored = conv.scored()
    assert len(scored) == 14 and all(q.category in (1, 2, 3, 4) and q.evidence for q in scored)
    assert {q.kind for q in scored} == {"en", "zh", "mixed"}


def test_official_one_sample_per_file_folder(tmp_path: Path) -> None:
    first = sample()
    top_level = {**first.pop("conversation"), "qa": first["qa"]}  # the official zip's shape
    write(tmp_path, top_level, "26.json")
    second = sample()
    second["sample_id"] = "mix-2"
    write(tmp_path, second, "27.json")
    loaded = load_locomo(tmp_path)
    assert [c.sample_id for c in loaded] == ["26", "mix-2"]
    assert load_locomo(tmp_path, limit=1)[0].sample_id == "26"


def _drop(path: tuple[Any, ...]) -> Callable[[dict[str, Any]], None]:
    def mutate(raw: dict[str, Any]) -> None:
        target = raw
        for part in path[:-1]:
            target = target[part]
        del target[path[-1]]

    return mutate


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(raw: dict[str, Any]) -> None:
        target = raw
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return mutate


def _dangling(raw: dict[str, Any]) -> None:
    for qa in raw["qa"][:6]:
        qa["evidence"] = ["D7:1"]


MALFORMED = [
    ("no conversation", _drop(("conversation",)), "field 'conversation'", "missing"),
    ("no qa", _drop(("qa",)), "field 'qa'", "missing"),
    ("no speaker", _drop(("conversation", "speaker_b")), "field 'conversation.speaker_b'", "missing"),
    ("turn without text", _drop(("conversation", "session_2", 3, "text")), "conversation.session_2[3].text", "missing"),
    ("turn text a number", _set(("conversation", "session_1", 0, "text"), 7), "session_1[0].text", "expected a string"),
    ("bad dia_id", _set(("conversation", "session_1", 1, "dia_id"), "turn-2"), "session_1[1].dia_id", "'turn-2'"),
    ("session without date", _drop(("conversation", "session_3_date_time")), "session_3_date_time", "no date"),
    ("bad date", _set(("conversation", "session_1_date_time"), "yesterday"), "session_1_date_time", "'yesterday'"),
    ("session not a list", _set(("conversation", "session_2"), {"a": 1}), "conversation.session_2", "a list"),
    ("evidence a string", _set(("qa", 1, "evidence"), "D1:5"), "qa[1].evidence", "a list"),
    ("evidence id a number", _set(("qa", 1, "evidence"), [15]), "qa[1].evidence[0]", "dia_id string"),
    ("evidence not an id", _set(("qa", 1, "evidence"), ["turn five"]), "qa[1].evidence[0]", "'turn'"),
    ("evidence matching no turns", _dangling, "qa[*].evidence", "match no turn"),
    ("category a string", _set(("qa", 0, "category"), "2"), "qa[0].category", "an integer"),
    ("category a bool", _set(("qa", 0, "category"), True), "qa[0].category", "an integer"),
    ("category out of range", _set(("qa", 0, "category"), 9), "qa[0].category", "not a category"),
    ("question missing", _drop(("qa", 3, "question")), "qa[3].question", "missing"),
    ("kind not a string", _set(("qa", 3, "kind"), ["zh"]), "qa[3].kind", "a string"),
]


@pytest.mark.parametrize(("name", "mutate", "field", "problem"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_sample_names_sample_and_field(
    tmp_path: Path, name: str, mutate: Callable[[dict[str, Any]], None], field: str, problem: str
) -> None:
    raw = sample()
    mutate(raw)
    with pytest.raises(DatasetFormatError) as error:
        load_locomo(write(tmp_path, [raw]))
    message = str(error.value)
    assert "sample 'mix-1'" in message and field in message and problem in message


@pytest.mark.parametrize(
    ("content", "problem"),
    [("[{", "is not JSON"), ("[]", "holds no samples"), ('["x"]', "expected an object"), ("[1, 2]", "expected")],
)
def test_unusable_files(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, "utf-8")
    with pytest.raises(DatasetFormatError, match=problem):
        load_locomo(path)


def test_missing_path_empty_folder_and_duplicate_ids(tmp_path: Path) -> None:
    with pytest.raises(DatasetFormatError, match="does not exist"):
        load_locomo(tmp_path / "absent.json")
    with pytest.raises(DatasetFormatError, match="no \\*.json files"):
        load_locomo(tmp_path)
    with pytest.raises(DatasetFormatError, match="'mix-1' appears twice"):
        load_locomo(write(tmp_path, [sample(), sample()]))


@pytest.mark.parametrize(
    ("raw", "expected", "dropped"),
    [
        (["D1:3"], ["D1:3"], 0),
        (["D8:6; D9:17"], ["D8:6", "D9:17"], 0),
        (["D9:1 D4:4 D4:6"], ["D9:1", "D4:4", "D4:6"], 0),
        (["D:11:26"], ["D11:26"], 0),
        (["D30:05"], ["D30:5"], 0),
        (["D1:18", "D", "D1:20"], ["D1:18", "D1:20"], 1),
        (["D2:1", "D2:01"], ["D2:1"], 0),
        ([], [], 0),
    ],
)
def test_evidence_normalisation(raw: list[str], expected: list[str], dropped: int) -> None:
    notes: list[str] = []
    assert normalise_evidence(raw, "s", "qa[0].evidence", notes) == expected
    assert len(notes) == dropped
