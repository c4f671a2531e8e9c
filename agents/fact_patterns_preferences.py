"""Rules for lasting preferences: favourites, likes, dislikes, and how the assistant should reply
(language, style).
"""

from __future__ import annotations

import re

from .fact_patterns_common import I_AM, KIN_WORD, VALUE, ZH_VALUE, Pattern, rule
from .fact_values import ended, items, phrase
from .fact_words import LANGUAGES, RELATIONS, ZH_DRUGS, ZH_RELATIONS

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


_LIKED_ADVERBS = (
    r"(?:(?:really|just|absolutely|totally|truly|also|still|genuinely|so|do(?!\s+not\b)|does(?!\s+not\b))\s+)*"
)
_WHO_LIKES = (
    rf"(?:\bi\s+{_LIKED_ADVERBS}(?:love|like|enjoy|adore)"
    rf"|\b(?:my|our)\s+(?:{KIN_WORD}\s+)?(?P<subject>{RELATIONS})(?:\s+(?-i:[A-Z][a-z]+))?\s+{_LIKED_ADVERBS}(?:loves|likes|enjoys|adores))\s+"
)
"""The speaker or a relation who likes something now: "I really like", "my son loves" (not "I'd
love", "I used to love", "I don't like": a dislike)."""
_WHO_PREFERS = (
    rf"(?:\bi\s+{_LIKED_ADVERBS}prefer"
    rf"|\b(?:my|our)\s+(?:{KIN_WORD}\s+)?(?P<subject>{RELATIONS})(?:\s+(?-i:[A-Z][a-z]+))?\s+{_LIKED_ADVERBS}prefers)\s+"
)
"""The speaker or a relation who prefers something: "I prefer", "my wife really prefers"."""
_NOT_LIKED = (
    r"(?!(?:it|that|this|these|those|you|ya|u|him|her|them|me|us|myself|yourself|how|when|what|where|why|who|whether|if|"
    r"to|your|yours|my|our|his|their|being|a\s+lot|so\s+much|everything|anything|nothing|all\s+of\s+(?:it|you|them)|"
    r"y'all|everyone|everybody|both|either|neither|one|some|any|most|none|you\s+guys|"
    r"totally|literally|actually|basically|seriously|honestly|kinda|sort\s+of|kind\s+of|"
    r"need|want|have|had|was|am|can|could|would|will|should|did|do|don't|didn't|can't|won't|"
    r"the\s+(?:first|second|third|last|other|latter|former|new|old)\s+(?:one|version|option|answer|update|feature|design|layout)s?|"
    r"the\s+(?:idea|sound|way|fact|thought|look|plan|suggestion|answer|reply|response|question)s?)\b)"
)
"""What is liked that is no thing one likes for good ("I love you", "I like that idea", "I love how
...", "I'd like to", "I like your answer", "I love my wife": a person, no taste)."""
_INTO = (
    rf"{I_AM}(?:(?:really|totally|so|kind\s+of|kinda|very|also|still)\s+)*"
    r"(?:into|obsessed\s+with|passionate\s+about|crazy\s+about|mad\s+about)\s+"
)
"""The speaker is into something: "I'm really into jazz", "I'm obsessed with sourdough"."""
_FAN = (
    rf"{I_AM}(?:(?:really|also|still)\s+)*(?:a\s+|such\s+a\s+)"
    r"(?:(?:big|huge|great|massive|real|die[- ]?hard|total)\s+)?fan\s+of\s+"
)
"""The speaker is a fan of something (not "not a fan of": a dislike)."""
_LIKED_END = re.compile(
    r"\s+(?:too|as\s+well|a\s+lot|so\s+much|very\s+much|more\s+than|better\s+than|the\s+most|most|lately|now|nowadays|"
    r"these\s+days|at\s+the\s+moment|right\s+now|any\s*more|because|when|if|though|although|tbh|lol|haha)\b.*$",
    re.IGNORECASE,
)
"""Words after what is liked that are no part of it ("sushi too", "jazz more than rock")."""
_ZH_LIKED = (
    rf"(?:我(?:的)?(?P<subject>{ZH_RELATIONS})?)(?:平时|一般|也|还|都|真的|特别|超级?|很|非常|挺|最|一直|从小就?|蛮|好)*(?:喜欢|爱(?!人))(?:吃|喝)?\s*"
    r"(?P<value>(?![你他她它我这那上死的过])(?![^，。！？,.!?\s]*(?:什么|哪|吗|呢|谁))[^，。！？,.!?\s]{1,10}?)(?:了|啊|呀|哦)?(?=$|[\s，。！？,.!?])"
)
"""Chinese likes: 我喜欢吃寿司 (寿司), 我很爱打篮球, 我儿子喜欢乐高; not 我喜欢你, 我最喜欢的颜色是 (a favourite)."""


def liked(match: re.Match[str]) -> str:
    """What is liked, a list kept whole ("sushi and ramen"), without what follows it ("jazz too")."""
    return _LIKED_END.sub("", items(match)).strip(" .,!?;:")


LIKE_PATTERNS: tuple[Pattern, ...] = (
    rule(rf"{_WHO_LIKES}{_NOT_LIKED}(?P<value>[^.!?;\n。！？；]{{2,60}})", "likes", "long", liked),
    rule(rf"(?:{_INTO}|{_FAN}){_NOT_LIKED}(?P<value>[^.!?;\n。！？；]{{2,60}})", "likes", "long", liked),
    # a preference: "I prefer tea over coffee", "my wife prefers window seats"; not "I'd prefer", "I prefer not to"
    rule(
        rf"{_WHO_PREFERS}{_NOT_LIKED}(?!not\b)(?P<value>[^.!?;,\n]{{2,60}}?)"
        r"(?:\s+(?:over|to|rather\s+than|instead\s+of|than)\s+[^.!?;,\n]+)?(?=\s*(?:$|[.!?;,]|(?:when|if|because|but|and)\b))",
        "likes",
        "long",
        liked,
    ),
    rule(_ZH_LIKED, "likes", "long"),
    # a like that ended: "I used to love skiing", "I no longer enjoy running", "I don't like sushi anymore"
    rule(
        r"\bi\s+(?:used\s+to|no\s+longer|don't\s+(?=[a-z]+\s+[^.!?;]*\bany\s*more\b))\s*(?:love|like|enjoy)\s+"
        rf"{_NOT_LIKED}(?P<value>[^.!?;\n]{{2,60}})",
        "likes",
        "long",
        ended(liked),
    ),
    rule(
        r"我(?:已经)?不再(?:喜欢|爱)(?:吃|喝)?\s*(?P<value>[^\s，。！？,.!?]{1,8}?)(?:了|$)", "likes", "long", ended()
    ),
)
"""What the speaker (or a relation) likes, and a like that ended."""


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
        r"(?:\bi\s+(?:really\s+|just\s+|absolutely\s+)?(?:hate|dislike|detest|can't\s+stand|cannot\s+stand|don't\s+like|do\s+not\s+like)"
        rf"|\b(?:my|our)\s+(?:{KIN_WORD}\s+)?(?P<subject>{RELATIONS})(?:\s+(?-i:[A-Z][a-z]+))?\s+(?:really\s+|just\s+|absolutely\s+)?"
        r"(?:hates|dislikes|detests|can't\s+stand|cannot\s+stand|doesn't\s+like|does\s+not\s+like))\s+"
        rf"(?!(?:it|that|this|when|how|to|being|you|him|her|them|me|us|people|myself|everything|anything|mondays)\b){_NOT_MY_NAME}{VALUE}",
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
        r"(?:\bi(?:\s+(?:don't|dont|do\s+not|never|no\s+longer)\s+(?:eat|drink)"
        r"|(?:\s+have|['’]ve)?\s+(?:stopped|quit|gave\s+up|given\s+up)\s+(?:eating|drinking))"
        rf"|\b(?:my|our)\s+(?:{KIN_WORD}\s+)?(?P<subject>{RELATIONS})(?:\s+(?-i:[A-Z][a-z]+))?"
        r"\s+(?:doesn't|doesnt|does\s+not|never|no\s+longer)\s+(?:eats?|drinks?))\s+"
        r"(?!(?:it|that|this|anything|much|a\s+lot|enough|after|before|at|in|on|late|out|breakfast|lunch|dinner|"
        r"while|when|until|during|fast|slowly|here|there|with|alone)\b)(?P<value>[a-z][a-z -]{1,40}?)"
        r"(?=$|[.,!?;]|\s+(?:anymore|any\s+more|at\s+all|for|because|since|as|so|but|and\s+i|btw|though|either)\b)",
        "dislike",
        "long",
    ),
    # "I quit coffee last month", "I gave up sugar": what one no longer has, named without eating or drinking
    rule(
        r"\bi(?:\s+have|['’]ve)?\s+(?:just\s+|finally\s+|completely\s+)?(?:quit|gave\s+up|given\s+up|cut\s+out)\s+"
        r"(?P<value>(?:red\s+|processed\s+)?(?:coffee|caffeine|tea|alcohol|booze|beer|wine|liquor|sugar|soda|fizzy\s+drinks|"
        r"meat|dairy|gluten|bread|carbs|chocolate|sweets|candy|pork|beef|fast\s+food|junk\s+food|energy\s+drinks))\b",
        "dislike",
        "long",
    ),
    rule(
        r"我(?:平时|一般|从来|向来)?(?:很|最|真的|特别|超)?(?:讨厌|不喜欢|不爱吃|不吃|不爱喝|不喝)(?:吃|喝)?\s*(?P<value>(?![他她它你我这那])"
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
