"""Crash suite: a SIGKILLed sync, re-run until it exits 0, never files twice and never loses an item."""

from __future__ import annotations

import re
from pathlib import Path

from tests.reliability.crash_trials import FAULT_ITEMS, ITEMS, crash_fault_suite, crash_suite
from tests.reliability.harness import Server, Trap, Workspace, expected_fingerprints, sync, tally

CI_TRIALS = 20


def test_crash_suite(tmp_path: Path) -> None:
    """20 trials: 50 issues each, 0 duplicates, 0 lost, state agrees, every window hit."""
    result = crash_suite(tmp_path, trials=CI_TRIALS)
    print(result.line())
    figures = result.figures
    assert result.failures == []
    assert (figures["duplicates"], figures["lost"], figures["state_disagrees"]) == (0, 0, 0)
    assert (figures["integrity_failures"], figures["token_leaks"]) == (0, 0)
    assert figures["issues_per_trial"] == [ITEMS]
    assert figures["windows_hit"]["created_not_recorded"] >= CI_TRIALS // 4  # every created_no_reply trial lands there
    assert figures["windows_hit"]["pending_not_created"] >= CI_TRIALS // 4  # every post_lost trial lands there


def test_crash_with_faults_on_look_alike_titles(tmp_path: Path) -> None:
    """Random SIGKILLs while 10% of requests fail, titles differing only in a number: every item exactly once."""
    result = crash_fault_suite(tmp_path, trials=4)
    print(result.line())
    figures = result.figures
    assert result.failures == []
    assert (figures["duplicates"], figures["lost"], figures["state_disagrees"]) == (0, 0, 0)
    assert figures["issues_per_trial"] == [FAULT_ITEMS]


def _killed_then_rerun(tmp_path: Path, window: str, at: int) -> tuple:
    ws = Workspace.create(tmp_path / "ws", items=10, seed=4)
    with Server() as server:
        trap = Trap(window, at)
        server.trap = trap
        killed = sync(ws, server.url, trap=trap)
        server.trap = None
        rerun = sync(ws, server.url)
        return killed, rerun, server.creates(), tally(server, expected_fingerprints(ws), ws.state)


def _filed_adopted_known(out: str) -> tuple:
    """(filed, adopted + known) from a run's summary line, which must say 0 failed."""
    match = re.fullmatch(r"(\d+) filed, (\d+) adopted, 0 failed(?:; skipped: (\d+) known)?", out.strip())
    assert match, out
    filed, adopted, known = (int(g or 0) for g in match.groups())
    return filed, adopted + known


def test_kill_after_create_before_reply_adopts_instead_of_refiling(tmp_path: Path) -> None:
    """Killed after the server created #4 but before the reply: the re-run adopts #4 and POSTs 6, not 7.

    #1-#3 are known, or adopted too when their ``filed`` rows were in a commit group the kill cut short.
    """
    killed, rerun, creates, counted = _killed_then_rerun(tmp_path, "created_no_reply", 4)
    assert killed.code == -9
    assert rerun.code == 0
    assert _filed_adopted_known(rerun.out) == (6, 4)
    assert creates == 10
    assert (counted.issues, counted.duplicates, counted.lost, counted.state_wrong) == (10, 0, 0, 0)


def test_kill_while_create_in_flight_files_it_on_rerun(tmp_path: Path) -> None:
    """Killed with item 4 pending and its create dropped: the re-run sends it again (11 creates), filed once."""
    killed, rerun, creates, counted = _killed_then_rerun(tmp_path, "post_lost", 4)
    assert killed.code == -9
    assert rerun.code == 0
    assert _filed_adopted_known(rerun.out) == (7, 3)  # #1-#3: known, or adopted if their rows were not committed yet
    assert creates == 11  # create requests received: the dropped one and its successor
    assert (counted.issues, counted.duplicates, counted.lost, counted.state_wrong) == (10, 0, 0, 0)
