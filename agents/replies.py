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
from tiermem.memory.versions import ENDED, SET_VALUED, value_items

from .allergen_groups import CONDITION_FOODS
from .corrections import replaced_value
from .fact_names import (
    PLURAL_ATTRIBUTES,
    attribute_noun,
    forgotten_key,
    owned,
    owned_several,
    who,
    whose,
    zh_key,
    zh_owned,
    zh_who,
)
from .forgetting import ATTRIBUTE_WORDS, ForgetPlan
from .handover import slipped, slips
from .plan_dates import written_day, zh_labels
from .retriever import RetrievedItem
from .statements import asks_not_to_keep
from .taste_replies import TASTES, listed, not_told_taste, taste_said
from .timeexpr import Period, annotate, find_periods
from .value_match import ValueMatcher
from .yes_no import narrows, said_fact, same_value, same_words, stated_value

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def is_chinese(text: str) -> bool:
    """True when the text is mostly written in Chinese characters."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(bool(_CJK.match(c)) for c in letters) / len(letters) >= 0.3


def _capitalised(said: str) -> str:
    return said[:1].upper() + said[1:]


def sentence(item: RetrievedItem, tz: tzinfo | None = None) -> str:
    """A memory as a plain sentence (small models read these best), dated in ``tz``."""
    if item.key:
        subject, _, attribute = item.key.partition(".")
        owner = "The user's" if subject == "user" else f"{subject.title()}'s"
        return f"{owner} {attribute_noun(attribute)} is {item.value} (as of {item.day(tz)})."
    return f"On {item.day(tz)}: {item.text}"


_ECHOED_DAY = re.compile(r"^\s*On \d{4}-\d{2}-\d{2}:\s*")


def unechoed(generated: str) -> str:
    """A local model's answer without the "On 2024-05-03: " it copied from a :func:`sentence`."""
    return _ECHOED_DAY.sub("", generated)


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
    noun = _capitalised(owned(item.key))
    planned = written_day(item.value) if attribute.startswith("plan_") and period is None else None
    if planned and planned[1].start == planned[1].end:  # a day; a month or a span is told as its words
        said, day = planned
        verb = "was" if now is not None and day.start < now.date() else "is"
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
    if attribute in SET_VALUED and not item.value.startswith(ENDED) and len(value_items(item.value)) > 1:
        # "Your allergies are eggs and peanuts"
        plural = _capitalised(f"{whose(subject)} {ATTRIBUTE_WORDS[attribute][1]}")
        return f"{plural} are {item.value} (as of {item.day(tz)}{earlier})."
    several = owned_several(item.key, item.value)  # "Your cats are Luna and Milo"
    be = "are" if several or attribute in PLURAL_ATTRIBUTES else "is"  # "Your children are Max and Mia"
    return f"{_capitalised(several) if several else noun} {be} {item.value} (as of {item.day(tz)}{earlier})."


_HELD = {
    "allergy": ("{who} {be} allergic to {x}", "{who} {be} no longer allergic to {x}"),
    "condition": ("{who} {have} {x}", "{who} no longer {have} {x}"),
    "likes": ("{who} {like} {x}", "{who} no longer {like} {x}"),
    "dislike": ("{who} {dislike} {x}", "{who} no longer {dislike} {x}"),
}
"""How a value of a set-valued attribute is said held and ended: "you are allergic to eggs", "you
no longer have asthma"."""
_HELD_ZH = {
    "allergy": ("{who}对{x}过敏", "{who}已经不再对{x}过敏"),
    "condition": ("{who}有{x}", "{who}已经不再有{x}"),
    "likes": ("{who}喜欢{x}", "{who}已经不再喜欢{x}"),
    "dislike": ("{who}不喜欢{x}", "{who}已经不再讨厌{x}"),
}


def _held(subject: str, attribute: str, values: list[str], *, ended: bool, chinese: bool) -> str:
    """``values`` of an allergy, a condition or a like said held (or ended): "your sister has asthma", 你对猫过敏."""
    if chinese:
        return _HELD_ZH[attribute][ended].format(who=zh_who(subject), x="、".join(values))
    you = subject == "user"
    be, have, like, dislike = ("are", "have", "like", "dislike") if you else ("is", "has", "likes", "dislikes")
    said = {"be": be, "have": have, "like": like, "dislike": dislike}
    return _HELD[attribute][ended].format(who=who(subject), x=listed(values), **said)


def held_answer(
    item: RetrievedItem,
    asked: tuple[str, str],
    question: str,
    now: datetime | None = None,
    *,
    values: ValueMatcher,
) -> str | None:
    """A yes or no for a question that names one value of an allergy or a condition ("Am I
    allergic to eggs?", "Do I have asthma?", 我对猫过敏吗？: ``asked``, the key and value
    :func:`~.yes_no.asked_fact` read in it): held
    now, ended and since when, or never told ("Am I allergic to cats?" where peanuts are stored:
    not that the user said, and what they did say); ``None`` where the question asks no such
    thing of the fact ("Is milk good for me?"). ``values`` says which told values the asked one
    names: "nuts" names peanuts (the answer says peanuts), 鸡蛋 names eggs; almonds asked where
    nuts are held is told, not confirmed ("You told me you are allergic to nuts ...; almonds are
    tree nuts.")."""
    subject, _, attribute = item.key.partition(".")
    if attribute not in _HELD or asked[0] != item.key:
        return None
    dated = item.dated_values()
    said = dict.fromkeys(part.removeprefix(ENDED) for value, _ in dated for part in value_items(value))
    asked_items = value_items(asked[1])
    named = [part for part in said if any(values.names(asked_item, part) for asked_item in asked_items)]
    chinese = is_chinese(question)
    day = item.day(now.tzinfo if now is not None else None)
    held = [] if item.value.startswith(ENDED) else value_items(item.value)
    if not named:
        covered = covered_answer(item, asked_items, question, now, values=values)
        return covered or not_told_held(*asked, question, held=held, day=day)
    still = [part for part in named if any(same_value(part, value) for value in held)]
    if still and all(narrows(a, part) for part in still for a in asked_items if values.names(a, part)):
        told = _held(subject, attribute, still, ended=False, chinese=chinese)  # "type 1 diabetes?", diabetes told
        return f"你说过{told}（截至 {day}）。" if chinese else f"You told me {told} (as of {day})."
    if still:  # "Am I allergic to nuts?": the nuts held, by name
        yes = _held(subject, attribute, still, ended=False, chinese=chinese)
        return f"是的，{yes}（截至 {day}）。" if chinese else f"Yes, {yes} (as of {day})."
    first = named[0]
    ending = said_fact(item.text)  # "I'm not allergic to shellfish anymore" ends it: no slip
    slip = None if ending and ending[1].startswith(ENDED) else replaced_value(item.text)
    if slip and same_value(first, slip):  # "Sorry, I meant walnuts, not peanuts": never held
        return not_told_held(*asked, question, held=held, day=day)
    ended = [
        at
        for value, at in dated[1:]
        if value.startswith(ENDED) and any(same_value(first, part.removeprefix(ENDED)) for part in value_items(value))
    ]
    since = f"{max(ended, default=item.created_at).astimezone(now.tzinfo if now else UTC):%Y-%m-%d}"
    no = _held(subject, attribute, [first], ended=True, chinese=chinese)
    return f"不，{no}（自 {since}）。" if chinese else f"No, {no} (as of {since})."


def covered_answer(
    item: RetrievedItem, asked: list[str], question: str, now: datetime | None = None, *, values: ValueMatcher
) -> str | None:
    """What was told of an allergy held where a value asked is in the same category, no plain yes
    ("Am I allergic to almonds?" or "Can I eat almonds?" with nuts held: "You told me you are
    allergic to nuts (as of ...); almonds are tree nuts.", cheese with milk held: "cheese is
    dairy"); ``None`` where no value held covers one asked (:meth:`~.value_match.ValueMatcher.covering`)."""
    subject, _, attribute = item.key.partition(".")
    held = [] if item.value.startswith(ENDED) else value_items(item.value)
    foods = [(part, CONDITION_FOODS.get(part.casefold(), part) if attribute == "condition" else part) for part in held]
    covered = next(
        ((part, a, group) for part, food in foods for a in asked if (group := values.covering(a, food))), None
    )
    if covered is None or attribute not in ("allergy", "condition"):  # lactose intolerance rules out dairy
        return None
    chinese = is_chinese(question)
    day = item.day(now.tzinfo if now is not None else None)
    told = _held(subject, attribute, [covered[0]], ended=False, chinese=chinese)
    member, group = covered[1:]
    if chinese:
        return f"你说过{told}（截至 {day}）；{member}属于{group}。"
    return f"You told me {told} (as of {day}); {member} {'are' if member.endswith('s') else 'is'} {group}."


def unknown_food(food: str, facts: list[RetrievedItem], question: str, now: datetime | None = None) -> str:
    """The answer to a question whether one may eat a food that names no value held ("Can I have
    a Snickers?"): what is in it is not known, the allergies and conditions told are (``facts``,
    held now or ended, said so): "I don't know what's in a Snickers, but you told me you are allergic to
    peanuts (as of 2024-05-03)."."""
    if is_chinese(question):
        return f"我不知道{food}里有什么，但你说过{held_told(facts, question, now)}。"
    return f"I don't know what's in {food}, but you told me {held_told(facts, question, now)}."


def held_told(facts: list[RetrievedItem], question: str, now: datetime | None = None) -> str:
    """The allergies and conditions told (``facts``, held now or ended, said so), dated, in the
    question's language: "you are allergic to peanuts (as of 2024-05-03) and you have diabetes
    (as of 2024-05-03)", 你对花生过敏（截至 2024-05-03），你有糖尿病（截至 2024-05-03）."""
    chinese = is_chinese(question)
    tz = now.tzinfo if now is not None else None
    told = []
    for item in facts:
        subject, _, attribute = item.key.partition(".")
        said_values = [value.removeprefix(ENDED) for value in value_items(item.value)]
        said = _held(subject, attribute, said_values, ended=item.value.startswith(ENDED), chinese=chinese)
        told.append(f"{said}（截至 {item.day(tz)}）" if chinese else f"{said} (as of {item.day(tz)})")
    return "，".join(told) if chinese else " and ".join(told)


def not_told_held(key: str, value: str, question: str, *, held: list[str] | None = None, day: str = "") -> str:
    """The answer to "Am I allergic to cats?" (``user.allergy``, ``cats``) where the user never said
    so: not that they told, and what they did tell (``held`` values, as of ``day``), if anything.
    Where every value told is in another script (鸡蛋 asked, eggs told), the two cannot be
    compared: only what was told, no "not"."""
    subject, _, attribute = key.partition(".")
    chinese = is_chinese(question)
    never = _held(subject, attribute, [value], ended=False, chinese=chinese)
    told = _held(subject, attribute, held, ended=False, chinese=chinese) if held else ""
    if held and all(item.isascii() != value.isascii() for item in held):
        return f"你说过{told}（截至 {day}）。" if chinese else f"You told me {told} (as of {day})."
    if chinese:
        return f"据我所知没有：你没有告诉过我{never}" + (f"；你说过{told}（截至 {day}）。" if told else "。")
    if told:
        return f"Not that you've told me: {told} (as of {day})."
    what = (
        not_told_taste(subject, attribute)
        if attribute in TASTES
        else f"{whose(subject)} {ATTRIBUTE_WORDS[attribute][1]}"
    )
    return f"Not that you've told me: I have no memory of {what}."


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
    named = " or ".join(sorted(f"your {slug}" if slug in RELATIONS_ZH else slug.title() for slug in slugs))
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
