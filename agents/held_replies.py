"""Replies about the values of a set-valued fact held: allergies, conditions, likes and dislikes.

"Am I allergic to eggs?" is answered yes, no longer (since when) or not that the user said, with
what they did say; "Can I eat almonds?" with nuts held says what was told and that almonds are
tree nuts; "Can I have a Snickers?" says what is not known and what is held.
"""

from __future__ import annotations

from datetime import UTC, datetime

from tiermem.memory.versions import ENDED, value_items

from .allergen_groups import CONDITION_FOODS
from .attribute_words import ATTRIBUTE_WORDS
from .corrections import replaced_value
from .fact_names import who, whose, zh_who
from .replies import is_chinese
from .retriever import RetrievedItem
from .taste_replies import TASTES, listed, not_told_taste
from .value_match import ValueMatcher
from .yes_no import narrows, said_fact, same_value

_HELD = {
    "allergy": ("{who} {be} allergic to {x}", "{who} {be} no longer allergic to {x}"),
    "condition": ("{who} {have} {x}", "{who} no longer {have} {x}"),
    "likes": ("{who} {like} {x}", "{who} no longer {like} {x}"),
    "dislike": ("{who} {dislike} {x}", "{who} no longer {dislike} {x}"),
    "medication": ("{who} {take} {x}", "{who} no longer {take} {x}"),
}
"""How a value of a set-valued attribute (or a medication) is said held and ended: "you are allergic to
eggs", "you no longer have asthma", "you take ibuprofen"."""
_HELD_ZH = {
    "allergy": ("{who}对{x}过敏", "{who}已经不再对{x}过敏"),
    "condition": ("{who}有{x}", "{who}已经不再有{x}"),
    "likes": ("{who}喜欢{x}", "{who}已经不再喜欢{x}"),
    "dislike": ("{who}不喜欢{x}", "{who}已经不再讨厌{x}"),
    "medication": ("{who}在服用{x}", "{who}已经不再服用{x}"),
}


def _held(subject: str, attribute: str, values: list[str], *, ended: bool, chinese: bool) -> str:
    """``values`` of an allergy, a condition or a like said held (or ended): "your sister has asthma", 你对猫过敏."""
    if chinese:
        return _HELD_ZH[attribute][ended].format(who=zh_who(subject), x="、".join(values))
    you = subject == "user"
    verbs = ("are", "have", "like", "dislike", "take") if you else ("is", "has", "likes", "dislikes", "takes")
    said = dict(zip(("be", "have", "like", "dislike", "take"), verbs, strict=True))
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
