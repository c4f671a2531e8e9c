"""Helpers of the reliability suite: a vocabulary type, data-dir digests, the CLI, subprocesses."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tiermem.memory.concurrency import LOCK_FILE

HERE = Path(__file__).parent
REPO = HERE.parents[1]
TIERMEM = REPO / ".venv" / "bin" / "tiermem"
WORKER = HERE / "worker.py"
"""The subprocess script of the concurrency and crash tests."""

TOPICS = [
    "I weighed {n} kg this morning",
    "my sister {n} lives in Lisbon",
    "I am allergic to peanuts, note {n}",
    "remind me about the dentist on day {n}",
    "今天称重{n}公斤",
    "我住在北京，第{n}条",
    "the password hint is blue-{n}",
    "I slept {n} hours last night",
]


@dataclass(frozen=True)
class Vocabulary:
    """Texts and their real embeddings, computed once, so property tests stay cheap."""

    texts: list[str]
    vectors: np.ndarray

    def vector(self, index: int) -> np.ndarray:
        """The ``(1, dim)`` vector block of text ``index``."""
        return self.vectors[index : index + 1]


def dir_digest(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder`` (by relative path), the commit lock file excepted."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != LOCK_FILE
    }


def files_containing(folder: Path, needle: bytes) -> list[str]:
    """Relative paths of files under ``folder`` whose bytes contain ``needle``."""
    return [str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


def child_env(**extra: str) -> dict[str, str]:
    """Environment of a subprocess: offline, one thread, no developer config."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIERMEM_") or k == "TIERMEM_CACHE_DIR"}
    env.update(OMP_NUM_THREADS="1", HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false", PYTHONUNBUFFERED="1")
    env["TIERMEM_CONFIG"] = str(HERE / "absent.toml")
    env.update(extra)
    return env


def run_cli(*args: str, stdin: bytes | None = None, timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    """Run the installed ``tiermem`` console script."""
    return subprocess.run(
        [str(TIERMEM), *args], input=stdin, capture_output=True, timeout=timeout, env=child_env(), check=False
    )


def start_worker(*args: str) -> subprocess.Popen[bytes]:
    """Start :data:`WORKER` with ``args``; its stdout lists acknowledged ids, one a line."""
    return subprocess.Popen(
        [sys.executable, str(WORKER), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env()
    )
