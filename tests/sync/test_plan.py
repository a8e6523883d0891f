"""make_plan: one decision per item, first matching rule wins."""

from __future__ import annotations

from notes2tickets.extract import fingerprint
from notes2tickets.model import ActionItem, RemoteRef
from notes2tickets.sync.plan import ADOPT, NEW, SKIP, Known, make_plan


def _item(title: str, *, line: int = 1, path: str = "notes.md", **fields: object) -> ActionItem:
    return ActionItem(title=title, path=path, line=line, fingerprint=fingerprint(title), **fields)  # type: ignore[arg-type]


def _ref(issue_id: int, title: str, *, marker: str | None = None, is_open: bool = True) -> RemoteRef:
    return RemoteRef(issue_id, f"https://pagure.example/p/issue/{issue_id}", title, is_open, marker)


def _reasons(plan) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(d.action, d.reason) for d in plan.decisions]


def test_rules_in_order() -> None:
    """done > tracked > state > remote marker > repeat > similar > new, each with its reason."""
    filed = _item("Write the Btrfs docs", line=3)
    adopted = _item("Package systemd 252", line=4)
    items = [
        _item("Old thing", line=1, done=True),
        _item("Cited thing", line=2, tracked=83),
        filed,
        adopted,
        _item("Bump the journal size", line=5),
        _item("Bump the journal size", line=9, path="other.md"),
        _item("Build the KIWI image for Hyperscale!", line=6),
        _item("Brand new item", line=7),
    ]
    known = {filed.fingerprint: Known("filed", 12, "https://pagure.example/p/issue/12")}
    remote = [_ref(40, "Package systemd 252", marker=adopted.fingerprint), _ref(41, "Build the KIWI image for Hyperscale")]
    plan = make_plan(items, known=known, remote=remote)
    assert _reasons(plan) == [
        (SKIP, "done"), (SKIP, "tracked"), (SKIP, "filed"), (ADOPT, "remote"),
        (NEW, "new"), (SKIP, "repeat"), (SKIP, "similar"), (NEW, "new"),
    ]
    details = [d.detail for d in plan.decisions]
    assert details[1] == "already tracked as #83"
    assert details[2] == "filed earlier as #12 (https://pagure.example/p/issue/12)"
    assert details[5] == "same item as notes.md:5"
    assert details[6].startswith("possible duplicate of #41")
    assert plan.summary() == "2 new, 6 skipped (1 done, 1 filed, 1 remote, 1 repeat, 1 similar, 1 tracked)"


def test_include_done_and_force() -> None:
    """--include-done files done items; --force files near-duplicates."""
    items = [_item("Old thing", done=True), _item("Build the KIWI image", line=2)]
    remote = [_ref(41, "Build the KIWI image.")]
    plan = make_plan(items, known={}, remote=remote, include_done=True, force=True)
    assert _reasons(plan) == [(NEW, "new"), (NEW, "new")]


def test_closed_or_different_remote_issues_are_not_duplicates() -> None:
    """Only open issues with nearly the same title count, at the documented 0.9 threshold."""
    items = [_item("Build the KIWI image")]
    closed = make_plan(items, known={}, remote=[_ref(1, "Build the KIWI image", is_open=False)])
    different = make_plan(items, known={}, remote=[_ref(2, "Review the KIWI docs")])
    assert _reasons(closed) == [(NEW, "new")]
    assert _reasons(different) == [(NEW, "new")]


def test_pending_rows_are_refiled_only_after_a_remote_check() -> None:
    """A pending or failed row is not 'filed': the item is new, and says so."""
    item = _item("Package systemd 252")
    known = {item.fingerprint: Known("pending", None, None)}
    offline = make_plan([item], known=known, remote=None)
    online = make_plan([item], known=known, remote=[])
    assert offline.decisions[0].detail == "pending in an earlier run, the tracker is checked before filing"
    assert online.decisions[0].detail == "pending in an earlier run, not on the tracker"
    assert not offline.remote_checked and online.remote_checked


def test_marker_wins_over_similar_title() -> None:
    """An issue carrying the item's marker is adopted even if its title was edited."""
    item = _item("Package systemd 252")
    remote = [_ref(7, "systemd 252 packaging (edited)", marker=item.fingerprint)]
    plan = make_plan([item], known={}, remote=remote)
    assert (plan.decisions[0].action, plan.decisions[0].issue_id) == (ADOPT, 7)


def test_tracked_in_one_file_is_tracked_everywhere() -> None:
    """The same action cited as #83 in one file and repeated bare in another is not filed."""
    items = [_item("Document the KIWI pipeline", tracked=83), _item("Document the KIWI pipeline", line=9, path="later.md")]
    plan = make_plan(items, known={}, remote=[])
    assert [(d.action, d.detail) for d in plan.decisions] == [(SKIP, "already tracked as #83")] * 2
