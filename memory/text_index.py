"""Full-text search in memory, tokenized and scored as Lance's full-text index does.

The store's full-text index (Lance's inverted index, :data:`TOKENIZER`) answers
the full-text searches of namespaces the read cache does not hold. For those it
holds, :class:`Postings` keeps each block's tokens (from ``lance.tokenize``, the
index's own tokenizer with the index's settings) and :func:`bm25_top` scores
them with Lance's BM25 (``k1`` 1.2, ``b`` 0.75, idf ``ln(1 + (N - df + 0.5) /
(df + 0.5))``). The statistics (``N``, document frequencies, mean length) are
the namespace's own rows: a user's ranking never depends on other users'
memories. Where a namespace is the whole table they are the index's, and the
scores equal Lance's (``tests/memory/test_text_index.py``).

Tokenizing costs about 0.6 ms of setup per ``lance.tokenize`` call and 5 us per
text after it, so many texts are tokenized in one call, joined by :data:`_BREAK`,
and the recent texts' tokens are remembered.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import lance
import numpy as np

_STOP_WORDS = """
i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself
it its itself they them their theirs themselves what which who whom this that these those am is are was were be
been being have has had having do does did doing a an the and but if or because as until while of at by for with
about against between into through during before after above below to from up down in out on off over under again
further then once here there when where why how all any both each few more most other some such no nor not only
own same so than too very s t can will just don should now
的 了 是 在 我 你 他 她 它 们 我们 这 那 与 就 也 吗 呢 吧 啊 为 对 从 到 把 被 让 给
"""
STOP_WORDS: tuple[str, ...] = tuple(_STOP_WORDS.split())
"""Words neither indexed nor searched: NLTK's English list and Chinese function words. Named
rather than Lance's default: its index drops more words than ``lance.tokenize`` does ("cats",
"dogs", "cities", "今天": a search for them found nothing), so the index and the in-memory
search would disagree."""
TOKENIZER: dict[str, Any] = {"base_tokenizer": "icu", "custom_stop_words": list(STOP_WORDS)}
"""The full-text index's tokenizer settings (ICU word breaks: Chinese and English; Lance's
defaults otherwise: lower case, English stemming, ASCII folding), :data:`STOP_WORDS`."""
K1 = 1.2
B = 0.75
_BREAK = "tiermemtextbreak"
"""A token between the texts tokenized together (no stop word, unchanged by stemming)."""


RECENT_TEXTS = 1_024
"""Texts whose tokens are remembered: a turn tokenizes its message for its working-memory row,
for the memory the gate keeps and for its search, and each call costs 0.6 ms of setup."""
FEW_TEXTS = 8
"""Up to this many texts are tokenized one by one (through the remembered ones); more in one call."""
CALL_TEXTS = 1_024
"""Texts tokenized in one call at most: a call holds the GIL until it returns (50k texts: 0.7 s
in which no other thread ran), 1,024 of them about 15 ms."""


@lru_cache(maxsize=RECENT_TEXTS)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(token.text for token in lance.tokenize(text, **TOKENIZER))


def tokenizes_as_configured(details: Mapping[str, Any] | None) -> bool:
    """Whether a full-text index with these ``index_details`` was built with :data:`TOKENIZER`."""
    return details is not None and all(details.get(name) == value for name, value in TOKENIZER.items())


def tokenize(text: str) -> list[str]:
    """``text``'s tokens as the full-text index sees them."""
    return list(_tokens(text))


def tokenize_many(texts: Sequence[str]) -> list[list[str]]:
    """Each text's tokens: a few through :func:`tokenize`, many in one tokenizer call (a text that
    holds :data:`_BREAK` itself alone)."""
    if len(texts) <= FEW_TEXTS:
        return [tokenize(text) for text in texts]
    holds_break = [_BREAK in text.lower() for text in texts]
    alone = [i for i, holds in enumerate(holds_break) if holds]
    together = [i for i, holds in enumerate(holds_break) if not holds]
    docs: list[list[str]] = []
    for start in range(0, len(together), CALL_TEXTS):  # each call holds the GIL throughout
        chunk = together[start : start + CALL_TEXTS]
        chunk_docs: list[list[str]] = [[]]
        for token in lance.tokenize(f" {_BREAK} ".join(texts[i] for i in chunk), **TOKENIZER):
            if token.text == _BREAK:
                chunk_docs.append([])
            else:
                chunk_docs[-1].append(token.text)
        if len(chunk_docs) != len(chunk):  # the break token came out of another spelling (case, accents)
            return [tokenize(text) for text in texts]
        docs += chunk_docs
    found = dict(zip(together, docs, strict=True)) | {i: tokenize(texts[i]) for i in alone}
    return [found[i] for i in range(len(texts))]


@dataclass(frozen=True, slots=True)
class Postings:
    """The tokens of some rows: for each posting (a token in a row) its term, row and count,
    sorted by term; each row's length in tokens."""

    vocabulary: dict[str, int]
    terms: np.ndarray
    rows: np.ndarray
    counts: np.ndarray
    lengths: np.ndarray

    @classmethod
    def of(cls, texts: Sequence[str]) -> Postings:
        """The postings of ``texts`` (row ``i`` is ``texts[i]``)."""
        vocabulary: dict[str, int] = {}
        docs = tokenize_many(texts)
        ids = [vocabulary.setdefault(token, len(vocabulary)) for doc in docs for token in doc]
        lengths = np.fromiter((len(doc) for doc in docs), dtype=np.int64, count=len(docs))
        rows = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
        return cls._counted(vocabulary, np.asarray(ids, dtype=np.int64), rows, np.ones(len(ids)), lengths)

    @classmethod
    def _counted(
        cls, vocabulary: dict[str, int], terms: np.ndarray, rows: np.ndarray, counts: np.ndarray, lengths: np.ndarray
    ) -> Postings:
        """Postings of (term, row, count) triples, a (term, row) pair maybe repeated: summed, sorted."""
        width = max(len(lengths), 1)
        unique, where = np.unique(terms * width + rows, return_inverse=True)
        summed = np.bincount(where, weights=counts, minlength=len(unique))
        return cls(
            vocabulary,
            (unique // width).astype(np.int32),
            (unique % width).astype(np.int32),
            summed.astype(np.float32),
            lengths.astype(np.float32),
        )

    @classmethod
    def concat(cls, parts: Sequence[Postings]) -> Postings:
        """The postings of the rows of ``parts``, one after another."""
        vocabulary: dict[str, int] = {}
        terms, rows, counts = [], [], []
        offset = 0
        for part in parts:
            mapping = np.fromiter(
                (vocabulary.setdefault(token, len(vocabulary)) for token in part.vocabulary),
                dtype=np.int64,
                count=len(part.vocabulary),
            )
            terms.append(mapping[part.terms] if len(part.terms) else np.zeros(0, np.int64))
            rows.append(part.rows.astype(np.int64) + offset)
            counts.append(part.counts)
            offset += len(part.lengths)
        lengths = np.concatenate([part.lengths for part in parts]) if parts else np.zeros(0, np.float32)
        joined = [np.concatenate(c) if c else np.zeros(0) for c in (terms, rows, counts)]
        return cls._counted(vocabulary, joined[0].astype(np.int64), joined[1].astype(np.int64), joined[2], lengths)

    def keep(self, rows: np.ndarray) -> Postings:
        """The postings of the rows at ``rows`` (ascending positions), renumbered in that order."""
        new = np.full(len(self.lengths), -1, dtype=np.int64)
        new[rows] = np.arange(len(rows))
        kept = new[self.rows] >= 0
        return Postings(
            self.vocabulary,
            self.terms[kept],
            new[self.rows[kept]].astype(np.int32),
            self.counts[kept],
            self.lengths[rows],
        )

    def matches(self, token: str) -> tuple[np.ndarray, np.ndarray]:
        """The rows holding ``token`` and how often each does."""
        term = self.vocabulary.get(token)
        if term is None:
            return np.zeros(0, np.int32), np.zeros(0, np.float32)
        start, end = np.searchsorted(self.terms, [term, term + 1])
        return self.rows[start:end], self.counts[start:end]


def bm25_top(
    blocks: Sequence[tuple[Postings, np.ndarray, np.ndarray]], tokens: Sequence[str], k: int
) -> list[tuple[int, int, float]]:
    """The best ``k`` rows for the query ``tokens`` by BM25 over ``blocks`` (each its postings, the
    rows that are there, and those of them to search), as ``(block, row, score)``, best first.

    The statistics count every row that is there (as an index counts every row it holds,
    whatever a search's filter); only the rows to search are returned.
    """
    documents = sum(int(there.sum()) for _, there, _ in blocks)
    if not documents or not tokens:
        return []
    mean_length = sum(float(p.lengths[there].sum()) for (p, there, _) in blocks) / documents
    if not mean_length:  # no row holds a token
        return []
    matched: list[tuple[float, list[tuple[np.ndarray, np.ndarray]]]] = []  # per token: idf, rows per block
    for token in dict.fromkeys(tokens):
        found = []
        for postings, there, _ in blocks:
            rows, counts = postings.matches(token)
            live = there[rows]
            found.append((rows[live], counts[live]))
        frequency = sum(len(rows) for rows, _ in found)
        matched.append((math.log((documents - frequency + 0.5) / (frequency + 0.5) + 1.0), found))
    best: list[tuple[int, int, float]] = []
    for index, (postings, _, searched) in enumerate(blocks):
        scores = np.zeros(len(postings.lengths), dtype=np.float64)
        norm = K1 * (1.0 - B + B * postings.lengths / mean_length)
        for idf, found in matched:
            rows, counts = found[index]
            if len(rows):
                scores[rows] += idf * (K1 + 1.0) * counts / (counts + norm[rows])
        hits = np.flatnonzero((scores > 0) & searched)
        if len(hits) > k:
            hits = hits[np.argpartition(-scores[hits], k - 1)[:k]]
        best.extend((index, int(row), float(scores[row])) for row in hits)
    best.sort(key=lambda hit: -hit[2])
    return best[:k]
