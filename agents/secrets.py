"""Secrets said in chat: passwords, PINs, card and account numbers, keys.

A memory assistant that keeps "My password is hunter2" for good, quotes it back months later and
trains it into a user's adapter does more harm than good, so a message that names a secret is
kept only in working memory: for the session, where "What's the wifi password?" can still be
answered, then gone. What names a secret is a word for one; "I forgot my password again" is kept
out as well, which costs nothing worth keeping.

What the same message states besides is kept as usual: "I moved to Lisbon last month, and my new
door code is 4471" keeps the home, in its tier, as "I moved to Lisbon last month"
(:func:`without_secrets`). The gate decides on those words
(:class:`~tiermem.agents.gate.QuestionGuard`), the graph stores them, and the session's episode
says them in place of the message (:func:`~tiermem.agents.episodes.episode_text`); the whole
message stays in working memory only.

Example:
    >>> says_secret("The wifi password here is sunflower88"), says_secret("我的银行卡密码是1234")
    (True, True)
    >>> says_secret("I passed my driving test")
    False
    >>> without_secrets("I moved to Lisbon last month, and my new door code is 4471.")
    'I moved to Lisbon last month.'
    >>> without_secrets("我搬到杭州了，我的银行卡密码是1234")
    '我搬到杭州了'
"""

from __future__ import annotations

import re

from .answer import Answer
from .fact_names import sentence_start
from .retriever import RetrievedItem
from .statements import CJK, clauses, sentences, starts_own_statement, stated_lines

SECRET = re.compile(
    r"\b(?:pass(?:word|code|phrase)s?|pins?(?:\s+(?:code|number))?|security\s+(?:code|question|answer)s?|cvv|cvc"
    r"|(?:credit|debit|bank)\s+card(?:\s+number)?|card\s+number|(?:bank\s+)?account\s+number|routing\s+number|iban"
    r"|social\s+security(?:\s+number)?|ssn|api\s+keys?|private\s+keys?|secret\s+keys?|access\s+tokens?|seed\s+phrase"
    r"|one[-\s]time\s+(?:code|password)|otp|2fa\s+codes?"
    r"|(?:door|gate|alarm|lock|locker|entry|entrance|access|safe|garage|keypad|building|combination)\s+codes?"
    r"|(?:lock|safe)\s+combination)\b"
    r"|密码|口令|验证码|信用卡号|银行卡号|卡号|账号|身份证号|社保号|门禁码|开锁码",
    re.IGNORECASE,
)
"""Words for a secret, English and Chinese ("password", "PIN", "card number", "door code", 密码, 验证码)."""
KEPT_OUT = "[a secret, not kept]"
"""What an episode says in place of a message that named a secret."""


def says_secret(text: str) -> bool:
    """Whether ``text`` names a secret (:data:`SECRET`)."""
    return SECRET.search(text) is not None


_JOINED = re.compile(r"\s+(?=(?:and|but|plus)\s+(?:i|i'm|i've|my|our|we)\b)", re.IGNORECASE)
"""Where one clause goes on with another statement of the speaker's without a comma ("I moved to
Lisbon and my door code is 4471")."""
_CODE = re.compile(r"[A-Za-z0-9]*\d[A-Za-z0-9]*")
"""A word with a digit: what a secret said in one part may be said again in another ("hunter2")."""
_CONJUNCTION = re.compile(r"^(?:and|but|so|also|plus)\s+", re.IGNORECASE)
_ENDS = ".!?。！？"


def _parts(sentence: str) -> list[str]:
    """The clauses of ``sentence``, each cut where it goes on with another statement."""
    return [part.strip() for clause in clauses(sentence) for part in _JOINED.split(clause) if part.strip()]


def _together(pieces: list[str]) -> str:
    """``pieces`` said one after another: a space between them, none after Chinese."""
    said = ""
    for piece in pieces:
        said += ("" if not said or CJK.search(said[-1]) or said[-1] in "，；、" else " ") + piece
    return said


def _sentence(parts: list[str], end: str) -> str:
    """``parts`` said as one sentence again, ending as the sentence did (``end``)."""
    said = _CONJUNCTION.sub("", _together(parts).rstrip(" ,，;；、—:："))
    said = sentence_start(said)
    return said + end if said and end and not said.endswith(end) else said


def without_secrets(text: str) -> str:
    """``text`` without the parts that name a secret (:data:`SECRET`), those that go on with one
    ("My PIN is, uh, 4471") and any that says a code a secret's part said ("it's hunter2 again");
    ``""`` where it says nothing else, ``text`` itself where it names no secret.

    The parts are its clauses (:func:`~tiermem.agents.statements.clauses`), a clause cut where
    "and my ..." or "but I ..." goes on with another statement.
    """
    if not says_secret(text):
        return text
    kept: list[tuple[list[str], str]] = []
    codes: set[str] = set()
    for sentence in sentences(text):
        parts, secret = [], False
        for part in _parts(sentence):
            secret = says_secret(part) or (secret and not starts_own_statement(part))
            if secret:
                codes.update(code.casefold() for code in _CODE.findall(part) if len(code) >= 3)
            else:
                parts.append(part)
        kept.append((parts, sentence[-1] if sentence[-1] in _ENDS else ""))
    said = [
        _sentence([part for part in parts if not codes & {code.casefold() for code in _CODE.findall(part)}], end)
        for parts, end in kept
    ]
    return _together([sentence for sentence in said if sentence])


_NOT_KEPT_ANSWER = (
    "I don't keep passwords, PINs, card or account numbers or other secrets beyond the conversation "
    "they were told in, so I can't tell you that now."
)
_NOT_KEPT_ANSWER_ZH = "我不会在对话结束后保存密码、验证码、卡号等机密信息，所以现在无法告诉你。"


_OWNED_SECRET = re.compile(r"\b(?:my|our|the|his|her|their)\s+((?:[\w'-]+\s+){0,2}[\w'-]+)", re.I)
"""A secret of someone's, or the one there ("my PIN", "the wifi password"), not one in general ("What
is a PIN?", "the difference between a PIN and a password")."""


def secret_not_kept(question: str, items: list[RetrievedItem]) -> Answer | None:
    """The answer to a question for a secret that no memory among ``items`` states ("What's my PIN?"
    in a later conversation): it may well have been told, and is not kept on purpose, which "You
    haven't told me" would deny and the local model would guess. ``None`` where the question asks
    no secret or a memory of this conversation states one (a question asked before states none)."""
    owned = any(says_secret(match[1]) for match in _OWNED_SECRET.finditer(question))
    if not (owned or ("我" in question and says_secret(question))) or any(
        says_secret(line) for line in stated_lines(item.text for item in items)
    ):
        return None
    text = _NOT_KEPT_ANSWER_ZH if CJK.search(question) else _NOT_KEPT_ANSWER
    return Answer(text=text, mode="unknown", reason="the question asks for a secret, which no memory keeps")
