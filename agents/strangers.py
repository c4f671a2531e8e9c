"""People a question asks about by name whom no memory mentions ("How old is Max?" after Max was
forgotten, or never told): the local model would make them up ("Max was 18 years old").

Only a question about a person qualifies: their age, what they like, do or are allergic to, where
they live or work, their birthday ("What does Max like?", "Where does Max live?", "When is Max's
birthday?"). "What is Python?", "Who wrote Hamlet?" or "What does Apple make?" ask no such thing and
stay the model's; a name a memory mentions, in any retrieved memory, is no stranger. A public
figure asked so ("How old is Obama?") is told as not told too: a memory assistant is asked about
the people its user knows, and the local model would guess a public figure's age as well.

Example:
    >>> sorted(untold_names("How old is Max?", [])), sorted(untold_names("What is Python?", []))
    (['max'], [])
"""

from __future__ import annotations

import re

from .retriever import RetrievedItem
from .statements import stated_lines

_NAME = r"(?P<name>(?-i:[A-Z][a-z]+))"
_PERSONAL_VERBS = (
    r"like|likes|love|loves|enjoy|enjoys|do|does|eat|eats|drink|study|studies|work|works|live|lives|want|wants|"
    r"need|needs|play|plays|prefer|prefers|hate|hates|dislike|dislikes|have|has"
)
_ASKED_OF = tuple(
    re.compile(rf"^\s*{pattern}", re.I)
    for pattern in (
        rf"how\s+old\s+is\s+{_NAME}\s*[?？.]?\s*$",
        rf"(?:what|where|when|which\s+\w+|how\s+(?:much|many|often))\s+(?:does|did|do)\s+{_NAME}\s+(?:{_PERSONAL_VERBS})\b",
        rf"(?:what|who)\s+is\s+{_NAME}\s+(?:allergic|afraid|interested)\b",
        rf"(?:does|did|is)\s+{_NAME}\s+(?:{_PERSONAL_VERBS}|allergic)\b",
        rf"(?:what|when|where)(?:['’]s|\s+is|\s+are)\s+{_NAME}['’]s?\s+"
        r"(?:birthday|age|job|occupation|school|favou?rite|allergies|allergy|hobbies|hobby|address|phone|email|name)",
    )
)
"""A question about a person by name: their age, likes, doings, home, work, allergies, birthday."""


def untold_names(question: str, items: list[RetrievedItem]) -> frozenset[str]:
    """The person ``question`` asks about by name (casefolded), where no memory among ``items``
    names them (a question asked before, "How old is Max?", tells nothing of Max); empty where it
    asks no such thing or a memory names them."""
    asked = next((found for pattern in _ASKED_OF if (found := pattern.match(question))), None)
    if asked is None:
        return frozenset()
    name = asked["name"]
    named = re.compile(rf"\b{re.escape(name)}\b", re.I)
    told = stated_lines(item.text for item in items)
    return frozenset() if any(named.search(line) for line in told) else frozenset({name.casefold()})
