"""The answer to a question whether one may have a food or a medicine that no fact names.

"Can I eat walnuts?" with nuts held is told the allergy and that walnuts are tree nuts
(:func:`~.held_replies.covered_answer`); "Can I eat salmon?" of a vegetarian, the diet
(:mod:`~.diets`); "Can I have a Snickers?", what is held and that what is in it is not known
(:func:`~.held_replies.unknown_food`), or for a medicine, what a pharmacist should be asked
(:func:`~.medicines.drug_reply`). None of these is left to the local model to guess.
"""

from __future__ import annotations

from datetime import datetime

from .answer import Answer
from .diets import diet_answer
from .held_replies import covered_answer, unknown_food
from .may_eat import bare_foods, holds_for_food
from .medicines import drug_reply, is_medicine
from .retriever import RetrievedItem
from .value_match import ValueMatcher


def may_have_answer(
    food: str, own: list[RetrievedItem], question: str, now: datetime | None, *, values: ValueMatcher
) -> Answer | None:
    """The answer to whether one may have ``food`` (as the question says it) from the asker's
    memories ``own``: an allergy or condition whose category holds it, a diet that leaves it out,
    or the allergies and conditions held where none names it; ``None`` where none of those is held."""
    medicine = is_medicine(food)  # "Can I take aspirin?": the medications taken are told too
    told_for_food = [item for item in own if holds_for_food(item) or (medicine and item.key.endswith(".medication"))]
    bare = bare_foods(food)
    covered = [covered_answer(item, bare, question, now, values=values) for item in told_for_food]
    if any(covered):  # "Can I eat walnuts?" with nuts held: "... walnuts are tree nuts."
        return Answer(
            text=next(text for text in covered if text),
            mode="fact",
            reason=f"the question asks whether one may have {food}, in the category of an allergy held",
            cited=[item.id for item, text in zip(told_for_food, covered, strict=True) if text],
        )
    diets = [item for item in own if item.key.endswith((".diet_identity", ".dislike"))]
    diet_said = diet_answer(diets, bare, question, now, values=values)
    if diet_said is not None:  # "Can I eat salmon?" of a vegetarian: salmon is fish
        return diet_said
    if told_for_food:  # "Can I have a Snickers?": what is in it is not guessed, the allergies are told
        return Answer(
            text=drug_reply(food, told_for_food, question, now, values=values)
            or unknown_food(food, told_for_food, question, now),
            mode="fact",
            reason=f"the question asks whether one may have {food}, which no fact holds: telling the ones held",
            cited=[item.id for item in told_for_food],
        )
    return None
