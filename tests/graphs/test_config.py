"""Configuration: where the data dir is, how settings objects merge with the environment."""

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


def test_a_settings_object_merges_with_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from tiermem.agents.settings import RetrievalSettings
    from tiermem.memory.policies import NamespaceQuota

    monkeypatch.setenv("TIERMEM_QUOTA__MAX_ROWS", "100")
    monkeypatch.setenv("TIERMEM_RETRIEVAL__TOKEN_BUDGET", "700")
    as_objects = TierMemConfig(quota=NamespaceQuota(max_bytes=1_000_000), retrieval=RetrievalSettings(k=5))
    as_dicts = TierMemConfig(quota={"max_bytes": 1_000_000}, retrieval={"k": 5})
    assert as_objects.quota == as_dicts.quota == NamespaceQuota(max_rows=100, max_bytes=1_000_000)
    assert (as_objects.retrieval.k, as_objects.retrieval.token_budget) == (5, 700)
    assert as_objects.retrieval == as_dicts.retrieval


@pytest.mark.parametrize("name", ["foo", "openai:gpt-4o", "/nonexistent/model"])
def test_a_chat_model_that_is_no_local_checkpoint_is_refused_at_once(name: str) -> None:
    with pytest.raises(ValueError, match="no local transformers checkpoint folder"):  # pydantic's ValidationError
        TierMemConfig(chat_model=name)


def test_a_local_checkpoint_folder_is_taken(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    assert TierMemConfig(chat_model=str(tmp_path)).chat_model == str(tmp_path)


def test_an_embedder_folder_without_a_model_is_a_config_error(tmp_path: Path) -> None:
    from tiermem.memory.embeddings import get_embedder
    from tiermem.memory.errors import ConfigError

    with pytest.raises(ConfigError, match="holds no sentence-transformers model"):
        get_embedder(str(tmp_path))


def test_a_misspelt_environment_variable_is_a_warning_naming_the_closest_setting(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("TIERMEM_SHORT_TTL_HOUR", "2")
    monkeypatch.setenv("TIERMEM_XYZZY_PLUGH", "1")
    for known in ("TIERMEM_QUOTA__MAX_ROWS", "TIERMEM_RETRIEVAL__TIER_WEIGHTS__SHORT", "TIERMEM_LOG_LEVEL"):
        monkeypatch.setenv(known, "1")
    with caplog.at_level("WARNING", logger="tiermem.graphs.config"):
        config = TierMemConfig()
        TierMemConfig()  # once per process, not once per config
    assert config.short_ttl_hours == 24.0 and config.quota.max_rows == 1  # the typo is ignored, not an error
    assert [r.getMessage() for r in caplog.records if r.getMessage().startswith("environment")] == [
        "environment variable TIERMEM_SHORT_TTL_HOUR is not a tiermem setting and is ignored; "
        "did you mean TIERMEM_SHORT_TTL_HOURS?",
        "environment variable TIERMEM_XYZZY_PLUGH is not a tiermem setting and is ignored; "
        "README's Configuration section lists the settings",
    ]


def test_the_same_typo_in_the_toml_file_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "tiermem.toml").write_text("shrot_ttl_hours = 12\n")
    monkeypatch.setenv("TIERMEM_CONFIG", str(tmp_path / "tiermem.toml"))
    with pytest.raises(ValueError, match="shrot_ttl_hours"):
        TierMemConfig()
