"""Allergen categories and what they hold, for yes-or-no questions that name one and hold the other.

"Am I allergic to nuts?" where peanuts are stored asks about a category whose member is held:
yes, and which (:mod:`tiermem.agents.value_match`). The reverse, almonds asked where nuts are
stored, is no plain yes: a nut allergy is often to some nuts only, so the answer says what was
told and that almonds are tree nuts.

A category's members may be categories themselves (nuts hold tree nuts, which hold almonds); a
member is matched by its words, a plural "s" aside, never by a part of them ("butter" is no
member of "peanut butter"). Kept small on purpose: the common allergen groups of food labels,
in English and Chinese; the words a user says for them, not a food-composition table.
"""

from __future__ import annotations

ALLERGEN_GROUPS: dict[str, tuple[str, ...]] = {
    "nuts": ("peanuts", "tree nuts"),
    "tree nuts": (
        "almonds",
        "cashews",
        "walnuts",
        "pecans",
        "pistachios",
        "hazelnuts",
        "macadamias",
        "brazil nuts",
        "pine nuts",
    ),  # fmt: skip
    "dairy": ("milk", "cheese", "lactose", "butter", "cream", "yogurt", "whey", "casein"),
    "seafood": ("fish", "shellfish"),
    "shellfish": ("shrimp", "prawns", "crab", "lobster", "crayfish", "clams", "mussels", "oysters", "scallops"),
    "fish": ("salmon", "tuna", "cod", "trout", "anchovies", "sardines", "mackerel"),
    "gluten": ("wheat", "barley", "rye", "spelt"),
    "eggs": ("egg whites", "egg yolks", "mayonnaise", "meringue"),
    "坚果": ("花生", "杏仁", "腰果", "核桃", "开心果", "榛子", "碧根果"),
    "乳制品": ("牛奶", "奶酪", "乳糖", "黄油", "奶油", "酸奶"),
    "海鲜": ("鱼", "贝类", "虾", "螃蟹", "龙虾"),
    "贝类": ("虾", "螃蟹", "龙虾", "蛤蜊", "青口", "牡蛎", "扇贝"),
    "麸质": ("小麦", "大麦", "黑麦"),
}
"""Each category (as said: "nuts", "dairy", 坚果) -> its members, some of them categories too."""

IN_ENGLISH: dict[str, str] = {
    "坚果": "nuts",
    "花生": "peanuts",
    "杏仁": "almonds",
    "腰果": "cashews",
    "核桃": "walnuts",
    "开心果": "pistachios",
    "榛子": "hazelnuts",
    "碧根果": "pecans",
    "乳制品": "dairy",
    "牛奶": "milk",
    "奶酪": "cheese",
    "乳糖": "lactose",
    "黄油": "butter",
    "奶油": "cream",
    "酸奶": "yogurt",
    "海鲜": "seafood",
    "鱼": "fish",
    "贝类": "shellfish",
    "虾": "shrimp",
    "螃蟹": "crab",
    "龙虾": "lobster",
    "麸质": "gluten",
    "小麦": "wheat",
}
"""The Chinese words of :data:`ALLERGEN_GROUPS` said in English: 我对坚果过敏吗？ with peanuts told
asks a category whose member is held, as "Am I allergic to nuts?" does."""
