"""Changes of weight said in chat: "I lost 3 kg", "I've gained 2kg since last month", 我瘦了3公斤.

Such a message states no weight, so extraction reads none from it (a change is no weight, and
extraction is a pure function of the text: it cannot know what the user weighed). The gate
labels it mid-term, as it labels a weight (:class:`~tiermem.agents.gate.QuestionGuard`), and
after the gate :class:`WeightChangeResolver` reads the user's newest stored weight, as a
correction reads the fact it corrects (:mod:`tiermem.agents.corrections`): the message gets a
new version of the weight, the old one plus or minus the change, in the old one's unit (kg, lb
or 斤, each converted: 1 斤 is 0.5 kg, 1 lb 0.45359237 kg). Without a stored weight (or one whose
value is no number and unit), the message is kept as it is, a mid-term memory of what happened,
and no weight is made up. Only what the speaker states counts: "If I lost 3 kg ..." or "Did I gain
2 kg?" changes nothing, nor does "My brother lost 3 kg". A weight said by its number alone ("Weighed
in at 76.5 this morning", "I'm down to 76") is read the same way: in the held weight's unit, where
it lies within a fifth of it, and kept mid-term (the gate cannot know the number is a weight).

Example:
    >>> weight_change("I've gained 2kg since last month")
    WeightChange(amount=2.0, unit='kg')
    >>> weight_change("我胖了两斤"), weight_change("我瘦了3公斤")
    (WeightChange(amount=2.0, unit='jin'), WeightChange(amount=-3.0, unit='kg'))
    >>> changed_weight("70 kg", WeightChange(amount=-3.0, unit="kg"))
    '67 kg'
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import NamedTuple

from tiermem.memory.records import Fact
from tiermem.memory.store import TierStore
from tiermem.memory.versions import version_order

from .fact_values import NUM, ZH_NUM, unit_name, zh_number
from .gate import GateDecision
from .measures import per_base
from .number_words import WORD_NUM, words_number
from .statements import stated_clauses

WEIGHT_KEY = "user.weight"

_LOST = r"lost|dropped|shed|took\s+off|down"
_ENGLISH = re.compile(
    r"\bi(?:['’]ve|\s+have|['’]m|\s+am)?\s+(?:(?:just|already|finally|now|also|since|recently|actually)\s+)*"
    rf"(?P<verb>{_LOST}|gained|put\s+on|packed\s+on|up)\s+"
    r"(?:(?:about|around|almost|nearly|over|another|like|roughly|by|a\s+further|an\s+extra|a\s+good)\s+)*"
    rf"(?:{NUM}|{WORD_NUM})\s*(?P<unit>kg|kgs|kilos?|kilograms?|lbs?|pounds?)(?![a-z])",
    re.IGNORECASE,
)
"""A change of the speaker's weight in English ("I lost 3 kg", "I've put on two kilos", "I'm down 4 lb")."""
_ZH_LOST = "瘦了|轻了|减了|掉了|减少了|少了"
_CHINESE = re.compile(
    r"(?:我|体重)(?:最近|这个月|这周|这段时间|今年|又|已经|一共|总共|终于|都|比上个月|比上周|比以前|比之前|足足)*"
    rf"(?P<verb>{_ZH_LOST}|胖了|重了|长了|涨了|增加了|多了)\s*(?:大概|差不多|将近|快|近|约|整整)?\s*"
    rf"{ZH_NUM}\s*(?P<unit>公斤|千克|斤|kg)"
)
"""A change of the speaker's weight in Chinese (我瘦了3公斤, 我胖了两斤, 体重减了5斤)."""
_HELD = re.compile(r"^\s*(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>kg|lb|jin)\s*$")
_UNITLESS = re.compile(
    r"(?:^\W*|\bi\s+|\bi['’]m\s+|\bi\s+am\s+)(?:(?:just|now|finally|only|officially)\s+)*"
    r"(?:weighed(?:\s+(?:in|myself))?(?:\s+at)?|weigh(?:\s+in\s+at)?|(?<!get\s)(?:down|up)\s+to)\s+"
    r"|(?:^\W*|\b(?:the|my)\s+)scale\s+(?:says|said|showed|shows|read|reads)\s+",
    re.I,
)
"""A weight said by its number alone ("Weighed in at 76.5 this morning", "I'm down to 76", "the scale said 75.8"),
read after the words; a unit or any other word right after the number but a time ("this morning", "today") or
"and" makes it no such weight."""
_NUMBER_ALONE = re.compile(
    r"(?P<num>\d{2,3}(?:[.,]\d{1,2})?)(?=\s*(?:$|[.!?,;)](?!\d)|(?:today|tonight|this|now|yesterday|on|at|in|after"
    r"|before|and|but|so|which|again|finally|lol|haha|yay)\b))",
    re.I,
)
_GOAL_ALONE = re.compile(
    r"\b(?:my\s+)?(?:goal|target)(?:\s+weight)?\s+(?:is|=|:)\s+(?:to\s+(?:get\s+(?:down\s+)?to|reach|hit|weigh)\s+)?"
    r"|\bi\s+(?:want|would\s+like|['’]d\s+like|hope|plan|need|am\s+trying|['’]m\s+trying)\s+to\s+"
    r"(?:get\s+(?:down\s+|back\s+)?to|reach|hit|weigh)\s+",
    re.I,
)
"""A goal weight said by its number alone ("My target weight is 165", "I want to get down to 70")."""
PLAUSIBLE_SHARE = 0.2
"""How far from the held weight a number said alone may be and still be the new weight (80 kg held:
64 to 96): "I'm down to 3 a day" is no weight."""
GOAL_SHARE = 0.4
"""And still be the goal weight (80 kg held: 48 to 112)."""
GOAL_KEY = "user.goal_weight"


class WeightChange(NamedTuple):
    """A change of weight: ``amount`` (negative for a loss) in ``unit`` (``kg``, ``lb``, ``jin``)."""

    amount: float
    unit: str


def weight_change(text: str) -> WeightChange | None:
    """The change of the speaker's weight that ``text`` states, in a clause that states something
    (:func:`~tiermem.agents.statements.stated_clauses`); ``None`` where it states none."""
    for clause in stated_clauses(text):
        match = _ENGLISH.search(clause.text) or _CHINESE.search(clause.text)
        if match is None:
            continue
        said = match.groupdict()
        number = words_number(said["words"]) if said.get("words") else zh_number(said["zh"]) if said.get("zh") else None
        amount = float(number or said["num"].replace(",", "."))
        lost = re.fullmatch(rf"{_LOST}|{_ZH_LOST}", match["verb"].lower()) is not None
        unit = unit_name(match["unit"])
        if amount > 0:
            return WeightChange(-amount if lost else amount, unit)
    return None


def changed_weight(held: str, change: WeightChange) -> str | None:
    """The weight ``held`` ("70 kg", "140 lb", "120 jin") after ``change``, in ``held``'s unit,
    to a tenth; ``None`` where ``held`` is no weight or the change leaves none."""
    found = _HELD.match(held)
    if found is None:
        return None
    unit = found["unit"]
    value = round(float(found["num"]) + change.amount * per_base(change.unit) / per_base(unit), 1)
    return f"{value:g} {unit}" if value > 0 else None


def numbers_said_alone(text: str, said_as: re.Pattern[str] = _UNITLESS) -> list[float]:
    """The numbers ``text`` states as the speaker's weight without a unit ("Weighed in at 76.5 this
    morning": 76.5), or as their goal weight (``said_as`` :data:`_GOAL_ALONE`), in clauses that
    state something."""
    if not any(character.isdigit() for character in text):  # most messages: no clause is read
        return []
    return [
        float(number["num"].replace(",", "."))
        for clause in stated_clauses(text)
        for said in said_as.finditer(clause.text)
        if (number := _NUMBER_ALONE.match(clause.text, said.end()))
    ]


def weight_said_alone(numbers: list[float], held: str, share: float = PLAUSIBLE_SHARE) -> str | None:
    """The first of ``numbers`` (:func:`numbers_said_alone`) within ``share`` of the weight ``held``,
    in its unit ("76.5 kg" with "80 kg" held); ``None`` where none is."""
    found = _HELD.match(held)
    weight = float(found["num"]) if found else 0.0
    value = next((number for number in numbers if abs(number - weight) <= share * weight), None)
    return f"{value:g} {found['unit']}" if found and value is not None else None


class WeightChangeResolver:
    """Gives a message that states a change of weight the new version of the user's weight (and one
    that states a weight or a goal weight without its unit, that fact in the held weight's unit).

    Args:
        store: the tier store the user's newest weight is read from.
    """

    def __init__(self, store: TierStore) -> None:
        self.store = store

    def revised(self, decision: GateDecision, namespace: str, text: str, now: datetime) -> GateDecision:
        """``decision`` with a new version of the user's weight where ``text`` states a change of
        it and the decision keeps the message (mid or long), or states a weight or a goal weight by
        its number alone ("Weighed in at 76.5 this morning", "My target weight is 165": in the held
        weight's unit, and kept mid-term at least, as the gate cannot know the number is a weight);
        ``decision`` itself where it states that fact itself ("I weigh 68 kg, I lost 2 kg" is the
        weight it says) or none of these."""
        stated = {fact.key for fact in decision.facts}
        change = weight_change(text) if decision.tier in ("mid", "long") and WEIGHT_KEY not in stated else None
        alone = numbers_said_alone(text) if change is None and WEIGHT_KEY not in stated else []
        goal = numbers_said_alone(text, _GOAL_ALONE) if GOAL_KEY not in stated else []
        if change is None and not alone and not goal:
            return decision
        versions = self.store.latest_facts(namespace, [WEIGHT_KEY], now=now, versions=1).get(WEIGHT_KEY, [])
        held = max(versions, key=version_order).fact if versions else None
        if held is None:
            return decision
        value = changed_weight(held.value, change) if change is not None else weight_said_alone(alone, held.value)
        goal_value = weight_said_alone(goal, held.value, GOAL_SHARE)
        found = [
            Fact(subject="user", attribute=attribute, value=said, observed_at=now, statement=text)
            for attribute, said in (("weight", value), ("goal_weight", goal_value))
            if said is not None
        ]
        if not found:
            return decision
        how = f"{change.amount:+g} {change.unit}" if change is not None else "said without its unit"
        said = ", ".join(f"{fact.key} = {fact.value}" for fact in found)
        return decision.with_facts(found, f"weight {held.value} {how}: {said}")
