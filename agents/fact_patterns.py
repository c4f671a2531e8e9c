"""The table of extraction rules: what each pattern reads and which value builder writes it.

Each :class:`Pattern` is a regular expression with named groups, the attribute
it fills and the tier its facts belong to (measurements of changing values are
mid-term; identity is long-term), English and Chinese side by side. How values
are written (numbers, units, phrases) is :mod:`tiermem.agents.fact_values`'s;
which clauses the patterns read and whose facts they are is
:mod:`tiermem.agents.extract`'s.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from tiermem.memory.records import Tier

from .fact_values import (
    NUM,
    WEIGHT_UNIT,
    ZH_NUM,
    blood_pressure,
    count,
    ended,
    ended_partner,
    ended_relation,
    event,
    feet_and_inches,
    handed,
    height,
    items,
    job,
    marital,
    measure,
    phrase,
    place,
    reading,
    whole,
    whole_statement,
    zh_count,
    zh_diet,
    zh_dose,
    zh_measure,
    zh_temperature,
)
from .fact_words import (
    CONDITIONS,
    DIETS,
    DRUGS,
    JOBS,
    LANGUAGES,
    NATIONALITIES,
    NOT_A_NAME,
    NOT_HOW,
    PARTNERS,
    PETS,
    RELATIONS,
    ZH_COMPANIES,
    ZH_CONDITIONS,
    ZH_DIETS,
    ZH_DRUGS,
    ZH_JOBS,
    ZH_PARTNERS,
    ZH_PETS,
    ZH_RELATIONS,
)
from .statements import ABBREVIATION_DOT


@dataclass(frozen=True, slots=True)
class Pattern:
    """One extraction rule."""

    regex: re.Pattern[str]
    attribute: str
    tier: Tier
    value: Callable[[re.Match[str]], str] = phrase
    """Builds the fact value from the match."""
    about_speaker: bool = False
    """The match names no subject ("weighed 80 kg"): whose fact it is comes from the words before
    it (:func:`_subject`); patterns that start with "I" or "my" are the speaker's anyway."""


def _p(
    pattern: str,
    attribute: str,
    tier: Tier,
    value: Callable[[re.Match[str]], str] = phrase,
    *,
    about_speaker: bool = False,
) -> Pattern:
    return Pattern(
        re.compile(pattern.replace(r"\b", _ASCII_BOUNDARY), re.IGNORECASE), attribute, tier, value, about_speaker
    )


_ASCII_BOUNDARY = r"(?:(?<![A-Za-z0-9_])(?=[A-Za-z0-9_])|(?<=[A-Za-z0-9_])(?![A-Za-z0-9_]))"
"""``\b`` between ASCII word characters and anything else: to ``\b`` a Chinese character is a word
character, so in "今天weight是75kg" or "我是vegetarian" the English words had no boundary."""


_VALUE = rf"(?P<value>(?:[^.,!?;\n。，！？；]|{ABBREVIATION_DOT}){{2,60}})"
"""A stated value, up to where its sentence or clause ends (the dot of "St. Louis" ends neither)."""
_EVENT = (
    r"(?P<value>(?:[^.,!?;\n。，！？；]{2,40}?\s)?(?:on|at|in|next|this|tomorrow|by|before|after)\b"
    r"[^.,!?;\n。，！？；]{1,40})"
)
"""A place or occasion and when: "Denver at the end of the month", "on September 14th"."""
_ITEMS = r"(?P<value>[^.!?;\n。！？；]{2,80})"
_MORE_CONDITIONS = rf"(?:\s*[,/]\s*|,?\s+(?:and|or|&|plus)\s+)(?:(?:mild|severe|chronic|bad)\s+)?(?:{CONDITIONS})\b"
"""A health condition after another in a list: ", high blood pressure", " and eczema", " or mild eczema"."""
_CONDITION_LIST = rf"(?P<value>(?:{CONDITIONS})\b(?:{_MORE_CONDITIONS})*)"
"""One health condition or several, kept whole as allergies are ("asthma and eczema"): a word
not of :data:`CONDITIONS` ends the list ("asthma and a cold": asthma)."""
_ZH_CONDITION_LIST = rf"(?P<value>(?:{ZH_CONDITIONS})(?:\s*(?:和|跟|与|及|以及|还有|、)\s*(?:{ZH_CONDITIONS}))*)"
"""One health condition or several, as Chinese lists them (高血压和糖尿病, 高血压、糖尿病和痛风)."""
_ZH_VALUE = r"(?P<value>[A-Za-z][A-Za-z'\-]*(?:\s+[A-Z][A-Za-z'\-]*)*|[^，。！？；,.!?;\s]{1,20})"
_NAME = r"(?-i:(?P<value>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?|[a-z][\w'-]+))"
"""A name as people write it: capitalised words, or one word in lower case ("my name is jon")."""
_NAME_LIST = (
    r"(?-i:(?P<value>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?(?:(?:,\s*|\s+and\s+|\s*&\s*)[A-Z][\w'-]+)*|[a-z][\w'-]+))"
)
"""One name or several ("Salt and Pepper")."""
_WHO_HAS = (
    rf"\b(?:i|my\s+(?P<subject>{RELATIONS})(?:\s+(?-i:[A-Z][a-z]+))?)"
    r"(?:\s+(?:have|has|got)|['’]ve\s+got|['’]ve)\s+(?:an?\s+)?"
)
"""The speaker or a relation who has something: "I have a", "my son has an", "I've got a"."""
_WE_HAVE = r"\b(?:i|we)(?:\s+(?:have|got|adopted)|(?:\s+have|['’]ve)\s+(?:got|adopted))\s+"
"""The speaker has a relation or a pet: "I have", "we've got", "we adopted"."""
_I_AM = r"\bi(?:'m|’m|m|\s+am)\s+"
_ANYMORE = r"(?=[^.!?;\n]*\bany\s*more\b)"
"""A "not" that says a state ended: "anymore" follows it in its clause ("I'm not vegan anymore")."""
_FORMER = (
    r"(?=[^.!?;\n]*\b(?:as\s+an?\s+(?:kid|child|baby|toddler|teen(?:ager)?)|when\s+i\s+was\s+(?:young|little|small|an?\s)"
    r"|growing\s+up|any\s*more|no\s+longer)\b)"
)
"""A "was" that says a state ended: the clause says when it held, or that it holds no more ("I was
allergic to eggs as a kid", "I was vegan, but not anymore")."""
_NO_LONGER_BE = (
    rf"(?:{_I_AM}(?:no\s+longer|not{_ANYMORE})|\bi\s+(?:(?:have|'ve)\s+)?(?:stopped|quit)\s+being"
    rf"|\bi\s+used\s+to\s+be(?![^.!?\n]*\bstill\b)|\bi\s+was{_FORMER})\s+"
)
"""The speaker says a state of theirs ended: "I'm no longer", "I'm not ... anymore", "I stopped
being", "I used to be", "I was ... as a kid"."""
_ZH_NO_LONGER = r"(?:不再|不(?=[^，。！？]*了))"
"""Chinese says a state ended: 不再, or 不 with the 了 of a change ("我不吃素了")."""
_ZH_FORMERLY = r"(?:以前|之前|原来|曾经|过去|小时候)"
"""Formerly, and so no longer: 我以前对鸡蛋过敏."""
_JOB = rf"(?P<value>(?:[a-z-]+\s+){{0,2}}(?:{JOBS}))\b"
"""An occupation named by its word (:data:`JOBS`) and up to two before it ("pediatric nurse")."""
_ZH_JOB = rf"(?P<value>[^，。！？\s的]{{0,6}}?(?:{ZH_JOBS}))"
_NAMED = r"(?-i:(?P<value>[A-Z][^\W\d_]+(?:['-][^\W\d_]+)?(?:\s+[A-Z][^\W\d_]+)?))"
"""A person's name, capitalised ("Sophie", "Anna Lee")."""
_COMPANY = r"(?-i:(?P<value>[A-Z][\w&'-]*(?:\s+[A-Z][\w&'-]*){0,3}))"
"""An employer's name, capitalised ("Google", "Goldman Sachs")."""
_ZH_WHO_NOW = rf"(?:我(?:的)?(?P<subject>{ZH_RELATIONS})?|(?P<unsaid>^\s*(?=现在|目前|如今)))(?:现在|目前|如今)?"
"""The speaker, a relation, or no one named before "now" (我辞职了，现在当老师: Chinese leaves the
speaker unsaid); then the clause ends with the job (:data:`_ZH_JOB_SAID`; not 现在当老师很辛苦)."""
_ZH_JOB_SAID = r"(?(unsaid)(?=\s*[了啦呢哦]?\s*$))"
_ADDRESS_IS = (
    r"(?:\b(?:i|we)\s+live\s+(?:at|on)|\bmy\s+(?:home\s+|new\s+|current\s+)?address(?:\s+is|['’]s)"
    r"|\bour\s+address\s+is)\s+"
)
"""Words before an address: "I live at", "my address is"."""
_WHO = (
    r"\b(?:i|my\s+(?:best\s+|older\s+|younger\s+|little\s+|big\s+)?"
    rf"(?P<subject>{RELATIONS})(?:\s+(?-i:[A-Z][^\W\d_]+))?)"
)
"""The speaker or a relation ("I", "my brother", "my sister Ana")."""
ZH_FUTURE = re.compile(
    r"明天|后天|下周|下个?星期|下个?礼拜|下个?月|周[一二三四五六日天末]|星期[一二三四五六日天]|\d+[号日]|今天|今晚|今年|明年|月底|待会|马上|即将|快要|要"
)
ZH_PAST = re.compile(r"上周|上个|昨天|前天|去年|以前|挂了|过了|结束|完了|讨厌|害怕|怕")

_ZH_WHEN = (
    r"(?:\d{1,2}\s*月\s*\d{1,2}\s*[号日]|[一二三四五六七八九十]{1,3}月(?:[一二三四五六七八九十]{1,3}[号日])?|\d{1,2}\s*[号日]"
    r"|大?后天|明天|下(?:个)?(?:周|星期|礼拜)[一二三四五六日天末]?|下个?月|明年|月底|周[一二三四五六日末])"
)
"""A day or period to come, as Chinese names it ("6月15号", "下周三", "明年十月")."""

MEASUREMENTS = frozenset(
    {"weight", "sleep", "blood_pressure", "run_distance", "body_temperature", "blood_sugar", "heart_rate", "steps"}
)
"""Attributes whose facts are measurements of a changing value: mid-term by definition."""

PATTERNS: tuple[Pattern, ...] = (
    # measurements of changing values: mid-term, each a new version
    _p(
        rf"\b(?:i\s+)?(?:weighed|weighs|weigh|weighing|weight\s*(?:is|was|of|:|是)?)\s*(?:in\s+at\s+)?(?:now\s+|currently\s+|still\s+|down\s+to\s+|about\s+|around\s+|only\s+|just\s+)*{NUM}{WEIGHT_UNIT}\b",
        "weight",
        "mid",
        measure,
        about_speaker=True,
    ),
    _p(
        rf"\b(?:i\s+)?(?:weighed|weigh)\s+(?:myself|in)\b[^0-9\n]{{0,30}}?{NUM}{WEIGHT_UNIT}\b",
        "weight",
        "mid",
        measure,
        about_speaker=True,
    ),
    _p(
        rf"\bi(?:'m|\s+am|\s+was)\s+(?:now\s+|currently\s+|down\s+to\s+|up\s+to\s+|at\s+|only\s+|about\s+|around\s+|finally\s+)*{NUM}{WEIGHT_UNIT}\b",
        "weight",
        "mid",
        measure,
    ),
    _p(
        rf"(?:称重|体重|重了|称了一下|称了|重)\s*[，,]?\s*(?:应该|现在|大概|才|只有|已经)?\s*(?:是|为|有|:|：)?\s*{NUM}{WEIGHT_UNIT}",
        "weight",
        "mid",
        measure,
        about_speaker=True,
    ),
    _p(rf"我(?:现在|今天|目前)?(?:是|有|才|只有)?\s*{ZH_NUM}\s*(?P<unit>公斤|千克|斤)", "weight", "mid", zh_measure),
    # a correction of a weight just said: "actually I meant 47 kg", "不对，是51公斤"
    _p(
        rf"\b(?:i\s+meant|meant\s+to\s+say|correction:?)\s+(?:it'?s\s+|i'?m\s+|i\s+weigh\s+)?{NUM}{WEIGHT_UNIT}\b(?!\s+(?:of|for)\b)",
        "weight",
        "mid",
        measure,
        about_speaker=True,
    ),
    _p(rf"^\s*(?:应该|其实|我是说|我说的是)?是\s*{ZH_NUM}\s*(?P<unit>公斤|千克|斤|kg)", "weight", "mid", zh_measure),
    _p(rf"我(?:现在|今天|目前)?(?:是|有|才|只有)\s*{NUM}\s*(?P<unit>kg)", "weight", "mid", measure),
    _p(
        rf"(?:现在|目前)(?:是|有|才|只有)?\s*{NUM}\s*(?P<unit>公斤|千克|斤|kg)",
        "weight",
        "mid",
        measure,
        about_speaker=True,
    ),
    _p(
        rf"\b(?:slept|sleep(?:ing)?)\s+(?:for\s+)?(?:only\s+|about\s+|around\s+|just\s+)?{NUM}\s*(?P<unit>hours?|hrs?|h)\b",
        "sleep",
        "mid",
        measure,
        about_speaker=True,
    ),
    _p(
        rf"\b(?:i\s+)?(?:got|had|get)\s+(?:only\s+|like\s+|about\s+|around\s+|just\s+|barely\s+)*{NUM}\s*(?P<unit>hours?|hrs?|h)\s+(?:of\s+)?sleep\b",
        "sleep",
        "mid",
        measure,
        about_speaker=True,
    ),
    _p(
        rf"睡了\s*(?:大概|只有|差不多|才|不到|还不到|将近|快|最多|至少)?\s*{ZH_NUM}\s*(?P<unit>个小时|小时|个钟)",
        "sleep",
        "mid",
        zh_measure,
        about_speaker=True,
    ),
    _p(
        r"\b(?:blood\s+pressure|bp)\b[^0-9\n]{0,24}?(?P<high>\d{2,3})\s*(?:/|over)\s*(?P<low>\d{2,3})\b",
        "blood_pressure",
        "mid",
        blood_pressure,
        about_speaker=True,
    ),
    _p(
        r"血压[^0-9\n]{0,8}?(?P<high>\d{2,3})\s*/\s*(?P<low>\d{2,3})",
        "blood_pressure",
        "mid",
        blood_pressure,
        about_speaker=True,
    ),
    _p(
        rf"\b(?:i\s+ran|ran|running|jogged)\s+(?:about\s+|around\s+|a\s+)?{NUM}\s*(?P<unit>km|k|kilometers?|kilometres?|miles?)\b(?!\s*(?:a|per|every)\s+(?:week|month|day))",
        "run_distance",
        "mid",
        measure,
        about_speaker=True,
    ),
    _p(rf"跑了\s*{ZH_NUM}\s*(?P<unit>公里|千米|km)", "run_distance", "mid", zh_measure, about_speaker=True),
    _p(
        rf"\b(?:body\s+)?temp(?:erature)?\s*(?:is|was|of|:)?\s*(?:about\s+)?{NUM}\s*°?\s*(?P<unit>c|f)\b",
        "body_temperature",
        "mid",
        measure,
        about_speaker=True,
    ),
    _p(
        r"\b(?:body\s+)?temp(?:erature)?\s*(?:is|was|of|:)?\s*(?:about\s+)?(?P<num>3[5-9](?:[.,]\d)?|4[0-2](?:[.,]\d)?)(?!\s*°?\s*[cf]\b)(?![\d.,%])",
        "body_temperature",
        "mid",
        lambda m: f"{m['num'].replace(',', '.')} °C",
        about_speaker=True,
    ),
    _p(
        rf"体温\s*(?:是|为|有)?\s*{NUM}\s*(?P<unit>度|℃|°C)(?P<tenth>\d)?",
        "body_temperature",
        "mid",
        zh_temperature,
        about_speaker=True,
    ),
    _p(
        rf"(?:\b(?:blood\s+sugar|blood\s+glucose|glucose)\b|血糖)[^0-9\n]{{0,24}}?{NUM}\s*(?P<unit>mg/dl|mmol/l|mmol)?",
        "blood_sugar",
        "mid",
        reading,
        about_speaker=True,
    ),
    _p(
        rf"(?:\b(?:resting\s+)?(?:heart\s+rate|pulse)\b|心率|脉搏)[^0-9\n]{{0,24}}?{NUM}\s*(?P<unit>bpm)?",
        "heart_rate",
        "mid",
        reading,
        about_speaker=True,
    ),
    _p(
        r"\b(?:hr|rhr)\s*(?:is|was|of|:|=)?\s*(?P<num>[3-9]\d|1\d\d)\b(?!\s*(?:h|hrs?|hours?|mins?|minutes?)\b)\s*(?P<unit>bpm)?",
        "heart_rate",
        "mid",
        reading,
        about_speaker=True,
    ),
    _p(
        rf"\b(?:walked|did|hit|got|took|logged)\s+(?:about\s+|over\s+|around\s+|only\s+)?{NUM}\s+steps\b",
        "steps",
        "mid",
        count,
        about_speaker=True,
    ),
    _p(rf"走了\s*{ZH_NUM}\s*步", "steps", "mid", zh_count, about_speaker=True),
    _p(
        r"\b(?:i\s+have|i've\s+got|i\s+got)\s+(?:an?\s+|my\s+)?(?:[a-z]+\s+)?(?P<what>exam|appointment|interview|meeting|flight|surgery|deadline)\s+(?P<value>(?:on|at|in|next|this|tomorrow)[^.,!?;\n]{0,40})",
        "plan",
        "mid",
    ),
    _p(
        r"(?:^\s*|\bmy\s+)(?P<value>(?:[a-z]+\s+)?(?P<what>exam|appointment|interview|meeting|flight|surgery|deadline)"
        r"\s+(?:to\s+(?-i:[A-Z])[\w-]*\s+)?(?:is\s+|'s\s+)?(?:on|at|in|next|this|tomorrow|today|tonight)\b[^.,!?;\n]{0,40})",
        "plan",
        "mid",
        event,
    ),
    _p(
        r"\bmy\s+(?:next\s+)?(?P<what>exam|appointment|interview|meeting|flight|surgery|deadline)\s+is\s+(?P<value>(?:on|at|in|next|this|tomorrow)[^.,!?;\n]{0,40})",
        "plan",
        "mid",
    ),
    _p(
        rf"\b(?:(?:i'm|i’m|im|i\s+am|we're|we\s+are)\s+)?(?:moving|relocating)\s+to\s+{_EVENT}",
        "plan_move",
        "mid",
        event,
        about_speaker=True,
    ),
    _p(
        r"(?:^\s*|\b(?:i'm|i’m|im|i\s+am|we're|we\s+are|i'll\s+be|we'll\s+be)\s+)(?:flying|going|travel+ing|heading|driving)\s+to\s+(?-i:[A-Z])[^.,!?;\n]{0,20}?\s(?:on|next|this|tomorrow|in)\b[^.,!?;\n]{0,30}",
        "plan_trip",
        "mid",
        whole_statement,
    ),
    _p(
        rf"\b(?:(?:i'm|i’m|im|i\s+am|we're|we\s+are)\s+)?getting\s+married\s+{_EVENT}",
        "plan_wedding",
        "mid",
        event,
        about_speaker=True,
    ),
    _p(
        r"\b(?:my\s+)?(?:[a-z]+\s+)?(?P<what>exam|appointment|interview|meeting|flight|surgery|deadline|trip)\s+"
        r"(?:to\s+(?-i:[A-Z])[\w-]*\s+)?(?:is\s+|was\s+)?(?:leaves|departs|starts|scheduled|booked|set|moved)\s+"
        r"(?:for\s+)?(?P<value>(?:on|at|in|for|next|this|tomorrow)?[^.,!?;\n]{0,40})",
        "plan",
        "mid",
    ),
    _p(
        r"(?:^\s*|\b(?:my|an?)\s+)(?:[a-z]+\s+)?(?P<what>(?!(?:it|this|that|which|what|everything|something)\b)[a-z]{3,})\s+(?:is\s+|was\s+|'s\s+|got\s+|has\s+been\s+)?"
        r"(?:scheduled|booked|set|planned)\s+for\s+(?P<value>(?:on\s+|next\s+|this\s+)?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow|"
        r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?[a-z]{3}|the\s+\d|\d{1,2}[/.-]\d)[^.,!?;\n]{0,30})",
        "plan",
        "mid",
    ),
    _p(
        rf"(?P<value>{_ZH_WHEN}[^，。！？；,.!?;\s]{{0,8}}?(?P<what>考(?!虑|察|试)|飞(?!快)|结婚|看牙医|看医生|出差|旅游|开会)"
        r"[^，。！？；,.!?;\s]{0,6})",
        "plan",
        "mid",
        about_speaker=True,
    ),
    # 面试官 / 考试官: the interviewer, the examiner, not an interview
    _p(r"(?P<value>[^，。！？；,.!?;]{0,12}(?P<what>考试|面试|预约|复诊|复查|体检|手术|航班))(?!官)", "plan", "mid"),
    _p(
        rf"\bi(?:'m|’m|m|\s+am)\s+(?:currently\s+)?(?:on|taking)\s+(?:a\s+)?{_VALUE}\s+(?:diet|medication|pills?|antibiotics)",
        "regimen",
        "mid",
    ),
    _p(
        rf"\bi(?:'m|’m|m|\s+am)?\s+(?:also\s+|still\s+|now\s+|currently\s+)*(?:take|taking|on|started(?:\s+taking)?)\s+(?P<value>{DRUGS})\b"
        r"(?!(?:\s*\d[\d.,]*\s*(?:mg|mcg|µg|ml|iu)\b)?\s+(?:for\s+(?:my|our|his|her|the)|again)\b)",
        "medication",
        "mid",
    ),
    _p(
        rf"\bi(?:'m|’m|m|\s+am)?\s+(?:also\s+|still\s+|now\s+)?(?:take|taking|on)\s+(?P<value>{NUM}\s*(?:mg|mcg|µg|ml|iu)\s+(?:of\s+)?[a-z][a-z-]+)",
        "medication",
        "mid",
    ),
    _p(
        rf"\bi(?:'m|’m|m|\s+am)?\s+(?:also\s+|still\s+|now\s+|currently\s+)*(?:take|taking|on)\s+(?P<value>(?!(?:a|an|the|my|about|around)\b)[a-z][a-z-]+\s+{NUM}\s*(?:mg|mcg|µg|ml|iu)\b)(?!\s+for\s+(?:my|our|his|her|the)\b)",
        "medication",
        "mid",
    ),
    _p(
        rf"\b(?:upped|raised|increased|lowered|reduced|cut|changed|bumped|dropped)\s+my\s+(?P<drug>[a-z][a-z-]+)\s+(?:dose\s+)?(?:up\s+|down\s+)?to\s+(?P<dose>{NUM}\s*(?:mg|mcg|µg|ml|iu))\b",
        "medication",
        "mid",
        lambda m: f"{m['drug']} {m['dose']}",
    ),
    _p(
        rf"(?:我|^)(?:现在|这周|这几天|最近|目前)?(?:在|正在|每天|一直)(?:吃|服用?|用)\s*(?P<value>{ZH_DRUGS}|[^\s，。！？]{{1,8}}?(?:药|片|胶囊))"
        rf"(?:[，,]?\s*(?:每天|每日|一天|每次|一次)?\s*(?:吃|服用?)?\s*{NUM}\s*(?P<unit>毫克|微克|克|毫升|mg|mcg|g|ml))?",
        "medication",
        "mid",
        zh_dose,
    ),
    # a dose changed: "医生把二甲双胍加到每天1000毫克"
    _p(
        rf"把\s*(?:我的?)?(?P<value>{ZH_DRUGS})\s*(?:的(?:剂)?量)?\s*(?:增加|加|减少|减|降低?|调整?|改|提高?|升|换)量?(?:到|至|成|为)"
        rf"\s*(?:每天|每日|一天|每次|一次)?\s*{NUM}\s*(?P<unit>毫克|微克|克|毫升|mg|mcg|g|ml)",
        "medication",
        "mid",
        zh_dose,
        about_speaker=True,
    ),
    # medication stopped: "I stopped taking ibuprofen", "I'm off sertraline now", 我已经停了布洛芬
    _p(
        r"(?:\bi(?:\s+have|['’]ve)?\s+(?:just\s+)?(?:stopped|quit|finished|came\s+off|went\s+off|got\s+off)(?:\s+taking|\s+using)?"
        rf"|{_I_AM}(?:(?:no\s+longer|not{_ANYMORE})\s+(?:taking|on)|off)|\bi\s+(?:no\s+longer|(?:don't|do\s+not){_ANYMORE})\s+take)"
        rf"\s+(?:my\s+|the\s+)?(?P<value>{DRUGS})\b",
        "medication",
        "mid",
        ended(),
    ),
    _p(
        rf"(?:我|^)(?:现在|已经)?(?:停了|停用了?|停掉了?|{_ZH_NO_LONGER}(?:吃|服用?|用))\s*(?P<value>{ZH_DRUGS}|[^\s，。！？]{{1,8}}?(?:药|片|胶囊))",
        "medication",
        "mid",
        ended(),
    ),
    _p(rf"(?P<value>{ZH_DRUGS})(?:我)?(?:已经)?停(?:了|用了|掉了)", "medication", "mid", ended()),
    # identity, relationships, lasting preferences: long-term
    _p(rf"\bmy\s+name(?:\s+is|'s|’s)\s+{_NAME}", "name", "long"),
    # a name corrected: "My name isn't Carol, it's Cara"
    _p(
        rf"\bmy\s+name(?:\s+isn['’]t|\s+is\s+not|['’]s\s+not)\s+[\w'-]+(?:\s+[\w'-]+)?\s*[,;]?\s*(?:it['’]s|it\s+is|but)\s+{_NAME}",
        "name",
        "long",
    ),
    _p(r"(?:我叫|我的名字是)\s*(?P<value>[^\s，。！？,.!?]{1,10})", "name", "long"),
    _p(rf"\b(?:please\s+)?call\s+me\s+{_NAME}", "preferred_name", "long"),
    _p(
        rf"\b(?:everyone|everybody|people|friends|my\s+friends|most\s+people|they\s+all)\s+(?:just\s+)?calls?\s+me\s+{_NAME}",
        "preferred_name",
        "long",
    ),
    _p(rf"\bi\s+go\s+by\s+{_NAME}", "preferred_name", "long"),
    _p(
        rf"\b(?:i(?:'m|’m|m|\s+am)|my\s+(?P<subject>{RELATIONS})(?:\s+(?-i:[A-Z][a-z]+))?\s+is|(?P<pronoun>she|he)(?:'s|’s|\s+is))\s+(?:very\s+|severely\s+|also\s+)?al+er+g(?:ic|ci)\s+to\s+{_ITEMS}",
        "allergy",
        "long",
        items,
    ),
    _p(
        _WHO_HAS
        + r"(?:(?:very\s+)?(?:mild|severe|serious|bad|slight|strong|deadly|life[- ]threatening|small|minor|major)\s+)?"
        r"(?P<value>(?!(?:an?|the|food|seasonal|skin)\b)[a-z][a-z-]*(?:\s+(?!allerg)[a-z][a-z-]*)?)\s+allerg(?:y|ies)\b",
        "allergy",
        "long",
    ),
    _p(
        _WHO_HAS + rf"(?:[a-z]+\s+)?allerg(?:y|ies)\s+to\s+{_ITEMS}",
        "allergy",
        "long",
        items,
    ),
    _p(
        rf"我(?:的)?(?P<subject>{ZH_RELATIONS})?有\s*(?P<value>(?![很点些])[^\s，。！？,.!?]{{1,8}}?)过敏",
        "allergy",
        "long",
    ),
    _p(
        rf"(?:我(?:的)?(?P<subject>{ZH_RELATIONS})?|(?P<pronoun>[他她]))(?:也|还|都|现在|一直|从小)*(?:对\s*)?"
        rf"(?P<value>(?![有很也都还经容一对不]|{_ZH_FORMERLY})(?:(?<=对)|(?!(?:{ZH_RELATIONS})\s*过敏))[^\s，。！？,.!?有说他她对]{{1,12}}?)\s*过敏",
        "allergy",
        "long",
    ),
    # allergies outgrown: "I'm not allergic to eggs anymore", 我以前对鸡蛋过敏, 我对鸡蛋不过敏了
    _p(rf"{_NO_LONGER_BE}(?:very\s+|severely\s+)?al+er+g(?:ic|ci)\s+to\s+{_ITEMS}", "allergy", "long", ended(items)),
    _p(
        r"\bi\s+(?:have\s+|'ve\s+)?(?:outgrew|outgrown|grew\s+out\s+of|grown\s+out\s+of)\s+(?:my\s+)?"
        r"(?P<value>[a-z][a-z-]*(?:\s+(?!allerg)[a-z][a-z-]*)?)\s+allerg(?:y|ies)\b",
        "allergy",
        "long",
        ended(),
    ),
    _p(
        rf"我(?:的)?(?P<subject>{ZH_RELATIONS})?(?:{_ZH_FORMERLY}(?:也|还)?(?:对\s*)?|(?:现在|已经)?(?:不再对|对\s*(?=[^，。！？]*不过敏了)))"
        r"(?P<value>(?![有很也都还经容一对])[^\s，。！？,.!?有说他她不]{1,12}?)\s*(?:不)?过敏",
        "allergy",
        "long",
        ended(),
    ),
    _p(
        rf"\b(?:i|my\s+(?P<subject>{RELATIONS})(?:\s+(?-i:[A-Z][^\W\d_]+))?)\s+(?:now\s+|currently\s+|still\s+|actually\s+)?(?:live|lives|have\s+lived|has\s+lived|am\s+living|is\s+living)\s+in\s+{_VALUE}",
        "lives_in",
        "long",
    ),
    _p(rf"\bi\s+(?:just\s+|recently\s+)?moved\s+to\s+{_VALUE}", "lives_in", "long", place),
    # an address: "I live at 12 Rue de Rivoli, Paris", "My address is ..." (its city after the last comma
    # is the home city)
    _p(rf"{_ADDRESS_IS}(?P<value>\d+[a-z]?\s+[^.!?;\n]{{3,80}})", "address", "long"),
    _p(
        rf"{_ADDRESS_IS}\d+[a-z]?\s+[^.!?;\n]{{3,60}},\s*(?:\d[\w-]*\s+)?"
        r"(?-i:(?P<value>[A-Z][^\W\d_]+(?:[ -][A-Z][^\W\d_]+)*))\s*[.!]?$",
        "lives_in",
        "long",
    ),
    _p(r"我(?:的|家)?(?:家庭)?(?:地址|住址)是\s*(?P<value>[^，。！？\s]{4,40})", "address", "long"),
    # a home left: "I don't live in Paris anymore", "I moved out of London", 我不住在上海了
    _p(
        rf"\bi\s+(?:(?:no\s+longer|(?:don't|do\s+not){_ANYMORE})\s+live|(?:have\s+|'ve\s+)?moved\s+(?:out\s+of|away\s+from))\s+(?:in\s+)?"
        rf"(?-i:(?=[A-Z])){_VALUE}",
        "lives_in",
        "long",
        ended(),
    ),
    _p(rf"我(?:现在|已经)?(?:不再住在|不住在(?=[^，。！？]*了))\s*{_ZH_VALUE}", "lives_in", "long", ended()),
    _p(
        rf"我(?:的)?(?P<subject>{ZH_RELATIONS})?(?P<gap>[^，。！？\s]{{0,6}}?)(?:住在|搬到了?|搬去了?|家在)\s*{_ZH_VALUE}",
        "lives_in",
        "long",
    ),
    _p(r"(?:我|我们)?[^，。！？\s]{0,8}?搬(?:到|去)\s*[^，。！？\s]{1,12}", "plan_move", "mid", whole),
    _p(rf"\bmy\s+(?:birthday|bday|b-day)(?:'s|\s+is)\s+(?:on\s+)?{_VALUE}", "birthday", "long"),
    _p(rf"(?:^|我的?|[，,\s])生日(?:是|在)\s*{_ZH_VALUE}", "birthday", "long"),
    _p(rf"\bmy\s+native\s+language\s+is\s+{_VALUE}", "native_language", "long"),
    _p(rf"(?:^|我的?|[，,\s])母语是\s*{_ZH_VALUE}", "native_language", "long"),
    # a job, had or taken: "I work at Google as a ...", "My brother works as a chef", "I started a new job
    # at Siemens as an engineer", "I left Google and joined Microsoft as a product manager"
    _p(
        rf"{_WHO}(?:['’]m|\s+am|\s+is)?\s+(?:now\s+|currently\s+|just\s+|recently\s+)?(?:(?:works?|working)(?:\s+(?:at|for)\s+[^,.!?;\n]{{1,30}}?)?"
        r"|(?:started|begun|began)(?:\s+working)?|(?:started|began|got|landed|took)\s+(?:a\s+)?(?:new\s+)?(?:job|position|role)(?:\s+[^,.!?;\n]{1,30}?)?)"
        rf"\s+as\s+(?:an?\s+)?{NOT_HOW}{_VALUE}",
        "occupation",
        "long",
        job,
    ),
    _p(
        rf"\bjoined\s+{NOT_A_NAME}(?-i:[A-Z])[\w&'-]*(?:\s+(?-i:[A-Z])[\w&'-]*){{0,3}}\s+as\s+(?:an?\s+)?{_VALUE}",
        "occupation",
        "long",
        job,
        about_speaker=True,
    ),
    _p(
        rf"\bi\s+(?:just\s+|recently\s+|finally\s+|have\s+|'ve\s+)?(?:became|become)\s+an?\s+{_JOB}",
        "occupation",
        "long",
    ),
    _p(
        rf"(?:{_I_AM}(?:now\s+|finally\s+|officially\s+)?|\bi\s+(?:just\s+|finally\s+|have\s+|'ve\s+)?)(?P<value>retired)\b",
        "occupation",
        "long",
    ),
    # a job left: "I quit my nurse job", "I left my job as a teacher", "I'm no longer a nurse"
    _p(
        rf"\bi\s+(?:just\s+)?(?:quit|left|lost)\s+my\s+(?:job|position|role)\s+as\s+an?\s+{_JOB}",
        "occupation",
        "long",
        ended(),
    ),
    _p(rf"\bi\s+(?:just\s+)?(?:quit|left|lost)\s+my\s+{_JOB}\s+(?:job|position|role)\b", "occupation", "long", ended()),
    _p(rf"{_NO_LONGER_BE}an?\s+{_JOB}", "occupation", "long", ended()),
    _p(
        rf"\b(?:i(?:'m|’m|m|\s+am)|my\s+(?P<subject>{RELATIONS})\s+is|(?P<pronoun>she|he)(?:'s|’s|\s+is))\s+"
        rf"(?:now\s+|currently\s+|also\s+|still\s+|actually\s+|officially\s+|finally\s+)*an?\s+{_JOB}",
        "occupation",
        "long",
    ),
    _p(
        rf"(?:{_ZH_WHO_NOW}|(?P<pronoun>[他她]))(?:已经|也)?是(?:一名|一个|个|名)?\s*{_ZH_JOB}{_ZH_JOB_SAID}",
        "occupation",
        "long",
    ),
    _p(rf"我(?:是一名|是一个|的工作是)\s*{_ZH_VALUE}", "occupation", "long"),
    _p(
        rf"{_ZH_WHO_NOW}(?:在[^，。！？\s]{{1,10}}?)?(?:转行)?(?:做|当)了?\s*{_ZH_JOB}{_ZH_JOB_SAID}",
        "occupation",
        "long",
    ),
    _p(
        rf"{_ZH_WHO_NOW}(?:在[^，。！？\s]{{1,10}}?)?(?:转行)?(?:做|当)了?\s*{_JOB}{_ZH_JOB_SAID}", "occupation", "long"
    ),
    _p(
        rf"我(?:现在|已经)?(?:{_ZH_NO_LONGER}(?:是|当|做)|辞(?:掉|去)了)(?:一名|一个|个|名)?\s*{_ZH_JOB}",
        "occupation",
        "long",
        ended(),
    ),
    # an employer: "I work at Google", 我在Google做software engineer, 我在华为公司上班
    _p(
        rf"{_WHO}(?:['’]m|\s+am|\s+is)?\s+(?:now\s+|currently\s+|still\s+|just\s+|recently\s+)?"
        r"(?:(?:works?|working|started|began)(?:\s+working)?(?:\s+as\s+(?:an?\s+)?[a-z][a-z -]{1,40}?)?\s+(?:at|for)"
        r"|(?:started|began|got|landed|took)\s+(?:a\s+)?(?:new\s+)?(?:job|position|role)"
        r"(?:\s+as\s+(?:an?\s+)?[a-z][a-z -]{1,40}?)?\s+(?:at|with))"
        rf"\s+{NOT_A_NAME}{_COMPANY}",
        "employer",
        "long",
    ),
    # "I joined Microsoft as ...", "I left Google and joined Microsoft": joining, not a club ("joined a book club")
    _p(
        rf"\b(?:(?P<left>left|quit)\s+[^,.!?;\n]{{1,40}}?\s+and\s+(?:then\s+)?)?joined\s+{NOT_A_NAME}{_COMPANY}(?(left)|(?=\s+as\b))",
        "employer",
        "long",
        about_speaker=True,
    ),
    _p(
        rf"我(?:的)?(?P<subject>{ZH_RELATIONS})?(?:现在|目前)?在\s*(?P<value>[A-Za-z][\w&-]*(?:\s+[A-Za-z][\w&-]*)*|{ZH_COMPANIES}"
        r"|(?!一家|一个|某)[^，。！？\s]{1,10}?(?:公司|集团|银行|医院|大学|学院|学校|中学|小学|研究所|研究院))"
        r"\s*(?:做|当|工作|上班|实习)",
        "employer",
        "long",
    ),
    _p(
        rf"(?:^\s*|\bmy\s+)(?:fav|fave|favou?rite)\s+(?P<what>[a-z]+(?:\s+[a-z]+)?)\s+(?:is|=|:)\s*{_VALUE}",
        "favorite",
        "long",
    ),
    _p(rf"(?:^\s*|我)(?:最喜欢|最爱)的\s*(?P<what>[^\s，。！？是的]{{1,4}})\s*是\s*{_ZH_VALUE}", "favorite", "long"),
    _p(
        r"\bi\s+(?:really\s+|just\s+|absolutely\s+)?(?:hate|dislike|detest|can't\s+stand|cannot\s+stand|don't\s+like|do\s+not\s+like)\s+"
        rf"(?!(?:it|that|this|when|how|to|being|you|him|her|them|people|myself|everything|anything|mondays)\b){_VALUE}",
        "dislike",
        "long",
    ),
    _p(
        r"\bi\s+(?:don't|dont|do\s+not|never|no\s+longer)\s+(?:eat|drink)\s+"
        r"(?!(?:it|that|this|anything|much|a\s+lot|enough|after|before|at|in|on|late|out|breakfast|lunch|dinner|"
        r"while|when|until|during|fast|slowly|here|there|with|alone)\b)(?P<value>[a-z][a-z -]{1,40}?)"
        r"(?=$|[.,!?;]|\s+(?:anymore|any\s+more|at\s+all|for|because|since|as|so|but|and\s+i|btw|though|either)\b)",
        "dislike",
        "long",
    ),
    _p(
        r"我(?:很|最|真的|特别|超)?(?:讨厌|不喜欢|不爱吃|不吃)\s*(?P<value>(?![他她它你我这那])"
        rf"(?!{ZH_DRUGS}|[^\s，。！？]{{0,8}}(?:药|片|胶囊))[^\s，。！？,.!?]{{1,8}}?)(?:了|啊|呀)?(?=$|[\s，。！？,.!?])",
        "dislike",
        "long",
    ),
    _p(
        rf"(?:^\s*|\b(?:always|please|pls|from\s+now\s+on,?)\s+)(?:reply|respond|answer|talk|write|speak)\s+(?:to\s+me\s+)?(?:only\s+)?in\s+(?P<value>{LANGUAGES})\b",
        "reply_language",
        "long",
    ),
    _p(
        r"(?:以后|之后|今后)?(?:都|请)?用\s*(?P<value>中文|英文|英语|日语|粤语|法语|韩语)(?:回答|回复|跟我说|和我说|聊)",
        "reply_language",
        "long",
    ),
    _p(
        r"\b(?:keep|make)\s+(?:your\s+|the\s+)?(?:answers|replies|responses)\s+(?:\w+\s+)?(?P<value>short|brief|concise|detailed|simple)\b",
        "reply_style",
        "long",
    ),
    _p(r"(?:回答|回复)[^，。！？]{0,3}?(?P<value>简短|简洁|详细|短)一?(?:点|些)", "reply_style", "long"),
    _p(rf"\bi(?:'m|’m|m|\s+am)\s+(?:about\s+)?{NUM}\s*(?P<unit>cm|m)\s+tall\b", "height", "long", height),
    _p(
        rf"\b(?:i(?:'m|’m|m|\s+am|\s+just\s+turned|\s+turned)|my\s+(?P<subject>{RELATIONS})(?:\s+(?-i:[A-Z][a-z]+))?(?:\s+is|['’]s|\s+just\s+turned|\s+turned))"
        r"\s+(?:now\s+|only\s+|just\s+)?(?P<value>\d{1,3})\s*(?:years?\s+old|yo|y/o)\b",
        "age",
        "long",
    ),
    _p(
        rf"我(?:的)?(?P<subject>{ZH_RELATIONS})?(?:今年|现在|已经)?\s*{ZH_NUM}\s*(?:周)?岁(?=了|啦|$|[，。！？,.!?\s])",
        "age",
        "long",
        zh_count,
    ),
    _p(
        rf"\b(?:i(?:'m|’m|m|\s+am|\s+just\s+turned|\s+turned)|my\s+(?P<subject>{RELATIONS})(?:\s+(?-i:[A-Z][a-z]+))?(?:\s+is|['’]s|\s+just\s+turned|\s+turned))"
        r"\s+(?:now\s+|only\s+|just\s+)?(?P<value>(?(subject)[1-9]\d?|[1-9]\d))(?=\s*(?:$|[.!](?!\d)|now\b|not\b|and\b|but\b|lol|haha|,|btw\b|if\b|today\b))",
        "age",
        "long",
    ),
    _p(
        r"\bi(?:'m|’m|m|\s+am)\s+(?:about\s+)?(?P<ft>[4-7])\s*(?:'|’|ft|foot|feet)\s*(?P<inch>1[01]|\d)?\s*(?:\"|”|in\b|inches)?",
        "height",
        "long",
        feet_and_inches,
    ),
    _p(rf"\bmy\s+height\s+is\s+(?:about\s+)?{NUM}\s*(?P<unit>cm|m)?\b", "height", "long", height),
    _p(rf"身高\s*(?:是|有|为)?\s*{NUM}\s*(?P<unit>厘米|公分|cm|米|m)?", "height", "long", height),
    _p(
        rf"{_I_AM}(?:now\s+|also\s+|still\s+|strictly\s+)*(?:a\s+)?(?P<value>{DIETS})\b",
        "diet_identity",
        "long",
    ),
    _p(
        rf"\b(?:i(?:'m|’m|m|\s+am)|my\s+(?P<subject>{RELATIONS})\s+is)\s+(?P<value>left|right)[- ]?handed\b",
        "handedness",
        "long",
    ),
    _p(rf"我(?:的)?(?P<subject>{ZH_RELATIONS})?(?:也)?是(?P<value>左|右)撇子", "handedness", "long", handed),
    _p(rf"我(?:是|吃)\s*(?P<value>{ZH_DIETS}|素(?![菜的]))", "diet_identity", "long", zh_diet),
    # a diet given up: "I'm no longer vegetarian", "I'm not vegan anymore", 我不再吃素了
    _p(rf"{_NO_LONGER_BE}(?:a\s+)?(?P<value>{DIETS})\b", "diet_identity", "long", ended()),
    _p(
        rf"我(?:现在|已经)?{_ZH_NO_LONGER}(?:是|吃)\s*(?P<value>{ZH_DIETS}|素(?![菜的]))",
        "diet_identity",
        "long",
        ended(zh_diet),
    ),
    _p(
        rf"\b(?:my|our)\s+(?:(?:little|older|younger|big|new|old|best|\d|two|three)\s+)?(?P<what>{RELATIONS})(?:s?'s\s+name\s+is|\s+is\s+(?:called|named)|s\s+are\s+(?:called|named))\s+{_NAME_LIST}",
        "relation",
        "long",
        items,
    ),
    _p(
        rf"{_WE_HAVE}(?:an?|two|three|\d)\s+(?P<what>{RELATIONS})s?(?:\s+(?:called|named)\s+|\s*[,:]\s*(?=(?-i:[A-Z])))"
        rf"{_NAME_LIST}",
        "relation",
        "long",
        items,
    ),
    # the pets after the first: "I have a dog named Rex and a cat named Luna"
    _p(
        rf"{_WE_HAVE}(?:(?:an?|two|three|\d)\s+[a-z]+\s+(?:called|named)\s+[\w'-]+(?:\s+and\s+(?-i:[A-Z])[\w'-]*)?(?:,\s*|,?\s+and\s+))+"
        rf"(?:an?|two|three|\d)\s+(?P<what>{RELATIONS})s?\s+(?:called|named)\s+{_NAME_LIST}",
        "relation",
        "long",
    ),
    _p(
        rf"\b(?:my|our)\s+(?:new\s+)?(?P<what>{RELATIONS})\s+is\s+{NOT_A_NAME}{NATIONALITIES}"
        r"(?-i:(?P<value>[A-Z][^\W\d_]+(?:['-][^\W\d_]+)?))(?=\s*(?:$|[.,!;]|and\b|now\b|btw\b|lol\b|haha\b))",
        "relation",
        "long",
    ),
    # a lasting health condition, or several kept whole as allergies are: "I have asthma", "my dad has
    # type 2 diabetes", "I have asthma and eczema", "I have a dog and asthma", 我有高血压, 我被确诊为糖尿病,
    # 我爸有糖尿病和高血压 (a cold or "anxiety about" a day is none: "I have asthma and a cold" is asthma)
    _p(
        rf"{_WHO}(?:\s+(?:have|has|(?:have|has)\s+got|got|suffers?\s+from|lives?\s+with)|['’](?:ve|s)\s+got)\s+"
        rf"(?:(?:an?|two|three|\d)\s+(?:{RELATIONS})s?,?\s+and\s+)?"
        rf"(?:(?:mild|severe|chronic|bad|also)\s+)?{_CONDITION_LIST}(?!\s+(?:about|over|before|for)\b)",
        "condition",
        "long",
        items,
    ),
    _p(
        rf"我(?:的)?(?P<subject>{ZH_RELATIONS})?(?:也|还|一直)?(?:有|得了|患有|患了|(?:被)?确诊(?:为|了|患有)?)\s*"
        rf"{_ZH_CONDITION_LIST}",
        "condition",
        "long",
    ),
    # a diagnosis: "I was diagnosed with ADHD"; a list of known conditions is kept whole by the rule
    # after it, which wins ("I was diagnosed with ADHD and anxiety")
    _p(
        rf"{_WHO}\s+(?:was|were|has\s+been|have\s+been|['’]ve\s+been|got|just\s+got)\s+(?:just\s+|recently\s+|finally\s+)?"
        rf"diagnosed\s+with\s+(?!(?:covid|the\s+flu|flu|an?)\b){_VALUE}",
        "condition",
        "long",
    ),
    _p(
        rf"{_WHO}\s+(?:was|were|has\s+been|have\s+been|['’]ve\s+been|got|just\s+got)\s+(?:just\s+|recently\s+|finally\s+)?"
        rf"diagnosed\s+with\s+(?P<value>(?:{CONDITIONS})\b(?:{_MORE_CONDITIONS})+)",
        "condition",
        "long",
        items,
    ),
    # a condition over, or several: "I no longer have asthma", "I no longer have asthma or eczema", "I don't
    # have eczema anymore", "I've recovered from depression", "my asthma is gone", 我的哮喘已经好了,
    # 我不再有偏头痛, 我不再有哮喘和湿疹
    _p(
        rf"{_WHO}(?:\s+no\s+longer\s+(?:have|has|suffers?\s+from)|\s+(?:do|does)\s*(?:n['’]?t|\s+not)\s+"
        rf"(?:have|suffer\s+from){_ANYMORE}|(?:\s+(?:have|has)|['’]ve)\s+(?:fully\s+|finally\s+)?recovered\s+from|"
        rf"(?:\s+(?:am|is|was|got)|['’]m)\s+(?:fully\s+|finally\s+)?cured\s+of)\s+(?:my\s+|his\s+|her\s+)?"
        rf"{_CONDITION_LIST}",
        "condition",
        "long",
        ended(items),
    ),
    _p(
        rf"\bmy\s+{_CONDITION_LIST}\s+(?:is|are|has|have)\s+(?:now\s+|finally\s+|completely\s+)?(?:gone(?:\s+away)?|cured|been\s+cured)\b",
        "condition",
        "long",
        ended(items),
    ),
    _p(
        rf"我(?:的)?{_ZH_CONDITION_LIST}(?:都)?(?:已经|终于|完全)*(?:好了|治好了|痊愈了|康复了)",
        "condition",
        "long",
        ended(),
    ),
    _p(rf"我(?:已经)?不再(?:有|患有)\s*{_ZH_CONDITION_LIST}", "condition", "long", ended()),
    # married or not: "I'm divorced", "we got married", "I'm not married anymore", 我离婚了, 我单身
    _p(
        rf"{_I_AM}(?:now\s+|happily\s+|recently\s+|newly\s+|still\s+|officially\s+)*(?P<value>married|divorced|separated|widowed|single)"
        r"(?![-\w])(?!\s+(?:to\s+(?:my\s+)?(?:job|work)|from\s+(?:the|my\s+(?:team|group|friends|family)))\b)",
        "marital_status",
        "long",
    ),
    _p(
        rf"\b(?:i|we|my\s+(?:{PARTNERS})\s+and\s+i|(?-i:[A-Z])[^\W\d_]+\s+and\s+i)(?:\s+(?:just\s+|recently\s+|finally\s+|officially\s+)?"
        r"(?:got|have\s+been|are)|['’](?:ve\s+been|re))\s+(?:now\s+)?(?P<value>married|divorced|separated)\b",
        "marital_status",
        "long",
        marital,
    ),
    _p(r"\bi\s+(?:just\s+)?(?P<value>divorced)\s+my\b", "marital_status", "long", marital),
    _p(rf"{_NO_LONGER_BE}(?P<value>married)\b", "marital_status", "long", ended()),
    _p(
        r"我(?:们)?(?:现在|目前|已经|刚刚?|早就?|也|还是)?(?:是)?(?P<value>结婚|离婚|离异|单身|丧偶|已婚)(?=了|多年|[，。！？,.!?\s]|$)",
        "marital_status",
        "long",
        marital,
    ),
    # a partner named without their gender: "I'm dating Sophie", "I'm married to Sam", 我在和小李交往; its
    # key is the partner word the message says (girlfriend, husband ...), else partner (extract)
    _p(
        rf"(?:{_I_AM}(?:now\s+|currently\s+|also\s+|happily\s+)*(?:dating|married\s+to|engaged\s+to|in\s+a\s+relationship\s+with|going\s+out\s+with)"
        r"|\bi(?:\s+have|['’]ve|\s+(?:just\s+)?started)\s+(?:been\s+)?(?:dating|going\s+out\s+with)|\bi\s+(?:just\s+)?married)\s+"
        rf"{NOT_A_NAME}{_NAMED}",
        "partner",
        "long",
    ),
    _p(
        # 我和小王分手了，现在和小李在一起: the clause after a comma is the speaker's; 在一起 ends it
        # ("我和小李在一起吃饭" is a meal)
        rf"(?:我|^)(?:现在|目前)?(?:在|正在)?(?:和|跟)(?P<value>(?![他她你我]|(?:{ZH_RELATIONS}|大家|家人|同学)(?:们)?(?:在|谈|交|约))[^\s，。！？,.!?]{{1,4}}?)(?:在)?"
        r"(?:谈恋爱|交往|约会|在一起(?:了)?(?=[\s，。！？,.!?]|$))",
        "partner",
        "long",
    ),
    # a partner gone, their gender unsaid: "Emma and I split up", "we broke up", 我和小李分手了
    _p(
        r"(?:\b(?:we|i)|(?-i:[A-Z])[^\W\d_]+\s+and\s+i)\s+(?:just\s+|have\s+|['’]ve\s+|finally\s+)?"
        r"(?:broke\s+up|split\s+up|separated|are\s+no\s+longer\s+together|(?:are\s+not|aren['’]t)\s+together\s+any\s*more)\b"
        rf"(?!\s+(?:with|from)\s+my\s+(?:{PARTNERS})\b)",
        "partner",
        "long",
        ended_partner,
    ),
    _p(
        rf"\bmy\s+(?P<what>{PARTNERS})(?:\s+(?-i:[A-Z])[^\W\d_]+)?\s+and\s+i\s+(?:just\s+)?(?:broke\s+up|split\s+up|separated|got\s+divorced)\b",
        "relation",
        "long",
        ended_relation,
    ),
    _p(
        rf"我(?:和|跟)(?!(?:我的?)?(?:{ZH_PARTNERS}))(?![他她])[^\s，。！？,.!?]{{1,4}}?(?:已经)?分手",
        "partner",
        "long",
        ended_partner,
    ),
    # a pet or partner gone: "I don't have a cat anymore", "our dog died", "I broke up with my boyfriend"
    _p(
        rf"\b(?:i|we)\s+(?:no\s+longer|(?:don't|do\s+not){_ANYMORE})\s+have\s+(?:an?|my|our|the)\s+(?P<what>{PETS}|{PARTNERS})\b",
        "relation",
        "long",
        ended_relation,
    ),
    _p(
        rf"\b(?:my|our)\s+(?:(?:old|sweet|poor|little|beloved)\s+)?(?P<what>{PETS})\s+(?:(?-i:[A-Z])\w+\s+)?(?:just\s+|recently\s+)?"
        r"(?:died|passed\s+away|passed|ran\s+away)\b",
        "relation",
        "long",
        ended_relation,
    ),
    _p(
        r"\b(?:i|we)\s+(?:just\s+)?(?:(?:broke\s+up|split\s+up|split|separated)\s+(?:with|from)|divorced|left)"
        rf"\s+my\s+(?P<what>{PARTNERS})\b",
        "relation",
        "long",
        ended_relation,
    ),
    _p(
        rf"我(?:们)?(?:的|家的?)?(?P<what>{ZH_PETS})[^，。！？\s]{{0,4}}?(?:已经)?(?:去世|死|病死|走丢|丢)了",
        "relation",
        "long",
        ended_relation,
    ),
    _p(rf"我(?:们|家)?(?:已经|现在)?{_ZH_NO_LONGER}养(?P<what>{ZH_PETS})", "relation", "long", ended_relation),
    _p(rf"我(?:和|跟)(?:我的?)?(?P<what>{ZH_PARTNERS})(?:已经)?(?:分手|离婚|分开)", "relation", "long", ended_relation),
    _p(
        rf"\b(?:my|our)\s+(?P<what>{RELATIONS})\s+{NOT_A_NAME}(?-i:(?P<value>[A-Z][^\W\d_]+(?:['-][^\W\d_]+)?))(?!\s+(?-i:[A-Z]))\b"
        r"(?!\s+(?:just\s+|recently\s+)?(?:died|passed|ran\s+away)|\s+and\s+i\s+(?:just\s+)?(?:broke|split|separated|got\s+divorced))",
        "relation",
        "long",
    ),
    _p(
        rf"(?:我|我们|我家)(?:家)?养了?(?:一|两)?(?:只|条)[^\s，。！？叫]{{1,4}}?[，,]?\s*叫\s*{_ZH_VALUE}",
        "pet_name",
        "long",
    ),
    _p(rf"我(?:的|家)?(?P<what>{ZH_RELATIONS}|猫咪|狗狗|小狗|小猫)(?:的名字)?叫\s*{_ZH_VALUE}", "relation", "long"),
)
