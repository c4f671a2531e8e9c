"""Which parts of a message state something about its speaker, English and Chinese.

Fact extraction (:mod:`tiermem.agents.extract`) reads only the clauses this
module keeps, each in parts, one per subject (:func:`by_subject`). A message is
cut into sentences (a decimal point ends none: "I weigh 45.5 kg") and sentences
into clauses (commas, semicolons, dashes; a comma between digits is none either:
"72,5 kg", "1,200 lb"), and a clause states nothing when it

- asks something ("is pad thai safe?", "where do I live again", "我多重"),
- asks for something ("Write me a limerick", "can u translate ...", "帮我写个文案"),
- supposes or wishes ("if I lived in Tokyo", "I wish I lived in Rome", "如果我住在北京"),
- asks the assistant to forget ("forget that I live in Paris", "不要记住我的体重") or not to keep
  what it says ("Please don't save this, but ...", "don't write this down", "off the record:",
  "不要保存", "别存这个"; not "don't forget to ..." nor "I don't remember"),
- or quotes someone else: quoted text (a passage, not a quoted name: 'my dog is called
  "Biscuit"'), what follows a task such as "Translate to French:" or
  "帮我润色这段话：", and what someone else said after a colon ("He said: my name is Bob",
  "The song goes: I live in a yellow submarine", 他说：) or after a comma that ends the words
  that say who said it ("As my mom says, ...", "the song goes, ...") are not the speaker's own
  words. (Words reported in the same clause, "my friend says he is allergic to cats", are read:
  :mod:`tiermem.agents.extract` keeps no fact of the speaker from them.)

A condition after a statement leaves the statement standing ("I'm 34 if that
matters"); a counterfactual does not ("I'd move to Paris if I could").

Example:
    >>> [c.text for c in stated_clauses("I'm allergic to peanuts, is pad thai safe?")]
    ["I'm allergic to peanuts"]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .fact_words import AGE_AFTER_NAME, RELATIONS

_I = re.IGNORECASE
_ABBREVIATIONS = (
    *("St", "Mt", "Dr", "Mr", "Mrs", "Ms", "Mx", "Prof", "Sr", "Jr", "Rev", "Capt", "Lt", "Sgt"),
    *("Ave", "Rd", "Blvd", "Ft", "vs", "etc", "approx", "dept", "e.g", "i.e"),
)
ABBREVIATION_DOT = (
    "(?:" + "|".join(rf"(?<=(?<![A-Za-z.])(?i:{re.escape(a)}))" for a in _ABBREVIATIONS) + r"|(?<=(?<![A-Za-z])[A-Z]))"
    r"\.(?=\s*[A-Za-z0-9'])"
)
"""A dot that ends an abbreviation or an initial ("St. Louis", "Dr. Smith", "J. R. Smith", "e.g."),
not a sentence."""
_NAME_DOT = r"(?<=[A-Za-z0-9_-])\.(?=(?:com|org|net|edu|gov|io|ai|co|uk|cn|de|txt|pdf|js|py)\b|[A-Za-z0-9_-]+[.@/:])"
"""A dot inside an email address, a host or a file name ("priya@example.com", "www.bbc.co.uk",
"notes.txt"): no sentence ends there."""
_SENTENCE = re.compile(
    rf"(?:[^.!?。！？\n]|(?<=\d)\.(?=\d)|(?<=(?<![A-Za-z])[ei])\.(?=[eg]\.)|{ABBREVIATION_DOT}|{_NAME_DOT})+[.!?。！？]*"
)
_CLAUSE = re.compile(r"(?:[^,，;；—]|(?<=\d),(?=\d))+(?:[,，;；—]|$)")
_QUOTED = re.compile(r"(?<!\d)[\"“”]|[「」『』]")
"""A quotation mark; a double one after a digit is inches (5'6"), no quote."""
_QUOTE_PAIRS = re.compile(
    r"(?<!\d)\"[^\"]*(?<!\d)\"|“[^”]*”|「[^」]*」|『[^』]*』|‘[^’]*’"
    r"|(?:(?<=^)|(?<=[\s:：(\[]))'(?=\S)(?:[^'\n]|(?<=\w)'(?=\w))+?(?<=\S)'(?=[\s.,!?;:)\]]|$)"
)
"""Quoted passages; a single-quoted one opens after a space and closes before one, so the
apostrophes of "I'm" or "parents' house" open or close none."""
_TASK = re.compile(
    r"^\s*(?:(?:please|pls|plz|kindly|can\s+(?:you|u)|could\s+(?:you|u)|would\s+you|help\s+me)\s+)*"
    r"(?:translate|proofread|rewrite|rephrase|paraphrase|summari[sz]e|"
    r"polish|correct|fix|edit|check)\b[^:：\n]*[:：]"
    r"|^\s*here(?:'s| is)\s+(?:a|an|the|my)\s+(?:line|quote|passage|paragraph|text|sentence|excerpt)\b[^:：\n]*[:：]"
    r"|^\s*(?:请)?(?:你)?(?:帮我|帮忙)?\s*(?:把[^:：\n]{0,15}?)?(?:翻译|润色|改写|校对|总结|修改|检查|translate|proofread|rewrite|polish)[^:：\n]*[:：]",
    _I,
)
_SPEECH_VERBS = (
    r"said|says|say|told\s+(?:me|us|him|her|them)|tells\s+(?:me|us)|wrote|writes|texted|asked|asks|replied|"
    r"goes|sang|sings|yelled|shouted|posted|tweeted|messaged|puts\s+it"
)
_DIRECT_SPEECH = re.compile(
    rf"(?<!\bi\s)\b(?:{_SPEECH_VERBS})\s*[:：]|(?<![我是])(?:说|讲|写道|写|问|回复|唱|告诉我|喊)\s*[:：]", _I
)
"""Someone else's words after a colon ("He said: ...", "The song goes: ...", 他说：); the
speaker's own ("I told him: I'm allergic to nuts") are theirs."""
_SPEECH_FRAME = re.compile(
    rf"(?:^|\s)(?!(?:i|never|not)\s)[^\W\d_]+\s+(?:(?:always|often|would|likes\s+to)\s+)?(?:{_SPEECH_VERBS}|say)(?:\s+that)?\s*[,，]?\s*$"
    r"|[他她们妈爸生师友人事婆公子儿姐妹哥弟家板夫妻](?:都|也|总是?|一直|常)?(?:说|讲|告诉我)\s*[,，]?\s*$",
    _I,
)
"""A clause that only says who speaks ("As my mom says,", "the song goes,"): the rest of its
sentence is what they said."""
_QUESTION = re.compile(
    r"[?？]\s*$"
    r"|^(?:what|where|which|who|whom|whose|how|why|tell\s+me|remind\s+me(?!\s+to\b)|whats|wats?|wheres|whos|hows)\b"
    r"|^(?:please\s+)?(?:give|show|list)\s+(?:me\s+)?(?:all\s+(?:of\s+)?)?(?:my|our)\b"  # "Give me my schedule"
    r"|^when(?:'s|\s+(?:is|are|was|were|do|does|did|will|can|should|would))\b"  # not "when I was a kid"
    r"|^(?:do|does|did|am|is|are|was|were|can|could|will|would|should|have|has)\s+(?:i|you|my|we)\b"
    r"|什么|哪里|哪儿|哪个|谁|多少|多重|多高|多大|多久|怎么|为什么|(?:吗|呢|么|来着)\s*[。.]?\s*$",
    _I,
)
_SUPPOSED = re.compile(
    r"\b(?:if|suppose|supposing|imagine|pretend|assume|assuming|what\s+if|i\s+wish|wish\s+i|would|(?:i|we)'d|a\s+story|"
    r"in\s+a\s+novel|hypothetically|i\s+(?:never|didn['’]?t|did\s+not)\s+(?:say|said|tell\s+you|told\s+you))\b"
    r"|如果|假如|假设|要是|万一|想象|但愿|我(?:从来|从)?(?:没|没有|不曾)(?:说过|讲过|告诉过你)|谁说我",
    _I,
)
_CONDITION = re.compile(r"\s*(?:if|suppose|supposing|imagine|assuming|what\s+if|如果|假如|假设|要是|万一)", _I)
_REQUEST = re.compile(
    r"^\s*(?:(?:hey|hi|ok|okay|so|also|please|pls|plz|kindly)[,!]?\s+)*"
    r"(?:(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+|pls\s+)?)?"
    r"(?:write(?!\s+(?:down|that|it))|translate|tell\s+me|remind\s+me\s+(?:what|how|who|where|when|which|of|about)|give\s+me|make\s+me|draft|compose|summari[sz]e|explain|list|recommend|suggest|"
    r"generate|create|find\s+me|show\s+me|help\s+me\s+(?:write|with|find|plan|draft|pick|choose))\b"
    r"|^\s*(?:请|麻烦)?你?(?:帮我|给我)(?:写|翻译|想|找|做|生成|起|列|推荐|总结|改|编)",
    _I,
)
"""A request to the assistant ("Write me a limerick", "can u translate ...", "帮我写个文案"): it
states nothing, nor do the clauses that go on with it ("帮我写个文案，关于露营的"), until the
speaker speaks of themselves again ("Tell me a joke about accountants, I am one")."""
_OWN_START = re.compile(
    r"^\s*(?:(?:and|but|so|also|plus)\s+)?(?:i|i'm|im|i've|i'd|i'll|my|we|we're|our)\b"
    r"|^\s*(?:而且|并且|还有|另外|但是?|不过)?\s*我",
    re.IGNORECASE,
)
_LATE_CONDITION = re.compile(r"\s(?:if|unless|assuming|in\s+case)\b|\S(?=如果|假如|要是|万一)", _I)
"""A condition after the main clause ("I'm 34 if that matters"): the words before it still state."""
NOT_KEPT = (
    r"remember(?:ing)?|memori[sz](?:e|ing)|storing|saving|"
    r"(?:save|store|keep(?:ing)?|record(?:ing)?|log(?:ging)?|note|writ(?:e|ing))"
    r"(?=\s*(?:[,:;.!]|$)|\s+(?:this|that|it|these|those|any(?:thing)?|my|what|down)\b)"
)
"""What one asks the assistant not to do with what one says: remember, and save, store, keep,
record, log, note or write down this / that / my ... ("don't save money", "don't keep pets"
ask nothing of it)."""
_ZH_NOT_KEPT = (
    r"(?:不要|别|不用|无需|请勿|勿)(?:再)?"
    r"(?:记(?!错|性|忆|得)|保存|储存|存储|存(?=$|[这那我它起下了吧刚。！!，,：:])|写下|录下)"
)
"""A request in Chinese not to keep what one says: 不要记, 别存这个, 请勿保存 (not 别记错, 我要存钱)."""
_FORGET = re.compile(
    r"^\s*(?:(?:actually|also|and|but|oh|ok|okay|so|btw|hey|well|just|please|pls|can\s+you|could\s+you|"
    r"i\s+want\s+you\s+to),?\s+)*"
    r"(?:forget|disregard|ignore|(?:(?:you\s+)?(?:don['’]?t|do\s+not|never|stop|no\s+need\s+to)|"
    rf"(?:you\s+)?(?:don['’]?t|do\s+not)\s+(?:need|have)\s+to)\s+(?:{NOT_KEPT})|"
    r"(?:delete|erase|remove)\b(?=.*\b(?:notes?|memory|memories|record|entry|info|information|data|details|everything|"
    r"(?:what(?:ever)?|anything|all|the\s+(?:stuff|things?))\s+(?:that\s+)?i\s+(?:said|told\s+you|mentioned|shared|wrote)|"
    r"that\s+i|from\s+(?:your\s+)?memory)\b)"
    r"|(?:delete|erase|remove)\s+(?:all\s+)?my(?:\s+(?!(?:from|in|on|at|to|for|of|with|out|off)\b)[\w'’-]+){1,4}(?=\s*[.!?]*\s*$))\b"
    r"|^\s*(?:请|你|麻烦你)?(?:帮我)?(?:忘记|忘掉)(?=.*(?:我|这|那|吧))"
    r"|(?:删除|删掉|清除|抹掉)(?=.*(?:记录|记忆|这条|那条|信息|我说的))"
    r"|^\s*(?:请|麻烦你)?(?:帮我)?(?:删除|删掉|清除|抹掉)(?=我的)"
    rf"|{_ZH_NOT_KEPT}"
    r"|^\s*(?:(?:but|and|so|just|strictly|this\s+is|it['’]?s|it\s+is)\s+)*off\s+the\s+record\b",
    _I,
)


@dataclass(frozen=True, slots=True)
class Clause:
    """A clause that states something, and the sentence it belongs to."""

    text: str
    sentence: str


_EMOJI_END = re.compile(r"([\U0001F300-\U0001FAFF\u2600-\u27BF]+)\s+(?=[A-Z\u4e00-\u9fff])")
"""Emoji that end a sentence, as chat writes them ("I'm so nervous 😅 Any tips?")."""


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` (a period between digits ends none; emoji before a capital letter or
    a Chinese one end one)."""
    return [s for s in (m.group().strip() for m in _SENTENCE.finditer(_EMOJI_END.sub("\\1\n", text))) if s]


_KEEP_ASKED = re.compile(
    r"^\s*(?:(?:hey|hi|ok|okay|so|also|please|pls|plz)[,!]?\s+)*(?:(?:can|could|will|would)\s+(?:you|u)\s+(?:please\s+)?)?"
    r"(?:remember|note|keep\s+in\s+mind|make\s+a\s+note|remind\s+me\s+to|don['’]?t\s+let\s+me\s+forget)\b"
    r"(?!\s+(?:what|where|who|when|which|how|if|whether)\b)",
    _I,
)
"""A request to keep what it says ("Can you remember that my locker code is 4512?", "Please note I'm
vegan", "Remind me to call the plumber tomorrow"): it states what follows, and asks nothing."""


def is_question(sentence_or_clause: str) -> bool:
    """Whether it asks something, with or without a question mark (not a request to keep what it
    says, :data:`_KEEP_ASKED`)."""
    said = sentence_or_clause.strip()
    return _KEEP_ASKED.match(said) is None and bool(_QUESTION.search(said))


def stated_lines(texts: Iterable[str]) -> Iterator[str]:
    """The lines of ``texts`` that ask nothing (:func:`is_question`): what a memory says, not a question
    asked before ("How old is Max?" tells nothing of Max)."""
    return (line for text in texts for line in text.splitlines() if not is_question(line))


def is_request(text: str) -> bool:
    """Whether ``text`` asks the assistant to do something ("Recommend me a song", "Write me a
    limerick", 帮我写个文案), which, as a question does, wants an answer and states nothing."""
    return _REQUEST.match(text) is not None


def starts_own_statement(clause: str) -> bool:
    """Whether ``clause`` starts a statement of the speaker's own ("and my ...", "but I ...",
    我...): after a request or a secret, a clause that does not goes on with it."""
    return _OWN_START.match(clause) is not None


_NOT_TO_KEEP = re.compile(
    r"(?:\b(?:don['’]?t|do\s+not|never|no\s+need\s+to|(?:need|have)\s+to)\s+(?:" + NOT_KEPT + r")"
    rf"|\boff\s+the\s+record\b|{_ZH_NOT_KEPT})",
    _I,
)


def asks_not_to_keep(text: str) -> bool:
    """Whether ``text`` asks that what it says be kept nowhere ("Please don't save this, but ...",
    "off the record", 不要保存), rather than that something stored be forgotten."""
    return is_forget_request(text) and _NOT_TO_KEEP.search(text) is not None


def is_forget_request(text: str) -> bool:
    """Whether ``text`` asks the assistant to forget or not to keep something."""
    return any(_FORGET.search(clause) for sentence in sentences(text) for clause in clauses(sentence))


CJK = re.compile(r"[\u4e00-\u9fff]")
"""A Chinese character."""
_FIRST_PERSON_OR_NUMBER = re.compile(r"\b(?:i|i'm|im|my|me)\b|我|\d", _I)


def _unquoted(quote: re.Match[str]) -> str:
    """A quoted passage's replacement: nothing, unless it is a name or a word or two ('my dog is
    called "Biscuit"'), which the speaker states."""
    inner = quote.group()[1:-1]
    short = len(inner.split()) < 3 and len(inner) <= (6 if CJK.search(inner) else 20)
    return f" {inner} " if short and not _FIRST_PERSON_OR_NUMBER.search(inner) else " "


def _unspoken(line: str) -> str:
    """``line`` up to someone else's words after a colon ("He said: my name is Bob")."""
    speech = _DIRECT_SPEECH.search(line)
    return line[: speech.end()].rstrip(":：") if speech else line


def own_words(text: str) -> str:
    """``text`` without quoted passages, what follows a task on a text ("Translate:") and someone
    else's words after a colon ("He said: ...")."""
    task = _TASK.search(text)
    if task:
        text = text[: task.start()]
    text = _QUOTE_PAIRS.sub(_unquoted, text)
    text = "\n".join(_unspoken(line) for line in text.split("\n"))
    return _QUOTED.split(text)[0] if _QUOTED.search(text) else text  # an unclosed quote: up to it


def stated_clauses(text: str) -> list[Clause]:
    """The clauses of ``text`` that state something (see the module docstring)."""
    found = []
    for sentence in sentences(own_words(text)):
        if any(_FORGET.search(clause) for clause in clauses(sentence)):
            continue
        consequent = False  # the clause after "If I were rich," goes with it
        requested = False  # so do those after a request, until the speaker speaks of themselves
        for clause in clauses(sentence):
            if _SPEECH_FRAME.search(clause):  # "As my mom says, ...": the rest is hers
                break
            requested = bool(_REQUEST.match(clause)) or (requested and not starts_own_statement(clause))
            late = _LATE_CONDITION.search(clause)
            main = clause[: late.start() + 1] if late and not _CONDITION.match(clause) else clause
            if not (consequent or requested or _SUPPOSED.search(main) or is_question(clause)):
                found += [Clause(said.strip(" ,，;；:：—"), sentence) for said in _each_statement(main)]
            consequent = bool(_CONDITION.match(clause))
    return found


_RELATIVE = re.compile(r",?\s*(?:who|which)\s+(?!(?:is|are|was)\s+(?:it|that|this|he|she|they|you)\b)[a-z'’]+\b", _I)
"""A relative clause said between commas: "My sister, who lives in Berlin, ..." (not "..., who is it?")."""
_GOES_ON = re.compile(r"\s*(?!(?:i|we|he|she|they|it|you|my|our|and|but|so|or|then)\b)(?-i:[a-z])")
"""A clause that goes on with the subject before a relative clause: "..., who lives in Berlin, is a nurse"."""
_SUBJECT_RELATIVE = re.compile(
    r"^(?P<subject>(?:my|our)\s+[^,]{1,40}?),\s*(?:who|which)\s+(?P<said>[^,]+?)(?:,\s*(?P<rest>.+))?$", _I
)
"""A subject of the speaker's with a relative clause: "My daughter Mia, who is 8, loves dinosaurs"."""


def _each_statement(clause: str) -> list[str]:
    """``clause``, or where a subject of the speaker's has a relative clause, each statement about
    it: "My sister, who lives in Berlin, is a nurse" -> "My sister is a nurse", "My sister lives
    in Berlin"."""
    found = _SUBJECT_RELATIVE.match(clause.strip())
    if found is None:
        return [clause]
    subject = found["subject"]
    own = f"{subject} {found['said']}"
    return [f"{subject} {found['rest']}", own] if found["rest"] else [clause, own]


_NEW_SUBJECT = re.compile(
    r"\s+(?:and|but|while|whereas|though|although)\s+(?=(?:(?:now|also|then|so)\s+)?"
    r"(?:i(?:['’](?:m|ve|d|ll))?\s+(?!(?:and|or)\b)\w"
    rf"|my\s+(?:[a-z]+\s+)?(?:{RELATIONS})(?:['’]s\b|\s+(?-i:[A-Z][a-z]+))?"
    r"\s+(?!(?:and|or|in|at|on|to|from|with|for|of|too|as|about|who|that)\b)[a-z]))"
    r"|(?<=[^\s，,。反然从因进])(?:而且?|但是?|可是|不过)(?=我)",
    _I,
)
"""Where a clause goes on with a statement about another subject, or the speaker again, without a
comma ("My sister works as a teacher and I work as a nurse", "... but my wife is a doctor",
我哥哥住在北京而我住在上海); not where the two are a list ("I live with my wife and my kids").
Pronouns are not cut at ("... and she lives in Rome")."""
_BARE_SUBJECT = re.compile(r"^\s*(?:both\s+)?(?:me|i|(?:my|our)(?:\s+[^\W\d_]+){1,3})\s*$", _I)
"""Words before "and" that are only a subject ("My husband and I live ...", "Me and my wife ..."):
the two are one subject, no two statements."""


def by_subject(clause: Clause) -> list[Clause]:
    """``clause`` cut where it goes on with a statement about another subject (:data:`_NEW_SUBJECT`),
    so that each part is read with its own subject; its sentence stays the same.

    Example:
        >>> [c.text for c in by_subject(Clause("My brother lives in Boston and I live in Denver", ""))]
        ['My brother lives in Boston', 'I live in Denver']
    """
    parts, start = [], 0
    for cut in _NEW_SUBJECT.finditer(clause.text):
        if not _BARE_SUBJECT.match(clause.text[start : cut.start()]):
            parts.append(clause.text[start : cut.start()])
            start = cut.end()
    parts.append(clause.text[start:])
    return [Clause(part.strip(), clause.sentence) for part in parts if part.strip()]


def stated_sentences(text: str) -> list[str]:
    """The sentences of ``text`` with at least one clause that states something."""
    return list(dict.fromkeys(clause.sentence for clause in stated_clauses(text)))


_LIST_ITEM = re.compile(r"^\s*(?:and\s+|or\s+)?[A-Za-z'-]+(?:\s+[A-Za-z][A-Za-z0-9'-]*){0,4}\s*[,.]?\s*$")
"""A bare list item of up to five words ("high blood pressure and gout", "a Mazda CX-5"); with :data:`_NOT_ITEM`,
a clause with a subject or a verb is none (", my sister lives in Rome")."""
_NOT_ITEM = re.compile(
    r"\b(?:i|i'm|me|us|him|her|them|you|he|she|it|we|they|my|is|are|am|was|were|be|can|could|do|does|did|will|would|have|has|"
    r"this|that|what|where|how|why|when|who|not|no|never)\b",
    _I,
)


_BARE_READING = re.compile(
    r"^\s*(?:每天|每日|一天|每次|一次|空腹|餐后|饭后)?(?:大概|才|只有|约|about|like)?\s*\d+(?:[.,/]\d+)?\s*[^\W\d_]{0,4}\s*[,，;；.!。！]*\s*$",
    _I,
)
"""A clause that is only a number and its unit ("称了一下，68.5公斤", "每天500毫克", "weighed myself
this morning, 82.4 kg.", "我血压有点高，150/95"): it goes with the clause before."""
_IT_IS = re.compile(r"^\s*(?:but\s+)?it(?:['’]s|\s+is)\s", _I)
_NEGATION = re.compile(r"n['’]t\b|\bnot\b", _I)
"""A clause that says what it is after one that said what it is not ("My name isn't Carol, it's
Cara"): the two are read as one."""
_ZH_ONE_CALLED = re.compile(r"\s*(?:另|还有)?一(?:只|条|个)叫")
"""A clause that names one of those the clause before counted (我有两只猫，一只叫咪咪，一只叫花花)."""
_STARTING = re.compile(r"\s*(?:starting|beginning)\s+(?:on\s+|next\s+|this\s+|in\s+)?\w+\W*$", _I)
"""A clause that only says when the one before begins ("I got a new job at Stripe, starting Monday")."""
_NO_MORE = re.compile(
    r"^\s*(?:but\s+)?(?:(?:i['’]m|i\s+am|it['’]s)\s+)?(?:not|no\s+longer)(?:\s+any\s*more|\s+now)?\s*[.!]*\s*$", _I
)
"""A clause that only says the one before holds no more ("I was allergic to eggs, but not
anymore"): the two are read as one."""


def clauses(sentence: str) -> list[str]:
    """The clauses of ``sentence``; a comma before a bare list item ("cats, dogs and pollen"; "Emma
    who is 8 and Noah who is 5": ages after names are no verbs), a
    bare reading ("称了一下，68.5公斤"), what something is after what it is not ("isn't Carol,
    it's Cara") or "but not anymore" cuts none."""
    parts: list[str] = []
    for part in (m.group() for m in _CLAUSE.finditer(sentence)):
        if not part.strip(" ,，;；:：—"):
            continue
        if parts and (
            (
                parts[-1].endswith(",")
                and (_RELATIVE.match(part) or _RELATIVE.search(parts[-1]) and _GOES_ON.match(part))
            )
            or _BARE_READING.match(part)
            or _STARTING.match(part)
            or _ZH_ONE_CALLED.match(part)
            or (_IT_IS.match(part) and _NEGATION.search(parts[-1]))
            or _NO_MORE.match(part)
            or parts[-1].endswith(",")
            and _LIST_ITEM.match(item := re.sub(AGE_AFTER_NAME, "", part))
            and not _NOT_ITEM.search(item)
        ):
            parts[-1] += part
        else:
            parts.append(part)
    return parts or [sentence]
