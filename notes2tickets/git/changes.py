"""Which notes files a git operation changed.

Every git call reads NUL-separated output (``-z``) and takes file names only as
argv items, so names with spaces, quotes, newlines or non-ASCII bytes need no
parsing and never reach a shell. Paths come back relative to the work tree root.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Sequence

from notes2tickets.errors import UsageError
from notes2tickets.git.command import GitError, git

HOOK_TYPES = ("post-commit", "post-merge", "post-rewrite", "pre-push")
_DIFF = ("diff-tree", "-r", "-z", "--name-only", "--no-renames")
_ZERO = re.compile(r"^0+$")
_GLOB_CHARS = re.compile(r"[*?\[]")


def _names(out: bytes) -> list[Path]:
    return [Path(os.fsdecode(name)) for name in out.split(b"\0") if name]


def _has_commit(root: Path, rev: str) -> bool:
    try:
        git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except GitError:
        return False
    return True


def _head_files(root: Path) -> list[Path]:
    # The first parent, not the combined diff: a merge commit then lists what it brought in.
    if _has_commit(root, "HEAD~1"):
        return _names(git(root, *_DIFF, "HEAD~1", "HEAD"))
    return _names(git(root, *_DIFF, "--root", "--no-commit-id", "HEAD"))


def _unpublished_files(root: Path, tip: str) -> list[Path]:
    """Files of the commits reachable from ``tip`` and from no remote-tracking ref (merges: vs each parent)."""
    return _names(git(root, "log", "-z", "--name-only", "--format=", "--no-renames", "-m", tip, "--not", "--remotes"))


def _push_files(root: Path, stdin: bytes) -> list[Path]:
    """Files of the ref updates git hands pre-push: ``<local ref> <local sha> <remote ref> <remote sha>``."""
    found: list[Path] = []
    for line in stdin.decode("ascii", "replace").splitlines():
        fields = line.split()
        if len(fields) != 4:
            continue
        local_sha, remote_sha = fields[1], fields[3]
        if _ZERO.match(local_sha):
            continue  # a deletion pushes no content
        if not _ZERO.match(remote_sha) and _has_commit(root, remote_sha):
            found += _names(git(root, *_DIFF, remote_sha, local_sha))
        else:  # a new branch, or a remote tip we never fetched
            found += _unpublished_files(root, local_sha)
    return found


def changed_files(*, root: Path, hook_type: str, stdin: bytes = b"") -> list[Path]:
    """The files (relative to ``root``) that the git operation behind ``hook_type`` changed, without repeats."""
    if hook_type == "post-commit":
        files = _head_files(root)
    elif hook_type in ("post-merge", "post-rewrite"):  # post-rewrite: a rebase (git pull --rebase); ORIG_HEAD is the old tip
        files = _names(git(root, *_DIFF, "ORIG_HEAD", "HEAD"))
    elif hook_type == "pre-push":
        files = _push_files(root, stdin)
    else:
        raise UsageError(f"unknown hook type {hook_type!r}: use one of {', '.join(HOOK_TYPES)}")
    return list(dict.fromkeys(files))


def changed_since(*, root: Path, rev: str) -> list[Path]:
    """Files changed from ``rev`` (its merge base with HEAD) to HEAD; an all-zero ``rev`` means everything."""
    if _ZERO.match(rev):  # CI systems pass zeros as the "before" of a first push
        return _names(git(root, "ls-tree", "-r", "-z", "--name-only", "HEAD"))
    if rev.startswith("-") or not _has_commit(root, rev):
        raise GitError(f"--changed-since {rev!r}: no such commit in {root}; fetch it first or pass a commit id")
    return _names(git(root, "diff", "-z", "--name-only", "--no-renames", f"{rev}...HEAD", "--"))


def select_notes(paths: Sequence[Path], *, root: Path, globs: Sequence[str]) -> list[Path]:
    """The existing files of ``paths`` that match a notes glob, as ``root / path``, in order."""
    patterns = [glob_regex(g) for g in globs]
    chosen: list[Path] = []
    for path in paths:
        posix = path.as_posix()
        if any(p.fullmatch(posix) for p in patterns) and (root / path).is_file():
            chosen.append(root / path)
    return chosen


def normalize_glob(glob: str) -> str:
    """Globs are relative to the repository root; a leading ``./`` or ``/`` means the same."""
    while glob.startswith("./"):
        glob = glob[2:]
    return glob.lstrip("/")


def glob_regex(glob: str) -> re.Pattern[str]:
    """Compile a glob with git's ``:(glob)`` pathspec rules, so Python and the hook script agree.

    ``*``, ``?`` and ``[...]`` never match ``/``; ``**/`` matches any number of
    folders and a final ``/**`` everything inside; a glob without wildcards also
    matches the files under it as a folder.
    """
    glob = normalize_glob(glob)
    if not _GLOB_CHARS.search(glob):
        folder = glob if glob.endswith("/") else glob + "/"
        return re.compile(re.escape(glob) + "|" + re.escape(folder) + ".*", re.S)
    return re.compile(_translate(glob), re.S)


def _translate(glob: str) -> str:
    out: list[str] = []
    i, n = 0, len(glob)
    while i < n:
        char = glob[i]
        if char == "*":
            j = i
            while j < n and glob[j] == "*":
                j += 1
            if j - i >= 2 and (i == 0 or glob[i - 1] == "/") and (j == n or glob[j] == "/"):
                out.append(".*" if j == n else "(?:.*/)?")
                j += 0 if j == n else 1
            else:
                out.append("[^/]*")
            i = j
        elif char == "?":
            out.append("[^/]")
            i += 1
        elif char == "[":
            i = _bracket(glob, i, out)
        else:
            if char == "\\" and i + 1 < n:
                i += 1
            out.append(re.escape(glob[i]))
            i += 1
    return "".join(out)


def _bracket(glob: str, i: int, out: list[str]) -> int:
    """Append the class starting at ``glob[i] == '['``; return the index after it (a lone ``[`` is literal)."""
    j = i + 1
    negate = j < len(glob) and glob[j] in "!^"
    j += 1 if negate else 0
    start = j
    if j < len(glob) and glob[j] == "]":
        j += 1
    while j < len(glob) and glob[j] != "]":
        j += 1
    if j >= len(glob):
        out.append(re.escape("["))
        return i + 1
    body = glob[start:j].replace("\\", "\\\\").replace("[", "\\[").replace("^", "\\^")
    body = body if not body.startswith("]") else "\\" + body
    out.append(f"(?!/)[{'^' if negate else ''}{body}]")
    return j + 1
