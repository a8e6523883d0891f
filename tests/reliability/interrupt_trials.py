"""Ctrl-C suite: SIGINT a 50-item sync; it must exit 130 with one line, and the next run reconciles.

Windows as in the crash suite (the server has committed the issue and not answered; just after
the answer; the create dropped; a timer), with SIGINT instead of SIGKILL, so the run's own
clean-up (rollback, lock release, the "interrupted" line) is what is tested.
"""

from __future__ import annotations

import random
import signal
import time
from pathlib import Path
from typing import Dict, List, NamedTuple

from tests.reliability.harness import (
    CliRun,
    Server,
    SuiteResult,
    Tally,
    TOKEN,
    Trap,
    Workspace,
    expected_fingerprints,
    leaks,
    run_trials,
    sync,
    sync_until_ok,
    tally,
)

ITEMS = 50
WINDOWS = ("created_no_reply", "after_reply", "post_lost", "random")
EXIT_INTERRUPTED = 130
# A SIGINT that lands once Python has left notes2tickets' code (interpreter shut-down, or under
# `python -m` after a KeyboardInterrupt that ended a string `exec` in a lazy import: CPython then
# re-sends itself the signal) ends the process by the signal; the shell reports 130 for both.
SIGNAL_DEATH = -signal.SIGINT
# In the interpreter's first ~20 ms (before any notes2tickets code) Python's own handler prints a
# KeyboardInterrupt traceback and exits 1; nothing has been read or written then. Timers start later.
STARTUP_SECONDS = 0.05


class InterruptTrial(NamedTuple):
    window: str
    interrupted: CliRun
    fired: bool
    after: List[CliRun]
    tally: Tally
    leaked: List[str]


def interrupt_trial(folder: Path, seed: int) -> InterruptTrial:
    rng = random.Random(seed)
    window = WINDOWS[seed % len(WINDOWS)]
    ws = Workspace.create(folder / "ws", items=ITEMS, seed=seed)
    fingerprints = expected_fingerprints(ws)
    with Server() as server:
        trap = Trap(window, rng.randint(1, ITEMS), sig=signal.SIGINT, delay=rng.uniform(0.0005, 0.01))
        server.trap = trap
        delay = rng.uniform(STARTUP_SECONDS, 1.0) if window == "random" else None
        first = sync(ws, server.url, trap=trap, kill_after=delay)
        server.trap = None
        after = sync_until_ok(ws, server.url, attempts=2)
        counted = tally(server, fingerprints, ws.state)
    texts = [r.text() for r in [first, *after]]
    return InterruptTrial(window, first, trap.fired, after, counted, leaks(TOKEN, texts, ws.files()))


def interrupt_suite(base: Path, *, trials: int, seed: int = 1, workers: int = 2) -> SuiteResult:
    started = time.monotonic()
    seeds, results = run_trials(interrupt_trial, base, trials=trials, seed=seed, workers=workers)
    result = SuiteResult("interrupt", f"SIGINT (Ctrl-C) during a {ITEMS}-item sync, then one more run", trials)
    hit = [r for r in results if r.fired]
    result.figures = {
        "interrupted": len(hit),
        "exit_130": sum(r.interrupted.code in (EXIT_INTERRUPTED, SIGNAL_DEATH) for r in hit),
        "signal_death": sum(r.interrupted.code == SIGNAL_DEATH for r in hit),
        "no_traceback": sum(_quiet(r.interrupted) for r in hit),
        "one_line_message": sum(_one_line(r.interrupted) for r in hit if r.interrupted.code == EXIT_INTERRUPTED),
        "next_run_exit_0": sum(r.after[0].code == 0 for r in results),
        "duplicates": sum(r.tally.duplicates for r in results),
        "lost": sum(r.tally.lost for r in results),
        "state_disagrees": sum(r.tally.state_wrong for r in results),
        "token_leaks": sum(len(r.leaked) for r in results),
    }
    result.failures = _failures(results, seeds)
    result.seconds = time.monotonic() - started
    return result


def _quiet(run: CliRun) -> bool:
    """No traceback, not even one Python reports as "Exception ignored" while freeing objects."""
    return "Traceback" not in run.err and "Exception ignored" not in run.err


def _one_line(run: CliRun) -> bool:
    """The last stderr line says what happened; nothing else but progress lines precede it."""
    lines = run.err.strip().splitlines()
    return bool(lines) and lines[-1].startswith("interrupted: ") and _quiet(run)


def _interrupted_well(run: CliRun) -> bool:
    if run.code == SIGNAL_DEATH:
        return _quiet(run)
    return run.code == EXIT_INTERRUPTED and _one_line(run)


def _failures(results: List[InterruptTrial], seeds: List[int]) -> List[str]:
    failures = []
    for seed, r in zip(seeds, results):
        problems: Dict[str, object] = {}
        if r.fired and not _interrupted_well(r.interrupted):
            problems["interrupted run"] = (r.interrupted.code, r.interrupted.err.strip()[-300:])
        if r.after[0].code != 0:
            problems["next run"] = (r.after[0].code, r.after[0].err.strip()[-300:])
        if not r.tally.ok or r.tally.issues != ITEMS or r.leaked:
            problems["tally"] = (r.tally, r.leaked)
        if problems:
            failures.append(f"seed {seed} ({r.window}): {problems}")
    return failures
