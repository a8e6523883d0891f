"""The hook's budget: queue the work without the state lock, file it in a detached process.

A git hook must give the prompt back within 3 s whatever the tracker does, and a
busy state lock must never lose what it was asked to file. So the hook never
takes the state lock itself:

1. it appends the changed notes files to ``<state>.queue`` (``state.queue``) and
   touches the ``.pending`` flag, so every later hook, 0.1.0's included, starts Python;
2. it starts a detached worker (``hook run --background``: a new session, all
   output to ``<state>.hook.log``) and waits for it up to ``HOOK_WAIT`` seconds,
   printing its report if it finished in time.

Workers run one at a time per state file (an ``flock`` on ``<state>.worker.lock``;
a second one exits at once and the running one takes its queue). A worker claims
the queue, files the claimed notes under the state lock (every request bounded by
its deadline, so it ends by itself), and deletes the claim only once that run has
recorded its items (filed, or pending in state); any failure leaves the claim for
the next worker. Its report is printed by the next hook script (without Python)
and shown by ``notes2tickets status``.
"""

from __future__ import annotations

import fcntl
import io
import os
import subprocess
import time
from pathlib import Path
from typing import Callable, Optional, Sequence, TextIO

from notes2tickets.errors import ConfigError, Notes2TicketsError
from notes2tickets.redact import one_line
from notes2tickets.state import queue
from notes2tickets.state.lock import pending_flag

HOOK_WAIT = 2.0  # seconds the hook waits for the worker; Python's start and git take well under 1 s more
_POLL = 0.05
_LOG_LIMIT = 1024 * 1024  # the log is rotated to .log.1 beyond this

# What a worker calls to file notes files: (paths, out, err) -> exit code.
FileNow = Callable[[Sequence[str], TextIO, TextIO], int]


def hand_off(state: Path, *, command: Sequence[str], cwd: Path, err: TextIO, wait: float = HOOK_WAIT) -> int:
    """Start the worker and wait for it up to ``wait`` seconds; say what happened. Always 0."""
    start = time.monotonic()
    proc = _spawn(state, command, cwd)
    while time.monotonic() - start < wait:
        if proc.poll() is not None and queue.waiting(state) == 0:
            queue.show_report(state, err)
            return 0
        time.sleep(_POLL)
    err.write(
        f"notes2tickets: the tracker has not answered within {wait:g}s; filing continues in the background "
        f"(log: {queue.log_path(state)}); the next git command or `notes2tickets status` says how it went\n"
    )
    return 0


def _spawn(state: Path, command: Sequence[str], cwd: Path) -> "subprocess.Popen[bytes]":
    log = queue.log_path(state)
    try:
        if log.stat().st_size > _LOG_LIMIT:
            os.replace(log, log.with_name(log.name + ".1"))
    except FileNotFoundError:
        pass
    with open(log, "ab") as handle:
        # A new session and no inherited pipe: neither git nor a closing terminal waits on it or stops it.
        return subprocess.Popen(
            list(command), cwd=cwd, stdin=subprocess.DEVNULL, stdout=handle, stderr=handle,
            start_new_session=True, close_fds=True,
        )


def work(state: Path, *, file_now: FileNow, secret: Optional[str], log: TextIO) -> int:
    """Take every queued batch until the queue is empty, one worker per state file."""
    while True:
        lock = _try_lock(state)
        if lock is None:
            return 0  # the running worker takes our queue before it exits
        try:
            while _one_batch(state, file_now, secret, log):
                pass
        finally:
            os.close(lock)
        # Released first, checked second: a hook that queued meanwhile either found the lock
        # held (so its line is seen here) or got the lock for its own worker.
        if not queue.queue_path(state).exists():
            return 0


def _try_lock(state: Path) -> Optional[int]:
    fd = os.open(state.with_name(state.name + ".worker.lock"), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _one_batch(state: Path, file_now: FileNow, secret: Optional[str], log: TextIO) -> bool:
    """File what is queued; True when the queue may hold more, False when empty or stuck."""
    claimed = queue.claim(state)
    if not claimed:
        return False
    paths = [p for p in queue.claimed_paths(claimed) if os.path.isfile(p)]
    out, err = io.StringIO(), io.StringIO()
    try:
        code: Optional[int] = file_now(paths, out, err)
    except ConfigError as exc:  # retrying cannot help: say it once; the notes still hold the items for `sync`
        err.write(f"warning: notes2tickets: {one_line(str(exc), secret)}; fix it, then run `notes2tickets sync`\n")
        code = exc.exit_code
    except Notes2TicketsError as exc:
        err.write(f"warning: notes2tickets: {one_line(str(exc), secret)}; the queued notes wait for the next run\n")
        code = None
    except Exception as exc:  # noqa: BLE001 - a worker leaves a report, never a traceback
        err.write(f"warning: notes2tickets: background filing hit a bug ({one_line(repr(exc), secret)}); please report it\n")
        code = None
    if code is not None:
        for path in claimed:
            path.unlink()
    else:
        pending_flag(state).touch()  # the claim stays: the next commit or worker retries it
    text = err.getvalue() + out.getvalue() or "nothing new to file\n"
    log.write(f"--- {queue.now()} background filing (exit {'stopped' if code is None else code})\n{text}")
    log.flush()
    queue.write_report(state, text)
    return code is not None
