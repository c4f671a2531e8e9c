"""What the memories say of the user's children told together by name: "We have two kids, Mia who
is 8 and Leo who is 5" holds ``user.children = Mia and Leo`` and no one child, so "Leo is allergic
to tree nuts" is stored as words, not as a fact (the extraction keeps no facts of a person named
who is no relation). A question of them all that no fact answers ("Which of my kids has an
allergy?", asking ``children.allergy``) is told the lines that say it of one of them by name: each
line that names a child is read as said of "my child Leo", and it says what is asked where the
fact read from it is that attribute.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from .answer import Answer
from .asked import GROUPS, Group
from .extract import extract_facts
from .fact_match import memory_lines
from .fact_words import AGE_AFTER_NAME
from .groups import named_members
from .replies import is_chinese, quote, told
from .retriever import RetrievedItem
from .statements import is_question


def _says_of_member(line: str, group: Group, names: list[str], attribute: str) -> bool:
    """Whether ``line`` states ``attribute`` of one of ``names``, read as said of that member
    (the name's first mention said as "my child Leo", 我的孩子乐乐)."""
    for name in names:
        said = rf"(?<!\w){re.escape(name)}(?!\w)" if name.isascii() else re.escape(name)
        member = f"my {group.one} {name}" if name.isascii() else f"我的{group.zh_name}{name}"
        read, found = re.subn(said, member, line.strip(), count=1)
        if not found:
            continue
        if attribute == "age" and re.search(said + AGE_AFTER_NAME, line, re.I):  # "Mia who is 8 and Leo who is 5"
            return True
        facts = extract_facts(read, datetime.now(UTC))
        if any(fact.key == f"{group.one}.{attribute}" for fact, _ in facts):
            return True
    return False


def said_of_members(question: str, missing: str, items: list[RetrievedItem], now: datetime | None) -> Answer | None:
    """The reply to ``question``, asking fact ``missing`` of the user's children told together
    (``children.allergy``), from the lines of ``items`` that say it of one of them by name; ``None``
    where the question asks of no such group or no line says it."""
    subject, _, attribute = missing.partition(".")
    group = next((group for group in GROUPS if group.together and group.together == subject), None)
    if group is None:
        return None
    names = [name for name, slug in named_members(group, items) if slug == group.together]
    said: dict[str, RetrievedItem] = {}
    for item in items:
        for line in memory_lines(item):
            if line not in said and not is_question(line) and _says_of_member(line, group, names, attribute):
                said[line] = item.model_copy(update={"text": line, "key": "", "value": ""})
    if not said:
        return None
    tz = now.tzinfo if now is not None else None
    chinese = is_chinese(question)
    return Answer(
        text=("" if chinese else " ").join(
            quote(item, None, tz) if chinese else told(item, tz) for item in said.values()
        ),
        mode="quote",
        reason=f"no fact holds {missing}; quoting what was said of the {group.name} by name",
        cited=list(dict.fromkeys(item.id for item in said.values())),
    )
