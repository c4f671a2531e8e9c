"""The user's ex, as a request to forget names them and as memories speak of them.

"Forget about my ex" (my ex-boyfriend, 我的前任, 前夫 ...) names no relation a fact is kept under:
an ex is who a partner fact was before it ended. :func:`asked_ex` reads which ex a request to
forget names, :func:`ex_pattern` finds where a memory speaks of them ("My ex Tom still texts me",
"I broke up with my ex last year", 我前男友叫王强), :func:`ex_names` the names they go by there
("Tom") and :func:`ex_versions` the partner fact's versions up to its end ("My boyfriend is
Mark", then "I broke up with my boyfriend"): what
:class:`~tiermem.agents.forgetting.ForgetResolver` forgets for it. "My ex-boss" is no ex partner,
and a sister's ex is not the user's.

Example:
    >>> asked_ex("my ex"), asked_ex("my ex-husband"), asked_ex("我的前女友"), asked_ex("my sister")
    ('', 'husband', 'girlfriend', None)
    >>> bool(ex_pattern("").search("I broke up with my ex last year")), ex_names(["My ex Tom texts me"])
    (True, ['Tom'])
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from tiermem.memory.records import MemoryRecord
from tiermem.memory.versions import ENDED

EX_WORDS = {"boyfriend": "前男友", "girlfriend": "前女友", "husband": "前夫", "wife": "前妻", "fiance": "前未婚夫"}
"""The partners one has an ex of, with the Chinese word for that ex (前任 is any)."""
_EN_KIND_RE = r"(?:boy|girl)friend|husband|wife|partner|fianc[eé]e?"
_ZH_EX = r"前任(?!老板|领导|上司|经理|同事|公司|工作|室友)|前男友|前女友|前夫|前妻|前未婚夫"
_ASKED = re.compile(
    rf"^(?:(?:everything|all)\s+(?:you\s+know\s+)?)?(?:about\s+)?(?:my|our)\s+ex(?:[\s-]?(?P<en>{_EN_KIND_RE}))?$"
    rf"|^(?:关于)?我(?:的)?(?P<zh>{_ZH_EX})(?:的(?:一切|所有|事情?))?$",
    re.I,
)
_NOT_PARTNER = r"(?:boss|colleague|coworker|employer|manager|job|company|roommate|flatmate|teammate)\b"


def asked_ex(asked: str) -> str | None:
    """Which ex what a request to forget names is: ``""`` for any ("my ex", "my ex-partner",
    我的前任), whom they were to the user for one ("my ex-boyfriend", 前夫: ``"husband"``);
    ``None`` where it names no ex ("my ex-boss", "my sister")."""
    match = _ASKED.match(asked.strip())
    if match is None:
        return None
    if match["zh"]:
        return next((kind for kind, word in EX_WORDS.items() if word == match["zh"]), "")
    word = (match["en"] or "").casefold()
    return "fiance" if word.startswith("fianc") else word if word in EX_WORDS else ""


def ex_pattern(kind: str) -> re.Pattern[str]:
    """Where a memory speaks of the user's ex of ``kind`` (:func:`asked_ex`): "my ex", "my
    ex-wife", 我前任 ... for any; "my ex-boyfriend", "my ex boyfriend", 我的前男友 for
    ``"boyfriend"``. In the user's words only ("my", 我): a sister's ex is not theirs."""
    if kind:
        en = "fianc[eé]e?" if kind == "fiance" else kind
        return re.compile(rf"\b(?:my|our)\s+ex[\s-]?{en}\b|我(?:们)?的?{EX_WORDS[kind]}", re.I)
    return re.compile(
        rf"\b(?:my|our)\s+ex(?:[\s-]?(?:{_EN_KIND_RE})\b|\b(?!\s*-|\s+{_NOT_PARTNER}))|我(?:们)?的?(?:{_ZH_EX})", re.I
    )


_NAME_AFTER = re.compile(
    r"^(?:,?\s+|\s+(?:is\s+)?(?:called|named)\s+|['’]s\s+name\s+is\s+|\s+is\s+(?=(?-i:[A-Z])[a-z]+\s*[,.!]?$))"
    r"(?-i:(?P<en>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?))\b"
    r"|^(?:名?叫|的名字(?:是|叫))(?P<zh>[\u4e00-\u9fff]{2,3}?)(?=[，。！？,.!?\s]|$)",
    re.I,
)
"""The ex's name said right after the words for them: "my ex Tom", "my ex-husband Marc Dupont",
"my ex is called Tom", 我前男友叫王强."""


def ex_names(texts: Iterable[str], kind: str = "") -> list[str]:
    """The names the user's ex of ``kind`` goes by in ``texts`` ("Tom" in "My ex Tom still texts
    me"), each once; for the memories that name them without saying "ex" ("Tom came by")."""
    pattern = ex_pattern(kind)
    found = (_NAME_AFTER.match(text[match.end() :]) for text in texts for match in pattern.finditer(text))
    return list(dict.fromkeys(name["en"] or name["zh"] for name in found if name))


def ex_versions(facts: Sequence[MemoryRecord], kind: str = "") -> list[MemoryRecord]:
    """The versions of the user's partner facts (``user.boyfriend`` ...; of ``kind`` only, where
    given) up to the last that says the partner is gone ("no longer has a boyfriend"): the ex, not
    a partner told of since."""
    keys = {f"user.{word}" for word in ([kind] if kind else [*EX_WORDS, "partner"])}
    found: list[MemoryRecord] = []
    for key in keys:
        versions = sorted(
            (r for r in facts if r.key == key and r.fact is not None),
            key=lambda r: r.fact.observed_at,  # type: ignore[union-attr]
        )
        ended = [i for i, r in enumerate(versions) if r.fact is not None and r.fact.value.startswith(ENDED)]
        found += versions[: ended[-1] + 1] if ended else []
    return found
