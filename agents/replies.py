"""The answers the responder writes itself: a fact, a quote, a confirmation, "not told",
what a request to forget did; every date in the asker's time zone.

Example:
    >>> attribute_noun("lives_in"), attribute_noun("plan_exam")
    ('home city', 'exam')
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo

from tiermem.memory.records import RELATIONS_ZH
from tiermem.memory.versions import CHILDREN, ENDED, PETS, SET_VALUED, holds_several, value_items

from .attribute_words import ATTRIBUTE_WORDS
from .fact_names import (
    PARTNER_SLUGS,
    PLURAL_ATTRIBUTES,
    attribute_noun,
    forgotten_key,
    owned,
    owned_several,
    sentence_start,
    who,
    whose,
    zh_key,
    zh_owned,
)
from .forgetting import ForgetPlan
from .handover import slipped, slips
from .plan_dates import written_day, zh_labels
from .retriever import RetrievedItem
from .statements import asks_not_to_keep
from .taste_replies import TASTES, listed, not_told_taste, taste_said
from .timeexpr import Period, annotate, find_periods
from .yes_no import same_words, stated_value

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def is_chinese(text: str) -> bool:
    """True when the text is mostly written in Chinese characters."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(bool(_CJK.match(c)) for c in letters) / len(letters) >= 0.3


def sentence(item: RetrievedItem, tz: tzinfo | None = None) -> str:
    """A memory as a plain sentence (small models read these best), dated in ``tz``."""
    if item.key:
        subject, _, attribute = item.key.partition(".")
        owner = "The user's" if subject == "user" else f"{subject.title()}'s"
        return f"{owner} {attribute_noun(attribute)} is {item.value} (as of {item.day(tz)})."
    return f"On {item.day(tz)}: {item.text}"


_ECHOED_DAY = re.compile(r"^\s*On \d{4}-\d{2}-\d{2}:\s*")


_LOOP = re.compile(r"(\S.{7,}?)(?:\s*\1){2,}", re.S)
"""Words said three times or more in a row: a small model's greedy decoding caught in a loop."""
_LAST_SENTENCE_END = re.compile(
    r".*(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bvs)(?<!\n\d)(?<!\n\d\d)[.!?。！？](?=\s|$)", re.S
)
"""An answer up to its last full sentence ("Mr." and a list's "1." end none)."""
_DANGLING_ITEM = re.compile(r"\n\s*\d{1,2}[.)]\s*$")
"""A list's first number with nothing after it: the token budget ran out there."""


def unechoed(generated: str) -> str:
    """A local model's answer without the "On 2024-05-03: " it copied from a :func:`sentence`, and
    without what it ran into when it did not stop: a loop ("the British team of the British team of
    ...") is cut where it starts, and an answer cut off by the token budget ends at its last full
    sentence (when it has one)."""
    text = _DANGLING_ITEM.sub("", _ECHOED_DAY.sub("", generated))
    loop = _LOOP.search(text)
    if loop:
        text = text[: loop.start() + len(loop[1])].rstrip()
    if loop or not re.search(r"[.!?。！？\"')\]]\s*$", text):
        whole = _LAST_SENTENCE_END.match(text)
        text = whole[0] if whole else text
    return text


NO_CHINESE = "这个问题我答不了：本地模型只会写英文，中文问题我只能引用你告诉过我的话。"
"""The answer to a Chinese question about no one's memories ("怎么做红烧肉？", "你叫什么名字？"):
the local model cannot write Chinese, and no memory is asked for."""


_ZH_SMALL_TALK = (
    (re.compile(r"谢谢|多谢|感谢|谢啦"), "不客气！"),
    (re.compile(r"再见|拜拜|晚安|回头见|下次见"), "再见！"),
    (re.compile(r"你好|您好|嗨|哈喽|早上好|早安|下午好|晚上好|在吗"), "你好！有什么想让我记住或想问的吗？"),
)
"""Chinese small talk and the reply in kind (a greeting, thanks, a goodbye)."""


def small_talk_zh(message: str) -> str:
    """The reply to a Chinese message that asks nothing and was not stored (你好, 谢谢, 哈哈): in
    kind, where the local model cannot write Chinese and no memory is there to quote."""
    return next((reply for pattern, reply in _ZH_SMALL_TALK if pattern.search(message)), "好的。")


def quote(
    best: RetrievedItem | None, remembered: str | None, tz: tzinfo | None = None, period: Period | None = None
) -> str:
    """A reply in Chinese that quotes a memory verbatim, its relative times dated in Chinese (or
    confirms what was stored); for a question about a past ``period`` (上个月), a fact's value then."""
    if best is None:
        return f"好的，已记住：{remembered}。" if remembered else "我没有找到相关的记忆。"
    if best.key and period is not None:
        held = held_then(best, tz, period)
        if held is None:
            return f"没有{period.label}或更早的{zh_key(best.key)}记录。"
        value, at = held
        return f"根据记忆（{at.astimezone(tz or UTC):%Y-%m-%d}）：{period.label}时 {zh_key(best.key)} = {value}"
    value = f"{zh_key(best.key)} = {zh_labels(best.value)}，" if best.key else ""
    return f"根据记忆（{best.day(tz)}）：{value}原话：“{zh_labels(dated_words(best.text, best, tz))}”"


def told(item: RetrievedItem, tz: tzinfo | None = None) -> str:
    """A memory quoted in English: ``You told me: "Emma has asthma" (2024-05-03).``, its relative
    times dated (:func:`dated_words`)."""
    return f'You told me: "{dated_words(item.text, item, tz)}" ({item.said_day(tz)}).'


def dated_words(words: str, item: RetrievedItem, tz: tzinfo | None = None) -> str:
    """``words`` of ``item`` with their relative times dated as of when it was said, in ``tz``'s
    days ("Yesterday (2 May 2024) I went to a concert"); as they are where they name only that
    day ("today") or are dated already (an episode's lines were, each as of its own message)."""
    when = (item.said_at or item.created_at).astimezone(tz or UTC)
    if item.kind == "episode" or _DATED.search(words):
        return words
    if all(period.start == period.end == when.date() for period in find_periods(words, when)):
        return words  # "today": the quote's own day says it
    return annotate(words, when)


_DATED = re.compile(r"\((?:\d{1,2} )?[A-Z][a-z]+ \d{4}\)")
"""A date written after the words that named it: ``(7 May 2023)``, ``(May 2023)``."""


def held_then(item: RetrievedItem, tz: tzinfo | None, period: Period) -> tuple[str, datetime] | None:
    """The value a fact held in ``period`` and when it was observed: its newest version observed
    before the period ended (in the asker's days); ``None`` when all are later."""
    return next((pair for pair in item.dated_values() if pair[1].astimezone(tz or UTC).date() <= period.end), None)


_TO_PLACES = frozenset({"plan_move", "plan_trip", "plan_flight"})
"""Plans said by where they go: "Your move is to Denver next month", not "is Denver"."""
_BE = ("is", "was")
"""A plan's verb, to come and past, unless :data:`_PLAN_VERBS` says another."""
_PLAN_VERBS = {"plan_new_job": ("starts", "started"), "plan_baby": ("is due", "was due")}
"""Plans told by what happens on their day: "Your new job starts on 6 May 2024", "Your baby is due
in October 2024", not "is on" (to come, past)."""
_NO_LONGER_HAS = f"{ENDED}has "
"""How an ended relation's value begins: ``no longer has a girlfriend``."""


def fact_answer(item: RetrievedItem, now: datetime | None = None, period: Period | None = None) -> str:
    """A direct answer from a fact: ``Your weight is 45 kg (as of 2024-05-03; earlier: 47 kg ...).``

    Dates are the asker's (``now``'s UTC offset). For a question about a ``period`` ("last
    month") the answer is the value that held then: the newest version observed before the
    period ended. A plan is told by its day, in the past tense once it is past ("Your exam was
    on 4 May 2024"), not by the words that named it then ("tomorrow").
    """
    tz = now.tzinfo if now is not None else None
    subject, _, attribute = item.key.partition(".")
    noun = sentence_start(owned(item.key))
    planned = written_day(item.value) if attribute.startswith("plan_") and period is None else None
    if planned and planned[1].start == planned[1].end:  # a day; a month or a span is told as its words
        said, day = planned
        past = now is not None and day.start < now.date()
        verb = _PLAN_VERBS.get(attribute, _BE)[past]
        return f'{noun} {verb} on {day.label} (as of {item.day(tz)}: "{said}").'
    if period is not None:
        held = held_then(item, tz, period)
        if held is None:
            return f"I have no record of {noun.replace('Your', 'your', 1)} from {period.label} or before."
        value, at = held
        when = f"{'on' if period.start == period.end else 'in'} {period.label}"
        return f"{noun} was {value} {when} (as of {at.astimezone(tz or UTC):%Y-%m-%d})."
    if subject == "user" and item.value.startswith(_NO_LONGER_HAS):  # an ended relation
        return f"You no longer have {item.value.removeprefix(_NO_LONGER_HAS)} (as of {item.day(tz)})."
    if subject == "user" and attribute in PARTNER_SLUGS and item.value.startswith(ENDED):  # "I broke up with Jess"
        partner = f"{item.value.removeprefix(ENDED)}, your {attribute_noun(attribute)}"
        return f"You are no longer with {partner} (as of {item.day(tz)})."
    if attribute in PETS or attribute in CHILDREN:  # "Your dogs are Bella and Rex": the ones gone are no earlier name
        return _members_held(item, noun, tz)
    found = slips(item)  # "Sorry, I meant Lyon, not Paris": Paris was a slip, not a home
    values = {
        value.casefold(): (value, at)
        for value, at in reversed(item.dated_values()[1:])  # each value's newest
        if slipped(found, value, at) is None
    }
    values.pop(item.value.casefold(), None)  # "My mom's name is May" again: May is no earlier name
    dated = sorted(values.values(), key=lambda pair: pair[1], reverse=True)
    older = [f"{value} ({at.astimezone(tz or UTC):%Y-%m-%d})" for value, at in dated]
    older = older if item.versions else [line for line in item.history if not slipped(found, line, item.created_at)]
    shown = list(dict.fromkeys(older))[:2]
    earlier = f"; earlier: {', '.join(shown)}" if shown else ""
    if attribute in TASTES:  # "You like sushi and ramen", "Your son dislikes olives"
        return f"{taste_said(subject, attribute, item.value)} (as of {item.day(tz)})."  # each held, no earlier
    if attribute in SET_VALUED and holds_several(item.value):
        # "Your allergies are eggs and peanuts"
        plural = sentence_start(f"{whose(subject)} {ATTRIBUTE_WORDS[attribute][1]}")
        return f"{plural} are {listed(value_items(item.value))} (as of {item.day(tz)}{earlier})."
    several = owned_several(item.key, item.value)  # "Your cats are Luna and Milo"
    be = "are" if several or attribute in PLURAL_ATTRIBUTES else _PLAN_VERBS.get(attribute, _BE)[0]
    value = f"to {item.value}" if attribute in _TO_PLACES and item.value[:1].isupper() else item.value
    value = as_yours(value) if attribute.startswith("plan_") else value  # a plan's words are the user's
    named = rf"\b{re.escape(attribute_noun(attribute))}|^\d{{1,3}}\s?k\b"  # "a 10k" names a race
    if attribute.startswith("plan_") and re.search(named, value, re.I):
        # "Your plan: half marathon in October" (or "10k in May"), not "Your marathon is half marathon in October"
        return f"{sentence_start(whose(subject))} plan: {value} (as of {item.day(tz)}{earlier})."
    return f"{sentence_start(several) if several else noun} {be} {value} (as of {item.day(tz)}{earlier})."


def _members_held(item: RetrievedItem, noun: str, tz: tzinfo | None) -> str:
    """The pets of one kind or the children that ``item`` holds ("Your dogs are Rex and Bella",
    "Your sons are Max and Jake"), or the one gone where none is held ("You no longer have Luna, your cat")."""
    if item.value.startswith(ENDED) and item.key.startswith("user."):  # "Our cat Luna died"
        pet = attribute_noun(item.key.partition(".")[2])
        return f"You no longer have {item.value.removeprefix(ENDED)}, your {pet} (as of {item.day(tz)})."
    if item.value.startswith(ENDED):
        return f"{noun} is {item.value} (as of {item.day(tz)})."
    names = listed(value_items(item.value))
    several = owned_several(item.key, names)
    be = "are" if several or item.key.partition(".")[2] in PLURAL_ATTRIBUTES else "is"
    return f"{sentence_start(several) if several else noun} {be} {names} (as of {item.day(tz)})."


_FIRST_PERSON_WORDS = {
    **{"my": "your", "i'm": "you're", "i am": "you are", "i was": "you were", "i": "you", "me": "you"},
    **{"our": "your", "we're": "you're", "we are": "you are"},
}
_FIRST_PERSON = re.compile(r"\b(?:my|i['’]m|i\s+am|i\s+was|i|me|our|we['’]re|we\s+are)\b", re.IGNORECASE)


def as_yours(words: str) -> str:
    """The user's own words said back to them inside a reply: "with my sister" -> "with your
    sister", "I'm" -> "you're" (lower case: the reply's sentence goes on around them)."""
    return _FIRST_PERSON.sub(
        lambda m: _FIRST_PERSON_WORDS[re.sub(r"\s+", " ", m.group().casefold())], words.replace("’", "'")
    )


def forget_reply(plan: ForgetPlan, question: str) -> str:
    """What the user is told after a request to forget: what went, or that nothing matched. A fact
    is named by what it is of whom ("your home city", "your sister's occupation"), never its value;
    a memory that is no fact is counted, not quoted (its words are gone, and the turn masks them anyway)."""
    chinese = is_chinese(question)
    fact_keys = [forgotten_key(target.memory) for target in plan.targets if target.fact]
    facts = list(dict.fromkeys(zh_owned(key) if chinese else owned(key) for key in fact_keys))
    texts = len(plan.targets) - len(fact_keys)
    counted = ""
    if texts and chinese:
        counted = f"{texts}条记忆"
    elif texts:
        counted = f"{texts} {'memory' if texts == 1 else 'memories'}" + (" that said it" if facts else "")
    also = ("，以及" if chinese else " and ") if facts and counted else ""
    gone = ("、".join(facts) if chinese else listed(facts)) + also + counted
    if (plan.vague or plan.targets) and asks_not_to_keep(question):  # "Don't save that": kept nowhere
        return "好的，这条我不会保存。" if chinese else "OK, I won't keep that."
    if plan.wholesale:
        if chinese:
            return "我不能在对话中删除你的全部记忆；`tiermem memories erase` 可以删除关于你的一切。这次什么也没有删除。"
        return (
            "I can't erase all your memories from chat: `tiermem memories erase` erases everything kept "
            'of you. Nothing was forgotten; to forget one memory, name it ("forget my address").'
        )
    if chinese:
        if plan.vague:
            return "请告诉我要忘记哪一条，例如“忘掉我的地址”。"
        return f"好的，已经忘记：{gone}。" if gone else f"没有找到与“{plan.asked}”相符的记忆，所以什么也没有删除。"
    if plan.vague:
        return 'Tell me which memory to forget, for example "forget my address"; nothing was forgotten.'
    if gone:
        return f"Done: I've forgotten {gone}."
    return (
        f'I found no memory matching "{plan.asked}", so nothing was forgotten '
        "(`tiermem memories list` shows every memory with the id `tiermem memories forget` takes)."
    )


def past_period(question: str, now: datetime | None) -> Period | None:
    """The past period a question asks about ("last month", "yesterday", "in June"): one that
    ended before the asker's day (``now`` with their UTC offset); ``None`` for the present."""
    if now is None:
        return None
    return next((period for period in find_periods(question, now) if period.end < now.date()), None)


def not_told_attribute(key: str, question: str) -> str:
    """The answer to a question for a fact (``user.lives_in``, ``sister.occupation``) that no memory holds."""
    subject, _, attribute = key.partition(".")
    if is_chinese(question):
        told = not_told_taste(subject, attribute, chinese=True) if attribute in TASTES else zh_owned(key)
        return f"你还没有告诉过我{told}。"
    told = not_told_taste(subject, attribute) if attribute in TASTES else owned(key)
    return f"You haven't told me {told} yet."


def not_told(slugs: frozenset[str], question: str) -> str:
    """The answer to a question about someone no memory mentions ("my brother")."""
    if is_chinese(question):
        named = "、".join(sorted(RELATIONS_ZH.get(slug, slug) for slug in slugs))
        return f"我没有关于你的{named}的记忆：你还没有告诉过我。"
    named = " or ".join(sorted(who(slug) for slug in slugs))  # "your mother-in-law", "Emma"
    return f"You haven't told me anything about {named} yet."


def confirmation(remembered: str) -> str:
    """An English confirmation of what a turn stored: ``Noted, I'll remember that (mid: weight = 45 kg).``"""
    return f"Noted, I'll remember that ({remembered})."


def other_held(question: str, items: list[RetrievedItem], now: datetime | None = None) -> str | None:
    """The answer to a yes-or-no question that names a value of a fact holding one value at a
    time, where another is held ("Am I a doctor?" with the occupation nurse held: "Not that you've
    told me: your occupation is nurse (as of 2026-11-08)."); ``None`` where none is held."""
    asked = stated_value(question)
    held = next((item for item in items if asked is not None and item.key == asked[0]), None)
    if asked is None or held is None or same_words(asked[1], held.value):
        return None
    if is_chinese(question):
        day = held.day(now.tzinfo if now else None)
        return f"据我所知不是：你说过{zh_key(held.key)} = {held.value}（截至 {day}）。"
    said = fact_answer(held, now)
    return f"Not that you've told me: {said[:1].lower()}{said[1:]}"
