"""Whether newer words may change what older ones said.

A user rarely repeats a thing the way they first said it: "I drive a 2015 Honda Civic", then
"sold the civic, got a Tesla Model 3 now"; "my best 5k time is 24:30", then "new PR! 23:50 on
the 5k today". Newer words may change older ones where they speak of the same thing (a word
they share that is no common word), and the question does not ask for that thing in those
words alone, or the newer words say they change something ("new", "now", "actually", "sold").

Example:
    >>> may_change("sold the civic, got a Tesla Model 3 now", "I drive a 2015 Honda Civic", "What car do I drive?")
    True
    >>> may_change("my favorite color is blue", "my favorite food is sushi", "What's my favorite food?")
    False
"""

from __future__ import annotations

import re

_COMMON = frozenset(
    """the a an and or but to of in on at for with from by as is are was were be been am i i'm im i've
    my me mine we our us you your he she it its they them his her their this that these those there here
    not no so very really just got get gets have has had do did does done now today yesterday tomorrow
    new old year years month months week weeks day days time times about also too up out over than then
    what when where who which how why some any all one two more most much many like want""".split()  # noqa: SIM905
)
"""Words too common to say that two memories speak of the same thing."""
_UPDATE_CUE = re.compile(
    r"\b(?:new|now|actually|instead|anymore|any\s+more|no\s+longer|moved|changed|switched|sold|quit|stopped"
    r"|replaced|updated|down\s+to|up\s+to|record|pr)\b",
    re.I,
)
"""Words that say a memory changes an earlier one ("new PR! 23:50 on the 5k today")."""


def content_words(text: str) -> set[str]:
    """The words of ``text`` that say what it speaks of, in lower case: no common word, no bare number."""
    words = (word.casefold().removesuffix("'s") for word in re.findall(r"[A-Za-z0-9][\w'’-]*", text))
    return {
        word for word in words if word not in _COMMON and not word.isdigit() and (len(word) > 2 or word[0].isdigit())
    }


def may_change(newer: str, older: str, question: str) -> bool:
    """Whether the ``newer`` words may change the ``older`` ones: they share a word the question
    does not say ("sold the civic" after "I drive a Honda Civic"), or one it does where the newer
    say they change it ("new PR! 23:50 on the 5k today" after "my best 5k time is 24:30")."""
    shared = content_words(newer) & content_words(older)
    return bool(shared - content_words(question)) or (bool(shared) and _UPDATE_CUE.search(newer) is not None)
