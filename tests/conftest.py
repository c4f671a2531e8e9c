"""Shared fixtures: real components, offline, one thread, loaded once per session."""

from __future__ import annotations

import os

os.environ["OMP_NUM_THREADS"] = "1"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"

import threading  # noqa: E402
from collections.abc import Callable, Iterator, Sequence  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(1)

from tiermem.graphs.config import TierMemConfig  # noqa: E402
from tiermem.graphs.services import Services  # noqa: E402
from tiermem.memory.embeddings import BaseEmbedder, get_embedder  # noqa: E402
from tiermem.memory.store import TierStore  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads a developer's tiermem.toml or TIERMEM_* environment."""
    for key in list(os.environ):
        if key.startswith("TIERMEM_") and key != "TIERMEM_CACHE_DIR":
            monkeypatch.delenv(key)
    monkeypatch.setenv("TIERMEM_CONFIG", str(tmp_path / "absent.toml"))


@pytest.fixture(scope="session")
def embedder() -> BaseEmbedder:
    """The default multilingual embedder, loaded once."""
    return get_embedder("use")


@pytest.fixture
def store(tmp_path: Path, embedder: BaseEmbedder) -> TierStore:
    """A TierStore on a fresh temporary LanceDB directory."""
    return TierStore.open(tmp_path / "db", embedder)


@pytest.fixture
def config(tmp_path: Path) -> TierMemConfig:
    """Default settings on a fresh data dir."""
    return TierMemConfig(data_dir=str(tmp_path / "data"))


@pytest.fixture
def services(config: TierMemConfig) -> Iterator[Services]:
    """Services (store, gate, retriever) on a fresh data dir; the local model loads lazily."""
    with Services(config) as services:
        yield services


@pytest.fixture
def run_writers_and_readers() -> Callable[
    [Sequence[Callable[[], None]], Sequence[Callable[[], None]], threading.Event], None
]:
    """Runs writer and reader threads together: every thread starts, the writers finish, then
    ``done`` is set for the readers (which loop until it is) and they finish."""

    def run(
        writers: Sequence[Callable[[], None]], readers: Sequence[Callable[[], None]], done: threading.Event
    ) -> None:
        threads = [threading.Thread(target=work) for work in [*writers, *readers]]
        for thread in threads:
            thread.start()
        for thread in threads[: len(writers)]:
            thread.join()
        done.set()
        for thread in threads[len(writers) :]:
            thread.join()

    return run
