"""Training examples and recall probes built from a namespace's long-term ledger.

The seed's recipe: the personal value is masked in the prompt (a question
about it, or the user's own sentence with the value blanked out) and the
full statement is the label; the loss is computed on the label tokens only.
Replay examples (the base model's own answers to generic prompts, see
:mod:`.baseline`) are mixed in to hold general behaviour.

Example:
    >>> facts = [Fact(attribute="weight", value="45 kg", statement="I weighed 45 kg today")]
    >>> examples = fact_examples(latest_facts(facts))
    >>> examples[0].messages, examples[0].target
    (({'role': 'user', 'content': 'What is my weight?'},), 'Your weight is 45 kg.')
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import torch

from ..records import Fact
from .templates import (
    ANSWERS,
    BLANK,
    LANGS,
    MASKED_PROMPT,
    PROBE_QUESTIONS,
    TRAIN_QUESTIONS,
    Lang,
    phrases,
)

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

IGNORE_INDEX = -100
"""Label value that cross-entropy skips: prompt and padding positions."""

Paraphraser = Callable[[str], Sequence[str]]
"""Returns alternative wordings of a question (e.g. asked of a chat model)."""

Message = dict[str, str]
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_TOKEN = re.compile(r"\d+(?:[.,:/-]\d+)*|[^\W\d_]+|[^\w\s]")


@dataclass(frozen=True, slots=True, kw_only=True)
class Example:
    """One supervised example: the chat up to the answer, and the answer."""

    messages: tuple[Message, ...]
    target: str
    """The assistant's answer; the only tokens the loss sees."""
    kind: Literal["fact", "replay"]
    key: str
    """The fact key (``user.weight``) or ``replay``."""
    complete: bool = True
    """Whether the target is a whole answer (then the end-of-turn token is a label too)."""


ProbeKind = Literal["exact", "paraphrase"]
"""``exact``: a training wording; ``paraphrase``: a held-out one."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Probe:
    """A recall question and the strict pattern a correct answer must match."""

    messages: tuple[Message, ...]
    pattern: str
    """Regular expression (case-insensitive) for the value, see :func:`value_pattern`."""
    key: str
    kind: ProbeKind
    """``exact``: worded as in training; ``paraphrase``: wording held out of training."""
    lang: Lang


@dataclass(frozen=True, slots=True)
class Encoded:
    """Right-padded token tensors for a list of examples."""

    input_ids: torch.Tensor
    attention_mask: torch.Tensor
    labels: torch.Tensor
    """``input_ids`` with :data:`IGNORE_INDEX` on prompt and padding positions."""


def latest_facts(facts: Iterable[Fact]) -> list[Fact]:
    """The newest version of each fact key, oldest key first."""
    newest: dict[str, Fact] = {}
    for fact in facts:
        known = newest.get(fact.key)
        if known is None or fact.observed_at >= known.observed_at:
            newest[fact.key] = fact
    return sorted(newest.values(), key=lambda fact: (fact.observed_at, fact.key))


def fact_digest(fact: Fact) -> str:
    """A stable id of one fact version (key, value, time), stored with adapters trained on it."""
    raw = f"{fact.key}\x1f{fact.value}\x1f{fact.observed_at.isoformat()}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def value_pattern(value: str) -> str:
    """A strict regex for ``value``: its tokens in order, whole numbers and words only.

    ``45 kg`` matches "45 kg" and "45kg" but not "455 kg" or "1.45 kg".

    Example:
        >>> bool(re.search(value_pattern("45 kg"), "You weigh 455 kg", re.I))
        False
    """
    tokens = _TOKEN.findall(value)
    body = r"\s*".join(re.escape(token) for token in tokens) or re.escape(value)
    head = r"(?<![0-9A-Za-z.])" if re.match(r"[0-9A-Za-z]", value) else ""
    tail = r"(?![0-9A-Za-z])" if re.search(r"[0-9A-Za-z]$", value) else ""
    return head + body + tail


def _user(content: str) -> tuple[Message, ...]:
    return ({"role": "user", "content": content},)


def _masked_statement(fact: Fact) -> Example | None:
    """The seed's example: the user's own sentence with the value blanked out."""
    found = re.search(value_pattern(fact.value), fact.statement, re.IGNORECASE)
    if not fact.statement or found is None:
        return None
    lang: Lang = "zh" if _CJK.search(fact.statement) else "en"
    masked = fact.statement[: found.start()] + BLANK + fact.statement[found.end() :]
    prompt = MASKED_PROMPT[lang].format(masked=masked)
    return Example(messages=_user(prompt), target=fact.statement, kind="fact", key=fact.key)


def fact_examples(
    facts: Sequence[Fact], paraphraser: Paraphraser | None = None, languages: Sequence[Lang] = LANGS
) -> list[Example]:
    """Training examples for ``facts`` (pass :func:`latest_facts` output).

    Every training question is paired with every answer wording of its
    language; the masked statement is added where the statement holds the
    value; a ``paraphraser``'s rewordings of the questions are added unless
    they coincide with a held-out probe.
    """
    examples: list[Example] = []
    for fact in facts:
        probes = {p.messages[0]["content"].casefold() for p in fact_probes([fact], languages)}
        for lang in languages:
            questions = TRAIN_QUESTIONS[lang]
            words = phrases(fact, lang)
            answers = [words.fill(a) for a in ANSWERS[lang]]
            for question in questions:
                asked = [words.fill(question)]
                if paraphraser is not None:
                    asked += [p for p in paraphraser(asked[0]) if p.casefold() not in probes]
                examples += [
                    Example(messages=_user(q), target=a, kind="fact", key=fact.key) for q in asked for a in answers
                ]
        masked = _masked_statement(fact)
        if masked is not None:
            examples.append(masked)
    return examples


def fact_probes(facts: Sequence[Fact], languages: Sequence[Lang] = LANGS) -> list[Probe]:
    """Recall probes: the first training question per language (``exact``) and
    every held-out question (``paraphrase``)."""
    probes: list[Probe] = []
    for fact in facts:
        pattern = value_pattern(fact.value)
        for lang in languages:
            words = phrases(fact, lang)
            asked: list[tuple[ProbeKind, str]] = [("exact", TRAIN_QUESTIONS[lang][0])]
            asked += [("paraphrase", q) for q in PROBE_QUESTIONS[lang]]
            probes += [
                Probe(messages=_user(words.fill(q)), pattern=pattern, key=fact.key, kind=kind, lang=lang)
                for kind, q in asked
            ]
    return probes


def replay_examples(prompts: Sequence[str], answers: Sequence[tuple[str, bool]]) -> list[Example]:
    """Replay examples from the base model's ``(answer, finished)`` to each prompt."""
    return [
        Example(messages=_user(p), target=a, kind="replay", key="replay", complete=done)
        for p, (a, done) in zip(prompts, answers, strict=True)
        if a.strip()
    ]


def prompt_text(tokenizer: PreTrainedTokenizerBase, messages: Sequence[Message]) -> str:
    """The chat-template text up to and including the assistant header."""
    return str(tokenizer.apply_chat_template(list(messages), add_generation_prompt=True, tokenize=False))


def encode_texts(texts: Sequence[str], tokenizer: PreTrainedTokenizerBase) -> Encoded:
    """Tokenise and right-pad plain ``texts`` with no labels (anchor rows)."""
    return _pad(tokenizer, [(tokenizer(t, add_special_tokens=False)["input_ids"], []) for t in texts])


def encode(examples: Sequence[Example], tokenizer: PreTrainedTokenizerBase) -> Encoded:
    """Tokenise, right-pad and mask ``examples``: labels only on the answer tokens.

    Prompt and answer are tokenised apart and concatenated, so the label
    boundary never depends on how the tokenizer merges across it.
    """
    if not examples:
        raise ValueError("encode() needs at least one example; build them with fact_examples()")
    rows: list[tuple[list[int], list[int]]] = []
    for example in examples:
        prompt = tokenizer(prompt_text(tokenizer, example.messages), add_special_tokens=False)
        answer_text = example.target + (tokenizer.eos_token if example.complete else "")
        answer = tokenizer(answer_text, add_special_tokens=False)
        rows.append((prompt["input_ids"], answer["input_ids"]))
    return _pad(tokenizer, rows)


def pad_id(tokenizer: PreTrainedTokenizerBase) -> int:
    """The padding token id (the end-of-text token when the tokenizer has no pad)."""
    return tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id


def _pad(tokenizer: PreTrainedTokenizerBase, rows: Sequence[tuple[list[int], list[int]]]) -> Encoded:
    """Right-pad ``(unlabelled, labelled)`` token-id pairs into tensors."""
    width = max(len(p) + len(a) for p, a in rows)
    input_ids = torch.full((len(rows), width), pad_id(tokenizer), dtype=torch.long)
    labels = torch.full((len(rows), width), IGNORE_INDEX, dtype=torch.long)
    attention_mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, (prompt_ids, answer_ids) in enumerate(rows):
        ids = torch.tensor(prompt_ids + answer_ids, dtype=torch.long)
        input_ids[i, : len(ids)] = ids
        attention_mask[i, : len(ids)] = 1
        labels[i, len(prompt_ids) : len(ids)] = ids[len(prompt_ids) :]
    return Encoded(input_ids=input_ids, attention_mask=attention_mask, labels=labels)
