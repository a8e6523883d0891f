"""Crash suite: SIGKILL a 50-item sync at chosen or random moments, re-run until exit 0, count.

Each trial starts a fresh server and workspace, kills the first run in one window (drawn in turn):
``random`` (a timer), ``created_no_reply`` (the server committed the issue, the reply is not sent),
``after_reply`` (a few milliseconds after the reply: between the POST and the state update) and
``post_lost`` (the pending row is written, the create never arrives). Half the trials kill the
recovery run too. Then ``sync`` runs until it exits 0 and the server and state are counted.

The notes' titles differ only in a number ("Task number 1 ...", "Task number 10 ..."), so a re-run
that took the tool's own tickets for near-duplicates would lose items. ``crash_fault_suite`` kills
at random moments while 10% of all requests fail too, on 20 such items.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from pathlib import Path
from typing import Dict, List, NamedTuple, Optional

from tests.fakepagure import FAULT_KINDS, RandomFaults
from tests.reliability.harness import (
    CliRun,
    Server,
    SuiteResult,
    Tally,
    Trap,
    TOKEN,
    Workspace,
    classify_crash,
    expected_fingerprints,
    leaks,
    run_trials,
    sync,
    sync_until_ok,
    tally,
)

ITEMS = 50
WINDOWS = ("random", "created_no_reply", "after_reply", "post_lost")
CLEAN_RUN_SECONDS = 1.0  # a 50-item run takes ~0.7 s here; random kills land anywhere in it
FAULT_ITEMS = 20
FAULT_RATE = 0.1
FAULT_RUN_SECONDS = 3.0  # 20 items with 10% faults (retries, Retry-After: 1, slow replies)
CLIENT_TIMEOUT, SLOW_DELAY = 0.4, 0.6  # as in the fault suite


class CrashTrial(NamedTuple):
    windows: List[str]  # the window aimed at, per kill
    landed: List[str]  # where each killed run actually stopped (classify_crash), or "finished"
    reruns: int
    final_code: int
    tally: Tally
    leaked: List[str]
    seconds: float


def _kill_once(ws: Workspace, server: Server, rng: random.Random, window: str, scratch: Path,
               items: int = ITEMS, run_seconds: float = CLEAN_RUN_SECONDS) -> tuple:
    trap = Trap(window, rng.randint(1, items), delay=rng.uniform(0.0005, 0.01))
    server.trap = trap
    run = sync(ws, server.url, trap=trap, kill_after=rng.uniform(0.05, run_seconds) if window == "random" else None)
    server.trap = None
    if not trap.fired:
        return run, "finished"
    return run, classify_crash(server, ws.state, scratch)


def crash_trial(folder: Path, seed: int, *, window: Optional[str] = None) -> CrashTrial:
    """One trial: kill once (or twice), then re-run to success; count duplicates and losses."""
    rng = random.Random(seed)
    started = time.monotonic()
    ws = Workspace.create(folder / "ws", items=ITEMS, seed=seed, look_alike=True)
    fingerprints = expected_fingerprints(ws)
    runs: List[CliRun] = []
    windows = [window or WINDOWS[seed % len(WINDOWS)]]
    if rng.random() < 0.5:
        windows.append(rng.choice(WINDOWS))  # the recovery run is killed too
    landed = []
    with Server() as server:
        for index, chosen in enumerate(windows):
            run, where = _kill_once(ws, server, rng, chosen, folder / f"scratch{index}")
            runs.append(run)
            landed.append(where)
        finals = sync_until_ok(ws, server.url, attempts=3)
        runs.extend(finals)
        counted = tally(server, fingerprints, ws.state)
    texts = [r.text() for r in runs]
    return CrashTrial(windows, landed, len(finals), finals[-1].code, counted, leaks(TOKEN, texts, ws.files()),
                      time.monotonic() - started)


def crash_fault_trial(folder: Path, seed: int) -> CrashTrial:
    """One trial: 10% of requests fail; kill at a random moment (half the time the recovery run too),
    then re-run until exit 0, faults still on; count duplicates and losses once the faults stop."""
    rng = random.Random(seed)
    started = time.monotonic()
    ws = Workspace.create(folder / "ws", items=FAULT_ITEMS, seed=seed, config={"timeout": CLIENT_TIMEOUT}, look_alike=True)
    fingerprints = expected_fingerprints(ws)
    runs: List[CliRun] = []
    windows = ["random"] * (1 + (rng.random() < 0.5))
    landed = []
    with Server(slow_delay=SLOW_DELAY, retry_after="1") as server:
        server.set_faults(RandomFaults(FAULT_RATE, seed=seed, kinds=FAULT_KINDS))
        for index, chosen in enumerate(windows):
            run, where = _kill_once(ws, server, rng, chosen, folder / f"scratch{index}", FAULT_ITEMS, FAULT_RUN_SECONDS)
            runs.append(run)
            landed.append(where)
        finals = sync_until_ok(ws, server.url, attempts=8)
        runs.extend(finals)
        server.set_faults(None)
        counted = tally(server, fingerprints, ws.state)
    texts = [r.text() for r in runs]
    return CrashTrial(windows, landed, len(finals), finals[-1].code, counted, leaks(TOKEN, texts, ws.files()),
                      time.monotonic() - started)


def crash_fault_suite(base: Path, *, trials: int, seed: int = 1, workers: int = 2) -> SuiteResult:
    """``trials`` kills at random moments with 10% faults, on 20 items whose titles differ only in a number."""
    started = time.monotonic()
    seeds, results = run_trials(crash_fault_trial, base, trials=trials, seed=seed, workers=workers)
    checked = f"SIGKILL at random moments with {FAULT_RATE:.0%} faults during a {FAULT_ITEMS}-item sync, then re-run until exit 0"
    result = SuiteResult("crash-faults", checked, trials)
    result.figures = _figures(results)
    result.failures = _failures(results, seeds, FAULT_ITEMS)
    result.seconds = time.monotonic() - started
    return result


def crash_suite(base: Path, *, trials: int, seed: int = 1, workers: int = 2) -> SuiteResult:
    """``trials`` crash trials, ``workers`` at a time; figures for the table."""
    started = time.monotonic()
    seeds, results = run_trials(crash_trial, base, trials=trials, seed=seed, workers=workers)
    result = SuiteResult("crash", f"SIGKILL during a {ITEMS}-item sync, then re-run until exit 0", trials)
    result.figures = _figures(results)
    result.failures = _failures(results, seeds)
    result.seconds = time.monotonic() - started
    return result


def _figures(results: List[CrashTrial]) -> Dict[str, object]:
    landed = Counter(label for r in results for where in r.landed for label in where.split("+"))
    return {
        "kills": sum(len(r.landed) - r.landed.count("finished") for r in results),
        "windows_hit": dict(sorted(landed.items())),
        "issues_per_trial": sorted({r.tally.issues for r in results}),
        "duplicates": sum(r.tally.duplicates for r in results),
        "lost": sum(r.tally.lost for r in results),
        "state_disagrees": sum(r.tally.state_wrong for r in results),
        "integrity_failures": sum(r.tally.integrity != "ok" for r in results),
        "max_reruns_to_exit_0": max(r.reruns for r in results),
        "token_leaks": sum(len(r.leaked) for r in results),
    }


def _failures(results: List[CrashTrial], seeds: List[int], items: int = ITEMS) -> List[str]:
    failures = []
    for seed, r in zip(seeds, results):
        if r.final_code != 0 or not r.tally.ok or r.tally.issues != items or r.leaked:
            failures.append(f"seed {seed} ({'/'.join(r.windows)} -> {'/'.join(r.landed)}): exit {r.final_code}, {r.tally}, leaks {r.leaked}")
    return failures
