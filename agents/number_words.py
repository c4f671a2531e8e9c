"""Numbers written in English words, as digits: "seventy-two" -> 72, "one hundred and five" -> 105.

Enough for a weight, an age or a height said in words ("I weigh seventy-two kilograms", "I'm
thirty years old"): units, tens and hundreds, up to 999.
"""

from __future__ import annotations

import re

_UNITS = (  # noqa: SIM905 (a list of words reads better as words)
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()  # noqa: SIM905
_VALUES = {word: n for n, word in enumerate(_UNITS)} | {word: 20 + 10 * n for n, word in enumerate(_TENS)}
_WORD = rf"(?:{'|'.join(sorted(_VALUES, key=len, reverse=True))})"
WORD_NUM = (
    rf"(?P<words>(?:(?:an?|{_WORD})\s+hundred(?:\s+and)?[\s-]+)?{_WORD}(?:[\s-]+{_WORD})?|(?:an?|{_WORD})\s+hundred)"
)
"""A number in words, for a rule ("seventy-two", "a hundred and ten", "one hundred")."""


def words_number(words: str) -> str:
    """``words`` as digits: "seventy-two" -> "72", "a hundred and ten" -> "110", "one hundred" -> "100"."""
    total = 0
    for word in re.split(r"[\s-]+", words.lower()):
        if word == "hundred":
            total = (total or 1) * 100
        elif word in _VALUES:
            total += _VALUES[word]
    return str(total)


def words_measure(match: re.Match[str]) -> str:
    """A measurement said in words, its unit canonical: "seventy-two kilograms" -> "72 kg"."""
    unit = match["unit"].lower()
    canonical = "kg" if unit.startswith(("k", "公")) else "lb" if unit.startswith(("p", "l")) else "cm"
    return f"{words_number(match['words'])} {canonical}"
