"""Whose thing a memory speaks of, where a question asks about the user's own.

"Do I have a dog?" asks about a dog of the user's; "My sister's dog is called Max" speaks of her
dog, and quoting it as the answer would tell the user they have one. :func:`asked_thing` finds
the thing a question asks about as the user's ("my dog", "do I have a dog", 我的狗, 我有狗吗),
:func:`theirs` whether a memory speaks of it only as someone else's (a relation's, a named
person's: "my sister's dog", "Tom has a dog", 我姐姐的狗), and :func:`the_users` leaves those
memories out. A memory that speaks of the user's own ("my dog Rex", "I have a dog") or of the
thing alone ("The dog barked", "The car's license plate is ...") stays. A memory said of a relation
alone ("My son hates mushrooms", 我儿子不吃香菜: :func:`of_others_only`) answers no question about the
user (:func:`about_the_user`).

Example:
    >>> asked_thing("What colour is my car?"), asked_thing("Am I married?")
    (('car',), ())
    >>> theirs("My sister's dog is called Max", ("dog",)), theirs("My dog Rex and Tom's dog", ("dog",))
    (True, False)
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .asked import relation_words
from .fact_patterns_common import KIN_WORDS
from .fact_words import RELATIONS, ZH_RELATIONS
from .retriever import RetrievedItem
from .statements import sentences

_ARTICLE = r"(?:(?:a|an|the|any|some|one|two|three|several|many|more)\s+)?"
_NOT_A_NOUN = (
    r"is|was|are|were|has|have|had|do|does|did|be|been|now|again|still|ever|called|named|and|or|in|at|on|for|to|"
    r"from|with|like|today|these|this|that|the|a|an|when|where|how|what|who|so|too|very|really|just|right|last"
)
"""Words after the user's thing that are no second noun of it ("my dog now", "my car is")."""
_ASKED_EN = re.compile(
    rf"\b(?:my|our)\s+(?:(?:{'|'.join(KIN_WORDS)})\s+)?(?P<my>[\w-]+)(?:\s+(?P<head>(?!(?:{_NOT_A_NOUN})\b)[a-z][\w-]*))?"
    rf"|\b(?:do|did|have|had)\s+(?:i|we)\s+(?:ever\s+|still\s+)?(?:have|own|got|get)\s+{_ARTICLE}(?P<have>[\w-]+)"
    r"|\b(?:how\s+many|what|which)\s+(?P<many>[\w-]+)\s+(?:do|did)\s+(?:i|we)\s+(?:have|own)\b",
    re.I,
)
"""The user's thing a question names: "my dog('s)", "my new car", "do I have a dog", "how many kids do I have"."""
_ZH_COUNTER = r"(?:一|两|几|多少)?(?:只|条|个|辆|台|位|套|部|匹)?"
_ASKED_ZH = re.compile(
    rf"我(?:们)?(?:家)?的(?P<my>[^\s，。！？?的]+?)(?=是|叫|在|有|吗|呢|什么|哪|多|几|怎|[？?，。]|$)"
    rf"|我(?:们)?(?:家)?(?:有没有|有|养了?|养没养){_ZH_COUNTER}(?P<have>[^\s，。！？?吗呢]+?)(?=吗|呢|没有|[？?]|$)"
)
"""The same in Chinese: 我的狗叫什么, 我有狗吗, 我家有没有猫."""
_VERB = r"(?:has|had|have|owns?|owned|got|adopted|bought|is|was|are|were)"
_USERS_EN = re.compile(
    rf"(?:\b(?:my|our)\s+(?:(?!{_VERB}\b)[\w-]+\s+){{0,2}}|\b(?:i|we)(?:['’]ve|\s+(?:also|still|just|now|already|\w+ly))?\s+"
    rf"(?:have|had|own|owned|got|adopted|bought|have\s+got)\s+{_ARTICLE}(?:[\w-]+\s+){{0,2}})$",
    re.I,
)
"""Before a thing, what makes it the user's: "my (old) dog", "I have a dog", "we adopted two cats"."""
_NO_OWNER = "it|that|what|there|here|he|she|who|where|how|let|this|one"
_OTHERS_EN = re.compile(
    rf"(?:\b(?!(?:{_NO_OWNER})['’]s)(?:(?-i:[A-Z][\w-]*)|(?:{RELATIONS})s?)['’]s?\s+(?:[\w-]+\s+){{0,2}}"
    rf"|\b(?!(?:i|we|you)\b)[\w-]+(?:\s+(?:also|still|just|now|already))?\s+"
    rf"(?:has|had|owns|owned|got|adopted|bought|has\s+got)\s+{_ARTICLE}(?:[\w-]+\s+){{0,2}})$",
    re.I,
)
"""Before a thing, what makes it someone else's: "my sister's dog", "Tom's old car", "my parents' house",
"she has a dog"; not a thing's ("the car's license plate" is the user's car's)."""
_USERS_ZH = re.compile(rf"我(?:们)?(?:家)?(?:的|(?:也|还)?(?:有|养了?|买了?){_ZH_COUNTER})$")
_OTHERS_ZH = re.compile(rf"[^我们家\s，。！？]的$|[^我们\s，。！？](?:家)?(?:也|还)?(?:有|养了?|买了?){_ZH_COUNTER}$")


def asked_thing(question: str) -> tuple[str, ...]:
    """The words of the thing ``question`` asks about as the user's ("dog" and 狗 for "Do I have a
    dog?": every word of a relation; "car" for "What colour is my car?"); none where it names no
    thing of the user's ("Am I married?")."""
    match = _ASKED_EN.search(question) or _ASKED_ZH.search(question)
    if match is None:
        return ()
    word = next(said for said in match.groups() if said).removesuffix("'s").removesuffix("’s")
    if relation_words(word) != [word]:
        return tuple(relation_words(word))
    head = match.groupdict().get("head")  # "my phone number": "My wife's number" is hers
    return tuple(dict.fromkeys(form for said in (word, head) if said for form in (said, _singular(said))))


def _singular(word: str) -> str:
    """``kids`` -> ``kid``: a word's singular too, where it may be a plural."""
    return word.removesuffix("s") if word.isascii() and len(word) > 3 else word


def _occurrences(text: str, word: str) -> list[int]:
    """Where ``word`` starts in ``text``: an English one whole (a plural or "'s" allowed)."""
    if not word.isascii():
        return [m.start() for m in re.finditer(re.escape(word), text)]
    return [m.start() for m in re.finditer(rf"\b{re.escape(word)}(?:s|es)?\b", text, re.I)]


def theirs(text: str, thing: Sequence[str]) -> bool:
    """Whether ``text`` speaks of ``thing`` (any of its words) only as someone else's: once at
    least as theirs ("my sister's dog", 我姐姐的狗), never as the user's ("my dog", 我的狗)."""
    whose = set()
    for word in thing:
        for start in _occurrences(text, word):
            before = text[:start]
            if (_USERS_EN if word.isascii() else _USERS_ZH).search(before):
                whose.add("user")
            elif (_OTHERS_EN if word.isascii() else _OTHERS_ZH).search(before):
                whose.add("other")
    return whose == {"other"}


def the_users(question: str, items: Sequence[RetrievedItem]) -> list[RetrievedItem]:
    """``items`` less those that speak of the thing ``question`` asks about as the user's only as
    someone else's (:func:`theirs`); all of them for a question that asks about no such thing."""
    thing = asked_thing(question)
    if not thing:
        return list(items)
    return [item for item in items if not theirs(item.text, thing)]


_OF_A_RELATION = re.compile(
    rf"^\W*(?:(?:so|and|well|also|btw|actually|oh|ok|okay)\W+)*(?:my|our)\s+(?:(?:{'|'.join(KIN_WORDS)})\s+)?"
    rf"(?:{RELATIONS})(?:['’]s|s)?\b(?!(?:\s+(?-i:[A-Z][a-z]+))?\s+(?:and|&)\s+(?:i|me|we)\b)"
    rf"|^\s*我(?:的)?(?:{ZH_RELATIONS})(?!们)",
    re.I,
)
"""A sentence whose subject is a relation of the user's ("My son hates mushrooms", "My sister's dog is
Max", 我儿子不吃香菜), not the user beside them ("My wife and I live in Seattle")."""


def of_others_only(text: str) -> bool:
    """Whether every sentence of ``text`` speaks of a relation of the user's as its subject: it tells
    nothing of the user, and no question about the user is answered by quoting it."""
    said = sentences(text)
    return bool(said) and all(_OF_A_RELATION.match(sentence) for sentence in said)


def about_the_user(items: Sequence[RetrievedItem]) -> list[RetrievedItem]:
    """``items`` less the memories said of a relation alone (:func:`of_others_only`), for a question
    about the user: an episode without such lines (none left: without it); a fact stays (its key
    says whose it is)."""
    kept = []
    for item in items:
        if item.key or item.kind != "episode":
            if item.key or not of_others_only(item.text):
                kept.append(item)
            continue
        day, *lines = item.text.splitlines() or [""]
        own = [line for line in lines if not of_others_only(line)]
        if len(own) == len(lines):
            kept.append(item)
        elif own:
            kept.append(item.model_copy(update={"text": "\n".join([day, *own])}))
    return kept
