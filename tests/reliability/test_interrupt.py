"""Ctrl-C suite: SIGINT during a sync exits 130 with one line; the next run reconciles, never twice."""

from __future__ import annotations

from pathlib import Path

from tests.reliability.interrupt_trials import WINDOWS, interrupt_suite

CI_TRIALS = 2 * len(WINDOWS)


def test_interrupt_suite(tmp_path: Path) -> None:
    """Eight SIGINTs at the four windows: shell status 130, no traceback, next run exit 0, 0 duplicates, 0 lost."""
    result = interrupt_suite(tmp_path, trials=CI_TRIALS)
    print(result.line())
    figures = result.figures
    assert result.failures == []
    assert figures["interrupted"] >= 6  # the three server-side windows always fire; timers nearly always
    assert figures["exit_130"] == figures["interrupted"] == figures["no_traceback"]
    assert figures["one_line_message"] == figures["interrupted"] - figures["signal_death"]
    assert figures["next_run_exit_0"] == CI_TRIALS
    assert (figures["duplicates"], figures["lost"], figures["state_disagrees"], figures["token_leaks"]) == (0, 0, 0, 0)
