"""The speaker said again where a sentence leaves them unsaid: "I'm 34, live in Berlin and work as
a nurse" is read as "I'm 34, I live in Berlin and I work as a nurse", "I'm Priya, 29, a data
scientist" as "I'm Priya, I'm 29, I'm a data scientist".

People list facts about themselves in one sentence with the subject said once; the extraction
rules each read a clause that says who ("I live in", 我住在). Before they read a message,
:func:`with_subjects` puts the first-person subject back before a clause that starts with a verb
of the speaker's, after a comma or "and", in a sentence that starts with "I" (English) or with 我
(Chinese: 我今年28岁，住在杭州，是程序员 -> 我今年28岁，我住在杭州，我是程序员). A sentence that starts
with a relation says that relation again ("My brother lives in Paris and works as a chef" -> "... and
my brother works as a chef", 我妈妈有高血压，每天吃降压药 -> 我妈妈有高血压，我妈妈每天吃降压药).
"""

from __future__ import annotations

import re

from .fact_patterns_common import KIN_WORD
from .fact_unsaid import gapped_verbs
from .fact_values import relation
from .fact_words import JOB_WORDS_BEFORE, JOBS, RELATIONS, ZH_RELATIONS
from .pronouns import fits

_SENTENCE = re.compile(r"[^.!?。！？\n]+[.!?。！？\n]*")
_LEAD = r"^\s*(?:[^:.!?\n]{1,30}:\s*)?(?:(?:so|and|well|also|ok|okay|btw|actually|hi|hey)\W+)*"
"""What may come before the speaker starts a sentence: "So,", "Hi", a heading ("Quick intro:")."""
_I_FIRST = re.compile(rf"{_LEAD}i(?:['’]m|['’]ve|\s+am)?\b", re.I)
"""A sentence whose subject is the speaker ("I'm 34, ...", "So I live in Rome and ...")."""
_MEASURED = r"\d{2,3}(?:\.\d+)?\s*(?:cm|kg|kgs|lbs?)(?![a-z])"
"""A height or weight said bare ("..., 180 cm and 95 kg")."""
_SUBJECTLESS = re.compile(
    r"(?P<join>,(?!\d)\s*(?:and\s+|but\s+)?|\s+(?:and|but)\s+)(?=(?:also\s+|now\s+|currently\s+|still\s+|just\s+|recently\s+)?"
    rf"(?:(?P<ing>living|working|(?:(?:very|severely|also)\s+)?allergic|{_MEASURED})|live|work|study|moved|grew\s+up|come\s+from"
    r"|weigh|speak|take|love|enjoy|hate|adore|started|began|bought|adopted|drive|have)"
    r"\b(?!\s+(?:was|is|has|had|sucks?|sucked)\b))",
    re.I,
)
"""A clause after a comma, "and" or "but" that starts with a verb of the speaker's ("..., live in
Berlin", "... and work at Fiat", "I'm from Brazil but live in Berlin"; "..., living in Florida",
"... and allergic to soy" and "..., 180 cm and 95 kg" take "I'm")."""
_I_AM_FIRST = re.compile(rf"{_LEAD}i(?:['’]m|\s+am)\b", re.I)
_APPOSITIVE = re.compile(
    r"(?P<join>,(?!\d)\s*(?:and\s+)?|\s+and\s+)(?=(?:\d{1,3}(?:\s+years?\s+old)?(?=\s*(?:,|\band\b|[.!?]|$))"
    rf"|an?\s+(?:\d{{1,3}}[- ](?:year|yr)s?[- ]old\s+)?{JOB_WORDS_BEFORE}(?:{JOBS})\b))",
    re.I,
)
"""What one is, said after "I'm ..." and a comma or "and": an age or a job ("I'm Priya, 29, a data
scientist" -> "I'm Priya, I'm 29, I'm a data scientist")."""
_RELATION_FIRST = re.compile(
    rf"^\s*(?:(?:so|and|well|also|btw|actually)\W+)*(?P<who>(?:my|our)\s+(?:{KIN_WORD}\s+)?(?P<word>{RELATIONS})"
    r"(?:\s+(?-i:[A-Z][a-z]+))?)\s+(?!and\b|&)",
    re.I,
)
"""A sentence whose subject is a relation of the speaker's ("My brother lives ...", "my dad Tom is ...",
"My best friend is Jenna, she ...")."""
_THIRD_SUBJECTLESS = re.compile(
    r"(?P<join>,(?!\d)\s*(?:and\s+|but\s+)?|\s+(?:and|but)\s+)(?=(?:also\s+|now\s+|currently\s+|still\s+)?"
    r"(?:lives|works|studies|moved(?!\s+(?:back|out|away))|grew\s+up|comes\s+from|weighs|speaks|takes"
    r"|loves|likes|enjoys|hates|dislikes|adores)\b)",
    re.I,
)
"""The same clauses with the verb of a third person (", works as a chef", " and takes warfarin", " and
loves swimming")."""
_PRONOUN_CLAUSE = re.compile(
    r"(?P<join>,(?!\d)\s*(?:and\s+|but\s+)?|\s+(?:and|but)\s+)(?P<pronoun>she|he)(?:(?P<is>['’]s)(?=\s)(?!\s+(?:been|got|gotten|had|done|taken|seen|gone|back|home|[a-z]+ed)\b)|(?=\s+(?:(?:also\s+|now\s+|still\s+)?"
    r"(?:is|lives|works|studies|moved|grew\s+up|comes\s+from|weighs|speaks|takes|has|loves|likes|hates))\b))",
    re.I,
)
"""A clause whose subject is "she" or "he" after a relation said first ("My sister Anna is a nurse and
she lives in Berlin": the sister lives there, where the pronoun's gender fits, :func:`~.pronouns.fits`;
"..., she's vegan": she is, not "she's been", "he's back", "she's moved": has)."""
_ZH_I_FIRST = re.compile(rf"^\s*我(?!们|的|家|{ZH_RELATIONS})")
"""A Chinese sentence that starts with the speaker, not a relation of theirs (我哥哥)."""
_ZH_RELATION_FIRST = re.compile(rf"^\s*(?P<who>我(?:的)?(?:{ZH_RELATIONS}))(?!们)")
"""A Chinese sentence that starts with a relation of the speaker's (我哥哥, 我的女儿)."""
_ZH_SUBJECTLESS = re.compile(
    r"(?P<join>[，,]\s*)(?=(?:也|还|现在|目前)?(?:住在|在|是|来自|做|当|喜欢|搬到|今年|每天(?![\d零一二两三四五六七八九十半])|不吃|不喝|已婚|未婚|离异|\d{1,3}岁|对(?!了|的|吧|啊|呀|不起))(?![的我你他她它因]))"
)
"""A Chinese clause after a comma that starts with a verb (，住在杭州, ，是程序员); not one that names
someone else (我对花生不过敏，是我老婆过敏)."""
_ZH_RELATION_CLAUSE = re.compile(rf"(?P<join>[，,]\s*)(?=(?:{ZH_RELATIONS})(?:是|在|叫|住|对|有|今年|也|每天))")
"""A Chinese clause after a comma that starts with a relation of the speaker's, who is left unsaid
(，老公是医生: 我老公)."""

_ZH_PET_NAMED = re.compile(r"(?P<kept>养了?[^，。！？\s]{0,4}?[只条][^，。！？\s叫]{1,4})[，,]\s*(?=叫)")
"""A pet named in the clause after it (我养了一只猫，叫咪咪): the clause's subject is the pet, so the two
are read as one (我养了一只猫叫咪咪)."""


_ZH_HAVE_ONE = re.compile(
    rf"(?:我们|我家|我)(?:家)?(?:还)?有(?:一个|一位|个|位|一)?(?P<who>{ZH_RELATIONS})(?:[，,]\s*)?(?=叫|名叫|今年)"
)
"""A relation had and named or aged after it (我们有一个女儿，叫小雨，今年6岁; 我有个儿子叫小明): read as
said of them (我女儿叫小雨，今年6岁), whose clauses after it are theirs."""


_NAMED_AFTER = re.compile(r"\s*[,;]\s*(?:and\s+)?(?:her|his)\s+name(?:['’]s|\s+is)\s+(?=(?-i:[A-Z]))", re.I)
"""A name said in the clause after whom it names ("I'm seeing someone new, her name is Amy", "I have a
new boss, his name's Tom"): read as one ("... someone new named Amy")."""


def with_subjects(text: str) -> str:
    """``text`` with the speaker said before each subjectless clause of a sentence of theirs.

    Example:
        >>> with_subjects("I live in Rome and work at Fiat")
        'I live in Rome and I work at Fiat'
    """
    text = _NAMED_AFTER.sub(" named ", _ZH_PET_NAMED.sub(r"\g<kept>", text))
    return _SENTENCE.sub(_said_again, _ZH_HAVE_ONE.sub(r"我\g<who>", text))


def _said_again(sentence: re.Match[str]) -> str:
    said = sentence.group()
    if _I_AM_FIRST.match(said):
        said = _APPOSITIVE.sub(lambda m: m["join"] + "I'm ", said)
    if _I_FIRST.match(said):
        return _SUBJECTLESS.sub(lambda m: m["join"] + ("I'm " if m["ing"] else "I "), gapped_verbs(said))
    if _ZH_I_FIRST.match(said) or _ZH_RELATION_FIRST.match(said):
        said = _ZH_RELATION_CLAUSE.sub(r"\g<join>我", said)
    if _ZH_I_FIRST.match(said):
        return _ZH_SUBJECTLESS.sub(r"\g<join>我", said)
    if who := _RELATION_FIRST.match(said):
        slug, said_as = relation(who["word"]), who["who"]

        def subject(clause: re.Match[str]) -> str:
            said_is = " is" if clause["is"] else ""  # "she's vegan": "my sister is vegan"
            return clause["join"] + (
                said_as + said_is if fits(slug, clause["pronoun"]) else clause.group()[len(clause["join"]) :]
            )

        said = _PRONOUN_CLAUSE.sub(subject, gapped_verbs(said))
        return _THIRD_SUBJECTLESS.sub(rf"\g<join>{said_as} ", said)
    if who := _ZH_RELATION_FIRST.match(said):
        return _ZH_SUBJECTLESS.sub(rf"\g<join>{who['who']}", said)
    return said
