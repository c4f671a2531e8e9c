"""Relation words as one slug each: "mum" -> ``mother``, "老公" -> ``husband``, whatever the language
or register the message says them in.
"""

from __future__ import annotations

from tiermem.memory.records import RELATIONS_ZH

RELATION_SLUGS = {
    "mom": "mother",
    "mum": "mother",
    "dad": "father",
    "grandma": "grandmother",
    "grandpa": "grandfather",
    "kid": "child",
    "kids": "children",
    "colleague": "coworker",
    "fiance": "fiance",
    "fiancee": "fiance",
    "fiancé": "fiance",
    "fiancée": "fiance",
    "gf": "girlfriend",
    "bf": "boyfriend",
    "bro": "brother",
    "sis": "sister",
    "hubby": "husband",
    "wifey": "wife",
    "bestie": "friend",
    "baby girl": "daughter",
    "baby boy": "son",
    "妻子": "wife",
    "老婆": "wife",
    "丈夫": "husband",
    "老公": "husband",
    "太太": "wife",
    "爸妈": "parents",
    "父母": "parents",
    "儿子": "son",
    "女儿": "daughter",
    "妈妈": "mother",
    "妈": "mother",
    "母亲": "mother",
    "爸爸": "father",
    "爸": "father",
    "父亲": "father",
    "姐姐": "sister",
    "妹妹": "sister",
    "哥哥": "brother",
    "弟弟": "brother",
    "哥": "brother",
    "姐": "sister",
    "妹": "sister",
    "弟": "brother",
    "同事": "coworker",
    "老板": "boss",
    "室友": "roommate",
    "爷爷": "grandfather",
    "奶奶": "grandmother",
    "男朋友": "boyfriend",
    "女朋友": "girlfriend",
    "朋友": "friend",
    "狗": "dog",
    "猫": "cat",
    "猫咪": "cat",
    "小猫": "cat",
    "狗狗": "dog",
    "小狗": "dog",
    "外婆": "grandmother",
    "姥姥": "grandmother",
    "外公": "grandfather",
    "姥爷": "grandfather",
    "未婚妻": "fiance",
    "姑姑": "aunt",
    "姨妈": "aunt",
    "舅舅": "uncle",
    "伯伯": "uncle",
    "表哥": "cousin",
    "表姐": "cousin",
    "表弟": "cousin",
    "表妹": "cousin",
    "堂哥": "cousin",
    "堂姐": "cousin",
    "堂弟": "cousin",
    "堂妹": "cousin",
    **{word: slug for slug, word in RELATIONS_ZH.items()},  # 姐妹, 兄弟, 伴侣, 孩子, 阿姨, 叔叔, 表亲, 未婚夫 ...
}
"""Relation words as one ASCII slug each, whatever the language or register; each Chinese word
of :data:`~tiermem.memory.records.RELATIONS_ZH` is its key's."""


def relation(word: str) -> str:
    """A relation word as its slug: "mum" -> ``mother``, "老公" -> ``husband``."""
    return RELATION_SLUGS.get(word.lower(), word.lower())
