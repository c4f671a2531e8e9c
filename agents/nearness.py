"""How near a memory line is to a question, beside their embeddings' similarity.

A sentence embedding places a question and the words that answer it further apart than two
statements: "What book am I reading?" is 0.21 from 'I'm reading "Project Hail Mary" right
now' with USE, and "What did I do last Saturday?" 0.27 from "Last Saturday I went hiking
with Tom", both under the similarity at which a memory is quoted as an answer
(:data:`~.fact_match.QUOTE_RELEVANCE`, 0.35), so "You haven't told me that yet" was the reply.
Where no line is near enough by its embedding alone, one counts as :data:`BONUS` nearer
(:func:`nearest_first`) where it

- speaks of a day the question asks about ("last Saturday": a line said then, or one that
  names that day, as the retriever weighs them), or
- shares a word with the question that says what is asked ("reading"; "driving" for "drive":
  :func:`stem`; "trip" for "traveling": :data:`_KINDRED`; :func:`~.updates.content_words`: no
  common word, no bare number), but for the words that
  frame a question rather than name its thing (:data:`_FRAME`: "favorite" is shared by "What's
  my favorite color?" and "My favorite food is pizza", "work" by "Where do I work?" and "I work
  out every morning", "number" by "What's my flight number?" and "My passport number is ...") and a
  relation's words ("brother" says whom, not what, is asked).

Example:
    >>> from datetime import datetime
    >>> said = datetime(2024, 5, 1)
    >>> lines = [("I'm reading Project Hail Mary", said), ("My favorite food is pizza", said)]
    >>> bonus("What book am I reading?", lines, datetime(2024, 5, 3)).tolist()
    [0.15000000596046448, 0.0]
    >>> bonus("What's my favorite color?", lines, datetime(2024, 5, 3)).tolist()
    [0.0, 0.0]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime

import numpy as np
from tiermem.memory.text_index import tokenize, tokenize_many

from .asked import relation_words
from .fact_words import RELATIONS, ZH_RELATIONS
from .timeexpr import Period, find_periods
from .updates import content_words

BONUS = 0.15
"""How much nearer a memory line counts where it speaks of the day asked or shares a word with
the question: a line at 0.2 is then as near as one at 0.35 that does neither."""
MORE_WORDS_BONUS = 0.075
"""How much nearer a line is ordered for each further word it shares with those a question asks by."""
DAY_ONLY_BONUS = 0.35
"""How much nearer a line of the day asked counts where a question names nothing but the day: any
memory of that day answers it, however far its words ("I went to a support group yesterday" is
0.19 from "What did I do yesterday?")."""
_FRAME = frozenset(
    (  # noqa: SIM905 (a list of words reads better as words)
        "favorite favourite favorites best worst first last next ever usually always never work works working "
        "job name names called thing things stuff like likes love loves hate hates good great bad nice again "
        "remember recall tell told said say know think happen happens happened going number numbers code"
    ).split()
)
"""Words that frame a question rather than name what it asks for."""


_DOING = re.compile(r"\b(?:am\s+i|are\s+we)\s+(?P<verb>[a-z]+ing)\s+on\b", re.I)
"""What one is doing, asked by a framing word that names it here ("What am I working on?")."""


def _asked_words(question: str) -> set[str]:
    """The stems (:func:`stem`) of the content words of ``question`` that name what it asks for
    (a framing word too where it says what one is doing: :data:`_DOING`), and their kindred
    words' (:data:`_KINDRED`: "traveling" asks of a trip too)."""
    asked = {stem(word) for word in content_words(question) if word not in _FRAME and relation_words(word) == [word]}
    asked |= {stem(doing["verb"].lower()) for doing in _DOING.finditer(question)}
    return asked.union(*(group for group in _KINDRED if asked & group))


def stem(word: str) -> str:
    """``word`` as the full-text index stems it (:func:`~tiermem.memory.text_index.tokenize`:
    English stemming), so that the forms of a word meet: "drive", "drives" and "driving", "run" and
    "running", "book" and "books" (no irregular forms: "drove" is not "drive")."""
    return next(iter(tokenize(word)), word.casefold())


_KINDRED = tuple(
    frozenset(stem(word) for word in group.split())
    for group in (
        "travel traveling trip vacation holiday journey tour getaway",
        "flight fly flying plane airport",
        "doctor physician dentist",
        "budget cost costs price spend afford",
        "gym workout exercise",
        "car vehicle",
        "apartment house flat",
        "sick ill illness flu",
        "wedding marry married",
        "shopping shop buy groceries grocery",
        "instrument guitar piano violin drums",
        "teach teacher teaching tutor",
        "write writer writing author",
        "drive driver driving",
        "cook cooking chef",
    )
)
"""Words that name the same thing, one of which a question may ask by and a memory say by
("Where am I traveling?" of "I'm planning a trip to Japan"), stemmed."""


def _of_period(line: str, when: datetime, periods: Sequence[Period]) -> bool:
    """Whether ``line`` (said at ``when``) was said in, or names a day of, one of ``periods``."""
    named = [(when.date(), when.date()), *((p.start, p.end) for p in find_periods(line, when))]
    return any(period.overlaps(start, end) for period in periods for start, end in named)


_EARLIER = re.compile(
    r"\bbefore\s*(?:that|this|then|now)?\s*[?？.!]*$|\b(?:previously|formerly|used\s+to|prior\s+to\s+(?:that|this|now))\b"
    r"|\bbefore\s+(?:(?:i|we)\s+(?:moved|came|started|joined|switched)\b|(?:moving|coming)\s+to\b"
    r"|(?-i:[A-Z])[\w'’-]*(?:\s+(?-i:[A-Z])[\w'’-]*)?\s*[?？.!]*$)"
    r"|\b(?:previous|former)\s+\w+|以前|之前|原来",
    re.I,
)
_FORMER = re.compile(
    r"\b(?:used\s+to|previously|formerly|before\s+(?:that|this|moving|i|we)|back\s+(?:when|then|in)|in\s+the\s+past"
    r"|(?:my\s+)?(?:previous|former|old)\s+\w+|(?:moved|relocated|switched|transferred)\b[^.!?\n]*\bfrom\s+\w+)\b"
    r"|以前|之前|原来|从\S{1,12}搬",
    re.I,
)
"""Words that tell of what held before ("I used to work at Amazon", "my old apartment", "I moved to
Austin from Boston")."""


_NOW = re.compile(
    r"\b(?:i\s+(?:now\s+|currently\s+)?(?:live|work|am|study|drive|own)|i['’]m|my\s+\w+(?:\s+\w+)?\s+is)\b"
    r"|我(?:现在|目前)?(?:住在|在\S{1,12}(?:工作|上班|上学))",
    re.I,
)
_PAST = re.compile(r"\b(?:lived|worked|was|were|had|moved|left|quit|studied|grew\s+up|from)\b|搬|过", re.I)
"""Words that tell of the present ("I live in Denver", "my job is ...") and of the past ("I moved
here from Boston"): a line with the first and neither the second nor :data:`_FORMER`'s says only
what holds now, which a question for what held before is not answered by."""


_ASKS_AGE = re.compile(r"\bhow\s+old\b|\bwhat\s+age\b|几岁|多大了|多大年纪|多少岁|年龄", re.I)
_SAYS_AGE = re.compile(
    r"\b(?:is|was|turned|turns|turning|aged?|who['’]s|she['’]s|he['’]s|i['’]m)\s+(?:now\s+|only\s+|just\s+|almost\s+|nearly\s+)?"
    r"\d{1,3}\b(?!\s*(?:kg|kilos?|lbs?|pounds|cm|km|miles?|%|:|am\b|pm\b|minutes?|hours?|mg|dollars|euros))"
    r"|\b\d{1,3}[- ](?:years?|yrs?|months?|weeks?)(?:[- ]old)?\b|\d{1,3}\s*(?:周)?岁|\bbirthday\b|\bborn\b|出生|生日"
    r"|\b(?-i:[A-Z][a-z]+)\s*(?:,|\()\s*\d{1,2}\b(?!\s*(?:[:%.]\d|[a-z]))",  # "Ben, 10, and Lucy, 7", "Lucy (7)"
    re.I,
)
"""A question for someone's age ("How old is Ava?", 我儿子几岁了？), and a line that says one ("Liam who is 8
and Ava who is 5", "Ben, 10, and Lucy, 7", "turned 40", "was born in 1990")."""
_ASKS_BIRTHDAY = re.compile(r"\bbirthday\b|生日", re.I)
_SAYS_BIRTHDAY = re.compile(r"\bbirthday\b|\bturn(?:s|ing)\s+\d|\bborn\b|生日|出生", re.I)
"""A question for a birthday, and a line that may say it ("he's turning 6 next week")."""
_ASKS_WHEN = re.compile(r"^\W*(?:and\s+|so\s+)?when\b|\bwhat\s+(?:day|date|time)\b|什么时候|哪天|几号|几点", re.I)
_TIME_SAID = re.compile(
    r"\b\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\d{1,2}[点號号]|\b(?:mon|tues|wednes|thurs|fri|satur|sun)days?\b"
    r"|\b(?:weekends?|mornings?|evenings?|nights?|noon|midnight|daily|weekly)\b|\bevery\s+day\b|每(?:天|周|个?星期|个?月)",
    re.I,
)
"""A question for when ("When is Carol coming?"), and a time a line may name beside the days it
dates: a time of day, a weekday of a habit ("every Monday"), a part of the day."""


_ASKS_WHERE = re.compile(r"^\W*(?:and\s+|so\s+)?where\b|哪里|哪儿|什么地方", re.I)
_SAYS_WHERE = re.compile(
    r"\b(?:at|in|from|to|near|on)\s+(?:the\s+)?(?-i:[A-Z])|[在到去]\S{0,6}(?:市|省|区|县|路|街)", re.I
)
"""A question for where ("Where do I teach?"), and a line that names a place ("at Lincoln High School",
"in Denver")."""
_ASKS_HOW_LONG = re.compile(r"\bhow\s+long\b|多久|多长时间", re.I)
_SAYS_HOW_LONG = re.compile(
    r"\b(?:for|in)\s+(?:about\s+|almost\s+|over\s+)?(?:a|an|one|two|three|four|five|six|a\s+few|several|\d+)\s+"
    r"(?:minutes?|hours?|days?|nights?|weeks?|months?|years?)\b|\b(?:until|till|since)\b"
    r"|[\d一两二三四五六七八九十几半]+\s*(?:个|多)?(?:小时|天|周|星期|月|年)",
    re.I,
)
"""A question for how long ("How long is my mom staying?"), and a line that says a span of time ("She's
staying for a week", "for about 6 months", "until Sunday", 住三天)."""
_ASKS_WHO = re.compile(r"^\W*(?:and\s+|so\s+)?who\b|\bwith\s+whom\b|(?:跟|和|与)谁", re.I)
_SAYS_WHO = re.compile(
    rf"\b(?:my|our|his|her|their)\s+(?:[a-z]+\s+)?(?:{RELATIONS})(?:s|es)?\b|\bwith\s+(?-i:[A-Z])[a-z]+"
    r"|\b(?-i:[A-Z])[a-z]+\s+(?:and|&)\s+(?-i:[A-Z])[a-z]+\b"
    rf"|(?:{ZH_RELATIONS})",
    re.I,
)
"""A question for who ("Who is coming with me to Berlin?"), and a line that names someone by whom they
are to the user, is with someone named or names two ("My colleague Raj is coming with me", "lunch with
Sam", "Sam and Priya are coming")."""


def _now_only(line: str) -> bool:
    """Whether ``line`` tells only of what holds now (:data:`_NOW`)."""
    return _NOW.search(line) is not None and _PAST.search(line) is None and _FORMER.search(line) is None


FORMER_BONUS = 0.3
"""How much nearer a line that tells of a former state counts for a question for one: "My old
apartment was in Denver" before "I live in Austin" for "Where did I live before?"."""
WHEN_BONUS = 0.2
"""How much nearer a line that names a time counts for a question for when (or one that may say a
birthday for a question for one): "My mother-in-law Carol is visiting from Ohio on the 20th" (0.35)
before "Carol doesn't eat pork" (0.44) for "When is Carol coming?"."""
AGE_BONUS = 0.3
"""How much nearer a line that says an age counts for a question for one: "I have two kids, Liam who
is 8 and Ava who is 5" before "Ava is allergic to strawberries" for "How old is Ava?"."""
WHO_BONUS = 0.3
"""How much nearer a line that names someone counts for a question for who: "My colleague Raj is coming
with me" (0.24) before "I'm going to Berlin for a conference ..." (0.49) for "Who is coming with me to
Berlin?"."""


_SAID_SHAPES = (
    (_ASKS_WHERE, _SAYS_WHERE, WHEN_BONUS),
    (_ASKS_HOW_LONG, _SAYS_HOW_LONG, WHEN_BONUS),
    (_ASKS_WHO, _SAYS_WHO, WHO_BONUS),
)
"""The kinds of answer a line says or not by its words alone: (the question asks it, the line says
it, how much nearer such a line counts), the first the question asks taken."""


def asks_earlier(question: str) -> bool:
    """Whether ``question`` asks for what held before what holds now ("Where did I work before?",
    "What was my previous job?", 我以前住在哪里？): a line that tells of a former state
    (:data:`_FORMER`) counts :data:`FORMER_BONUS` nearer, and one that tells only of the present
    ("I live in Denver") is not near at all."""
    return _EARLIER.search(question) is not None


def _day_only(asked: set[str], periods: Sequence[Period]) -> bool:
    """Whether a question names days (``periods``) and nothing else it asks for (``asked``)."""
    return bool(periods) and asked <= {stem(word) for period in periods for word in content_words(period.text)}


def asks_only_days(question: str, now: datetime | None) -> bool:
    """Whether ``question`` names days and nothing else it asks for ("What did I do yesterday?",
    "What happened last weekend?"): every memory of those days answers it."""
    return now is not None and _day_only(_asked_words(question), find_periods(question, now))


def bonus(question: str, lines: Sequence[tuple[str, datetime]], now: datetime | None) -> np.ndarray:
    """:data:`BONUS` for each of ``lines`` (words, when said) that speaks of a day ``question``
    asks about (its days counted from ``now``) or shares a word that names what it asks for;
    where the question names nothing but days ("What did I do yesterday?"), :data:`DAY_ONLY_BONUS`
    for a line of those days and -1 for any other, however near its words."""
    periods = find_periods(question, now) if now is not None else []
    asked = _asked_words(question)
    return _bonus(asked, periods, _answer_shape(question), lines, _stemmed(asked, lines))


def _answer_shape(question: str) -> Callable[[str, datetime], float] | None:
    """How much nearer a line (words, when said) counts for the kind of answer ``question`` wants,
    where it wants one: what held before (:func:`asks_earlier`: a line that tells of a former state
    :data:`FORMER_BONUS`, one that tells only of now -1), an age (a line that says one
    :data:`AGE_BONUS`, any other -1: "How old is Ava?" is not answered by "Ava is allergic to
    strawberries"), a birthday or a time (a line that may say it :data:`WHEN_BONUS`), where (a
    line that names a place), how long (a line that says a span of time: both :data:`WHEN_BONUS`),
    who (a line that names someone by whom they are or with whom: :data:`WHO_BONUS`)."""
    if asks_earlier(question):
        return lambda line, _: FORMER_BONUS if _FORMER.search(line) else -1.0 if _now_only(line) else 0.0
    if _ASKS_AGE.search(question):
        return lambda line, _: AGE_BONUS if _SAYS_AGE.search(line) else -1.0
    if _ASKS_BIRTHDAY.search(question):
        return lambda line, _: WHEN_BONUS if _SAYS_BIRTHDAY.search(line) else 0.0
    if _ASKS_WHEN.search(question):
        return lambda line, when: WHEN_BONUS if _TIME_SAID.search(line) or find_periods(line, when) else 0.0
    asked = next(((says, near) for asks, says, near in _SAID_SHAPES if asks.search(question)), None)
    if asked is None:
        return None
    says, near = asked
    return lambda line, _: near if says.search(line) else 0.0


def _bonus(
    asked: set[str],
    periods: Sequence[Period],
    shape: Callable[[str, datetime], float] | None,
    lines: Sequence[tuple[str, datetime]],
    said: list[list[str]],
) -> np.ndarray:
    """:func:`bonus` of a question's ``asked`` words, its ``periods`` and the kind of answer it
    wants (:func:`_answer_shape`), the lines' words ``said`` stemmed (:func:`_stemmed`)."""
    if _day_only(asked, periods):  # what happened then is all it asks: a line of another day says none of it
        return np.array(
            [DAY_ONLY_BONUS if _of_period(line, when, periods) else -1.0 for line, when in lines], dtype=np.float32
        )
    return np.array(
        [
            (shape(line, when) if shape is not None else 0.0)
            + (BONUS if asked.intersection(words) or _of_period(line, when, periods) else 0.0)
            for words, (line, when) in zip(said, lines, strict=True)
        ],
        dtype=np.float32,
    )


def nearest_first(
    question: str, lines: Sequence[tuple[str, datetime]], similarity: np.ndarray, floor: float, now: datetime | None
) -> tuple[list[int], np.ndarray]:
    """The indexes of ``lines`` nearest ``question`` first, and the nearness of each they were
    ordered by: ``similarity``, or, where none is within ``floor``, the question names nothing but
    days or it wants a kind of answer (:func:`_answer_shape`: what held before, an age, a time), it
    plus :func:`bonus` (a line of another day, one that tells only of now, or one that says no age,
    is then less near than its words)."""
    order = np.argsort(-similarity, kind="stable")
    asked, shape = _asked_words(question), _answer_shape(question)
    periods = find_periods(question, now) if now is not None else []
    if similarity[order[0]] < floor or _day_only(asked, periods) or shape is not None:
        said = _stemmed(asked, lines)
        similarity = similarity + _bonus(asked, periods, shape, lines, said)
        order = np.argsort(-(similarity + _more_words(asked, said)), kind="stable")
    return [int(i) for i in order], similarity


def _stemmed(asked: set[str], lines: Sequence[tuple[str, datetime]]) -> list[list[str]]:
    """The content words of each of ``lines`` stemmed as :func:`stem` does, in one tokenizer call;
    none where the question asks by no word (``asked``)."""
    return tokenize_many([" ".join(sorted(content_words(line))) for line, _ in lines]) if asked else [[] for _ in lines]


def _more_words(asked: set[str], said: list[list[str]]) -> np.ndarray:
    """:data:`MORE_WORDS_BONUS` for each word past the first that a line (its stemmed words ``said``)
    shares with those a question asks by: it orders the lines ("Her vet appointment is on Monday"
    before "Coco is 10 weeks old" for "When is Coco's vet appointment?"), and no newer line is less of
    an update for it."""
    return np.array([MORE_WORDS_BONUS * max(0, len(asked.intersection(words)) - 1) for words in said], dtype=np.float32)
