"""What an adapter version folder holds on disk, and how it is written durably.

A version folder (``v0001``) holds peft's files and a ``manifest.json``
naming the SHA-256 of every other file; a namespace folder holds the
``ACTIVE.json`` pointer. This module reads and checks those files and writes
them crash-safely (temp file or folder, fsync, rename, fsync the parent);
:class:`~.registry.AdapterRegistry` decides what to write when.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from ..errors import AdapterCorruptError
from ..records import utcnow

POINTER = "ACTIVE.json"
COUNTER = ".last-version"
MANIFEST = "manifest.json"
REQUIRED_FILES = ("adapter_config.json", "adapter_model.safetensors")
VERSION_NAME = re.compile(r"^v(\d{4,})$")
"""A version folder's name: ``v`` and at least four digits."""


class AdapterManifest(BaseModel):
    """What is saved next to an adapter's weights."""

    namespace: str
    version: str
    created_at: datetime = Field(default_factory=utcnow)
    passed: bool
    """The evaluation gate's verdict; only passed versions are promoted automatically."""
    reasons: list[str] = Field(default_factory=list)
    """Why the gate rejected it (empty when it passed)."""
    metrics: dict[str, Any] = Field(default_factory=dict)
    train_config: dict[str, Any] = Field(default_factory=dict)
    fact_digests: list[str] = Field(default_factory=list)
    """Ids of the fact versions it was trained on (:func:`~.dataset.fact_digest`)."""
    job_id: str = ""
    files: dict[str, str] = Field(default_factory=dict)
    """SHA-256 of every other file in the folder."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AdapterVersion:
    """One stored adapter version."""

    namespace: str
    version: str
    path: Path
    manifest: AdapterManifest
    active: bool


class Pointer(BaseModel):
    """The content of ``ACTIVE.json``."""

    active: str | None = None
    history: list[str] = Field(default_factory=list)
    """Promoted versions, oldest first; rollback walks back along it."""


def sha256(path: Path) -> str:
    """The hex SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries (renames, new files) to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_files(folder: Path) -> None:
    """Flush every file directly in ``folder``, then the folder itself."""
    for path in folder.iterdir():
        with path.open("rb") as stream:
            os.fsync(stream.fileno())
    fsync_dir(folder)


def write_durable(path: Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` atomically: temp file, fsync, rename, fsync the folder."""
    with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False) as tmp:
        tmp.write(data.encode("utf-8") if isinstance(data, str) else data)
        tmp.flush()
        os.fsync(tmp.fileno())
    os.replace(tmp.name, path)
    fsync_dir(path.parent)


def checksums(folder: Path) -> dict[str, str]:
    """SHA-256 of every file directly in ``folder``, by name."""
    return {p.name: sha256(p) for p in sorted(folder.iterdir()) if p.is_file()}


def read_manifest(path: Path) -> AdapterManifest:
    """The manifest of the version folder ``path`` (files not checked).

    Raises:
        AdapterCorruptError: no manifest, or one that does not parse.
    """
    try:
        return AdapterManifest.model_validate_json((path / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise AdapterCorruptError(
            f"adapter folder {path} has no readable {MANIFEST} ({type(exc).__name__}); "
            "it was not written by the registry or is damaged: delete it or retrain"
        ) from None


def verify_folder(path: Path) -> AdapterManifest:
    """The manifest of the version folder ``path`` if every file matches it.

    Raises:
        AdapterCorruptError: manifest unreadable, a file missing, or a checksum differs.
    """
    manifest = read_manifest(path)
    missing = [name for name in REQUIRED_FILES if name not in manifest.files]
    if missing:
        raise AdapterCorruptError(f"adapter {path} lists no {missing} in its manifest; retrain it")
    for name, expected in manifest.files.items():
        file = path / name
        if not file.is_file() or sha256(file) != expected:
            raise AdapterCorruptError(
                f"adapter file {file} is missing or does not match its manifest checksum; "
                f"roll back (tiermem adapters rollback {manifest.namespace}) or retrain"
            )
    return manifest


def read_pointer(path: Path, namespace: str) -> Pointer:
    """The pointer file ``path`` of ``namespace``; an empty pointer when there is none.

    Raises:
        AdapterCorruptError: the file exists but does not parse.
    """
    try:
        return Pointer.model_validate_json(path.read_text("utf-8"))
    except FileNotFoundError:
        return Pointer()
    except ValueError as exc:
        raise AdapterCorruptError(
            f"{path} is unreadable ({exc.__class__.__name__}); fix it with "
            f"tiermem adapters rollback {namespace} --to VERSION"
        ) from None
