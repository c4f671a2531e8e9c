"""Long work's progress: log lines every tenth of the work where no bar is drawn."""

from __future__ import annotations

import json
import logging

import pytest
from tiermem.memory.progress import Progress, track, tracker


def logged(caplog: pytest.LogCaptureFixture) -> list[dict]:
    lines = [r.getMessage() for r in caplog.records if r.name == "tiermem.progress"]
    assert all(line.startswith("progress {") for line in lines)
    return [json.loads(line.removeprefix("progress ")) for line in lines]


def test_a_line_every_tenth_of_the_work(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, "tiermem.progress")
    with Progress(200, task="import notes.jsonl", unit="row", show=False) as progress:
        for _ in range(100):
            progress.update(2)
    lines = logged(caplog)
    assert [line["done"] for line in lines] == list(range(20, 201, 20))
    assert lines[-1]["task"] == "import notes.jsonl" and lines[-1]["total"] == 200 and lines[-1]["unit"] == "row"
    assert lines[-1]["elapsed_s"] >= 0 and lines[-1]["per_s"] > 0


def test_work_that_ends_short_or_has_no_total_logs_where_it_ended(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, "tiermem.progress")
    with Progress(100, task="short", show=False) as progress:
        progress.update(35)
    assert [line["done"] for line in logged(caplog)] == [35, 35]  # the crossing, then where it ended
    caplog.clear()
    assert list(track(iter(range(25)), task="unknown", show=False)) == list(range(25))
    assert [(line["done"], line["total"]) for line in logged(caplog)] == [(10, None), (20, None), (25, None)]


def test_quiet_work_and_a_drawn_bar_log_nothing(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, "tiermem.progress")
    assert list(track(["a", "b"], task="quiet", show=False, quiet=True)) == ["a", "b"]
    assert list(tracker(show=True)(["c"], desc="bar", unit="row")) == ["c"]
    assert logged(caplog) == []


def test_describe_renames_the_task(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, "tiermem.progress")
    with Progress(2, task="first", show=False) as progress:
        progress.update(1)
        progress.describe("second")
        progress.update(1)
    assert [line["task"] for line in logged(caplog)] == ["first", "second"]
