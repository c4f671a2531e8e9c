"""What the user told of whom they cook for, where a question asks advice about food.

"What should I avoid cooking for Mark?" asks the model for advice, and the local model does not
read the husband's shellfish allergy in its context ("The user's diet is vegetarian"); "Should I
put cilantro in the salsa?" gets a story about toxic seasonings, where the user said they hate
cilantro. So an advice question about food, or one that names a value of such a fact, is told
the allergies, conditions, diet and dislikes held of whom it asks about (the user, or the
relation it names): a question of what to avoid with them alone, any other after the model's
answer, as a note.
"""

from __future__ import annotations

import re
from datetime import datetime

from tiermem.memory.versions import value_items

from .may_eat import TOLD_FOR_FOOD
from .replies import fact_answer
from .retriever import RetrievedItem
from .word_forms import named_in

_FOOD = re.compile(
    r"\b(?:cook(?:ing)?|eat(?:ing)?|foods?|meals?|dinner|lunch|breakfast|brunch|recipes?|snacks?|bak(?:e|ing)"
    r"|serve|order|menu|restaurant|dish(?:es)?|feed|make\s+for|treat|ingredients?|diet(?:ary)?)\b",
    re.I,
)
"""Words of a question about food or what to cook or keep away from someone."""
_HOUSEHOLD = re.compile(
    r"\b(?:(?:the|my|our)\s+(?:whole\s+)?family|everyone|everybody|all\s+of\s+us|the\s+kids|my\s+kids|our\s+kids"
    r"|the\s+household|(?:my|our|the)\s+guests|guests|the\s+(?:dinner\s+)?party|the\s+(?:bbq|barbecue|potluck|gathering))\b"
    r"|全家|家人|一家人|大家|聚会|客人",
    re.I,
)
"""Words of a question for everyone one cooks for ("dinner for the family", "something everyone can eat",
"What should I cook for the dinner party?")."""
_AVOID = re.compile(
    r"\b(?:avoid|stay\s+away|keep\s+away|not\s+(?:cook|serve|make|give|feed|order|eat|drink|have)"
    r"|(?:can(?:'|’)?t|cannot|shouldn(?:'|’)?t|should\s+not|mustn(?:'|’)?t|must\s+not|(?:not\s+)?(?:supposed|allowed)\s+to)"
    r"\s+(?:(?:i|we|you|he|she|they|my\s+\w+)\s+)?(?:eat|drink|have|cook|serve)|(?:dietary|diet|food)\s+(?:restrictions?|limitations?|needs|requirements))\b",
    re.I,
)
"""A question for what to keep away from someone ("What can't I eat?", "Any dietary restrictions?"): the
facts answer it alone, where it is about food (:data:`_FOOD`): "What should I avoid saying?" is not."""
_ACTIVITY = re.compile(
    r"^(?!(?:pudding|stuffing|icing|frosting|dumpling|herring|dressing|filling|topping|seasoning)s?\b)[a-z]+ing\b", re.I
)
"""A dislike that is something done, no food ("running in the rain", "waking up early")."""
_KEPT = TOLD_FOR_FOOD | {"diet_identity", "dislike"}
"""The facts that say what one may not or will not eat: the allergies and conditions a "may I"
question is told, the diet and the dislikes."""


def food_facts(question: str, items: list[RetrievedItem], about: frozenset[str]) -> list[RetrievedItem]:
    """The allergies, conditions, diet and dislikes held of whom ``question`` asks ``about`` (the
    user where empty; everyone's where it names the household: "for the family", "for everyone")
    in ``items``: all of them for a question about food, else those whose value the question names
    ("Should I put cilantro in the salsa?")."""
    everyone = _HOUSEHOLD.search(question) is not None  # "What should I cook for the family?": each one's
    whom = about or frozenset({"user"})
    held = [
        item
        for item in items
        if item.key.partition(".")[2] in _KEPT
        and (everyone or item.key.partition(".")[0] in whom)
        and not (item.key.endswith(".dislike") and all(_ACTIVITY.match(v) for v in value_items(item.value)))
    ]
    if _FOOD.search(question):
        return held
    return [item for item in held if any(named_in(value, question) for value in value_items(item.value))]


def avoids(question: str) -> bool:
    """Whether ``question`` asks what food to keep away from someone ("What should I avoid cooking for Mark?")."""
    return _AVOID.search(question) is not None and _FOOD.search(question) is not None


def food_note(facts: list[RetrievedItem], now: datetime | None) -> str:
    """The facts told, for the model's answer: `` (Keep in mind: your husband's allergy is shellfish
    (as of 2026-11-03).)``; empty for none."""
    if not facts:
        return ""
    return f" (Keep in mind: {_told(facts, now)})"


def food_reply(facts: list[RetrievedItem], now: datetime | None) -> str:
    """The answer to what to keep away from someone: ``You told me: your husband's allergy is
    shellfish (as of 2026-11-03).``"""
    return f"You told me: {_told(facts, now)}"


def _told(facts: list[RetrievedItem], now: datetime | None) -> str:
    """The facts' answers in one sentence, each begun in lower case ("your husband's allergy is ...; your
    diet is ...")."""
    answers = (fact_answer(fact, now).rstrip(".") for fact in facts)
    return "; ".join(answer[:1].lower() + answer[1:] for answer in answers) + "."
