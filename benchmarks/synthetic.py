"""Synthetic but realistic memories for the latency benchmark.

Record ``i`` of a stream is a pure function of ``(seed, stream, i)``, so any
prefix of a stream can be rebuilt cheaply and the embeddings of a stream are
computed once and cached in chunks (:func:`vectors`): the 1k, 10k, 100k and
1M stores of one benchmark run share their first rows, and a later run reuses
the embeddings instead of spending an hour of CPU on them again.

Texts mix English and Chinese (about one in four) across the tiers the gate
writes: short-term moods and activities (alive, with a 24 h TTL), mid-term
measurements and plans (facts with many versions), long-term identity and
relationships (facts about the user and about named people).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path

import numpy as np
import yaml
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.models import cache_dir
from tiermem.memory.records import Fact, MemoryRecord, Tier

BENCH_NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
"""The fixed "now" of every synthetic store (records lie before it)."""
CHUNK = 8192
"""Rows per cached embedding chunk."""
GENERATOR_VERSION = 1
"""Bump when the texts change, so cached embeddings of older texts are not reused."""
TIER_MIX: tuple[tuple[Tier, float], ...] = (("short", 0.15), ("mid", 0.5), ("long", 0.35))

_VOCAB = yaml.safe_load(resources.files("tiermem.benchmarks").joinpath("data/synthetic_vocab.yaml").read_text("utf-8"))
NAMES, ZH_NAMES = _VOCAB["names"], _VOCAB["zh_names"]
CITIES, ZH_CITIES = _VOCAB["cities"], _VOCAB["zh_cities"]
FOODS, ZH_FOODS, DISHES, JOBS = _VOCAB["foods"], _VOCAB["zh_foods"], _VOCAB["dishes"], _VOCAB["jobs"]
MOODS, ZH_MOODS = _VOCAB["moods"], _VOCAB["zh_moods"]
PLACES, ZH_PLACES = _VOCAB["places"], _VOCAB["zh_places"]
EVENTS, ZH_EVENTS, PETS = _VOCAB["events"], _VOCAB["zh_events"], _VOCAB["pets"]
WHEN, TAILS, ZH_WHEN, ZH_TAILS = _VOCAB["when"], _VOCAB["tails"], _VOCAB["zh_when"], _VOCAB["zh_tails"]


def _detail(r: random.Random, zh: bool) -> str:
    """A trailing clause (time, company, aside) that makes texts as varied as real ones."""
    if zh:
        parts = [r.choice(ZH_WHEN), f"和{r.choice(ZH_NAMES)}一起" if r.random() < 0.3 else "", r.choice(ZH_TAILS)]
        tail = "，".join(p for p in parts if p)
        return f"，{tail}" if tail else ""
    parts = [r.choice(WHEN), f"with {r.choice(NAMES)}" if r.random() < 0.3 else "", r.choice(TAILS)]
    tail = ", ".join(p for p in parts if p)
    return f", {tail}" if tail else ""


def _fact(attribute: str, value: str, subject: str = "user") -> tuple[str, str, str]:
    return subject, attribute, value


def _short(r: random.Random, zh: bool) -> tuple[str, None]:
    if zh:
        return r.choice(
            [
                f"我现在在{r.choice(ZH_PLACES)}",
                f"今天心情{r.choice(ZH_MOODS)}",
                f"这次对话请用{r.choice(['表格', '要点', '英文', '简短的话'])}回答我",
                f"刚和{r.choice(ZH_NAMES)}吃完{r.choice(['火锅', '饺子', '面条', '烧烤'])}",
            ]
        ) + _detail(r, zh), None
    return r.choice(
        [
            f"I'm at {r.choice(PLACES)} right now",
            f"Feeling {r.choice(MOODS)} today",
            f"In this chat please answer in {r.choice(['a table', 'bullet points', 'French', 'one line'])}",
            f"Just had {r.choice(DISHES)} with {r.choice(NAMES)}",
            f"Waiting for {r.choice(NAMES)} at {r.choice(PLACES)}",
        ]
    ) + _detail(r, zh), None


def _mid(r: random.Random, zh: bool) -> tuple[str, tuple[str, str, str]]:
    kg = f"{r.uniform(42, 110):.1f}"
    hours = f"{r.uniform(3, 10):.1f}"
    if zh:
        event, city = r.choice(ZH_EVENTS), r.choice(ZH_CITIES)
        return r.choice(
            [
                (f"今天称重{kg}kg", _fact("weight", f"{kg} kg")),
                (f"昨晚睡了{hours}个小时", _fact("sleep", f"{hours} h")),
                (f"下周三有{event}", _fact("plan", f"下周三{event}")),
                (f"下个月要去{city}出差", _fact("trip", city)),
            ]
        )
    name, event, day = r.choice(NAMES), r.choice(EVENTS), r.randint(1, 28)
    pressure = f"{r.randint(105, 150)}/{r.randint(65, 95)}"
    # most measurements are of the user's family and friends, so no one key dominates
    who, whose, subject = ("I", "My", "user") if r.random() < 0.3 else (name, f"{name}'s", name.lower())
    choices = [
        (f"{who} weighed {kg} kg this morning", _fact("weight", f"{kg} kg", subject)),
        (f"{who} slept {hours} hours last night", _fact("sleep", f"{hours} h", subject)),
        (f"{whose} blood pressure was {pressure} today", _fact("blood_pressure", pressure, subject)),
        (f"I have a {event} on the {day}th", _fact("plan", f"{event} on the {day}th")),
        (f"{name} is visiting from {r.choice(CITIES)} next month", _fact("visit", r.choice(CITIES), name.lower())),
        (
            f"I'm on a {r.choice(['low-carb', 'vegan', 'keto', 'no-sugar'])} diet "
            f"until {r.choice(['July', 'the wedding', 'spring'])}",
            _fact("diet", "temporary diet"),
        ),
        (f"{name} has a {event} on the {day}th", _fact("plan", f"{event} on the {day}th", name.lower())),
    ]
    return r.choice(choices)


def _long(r: random.Random, zh: bool) -> tuple[str, tuple[str, str, str]]:
    name = r.choice(NAMES)
    if zh:
        zh_name, city = r.choice(ZH_NAMES), r.choice(ZH_CITIES)
        return r.choice(
            [
                (f"我住在{city}", _fact("lives_in", city)),
                (f"我对{r.choice(ZH_FOODS)}过敏", _fact("allergy", r.choice(ZH_FOODS))),
                (f"我老婆叫{zh_name}", _fact("wife_name", zh_name)),
                (f"我的生日是{r.randint(1, 12)}月{r.randint(1, 28)}日", _fact("birthday", "生日")),
                (f"我每周{r.choice('一二三四五六日')}都去游泳", _fact("habit", "游泳")),
            ]
        )
    food, city, job = r.choice(FOODS), r.choice(CITIES), r.choice(JOBS)
    return r.choice(
        [
            (f"I live in {city}", _fact("lives_in", city)),
            (f"I'm allergic to {food}", _fact("allergy", food)),
            (f"I work as a {job}", _fact("job", job)),
            (f"My sister {name} lives in {city}", _fact("lives_in", city, name.lower())),
            (
                f"{name} is my {r.choice(['brother', 'cousin', 'best friend', 'manager', 'neighbour'])}",
                _fact("relation", "known", name.lower()),
            ),
            (f"My {r.choice(PETS)} is called {r.choice(NAMES)}", _fact("pet_name", name)),
            (
                f"{name}'s birthday is on {r.choice(['March', 'May', 'August', 'October'])} {r.randint(1, 28)}",
                _fact("birthday", "known", name.lower()),
            ),
            (
                f"I always have {r.choice(DISHES)} on {r.choice(['Fridays', 'Sundays', 'my birthday'])}",
                _fact("habit", "weekly dish"),
            ),
            (f"{name} works as a {job} in {city}", _fact("job", job, name.lower())),
        ]
    )


def record(seed: int, stream: str, index: int, namespace: str) -> MemoryRecord:
    """Synthetic memory ``index`` of ``stream`` (deterministic), stored under ``namespace``."""
    r = random.Random(f"{seed}:{stream}:{index}")
    pick = r.random()
    tier: Tier = "long"
    for name, share in TIER_MIX:
        if pick < share:
            tier = name
            break
        pick -= share
    zh = r.random() < 0.25
    if tier == "short":
        created = BENCH_NOW - timedelta(minutes=r.uniform(1, 20 * 60))
        text, _ = _short(r, zh)
        return MemoryRecord(
            namespace=namespace,
            tier=tier,
            text=text,
            created_at=created,
            expires_at=created + timedelta(hours=24),
            importance=0.3,
            thread_id=f"t{index % 97}",
        )
    created = BENCH_NOW - timedelta(days=r.uniform(0, 730))
    text, (subject, attribute, value) = _mid(r, zh) if tier == "mid" else _long(r, zh)
    text += _detail(r, zh)
    fact = Fact(subject=subject, attribute=attribute, value=value, observed_at=created, statement=text)
    return MemoryRecord(
        namespace=namespace,
        tier=tier,
        text=text,
        kind="fact",
        fact=fact,
        created_at=created,
        importance=0.6 if tier == "mid" else 0.8,
        thread_id=f"t{index % 97}",
    )


def records(seed: int, stream: str, start: int, stop: int, namespace: str | None = None) -> Iterator[MemoryRecord]:
    """Records ``start..stop`` of ``stream``; ``namespace=None`` spreads them over
    300 users (``user-000`` ... ``user-299``)."""
    for index in range(start, stop):
        yield record(seed, stream, index, namespace or f"user-{index % 300:03d}")


def vector_cache(embedder: BaseEmbedder, seed: int, stream: str) -> Path:
    """Folder of the cached embedding chunks of one stream and embedder."""
    digest = hashlib.blake2b(embedder.signature.encode(), digest_size=6).hexdigest()
    return cache_dir() / "bench" / f"{stream}-s{seed}-g{GENERATOR_VERSION}-{digest}"


def vectors(embedder: BaseEmbedder, seed: int, stream: str, start: int, stop: int) -> np.ndarray:
    """Embeddings of records ``start..stop`` of ``stream``, each computed once and cached.

    The cache holds one file per :data:`CHUNK` rows; a file grows as later rows
    of its chunk are asked for, so a small run embeds only what it uses.
    """
    folder = vector_cache(embedder, seed, stream)
    folder.mkdir(parents=True, exist_ok=True)
    parts = [np.zeros((0, embedder.dim), dtype=np.float32)]
    for chunk in range(start // CHUNK, -(-stop // CHUNK)):
        lo, path = chunk * CHUNK, folder / f"{chunk:05d}.npy"
        need = min(stop - lo, CHUNK)
        block = np.load(path, mmap_mode="r") if path.exists() else parts[0]
        if len(block) < need:
            texts = [record(seed, stream, i, "x").text for i in range(lo + len(block), lo + need)]
            block = np.concatenate([np.asarray(block), embedder.encode(texts)])
            tmp = path.with_suffix(".tmp.npy")
            np.save(tmp, block)
            tmp.replace(path)
        parts.append(np.asarray(block[max(start - lo, 0) : need]))
    return np.concatenate(parts)
