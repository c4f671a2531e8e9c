"""Rules for plans (an exam, a flight, a move, a wedding, a trip): mid-term facts, and the Chinese words
that tell a plan to come from one past.
"""

from __future__ import annotations

import re

from tiermem.memory.versions import ENDED

from .fact_patterns_common import ZH_DAY_AHEAD, ZH_KIN_WORD, Pattern, rule
from .fact_values import event, whole_statement
from .fact_words import ZH_RELATIONS

_EVENT = (
    r"(?P<value>(?:[^.,!?;\n。，！？；]{2,40}?\s)?(?:on|at|in|next|this|tomorrow|by|before|after)\b"
    r"[^.,!?;\n。，！？；]{1,40})"
)
"""A place or occasion and when: "Denver at the end of the month", "on September 14th"."""
_SEEN = (
    r"(?:doctor|doc|gp|dentist|vet|physio|physiotherapist|therapist|psychiatrist|dermatologist|optometrist|"
    r"optician|orthodontist|cardiologist|gynecologist|gynaecologist|pediatrician|paediatrician|allergist|chiropractor)"
)
"""Whom one sees at an appointment ("eye doctor", "the dentist")."""
ZH_FUTURE = re.compile(
    r"明天|后天|下周|下个?星期|下个?礼拜|下个?月|周[一二三四五六日天末]|星期[一二三四五六日天]|\d+[号日]|今天|今晚|今年|明年|月底|待会|马上|即将|快要|要"
)
"""Chinese words of a time to come (明天, 下个月, 要): a clause with a Chinese plan must say one."""
ZH_HABIT = re.compile(r"喜欢|爱(?!人)|经常|常常|总是|通常|平时|每(?:天|周|个|年|次|逢)|一直|从来")
"""Chinese words of what one does as a habit (我周末喜欢去爬山): a clause with one states no plan."""
ZH_PAST = re.compile(r"上周|上个|昨天|前天|去年|以前|挂了|过了|结束|完了|讨厌|害怕|怕")
"""Chinese words of a time past or a plan over or feared (昨天, 去年, 结束, 怕): a clause with one states
no plan to come (a plan needs one of :data:`ZH_FUTURE` and none of these)."""

_ZH_ROUTINE = r"(?:上班|上学|公司|学校|单位|超市|医院|买|睡|吃|看看|接|送|健身房)"
"""Where one goes on any day, no trip (明天去上班, 明天去超市买菜, 下周一去接孩子)."""
_ZH_OTHER_PLAN = r"(?:考试|面试|预约|复诊|复查|体检|手术|航班|出差|旅游|旅行|度假|开会|看牙医|看医生|结婚)"
"""A plan of another kind said with where one goes (下周二去医院体检 is a checkup; 明天去北京出差 a trip as such)."""

_PLANNED = r"(?:exam|appointment|interview|meeting|flight|surgery|trip|wedding|move|party|vacation|holiday)"
"""Plans a message may call off or move by their word."""
_OF_IT = r"(?:[a-z]+(?:['’]s)?\s+)?"
"""A word before the plan that says which ("my dentist appointment", "my Paris trip")."""


def _cancelled(_: re.Match[str]) -> str:
    return f"{ENDED}planned (cancelled)"


PLAN_CHANGE_PATTERNS: tuple[Pattern, ...] = (
    # a plan called off: "My flight to Paris got cancelled", "I cancelled my dentist appointment",
    # "We called off the wedding" (the plan of that kind ends: the agenda lists it no more)
    rule(
        rf"\b(?:my|our|the)\s+{_OF_IT}(?P<what>{_PLANNED})(?:\s+(?:to|with|in|for)\s+[^.,!?;\n]{{1,30}}?)?\s+"
        r"(?:is|was|has\s+been|had\s+been|got|just\s+got)\s+(?:been\s+)?(?:just\s+)?(?:cancell?ed|called\s+off|scrapped)\b",
        "plan",
        "mid",
        _cancelled,
        about_speaker=True,
    ),
    rule(
        rf"\b(?:i|we)\s+(?:just\s+|had\s+to\s+|have\s+|['’]ve\s+)?(?:cancell?ed|called\s+off|scrapped)\s+(?:my|our|the)\s+"
        rf"{_OF_IT}(?P<what>{_PLANNED})\b",
        "plan",
        "mid",
        _cancelled,
    ),
    # a flight called off is the trip's too: "I'm flying to Paris on June 10th", then "My flight to
    # Paris got cancelled"
    rule(
        r"\b(?:my|our|the)\s+flight\s+to\s+(?-i:[A-Z])[^.,!?;\n]{0,30}?\s+(?:is|was|has\s+been|got|just\s+got)\s+"
        r"(?:been\s+)?(?:cancell?ed|called\s+off)\b",
        "plan_trip",
        "mid",
        _cancelled,
        about_speaker=True,
    ),
    # 我的航班取消了, 婚礼被取消了, 面试取消了
    rule(
        r"(?:我(?:们)?的?)?(?P<what>考试|面试|预约|复诊|复查|体检|手术|航班|婚礼|旅行|旅游|出差|会议)(?:已经|也)?(?:被)?取消了?",
        "plan",
        "mid",
        _cancelled,
        about_speaker=True,
    ),
    # a plan moved: "I rescheduled my dentist appointment to Friday", "we postponed the wedding until June"
    rule(
        rf"\b(?:i|we)\s+(?:just\s+|had\s+to\s+)?(?:rescheduled|moved|postponed|pushed(?:\s+back)?|changed)\s+"
        rf"(?:my|our|the)\s+{_OF_IT}(?P<what>{_PLANNED})\s+(?:to|until|till|for)\s+"
        r"(?P<value>[^.,!?;\n]{2,40})",
        "plan",
        "mid",
        event,
    ),
)
"""Plans called off or moved to another day."""

_TASK_DAY = (
    r"(?![^.!?;\n]*\b(?:every|each|usually|always)\b)"
    r"(?:tomorrow|tonight|today|(?:on|by|next|this)\s+(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|the\s+\d{1,2}(?:st|nd|rd|th)?|week|month)"
    r"|(?:on|by)\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d|before\s+(?:friday|monday|the\s+\d))\b"
)
"""The day a task is for, said after it ("tomorrow", "by Friday", "on the 1st"), not a habit's ("every Sunday")."""
_I_OR_WE_ARE = r"\b(?:i|we)(?:['’]m|['’]re|\s+am|\s+are|['’]ll\s+be|\s+will\s+be)\s+"
_GATHERINGS = r"party|dinner|bbq|barbecue|potluck|brunch|gathering|celebration|reunion|get-together|sleepover"
"""What one hosts ("a dinner party", "a BBQ", "a baby shower" is a party said otherwise)."""
_DAY_TO_COME = (
    r"(?:on|next|this|tomorrow|tonight|(?:mon|tues|wednes|thurs|fri|satur|sun)day|at\s+\d|in\s+(?:two|\d+)\s+weeks)\b"
)
"""Words that start the day a plan is for ("on", "next", "Saturday", "at 7")."""

PLAN_PATTERNS: tuple[Pattern, ...] = (
    rule(
        r"\b(?:i\s+have|i've\s+got|i\s+got)\s+(?:an?\s+|my\s+)?(?:[a-z]+(?:['’]s)?\s+)?(?P<what>exam|appointment|interview|meeting|flight|surgery|deadline)\s+(?P<value>(?:with\s+[^.,!?;\n]{1,30}?\s)?(?:on|at|in|next|this|tomorrow)\b[^.,!?;\n]{0,40})",
        "plan",
        "mid",
    ),
    rule(
        r"(?:^\s*|\bmy\s+)(?P<value>(?:(?!my\b)[a-z]+(?:['’]s)?\s+)?(?P<what>exam|appointment|interview|meeting|flight|surgery|deadline|"
        rf"concert|recital|graduation|conference|{_GATHERINGS})"
        r"\s+(?:to\s+(?-i:[A-Z])[\w-]*\s+|(?:for|with)\s+(?:(?:my|our|the|his|her)\s+)?[\w.'’-]+(?:\s+(?-i:[A-Z])[\w'’-]*)?\s+)?"
        # "is UA 123 on June 14": a flight's number before its day
        r"(?:is\s+|'s\s+)?(?:(?:flight\s+)?(?-i:[A-Z][A-Z0-9]\s?\d{1,4})\s+)?"
        r"(?:on|at|in|next|this|tomorrow|today|tonight)\b[^.,!?;\n]{0,40})",
        "plan",
        "mid",
        event,
    ),
    rule(
        r"\bmy\s+(?:next\s+)?(?P<what>exam|appointment|interview|meeting|flight|surgery|deadline)\s+is\s+(?P<value>(?:on|at|in|next|this|tomorrow)[^.,!?;\n]{0,40})",
        "plan",
        "mid",
    ),
    rule(
        rf"\b(?:(?:i'm|i’m|im|i\s+am|we're|we\s+are)\s+)?(?:moving|relocating)\s+to\s+{_EVENT}",
        "plan_move",
        "mid",
        event,
        about_speaker=True,
    ),
    rule(
        r"(?:^\s*|\b(?:i'm|i’m|im|i\s+am|we're|we\s+are|i'll\s+be|we'll\s+be)\s+)(?:flying|going|travel+ing|heading|driving)\s+to\s+(?-i:[A-Z])[^.,!?;\n]{0,32}?\s(?:on|next|this|tomorrow|in|from(?=\s+(?:the\s+)?(?:\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b)))\b[^.,!?;\n]{0,30}",
        "plan_trip",
        "mid",
        whole_statement,
    ),
    # a trip planned or booked by its name: "I'm planning a trip to Japan in April", "We booked a vacation to
    # Crete for June", "I'm taking a holiday to Lisbon next month" (value: "to Japan in April")
    rule(
        r"\b(?:i|we)(?:['’]m|['’]re|['’]ve|\s+am|\s+are|\s+have)?\s+(?:just\s+)?(?:planning|taking|going\s+on|booked)\s+"
        r"(?:a|an|our|my)\s+(?:[a-z]+\s+)?(?:trip|vacation|holiday|getaway)\s+"
        r"(?P<value>to\s+(?-i:[A-Z])[^.,!?;\n]{0,20}?\s(?:on|next|this|tomorrow|in|for)\b[^.,!?;\n]{0,30})",
        "plan_trip",
        "mid",
        event,
    ),
    # a departure said in the present: "We fly out to Reykjavik on the 17th", "I leave for Tokyo next week"
    rule(
        r"\b(?:i|we)\s+(?:fly|leave|head|depart|set\s+off|take\s+off)(?:\s+(?:out|off|back))?\s+(?:to|for)\s+"
        r"(?-i:[A-Z])[^.,!?;\n]{0,20}?\s(?:on|next|this|tomorrow|in)\b(?![^.,!?;\n]*\b(?:every|each|usually)\b)"
        r"[^.,!?;\n]{0,30}",
        "plan_trip",
        "mid",
        whole_statement,
    ),
    # a visit said as who is seen and when: "Eye doctor on Thursday at 4:30", "I have the dentist tomorrow"
    rule(
        rf"(?:^\s*|\bi\s+(?:have|['’]ve\s+got|got)\s+(?:an?\s+|the\s+|my\s+)?)(?P<value>(?:[a-z]+\s+)?{_SEEN}(?:['’]s)?\s+"
        r"(?:on|next|this|tomorrow|today|tonight|at\s+\d)\b(?![^.,!?;\n]*\b(?:said|says|told|was|were|gave)\b)"
        r"[^.,!?;\n]{0,40})",
        "plan_appointment",
        "mid",
        event,
    ),
    # a task for a day to come: "Remind me to call the plumber tomorrow", "I need to renew my passport by
    # Friday", "I have to pick up the kids at 3 on Friday" (not a habit: "I have to work every Sunday")
    rule(
        r"(?:^\s*(?:(?:please|pls|hey|ok|okay|also)[,!]?\s+)*(?:(?:can|could|will|would)\s+you\s+(?:please\s+)?)?"
        r"(?:remind\s+me|don['’]?t\s+let\s+me\s+forget)\s+to"
        r"|\b(?:i|we)\s+(?:really\s+|still\s+|also\s+)?(?:(?:need|have|got)\s+to|must|gotta))\s+"
        rf"(?P<value>(?!(?:to|be|go\s+to\s+bed|sleep|work\s+(?:late|hard))\b)[a-z][^.!?;\n]{{2,50}}?\s{_TASK_DAY}[^.!?;\n]{{0,30}})",
        "plan_task",
        "mid",
        event,
    ),
    # a gathering one holds: "We're hosting a dinner party Saturday", "I'm throwing a BBQ on Sunday", "we're
    # having friends over for dinner on Friday" (not "I'm having a party" with no day: a plan needs one)
    rule(
        rf"{_I_OR_WE_ARE}(?:hosting|throwing|having|giving|holding)\s+(?:a|an|our|my)\s+(?P<value>(?:[a-z]+\s+){{0,2}}?"
        rf"(?P<what>{_GATHERINGS})\s+(?:for\s+[^.,!?;\n]{{1,20}}?\s+)?{_DAY_TO_COME}[^.,!?;\n]{{0,40}})",
        "plan",
        "mid",
        event,
    ),
    rule(
        rf"{_I_OR_WE_ARE}having\s+(?:some\s+)?(?:friends|people|guests|family|folks|the\s+[a-z]+)\s+over\s+for\s+"
        rf"(?P<value>(?P<what>dinner|lunch|brunch|drinks)\s+{_DAY_TO_COME}[^.,!?;\n]{{0,40}})",
        "plan",
        "mid",
        event,
    ),
    # the first day of a new job: "I got a new job at Stripe, starting Monday", "I start my new job
    # next week", "My new job starts on June 3rd", "I start at Google on Monday"
    rule(
        r"(?:\b(?:i|we)(?:['’]ve|\s+have)?\s+(?:just\s+|finally\s+)?(?:got|landed|accepted|took)\s+(?:a|the)\s+new\s+job\b"
        r"[^.!?;\n]{0,40}?,?\s+(?:and\s+i\s+)?(?:starting|i\s+start|start)|\bi\s+(?:start|begin)\s+(?:my\s+new\s+job|"
        r"(?:work\s+)?at\s+(?-i:[A-Z])[\w&.-]*(?:\s+(?-i:[A-Z])[\w&.-]*)?)|\bmy\s+new\s+job\s+(?:starts|begins))\s+"
        rf"(?P<value>(?:{_DAY_TO_COME}|in\s+(?:january|february|march|april|may|june|july|august|september|october|"
        r"november|december))[^.,!?;\n]{0,30})",
        "plan_new_job",
        "mid",
        event,
    ),
    # a baby on the way: "The baby is due in October", "My wife is due in October", "We're expecting a baby girl
    # in March", 预产期是十月 (whose baby: the speaker's, or their partner's, told as theirs)
    rule(
        r"(?:\b(?:the|my|our)\s+baby\s+is\s+due|\b(?:my|our)\s+due\s+date\s+is|\bmy\s+(?:wife|partner|girlfriend)\s+is\s+due"
        r"|\b(?:i['’]m|i\s+am|we['’]re|we\s+are)"
        r"\s+(?:expecting|having)\s+(?:a\s+baby|twins|a\s+(?:baby\s+)?(?:boy|girl)|our\s+(?:first|second|third)(?:\s+baby)?)"
        r"(?:\s+(?:boy|girl))?)\s+"
        r"(?P<value>(?:on\s+|in\s+|next\s+|this\s+|at\s+the\s+end\s+of\s+|(?=(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)))"
        r"[^.,!?;\n]{1,30})",
        "plan_baby",
        "mid",
        event,
    ),
    rule(r"预产期(?:是|在)?\s*(?P<value>[^，。！？；,.!?;\s]{2,12})", "plan_baby", "mid"),
    # a race one trains for or entered: "I'm training for a half marathon in October", "I signed up for the
    # Boston Marathon next April", "We're running a charity race on Sunday", "a 10k in September" (what: marathon,
    # triathlon, race; a distance is a race)
    rule(
        r"\b(?:(?:i['’]m|i\s+am|we['’]re|we\s+are)\s+(?:(?:currently|now|also)\s+)?(?:training\s+for|running|doing|racing)"
        r"|(?:i|we)(?:['’]ve|\s+have)?\s+(?:just\s+)?(?:signed\s+up\s+for|registered\s+for|entered))\s+(?:a|an|the|my|our)\s+"
        r"(?P<value>(?:(?-i:[A-Z])[\w'-]*\s+|[a-z]+\s+)?(?:half[\s-]|ultra[\s-]?)?(?P<what>marathon|triathlon|race|\d{1,3}\s?k(?=\s))\s+"
        r"(?:(?:on|in|next|this)\s+|(?=(?:mon|tues|wednes|thurs|fri|satur|sun)day\b))[^.,!?;\n]{1,30})",
        "plan",
        "mid",
        event,
    ),
    # where one stays on a trip: "We booked a room at Hotel Lutetia in Saint-Germain", "I'm staying at the
    # Hilton downtown", "staying at an Airbnb in Montmartre", 我们订了希尔顿酒店 (not "staying in Paris": a
    # city is the trip's, nor "staying at my sister's")
    rule(
        r"\b(?:i|we)(?:['’]m|['’]re|\s+am|\s+are|['’]ll\s+be|\s+will\s+be|['’]ve|\s+have)?\s+(?:just\s+)?"
        r"(?:staying\s+at|booked\s+(?:a\s+room\s+|two\s+nights\s+|a\s+few\s+nights\s+)?(?:at|in)(?=\s+(?:the\s+)?hotel\b|"
        r"\s+(?:the\s+|an?\s+)?(?-i:[A-Z]))|booked\s+(?:a\s+room\s+)?at|got\s+a\s+room\s+at)\s+"
        r"(?P<value>(?:the\s+|an?\s+)?(?-i:[A-Z])[\w'’&.-]*(?:\s+(?-i:[A-Z])[\w'’&.-]*){0,4}"
        r"(?:\s+(?:in|near|by)\s+(?-i:[A-Z])[\w'’-]*(?:[\s-](?-i:[A-Z])[\w'’-]*){0,2})?)",
        "hotel",
        "mid",
    ),
    # "My hotel there is the Adlon", "Our hotel in Rome is Hotel Artemide"
    rule(
        r"\b(?:my|our)\s+(?:hotel|airbnb|accommodation)(?:\s+(?:there|in\s+(?-i:[A-Z])[\w'’-]*))?\s+(?:is|will\s+be)\s+"
        r"(?:the\s+)?(?P<value>(?-i:[A-Z])[\w'’&.-]*(?:\s+(?-i:[A-Z])[\w'’&.-]*){0,4})",
        "hotel",
        "mid",
    ),
    rule(r"(?:订了|住在|住)(?P<value>[^，。！？\s]{1,12}?(?:酒店|宾馆|民宿|旅馆|青旅|客栈))", "hotel", "mid"),
    rule(
        rf"\b(?:(?:i'm|i’m|im|i\s+am|we're|we\s+are)\s+)?getting\s+married\s+{_EVENT}",
        "plan_wedding",
        "mid",
        event,
        about_speaker=True,
    ),
    rule(
        r"\b(?:my\s+)?(?:[a-z]+(?:['’]s)?\s+)?(?P<what>exam|appointment|interview|meeting|flight|surgery|deadline|trip)\s+"
        r"(?:to\s+(?-i:[A-Z])[\w-]*\s+)?(?:is\s+|was\s+)?(?:leaves|departs|starts|scheduled|booked|set|moved)\s+"
        r"(?:for\s+|(?<=moved\s)(?:(?:up|back|forward)\s+)?(?:to|until|till)\s+)?"
        r"(?P<value>(?:on|at|in|for|next|this|tomorrow)?[^.,!?;\n]{0,40})",
        "plan",
        "mid",
    ),
    rule(
        r"(?:^\s*|\b(?:my|an?)\s+)(?:[a-z]+\s+)?(?P<what>(?!(?:it|this|that|which|what|everything|something)\b)[a-z]{3,})\s+(?:is\s+|was\s+|'s\s+|got\s+|has\s+been\s+)?"
        r"(?:scheduled|booked|set|planned)\s+for\s+(?P<value>(?:on\s+|next\s+|this\s+)?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow|"
        r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?[a-z]{3}|the\s+\d|\d{1,2}[/.-]\d)[^.,!?;\n]{0,30})",
        "plan",
        "mid",
    ),
    rule(
        rf"(?P<value>{ZH_DAY_AHEAD}[^，。！？；,.!?;\s]{{0,8}}?(?P<what>考(?!虑|察|试)|飞(?!快)|结婚|看牙医|看医生|出差|旅游|旅行|度假|开会)"
        r"[^，。！？；,.!?;\s]{0,6})",
        "plan",
        "mid",
        about_speaker=True,
    ),
    # going somewhere on a day to come: 我们下周六去杭州玩, 下周我要去上海 (not 明天去上班, 明天去超市, nor
    # a habit: 我每周日都去爬山)
    rule(
        rf"(?<!每)(?P<value>{ZH_DAY_AHEAD}(?![^，。！？；,.!?;\s]*?(?:都|经常|常常|总是|通常))[^，。！？；,.!?;\s]{{0,4}}?"
        rf"(?P<what>去)(?!{_ZH_ROUTINE}|[^，。！？；,.!?;\s]*{_ZH_OTHER_PLAN})"
        r"[^，。！？；,.!?;\s]{1,8})",
        "plan",
        "mid",
        about_speaker=True,
    ),
    # 面试官 / 考试官: the interviewer, the examiner, not an interview; its day may follow (我的截止日期是下周一)
    # whose it is: 我妈下周做白内障手术 is the mother's, 他下周做手术 no one's the speaker named
    rule(
        rf"(?:我(?:的)?{ZH_KIN_WORD}(?P<subject>{ZH_RELATIONS}))?(?P<value>(?:(?![他她它])[^，。！？；,.!?;]){{0,12}}"
        r"(?P<what>考试|面试|预约|复诊|复查|体检|手术|航班|截止日期|截止时间)(?!官)"
        rf"(?:\s*(?:是|在)\s*{ZH_DAY_AHEAD}[^，。！？；,.!?;\s]{{0,4}})?)",
        "plan",
        "mid",
        about_speaker=True,
    ),
)
"""Appointments, exams, flights, moves, trips and weddings to come."""
