"""A pet said gone by its name alone: "Rex passed away", "Bella died last night", "We had to put
Milo down", "We rehomed Coco", 咪咪去世了.

Extraction reads "Our dog Rex died" (the pet's word says whose pet it is: ``user.dog = no longer
Rex``), but not "Rex passed away": a name alone says nothing of whom it names, and extraction is a
pure function of the text. After the gate, :class:`PetLossResolver` reads the pets the user holds
(the ``user.<pet>`` facts, :data:`~tiermem.memory.versions.PETS`, several of a kind at once), and
where the message says one of their names is gone, the decision gets that pet's ended version
(``user.dog = no longer Rex``): the other dogs stay held. A name that no held pet has ("Grandpa Joe
passed away") changes nothing, nor does a question ("Did Rex die?") or a pet's word already read
("Our dog Rex died" ended Rex itself).

Example:
    >>> gone_names("Sadly Rex passed away last night, and we had to put Milo down.")
    ['Rex', 'Milo']
    >>> gone_names("咪咪上周去世了"), gone_names("Did Rex die?")
    (['咪咪'], [])
"""

from __future__ import annotations

import re
from datetime import datetime

from tiermem.memory.records import Fact
from tiermem.memory.store import TierStore
from tiermem.memory.versions import ENDED, PETS, held_values

from .gate import GateDecision
from .statements import stated_clauses

_NAME = r"(?-i:(?P<name>[A-Z][a-z'-]+))"
_ENGLISH = re.compile(
    rf"(?<![\w'])(?:{_NAME}\s+(?:(?:just|sadly|recently|finally|has|had)\s+)*(?:died|passed(?:\s+away|(?=\s*(?:[.!,;]|$)))|ran\s+away|"
    r"went\s+missing|(?:was|got)\s+(?:put\s+down|put\s+to\s+sleep|rehomed|hit\s+by\s+a\s+car|killed)|"
    r"crossed\s+the\s+rainbow\s+bridge)"
    rf"|\b(?:i|we)\s+(?:(?:just|sadly|recently|finally)\s+)*(?:lost|rehomed|gave\s+away|(?:had\s+to\s+)?(?P<put>put))\s+"
    rf"{_NAME.replace('name', 'object')}(?(put)\s+(?:down|to\s+sleep)))\b",
    re.IGNORECASE,
)
"""A name and its going in English: "Rex passed away", "Bella was put down", "we lost Milo"."""
_CHINESE = re.compile(r"(?P<name>[\u4e00-\u9fff]{1,3}?)(?:上周|昨天|今天|前几天|已经|突然)*(?:去世|死|病死|走丢|丢)了")
"""A name and its going in Chinese: 咪咪去世了, 旺财走丢了."""


def gone_names(text: str) -> list[str]:
    """The names that ``text`` states are gone (dead, lost, given away), in the clauses that state
    something (:func:`~tiermem.agents.statements.stated_clauses`): no question's."""
    names: list[str] = []
    for clause in stated_clauses(text):
        for match in (*_ENGLISH.finditer(clause.text), *_CHINESE.finditer(clause.text)):
            names.append(match["name"] or match.groupdict().get("object") or "")
    return list(dict.fromkeys(name for name in names if name))


class PetLossResolver:
    """Gives a message that says a held pet is gone by its name alone that pet's ended version.

    Args:
        store: the tier store the user's pets are read from.
    """

    def __init__(self, store: TierStore) -> None:
        self.store = store

    def revised(self, decision: GateDecision, namespace: str, text: str, now: datetime) -> GateDecision:
        """``decision`` with ``user.<pet> = no longer <name>`` for each held pet whose name
        ``text`` says is gone, kept mid-term at least (the gate may read "Max ran away" as small
        talk: it cannot know that Max is a pet); ``decision`` itself where none is."""
        names = {name.casefold(): name for name in gone_names(text)}
        if not names:
            return decision
        keys = [f"user.{pet}" for pet in sorted(PETS)]
        stated = {fact.key for fact in decision.facts}
        ended: list[Fact] = []
        for key, versions in self.store.latest_facts(namespace, keys, now=now).items():
            pet = key.removeprefix("user.")
            values = [version.fact.value for version in versions if version.fact is not None]
            held = {value.casefold(): value for value in held_values(pet, values)}
            for folded in sorted(names.keys() & held.keys()) if key not in stated else ():
                value = f"{ENDED}{held[folded]}"
                ended.append(Fact(subject="user", attribute=pet, value=value, observed_at=now, statement=text))
        if not ended:
            return decision
        said = ", ".join(f"{fact.key} = {fact.value}" for fact in ended)
        return decision.with_facts(ended, f"a held pet gone: {said}")
