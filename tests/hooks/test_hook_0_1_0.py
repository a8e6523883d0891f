"""A post-commit hook installed by notes2tickets 0.1.0 keeps working after the upgrade.

``post-commit-0.1.0.sh`` is the script 0.1.0 wrote (its ``hookscript.render`` at
commit 31107e5, default notes globs, state at its default place), with the one
value 0.1.0 baked in from the installing machine, the interpreter, left as
``@PYTHON@``. Regenerate it only if 0.1.0 itself is found to differ.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Any

import pytest

from notes2tickets.git import hookscript
from tests.git.test_changes import git, write
from tests.hooks.test_hooks import NOTES, cli, commit_all, proof, repo, started, titles, tracker, wrapper  # noqa: F401

SCRIPT_0_1_0 = Path(__file__).with_name("post-commit-0.1.0.sh")
PENDING = Path(".git", "notes2tickets", "state.sqlite3.pending")


def install_0_1_0(repo: Path, python: str) -> Path:
    """Write the 0.1.0 script as its installer did, calling ``python``."""
    path = repo / ".git" / "hooks" / "post-commit"
    path.parent.mkdir(exist_ok=True)
    path.write_text(SCRIPT_0_1_0.read_text(encoding="utf-8").replace("@PYTHON@", shlex.quote(python)), encoding="utf-8")
    path.chmod(0o755)
    return path


@pytest.fixture
def old_hook(repo: Path, tracker: Any) -> Any:
    """test_hooks' stand-in server and environment, with the 0.1.0 script in place of the hook installed there."""
    install_0_1_0(repo, sys.executable)
    return tracker


def test_fixture_is_a_0_1_0_hook() -> None:
    """The stored script carries 0.1.0's marker and launcher, so this file tests what users have installed."""
    text = SCRIPT_0_1_0.read_text(encoding="utf-8")
    assert text.startswith("#!/bin/sh\n# notes2tickets-managed-hook v1\n")
    assert "from notes2tickets.cli import main" in text and "hook run --type" in text
    assert hookscript.is_ours(text)


def test_notes_commit_is_filed(repo: Path, old_hook: Any) -> None:
    """A notes commit under the 0.1.0 hook files its items, once; a later commit without notes files nothing."""
    write(repo, "meetups/20220816-boston.md", NOTES)
    done = commit_all(repo)
    assert done.returncode == 0, done.stderr
    assert sorted(titles(old_hook)) == ["Package the kernel for c9s", "Write the hook documentation"]
    write(repo, "src/x.c")
    assert commit_all(repo).returncode == 0
    assert len(old_hook.issues()) == 2


def test_unreachable_tracker_queues_then_files(repo: Path, old_hook: Any) -> None:
    """Tracker down: the commit lands with one warning and the items wait; the next commit files them."""
    from tests.fakepagure import RandomFaults

    write(repo, "notes/weekly.md", NOTES)
    old_hook.set_faults(RandomFaults(1.0, seed=1, kinds=("reset",)))
    done = commit_all(repo)
    old_hook.set_faults(None)
    assert done.returncode == 0
    assert len(done.stderr.splitlines()) == 1 and "pending" in done.stderr, done.stderr
    assert (repo / PENDING).exists() and titles(old_hook) == []
    write(repo, "unrelated.txt")
    assert commit_all(repo).returncode == 0
    assert sorted(titles(old_hook)) == ["Package the kernel for c9s", "Write the hook documentation"]
    assert not (repo / PENDING).exists()


def test_commit_without_notes_starts_no_python(repo: Path, wrapper: Path, proof: Path) -> None:
    """A commit touching no notes file stays a no-op: the 0.1.0 script never starts the interpreter."""
    install_0_1_0(repo, str(wrapper))
    write(repo, "src/main.c", "int main(void) { return 0; }\n")
    done = commit_all(repo)
    assert done.returncode == 0 and done.stderr == ""
    assert started(proof) == 0
    assert git(repo, "log", "-1", "--format=%s").strip() == "change"


def test_new_install_recognises_and_replaces_it(repo: Path) -> None:
    """``hook install`` of the new version takes the 0.1.0 script as its own: refreshed in place, never chained as foreign."""
    path = install_0_1_0(repo, sys.executable)
    code, out, err = cli("hook", "install")
    assert (code, err) == (0, "")
    assert out in (f"updated post-commit hook at {path}\n", f"post-commit hook already installed at {path}\n")
    assert not path.with_name("post-commit.legacy").exists()
