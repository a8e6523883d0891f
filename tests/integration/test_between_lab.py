"""Issue 14 against the real Pagure of the lab: agenda, close_done and annotate, end to end.

Uses the integration suite's fixtures (``tests/integration/conftest.py``).
"""

from __future__ import annotations

import json
from typing import Any, Dict, List

from notes2tickets.sync.closing import CLOSED_NOTE
from tests.integration.conftest import Cli, pagure_issues
from tests.integration.lab import Lab

NOTES = """\
# SIG meeting (2026-11-02)

## Action items

- [ ] @davide to update the kernel docs
- [ ] @neal to rebuild the cloud images   
- [ ] @anita to review the journald limits
"""


def _filed(cli: Cli) -> Dict[str, Dict[str, Any]]:
    cli.write("notes.md", NOTES)
    cli.write(".notes2tickets.toml", "close_done = true\n")
    result = cli("sync", "notes.md")
    assert result.code == 0, result.err
    return {i["title"]: i for i in pagure_issues(cli.lab)}


def _ours(issue: Dict[str, Any]) -> List[str]:
    return [c["comment"] for c in issue["comments"] if f"<!-- notes2tickets:close:{issue['id']} -->" in c["comment"]]


def test_agenda_paste_close_round_trip(cli: Cli, lab: Lab) -> None:
    """agenda lists Pagure's status; pasted and ticked, sync closes that ticket as Fixed with one comment, once."""
    issues = _filed(cli)
    rebuild = issues["Rebuild the cloud images"]["id"]
    docs = issues["Update the kernel docs"]["id"]
    mark = lab.mark()
    block = cli("agenda", "notes.md")
    assert block.code == 0, block.err
    assert {h.method for h in lab.hits_since(mark)} == {"GET"}
    assert f"- [ ] Update the kernel docs ([#{docs}]({lab.url}/{lab.project}/issue/{docs})) @davide" in block.out
    ticked = block.out.replace("- [ ] Rebuild the cloud images", "- [x] Rebuild the cloud images")
    cli.write("next.md", f"# SIG meeting (2026-11-16)\n\n{ticked}")
    plan = json.loads(cli("sync", "next.md", "--dry-run", "--format", "json").out)["items"]
    assert [(d["decision"], d["issue"]["id"]) for d in plan if d["decision"] != "skipped"] == [("close", rebuild)]
    assert cli("sync", "next.md").code == 0
    assert cli("sync", "next.md").code == 0  # a second run closes nothing more
    after = {i["id"]: i for i in pagure_issues(lab)}
    assert (after[rebuild]["status"], after[rebuild]["close_status"]) == ("Closed", "Fixed")
    assert len(_ours(after[rebuild])) == 1
    # What tells a closed-then-reopened ticket from one never closed: Pagure's own comment after ours.
    comments = [c["comment"] for c in after[rebuild]["comments"]]
    assert any(CLOSED_NOTE in c for c in comments[comments.index(_ours(after[rebuild])[0]) + 1:]), comments
    assert [i["status"] for k, i in after.items() if k != rebuild] == ["Open", "Open"]
    assert len(after) == 3  # nothing filed twice


def test_annotate_against_lab_state(cli: Cli, lab: Lab) -> None:
    """annotate writes the ids Pagure gave, keeps the trailing spaces, and parse reports them tracked."""
    issues = _filed(cli)
    assert cli("annotate", "notes.md").code == 0
    text = (cli.root / "notes.md").read_text(encoding="utf-8")
    rebuild = issues["Rebuild the cloud images"]["id"]
    assert f"- [ ] @neal to rebuild the cloud images (#{rebuild})   \n" in text
    tracked = {i["title"]: i["tracked"] for i in cli.items("notes.md")}
    assert tracked == {title: issue["id"] for title, issue in issues.items()}


def test_check_reports_close_done_acls(cli: Cli, lab: Lab) -> None:
    """check asks Pagure for the two ACLs on issue 0 (refused as ENOISSUE, nothing changes) and reports them."""
    cli.write("notes.md", NOTES)
    cli.write(".notes2tickets.toml", "close_done = true\n")
    mark = lab.mark()
    result = cli("check", "notes.md")
    assert result.code == 0, result.out
    assert "ok       acls        the token has issue_change_status and issue_comment (for close_done)" in result.out
    probes = [h for h in lab.hits_since(mark) if "/issue/0/" in h.path]
    assert [(h.method, h.path.rsplit("/", 1)[-1], h.status) for h in probes] == [("POST", "status", 404), ("POST", "comment", 404)]
    assert pagure_issues(lab) == []
