"""The files next to the state database that the git hooks use without its lock.

``<state>.queue``: notes files a hook asked to file, one JSON line per hook run,
appended with ``O_APPEND`` (no lock: a busy state lock never drops the queue);
a worker renames it to ``<state>.queue-claimed-<stamp>`` while it files them.
``<state>.report``: what the last background run did (``.report.shown`` once a
hook printed it). ``<state>.hook.log``: every background run's output.
"""

from __future__ import annotations

import glob
import json
import os
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import List, Optional, Sequence, TextIO

from notes2tickets.errors import StateError
from notes2tickets.state.lock import pending_flag


def queue_path(state: Path) -> Path:
    return state.with_name(state.name + ".queue")


def log_path(state: Path) -> Path:
    return state.with_name(state.name + ".hook.log")


def report_path(state: Path) -> Path:
    return state.with_name(state.name + ".report")


def worker_lock_path(state: Path) -> Path:
    return state.with_name(state.name + ".worker.lock")


def worker_pid(state: Path) -> Optional[int]:
    """The pid of the background worker running now (it writes it into its lock file while it holds it)."""
    try:
        text = worker_lock_path(state).read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def claims(state: Path) -> List[Path]:
    return sorted(state.parent.glob(f"{glob.escape(state.name)}.queue-claimed-*"))


def waiting(state: Path) -> int:
    """How many queued hook runs are not filed yet (queued or claimed by a worker)."""
    count = 0
    for path in [queue_path(state), *claims(state)]:
        try:
            count += sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
        except FileNotFoundError:
            continue
    return count


def enqueue(state: Path, *, paths: Sequence[str]) -> None:
    """Append one line; StateError when the state folder cannot take it."""
    line = json.dumps({"paths": list(paths), "at": now()}, ensure_ascii=False) + "\n"
    try:
        state.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(queue_path(state), os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            os.write(fd, line.encode("utf-8"))
        finally:
            os.close(fd)
        pending_flag(state).touch()
    except OSError as exc:
        raise StateError(
            f"cannot queue the notes files in {queue_path(state)} ({exc.strerror}); fix the folder's permissions"
        ) from None


def claim(state: Path) -> List[Path]:
    """Rename the queue to a claim (later hooks start a new queue); every claim not yet done, oldest first."""
    try:
        os.rename(queue_path(state), state.with_name(f"{state.name}.queue-claimed-{time.time_ns()}-{os.getpid()}"))
    except FileNotFoundError:
        pass
    return claims(state)


def claimed_paths(claimed: Sequence[Path]) -> List[str]:
    """The notes files of the claimed lines, each once, in order."""
    paths: dict[str, None] = {}
    for path in claimed:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # a line cut short by a crash: its files are also pending in state or queued again
            for name in entry.get("paths") or () if isinstance(entry, dict) else ():
                if isinstance(name, str):
                    paths[name] = None
    return list(paths)


def write_report(state: Path, text: str) -> None:
    report = report_path(state)
    tmp = report.with_name(report.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, report)


def show_report(state: Path, err: TextIO, *, header: bool = False) -> bool:
    """Print the last worker's report once (then it is renamed ``.report.shown``); True if there was one."""
    path = report_path(state)
    shown = path.with_name(path.name + ".shown")
    try:
        os.replace(path, shown)
        text = shown.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    err.write(("notes2tickets: the background filing finished:\n" if header else "") + text)
    return True


def last_report(state: Path) -> Optional[tuple[str, str]]:
    """When the last worker finished (UTC) and what it said, shown or not (for ``status``)."""
    for path in (report_path(state), report_path(state).with_name(report_path(state).name + ".shown")):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
            when = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        except OSError:
            continue
        return when, text
    return None


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
