"""Test doubles shared by the answer-path tests."""

from __future__ import annotations

from tiermem.memory.generation import Generation


class RecordingGenerator:
    """A chat model stand-in that records every prompt and answers ``reply``, "generated" by default
    (the local model's place in the responder: a test sees whether the answer came from memory or
    from the model)."""

    def __init__(self, reply: str = "generated") -> None:
        self.prompts: list[list[dict[str, str]]] = []
        self.reply = reply

    def generate(
        self, messages: list[dict[str, str]], *, max_new_tokens: int = 64, namespace: str | None = None
    ) -> Generation:
        self.prompts.append(messages)
        return Generation(text=self.reply, adapter_version="v3" if namespace else None)
