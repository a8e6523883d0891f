"""Owners before filing: which owners named in the notes the tracker does not know, and the alias line to add.

Used by the dry run (warnings before anything is filed) and by ``check``; GETs only.
"""

from __future__ import annotations

from difflib import get_close_matches
from typing import Callable, NamedTuple, Optional, Sequence

from notes2tickets.config import CONFIG_FILE, Settings
from notes2tickets.model import ActionItem
from notes2tickets.tracker import Tracker


class UnknownOwner(NamedTuple):
    name: str
    where: str  # path:line of its first use
    closest: Optional[str]  # the nearest tracker username Pagure's user search found


def owners(items: Sequence[ActionItem], source: Callable[[ActionItem], str]) -> dict[str, str]:
    """Every owner named in ``items`` and where it is first named."""
    found: dict[str, str] = {}
    for item in items:
        for name in item.assignees:
            found.setdefault(name, f"{source(item)}:{item.line}")
    return found


def unknown_owners(items: Sequence[ActionItem], client: Tracker, source: Callable[[ActionItem], str]) -> list[UnknownOwner]:
    return [
        UnknownOwner(name, where, closest_user(client, name))
        for name, where in owners(items, source).items()
        if not client.user_exists(name)
    ]


def closest_user(client: Tracker, name: str) -> Optional[str]:
    """Pagure searches by prefix: ask for the first two letters and keep the nearest spelling."""
    candidates = client.find_users(name[:2]) if len(name) >= 2 else []
    best = get_close_matches(name.lower(), [c.lower() for c in candidates], n=1, cutoff=0.6)
    return next((c for c in candidates if best and c.lower() == best[0]), None)


def alias_line(owner: UnknownOwner) -> str:
    return f'"{owner.name}" = "{owner.closest or "TRACKER-USERNAME"}"'


def alias_table(settings: Settings) -> str:
    """Where the alias goes: ``[aliases]`` of .notes2tickets.toml, or pyproject's ``[tool.notes2tickets.aliases]``."""
    if settings.config_path is not None and settings.config_path.name == "pyproject.toml":
        return "[tool.notes2tickets.aliases] in pyproject.toml"
    return f"[aliases] in {CONFIG_FILE}"


def describe(owner: UnknownOwner, settings: Settings) -> str:
    """One line: who, where, and the fix."""
    guess = f"; the closest tracker user is {owner.closest}" if owner.closest else ""
    return (
        f"owner {owner.name!r} at {owner.where} is not a user of {settings.url}{guess}: "
        f"add {alias_line(owner)} under {alias_table(settings)}, or it is filed unassigned"
    )
