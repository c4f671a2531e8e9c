"""Rules for who the speaker is: their name and the name they go by, birthday, native language; and
height, age, handedness and diet, theirs or a relation's.
"""

from __future__ import annotations

import re

from .fact_patterns_common import (
    I_AM,
    KIN_WORD,
    NO_LONGER_BE,
    VALUE,
    WHO,
    ZH_DAY_AHEAD,
    ZH_NO_LONGER,
    ZH_VALUE,
    Pattern,
    rule,
)
from .fact_values import (
    NUM,
    ZH_METRES_AND_CM,
    ZH_NUM,
    capitalised,
    ended,
    feet_and_inches,
    handed,
    height,
    metres_and_centimetres,
    zh_count,
    zh_diet,
)
from .fact_words import (
    DIETS,
    LANGUAGES,
    NATIONALITIES,
    NOT_A_LOWER_NAME,
    NOT_A_NAME,
    RELATIONS,
    TITLES,
    ZH_DIETS,
    ZH_RELATIONS,
)
from .number_words import WORD_NUM, words_number


def blood_type(match: re.Match[str]) -> str:
    """A blood type as one writes it: its group and Rh sign ("O negative" -> ``O-``, "a positive" -> ``A+``)."""
    said = match.groupdict()
    group, sign = (said["type"] or said.get("type2") or "").upper(), (said.get("sign") or said.get("sign2") or "")
    return group + ("+" if sign.lower() in ("+", "positive", "pos") else "-" if sign else "")


_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_NAME = r"(?-i:(?P<value>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?|[a-z][\w'-]+))"
"""A name as people write it: capitalised words, or one word in lower case ("my name is jon")."""

_NAMES_SO_ENDING = (
    r"brian|julian|adrian|vivian|ian|damian|lillian|gillian|sebastian|fabian|christian|marian|eric|dominic|"
    r"heidi|naomi|giovanni|dani|lori|kai|remi|mei|ali|luigi|yuki|kenji|ravi|gigi|aditi|mimi|jessi|lexi|eli|levi"
)
"""Names that end as a word for where one is from or for a state does (Brian, Heidi, Eric)."""
_NOT_A_STATE = (
    r"(?![a-z]+-(?:intolerant|sensitive|allergic|free|positive|negative|dependent|handed|based)\b"
    rf"|(?!(?:{_NAMES_SO_ENDING})\b)[a-z]+(?:ese|ish|ian|ean|ic|ist|ite|i)\b"
    r"|(?:czech|slovak|serb|croat|kazakh|uzbek|sikh|mormon|maori|inuit|deaf|gay|trans|queer|black|white|latinx)\b)"
)
"""A capitalised word that says a state or where one is from, no name ("I'm Lactose-Intolerant", "I'm
Hungarian", "I'm Taiwanese", "I'm Autistic", "I'm Iraqi"); not a name that ends so ("I'm Brian")."""

NAME_PATTERNS: tuple[Pattern, ...] = (
    rule(rf"\bmy\s+name(?:\s+is|'s|’s)\s+{_NAME}", "name", "long", capitalised),
    # "name's Raj", "Quick intro - name's Raj, ...", "Hey, name's Marco" (not "name's the game", "Name is required")
    rule(
        r"(?:^|[-–:]|^\W*(?:hey|hi|hello|hiya|yo|ok|okay|so)\b\W*)\s*name['’]s\s+"
        r"(?-i:(?P<value>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?))(?=\s*(?:$|[,.!;]|and\b))",
        "name",
        "long",
    ),
    # a name corrected: "My name isn't Carol, it's Cara"
    rule(
        rf"\bmy\s+name(?:\s+isn['’]t|\s+is\s+not|['’]s\s+not)\s+[\w'-]+(?:\s+[\w'-]+)?\s*[,;]?\s*(?:it['’]s|it\s+is|but)\s+{_NAME}",
        "name",
        "long",
        capitalised,
    ),
    # a name said in an introduction: "Hi! I'm Rosa, nice to meet you", "I'm Rosa and I ..." (not "I'm
    # Canadian", "I'm Fine", "I'm Head Chef", "I'm Lactose-Intolerant")
    rule(
        rf"(?:^\s*|[:：]\s*|\b(?:hi|hello|hey|hiya)\W+){I_AM}{NATIONALITIES}{TITLES}{NOT_A_NAME}{NOT_A_LOWER_NAME}{_NOT_A_STATE}"
        r"(?-i:(?P<value>[A-Z][a-z]+(?:['-][A-Z]?[a-z]+)?(?:\s+[A-Z][a-z]+)?))(?=\s*(?:$|[,.!;]|and\b|from\b|here\b|by\s+the\s+way\b|btw\b))",
        "name",
        "long",
    ),
    # one typed in lower case after a greeting: "hey im sam, ..." (not "hi im tired", "hey im back")
    rule(
        rf"^\W*(?:hi|hello|hey|hiya)\W+{I_AM}{NOT_A_LOWER_NAME}{_NOT_A_STATE}"
        r"(?-i:(?P<value>[a-z]{2,15}))(?=\s*(?:$|[,.!;]|\band\b|\bhere\b))",
        "name",
        "long",
        capitalised,
    ),
    rule(r"(?:我叫|我的名字是)\s*(?P<value>[^\s，。！？,.!?]{1,10})", "name", "long"),
    # not a time or a number to call: "call me at 555-0199", "call me tomorrow"
    rule(
        r"\b(?:please\s+)?call\s+me\s+(?!(?:at|on|back|later|tomorrow|tonight|today|anytime|whenever|when|if|after|"
        rf"before|now|soon|sometime|again|by|in|asap)\b){_NAME}",
        "preferred_name",
        "long",
        capitalised,
    ),
    rule(
        rf"\b(?:everyone|everybody|people|friends|my\s+friends|most\s+people|they\s+all)\s+(?:just\s+)?calls?\s+me\s+{_NAME}",
        "preferred_name",
        "long",
        capitalised,
    ),
    rule(rf"\bi\s+go\s+by\s+{_NAME}", "preferred_name", "long", capitalised),
)
"""The speaker's name, corrected too, and the name they go by."""

BIRTHDAY_AND_LANGUAGE_PATTERNS: tuple[Pattern, ...] = (
    # "My birthday is June 1", "my 生日 is June 1", "My birthday is tomorrow" (extract writes the day it names)
    rule(
        rf"\bmy\s+(?:(?P<subject>{RELATIONS})['’]s?\s+)?(?:birthday|bday|b-day|生日)(?:['’]s|\s+is|\s+was)\s+(?:on\s+)?{VALUE}",
        "birthday",
        "long",
    ),
    rule(
        rf"(?:^|我的?(?:(?P<subject>{ZH_RELATIONS})的?)?|[，,\s])(?:生日|birthday)\s*(?:是|在)\s*{ZH_VALUE}",
        "birthday",
        "long",
    ),
    # a birthday said as its day to come: 我老婆下个月生日, 我妈明天过生日
    rule(rf"我的?(?P<subject>{ZH_RELATIONS})?(?P<value>{ZH_DAY_AHEAD})(?:过|就是)?生日", "birthday", "long"),
    # "I was born on March 3, 1990" (its year is the birth_year, ``fact_patterns_background``), 我1990年3月3日出生
    rule(
        rf"(?:{WHO}\s+was\s+|^\W*)born\s+on\s+(?:the\s+)?(?P<value>{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH})",
        "birthday",
        "long",
    ),
    rule(
        rf"我(?:的)?(?P<subject>{ZH_RELATIONS})?(?:是)?(?:\d{{4}}\s*年)?\s*(?P<value>\d{{1,2}}\s*月\s*\d{{1,2}}\s*[日号])(?:出生|生的)",
        "birthday",
        "long",
    ),
    # "Our wedding anniversary is June 5th", 我们的结婚纪念日是6月5日: a day that comes back every year
    rule(
        rf"\b(?:my|our)\s+(?:(?:wedding|marriage)\s+)?anniversary(?:['’]s|\s+is|\s+was)\s+(?:on\s+)?{VALUE}",
        "anniversary",
        "long",
    ),
    rule(rf"(?:^|我们?的?|[，,\s])(?:结婚)?纪念日\s*(?:是|在)\s*{ZH_VALUE}", "anniversary", "long"),
    rule(rf"\bmy\s+(?:native|first|mother)\s+(?:language|tongue)\s+is\s+{VALUE}", "native_language", "long"),
    rule(
        rf"\b(?P<value>{LANGUAGES})\s+is\s+my\s+(?:native|first|mother)\s+(?:language|tongue)\b",
        "native_language",
        "long",
    ),
    rule(rf"(?:^|我的?|[，,\s])母语是\s*{ZH_VALUE}", "native_language", "long"),
)
"""The speaker's birthday, anniversary and native language."""

_THEIR_AGE_IS = (
    rf"(?P<other>(?:(?:my|our)\s+(?:{KIN_WORD}\s+)?(?P<subject>{RELATIONS})(?:\s+(?-i:[A-Z][a-z]+))?|(?P<pronoun>she|he))"
    r"(?:\s+is|['’]s|\s+just\s+turned|\s+turned))"
)
"""A relation's age said ("my son is", "my daughter Mia's", "she just turned"; "she" or "he" is the
relation named before it in the message)."""
_AGE_NOW = r"(?:now\s+|only\s+|just\s+|actually\s+|really\s+|still\s+|already\s+)?"
"""Words between "I'm" and an age that leave it the age: "I'm actually 32", "she's still 3"."""

BODY_AND_DIET_PATTERNS: tuple[Pattern, ...] = (
    # "I'm 170 cm tall", "I'm about 170 cm", "I'm 180cm and 80kg"; not "I'm 5 m away"
    rule(
        rf"\bi(?:'m|’m|m|\s+am)\s+(?:about\s+|around\s+)?{NUM}\s*(?P<unit>cm|m)(?:\s+tall\b|(?=\s*(?:$|[,;!?]|\.(?!\d)|and\b|&)))",
        "height",
        "long",
        height,
    ),
    rule(
        rf"\b(?:i(?:'m|’m|m|\s+am|\s+just\s+turned|\s+turned)|{_THEIR_AGE_IS})"
        rf"\s+{_AGE_NOW}(?P<value>\d{{1,3}})\s*(?:years?\s+old|yo|y/o)\b",
        "age",
        "long",
    ),
    # a relation's age said after their name: "We have a son, Vihaan, who is 2", "My daughter Mia, who is 8, ..."
    rule(
        rf"\b(?:my|our|an?)\s+(?:{KIN_WORD}\s+)?(?P<subject>{RELATIONS})(?:,?\s+(?:(?:named|called)\s+)?(?-i:[A-Z][a-z]+))?,?"
        rf"\s+(?:who\s+is|who['’]s|aged?)\s+{_AGE_NOW}(?P<value>[1-9]\d?)"
        r"(?=\s*(?:$|[,.!?;]|years?\b|yrs?\b|and\b|now\b))",
        "age",
        "long",
    ),
    # a young one's age in months or weeks: "My son is 18 months old", "our puppy is 10 weeks old"
    rule(
        rf"{_THEIR_AGE_IS}\s+{_AGE_NOW}(?P<value>\d{{1,2}}\s+(?:months?|weeks?|days?))\s+old\b",
        "age",
        "long",
    ),
    # an age said before what one is: "I'm a 41-year-old chef", "I am a 35 year old mother of two"
    rule(r"\bi(?:'m|’m|m|\s+am)\s+an?\s+(?P<value>\d{1,3})[- ](?:year|yr)s?[- ]old\b", "age", "long"),
    rule(
        rf"我(?:的)?(?P<subject>{ZH_RELATIONS})?(?:(?P<year>今年)|现在|已经)?\s*{ZH_NUM}\s*(?:(?:周)?岁|(?(year)(?=了|啦)|(?!)))"
        r"(?=了|啦|$|[，。！？,.!?\s])",
        "age",
        "long",
        zh_count,
    ),
    rule(
        rf"\b(?:i(?:'m|’m|m|\s+am|\s+just\s+turned|\s+turned)|{_THEIR_AGE_IS})"
        rf"\s+{_AGE_NOW}(?P<value>(?(other)[1-9]\d?|[1-9]\d))(?=\s*(?:$|[.!](?!\d)|now\b|not\b|and\b|but\b|lol|haha|,|btw\b|if\b|today\b|(?:last|this)\s+(?:week|month|year)\b|yesterday\b|on\s+\w+day\b))",
        "age",
        "long",
    ),
    # an age in words: "I'm thirty-four years old", "I just turned forty"
    rule(
        rf"\bi(?:(?:['’]m|\s+am)\s+{_AGE_NOW}{WORD_NUM}\s+years?\s+old\b"
        rf"|\s+(?:just\s+)?turned\s+{WORD_NUM.replace('words>', 'turned>')}(?=\s*(?:$|[.!,]|today\b|yesterday\b)))",
        "age",
        "long",
        lambda m: words_number(m["words"] or m["turned"]),
    ),
    rule(
        r"\bi(?:'m|’m|m|\s+am)\s+(?:about\s+)?(?P<ft>[4-7])\s*(?:'|’|ft|foot|feet)\s*(?P<inch>1[01]|\d)?\s*(?:\"|”|in\b|inches)?",
        "height",
        "long",
        feet_and_inches,
    ),
    rule(rf"\bmy\s+height\s+is\s+(?:about\s+)?{NUM}\s*(?P<unit>cm|m)?\b", "height", "long", height),
    rule(
        rf"(?:身高|个子|我(?:现在)?(?:有|大概|差不多)?)\s*(?:是|有|为)?\s*{ZH_METRES_AND_CM}",
        "height",
        "long",
        metres_and_centimetres,
    ),
    rule(rf"身高\s*(?:是|有|为)?\s*{NUM}(?!\s*米\s*\d)\s*(?P<unit>厘米|公分|cm|米|m)?", "height", "long", height),
    # the speaker with others: "We're vegan", "My wife and I are both vegetarian", "We're a vegetarian family"
    rule(
        r"(?:\bwe(?:['’]re|\s+are)|\b(?:my|our)\s+[a-z]+(?:\s+(?-i:[A-Z][a-z]+))?\s+and\s+i\s+are)\s+(?:both\s+|all\s+)?"
        rf"(?:now\s+|also\s+|still\s+|strictly\s+)*(?:an?\s+)?(?P<value>{DIETS})\b(?:\s+(?:family|household))?(?=\s*(?:$|[.,!;]|now\b|too\b))",
        "diet_identity",
        "long",
    ),
    rule(
        rf"(?:{I_AM}|\bi(?:['’]ve|\s+have)\s+been\s+|\bmy\s+(?P<subject>{RELATIONS})(?:\s+(?-i:[A-Z][a-z]+))?"
        rf"(?:\s+is\s+|['’]s\s+(?=(?:now\s+|also\s+|still\s+)*(?:an?\s|(?:{DIETS})\s*(?:$|[.,!;]|(?:now|too)\b)))))"
        rf"(?:now\s+|also\s+|still\s+|strictly\s+)*(?:a\s+)?(?P<value>{DIETS})\b",
        "diet_identity",
        "long",
    ),
    rule(
        rf"\b(?:i(?:'m|’m|m|\s+am)|(?:my|our)\s+(?P<subject>{RELATIONS})\s+is)\s+(?P<value>left|right)[- ]?handed\b",
        "handedness",
        "long",
    ),
    rule(rf"我(?:的)?(?P<subject>{ZH_RELATIONS})?(?:也)?是(?P<value>左|右)撇子", "handedness", "long", handed),
    rule(
        rf"我(?:的)?(?P<subject>{ZH_RELATIONS})?(?:也|一直|现在|从小)?(?:是|吃)\s*(?P<value>{ZH_DIETS}|素(?![菜的]))",
        "diet_identity",
        "long",
        zh_diet,
    ),
    # a diet given up: "I'm no longer vegetarian", "I'm not vegan anymore", 我不再吃素了
    rule(rf"{NO_LONGER_BE}(?:a\s+)?(?P<value>{DIETS})\b", "diet_identity", "long", ended()),
    rule(
        rf"我(?:现在|已经)?{ZH_NO_LONGER}(?:是|吃)\s*(?P<value>{ZH_DIETS}|素(?![菜的]))",
        "diet_identity",
        "long",
        ended(zh_diet),
    ),
    # a blood type: "My blood type is O negative", "I have A+ blood", 我是O型血, 我的血型是AB型
    rule(
        r"\bmy\s+blood\s+(?:type|group)\s+is\s+(?:type\s+)?(?P<type>AB|A|B|O)(?:\s*(?P<sign>\+|-|positive|negative|pos|neg))?"
        r"(?![\w+-])|\bi\s+(?:have|am|['’]m)\s+(?:type\s+)?(?-i:(?P<type2>AB|A|B|O))\s*(?P<sign2>\+|-|positive|negative)?\s+blood\b",
        "blood_type",
        "long",
        blood_type,
    ),
    rule(r"我(?:的血型是|是)\s*(?P<type>AB|A|B|O)\s*型(?:血)?", "blood_type", "long", blood_type),
)
"""Height, age and handedness, the speaker's or a relation's, a diet, kept or given up, and a blood type."""
