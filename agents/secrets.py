"""Secrets said in chat: passwords, PINs, card and account numbers, keys.

A memory assistant that keeps "My password is hunter2" for good, quotes it back months later and
trains it into a user's adapter does more harm than good, so a message that names a secret is
kept only in working memory: for the session, where "What's the wifi password?" can still be
answered, then gone. The gate keeps it out of mid- and long-term memory
(:class:`~tiermem.agents.gate.GateGuard`), and the session's episode keeps no line of it
(:func:`~tiermem.agents.episodes.episode_text`). What names a secret is a word for one; "I forgot
my password again" is kept out as well, which costs nothing worth keeping.

Example:
    >>> says_secret("The wifi password here is sunflower88"), says_secret("我的银行卡密码是1234")
    (True, True)
    >>> says_secret("I passed my driving test")
    False
"""

from __future__ import annotations

import re

SECRET = re.compile(
    r"\b(?:pass(?:word|code|phrase)s?|pins?(?:\s+(?:code|number))?|security\s+(?:code|question|answer)s?|cvv|cvc"
    r"|(?:credit|debit|bank)\s+card(?:\s+number)?|card\s+number|(?:bank\s+)?account\s+number|routing\s+number|iban"
    r"|social\s+security(?:\s+number)?|ssn|api\s+keys?|private\s+keys?|secret\s+keys?|access\s+tokens?|seed\s+phrase"
    r"|one[-\s]time\s+(?:code|password)|otp|2fa\s+codes?)\b"
    r"|密码|口令|验证码|信用卡号|银行卡号|卡号|账号|身份证号|社保号",
    re.IGNORECASE,
)
"""Words for a secret, English and Chinese ("password", "PIN", "card number", 密码, 验证码)."""
KEPT_OUT = "[a secret, not kept]"
"""What an episode says in place of a message that named a secret."""


def says_secret(text: str) -> bool:
    """Whether ``text`` names a secret (:data:`SECRET`)."""
    return SECRET.search(text) is not None
