"""A Chinese question that says a relation in Latin script, read as the Chinese rules read it.

"Emma对猫过敏吗？" after "my girlfriend is Emma" asks 我女朋友对猫过敏吗？, and "我的sister住在哪里？"
asks 我的姐妹住在哪里？ (:data:`~tiermem.memory.records.RELATIONS_ZH`'s word): the Chinese rules
(:mod:`~.asked`, the extraction) find whom a question asks about by the Chinese relation words, and
a Latin name or word inside Chinese has no word boundary for the English rules to find it by.

Example:
    >>> chinese_relations("Emma对猫过敏吗？", {"emma": "girlfriend"})
    '我女朋友对猫过敏吗？'
    >>> chinese_relations("我的sister住在哪里？", {})
    '我的姐妹住在哪里？'
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from tiermem.memory.records import RELATIONS_ZH

from .fact_values import RELATION_SLUGS, relation
from .replies import is_chinese
from .statements import is_question

_WORDS = sorted(
    {*RELATIONS_ZH, *(word for word, slug in RELATION_SLUGS.items() if slug in RELATIONS_ZH and word.isascii())},
    key=len,
)
_RELATION = re.compile(rf"(?<![A-Za-z])(?P<my>my\s+)?(?P<word>{'|'.join(reversed(_WORDS))})(?![A-Za-z])", re.I)
"""A relation's English word in a Chinese text ("sister", "my mum"), not inside a longer word; its
Chinese words are as said (我妹妹, and 哥 in 哥伦比亚)."""


def chinese_relations(question: str, names: Mapping[str, str]) -> str:
    """A Chinese question with the relations it says in Latin script said in Chinese: a relation's
    name (``names``, :func:`~.asked.relation_names`) as 我 and the relation's word, an English
    relation word as the Chinese one; any other text, statements included, as it is."""
    if not is_chinese(question) or not is_question(question):
        return question
    for name in sorted((name for name in names if name.isascii()), key=len, reverse=True):
        said = RELATIONS_ZH.get(names[name], names[name])
        question = re.sub(rf"(?<![A-Za-z])(?:我的?)?{re.escape(name)}(?![A-Za-z])", f"我{said}", question, flags=re.I)
    return _RELATION.sub(lambda m: ("我" if m["my"] else "") + RELATIONS_ZH[relation(m["word"])], question)
