"""``agenda``: last meeting's action items with their tickets' current status (pure parts).

The block is written in the notes' own conventions (a task list under an
"Action items from last meeting" heading, each item citing ``[#id](URL)``), so
pasted into the next notes every item is ``tracked`` and nothing is filed twice.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Mapping, NamedTuple, Optional, Sequence

from notes2tickets.model import ActionItem, RemoteRef

HEADING = "## Action items from last meeting"


class Entry(NamedTuple):
    issue_id: int
    url: str
    title: str
    owners: tuple[str, ...]
    open: bool
    closed: Optional[str]  # ISO date the ticket was closed, when known
    meeting: str
    date: Optional[str]
    path: str
    line: int


def pick_meetings(items: Sequence[ActionItem], since: Optional[str]) -> list[ActionItem]:
    """Items of the meetings on or after ``since`` (default: the latest meeting's date)."""
    dates = [i.meeting.date for i in items if i.meeting.date]
    if not dates:
        return list(items)
    start = since or max(dates)
    return [i for i in items if i.meeting.date and i.meeting.date >= start]


def entries(
    items: Sequence[ActionItem],
    *,
    ticket_of: Mapping[str, tuple[int, str]],
    remote: Mapping[int, RemoteRef],
    closed_at: Mapping[int, float],
) -> list[Entry]:
    """One entry per ticket, in notes order; closed tickets only when closed on or after their meeting."""
    out: list[Entry] = []
    seen: set[int] = set()
    for item in items:
        ticket = ticket_of.get(item.fingerprint) if item.tracked is None else (item.tracked, "")
        if ticket is None or ticket[0] in seen:
            continue
        issue_id, url = ticket
        ref = remote.get(issue_id)
        when = closed_at.get(issue_id)
        closed = _day(when) if when is not None else None
        is_open = ref.open if ref is not None else True
        if not is_open and closed is not None and item.meeting.date and closed < item.meeting.date:
            continue  # closed before that meeting: old news
        seen.add(issue_id)
        out.append(Entry(
            issue_id, (ref.url if ref else "") or url, (ref.title if ref else "") or item.title, item.assignees,
            is_open, closed, item.meeting.title or item.path, item.meeting.date, item.path, item.line,
        ))
    return out


def markdown(found: Sequence[Entry]) -> str:
    lines = [HEADING, ""]
    for e in (e for e in found if e.open):
        owners = "".join(f" @{o}" for o in e.owners)
        lines.append(f"- [ ] {e.title} ({_ref(e)}){owners}")
        lines.append(f"  - from {e.meeting}" + (f" ({e.date})" if e.date and e.date not in e.meeting else ""))
    for e in (e for e in found if not e.open):
        lines.append(f"- [x] {e.title} ({_ref(e)}, closed{' ' + e.closed if e.closed else ''})")
    if len(lines) == 2:
        lines.append("None.")
    return "\n".join(lines) + "\n"


def as_json(found: Sequence[Entry], *, note: str) -> str:
    data: dict[str, Any] = {"note": note, "items": [
        {"issue_id": e.issue_id, "url": e.url or None, "title": e.title, "owners": list(e.owners),
         "status": "open" if e.open else "closed", "closed": e.closed,
         "meeting": {"title": e.meeting, "date": e.date}, "path": e.path, "line": e.line}
        for e in found
    ]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _ref(entry: Entry) -> str:
    return f"[#{entry.issue_id}]({entry.url})" if entry.url else f"#{entry.issue_id}"


def _day(stamp: float) -> str:
    return datetime.fromtimestamp(stamp, tz=timezone.utc).strftime("%Y-%m-%d")


def age_note(seen: Optional[float], now: float) -> str:
    if seen is None:
        return "the state holds no copy of the tracker yet: every ticket is shown as open"
    hours = max(now - seen, 0.0) / 3600
    return f"status from the copy of the tracker in state, newest change seen {_day(seen)} ({hours:.0f} h ago)"
