"""Cheap lexical cues for the gate, English and Chinese.

The four labels differ mostly in *how long* a statement stays true, and
sentence embeddings blur the words that say so ("every Sunday" vs "this
Sunday"). These cues restore them: a habit marker points to long-term, a
"right now" or something the speaker is doing to short-term, a dated period to
mid-term, an instruction for the answer to short-term, and a question, a
request or a bare reaction, greeting or goodbye to nothing worth keeping.
RuleGate adds small nudges for them; TrainedGate learns their weights as extra
features.

The longest-lived part of a message wins (docs/GATE.md, rule 1), so the cues for
nothing worth keeping (question, request, social) hold only where the speaker
states nothing of their own besides: "I have to move by July. Any tips?" states
a plan before it asks, and is no question for the gate.
"""

from __future__ import annotations

import re
from datetime import datetime

import numpy as np

from .gate_common import fact_tiers
from .statements import stated_clauses
from .timeexpr import HABIT_PARTS

_I = re.IGNORECASE
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_NOT_DOING = (
    r"(?:going|moving|staying|living|planning|thinking|hoping|starting|learning|studying|training|dating|"
    r"expecting|trying|feeling|working)\b"
)
"""Verbs whose "I'm ...ing" is a plan or an ongoing situation rather than what one does this minute."""
_SOCIAL_WORDS = (
    r"hi|hey|hello|bye|goodbye|good\s*night|see\s+(?:you|ya)|talk\s+(?:soon|later|tomorrow)|later|"
    r"thanks?|thank\s+you|thx|ty|congrats|congratulations|wow|aww+|oh|omg|lol|haha\w*|nice|cool|"
    r"great|awesome|amazing|sorry|ok(?:ay)?|sure|yes|yeah|no|nope|take\s+care|cheers|good\s+luck|same|"
    r"that(?:'s|\s+is|\s+must\s+be|\s+sounds)|sounds|what\s+a|so\s+(?:happy|sorry|proud)\s+for\s+you"
)

CUES: dict[str, re.Pattern[str]] = {
    "habit": re.compile(
        rf"\b(?:every\s+(?:single\s+|other\s+)?(?:day|night|week|morning|evening|summer|winter|year|weekend|month|{_WEEKDAY})|"
        rf"each\s+(?:day|morning|night|week)|always|usually|normally|typically|generally|often|never|"
        rf"on\s+(?:weekends|weekdays|{_WEEKDAY}s|{_WEEKDAY}\s+{HABIT_PARTS})|"
        r"most\s+(?:days|mornings|nights|evenings|weekends)|"
        r"(?:once|twice|\d+\s+times)\s+a\s+(?:day|week|month|year)|"
        r"work\s+(?:nights|night\s+shifts?|weekends|from\s+home|remotely|part[-\s]time|full[-\s]time)|"
        r"whole life|for years|since i was|all my life|growing up|grew up)\b"
        r"|每天|每周|每年|每晚|每逢|每个(?:周末|星期|月|礼拜)|一直|从来|总是|平时|一般|通常|经常|常常|"
        r"从小|多年|好几年|周末都",
        _I,
    ),
    "now": re.compile(
        r"\b(?:right now|rn|at the moment|this (?:morning|afternoon|evening)|today|tonight|"
        r"just now|currently|for the (?:afternoon|evening|night|moment))\b|现在|正在|而家|此刻|今天|今晚|刚",
        _I,
    ),
    "doing": re.compile(
        rf"\b(?:i'?m|i\s+am)\s+(?:just\s+|now\s+|still\s+|currently\s+)?(?:(?!{_NOT_DOING})\w+ing|at\s+(?:the|my|a|an)|"
        r"in\s+(?:line|(?:the|a)\s+(?:\w+\s+)?(?:room|line|queue|car|office|kitchen|lobby|train|bus|taxi|cab|store|shop)))\b"
        r"|\bon\s+my\s+way\b|\b(?:waiting|queu(?:e|ing)|stuck)\s+(?:for|in|at|on)\b"
        r"|我(?:正|现在|还)?在(?:[^\s，。,.!?！？]{0,8}?)(?:排队|等|吃|喝|买|开会|加班|上课|开车|坐车|做饭|看|玩|逛|写|跑|走|打|陪|剪|洗|遛|接|送)|"
        r"在路上|路上|排队|等着",
        _I,
    ),
    "period": re.compile(
        r"\b(?:these days|lately|recently|this (?:week|month|semester|summer|year|quarter)|"
        rf"next (?:week|month|year|{_WEEKDAY})|until|for the next|in \d+ (?:days|weeks|months)|"
        rf"last (?:week|month|weekend|night|{_WEEKDAY})|yesterday|tomorrow|this weekend|ago|"
        rf"on {_WEEKDAY}(?!\s+{HABIT_PARTS}\b)|"
        r"on the \d+(?:st|nd|rd|th))\b"
        r"|最近|这周|这个月|这段时间|下周|下个月|下礼拜|上周|上个月|昨天|昨晚|前天|明天|后天|明年|\d+号|月底",
        _I,
    ),
    "instruction": re.compile(
        r"^(?:please\s+|pls\s+|and\s+|also,?\s+|from\s+now\s+on,?\s+|let'?s\s+)?"
        r"(?:answer|reply|respond|talk|speak|format|use|be|keep|stick|avoid|skip|"
        r"(?:don'?t|do\s+not)\s+(?:use|give|add|include|mention|repeat|sugarcoat|explain|be))\b"
        r"(?!.*\b(?:my\s+\w+\s+is|i\s+am|i'm)\b)"
        r"|\b(?:in|for|during|keep)\s+this\s+(?:chat|conversation|answer|reply|thread|session)\b"
        r"|(?:^|这次|本次|以后|接下来|请|都)(?:都|请|麻烦你?)?(?:用|以)(?:表格|列表|要点|中文|英文|繁体|简体|公制|\w{1,4}语)"
        r"|(?:回答|回复|说话)(?:时|的时候)?(?:请|都)?(?:简短|简洁|详细|直接|诚实)|(?:这次|本次)(?:对话|回答|聊天)",
        _I,
    ),
    "question": re.compile(
        r"[?？]\s*$|^(?:what|how|why|when|where|who|which|can|could|would|is|are|do|does|did)\b"
        r"|(?:吗|呢|多少|什么|怎么|为什么|哪|来着)[？?。]?\s*$",
        _I,
    ),
    "request": re.compile(
        r"^(?:please\s+)?(?:can you|could you|write|explain|tell me|give me|help me|translate|"
        r"summari[sz]e|draft|list|recommend|generate|define|convert)\b|帮我|给我|请|推荐|解释|翻译",
        _I,
    ),
    "social": re.compile(
        rf"^(?:{_SOCIAL_WORDS})\b"
        r"|^(?:嗨|哈喽|你好|拜拜|再见|晚安|早安|谢谢|多谢|感谢|恭喜|辛苦|加油|哈哈|好的|好吧|嗯|哇|天哪|太(?:好|棒|不容易|厉害|可惜|难)|"
        r"真(?:好|棒|不容易|厉害|可惜)|没事|没关系|明天见|回头聊|下次聊)",
        _I,
    ),
    "first_person": re.compile(r"\b(?:i|i'm|im|i've|my|me|we|our|us)\b|我", _I),
}
"""Each cue is a regular expression; a message has the cue when it matches (the cues of
:data:`ONLY_WITHOUT_STATEMENT` only where the speaker states nothing of their own)."""

ONLY_WITHOUT_STATEMENT: frozenset[str] = frozenset({"question", "request", "social"})
"""Cues of a message worth nothing, which a statement of the speaker's beside them outweighs."""

CUE_NAMES: tuple[str, ...] = (*CUES, "fact_mid", "fact_long")
"""Feature order: the regex cues, then "extraction found a mid/long-term fact"."""

_OWN = re.compile(r"\b(?:i|i'm|im|i've|i'd|i'll|my|me|we|we're|our|us)\b|我", _I)
MIN_WORDS = 3
"""Words (English) or characters (Chinese) a clause needs to state something of its own."""
_WORD = re.compile(r"[A-Za-z']+|[\u4e00-\u9fff]")
_EMOJI = re.compile(r"[\u2600-\u27bf\U0001f000-\U0001faff]+\ufe0f?\s+")
"""An emoji followed by more words ends a sentence in chat ("I'm so nervous 😅 Any tips?")."""


def states_own(text: str, now: datetime) -> bool:
    """Whether ``text`` states something of the speaker's: a clause that is no question, request,
    supposition or quoted text, speaks of the speaker, and has three words (English) or characters
    (Chinese) at least or a fact that extraction finds ("I'm Rosa"; not "Anyway" or "I see")."""
    said = stated_clauses(_EMOJI.sub(lambda emoji: emoji.group().strip() + ". ", text))
    return any(
        _OWN.search(clause.text) and (len(_WORD.findall(clause.text)) >= MIN_WORDS or fact_tiers(clause.text, now))
        for clause in said
    )


def cues(text: str, now: datetime) -> dict[str, bool]:
    """Which cues ``text`` has (the fact cues come from :mod:`~tiermem.agents.extract`)."""
    found = {name: bool(pattern.search(text)) for name, pattern in CUES.items()}
    if any(found[name] for name in ONLY_WITHOUT_STATEMENT) and states_own(text, now):
        for name in ONLY_WITHOUT_STATEMENT:
            found[name] = False
    if found["instruction"]:
        found["request"] = False
    tiers = fact_tiers(text, now)
    found["fact_mid"] = "mid" in tiers
    found["fact_long"] = "long" in tiers
    return found


def cue_vector(text: str, now: datetime) -> np.ndarray:
    """The cues as a 0/1 float32 vector in :data:`CUE_NAMES` order."""
    found = cues(text, now)
    return np.array([found[name] for name in CUE_NAMES], dtype=np.float32)
