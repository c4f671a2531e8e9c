"""Rules for health: medication and its doses (mid-term), allergies and lasting conditions (long-term),
had and over.
"""

from __future__ import annotations

import re

from .fact_patterns_common import (
    ANYMORE,
    I_AM,
    KIN_WORD,
    NO_LONGER_BE,
    SAID_AS_MANY,
    VALUE,
    WHO,
    ZH_NO_LONGER,
    Pattern,
    rule,
)
from .fact_values import NUM, diagnosis, ended, items, zh_dose
from .fact_words import CONDITION_ADJECTIVES, CONDITIONS, DRUGS, RELATIONS, ZH_CONDITIONS, ZH_DRUGS, ZH_RELATIONS

_ITEMS = r"(?!(?:nothing|anything|none|everything|something)\b)(?P<value>[^.!?;\n。！？；]{2,80})"
_MORE_CONDITIONS = rf"(?:\s*[,/]\s*|,?\s+(?:and|or|&|plus)\s+)(?:(?:mild|severe|chronic|bad)\s+)?(?:{CONDITIONS})\b"
"""A health condition after another in a list: ", high blood pressure", " and eczema", " or mild eczema"."""
_CONDITION_LIST = rf"(?P<value>(?:{CONDITIONS})\b(?:{_MORE_CONDITIONS})*)"
"""One health condition or several, kept whole as allergies are ("asthma and eczema"): a word
not of :data:`CONDITIONS` ends the list ("asthma and a cold": asthma)."""
_ZH_CONDITION_LIST = rf"(?P<value>(?:{ZH_CONDITIONS})(?:\s*(?:和|跟|与|及|以及|还有|、)\s*(?:{ZH_CONDITIONS}))*)"
"""One health condition or several, as Chinese lists them (高血压和糖尿病, 高血压、糖尿病和痛风)."""
_ADJECTIVES = sorted(CONDITION_ADJECTIVES, key=lambda w: (-len(w), w))
_ADJECTIVE = "|".join(word.replace(" ", "[- ]") for word in _ADJECTIVES)
_ADJECTIVE_LIST = (
    rf"(?P<value>(?:type\s+(?:1|2|one|two)\s+)?(?:{_ADJECTIVE})"
    rf"(?:(?:\s*,\s*|,?\s+(?:and|&)\s+)(?:{_ADJECTIVE}))*)(?![\w-])"
)
"""A condition said as what one is, or several ("diabetic", "a type 2 diabetic", "asthmatic and
epileptic"); not a word it begins ("diabetic-friendly recipes")."""
_ADJECTIVE_SAID = re.compile(rf"\b(?:{'|'.join(_ADJECTIVES)})\b")
_WHO_IS = (
    rf"(?:{I_AM}|\b(?:my|our)\s+(?:{KIN_WORD}\s+)?(?P<subject>{RELATIONS})(?:\s+(?-i:[A-Z][a-z]+))?(?:\s+is|['’]s)\s+"
    rf"|\b(?:my|our)\s+(?:{KIN_WORD}\s+)?(?P<several>{RELATIONS}){SAID_AS_MANY}\s+are\s+(?:both\s+|all\s+)?"
    r"|\b(?P<pronoun>she|he)(?:['’]s|\s+is)\s+)"
)
"""The speaker or a relation who is something: "I'm", "my son is", "my sister Ana's", "she is", "my
kids are (both)": ``several`` names them."""


def _condition_said_as(match: re.Match[str]) -> str:
    """Conditions said as what one is, written as the conditions one has (:data:`CONDITION_ADJECTIVES`):
    "a type 2 diabetic" -> "type 2 diabetes", "asthmatic and epileptic" -> "asthma and epilepsy"."""
    said = re.sub(r"\s+", " ", items(match).casefold().replace("-", " "))
    return _ADJECTIVE_SAID.sub(lambda m: CONDITION_ADJECTIVES[m.group()], said)


_WHO_HAS = (
    rf"\b(?:i|(?:my|our)\s+(?P<subject>{RELATIONS})(?:\s+(?-i:[A-Z][a-z]+))?)"
    r"(?:\s+(?:also\s+|still\s+)?(?:have|has|got)|['’]ve\s+(?:also\s+)?got|['’]ve)\s+(?:an?\s+)?"
)
"""The speaker or a relation who has something: "I have a", "my son has an", "I've got a", "my son also has"."""
_DIAGNOSED = (
    r"(?:\s+(?:was|were|has\s+been|have\s+been|got|just\s+got)|['’](?:ve|s)\s+been)\s+(?:just\s+|recently\s+|finally\s+)?"
    r"diagnosed\s+with\s+"
)
"""Said after who: a diagnosis had ("was diagnosed with", "I've been diagnosed with", "got diagnosed with")."""
_ZH_COUNT = r"[一两二三四五六七八九十半几\d]+"
"""How many tablets (每天吃一片阿司匹林): no drug's name."""
_WHO_TAKES = (
    rf"(?:\bi(?:'m|’m|m|\s+am|(?:['’]ve|\s+have)\s+been)?\s+|^\W*(?=(?:currently|still|now|taking)\b)|\b(?:put|started|switched)\s+me\s+(?:over\s+)?(?=(?:on|to)\b)"
    r"|(?:\bi\s+|^\W*)(?:have\s+to|need\s+to|must|got\s+to|gotta|(?:['’]ve|\s+have)\s+got\s+to)\s+(?=take\b)"
    rf"|\b(?:my|our)\s+(?:{KIN_WORD}\s+)?(?P<subject>{RELATIONS})(?:\s+(?-i:[A-Z][a-z]+))?\s+(?:is\s+|has\s+been\s+)?)"
)
"""Who takes a drug: the speaker ("I take", "I've been on", a clause that starts "currently taking", "my
doctor put me on", "I have to take", "gotta take") or a relation ("my dad takes", "my mom is on")."""
_ZH_FORMERLY = r"(?:以前|之前|原来|曾经|过去|小时候)"
"""Formerly, and so no longer: 我以前对鸡蛋过敏."""

MEDICATION_PATTERNS: tuple[Pattern, ...] = (
    rule(
        rf"\bi(?:'m|’m|m|\s+am)\s+(?:currently\s+)?(?:on|taking)\s+(?:a\s+)?{VALUE}\s+(?:diet|medication|pills?|antibiotics)",
        "regimen",
        "mid",
    ),
    rule(
        rf"{_WHO_TAKES}(?:also\s+|still\s+|now\s+|currently\s+)*(?:takes?|taking|on|to|started(?:\s+taking)?|switched\s+(?:over\s+)?to)\s+(?P<value>{DRUGS})\b"
        rf"(?!(?:\s*\d[\d.,]*\s*(?:mg|mcg|µg|ml|iu)\b)?\s+(?:for\s+(?:(?:my|our)\s+(?:{KIN_WORD}\s+)?(?:{RELATIONS})s?|his|her|the)|again)\b)",
        "medication",
        "mid",
    ),
    rule(
        rf"\bi(?:'m|’m|m|\s+am)?\s+(?:also\s+|still\s+|now\s+)?(?:take|taking|on)\s+(?P<value>{NUM}\s*(?:mg|mcg|µg|ml|iu)\s+(?:of\s+)?[a-z][a-z-]+)",
        "medication",
        "mid",
    ),
    rule(
        rf"\bi(?:'m|’m|m|\s+am)?\s+(?:also\s+|still\s+|now\s+|currently\s+)*(?:take|taking|on)\s+(?P<value>(?!(?:a|an|the|my|about|around)\b)[a-z][a-z-]+\s+{NUM}\s*(?:mg|mcg|µg|ml|iu)\b)(?!\s+for\s+(?:my|our|his|her|the)\b)",
        "medication",
        "mid",
    ),
    rule(
        rf"\b(?:upped|raised|increased|lowered|reduced|cut|changed|bumped|dropped)\s+my\s+(?P<drug>[a-z][a-z-]+)\s+(?:dose\s+)?(?:up\s+|down\s+)?to\s+(?P<dose>{NUM}\s*(?:mg|mcg|µg|ml|iu))\b",
        "medication",
        "mid",
        lambda m: f"{m['drug']} {m['dose']}",
    ),
    rule(
        rf"(?:我(?:的)?(?P<subject>{ZH_RELATIONS})?|^)(?:现在|这周|这几天|最近|目前)?(?:在|正在|每天|一直)(?:吃|服用?|用)\s*"
        rf"(?:{_ZH_COUNT}\s*(?:片|粒|颗|支|袋)\s*)?(?P<value>{ZH_DRUGS}|(?!{_ZH_COUNT}\s*[片粒颗])[^\s，。！？]{{1,8}}?(?:药|片|胶囊))"
        rf"(?:[，,]?\s*(?:每天|每日|一天|每次|一次)?\s*(?:吃|服用?)?\s*{NUM}\s*(?P<unit>毫克|微克|克|毫升|mg|mcg|g|ml))?",
        "medication",
        "mid",
        zh_dose,
    ),
    # a dose changed: "医生把二甲双胍加到每天1000毫克"
    rule(
        rf"把\s*(?:我的?)?(?P<value>{ZH_DRUGS})\s*(?:的(?:剂)?量)?\s*(?:增加|加|减少|减|降低?|调整?|改|提高?|升|换)量?(?:到|至|成|为)"
        rf"\s*(?:每天|每日|一天|每次|一次)?\s*{NUM}\s*(?P<unit>毫克|微克|克|毫升|mg|mcg|g|ml)",
        "medication",
        "mid",
        zh_dose,
        about_speaker=True,
    ),
    # medication stopped: "I stopped taking ibuprofen", "I'm off sertraline now", 我已经停了布洛芬
    rule(
        r"(?:\bi(?:\s+have|['’]ve)?\s+(?:just\s+)?(?:stopped|quit|finished|came\s+off|went\s+off|got\s+off)(?:\s+taking|\s+using)?"
        rf"|{I_AM}(?:(?:no\s+longer|not{ANYMORE})\s+(?:taking|on)|off)|\bi\s+(?:no\s+longer|(?:don't|do\s+not){ANYMORE})\s+take)"
        rf"\s+(?:my\s+|the\s+)?(?P<value>{DRUGS})\b",
        "medication",
        "mid",
        ended(),
    ),
    rule(
        rf"(?:我|^)(?:现在|已经)?(?:停了|停用了?|停掉了?|{ZH_NO_LONGER}(?:吃|服用?|用))\s*(?P<value>{ZH_DRUGS}|[^\s，。！？]{{1,8}}?(?:药|片|胶囊))",
        "medication",
        "mid",
        ended(),
    ),
    rule(rf"(?P<value>{ZH_DRUGS})(?:我)?(?:已经)?停(?:了|用了|掉了)", "medication", "mid", ended()),
)
"""A diet or course taken, a drug and its dose, a dose changed, a drug stopped."""

ALLERGY_PATTERNS: tuple[Pattern, ...] = (
    # the allergy said after the one denied: "I'm not allergic to peanuts, just tree nuts"
    rule(
        r"\b(?:i(?:'m|’m|m|\s+am)|(?:my|our)\s+(?P<subject>"
        + RELATIONS
        + r")\s+is)\s+not\s+allergic\s+to\s+[^.!?;,\n]{2,40}?"
        r"[,;]?\s+(?:just|only|but|only\s+to|just\s+to|but\s+to)\s+(?:to\s+)?(?P<value>[^.!?;\n]{2,60})",
        "allergy",
        "long",
        items,
    ),
    rule(
        rf"(?:{_WHO_IS}|^\W*(?:(?:oh|and|also|btw|ps|fyi)\W+)*)(?:very\s+|severely\s+|also\s+)?al+er+g(?:ic|ci)\s+to\s+"
        rf"{_ITEMS}",
        "allergy",
        "long",
        items,
    ),
    rule(
        _WHO_HAS
        + r"(?:(?:very\s+)?(?:mild|severe|serious|bad|slight|strong|deadly|life[- ]threatening|small|minor|major)\s+)?"
        r"(?P<value>(?!(?:an?|the|food|seasonal|skin)\b)[a-z][a-z-]*(?:\s+(?!allerg)[a-z][a-z-]*)?)\s+allerg(?:y|ies)\b",
        "allergy",
        "long",
    ),
    rule(
        _WHO_HAS + rf"(?:[a-z]+\s+)?allerg(?:y|ies)\s+to\s+{_ITEMS}",
        "allergy",
        "long",
        items,
    ),
    rule(
        rf"我(?:的)?(?P<subject>{ZH_RELATIONS})?有\s*(?P<value>(?![很点些])[^\s，。！？,.!?]{{1,8}}?)过敏",
        "allergy",
        "long",
    ),
    rule(
        rf"(?:我(?:的)?(?P<subject>{ZH_RELATIONS})?|(?P<pronoun>[他她]))(?:也|还|都|现在|一直|从小)*(?:对\s*)?"
        rf"(?P<value>(?![有很也都还经容一对不]|{_ZH_FORMERLY})(?:(?<=对)|(?!(?:{ZH_RELATIONS})\s*过敏))[^\s，。！？,.!?有说他她对]{{1,12}}?)\s*过敏",
        "allergy",
        "long",
    ),
    # allergies outgrown: "I'm not allergic to eggs anymore", 我以前对鸡蛋过敏, 我对鸡蛋不过敏了
    rule(rf"{NO_LONGER_BE}(?:very\s+|severely\s+)?al+er+g(?:ic|ci)\s+to\s+{_ITEMS}", "allergy", "long", ended(items)),
    rule(
        r"\bi\s+(?:have\s+|'ve\s+)?(?:outgrew|outgrown|grew\s+out\s+of|grown\s+out\s+of)\s+(?:my\s+)?"
        r"(?P<value>[a-z][a-z-]*(?:\s+(?!allerg)[a-z][a-z-]*)?)\s+allerg(?:y|ies)\b",
        "allergy",
        "long",
        ended(),
    ),
    rule(
        rf"我(?:的)?(?P<subject>{ZH_RELATIONS})?(?:{_ZH_FORMERLY}(?:也|还)?(?:对\s*)?|(?:现在|已经)?(?:不再对|对\s*(?=[^，。！？]*不过敏了)))"
        r"(?P<value>(?![有很也都还经容一对])[^\s，。！？,.!?有说他她不]{1,12}?)\s*(?:不)?过敏",
        "allergy",
        "long",
        ended(),
    ),
)
"""Allergies, had and outgrown."""

CONDITION_PATTERNS: tuple[Pattern, ...] = (
    # a condition said as what one is: "I'm diabetic", "I'm a type 2 diabetic", "my son is autistic",
    # "I'm lactose intolerant" (the condition, as "I have diabetes" writes it); "I'm not diabetic" says
    # nothing, as "I don't have diabetes" does
    rule(
        rf"{_WHO_IS}(?:(?:also|still|now|actually|really|mildly|slightly|severely)\s+)?(?:an?\s+)?{_ADJECTIVE_LIST}",
        "condition",
        "long",
        _condition_said_as,
    ),
    rule(  # before the relation: "I cook for my diabetic dad", "my autistic son"
        rf"\bmy\s+(?:{KIN_WORD}\s+)?{_ADJECTIVE_LIST}\s+(?P<subject>{RELATIONS})\b",
        "condition",
        "long",
        _condition_said_as,
    ),
    rule(
        rf"(?:{NO_LONGER_BE}|\b(?:my|our)\s+(?:{KIN_WORD}\s+)?(?P<subject>{RELATIONS})\s+is\s+(?:no\s+longer|not{ANYMORE})\s+)"
        rf"(?:an?\s+)?{_ADJECTIVE_LIST}",
        "condition",
        "long",
        ended(_condition_said_as),
    ),
    # a lasting health condition, or several kept whole as allergies are: "I have asthma", "my dad has
    # type 2 diabetes", "I have asthma and eczema", "I have a dog and asthma", 我有高血压, 我被确诊为糖尿病,
    # 我爸有糖尿病和高血压 (a cold or "anxiety about" a day is none: "I have asthma and a cold" is asthma)
    rule(
        rf"{WHO}(?:\s+(?:also\s+|still\s+)?(?:have|has|(?:have|has)\s+got|got|suffers?\s+from|lives?\s+with)"
        rf"|['’](?:ve|s)\s+(?:also\s+)?got)\s+(?:(?:an?|two|three|\d)\s+(?:{RELATIONS})s?,?\s+and\s+)?"
        rf"(?:(?:mild|severe|chronic|bad|also)\s+)?{_CONDITION_LIST}(?!\s+(?:about|over|before|for)\b)",
        "condition",
        "long",
        items,
    ),
    # a condition said as one's own: "metformin for my diabetes", "my asthma is acting up", "my dad's
    # arthritis"; not "my anxiety is over the top" (a mood), "my migraines have gone away" (ended)
    rule(
        rf"\b(?:my|our)\s+(?:(?:{KIN_WORD}\s+)?(?P<subject>{RELATIONS})['’]s\s+)?(?:(?:mild|severe|chronic|bad)\s+)?"
        rf"(?!anxiety\b)(?P<value>{CONDITIONS})\b(?!\s+(?:about|over|before)\b)"
        r"(?![^.!?]*\b(?:gone|went\s+away|cured|healed|disappeared|cleared\s+up|no\s+longer|any\s*more)\b)",
        "condition",
        "long",
    ),
    rule(
        rf"我(?:的)?(?P<subject>{ZH_RELATIONS})?(?:也|还|一直)?(?:有|得了|患有|患了|(?:被)?确诊(?:为|了|患有)?)\s*"
        rf"{_ZH_CONDITION_LIST}",
        "condition",
        "long",
    ),
    # a reading said high or low: "My blood pressure is a bit high" is high blood pressure, "my dad's
    # cholesterol is high" his (not "was high this morning", one day's reading)
    rule(
        rf"\b(?:my|our)\s+(?:(?:{KIN_WORD}\s+)?(?P<subject>{RELATIONS})['’]s\s+)?"
        r"(?P<reading>blood\s+pressure|blood\s+sugar|cholesterol)\s+(?:is|has\s+been|['’]s)\s+(?:always\s+|still\s+)?"
        r"(?:(?:a\s+)?(?:bit|little|slightly|quite|pretty|really|very|too|kind\s+of|kinda|a\s+little\s+bit)\s+)*"
        r"(?P<level>high|low)\b(?![^.!?]*\b(?:today|this\s+morning|yesterday|tonight)\b)",
        "condition",
        "long",
        lambda m: f"{m['level']} {' '.join(m['reading'].lower().split())}",
    ),
    # a reading said high or low: 我血压有点高 is 高血压, 我爸血糖偏高 his 高血糖 (a word of how high is said: not
    # 我的血压高吗？ asked, nor 今天血压高, one day's)
    rule(
        rf"^\W*我(?:的)?(?P<subject>{ZH_RELATIONS})?(?:的)?(?P<reading>血压|血糖|血脂|胆固醇|尿酸)"
        r"(?:一直|有点儿?|有些|比较|偏|很|太|一直都)+(?P<level>高|低)(?!于|了点|吗|么|嘛|不)",
        "condition",
        "long",
        lambda m: f"{m['level']}{m['reading']}",
    ),
    # a condition said as what one is: 我是糖尿病患者, 我乳糖不耐受
    rule(
        rf"我(?:的)?(?P<subject>{ZH_RELATIONS})?(?:也|还|一直)?(?:是\s*)?{_ZH_CONDITION_LIST}(?:(?<=不耐受)|\s*(?:患者|病人))",
        "condition",
        "long",
    ),
    # a diagnosis: "I was diagnosed with ADHD"; a list of known conditions is kept whole by the rule
    # after it, which wins ("I was diagnosed with ADHD and anxiety")
    rule(
        rf"{WHO}{_DIAGNOSED}(?!(?:covid|the\s+flu|flu|an?)\b){VALUE}",
        "condition",
        "long",
        diagnosis,
    ),
    rule(
        rf"{WHO}{_DIAGNOSED}(?P<value>(?:{CONDITIONS})\b(?:{_MORE_CONDITIONS})+)",
        "condition",
        "long",
        items,
    ),
    # a condition over, or several: "I no longer have asthma", "I no longer have asthma or eczema", "I don't
    # have eczema anymore", "I've recovered from depression", "my asthma is gone", 我的哮喘已经好了,
    # 我不再有偏头痛, 我不再有哮喘和湿疹
    rule(
        rf"{WHO}(?:\s+no\s+longer\s+(?:have|has|suffers?\s+from)|\s+(?:do|does)\s*(?:n['’]?t|\s+not)\s+"
        rf"(?:have|suffer\s+from){ANYMORE}|(?:\s+(?:have|has)|['’]ve)\s+(?:fully\s+|finally\s+)?recovered\s+from|"
        rf"(?:\s+(?:am|is|was|got)|['’]m)\s+(?:fully\s+|finally\s+)?cured\s+of)\s+(?:my\s+|his\s+|her\s+)?"
        rf"{_CONDITION_LIST}",
        "condition",
        "long",
        ended(items),
    ),
    rule(
        rf"\bmy\s+{_CONDITION_LIST}\s+(?:is|are|has|have)\s+(?:now\s+|finally\s+|completely\s+)?(?:gone(?:\s+away)?|cured|been\s+cured)\b",
        "condition",
        "long",
        ended(items),
    ),
    rule(
        rf"我(?:的)?{_ZH_CONDITION_LIST}(?:都)?(?:已经|终于|完全)*(?:好了|治好了|痊愈了|康复了)",
        "condition",
        "long",
        ended(),
    ),
    rule(rf"我(?:已经)?不再(?:有|患有)\s*{_ZH_CONDITION_LIST}", "condition", "long", ended()),
)
"""Lasting health conditions and diagnoses, had and over."""
