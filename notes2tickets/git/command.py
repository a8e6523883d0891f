"""The one way notes2tickets runs git: argv only (never a shell), bytes out, a timeout.

Callers turn ``GitError`` into what suits them: changed files make it a usage
error, permalinks and the root lookup fall back quietly, state names the fix.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from notes2tickets.errors import ConfigError, UsageError

GIT_TIMEOUT = 30.0  # seconds: a hung git (a network filesystem, a lock) must not hang a commit
# Our pathspecs say their own magic (``:(top,glob)``); a user's global pathspec mode would change what they mean
# (with GIT_LITERAL_PATHSPECS=1 the default notes globs match nothing), as the hook scripts already know.
_PATHSPEC_MODES = ("GIT_LITERAL_PATHSPECS", "GIT_GLOB_PATHSPECS", "GIT_NOGLOB_PATHSPECS", "GIT_ICASE_PATHSPECS")


class GitError(UsageError):
    """A git command failed (bad revision, not a repository, git missing, timed out)."""

    def __init__(self, message: str, *, stderr: bytes = b"", timed_out: bool = False) -> None:
        super().__init__(message)
        self.stderr = stderr
        self.timed_out = timed_out


def git(root: Path, *args: str, stdin: bytes = b"") -> bytes:
    """Run ``git args`` in ``root``; GitError with git's own first line on failure."""
    try:
        env = {k: v for k, v in os.environ.items() if k not in _PATHSPEC_MODES}
        done = subprocess.run(
            ["git", *args], cwd=root, input=stdin, capture_output=True, check=False, timeout=GIT_TIMEOUT, env=env
        )
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} timed out after {GIT_TIMEOUT:g} s in {root}", timed_out=True) from None
    except (OSError, ValueError) as exc:  # git missing, no such folder, a NUL in the path
        raise GitError(f"cannot run git ({exc.__class__.__name__}): install git and make sure it is on PATH") from None
    if done.returncode != 0:
        first = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"])[0]
        raise GitError(f"git {args[0]} failed in {root}: {first}", stderr=done.stderr)
    return done.stdout


def git_dir(root: Path, which: str = "--git-common-dir") -> Path:
    """The repository's (common) git folder, absolute; ConfigError outside a repository."""
    try:
        out = git(root, "rev-parse", which)
    except GitError:
        raise ConfigError(
            f"{root} is not inside a git repository: run this in the work tree of your notes repository"
        ) from None
    return (root / os.fsdecode(out.rstrip(b"\n"))).resolve()


def find_root(start: Path) -> Path:
    """The git work tree holding ``start``; outside git, the current folder."""
    folder = start if start.is_dir() else start.parent
    try:
        out = os.fsdecode(git(folder, "rev-parse", "--show-toplevel")).strip()
    except GitError:
        return Path.cwd()
    return Path(out) if out else Path.cwd()
