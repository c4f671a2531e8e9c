"""Promotion benchmark: a scripted stream of short-term writes where some content recurs.

Each stream line is ``{"text": ..., "theme": ...}``; messages sharing a
non-empty theme state the same thing in other words (English or Chinese), the
rest are one-offs. Every message is written to the short tier of a fresh
store and passed to the :class:`~tiermem.agents.promotion.Promoter`.

- precision: share of short -> mid promotions that are right (the trigger
  has a theme and at least half of the correlated items share it);
- recall: share of recurring themes promoted at least once, rightly;
- duplicates: right promotions of a theme after its first (confirmations
  are expected instead).

Run it with ``tiermem bench promotion``.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

import numpy as np
from pydantic import BaseModel
from tiermem.agents.promotion import Promoter, PromotionEvent
from tiermem.agents.settings import PromotionSettings
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.errors import InvalidInputError
from tiermem.memory.records import MemoryRecord
from tiermem.memory.store import TierStore

from .gate import BENCH_TIME

STEP = timedelta(minutes=20)
"""Time between two messages of the stream (the whole stream stays inside the 24 h TTL)."""


class StreamItem(BaseModel):
    """One message of a promotion stream."""

    text: str
    theme: str = ""


class PromotionReport(BaseModel):
    """Figures of one run over a stream."""

    data: str
    similarity_threshold: float
    min_correlated: int
    n: int
    themes: int
    promotions: int
    right: int
    precision: float
    recall: float
    duplicates: int
    confirmations: int
    to_long: int
    """Mid -> long promotions (a memory confirmed often enough)."""
    p50_ms: float
    """Median promotion time per short-term write."""


def load_stream(path: str | Path) -> list[StreamItem]:
    """Read a stream JSONL file.

    Raises:
        InvalidInputError: the file is missing or a line is not a stream item.
    """
    path = Path(path)
    if not path.is_file():
        raise InvalidInputError(f"no promotion stream at {str(path)!r}; pass a JSONL file of {{text, theme}}")
    try:
        return [StreamItem.model_validate(json.loads(line)) for line in path.open(encoding="utf-8") if line.strip()]
    except ValueError as exc:
        raise InvalidInputError(f"{path}: not a promotion stream ({str(exc).splitlines()[0]})") from None


def score_events(items: Sequence[StreamItem], ids: Sequence[str], events: Sequence[PromotionEvent]) -> dict[str, int]:
    """Count right, wrong and duplicate promotions (see the module docstring)."""
    theme_of = {record_id: item.theme for record_id, item in zip(ids, items, strict=True)}
    promoted_themes: set[str] = set()
    right = duplicates = promotions = 0
    for event in events:
        if event.kind != "short->mid":
            continue
        promotions += 1
        theme = theme_of.get(event.trigger_id, "")
        others = [theme_of.get(s, "") for s in event.source_ids if s != event.trigger_id]
        if theme and others and sum(t == theme for t in others) * 2 >= len(others):
            right += 1
            duplicates += theme in promoted_themes
            promoted_themes.add(theme)
    return {"promotions": promotions, "right": right, "duplicates": duplicates, "themes_hit": len(promoted_themes)}


def run_stream(
    items: Sequence[StreamItem], embedder: BaseEmbedder, settings: PromotionSettings, *, data: str = ""
) -> PromotionReport:
    """Write the stream into a fresh temporary store, promoting as it goes, and score it."""
    events: list[PromotionEvent] = []
    ids: list[str] = []
    ms: list[float] = []
    with tempfile.TemporaryDirectory(prefix="tiermem-promotion-") as folder:
        store = TierStore.open(folder, embedder)
        promoter = Promoter(store, embedder, settings)
        for step, item in enumerate(items):
            now = BENCH_TIME + step * STEP
            record = MemoryRecord(
                namespace="bench", tier="short", text=item.text, created_at=now, expires_at=now + timedelta(hours=24)
            )
            store.write([record])
            ids.append(record.id)
            start = time.perf_counter()
            events += promoter.on_write("bench", [record.id], now)
            ms.append((time.perf_counter() - start) * 1000)
    counts = score_events(items, ids, events)
    sizes: dict[str, int] = {}
    for item in items:
        if item.theme:
            sizes[item.theme] = sizes.get(item.theme, 0) + 1
    recurring = [t for t, size in sizes.items() if size > settings.min_correlated]
    return PromotionReport(
        data=data,
        similarity_threshold=settings.similarity_threshold,
        min_correlated=settings.min_correlated,
        n=len(items),
        themes=len(recurring),
        promotions=counts["promotions"],
        right=counts["right"],
        precision=round(counts["right"] / counts["promotions"], 4) if counts["promotions"] else 0.0,
        recall=round(counts["themes_hit"] / len(recurring), 4) if recurring else 0.0,
        duplicates=counts["duplicates"],
        confirmations=sum(e.kind == "confirm" for e in events),
        to_long=sum(e.kind == "mid->long" for e in events),
        p50_ms=round(float(np.percentile(ms, 50)), 3) if ms else 0.0,
    )
