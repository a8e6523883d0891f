"""Waiting for the hook's background worker, for tests that check what a hook filed."""

from __future__ import annotations

import io
import subprocess
import time
from pathlib import Path
from typing import Mapping

from notes2tickets.state import queue

HANDED_OFF = "filing continues in the background"


def settled(repo: Path, done: "subprocess.CompletedProcess[str]", env: Mapping[str, str],
            started: float) -> "subprocess.CompletedProcess[str]":
    """On a busy machine the hook may hand its work to the background worker (its 3 s budget): then wait for the
    worker and give back what the hook prints when the worker is done in time, its report for the hand-off line.
    test_hook_budget checks the hand-off itself (``settle=False``)."""
    if HANDED_OFF not in done.stderr:
        return done
    state = Path(env.get("NOTES2TICKETS_STATE") or repo / ".git" / "notes2tickets" / "state.sqlite3")
    report = queue.report_path(state)
    end = time.monotonic() + 90
    while time.monotonic() < end and not (queue.worker_pid(state) is None and (
            queue.waiting(state) == 0 or (report.exists() and report.stat().st_mtime >= started - 1))):
        time.sleep(0.1)
    said = io.StringIO()
    queue.show_report(state, said)
    kept = "".join(line for line in done.stderr.splitlines(keepends=True) if HANDED_OFF not in line)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout, kept + said.getvalue())
