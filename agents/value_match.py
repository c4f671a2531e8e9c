"""Whether a value a question names is one the user told: the same words, a category's member,
or the same thing in another script.

"Am I allergic to nuts?" where peanuts are stored names a category (:data:`~.allergen_groups.
ALLERGEN_GROUPS`) whose member is held: the held member answers it. "Am I allergic to almonds?"
where nuts are stored names a member of a held category: not the same thing (a nut allergy is
often to some nuts only), so :meth:`ValueMatcher.covering` tells which category holds it; a
drug is said as one of its class ("amoxicillin is a penicillin", "Advil is ibuprofen, an NSAID"),
and two drugs of a class are told so ("naproxen is an NSAID" where ibuprofen is held). A value
in one script and a value told in the other (鸡蛋 asked, eggs told) are compared by the bundled
multilingual encoder: the same thing where their cosine similarity is at least
:data:`SAME_ACROSS_SCRIPTS`.

Example:
    >>> values = ValueMatcher(None)
    >>> values.names("nuts", "peanuts"), values.names("almonds", "nuts")
    (True, False)
    >>> values.covering("almonds", "nuts")
    'tree nuts'
"""

from __future__ import annotations

from tiermem.memory.embeddings import BaseEmbedder

from .allergen_groups import ALLERGEN_GROUPS, AS_MEMBER, FOOD_GROUPS, IN_ENGLISH
from .yes_no import same_value, same_words

SAME_ACROSS_SCRIPTS = 0.8
"""Cosine similarity (USE) at which two values in different scripts are the same thing. On a dev
list of 42 English-Chinese pairs that are the same and 47 that are not (tests/agents/
test_value_match.py, docs/RETRIEVAL.md), the highest pair that is not is 0.741 (cats/猫毛, cat
hair), of two different things 0.727 (shellfish/鱼); 19 of the 42 same pairs reach 0.8 (eggs/鸡蛋
0.859, cats/猫 0.915, milk/牛奶 0.860; the lowest, depression/抑郁症, 0.804), 23 do not
(peanuts/花生 0.591, below cats/狗 0.645): no threshold separates the two, so this one keeps a
wrong "yes" out (0.059 above every pair that is not the same) and leaves the rest told, not
compared."""


def _group(value: str) -> str | None:
    """The category of :data:`ALLERGEN_GROUPS` that ``value`` says, in its words ("Nut": nuts; 坚果
    told, nuts asked: nuts)."""
    for said in _said(value):  # its own script's first: 坚果 is 坚果's category, not nuts'
        group = next((group for group in ALLERGEN_GROUPS if same_words(group, said)), None)
        if group is not None:
            return group
    return None


def _said(value: str) -> tuple[str, ...]:
    """``value`` and, for a word of :data:`~.allergen_groups.IN_ENGLISH`, its English (花生: peanuts)."""
    return (value, IN_ENGLISH[value]) if value in IN_ENGLISH else (value,)


def _member(member: str, value: str) -> bool:
    """Whether ``value`` is ``member`` in its words, in either script (花生 is peanuts)."""
    return any(same_words(one, other) for one in _said(member) for other in _said(value))


def listed_food(food: str) -> bool:
    """Whether ``food`` is, or is made of, a food :data:`~.allergen_groups.FOOD_GROUPS` lists or groups
    ("almond milk", "walnuts", "shellfish"; not "the gym")."""
    said = [food, food.split()[0]] if len(food.split()) > 1 else [food]
    return any(
        same_words(category, one) or any(_member(member, one) for member in members)
        for category, members in FOOD_GROUPS.items()
        for one in said
    )


def _within(group: str) -> dict[str, str]:
    """Every member of ``group``, its members' members too, each with the narrowest category
    that lists it (nuts: peanuts -> nuts, almonds -> tree nuts)."""
    found: dict[str, str] = {}
    pending = [group]
    while pending:
        category = pending.pop()
        for member in ALLERGEN_GROUPS[category]:
            if member not in found:
                found[member] = category
                if member in ALLERGEN_GROUPS:
                    pending.append(member)
    return found


def allergens_in(category: str) -> list[str]:
    """The allergens a category of :data:`ALLERGEN_GROUPS` holds, at any depth, the categories
    among them left out ("nuts": peanuts, almonds, cashews ...); none for any other value."""
    group = _group(category)
    return [member for member in _within(group) if member not in ALLERGEN_GROUPS] if group else []


class ValueMatcher:
    """Matches the values questions name to the values told.

    Args:
        embedder: the multilingual sentence encoder the store uses (none: values in different
            scripts are never the same).
        threshold: cosine similarity at which two values in different scripts are the same.
    """

    def __init__(self, embedder: BaseEmbedder | None, threshold: float = SAME_ACROSS_SCRIPTS) -> None:
        self.embedder = embedder
        self.threshold = threshold

    def same(self, asked: str, said: str) -> bool:
        """Whether ``asked`` and ``said`` are one value: by their words (:func:`~.yes_no.same_value`),
        or, in different scripts, by the allergens' words (花生 is peanuts) or by their meaning (eggs, 鸡蛋)."""
        if asked.isascii() == said.isascii():
            return same_value(asked, said)
        if _member(asked, said):
            return True
        if self.embedder is None:
            return False
        vectors = self.embedder.encode([asked, said])
        return float(vectors[0] @ vectors[1]) >= self.threshold

    def names(self, asked: str, said: str) -> bool:
        """Whether a question that names ``asked`` asks about the told value ``said``: the same
        value, or a member of the category ``asked`` says ("nuts" names peanuts told)."""
        group = _group(asked)
        return self.same(asked, said) or (group is not None and any(_member(m, said) for m in _within(group)))

    def covering(self, asked: str, said: str) -> str | None:
        """The narrowest category that holds ``asked`` within the told category ``said`` (almonds
        within nuts: ``tree nuts``), or, for a told value that is no category, the one that lists
        both (cheese asked, milk told: ``dairy``; naproxen asked, ibuprofen told: NSAIDs), as
        ``asked`` is said to be in it (:func:`said_within`: ``a penicillin``); ``None`` where
        none holds both."""
        category = _covering(asked, said)
        return said_within(category, chinese=not asked.isascii()) if category is not None else None


def _covering(asked: str, said: str) -> str | None:
    """The category of :meth:`ValueMatcher.covering`, as :data:`ALLERGEN_GROUPS` names it."""
    groups = [group for told in _said(said) if (group := _group(told)) is not None]  # 青霉素, penicillins
    members = [(member, category) for group in groups for member, category in _within(group).items()]
    # a dish by what it is made of: "almond milk" has almonds, "shrimp pasta" shrimp (its first word, not
    # its last: "coconut milk" is no dairy)
    made_of = asked.split()[0] if len(asked.split()) > 1 and asked.isascii() else None
    within = next(
        (category for member, category in members if _member(member, asked) or (made_of and _member(member, made_of))),
        None,
    )
    if within is None and not _a_class(asked) and not _a_class(said):  # naproxen asked, ibuprofen told: NSAIDs
        within = next((kind for kind in AS_MEMBER if _holds(kind, said) and _holds(kind, asked)), None)
    if within is not None or groups or _group(asked) is not None:
        return within  # "tree nuts" asked, peanuts told: a category, not a member beside them
    return next(  # cheese asked, milk told: both dairy
        (
            category
            for category, listed in ALLERGEN_GROUPS.items()  # in the asked one's script: 坚果 lists 花生 and 核桃
            if category.isascii() == asked.isascii()
            and any(_member(m, said) for m in listed)
            and any(_member(m, asked) for m in listed)
        ),
        None,
    )


def _a_class(value: str) -> bool:
    """Whether ``value`` names a drug class of :data:`AS_MEMBER` or another name of one ("sulfa")."""
    group = _group(value)
    return group is not None and (group in AS_MEMBER or any(kind in _within(group) for kind in AS_MEMBER))


def _holds(category: str, value: str) -> bool:
    """Whether ``value`` is ``category``'s member at any depth (Advil in NSAIDs)."""
    return any(_member(member, value) for member in _within(category))


def said_within(category: str, *, chinese: bool = False) -> str:
    """How a value is said to be in ``category`` of :data:`ALLERGEN_GROUPS`, in English or
    Chinese where its words are known: a food category as it is named ("tree nuts", 坚果), a
    drug class as one of it ("a penicillin", 青霉素类药物), a drug with its class ("ibuprofen,
    an NSAID"; Advil is ibuprofen)."""
    english = IN_ENGLISH.get(category, category)
    if chinese:
        said = next((zh for zh, en in IN_ENGLISH.items() if same_words(en, english)), category)
        return AS_MEMBER.get(_class_of(said), said)  # 芬必得 (ibuprofen): 非甾体抗炎药
    said = next((group for group in ALLERGEN_GROUPS if same_words(group, english)), english)
    if said in AS_MEMBER:
        return AS_MEMBER[said]
    kind = _class_of(said)
    return f"{said}, {AS_MEMBER[kind]}" if kind in AS_MEMBER else said


def _class_of(drug: str) -> str:
    """The drug class of :data:`AS_MEMBER` that lists ``drug`` (ibuprofen: NSAIDs); ``drug`` itself
    where none does."""
    return next((kind for kind in AS_MEMBER if drug in ALLERGEN_GROUPS[kind]), drug)
