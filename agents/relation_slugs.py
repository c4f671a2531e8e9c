"""Relation words as one slug each: "mum" -> ``mother``, "老公" -> ``husband``, whatever the language
or register the message says them in.
"""

from __future__ import annotations

from tiermem.memory.records import RELATIONS_ZH

DOG_BREEDS = (  # noqa: SIM905 (a list of words reads better as words)
    "golden retriever|labrador retriever|labrador|retriever|german shepherd|border collie|collie|cocker spaniel|"
    "spaniel|poodle|labradoodle|goldendoodle|beagle|bulldog|french bulldog|corgi|husky|dachshund|terrier|chihuahua|"
    "pug|shih tzu|rottweiler|schnauzer|greyhound|whippet|doberman|pit bull|pitbull|pomeranian|yorkie|sheepdog"
).split("|")
"""Dog breeds a dog is named by ("my golden retriever Max"); none that also names a person, a place
or a nationality (a lab, a boxer, a Maltese, a Great Dane)."""
CAT_BREEDS = ("maine coon", "ragdoll", "sphynx", "tabby")
"""Cat breeds and coats a cat is named by ("our tabby Milo"), but the ones that name a people."""

RELATION_SLUGS = {
    "mom": "mother",
    "mum": "mother",
    "dad": "father",
    "grandma": "grandmother",
    "grandpa": "grandfather",
    "kid": "child",
    **{  # "mother-in-law", "mom in law": mother_in_law
        f"{kin}{between}in{between}law": f"{slug}_in_law"
        for kin, slug in (
            *((kin, kin) for kin in ("mother", "father", "sister", "brother", "son", "daughter")),
            ("mom", "mother"),
        )
        for between in ("-", " ")
    },
    "in-laws": "in_laws",
    "in laws": "in_laws",
    "parents-in-law": "in_laws",
    "parents in law": "in_laws",
    "兄弟姐妹": "siblings",
    "祖父母": "grandparents",
    "爷爷奶奶": "grandparents",
    "公婆": "in_laws",
    "岳父母": "in_laws",
    "stepmom": "stepmother",
    "step-mom": "stepmother",
    "step-mother": "stepmother",
    "stepdad": "stepfather",
    "step-dad": "stepfather",
    "step-father": "stepfather",
    "step-son": "stepson",
    "step-daughter": "stepdaughter",
    "kids": "children",
    "colleague": "coworker",
    "manager": "boss",
    "supervisor": "boss",
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
    "puppy": "dog",
    "kitten": "cat",
    "bunny": "rabbit",
    "guinea pig": "guinea_pig",
    "pony": "horse",
    **{breed: "dog" for breed in DOG_BREEDS},
    **{breed: "cat" for breed in CAT_BREEDS},
    "妻子": "wife",
    "老婆": "wife",
    "丈夫": "husband",
    "老公": "husband",
    "太太": "wife",
    "爱人": "partner",  # a spouse, whose gender the word does not say
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
    "婆婆": "mother_in_law",
    "岳母": "mother_in_law",
    "丈母娘": "mother_in_law",
    "公公": "father_in_law",
    "岳父": "father_in_law",
    "老丈人": "father_in_law",
    "嫂子": "sister_in_law",
    "弟媳": "sister_in_law",
    "小姑子": "sister_in_law",
    "小姨子": "sister_in_law",
    "姐夫": "brother_in_law",
    "妹夫": "brother_in_law",
    "小舅子": "brother_in_law",
    "大舅子": "brother_in_law",
    "小叔子": "brother_in_law",
    "外孙": "grandson",
    "外孙女": "granddaughter",
    "外甥": "nephew",
    "外甥女": "niece",
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
