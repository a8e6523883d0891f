"""One matcher for the notes globs: git's pathspecs in a work tree, the same rules outside git."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from notes2tickets.config import DEFAULT_NOTES_GLOBS
from notes2tickets.git.changes import select_notes
from notes2tickets.git.notesfiles import list_notes

FILES = [
    "meetups/2024/05-meetup.md",
    "meetups/top.md",
    "minutes/2024/zodbot.txt",
    "notes/readme.rst",
    "other/meetups/nested.md",
    "meetups.md",
]


def _tree(root: Path) -> None:
    for name in FILES:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x\n", encoding="utf-8")


def _rel(root: Path, paths: list) -> list:
    return sorted(p.relative_to(root).as_posix() for p in paths)


WANT = ["meetups/2024/05-meetup.md", "meetups/top.md", "minutes/2024/zodbot.txt"]


def test_default_globs_include_txt_minutes_in_git(tmp_path: Path) -> None:
    """In a repository, git answers: Markdown notes and *.txt minutes under the default folders, nothing else."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    _tree(tmp_path)
    (tmp_path / ".gitignore").write_text("meetups/ignored.md\n", encoding="utf-8")
    (tmp_path / "meetups/ignored.md").write_text("x\n", encoding="utf-8")
    assert _rel(tmp_path, list_notes(tmp_path, DEFAULT_NOTES_GLOBS)) == WANT


@pytest.mark.parametrize("mode", ["GIT_LITERAL_PATHSPECS", "GIT_NOGLOB_PATHSPECS", "GIT_ICASE_PATHSPECS"])
def test_a_global_pathspec_mode_does_not_change_the_globs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    """GIT_LITERAL_PATHSPECS=1 (and the like) in the user's environment: the same notes files, not none."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    _tree(tmp_path)
    (tmp_path / "MEETUPS").mkdir()
    (tmp_path / "MEETUPS/upper.md").write_text("x\n", encoding="utf-8")
    monkeypatch.setenv(mode, "1")
    assert _rel(tmp_path, list_notes(tmp_path, DEFAULT_NOTES_GLOBS)) == WANT


def test_outside_git_the_fallback_means_the_same(tmp_path: Path) -> None:
    """Outside git the Python matcher picks the same files as git does inside one."""
    _tree(tmp_path)
    assert _rel(tmp_path, list_notes(tmp_path, DEFAULT_NOTES_GLOBS)) == WANT


@pytest.mark.parametrize("glob", ["meetups/*.md", "meetups/**", "**/meetups/*.md", "meetups", "m?nutes/**/*.txt", "meetups/[0-9]*/*.md"])
def test_sync_and_hooks_agree(tmp_path: Path, glob: str) -> None:
    """The sync's listing (git ls-files), the outside-git walk and the hooks' select_notes choose the same files."""
    repo, plain = tmp_path / "repo", tmp_path / "plain"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    _tree(repo)
    plain.mkdir()
    _tree(plain)
    in_git = _rel(repo, list_notes(repo, [glob]))
    outside = _rel(plain, list_notes(plain, [glob]))
    hooks = _rel(repo, select_notes([Path(n) for n in FILES], root=repo, globs=[glob]))
    assert in_git == outside == hooks
    assert in_git  # each glob matches something here
