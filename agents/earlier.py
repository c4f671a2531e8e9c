"""What a fact held before its value now, for a question that asks so ("Where did I live before?",
"What was my previous job?", 我以前住在哪里？).

:class:`~tiermem.agents.fact_match.FactMatcher` answers such a question from a fact only where the
fact has earlier versions; the reply then tells the value before the one now, not the one now.

Example:
    >>> from datetime import UTC, datetime
    >>> from tiermem.agents.retriever import FactVersion
    >>> item = RetrievedItem(
    ...     id="f", tier="long", text="I moved to Austin", score=1.0, key="user.lives_in", value="Austin",
    ...     created_at=datetime(2024, 5, 3, tzinfo=UTC),
    ...     versions=[FactVersion(value="Denver", observed_at=datetime(2023, 1, 9, tzinfo=UTC))],
    ... )
    >>> earlier_answer(item)
    'Your home city was Denver before Austin (as of 2023-01-09).'
    >>> zh_earlier(item)
    '根据记忆（2023-01-09）：之前的居住城市 = Denver（现在：Austin）'
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo

from .fact_names import owned, sentence_start, zh_key
from .handover import slipped, slips
from .nearness import asks_earlier
from .retriever import RetrievedItem


def _held(item: RetrievedItem) -> list[tuple[str, datetime]]:
    """Every value ``item``'s fact held, newest first, with when it was observed, but the slips
    ("Sorry, I meant Lyon, not Paris": Paris was never held)."""
    found = slips(item)
    return [(value, at) for value, at in item.dated_values() if slipped(found, value, at) is None]


def held_before(item: RetrievedItem) -> tuple[str, datetime] | None:
    """The newest value of ``item``'s fact other than the one it holds now, and when it was
    observed (:func:`_held`); ``None`` where every version says the same or the others were slips."""
    now = item.value.casefold()
    return next(((value, at) for value, at in _held(item)[1:] if value.casefold() != now), None)


def earlier_answer(item: RetrievedItem, tz: tzinfo | None = None) -> str | None:
    """``Your home city was Denver before Austin (as of 2023-01-09).``; ``None`` where the fact held
    no other value (:func:`held_before`)."""
    before = held_before(item)
    if before is None:
        return None
    value, at = before
    noun = owned(item.key)
    return f"{sentence_start(noun)} was {value} before {item.value} (as of {at.astimezone(tz or UTC):%Y-%m-%d})."


_HISTORY = re.compile(r"\bhistory\b|\bover\s+time\b|\ball\s+(?:of\s+)?the\s+values\b|历史|变化记录", re.I)
"""A question for every value a fact held ("What's my weight history?", "my weight over time")."""


def told_before(question: str, item: RetrievedItem, tz: tzinfo | None = None) -> str | None:
    """The reply to ``question`` from what ``item``'s fact held before, where it asks for that:
    every value with its day (:func:`history_answer`) or the one before the value now
    (:func:`earlier_answer`, "Where did I live before?"); ``None`` where it asks neither or the
    fact held no other value."""
    if _HISTORY.search(question):
        return history_answer(item, tz)
    return earlier_answer(item, tz) if asks_earlier(question) else None


def history_answer(item: RetrievedItem, tz: tzinfo | None = None) -> str | None:
    """``Your weight, newest first: 76.5 kg (2024-05-03), 78 kg (2024-04-20), 80 kg (2024-04-01).``
    (a slip corrected is none of them); ``None`` where the fact held no other value."""
    held = _held(item)
    if len({value.casefold() for value, _ in held}) < 2:
        return None
    noun = owned(item.key)
    said = ", ".join(f"{value} ({at.astimezone(tz or UTC):%Y-%m-%d})" for value, at in held)
    return f"{sentence_start(noun)}, newest first: {said}."


def zh_earlier(item: RetrievedItem, tz: tzinfo | None = None) -> str | None:
    """:func:`earlier_answer` in Chinese: ``根据记忆（2023-01-09）：之前的居住城市 = Denver（现在：Austin）``."""
    before = held_before(item)
    if before is None:
        return None
    value, at = before
    return f"根据记忆（{at.astimezone(tz or UTC):%Y-%m-%d}）：之前的{zh_key(item.key)} = {value}（现在：{item.value}）"
