"""Turn a message into typed facts: ``"今天称重45kg"`` -> ``user.weight = 45 kg``.

Extraction is table-driven (:mod:`tiermem.agents.fact_patterns`: a regular
expression per rule, with the attribute it fills and the tier of its facts),
English and Chinese side by side. The patterns read only the clauses in which
the speaker states something (:mod:`tiermem.agents.statements`); this module
decides whose fact a match is, whether its value is plausible, and when it was
true: time words ("yesterday", "last week", "3 days ago", "上周") move
``observed_at`` off the message time (:mod:`tiermem.agents.timeexpr`).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from tiermem.memory.records import Fact, Tier
from tiermem.memory.versions import SET_VALUED

from .fact_patterns import MEASUREMENTS, PATTERNS, ZH_FUTURE, ZH_HABIT, ZH_PAST, Pattern
from .fact_subjects import with_subjects
from .fact_unsaid import at_work
from .fact_values import ENDED, relation
from .fact_words import FAVORITE_SPELLINGS, PET_SLUGS, RELATIONS, ZH_FAVORITE_KINDS, ZH_PLAN_KINDS, ZH_RELATIONS
from .plan_dates import upcoming, yearly_value
from .pronouns import antecedent
from .statements import CJK, Clause, by_subject, is_question, stated_clauses
from .timeexpr import find_periods

_SPEAKER_BEFORE = re.compile(
    r"(?:^|\b(?:i|i'm|im|i've|me|my|mine|myself|today|tonight|yesterday|morning|evening|afternoon|night|"
    r"just|finally|also|so|and|then|ok|okay|well|actually|only|again|recently|lately|update|currently|"
    r"already|still|now|week|weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday|this|last|"
    r"officially|fasting|resting|average|avg|daily|news|btw|fyi|anyway|hey|oh|yay|guess\s+what)\b)\W*$",
    re.IGNORECASE,
)
_OTHER_BEFORE = re.compile(rf"\bmy\s+(?P<who>{RELATIONS})(?:'s)?\b[^.!?]{{0,30}}$", re.IGNORECASE)
_ZH_OTHER_BEFORE = re.compile(rf"(?<![带陪和跟与同给])(?P<who>{ZH_RELATIONS})[^，。！？]{{0,8}}$")
"""A relation named before a Chinese statement, whose it is (我老公今天称了80公斤); not one the speaker
was with (带孩子跑了5公里, 陪妈妈走了一万步: the speaker's)."""
_WITH_ME_BEFORE = re.compile(
    r"\b(?:and|&)\s+(?:i|me)(?:\s+(?:are|were|will\s+be|have|had)|['’]re)?\s*$|\b(?:i|me)\s+and\s+my\s+\w+(?:\s+(?:are|were))?\s*$"
    r"|我(?:和|跟)[^，。！？]{1,6}$",
    re.IGNORECASE,
)
"""The speaker and someone else do what follows ("my fiancé and I are getting married", "me and my
wife are moving to Denver", 我和老公下个月搬家): it is the speaker's too."""
_ME_AND = re.compile(r"\b(?:me|i)\s+and\s+$|我(?:和|跟)$", re.IGNORECASE)
"""The speaker named before a relation, the two the subject ("Me and my husband live in Vancouver")."""
_ZH_THIRD_PERSON = re.compile(r"[他她它]|别人|大家|人家")
_GOAL_BEFORE = re.compile(
    r"\b(?:goal|target|want|wanna|would\s+like|hope|aim|plan|trying|try)\b|目标|想|希望|打算|争取", re.IGNORECASE
)


_REPORTED_BEFORE = re.compile(
    r"\b(?!i\b)[^\W\d_]+\s+(?:said|says|say|told\s+me|tells\s+me|thinks|think|claims|claimed|swears|insists)\b"
    r"|[他她们妈爸生师友人事婆公子儿姐妹哥弟家板夫妻](?:都|也|总是?|一直|常)?(?:跟我|对我|和我)?(?:说|讲|告诉我|觉得|以为|认为)",
    re.IGNORECASE,
)
"""Someone else says what follows in the clause ("he said my name is Bob", "she told me I'm ...",
"我妈说我胖了"): it is theirs to say, not the speaker's statement; what they say of themselves or
others ("my friend says he is allergic to cats") is still read, and so is what a doctor says of
the speaker's health (:data:`_DOCTOR_BEFORE`)."""
_DOCTOR_BEFORE = re.compile(
    r"\b(?:doctor|doc|dr|gp|physician|nurse|allergist|dermatologist|cardiologist|endocrinologist|specialist|"
    r"pediatrician|paediatrician|psychiatrist|dentist|tests?|results?)\s+(?:said|says|told\s+me|tells\s+me|thinks|confirmed)\b"
    r"|(?:医生|大夫|医师|护士)(?:都|也)?(?:跟我|对我|和我)?(?:说|讲|告诉我)",
    re.IGNORECASE,
)
"""A doctor or a test says what follows ("My doctor said I'm allergic to penicillin", 医生说我有
糖尿病): of the speaker's health (:data:`_HEALTH`) it is the speaker's fact, one who would know
having said it."""
_HEALTH = MEASUREMENTS | {"allergy", "condition", "medication", "diet_identity"}
"""Attributes a doctor knows of the speaker."""
_AFTER_A_READING = re.compile(r"\d\s*(?:[a-z%°/]+)?\W*$", re.IGNORECASE)
"""The words before a match end with another reading ("bp 118/76 hr 64")."""


def _subject(clause: str, match: re.Match[str], stated: str | None, previous: str | None = None) -> str | None:
    """Whose fact ``match`` states: ``stated`` (the relation the pattern named), the speaker, a
    relation named before it ("my husband weighed ..."), the owner of the reading it follows
    (``previous``: "bp 118/76 hr 64"), or ``None`` (someone else's, a generic statement "cats
    sleep 15 hours", or a goal "my goal weight is 60 kg")."""
    if stated:
        return relation(stated)
    before = clause[: match.start()]
    if _GOAL_BEFORE.search(before):
        return None
    if previous and _AFTER_A_READING.search(before):
        return previous
    if match.group().lower().startswith(("i ", "i'm", "我", "we ", "we're", "we’re")):
        return "user"
    if _WITH_ME_BEFORE.search(before):
        return "user"
    other = _OTHER_BEFORE.search(before) or _ZH_OTHER_BEFORE.search(before)
    if other:
        return relation(other["who"])
    if CJK.search(before):  # Chinese leaves the speaker unsaid
        return None if _ZH_THIRD_PERSON.search(before) else "user"
    return "user" if _SPEAKER_BEFORE.search(before) else None


def _attribute(pattern: Pattern, match: re.Match[str]) -> str:
    what = match.groupdict().get("what")
    if not what:
        return pattern.attribute
    if pattern.attribute == "relation":
        return relation(what)
    if pattern.attribute == "plan":
        return f"plan_{ZH_PLAN_KINDS.get(what, 'race' if what[0].isdigit() else what.lower())}"  # a 10k is a race
    if pattern.attribute == "favorite" and CJK.search(what):
        kind = ZH_FAVORITE_KINDS.get(what)
        return f"favorite_{kind}" if kind else "favorite"
    if pattern.attribute == "favorite":  # "favourite colour" is favorite_color
        what = FAVORITE_SPELLINGS.get(what.lower(), what)
    return f"{pattern.attribute}_{what.lower().replace(' ', '_')}"


def observed_time(text: str, now: datetime, *, past: bool = False, measured: bool = False) -> datetime:
    """When a statement was true: the day of the first past period ``text`` names ("yesterday",
    "3 days ago", "上周": its last day), at the time of day of ``now``; else ``now``. A day named
    without its year ("on 5 June", "6月5日") may lie ahead and dates nothing, unless the statement
    is ``past`` ("I weighed 70 kg on 5 June"): then it is the latest such day; or ``measured`` (a
    measurement, which cannot lie ahead): then it is such a day earlier this year."""
    today = now.date()
    for period in find_periods(text, now):
        earlier_this_year = measured and period.end < today and period.start.year == today.year
        if period.start <= today and (past or earlier_this_year or not period.year_guessed):
            return now - timedelta(days=(today - min(period.end, today)).days)
    return now


_NO_ALLERGEN = re.compile(
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)days?|mornings?|work(?:ing)?|school|homework|people|"
    r"adulting|responsibility|responsibilities|math|chores|meetings?|my\s+(?:boss|job|ex))\b"
    r"|(?:周[一二三四五六日天末]|星期[一二三四五六日天]|礼拜[一二三四五六日天]|上班|工作|加班|上学|学习|作业|考试|开会|早起|数学|老板|人类?|穷)$",
    re.IGNORECASE,
)
"""What no one is allergic to but many joke about ("I'm allergic to Mondays 😂", 我对周一过敏哈哈)."""


MAX_WEIGHT = 1500
"""The largest number a weight may be said with (pounds and 斤 included)."""
_NO_HOME = re.compile(
    r"\b(?:office|team|department|division|role|position|shift|desk|floor|grade|class|school|kindergarten|level|stage|phase|sales|marketing"
    r"|hotel|hostel|motel|airbnb|inn|resort|guesthouse)$|酒店|宾馆|旅馆|民宿|客栈|^(?:老家|家里|一起|附近|隔壁|楼上|楼下|国外|海外|外地|公司|单位)$",
    re.IGNORECASE,
)
"""Where a move at work or school goes, or a stay, no home ("my brother moved to the Berlin office",
"moved to sales", 我住在希尔顿酒店), or no place named (我爸妈都住在老家, 住在隔壁)."""

_CAME_BACK = re.compile(
    r"^[^.!?;]*?\b(?:but|and|then)\s+(?:(?:he|she|they|i|we|then|later|since|has|have|had|eventually|soon|already|"
    r"just|now|again)\s+)*(?:(?:came|come|moved|went|flew|headed|got)\s+(?:back|home)\b"
    r"(?!\s+(?:from|for|to\s+(?:visit|see))\b)|returned\b(?!\s+from\b)|(?:(?:he|she|they)['’]s|is|was|are)\s+back\b|"
    r"left(?=\s*(?:$|[,.!;]|again|after|in\s+\d|last|soon|a\s+(?:year|month|week)|\d|there\b|it\b)))"
    r"|^[^。！？.!?]*?(?:但是?|可是|后来|又)[^。！？.!?从]{0,6}?(?:搬回|回来|回国)",
    re.IGNORECASE,
)
"""What says a move was undone: "... but came back", "but moved back", "but returned", "but left
again", 但是后来又搬回来了 (not "but came back for Christmas", a visit)."""


def _plausible(attribute: str, match: re.Match[str], clause: str, after: str = "", *, ended: bool = False) -> bool:
    """Whether the value ``match`` found reads as a value of ``attribute`` (guards against idioms
    and misreadings: "I live in the moment", "我叫外卖了", "我是一个很内向的人"; a home that the
    words ``after`` its value say was left again: "My brother moved to Paris last year but came back").
    ``ended``: the value written says the fact ended (a plan called off, 我的航班取消了, names no day)."""
    value = (match.groupdict().get("value") or "").strip()
    if attribute == "lives_in" and _CAME_BACK.match(after):
        return False
    if attribute == "lives_in" and re.search(
        r"要|打算|准备|将|会|想|下个?月|下周|明年|不|没", match.groupdict().get("gap") or ""
    ):
        return False  # a move to come is a plan: "我们下个月搬到深圳"
    if attribute == "lives_in":
        return not re.match(
            r"(?:fear|hope|denial|the\s+moment|the\s+present|the\s+past|peace|harmony|a\s+bubble|a\s+dream|my\s+head|terror|constant)\b",
            value,
            re.I,
        ) and not _NO_HOME.search(value)
    if attribute == "weight":  # "I weigh 0 kg", "9999 kg": no one's weight, in any unit said
        said = (match.groupdict().get("num") or "").replace(",", ".")
        return not re.fullmatch(r"\d+(?:\.\d+)?", said) or 0 < float(said) <= MAX_WEIGHT
    if attribute == "name":
        return not value.endswith("了")
    if attribute == "allergy":
        return not _NO_ALLERGEN.match(value)
    if attribute == "occupation":
        return "的" not in value and not value.startswith(("很", "非常", "有点", "比较", "特别"))
    if attribute == "marital_status" and CJK.search(match.group()):
        return not re.search(r"要|将|会|打算|准备|想|下个?月|下周|明年|没|未", clause)  # "我们明年结婚" is a plan
    if attribute.startswith("plan_") and CJK.search(value or match.group()) and not ended:  # a due date is to come
        said = attribute == "plan_baby" or bool(ZH_FUTURE.search(clause))
        return said and not ZH_PAST.search(clause) and not ZH_HABIT.search(clause)
    return True


def extract_facts(text: str, now: datetime, *, subject: str = "user") -> list[tuple[Fact, Tier]]:
    """Facts the speaker states in ``text``, each with the tier it belongs to.

    Only stated clauses count (:func:`~tiermem.agents.statements.stated_clauses`):
    "我对什么过敏？" yields no ``allergy = 什么``, "if I lived in Tokyo" no home city,
    "forget that I live in Paris" nothing. A fact about a relation ("my husband
    weighed 90 kg") is that relation's (``husband.weight``), one about someone
    unnamed or no one ("cats sleep 15 hours") is nobody's; where an attribute is
    stated twice the later statement wins ("I live in Paris. No wait, in Nice").
    Each fact is dated by the time words of its own clause, else its sentence,
    else the message (:func:`observed_time`). ``subject`` names the speaker.

    Example:
        >>> [(f.key, f.value, t) for f, t in extract_facts("今天称重45kg", datetime(2024, 5, 3))]
        [('user.weight', '45 kg', 'mid')]
    """
    found: dict[str, tuple[Fact, Tier]] = {}
    held: dict[str, datetime] = {}  # when each kept fact held, by its words: which of two said wins
    said = with_subjects(at_work(text))  # "I live in Rome and work at Fiat": "and I work at Fiat"
    for clause in (part for stated in stated_clauses(said) for part in by_subject(stated)):
        matches = [(m.start(), i, m) for i, p in enumerate(PATTERNS) for m in p.regex.finditer(clause.text)]
        previous: str | None = None  # whose the clause's last fact was
        for _, index, match in sorted(matches, key=lambda found: found[:2]):  # in the order they were said
            pattern = PATTERNS[index]
            named = match.groupdict().get("subject") or match.groupdict().get("several")  # "my kids are": theirs
            if named and _ME_AND.search(clause.text[: match.start()]):  # "me and my husband live in ...": ours
                named = None
            if match.groupdict().get("pronoun"):  # "she's a pharmacist": the relation named before
                named = antecedent(said[: said.find(clause.text)] + clause.text[: match.start()], match["pronoun"])
                if named is None:
                    continue
            who = _subject(clause.text, match, named, previous) if pattern.about_speaker or named else "user"
            attribute = _attribute(pattern, match)
            if (
                who is None
                or (who == "user" and _reported(clause.text[: match.start()], attribute))
                or (
                    attribute == "breed" and who not in PET_SLUGS  # "He's a boxer" after "my son": no breed of his
                )
            ):
                continue
            value = pattern.value(match)
            if attribute == "partner":  # "I'm dating Sophie": the partner word the message says, if any
                attribute = _partner(said)
                value = f"{ENDED}has a {attribute}" if value.startswith(ENDED) else value
            at = match.start("value") if match.groupdict().get("value") else match.end()
            after = said[said.find(clause.text) + at :]  # the value and what follows it
            ended = value.startswith(ENDED)
            if not value or is_question(value) or not _plausible(attribute, match, clause.text, after, ended=ended):
                continue
            if attribute.startswith("plan_"):  # said now, about a day to come: that day goes with the value
                when, day = now, upcoming(match.group(), now)
                value = f"{value} ({day.label})" if day else value
            elif attribute in _DATE_IS_THE_VALUE:  # "I was born in 1990" was said now
                when, value = now, yearly_value(value, now, past=bool(_PAST_TENSE.search(clause.text)))
            else:
                when = _dated(clause, said, now, measured=attribute in MEASUREMENTS)
            said_now = attribute in _OBSERVED_WHEN_SAID or ended
            dated, when = when, now if said_now else when
            fact = Fact(
                subject=subject if who == "user" else who,
                attribute=attribute,
                value=value,
                observed_at=when,
                statement=text,
            )
            # the later statement wins, and is listed where it was made; of several held at once, an ended
            # one and a new one are both kept ("I stopped taking lisinopril, my doctor switched me to amlodipine")
            slot = f"{fact.key}|{ended}" if attribute in SET_VALUED else fact.key
            known = found.get(slot)
            if known is not None and _superseded(fact, dated, known[0], held[slot]):
                continue
            found.pop(slot, None)
            found[slot], held[slot] = (fact, pattern.tier), dated
            previous = who
    return list(found.values())


_DATE_IS_THE_VALUE = frozenset({"birthday", "birth_year", "anniversary"})
"""Attributes whose value is a date: its time words are the value, not when the fact held."""


def _reported(before: str, attribute: str) -> bool:
    """Whether someone else says what follows ``before`` (:data:`_REPORTED_BEFORE`), and it is not
    a doctor of the speaker's health (:data:`_DOCTOR_BEFORE`)."""
    if not _REPORTED_BEFORE.search(before):
        return False
    return attribute not in _HEALTH or not _DOCTOR_BEFORE.search(before)


_PARTNER_WORD = re.compile(
    r"\bmy\s+(?:new\s+|ex[- ]?)?(?P<en>girlfriend|boyfriend|gf|bf)\b|(?P<zh>男朋友|女朋友)",
    re.IGNORECASE,
)


def _partner(text: str) -> str:
    """The key of a partner whose gender a statement leaves unsaid ("I'm dating Sophie", "we broke
    up"): the word for one dated said in the message ("I broke up with my girlfriend, now I'm
    dating Sophie": ``girlfriend``), else ``partner`` (a wife or husband said names no one dated)."""
    said = _PARTNER_WORD.search(text)
    return relation(said["en"] or said["zh"]) if said else "partner"


def _superseded(fact: Fact, held: datetime, known: Fact, known_held: datetime) -> bool:
    """Whether ``known``, stated earlier in the same message, stands over ``fact``: it held later
    by its words (``known_held`` after ``held``: "I weigh 60 kg. Last year I weighed 70 kg"), or it
    says what holds and ``fact`` only what ended ("I don't live in Chicago anymore, I moved to
    Madison last year"), whatever their order."""
    if fact.value.startswith(ENDED) != known.value.startswith(ENDED):
        return fact.value.startswith(ENDED)
    return known_held > held


_OBSERVED_WHEN_SAID = frozenset({"lives_in", "car", "employer", "occupation"})
"""A home (and a car: "I traded it in for a Tesla last week", an employer and a job: "I quit
Google last month and joined a startup called Finch") is observed when it is said,
whatever day its words name ("We moved to Bergen last month" is where the speaker lives now):
the speaker's latest word on their home is the current one, as the order of messages says, and a
move told today stands over a home told before it (yesterday's "I live in Shanghai" included).
Within one message the day each home is said of still decides which is kept ("I moved to Berlin
in 2019. In 2015 I had moved to Paris": Berlin). An end of anything is observed when said too:
"Sadly Max passed away last month", told after "I have a dog named Max", says there is no dog now."""


_PRESENT = re.compile(r"\b(?:now|currently|these\s+days|at\s+the\s+moment|since)\b|现在|目前|如今|以来", re.IGNORECASE)
"""A clause about now, or about a state that has held since a time ("I've weighed 60 kg since
January"): the fact is observed now."""
_NOT_A_VERB = (
    r"(?!(?:being|something|nothing|anything|everything|thing|morning|evening|during|spring|king|ring|string)\b)"
)
"""Words ending in -ing that make no present progressive ("is something", "is during")."""
_FUTURE = re.compile(
    r"\b(?:will|going\s+to|gonna|starts?|starting|begins?|upcoming|soon)\b|\w'll\b|将要|快要|即将"
    rf"|\b(?:is|are|am)\s+{_NOT_A_VERB}\w+ing\b|\w['’](?:s|re|m)\s+{_NOT_A_VERB}\w+ing\b",
    re.IGNORECASE,
)
"""A clause about what is to come ("starts kindergarten in September", "is getting married in
Porto on August 17": the present progressive says what holds now or is planned): its time words
name no day the fact was observed, which is when it was said."""
_COMPARED = re.compile(
    r"\b(?:same\s+as|than|compared\s+(?:to|with)|since|up\s+from|down\s+from)\s+"
    r"(?:(?:i\s+was|it\s+was)\s+|\d+(?:[.,]\d+)?\s*[a-z]{0,3}\s+)?"
    r"(?=(?:(?:in|on)\s+)?(?:last|this\s+time|yesterday|\d+\s+(?:days?|weeks?|months?|years?)\s+ago|a\s+(?:week|month|year)\s+ago"
    r"|january|february|march|april|may|june|july|august|september|october|november|december|\d{4})\b)",
    re.IGNORECASE,
)
"""Time words after a comparison ("I weigh 60 kg, same as last year", "down from 70 kg last
month") date the value compared with, not the one stated."""


_PAST_TENSE = re.compile(
    r"\b(?:was|were|had|did|went|got|ran|slept|took|came|became|began|left|felt|hit|made|saw|quit)\b"
    r"|\b(?!(?:scheduled|booked|planned|supposed|expected|interested|excited|worried|scared|tired|married|engaged|"
    r"allowed|based|called|named|related|used|concerned|involved|pleased|stressed|bored|confused|obsessed|shed|sled|"
    r"embed|prescribed|advised|required|needed|hoped|wanted|fixed)\b)[a-z]{2,}(?<!e)ed\b"
    r"|[了过](?![^，。！？]*(?:要|将|会|打算|准备|计划))",
    re.IGNORECASE,
)
"""A clause in the past tense ("I weighed", "we moved", "称了"): a day it names without the year
is the latest one, as the past lies behind."""


_ZH_TO_COME = re.compile(r"要|将|会|打算|准备|计划|争取")
"""Chinese says the clause is about what is to come."""


def _dated(clause: Clause, text: str, now: datetime, *, measured: bool = False) -> datetime:
    """The observation time of a fact stated in ``clause`` of ``text``: its own time words, else
    those said before it in its sentence, else before it in the message ("Last week, I weighed
    70 kg"); a clause that says "now" is now ("I weigh 146 lb now, down from 160 in January"),
    and so is one about what is to come. A clause in the past tense (:data:`_PAST_TENSE`) is dated
    by a day named without its year too ("I weighed 70 kg on 5 June"), and so is a measurement
    (``measured``), which cannot lie ahead, by such a day earlier in the year with nothing said of
    what is to come (6月5日我体重70公斤)."""
    if _PRESENT.search(clause.text) or _FUTURE.search(clause.text) or _COMPARED.search(clause.sentence):
        return now
    sentence = clause.sentence[: clause.sentence.find(clause.text) + len(clause.text)]
    said = text[: text.find(sentence) + len(sentence)] if sentence in text else text
    past = bool(_PAST_TENSE.search(clause.text))
    measured = measured and not _ZH_TO_COME.search(clause.text)
    for scope in (clause.text, sentence, said):
        when = observed_time(scope, now, past=past, measured=measured)
        if when != now or find_periods(scope, now):
            return when
    return now
