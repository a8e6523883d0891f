"""The installed post-commit hook in a real git repository, filing on the lab's real Pagure."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import List

import pytest

from tests.hooks.settle import settled
from tests.integration.conftest import Cli, pagure_issues
from tests.integration.lab import Lab

NOTES = """# Hyperscale SIG meeting 2026-11-02

## Action items
- [ ] @davide to write the hook documentation
- [ ] Package the kernel for c9s
"""
MORE = "- [ ] @neal to rebuild the cloud images\n"


def git(repo: Path, *args: str, cli: Cli) -> subprocess.CompletedProcess:
    """git as the user runs it, with the environment the CLI gets (the hook inherits it)."""
    return subprocess.run(["git", *args], cwd=repo, env=cli.environ(), capture_output=True, text=True,
                          timeout=180, stdin=subprocess.DEVNULL, check=False)


def commit(repo: Path, cli: Cli, message: str) -> subprocess.CompletedProcess:
    """git commit; on a busy machine the hook may hand its filing to the background worker: then wait for it."""
    assert git(repo, "add", "-A", cli=cli).returncode == 0
    started = time.time()
    return settled(repo, git(repo, "commit", "-q", "-m", message, cli=cli), cli.environ(), started)


def titles(lab: Lab) -> List[str]:
    return [issue["title"] for issue in pagure_issues(lab)]


@pytest.fixture
def repo(cli: Cli) -> Path:
    """A git repository (the CLI's notes folder) with one commit and our post-commit hook installed."""
    root = cli.root
    for args in (("init", "-q", "-b", "main"), ("config", "user.name", "Test"), ("config", "user.email", "t@example.invalid")):
        assert git(root, *args, cli=cli).returncode == 0
    cli.write("README", "notes\n")
    assert commit(root, cli, "root").returncode == 0
    # State lives in .git/notes2tickets/, as for a user who sets nothing.
    del cli.env["NOTES2TICKETS_STATE"]
    installed = cli("hook", "install")
    assert installed.code == 0, installed.err
    return root


def test_post_commit_files_the_new_items_of_each_commit(repo: Path, cli: Cli, lab: Lab) -> None:
    """A notes commit files its items; the next commit adding one item files only that one."""
    cli.write("meetups/2026-11-02.md", NOTES)
    done = commit(repo, cli, "notes")
    assert done.returncode == 0, done.stderr
    assert sorted(titles(lab)) == ["Package the kernel for c9s", "Write the hook documentation"]  # a run files its first item at random (issue 12)
    docs = next(i for i in pagure_issues(lab) if i["title"] == "Write the hook documentation")
    assert docs["assignee"]["name"] == "davide"
    cli.write("meetups/2026-11-02.md", NOTES + MORE)
    assert commit(repo, cli, "one more").returncode == 0
    now = titles(lab)
    assert sorted(now[:2]) == ["Package the kernel for c9s", "Write the hook documentation"] and now[2:] == ["Rebuild the cloud images"]
    assert (repo / ".git" / "notes2tickets" / "state.sqlite3").is_file()


def test_commit_with_the_server_down_succeeds_and_files_once_it_is_back(repo: Path, cli: Cli, lab: Lab) -> None:
    """Pagure stopped: the commit lands with one warning; after a restart the next commit (no notes) files the items once."""
    cli.write("meetups/2026-11-02.md", NOTES)
    lab.stop()
    try:
        down = commit(repo, cli, "notes while down")
        assert down.returncode == 0, down.stderr
        assert git(repo, "log", "-1", "--format=%s", cli=cli).stdout.strip() == "notes while down"
        assert len(down.stderr.splitlines()) == 1 and "kept pending" in down.stderr, down.stderr
        assert (repo / ".git" / "notes2tickets" / "state.sqlite3.pending").exists()
    finally:
        lab.start()
    assert titles(lab) == []
    cli.write("unrelated.txt", "no notes here\n")
    back = commit(repo, cli, "unrelated")
    assert back.returncode == 0, back.stderr
    assert sorted(titles(lab)) == ["Package the kernel for c9s", "Write the hook documentation"]  # a run files its first item at random (issue 12)
    assert not (repo / ".git" / "notes2tickets" / "state.sqlite3.pending").exists()
    again = cli("sync", "meetups/2026-11-02.md")
    assert again.code == 0 and again.out.startswith("0 filed, 0 adopted"), again.out
    assert len(titles(lab)) == 2


def test_hook_never_prints_the_token(repo: Path, cli: Cli, lab: Lab) -> None:
    """Neither git's output nor the state files carry the token after a hook run that filed."""
    cli.write("meetups/2026-11-02.md", NOTES)
    done = commit(repo, cli, "notes")
    assert done.returncode == 0
    assert lab.token not in done.stdout + done.stderr
    state_dir = repo / ".git" / "notes2tickets"
    assert all(lab.token.encode() not in p.read_bytes() for p in state_dir.iterdir() if p.is_file())
    assert len(titles(lab)) == 2
