"""Rules for what someone owns that lasts and changes: their car, named, driven, bought, traded in,
switched to or sold, English and Chinese.

A car is named by its maker or model (:data:`~.fact_words.CAR_MAKES`, :data:`~.fact_words.CAR_MODELS`,
特斯拉, 卡罗拉 ...); where the words around it say it is a car ("my car is a ...", "I drive a ...") an
unlisted capitalised name is one too ("I drive a Lada"). One hired or borrowed is no one's car ("I'm
driving a Toyota rental this week", "I rented a car"), and nor is what a maker makes besides ("I bought
a Tesla charger", 我买了特斯拉的股票).
"""

from __future__ import annotations

import re

from .fact_patterns_common import ANYMORE, KIN_WORD, WHO, ZH_KIN_WORD, Pattern, rule
from .fact_values import ENDED
from .fact_words import (
    CAR_MAKES,
    CAR_MODELS,
    CAR_NOUNS,
    NOT_A_NAME,
    RELATIONS,
    ZH_CAR_MAKES,
    ZH_CAR_MODELS,
    ZH_CAR_SERIES,
    ZH_RELATIONS,
)

_CAR_WORD = (
    rf"(?:{NOT_A_NAME}(?-i:[A-Z])[A-Za-z0-9-]*|[a-z]*\d[A-Za-z0-9.-]*(?!\s+(?:years?|months?|weeks?|days?)\b)"
    rf"|(?:{CAR_MODELS})|(?:{CAR_NOUNS}))\b"
)
"""A word of a car's name after its maker or model: capitalised or with a digit ("Civic", "X5", "F-150",
"3 Series"), a model's or a kind of car ("a Toyota SUV"); not a weekday or a month ("a Tesla Monday")."""
_CAR_NAME = rf"(?:(?:{CAR_MAKES})\b(?:\s+{_CAR_WORD}){{0,3}}|(?:{CAR_MODELS})\b(?:\s+{_CAR_WORD}){{0,2}})"
"""A car named by its maker or model, and the words of its name after it ("Honda Civic", "Model 3")."""
_OTHER_NAME = rf"{NOT_A_NAME}(?-i:[A-Z][a-z][A-Za-z-]*)\b(?:\s+{_CAR_WORD}){{0,2}}"
"""A capitalised name no list holds ("Lada Niva"): a car where the words before it say so."""
_BEFORE_CAR = (
    r"(?:(?:brand[- ]new|new|used|second[- ]hand|pre-owned|old|little|nice|shiny|red|blue|black|white|silver|grey|"
    r"gray|green|electric|(?:19|20)\d\d|['’]\d\d)\s+)*"
)
"""Words said before a car's name that are no part of it ("a brand new", "a used 2015")."""
_LISTED_CAR = rf"{_BEFORE_CAR}(?P<value>(?>{_CAR_NAME}))"
_NAMED_CAR = (
    rf"(?:(?P<article>an?)\s+|(?:my|our)\s+)?{_BEFORE_CAR}(?P<value>(?>{_CAR_NAME}|(?(article){_OTHER_NAME}|(?!))))"
)
"""A car where the words before say it is one ("I drive a ...", "I drive my ..."): a listed one, or,
after "a", any name."""
_A_CAR = rf"(?:an?|my|our)\s+(?:(?:new|used|second[- ]hand|first)\s+)?(?:(?:{CAR_NOUNS})\s*[,:–—-]\s*(?:an?\s+)?)?"
"""Words before a car bought or had: "a", "my new", or a kind of car said first ("a new car, a ...",
"a minivan: a ...")."""
_NOT_HIRED = r"(?!\s+(?:rental|rented|loaner|hire\s+car|courtesy\s+car|for\s+the\s+(?:day|weekend|week|trip))\b)"
"""A car not hired or lent ("I'm driving a Toyota rental", "a Tesla for the weekend")."""
_AFTER_A_CAR = (
    rf"{_NOT_HIRED}(?=\s*$|\s*[^\w\s]|\s+(?:now|and|but|so|since|because|as|last|this|yesterday|today|recently|finally|"
    r"too|which|that|for|from|with|in|on|at|to|after|when|while|instead|though|back|earlier|a|an|the|my|our|one|two|"
    r"three|four|five|six|few|couple|\d+|lol|haha|omg|btw|yay|already|just|again|i|we|it)\b)"
)
"""What may follow a car bought or owned: the clause's end or words that go on with it, not a thing
named after a maker ("a Tesla charger", "a Honda lawnmower", "a Tesla appointment")."""
_ADVERBS = r"(?:\s+(?:just|finally|recently|also|now|have|has)|['’]ve)*"
_I_OR_WE = r"\b(?:i|we)"
_SPEAKER_START = rf"(?:{_I_OR_WE}{_ADVERBS}\s+|^\W*(?:(?:just|finally|so|and|also)\s+)*)"
"""The speaker, said or left unsaid at a clause's start ("Traded in my Corolla for a Tesla")."""
_TRADED = r"(?:it|that|mine|(?:my|our|the)\s+[^,.!?;\n]{1,30}?)"
"""What was traded in or replaced ("it", "my old Corolla")."""
_WHO_OR_WE = rf"(?:{WHO}|\bwe)"

_ZH_OWNER = rf"我(?:们|家)?(?:的)?(?:{ZH_KIN_WORD}(?P<subject>{ZH_RELATIONS})(?:的)?)?"
"""The speaker, their household or a relation, in Chinese (我, 我家, 我姐姐)."""
_ZH_WHEN = r"(?:现在|目前|刚刚?|最近|已经|终于|也|上个?月|上周|去年|今年|前几天)*"
_ZH_CAR = (
    rf"(?P<value>(?:{ZH_CAR_MAKES})(?:\s*(?:{ZH_CAR_MODELS}|{ZH_CAR_SERIES}|[A-Za-z0-9][A-Za-z0-9.-]*(?:\s+[A-Za-z0-9][A-Za-z0-9.-]*)?))?"
    rf"|(?:{ZH_CAR_MODELS})|(?>{_CAR_NAME}))"
    r"(?!的(?!车)|股|充电|模型|玩具|钥匙|轮胎|电池|配件|周边|店|公司|手机|球|专卖|[A-Za-z])"
)
"""A car named in Chinese (特斯拉, 宝马X5, 卡罗拉) or by its English name; not what a maker makes
besides, or its shares (特斯拉的股票, 特斯拉充电桩, 高尔夫球)."""
_ZH_A = r"(?:一辆|辆|一台|台)?(?:新的?|二手的?)?(?:[红橙黄绿蓝紫黑白灰银金棕粉]色的?)?\s*"
"""What Chinese says before a car: how many, new or used, its colour (一辆白色的, 一辆新)."""


def car(match: re.Match[str]) -> str:
    """A car's name as it is written where it was typed in lower case ("honda civic" -> "Honda Civic",
    "bmw x5" -> "BMW X5", "ford f-150" -> "Ford F-150"); one typed with capitals is kept as typed."""
    value = re.sub(r"\s+", " ", match["value"]).strip()
    return value if value != value.lower() else " ".join(_written(word) for word in value.split())


_UPPER = frozenset({"bmw", "vw", "gmc", "byd", "suv", "ev", "wrx", "gti", "amg"})


def _written(word: str) -> str:
    """One word of a car's name as it is written: a maker's initials or a short code in capitals."""
    if word in _UPPER or (len(word) <= 5 and re.search(r"\d|-", word)):
        return word.upper()
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))


def sold(match: re.Match[str]) -> str:
    """A car no longer had (:data:`ENDED`): "no longer has a Corolla", "no longer has a car"."""
    name = car(match) if match["value"] else "car"
    return f"{ENDED}has {'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


CAR_PATTERNS: tuple[Pattern, ...] = (
    # "my car is a Corolla", "my sister's car is a Jeep", "my new car's a 2020 Honda Civic"
    rule(
        rf"\b(?:my|our)\s+(?:(?:{KIN_WORD}\s+)?(?P<subject>{RELATIONS})['’]s\s+)?(?:(?:new|current|own)\s+)?(?:car|ride|vehicle|daily\s+driver)"
        rf"(?:\s+is|['’]s)\s+(?:now\s+|still\s+|currently\s+)?{_NAMED_CAR}{_NOT_HIRED}",
        "car",
        "long",
        car,
    ),
    # "I drive a Honda Civic", "I'm driving a Tesla now", "my sister drives a Jeep"; not "I drive to
    # work", "I drive a hard bargain", "I'm driving a Toyota rental"
    rule(
        rf"{WHO}(?:\s+(?:now|currently|still|also|just))?(?:\s+drives?|(?:['’]m|\s+am|\s+is|['’]s)\s+"
        rf"(?:now\s+|currently\s+|still\s+)?driving)\s+{_NAMED_CAR}{_NOT_HIRED}",
        "car",
        "long",
        car,
    ),
    # "I bought a new Tesla", "I got myself a used Prius", "I have a Toyota", "we own a Volvo"; not "I
    # bought a new phone", "I got a Tesla charger"
    rule(
        rf"{_WHO_OR_WE}{_ADVERBS}\s+(?:bought|got|purchased|leased|picked\s+up|own|owns|have|has)\s+"
        rf"(?:(?:myself|me|ourselves|us)\s+)?{_A_CAR}{_LISTED_CAR}{_AFTER_A_CAR}",
        "car",
        "long",
        car,
    ),
    # the speaker left unsaid at a clause's start ("Just bought a Tesla!", "sold the civic, got a Tesla
    # Model 3 now"), or after what they did first ("I sold my Toyota and bought a Honda")
    rule(
        r"(?:^\W*(?:(?:just|finally|so|also|and)\s+)*|\b(?:i|we)\s+(?:(?!\b(?:want|wish|would|might|could|should|hope|"
        r"plan|if|thinking|considering|going|gonna|will)\b)[^.!?;\n]){1,40}?\s+and\s+(?:then\s+)?(?:just\s+|finally\s+)?)"
        rf"(?:bought|got|purchased|leased|picked\s+up)\s+(?:(?:myself|me)\s+)?{_A_CAR}{_LISTED_CAR}{_AFTER_A_CAR}",
        "car",
        "long",
        car,
        about_speaker=True,
    ),
    # "I traded it in for a Tesla", "Traded in my Corolla for a Model 3", "I replaced it with a Prius"
    rule(
        rf"{_SPEAKER_START}(?:traded\s+(?:in\s+)?{_TRADED}(?:\s+in)?\s+for|replaced\s+{_TRADED}\s+with)\s+(?:an?\s+)?"
        rf"{_LISTED_CAR}{_AFTER_A_CAR}",
        "car",
        "long",
        car,
        about_speaker=True,
    ),
    # "I switched to a Tesla", "I switched from a Civic to a Model 3", "we upgraded our car to a Volvo XC90"
    rule(
        rf"{_SPEAKER_START}(?:switched|upgraded)\s+(?:(?:my|our)\s+car\s+)?(?:from\s+[^,.!?;\n]{{1,30}}?\s+)?to\s+"
        rf"(?:an?\s+)?{_LISTED_CAR}{_AFTER_A_CAR}",
        "car",
        "long",
        car,
        about_speaker=True,
    ),
    # a car sold: "I sold my Corolla", "I got rid of my car", "I no longer have a car"
    rule(
        rf"{_I_OR_WE}{_ADVERBS}\s+(?:sold|got\s+rid\s+of|scrapped|gave\s+away)\s+(?:my|our|the)\s+"
        rf"(?:(?:old|beloved|trusty|little)\s+)?(?:car|{_LISTED_CAR}){_AFTER_A_CAR}",
        "car",
        "long",
        sold,
    ),
    rule(
        rf"\bi\s+(?:no\s+longer|(?:don['’]t|do\s+not){ANYMORE})\s+(?:have|own)\s+(?:a\s+car|(?:a|an|my|the)\s+{_LISTED_CAR})\b",
        "car",
        "long",
        sold,
    ),
    # 我的车是卡罗拉, 我姐姐的车是吉普, 我开特斯拉, 我开的是一辆丰田, 我买了一辆特斯拉, 我有一辆宝马
    rule(
        rf"{_ZH_OWNER}(?:新买的|新|现在的)?(?:车子?|座驾|爱车)(?:现在|目前)?(?:是|换成了)\s*{_ZH_A}{_ZH_CAR}",
        "car",
        "long",
        car,
    ),
    rule(rf"{_ZH_OWNER}{_ZH_WHEN}开(?:的是|的车是|着|了)?{_ZH_A}{_ZH_CAR}", "car", "long", car),
    rule(
        rf"{_ZH_OWNER}{_ZH_WHEN}(?:新)?(?:买了|提了|入手了|购买了|有(?=一?辆)|换了|换成了){_ZH_A}{_ZH_CAR}",
        "car",
        "long",
        car,
    ),
    # 我把车换成了特斯拉, 我把卡罗拉换成了Model 3
    rule(
        rf"{_ZH_OWNER}{_ZH_WHEN}把(?:我的|家里的)?(?:旧|老)?(?:车子?|(?:{ZH_CAR_MAKES}|{ZH_CAR_MODELS})[^，。！？\s]{{0,4}}?)"
        rf"换成了?{_ZH_A}{_ZH_CAR}",
        "car",
        "long",
        car,
    ),
    # a car sold: 我把车卖了, 我卖掉了我的卡罗拉, 我的车卖了, 我现在没车了
    rule(rf"{_ZH_OWNER}{_ZH_WHEN}把(?:我的)?(?:旧|老)?(?:车子?|{_ZH_CAR})(?:给)?卖(?:掉)?了", "car", "long", sold),
    rule(rf"{_ZH_OWNER}{_ZH_WHEN}卖(?:掉)?了(?:我的)?(?:旧|老)?(?:车子?|那辆车|{_ZH_CAR})", "car", "long", sold),
    rule(rf"我的(?:车子?|{_ZH_CAR})(?:已经)?卖(?:掉)?了", "car", "long", sold),
    rule(r"我(?:现在|已经)*没(?:有)?车了", "car", "long", lambda _: f"{ENDED}has a car"),
)
"""A car, named, driven, bought, traded in for or switched to, and sold, English and Chinese."""
