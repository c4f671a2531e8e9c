"""The command line's surface as a user meets it: ids, exit codes, paths, pipes, printed text.

Each test runs the real console script (a subprocess), like a user at a shell or in a pipe.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tiermem.graphs.cli_memories import shown_id
from tiermem.graphs.config import TierMemConfig
from tiermem.graphs.demos import command_line
from tiermem.graphs.trace_store import TraceStore
from tiermem.memory.embeddings import get_embedder
from tiermem.memory.records import MemoryRecord
from tiermem.memory.store import TierStore

TIERMEM = str(Path(sys.executable).with_name("tiermem"))
RECORDS = [
    {"id": "abcdef0123456789aaaa", "namespace": "u", "tier": "short", "text": "one"},
    {"id": "abcdef0123456789bbbb", "namespace": "u", "tier": "short", "text": "two"},
    {"id": "forgetme00000001", "namespace": "u", "tier": "short", "text": "forget me"},
    {"id": "markup0000000001", "namespace": "u", "tier": "short", "text": "I like [red]green[/red] tea"},
    {"id": "abcdef01vvvv0000", "namespace": "v", "tier": "short", "text": "another user's"},
]
MARKUP_THREAD = "[red]t[/red]"


def cli(*args: str, cwd: Path, stdin: bytes | None = None, **env_vars: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1", **env_vars}
    out = subprocess.run([TIERMEM, *args], capture_output=True, input=stdin or b"", timeout=300, env=env, cwd=cwd)
    return subprocess.CompletedProcess(out.args, out.returncode, out.stdout.decode(), out.stderr.decode())


def refused(out: subprocess.CompletedProcess[str], *said: str) -> None:
    """Exit status 2, one line on stderr (besides logged warnings) saying each of ``said``, no traceback."""
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    assert len([line for line in out.stderr.splitlines() if not line.startswith("WARNING ")]) == 1, out.stderr
    for text in said:
        assert text in out.stderr, out.stderr


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir holding :data:`RECORDS` and a saved trace whose ids look like markup."""
    root = tmp_path_factory.mktemp("surface")
    memories = root / "memories.jsonl"
    memories.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    out = cli("memories", "import", str(memories), "--data-dir", str(root / "d"), cwd=root)
    assert out.returncode == 0, out.stderr
    event = {"thread_id": MARKUP_THREAD, "namespace": "[forgotten]", "run_id": "r1", "node": "ingest", "ts": "2024"}
    TraceStore(root / "d" / "traces").append([event])
    return root / "d"


def test_show_takes_a_unique_id_prefix_and_prints_the_record_as_json(data: Path) -> None:
    out = cli("memories", "show", "abcdef0123456789a", "--user", "u", "--json", "--data-dir", str(data), cwd=data)
    assert out.returncode == 0, out.stderr
    record = json.loads(out.stdout)
    assert (record["id"], record["text"]) == ("abcdef0123456789aaaa", "one")


def test_an_ambiguous_id_prefix_lists_the_candidates(data: Path) -> None:
    out = cli("memories", "show", "abcdef012345", "--user", "u", "--data-dir", str(data), cwd=data)
    refused(out, "matches 2 memories", "abcdef0123456789aaaa", "abcdef0123456789bbbb")  # not v's


def test_forget_takes_the_prefix_a_table_shows(data: Path) -> None:
    out = cli("memories", "forget", "forgetme0000", "--user", "u", "--json", "--data-dir", str(data), cwd=data)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["rows"] == 1


def test_stored_text_and_ids_are_printed_as_they_are(data: Path) -> None:
    shown = cli("memories", "show", "markup0000000001", "--user", "u", "--data-dir", str(data), cwd=data)
    assert shown.returncode == 0 and "I like [red]green[/red] tea" in shown.stdout, shown.stderr
    traces = cli("trace", "list", "--data-dir", str(data), cwd=data)
    assert MARKUP_THREAD in traces.stdout and "[forgotten]" in traces.stdout, traces.stderr


def test_tables_off_a_terminal_crop_nothing(tmp_path: Path) -> None:
    text = "I live in Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch on the island of Anglesey in Wales"
    memories = tmp_path / "m.jsonl"
    memories.write_text(json.dumps({"id": "longtext00000001", "namespace": "u", "tier": "long", "text": text}) + "\n")
    assert cli("memories", "import", str(memories), "--data-dir", str(tmp_path / "d"), cwd=tmp_path).returncode == 0
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    shown = subprocess.run(
        [TIERMEM, "memories", "show", "longtext00000001", "--user", "u", "--data-dir", str(tmp_path / "d")],
        capture_output=True,
        timeout=300,
        env={**env, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1"},
        cwd=tmp_path,
    )
    assert shown.returncode == 0, shown.stderr
    assert text in shown.stdout.decode()  # cropped at 80 columns before


def test_an_error_message_keeps_its_brackets_and_one_line_off_a_terminal(data: Path) -> None:
    record_id = "[bold]x[/bold]" + "y" * 100
    out = cli("memories", "show", record_id, "--user", "u", "--data-dir", str(data), cwd=data)
    refused(out, f"no memory with id '{record_id}'")


@pytest.mark.parametrize(("level", "warned"), [("warning", False), ("10", False), ("LOUD", True)])
def test_log_level_takes_names_in_any_case_and_numbers(tmp_path: Path, level: str, warned: bool) -> None:
    out = cli("--help", cwd=tmp_path, TIERMEM_LOG_LEVEL=level)
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    assert ("TIERMEM_LOG_LEVEL='LOUD' is not a log level" in out.stderr) == warned, out.stderr
    assert ("(using the default: warnings, and the progress lines of long work)" in out.stderr) == warned


@pytest.mark.parametrize(
    ("env", "said"),
    [({"TIERMEM_EMBEDDER": "nope"}, "unknown embedder 'nope'"), ({"TIERMEM_GATE": "nope"}, "unknown gate 'nope'")],
)
def test_a_configuration_error_exits_2(data: Path, env: dict[str, str], said: str) -> None:
    out = cli("chat", "--user", "u", "--data-dir", str(data), cwd=data, stdin=b"hello\n", **env)
    refused(out, said)


def test_a_config_file_that_is_not_toml_exits_2(tmp_path: Path) -> None:
    (tmp_path / "broken.toml").write_text("data_dir = \n")
    out = cli("memories", "list", cwd=tmp_path, TIERMEM_CONFIG=str(tmp_path / "broken.toml"))
    refused(out, "broken.toml' is not valid TOML")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["memories", "export", "adir.jsonl"], "Is a directory: 'adir.jsonl'"),
        (["trace", "html", MARKUP_THREAD, "-o", "/proc/t.html"], "'/proc/t.html'"),
        (["memories", "import", "x.parquet"], "x.parquet: not a readable Parquet memory file"),
        (["memories", "import", "rows.jsonl", "--format", "parquet"], "rows.jsonl: not a readable parquet"),
    ],
)
def test_a_bad_path_exits_2_in_one_line(data: Path, tmp_path: Path, args: list[str], said: str) -> None:
    (tmp_path / "adir.jsonl").mkdir()
    (tmp_path / "x.parquet").write_text("not parquet\n")
    (tmp_path / "rows.jsonl").write_text(json.dumps(RECORDS[0]) + "\n")
    refused(cli(*args, "--data-dir", str(data), cwd=tmp_path), said)


def test_a_data_dir_that_is_a_file_exits_2(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("hi\n")
    refused(cli("memories", "import", "-", "--format", "jsonl", "--data-dir", "afile", cwd=tmp_path), "is a file")


def test_a_long_error_stays_one_line_in_a_pipe(tmp_path: Path) -> None:
    (tmp_path / "badtier.jsonl").write_text('{"namespace": "u", "tier": "huge", "text": "x"}\n')
    out = cli("memories", "import", "badtier.jsonl", "--data-dir", "d", cwd=tmp_path)
    refused(out, "badtier.jsonl line 1: field 'tier'", "(nothing was imported)")


def test_graph_creates_nothing_in_the_working_directory(tmp_path: Path) -> None:
    out = cli("graph", cwd=tmp_path)
    assert out.returncode == 0 and "flowchart" in out.stdout, out.stderr
    assert list(tmp_path.iterdir()) == []


def test_hints_name_a_data_dir_that_is_not_the_default(tmp_path: Path) -> None:
    assert command_line(TierMemConfig(data_dir="./.tiermem"), "worker", "--once") == "tiermem worker --once"
    out = cli("demo", "isolation", "--data-dir", "d1", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "tiermem trace html isolation-demo-bob -o isolation-demo-bob.html --data-dir d1" in out.stdout


def test_dash_is_stdout_and_stdin(data: Path, tmp_path: Path) -> None:
    usage = cli("memories", "export", "-", "--data-dir", str(data), cwd=tmp_path)
    assert usage.returncode == 2 and "--format" in usage.stderr and not usage.stdout, usage.stderr
    out = cli("memories", "export", "-", "--format", "jsonl", "--user", "v", "--data-dir", str(data), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["abcdef01vvvv0000"]
    copy = tmp_path / "copy"
    back = cli("memories", "import", "-", "--format", "jsonl", "--json", "--data-dir", str(copy), cwd=tmp_path,
               stdin=out.stdout.encode())  # fmt: skip
    assert back.returncode == 0 and json.loads(back.stdout)["imported"] == 1, back.stderr


def test_import_errors_name_their_line_and_column(tmp_path: Path) -> None:
    good = b'{"namespace": "u1", "tier": "short", "text": "line one"}\n'
    (tmp_path / "bytes.jsonl").write_bytes(good * 2 + b'{"namespace": "u1", "tier": "short", "text": "caf\xe9"}\n')
    (tmp_path / "open.jsonl").write_bytes(b'{"namespace": "c3", "tier": "short", "text": "x"\n')
    for name, said in (
        ("bytes", "bytes.jsonl line 3: not valid UTF-8"),
        ("open", "line 1: not valid JSON (Expecting ',' delimiter at column 49)"),
    ):
        out = cli("memories", "import", f"{name}.jsonl", "--data-dir", "d", cwd=tmp_path)
        assert out.returncode == 2 and said in out.stderr, out.stderr


def test_importing_ledger_facts_queues_their_users_retrain(tmp_path: Path) -> None:
    rows = [
        {
            "namespace": "imp",
            "tier": "long",
            "text": "I am allergic to shellfish",
            "fact": {"attribute": "allergy", "value": "shellfish"},
        },
        {"namespace": "other", "tier": "short", "text": "I'm on the train"},
        {"namespace": "no-facts", "tier": "long", "text": "I am allergic to cats"},  # trains nothing
    ]
    (tmp_path / "long.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows))
    out = cli("memories", "import", "long.jsonl", "--json", "--data-dir", "d", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["ledger_namespaces"] == ["imp"] and list(report["retrain_jobs"]) == ["imp"]
    jobs = json.loads(cli("adapters", "jobs", "--json", "--data-dir", "d", cwd=tmp_path).stdout)["jobs"]
    assert [(j["namespace"], j["state"]) for j in jobs] == [("imp", "queued")]


def test_piped_chat_skips_bad_lines_naming_them_and_strips_crlf(tmp_path: Path) -> None:
    lines = b"x" * 40000 + b"\n" + b"bad \xff byte\n" + b"I walked the dog today\r\n"
    out = cli("chat", "--user", "c", "--data-dir", "d", cwd=tmp_path, stdin=lines)
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    assert "line 1 is 40000 bytes" in out.stderr and "line 2 is not valid UTF-8" in out.stderr
    assert out.stdout.count("tiermem>") == 1  # the third line was answered
    listed = json.loads(cli("memories", "list", "--user", "c", "--json", "--data-dir", "d", cwd=tmp_path).stdout)
    texts = [m["text"] for m in listed["memories"]]
    assert "I walked the dog today" in texts and not any(text.endswith("\r") for text in texts)


@pytest.mark.parametrize(
    "args",
    [
        ["memories", "list"],
        ["memories", "export", "-", "--format", "jsonl"],
        ["trace", "list"],
        ["trace", "show", "t"],
        ["adapters", "list"],
        ["adapters", "jobs"],
        ["adapters", "rollback", "bob"],
        ["maintain"],
    ],
)
def test_reading_a_data_dir_that_does_not_exist_creates_nothing(tmp_path: Path, args: list[str]) -> None:
    refused(cli(*args, "--data-dir", "typo", cwd=tmp_path), "no tiermem data in typo")
    assert list(tmp_path.iterdir()) == []


def test_adapters_list_refuses_a_bad_user(data: Path) -> None:
    refused(cli("adapters", "list", "--user", "../x", "--data-dir", str(data), cwd=data), "invalid namespace")


def test_adapters_rollback_of_a_user_without_adapters_exits_2(data: Path) -> None:
    for flag in ([], ["--user"]):
        out = cli("adapters", "rollback", *flag, "nobody", "--data-dir", str(data), cwd=data)
        refused(out, "no adapter versions for user 'nobody'")
    refused(cli("adapters", "rollback", "../x", "--data-dir", str(data), cwd=data), "invalid namespace")


def test_deleting_a_trace_that_does_not_exist_exits_2(data: Path) -> None:
    refused(cli("trace", "delete", "nope", "--data-dir", str(data), cwd=data), "no trace for thread 'nope'")


def test_gate_training_needs_one_epoch_at_least(tmp_path: Path) -> None:
    out = cli("gate", "train", "data.jsonl", "--epochs", "0", cwd=tmp_path)
    assert out.returncode == 2 and "--epochs" in out.stderr and "Traceback" not in out.stderr
    assert list(tmp_path.iterdir()) == []


def test_list_leaves_out_what_is_past_its_ttl_unless_asked(tmp_path: Path) -> None:
    rows = [
        {
            "id": "gone0001",
            "namespace": "w",
            "tier": "short",
            "text": "at the gym",
            "created_at": "2024-01-01T08:00:00Z",
            "expires_at": "2024-01-02T08:00:00Z",
        },
        {
            "id": "kept0001",
            "namespace": "w",
            "tier": "mid",
            "text": "I weigh 45 kg",
            "created_at": "2024-01-01T09:00:00Z",
        },
    ]
    (tmp_path / "w.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert (
        cli("memories", "import", str(tmp_path / "w.jsonl"), "--data-dir", str(tmp_path / "d"), cwd=tmp_path).returncode
        == 0
    )

    def listed(*flags: str) -> list[str]:
        out = cli("memories", "list", "--user", "w", "--json", "--data-dir", str(tmp_path / "d"), *flags, cwd=tmp_path)
        return [m["id"] for m in json.loads(out.stdout)["memories"]]

    assert listed() == ["kept0001"]  # as every search sees the user's memories
    assert listed("--expired") == ["kept0001", "gone0001"]


def test_listing_an_unknown_user_names_only_the_users_a_typo_would_give(tmp_path: Path) -> None:
    store = TierStore.open(tmp_path / "d", get_embedder("use"))
    store.write([MemoryRecord(namespace=name, tier="mid", text="hi") for name in ("Alice", "bob", "carol")])
    for asked, hint in [("alice", "3 users have memories here; did you mean 'Alice'?"), ("zed", "3 users")]:
        out = cli("memories", "list", "--user", asked, "--data-dir", str(tmp_path / "d"), cwd=tmp_path)
        said = " ".join(out.stderr.split())
        assert f"no memories of user '{asked}' in this data dir ({hint}" in said, said
        assert "bob" not in said and "carol" not in said


def test_forget_takes_the_id_end_a_table_shows(tmp_path: Path) -> None:
    """tiermem's ids start with their time: memories written together share their first characters,
    so the tables show each id's random end, which is what show and forget take."""
    store = TierStore.open(tmp_path / "d", get_embedder("use"))
    records = [MemoryRecord(namespace="u", tier="short", text=text) for text in ("one", "two")]
    ids = store.write(records)
    assert ids[0][:8] == ids[1][:8]  # the start names neither
    listed = cli("memories", "list", "--user", "u", "--data-dir", str(tmp_path / "d"), cwd=tmp_path)
    shown = shown_id(ids[1])
    assert shown.startswith("…") and shown in listed.stdout, listed.stdout
    out = cli("memories", "forget", shown, "--user", "u", "--json", "--data-dir", str(tmp_path / "d"), cwd=tmp_path)
    assert out.returncode == 0 and json.loads(out.stdout)["record_id"] == ids[1], out.stderr
    assert [r.id for r in store.records("u")] == [ids[0]]
