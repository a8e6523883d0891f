"""The state file on disk: where it lives, one writer at a time, moving a broken one aside.

The database itself is ``store.py``; this module only deals with paths, the
``<state>.lock`` file and renames, so it can be reasoned about separately.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import time
from datetime import datetime
from pathlib import Path
from typing import Callable, Optional

from notes2tickets.config import Settings
from notes2tickets.errors import FIX_PATH, StateError
from notes2tickets.git.command import GitError, git

_POLL_SECONDS = 0.05
_SIBLING_SUFFIXES = ("-journal", "-wal", "-shm")


def default_state_path(start: Path, *, xdg_state_home: Optional[str], home: Path) -> Path:
    """Where the state of the notes at ``start`` (a file or folder) lives by default.

    Inside a git work tree: ``<git common dir>/notes2tickets/state.sqlite3``, so
    linked worktrees and every subfolder share one state. Elsewhere:
    ``$XDG_STATE_HOME/notes2tickets/<folder name>-<hash of the folder>.sqlite3``.
    """
    folder = _folder_of(start)
    common = _git_common_dir(folder)
    if common is not None:
        return common / "notes2tickets" / "state.sqlite3"
    # The XDG spec says relative values are invalid and must be ignored.
    if xdg_state_home and os.path.isabs(xdg_state_home):
        base = Path(xdg_state_home)
    else:
        base = home / ".local" / "state"
    digest = hashlib.sha256(os.fsencode(str(folder))).hexdigest()[:12]
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", folder.name)[:40] or "root"
    return base / "notes2tickets" / f"{name}-{digest}.sqlite3"


def state_path(settings: Settings) -> Path:
    """This run's state file: ``--state`` / ``$NOTES2TICKETS_STATE``, else the default for the notes root."""
    return settings.state_path or default_state_path(settings.root, xdg_state_home=settings.xdg_state_home, home=settings.home)


def pending_flag(path: Path) -> Path:
    """Exists while state holds pending or failed rows: the git hook script checks it without Python."""
    return path.with_name(path.name + ".pending")


def _folder_of(start: Path) -> Path:
    absolute = Path(os.path.abspath(start)).resolve()
    return absolute if absolute.is_dir() else absolute.parent


def _git_common_dir(folder: Path) -> Optional[Path]:
    """The git common dir of the work tree holding ``folder``, or None outside one."""
    try:
        out = git(folder, "rev-parse", "--is-inside-work-tree", "--git-common-dir")
    except GitError as exc:
        if exc.timed_out:
            raise StateError(f"`git rev-parse` timed out in {folder}; {FIX_PATH}") from None
        if b"dubious ownership" in exc.stderr:
            # Falling back to XDG here would silently split the state in two.
            raise StateError(
                f"git refuses the repository holding {folder} (dubious ownership); "
                f"run `git config --global --add safe.directory <repo>` or {FIX_PATH}"
            ) from None
        return None  # no git, no such folder, or not a repository
    lines = os.fsdecode(out).splitlines()
    if len(lines) < 2 or lines[0] != "true":  # e.g. inside the .git folder itself
        return None
    return Path(os.path.normpath(folder / lines[1]))


def prepare_folder(path: Path) -> None:
    """Create the state folder for a real run; StateError if the file could not be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StateError(f"cannot create state folder {path.parent} ({exc.strerror}); {FIX_PATH}") from None
    try:
        exists = path.exists()
    except OSError as exc:  # the folder exists but cannot be searched
        raise StateError(f"cannot use state folder {path.parent} ({exc.strerror}); fix its permissions or {FIX_PATH}") from None
    if exists and not path.is_file():
        raise StateError(f"state path {path} is not a regular file; {FIX_PATH}")
    # The rollback journal is created next to the file, so the folder must be writable too.
    for target in (path.parent, path) if exists else (path.parent,):
        if not os.access(target, os.W_OK):
            raise StateError(
                f"cannot write state file {path} ({target} is read-only); fix its permissions or {FIX_PATH}"
            )


def readable_file(path: Path) -> bool:
    """True if there is a state file to read; False if there is none. WAL files are refused."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(20)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except IsADirectoryError:
        raise StateError(f"state path {path} is not a regular file; {FIX_PATH}") from None
    except OSError as exc:
        raise StateError(
            f"cannot read state file {path} ({exc.strerror}); fix its permissions or {FIX_PATH}"
        ) from None
    if header[:16] == b"SQLite format 3\x00" and 2 in header[18:20]:
        raise StateError(
            f"{path} is in WAL journal mode, which a dry run cannot read without writing; "
            "run once without --dry-run to convert it"
        )
    return True


class StateLock:
    """An exclusive ``flock`` on ``<state path>.lock``, held for a whole run.

    flock locks vanish with the process that holds them, so a crashed run never
    leaves a stale lock. The file holds the holder's pid, for the message only.
    The lock file is never deleted: deleting it would let two runs lock two
    different inodes of the same name.
    """

    def __init__(self, fd: int, lock_path: Path) -> None:
        self._fd: Optional[int] = fd
        self.lock_path = lock_path

    @classmethod
    def acquire(cls, state_path: Path, *, timeout: float) -> StateLock:
        """Take the lock, polling until ``timeout`` seconds have passed, else StateError."""
        lock_path = Path(f"{state_path}.lock")
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise StateError(
                f"cannot create lock file {lock_path} ({exc.strerror}); fix the folder's permissions or {FIX_PATH}"
            ) from None
        try:
            _wait_for_flock(fd, state_path, lock_path, timeout)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except BaseException:
            os.close(fd)
            raise
        return cls(fd, lock_path)

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)  # the pid is only true while we hold the lock
        finally:
            os.close(fd)  # closing drops the flock


def _wait_for_flock(fd: int, state_path: Path, lock_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise StateError(_held_message(fd, state_path, lock_path, timeout)) from None
            time.sleep(min(_POLL_SECONDS, remaining))
        except OSError as exc:  # e.g. ENOLCK on some network file systems
            raise StateError(f"cannot lock {lock_path} ({exc.strerror}); {FIX_PATH} on a local disk") from None


def _held_message(fd: int, state_path: Path, lock_path: Path, timeout: float) -> str:
    text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    holder = f" (pid {text})" if text.isdigit() else ""
    return (
        f"another notes2tickets run holds {state_path}{holder}; wait for it to finish or stop it, then retry "
        f"(waited {timeout:g}s for {lock_path}; the lock disappears with its process, so it is never stale)"
    )


def quarantine(path: Path, *, now: Callable[[], datetime], lock_timeout: float = 30.0) -> Path:
    """Rename ``path`` (and its journal, if any) to ``<name>.corrupt-<UTC stamp>``; never deletes.

    Holds the run lock while renaming so no run writes the file meanwhile. The
    journal moves with it: left behind, SQLite would replay it into the next,
    fresh state file of the same name.
    """
    path = Path(os.path.abspath(path))
    if not path.is_file():
        raise StateError(f"cannot move {path} aside: it is not a file; check the --state path")
    lock = StateLock.acquire(path, timeout=lock_timeout)
    try:
        target = _free_name(path, now().strftime("%Y%m%dT%H%M%SZ"))
        _rename(path, target)
        for suffix in _SIBLING_SUFFIXES:
            sibling = Path(f"{path}{suffix}")
            if sibling.exists():
                _rename(sibling, Path(f"{target}{suffix}"))
    finally:
        lock.release()
    return target


def _free_name(path: Path, stamp: str) -> Path:
    base = path.with_name(f"{path.name}.corrupt-{stamp}")
    candidate, number = base, 1
    while any(os.path.lexists(f"{candidate}{suffix}") for suffix in ("",) + _SIBLING_SUFFIXES):
        number += 1
        candidate = Path(f"{base}-{number}")
    return candidate


def _rename(source: Path, target: Path) -> None:
    try:
        os.rename(source, target)
    except OSError as exc:
        raise StateError(f"cannot rename {source} to {target} ({exc.strerror}); fix the folder's permissions") from None
