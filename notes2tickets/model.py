"""Value types shared by extraction, planning, filing and state, and what Pagure can store (titles, tags)."""

from __future__ import annotations

import dataclasses
import unicodedata
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Optional


@dataclass(frozen=True)
class Meeting:
    """The meeting a notes file records: first H1 / front-matter title, ISO date."""

    title: Optional[str] = None
    date: Optional[str] = None


@dataclass(frozen=True)
class ActionItem:
    """One action item found in a notes file.

    ``line`` is 1-based and exact. ``section`` is the heading path. ``tracked``
    is the ticket id the item already cites. ``fingerprint`` depends on the
    normalised title only (see ``extract.fingerprint``).
    """

    title: str
    path: str
    line: int
    fingerprint: str
    description: str = ""
    assignees: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    due: Optional[str] = None
    priority: Optional[str] = None
    milestone: Optional[str] = None
    private: bool = False
    done: bool = False
    tracked: Optional[int] = None
    section: tuple[str, ...] = ()
    meeting: Meeting = field(default_factory=Meeting)
    suggested: bool = False  # an unmarked commitment ("X will ..."), filed only when asked for

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        for key in ("assignees", "tags", "section"):
            data[key] = list(data[key])
        return data


MAX_TITLE = 255
MAX_TAG_LENGTH = 255  # Pagure's column limit on PostgreSQL; a longer tag gives 400 EDBERROR


def tag_problem(tag: str) -> Optional[str]:
    """Why Pagure cannot store ``tag`` (its tag field is one comma-separated string), or None."""
    if "," in tag:
        return "contains a comma"
    if len(tag) > MAX_TAG_LENGTH:
        return f"is longer than {MAX_TAG_LENGTH} characters"
    return None


def clean_title(title: str) -> str:
    """One line, no control characters (NUL included), at most 255 characters."""
    text = "".join(
        " " if ch in "\t\r\n\v\f\u2028\u2029" else ch
        for ch in title
        if ch in "\t\r\n\v\f\u2028\u2029" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs")
    )
    text = " ".join(text.split())
    if len(text) > MAX_TITLE:
        cut = text[: MAX_TITLE - 1]
        space = cut.rfind(" ")
        text = (cut[:space] if space > MAX_TITLE // 2 else cut).rstrip() + "…"
    return text


class RemoteRef(NamedTuple):
    """What dedup needs to know of one issue on the tracker."""

    id: int
    url: str
    title: str
    open: bool
    fingerprint: Optional[str]  # from the notes2tickets marker in its body, if any


DEFAULT_SECTION_HEADINGS = (
    "action items",
    "action item",
    "actions",
    "ais",
    "todo",
    "todos",
    "to do",
    "to-do",
    "next steps",
    "follow-ups",
    "follow ups",
    "followups",
    "work items",
    "tasks",
)


@dataclass(frozen=True)
class ExtractOptions:
    """Extraction switches, from the ``[extract]`` table of the config file.

    Every convention is on by default. ``section_headings`` are matched
    case-insensitively, also with a prefix or suffix ("New action items",
    "Action items from last meeting"). ``aliases`` maps the names people write
    (lower-cased keys) to tracker usernames. Files larger than
    ``max_file_bytes`` are refused with an InputError.
    """

    task_lists: bool = True
    action_sections: bool = True
    markers: bool = True
    meetbot: bool = True
    section_headings: tuple[str, ...] = DEFAULT_SECTION_HEADINGS
    aliases: dict[str, str] = field(default_factory=dict)
    max_file_bytes: int = 10 * 1024 * 1024
    suggestions: str = "show"  # unmarked commitments: "show" (listed, not filed), "file", "off"
