"""End to end: ``state rebuild`` from the tracker's markers, and the token never leaking anywhere."""

from __future__ import annotations

import json

from notes2tickets.sync.body import marker
from tests.fakepagure import DEFAULT_PROJECT, DEFAULT_TOKEN, ScriptedFaults
from tests.sync_support import IN_PROCESS, NEW_TITLES, SyncEnv, env  # noqa: F401 - env is a fixture


@IN_PROCESS  # the plan's order (conftest.plan_order); a real run picks its first item at random
def test_rebuild_from_markers_restores_dedup(env: SyncEnv) -> None:
    """Lost state: `state rebuild` finds every marker; the next sync files nothing and sends nothing."""
    assert env.run("notes.md").code == 0
    env.state.unlink()
    env.fake.add_issue("Someone else's issue", "no marker here")
    env.fake.reset_log()
    result = env.run(command="state rebuild")
    assert result.code == 0
    assert result.out == f"rebuilt {env.state}: 4 issue(s) with a notes2tickets marker out of 5 on {env.url}/{DEFAULT_PROJECT}\n"
    assert [(r.method, r.path) for r in env.fake.log] == [("GET", f"/api/0/{DEFAULT_PROJECT}/issues")]
    rows = json.loads(env.run("--format", "json", command="status").out)["rows"]
    assert sorted((r["issue_id"], r["status"], r["title"]) for r in rows) == [
        (n, "filed", title) for n, title in enumerate(NEW_TITLES, 1)
    ]
    env.fake.reset_log()
    again = env.run("notes.md")
    assert again.out == "0 filed, 0 adopted, 0 failed; skipped: 1 done, 4 known, 1 tracked\n"
    assert env.fake.log == []


@IN_PROCESS
def test_rebuild_keeps_the_oldest_of_two_issues_with_one_marker(env: SyncEnv) -> None:
    """Two issues carry the same marker (an old race): the rebuilt row points at the lower id."""
    env.fake.add_issue("Dup A", "a\n" + marker("aaaaaaaaaaaaaaaa"))
    env.fake.add_issue("Dup B", "b\n" + marker("aaaaaaaaaaaaaaaa"))
    assert env.run(command="state rebuild").code == 0
    rows = json.loads(env.run("--format", "json", command="status").out)["rows"]
    assert [(r["fingerprint"], r["issue_id"]) for r in rows] == [("aaaaaaaaaaaaaaaa", 1)]


def test_rebuild_moves_a_corrupt_state_file_aside(env: SyncEnv) -> None:
    """A corrupt state file: rebuild renames it (keeping its bytes), names it, and writes a fresh one."""
    env.fake.add_issue("Filed earlier", "x\n" + marker("bbbbbbbbbbbbbbbb"))
    garbage = b"not sqlite at all\n" * 200
    env.state.write_bytes(garbage)
    result = env.run(command="state rebuild")
    assert result.code == 0
    moved = sorted(env.root.glob("state.db.corrupt-*"))
    assert len(moved) == 1
    assert moved[0].read_bytes() == garbage
    assert result.err == f"warning: moved the unreadable state file aside to {moved[0]}\n"
    assert result.out == f"rebuilt {env.state}: 1 issue(s) with a notes2tickets marker out of 1 on {env.url}/{DEFAULT_PROJECT}\n"
    assert env.run(command="status").out.split()[5:7] == ["filed", "#1"]


@IN_PROCESS
def test_rebuild_without_token_warns_about_private_issues(env: SyncEnv) -> None:
    """Without a token the rebuild still reads public issues and warns that private ones are invisible."""
    env.token = None
    env.fake.add_issue("Public", "x\n" + marker("cccccccccccccccc"))
    env.fake.add_issue("Private", "x\n" + marker("dddddddddddddddd"), private=True)
    result = env.run(command="state rebuild")
    assert result.code == 0
    assert result.err.startswith("warning: no token, so private issues are invisible to the rebuild")
    assert result.out.startswith(f"rebuilt {env.state}: 1 issue(s) with a notes2tickets marker out of 1 on")


def test_token_never_appears_in_output_or_files(env: SyncEnv) -> None:
    """Dry run, real run with an ambiguous failure and an item error, errors, status, rebuild: no token bytes anywhere."""
    env.write("notes.md", (env.root / "notes.md").read_text() + "- [ ] tag the release tags: " + "t" * 300 + "\n")
    env.fake.set_faults(ScriptedFaults([None, "created_then_500"], method="POST"))
    outputs = [
        env.run("notes.md", "--dry-run"),
        env.run("notes.md", "--format", "json"),
        env.run("notes.md"),
        env.run(command="status"),
        env.run("--format", "json", command="status"),
    ]
    assert (env.root / "state.db.pending").exists()  # the tag item failed
    failed = [r for r in json.loads(outputs[-1].out)["rows"] if r["status"] == "failed"]
    assert [r["error"][:12] for r in failed] == ["tag 'ttttttt"]
    for path in env.root.rglob("state.db*"):
        assert DEFAULT_TOKEN.encode() not in path.read_bytes()
    outputs.append(env.run(command="state rebuild"))
    assert not (env.root / "state.db.pending").exists()  # rebuild dropped the failed row, so the flag goes too
    env.token = DEFAULT_TOKEN[::-1]  # a wrong token: the error message must not echo it either
    outputs.append(env.run("notes.md"))
    assert [r.code for r in outputs] == [0, 1, 1, 0, 0, 0, 2]
    for result in outputs:
        assert DEFAULT_TOKEN not in result.out + result.err
        assert env.token not in result.out + result.err
    files = [p for p in env.root.rglob("*") if p.is_file()]
    assert sorted(p.name for p in files) == ["notes.md", "state.db", "state.db.lock"]
    for path in files:
        assert DEFAULT_TOKEN.encode() not in path.read_bytes()


@IN_PROCESS
def test_filing_shares_state_commits_among_items(env: SyncEnv, monkeypatch) -> None:
    """30 new items: the filed rows share commits (not one sync to disk per item), and all are in the file after."""
    from notes2tickets.state import schema

    commits: list = []
    connect = schema.connect

    def counting(*args, **kwargs):
        conn = connect(*args, **kwargs)
        conn.set_trace_callback(lambda sql: commits.append(sql) if sql.strip().upper() == "COMMIT" else None)
        return conn

    monkeypatch.setattr(schema, "connect", counting)
    env.write("notes.md", "# Meeting\n\n## Action items\n\n" + "".join(
        f"- [ ] @davide to check the widget number {n:02d} in lab {chr(97 + n % 26)}{n}\n" for n in range(30)))
    result = env.run("notes.md")
    assert (result.code, result.out) == (0, "30 filed, 0 adopted, 0 failed\n")
    assert 1 <= len(commits) < 10  # 30 items took well under a second here: the intents, then a few groups
    rows = json.loads(env.run("--format", "json", command="status").out)["rows"]
    assert sorted(r["status"] for r in rows) == ["filed"] * 30
