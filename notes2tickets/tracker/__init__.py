"""The tracker: everything that speaks to the forge (today Pagure), behind the ``Tracker`` interface.

The rest of the code holds a ``Tracker`` built by ``connect``, never a
``PagureClient``; only this wing imports ``requests``.
"""

from __future__ import annotations

from typing import Callable, Optional

from notes2tickets.config import Settings
from notes2tickets.tracker.base import ProjectInfo, RemoteIssue, Tracker
from notes2tickets.tracker.pagure import DEFAULT_RETRIES, PagureClient

__all__ = ["ProjectInfo", "RemoteIssue", "Tracker", "connect"]


def connect(
    settings: Settings, *, hook: bool = False, read_deadline: float | None = None,
    progress: Optional[Callable[[str], None]] = None, retries: Optional[int] = None,
) -> Tracker:
    """The tracker ``settings`` names; raises ConfigError when no project is set.

    Each request ends by ``timeout`` seconds (a total deadline), and all reads of the run by
    ``read_deadline`` seconds from now (``settings.read_deadline`` unless given); ``progress``
    hears of listing pages and retries; ``retries`` (for GETs) overrides the default.
    """
    # In a git hook an unreachable tracker must not hold the commit: no retries, a short timeout.
    return PagureClient(
        url=settings.url,
        project=settings.require_project(),
        token=settings.token,
        timeout=min(settings.timeout, 10.0) if hook else settings.timeout,
        retries=0 if hook else DEFAULT_RETRIES if retries is None else retries,
        read_deadline=settings.read_deadline if read_deadline is None else read_deadline,
        progress=progress,
    )
