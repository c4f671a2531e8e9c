"""Masking a forgotten value where it stands alone in a text.

``forget`` masks what it removed wherever a copy survives: in the text of
another fact stated in the same message (``"My name is [forgotten] and I'm
allergic to peanuts"``), in saved traces and in checkpointed threads
(:mod:`tiermem.graphs.redaction`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

FORGOTTEN = "[forgotten]"
"""What a forgotten text is replaced with."""


def mask_standalone(text: str, needles: Iterable[str], mask: str = FORGOTTEN) -> str:
    """``text`` with every needle masked where it stands alone (see :func:`needle_pattern`), and
    where an earlier forget masked part of it (see :func:`partly_masked_pattern`)."""
    for needle in needles:
        if needle:
            text = needle_pattern(needle).sub(lambda _: mask, text)
            if mask in text:
                text = partly_masked_pattern(needle, mask).sub(lambda m: _masked_whole(m.group(0), mask), text)
    return text


def _masked_whole(found: str, mask: str) -> str:
    """A partly masked copy of a needle, masked whole; but where nothing besides the masks is a
    word (``"[forgotten]."`` of a forgotten sentence), as it stands: a reply that says what was
    forgotten keeps its punctuation."""
    return mask if re.search(r"\w", found.replace(mask, "")) else found


@lru_cache(maxsize=1024)
def needle_pattern(needle: str) -> re.Pattern[str]:
    """``needle`` where it stands alone. A word of letters must not run on into letters or digits
    ("José" is not masked in "Josée"); a number must not run on into a digit, nor into another
    number through a separator ("30" is masked in "I'm 30" and "30kg", not in "130", "30,000" or
    "2024-05-30"). Chinese and Japanese, written without spaces, have no such edge."""
    return re.compile(_edge_before(needle[:1]) + re.escape(needle) + _edge_after(needle[-1:]))


_LETTER_OR_DIGIT = r"A-Za-z0-9\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF"
"""Characters a Latin, Greek or Cyrillic word (or a number) runs on with."""


def _edge_before(first: str) -> str:
    if first.isdigit():
        return r"(?<![0-9])(?<![0-9][-./:,])"
    return rf"(?<![{_LETTER_OR_DIGIT}])" if re.match(rf"[{_LETTER_OR_DIGIT}]", first) else ""


def _edge_after(last: str) -> str:
    if last.isdigit():
        return r"(?![0-9])(?![-./:,][0-9])"
    return rf"(?![{_LETTER_OR_DIGIT}])" if re.match(rf"[{_LETTER_OR_DIGIT}]", last) else ""


_PIECE = re.compile(r"[A-Za-z0-9\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF]+|[^\s\w]|\S", re.UNICODE)


@lru_cache(maxsize=1024)
def partly_masked_pattern(needle: str, mask: str = FORGOTTEN) -> re.Pattern[str]:
    """``needle`` with some of its words already masked: forgetting "London" leaves "12 Baker
    Street, [forgotten]" of the address "12 Baker Street, London", which the address's own forget
    must still find. Each word (or character) of the needle is there as written or masked, and
    after a mask the words it swallowed may be missing; a match with no mask is the needle itself,
    one with nothing but masks changes nothing."""
    pieces = [(m.start(), m.end()) for m in _PIECE.finditer(needle)]
    masked = re.escape(mask)
    parts = []
    for i, (start, end) in enumerate(pieces):
        gap = re.escape(needle[pieces[i - 1][1] : start]) if i else ""
        word = re.escape(needle[start:end])
        swallowed = f"|(?<={masked})" if i else ""
        parts.append(f"(?:{gap}(?:{word}|{masked}){swallowed})")
    return re.compile(_edge_before(needle[:1]) + "".join(parts) + _edge_after(needle[-1:]))
