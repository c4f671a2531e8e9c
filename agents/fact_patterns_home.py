"""Rules for where someone lives: the home city, the address, a home left; and a move in Chinese (搬到),
read beside them; and how to reach someone: a phone number, an email address.
"""

from __future__ import annotations

from .fact_patterns_common import ANYMORE, I_AM, VALUE, WHO, ZH_KIN_WORD, ZH_VALUE, Pattern, rule
from .fact_values import ended, home, place, whole, zh_place
from .fact_words import INSTITUTIONS, JOB_WORDS_BEFORE, JOBS, NOT_A_NAME, RELATIONS, ZH_COMPANIES, ZH_JOBS, ZH_RELATIONS

_ADDRESS_IS = (
    r"(?:\b(?:i|we)\s+live\s+(?:at|on)|\bmy\s+(?:home\s+|new\s+|current\s+)?address(?:\s+is|['’]s)"
    r"|\bour\s+address\s+is)\s+"
)
"""Words before an address: "I live at", "my address is"."""

_WE_OR_WHO = rf"(?:\bwe|{WHO})"
"""The speaker's household ("we moved to Bergen", as 我们搬到了北京: the speaker's home), the speaker or
a relation."""

_ZH_WHO = rf"我(?:们|的)?(?:{ZH_KIN_WORD}(?P<subject>{ZH_RELATIONS}))?"
"""The speaker, their household or a relation, in Chinese (我, 我们, 我姐姐)."""
_ZH_WORKPLACE = r"公司|医院|学校|大学|中学|小学|银行|店|厂|局|所|院|部|中心|集团|家|外企|国企|网上|线上|这|那|哪"
"""Words of a place of work, not a home (公司, 医院, 家: 在家办公)."""
_ZH_SETTLED = r"定居|安家|落户|居住|生活"
"""Chinese for living somewhere, said before the place (定居在厦门, 生活在北京); after it only those of
making a home there are (在温哥华定居, not 在公司生活很累)."""

_REGION = r"(?P<region>,\s*(?-i:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?|[A-Z]{2})(?=\s*(?:$|[.!?;]|,\s*not\b)))?"
"""A state or country said after the city, ending the clause ("Portland, Oregon", "Paris, France", "Austin, TX")."""

HOME_PATTERNS: tuple[Pattern, ...] = (
    rule(
        rf"{_WE_OR_WHO}(?:\s+(?:now|currently|still|actually))?(?:\s+(?:live|lives|have\s+lived|has\s+lived)|['’]ve\s+lived|(?:\s+(?:am|is|have\s+been|has\s+been)|['’][sm]|['’]ve\s+been|['’]s\s+been)"
        rf"(?:\s+(?:now|currently|still))?\s+living)\s+in\s+{VALUE}{_REGION}",
        "lives_in",
        "long",
        home,
    ),
    # a clause that starts with living somewhere ("live in austin tx, any good bbq places?", "I'm a retired
    # engineer, living in Florida"); not a saying of it ("Living in London is expensive")
    rule(
        r"^\W*(?:(?:and|but|so|also|now|currently|still)\s+)*(?:live|living)\s+in\s+"
        r"(?P<value>(?:(?!\b(?:is|was|are|can|costs?|sucks|makes|means|must|would)\b)[^.,!?;\n]){2,40})(?=\s*(?:$|[,.!?;]))",
        "lives_in",
        "long",
        home,
    ),
    # where one works as what one is: "I'm a data scientist in Bangalore", "I'm a teacher living in Texas";
    # not at a place of work ("a nurse in St Luke's Hospital", "an engineer in the army")
    rule(
        rf"{I_AM}(?:now\s+|currently\s+)?an?\s+{JOB_WORDS_BEFORE}(?:{JOBS})\s+(?:(?:based|living)\s+)?in\s+"
        rf"(?!(?:[\w&'.-]+\s+){{0,3}}(?-i:{INSTITUTIONS})(?!\w)){NOT_A_NAME}"
        r"(?P<value>(?-i:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?))(?=\s*(?:$|[,.!?;]|\s(?:and|but|with|for|since)\b))",
        "lives_in",
        "long",
        home,
    ),
    # "I'm based in Berlin", "I'm a freelance photographer based in Berlin"
    rule(
        rf"{_WE_OR_WHO}(?:['’]m|['’]re|\s+am|\s+are|\s+is)\s+(?:an?\s+[a-z][a-z -]{{1,40}}?\s+)?(?:now\s+)?"
        rf"based\s+(?:in|out\s+of)\s+{VALUE}",
        "lives_in",
        "long",
        home,
    ),
    # a move: "I moved to Lyon", "my sister just moved to Berlin", "we moved to the US"; not "my brother
    # moved the car", "moved to a new team", "my cat moved to the couch", "moved to tears"
    rule(
        rf"{_WE_OR_WHO}(?:\s+(?:has|have)|['’](?:s|ve))?(?:\s+(?:just|recently|finally|now|also))?\s+(?:moved|relocated)\s+(?:back\s+)?to\s+"
        rf"(?!(?:the\s+)?(?:[\w&'.-]+\s+){{0,3}}(?-i:{INSTITUTIONS})(?!\w))"
        rf"(?!(?:an?|my|his|her|their|our|your|another|tears)\b|the\s+(?!(?:city|suburbs|countryside|coast)\b)(?-i:[a-z])){VALUE}",
        "lives_in",
        "long",
        place,
    ),
    # a move from one place to another: "I moved from Boston to Chicago last year", "we relocated from London
    # to Berlin" (the home is the second)
    rule(
        rf"{_WE_OR_WHO}(?:\s+(?:has|have)|['’](?:s|ve))?(?:\s+(?:just|recently|finally))?\s+(?:moved|relocated)\s+"
        rf"from\s+(?-i:[A-Z])[\w .'-]{{1,30}}?\s+to\s+(?=(?-i:[A-Z])){VALUE}",
        "lives_in",
        "long",
        place,
    ),
    # a home bought or rented: "My husband and I just bought a house in Austin", "we rented an apartment in Lyon"
    rule(
        rf"(?:\bwe|\b(?:my|our)\s+(?:{RELATIONS})\s+and\s+i|\bi)(?:\s+(?:just|recently|finally|have|['’]ve))*\s+"
        r"(?:bought|rented|purchased|got|moved\s+into)\s+(?:a|an|our|my)\s+(?:new\s+|first\s+|little\s+)?"
        rf"(?:house|home|apartment|flat|condo|place|townhouse)\s+in\s+(?=(?-i:[A-Z])){VALUE}",
        "lives_in",
        "long",
        place,
    ),
    # an address: "I live at 12 Rue de Rivoli, Paris", "My address is ..." (its city after the last comma
    # is the home city)
    rule(rf"{_ADDRESS_IS}(?P<value>\d+[a-z]?\s+[^.!?;\n]{{3,80}})", "address", "long"),
    rule(
        rf"{_ADDRESS_IS}\d+[a-z]?\s+[^.!?;\n]{{3,60}},\s*(?:\d[\w-]*\s+)?"
        r"(?-i:(?P<value>[A-Z][^\W\d_]+(?:[ -][A-Z][^\W\d_]+)*))\s*[.!]?$",
        "lives_in",
        "long",
    ),
    rule(r"我(?:的|家)?(?:家庭)?(?:地址|住址)是\s*(?P<value>[^，。！？\s]{4,40})", "address", "long"),
    # a home left: "I don't live in Paris anymore", "I moved out of London", 我不住在上海了
    rule(
        rf"{_WE_OR_WHO}\s+(?:(?:no\s+longer|(?:don['’]t|do\s+not|doesn['’]t|does\s+not){ANYMORE})\s+lives?"
        rf"|(?:(?:has|have)\s+|['’](?:s|ve)\s+)?moved\s+(?:out\s+of|away\s+from))\s+(?:in\s+)?(?-i:(?=[A-Z])){VALUE}",
        "lives_in",
        "long",
        ended(),
    ),
    rule(
        rf"{_ZH_WHO}(?:现在|已经)?(?:不再住在|不住在(?=[^，。！？]*了))\s*{ZH_VALUE}",
        "lives_in",
        "long",
        ended(),
    ),
    rule(
        rf"{_ZH_WHO}(?P<gap>[^，。！？\s]{{0,6}}?)(?:住在|搬(?:家)?(?:到|去)了?|(?<!老)家在|(?:{_ZH_SETTLED})(?:在|于))\s*{ZH_VALUE}",
        "lives_in",
        "long",
        zh_place,
    ),
    # where one works as what one is, in Chinese: 我在上海做律师, 我姐姐在北京当老师; not at a place of
    # work (我在华为做工程师, 我在医院当护士, 我在家做设计师)
    rule(
        rf"{_ZH_WHO}(?:现在|目前|一直)?在\s*(?!{ZH_COMPANIES})(?P<value>(?:(?!{_ZH_WORKPLACE})[^，。！？\s]){{2,5}}?)"
        rf"(?:做|当)(?:一名|一个|个|名)?\s*[^，。！？\s的]{{0,4}}?(?:{ZH_JOBS})",
        "lives_in",
        "long",
        zh_place,
    ),
    # years lived in a place: 我在北京住了十年了
    rule(
        rf"{_ZH_WHO}(?P<gap>[^，。！？\s]{{0,4}}?)在\s*(?P<value>[^，。！？\s]{{1,12}}?)(?:住|生活)了\s*(?:[一二两三四五六七八九十几\d]+|好几|很多)\s*年",
        "lives_in",
        "long",
        zh_place,
    ),
    # the place before the verb: 我姐姐一家在温哥华定居, 我们在杭州安家了
    rule(
        rf"{_ZH_WHO}(?P<gap>[^，。！？\s]{{0,6}}?)在\s*(?P<value>[^，。！？\s]{{1,12}}?)(?:定居|安家|落户)(?:了|下来|多年)?(?=$|[，。！？])",
        "lives_in",
        "long",
    ),
    # a move to come, whoever's: 我们下个月搬到深圳, 我哥哥下个月搬到上海 (the brother's), not 他下个月搬到上海
    rule(
        rf"(?:我们?(?:的)?(?:{ZH_KIN_WORD}(?P<subject>{ZH_RELATIONS}))?)?(?:(?![他她它])[^，。！？\s]){{0,8}}?搬(?:家)?(?:到|去)"
        r"\s*[^，。！？\s]{1,12}",
        "plan_move",
        "mid",
        whole,
        about_speaker=True,
    ),
)
"""The home city and address (我家在, not 我的老家在: where one comes from, ``origin``), had and left,
and a move to come said in Chinese, the speaker's or a relation's."""

_WHOSE = rf"\bmy\s+(?:(?P<subject>{RELATIONS})['’]s?\s+)?"
"""The speaker's, or a relation's ("my wife's")."""
_PHONE = r"(?P<value>\+?\(?\d[\d\s().-]{5,18}\d)"
"""A phone number: seven digits or more, with the spaces, dots, dashes and brackets people write."""
_EMAIL = r"(?P<value>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"

CONTACT_PATTERNS: tuple[Pattern, ...] = (
    # "My phone number is 555-0123", "my wife's cell is ...", "my new number's ..."
    rule(
        rf"{_WHOSE}(?:(?:new|cell|mobile|home|work|office)\s+)?(?:(?:phone|cell|mobile|telephone)\s+)?"
        rf"(?:number|phone|cell|mobile)(?:\s+is|['’]s)\s+(?:now\s+)?{_PHONE}",
        "phone_number",
        "long",
    ),
    rule(rf"\b(?:call|text|reach|ring)\s+me\s+(?:at|on)\s+{_PHONE}", "phone_number", "long"),
    rule(r"我的?(?:手机|电话)(?:号码|号)?(?:是|为)\s*(?P<value>\+?\d[\d\s-]{5,18}\d)", "phone_number", "long"),
    rule(
        rf"{_WHOSE}(?:new\s+|work\s+|personal\s+)?e-?mail(?:\s+address)?(?:\s+is|['’]s)\s+(?:now\s+)?{_EMAIL}",
        "email",
        "long",
    ),
    rule(rf"\b(?:e-?mail|reach|contact)\s+me\s+at\s+{_EMAIL}", "email", "long"),
    rule(rf"我的?(?:电子)?(?:邮箱|邮件)(?:地址)?(?:是|为)\s*{_EMAIL}", "email", "long"),
)
"""A phone number and an email address, the speaker's or a relation's: long-term, as an address is."""
