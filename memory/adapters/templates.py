"""Question and statement templates that turn a fact into training text and probes.

Templates are split once: ``TRAIN_*`` rows become training examples,
``PROBE_*`` rows are held out and only ever used to measure recall, so the
paraphrase recall of the evaluation gate is recall on wording the adapter
never saw. Each template has an English and a Chinese form.

Placeholders: ``{q}`` the noun phrase in a question ("my weight"), ``{s}`` the
same in an answer ("your weight"), ``{v}`` the value ("45 kg").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..records import RELATIONS_ZH, Fact

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")

TRAIN_QUESTIONS: dict[Lang, tuple[str, ...]] = {
    "en": ("What is {q}?", "Do you remember {q}?", "Tell me {q}."),
    "zh": ("{q}是什么？", "你记得{q}吗？", "请说出{q}。"),
}
PROBE_QUESTIONS: dict[Lang, tuple[str, ...]] = {
    "en": ("What's {q} again?", "Can you recall {q}?", "Remind me of {q}, please."),
    "zh": ("告诉我{q}。",),
}
ANSWERS: dict[Lang, tuple[str, ...]] = {
    "en": ("{S} is {v}.", "You told me that {s} is {v}."),
    "zh": ("{s}是{v}。", "你告诉过我，{s}是{v}。"),
}
MASKED_PROMPT: dict[Lang, str] = {
    "en": "Fill in the blank with what you know about me: {masked}",
    "zh": "根据你对我的了解填空：{masked}",
}
BLANK = "___"

# Attribute slugs whose plain English reading is not a noun phrase.
_NOUNS_EN: dict[str, str] = {
    "lives_in": "home city",
    "works_at": "employer",
    "born_in": "birthplace",
    "born_on": "birthday",
    "native_language": "native language",
    "favorite_food": "favourite food",
    "favourite_food": "favourite food",
}
_NOUNS_ZH: dict[str, str] = {
    "weight": "体重",
    "height": "身高",
    "age": "年龄",
    "name": "名字",
    "birthday": "生日",
    "born_on": "生日",
    "born_in": "出生地",
    "lives_in": "居住的城市",
    "works_at": "工作单位",
    "job": "职业",
    "allergy": "过敏原",
    "blood_sugar": "血糖",
    "heart_rate": "心率",
    "steps": "步数",
    "body_temperature": "体温",
    "blood_pressure": "血压",
    "native_language": "母语",
    "pet": "宠物",
    "pet_name": "宠物的名字",
    "favorite_food": "最喜欢的食物",
    "favourite_food": "最喜欢的食物",
    "blood_type": "血型",
    "phone": "电话号码",
    "phone_number": "电话号码",
    "email": "邮箱",
    "car": "汽车",
    "hobby": "爱好",
    "employer": "雇主",
    "occupation": "职业",
    "school": "学校",
    "major": "专业",
    "origin": "家乡",
    "medication": "药物",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Phrases:
    """How one fact reads in one language."""

    q: str
    """The fact as the user asks about it: ``my weight``, ``Alice's birthday``."""
    s: str
    """The fact as the assistant states it: ``your weight``."""
    v: str
    """The value: ``45 kg``."""

    def fill(self, template: str) -> str:
        """``template`` with ``{q}``, ``{s}``, ``{S}`` (capitalised ``s``) and ``{v}`` filled in."""
        return template.format(q=self.q, s=self.s, S=self.s[:1].upper() + self.s[1:], v=self.v)


def phrases(fact: Fact, lang: Lang) -> Phrases:
    """The question and answer noun phrases of ``fact`` in ``lang``.

    Example:
        >>> phrases(Fact(attribute="weight", value="45 kg"), "en").q
        'my weight'
    """
    if lang == "zh":
        noun = _NOUNS_ZH.get(fact.attribute, fact.attribute.replace("_", " "))
        if fact.subject == "user":
            return Phrases(q=f"我的{noun}", s=f"你的{noun}", v=fact.value)
        if fact.subject in RELATIONS_ZH:  # "my husband": 我丈夫的 / 你丈夫的
            relation = RELATIONS_ZH[fact.subject]
            return Phrases(q=f"我{relation}的{noun}", s=f"你{relation}的{noun}", v=fact.value)
        owner = fact.subject.replace("_", " ").title()
        return Phrases(q=f"{owner}的{noun}", s=f"{owner}的{noun}", v=fact.value)
    noun = _NOUNS_EN.get(fact.attribute, fact.attribute.replace("_", " "))
    if fact.subject == "user":
        return Phrases(q=f"my {noun}", s=f"your {noun}", v=fact.value)
    if fact.subject in RELATIONS_ZH:
        relation = fact.subject.replace("_", " ")
        return Phrases(q=f"my {relation}'s {noun}", s=f"your {relation}'s {noun}", v=fact.value)
    owner = fact.subject.replace("_", " ").title()
    return Phrases(q=f"{owner}'s {noun}", s=f"{owner}'s {noun}", v=fact.value)
