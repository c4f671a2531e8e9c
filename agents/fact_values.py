"""How extracted values are written: numbers, units and phrases, one spelling whatever the message's.

Numbers as digits ("1,200" -> 1200, "72,5" -> 72.5, "一百二十" -> 120), units canonical
(kg, lb, jin, h, km, cm, m, °C, mg/dL, mmol/L, bpm), phrases cut where their clause goes
on. The value builders take a match of a :mod:`tiermem.agents.fact_patterns` rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tiermem.memory.versions import ENDED

from .relation_slugs import RELATION_SLUGS as RELATION_SLUGS  # re-exported: the pattern words are built from it
from .relation_slugs import relation as relation  # re-exported: extract and the answers read slugs here

NUM = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?)"
WEIGHT_UNIT = r"\s*(?P<unit>kg|kgs|kilos?|kilograms?|lbs?|pounds?|公斤|千克|斤)"
"""A weight's unit; rules end it with no letter after it, not ``\\b``, which a Chinese unit does not
end ("I weigh 55公斤")."""
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")


_UNITS = {
    spelling: canonical
    for canonical, spellings in {
        "kg": ("kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "公斤", "千克"),
        "lb": ("lb", "lbs", "pound", "pounds"),
        "jin": ("斤",),
        "h": ("hour", "hours", "hrs", "hr", "h", "小时", "个小时", "个钟"),
        "cm": ("cm", "厘米", "公分"),
        "km": ("km", "k", "kilometer", "kilometers", "kilometre", "kilometres", "公里", "千米"),
        "m": ("m", "meter", "meters", "metre", "metres", "米"),
        "°C": ("c", "°c", "℃", "度"),
        "°F": ("f", "°f", "℉"),
    }.items()
    for spelling in spellings
}
"""Each spelling of a unit (lower case) -> its canonical name."""


def unit_name(unit: str) -> str:
    """The canonical name of a unit as said (``kilos`` -> ``kg``, ``斤`` -> ``jin``); else the unit in lower case."""
    return _UNITS.get(unit.lower(), unit.lower())


def _number(text: str) -> str:
    """A stated number in one spelling: "1,200" -> "1200", "72,5" -> "72.5"."""
    return text.replace(",", "") if _THOUSANDS.fullmatch(text) else text.replace(",", ".")


def measure(match: re.Match[str]) -> str:
    return f"{_number(match['num'])} {unit_name(match['unit'])}"


ZH_NUM = rf"(?:{NUM}|(?P<zh>[零一二两三四五六七八九十百千万]+(?:个半|半)?))"
"""A number in digits or in Chinese numerals ("五", "十二", "六个半", "一百二十", "一万两千")."""
_ZH_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def zh_number(numeral: str) -> str:
    """Chinese numerals as digits: "十二" -> "12", "一百二十" -> "120", "一万两千" -> "12000", "六个半" -> "6.5"."""
    half = numeral.endswith("半")
    numeral = numeral.removesuffix("半").removesuffix("个")
    total, section, digit = 0, 0, 0
    for char in numeral:
        if char in _ZH_DIGITS:
            digit = _ZH_DIGITS[char]
        elif char == "万":
            total, section, digit = (total + section + digit) * 10_000, 0, 0
        else:  # 十 百 千: "十" alone is ten
            section += (digit or 1) * {"十": 10, "百": 100, "千": 1000}[char]
            digit = 0
    if digit and len(numeral) >= 2 and numeral[-2] in "百千万":  # "一百二" is 120, "一万两" 12000
        digit *= {"百": 10, "千": 100, "万": 1000}[numeral[-2]]
    value = total + section + digit
    return f"{value}.5" if half else str(value)


def zh_count(match: re.Match[str]) -> str:
    return zh_number(match["zh"]) if match["zh"] else _number(match["num"])


def zh_temperature(match: re.Match[str]) -> str:
    """A body temperature, "38度5" being 38.5 °C."""
    number = _number(match["num"]) + (f".{match['tenth']}" if match["tenth"] and "." not in match["num"] else "")
    return f"{number} {unit_name(match['unit'])}"


def zh_measure(match: re.Match[str]) -> str:
    """A measurement whose number may be in Chinese numerals."""
    return f"{zh_count(match)} {unit_name(match['unit'])}"


_READING_UNITS = {"mg/dl": "mg/dL", "mmol/l": "mmol/L", "mmol": "mmol/L", "bpm": "bpm"}


def reading(match: re.Match[str]) -> str:
    """A reading whose unit may be left unsaid ("blood sugar 180", "血糖6.1 mmol/L")."""
    unit = match.groupdict().get("unit")
    return f"{_number(match['num'])} {_READING_UNITS[unit.lower()]}" if unit else _number(match["num"])


def count(match: re.Match[str]) -> str:
    return _number(match["num"])


def height(match: re.Match[str]) -> str:
    """A height; without a unit, metres below 3 and centimetres above ("身高175")."""
    number = _number(match["num"])
    return f"{number} {unit_name(match['unit']) if match['unit'] else ('m' if float(number) < 3 else 'cm')}"


ZH_METRES_AND_CM = r"(?P<m>[12一两])\s*米\s*(?P<cm>\d{1,2}|[一二三四五六七八九零]{1,2})(?![\d厘公])"
"""A height as Chinese says it, metres then centimetres: "1米75", "一米八", "一米七五"."""


def metres_and_centimetres(match: re.Match[str]) -> str:
    """A height said as metres and centimetres, in centimetres: "1米75" -> "175 cm", "1米8" and
    "一米八" -> "180 cm" (one digit after 米 is tens), "一米七五" -> "175 cm"."""
    metres = int(zh_number(match["m"])) if not match["m"].isdigit() else int(match["m"])
    said = match["cm"]
    digits = said if said.isdigit() else "".join(str(_ZH_DIGITS[char]) for char in said)
    return f"{metres * 100 + int(digits.ljust(2, '0'))} cm"


_HEDGE = (
    r"probably|maybe|perhaps|possibly|definitely|honestly|i\s+think|i\s+guess|i\s+suppose|i['’]d\s+say|"
    r"tbh|tbf|ngl|lol|lmao|haha|hehe"
)
"""Words that hedge or colour a value, no part of it ("probably ramen tbh", "sushi i think lol")."""
_CLAUSE_END = re.compile(
    r"\s+&\s.*$|\s+(?:and|(?-i:n)|but|with|because|since|so|though|although|while|who|which|where|when|now|btw|anymore|"
    r"at\s+the\s+moment|these\s+days|for\s+now|right\s+now|last|next|this|until|as\s+of|not|"
    rf"instead|too|as\s+well|for|fyi|imo|fwiw|by\s+the\s+way|originally|{_HEDGE})\b.*$",
    re.IGNORECASE,
)
_LIST_END = re.compile(
    rf"\s+(?:but|so|because|since|which|who|btw|by\s+the\s+way|fyi|though|although|while|when|if|anymore|{_HEDGE})\b.*$"
    r"|,?\s+and\s+(?:i|i'm|my|it|she|he|they|we|that)\b.*$"
    r"|\s+(?:as\s+an?\s+(?:kid|child|baby|toddler|teen(?:ager)?)|when\s+i\s+was|growing\s+up)\b.*$"
    r"|\s+(?:now|too|as\s+well|also|these\s+days|lately|recently)\s*$",  # "allergic to dogs now"
    re.IGNORECASE,
)
_LEADING = re.compile(rf"^(?:(?:actually|now|currently|still|really|just|also|the|{_HEDGE})\s+)+", re.IGNORECASE)
_NEGATED = re.compile(r"^(?:not|no\s+longer|never|no)\b|(?:不|没|没有|不会)$", re.IGNORECASE)
_SYMBOLS = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F]")
"""Emoji and pictographs, which end no value but are no part of one ("可乐🐶")."""
_PUNCTUATION = " .,!?;:。，！？；：\"'“”"
_PARTICLES = re.compile(r"(?<=[\u4e00-\u9fff])(?:了|啦|呢|呀|吧|啊|哦)+$")
"""Chinese sentence-final particles, no part of a value ("我搬到上海了": 上海)."""


def _cut(value: str, end: re.Pattern[str]) -> str:
    """``value`` without its leading filler and what follows ``end``; empty when it is negated."""
    value = re.sub(r"\s+", " ", _SYMBOLS.sub("", value)).strip(_PUNCTUATION)
    value = _PARTICLES.sub("", end.sub("", _LEADING.sub("", value)).strip(_PUNCTUATION))
    return "" if _NEGATED.search(value) else value


def phrase(match: re.Match[str]) -> str:
    """A stated value up to where its clause goes on ("Paris with my husband" -> "Paris")."""
    return _cut(match["value"], _CLAUSE_END)


_WHEN_AFTER = re.compile(
    r"\s+(?:on|in)\s+(?:the\s+)?(?:\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day\b).*$"
    r"|\s+(?:(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|(?:a\s+)?few|several|"
    r"(?:a\s+)?couple(?:\s+of)?)\s+(?:days?|weeks?|months?|years?)|a\s+while)\s+(?:ago|back)\b.*$"
    r"|\s+(?:yesterday|today|recently|earlier|back\s+in)\b.*$",
    re.IGNORECASE,
)
"""When a move was, after the place ("Berlin on 3 March", "Austin two weeks ago", "Lyon yesterday")."""


_WHY_AFTER = re.compile(r"\s+(?:to|from)\s.*$", re.IGNORECASE)
"""What a move was for or where it was from, after the place ("Paris to study", "Lyon to be near my
mom", "Berlin from Madrid")."""


_DOING_AFTER = re.compile(r"(?-i:\s+[a-z]+ing)\b.*$")
"""What one does there, after the place ("Spain studying here"); a place's own capitalised word stays ("Reading")."""


def place(match: re.Match[str]) -> str:
    """A place, without the day, the purpose or the place left said after it ("Berlin on 3 March",
    "Paris to study", "Berlin from Madrid" -> "Berlin")."""
    said = _DOING_AFTER.sub("", _WHY_AFTER.sub("", _WHEN_AFTER.sub("", phrase(match))))
    return as_written(said, common=_COMMON_PLACES)


_ZH_PLACE_END = re.compile(r"(?<=[\u4e00-\u9fff])(?:定居|安家|落户|居住|生活|住)?(?:下来)?(?:的|人|那边|那儿|那里)?$")
"""What Chinese says after a place, no part of it: the verb of a home said after it (在温哥华定居),
the 的 or 人 of where one is from (老家是四川的, 是四川人)."""


def zh_place(match: re.Match[str]) -> str:
    """A place said in Chinese, without the verb or particle after it (温哥华定居 -> 温哥华, 四川的 -> 四川)."""
    value = phrase(match)
    return _ZH_PLACE_END.sub("", value) or value


_WHERE_AFTER = re.compile(r"\s+(?:at|in|on|for|with|since|from)\s.*$", re.IGNORECASE)


def job(match: re.Match[str]) -> str:
    """An occupation, without where, since when and the day it is held ("nurse at St Mary's", "nurse
    two weeks ago", "head chef today" -> "nurse", "head chef")."""
    return _WHEN_AFTER.sub("", _WHERE_AFTER.sub("", phrase(match)))


def diagnosis(match: re.Match[str]) -> str:
    """A condition diagnosed, without where and when, as a job is read ("celiac disease in 2019",
    "asthma at the clinic" -> "celiac disease", "asthma")."""
    return job(match)


def teacher(match: re.Match[str]) -> str:
    """The job of one who teaches a subject: "high school chemistry" -> "high school chemistry teacher"."""
    return f"{job(match)} teacher"


_NAME_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*\.?")
"""A word of a name: letters, maybe hyphenated ("mary-jane"), maybe abbreviated ("st.")."""
_NAME_PARTICLES = frozenset(
    "de da das del della der di do dos du la las le les los van von y upon sur am".split()  # noqa: SIM905
)
"""Words a place or a person's name keeps in lower case inside it ("Rio de Janeiro", "Ludwig van Beethoven")."""
_COMMON_PLACES = frozenset(
    (  # noqa: SIM905 (a list of words reads better as words)
        "a an the my our his her their your this that some one suburbs suburb countryside country city town "
        "village coast mountains north south east west downtown uptown area house apartment flat dorm dorms home "
        "abroad"
    ).split()
)
"""Words that start a place said as a common noun ("suburbs", "a small town near paris"), kept as typed."""


def as_written(value: str, *, common: frozenset[str] = frozenset()) -> str:
    """A name typed all in lower case, capitalised as it is written ("paris" -> "Paris", "rio de
    janeiro" -> "Rio de Janeiro", "mary-jane" -> "Mary-Jane", "st. louis" -> "St. Louis"); a value
    with a capital letter, of more than four words, with other characters than a name's, or
    starting with a word of ``common``, is kept as typed."""
    words = value.split()
    if (
        not words
        or value != value.lower()
        or len(words) > 4
        or words[0] in common
        or not all(_NAME_WORD.fullmatch(word) for word in words)
    ):
        return value
    capital = ["-".join(part[:1].upper() + part[1:] for part in word.split("-")) for word in words]
    return " ".join(word if n and word in _NAME_PARTICLES else capital[n] for n, word in enumerate(words))


def capitalised(match: re.Match[str]) -> str:
    """A name said in lower case, as it is written ("sophie" -> "Sophie", "mary-jane" -> "Mary-Jane")."""
    return as_written(phrase(match))


def home(match: re.Match[str]) -> str:
    """A home's place, a name typed in lower case capitalised ("paris" -> "Paris"; "suburbs" kept),
    without what one does there ("Berlin working remotely" -> "Berlin"), with the region said after
    it ("Portland, Oregon")."""
    said = as_written(_DOING_AFTER.sub("", phrase(match)), common=_COMMON_PLACES)
    return said + (match.groupdict().get("region") or "")


def items(match: re.Match[str]) -> str:
    """A stated list kept whole ("cats, dogs and pollen") up to where its clause goes on."""
    return items_said(match["value"])


def items_said(text: str) -> str:
    """:func:`items` of a list's text."""
    return _cut(text, _LIST_END)


def event(match: re.Match[str]) -> str:
    """A plan's place and time as said, up to another plan ("Denver at the end of the month")."""
    value = re.sub(r"\s+(?:and|but|so)\s+.*$", "", re.sub(r"\s+", " ", match["value"]))
    return value.strip(_PUNCTUATION)


def whole(match: re.Match[str]) -> str:
    """The whole match as the value (a Chinese plan: "我们下个月搬到深圳")."""
    return match.group().strip(_PUNCTUATION)


def whole_statement(match: re.Match[str]) -> str:
    """The match from its verb on ("flying to Lisbon on June 3rd")."""
    return re.sub(r"^\S+\s+(?:(?:be|are|am)\s+)?", "", match.group()).strip(_PUNCTUATION)


def blood_pressure(match: re.Match[str]) -> str:
    return f"{match['high']}/{match['low']}"


def feet_and_inches(match: re.Match[str]) -> str:
    """A height in feet and inches as said ("5'9" -> "5 ft 9 in")."""
    return f"{match['ft']} ft {match['inch']} in" if match["inch"] else f"{match['ft']} ft"


def ended(value: Callable[[re.Match[str]], str] | None = None) -> Callable[[re.Match[str]], str]:
    """A value builder for a fact that ended (:data:`ENDED`): what ``value`` (:func:`phrase` when
    none is given) writes, after "no longer"."""
    build = value or phrase

    def write(match: re.Match[str]) -> str:
        written = build(match)
        return f"{ENDED}{written}" if written else ""

    return write


def zh_diet(match: re.Match[str]) -> str:
    """A diet as Chinese says it; 吃素 ("eats 素") is 素食."""
    value = phrase(match)
    return "素食" if value == "素" else value


def ended_relation(match: re.Match[str]) -> str:
    """An ended relation (:data:`ENDED`): "no longer has a cat", "no longer has a boyfriend"; one
    of several pets ended by its name ("Our cat Luna died"): "no longer Luna"."""
    if match.groupdict().get("name"):
        return f"{ENDED}{match['name']}"
    return f"{ENDED}has a {relation(match['what']).replace('_', ' ')}"


def ended_partner(match: re.Match[str]) -> str:
    """A partner gone whose gender is unsaid ("we broke up"): "no longer has a partner"
    (:mod:`tiermem.agents.extract` writes the partner word the message says instead, if any)."""
    return f"{ENDED}has a partner"


_MARITAL = {
    "结婚": "married",
    "已婚": "married",
    "离婚": "divorced",
    "离异": "divorced",
    "单身": "single",
    "丧偶": "widowed",
}


def marital(match: re.Match[str]) -> str:
    """A marital status in one English word: "Divorced" -> ``divorced``, 离婚 -> ``divorced``, 单身 -> ``single``."""
    return _MARITAL.get(match["value"], match["value"].lower())


_DOSE_UNITS = {"毫克": "mg", "微克": "mcg", "克": "g", "毫升": "ml"}


def zh_dose(match: re.Match[str]) -> str:
    """A Chinese medicine and its dose as English writes it: 二甲双胍 + 500毫克 -> "二甲双胍 500mg"."""
    if not match["num"]:
        return phrase(match)
    unit = match["unit"].lower()
    return f"{phrase(match)} {_number(match['num'])}{_DOSE_UNITS.get(unit, unit)}"


def handed(match: re.Match[str]) -> str:
    """Handedness from Chinese "左撇子" / "右撇子": ``left`` or ``right``."""
    return "left" if match["value"] == "左" else "right"
