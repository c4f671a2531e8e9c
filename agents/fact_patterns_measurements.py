"""Rules for measurements of changing values (weight, sleep, blood pressure, a run, body temperature,
blood sugar, heart rate, steps): mid-term facts, each a new version.
"""

from __future__ import annotations

import re

from .fact_patterns_common import Pattern, rule
from .fact_values import (
    NUM,
    WEIGHT_UNIT,
    ZH_NUM,
    blood_pressure,
    count,
    measure,
    reading,
    zh_count,
    zh_measure,
    zh_temperature,
)
from .number_words import WORD_NUM, words_measure


def thousands(match: re.Match[str]) -> str:
    """A count, in thousands where a "k" follows it ("8k steps" -> "8000")."""
    said = count(match)
    return f"{float(said) * 1000:g}" if match["k"] else said


MEASUREMENTS = frozenset(
    {"weight", "sleep", "blood_pressure", "run_distance", "body_temperature", "blood_sugar", "heart_rate", "steps"}
)
"""Attributes whose facts are measurements of a changing value: mid-term by definition."""

_WHEN = r"(?:\s+(?:this\s+(?:morning|evening|week)|today|tonight|yesterday|now))?"
"""When a reading was taken, said between its name and its value ("my weight this morning: 91.2kg")."""
_HEIGHT_AND = r"(?:\d['’]\s*\d{1,2}(?:\"|''|’’)?|\d(?:\.\d+)?\s*m|\d{3}\s*cm)\s*(?:,|and|&)\s*"
"""A height said before a weight ("I'm 5'9 and 160 lbs", "I'm 180cm, 80kg")."""
_ABOUT = r"(?:about\s+|around\s+|roughly\s+|under\s+|below\s+)?"
GOAL_WEIGHT_PATTERNS: tuple[Pattern, ...] = (
    # the weight the speaker aims for: "my goal weight is 65 kg", "goal is 65 kg", "I want to get down
    # to 150 lbs", "I'm aiming for 65 kg", 我的目标体重是65公斤, 我想减到60公斤
    rule(
        r"\b(?:(?:my|our)\s+)?(?:(?:goal|target|ideal|dream)\s+weight|weight\s+(?:goal|target)|goal|target)"
        r"\s*(?:is|:)\s*(?:to\s+(?:get\s+(?:back\s+)?(?:down\s+)?to|reach|hit|weigh|be(?:\s+at)?)\s+)?"
        rf"{_ABOUT}{NUM}{WEIGHT_UNIT}(?![a-z])",
        "goal_weight",
        "mid",
        measure,
        about_speaker=True,
    ),
    rule(
        r"\b(?:i|and)(?:\s+(?:want|hope|plan|need)|['’]m\s+(?:trying|hoping|planning)|\s+am\s+(?:trying|hoping|planning))\s+to\s+"
        r"(?:(?:lose\s+weight\s+and\s+)?(?:get|go|drop|come)\s+(?:back\s+)?(?:down\s+)?to|reach|hit|weigh|be(?:\s+at)?)\s+"
        rf"{_ABOUT}{NUM}{WEIGHT_UNIT}(?![a-z])",
        "goal_weight",
        "mid",
        measure,
    ),
    rule(
        rf"\bi(?:['’]m|\s+am)\s+aiming\s+(?:for|at)\s+{_ABOUT}{NUM}{WEIGHT_UNIT}(?![a-z])",
        "goal_weight",
        "mid",
        measure,
    ),
    rule(
        rf"(?:(?:目标|理想)体重|体重目标|目标)\s*(?:是|为|:|：)?\s*(?:减到|瘦到|降到)?\s*{ZH_NUM}\s*(?P<unit>公斤|千克|斤|kg)",
        "goal_weight",
        "mid",
        zh_measure,
        about_speaker=True,
    ),
    rule(
        rf"我(?:想|要|希望|打算|计划|争取)(?:把体重)?(?:减|瘦|降)到\s*{ZH_NUM}\s*(?P<unit>公斤|千克|斤|kg)",
        "goal_weight",
        "mid",
        zh_measure,
    ),
)
"""The weight the speaker aims for: no reading of their weight (which "I want to get down to 65 kg"
is not), a goal of its own, each new one a version."""

MEASUREMENT_PATTERNS: tuple[Pattern, ...] = (
    # measurements of changing values: mid-term, each a new version
    rule(
        rf"\b(?:i\s+)?(?:weighed|weighs|weigh|weighing|weight{_WHEN}\s*(?:is|was|of|:|是)?)\s*(?:in\s+at\s+)?(?:now\s+|currently\s+|still\s+|down\s+to\s+|about\s+|around\s+|only\s+|just\s+)*{NUM}{WEIGHT_UNIT}(?![a-z])",
        "weight",
        "mid",
        measure,
        about_speaker=True,
    ),
    rule(
        rf"\b(?:i\s+)?(?:weighed|weigh)\s+(?:myself|in)\b[^0-9\n]{{0,30}}?{NUM}{WEIGHT_UNIT}(?![a-z])",
        "weight",
        "mid",
        measure,
        about_speaker=True,
    ),
    rule(
        rf"(?:\bi(?:'m|’m|m|\s+am|\s+was)\s+(?:{_HEIGHT_AND})?|^\W*(?=(?:now|currently)\s+(?:down\s+to|up\s+to|at)\b))"
        rf"(?:now\s+|currently\s+|down\s+to\s+|up\s+to\s+|at\s+|only\s+|about\s+|around\s+|finally\s+)*{NUM}{WEIGHT_UNIT}(?![a-z])(?!\s+(?:of|for|lighter|heavier|less|more|down|up|over|under)\b)",
        "weight",
        "mid",
        measure,
    ),
    # a weight said without a subject: "down to 80.5 kg today!", "finally down to 80 kg"
    rule(
        rf"^\s*(?:(?:finally|now|just|so|and|officially)\s+)*(?:down|up)\s+to\s+{NUM}{WEIGHT_UNIT}(?![a-z])(?!\s*(?:of|left)\b)",
        "weight",
        "mid",
        measure,
        about_speaker=True,
    ),
    rule(
        rf"(?:称重了?|体重|称了一下|称了|重(?!了))\s*[，,]?\s*(?:应该|现在|大概|才|只有|已经)?\s*(?:是|为|有|:|：)?\s*{NUM}{WEIGHT_UNIT}",
        "weight",
        "mid",
        measure,
        about_speaker=True,
    ),
    rule(rf"我(?:现在|今天|目前)?(?:是|有|才|只有)?\s*{ZH_NUM}\s*(?P<unit>公斤|千克|斤)", "weight", "mid", zh_measure),
    # the weight reached: 体重从80公斤减到了70公斤, 瘦到了60公斤
    rule(rf"(?:减|降|瘦|涨|胖|长)到了?\s*{NUM}{WEIGHT_UNIT}", "weight", "mid", measure, about_speaker=True),
    # a weight in words: "I weigh seventy-two kilograms", "I'm a hundred and sixty pounds"
    rule(
        rf"\bi(?:\s+weigh|\s+weighed|['’]m|\s+am)\s+(?:now\s+|about\s+|around\s+|only\s+|just\s+)*{WORD_NUM}"
        r"\s+(?P<unit>kilograms?|kilos?|pounds?|lbs?)\b",
        "weight",
        "mid",
        words_measure,
    ),
    # a correction of a weight just said: "actually I meant 47 kg", "不对，是51公斤"
    rule(
        rf"\b(?:i\s+meant|meant\s+to\s+say|correction:?)\s+(?:it'?s\s+|i'?m\s+|i\s+weigh\s+)?{NUM}{WEIGHT_UNIT}(?![a-z])(?!\s+(?:of|for)\b)",
        "weight",
        "mid",
        measure,
        about_speaker=True,
    ),
    rule(rf"^\s*(?:应该|其实|我是说|我说的是)?是\s*{ZH_NUM}\s*(?P<unit>公斤|千克|斤|kg)", "weight", "mid", zh_measure),
    rule(rf"我(?:现在|今天|目前)?(?:是|有|才|只有)\s*{NUM}\s*(?P<unit>kg)", "weight", "mid", measure),
    rule(
        rf"(?:现在|目前)(?:是|有|才|只有)?\s*{NUM}\s*(?P<unit>公斤|千克|斤|kg)",
        "weight",
        "mid",
        measure,
        about_speaker=True,
    ),
    rule(
        rf"\b(?:slept|sleep(?:ing)?)\s+(?:for\s+)?(?:only\s+|about\s+|around\s+|just\s+)?{NUM}\s*(?P<unit>hours?|hrs?|h)\b",
        "sleep",
        "mid",
        measure,
        about_speaker=True,
    ),
    rule(
        rf"\b(?:i\s+)?(?:got|had|get)\s+(?:only\s+|like\s+|about\s+|around\s+|just\s+|barely\s+)*{NUM}\s*(?P<unit>hours?|hrs?|h)\s+(?:of\s+)?sleep\b",
        "sleep",
        "mid",
        measure,
        about_speaker=True,
    ),
    rule(
        rf"睡了\s*(?:大概|只有|差不多|才|不到|还不到|将近|快|最多|至少)?\s*{ZH_NUM}\s*(?P<unit>个小时|小时|个钟)",
        "sleep",
        "mid",
        zh_measure,
        about_speaker=True,
    ),
    rule(
        r"\b(?:blood\s+pressure|bp)\b[^0-9\n]{0,24}?(?P<high>\d{2,3})\s*(?:/|over)\s*(?P<low>\d{2,3})\b",
        "blood_pressure",
        "mid",
        blood_pressure,
        about_speaker=True,
    ),
    rule(
        r"血压[^0-9\n]{0,8}?(?P<high>\d{2,3})\s*/\s*(?P<low>\d{2,3})",
        "blood_pressure",
        "mid",
        blood_pressure,
        about_speaker=True,
    ),
    rule(
        rf"\b(?:i\s+ran|ran|running|jogged)\s+(?:about\s+|around\s+|a\s+)?{NUM}\s*(?P<unit>km|k|kilometers?|kilometres?|miles?)\b(?!\s*(?:a|per|every)\s+(?:week|month|day))",
        "run_distance",
        "mid",
        measure,
        about_speaker=True,
    ),
    rule(rf"跑了\s*{ZH_NUM}\s*(?P<unit>公里|千米|km)", "run_distance", "mid", zh_measure, about_speaker=True),
    rule(
        rf"\b(?:body\s+)?temp(?:erature)?\s*(?:is|was|of|:)?\s*(?:about\s+)?{NUM}\s*°?\s*(?P<unit>c|f)\b",
        "body_temperature",
        "mid",
        measure,
        about_speaker=True,
    ),
    rule(
        r"\b(?:body\s+)?temp(?:erature)?\s*(?:is|was|of|:)?\s*(?:about\s+)?(?P<num>3[5-9](?:[.,]\d)?|4[0-2](?:[.,]\d)?)(?!\s*°?\s*[cf]\b)(?![\d.,%])",
        "body_temperature",
        "mid",
        lambda m: f"{m['num'].replace(',', '.')} °C",
        about_speaker=True,
    ),
    rule(
        rf"体温\s*(?:是|为|有)?\s*{NUM}\s*(?P<unit>度|℃|°C)(?P<tenth>\d)?",
        "body_temperature",
        "mid",
        zh_temperature,
        about_speaker=True,
    ),
    rule(
        rf"(?:\b(?:blood\s+sugar|blood\s+glucose|glucose)\b|血糖)[^0-9\n]{{0,24}}?{NUM}\s*(?P<unit>mg/dl|mmol/l|mmol)?",
        "blood_sugar",
        "mid",
        reading,
        about_speaker=True,
    ),
    rule(
        rf"(?:\b(?:resting\s+)?(?:heart\s+rate|pulse)\b|心率|脉搏)[^0-9\n]{{0,24}}?{NUM}\s*(?P<unit>bpm)?",
        "heart_rate",
        "mid",
        reading,
        about_speaker=True,
    ),
    rule(
        r"\b(?:hr|rhr)\s*(?:is|was|of|:|=)?\s*(?P<num>[3-9]\d|1\d\d)\b(?!\s*(?:h|hrs?|hours?|mins?|minutes?)\b)\s*(?P<unit>bpm)?",
        "heart_rate",
        "mid",
        reading,
        about_speaker=True,
    ),
    rule(
        rf"\b(?:walked|did|hit|got|took|logged)\s+(?:about\s+|over\s+|around\s+|only\s+)?{NUM}(?P<k>k)?\s+steps\b",
        "steps",
        "mid",
        thousands,
        about_speaker=True,
    ),
    rule(rf"走了\s*{ZH_NUM}\s*步", "steps", "mid", zh_count, about_speaker=True),
)
"""Weight, sleep, blood pressure, distance run, body temperature, blood sugar, heart rate, steps."""
