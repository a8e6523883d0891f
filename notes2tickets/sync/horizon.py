"""How far back the tracker must be read for the markers of the items a run files.

An item's issue can only have been filed once the item was written down, so
it was created (and last updated) on or after the date of the oldest meeting
in the notes repository that holds the item. A meeting's date is the earlier
of the date the notes give (front matter, file name, title) and the time git
first saw the file; the horizon is the oldest such date over the items, minus
``MARGIN``. It is None, meaning "read everything", when the notes are outside
a git repository, the clone is shallow (git's first-seen dates would be too
late), or a meeting holding an item has no date at all.
"""

from __future__ import annotations

import calendar
import os
from pathlib import Path
from typing import Iterable, Mapping, Optional, Sequence

from notes2tickets.extract import parse_paths
from notes2tickets.git.command import GitError, git
from notes2tickets.model import ActionItem, ExtractOptions

MARGIN = 7 * 86400.0  # seconds: notes dated a few days late, clocks, time zones
_DAY = 86400.0


def listing_horizon(
    items: Sequence[ActionItem], *, root: Path, globs: Iterable[str], options: ExtractOptions
) -> Optional[float]:
    """The Unix time before which no issue can carry these items' markers, or None (read everything)."""
    if not items:
        return None
    top = _toplevel(root)
    if top is None or _shallow(top):
        return None
    paths = {Path(i.path).resolve() for i in items}
    if any(top not in p.parents for p in paths):
        return None
    notes = paths | {p.resolve() for pattern in globs for p in root.glob(pattern) if p.is_file()}
    held = parse_paths(sorted(str(p) for p in notes), options=options).items
    first_seen = _first_seen(top)
    oldest = [_item_date(fp, held, first_seen, top) for fp in {i.fingerprint for i in items}]
    if any(d is None for d in oldest):
        return None
    return min(d for d in oldest if d is not None) - MARGIN


def _item_date(
    fingerprint: str, held: Sequence[ActionItem], first_seen: Mapping[str, float], top: Path
) -> Optional[float]:
    """The oldest meeting date over the notes holding ``fingerprint``; None if one of them has no date."""
    dates = [_meeting_date(i, first_seen, top) for i in held if i.fingerprint == fingerprint]
    if not dates or any(d is None for d in dates):
        return None
    return min(d for d in dates if d is not None)


def _meeting_date(item: ActionItem, first_seen: Mapping[str, float], top: Path) -> Optional[float]:
    known = [first_seen[rel]] if (rel := _relative(item.path, top)) in first_seen else []
    if item.meeting.date:
        try:
            known.append(calendar.timegm(tuple(int(p) for p in item.meeting.date.split("-")) + (0, 0, 0)) - _DAY)
        except (ValueError, OverflowError):
            pass
    return min(known) if known else None


def _relative(path: str, top: Path) -> str:
    try:
        return Path(path).resolve().relative_to(top).as_posix()
    except ValueError:
        return ""


def _toplevel(root: Path) -> Optional[Path]:
    try:
        out = os.fsdecode(git(root, "rev-parse", "--show-toplevel")).strip()
    except GitError:
        return None
    return Path(out).resolve() if out else None


def _shallow(top: Path) -> bool:
    try:
        return git(top, "rev-parse", "--is-shallow-repository").strip() != b"false"
    except GitError:
        return True


def _first_seen(top: Path) -> dict[str, float]:
    """Each committed file's earliest commit time (oldest first in the log, so later entries win)."""
    try:
        # Renames are followed (a renamed file keeps no "added" date of its own, so its notes' date decides).
        out = git(top, "log", "--reverse", "--find-renames", "--diff-filter=A", "--format=%x00%x01%ct", "--name-only", "-z")
    except GitError:
        return {}
    seen: dict[str, float] = {}
    stamp = 0.0
    for field in os.fsdecode(out).split("\x00"):
        if field.startswith("\x01"):
            stamp = float(field[1:])
        elif field.lstrip("\n"):
            seen.setdefault(field.lstrip("\n"), stamp)
    return seen
