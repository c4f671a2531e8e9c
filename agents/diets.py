"""What a diet leaves out, for a question whether one may eat a food ("Can I eat salmon?" of a vegetarian).

A diet held (``user.diet_identity``: vegetarian, vegan, pescatarian, gluten-free, dairy-free, halal,
kosher, 素食) leaves out food categories of :data:`~.allergen_groups.FOOD_GROUPS`. Where the food asked
is one of them or in one, the answer quotes what the user said of their diet (it may name an
exception: "I'm vegetarian but I eat fish sometimes") and says which category the food is in; it
is no plain no, the user knows their own exceptions. A food said not eaten (``user.dislike``: "I
stopped eating meat", "I don't eat pork") leaves out what it names and holds ("Can I eat bacon?": bacon
is pork). A food no category left out holds ("Can I eat tofu?") is not answered here.

Example:
    >>> values = ValueMatcher(None)
    >>> left_out("vegan", "honey", values), left_out("vegetarian", "salmon", values)
    ('honey', 'fish')
    >>> left_out("pescatarian", "salmon", values) is None
    True
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from tiermem.memory.versions import ENDED, value_items

from .answer import Answer
from .replies import is_chinese, quote, told
from .retriever import RetrievedItem
from .value_match import ValueMatcher
from .yes_no import same_words

_LEFT_OUT: dict[str, tuple[str, ...]] = {
    "vegetarian": ("meat", "fish", "shellfish", "seafood"),
    "vegan": ("meat", "fish", "shellfish", "seafood", "dairy", "eggs", "honey"),
    "pescatarian": ("meat",),
    "gluten-free": ("gluten",),
    "dairy-free": ("dairy",),
    "halal": ("pork", "alcohol"),
    "kosher": ("pork", "shellfish"),
    "素食": ("肉", "海鲜"),
    "素食者": ("肉", "海鲜"),
    "纯素": ("肉", "海鲜", "乳制品", "鸡蛋"),
}
"""Each diet, as held, -> the food categories it leaves out."""


def left_out(diet: str, food: str, values: ValueMatcher) -> str | None:
    """The category of the foods ``diet`` leaves out that ``food`` is or is in, as said (``fish``);
    ``None`` where the diet leaves it in, or is none known."""
    categories = _LEFT_OUT.get(diet.casefold().replace(" ", "-"), ())
    same = next((category for category in categories if same_words(category, food)), None)
    return same or next((group for category in categories if (group := values.covering(food, category))), None)


def _left_out_by(item: RetrievedItem, food: str, values: ValueMatcher) -> str | None:
    """What ``item`` leaves out that ``food`` is or is in: a diet's category (:func:`left_out`), or
    a food the user said they do not eat ("I don't eat pork": bacon is pork); ``None`` for neither."""
    if item.value.startswith(ENDED):
        return None
    if item.key.endswith(".diet_identity"):
        return left_out(item.value, food, values)
    said = value_items(item.value)
    same = next((value for value in said if same_words(value, food)), None)
    return same or next((group for value in said if (group := values.covering(food, value))), None)


def diet_answer(
    held: list[RetrievedItem], foods: list[str], question: str, now: datetime | None, *, values: ValueMatcher
) -> Answer | None:
    """The answer to "Can I eat salmon?" where a diet held (``user.diet_identity``) or a food said not
    eaten (``user.dislike``: "I stopped eating meat") leaves the food out: what was said, quoted, and
    which category the food is in; ``None`` where none of ``held`` leaves one out."""
    tz = now.tzinfo if now is not None else None
    for item in held:
        found = next(((food, group) for food in foods if (group := _left_out_by(item, food, values))), None)
        if found is None:
            continue
        food, group = found
        diet = item.value if item.key.endswith(".diet_identity") else None
        text = _chinese(item, food, group, diet, tz) if is_chinese(question) else _english(item, food, group, diet, tz)
        by = f"the {diet} diet held" if diet else "a food said not eaten"
        reason = f"the question asks whether one may have {food}, which {by} leaves out"
        return Answer(text=text, mode="fact", reason=reason, cited=[item.id])
    return None


def _english(item: RetrievedItem, food: str, group: str, diet: str | None, tz: tzinfo | None) -> str:
    """'You told me: "I'm vegetarian." (2024-05-03); salmon is fish, which a vegetarian diet leaves
    out.'; of a food said not eaten, '...; bacon is pork.', or the quote alone where it names the food."""
    said = told(item, tz).removesuffix(".")
    be = "are" if food.endswith("s") else "is"
    if diet is None:
        return f"{said}." if same_words(food, group) else f"{said}; {food} {be} {group}."
    if same_words(food, group):
        return f"{said}; {food} is something a {diet} diet leaves out."
    return f"{said}; {food} {be} {group}, which a {diet} diet leaves out."


def _chinese(item: RetrievedItem, food: str, group: str, diet: str | None, tz: tzinfo | None) -> str:
    """:func:`_english` in Chinese: 根据记忆（...）：...；猪肉属于肉，素食饮食不包括肉。"""
    within = "" if same_words(food, group) else f"；{food}属于{group}"
    return f"{quote(item, None, tz)}{within}" + (f"，{diet}饮食不包括{group}。" if diet else "。")
