"""A follow-up question read with the question before it.

People ask on in few words: "When is my dentist appointment?", then "what time?"; "What
medication am I on?", then "how often do I take it?"; 我什么时候去看牙医？, then 几点？. Alone
such a question names nothing a memory or a fact could be matched with, and the local model
answers it with a guess ("The interviewer asked about a company called Splinter"). Read with
the user's message before it ("When is my interview? which company?"), it asks what that one
asked, and the facts and memories that answer that one answer it.

Example:
    >>> from langchain_core.messages import AIMessage, HumanMessage
    >>> asked_with("what time?", [HumanMessage("When is my dentist appointment?"), AIMessage("On 24 November.")])
    'When is my dentist appointment? what time?'
    >>> asked_with("What's the capital of France?", [HumanMessage("When is my dentist appointment?")])
    "What's the capital of France?"
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from langchain_core.messages import BaseMessage, HumanMessage

_SHORT = re.compile(
    r"^\s*(?:and|so|ok(?:ay)?|oh)?[\s,]*(?:what|which|when|where|who|whose|how(?:\s+(?:much|many|long|often|old|far))?)"
    r"(?:\s+(?!(?:about|is|are|was|were|am|do|does|did|you|your)\b)(?-i:[a-z0-9])[\w'’]*){0,2}\s*\?+\s*$",
    re.I,
)
"""A question of a question word and at most two words more, no verb, no name ("what time?",
"which company?", "and when?", "how often?"); "what about Tom?" asks the question before of
someone else, "who is Rex?" and "what is love?" ask something of their own."""
_PRONOUN = re.compile(
    r"^\s*(?:and\s+)?(?!what\s+(?:time|day|date|year|month)\s+is\s+it\b)(?:what|which|when|where|who|how|is|are|was|does|do|did|can|will)\b"
    r"(?=.*\b(?:it|that|she|he|they|them|her|him|this|there)\b)(?:\s+[\w'’]+){1,5}\s*\?+\s*$",
    re.I,
)
"""A short question that asks of someone or something said before ("how often do I take it?",
"when is it?", "how old will she be?"); not "what time is it?"."""
_SHORT_ZH = re.compile(
    r"^\s*(?:那|那么)?(?:几点|什么时候|哪天|在哪(?:里|儿)?|哪(?:个|家|一)\w{0,2}|多少\w?|多久|为什么)[吗呢啊]?\s*[?？]\s*$"
)
"""A Chinese question of a question word alone (几点？, 什么时候？, 哪家公司？)."""


_DAY_NAMED = re.compile(
    r"\b(?:yesterday|today|tonight|tomorrow|(?:last|next|this)\s+(?:week(?:end)?|month|year|night|morning|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day))\b|昨天|今天|明天|上周|下周|这周|本周",
    re.I,
)
"""A day or a span of days named: a question that names one asks of it alone ("What happened
yesterday?", "Who is visiting next weekend?")."""


def follows_up(question: str) -> bool:
    """Whether ``question`` asks on about what was asked before it, in too few words to be read alone."""
    if _DAY_NAMED.search(question):
        return False
    return any(pattern.search(question) for pattern in (_SHORT, _PRONOUN, _SHORT_ZH))


def asked_with(question: str, history: Sequence[BaseMessage] | None) -> str:
    """``question`` read with the user's message before it in ``history`` where it follows that
    one up (:func:`follows_up`); ``question`` itself otherwise."""
    if not history or not follows_up(question):
        return question
    before = next((message for message in reversed(history) if isinstance(message, HumanMessage)), None)
    if before is None or not isinstance(before.content, str) or not before.content.strip():
        return question
    return f"{before.content.strip()} {question.strip()}"
