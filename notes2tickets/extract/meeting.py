"""The meeting a file records: front matter, first H1, dates in names and titles."""

from __future__ import annotations

import re

from notes2tickets.model import Meeting

from .reader import name_and_suffix

_FRONT_MATTER_END = ("---", "...")
_FM_FIELD = re.compile(r"^(title|date)\s*:\s*(.*?)\s*$", re.IGNORECASE)
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})[-_./]?(0[1-9]|1[0-2])[-_./]?(0[1-9]|[12]\d|3[01])(?!\d)")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")),
        start=1,
    )
    for name in names
}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_MONTH_FIRST = re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", re.IGNORECASE)
_DAY_FIRST = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(\d{4})", re.IGNORECASE)


def split_front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    """Return the front matter's title/date fields and how many lines it spans.

    Front matter is a ``---`` first line closed by ``---`` or ``...``; an
    unclosed ``---`` is an ordinary thematic break and spans nothing.
    """
    if not lines or lines[0].rstrip() != "---":
        return {}, 0
    for index in range(1, len(lines)):
        if lines[index].rstrip() in _FRONT_MATTER_END:
            return _fields(lines[1:index]), index + 1
    return {}, 0


def _fields(lines: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in lines:
        match = _FM_FIELD.match(line)
        if match and match.group(2):
            found.setdefault(match.group(1).lower(), match.group(2).strip("\"'"))
    return found


def find_date(text: str) -> str | None:
    """Return the first date in ``text`` as ISO ``YYYY-MM-DD``, or None."""
    match = _ISO_DATE.search(text)
    if match:
        return "-".join(match.groups())
    for pattern, day_group, month_group in ((_MONTH_FIRST, 2, 1), (_DAY_FIRST, 1, 2)):
        named = pattern.search(text)
        if named:
            month = _MONTHS[named.group(month_group).lower()]
            day = int(named.group(day_group))
            if 1 <= day <= 31:
                return f"{named.group(3)}-{month:02d}-{day:02d}"
    return None


def make_meeting(front: dict[str, str], h1: str | None, path: str) -> Meeting:
    """Combine the sources: front matter first, then the file name, then the H1."""
    title = front.get("title") or h1
    date = find_date(front.get("date", "")) or find_date(name_and_suffix(path)[0])
    if date is None and h1:
        date = find_date(h1)
    return Meeting(title=title or None, date=date)
