"""Plain-text meetbot minutes and IRC/Matrix logs (zodbot, MeetBot, maubot).

These are read line by line, not as Markdown: nicks like ``_bex_`` or
``<nick>`` must survive, and the minutes' own layout (underlined headers,
``*`` bullets, two-space continuation lines) is regular.
"""

from __future__ import annotations

import re
from typing import NamedTuple, Optional

from notes2tickets.model import ExtractOptions

from .dedup import LISTED, MARKED
from .items import Candidate
from .syntax import is_action_heading, is_by_person, match_marker

_RULE = re.compile(r"\s*(?:-{3,}|={3,})\s*$")
_BULLET = re.compile(r"(?P<indent>[ \t]*)[*+-][ \t]+(?P<text>\S.*)$")
_LOG_ACTION = re.compile(
    r"\s*(?:\[?\d{1,2}:\d{2}(?::\d{2})?\]?\s+)?(?:<[@+%~&]?[^>\s]+>|\*\s+\S+|[^\s:<>]+:)\s+[#!]action\s+(?P<text>\S.*)$",
    re.IGNORECASE,
)
_HINTS = re.compile(
    r"^(?:Meeting started by |Meeting summary\s*$|Action Items\s*$|[ \t]*\*[ \t]+ACTION:|.{0,40}?<[^>\s]+>[ \t]+[#!](?:action|startmeeting|info|agreed)\b)",
    re.MULTILINE | re.IGNORECASE,
)
_UNASSIGNED = ("unassigned", "none", "nobody")


class MeetbotScan(NamedTuple):
    """Candidates from plain-text minutes, and the minutes' title line."""

    candidates: list[Candidate]
    title: Optional[str]


def looks_like_meetbot(text: str) -> bool:
    """True when a non-Markdown file reads like meetbot minutes or a meeting log."""
    return _HINTS.search(text) is not None


def scan_meetbot(lines: list[str], options: ExtractOptions) -> MeetbotScan:
    """Collect the ACTION lines and the Action Items blocks of plain-text minutes."""
    found: list[Candidate] = []
    header: Optional[str] = None
    person: tuple[str, ...] = ()
    index = 0
    while index < len(lines):
        row = lines[index]
        if row.strip() and index + 1 < len(lines) and _RULE.match(lines[index + 1]) and not _RULE.match(row):
            header, person = row.strip(), ()
            index += 2
            continue
        section = (header,) if header else ()
        title = header or ""
        in_actions = bool(title) and options.action_sections and is_action_heading(title, options.section_headings)
        by_person = in_actions and is_by_person(title)
        bullet = _BULLET.match(row)
        log = _LOG_ACTION.match(row) if options.markers and not bullet else None
        if bullet and by_person and not bullet.group("indent"):
            person = _person(bullet.group("text"))
        elif bullet and (in_actions or (options.markers and match_marker(bullet.group("text")))):
            text, index = _continued(lines, index, bullet.group("text"), len(bullet.group("indent")))
            rank = LISTED if in_actions else MARKED
            found.append(Candidate(text, index_line(index, text), section, owners=person if by_person else (), rank=rank))
        elif log:
            found.append(Candidate(log.group("text"), index + 1, section))
        elif options.markers and not bullet and match_marker(row) and row.strip():
            text, index = _continued(lines, index, row.strip(), len(row) - len(row.lstrip()))
            found.append(Candidate(text, index_line(index, text), section))
        index += 1
    return MeetbotScan(found, _title(lines))


def index_line(last_index: int, text: str) -> int:
    """1-based start line of an item whose last row is ``last_index``."""
    return last_index + 1 - text.count("\n")


def _continued(lines: list[str], index: int, text: str, indent: int) -> tuple[str, int]:
    """Join wrapped continuation rows (indented deeper, not bullets) to ``text``."""
    rows = [text]
    while index + 1 < len(lines):
        row = lines[index + 1]
        deeper = len(row) - len(row.lstrip()) > indent
        if not row.strip() or not deeper or _BULLET.match(row):
            break
        rows.append(row.strip())
        index += 1
    return "\n".join(rows), index


def _person(text: str) -> tuple[str, ...]:
    name = text.strip().strip("* ")  # keep IRC nicks like _bex_ whole
    return () if not name or name.lower() in _UNASSIGNED else (name,)


def _title(lines: list[str]) -> Optional[str]:
    for row in lines[:10]:
        if row.strip() and not _RULE.match(row):
            return row.strip()
    return None
