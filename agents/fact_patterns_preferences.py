"""Rules for lasting preferences: favourites, dislikes, and how the assistant should reply (language,
style).
"""

from __future__ import annotations

import re

from .fact_patterns_common import I_AM, VALUE, ZH_VALUE, Pattern, rule
from .fact_values import ended, phrase
from .fact_words import LANGUAGES, ZH_DRUGS

_NOT_MY_NAME = r"(?!(?:my|the)\s+(?:(?:full|real|first|last|middle|given|legal|birth)\s+)?names?\b|being\s+called\b)"
"""One's own name disliked ("Call me Jo, I don't like my full name"): what one goes by says it, no
dislike to keep."""

_FOR_NOW = re.compile(
    r"\b(?:right\s+now|for\s+now|at\s+the\s+moment|this\s+(?:time|once)|today|tonight|"
    r"(?:in|for)\s+this\s+(?:chat|conversation|thread|session|question|one)|(?:on|in)\s+the\s+(?:bus|train|subway|metro|tube|car|go)|"
    r"in\s+a\s+(?:hurry|rush))\b",
    re.IGNORECASE,
)
"""Words that say an instruction for how to reply holds for now only ("I'm on the bus right now, so
keep answers short", "keep your answers short in this chat")."""
_STANDING = re.compile(r"\b(?:always|from\s+now\s+on|going\s+forward|in\s+(?:the\s+)?future|every\s+time)\b", re.I)
"""Words that say it holds for good, whatever else the clause says."""
_ZH_FOR_GOOD = r"(?:以后|之后|今后|往后|从今以后|从现在(?:开始|起)|一直|总是|永远|每次|平时)[^，。！？]{0,4}?"
"""Chinese says an instruction holds for good (以后都用英文回答); one without (先用中文回答我这个问题,
接下来请用英文回答我, 回答简短点) is for this chat."""


def _for_good(match: re.Match[str]) -> str:
    """An instruction's value (:func:`~tiermem.agents.fact_values.phrase`) where its clause says it holds
    for good or says nothing of how long; empty where it holds for now only (:data:`_FOR_NOW`)."""
    held_now = _FOR_NOW.search(match.string) and not _STANDING.search(match.string)
    return "" if held_now else phrase(match)


PREFERENCE_PATTERNS: tuple[Pattern, ...] = (
    rule(
        rf"(?:^\s*|\bmy\s+)(?:fav|fave|favou?rite)\s+(?P<what>[a-z]+(?:\s+[a-z]+)?)\s+(?:is|=|:)\s*{VALUE}",
        "favorite",
        "long",
    ),
    # 我最喜欢的颜色是红色, 我最喜欢的颜色现在是绿色 (the kind ends before 现在)
    rule(
        rf"(?:^\s*|我)(?:最喜欢|最爱)的\s*(?P<what>[^\s，。！？是的]{{1,4}}?)\s*(?:现在|目前|如今|还)?是\s*{ZH_VALUE}",
        "favorite",
        "long",
    ),
    rule(
        r"\bi\s+(?:really\s+|just\s+|absolutely\s+)?(?:hate|dislike|detest|can't\s+stand|cannot\s+stand|don't\s+like|do\s+not\s+like)\s+"
        rf"(?!(?:it|that|this|when|how|to|being|you|him|her|them|people|myself|everything|anything|mondays)\b){_NOT_MY_NAME}{VALUE}",
        "dislike",
        "long",
    ),
    # "not a fan of spicy food", "I'm not a big fan of olives"
    rule(
        rf"(?:^\W*|{I_AM})not\s+(?:a\s+|the\s+)?(?:big\s+|huge\s+|great\s+)?fan\s+of\s+"
        rf"(?!(?:it|that|this|you|him|her|them|people|being)\b){_NOT_MY_NAME}{VALUE}",
        "dislike",
        "long",
    ),
    rule(
        r"\bi\s+(?:don't|dont|do\s+not|never|no\s+longer)\s+(?:eat|drink)\s+"
        r"(?!(?:it|that|this|anything|much|a\s+lot|enough|after|before|at|in|on|late|out|breakfast|lunch|dinner|"
        r"while|when|until|during|fast|slowly|here|there|with|alone)\b)(?P<value>[a-z][a-z -]{1,40}?)"
        r"(?=$|[.,!?;]|\s+(?:anymore|any\s+more|at\s+all|for|because|since|as|so|but|and\s+i|btw|though|either)\b)",
        "dislike",
        "long",
    ),
    rule(
        r"我(?:平时|一般|从来|向来)?(?:很|最|真的|特别|超)?(?:讨厌|不喜欢|不爱吃|不吃|不爱喝|不喝)\s*(?P<value>(?![他她它你我这那])"
        rf"(?!{ZH_DRUGS}|[^\s，。！？]{{0,8}}(?:药|片|胶囊))(?:(?!会(?!议|员)|就)[^\s，。！？,.!?]){{1,8}}?)(?:了|啊|呀)?(?=$|[\s，。！？,.!?])",
        "dislike",
        "long",
    ),
    # a dislike that ended: "Actually I like cilantro now", "I don't hate olives anymore", 我现在喜欢香菜了
    rule(
        r"\bi\s+(?:actually\s+|really\s+|kind\s+of\s+|kinda\s+)?(?:like|love|enjoy|don't\s+(?:mind|hate|dislike))\s+"
        r"(?!(?:it|that|this|you|him|her|them)\b)(?P<value>[a-z][a-z -]{1,40}?)\s+(?:now|these\s+days|any\s*more)\b",
        "dislike",
        "long",
        ended(),
    ),
    rule(
        r"\bi\s+no\s+longer\s+(?:hate|dislike)\s+(?P<value>[a-z][a-z -]{1,40}?)(?=$|[.,!?;])",
        "dislike",
        "long",
        ended(),
    ),
    rule(
        r"我现在(?:很|也|挺)?(?:喜欢|爱)(?:吃|喝)?\s*(?P<value>[^\s，。！？,.!?]{1,8}?)了", "dislike", "long", ended()
    ),
    rule(r"我(?:已经)?不再(?:讨厌|不喜欢)\s*(?P<value>[^\s，。！？,.!?]{1,8}?)(?:了|$)", "dislike", "long", ended()),
    # how to reply, said for good ("always reply in spanish", "keep your answers short", 以后回答都简短一点);
    # not for now ("I'm on the bus right now, so keep answers short", 先用中文回答我这个问题: GATE.md rule 5)
    rule(
        rf"(?:^\s*|\b(?:always|please|pls|from\s+now\s+on,?)\s+)(?:reply|respond|answer|talk|write|speak)\s+(?:to\s+me\s+)?(?:only\s+)?in\s+(?P<value>{LANGUAGES})\b",
        "reply_language",
        "long",
        _for_good,
    ),
    rule(
        rf"{_ZH_FOR_GOOD}(?:都|请)?用\s*(?P<value>中文|英文|英语|日语|粤语|法语|韩语)(?:回答|回复|跟我说|和我说|聊)",
        "reply_language",
        "long",
    ),
    # the questions to come said after the verb: 请用英文回答我以后的问题
    rule(
        r"用\s*(?P<value>中文|英文|英语|日语|粤语|法语|韩语)(?:回答|回复)我?(?:以后|之后|今后|所有)的?(?:问题|消息|提问)",
        "reply_language",
        "long",
    ),
    rule(
        r"\b(?:keep|make)\s+(?:your\s+|the\s+)?(?:answers|replies|responses)\s+(?:\w+\s+)?(?P<value>short|brief|concise|detailed|simple)\b",
        "reply_style",
        "long",
        _for_good,
    ),
    rule(
        rf"{_ZH_FOR_GOOD}(?:回答|回复)[^，。！？]{{0,3}}?(?P<value>简短|简洁|详细|短)一?(?:点|些)",
        "reply_style",
        "long",
    ),
)
"""Favourites, dislikes, the language and style of replies."""
