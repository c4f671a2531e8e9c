"""The examples in docs/EMBEDDING.md run as written (the lead merges them into the README)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "EMBEDDING.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text("utf-8"), flags=re.S)
EXPECTED = [
    ["assistant: Your weight is 45 kg", "gate     none", "retrieve"],
    ["stored in long-term memory: user.diet = vegetarian", "diet: vegetarian"],
    ["allergy: peanuts"],
]


def test_three_examples() -> None:
    assert len(BLOCKS) == len(EXPECTED) == 3


@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_example_runs(index: int, tmp_path: Path) -> None:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1"}
    out = subprocess.run(
        [sys.executable, "-c", BLOCKS[index]], cwd=tmp_path, capture_output=True, text=True, timeout=600, env=env
    )
    assert out.returncode == 0, out.stderr[-2000:]
    for expected in EXPECTED[index]:
        assert expected in out.stdout, out.stdout
