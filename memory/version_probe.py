"""Whether a table has a newer version than a reader holds: a look for the next version's manifest.

Finding a Lance table's newest version lists its ``_versions`` folder, which
holds one file per version kept: 0.28 us a file, so 1.7 ms at 6,000 versions,
and a turn checks its tables about nine times. Versions are numbered without
gaps, and a commit creates the next number's manifest file at once (a commit
that finds the number taken retries with the one after it). So a reader that
holds version ``v`` of a table in a local folder only looks for the manifest
of ``v + 1``: while there is none, and the manifest of ``v`` is where Lance
names it, ``v`` is the newest and the listing is skipped. Lance names a
manifest ``{v}.manifest`` or, in its second scheme (newest first when
sorted), ``{2**64 - 1 - v:020}.manifest``; where neither name is found (a
scheme this module does not know) and for a table that is not in a local
folder (``s3://``), every check lists.

Example:
    >>> probe = VersionProbe("/data/.tiermem/short.lance")
    >>> probe.newer_than(41)  # False: no version 42 yet, so 41 is the newest
    False
"""

from __future__ import annotations

from pathlib import Path

_LAST = 2**64 - 1


def manifest_names(version: int) -> tuple[str, str]:
    """The two names Lance gives the manifest of ``version``."""
    return f"{_LAST - version:020d}.manifest", f"{version}.manifest"


class VersionProbe:
    """Looks for version manifests in one table's ``_versions`` folder.

    Args:
        uri: the table's dataset URI (a local folder, or any other URI: then every check lists).
    """

    def __init__(self, uri: str) -> None:
        self.folder = None if "://" in uri else Path(uri) / "_versions"

    def newer_than(self, version: int) -> bool:
        """Whether the table may have a version after ``version``; ``True`` when it cannot tell."""
        if self.folder is None:
            return True
        if _has(self.folder, version + 1):
            return True
        return not _has(self.folder, version)  # no manifest of ``version`` either: names it does not know


def _has(folder: Path, version: int) -> bool:
    return any((folder / name).exists() for name in manifest_names(version))
