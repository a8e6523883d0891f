"""The sample notes are fixtures: exact titles, lines, owners and fields."""

from __future__ import annotations

from pathlib import Path

from notes2tickets.extract import extract_file, parse_paths
from notes2tickets.model import ExtractOptions, Meeting


def _rows(path: Path, **options: object) -> list[tuple[int, str, tuple[str, ...]]]:
    items = extract_file(path, options=ExtractOptions(**options))  # type: ignore[arg-type]
    return [(item.line, item.title, item.assignees) for item in items]


def test_boston_meetup_items(sample_notes: Path) -> None:
    """The meetup notes give these items, in document order."""
    assert _rows(sample_notes / "20220816-boston-meetup.md") == [
        (24, "Publish the mkosi based container images", ("dcavalca",)),
        (25, "Document the KIWI build pipeline in the SIG docs", ("ngompa",)),
        (33, "Write up the systemd 252 changes that matter for Hyperscale", ("anitazha",)),
        (49, "Move the KIWI descriptions into the SIG GitLab group", ("ngompa",)),
        (56, "Test Btrfs transparent compression on the build hosts", ("salimma",)),
        (66, "Propose a SystemMaxUse= drop-in for the Hyperscale spin", ("Davide",)),
        (67, "Post a summary of the meetup to the centos-devel list", ("salimma",)),
    ]


def test_boston_meetup_fields(sample_notes: Path) -> None:
    """Done, tracked, tags, due, priority, private, description, section and meeting are exact."""
    items = extract_file(sample_notes / "20220816-boston-meetup.md")
    assert [i.done for i in items] == [True, False, False, False, False, False, False]
    assert items[1].tracked == 83
    assert items[2].tags == ("systemd", "docs")
    assert (items[4].due, items[4].priority) == ("2022-09-30", "high")
    assert items[3].description == "- keep the history of the old repository\n- ask the infra folks for a CI runner"
    assert (items[5].tags, items[6].private) == (("journald",), True)
    assert items[5].section == ("CentOS Hyperscale SIG face-to-face meetup, Boston", "journald", "Action items")
    assert items[0].meeting == Meeting(title="CentOS Hyperscale SIG face-to-face meetup, Boston", date="2022-08-16")


def test_boston_meetup_alias_map(sample_notes: Path) -> None:
    """The alias map turns the written first name into the username."""
    rows = _rows(sample_notes / "20220816-boston-meetup.md", aliases={"davide": "dcavalca"})
    assert rows[5] == (66, "Propose a SystemMaxUse= drop-in for the Hyperscale spin", ("dcavalca",))


def test_meetbot_minutes_are_deduplicated(sample_notes: Path) -> None:
    """Each zodbot action appears three times in the minutes and is one item at its ACTION line."""
    items = extract_file(sample_notes / "2022-09-07-hyperscale-sig-minutes.md")
    assert [(i.line, i.title, i.assignees, i.section) for i in items] == [
        (12, "Document the KIWI build pipeline in the SIG docs", ("ngompa",), ("CentOS Hyperscale SIG meeting, 2022-09-07", "Meeting summary")),
        (18, "Test systemd 252 on the Hyperscale kernels", ("anitazha", "dcavalca"), ("CentOS Hyperscale SIG meeting, 2022-09-07", "Meeting summary")),
        (24, "Send the journald drop-in for review", ("salimma",), ("CentOS Hyperscale SIG meeting, 2022-09-07", "Meeting summary")),
    ]
    assert items[0].meeting == Meeting(title="CentOS Hyperscale SIG meeting, 2022-09-07", date="2022-09-07")


def test_carried_over_item_keeps_fingerprint(sample_notes: Path) -> None:
    """The KIWI docs item carried from the meetup into the minutes has the same fingerprint."""
    meetup = extract_file(sample_notes / "20220816-boston-meetup.md")[1]
    minutes = extract_file(sample_notes / "2022-09-07-hyperscale-sig-minutes.md")[0]
    assert meetup.fingerprint == minutes.fingerprint == "6958f11643ee8b95"


def test_notes_without_action_items(sample_notes: Path) -> None:
    """The October notes have no items: agenda, prose and quote only; the run warns."""
    result = parse_paths([str(sample_notes / "2022-10-05-hyperscale-sig.md")])
    assert (result.items, result.errors) == ([], [])
    assert result.empty == (f"{sample_notes / '2022-10-05-hyperscale-sig.md'}: no action items found",)


def test_whole_sample_directory(sample_notes: Path) -> None:
    """The directory gives 10 items from three files, sorted by file name, no errors."""
    result = parse_paths([str(sample_notes)])
    assert (len(result.items), result.errors) == (10, [])
    assert [Path(i.path).name for i in result.items][:4] == ["2022-09-07-hyperscale-sig-minutes.md"] * 3 + [
        "20220816-boston-meetup.md"]
