"""Crash trials for issue 14: SIGKILL during close_done's closing, and during ``annotate``.

Closing: a workspace files ``ITEMS`` items, then a later notes file marks them all done and a
``close_done`` sync is killed at one moment seen by the server: ``comment_no_reply`` (the comment
is stored, the reply not sent), ``after_comment`` (a few ms after the comment's reply: the client is
between the comment and the close), ``status_no_reply`` (the close is stored, the reply not sent)
or ``random`` (a timer). Then sync runs until it exits 0; every ticket must be closed and carry
exactly one notes2tickets comment.

Annotate: a large notes file (padding makes the write take a while) whose filed items get their
references; the run is killed on a timer anywhere in it. The file must be exactly the old bytes or
exactly the new bytes.
"""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path
from typing import Any, Dict, List, NamedTuple, Optional

from tests.reliability.harness import (
    Server,
    SuiteResult,
    Trap,
    Workspace,
    notes_text,
    run_cli,
    run_trials,
    sync,
)
from notes2tickets.sync.closing import marker

ITEMS = 8
WINDOWS = ("comment_no_reply", "after_comment", "status_no_reply", "random")


class CloseTrap(Trap):
    """Kill when the server has stored the ``at``-th comment or close (the ACL probes on issue 0 excluded)."""

    def __init__(self, window: str, at: int, *, delay: float = 0.0) -> None:
        super().__init__(window, at, delay=delay)
        self._seen = 0

    def on_change(self, kind: str) -> None:
        wanted = "status" if self.window == "status_no_reply" else "comment"
        if kind != wanted or self.window == "random":
            return
        with self._lock:
            self._seen += 1
            hit = self._seen == self.at
        if hit and self.window == "after_comment":
            threading.Timer(self.delay, self.fire).start()
        elif hit:
            self.fire()


class CloseServer(Server):
    def record(self, entry: Any) -> None:
        super().record(entry)
        trap = self.trap
        parts = entry.path.rstrip("/").split("/")
        if isinstance(trap, CloseTrap) and entry.method == "POST" and entry.status == 200 and parts[-2:-1] != ["0"] \
                and parts[-1] in ("comment", "status"):
            trap.on_change(parts[-1])


def done_notes(ws: Workspace, seed: int) -> Path:
    text = notes_text(ITEMS, seed=seed).replace("- [ ] ", "- [x] ").replace("2024-05-01", "2024-05-15")
    path = ws.root / "later.md"
    path.write_text(text, encoding="utf-8")
    return path


class CloseTrial(NamedTuple):
    window: str
    fired: bool
    final_code: int
    closed: int
    comments: List[int]  # notes2tickets comments per issue


def close_trial(folder: Path, seed: int) -> CloseTrial:
    rng = random.Random(seed)
    window = WINDOWS[seed % len(WINDOWS)]
    ws = Workspace.create(folder / "ws", items=ITEMS, seed=seed, config={"close_done": True})
    with CloseServer() as server:
        assert sync(ws, server.url).code == 0
        later = done_notes(ws, seed)
        trap = CloseTrap(window, rng.randint(1, ITEMS), delay=rng.uniform(0.0005, 0.01))
        server.trap = trap
        run_cli(ws, ["sync", str(later)], url=server.url, trap=trap,
                kill_after=rng.uniform(0.05, 1.0) if window == "random" else None)
        server.trap = None
        code = -1
        for _ in range(3):
            code = run_cli(ws, ["sync", str(later)], url=server.url).code
            if code == 0:
                break
        issues = server.issues()
    ours = [sum(marker(i["id"]) in c["comment"] for c in i["comments"]) for i in issues]
    return CloseTrial(window, trap.fired, code, sum(i["status"] == "Closed" for i in issues), ours)


def close_suite(base: Path, *, trials: int, seed: int = 1, workers: int = 2) -> SuiteResult:
    started = time.monotonic()
    seeds, results = run_trials(close_trial, base, trials=trials, seed=seed, workers=workers)
    result = SuiteResult("close_crash", f"SIGKILL while close_done closes {ITEMS} tickets, then re-run", trials)
    result.figures = {
        "kills": sum(r.fired for r in results),
        "double_comments": sum(max(n - 1, 0) for r in results for n in r.comments),
        "missing_comments": sum(n == 0 for r in results for n in r.comments),
        "left_open": sum(ITEMS - r.closed for r in results),
    }
    result.failures = [f"seed {s} ({r.window}): exit {r.final_code}, closed {r.closed}, comments {r.comments}"
                       for s, r in zip(seeds, results)
                       if r.final_code != 0 or r.closed != ITEMS or r.comments != [1] * ITEMS]
    result.seconds = time.monotonic() - started
    return result


# -- annotate ---------------------------------------------------------------------------------

PADDING_LINES = 60_000  # ~5 MB of prose: the write takes long enough to be hit


class AnnotateTrial(NamedTuple):
    killed: bool
    outcome: str  # old | new | torn
    temp_files: int


def annotate_trial(folder: Path, seed: int) -> AnnotateTrial:
    rng = random.Random(seed)
    ws = Workspace.create(folder / "ws", items=5, seed=seed)
    padding = "".join(f"Discussion line {n} with trailing spaces   \r\n" for n in range(PADDING_LINES))
    ws.notes.write_bytes(ws.notes.read_bytes() + b"\n## Minutes\n\n" + padding.encode("utf-8"))
    with Server() as server:
        assert sync(ws, server.url).code == 0
        old = ws.notes.read_bytes()
        clean = ws.root / "clean.md"  # the same notes under another name: the expected result and the run time
        clean.write_bytes(old)
        reference = run_cli(ws, ["annotate", str(clean)], url=server.url)
        assert reference.code == 0 and b"(#5)" in clean.read_bytes(), reference.err
        new = clean.read_bytes()
        trap = Trap("random", 0)
        run = run_cli(ws, ["annotate", str(ws.notes)], url=server.url, trap=trap,
                      kill_after=rng.uniform(0.85, 1.15) * reference.seconds)  # around the write, at the end
    now = ws.notes.read_bytes()
    outcome = "old" if now == old else "new" if now == new else "torn"
    temps = sum(1 for p in ws.root.iterdir() if p.name.endswith(".n2t-tmp"))
    return AnnotateTrial(trap.fired and run.code == -9, outcome, temps)


def annotate_suite(base: Path, *, trials: int, seed: int = 1, workers: int = 2) -> SuiteResult:
    started = time.monotonic()
    seeds, results = run_trials(annotate_trial, base, trials=trials, seed=seed, workers=workers)
    result = SuiteResult("annotate_crash", "SIGKILL during annotate of a ~5 MB notes file", trials)
    counts: Dict[str, int] = {k: sum(r.outcome == k for r in results) for k in ("old", "new", "torn")}
    result.figures = {"kills": sum(r.killed for r in results), **counts,
                      "temp_files_left": sum(r.temp_files for r in results)}
    result.failures = [f"seed {s}: torn file" for s, r in zip(seeds, results) if r.outcome == "torn"]
    result.seconds = time.monotonic() - started
    return result
