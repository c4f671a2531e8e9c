"""The bundled local model (SmolLM2 by default) as a LangChain chat model.

Lets anything written against :class:`~langchain_core.language_models.BaseChatModel`
(the LLM gate, for one) run offline on the local model. It has no tool
calling, so ``with_structured_output`` is not available; the LLM gate asks
it for JSON in the prompt instead.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import ConfigDict, Field

_ROLES = {"human": "user", "ai": "assistant", "system": "system"}


class LocalChatModel(BaseChatModel):
    """Greedy generation with a local transformers checkpoint.

    Example:
        >>> model = LocalChatModel()          # loads SmolLM2 once per process
        >>> model.invoke("Say hi").content
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    checkpoint: str | None = None
    """A transformers checkpoint folder; default: the converted bundled SmolLM2."""
    max_new_tokens: int = Field(default=96, ge=1)
    generator: Any = Field(default=None, exclude=True)
    """A :class:`~tiermem.memory.generation.LocalGenerator` (built on first use)."""

    @property
    def _llm_type(self) -> str:
        return "tiermem-local"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        if self.generator is None:
            from tiermem.memory.generation import LocalGenerator

            self.generator = LocalGenerator(self.checkpoint)
        chat = [{"role": _ROLES.get(m.type, "user"), "content": m.text} for m in messages]
        text = self.generator.generate(chat, max_new_tokens=self.max_new_tokens).text
        for marker in stop or []:
            text = text.split(marker, 1)[0]
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])
