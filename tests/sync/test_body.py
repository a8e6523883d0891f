"""Ticket title and body: provenance, owners, marker."""

from __future__ import annotations

from notes2tickets.model import ActionItem, Meeting
from notes2tickets.sync.body import clean_title, find_marker, marker, render_body


def _item(**fields: object) -> ActionItem:
    base: dict[str, object] = {
        "title": "Package systemd 252",
        "path": "meetups/20220816-boston-meetup.md",
        "line": 42,
        "fingerprint": "0123456789abcdef",
        "meeting": Meeting("Hyperscale SIG Boston meetup", "2022-08-16"),
        "section": ("Action items",),
    }
    base.update(fields)
    return ActionItem(**base)  # type: ignore[arg-type]


def test_body_has_description_owner_due_provenance_and_marker() -> None:
    """Every part of the body, in order, with the marker last."""
    item = _item(description="Needs the new sysusers support.", assignees=("davide", "Neal Gompa"), due="2022-09-30")
    body = render_body(item, link="https://git.example/blob/abc/f/x.md#_42", unassigned_owners=("Neal Gompa",), assigned="davide")
    assert body == (
        "Needs the new sysusers support.\n\n"
        "- **Owners:** @davide, Neal Gompa\n"
        "- Neal Gompa is not a user of this tracker, so the ticket is unassigned.\n"
        "- **Due:** 2022-09-30\n\n"
        "From **Hyperscale SIG Boston meetup** (2022-08-16), section *Action items*: "
        "[meetups/20220816-boston-meetup.md:42](https://git.example/blob/abc/f/x.md#_42)\n\n"
        "<!-- notes2tickets:v1:0123456789abcdef -->\n"
    )


def test_body_without_link_names_the_line() -> None:
    """Notes outside a git repository with a remote still say where the item is."""
    body = render_body(_item(meeting=Meeting()), link=None)
    assert "From **the meeting notes**, section *Action items*: `meetups/20220816-boston-meetup.md:42`" in body


def test_long_title_is_cut_and_kept_whole_in_body() -> None:
    """Titles stop at 255 characters; the full text opens the body."""
    long_title = "word " * 100
    title = clean_title(long_title)
    assert len(title) <= 255 and title.endswith("…")
    assert render_body(_item(title=long_title), link=None).startswith(long_title.strip())


def test_clean_title_removes_control_characters() -> None:
    """NUL, other control characters and line breaks never reach the title."""
    assert clean_title("a\x00b\tc\nd\x1b[31m \u202egood") == "ab c d[31m good"


def test_marker_round_trip_and_code_fences() -> None:
    """find_marker reads our marker back, but not one quoted inside a code fence."""
    assert find_marker("text\n\n" + marker("abcdef0123456789")) == "abcdef0123456789"
    assert find_marker("```\n" + marker("abcdef0123456789") + "\n```\n") is None
    assert find_marker("no marker here") is None


def test_section_path_skips_the_meeting_title() -> None:
    """The H1 that names the meeting is not repeated in the section path."""
    item = _item(section=("Hyperscale SIG Boston meetup", "Journal size"))
    assert "section *Journal size*:" in render_body(item, link=None)
