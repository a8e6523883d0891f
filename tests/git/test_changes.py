"""Which notes files a git operation changed: real repositories, real commits."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Optional

import pytest

from notes2tickets.config import DEFAULT_NOTES_GLOBS
from notes2tickets.git.changes import GitError, changed_files, changed_since, glob_regex, select_notes

ZERO = "0" * 40
WEIRD_NAMES = ("meetups/with space.md", "meetups/quote'\"s.md", "meetups/new\nline.md", "meetups/ünïcödé 会议.md")


def git(repo: Path, *args: str, stdin: Optional[bytes] = None) -> str:
    """Run git in ``repo`` and return its stdout (raises on failure)."""
    done = subprocess.run(["git", *args], cwd=repo, input=stdin, capture_output=True, check=True)
    return done.stdout.decode("utf-8", "surrogateescape")


def init_repo(path: Path) -> Path:
    """A fresh repository on branch main with signing and hooks of the host out of the way."""
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "commit.gpgsign", "false")
    return path


def write(repo: Path, rel: str, text: str = "- [ ] TODO: something\n") -> Path:
    target = repo / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def commit(repo: Path, message: str = "change", *, no_verify: bool = False) -> str:
    """Stage everything, commit, return the new HEAD id."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, *(["--no-verify"] if no_verify else []))
    return git(repo, "rev-parse", "HEAD").strip()


def rels(paths: list[Path]) -> list[str]:
    return [p.as_posix() for p in paths]


def test_root_commit_lists_every_file(tmp_path: Path) -> None:
    """post-commit on the root commit lists all of its files."""
    repo = init_repo(tmp_path / "r")
    write(repo, "README")
    write(repo, "meetups/a.md")
    commit(repo)
    assert rels(changed_files(root=repo, hook_type="post-commit")) == ["README", "meetups/a.md"]


def test_ordinary_commit_lists_only_its_changes(tmp_path: Path) -> None:
    """post-commit lists the files HEAD changed against its parent, deletions included."""
    repo = init_repo(tmp_path / "r")
    write(repo, "meetups/a.md")
    write(repo, "old.md")
    commit(repo)
    write(repo, "meetups/a.md", "- [ ] TODO: changed\n")
    write(repo, "notes/b.md")
    (repo / "old.md").unlink()
    commit(repo)
    assert rels(changed_files(root=repo, hook_type="post-commit")) == ["meetups/a.md", "notes/b.md", "old.md"]


def test_merge_commit_lists_what_it_brought_in(tmp_path: Path) -> None:
    """post-commit on a merge commit lists its changes against the first parent."""
    repo = init_repo(tmp_path / "r")
    write(repo, "base.txt")
    commit(repo)
    git(repo, "checkout", "-q", "-b", "side")
    write(repo, "meetups/side.md")
    commit(repo)
    git(repo, "checkout", "-q", "main")
    write(repo, "main.txt")
    commit(repo)
    git(repo, "merge", "-q", "--no-edit", "side")
    assert rels(changed_files(root=repo, hook_type="post-commit")) == ["meetups/side.md"]


def test_post_merge_uses_orig_head(tmp_path: Path) -> None:
    """post-merge lists ORIG_HEAD..HEAD: every file the (fast-forward) merge brought."""
    repo = init_repo(tmp_path / "r")
    write(repo, "base.txt")
    commit(repo)
    git(repo, "checkout", "-q", "-b", "side")
    write(repo, "meetups/one.md")
    commit(repo)
    write(repo, "minutes/two.md")
    commit(repo)
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--ff-only", "side")
    assert rels(changed_files(root=repo, hook_type="post-merge")) == ["meetups/one.md", "minutes/two.md"]


def _pushed_repo(tmp_path: Path) -> tuple[Path, str]:
    """A repository whose main is pushed to a local bare remote; returns it and main's id."""
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    repo = init_repo(tmp_path / "r")
    write(repo, "meetups/published.md")
    head = commit(repo)
    git(repo, "remote", "add", "origin", str(bare))
    git(repo, "push", "-q", "origin", "main")
    return repo, head


def test_pre_push_update_uses_the_range(tmp_path: Path) -> None:
    """pre-push of an existing branch lists remote..local; a file changed then deleted is not listed."""
    repo, old = _pushed_repo(tmp_path)
    write(repo, "meetups/new.md")
    write(repo, "gone.md")
    commit(repo)
    (repo / "gone.md").unlink()
    write(repo, "notes/x.md")
    new = commit(repo)
    line = f"refs/heads/main {new} refs/heads/main {old}\n".encode()
    assert rels(changed_files(root=repo, hook_type="pre-push", stdin=line)) == ["meetups/new.md", "notes/x.md"]


def test_pre_push_new_branch_lists_unpublished_commits_only(tmp_path: Path) -> None:
    """pre-push of a new branch lists the commits on no remote-tracking ref, not the published ones."""
    repo, _ = _pushed_repo(tmp_path)
    git(repo, "checkout", "-q", "-b", "topic")
    write(repo, "meetings/topic.md")
    tip = commit(repo)
    line = f"refs/heads/topic {tip} refs/heads/topic {ZERO}\n".encode()
    assert rels(changed_files(root=repo, hook_type="pre-push", stdin=line)) == ["meetings/topic.md"]


def test_pre_push_deletion_lists_nothing(tmp_path: Path) -> None:
    """pre-push of a branch deletion lists nothing; several lines are all read."""
    repo, head = _pushed_repo(tmp_path)
    write(repo, "notes/n.md")
    tip = commit(repo)
    lines = f"(delete) {ZERO} refs/heads/old {head}\nrefs/heads/main {tip} refs/heads/main {head}\n".encode()
    assert rels(changed_files(root=repo, hook_type="pre-push", stdin=lines)) == ["notes/n.md"]
    only_delete = f"(delete) {ZERO} refs/heads/old {head}\n".encode()
    assert changed_files(root=repo, hook_type="pre-push", stdin=only_delete) == []


def test_pre_push_unknown_remote_tip_falls_back_to_unpublished(tmp_path: Path) -> None:
    """A remote tip we never fetched (someone else pushed) is handled like a new branch."""
    repo, _ = _pushed_repo(tmp_path)
    write(repo, "notes/mine.md")
    tip = commit(repo)
    line = f"refs/heads/main {tip} refs/heads/main {'1234567' * 5 + '89abc'}\n".encode()
    assert rels(changed_files(root=repo, hook_type="pre-push", stdin=line)) == ["notes/mine.md"]


def test_select_notes_ignores_deleted_and_other_files(tmp_path: Path) -> None:
    """Only existing files matching the globs are kept, as root-joined paths."""
    repo = init_repo(tmp_path / "r")
    write(repo, "meetups/2022/keep.md")
    write(repo, "meetups/keep.rst")
    write(repo, "other/meetups/x.md")
    changed = [Path("meetups/2022/keep.md"), Path("meetups/gone.md"), Path("meetups/keep.rst"), Path("other/meetups/x.md")]
    assert select_notes(changed, root=repo, globs=DEFAULT_NOTES_GLOBS) == [repo / "meetups/2022/keep.md"]


def test_odd_file_names_survive(tmp_path: Path) -> None:
    """Spaces, quotes, newlines and non-ASCII characters come through exactly."""
    repo = init_repo(tmp_path / "r")
    write(repo, "README")
    commit(repo)
    for name in WEIRD_NAMES:
        write(repo, name)
    commit(repo)
    files = changed_files(root=repo, hook_type="post-commit")
    assert sorted(rels(files)) == sorted(WEIRD_NAMES)
    assert sorted(select_notes(files, root=repo, globs=DEFAULT_NOTES_GLOBS)) == sorted(repo / n for n in WEIRD_NAMES)


def test_changed_since(tmp_path: Path) -> None:
    """--changed-since REV lists REV..HEAD; all zeros lists every file; an unknown REV is one clear error."""
    repo = init_repo(tmp_path / "r")
    write(repo, "meetups/a.md")
    base = commit(repo)
    write(repo, "meetups/b.md")
    commit(repo)
    assert rels(changed_since(root=repo, rev=base)) == ["meetups/b.md"]
    assert rels(changed_since(root=repo, rev=ZERO)) == ["meetups/a.md", "meetups/b.md"]
    with pytest.raises(GitError, match=r"^--changed-since 'nope': no such commit in .*; fetch it first"):
        changed_since(root=repo, rev="nope")
    with pytest.raises(GitError, match="--changed-since '--output=x'"):
        changed_since(root=repo, rev="--output=x")


GLOB_CASES = (
    "meetups/**/*.md",
    "meetups",
    "meetups/",
    "meetups/*",
    "meetups/**",
    "**/meetups/*.md",
    "**/*.md",
    "*.md",
    "m?etups/a.md",
    "[a-m]*/a.md",
    "[!n]*/a.md",
    "meetups/20*",
    "me**/a.md",
    "./notes/**/*.md",
    "x/**/c.md",
)


@pytest.mark.parametrize("glob", GLOB_CASES)
def test_globs_match_like_git_pathspecs(tmp_path: Path, glob: str) -> None:
    """select_notes agrees with git's :(glob) pathspec, which the hook script uses."""
    repo = init_repo(tmp_path / "r")
    names = ["meetups/a.md", "meetups/2022/b.md", "meetups/e.txt", "meetupsX.md", "notes.md", "notes/n.md",
             "x/meetups/c.md", "x/y/z/c.md", "a.md"]
    for name in names:
        write(repo, name)
    commit(repo)
    spec = ":(top,glob)" + (glob[2:] if glob.startswith("./") else glob)
    by_git = sorted(git(repo, "ls-files", "-z", "--", spec).split("\0")[:-1])
    ours = sorted(p.relative_to(repo).as_posix() for p in select_notes([Path(n) for n in names], root=repo, globs=[glob]))
    assert ours == by_git
    assert glob_regex(glob).fullmatch("definitely/not/matching.rst") is None
