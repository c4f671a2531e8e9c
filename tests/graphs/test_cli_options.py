"""Bad option values exit with status 2 and a message naming the option, before any work starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from tiermem.graphs.cli_options import counts, names

TIERMEM = str(Path(sys.executable).with_name("tiermem"))


def cli(*args: str, cwd: Path, **env_vars: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1", **env_vars}
    return subprocess.run([TIERMEM, *args], capture_output=True, text=True, timeout=120, env=env, cwd=cwd)


def test_counts_are_whole_numbers_sorted_once() -> None:
    assert counts("100_000, 1000,1000,", "--sizes") == [1000, 100_000]


@pytest.mark.parametrize(
    ("value", "problem"),
    [("abc", "'abc' is not a whole number"), ("1000,0", "0 is below 1"), (" , ", "no number given"), ("1.5", "1.5")],
)
def test_counts_name_what_is_wrong(value: str, problem: str) -> None:
    with pytest.raises(typer.BadParameter, match=problem) as raised:
        counts(value, "--sizes")
    assert raised.value.param_hint == "--sizes"


def test_names_keep_order_and_refuse_unknown_or_none() -> None:
    assert names("b, a,b", "--kinds", {"a", "b"}) == ["b", "a"]
    with pytest.raises(typer.BadParameter, match=r"unknown \['c'\]; choose from \['a', 'b'\]"):
        names("a,c", "--kinds", {"a", "b"})
    with pytest.raises(typer.BadParameter, match="none given"):
        names(",", "--kinds", {"a", "b"})


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["bench", "latency", "--sizes", "abc"], "--sizes: 'abc' is not a whole number"),
        (["bench", "latency", "--sizes", "0"], "--sizes: 0 is below 1"),
        (["bench", "store", "--stores", "lancedb,redis"], "--stores: unknown ['redis']"),
        (["bench", "ann", "--kinds", "flat"], "--kinds: unknown ['flat']"),
        (["bench", "parametric", "--facts", "0"], "'--facts'"),
        (["bench", "parametric", "--facts", "25"], "--facts: 25 is more than the 20 facts"),
        (["bench", "parametric", "--variants", "last-layers,all"], "--variants: unknown ['all']"),
        (["bench", "parametric", "--languages", "fr"], "--languages: unknown ['fr']"),
        (["bench", "parametric", "--facts", "1", "--variants", "incremental"], "nothing to run"),
        (["worker", "--once", "--threads", "0"], "'--threads'"),
        (["worker", "--once", "--device", "gpu"], "invalid Runtime settings: device"),
    ],
)
def test_bad_option_exits_2_naming_it(tmp_path: Path, args: list[str], expected: str) -> None:
    out = cli(*args, *(["--data-dir", str(tmp_path / "d")] if args[0] == "worker" else []), cwd=tmp_path)
    assert out.returncode == 2, out.stderr
    assert expected in " ".join(out.stderr.split())
    assert "Traceback" not in out.stderr


def test_an_invalid_setting_in_the_config_file_exits_2_naming_it(tmp_path: Path) -> None:
    (tmp_path / "tiermem.toml").write_text('short_ttl_hours = "a day"\n')
    config = str(tmp_path / "tiermem.toml")
    out = cli("memories", "list", "--user", "alice", cwd=tmp_path, TIERMEM_CONFIG=config)
    assert out.returncode == 2
    assert "invalid TierMemConfig settings: short_ttl_hours" in " ".join(out.stderr.split())


def test_a_config_file_that_is_not_toml_exits_naming_it(tmp_path: Path) -> None:
    (tmp_path / "broken.toml").write_text("data_dir = \n")
    out = cli("memories", "list", "--user", "alice", cwd=tmp_path, TIERMEM_CONFIG=str(tmp_path / "broken.toml"))
    said = " ".join(out.stderr.split())
    assert out.returncode != 0 and "broken.toml' is not valid TOML" in said and "Traceback" not in said


def test_a_config_path_that_names_no_file_is_said(tmp_path: Path) -> None:
    out = cli("memories", "list", "--user", "alice", cwd=tmp_path, TIERMEM_CONFIG=str(tmp_path / "typo.toml"))
    assert out.returncode == 0 and "typo.toml', which is not a file" in " ".join(out.stderr.split())


def test_an_unknown_nested_setting_is_refused() -> None:
    from pydantic import ValidationError
    from tiermem.graphs.config import TierMemConfig

    with pytest.raises(ValidationError, match="retrieval.kk"):
        TierMemConfig(retrieval={"kk": 5})
