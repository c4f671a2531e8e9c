"""A question that offers two choices, one of which the user's memories name: "Is it a boy or a
girl?" after "We're expecting a baby girl", "Is my flight on Monday or Tuesday?" after "My flight is
on Tuesday". The memory that names the one is quoted; the local model would pick one ("It's a boy").

Only a yes-or-no form that ends with "X or Y?" qualifies, never advice ("Is it better to rent or
buy?", "Should I take the job or not?"), and only where every memory that names an option names
the same one.

Example:
    >>> choices("Is it a boy or a girl?"), choices("Is my flight on Monday or Tuesday?")
    (('boy', 'girl'), ('Monday', 'Tuesday'))
    >>> choices("Should I rent or buy?") is None
    True
"""

from __future__ import annotations

import re
from datetime import datetime

from .answer import Answer
from .replies import told
from .retriever import RetrievedItem
from .statements import stated_lines
from .word_forms import named_in

_CHOICE = re.compile(
    r"^\s*(?:is|are|was|were|will|did|do|does|am|has|have)\b(?!.*\b(?:better|best|worse|should|rather)\b)"
    r".*?\b(?P<one>[\w'-]+)\s+or\s+(?:an?\s+|the\s+|on\s+|in\s+|at\s+)?(?P<other>[\w'-]+)\s*[?？]\s*$",
    re.I,
)
_NO_CHOICE = frozenset({"not", "no", "yes", "both", "neither", "either", "something", "anything", "what", "else"})


def choices(question: str) -> tuple[str, str] | None:
    """The two choices a yes-or-no question ends with ("boy", "girl"); ``None`` where it offers none."""
    found = _CHOICE.match(question)
    if found is None or {found["one"].casefold(), found["other"].casefold()} & _NO_CHOICE:
        return None
    return found["one"], found["other"]


def choice_answer(question: str, items: list[RetrievedItem], now: datetime | None = None) -> Answer | None:
    """The newest of ``items`` that names one of the question's two choices, quoted, where every
    memory that names one names the same (no line that asks counts); ``None`` otherwise."""
    offered = choices(question)
    if offered is None:
        return None
    naming: dict[str, list[RetrievedItem]] = {option: [] for option in offered}
    for item in items:
        lines = list(stated_lines([item.text]))
        for option in offered:
            if any(named_in(option, line) for line in lines):
                naming[option].append(item)
    named = [option for option in offered if naming[option]]
    if len(named) != 1:
        return None
    newest = max(naming[named[0]], key=lambda item: item.created_at)
    return Answer(
        text=told(newest, now.tzinfo if now is not None else None),
        mode="quote",
        reason=f"the question offers {offered[0]} or {offered[1]}, and the memories name {named[0]} alone",
        cited=[newest.id],
    )
