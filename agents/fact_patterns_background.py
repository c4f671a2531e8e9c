"""Rules for where someone comes from and studies, and when they were born: ``origin``, ``school``,
``birth_year``, the speaker's or a relation's.

``origin`` is where one comes from or grew up, a country or a town ("I'm from Brazil", "I grew up
in Lyon", 我来自巴西, 我是在成都长大的), apart from the home city (``lives_in``): "I'm from Brazil
but I live in Berlin" states both. ``school`` is where one studies now ("I study at TU Berlin",
"I'm a student at MIT", "my son goes to Lincoln Elementary", 我在清华读书, 我女儿读实验中学).
``birth_year`` is the year of a birth ("I was born in 1990", 我是1990年出生的), beside the
``birthday`` (month and day, ``fact_patterns_identity``), so that an age can be told from it.
"""

from __future__ import annotations

from .fact_patterns_common import VALUE, WHO, ZH_KIN_WORD, ZH_VALUE, Pattern, rule
from .fact_values import place, zh_place
from .fact_words import JOB_WORDS_BEFORE, JOBS, ZH_RELATIONS

_ZH_WHO = rf"我(?:的)?(?:{ZH_KIN_WORD}(?P<subject>{ZH_RELATIONS}))?"
"""The speaker or a relation of theirs, in Chinese (我, 我哥哥, 我的新女朋友)."""
_ORGANISATION = (
    r"team|department|dept|division|unit|company|firm|agency|office|branch|school|university|college|class|club|"
    r"church|gym|hospital|clinic|government|ministry|council|police|army|navy|military|board|committee|group|bank|"
    r"startup|corp|corporation|inc|ltd|llc|gmbh|plc|co|headquarters|hq|it|hr|sales|marketing|finance|accounting|legal|"
    r"support|engineering|management|staff|side|camp|generation|era|century|decade"
)
"""What one is "from" at work or in time, no place ("from the marketing team", "from Acme Corp", "from HR")."""
_NOT_AN_ORIGIN = (
    r"(?!(?:work|home|school|class|here|there|now|then|a\s+(?:big|large|small|poor|rich)\s+family|the\s+(?:gym|office|"
    r"store|shop|hospital|future|past|start|beginning|same|government|company|team|sixties|seventies|eighties|nineties)"
    r"|(?:the\s+)?(?:early\s+|late\s+|mid[- ]?)?['’]?\d+(?:s|['’]s)|(?-i:IT|HR|PR|QA|R&D))\b)"
    rf"(?![^.,!?;\n]*\b(?:{_ORGANISATION})\b\.?\s*(?:$|[.,!?;\n]|(?:and|but|now|today|here|in|at|of|for)\b))"
)
"""What follows "I'm from" and is no place one comes from ("I'm from work", "from the future", "from
the 90s", "from IT", "from the marketing team", "from Acme Corp": a team, a company, a time)."""
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"
_SCHOOL_NAME = r"(?-i:(?P<value>[A-Z][\w&'.-]*(?:\s+(?:of\s+|de\s+|für\s+)?[A-Z][\w&'.-]*){0,4}))"
"""A school's name, capitalised ("TU Berlin", "MIT", "University of Toronto")."""
_STUDENT = (
    r"(?:student|freshman|sophomore|junior|senior|undergrad(?:uate)?|postgrad(?:uate)?|postdoc|phd\s+candidate"
    r"|(?:\w+-)?grader|kindergart(?:e?n)er|pupil)"
)
_SCHOOL_WORD = (
    r"(?:School|Elementary|Primary|Middle|High|Academy|College|University|Kindergarten|Preschool|Pre-School|Nursery|"
    r"Montessori|Prep|Institute|Polytechnic|Gymnasium|Lyc[eé]e)"
)
_NAMED_SCHOOL = (
    rf"(?-i:(?P<value>(?:[A-Z][\w&'.-]*\s+){{0,3}}{_SCHOOL_WORD}(?:\s+(?:of|for)(?:\s+[A-Z][\w&'.-]*){{1,3}})?))"
    r"(?![\w'’-])(?!\s+(?-i:[A-Z]))"
)
"""A name that says it is a school's, ending in what it is ("Lincoln Elementary", "Roosevelt High School",
"the University of Michigan"): one "goes to" it to study, where "goes to Paris", "to High Point Mall" or
"to the park" is no school."""
_GRADE = r"(?:\w+|\d+(?:st|nd|rd|th))\s+grade|grade\s+\d+|year\s+\d+|kindergarten|preschool|pre-k|nursery|reception"
"""A school year ("2nd grade", "year 3", "kindergarten")."""
_ZH_STUDYING = (
    r"(?:读书|上学|念书|读大学|上大学|读研(?:究生)?|读博(?:士)?|读本科|读高中|上高中|读初中|上初中|读小学|上小学"
    r"|(?:读|上)(?:[一二三四五六]年级|初[一二三]|高[一二三]|大[一二三四]))"
)
"""Chinese for studying somewhere (在清华读书, 在北大读研), in a school year too (在实验小学读二年级)."""
_ZH_SCHOOL = (
    r"(?P<value>(?!一所|一个|这|那|哪|什么|好)[^，。！？\s的]{1,10}?(?:小学|中学|高中|初中|大学|学院|幼儿园|学校|附中|附小))"
    r"(?=$|[，。！？,.!?\s]|了|呢|啦|吧|[一二三四五六初高大]|读|上)"
)
"""A school's name in Chinese, ending in what it is (实验小学, 清华大学, 阳光幼儿园)."""

_ZH_NOT_A_PLACE = (
    r"一|个|有钱|普通|老实|年轻|成年|中年|老年|外国|外地|本地|文化|读书|自己|什么|哪|这|那|好|坏|穷|正常|聪明|单身|社恐|"
    r"打工|工作|家里|别|男|女|大|小|老|懒|怪|病|残|局外|过来|明白|爽快|急性子|慢性子|"
    r"[^，。！？\s]{0,3}(?:工|商|军|艺|诗|证|客|主持|经纪|负责|创始|合伙|代理|监护|投资|发言|候选|接班|介绍|联系|主)人"
)
"""Words before 人 that say what kind of person, not where from (我是一个普通人, 我是有钱人, 我是过来人), or
a job that ends in 人 (退休工人, 商人, 军人, 主持人, 经纪人, 创始人)."""
ORIGIN_PATTERNS: tuple[Pattern, ...] = (
    # "I'm from Brazil", "I'm originally from Canada", "I come from Lyon", "my wife is from Kenya"
    rule(
        rf"{WHO}(?:(?:['’]m|(?<=\bi)m|['’]s|\s+am|\s+is)\s+(?:originally\s+|actually\s+)?"
        # "an architect from Chicago", "a 45-year-old nurse from Manila"
        rf"(?:an?\s+(?:\d{{1,3}}[- ](?:year|yr)s?[- ]old\s+)?{JOB_WORDS_BEFORE}(?:{JOBS})\s+)?"
        r"|\s+(?:originally\s+)?comes?\s+)"
        rf"(?:originally\s+)?from\s+{_NOT_AN_ORIGIN}{VALUE}",
        "origin",
        "long",
        place,
    ),
    # "I grew up in Lyon", "I was born and raised in Ohio", "my dad was born in Naples" (not "in 1990",
    # "in March": a birth's date)
    rule(
        rf"{WHO}\s+(?:grew\s+up|was\s+(?:born\s+and\s+)?raised|was\s+born)\s+in\s+"
        rf"(?!(?:the\s+)?(?:\d|'\d|{_MONTH}|(?:the\s+)?(?:sixties|seventies|eighties|nineties|same|hospital|car)\b)){VALUE}",
        "origin",
        "long",
        place,
    ),
    # the year first: "I was born in 1988 in Lagos"
    rule(
        rf"{WHO}\s+was\s+born\s+in\s+(?:19|20)\d\d\s+in\s+(?=(?-i:[A-Z])){VALUE}",
        "origin",
        "long",
        place,
    ),
    rule(rf"{_ZH_WHO}(?:是)?来自\s*{ZH_VALUE}", "origin", "long", zh_place),
    # 我是湖南人, 我老公是四川人; not 我是好人, 我是一个普通人, 我是有钱人, 我是外地人
    rule(
        rf"{_ZH_WHO}(?:是|算是)\s*(?!{_ZH_NOT_A_PLACE})(?P<value>[^\s，。！？的]{{2,5}}?)人(?=$|[，。！？,.!?]|吧|啊|哦|呢|啦)",
        "origin",
        "long",
        zh_place,
    ),
    rule(rf"{_ZH_WHO}(?:的)?老家(?:是|在)\s*{ZH_VALUE}", "origin", "long", zh_place),
    # 我是在成都长大的, 我从小在上海长大, 我妈妈在广州出生
    rule(
        rf"{_ZH_WHO}(?:是)?(?:从小)?在\s*(?P<value>[^，。！？\s]{{1,12}}?)(?:出生(?:并|和)?)?(?:长大|出生)",
        "origin",
        "long",
    ),
)
"""Where one comes from or grew up."""

SCHOOL_PATTERNS: tuple[Pattern, ...] = (
    # what one studies or studied: "a degree in economics", "I majored in biology", "I'm studying computer
    # science at MIT", "my sister studies law", 我的专业是金融, 我学的是计算机 (not "studying for the exam")
    rule(
        rf"(?:{WHO}(?:['’]m|\s+am|\s+is)?\s+(?:now\s+|currently\s+|still\s+)?(?:(?:majored|majoring|major)\s+in"
        r"|(?:study|studies|studying|studied)(?!\s+(?:for|at|with|hard|abroad|online|together|every|on|in|the|a|an|my|to"
        r"|right|now|tonight|today|late|all|so|really|again|more|less|a\s+lot|there|here|abroad)\b))"
        r"|(?:\bi(?:['’]ve|\s+have)?\s+(?:also\s+|just\s+)?(?:have|got|earned|hold|completed|finished|did)\s+)?"
        r"\b(?:an?|my|his|her)\s+(?:(?:bachelor['’]?s|master['’]?s|phd|ba|bs|bsc|ms|msc|ma|mba|undergrad(?:uate)?|college)\s+)?"
        r"degree\s+in)\s+"
        r"(?P<value>(?-i:[A-Za-z][a-z]+)(?:\s+(?!(?:at|from|in|and|but|with|since|because|last|this|next)\b)[a-z]+){0,2})\b",
        "major",
        "long",
        about_speaker=True,
    ),
    rule(rf"{_ZH_WHO}(?:的)?(?:专业|主修)(?:是|为)\s*{ZH_VALUE}", "major", "long"),
    rule(rf"{_ZH_WHO}(?:大学|研究生)?(?:学的|读的)是\s*{ZH_VALUE}", "major", "long"),
    # "I study at TU Berlin", "I'm studying computer science at MIT", "my son attends Eton", "goes to school at Eton"
    rule(
        rf"{WHO}(?:['’]m|\s+am|\s+is)?\s+(?:now\s+|currently\s+|still\s+)?"
        rf"(?:(?:study|studies|studying)\s+(?:[a-z]+\s+){{0,3}}?at|attends?|attending|(?:goes|go)\s+to\s+school\s+at)\s+"
        rf"(?:the\s+)?{_SCHOOL_NAME}",
        "school",
        "long",
    ),
    # a school finished: "I graduated from MIT in 2015", "my son just graduated from Lincoln High"
    rule(
        rf"{WHO}(?:\s+(?:just|recently|finally))?\s+graduated\s+from\s+(?:the\s+)?{_SCHOOL_NAME}",
        "school",
        "long",
    ),
    # "I'm a student at MIT", "I'm a junior at Stanford", "my sister is a PhD student at ETH"
    rule(
        rf"{WHO}(?:['’]m|['’]s|\s+am|\s+is)\s+(?:now\s+|currently\s+|still\s+|also\s+)*an?\s+(?:[\w-]+\s+){{0,2}}?"
        rf"{_STUDENT}\s+(?:at|in)\s+(?:the\s+)?{_SCHOOL_NAME}",
        "school",
        "long",
    ),
    # "My son Jake goes to Lincoln Elementary", "I go to Roosevelt High School" (not "goes to bed", "to the park")
    rule(
        rf"{WHO}\s+(?:now\s+|currently\s+|still\s+)?(?:goes|go)\s+to\s+(?:the\s+)?{_NAMED_SCHOOL}",
        "school",
        "long",
    ),
    # "my daughter is in 2nd grade at Maple Elementary", "my son started kindergarten at Sunny Days"
    rule(
        rf"{WHO}(?:['’]s|\s+is|\s+am|['’]m|\s+(?:just\s+)?started)\s+(?:now\s+|currently\s+)?(?:in\s+)?(?:the\s+)?"
        rf"(?:{_GRADE})\s+at\s+(?:the\s+)?{_SCHOOL_NAME}",
        "school",
        "long",
    ),
    rule(rf"{_ZH_WHO}(?:现在|目前)?在\s*(?P<value>[^，。！？\s]{{1,12}}?){_ZH_STUDYING}", "school", "long"),
    # 我女儿读实验中学, 我儿子上清华大学, 我儿子在读实验小学 (not 我女儿读书很好, 我儿子上大学了)
    rule(rf"{_ZH_WHO}(?:现在|目前)?(?:在)?(?:读|上|念)\s*{_ZH_SCHOOL}", "school", "long"),
    rule(
        rf"{_ZH_WHO}(?:现在|目前)?是\s*(?P<value>[^，。！？\s的]{{2,12}}?)的(?:学生|研究生|博士生|本科生|大学生)",
        "school",
        "long",
    ),
)
"""Where one studies now."""

BIRTH_YEAR_PATTERNS: tuple[Pattern, ...] = (
    # "I was born in 1990", "I was born on March 3, 1990", "my son was born in May 2015"
    rule(
        rf"{WHO}\s+was\s+born\s+(?:on\s+|in\s+)?(?:(?:(?!\b(?:and|but|my|while)\b)[^.!?;\n]){{0,24}}?[\s,])??"
        r"(?P<value>(?:19|20)\d\d)\b",
        "birth_year",
        "long",
    ),
    # 我是1990年出生的, 我出生于1990年, 我出生在1992年, 我儿子2015年出生
    rule(rf"{_ZH_WHO}(?:是)?(?:出生于|生于|出生在|生在)\s*(?P<value>(?:19|20)\d\d)\s*年", "birth_year", "long"),
    rule(rf"{_ZH_WHO}(?:是)?(?P<value>(?:19|20)\d\d)\s*年[^，。！？]{{0,8}}?(?:出生|生的|生人)", "birth_year", "long"),
)
"""The year of a birth."""
