"""The one git helper: argv only, git's own words on failure, never hangs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from notes2tickets.errors import FIX_PATH, StateError
from notes2tickets.git import command
from notes2tickets.git.command import GitError, find_root, git
from notes2tickets.state.lock import default_state_path
from tests.git.test_changes import init_repo


@pytest.fixture
def hung_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ``git`` first on PATH that never answers, and a short timeout."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "git"
    fake.write_text("#!/bin/sh\nexec sleep 30\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(command, "GIT_TIMEOUT", 0.3)


def test_failure_carries_gits_first_line(tmp_path: Path) -> None:
    """A failing git call is a GitError naming the subcommand, the folder and git's message."""
    with pytest.raises(GitError, match=r"^git rev-parse failed in .*: fatal: ") as info:
        git(tmp_path, "rev-parse", "--verify", "HEAD")
    assert info.value.stderr.startswith(b"fatal: ") and not info.value.timed_out


def test_hung_git_times_out(tmp_path: Path, hung_git: None) -> None:
    """A git that never answers is stopped after GIT_TIMEOUT seconds, as a GitError saying so."""
    with pytest.raises(GitError, match=r"^git status timed out after 0.3 s in ") as info:
        git(tmp_path, "status")
    assert info.value.timed_out


def test_hung_git_in_state_lookup_names_the_fix(tmp_path: Path, hung_git: None) -> None:
    """Finding the default state path with a hung git is a StateError naming --state, not a hang."""
    with pytest.raises(StateError) as info:
        default_state_path(tmp_path, xdg_state_home=None, home=tmp_path)
    assert str(info.value) == f"`git rev-parse` timed out in {tmp_path.resolve()}; {FIX_PATH}"


def test_find_root_inside_and_outside_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Inside a work tree its top folder; outside git the current folder."""
    repo = init_repo(tmp_path / "repo")
    (repo / "notes").mkdir()
    assert find_root(repo / "notes" / "a.md") == repo.resolve()
    outside = tmp_path / "plain"
    outside.mkdir()
    monkeypatch.chdir(outside)
    assert find_root(outside) == outside
