"""Item identity: the same action keeps it across meetings, different actions never share it."""

from __future__ import annotations

import pytest

from notes2tickets.extract import extract_text, fingerprint
from notes2tickets.extract.dedup import merge_repeats
from notes2tickets.model import ActionItem
from notes2tickets.sync.plan import identities


def _one(text: str) -> ActionItem:
    items = extract_text("## Action items\n" + text + "\n", path="n.md")
    assert len(items) == 1, (text, items)
    return items[0]


def _same(a: str, b: str) -> bool:
    """True when the item of ``b`` (a later meeting) is known by one of the identities of ``a``'s."""
    first, later = _one(a), _one(b)
    return first.fingerprint in identities(later) or later.fingerprint in identities(first)


CARRIED_OVER = [
    ("- dcavalca to write the FOSDEM trip report", "- dcavalca: write the FOSDEM trip report (carried over)"),
    ("- dcavalca to write the FOSDEM trip report", "- @dcavalca write the FOSDEM trip report"),
    ("- dcavalca to write the FOSDEM trip report", "- **dcavalca** write the FOSDEM trip report"),
    ("- dcavalca to write the FOSDEM trip report", "ACTION: dcavalca to write the FOSDEM trip report"),
    ("- dcavalca to write the FOSDEM trip report", "- neal to write the FOSDEM trip report"),
    ("- write the FOSDEM trip report due 2026-11-20", "- write the FOSDEM trip report (due: 2026-11-20)"),
    ("- write the FOSDEM trip report due 2026-11-20", "- write the FOSDEM trip report"),
    ("- write the FOSDEM trip report", "- write the FOSDEM trip report (#12)"),
    ("- write the FOSDEM trip report", "- write the FOSDEM trip report - still open"),
    ("- write the FOSDEM trip report", "- [ ] Write the **FOSDEM** trip report."),
    ("- write the FOSDEM trip report", "- write the FOSDEM trip report (in progress)"),
]

LOOK_ALIKE = [
    ("- write the FOSDEM trip report", "- write the DevConf trip report"),
    ("- update the docs for CentOS Stream 9", "- update the docs for CentOS Stream 10"),
    ("- finish task 1", "- finish task 10"),
    ("- Task number 1 about subsystem b919", "- Task number 10 about subsystem k190"),
    ("- package systemd 252", "- package systemd 253"),
    ("- review the KIWI docs", "- review the KIWI images"),
]


@pytest.mark.parametrize(("first", "later"), CARRIED_OVER)
def test_carried_over_forms_keep_identity(first: str, later: str) -> None:
    """Owner form, owner, status words, metadata written another way, a ticket reference: still the same action."""
    assert _same(first, later)


@pytest.mark.parametrize(("first", "later"), LOOK_ALIKE)
def test_look_alike_actions_differ(first: str, later: str) -> None:
    """A changed word or number is a different action."""
    assert not _same(first, later)


def test_due_without_colon_is_parsed_and_removed() -> None:
    """'due 2026-11-20' is a due date, not part of the title."""
    item = _one("- write the FOSDEM trip report due 2026-11-20")
    assert (item.title, item.due) == ("Write the FOSDEM trip report", "2026-11-20")


def test_owner_kept_in_title_or_not_gives_one_identity() -> None:
    """Whether the title keeps the owner's name ("Dcavalca write …") or not, the identity is the same."""
    kept = ActionItem("Dcavalca write the report", "n.md", 1, "x", assignees=("dcavalca",))
    cleaned = ActionItem("Write the report", "m.md", 1, "y", assignees=("dcavalca",))
    [a], [b] = merge_repeats([kept]), merge_repeats([cleaned])
    assert a.fingerprint == b.fingerprint == fingerprint("Write the report")
    assert fingerprint("Dcavalca write the report") in a.aliases  # what 0.1.0 filed it as


def test_0_1_0_fingerprint_unchanged_for_a_plain_title() -> None:
    """An item whose title holds no owner name keeps exactly the 0.1.0 fingerprint (no migration needed)."""
    assert _one("- neal to rebuild the KIWI images").fingerprint == fingerprint("Rebuild the KIWI images") == "bb9c559679a1fc0a"


def test_same_words_for_two_owners_in_two_sections_are_two_items() -> None:
    """The same words under two owners are two actions; the next meeting's copies get the same two identities."""
    text = "## Action items\n### Kernel\n- neal to follow up with upstream\n### systemd\n- anita to follow up with upstream\n"
    first, again = extract_text(text, path="a.md"), extract_text(text.replace("upstream", "upstream (carried over)"), path="b.md")
    assert [(i.line, i.assignees) for i in first] == [(3, ("neal",)), (5, ("anita",))]
    assert len({i.fingerprint for i in first}) == 2
    assert [i.fingerprint for i in first] == [i.fingerprint for i in again]
    assert {i.base for i in first} == {fingerprint("Follow up with upstream")}


def test_same_words_without_owners_in_two_sections_are_two_items() -> None:
    """Ownerless copies in different sections are told apart by section."""
    items = extract_text("## Action items\n### Kernel\n- follow up with upstream\n### systemd\n- follow up with upstream\n", path="a.md")
    assert len({i.fingerprint for i in items}) == 2


def test_a_lone_copy_later_keeps_the_identity_it_had_as_one_of_two() -> None:
    """When only neal's copy is left next time, it is still known by the identity it had beside anita's."""
    both = extract_text("## Action items\n### Kernel\n- neal to follow up with upstream\n### systemd\n- anita to follow up with upstream\n", path="a.md")
    [alone] = extract_text("## Action items\n### Kernel\n- neal to follow up with upstream\n", path="b.md")
    assert both[0].fingerprint in identities(alone)
    assert both[1].fingerprint not in identities(alone)


def test_meetbot_repeats_are_one_item() -> None:
    """Meetbot's log line, action list and by-person list of one action are one item."""
    text = (
        "#topic Kernel\n"
        "* ACTION: neal to follow up with upstream (neal, 17:01:02)\n"
        "Action items\n------------\n* neal to follow up with upstream\n"
        "Action items, by person\n-----------------------\n* neal\n  * neal to follow up with upstream\n"
    )
    items = extract_text(text, path="minutes.txt")
    assert [(i.line, i.assignees) for i in items] == [(2, ("neal",))]
