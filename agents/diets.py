"""What a diet leaves out, for a question whether one may eat a food ("Can I eat salmon?" of a vegetarian).

A diet held (``user.diet_identity``: vegetarian, vegan, pescatarian, gluten-free, dairy-free, halal,
kosher, 素食) leaves out food categories of :data:`~.allergen_groups.FOOD_GROUPS`. Where the food asked
is one of them or in one, the answer quotes what the user said of their diet (it may name an
exception: "I'm vegetarian but I eat fish sometimes") and says which category the food is in; it
is no plain no, the user knows their own exceptions. A food no category left out holds ("Can I eat
tofu?") is not answered here.

Example:
    >>> values = ValueMatcher(None)
    >>> left_out("vegan", "honey", values), left_out("vegetarian", "salmon", values)
    ('honey', 'fish')
    >>> left_out("pescatarian", "salmon", values) is None
    True
"""

from __future__ import annotations

from datetime import datetime

from tiermem.memory.versions import ENDED

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


def diet_answer(
    diets: list[RetrievedItem], foods: list[str], question: str, now: datetime | None, *, values: ValueMatcher
) -> Answer | None:
    """The answer to "Can I eat salmon?" where a diet held leaves the food out: what was said of the
    diet, quoted, and which category the food is in; ``None`` where no diet held leaves one out."""
    tz = now.tzinfo if now is not None else None
    for item in diets:
        diet = item.value
        found = next(
            ((food, group) for food in foods if not diet.startswith(ENDED) and (group := left_out(diet, food, values))),
            None,
        )
        if found is None:
            continue
        food, group = found
        if is_chinese(question):
            text = f"{quote(item, None, tz)}；{food}属于{group}，{diet}饮食不包括{group}。"
        else:
            be = "are" if food.endswith("s") and not same_words(food, group) else "is"
            within = f"{food} {be} {group}, which" if not same_words(food, group) else f"{food} is something"
            text = f"{told(item, tz).removesuffix('.')}; {within} a {diet} diet leaves out."
        reason = f"the question asks whether one may have {food}, which the {diet} diet held leaves out"
        return Answer(text=text, mode="fact", reason=reason, cited=[item.id])
    return None
