"""Medicines a question asks whether one may take, and the answer where no allergy told names them.

"Can I take amoxicillin?" where penicillin is told is answered as "Can I eat almonds?" is with
nuts told: what was told and that amoxicillin is a penicillin (:mod:`~.allergen_groups`). Where
the medicine names none of the allergies told ("Is ibuprofen OK for me?" with penicillin told),
whether it is safe is no thing to guess: the answer says what was told and asks the user to ask
a doctor or pharmacist (:func:`drug_reply`). Only a medicine is taken here: "Can I take
a break?", "Should I take the job?" are the model's.

Example:
    >>> taken_medicine("Should I take some Advil?"), taken_medicine("Is ibuprofen OK for me?")
    ('Advil', 'ibuprofen')
    >>> taken_medicine("我可以服用两片布洛芬吗？"), taken_medicine("Can I take the bus?")
    ('布洛芬', None)
"""

from __future__ import annotations

import re
from datetime import datetime

from tiermem.memory.versions import ENDED, value_items

from .allergen_groups import MEDICINE_GROUPS
from .fact_names import who, zh_who
from .held_replies import held_told
from .replies import is_chinese
from .retriever import RetrievedItem
from .value_match import ValueMatcher

_OTHER_MEDICINES = frozenset(
    (  # noqa: SIM905 (a list of words reads better as words)
        "acetaminophen paracetamol tylenol panadol excedrin midol benadryl diphenhydramine claritin loratadine "
        "zyrtec cetirizine allegra fexofenadine sudafed pseudoephedrine dayquil nyquil mucinex guaifenesin "
        "robitussin dextromethorphan metformin insulin prednisone prednisolone lisinopril atorvastatin lipitor "
        "omeprazole prilosec nexium pepcid famotidine tums zoloft sertraline prozac fluoxetine lexapro xanax "
        "valium ambien melatonin azithromycin zithromax z-pak doxycycline cipro ciprofloxacin levofloxacin "
        "erythromycin clarithromycin clindamycin metronidazole flagyl nitrofurantoin macrobid pepto-bismol "
        "imodium loperamide epinephrine epipen albuterol warfarin eliquis plavix gabapentin tamiflu "
        "medicine medicines medication medications meds pill pills tablet tablets capsule capsules painkiller "
        "painkillers antibiotic antibiotics antihistamine antihistamines antacid antacids decongestant "
        "decongestants laxative laxatives vitamin vitamins supplement supplements"
    ).split()
)
"""Medicines no class of :data:`~.allergen_groups.MEDICINE_GROUPS` lists, and the words for any."""
_SHAPED = re.compile(
    r"(?:cillin|mycin|micin|cycline|floxacin|azole|pril|olol|statin|sartan|dipine|tidine|profen|codone|"
    r"morphone|triptan|oxetine|azepam|azolam|formin|isone|olone|asone|ovir)$"
)
"""Endings of generic drug names: amoxicillin, lisinopril, prednisone, valacyclovir ..."""
_ENGLISH_MEDICINES = frozenset(
    word.casefold() for group, drugs in MEDICINE_GROUPS.items() for word in (group, *drugs) if word.isascii()
)
_ZH_MEDICINES = frozenset(
    (
        *(word for group, drugs in MEDICINE_GROUPS.items() for word in (group, *drugs) if not word.isascii()),
        *"对乙酰氨基酚 扑热息痛 泰诺 二甲双胍 胰岛素 维生素 褪黑素 抗生素 感冒灵 板蓝根".split(),  # noqa: SIM905
    )
)
_ZH_SHAPED = re.compile(r"(?:西林|霉素|沙星|药|药物|药片|胶囊|颗粒|冲剂|口服液|糖浆|喷雾)$")
"""Endings of Chinese medicines' names: 阿奇霉素, 左氧氟沙星, 感冒药, 止痛药 ..."""

_TAIL = r"\s+(?:with|before|after|while|during|for|on|if|when|together|today|tonight|now|again)\b[^?.!]*"
"""What follows a medicine taken and is no part of it ("... with food", "... for my headache")."""
_TAKES = re.compile(rf"\b(?:take|use|pop|try|have)\s+(?P<drug>[^?.!]+?)(?:{_TAIL})?\s*[?.!]*\s*$", re.I)
"""A medicine after the verb that takes it ("... take ibuprofen for my headache?")."""
_IS_OK = re.compile(
    r"^\s*(?:is|are|would)\s+(?P<drug>.+?)\s+(?:be\s+)?(?:ok|okay|safe|fine|alright|all\s+right)\s+"
    r"(?:for\s+(?:me|us|him|her|them|my\s+[\w-]+)|to\s+(?:take|use))\b",
    re.I,
)
"""A question whether a medicine is safe for someone ("Is ibuprofen OK for me?")."""
_ZH_TAKES = re.compile(
    r"(?:吃|服用|服|用)(?:[一两二三四五六七八九十\d]*[片粒颗袋支点些])?(?P<drug>[^吗呢？?。！!，,]+)"
    r"|^(?P<safe>[^，,。？?]+?)对(?:我|你)(?:来说)?(?:安全|没问题|可以)"
)
_DOSE = re.compile(
    r"^(?:(?:a|an|the|some|any|my|more|another|one|two|three|four|\d+(?:\.\d+)?(?:\s*(?:mg|milligrams?|ml))?"
    r"|couple|few|of|dose|doses)\s+)+|\s+(?:tablets?|pills?|capsules?|caplets?|gels?)$",
    re.I,
)
"""Words around a medicine that are no part of its name ("two 200 mg Advil tablets": Advil)."""


def is_medicine(name: str) -> bool:
    """Whether ``name`` names a medicine: a drug of a class of :data:`~.allergen_groups.
    MEDICINE_GROUPS` or a brand of one, another common medicine, a word for any ("antibiotics"),
    or a drug's generic name by its ending ("lisinopril"); never "a break", "the bus"."""
    if not name.isascii():
        return any(word in name for word in _ZH_MEDICINES) or _ZH_SHAPED.search(name) is not None
    words = re.findall(r"[a-z]+(?:-[a-z]+)*", name.casefold())
    named = {said for word in words for said in (word, f"{word}s")}  # "NSAID": NSAIDs
    return bool(named & (_ENGLISH_MEDICINES | _OTHER_MEDICINES)) or any(
        len(word) >= 7 and _SHAPED.search(word) for word in words
    )


def taken_medicine(question: str) -> str | None:
    """The medicine a question whether one may take it names, without its dose ("Can I take two
    Advil?": Advil; 我可以吃布洛芬吗？: 布洛芬); ``None`` where it takes something else ("Can I
    take a break?") or asks no such thing."""
    said = _ZH_TAKES.search(question) if not question.isascii() else None
    said = said or _TAKES.search(question) or _IS_OK.match(question)
    if said is None:
        return None
    found = said.groupdict()
    drug = _DOSE.sub("", (found["drug"] or found.get("safe") or "").strip())
    return drug if drug and is_medicine(drug) else None


def drug_reply(
    drug: str,
    facts: list[RetrievedItem],
    question: str,
    now: datetime | None = None,
    *,
    values: ValueMatcher | None = None,
) -> str | None:
    """The answer to whether one may take a medicine no allergy told names (``facts``: the
    allergies, conditions and medications told of whom it asks): "I can't tell whether ibuprofen is
    safe for you: you told me you are allergic to penicillin (as of 2024-05-03). Please ask a doctor
    or pharmacist.", and where a medication taken is of the drug's class (``values``), that both are
    ("aspirin and ibuprofen are both NSAIDs"); ``None`` where ``drug`` is no medicine (a food:
    :func:`~.held_replies.unknown_food`)."""
    drug = re.sub(rf"(?:{_TAIL})$", "", drug, flags=re.I)  # "a glass of wine with my antibiotics": wine
    if not facts or not is_medicine(drug):
        return None
    subject = facts[0].key.partition(".")[0]
    told = held_told(facts, question, now)
    if is_chinese(question):
        return f"我无法判断{drug}对{zh_who(subject)}是否安全：你说过{told}。请咨询医生或药剂师。"
    whom = who(subject)
    many = " and " in drug or (drug.endswith("s") and not drug.endswith("ss"))  # "painkillers are", "Advil is"
    be = "are" if many else "is"
    same = _same_class(drug, facts, values) if values is not None else ""
    return (
        f"I can't tell whether {drug} {be} safe for {whom}: you told me {told}{same}. "
        "Please ask a doctor or pharmacist."
    )


_TRAILING_DOSE = re.compile(r"\s*\d[\d.,]*\s*(?:mg|mcg|µg|ml|iu)\b.*$", re.I)


def _same_class(drug: str, facts: list[RetrievedItem], values: ValueMatcher) -> str:
    """ "; aspirin is an NSAID, as ibuprofen is" (or "; Advil is ibuprofen") where a medication
    taken among ``facts`` is of ``drug``'s class or is it (:data:`~.allergen_groups.MEDICINE_GROUPS`);
    empty otherwise."""
    for item in facts:
        if not item.key.endswith(".medication") or item.value.startswith(ENDED):
            continue
        for said in value_items(item.value):
            taken = _TRAILING_DOSE.sub("", said).strip()
            group = values.covering(drug, taken)
            if group and group.casefold().startswith(taken.casefold()):
                return f"; {drug} is {taken}"
            if group:
                return f"; {drug} is {group}, as {taken} is"
    return ""
