"""Fault suite: the server fails 20% of all requests at random; every item filed exactly once in two runs.

Kinds (drawn evenly): 500, 502, 503 and 429 (both with ``Retry-After``), connection reset, a reply
slower than the client's timeout (the work is done first), and "created, then 500" / "created, then
reset" (the issue exists although the client sees a failure). The client timeout is set small in
``.notes2tickets.toml`` so slow replies cost little. The items' titles differ only in a number.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Dict, List, NamedTuple

from tests.fakepagure import FAULT_KINDS, RandomFaults
from tests.reliability.harness import (
    CliRun,
    Server,
    SuiteResult,
    Tally,
    TOKEN,
    Workspace,
    expected_fingerprints,
    leaks,
    run_trials,
    server_texts,
    sync,
    tally,
)

ITEMS = 50
RATE = 0.2
CLIENT_TIMEOUT = 0.4  # seconds; "slow" answers after SLOW_DELAY, past it
SLOW_DELAY = 0.6
RETRY_AFTER = "1"  # Pagure's proxies send whole seconds; the client must honour it


class FaultTrial(NamedTuple):
    codes: List[int]  # exit code of run 1 and run 2
    filed_run1: int
    faults: Dict[str, int]
    requests: int
    tally: Tally
    leaked: List[str]
    seconds: float


def fault_trial(folder: Path, seed: int, *, rate: float = RATE) -> FaultTrial:
    started = time.monotonic()
    ws = Workspace.create(folder / "ws", items=ITEMS, seed=seed, config={"timeout": CLIENT_TIMEOUT}, look_alike=True)
    fingerprints = expected_fingerprints(ws)
    runs: List[CliRun] = []
    with Server(slow_delay=SLOW_DELAY, retry_after=RETRY_AFTER) as server:
        server.set_faults(RandomFaults(rate, seed=seed, kinds=FAULT_KINDS))
        runs.append(sync(ws, server.url))
        filed_run1 = len(server.issues())
        if runs[0].code != 0:
            runs.append(sync(ws, server.url))
        faults = dict(server.faults())
        requests = len(server.log)
        server.set_faults(None)
        counted = tally(server, fingerprints, ws.state)
        texts = [r.text() for r in runs] + server_texts(server)
    return FaultTrial([r.code for r in runs], filed_run1, faults, requests, counted,
                      leaks(TOKEN, texts, ws.files()), time.monotonic() - started)


def fault_suite(base: Path, *, trials: int, seed: int = 1, workers: int = 2) -> SuiteResult:
    started = time.monotonic()
    seeds, results = run_trials(fault_trial, base, trials=trials, seed=seed, workers=workers)
    result = SuiteResult("faults", f"{RATE:.0%} of requests fail at random ({len(FAULT_KINDS)} kinds); {ITEMS} items", trials)
    kinds: Counter = Counter()
    for r in results:
        kinds.update(r.faults)
    result.figures = {
        "requests": sum(r.requests for r in results),
        "faults": sum(kinds.values()),
        "by_kind": dict(sorted(kinds.items())),
        "done_in_run_1": sum(r.codes == [0] for r in results),
        "done_in_run_2": sum(r.codes[-1] == 0 and len(r.codes) == 2 for r in results),
        "not_done_after_2": sum(r.codes[-1] != 0 for r in results),
        "duplicates": sum(r.tally.duplicates for r in results),
        "lost": sum(r.tally.lost for r in results),
        "state_disagrees": sum(r.tally.state_wrong for r in results),
        "token_leaks": sum(len(r.leaked) for r in results),
        "median_trial_s": round(sorted(r.seconds for r in results)[len(results) // 2], 1),
    }
    result.failures = [
        f"seed {s}: exits {r.codes}, {r.tally}, leaks {r.leaked}"
        for s, r in zip(seeds, results)
        if r.codes[-1] != 0 or not r.tally.ok or r.tally.issues != ITEMS or r.leaked
    ]
    result.seconds = time.monotonic() - started
    return result
