"""The speaker said again where a sentence leaves them unsaid: "I'm 34, live in Berlin and work as
a nurse" is read as "I'm 34, I live in Berlin and I work as a nurse".

People list facts about themselves in one sentence with the subject said once; the extraction
rules each read a clause that says who ("I live in", 我住在). Before they read a message,
:func:`with_subjects` puts the first-person subject back before a clause that starts with a verb
of the speaker's, after a comma or "and", in a sentence that starts with "I" (English) or with 我
(Chinese: 我今年28岁，住在杭州，是程序员 -> 我今年28岁，我住在杭州，我是程序员). A sentence about a
relation ("My brother lives in Paris and works as a chef", 我哥哥住在北京，是医生) is left as it is.
"""

from __future__ import annotations

import re

from .fact_unsaid import gapped_verbs
from .fact_words import ZH_RELATIONS

_SENTENCE = re.compile(r"[^.!?。！？\n]+[.!?。！？\n]*")
_I_FIRST = re.compile(r"^\s*(?:(?:so|and|well|also|ok|okay|btw|actually|hi|hey)\W+)*i(?:['’]m|['’]ve|\s+am)?\b", re.I)
"""A sentence whose subject is the speaker ("I'm 34, ...", "So I live in Rome and ...")."""
_SUBJECTLESS = re.compile(
    r"(?P<join>,\s*(?:and\s+|but\s+)?|\s+(?:and|but)\s+)(?=(?:also\s+|now\s+|currently\s+|still\s+)?"
    r"(?:live|work|study|moved|grew\s+up|come\s+from|weigh|speak)\b(?!\s+(?:was|is|has|had|sucks?|sucked)\b))",
    re.I,
)
"""A clause after a comma, "and" or "but" that starts with a verb of the speaker's ("..., live in
Berlin", "... and work at Fiat", "I'm from Brazil but live in Berlin")."""
_ZH_I_FIRST = re.compile(rf"^\s*我(?!们|的|家|{ZH_RELATIONS})")
"""A Chinese sentence that starts with the speaker, not a relation of theirs (我哥哥)."""
_ZH_SUBJECTLESS = re.compile(
    r"(?P<join>[，,]\s*)(?=(?:也|还|现在|目前)?(?:住在|在|是|来自|做|当|喜欢|搬到)(?![的我你他她它因]))"
)
"""A Chinese clause after a comma that starts with a verb (，住在杭州, ，是程序员); not one that names
someone else (我对花生不过敏，是我老婆过敏)."""


def with_subjects(text: str) -> str:
    """``text`` with the speaker said before each subjectless clause of a sentence of theirs.

    Example:
        >>> with_subjects("I live in Rome and work at Fiat")
        'I live in Rome and I work at Fiat'
    """
    return _SENTENCE.sub(_said_again, text)


def _said_again(sentence: re.Match[str]) -> str:
    said = sentence.group()
    if _I_FIRST.match(said):
        return _SUBJECTLESS.sub(r"\g<join>I ", gapped_verbs(said))
    if _ZH_I_FIRST.match(said):
        return _ZH_SUBJECTLESS.sub(r"\g<join>我", said)
    return said
