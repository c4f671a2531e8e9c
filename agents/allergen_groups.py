"""Allergen categories and what they hold, for yes-or-no questions that name one and hold the other.

Foods and medicines: a drug class holds its drugs, and a drug its brand names (Advil is
ibuprofen, an NSAID). Cephalosporins are a class of their own, not penicillins: a penicillin
allergy says nothing certain of them, so the answer says what was told, not yes.

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

FOOD_GROUPS: dict[str, tuple[str, ...]] = {
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
    "dairy": (
        "milk",
        "cheese",
        "lactose",
        "butter",
        "cream",
        "yogurt",
        "whey",
        "casein",
        "ice cream",
        "milkshakes",
        "sour cream",
        "custard",
        "ghee",
        "kefir",
    ),
    "seafood": ("fish", "shellfish"),
    "shellfish": ("shrimp", "prawns", "crab", "lobster", "crayfish", "clams", "mussels", "oysters", "scallops"),
    "fish": ("salmon", "tuna", "cod", "trout", "anchovies", "sardines", "mackerel"),
    "gluten": ("wheat", "barley", "rye", "spelt", "bread", "pasta", "flour", "couscous"),
    "eggs": ("egg whites", "egg yolks", "mayonnaise", "meringue", "omelettes", "omelets", "custard"),
    "soy": ("tofu", "edamame", "soy sauce", "soy milk", "tempeh", "miso", "soybeans"),
    "meat": (
        "pork",
        "beef",
        "chicken",
        "lamb",
        "turkey",
        "duck",
        "veal",
        "venison",
        "steak",
        "burgers",
        "hot dogs",
        "meatballs",
        "sausages",
    ),
    "pork": ("bacon", "ham", "pepperoni", "prosciutto", "salami", "pork chops"),
    "alcohol": (
        "beer",
        "wine",
        "vodka",
        "whiskey",
        "whisky",
        "rum",
        "gin",
        "tequila",
        "champagne",
        "sake",
        "cocktails",
    ),
    "坚果": ("花生", "杏仁", "腰果", "核桃", "开心果", "榛子", "碧根果"),
    "乳制品": ("牛奶", "奶酪", "乳糖", "黄油", "奶油", "酸奶"),
    "海鲜": ("鱼", "贝类", "虾", "螃蟹", "龙虾"),
    "贝类": ("虾", "螃蟹", "龙虾", "蛤蜊", "青口", "牡蛎", "扇贝"),
    "麸质": ("小麦", "大麦", "黑麦"),
    "大豆": ("豆腐", "豆浆", "毛豆", "腐竹", "豆干"),
    "肉": ("猪肉", "牛肉", "鸡肉", "羊肉", "鸭肉", "培根", "火腿", "香肠"),
}
"""Each food category (as said: "nuts", "dairy", 坚果) -> its members, some of them categories too."""

CONDITION_FOODS: dict[str, str] = {
    "lactose intolerance": "dairy",
    "celiac disease": "gluten",
    "coeliac disease": "gluten",
    "gluten intolerance": "gluten",
    "乳糖不耐受": "乳制品",
}
"""Conditions that rule out a food category, as an allergy to it does ("Can I drink milk?" with
lactose intolerance held: milk is dairy)."""

MEDICINE_GROUPS: dict[str, tuple[str, ...]] = {
    "penicillins": (
        "amoxicillin", "ampicillin", "amoxicillin-clavulanate", "dicloxacillin", "piperacillin-tazobactam",
        "piperacillin", "nafcillin", "oxacillin",
    ),
    "amoxicillin": ("amoxil",),
    "amoxicillin-clavulanate": ("augmentin",),
    "piperacillin-tazobactam": ("zosyn",),
    "cephalosporins": (
        "cephalexin", "cefazolin", "cefuroxime", "cefdinir", "ceftriaxone", "cefaclor", "cefadroxil", "cefixime",
        "cefpodoxime", "cefepime",
    ),
    "cephalexin": ("keflex",),
    "cefdinir": ("omnicef",),
    "ceftriaxone": ("rocephin",),
    "sulfa drugs": (
        "sulfamethoxazole-trimethoprim", "sulfamethoxazole", "sulfasalazine", "sulfadiazine", "sulfisoxazole",
    ),
    "sulfamethoxazole-trimethoprim": ("bactrim", "septra", "co-trimoxazole"),
    "sulfa": ("sulfa drugs",),
    "sulfonamides": ("sulfa drugs",),
    "NSAIDs": ("ibuprofen", "naproxen", "aspirin", "diclofenac", "celecoxib", "meloxicam", "ketorolac", "indomethacin"),
    "ibuprofen": ("advil", "motrin", "nurofen"),
    "naproxen": ("aleve", "naprosyn"),
    "diclofenac": ("voltaren",),
    "celecoxib": ("celebrex",),
    "meloxicam": ("mobic",),
    "ketorolac": ("toradol",),
    "anti-inflammatories": ("NSAIDs",),
    "opioids": (
        "codeine", "morphine", "oxycodone", "hydrocodone", "tramadol", "fentanyl", "hydromorphone", "methadone",
        "oxycodone-acetaminophen", "hydrocodone-acetaminophen",
    ),
    "oxycodone": ("oxycontin",),
    "oxycodone-acetaminophen": ("percocet",),
    "hydrocodone-acetaminophen": ("vicodin", "norco"),
    "tramadol": ("ultram",),
    "hydromorphone": ("dilaudid",),
    "opiates": ("opioids",),
    "narcotics": ("opioids",),
    "青霉素": ("阿莫西林", "氨苄西林", "阿莫西林克拉维酸钾", "哌拉西林", "苯唑西林"),
    "阿莫西林": ("阿莫仙",),
    "头孢": ("头孢氨苄", "头孢克洛", "头孢呋辛", "头孢曲松", "头孢拉定", "头孢克肟", "头孢羟氨苄"),
    "磺胺": ("磺胺甲噁唑", "复方新诺明", "柳氮磺吡啶", "磺胺嘧啶"),
    "非甾体抗炎药": ("布洛芬", "阿司匹林", "萘普生", "双氯芬酸", "塞来昔布", "美洛昔康"),
    "布洛芬": ("芬必得", "美林"),
    "阿片类药物": ("可待因", "吗啡", "羟考酮", "曲马多", "芬太尼"),
}  # fmt: skip
"""Each drug class (penicillins, NSAIDs, 青霉素) -> its drugs, each drug -> its brand names; a few
other names of a class ("sulfa", "opiates") hold the class."""

ALLERGEN_GROUPS: dict[str, tuple[str, ...]] = FOOD_GROUPS | MEDICINE_GROUPS
"""Each category (as said: "nuts", "dairy", 坚果, "penicillins") -> its members, some of them categories too."""

AS_MEMBER: dict[str, str] = {
    "penicillins": "a penicillin",
    "cephalosporins": "a cephalosporin",
    "sulfa drugs": "a sulfa drug",
    "NSAIDs": "an NSAID",
    "opioids": "an opioid",
    "青霉素": "青霉素类药物",
    "头孢": "头孢类药物",
    "磺胺": "磺胺类药物",
    "非甾体抗炎药": "非甾体抗炎药",
    "阿片类药物": "阿片类药物",
}
"""How a drug is said to be in its class ("amoxicillin is a penicillin", 阿莫西林属于青霉素类药物);
a food is said in its category's own words ("almonds are tree nuts")."""

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
    "青霉素": "penicillins",
    "阿莫西林": "amoxicillin",
    "氨苄西林": "ampicillin",
    "阿莫西林克拉维酸钾": "amoxicillin-clavulanate",
    "哌拉西林": "piperacillin",
    "苯唑西林": "oxacillin",
    "头孢": "cephalosporins",
    "头孢氨苄": "cephalexin",
    "头孢克洛": "cefaclor",
    "头孢呋辛": "cefuroxime",
    "头孢曲松": "ceftriaxone",
    "头孢克肟": "cefixime",
    "头孢羟氨苄": "cefadroxil",
    "磺胺": "sulfa drugs",
    "磺胺甲噁唑": "sulfamethoxazole",
    "复方新诺明": "sulfamethoxazole-trimethoprim",
    "柳氮磺吡啶": "sulfasalazine",
    "磺胺嘧啶": "sulfadiazine",
    "非甾体抗炎药": "NSAIDs",
    "布洛芬": "ibuprofen",
    "阿司匹林": "aspirin",
    "萘普生": "naproxen",
    "双氯芬酸": "diclofenac",
    "塞来昔布": "celecoxib",
    "美洛昔康": "meloxicam",
    "阿片类药物": "opioids",
    "可待因": "codeine",
    "吗啡": "morphine",
    "羟考酮": "oxycodone",
    "曲马多": "tramadol",
    "芬太尼": "fentanyl",
}
"""The Chinese words of :data:`ALLERGEN_GROUPS` said in English: 我对坚果过敏吗？ with peanuts told
asks a category whose member is held, as "Am I allergic to nuts?" does."""
