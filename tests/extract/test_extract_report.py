"""Text and JSON formatting for `notes2tickets parse`."""

from __future__ import annotations

import json

from notes2tickets.extract import extract_text
from notes2tickets.extract.report import format_json, format_text

NOTES = "# Sync 2022-08-16\n\n## Action items\n- neal to rebuild images (#83)\n- [x] write the docs\n"


def test_text_listing_is_aligned() -> None:
    """Rows align file:line, owner and title; done items are marked; a count ends it."""
    items = extract_text(NOTES, path="notes/sync.md")
    assert format_text(items) == (
        "notes/sync.md:4  neal  [ ] Rebuild images  (#83)\n"
        "notes/sync.md:5  -     [x] Write the docs\n"
        "2 action items\n"
    )


def test_text_listing_empty() -> None:
    """No items says so."""
    assert format_text([]) == "no action items found\n"


def test_json_schema() -> None:
    """`{"items": [...], "suggestions": [...]}` with every field, in document order."""
    items = extract_text(NOTES, path="notes/sync.md")
    data = json.loads(format_json(items))
    assert list(data) == ["items", "suggestions"]
    assert data["items"][0] == {
        "title": "Rebuild images",
        "path": "notes/sync.md",
        "line": 4,
        "fingerprint": items[0].fingerprint,
        "description": "",
        "assignees": ["neal"],
        "tags": [],
        "due": None,
        "priority": None,
        "milestone": None,
        "private": False,
        "done": False,
        "tracked": 83,
        "section": ["Sync 2022-08-16", "Action items"],
        "meeting": {"title": "Sync 2022-08-16", "date": "2022-08-16"},
        "suggested": False,
    }
    assert [i["line"] for i in data["items"]] == [4, 5]
