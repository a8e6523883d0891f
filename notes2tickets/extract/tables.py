"""Action items written as a table: one row, one item.

Notes often keep their action items as a GFM table (``| Owner | Action | Due |``).
mistune runs without its table plugin (every file would pay for it), so such a
table reaches the walker as a paragraph whose second line is the delimiter row;
this module reads it. A table counts when it stands in an action section, or
anywhere when one of its columns is headed "Action" / "Action item" / "AI".
The columns are told apart by their headers: the action text, the owners, a
due date, a status (done or not) and notes (which go into the description).
"""

from __future__ import annotations

import re
from typing import NamedTuple, Optional, Sequence

from .owners import split_owner_cell

_DELIMITER_CELL = re.compile(r"^\s*:?-+:?\s*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_MARKUP = re.compile(r"[*_`~]+")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

_ACTION_HEADERS = frozenset(("action", "actions", "action item", "action items", "ai", "ais"))
_ROLES = {
    "title": _ACTION_HEADERS | frozenset(
        ("item", "items", "task", "tasks", "todo", "to do", "what", "description", "next step", "next steps",
         "follow-up", "follow up", "followup")
    ),
    "owner": frozenset(
        ("owner", "owners", "who", "assignee", "assignees", "assigned to", "responsible", "person", "people",
         "name", "lead", "by whom")
    ),
    "due": frozenset(("due", "due date", "deadline", "when", "by", "by when", "target", "target date", "date")),
    "status": frozenset(("status", "done", "state", "progress")),
    "notes": frozenset(("notes", "note", "comments", "comment", "details", "context", "remarks", "links")),
}
_DONE = frozenset(("done", "x", "[x]", "yes", "closed", "complete", "completed", "fixed", "finished", "resolved",
                   "\u2713", "\u2714", "\u2705", "\u2611"))


class Row(NamedTuple):
    """One item of a table: ``offset`` counts lines from the header row."""

    offset: int
    raw: str
    owners: tuple[str, ...]
    done: bool
    notes: str


def read_table(rows: Sequence[str], *, in_action_section: bool) -> Optional[list[Row]]:
    """The items of a table given as its source lines; None when the lines are no action table."""
    if len(rows) < 2 or "|" not in rows[0] or "|" not in rows[1]:
        return None
    header = _cells(rows[0])
    delimiter = _cells(rows[1])
    if len(delimiter) != len(header) or not all(_DELIMITER_CELL.match(cell) for cell in delimiter):
        return None
    names = [_header_name(cell) for cell in header]
    if not in_action_section and not _ACTION_HEADERS.intersection(names):
        return None
    roles = _roles(names)
    if "title" not in roles:
        return None
    items = []
    for offset, line in enumerate(rows[2:], start=2):
        cells = _cells(line) + [""] * len(header)
        item = _row(offset, cells, roles)
        if item is not None:
            items.append(item)
    return items


def _cells(line: str) -> list[str]:
    text = line.strip()
    text = text[1:] if text.startswith("|") else text
    text = text[:-1] if text.endswith("|") and not text.endswith("\\|") else text
    return [cell.strip().replace("\\|", "|") for cell in _CELL_SPLIT.split(text)]


def _header_name(cell: str) -> str:
    return " ".join(_MARKUP.sub("", cell).lower().rstrip(":?").split())


def _roles(names: list[str]) -> dict[str, int]:
    """Column index per role; without a named action column, the first column no other role claims."""
    roles: dict[str, int] = {}
    for index, name in enumerate(names):
        for role, headers in _ROLES.items():
            if name in headers and role not in roles:
                roles[role] = index
                break
    if "title" not in roles:
        free = [i for i, name in enumerate(names) if i not in roles.values() and name]
        if free:
            roles["title"] = free[0]
    return roles


def _row(offset: int, cells: list[str], roles: dict[str, int]) -> Optional[Row]:
    title = cells[roles["title"]]
    if not _MARKUP.sub("", title).strip(" -"):
        return None
    due = _MARKUP.sub("", cells[roles["due"]]).strip() if "due" in roles else ""
    raw = f"{title} due: {due}" if _DATE.match(due) else title
    owners = split_owner_cell(cells[roles["owner"]]) if "owner" in roles else ()
    status = _MARKUP.sub("", cells[roles["status"]]).strip().lower() if "status" in roles else ""
    notes = cells[roles["notes"]] if "notes" in roles else ""
    return Row(offset, raw, owners, status in _DONE, notes)
