"""The words people name a fact's attribute by, and what a phrase names of the user's facts.

"my address" names ``lives_in``, "how much I weigh" ``weight``, 我的体重和身高 ``weight`` and
``height``; "my peanut allergy" names the value ``peanuts``. A request to forget
(:mod:`~tiermem.agents.forgetting`), a question for a fact (:mod:`~tiermem.agents.fact_match`) and a
reply's nouns (:mod:`~tiermem.agents.fact_names`) read them.

Example:
    >>> sorted(named_attributes("我的体重和身高")), owned_words("please forget my peanut allergy")
    (['height', 'weight'], 'peanut allergy')
    >>> value_named("my peanut allergy", "peanuts")
    True
"""

from __future__ import annotations

import re

from tiermem.memory.versions import ENDED

from .asked import says

ATTRIBUTE_WORDS: dict[str, tuple[str, ...]] = {
    "lives_in": ("address", "home", "home city", "where i live", "city", "地址", "住址", "住处", "住在哪"),
    "weight": ("weight", "how much i weigh", "体重"),
    "goal_weight": ("goal weight", "target weight", "weight goal", "目标体重"),
    "breed": ("breed", "品种"),
    "height": ("height", "how tall i am", "身高"),
    "name": ("name", "名字", "姓名"),
    "preferred_name": ("nickname", "preferred name", "昵称"),
    "age": ("age", "how old i am", "年龄", "岁数"),
    "birthday": ("birthday", "date of birth", "生日"),
    "anniversary": ("anniversary", "wedding anniversary", "纪念日", "结婚纪念日"),
    "occupation": (
        "job",
        "occupation",
        "profession",
        "work",
        "role",
        "job title",
        "line of work",
        "工作",
        "职业",
        "职位",
    ),
    "employer": ("employer", "company", "where i work", "公司"),
    "allergy": ("allergy", "allergies", "过敏"),
    "condition": ("condition", "conditions", "diagnosis", "illness", "disease", "病"),
    "marital_status": ("marital status", "marriage", "婚姻"),
    "medication": ("medication", "medications", "medicine", "meds", "pills", "drug", "药"),
    "diet_identity": ("diet", "饮食"),
    "blood_pressure": ("blood pressure", "血压"),
    "blood_sugar": ("blood sugar", "glucose", "血糖"),
    "heart_rate": ("heart rate", "pulse", "心率"),
    "native_language": ("native language", "mother tongue", "母语"),
    "origin": ("origin", "hometown", "where i'm from", "where i am from", "where i grew up", "老家", "家乡", "出生地"),
    "school": ("school", "university", "college", "where i study", "学校", "大学"),
    "major": ("major", "degree", "field of study", "what i studied", "专业", "学位"),
    "birth_year": ("birth year", "year of birth", "year i was born", "出生年份"),
    "car": ("car", "vehicle", "what i drive", "汽车", "车子", "我的车", "座驾"),
    "likes": ("likes", "what i like", "things i like", "hobbies", "hobby", "interests", "喜好", "喜欢的东西", "爱好"),
    "dislike": ("dislike", "what i hate", "things i hate", "讨厌的东西"),
    "phone_number": ("phone number", "phone", "cell", "cell number", "mobile number", "电话号码", "电话", "手机号"),
    "email": ("email", "email address", "e-mail", "邮箱", "电子邮件"),
    "plan_baby": ("due date", "预产期"),
    "blood_type": ("blood type", "blood group", "血型"),
    "plan_new_job": ("start date", "first day at work", "when i start", "入职", "入职日期"),
    "hotel": ("hotel", "where i'm staying", "where i am staying", "accommodation", "airbnb", "酒店", "住宿"),
}
"""How people name what a fact is about, per attribute (English and Chinese); any other attribute
is named by its own words (``plan_exam``: "exam")."""


def attribute_words(attribute: str) -> tuple[str, ...]:
    """The words people name ``attribute`` by (:data:`ATTRIBUTE_WORDS`) and its own ("exam")."""
    own = attribute.removeprefix("plan_").replace("_", " ")
    return (*ATTRIBUTE_WORDS.get(attribute, ()), own)


_OWNED_EN = re.compile(
    r"\b(?:my|our)\b((?:\s+(?!(?:my|our)\b)[\w'-]+){1,3})|\b((?:where|how\s+(?:much|old|tall))\s+i(?:'m|\s+am)?(?:\s+[\w'-]+)?)",
    re.I,
)
"""The user's thing: "my address", or how it is asked about ("where I work", "how much I weigh")."""
_OWNED_ZH = re.compile(r"我(?:们)?的?([^，。！？\s]{1,8})")
_MEASURE = re.compile(
    r"\d+(?:[.,/]\d+)*\s*(?:[a-zA-Z%]{1,4}\b|毫克|克|毫升|公斤|斤|次|片|粒)?|每天|每日|一天|\b(?:twice|daily|a\s+day)\b"
)
"""Numbers with their units and how often: no words of a value ("400mg twice a day"); a word
after a number that is no unit is ("type 1 diabetes" names diabetes)."""


def owned_words(phrase: str) -> str:
    """The words that follow the user's "my" / "our" / 我(的) in ``phrase`` (three English words,
    eight Chinese characters), and "where I ..." / "how much I ...": what a request to forget names
    as the user's ("my trip to New York
    City" names a trip, not the home city; "forget about work" names nothing of the user's)."""
    found = [m.group(1) or m.group(2) for m in _OWNED_EN.finditer(phrase)]
    found += [m.group(1) for m in _OWNED_ZH.finditer(phrase)]
    return " ".join(part.strip() for part in found)


def value_named(phrase: str, value: str) -> bool:
    """Whether ``phrase`` names a word of a fact's ``value`` ("my peanut allergy" names
    ``peanuts``, "my diabetes" ``diabetes``): words of four letters or two Chinese characters,
    numbers and units left out, a plural "s" ignored."""
    words = _MEASURE.sub(" ", value.removeprefix(ENDED)).replace(",", " ").split()
    long_enough = [word for word in words if len(word) >= (4 if word.isascii() else 2)]
    stems = [word.casefold().removesuffix("s") if word.isascii() else word for word in long_enough]
    return any(says(phrase, stem, "s?") for stem in stems)


def named_attributes(phrase: str, known: tuple[str, ...] = tuple(ATTRIBUTE_WORDS)) -> set[str]:
    """The attributes among ``known`` (and :data:`ATTRIBUTE_WORDS`) that ``phrase`` names; one named
    only by a word inside another's longer words is not ("where I work" names the employer, not
    the occupation's "work")."""
    said = {
        attribute: [w.casefold() for w in attribute_words(attribute) if says(phrase, w, "(?:s|es)?")]
        for attribute in {*known, *ATTRIBUTE_WORDS}
    }
    longer = [w for words in said.values() for w in words]
    return {
        attribute
        for attribute, words in said.items()
        if any(not any(w != other and w in other for other in longer) for w in words)
    }
