"""The reply to a Chinese message: the local model cannot write Chinese, so the memory that answers
it is quoted (its fact and words: 根据记忆（2024-05-03）：体重 = 45 kg，原话：“今天称重45kg”), small
talk is replied in kind (你好 -> 你好！有什么想让我记住或想问的吗？), and a question about no one's
memories is told the model cannot answer it (:data:`~.replies.NO_CHINESE`)."""

from __future__ import annotations

from datetime import datetime

from .answer import Answer
from .asked import mentions
from .earlier import zh_earlier
from .fact_match import FactMatcher, named_value
from .grounded import GroundedAnswers, states_something
from .nearness import asks_earlier
from .replies import NO_CHINESE, past_period, quote, small_talk_zh
from .retriever import RetrievedItem
from .whose import about_the_user, the_users


def chinese_reply(
    question: str,
    items: list[RetrievedItem],
    own: list[RetrievedItem],
    about: frozenset[str],
    *,
    fact: RetrievedItem | None,
    remembered: str | None,
    asks: bool,
    now: datetime | None,
    matcher: FactMatcher,
    grounded: GroundedAnswers,
) -> Answer:
    """The reply to Chinese ``question`` from the retrieved ``items`` (``own``: of whom it asks,
    ``about`` a relation or the user): the ``fact`` it asks for, a memory naming the relation it asks
    about, or the nearest of the user's own memories, quoted; what this turn ``remembered`` where it
    stated something; small talk's reply; :data:`~.replies.NO_CHINESE` for a question about no one."""
    tz = now.tzinfo if now is not None else None
    users = the_users(question, items)  # 我的狗叫什么？ is not answered by 我姐姐的狗叫Max
    theirs_too = [item for item in own if item in users and states_something(item)]  # no earlier question
    # a thing asked by its name (预产期是什么时候？) may be in a memory of a relation's (我老婆怀孕了，预产期是十月)
    mine = theirs_too if about or "我" not in question else about_the_user(theirs_too)
    named = next((item for item in users if any(mentions(item.text, slug) for slug in about)), None)
    # a greeting or a remark that keeps nothing (你好) quotes nothing; a question kept in working memory asks still
    nearest = None if not asks else next((m for m in mine[:3] if matcher.relevant(question, m)), None)
    # a statement stored is confirmed (王芳住在杭州 names 王芳, whom a memory holds: not quoted)
    best = None if remembered and not asks else fact or named_value(question, own) or named or nearest
    if best is not None and best.kind == "episode":  # its line that says it, not the session's
        best = best.model_copy(update={"text": grounded.words(best, question)})
    period = past_period(question, now) if best is fact else None
    general = best is None and not remembered and asks and "我" not in question  # 怎么做红烧肉？
    chat = best is None and not remembered and not asks  # 你好: nothing to quote, replied in kind
    before = zh_earlier(fact, tz) if fact is not None and best is fact and asks_earlier(question) else None
    text = small_talk_zh(question) if chat else before or quote(best, remembered, tz, period)
    return Answer(
        text=NO_CHINESE if general else text,
        mode="unknown" if general else "confirm" if chat else "quote",
        reason="Chinese small talk, replied in kind"
        if chat
        else "the local model cannot write Chinese: quoting the best retrieved memory",
        cited=[best.id] if best else [],
    )
