"""Where a configured data dir is."""

from __future__ import annotations

from pathlib import Path

import pytest
from tiermem.graphs.config import TierMemConfig


def test_a_home_relative_data_dir_is_one_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    config = TierMemConfig(data_dir="~/mem")
    assert config.data_dir == str(tmp_path / "mem")  # LanceDB expands "~" itself; traces and queues did not


def test_a_uri_is_left_as_it_is() -> None:
    assert TierMemConfig(data_dir="s3://bucket/~mem").data_dir == "s3://bucket/~mem"
