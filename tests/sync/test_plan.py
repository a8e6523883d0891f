"""make_plan: one decision per item, first matching rule wins."""

from __future__ import annotations

import pytest

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
        (SKIP, "done"), (SKIP, "tracked"), (SKIP, "known"), (ADOPT, "remote"),
        (NEW, "new"), (SKIP, "repeat"), (SKIP, "similar"), (NEW, "new"),
    ]
    details = [d.detail for d in plan.decisions]
    assert details[1] == "already tracked as #83"
    assert details[2] == "filed earlier as #12 (https://pagure.example/p/issue/12)"
    assert details[5] == "same item as notes.md:5"
    assert details[6].startswith("possible duplicate of #41")
    assert plan.summary() == "2 new, 6 skipped (1 done, 1 known, 1 remote, 1 repeat, 1 similar, 1 tracked)"


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


def _file(text: str, path: str = "notes.md") -> list[ActionItem]:
    from notes2tickets.extract import extract_text

    return extract_text(text, path=path)


TWO_OWNERS = "## Action items\n### Kernel\n- neal to follow up with upstream\n### systemd\n- anita to follow up with upstream\n"


def test_near_duplicates_only_against_hand_filed_issues() -> None:
    """An issue with a notes2tickets marker is an item, not a near-duplicate: a look-alike item is still filed."""
    items = [_item("Task number 10 about subsystem b919")]
    ours = make_plan(items, known={}, remote=[_ref(5, "Task number 1 about subsystem b919", marker="0" * 16)])
    theirs = make_plan(items, known={}, remote=[_ref(5, "Task number 10 about subsystem b919!")])
    assert _reasons(ours) == [(NEW, "new")]
    assert _reasons(theirs) == [(SKIP, "similar")]
    assert theirs.decisions[0].detail.startswith('possible duplicate of #5 "Task number 10 about subsystem b919!" (')


@pytest.mark.parametrize(("title", "hand_filed"), [
    ("Update the docs for CentOS Stream 10", "Update the docs for CentOS Stream 9"),
    ("Finish task 10", "Finish task 1"),
    ("Package systemd 2.5.3", "Package systemd 2.5.2"),
    ("Package systemd 2.2.5", "Package systemd 2.5.2"),
])
def test_titles_differing_in_a_number_are_not_similar(title: str, hand_filed: str) -> None:
    """'Stream 9'/'Stream 10', 'task 1'/'task 10': a number makes another action."""
    assert _reasons(make_plan([_item(title)], known={}, remote=[_ref(1, hand_filed)])) == [(NEW, "new")]


def test_old_fingerprint_in_state_keeps_matching() -> None:
    """A ticket filed by 0.1.0 under the title with the owner's name in it is found, never refiled."""
    [item] = _file("## Action items\n- dcavalca: write the FOSDEM trip report (carried over)\n")
    old = fingerprint("Dcavalca write the FOSDEM trip report")  # what 0.1.0 made of "ACTION: dcavalca write ..."
    assert item.fingerprint != old
    plan = make_plan([item], known={old: Known("filed", 4, "u/4")}, remote=None)
    assert [(d.reason, d.issue_id) for d in plan.decisions] == [("known", 4)]
    marker_plan = make_plan([item], known={}, remote=[_ref(4, "Dcavalca write the FOSDEM trip report", marker=old)])
    assert [(d.action, d.issue_id) for d in marker_plan.decisions] == [(ADOPT, 4)]


def test_two_owners_are_two_tickets_and_map_back_next_meeting() -> None:
    """Same words for two owners: two new items; the next meeting's copies are repeats of their own one."""
    items = _file(TWO_OWNERS, "m1.md") + _file(TWO_OWNERS, "m2.md")
    plan = make_plan(items, known={}, remote=[])
    assert _reasons(plan) == [(NEW, "new"), (NEW, "new"), (SKIP, "repeat"), (SKIP, "repeat")]
    assert [d.detail for d in plan.decisions[2:]] == ["same item as m1.md:3", "same item as m1.md:5"]


def test_copies_that_cannot_be_told_from_an_earlier_ticket_are_skipped_with_a_reason() -> None:
    """The text had one ticket before a second owner's copy appeared, and nothing says whose: nothing filed."""
    items = _file(TWO_OWNERS)
    base = items[0].base
    assert base is not None
    plan = make_plan(items, known={base: Known("filed", 9, "u/9")}, remote=None)
    assert _reasons(plan) == [(SKIP, "ambiguous"), (SKIP, "ambiguous")]
    assert "#9 is one of them: cannot tell which" in plan.decisions[0].detail
    forced = make_plan(items, known={base: Known("filed", 9, "u/9")}, remote=None, force=True)
    assert _reasons(forced) == [(NEW, "new"), (NEW, "new")]
    cited = _file(TWO_OWNERS.replace("neal to follow up with upstream", "neal to follow up with upstream (#9)"))
    assert _reasons(make_plan(cited, known={base: Known("filed", 9, "u/9")}, remote=None)) == [(SKIP, "tracked"), (NEW, "new")]


def test_lone_copy_in_an_earlier_file_resolves_which_copy_is_which() -> None:
    """neal's action alone in m1, then neal's and anita's in m2: neal's is the same item, anita's is new."""
    first = _file("## Action items\n### Kernel\n- neal to follow up with upstream\n", "m1.md")
    items = first + _file(TWO_OWNERS, "m2.md")
    fresh = make_plan(items, known={}, remote=[])
    assert _reasons(fresh) == [(NEW, "new"), (SKIP, "repeat"), (NEW, "new")]
    after = make_plan(items, known={first[0].fingerprint: Known("filed", 3, "u/3")}, remote=[])
    assert _reasons(after) == [(SKIP, "known"), (SKIP, "repeat"), (NEW, "new")]


def test_an_issue_is_adopted_once_per_run() -> None:
    """After losing state, an item repeated in two files is adopted once, the copy is a repeat."""
    a, b = _item("Bump the journal size"), _item("Bump the journal size", path="later.md", line=7)
    plan = make_plan([a, b], known={}, remote=[_ref(3, "Bump the journal size", marker=a.fingerprint)])
    assert _reasons(plan) == [(ADOPT, "remote"), (SKIP, "repeat")]


def test_decisions_do_not_depend_on_what_an_earlier_run_filed() -> None:
    """Look-alike titles: the plan after any prefix of them was filed files exactly the rest."""
    items = [_item(f"Task number {n} about subsystem b919", line=n) for n in range(1, 21)]
    for done in range(21):
        remote = [_ref(n, i.title, marker=i.fingerprint) for n, i in enumerate(items[:done], 1)]
        plan = make_plan(items, known={}, remote=remote)
        assert _reasons(plan) == [(ADOPT, "remote")] * done + [(NEW, "new")] * (20 - done)


def test_a_filed_alias_wins_over_a_pending_primary() -> None:
    """State holds a pending row under the new fingerprint and the 0.1.0 ticket under the old: known, not refiled."""
    [item] = _file("## Action items\n- dcavalca: write the FOSDEM trip report\n")
    old = fingerprint("Dcavalca write the FOSDEM trip report")
    known = {item.fingerprint: Known("pending", None, None), old: Known("filed", 4, "u/4")}
    assert [(d.reason, d.issue_id) for d in make_plan([item], known=known, remote=None).decisions] == [("known", 4)]
