"""Rules for the people and pets in someone's life: relations and pets named, marriage, partners, and
those gone.
"""

from __future__ import annotations

import re

from .fact_patterns_common import (
    ANYMORE,
    I_AM,
    KIN_WORD,
    KIN_WORDS,
    NO_LONGER_BE,
    SAID_AS_MANY,
    ZH_KIN_WORD,
    ZH_NO_LONGER,
    ZH_VALUE,
    Pattern,
    rule,
)
from .fact_values import capitalised, ended, ended_partner, ended_relation, items_said, marital
from .fact_words import (
    AGE_AFTER_NAME,
    BREEDS,
    EMOJI,
    NATIONALITIES,
    NOT_A_LOWER_NAME,
    NOT_A_NAME,
    NOT_A_NAME_SAID,
    PARTNERS,
    PETS,
    RELATIONS,
    TITLES,
    ZH_PARTNERS,
    ZH_PETS,
    ZH_RELATIONS,
)

_WHICH_ONE = rf"(?:{'|'.join(KIN_WORDS)}|baby|wee)\s+"
"""A word before a name in a list that says which one ("Noah, Ava and little Finn")."""
_NAME_LIST = (
    rf"(?-i:(?P<value>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?(?i:{AGE_AFTER_NAME})?"
    rf"(?:(?:,\s*|,?\s+and\s+|\s*&\s*)(?:{_WHICH_ONE})?[A-Z][\w'-]+(?i:{AGE_AFTER_NAME})?)*|[a-z][\w'-]+))"
)
"""One name or several ("Salt and Pepper", "Noah, Ava and little Finn", "Emma who is 8 and Noah who is 5")."""


def _names(match: re.Match[str]) -> str:
    """The names of a list without the words that say which one or how old ("Noah, Ava and little Finn"
    -> "Noah, Ava and Finn"; "Emma, 8, and Noah, 5" -> "Emma and Noah")."""
    said = match["value"]
    if re.search(AGE_AFTER_NAME, said):
        said = re.sub(r",(?=\s+and\b)", "", re.sub(AGE_AFTER_NAME, "", said))
    return re.sub(rf"\b{_WHICH_ONE}(?=[A-Z])", "", items_said(said))


_LATELY = r"(?:(?:just|recently|finally|also|now)\s+)?"
_AGED = r"\d{1,2}[- ](?:year|yr)s?[- ]old"
"""An age said before whom it is of ("a 2-year-old son")."""
_WE_HAVE = (
    rf"\b(?:i|we)(?:\s+{_LATELY}(?:have|got|adopted|rescued)|(?:\s+have|['’]ve)\s+{_LATELY}(?:got|adopted|rescued))\s+"
)
"""The speaker has a relation or a pet: "I have", "we've got", "we adopted", "I just adopted",
"we've finally rescued"."""
_ANOTHER_ONE = r"(?:other|youngest|oldest|eldest|middle)"
"""A word that names one of several of a kind ("my other son Max", "my youngest daughter Lily"): their
name is one of the kind's (several held at once), no age or fact said after it is the first one's."""
_LEFT_ME = (
    r"(?:dumped\s+me|broke\s+up\s+with\s+me|left\s+me(?=\s*(?:$|[.,!?;]|(?:for|after|last|yesterday|this|in)\b)))"
)
"""A partner gone, said of them: "dumped me", "left me for someone else" (not "left me a note")."""
_NAMED = r"(?-i:(?P<value>[A-Z][^\W\d_]+(?:['-][^\W\d_]+)?(?:\s+[A-Z][^\W\d_]+)?))"
"""A person's name, capitalised ("Sophie", "Anna Lee")."""

_LOWER_NAME = r"(?-i:[a-z][a-z'-]+)"
"""A name typed in lower case ("sophie")."""
_SAID_END = rf"\s*(?:$|[.,!;]|{EMOJI})"
"""What may follow a name said last ("... now 😊")."""

_NOT_A_NAME_FIRST = (
    r"(?!(?:This|That|These|Those|He|She|It|They|We|I|You|Who|What|Which|Here|There|Everyone|Everybody|Nobody|"
    r"Somebody|Someone|Anyone|God|Jesus|Mom|Mum|Mommy|Dad|Daddy|Mother|Father|Mama|Papa|Grandma|Grandpa|Today|"
    r"Tomorrow|Yesterday|Family|Home|Work|Life|Love|Music|Nature|Food)\b)"
)
"""Capitalised words that start "... is my sister" and are no name: a pronoun, a relation's word,
a day, a thing."""

NAMED_RELATION_PATTERNS: tuple[Pattern, ...] = (
    # a pet's breed: "our dog Biscuit is a beagle", "I have a golden retriever named Max" (the breed
    # names the pet: it is the dog's, :data:`~.relation_slugs.DOG_BREEDS`)
    rule(
        rf"\b(?:my|our)\s+(?:{KIN_WORD}\s+)?(?P<subject>dog|cat|puppy|kitten)(?:\s+(?-i:[A-Z])[a-z]+)?(?:\s+is|['’]s)\s+an?\s+"
        rf"(?P<value>{BREEDS})\b",
        "breed",
        "long",
    ),
    # "We adopted a puppy named Coco. She's a golden retriever": the pet named before the pronoun
    rule(rf"\b(?P<pronoun>she|he|it)(?:['’]s|\s+is)\s+an?\s+(?P<value>{BREEDS})\b", "breed", "long"),
    rule(
        rf"{_WE_HAVE}(?:an?|one)\s+(?:(?:little|old|new|young)\s+)?"
        rf"(?=(?P<subject>{BREEDS})\b)(?P<value>{BREEDS})\b",
        "breed",
        "long",
    ),
    rule(
        rf"\b(?:my|our)\s+(?:(?:little|older|younger|big|new|old|best|\d|two|three)\s+)?(?P<what>{RELATIONS})(?:s?['’]?s\s+name\s+is|\s+is\s+(?:now\s+)?(?:called|named))\s+(?:now\s+)?(?!(?:after|for|now)\b)"
        rf"{_NAME_LIST}",
        "relation",
        "long",
        _names,
    ),
    # two pets named one by one in Chinese: 我们家有两只猫，一只叫咪咪，一只叫花花
    rule(
        rf"(?:我|我们|我家)(?:家)?(?:养了?|有)(?:两|2)(?:只|条)(?P<what>{ZH_PETS})[，,]\s*一(?:只|条)叫(?P<value>[^\s，。！？]{{1,4}})"
        r"[，,]\s*(?:另|还有)?一(?:只|条)叫(?P<other>[^\s，。！？]{1,4})",
        "relation",
        "long",
        lambda match: f"{match['value']}和{match['other']}",
    ),
    # several named: "my kids are Emma and Noah", "our cats are called Salt and Pepper"; not "my
    # parents are Catholic", "my kids are happy"
    rule(
        rf"\b(?:my|our)\s+(?:(?:little|older|younger|two|three|\d)\s+)?(?P<what>{RELATIONS})s?\s+are\s+"
        rf"(?:(?:now\s+)?(?:called|named)\s+)?{NOT_A_NAME_SAID}{NATIONALITIES}{TITLES}(?-i:(?=[A-Z][a-z])){_NAME_LIST}"
        r"(?=\s*(?:$|[.!;,]))",
        "relation",
        "long",
        _names,
    ),
    rule(
        rf"{_WE_HAVE}(?:an?|two|three|\d|another|one\s+more|a\s+(?:second|third))\s+(?:{KIN_WORD}\s+|{_AGED}\s+)?(?P<what>{RELATIONS})s?"
        r"(?:\s+(?:puppy|pup|kitten|mix))?(?:\s+(?:called|named)\s+|\s*[,:]\s*(?:(?:his|her|its|their)\s+names?\s+(?:is|are)\s+)?(?=(?-i:[A-Z])))"
        rf"{_NAME_LIST}",
        "relation",
        "long",
        _names,
    ),
    # an age said before the relation: "we have a 2-year-old son", "my 7 year old daughter loves dinosaurs"
    rule(
        rf"(?:{_WE_HAVE}an?|\b(?:my|our))\s+(?P<value>\d{{1,2}})[- ](?:year|yr)s?[- ]old\s+(?P<subject>{RELATIONS})\b",
        "age",
        "long",
    ),
    # the pets after the first: "I have a dog named Rex and a cat named Luna"
    rule(
        rf"{_WE_HAVE}(?:(?:an?|two|three|\d)\s+[a-z]+\s+(?:called|named)\s+[\w'-]+(?:\s+and\s+(?-i:[A-Z])[\w'-]*)?(?:,\s*|,?\s+and\s+))+"
        rf"(?:an?|two|three|\d)\s+(?P<what>{RELATIONS})s?\s+(?:called|named)\s+{_NAME_LIST}",
        "relation",
        "long",
    ),
    # a name said as what the relation is, the same or a new one: "my best friend is Jordan", "my
    # mother is May", "my boss is now Mark"; not "my mom is Korean", "my mother is in May"
    rule(
        rf"\b(?:my|our)\s+(?:{KIN_WORD}\s+)?(?P<what>{RELATIONS})\s+is\s+(?:now\s+)?{NOT_A_NAME_SAID}{NATIONALITIES}{TITLES}"
        rf"(?-i:(?=[A-Z][a-z])){_NAMED}"
        rf"(?=\s*(?:$|[.,!;]|and\b|now\b|btw\b|lol\b|haha\b|{EMOJI}))",
        "relation",
        "long",
    ),
    # the name first: "Sarah is my best friend from college", "Tom is my husband"; not "She is my
    # sister", "Mom is my best friend", "Sarah is my sister's friend"
    rule(
        rf"(?:^\W*|[.!?;,]\s+|\b(?:and|but|btw|oh)\s+){NOT_A_NAME_SAID}{_NOT_A_NAME_FIRST}{_NAMED}\s+is\s+(?:also\s+)?"
        rf"(?:my|our)\s+(?:{KIN_WORD}\s+)?(?P<what>{RELATIONS})(?![\w'’-])"
        rf"(?=\s*(?:$|[.,!;]|and\b|now\b|from\b|since\b|btw\b|lol\b|haha\b|{EMOJI}))",
        "relation",
        "long",
    ),
    # a new name typed in lower case, said as new: "my gf is sophie now", "my boyfriend is now jake";
    # not "my gf is now happy", "my bro is tired"
    rule(
        rf"\b(?:my|our)\s+(?:{KIN_WORD}\s+)?(?P<what>{RELATIONS})\s+is\s+"
        rf"(?:now\s+(?={_LOWER_NAME}{_SAID_END})|(?={_LOWER_NAME}\s+now{_SAID_END})){NOT_A_LOWER_NAME}"
        rf"(?-i:(?P<value>{_LOWER_NAME}))",
        "relation",
        "long",
        capitalised,
    ),
    rule(
        rf"我(?:的)?{ZH_KIN_WORD}(?P<what>{ZH_RELATIONS})(?:现在|已经)?是\s*{NOT_A_NAME_SAID}{NATIONALITIES}{TITLES}"
        r"(?-i:(?P<value>[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?))"
        r"(?=\s*(?:$|[，。！？,.!?]|了))",
        "relation",
        "long",
    ),
)
"""Relations and pets named: "my sister's name is Ana", "we have a dog named Rex", "my best friend
is Jordan", 我女朋友现在是Sophie (a Chinese name after 是 is left: 我妈妈是老师 says her job)."""

PARTNER_AND_RELATION_PATTERNS: tuple[Pattern, ...] = (
    # married or not: "I'm divorced", "we got married", "I'm not married anymore", 我离婚了, 我单身
    rule(
        rf"{I_AM}(?:now\s+|happily\s+|recently\s+|newly\s+|still\s+|officially\s+)*(?P<value>married|divorced|separated|widowed|single)"
        r"(?![-\w])(?!\s+(?:to\s+(?:my\s+)?(?:job|work)|from\s+(?:the|my\s+(?:team|group|friends|family)))\b)",
        "marital_status",
        "long",
    ),
    rule(
        rf"\b(?:i|we|my\s+(?:{PARTNERS})\s+and\s+i|(?-i:[A-Z])[^\W\d_]+\s+and\s+i)(?:\s+(?:just\s+|recently\s+|finally\s+|officially\s+)?"
        r"(?:got|have\s+been|are)|['’](?:ve\s+been|re))\s+(?:now\s+)?(?P<value>married|divorced|separated)\b",
        "marital_status",
        "long",
        marital,
    ),
    rule(r"\bi\s+(?:just\s+)?(?P<value>divorced)\s+my\b", "marital_status", "long", marital),
    rule(rf"{NO_LONGER_BE}(?P<value>married)\b", "marital_status", "long", ended()),
    rule(
        r"我(?:们)?(?:现在|目前|已经|刚刚?|早就?|也|还是)?(?:是)?(?P<value>结婚|离婚|离异|单身|丧偶|已婚)(?=了|多年|[，。！？,.!?\s]|$)",
        "marital_status",
        "long",
        marital,
    ),
    # a partner named without their gender: "I'm dating Sophie", "I'm married to Sam", "I'm seeing someone
    # named Amy" (not "I'm seeing Dr. Lee"), "I started dating a guy named Tom", 我在和小李交往; its
    # key is the partner word the message says (girlfriend, husband ...), else partner (extract)
    rule(
        rf"(?:{I_AM}(?:now\s+|currently\s+|also\s+|happily\s+)*(?:dating|married\s+to|engaged\s+to|in\s+a\s+relationship\s+with|going\s+out\s+with"
        r"|seeing(?=\s+(?:someone|somebody|a\s+(?:guy|girl|man|woman))(?:\s+new)?\s+(?:named|called)\b))"
        r"|\bi(?:\s+have|['’]ve|\s+(?:just\s+)?started)\s+(?:been\s+)?(?:dating|going\s+out\s+with|seeing)|\bi\s+(?:just\s+)?married"
        r"|\bi\s+(?:just\s+|finally\s+)?got\s+(?:engaged|married)\s+to)\s+"
        r"(?:(?:someone|somebody|a\s+(?:guy|girl|man|woman))(?:\s+new)?\s+(?:named|called)\s+)?"
        rf"{NOT_A_NAME}{_NAMED}",
        "partner",
        "long",
    ),
    rule(
        # 我和小王分手了，现在和小李在一起: the clause after a comma is the speaker's; 在一起 ends it
        # ("我和小李在一起吃饭" is a meal)
        rf"(?:我|^)(?:现在|目前)?(?:在|正在)?(?:和|跟)(?P<value>(?![他她你我]|(?:{ZH_RELATIONS}|大家|家人|同学)(?:们)?(?:在|谈|交|约))[^\s，。！？,.!?]{{1,4}}?)(?:在)?"
        r"(?:谈恋爱|交往|约会|在一起(?:了)?(?=[\s，。！？,.!?]|$))",
        "partner",
        "long",
    ),
    # a partner gone, their gender unsaid: "Emma and I split up", "we broke up", 我和小李分手了
    rule(
        r"(?:\b(?:we|i)|(?-i:[A-Z])[^\W\d_]+\s+and\s+i)\s+(?:just\s+|have\s+|['’]ve\s+|finally\s+)?"
        r"(?:broke\s+up|split\s+up|separated|are\s+no\s+longer\s+together|(?:are\s+not|aren['’]t)\s+together\s+any\s*more)\b"
        rf"(?!\s+(?:with|from)\s+my\s+(?:{PARTNERS})\b)",
        "partner",
        "long",
        ended_partner,
    ),
    rule(
        rf"\bmy\s+(?P<what>{PARTNERS})(?:\s+(?-i:[A-Z])[^\W\d_]+)?\s+and\s+i\s+(?:just\s+)?(?:broke\s+up|split\s+up|separated|got\s+divorced)\b",
        "relation",
        "long",
        ended_relation,
    ),
    rule(
        rf"我(?:和|跟)(?!(?:我的?)?(?:{ZH_PARTNERS}))(?![他她])[^\s，。！？,.!?]{{1,4}}?(?:已经)?分手",
        "partner",
        "long",
        ended_partner,
    ),
    # a pet or partner gone: "I don't have a cat anymore", "our dog died", "I broke up with my boyfriend"
    rule(
        rf"\b(?:i|we)\s+(?:no\s+longer|(?:don't|do\s+not){ANYMORE})\s+have\s+(?:an?|my|our|the)\s+(?P<what>{PETS}|{PARTNERS})\b",
        "relation",
        "long",
        ended_relation,
    ),
    rule(
        rf"\b(?:my|our)\s+(?:(?:old|sweet|poor|little|beloved)\s+)?(?P<what>{PETS})s?\s+(?:(?-i:(?P<name>[A-Z]\w+))\s+)?"
        r"(?:just\s+|recently\s+|sadly\s+)?(?:died|passed\s+away|passed|ran\s+away)\b",
        "relation",
        "long",
        ended_relation,
    ),
    # "We lost our dog Rex last month", "we had to put our cat Luna down", "we rehomed our rabbit Bun"
    rule(
        r"\b(?:i|we)\s+(?:(?:just|recently|sadly|finally)\s+)?(?:lost|rehomed|gave\s+away|(?:had\s+to\s+)?(?P<put>put))\s+"
        rf"(?:my|our)\s+(?:(?:old|sweet|little|beloved)\s+)?(?P<what>{PETS})\s+(?-i:(?P<name>[A-Z][\w'-]+))"
        r"(?(put)\s+(?:down|to\s+sleep)\b)",
        "relation",
        "long",
        ended_relation,
    ),
    rule(
        r"\b(?:i|we)\s+(?:just\s+|finally\s+|recently\s+)?(?:(?:broke\s+up|split\s+up|split|separated)\s+(?:with|from)|divorced|left)"
        rf"\s+my\s+(?P<what>{PARTNERS})(?:\s+(?-i:(?P<name>[A-Z][\w'-]+)))?\b",
        "relation",
        "long",
        ended_relation,
    ),
    rule(  # "My boyfriend dumped me", "my wife Ana left me"
        rf"\bmy\s+(?P<what>{PARTNERS})(?:\s+(?-i:(?P<name>[A-Z][\w'-]+)))?\s+(?:just\s+|finally\s+)?{_LEFT_ME}",
        "relation",
        "long",
        ended_relation,
    ),
    rule(
        rf"我(?:们)?(?:的|家的?)?(?P<what>{ZH_PETS})[^，。！？\s]{{0,4}}?(?:已经)?(?:去世|死|病死|走丢|丢)了",
        "relation",
        "long",
        ended_relation,
    ),
    rule(rf"我(?:们|家)?(?:已经|现在)?{ZH_NO_LONGER}养(?P<what>{ZH_PETS})", "relation", "long", ended_relation),
    rule(
        rf"我(?:和|跟)(?:我的?)?(?P<what>{ZH_PARTNERS})(?:已经)?(?:分手|离婚|分开)", "relation", "long", ended_relation
    ),
    rule(
        rf"(?<!\blost\s)(?<!\bput\s)(?<!\brehomed\s)(?<!\baway\s)"  # "we lost our dog Rex": no longer Rex
        # "I broke up with my girlfriend Jess": no longer Jess
        r"(?<!\bup\swith\s)(?<!\bsplit\swith\s)(?<!\bsplit\sfrom\s)(?<!\bseparated\sfrom\s)(?<!\bdivorced\s)(?<!\bi\sleft\s)"
        rf"\b(?:my|our)\s+(?:(?:{KIN_WORD}|{_ANOTHER_ONE})\s+)?(?P<what>{RELATIONS})\s+{NOT_A_NAME}(?-i:(?P<value>[A-Z][^\W\d_]+(?:['-](?!s\b)[^\W\d_]+)?))(?!\s+(?-i:[A-Z]))\b"
        rf"(?!\s+(?:just\s+|recently\s+)?(?:died|passed|ran\s+away|{_LEFT_ME})"
        r"|\s+and\s+i\s+(?:just\s+)?(?:broke|split|separated|got\s+divorced))",
        "relation",
        "long",
    ),
    # several named after their word: "with our two kids, Anya and Dev", "my sons Jake and Max", "our cats
    # Salt and Pepper" (after the rule of one name, which reads "my kids Mia" of "my kids Mia and Leo":
    # the later match wins)
    rule(
        r"\b(?:my|our)\s+(?:(?:two|three|four|\d|twin|little|grown)\s+)?"
        rf"(?P<what>{RELATIONS}){SAID_AS_MANY}\s*,?\s+"
        r"(?=(?-i:[A-Z])[\w'-]+(?:,\s*|,?\s+and\s+|\s*&\s*)(?-i:[A-Z]))"
        rf"{_NAME_LIST}",
        "relation",
        "long",
        _names,
    ),
    rule(
        rf"(?:我|我们|我家)(?:家)?养了?(?:一|两)?(?:只|条)[^\s，。！？叫]{{1,4}}?[，,]?\s*叫\s*{ZH_VALUE}",
        "pet_name",
        "long",
    ),
    rule(
        rf"我(?:的|家的?)?{ZH_KIN_WORD}(?P<what>{ZH_RELATIONS}|猫咪|狗狗|小狗|小猫)(?:的名字)?(?:现在|已经)?叫\s*{ZH_VALUE}",
        "relation",
        "long",
    ),
)
"""Marriage and partners, had and gone; pets and partners gone; relations and pets named after their
word ("my brother Tom", 我家猫叫咪咪)."""
