"""Rules for work: an occupation, had, taken or left, and an employer."""

from __future__ import annotations

from .fact_patterns_common import ANYMORE, I_AM, NO_LONGER_BE, VALUE, WHO, ZH_NO_LONGER, ZH_VALUE, Pattern, rule
from .fact_values import ENDED, ended, job, teacher
from .fact_words import (
    INSTITUTIONS,
    JOB_WORDS_BEFORE,
    JOBS,
    NOT_A_NAME,
    NOT_HOW,
    RELATIONS,
    ZH_COMPANIES,
    ZH_JOBS,
    ZH_RELATIONS,
)
from .statements import ABBREVIATION_DOT

_APPS = (
    r"(?:Facebook|Instagram|Twitter|X|TikTok|Snapchat|Reddit|YouTube|WhatsApp|Netflix|Spotify|Tinder|Bumble|Hinge"
    r"|Duolingo|Threads|Discord|Slack|Candy\s+Crush|Fortnite|Minecraft|Pinterest|LinkedIn)"
)
"""Apps and services one quits as a habit, no employer ("I quit Instagram for a month")."""
_BEEN = r"['’]ve\s+been|\s+have\s+been|\s+has\s+been|['’]s\s+been"
"""A state held since some time ("I've been working at Google for 5 years", "I have been a teacher")."""
_JOB = rf"(?:\d{{1,3}}[- ](?:year|yr)s?[- ]old\s+)?(?P<value>{JOB_WORDS_BEFORE}(?:{JOBS}))\b"
"""An occupation named by its word (:data:`JOBS`) and up to three before it ("pediatric nurse", "high
school math teacher"), after an age said before it ("a 41-year-old chef")."""
_TAUGHT = (
    r"(?!(?:my|our|his|her|their|your|the|them|him|me|you|it|this|that|a|an|people|kids|children|students|"
    r"at|in|for|from|part|full|online|here|there|how|what|myself|yourself|every|each|twice|once)\b)"
    r"(?P<value>(?:[a-z]+\s+){0,3}?[a-z]+)(?=\s*(?:$|[,.!;?]|(?:at|in|to|for|on|and|but|with|online|part-time|"
    r"full-time|since|because|now|these|every)\b))"
)
"""What one teaches, said after "teach": a subject of up to four words ("high school chemistry", "piano")
up to where it is taught, to whom or since when; not whom ("my kids", "them") or how."""
_ZH_JOB = rf"(?P<value>[^，。！？\s的]{{0,6}}?(?:{ZH_JOBS}))"
_COMPANY = rf"(?-i:(?P<value>[A-Z][\w&'-]*(?:{ABBREVIATION_DOT})?(?:\s+[A-Z][\w&'-]*(?:{ABBREVIATION_DOT})?){{0,3}}))"
"""An employer's name, capitalised, its abbreviations' dots kept ("Google", "Goldman Sachs", "St. Mary's")."""
_ZH_WHO_NOW = rf"(?:我(?:的)?(?P<subject>{ZH_RELATIONS})?|(?P<unsaid>^\s*(?=现在|目前|如今)))(?:现在|目前|如今)?"
"""The speaker, a relation, or no one named before "now" (我辞职了，现在当老师: Chinese leaves the
speaker unsaid); then the clause ends with the job (:data:`_ZH_JOB_SAID`; not 现在当老师很辛苦)."""
_ZH_JOB_SAID = r"(?(unsaid)(?=\s*[了啦呢哦]?\s*$))"
_A_FIRM_CALLED = (
    r"an?\s+(?:(?:new|small|big|tiny|young|local|tech|software|fintech|biotech|design|law|consulting)\s+){0,2}"
    r"(?:startup|start-up|company|firm|agency|bank|lab|studio|consultancy|hospital|school|nonprofit|non-profit)"
    r"\s+(?:called|named)\s+"
)
"""A firm said before its name ("a startup called", "a small law firm named")."""

_RANKS = (
    r"lead|leader|head|chief|partner|president|vp|ceo|cto|cfo|coo|cio|captain|sergeant|lieutenant|major|colonel|"
    r"commander|officer|associate|executive|specialist|foreman|superintendent|dean|chair(?:man|woman|person)?"
)
"""Posts one is promoted or appointed to that :data:`JOBS` leaves out ("team lead", "partner", "VP of sales")."""
_TITLE = (
    r"(?P<value>(?:(?!(?:the|an?|my|our|his|her|their|your|like|feel|look|be|to|of)\b)[a-z-]+\s+){0,3}?"
    rf"(?:{JOBS}|{_RANKS})(?:\s+of\s+(?!the\s+(?:house|household|family)\b)(?:[a-z]+\s+)?[a-z]+)?)(?!['’]s)"
    r"(?:\s+(?:position|role|post|job))?"
    r"(?=\s*(?:$|[,.!;?)]|(?:and|but|at|in|with|for|today|yesterday|last|this|on|after|since|because|so|now|"
    r"recently|earlier|finally|officially|which|who|effective|starting|from|over|as|by)\b))"
)
"""A post, said after "promoted to" or "made me": a job or rank word (:data:`_RANKS`) and up to three
words before it ("lead engineer", "senior vice president"), maybe "of" a department ("head of
marketing"); the post ends there ("promoted to major league" names none, nor "the next grade")."""
_PROMOTED = (
    r"(?:(?:\s+(?:just|finally|recently|officially|also))*"
    r"(?:(?:['’](?:ve|s)|\s+(?:have|has|had))(?:\s+(?:just|finally|recently|officially|also))*\s+been"
    r"|\s+(?:was|were|got|gotten)|['’]m|\s+am|\s+is)"
    r"(?:\s+(?:just|finally|recently|officially|been|now))*\s+(?:promoted|bumped\s+up)\s+to\s+(?:be(?:come)?\s+)?"
    r"|(?:\s+(?:just|finally|recently|officially))*\s+got\s+(?:a\s+|my\s+)?promotion\s+to\s+)"
)
"""Said after who: the words of a promotion had ("was promoted to", "'ve just been promoted to", "got
a promotion to"); not one hoped for ("I hope to get promoted"), denied ("I didn't get promoted") or to
come ("I'm getting promoted")."""
_MADE_ME = (
    r"\b(?:they|he|she|we|my\s+boss|the\s+(?:company|board|firm))(?:\s+(?:just|finally|officially))*"
    r"\s+(?:made|named|appointed)\s+me"
)
_WAS_MADE = (
    r"(?:\s+(?:was|were|got|have\s+been|has\s+been)|['’](?:ve|s)\s+been)(?:\s+(?:just|finally|officially))*"
    r"\s+(?:made|named|appointed)"
)
"""A post given: "they made me", "my boss named me"; said after who, "was made", "'ve been appointed"."""
_THE_POST = r"(?:the\s+(?:(?:rank|position|role|post|title)\s+of\s+)?|an?\s+)?(?:new\s+)?"
_ZH_PROMOTED = r"(?:已经|刚刚?|终于|正式|今天)*(?:被)?(?:升职|晋升|提拔|提升|升|任命)(?:为|成为?|到|做|当)了?"

_A_JOB = r"(?:a\s+|my\s+)?(?:(?:new|first|dream|summer|part-time|full-time)\s+)*(?:job|position|role)"
"""A job taken ("a new job", "my first job", "my dream job")."""
_HOURS = (
    r"(?:\s+(?:part[- ]?time|full[- ]?time|freelance|from\s+home|remotely"
    r"|nights|days|evenings|weekends|overnight|shifts|long\s+hours"
    r"|(?:the\s+)?(?:night|day|late|early|evening|morning|weekend|\d{1,2}[- ]hour)\s+shifts?))"
)
"""How one works, said before "as" ("I work part-time as a pharmacist", "I work from home as a translator",
"works nights as an ER doctor", "works night shifts as a nurse")."""
WORK_PATTERNS: tuple[Pattern, ...] = (
    # a job, had or taken: "I work at Google as a ...", "My brother works as a chef", "I started a new job
    # at Siemens as an engineer", "I left Google and joined Microsoft as a product manager"
    rule(
        rf"{WHO}(?:['’]m|\s+am|\s+is|{_BEEN})?\s+(?:now\s+|currently\s+|just\s+|recently\s+)?(?:(?:works?|working){_HOURS}?(?:\s+(?:at|for)\s+[^,.!?;\n]{{1,30}}?)?"
        rf"|(?:started|begun|began)(?:\s+working)?|(?:started|began|got|landed|took)\s+{_A_JOB}(?:\s+[^,.!?;\n]{{1,30}}?)?)"
        rf"\s+as\s+(?:an?\s+)?{NOT_HOW}{VALUE}",
        "occupation",
        "long",
        job,
    ),
    rule(
        rf"\bjoined\s+{NOT_A_NAME}(?-i:[A-Z])[\w&'-]*(?:\s+(?-i:[A-Z])[\w&'-]*){{0,3}}\s+as\s+(?:an?\s+)?{VALUE}",
        "occupation",
        "long",
        job,
        about_speaker=True,
    ),
    # a promotion is the new job: "I got promoted to lead engineer", "my sister was made head nurse",
    # "they made me partner", "I'm now the team lead", 我升为主管了, 我姐姐被提拔为副总
    rule(rf"{WHO}{_PROMOTED}{_THE_POST}{_TITLE}", "occupation", "long", job),
    rule(rf"(?:{_MADE_ME}|{WHO}{_WAS_MADE})\s+(?:as\s+)?{_THE_POST}{_TITLE}", "occupation", "long", job),
    rule(rf"{WHO}(?:['’][ms]|\s+am|\s+is)\s+(?:now\s+|officially\s+)+{_THE_POST}{_TITLE}", "occupation", "long", job),
    rule(
        rf"(?:我(?:的)?(?P<subject>{ZH_RELATIONS})?|(?P<pronoun>[他她])){_ZH_PROMOTED}\s*{_ZH_JOB}(?!的)",
        "occupation",
        "long",
    ),
    # what one teaches is the job: "I teach high school chemistry", "my wife teaches piano"
    rule(
        rf"{WHO}(?:\s+(?:now|currently|still|also|actually))*\s+teach(?:es)?\s+{_TAUGHT}", "occupation", "long", teacher
    ),
    rule(
        rf"\bi\s+(?:just\s+|recently\s+|finally\s+|have\s+|'ve\s+)?(?:became|become)\s+an?\s+{_JOB}",
        "occupation",
        "long",
    ),
    rule(
        rf"(?:{I_AM}(?:now\s+|finally\s+|officially\s+)?|\bi\s+(?:just\s+|finally\s+|have\s+|'ve\s+)?"
        rf"|\b(?:my|our)\s+(?P<subject>{RELATIONS})(?:\s+is|['’]s|\s+has|\s+just|\s+finally)?\s+(?:now\s+|finally\s+|officially\s+)?)"
        r"(?P<value>retired)\b(?=\s*(?:$|[.,!;?]|(?:now|last|this|in|from|after|early|a|two|three|\d+)\b))",
        "occupation",
        "long",
    ),
    rule(
        rf"我(?:的)?(?P<subject>{ZH_RELATIONS})?(?:已经|刚|刚刚|去年|今年|前年|早就)*(?P<value>退休)了",
        "occupation",
        "long",
        lambda _: "retired",
    ),
    # a job left: "I quit my nurse job", "I left my job as a teacher", "I'm no longer a nurse"
    rule(
        rf"\bi\s+(?:just\s+)?(?:quit|left|lost)\s+my\s+(?:job|position|role)\s+as\s+an?\s+{_JOB}",
        "occupation",
        "long",
        ended(),
    ),
    rule(
        rf"\bi\s+(?:just\s+)?(?:quit|left|lost)\s+my\s+{_JOB}\s+(?:job|position|role)\b", "occupation", "long", ended()
    ),
    rule(rf"{NO_LONGER_BE}an?\s+{_JOB}", "occupation", "long", ended()),
    rule(
        rf"\b(?:i(?:'m|’m|m|\s+am|{_BEEN})|(?:my|our)\s+(?P<subject>{RELATIONS})(?:\s+(?-i:[A-Z][a-z]+))?(?:\s+is|['’]s)"
        r"|(?P<pronoun>she|he)(?:'s|’s|\s+is))\s+"
        rf"(?:now\s+|currently\s+|also\s+|still\s+|actually\s+|officially\s+|finally\s+)*an?\s+{_JOB}",
        "occupation",
        "long",
    ),
    rule(
        rf"(?:{_ZH_WHO_NOW}|(?P<pronoun>[他她]))(?:已经|也)?是(?:一名|一个|个|名)?\s*{_ZH_JOB}{_ZH_JOB_SAID}",
        "occupation",
        "long",
    ),
    rule(rf"我(?:是一名|是一个|的工作是)\s*{ZH_VALUE}", "occupation", "long"),
    rule(
        rf"{_ZH_WHO_NOW}(?:在[^，。！？\s]{{1,10}}?)?(?:转行)?(?:做|当)了?\s*{_ZH_JOB}{_ZH_JOB_SAID}",
        "occupation",
        "long",
    ),
    rule(
        rf"{_ZH_WHO_NOW}(?:在[^，。！？\s]{{1,10}}?)?(?:转行)?(?:做|当)了?\s*{_JOB}{_ZH_JOB_SAID}", "occupation", "long"
    ),
    rule(
        rf"我(?:现在|已经)?(?:{ZH_NO_LONGER}(?:是|当|做)|辞(?:掉|去)了)(?:一名|一个|个|名)?\s*{_ZH_JOB}",
        "occupation",
        "long",
        ended(),
    ),
    # an employer: "I work at Google", 我在Google做software engineer, 我在华为公司上班
    rule(
        rf"{WHO}(?:['’]m|\s+am|\s+is|{_BEEN})?\s+(?:now\s+|currently\s+|still\s+|just\s+|recently\s+)?"
        r"(?:(?:works?|working|started|began)(?:\s+working)?(?:\s+as\s+(?:an?\s+)?[a-z][a-z -]{1,40}?)?\s+(?:at|for)"
        rf"|(?:started|began|got|landed|took)\s+{_A_JOB}"
        r"(?:\s+as\s+(?:an?\s+)?[a-z][a-z -]{1,40}?)?\s+(?:at|with)"
        # a move for the job: "I moved to Berlin for a job at Zalando", "my wife relocated here for a role at Meta"
        r"|(?:moved|relocated|came)\b[^.!?;\n]{0,50}?\bfor\s+(?:a|an|my|his|her|the)\s+(?:new\s+)?(?:job|position|role)"
        r"\s+(?:at|with))"
        rf"\s+{NOT_A_NAME}{_COMPANY}",
        "employer",
        "long",
    ),
    # an employer left: "I quit my job at Google" (no longer Google), "I quit my job and now I work as a
    # teacher" (the employer unsaid: "no longer has that job")
    rule(
        rf"\bi\s+(?:just\s+|finally\s+)?(?:quit|left|lost)\s+my\s+(?:job|position)\s+(?:at|with)\s+{_COMPANY}",
        "employer",
        "long",
        ended(),
    ),
    # "I don't work at Google anymore", "I no longer work for Siemens", "my wife doesn't work at Meta anymore"
    rule(
        rf"{WHO}\s+(?:no\s+longer|(?:don['’]t|do\s+not|doesn['’]t|does\s+not){ANYMORE})\s+works?\s+(?:at|for)\s+"
        rf"{NOT_A_NAME}{_COMPANY}",
        "employer",
        "long",
        ended(),
    ),
    rule(
        r"\bi\s+(?:just\s+|finally\s+)?(?:quit|left|lost)\s+my\s+(?:job|position)\b(?!\s+(?:as|at|with)\b)",
        "employer",
        "long",
        lambda _: f"{ENDED}has that job",
    ),
    # an employer said with the job: "I'm a software engineer at Google", "my sister is a nurse at Charité"
    # (a student's is a school, ``fact_patterns_background``)
    rule(
        rf"\b(?:i(?:'m|’m|m|\s+am)|(?:my|our)\s+(?P<subject>{RELATIONS})(?:\s+is|['’]s)|(?P<pronoun>she|he)(?:'s|’s|\s+is))\s+"
        rf"(?:now\s+|currently\s+|also\s+|still\s+|actually\s+)*an?\s+(?:[a-z-]+\s+){{0,3}}?(?!student\b)(?:{JOBS})\s+"
        rf"(?:at|for|with)\s+(?:the\s+)?{NOT_A_NAME}{_COMPANY}",
        "employer",
        "long",
    ),
    # "I joined Microsoft as ...", "I left Google and joined Microsoft": joining, not a club ("joined a book club")
    # "I quit Google and joined a startup called Finch", "I joined a small firm called Lark & Co"
    rule(
        rf"\b(?:(?P<left>left|quit)\s+[^,.!?;\n]{{1,40}}?\s+and\s+(?:then\s+)?)?joined\s+"
        rf"(?:(?P<firm>{_A_FIRM_CALLED})|{NOT_A_NAME}){_COMPANY}(?(left)|(?(firm)|(?=\s+as\b)))",
        "employer",
        "long",
        about_speaker=True,
    ),
    # an employer left in so many words: "I was laid off from Google", "I got fired from Amazon",
    # "I resigned from Siemens"
    rule(
        r"\bi\s+(?:just\s+|finally\s+)?(?:(?:was|got|have\s+been|['’]ve\s+been)\s+(?:laid\s+off|fired|let\s+go)|resigned)"
        rf"\s+(?:from|at|by)\s+(?:my\s+(?:job|position)\s+(?:at|with)\s+)?{NOT_A_NAME}{_COMPANY}",
        "employer",
        "long",
        ended(),
    ),
    # "I quit Google last week", "I just quit Amazon" (quitting a name is leaving an employer: "I quit
    # smoking" names none, nor "I quit Instagram"; "I left Google" may be a place left, "I left London")
    rule(
        rf"\bi\s+(?:just\s+|finally\s+|officially\s+)?quit\s+{NOT_A_NAME}(?!{_APPS}\b)(?=(?-i:[A-Z])){_COMPANY}",
        "employer",
        "long",
        ended(),
    ),
    # an employer moved to: "I switched to Mercy Hospital", "my wife transferred to Stanford University",
    # "I changed jobs to Acme Corp"; a name that ends as an institution does ("switched to Android" names none)
    rule(
        rf"{WHO}\s+(?:just\s+|recently\s+|finally\s+|actually\s+)*(?:switched|moved|transferred|changed)"
        rf"(?:\s+(?P<jobs>jobs?|employers?|companies|over))?\s+to\s+(?:the\s+)?{NOT_A_NAME}"
        rf"(?(jobs)|(?=(?:[\w&'.-]+\s+){{0,3}}(?-i:{INSTITUTIONS})(?!\w))){_COMPANY}",
        "employer",
        "long",
    ),
    # an employer left: 我刚从腾讯离职, 我老公从华为辞职了
    rule(
        rf"我(?:的)?(?P<subject>{ZH_RELATIONS})?(?:刚|已经|上个月|去年)*从\s*(?P<value>[A-Za-z][\w&-]*|{ZH_COMPANIES}"
        r"|(?!一家|一个|某|那|这)[^，。！？\s]{1,10}?)\s*(?:离职|辞职|跳槽)",
        "employer",
        "long",
        ended(),
    ),
    rule(
        rf"我(?:的)?(?P<subject>{ZH_RELATIONS})?(?:现在|目前)?在\s*(?P<value>[A-Za-z][\w&-]*(?:\s+[A-Za-z][\w&-]*)*|{ZH_COMPANIES}"
        r"|(?!一家|一个|某)[^，。！？\s]{1,10}?(?:公司|集团|银行|医院|大学|学院|学校|中学|小学|研究所|研究院))"
        r"\s*(?:做|当|工作|上班|实习)",
        "employer",
        "long",
    ),
)
"""Occupations, had, taken and left, then employers."""
