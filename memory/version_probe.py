"""Whether a table has a newer version than a reader holds: a look for the next version's manifest.

Finding a Lance table's newest version lists its ``_versions`` folder, which
holds one file per version kept: 0.28 us a file, so 1.7 ms at 6,000 versions,
and a turn checks its tables about nine times. Versions are numbered without
gaps, and a commit creates the next number's manifest file at once (a commit
that finds the number taken retries with the one after it). So a reader that
holds version ``v`` of a table in a local folder only looks for the manifest
of ``v + 1``: while there is none, and the manifest of ``v`` is where Lance
names it, ``v`` is the newest and the listing is skipped; after a few commits
it steps from manifest to manifest to the newest. Lance names a
manifest ``{v}.manifest`` or, in its second scheme (newest first when
sorted), ``{2**64 - 1 - v:020}.manifest``; where neither name is found (a
scheme this module does not know) and for a table that is not in a local
folder (``s3://``), every check lists.

Example:
    >>> probe = VersionProbe("/data/.tiermem/short.lance")
    >>> probe.newest_from(41)  # no manifest of version 42 yet: 41 is the newest
    41
"""

from __future__ import annotations

from pathlib import Path

_LAST = 2**64 - 1


def manifest_names(version: int) -> tuple[str, str]:
    """The two names Lance gives the manifest of ``version``."""
    return f"{_LAST - version:020d}.manifest", f"{version}.manifest"


MAX_STEPS = 64
"""Versions stepped through at most before a check lists the folder instead."""


class VersionProbe:
    """Looks for version manifests in one table's ``_versions`` folder.

    Args:
        uri: the table's dataset URI (a local folder, or any other URI: then every check lists).
    """

    def __init__(self, uri: str) -> None:
        self.folder = None if "://" in uri else Path(uri) / "_versions"

    def newest_from(self, version: int) -> int | None:
        """The newest version, found by stepping from ``version`` (held by the caller) while the
        next one's manifest is there; ``None`` when it cannot tell (list the versions instead):
        not a local folder, no manifest of ``version`` under a name Lance gives it, or more
        than :data:`MAX_STEPS` versions since."""
        if self.folder is None or not _has(self.folder, version):
            return None
        newest = version
        while _has(self.folder, newest + 1):
            newest += 1
            if newest - version > MAX_STEPS:
                return None
        return newest


def _has(folder: Path, version: int) -> bool:
    return any((folder / name).exists() for name in manifest_names(version))
