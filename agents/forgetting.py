"""Requests to forget said in chat: what they name, and which memories that is.

"Please forget my address" names a fact by what it is about: an attribute
(address -> ``lives_in``) and its owner ("my sister's address" ->
``sister.lives_in``); every version of that fact is forgotten. "Forget that I
live in Oslo" repeats what was said: the memory whose text says it (cosine
similarity at least :data:`SAME_STATEMENT`, 0.95 for these two with USE) is
forgotten. Nothing else is: a phrase that names no known attribute and repeats
no memory forgets nothing, and the user is told so (the ``forget`` tool and
``tiermem memories forget ID`` take any memory by its id). Words are matched,
not vectors, for attributes: "my address" is nearer "my name" (0.60) than "my
home city" (0.54) in USE's space, and forgetting the wrong fact cannot be undone.
"Forget my ex" names no relation: the memories that speak of the ex and the
partner fact until it ended are forgotten (:mod:`~tiermem.agents.former`).

Example:
    >>> forget_object("Please forget my address."), forget_object("I forgot my keys")
    ('my address', None)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable
from datetime import datetime

import numpy as np
from pydantic import BaseModel
from tiermem.memory import filters as f
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.records import RELATIONS_ZH, MemoryRecord
from tiermem.memory.store import TierStore
from tiermem.memory.text_index import tokenize
from tiermem.memory.versions import ENDED, SET_VALUED

from .asked import by_relation, referent, referents, relation_names
from .attribute_words import named_attributes, owned_words, value_named
from .extract import extract_facts
from .former import asked_ex, ex_names, ex_pattern, ex_versions
from .statements import CJK, NOT_KEPT, asks_not_to_keep, is_forget_request, sentences
from .updates import content_words

SAME_STATEMENT = 0.8
"""Cosine similarity at which a memory's text is what a request to forget repeats."""
SAME_WORDS = 0.6
"""And at which it is where every word the request names is the memory's too (as the full-text index
stems them): "Forget that I see a therapist" after "I'm seeing a therapist for anxiety" (0.73)."""
OTHER_WORDS = 0.8
"""Cosine similarity at which a value asked in one script names a value held in another (cats and 猫)."""

_OBJECT = re.compile(
    r"(?:forget|disregard|delete|erase|remove|(?:(?:don['’]?t|do\s+not)(?:\s+(?:need|have)\s+to)?|stop|never|no\s+need\s+to)"
    rf"\s+(?:{NOT_KEPT}))"
    r"\s+(?:about\s+)?(?:that\s+)?(?P<en>.+?)"
    r"(?:\s+(?:from\s+(?:your\s+)?(?:memory|notes)|for\s+me|please|now|,?\s*thanks?(?:\s+you)?))*\s*[.!?]*\s*$"
    r"|(?:忘记|忘掉|删除|删掉|清除|抹掉|(?:不要|别|不用|无需|请勿|勿)(?:再)?(?:记录|记住?|保存|储存|存储|存|写下|录下))"
    r"(?:掉|下来)?(?:关于)?(?P<zh>.+?)(?:吧|了|好吗|可以吗)?[。！？!?]*\s*$",
    re.I,
)
_JUST_SAID = re.compile(
    r"^(?:it|this|that|this\s+(?:one|message)|(?:what|all)\s+i\s+(?:just\s+)?(?:said|told\s+you)|the\s+last\s+(?:thing|message)"
    r"(?:\s+i\s+(?:said|sent|wrote))?|这个|那个|这条|那条|我?(?:刚才|刚刚)?说的(?:话|那句)?|(?:刚才|刚刚)?[这那]句话?)$",
    re.I,
)
"""What a request not to keep names when it names what was just said ("Don't save that", 别存这个)."""
_PERSON = re.compile(r"(?:about\s+)?(?-i:(?P<name>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?))", re.I)
"""A person named by a request to forget ("Peter", "about Anna Lee")."""
_EVERYTHING = re.compile(
    r"^(?:it|this|that|these|this\s+(?:one|message)|everything|all(?:\s+of\s+(?:it|this))?|all\s+my\s+\w+"
    r"|(?:everything|all)\s+(?:(?:you\s+know\s+)?about|of)\s+me|everything\s+you\s+know"
    r"|所有|全部|一切|这个|那个|这些|这条|(?:关于)?我的(?:一切|所有|全部)\w{0,2}|我?(?:刚才|刚刚)?说的(?:话|那句)?"
    r"|(?:what|everything|all)\s+i\s+(?:just\s+)?(?:said|told\s+you)|i\s+(?:just\s+)?said\s+(?:that|this|it)"
    r"|the\s+last\s+(?:thing|message)(?:\s+i\s+(?:said|sent|wrote))?)$",
    re.I,
)
"""Objects that name nothing in particular: wholesale deletion ("forget everything about me") is
not a chat request's to make, nor is guessing which memory "what I said" was; "don't save this:
..." asks that the message itself be kept nowhere, which the gate sees to."""
_WHOLESALE = re.compile(
    r"^(?:everything(?:\s+you\s+know)?|all(?:\s+of\s+it)?|all\s+my\s+\w+|(?:everything|all)\s+(?:(?:you\s+know\s+)?about|of)\s+me"
    r"|所有|全部|一切|(?:关于)?我的(?:一切|所有|全部)\w{0,2})$",
    re.I,
)
"""The vague objects that ask for every memory of the user ("everything you know about me", 我的一切)."""
_CLAUSE_END = re.compile(
    r"\s*(?:[,;:，；：。]|\s+but\b|\s+and\s+(?:then\s+)?(?:let's|let\s+us|tell|what|how)\b).*$", re.I
)
"""Where the object of a request to forget ends: "forget it, let's talk about dinner", "don't
save this: my PIN is 4821", "don't store this but I'm pregnant"."""


def forget_object(text: str) -> str | None:
    """What a request to forget names ("my address", "that I live in Oslo" -> "I live in Oslo";
    "it" for "forget it"), or ``None`` when ``text`` is no request to forget."""
    if not is_forget_request(text):
        return None
    match = _OBJECT.search(text.strip())
    what = _CLAUSE_END.sub("", (match["en"] or match["zh"] or "").strip(" ,，.。")) if match else ""
    what = re.sub(r"\s+down$", "", what, flags=re.I)  # "don't write my PIN down"
    return _ALL_ABOUT.sub("", what) or "it"


_ALL_ABOUT = re.compile(
    r"^(?:everything|anything|all|whatever|what|the\s+stuff)\s+(?:(?:you\s+know|i\s+(?:said|told\s+you))\s+)?"
    r"(?:about|regarding|related\s+to|to\s+do\s+with|of)\s+(?!(?:me|myself)\s*$)",
    re.I,
)
"""Words that ask for all of what a request names ("everything about my therapist": my therapist),
not for every memory of the user ("everything about me")."""


def _newest(facts: Iterable[MemoryRecord], group: Callable[[MemoryRecord], Hashable]) -> list[MemoryRecord]:
    """Of the fact records of each ``group``, the one observed last."""
    newest: dict[Hashable, MemoryRecord] = {}
    for record in facts:
        known = newest.get(which := group(record))
        if record.fact is not None and (
            known is None or (known.fact and record.fact.observed_at > known.fact.observed_at)
        ):
            newest[which] = record
    return list(newest.values())


def _newest_values(facts: list[MemoryRecord]) -> list[tuple[str, str]]:
    """Each fact key with its newest value."""
    return [(r.key, r.fact.value) for r in _newest(facts, lambda r: r.key) if r.fact is not None]


def _held_value(record: MemoryRecord) -> str:
    """Which of a fact's values a version is about, for an allergy or a condition (each is
    forgotten on its own: forget takes one held value's versions); ``""`` for any other."""
    fact = record.fact
    return fact.value.casefold().removeprefix(ENDED) if fact is not None and fact.attribute in SET_VALUED else ""


_TRANSCRIPTS = ("context", "episode")
"""Kinds of row that copy the session's messages: ``forget`` masks a message in them."""
_STOPWORDS = re.compile(r"\s+(?:and|or|for|from|in|at|on|with|to|of|is|was|that|which)\b.*$", re.I)


def _stating_pattern(owned: str) -> re.Pattern[str] | None:
    """Where a text says the user's ``owned`` thing: "my" and at most two words before it ("my
    gmail password"), or 我(的) and four characters (我的银行卡密码); ``None`` for nothing owned."""
    thing = _STOPWORDS.sub("", owned.strip()).strip(" '")
    if not thing or _EVERYTHING.match(thing):
        return None
    if thing.isascii():
        words = r"\s+".join(re.escape(word) for word in thing.split())
        return re.compile(rf"\b(?:my|our)\s+(?:[\w'-]+\s+){{0,2}}?{words}(?:s|es)?\b", re.I)
    return re.compile(rf"我(?:们)?的?[^，。！？\s]{{0,4}}?{re.escape(thing)}")


def _name_pattern(name: str) -> re.Pattern[str]:
    """Where a text names ``name``: an English one as whole words, a Chinese one anywhere."""
    return re.compile(rf"\b{re.escape(name)}\b" if name.isascii() else re.escape(name))


def _stating_sentence(text: str, pattern: re.Pattern[str]) -> str:
    """The sentence of ``text`` that ``pattern`` finds: what the user is told was forgotten (not
    a whole episode)."""
    said = next((s for s in sentences(text) if pattern.search(s)), text)
    return said.rstrip(".!?。！？ ")


class ForgetTarget(BaseModel):
    """A memory a request to forget names."""

    id: str
    memory: str
    """How the user is told: ``home city = Oslo`` or the memory's text."""
    said: str = ""
    """The forgotten words :attr:`memory` shows (the fact's value, the memory's text): the turn
    that forgets it masks them in its own trace events, written after the redaction."""
    version_only: bool = False
    """Of a fact, only this version: what was just said, not what was said of it before."""
    fact: bool = False
    """A fact, told by its key (``home city = Oslo``); else a memory told by its words."""


class ForgetPlan(BaseModel):
    """What a request to forget asked for, and the memories it names (none: nothing matched)."""

    asked: str
    targets: list[ForgetTarget]
    reason: str
    vague: bool = False
    """It named nothing in particular ("forget it", "forget everything"): nothing is forgotten."""

    @property
    def wholesale(self) -> bool:
        """Whether it asked for every memory of the user ("forget everything about me"), which only
        erasing the user does (:meth:`~tiermem.graphs.services.Services.erase_user`)."""
        return self.vague and bool(_WHOLESALE.match(self.asked))


class ForgetResolver:
    """Finds the memories a request to forget names, in one namespace.

    Args:
        store: the tier store.
        embedder: the store's embedder (for a repeated statement).
    """

    def __init__(self, store: TierStore, embedder: BaseEmbedder) -> None:
        self.store = store
        self.embedder = embedder

    def plan(self, namespace: str, text: str, now: datetime, *, thread: str | None = None) -> ForgetPlan | None:
        """The plan for ``text``, or ``None`` when it is no request to forget. Asked on ``thread``
        not to keep what was just said ("My PIN is 4821", then "Don't save that"), the memories of
        the thread's last message are forgotten."""
        asked = forget_object(text)
        if asked is None:
            return None
        if thread is not None and _JUST_SAID.match(asked) and asks_not_to_keep(text):
            just_said = self._just_said(namespace, thread, now)
            reason = f"asks not to keep {asked!r}: the memories of the thread's last message"
            return ForgetPlan(asked=asked, targets=just_said, reason=reason, vague=not just_said)
        if _EVERYTHING.match(asked):
            return ForgetPlan(asked=asked, targets=[], reason=f"asks to forget {asked!r}, naming no memory", vague=True)
        facts = self.store.records(namespace, tiers=("mid", "long"), now=now, extra=f.compare("key", "!=", ""))
        kind = asked_ex(asked)  # "my ex-boyfriend" is no current boyfriend's fact
        if kind is not None:
            exes = self._former(namespace, kind, facts, now)
            which = "every memory that speaks of the ex" if exes else "and no memory speaks of the ex"
            return ForgetPlan(asked=asked, targets=exes, reason=f"asks to forget {asked!r}: {which}")
        # a pet named ("forget about Bella") is one of several of its kind: its own memories, not every dog's
        named = relation_names((key, value) for key, value in _newest_values(facts) if key[5:] not in SET_VALUED)
        by_attribute = self._named_facts(by_relation(asked, named), facts)
        if by_attribute:
            keys = ", ".join(t.memory.partition(" = ")[0] for t in by_attribute)
            # the keys, not their values: the turn's trace events keep the reason after the redaction
            reason = f"asks to forget {asked!r}: every version of {keys}"
            return ForgetPlan(asked=asked, targets=by_attribute, reason=reason)
        other_words = self._said_in_other_words(asked, facts, now)
        if other_words:  # "Forget that I'm allergic to cats" after 我对猫过敏
            reason = f"asks to forget {asked!r}: the fact that holds it in other words"
            return ForgetPlan(asked=asked, targets=other_words, reason=reason)
        stating = self._stating(namespace, asked, now) or self._naming(namespace, asked, now)
        if stating:
            return ForgetPlan(
                asked=asked,
                targets=stating,
                reason=f"asks to forget {asked!r}: every memory that says it",
            )
        said = self._same_statement(namespace, asked, now)
        if said is not None:
            return ForgetPlan(asked=asked, targets=[said], reason=f"asks to forget {asked!r}: the memory that says it")
        return ForgetPlan(asked=asked, targets=[], reason=f"asks to forget {asked!r}, which names no stored memory")

    def _just_said(self, namespace: str, thread: str, now: datetime) -> list[ForgetTarget]:
        """The memories of the last message on ``thread``: those made from the newest one's sources."""
        recent = self.store.records(namespace, now=now, extra=f.compare("thread_id", "=", thread), limit=20)
        if not recent:
            return []
        sources = set(recent[0].source_ids or [recent[0].id])
        return [
            ForgetTarget(id=record.id, memory=record.text, said=record.text, version_only=True)
            for record in recent
            if sources & set(record.source_ids or [record.id])
        ]

    def _named_facts(self, asked: str, facts: list[MemoryRecord]) -> list[ForgetTarget]:
        """One record of each fact key (of each held value, for an allergy) whose owner and
        attribute or value ``asked`` names as the user's ("my address", "my peanut allergy", "my
        diabetes", "my sister"); its newest."""
        owned = owned_words(asked)
        if not owned:  # "forget about work", "forget the diet": no memory of the user's named
            return []
        whose = referents(asked, {r.key.partition(".")[0] for r in facts}) or {"user"}
        # a relation's word names whose fact it is ("my sister's address"), not an attribute
        attributes = named_attributes(owned, tuple({r.key.partition(".")[2] for r in facts})) - set(RELATIONS_ZH)
        theirs = [r for r in facts if r.fact is not None and referent(r.key) in whose]
        by_value = [
            r
            for r in theirs
            if value_named(owned, r.fact.value) and (not attributes or r.fact.attribute in attributes)  # type: ignore[union-attr]
        ]
        if not by_value and not attributes and whose == {"user"}:  # a statement to find, not a fact
            return []

        def named(record: MemoryRecord) -> bool:
            attribute = record.fact.attribute  # type: ignore[union-attr]
            # user.wife = 王芳 is her name: "my wife's name" names it, "my wife's address" does not, and
            # "my sister" alone names everything about her
            her_name = record.key.startswith("user.") and attribute in RELATIONS_ZH and attributes == {"name"}
            return bool(by_value) or not attributes or attribute in attributes or her_name

        chosen = [record for record in by_value or theirs if named(record)]
        return [
            ForgetTarget(
                id=r.id, memory=f"{r.key.removeprefix('user.')} = {r.fact.value}", said=r.fact.value, fact=True
            )
            for r in _newest(chosen, lambda r: (r.key, _held_value(r)))
            if r.fact is not None
        ]

    def _said_in_other_words(self, asked: str, facts: list[MemoryRecord], now: datetime) -> list[ForgetTarget]:
        """The facts that ``asked`` states in another script than they were told in ("I'm allergic
        to cats" for 我对猫过敏, "I live in Shanghai" for 我住在上海): the same key, a held value whose
        embedding is within :data:`OTHER_WORDS` of the one asked (cats and 猫 0.92; cats and 狗, a
        dog, 0.65: not taken)."""
        targets: list[ForgetTarget] = []
        for stated, _ in extract_facts(asked, now):
            script = bool(CJK.search(stated.value))
            held = [  # each held value's newest version (:func:`_newest` keeps fact records only)
                (r, r.fact.value)
                for r in _newest(facts, lambda r: (r.key, _held_value(r)))
                if r.fact is not None and r.key == stated.key and bool(CJK.search(r.fact.value)) != script
            ]
            if not held:
                continue
            vectors = self.embedder.encode([stated.value, *(value for _, value in held)])
            targets += [
                ForgetTarget(id=r.id, memory=f"{r.key.removeprefix('user.')} = {value}", said=value, fact=True)
                for (r, value), similarity in zip(held, vectors[1:] @ vectors[0], strict=True)
                if similarity >= OTHER_WORDS
            ]
        return targets

    def _stating(self, namespace: str, asked: str, now: datetime) -> list[ForgetTarget]:
        """The memories whose text states the user's thing ``asked`` names by its words ("my
        password" -> "My password is hunter2", "my gmail password is ..."; :meth:`_saying`)."""
        pattern = _stating_pattern(owned_words(asked))
        if pattern is None:
            return []
        told = self._saying(namespace, pattern, now)
        said = [_stating_sentence(r.text, pattern) for r in told]
        return [ForgetTarget(id=r.id, memory=f'"{s}"', said=s) for r, s in zip(told, said, strict=True)]

    def _naming(self, namespace: str, asked: str, now: datetime) -> list[ForgetTarget]:
        """The memories that name the person ``asked`` names ("Forget about Peter": "My manager
        is called Peter", "Peter says hi"; :meth:`_saying`)."""
        name = _PERSON.fullmatch(asked.strip())
        if name is None:
            return []
        told = self._saying(namespace, _name_pattern(name["name"]), now)
        return [ForgetTarget(id=r.id, memory=f'"{r.text}"', said=r.text) for r in told]

    def _former(self, namespace: str, kind: str, facts: list[MemoryRecord], now: datetime) -> list[ForgetTarget]:
        """The memories that speak of the user's ex of ``kind`` (:mod:`~tiermem.agents.former`): by
        those words, by the names they go by there (not a current relation's), and the partner
        fact's versions up to its end; each fact a version only (a partner since stays)."""
        told = self._saying(namespace, ex_pattern(kind), now)
        current = relation_names(_newest_values(facts))
        for name in ex_names([r.text for r in told], kind):
            if name.casefold() not in current and name.split()[0].casefold() not in current:
                told += self._saying(namespace, _name_pattern(name), now)
        found = {r.id: r for r in [*told, *ex_versions(facts, kind)]}
        return [
            ForgetTarget(id=r.id, memory=f'"{r.text}"', said=r.text, version_only=bool(r.key)) for r in found.values()
        ]

    def _saying(self, namespace: str, pattern: re.Pattern[str], now: datetime) -> list[MemoryRecord]:
        """The memories whose text ``pattern`` finds, one per text; an episode or the session's
        working memory only where no other memory says it (forgetting that one masks the message
        in them)."""
        found = {r.text: r for r in self.store.records(namespace, now=now) if pattern.search(r.text)}
        return [r for r in found.values() if r.kind not in _TRANSCRIPTS] or list(found.values())

    def _same_statement(self, namespace: str, asked: str, now: datetime) -> ForgetTarget | None:
        """The memory whose text is what ``asked`` repeats, if one is close enough (:data:`SAME_STATEMENT`,
        or :data:`SAME_WORDS` where it says every word ``asked`` names)."""
        vector = self.embedder.encode_one(asked)
        hits = self.store.vector_search(namespace, vector, k=5, now=now)
        if not hits:
            return None
        texts = self.embedder.encode([hit.record.text for hit in hits])
        similarity = texts @ np.asarray(vector)
        named = set(tokenize(" ".join(content_words(asked))))  # "see" and "therapist"
        every_word = [len(named) > 1 and named <= set(tokenize(hit.record.text)) for hit in hits]
        said = np.where(
            (similarity >= SAME_STATEMENT) | (np.array(every_word) & (similarity >= SAME_WORDS)), similarity, -1
        )
        best = int(np.argmax(said))
        if said[best] < 0:
            return None
        words = hits[best].record.text.rstrip(".!?。！？ ")
        return ForgetTarget(id=hits[best].record.id, memory=f'"{words}"', said=words)
