"""Versioned adapters per namespace on disk, atomic promotion, rollback.

Layout under the registry root::

    <namespace>/
      v0001/                adapter_config.json, adapter_model.safetensors, manifest.json
      v0002/
      .staging-<random>/    being written; never listed, never loaded
      ACTIVE.json           {"active": "v0002", "history": ["v0001", "v0002"]}
      .last-version         the highest version number ever used (never reused)
      .lock

A version is written into a staging folder, every file fsynced, the
manifest (with each file's SHA-256) written last, then the folder is
renamed into place: a crash leaves a staging folder, never a half-written
version. Promotion rewrites ``ACTIVE.json`` the same way (temp file, fsync,
``os.replace``). A version whose files do not match its manifest is never
returned as loadable. Writers serialise on an ``flock`` of ``.lock``, so
several processes may share one registry.

Example:
    >>> registry = AdapterRegistry(Path(".tiermem/adapters"))
    >>> version = registry.save("alice", trained.model.save_pretrained, passed=True)
    >>> registry.promote("alice", version.version)
    >>> registry.active("alice").path
"""

from __future__ import annotations

import fcntl
import logging
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import AdapterCorruptError, ConfigError, NotFoundError
from ..records import validate_namespace
from .manifest import (
    COUNTER,
    MANIFEST,
    POINTER,
    VERSION_NAME,
    AdapterManifest,
    AdapterVersion,
    Pointer,
    checksums,
    fsync_dir,
    fsync_files,
    read_manifest,
    read_pointer,
    verify_folder,
    write_durable,
)

__all__ = ["POINTER", "AdapterManifest", "AdapterRegistry", "AdapterVersion"]


log = logging.getLogger(__name__)


class AdapterRegistry:
    """Adapter versions of every namespace under one root folder.

    Args:
        root: the registry folder (created on first write).
    """

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    # -- reading --------------------------------------------------------------------------

    def namespaces(self) -> list[str]:
        """Namespaces with at least one stored version."""
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if p.is_dir() and self._numbers(p.name))

    def versions(self, namespace: str) -> list[AdapterVersion]:
        """Every readable version of ``namespace``, oldest first (checksums not verified)."""
        folder = self._folder(namespace)
        active = self._pointer_to_replace(namespace).active
        found = []
        for number in self._numbers(namespace):
            name = f"v{number:04d}"
            try:
                manifest = read_manifest(folder / name)
            except AdapterCorruptError:
                continue
            found.append(
                AdapterVersion(
                    namespace=namespace, version=name, path=folder / name, manifest=manifest, active=name == active
                )
            )
        return found

    def unchanged(self, version: AdapterVersion) -> bool:
        """Whether ``version``'s folder still holds the adapter it was read as (not purged, nor
        replaced by a later save under the same name)."""
        try:
            return read_manifest(version.path).created_at == version.manifest.created_at
        except (AdapterCorruptError, OSError):
            return False

    def unreadable(self, namespace: str) -> list[str]:
        """Version folders whose manifest cannot be read: never listed nor loaded, and not known
        to be free of any fact (a forget purges them)."""
        readable = {v.version for v in self.versions(namespace)}
        return [name for n in self._numbers(namespace) if (name := f"v{n:04d}") not in readable]

    def clear_staging(self, namespace: str) -> list[str]:
        """Delete the staging folders a killed save left (weights, maybe of a forgotten fact).

        Call it only where no save of ``namespace`` can be running: the worker holding the
        namespace's job. Returns the folders removed."""
        folder = self._folder(namespace)
        left = sorted(p for p in folder.glob(".staging-*") if p.is_dir()) if folder.is_dir() else []
        for path in left:
            shutil.rmtree(path, ignore_errors=True)
        return [p.name for p in left]

    def get(self, namespace: str, version: str) -> AdapterVersion:
        """A version whose files all match its manifest.

        Raises:
            NotFoundError: no such version.
            AdapterCorruptError: files missing, checksums differ, or the manifest names another namespace.
        """
        path = self._folder(namespace) / version
        if not VERSION_NAME.match(version) or not path.is_dir():
            known = ", ".join(v.version for v in self.versions(namespace)) or "none"
            raise NotFoundError(f"no adapter version {version!r} for namespace {namespace!r} (known: {known})")
        manifest = self.verify(path)
        if manifest.namespace != namespace:  # e.g. "Alice" and "alice" share a folder on a case-insensitive disk
            raise AdapterCorruptError(
                f"adapter {path} was trained for namespace {manifest.namespace!r}, not {namespace!r}; it is "
                "never served to another user (on a case-insensitive file system, keep user ids distinct "
                "ignoring case, or give each a registry of its own)"
            )
        return AdapterVersion(
            namespace=namespace,
            version=version,
            path=path,
            manifest=manifest,
            active=self._pointer_to_replace(namespace).active == version,
        )

    def active(self, namespace: str) -> AdapterVersion | None:
        """The verified active version of ``namespace``, or ``None`` (serve the base model).

        Raises:
            AdapterCorruptError: the active version's files were damaged after promotion.
        """
        name = self._pointer(namespace).active
        return None if name is None else self.get(namespace, name)

    def active_name(self, namespace: str) -> str | None:
        """The active version's name from the pointer alone (cheap; nothing verified)."""
        return self._pointer(namespace).active

    def verify(self, path: Path) -> AdapterManifest:
        """The manifest of the version folder ``path`` if every file matches it.

        Raises:
            AdapterCorruptError: manifest unreadable, a file missing, or a checksum differs.
        """
        return verify_folder(path)

    # -- writing --------------------------------------------------------------------------

    def save(
        self,
        namespace: str,
        write: Callable[[Path], object],
        *,
        passed: bool,
        reasons: Iterable[str] = (),
        metrics: dict[str, Any] | None = None,
        train_config: dict[str, Any] | None = None,
        fact_digests: Iterable[str] = (),
        job_id: str = "",
    ) -> AdapterVersion:
        """Store a new version durably; it is not made active (see :meth:`promote`).

        Args:
            write: writes the adapter files into the folder it is given
                (e.g. ``peft_model.save_pretrained``).
        """
        folder = self._folder(namespace)
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder))
        try:
            write(staging)
            files = checksums(staging)
            with self._locked(namespace):
                name = f"v{self._next_number(namespace):04d}"
                manifest = AdapterManifest(
                    namespace=namespace,
                    version=name,
                    passed=passed,
                    reasons=list(reasons),
                    metrics=metrics or {},
                    train_config=train_config or {},
                    fact_digests=list(fact_digests),
                    job_id=job_id,
                    files=files,
                )
                (staging / MANIFEST).write_text(manifest.model_dump_json(indent=2), encoding="utf-8")
                fsync_files(staging)
                staging.rename(folder / name)
                fsync_dir(folder)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return AdapterVersion(namespace=namespace, version=name, path=folder / name, manifest=manifest, active=False)

    def promote(self, namespace: str, version: str, *, force: bool = False) -> AdapterVersion:
        """Make ``version`` the active adapter of ``namespace`` (verified first).

        Raises:
            ConfigError: the version failed the evaluation gate and ``force`` is false.
            AdapterCorruptError: its files do not match its manifest.
        """
        self.get(namespace, version)  # NotFoundError before anything is made for the namespace
        with self._locked(namespace):
            chosen = self.get(namespace, version)
            if not chosen.manifest.passed and not force:
                raise ConfigError(
                    f"adapter {namespace}/{version} failed the evaluation gate "
                    f"({'; '.join(chosen.manifest.reasons)}); pass force=True to promote it anyway"
                )
            pointer = self._pointer_to_replace(namespace)
            history = [v for v in pointer.history if v != version] + [version]
            self._set_pointer(namespace, Pointer(active=version, history=history))
        return self.get(namespace, version)

    def rollback(self, namespace: str, to: str | None = None) -> AdapterVersion | None:
        """Activate the previously promoted version (or ``to``); ``None`` means the base model.

        Raises:
            NotFoundError: ``to`` does not exist.
        """
        if to is not None:
            return self.promote(namespace, to, force=True)
        if not self._folder(namespace).is_dir():  # nothing was ever trained for it: nothing to make
            return None
        with self._locked(namespace):
            pointer = self._pointer_to_replace(namespace)
            history = [v for v in pointer.history if v != pointer.active]
            usable = [v for v in history if self._loadable(namespace, v)]
            target = usable[-1] if usable else None
            self._set_pointer(namespace, Pointer(active=target, history=usable))
        return None if target is None else self.get(namespace, target)

    def deactivate(self, namespace: str) -> None:
        """Serve the base model for ``namespace`` (history is kept for rollback)."""
        with self._locked(namespace):
            pointer = self._pointer_to_replace(namespace)
            self._set_pointer(namespace, Pointer(active=None, history=pointer.history))

    def purge(self, namespace: str, versions: Iterable[str]) -> list[str]:
        """Delete ``versions`` from disk and from the rollback history (forgetting).

        The active version may be purged; the namespace then falls back to the base model.
        Returns the versions removed.
        """
        doomed = set(versions)
        removed = []
        with self._locked(namespace):
            pointer = self._pointer_to_replace(namespace)
            active = None if pointer.active in doomed else pointer.active
            history = [v for v in pointer.history if v not in doomed]
            self._set_pointer(namespace, Pointer(active=active, history=history))
            for name in sorted(doomed):
                path = self._folder(namespace) / name
                if VERSION_NAME.match(name) and path.is_dir():
                    shutil.rmtree(path)
                    removed.append(name)
        return removed

    # -- internals ------------------------------------------------------------------------

    def _folder(self, namespace: str) -> Path:
        return self.root / validate_namespace(namespace)

    def _numbers(self, namespace: str) -> list[int]:
        folder = self.root / namespace
        if not folder.is_dir():
            return []
        return sorted(int(m.group(1)) for p in folder.iterdir() if (m := VERSION_NAME.match(p.name)))

    def _next_number(self, namespace: str) -> int:
        """One past every number ever used, purged ones included: a name is never reused,
        so a cached ``(namespace, version)`` always means the same weights."""
        counter = self._folder(namespace) / COUNTER
        try:
            last = int(counter.read_text().strip() or 0) if counter.exists() else 0
        except (ValueError, OSError):  # damaged: the folders' numbers and the purged ones' gap are all that is known
            log.warning("namespace %s: %s is unreadable; numbering after the stored versions", namespace, counter)
            last = 0
        used = [*self._numbers(namespace), last]
        number = max(used) + 1
        write_durable(counter, str(number))
        return number

    def _loadable(self, namespace: str, version: str) -> bool:
        try:
            self.get(namespace, version)
        except (AdapterCorruptError, NotFoundError):
            return False
        return True

    def _pointer(self, namespace: str) -> Pointer:
        return read_pointer(self._folder(namespace) / POINTER, namespace)

    def _pointer_to_replace(self, namespace: str) -> Pointer:
        """The pointer, or an empty one where the file is unreadable: promoting, rolling back,
        deactivating and purging write a new one (the way to repair it), and a listing shows no
        version active."""
        try:
            return self._pointer(namespace)
        except AdapterCorruptError as exc:
            log.warning("namespace %s: %s; it is replaced (no rollback history)", namespace, exc)
            return Pointer()

    def _set_pointer(self, namespace: str, pointer: Pointer) -> None:
        write_durable(self._folder(namespace) / POINTER, pointer.model_dump_json())

    @contextmanager
    def _locked(self, namespace: str) -> Iterator[None]:
        folder = self._folder(namespace)
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / ".lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def describe(self, namespace: str | None = None) -> list[dict[str, Any]]:
        """One row per version of ``namespace`` (default: of every namespace), for listings;
        ``intact`` is false where a file is missing or differs from the manifest's checksum, or
        the manifest cannot be read (such a version is never loaded, nor rolled back to)."""
        namespaces = self.namespaces() if namespace is None else [validate_namespace(namespace)]
        unreadable = [
            {"namespace": ns, "version": name, "active": False, "intact": False, "passed": False, "reasons": []}
            for ns in namespaces
            for name in self.unreadable(ns)
        ]
        return sorted([*self._described(namespaces), *unreadable], key=lambda row: (row["namespace"], row["version"]))

    def _described(self, namespaces: list[str]) -> list[dict[str, Any]]:
        return [
            {
                "namespace": v.namespace,
                "version": v.version,
                "active": v.active,
                "intact": self._loadable(v.namespace, v.version),
                "passed": v.manifest.passed,
                "created_at": v.manifest.created_at.isoformat(timespec="seconds"),
                "reasons": v.manifest.reasons,
                **{k: v.manifest.metrics[k] for k in _LISTED if k in v.manifest.metrics},
            }
            for ns in namespaces
            for v in self.versions(ns)
        ]


_LISTED = ("facts", "exact_recall", "paraphrase_recall", "controls_changed", "ppl_increase_pct", "train_s")
"""Metrics shown by :meth:`AdapterRegistry.describe`."""
