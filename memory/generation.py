"""Text generation with the bundled local chat model (SmolLM2 by default).

The parametric tier extends :class:`LocalGenerator` with per-namespace
adapters; without one it answers with the base model.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, cast

import torch

from .errors import InvalidInputError
from .models import load_local_chat_model

if TYPE_CHECKING:
    from transformers import BatchEncoding


@dataclass(frozen=True, slots=True)
class Generation:
    """A generated answer and what produced it."""

    text: str
    adapter_version: str | None = None
    """The namespace adapter used, or ``None`` for the base model."""


class TextGenerator(Protocol):
    """What the responder needs from a local model (:class:`LocalGenerator` and its adapter-aware subclasses)."""

    def generate(
        self, messages: list[dict[str, str]], *, max_new_tokens: int = 64, namespace: str | None = None
    ) -> Generation: ...


class LocalGenerator:
    """Greedy generation from chat messages with a local transformers model.

    Args:
        checkpoint: a transformers checkpoint folder; default: the bundled SmolLM2.
    """

    def __init__(self, checkpoint: str | None = None) -> None:
        self.model, self.tokenizer = load_local_chat_model(checkpoint)
        self._lock = threading.Lock()

    def generate(
        self, messages: list[dict[str, str]], *, max_new_tokens: int = 64, namespace: str | None = None
    ) -> Generation:
        """Answer the chat ``messages`` (``{"role", "content"}`` dicts).

        Args:
            messages: the chat so far, system message first if any.
            max_new_tokens: generation budget.
            namespace: whose adapter to use (the base generator ignores it).

        Raises:
            InvalidInputError: no messages, or a budget below one token.
        """
        check_request(messages, max_new_tokens)
        encoded = cast(
            "BatchEncoding",
            self.tokenizer.apply_chat_template(
                messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
            ),
        )
        model = cast(Any, self.model)  # transformers' GenerationMixin is invisible to mypy through nn.Module
        with self._lock, torch.inference_mode():
            output = model.generate(
                **encoded,
                max_new_tokens=max_new_tokens,
                do_sample=False,
                repetition_penalty=1.1,
                pad_token_id=self.tokenizer.eos_token_id,
            )
        prompt_length = encoded["input_ids"].shape[1]
        text = cast(str, self.tokenizer.decode(output[0][prompt_length:], skip_special_tokens=True))
        return Generation(text=text.strip())


def check_request(messages: list[dict[str, str]], max_new_tokens: int) -> None:
    """Refuse a generation with nothing to answer or no tokens to answer with.

    Raises:
        InvalidInputError: ``messages`` is empty or ``max_new_tokens`` is below 1.
    """
    if not messages:
        raise InvalidInputError("nothing to answer: give at least one message")
    if max_new_tokens < 1:
        raise InvalidInputError(f"max_new_tokens must be at least 1, got {max_new_tokens}")
