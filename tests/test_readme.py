"""README examples run as written and print what the README says they print."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text("utf-8"), flags=re.S)
EXPECTED = [
    ["mid |", "user.weight = 45 kg", "Your weight is 45 kg"],  # embed the graph
    ["assistant: Your weight is 45 kg", "gate     none", "retrieve"],  # graph as a subgraph node
    ["stored in long-term memory: user.diet = vegetarian", "diet: vegetarian"],  # memory tools
    ["allergy: peanuts"],  # create_agent middleware
]


def test_readme_has_the_two_commands() -> None:
    text = README.read_text("utf-8")
    assert "make demo" in text and "make test" in text


def test_every_example_has_expectations() -> None:
    assert len(BLOCKS) == len(EXPECTED)


@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_readme_python_example_runs(index: int, tmp_path: Path) -> None:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1"}
    out = subprocess.run(
        [sys.executable, "-c", BLOCKS[index]], cwd=tmp_path, capture_output=True, text=True, timeout=600, env=env
    )
    assert out.returncode == 0, out.stderr[-2000:]
    for expected in EXPECTED[index]:
        assert expected in out.stdout, out.stdout
