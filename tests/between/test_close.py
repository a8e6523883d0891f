"""close_done: a later notes file ticks an item off, sync closes its open ticket once, with one comment."""

from __future__ import annotations

import json

from notes2tickets.state.store import StateStore
from notes2tickets.sync.closing import marker
from tests.fakepagure import DEFAULT_PROJECT, TokenSpec
from tests.sync_support import IN_PROCESS, SyncEnv, env  # noqa: F401 - env is a fixture

LATER = """\
# SIG meeting 2022-11-16

## Action items from last meeting

- [x] @davide to update the kernel docs
- [ ] @ghostuser to rebuild the cloud images
"""


def _setup(env: SyncEnv, *, close_done: bool = True) -> int:
    if close_done:
        env.config("close_done = true\n")
    assert env.run("notes.md").code == 0
    env.write("later.md", LATER)
    return next(i["id"] for i in env.fake.issues() if i["title"] == "Update the kernel docs")


def _issue(env: SyncEnv, issue_id: int) -> dict:
    return next(i for i in env.fake.issues() if i["id"] == issue_id)


def _ours(issue: dict) -> list:
    return [c for c in issue["comments"] if marker(issue["id"]) in c["comment"]]


@IN_PROCESS
def test_dry_run_shows_close_and_changes_nothing(env: SyncEnv) -> None:
    """The dry run lists a 'close' decision and sends only GETs."""
    docs = _setup(env)
    env.fake.reset_log()
    result = env.run("later.md", "--dry-run")
    assert result.code == 0, result.err
    row = next(line for line in result.out.splitlines() if line.startswith("close"))
    assert "later.md:5" in row and f"done in the notes: close #{docs}" in row
    assert "0 new, 1 to close, 1 skipped (1 known)" in result.out
    assert all(r.method == "GET" for r in env.fake.log)
    assert _issue(env, docs)["status"] == "Open"


@IN_PROCESS
def test_sync_closes_fixed_with_one_comment_linking_the_line(env: SyncEnv) -> None:
    """The ticket is closed as Fixed with one comment naming the notes line; title, owner, body unchanged."""
    docs = _setup(env)
    before = _issue(env, docs)
    result = env.run("later.md")
    assert result.code == 0, result.err
    assert result.out.startswith("0 filed, 0 adopted, 0 failed, 1 closed")
    after = _issue(env, docs)
    assert (after["status"], after["close_status"]) == ("Closed", "Fixed")
    assert [c["comment"] for c in _ours(after)] == [
        f"Marked done in the meeting notes: later.md line 5. Closed by notes2tickets.\n\n{marker(docs)}"]
    for key in ("title", "content", "assignee"):
        assert after[key] == before[key]
    again = env.run("later.md")
    assert again.code == 0 and len(_ours(_issue(env, docs))) == 1
    assert env.fake.count("POST", "/status") == 1 + 1  # the ACL probe on issue 0, then the one close


@IN_PROCESS
def test_never_recloses_a_ticket_reopened_after_the_tool_closed_it(env: SyncEnv) -> None:
    """Reopened by a person after our close: sync leaves it open and says why."""
    docs = _setup(env)
    assert env.run("later.md").code == 0
    env.fake.update_issue(docs, status="Open", close_status=None, closed_at=None)
    result = env.run("later.md", "--dry-run")
    assert "reopened since, so left open" in result.out
    assert env.run("later.md").code == 0
    assert _issue(env, docs)["status"] == "Open"
    assert len(_ours(_issue(env, docs))) == 1


@IN_PROCESS
def test_off_by_default(env: SyncEnv) -> None:
    """Without close_done a done item is only skipped; the ticket stays open."""
    docs = _setup(env, close_done=False)
    assert env.run("later.md").code == 0
    assert _issue(env, docs)["status"] == "Open"
    assert env.fake.count("POST", "/status") == 0


@IN_PROCESS
def test_tracked_done_item_and_project_without_fixed(env: SyncEnv) -> None:
    """'- [x] … (#N)' closes #N; a project without a "Fixed" close status gets a plain close."""
    env.config("close_done = true\n")
    env.fake._proj(None).close_statuses = ["Invalid"]
    issue = env.fake.add_issue("Someone else's ticket", issue_id=7)
    env.write("done.md", "# M 2022-12-01\n\n- [x] finish the thing (#7)\n")
    assert env.run("done.md").code == 0
    after = _issue(env, issue["id"])
    assert (after["status"], after["close_status"]) == ("Closed", None)


def test_missing_acl_stops_before_any_comment(env: SyncEnv) -> None:
    """A token without issue_change_status: exit 2 naming the ACL, nothing commented or closed."""
    docs = _setup(env)
    env.fake.tokens = {"LIMITED": TokenSpec("bot", DEFAULT_PROJECT, acls=("issue_create", "issue_comment"))}
    env.token = "LIMITED"
    result = env.run("later.md")
    assert result.code == 2
    assert result.err.startswith("error: close_done needs the issue_change_status ACL(s) on centos-sig-hyperscale/sig")
    assert "LIMITED" not in result.err
    assert _ours(_issue(env, docs)) == [] and _issue(env, docs)["status"] == "Open"


def _died_after_our_comment(env: SyncEnv) -> tuple:
    """State says 'closing' and our comment is on the ticket: a run died after posting it. (id, the fake's issue)"""
    docs = _setup(env)
    with StateStore.open(env.state) as store:
        store.mark_closing(url=env.url, project=env.project, issue_id=docs, fingerprint="x", path="later.md", line=5)
    issue = env.fake._proj(None).issues[docs]
    env.fake._add_comment(issue, f"earlier\n\n{marker(docs)}", "bot")
    return docs, issue


@IN_PROCESS
def test_interrupted_close_is_finished_without_a_second_comment(env: SyncEnv) -> None:
    """State says 'closing' and our comment is there (crash after the comment): the next run only closes."""
    docs, _ = _died_after_our_comment(env)
    assert env.run("later.md").code == 0
    after = _issue(env, docs)
    assert after["status"] == "Closed" and len(_ours(after)) == 1
    with StateStore.open(env.state) as store:
        assert store.closes(env.url, env.project) == {docs: "closed"}


@IN_PROCESS
def test_closed_then_reopened_before_the_state_said_closed_stays_open(env: SyncEnv) -> None:
    """Our comment and close went through, the run died before writing 'closed', a person reopened it: left open."""
    docs, issue = _died_after_our_comment(env)
    env.fake._add_comment(issue, "**Metadata Update from @bot**:\n- Issue status updated to: Closed (was: Open)", "bot")
    env.fake._add_comment(issue, "**Metadata Update from @neal**:\n- Issue status updated to: Open (was: Closed)", "neal")
    result = env.run("later.md")
    assert result.code == 0, result.err
    assert "reopened since notes2tickets closed it: left open" in result.err + result.out
    assert _issue(env, docs)["status"] == "Open" and env.fake.count("POST", f"/issue/{docs}/status") == 0
    with StateStore.open(env.state) as store:
        assert store.closes(env.url, env.project) == {docs: "closed"}
    assert "reopened since, so left open" in env.run("later.md", "--dry-run").out


@IN_PROCESS
def test_json_plan_has_close_decision(env: SyncEnv) -> None:
    """The JSON dry run carries decision 'close' with the issue id."""
    docs = _setup(env)
    data = json.loads(env.run("later.md", "--dry-run", "--format", "json").out)
    assert [(d["decision"], d["issue"]["id"]) for d in data["items"] if d["decision"] == "close"] == [("close", docs)]
    assert (data["summary"]["close"], data["summary"]["closed"]) == (1, 0)
