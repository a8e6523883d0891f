"""Zodbot's plain-text minutes are notes too: picked by `sync` without PATH and by the hook."""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pytest

from notes2tickets.cli import main
from tests.extract.test_extract_meetbot import MINUTES


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "notes"
    root.mkdir()
    _git(root, "init", "-q")
    (root / "minutes" / "2022").mkdir(parents=True)
    (root / "minutes" / "2022" / "fesco-2022-09-07.txt").write_text(MINUTES, encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setenv("NOTES2TICKETS_STATE", str(tmp_path / "state.db"))
    return root


def test_sync_without_path_reads_txt_minutes(repo: Path) -> None:
    """The default globs take minutes/**/*.txt: the dry run shows its two actions, path relative to the root."""
    out = io.StringIO()
    assert main(["sync", "--offline"], stdout=out, stderr=io.StringIO()) == 0
    rows = [line for line in out.getvalue().splitlines() if line.startswith("new")]
    assert len(rows) == 2
    assert all("minutes/2022/fesco-2022-09-07.txt:" in row for row in rows)


def test_hook_previews_a_committed_txt_minutes_file(repo: Path) -> None:
    """A commit of *.txt minutes with the hook installed starts the sync (here a preview), not silence."""
    assert main(["hook", "install", "--dry-run"], stdout=io.StringIO(), stderr=io.StringIO()) == 0
    _git(repo, "add", "-A")
    done = subprocess.run(["git", "commit", "-qm", "minutes"], cwd=repo, capture_output=True, text=True,
                          env={**os.environ, "PAGURE_PROJECT": "a/b"})
    assert done.returncode == 0
    assert "Announce the retirement on devel" in done.stdout + done.stderr
