"""Whether a local table has a new version, from its ``_versions`` folder's modification time.

Finding a Lance table's newest version lists its ``_versions`` folder, which
holds one file per version kept: 0.28 us a file, so 1.7 ms at 6,000 versions.
The maintainer keeps an hour of versions (at a turn a second, with two commits
a turn, 7,200 of them in the short table), and a turn checks its tables a
dozen times. A commit adds a file to the folder, and that moves the folder's
modification time: while the time is the one seen just before the last
listing, no version was added since, and the listing can be skipped.

File systems stamp these times from a clock that ticks every few
milliseconds, so a commit in the same tick as the one before it may leave
the time as it was. A time is trusted only when it lies :data:`MARGIN_NS`
before the moment it was read (a later commit then falls in a later tick),
never when it is a whole second (a file system whose times are seconds), and
never for a table that is not in a local folder (``s3://``: every check lists).

Example:
    >>> probe = VersionProbe("/data/.tiermem/short.lance")
    >>> seen = probe.look()          # before listing the versions
    >>> latest = dataset.latest_version
    >>> probe.unchanged(seen)        # later: True while no version was added
    True
"""

from __future__ import annotations

import os
import time
from pathlib import Path

_COARSE_CLOCK = 5
"""``CLOCK_REALTIME_COARSE`` on Linux: the clock file systems stamp times with."""
_SECOND_NS = 1_000_000_000


def _margin_ns() -> int:
    """Twice the stamping clock's tick (at least 10 ms; 20 ms where the tick is unknown)."""
    try:
        tick = time.clock_getres(_COARSE_CLOCK)
    except (AttributeError, OSError):
        return 20_000_000
    return max(10_000_000, int(2 * tick * _SECOND_NS))


MARGIN_NS = _margin_ns()
"""How long before it is read a folder's time must lie to be trusted."""


class VersionProbe:
    """The modification time of one table's ``_versions`` folder.

    Args:
        uri: the table's dataset URI (a local folder, or any other URI: then never trusted).
    """

    def __init__(self, uri: str) -> None:
        self.folder = None if "://" in uri else Path(uri) / "_versions"

    def look(self) -> int | None:
        """The folder's time now, or ``None`` when it cannot be trusted to move at the next commit."""
        if self.folder is None:
            return None
        try:
            seen = os.stat(self.folder).st_mtime_ns
        except OSError:
            return None
        if seen % _SECOND_NS == 0 or seen > time.time_ns() - MARGIN_NS:
            return None
        return seen

    def unchanged(self, seen: int | None) -> bool:
        """Whether the folder's time is still ``seen`` (from :meth:`look` before a listing): then
        no version was added since that listing. ``False`` when it cannot tell."""
        if seen is None or self.folder is None:
            return False
        try:
            return os.stat(self.folder).st_mtime_ns == seen
        except OSError:
            return False
