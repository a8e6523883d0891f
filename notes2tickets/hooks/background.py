"""The hook's budget: queue the work without the state lock, file it in a detached process.

A git hook must give the prompt back within 3 s whatever the tracker does, and a
busy state lock must never lose what it was asked to file. So the hook never
takes the state lock itself:

1. it appends the changed notes files to ``<state>.queue`` (``state.queue``) and
   touches the ``.pending`` flag, so every later hook, 0.1.0's included, starts Python;
2. it forks a detached worker (a new session, all output to ``<state>.hook.log``)
   and waits for it until ``HOOK_BUDGET`` seconds after its own start, printing
   the worker's report if it finished in time.

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
import sys
import time
from pathlib import Path
from typing import Callable, Optional, Sequence, TextIO

from notes2tickets.errors import ConfigError, Notes2TicketsError
from notes2tickets.redact import hide, one_line, terminal_safe
from notes2tickets.state import queue
from notes2tickets.state.lock import pending_flag

# Seconds from the hook's Python start to giving the prompt back: git's own work, the interpreter's start
# until it can look at its age, and its exit fit in the 1.2 s left of the 3 s promised, even on a busy
# machine. HOOK_WAIT bounds the reads of a hook's dry run.
HOOK_BUDGET = 1.8
HOOK_WAIT = 2.0
_MIN_WAIT = 0.2
_POLL = 0.05
_LOG_LIMIT = 1024 * 1024  # the log is rotated to .log.1 beyond this

# What a worker calls to file notes files: (paths, out, err) -> exit code.
FileNow = Callable[[Sequence[str], TextIO, TextIO], int]


def hand_off(state: Path, *, work: Callable[[TextIO], int], err: TextIO, budget: float = HOOK_BUDGET) -> int:
    """Fork the worker (``work(log)``) and wait for it until this process is ``budget`` s old; say what happened.

    A fork, not a new interpreter: the worker starts with everything already imported, so a quick
    tracker is done within the budget even on a busy machine. Always 0.
    """
    end = time.monotonic() + max(budget - _age(), _MIN_WAIT)
    pid = _fork(state, work, err)
    exited = False
    while time.monotonic() < end:
        exited = exited or os.waitpid(pid, os.WNOHANG)[0] == pid
        if exited and queue.waiting(state) == 0:
            queue.show_report(state, err)
            return 0
        time.sleep(_POLL)
    err.write(
        f"notes2tickets: the tracker has not answered within {budget:g}s; filing continues in the background "
        f"(log: {queue.log_path(state)}); the next git command or `notes2tickets status` says how it went\n"
    )
    return 0


def _age() -> float:
    """Seconds since this process started (Linux /proc; elsewhere 0, so the whole budget is waited)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as handle:
            start_ticks = int(handle.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as handle:
            uptime = float(handle.read().split()[0])
        return max(0.0, uptime - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return 0.0


def _fork(state: Path, work: Callable[[TextIO], int], err: TextIO) -> int:
    log = queue.log_path(state)
    try:
        if log.stat().st_size > _LOG_LIMIT:
            os.replace(log, log.with_name(log.name + ".1"))
    except FileNotFoundError:
        pass
    log_fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
    for stream in (err, sys.stdout, sys.stderr):
        stream.flush()  # or the child would print the parent's buffered text again
    pid = os.fork()
    if pid:
        os.close(log_fd)
        return pid
    code = 3
    try:
        # A session of its own, no terminal, no pipe of git's: nothing waits on it, a closing terminal spares it.
        os.setsid()
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        os.dup2(log_fd, 1)
        os.dup2(log_fd, 2)
        with os.fdopen(log_fd, "w", encoding="utf-8", errors="replace") as stream:
            code = work(stream)
    finally:
        os._exit(code)  # never back into the caller's code (a test runner, git's hook script)


def work(state: Path, log: TextIO, *, file_now: FileNow, secret: Optional[str]) -> int:
    """Take every queued batch until the queue is empty, one worker per state file."""
    while True:
        lock = _try_lock(state)
        if lock is None:
            return 0  # the running worker takes our queue before it exits
        try:
            os.pwrite(lock, f"{os.getpid()}\n".encode(), 0)  # for `status`: the pid is true while locked
            while _one_batch(state, file_now, secret, log):
                pass
        finally:
            os.ftruncate(lock, 0)
            os.close(lock)
        # Released first, checked second: a hook that queued meanwhile either found the lock
        # held (so its line is seen here) or got the lock for its own worker.
        if not queue.queue_path(state).exists():
            return 0


def _try_lock(state: Path) -> Optional[int]:
    fd = os.open(queue.worker_lock_path(state), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
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
    text = terminal_safe(hide(err.getvalue() + out.getvalue(), [secret])) or "nothing new to file\n"
    log.write(f"--- {queue.now()} background filing (exit {'stopped' if code is None else code})\n{text}")
    log.flush()
    queue.write_report(state, text)
    return code is not None
