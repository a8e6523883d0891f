"""``notes2tickets agenda``: last meeting's items with their tickets' status, ready to paste."""

from __future__ import annotations

import json

from tests.sync_support import IN_PROCESS, SyncEnv, env  # noqa: F401 - env is a fixture

NEXT = """\
# SIG meeting 2022-11-16

{block}
## Discussion

- nothing new
"""


def _filed_and_one_closed(env: SyncEnv) -> dict:
    assert env.run("notes.md").code == 0
    ids = {i["title"]: i["id"] for i in env.fake.issues()}
    env.fake.update_issue(ids["Rebuild the cloud images"], status="Closed", close_status="Fixed",
                          closed_at="1800000000.0")
    return ids


@IN_PROCESS
def test_agenda_lists_open_then_closed_with_links_owners_meeting(env: SyncEnv) -> None:
    """Open tickets as '- [ ]' with link, @owner and meeting; closed ones as '- [x] … closed DATE'."""
    ids = _filed_and_one_closed(env)
    env.fake.reset_log()
    result = env.run("notes.md", command="agenda")
    assert result.code == 0, result.err
    docs = ids["Update the kernel docs"]
    lines = result.out.splitlines()
    assert lines[0] == "## Action items from last meeting"
    assert f"- [ ] Update the kernel docs ([#{docs}]({env.url}/{env.project}/issue/{docs})) @davide" in lines
    assert lines[lines.index(next(l for l in lines if f"[#{docs}]" in l)) + 1] == "  - from SIG meeting (2022-11-02)"
    closed = ids["Rebuild the cloud images"]
    assert lines[-1] == f"- [x] Rebuild the cloud images ([#{closed}]({env.url}/{env.project}/issue/{closed}), closed 2027-01-15)"
    assert "- [ ] Follow up on the KIWI pipeline (#83) @neal" in lines  # cited in the notes, not on the tracker
    assert env.fake.log and all(r.method == "GET" for r in env.fake.log)


@IN_PROCESS
def test_pasted_agenda_files_nothing_twice(env: SyncEnv) -> None:
    """agenda -> paste into the next notes -> sync dry run: every pasted item is tracked, nothing new."""
    _filed_and_one_closed(env)
    block = env.run("notes.md", command="agenda").out
    env.write("next.md", NEXT.format(block=block))
    result = env.run("next.md", "--dry-run", "--format", "json")
    plan = json.loads(result.out)["items"]
    assert len(plan) == 5  # 3 open + 1 closed filed tickets, and #83 cited in the notes
    assert {d["reason"] for d in plan} <= {"tracked", "done"}
    assert {d["decision"] for d in plan} == {"skipped"}
    assert json.loads(result.out)["summary"]["new"] == 0


@IN_PROCESS
def test_agenda_since_and_latest_meeting(env: SyncEnv) -> None:
    """Default: the latest meeting only; --since takes older meetings too."""
    assert env.run("notes.md").code == 0
    env.write("later.md", "# Later 2022-12-01\n\n- [ ] @anita to water the plants\n")
    assert env.run("later.md").code == 0
    latest = env.run("notes.md", "later.md", command="agenda").out
    assert "Water the plants" in latest and "kernel docs" not in latest
    both = env.run("notes.md", "later.md", "--since", "2022-11-01", command="agenda").out
    assert "Water the plants" in both and "kernel docs" in both
    bad = env.run("notes.md", "--since", "last week", command="agenda")
    assert (bad.code, bad.err) == (2, "error: --since 'last week' is not a date: write it as YYYY-MM-DD\n")


@IN_PROCESS
def test_agenda_without_token_uses_state_copy_and_says_so(env: SyncEnv) -> None:
    """No token: no request is sent; the state's copy of the tracker is used and its age is given."""
    _filed_and_one_closed(env)
    env.fake.reset_log()
    env.token = None
    result = env.run("notes.md", "--format", "json", command="agenda")
    assert env.fake.log == []
    data = json.loads(result.out)
    assert data["note"].startswith("status from the copy of the tracker in state, newest change seen ")
    assert {i["status"] for i in data["items"]} == {"open"}  # the close happened after the copy was taken


def test_block_helpers_pure() -> None:
    """Closed before its meeting: left out; a date already in the meeting title is not repeated; no items: 'None.'."""
    from notes2tickets.model import ActionItem, Meeting, RemoteRef
    from notes2tickets.sync import agenda

    meeting = Meeting("Boston meetup (2022-08-16)", "2022-08-16")
    items = [ActionItem("Old", "n.md", 3, "f1", meeting=meeting), ActionItem("Live", "n.md", 4, "f2", meeting=meeting)]
    remote = {1: RemoteRef(1, "u1", "Old", False, "f1"), 2: RemoteRef(2, "u2", "Live", True, "f2")}
    found = agenda.entries(items, ticket_of={"f1": (1, "u1"), "f2": (2, "u2")}, remote=remote,
                           closed_at={1: 1660000000.0})  # 2022-08-08, before the meeting
    assert [e.issue_id for e in found] == [2]
    assert agenda.markdown(found).splitlines()[2:] == ["- [ ] Live ([#2](u2))", "  - from Boston meetup (2022-08-16)"]
    assert agenda.markdown([]).splitlines()[2:] == ["None."]
    assert [i.title for i in agenda.pick_meetings(items + [ActionItem("Undated", "x.md", 1, "f3")], None)] == ["Old", "Live"]
