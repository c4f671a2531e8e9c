"""Optional answer check for ``tiermem bench recall --answer-model``.

The user supplies a LangChain chat model (``module:attribute``, an instance or
a zero-argument factory); tiermem's responder answers each question from the
retrieved context, and a judge scores the answer against the gold one. The
judge is also the user's: a callable ``(question, gold, answer) -> float`` in
[0, 1] or a chat model asked for CORRECT/WRONG. Without a judge the score is
the token F1 that LoCoMo papers report.
"""

from __future__ import annotations

import importlib
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage
from tiermem.agents.responder import Responder
from tiermem.agents.retriever import RetrievalResult
from tiermem.memory.errors import ConfigError

from .locomo import Question
from .recall_metrics import CATEGORY_NAMES

Judge = Callable[[str, str, str], float]
JUDGE_PROMPT = (
    "Question: {question}\nGold answer: {gold}\nCandidate answer: {answer}\n"
    "Does the candidate give the gold answer (same meaning, any wording)? Reply with one word: CORRECT or WRONG."
)
_WORD = re.compile(r"\w+", re.UNICODE)


def load_object(spec: str, what: str) -> Any:
    """The object named ``module:attribute`` (called first if it is a zero-argument factory).

    Raises:
        ConfigError: not ``module:attribute``, or the module or attribute does not exist.
    """
    module_name, _, attribute = spec.partition(":")
    if not module_name or not attribute:
        raise ConfigError(f"{what} {spec!r} is not 'module:attribute' (e.g. 'mypkg.models:make_chat_model')")
    try:
        target = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"cannot load {what} {spec!r}: {exc}; check the module path and attribute name") from None
    if isinstance(target, type) or (callable(target) and not isinstance(target, BaseChatModel) and what != "judge"):
        target = target()
    return target


def token_f1(gold: str, answer: str) -> float:
    """Token-overlap F1 between two answers (case-insensitive; CJK characters count as tokens).

    Example:
        >>> token_f1("7 May 2023", "On 7 May 2023")
        0.8571428571428571
    """
    expected, got = Counter(_tokens(gold)), Counter(_tokens(answer))
    common = sum((expected & got).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(expected.values())
    return 2 * precision * recall / (precision + recall)


def _tokens(text: str) -> list[str]:
    words = []
    for word in _WORD.findall(text.lower()):
        cjk = [ch for ch in word if "\u4e00" <= ch <= "\u9fff"]
        words.extend(cjk if cjk else [word])
    return words


class AnswerCheck:
    """Answers each question with the user's chat model and scores it.

    Args:
        chat_model: answers from the retrieved context (through tiermem's responder).
        judge: a scoring callable or chat model; default token F1.
    """

    def __init__(self, chat_model: BaseChatModel, judge: Judge | BaseChatModel | None = None) -> None:
        if not isinstance(chat_model, BaseChatModel):
            raise ConfigError(f"--answer-model must be a LangChain chat model, got {type(chat_model).__name__}")
        self.responder = Responder(chat_model=chat_model)
        self.judge = judge
        self.scores: dict[str, list[float]] = {}

    def score(self, question: str, gold: str, answer: str) -> float:
        """The judge's score of ``answer`` in [0, 1]."""
        if self.judge is None:
            return token_f1(gold, answer)
        if isinstance(self.judge, BaseChatModel):
            prompt = JUDGE_PROMPT.format(question=question, gold=gold, answer=answer)
            verdict = str(self.judge.invoke([HumanMessage(prompt)]).text).upper()
            return 1.0 if "CORRECT" in verdict and "WRONG" not in verdict else 0.0
        return max(0.0, min(1.0, float(self.judge(question, gold, answer))))

    def __call__(self, question: Question, shown: RetrievalResult) -> None:
        """Answer one question from what the model is shown, and record its score."""
        answer = self.responder.answer(question.question, shown).text
        category = CATEGORY_NAMES.get(question.category, str(question.category))
        self.scores.setdefault(category, []).append(self.score(question.question, question.answer, answer))

    def summary(self) -> dict[str, Any]:
        """Mean score overall and per category."""
        every = [s for scores in self.scores.values() for s in scores]
        return {
            "n": len(every),
            "score": round(sum(every) / len(every), 4) if every else 0.0,
            "metric": "judge" if self.judge is not None else "token_f1",
            "per_category": {name: round(sum(v) / len(v), 4) for name, v in sorted(self.scores.items())},
        }
