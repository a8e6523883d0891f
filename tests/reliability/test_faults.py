"""Fault suite: with 20% of requests failing, every item is filed exactly once within two runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakepagure import ScriptedFaults
from tests.reliability.fault_trials import fault_suite
from tests.reliability.harness import Server, Workspace, assert_filed_once, sync

CI_TRIALS = 2


def test_fault_suite(tmp_path: Path) -> None:
    """Two trials of 50 items at a 20% fault rate: done within two runs, 0 duplicates, 0 lost."""
    result = fault_suite(tmp_path, trials=CI_TRIALS)
    print(result.line())
    figures = result.figures
    assert result.failures == []
    assert figures["not_done_after_2"] == 0
    assert (figures["duplicates"], figures["lost"], figures["state_disagrees"], figures["token_leaks"]) == (0, 0, 0, 0)
    assert figures["faults"] >= 0.1 * figures["requests"]  # the rate really was about 20%
    assert len(figures["by_kind"]) >= 6  # most kinds were drawn


@pytest.mark.parametrize("fault", ["created_then_500", "created_then_reset", "slow"])
def test_create_that_took_effect_is_adopted_not_refiled(tmp_path: Path, fault: str) -> None:
    """A create that worked but looked failed (500, reset, timeout) is found by its marker: no second POST."""
    ws = Workspace.create(tmp_path / "ws", items=5, seed=8, config={"timeout": 0.4})
    with Server(slow_delay=0.6) as server:
        server.set_faults(ScriptedFaults([None, fault], method="POST", path_contains="new_issue"))  # 1st POST: preflight
        assert_filed_once(sync(ws, server.url), server, ws, summary="4 filed, 1 adopted, 0 failed", creates=5)


@pytest.mark.parametrize("fault", ["500", "502", "503", "429", "reset"])
def test_create_that_failed_is_sent_again(tmp_path: Path, fault: str) -> None:
    """A create that failed before the server acted is looked for, not found, and sent again: filed once."""
    ws = Workspace.create(tmp_path / "ws", items=3, seed=9)
    with Server(retry_after="0") as server:
        server.set_faults(ScriptedFaults([None, fault], method="POST", path_contains="new_issue"))
        assert_filed_once(sync(ws, server.url), server, ws, summary="3 filed, 0 adopted, 0 failed", creates=4)
