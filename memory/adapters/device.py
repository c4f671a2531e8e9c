"""The device and arithmetic a training job runs in, and the private copy of the base model it trains."""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Literal

import torch

from ..errors import ConfigError
from ..hardware import cpu_has_native_bf16
from ..models import smollm2_checkpoint
from .config import Runtime

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

_LOAD_LOCK = threading.Lock()


def resolve_device(runtime: Runtime) -> torch.device:
    """The torch device ``runtime`` asks for; ``auto`` picks CUDA when available.

    Raises:
        ConfigError: CUDA is asked for and this machine has none, or not that device.
    """
    if runtime.device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    device = torch.device(runtime.device)
    if device.type == "cuda":
        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
        if (device.index or 0) >= count:
            raise ConfigError(f"device {runtime.device!r}: this machine has {count} CUDA device(s); use auto or cpu")
    return device


def resolve_precision(runtime: Runtime, device: torch.device) -> Literal["fp32", "bf16"]:
    """The training arithmetic ``runtime`` asks for on ``device``.

    ``auto`` picks bf16 where the hardware computes it natively (CUDA with
    bf16 support; CPUs with AVX512-BF16 or AMX, where a bf16 matrix product
    is 2-2.5x as fast as fp32), and fp32 elsewhere.
    """
    if runtime.precision != "auto":
        return runtime.precision
    if device.type == "cuda":
        return "bf16" if torch.cuda.is_bf16_supported() else "fp32"
    if device.type == "cpu":
        return "bf16" if cpu_has_native_bf16() else "fp32"
    return "fp32"


def arithmetic(device: torch.device, precision: str) -> AbstractContextManager[object]:
    """Autocast to bf16 for ``precision == "bf16"``: products in bf16, weights and gradients in fp32."""
    return torch.autocast(device.type, dtype=torch.bfloat16, enabled=precision == "bf16")


def load_base(runtime: Runtime) -> tuple[PreTrainedModel, PreTrainedTokenizerBase]:
    """A private copy of the base model (training mutates it), on the runtime's device."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    path = runtime.checkpoint or str(smollm2_checkpoint())
    with _LOAD_LOCK:  # from_pretrained's meta-device init is process-global, not thread-safe
        tokenizer = AutoTokenizer.from_pretrained(path)
        model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32)
    model.to(resolve_device(runtime))  # type: ignore[arg-type]  # transformers' wrapper of `to` is mistyped
    model.eval()
    return model, tokenizer
