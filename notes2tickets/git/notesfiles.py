"""Which files the ``notes`` globs name: one matcher for ``sync`` and the git hooks.

In a git work tree git itself answers, with the same ``:(top,glob)`` pathspecs
the hook script bakes in (``git ls-files``: tracked files and untracked ones
that are not ignored). Outside git the same rules run in Python
(``changes.glob_regex``) over every file under the root.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

from notes2tickets.git.changes import glob_regex, normalize_glob
from notes2tickets.git.command import GitError, git


def pathspecs(globs: Sequence[str]) -> list[str]:
    """The globs as git pathspecs, relative to the top of the work tree."""
    return [f":(top,glob){normalize_glob(g)}" for g in globs]


def list_notes(root: Path, globs: Sequence[str]) -> list[Path]:
    """The existing files under ``root`` that match a glob, sorted, as ``root / path``."""
    try:
        out = git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *pathspecs(globs))
    except GitError:
        names = _walk(root, globs)
    else:
        names = [os.fsdecode(n) for n in out.split(b"\0") if n]
    return sorted({root / n for n in names if (root / n).is_file()})


def _walk(root: Path, globs: Sequence[str]) -> list[str]:
    """Outside git: every file under ``root`` (symlinked folders not followed), matched like git would."""
    patterns = [glob_regex(g) for g in globs]
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".git"]
        base = Path(folder).relative_to(root)
        for name in files:
            rel = (base / name).as_posix()
            if any(p.fullmatch(rel) for p in patterns):
                found.append(rel)
    return found
