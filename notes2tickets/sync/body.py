"""The ticket we file for an item: its Markdown body and the hidden marker (titles: ``model.clean_title``).

The marker ``<!-- notes2tickets:v1:<fingerprint> -->`` ends every body. Pagure
keeps it in the raw content (the API returns it) and strips it from the web
page, so it lets any machine find the ticket an item became.
"""

from __future__ import annotations

import re
from typing import Iterable, Optional, Sequence

from notes2tickets.model import ActionItem, clean_title

_MARKER_RE = re.compile(r"<!--\s*notes2tickets:v1:([0-9a-f]{8,64})\s*-->")
_FENCE_RE = re.compile(r"^ {0,3}(```|~~~)", re.MULTILINE)


def marker(fingerprint: str) -> str:
    return f"<!-- notes2tickets:v1:{fingerprint} -->"


def find_marker(content: str) -> Optional[str]:
    """The fingerprint of the last marker outside code fences, if any."""
    found: Optional[str] = None
    for match in _MARKER_RE.finditer(content or ""):
        fences_before = len(_FENCE_RE.findall(content, 0, match.start()))
        if fences_before % 2 == 0:
            found = match.group(1)
    return found


def render_body(
    item: ActionItem,
    *,
    link: Optional[str],
    unassigned_owners: Sequence[str] = (),
    assigned: Optional[str] = None,
    dropped: Iterable[str] = (),
) -> str:
    """Description, owners, due date, provenance with a link to the line, marker."""
    parts: list[str] = []
    title = clean_title(item.title)
    description = item.description.strip()
    if title != " ".join(item.title.split()):
        parts.append(item.title.strip())
    if description:
        parts.append(description)
    facts = _facts(item, assigned=assigned, unassigned=unassigned_owners, dropped=dropped)
    if facts:
        parts.append("\n".join(facts))
    parts.append(_provenance(item, link))
    parts.append(marker(item.fingerprint))
    return "\n\n".join(parts) + "\n"  # pagure.py strips NUL, which PostgreSQL refuses


def _facts(item: ActionItem, *, assigned: Optional[str], unassigned: Sequence[str], dropped: Iterable[str]) -> list[str]:
    facts: list[str] = []
    owners = [f"@{name}" if name == assigned else name for name in item.assignees]
    if owners:
        facts.append(f"- **Owner{'s' if len(owners) > 1 else ''}:** {', '.join(owners)}")
    for name in unassigned:
        facts.append(f"- {name} is not a user of this tracker, so the ticket is unassigned.")
    if item.due:
        facts.append(f"- **Due:** {item.due}")
    for note in dropped:
        facts.append(f"- {note}")
    return facts


def _provenance(item: ActionItem, link: Optional[str]) -> str:
    meeting = item.meeting.title or "the meeting notes"
    when = f" ({item.meeting.date})" if item.meeting.date else ""
    path = list(item.section)
    if path and path[0] == item.meeting.title:
        path = path[1:]  # the H1 is the meeting title, already named
    section = f", section *{' › '.join(path)}*" if path else ""
    where = f"{item.path}:{item.line}"
    target = f"[{where}]({link})" if link else f"`{where}`"
    return f"From **{meeting}**{when}{section}: {target}"
