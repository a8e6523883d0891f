"""End to end: ``notes2tickets sync`` as a subprocess against the stand-in Pagure server (happy paths, dedup, output)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from notes2tickets.extract import parse_paths
from notes2tickets.sync.body import marker
from tests.fakepagure import DEFAULT_PROJECT
from tests.sync_support import IN_PROCESS, ISSUES, NEW_TITLES, NOTES, SyncEnv, env  # noqa: F401 - env is a fixture


def fingerprints(path: Path) -> dict[str, str]:
    """Title -> fingerprint of the items in a notes file."""
    return {i.title: i.fingerprint for i in parse_paths([str(path)]).items}


def test_dry_run_without_token_sends_nothing_and_writes_nothing(env: SyncEnv) -> None:
    """No token: the dry run sends no request, creates no file anywhere and says the remote check was skipped."""
    env.token = None
    home = Path(os.environ["HOME"])
    home_before = sorted(home.rglob("*"))
    before = env.files()
    result = env.run("notes.md", "--dry-run")
    assert result.code == 0
    assert env.fake.log == []
    assert env.files() == before == ["notes.md"]
    assert sorted(home.rglob("*")) == home_before  # XDG_STATE_HOME lives here too
    assert result.out.splitlines()[-2:] == [
        "4 new, 2 skipped (1 done, 1 tracked)",
        "dry run: remote check skipped, no token: set $PAGURE_API_TOKEN (a token of the project with the issue_create "
        "ACL) to check the tracker too; state-only dedup; nothing was written",
    ]
    assert result.err == ""


def test_dry_run_with_token_only_reads(env: SyncEnv) -> None:
    """With a token the dry run reconciles with one listing GET, checks the owners with GETs, and writes no file."""
    before = env.files()
    result = env.run("notes.md", "--dry-run")
    assert result.code == 0
    assert [(r.method, r.path) for r in env.fake.log][0] == ("GET", ISSUES)
    assert {r.method for r in env.fake.log} == {"GET"}
    assert env.fake.log[0].query == {"status": ["all"], "per_page": ["100"], "order": ["asc"], "page": ["1"]}
    assert env.files() == before
    assert result.out.splitlines()[-1] == f"dry run: remote check done on {env.url} ({DEFAULT_PROJECT}); nothing was written"


@IN_PROCESS
def test_dry_run_table_shows_decision_reason_owner_tags_and_place(env: SyncEnv) -> None:
    """The dry-run table has one row per item with decision, file:line, owner, title and reason; -v adds tags."""
    rows = env.run("notes.md", "--dry-run").out.splitlines()
    assert rows[0].split() == ["DECISION", "WHERE", "OWNER", "TITLE", "REASON"]
    assert rows[1].split() == ["new", "notes.md:10", "davide", "Update", "the", "kernel", "docs", "-"]
    assert rows[3].split()[:3] == ["skipped", "notes.md:12", "neal"]
    assert rows[3].endswith("done in the notes (use --include-done to file it)")
    assert rows[4].endswith("already tracked as #83")
    verbose = env.run("notes.md", "--dry-run", "-v").out.splitlines()
    assert verbose[0].split() == ["DECISION", "WHERE", "OWNER", "TAGS", "TITLE", "REASON"]
    assert verbose[1].split()[3] == "docs,kernel"


@pytest.mark.parametrize("args", [("--dry-run", "--offline"), ("--offline",)])
def test_offline_sends_nothing(env: SyncEnv, args: tuple[str, ...]) -> None:
    """--offline (with or without --dry-run) sends no request even with a token, and files nothing."""
    result = env.run("notes.md", *args)
    assert result.code == 0
    assert env.fake.log == []
    assert env.fake.issues() == []
    assert "remote check skipped with --offline" in result.out.splitlines()[-1]
    assert env.files() == ["notes.md"]


@IN_PROCESS  # the plan's order (conftest.plan_order); a real run picks its first item at random
def test_real_run_posts_once_per_new_item_with_exact_fields(env: SyncEnv) -> None:
    """Four new items: four POST new_issue, each with exactly the fields Pagure wants."""
    fps = fingerprints(env.root / "notes.md")
    result = env.run("notes.md")
    assert result.code == 0
    assert env.fake.creates() == 4
    forms = env.fake.raw_creates
    assert [f["title"] for f in forms] == [[t] for t in NEW_TITLES]
    assert [sorted(f) for f in forms] == [
        ["assignee", "issue_content", "tag", "title"],
        ["issue_content", "title"],
        ["assignee", "issue_content", "milestone", "priority", "private", "title"],
        ["assignee", "issue_content", "title"],
    ]
    assert (forms[0]["tag"], forms[0]["assignee"]) == (["docs,kernel"], ["davide"])
    assert forms[2]["assignee"] == ["neal"]
    assert forms[2]["priority"] == ["1"]  # the key of the "High" label written in the notes
    assert forms[2]["milestone"] == ["2022-Q4"]
    assert forms[2]["private"] == ["true"]
    assert forms[3]["assignee"] == ["anita"]
    for form, title in zip(forms, NEW_TITLES):
        assert form["issue_content"][0].endswith("\n\n" + marker(fps[title]) + "\n")
    assert result.out == "4 filed, 0 adopted, 0 failed; skipped: 1 done, 1 tracked\n"
    assert [i["private"] for i in env.fake.issues()] == [False, False, True, False]


@IN_PROCESS
def test_real_run_progress_lines(env: SyncEnv) -> None:
    """One progress line per item on stderr: [i/n] filed #id "title" URL."""
    err = env.run("notes.md").err.splitlines()
    filed = [line for line in err if not line.startswith("  ")]
    assert filed == [
        f'[{n}/4] filed #{n} "{title}" {env.url}/{DEFAULT_PROJECT}/issue/{n}' for n, title in enumerate(NEW_TITLES, 1)
    ]


def test_rerun_files_nothing_and_sends_no_request(env: SyncEnv) -> None:
    """A second run over the same notes with complete state sends 0 requests."""
    assert env.run("notes.md").code == 0
    env.fake.reset_log()
    result = env.run("notes.md")
    assert result.code == 0
    assert env.fake.log == []
    assert result.out == "0 filed, 0 adopted, 0 failed; skipped: 1 done, 4 known, 1 tracked\n"
    assert len(env.fake.issues()) == 4


@IN_PROCESS
def test_fresh_state_adopts_issues_carrying_markers(env: SyncEnv) -> None:
    """Empty state, two items already on the tracker (markers): both adopted, only two filed, no duplicate."""
    fps = fingerprints(env.root / "notes.md")
    env.fake.add_issue("Update the kernel docs (edited)", "text\n\n" + marker(fps["Update the kernel docs"]))
    env.fake.add_issue("whatever", "x " + marker(fps["Rebuild the cloud images"]), status="Closed", close_status="Fixed")
    result = env.run("notes.md")
    assert result.code == 0
    assert env.fake.creates() == 2
    assert env.fake.titles() == ["Update the kernel docs (edited)", "whatever", "Test Btrfs compression", "Review the journald limits"]
    assert result.out == "2 filed, 2 adopted, 0 failed; skipped: 1 done, 1 tracked\n"
    status = json.loads(env.run("--format", "json", command="status").out)["rows"]
    assert sorted((r["issue_id"], r["status"]) for r in status) == [(1, "filed"), (2, "filed"), (3, "filed"), (4, "filed")]
    env.fake.reset_log()
    assert env.run("notes.md").code == 0
    assert env.fake.log == []


@IN_PROCESS
def test_same_item_in_two_files_is_filed_once(env: SyncEnv) -> None:
    """An item repeated in a second file is planned as a repeat and filed once."""
    env.write("copy.md", NOTES.replace("SIG meeting", "SIG meeting, again"))
    dry = json.loads(env.run("notes.md", "copy.md", "--dry-run", "--offline", "--format", "json").out)
    assert [d["reason"] for d in dry["items"]][6:] == ["repeat", "repeat", "done", "tracked", "repeat", "repeat"]
    assert dry["items"][6]["detail"] == "same item as notes.md:10"
    result = env.run("notes.md", "copy.md")
    assert result.code == 0
    assert env.fake.creates() == 4
    assert env.fake.titles() == list(NEW_TITLES)


@IN_PROCESS
def test_near_duplicate_open_issue_is_skipped_unless_force(env: SyncEnv) -> None:
    """An open issue with nearly the same title skips the item; a closed one does not; --force files it."""
    env.fake.add_issue("Rebuild the cloud image")  # open, no marker
    env.fake.add_issue("Update the kernel doc", status="Closed", close_status="Fixed")
    result = env.run("notes.md")
    assert result.code == 0
    assert env.fake.titles()[2:] == ["Update the kernel docs", "Test Btrfs compression", "Review the journald limits"]
    assert result.out.splitlines() == [
        f'not filed: "Rebuild the cloud images" at notes.md:11 looks like #1 {env.url}/{DEFAULT_PROJECT}/issue/1',
        "  file it anyway: notes2tickets sync --force notes.md",
        "3 filed, 0 adopted, 0 failed; skipped: 1 done, 1 similar, 1 tracked",
    ]
    similar = [i for i in json.loads(env.run("notes.md", "--format", "json").out)["items"] if i["reason"] == "similar"]
    assert [(i["decision"], i["issue"]["id"]) for i in similar] == [("skipped", 1)]
    dry = env.run("notes.md", "--dry-run", "--color", "never").out
    assert f"possible duplicate of #1 \"Rebuild the cloud image\" ({env.url}/{DEFAULT_PROJECT}/issue/1); --force files it" in dry
    forced = env.run("notes.md", "--force")
    assert forced.code == 0
    assert env.fake.titles()[5:] == ["Rebuild the cloud images"]
    assert forced.out == "1 filed, 0 adopted, 0 failed; skipped: 1 done, 3 known, 1 tracked\n"


@IN_PROCESS
def test_done_item_filed_only_with_include_done(env: SyncEnv) -> None:
    """A done ([x]) item is skipped, and filed by --include-done."""
    assert env.run("notes.md").code == 0
    assert "Publish the container images" not in env.fake.titles()
    result = env.run("notes.md", "--include-done")
    assert result.code == 0
    assert env.fake.titles()[4:] == ["Publish the container images"]
    assert result.out == "1 filed, 0 adopted, 0 failed; skipped: 4 known, 1 tracked\n"


@IN_PROCESS
def test_tracked_item_is_never_filed(env: SyncEnv) -> None:
    """An item citing #83 is skipped as already tracked, even with --include-done and --force."""
    dry = json.loads(env.run("notes.md", "--dry-run", "--format", "json").out)
    tracked = [d for d in dry["items"] if d["reason"] == "tracked"]
    assert [(d["decision"], d["detail"], d["issue"]) for d in tracked] == [("skipped", "already tracked as #83", {"id": 83, "url": None})]
    assert env.run("notes.md", "--include-done", "--force").code == 0
    assert "Follow up on the KIWI pipeline" not in env.fake.titles()


@IN_PROCESS
def test_unknown_owner_is_filed_unassigned_named_and_reported(env: SyncEnv) -> None:
    """An owner unknown to the tracker: no assignee sent, the owner named in the body, a warning printed."""
    result = env.run("notes.md")
    issue = env.fake.issues()[1]
    assert (issue["title"], issue["assignee"]) == ("Rebuild the cloud images", None)
    assert "- **Owner:** ghostuser\n- ghostuser is not a user of this tracker, so the ticket is unassigned." in issue["content"]
    assert f"  warning: ghostuser is not a user of {env.url}: filed unassigned, owner named in the body" in result.err.splitlines()
    assert env.fake.count("GET", "/api/0/users") == 2  # ghostuser and neal; davide and anita are project members


@IN_PROCESS
def test_invalid_priority_and_milestone_are_dropped_and_reported(env: SyncEnv) -> None:
    """A priority and a milestone the project lacks: filed without them, noted in the body, warned about."""
    result = env.run("notes.md")
    assert result.code == 0
    issue = env.fake.issues()[3]
    assert (issue["title"], issue["priority"], issue["milestone"]) == ("Review the journald limits", None, None)
    assert "- **Priority** from the notes: urgent (not a priority of this project)" in issue["content"]
    assert "- **Milestone** from the notes: 2099-Q1 (not a milestone of this project)" in issue["content"]
    warnings = [line for line in result.err.splitlines() if line.startswith("  warning: priority")]
    assert warnings == [
        f"  warning: priority 'urgent' is not one of {DEFAULT_PROJECT}'s (High, Normal, Low): filed without it; "
        f"milestone '2099-Q1' is not one of {DEFAULT_PROJECT}'s: filed without it"
    ]


ITEM_KEYS = ["title", "path", "line", "fingerprint", "decision", "reason", "detail", "issue", "owners", "tags"]


@IN_PROCESS
def test_dry_run_json(env: SyncEnv) -> None:
    """--format json on a dry run: version, summary counts, every item with its decision, warnings."""
    data = json.loads(env.run("notes.md", "--dry-run", "--format", "json").out)
    assert sorted(data) == ["items", "suggestions", "summary", "version", "warnings"]
    assert data["version"] == 1
    assert data["summary"] == {
        "new": 4, "filed": 0, "adopted": 0, "skipped": 2, "failed": 0,
        "skipped_by_reason": {"done": 1, "tracked": 1}, "dry_run": True, "remote_checked": True,
    }
    assert [(d["decision"], d["reason"], d["line"]) for d in data["items"]] == [
        ("new", "new", 10), ("new", "new", 11), ("skipped", "done", 12), ("skipped", "tracked", 13), ("new", "new", 14),
        ("new", "new", 15),
    ]
    assert list(data["items"][0]) == ITEM_KEYS
    assert data["items"][0]["path"] == "notes.md"
    assert data["items"][0]["owners"] == ["davide"]
    assert data["items"][0]["tags"] == ["docs", "kernel"]
    assert data["items"][0]["issue"] is None
    assert any("'ghostuser' at notes.md:11 is not a user" in w for w in data["warnings"])


@IN_PROCESS  # the plan's order (conftest.plan_order); a real run picks its first item at random
def test_real_run_json(env: SyncEnv) -> None:
    """--format json on a real run: the same shape, every item (skipped ones too) with what was done."""
    data = json.loads(env.run("notes.md", "--format", "json").out)
    assert sorted(data) == ["items", "summary", "version", "warnings"]
    assert data["summary"] == {
        "new": 4, "filed": 4, "adopted": 0, "skipped": 2, "failed": 0,
        "skipped_by_reason": {"done": 1, "tracked": 1}, "dry_run": False, "remote_checked": True,
    }
    assert [(d["decision"], d["issue"] and d["issue"]["id"], d["line"]) for d in data["items"]] == [
        ("filed", 1, 10), ("filed", 2, 11), ("skipped", None, 12), ("skipped", 83, 13), ("filed", 3, 14), ("filed", 4, 15),
    ]
    assert list(data["items"][0]) == ITEM_KEYS
    assert data["items"][0]["issue"] == {"id": 1, "url": f"{env.url}/{DEFAULT_PROJECT}/issue/1"}
    assert data["items"][1]["detail"] == f"ghostuser is not a user of {env.url}: filed unassigned, owner named in the body"


@IN_PROCESS
def test_status_text_and_json(env: SyncEnv) -> None:
    """`status` lists the rows: a table, or JSON with status, issue id and place."""
    assert env.run(command="status").out == "no state rows\n"
    env.run("notes.md")
    fps = fingerprints(env.root / "notes.md")
    text = env.run(command="status").out.splitlines()
    assert text[0].split() == ["STATUS", "ISSUE", "WHERE", "FINGERPRINT", "TITLE"]
    assert text[1].split() == ["filed", "#1", "notes.md:10", fps["Update the kernel docs"], "Update", "the", "kernel", "docs"]
    assert len(text) == 5
    rows = json.loads(env.run("--format", "json", command="status").out)["rows"]
    assert [(r["status"], r["issue_id"], r["path"], r["line"], r["title"]) for r in rows] == [
        ("filed", n, "notes.md", line, title) for n, line, title in zip((1, 2, 3, 4), (10, 11, 14, 15), NEW_TITLES)
    ]
    assert {(r["url"], r["project"]) for r in rows} == {(env.url, DEFAULT_PROJECT)}


@IN_PROCESS
def test_url_with_trailing_slash_shares_state(env: SyncEnv) -> None:
    """PAGURE_URL with a trailing slash names the same tracker: status and the dry run see the filed rows."""
    env.url = env.fake.url + "/"
    assert env.run("notes.md").code == 0
    env.fake.reset_log()
    assert env.run("notes.md", "--dry-run").out.splitlines()[-2] == "0 new, 6 skipped (1 done, 4 known, 1 tracked)"
    assert len(json.loads(env.run("--format", "json", command="status").out)["rows"]) == 4
    assert env.fake.log == []


def test_sample_notes_quick_start(env: SyncEnv) -> None:
    """The README quick start: `sync sample-notes --dry-run` with no token works offline and sends nothing."""
    env.token = None
    sample = Path(__file__).resolve().parents[2] / "sample-notes"
    result = env.run(str(sample), "--dry-run")
    assert result.code == 0
    assert env.fake.log == []
    assert "remote check skipped" in result.out.splitlines()[-1]


@IN_PROCESS
def test_real_run_without_project_is_a_config_error(env: SyncEnv) -> None:
    """A real run with no project set exits 2 with one line naming the settings; nothing is sent."""
    env.project = ""
    result = env.run("notes.md")
    assert result.code == 2
    assert result.err == (
        "error: no Pagure project set: pass --project NS/REPO, set $PAGURE_PROJECT, "
        "or put project = \"ns/repo\" in .notes2tickets.toml\n"
    )
    assert env.fake.log == []


def test_in_process_main_matches_subprocess(env: SyncEnv) -> None:
    """cli.main in-process prints the same dry-run plan and exit code as the subprocess."""
    inside = env.main("notes.md", "--dry-run", "--offline")
    outside = env.run("notes.md", "--dry-run", "--offline")
    assert inside == outside
    assert inside.code == 0
