"""Words a clause leaves unsaid, said again before the rules read it: the verb of a gapped clause
("I was born in 1990 and my sister in 1995" -> "..., and my sister was born in 1995") and the work
of "I'm at Meta now" said after a clause about work ("I don't work at Google anymore, I'm at Meta
now" -> "..., I work at Meta now").

The rules each read a clause that says who and what (:mod:`tiermem.agents.fact_patterns`). A
second subject with no verb of its own takes the verb of the speaker's clause before it, so that its
value is its own (``sister.birth_year = 1995``) and never the speaker's. Being "at" a company is
where one is, not where one works ("I'm at Meta now" alone: no employer), unless the message has
just spoken of work.
"""

from __future__ import annotations

import re

from .fact_patterns_common import KIN_WORD
from .fact_words import RELATIONS

_PREPOSITION = r"(?:in|at|from|to|for|on)"
_SPEAKERS_VERB = re.compile(
    rf"^\s*(?:(?:so|and|well|also|ok|okay|btw|actually)\W+)*i(?P<verb>(?:['’]m|['’]ve|\s+am|\s+was|\s+have)?"
    rf"(?:\s+(?!{_PREPOSITION}\b|and\b|but\b)[a-z]+){{0,3}}?)\s+{_PREPOSITION}\b",
    re.IGNORECASE,
)
"""The speaker's verb before its preposition ("I was born in", "I live in", "I'm from")."""
_RELATIONS_VERB = re.compile(
    rf"^\s*(?:(?:so|and|well|also|btw|actually)\W+)*(?:my|our)\s+(?:{KIN_WORD}\s+)?(?:{RELATIONS})(?:\s+(?-i:[A-Z][a-z]+))?"
    rf"\s+(?P<verb>(?:lives|works|grew\s+up|was\s+born|is\s+from|comes\s+from|studies|moved))\s+{_PREPOSITION}\b",
    re.IGNORECASE,
)
"""A relation's verb before its preposition ("My mom lives in", "my dad was born in")."""
_GAPPED = re.compile(
    rf"(?P<who>\s+(?:and|but|while|whereas)\s+my\s+(?:{KIN_WORD}\s+)?(?:{RELATIONS}))(?=\s+{_PREPOSITION}\s)",
    re.IGNORECASE,
)
"""A relation with no verb of its own, a preposition after it ("... and my sister in 1995")."""
_THIRD_PERSON = {"'m": " is", "’m": " is", " am": " is", "'ve": " has", "’ve": " has", " have": " has"}
_VERB_S = {"live": "lives", "work": "works", "come": "comes", "study": "studies", "grew": "grew"}


def gapped_verbs(sentence: str) -> str:
    """``sentence`` with the speaker's (or the first relation's) verb said again after each relation
    that leaves it unsaid.

    Example:
        >>> gapped_verbs("I was born in 1990 and my sister in 1995")
        'I was born in 1990, and my sister was born in 1995'
    """
    relation = _RELATIONS_VERB.match(sentence)  # "My mom lives in Boston and my dad in Miami": the verb as said
    if relation is not None:
        return _GAPPED.sub(lambda gap: "," + gap["who"] + " " + relation["verb"].strip(), sentence)
    verb = _SPEAKERS_VERB.match(sentence)
    if not verb or not verb["verb"].strip(" '’"):
        return sentence
    said = verb["verb"]
    for first, third in _THIRD_PERSON.items():
        if said.lower().startswith(first):
            said = third + said[len(first) :]
            break
    else:
        word, _, rest = said.strip().partition(" ")
        said = " " + " ".join(filter(None, (_VERB_S.get(word.lower(), word), rest)))
    return _GAPPED.sub(lambda gap: "," + gap["who"] + said, sentence)  # its own clause: the value before ends


_WORK_SAID = re.compile(
    r"\b(?:work(?:s|ed|ing)?|job|employer|hired|quit|resigned|laid\s+off|fired|company|left\s+(?-i:[A-Z])\w*)\b",
    re.IGNORECASE,
)
"""A clause about work."""
_AT_NOW = re.compile(
    r"(?P<lead>\b(?:(?:and|but|so)\s+)?(?:now\s+)?)i(?:['’]m|\s+am)\s+(?:now\s+)?(?:at|with)\s+"
    r"(?=(?-i:[A-Z])[\w&'-]*(?:\s+(?-i:[A-Z])[\w&'-]*){0,3}\s*(?:now\b|$|[,.!;]))",
    re.IGNORECASE,
)
""""I'm at Meta now", "now I'm with Siemens": where the speaker is, a company's name."""


def at_work(text: str) -> str:
    """``text`` with "I'm at <Company> now" read as "I work at <Company> now" where it follows words
    about work in the message ("I left Google, I'm at Meta now"); as it stands elsewhere ("I'm at
    Starbucks now": where one is).

    Example:
        >>> at_work("I don't work at Google anymore, I'm at Meta now")
        "I don't work at Google anymore, I work at Meta now"
    """
    found = _AT_NOW.search(text)
    if not found or not _WORK_SAID.search(text[: found.start()]):
        return text
    return text[: found.start()] + found["lead"] + "I work at " + text[found.end() :]
