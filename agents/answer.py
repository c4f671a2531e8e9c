"""What the responder returns: the assistant's reply, and how it was produced."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

AnswerMode = Literal["chat_model", "local", "fact", "quote", "confirm", "refused", "unknown", "forgot"]


class Answer(BaseModel):
    """The assistant's reply and how it was produced."""

    text: str
    mode: AnswerMode
    reason: str
    cited: list[str] = []
    """Record ids of the memories the answer was given."""
    adapter_version: str | None = None
    message_id: str | None = None
    """The chat model's reply id: the graph's answer message keeps it, so a ``messages`` stream
    that carried the reply's tokens does not carry the reply a second time."""
