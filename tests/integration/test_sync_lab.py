"""``notes2tickets sync``, ``state rebuild`` and ``status`` as subprocesses against the real Pagure of the lab.

Each test checks what Pagure itself holds afterwards (read back through its API) and, where it
matters, which requests the server got (its own access log).
"""

from __future__ import annotations

import json
from typing import Any, Dict, List

from tests.integration.conftest import Cli, pagure_issues
from tests.integration.lab import OTHER, Lab, list_issues

# One item per rule: assigned, unknown owner, done, tracked, private with a priority label and a
# milestone by name, a priority and a milestone the project does not have.
NOTES = """\
---
title: SIG meeting
date: 2026-11-02
---

# SIG meeting

## Action items

- [ ] @davide to update the kernel docs tags: docs, kernel
- [ ] @ghostuser to rebuild the cloud images
- [x] @neal to publish the container images
- [ ] @neal to follow up on the KIWI pipeline (#83)
- [ ] @neal to test Btrfs compression priority: high milestone: "CentOS Stream 9" (private)
- [ ] @anita to review the journald limits priority: urgent milestone: 2099-Q1
"""
OPEN_TITLES = ["Update the kernel docs", "Rebuild the cloud images", "Test Btrfs compression", "Review the journald limits"]


def marker(fingerprint: str) -> str:
    """The marker README documents at the end of every filed ticket's body."""
    return f"<!-- notes2tickets:v1:{fingerprint} -->"


def by_title(issues: List[Dict[str, Any]]) -> Dict[str, Dict[str, Any]]:
    titles = [i["title"] for i in issues]
    assert len(titles) == len(set(titles)), f"an item was filed twice: {titles}"
    return {i["title"]: i for i in issues}


def synced(cli: Cli, *args: str) -> Dict[str, Dict[str, Any]]:
    """Write NOTES, sync it, and return Pagure's issues by title."""
    cli.write("notes.md", NOTES)
    result = cli("sync", "notes.md", *args)
    assert result.code == 0, result.err
    assert result.out.splitlines()[-1] == "4 filed, 0 adopted, 0 failed; skipped: 1 done, 1 tracked"
    return by_title(pagure_issues(cli.lab))


def test_dry_run_files_nothing(cli: Cli, lab: Lab) -> None:
    """A dry run with a token reads the tracker (GETs only), prints the plan, and Pagure holds no issue after it."""
    cli.write("notes.md", NOTES)
    mark = lab.mark()
    result = cli("sync", "notes.md", "--dry-run")
    assert result.code == 0, result.err
    assert "4 new, 2 skipped (1 done, 1 tracked)" in result.out
    assert result.out.splitlines()[-1] == f"dry run: remote check done on {lab.url} ({lab.project}); nothing was written"
    hits = lab.hits_since(mark)
    assert hits and {h.method for h in hits} == {"GET"}, hits
    assert pagure_issues(lab) == []
    assert not cli.state.exists()


def test_sync_files_each_open_item_once_with_its_marker(cli: Cli, lab: Lab) -> None:
    """Each open item becomes exactly one issue whose raw content ends with the item's marker; done/tracked are not filed."""
    issues = synced(cli)
    fingerprints = {item["title"]: item["fingerprint"] for item in cli.items("notes.md")}
    assert sorted(issues) == sorted(OPEN_TITLES)
    for title, issue in issues.items():
        assert issue["content"].rstrip().endswith(marker(fingerprints[title])), issue["content"]
        assert issue["content"].count("notes2tickets:") == 1
        assert issue["status"] == "Open" and issue["user"]["name"] == "admin"  # the token's owner


def test_sync_assigns_users_and_names_strangers_in_the_body(cli: Cli) -> None:
    """An owner who is a Pagure user is the assignee; an unknown one leaves the issue unassigned and is named in the body."""
    issues = synced(cli)
    assert issues["Update the kernel docs"]["assignee"]["name"] == "davide"
    assert issues["Test Btrfs compression"]["assignee"]["name"] == "neal"
    stranger = issues["Rebuild the cloud images"]
    assert stranger["assignee"] is None
    assert "- **Owner:** ghostuser" in stranger["content"]
    assert "ghostuser is not a user of this tracker, so the ticket is unassigned." in stranger["content"]


def test_sync_sends_priority_as_key_milestone_by_name_and_tags(cli: Cli) -> None:
    """'priority: high' arrives as the project's key 1 (High), the milestone by its exact name, tags as given."""
    issues = synced(cli)
    btrfs = issues["Test Btrfs compression"]
    assert (btrfs["priority"], btrfs["milestone"]) == (1, "CentOS Stream 9")
    assert issues["Update the kernel docs"]["tags"] == ["docs", "kernel"]
    assert all(not issues[t]["tags"] for t in OPEN_TITLES[1:])
    unknown = issues["Review the journald limits"]
    assert (unknown["priority"], unknown["milestone"]) == (None, None)  # left out, named in the body
    assert "- **Priority** from the notes: urgent (not a priority of this project)" in unknown["content"]
    assert "- **Milestone** from the notes: 2099-Q1 (not a milestone of this project)" in unknown["content"]


def test_sync_files_private_only_when_asked(cli: Cli, lab: Lab) -> None:
    """Only the item marked (private) is private on Pagure; anonymous listing does not show it."""
    issues = synced(cli)
    assert {t: i["private"] for t, i in issues.items()} == {t: t == "Test Btrfs compression" for t in OPEN_TITLES}
    anonymous = [i["title"] for i in list_issues(lab.url, lab.project, None)]
    assert sorted(anonymous) == sorted(t for t in OPEN_TITLES if t != "Test Btrfs compression")


def test_config_private_makes_every_ticket_private(cli: Cli) -> None:
    """``private = true`` in the config file files every ticket private (and only then are they all private)."""
    cli.write(".notes2tickets.toml", "private = true\n")
    issues = synced(cli)
    assert [i["private"] for i in issues.values()] == [True] * 4


def test_resync_makes_no_request(cli: Cli, lab: Lab) -> None:
    """A second sync over fully filed notes sends nothing: the server's access log shows no request at all."""
    synced(cli)
    mark = lab.mark()
    again = cli("sync", "notes.md")
    assert again.code == 0, again.err
    assert again.out.splitlines()[-1] == "0 filed, 0 adopted, 0 failed; skipped: 1 done, 4 filed, 1 tracked"
    assert lab.hits_since(mark) == []
    assert len(pagure_issues(lab)) == 4


def test_fresh_state_adopts_everything(cli: Cli, lab: Lab, tmp_path: Any) -> None:
    """Another clone with empty state finds every marker on Pagure and adopts, filing nothing new."""
    before = synced(cli)
    fresh = {"NOTES2TICKETS_STATE": str(tmp_path / "fresh" / "state.sqlite3")}
    mark = lab.mark()
    result = cli("sync", "notes.md", "--format", "json", extra=fresh)
    assert result.code == 0, result.err
    report = json.loads(result.out)
    summary = report["summary"]
    assert (summary["filed"], summary["adopted"], summary["failed"]) == (0, 4, 0)
    assert summary["skipped_by_reason"] == {"done": 1, "tracked": 1}
    adopted = [item["issue"]["id"] for item in report["items"] if item["decision"] == "adopted"]
    assert sorted(adopted) == sorted(i["id"] for i in before.values())
    creates = [h for h in lab.hits_since(mark) if h.method == "POST"]
    assert [h.status for h in creates] == [400]  # only the preflight's empty form, which Pagure refuses
    assert by_title(pagure_issues(lab)).keys() == before.keys()


def test_state_rebuild_restores_the_rows_from_the_markers(cli: Cli, lab: Lab) -> None:
    """After the state file is lost, ``state rebuild`` recovers every filed item; a sync then sends nothing."""
    issues = synced(cli)
    cli.state.unlink()
    result = cli("state", "rebuild")
    assert result.code == 0, result.err
    assert result.out.startswith(f"rebuilt {cli.state}: 4 issue(s) with a notes2tickets marker out of 4 on")
    rows = json.loads(cli("status", "--format", "json").out)["rows"]
    assert sorted((r["issue_id"], r["status"]) for r in rows) == sorted((i["id"], "filed") for i in issues.values())
    mark = lab.mark()
    assert cli("sync", "notes.md").code == 0
    assert lab.hits_since(mark) == []


def test_other_projects_token_stops_the_run_with_exit_2(cli: Cli, lab: Lab) -> None:
    """The token of centos-sig-hyperscale/other: exit 2, one error line without the token, nothing filed anywhere."""
    cli.write("notes.md", NOTES)
    other = lab.token_of(OTHER)
    result = cli("sync", "notes.md", extra={"PAGURE_API_TOKEN": other})
    assert result.code == 2
    assert result.err.startswith("error: ") and len(result.err.splitlines()) == 1, result.err
    assert "EINVALIDTOK" in result.err and "Traceback" not in result.err
    assert other not in result.out + result.err
    assert pagure_issues(lab) == [] and pagure_issues(lab, OTHER) == []



def test_a_500_after_the_issue_was_committed_is_adopted_not_filed_again(cli: Cli, lab: Lab) -> None:
    """Broker down: Pagure commits the issue, then answers 500; the run finds the marker and records it, filing once."""
    cli.write("one.md", "# M\n\n## Action items\n- [ ] @davide to check the broker outage\n")
    lab.stop_broker()
    try:
        mark = lab.mark()
        result = cli("sync", "one.md")
        hits = lab.hits_since(mark)
    finally:
        lab.start()
    creates = [h.status for h in hits if h.method == "POST"]
    assert creates == [400, 500], hits  # the preflight, then the create Pagure committed before failing
    assert result.code == 0, result.err
    assert result.out.splitlines()[-1] == "0 filed, 1 adopted, 0 failed"
    assert [i["title"] for i in pagure_issues(lab)] == ["Check the broker outage"]
    assert cli("sync", "one.md").out.startswith("0 filed, 0 adopted, 0 failed")
