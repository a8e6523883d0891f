"""Links to the line of the notes at the current commit."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from notes2tickets.git.permalinks import RepoLink, line_url, repo_link, web_base


@pytest.mark.parametrize(
    ("remote", "base"),
    [
        ("https://pagure.io/centos-sig-hyperscale/sig.git", "https://pagure.io/centos-sig-hyperscale/sig"),
        ("ssh://git@pagure.io/centos-sig-hyperscale/sig.git", "https://pagure.io/centos-sig-hyperscale/sig"),
        ("git@github.com:owner/notes.git", "https://github.com/owner/notes"),
        ("https://user@gitlab.com/group/sub/notes", "https://gitlab.com/group/sub/notes"),
        ("/srv/git/notes.git", None),
        ("../notes", None),
    ],
)
def test_web_base(remote: str, base: str | None) -> None:
    """Remote URLs of every usual form map to the repository's web page; local paths to nothing."""
    assert web_base(remote) == base


def test_line_url_styles_and_template() -> None:
    """Pagure, GitLab and GitHub anchors differ; a template overrides them."""
    sha = "a" * 40
    assert line_url(RepoLink("https://pagure.io/x/y", sha, "pagure"), None, path="m/n.md", line=7) == f"https://pagure.io/x/y/blob/{sha}/f/m/n.md#_7"
    assert line_url(RepoLink("https://gitlab.com/x/y", sha, "gitlab"), None, path="n.md", line=7) == f"https://gitlab.com/x/y/-/blob/{sha}/n.md#L7"
    assert line_url(RepoLink("https://github.com/x/y", sha, "github"), None, path="n.md", line=7) == f"https://github.com/x/y/blob/{sha}/n.md#L7"
    assert line_url(None, "https://wiki.example/{path}?line={line}", path="n.md", line=7) == "https://wiki.example/n.md?line=7"
    assert line_url(None, None, path="n.md", line=7) is None


def test_repo_link_from_a_real_repository(tmp_path: Path) -> None:
    """origin's web URL and HEAD's sha come from git itself."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "n.md").write_text("x\n")
    subprocess.run(["git", "-C", str(tmp_path), "add", "n.md"], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "commit", "-qm", "notes"], check=True)
    assert repo_link(tmp_path) is None  # no remote yet
    subprocess.run(["git", "-C", str(tmp_path), "remote", "add", "origin", "https://pagure.io/forks/davide/sig.git"], check=True)
    head = subprocess.run(["git", "-C", str(tmp_path), "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    assert repo_link(tmp_path) == RepoLink("https://pagure.io/fork/davide/sig", head, "pagure")
