"""Crash suites of issue 14: a SIGKILL while closing never double-comments; one during annotate never tears the file."""

from __future__ import annotations

from pathlib import Path

from tests.reliability.close_trials import annotate_suite, close_suite
from tests.reliability.harness import Server, Workspace, run_cli, sync

CI_TRIALS = 8


def test_close_crash_suite(tmp_path: Path) -> None:
    """8 trials over the four windows: every ticket closed, exactly one notes2tickets comment each."""
    result = close_suite(tmp_path, trials=CI_TRIALS)
    print(result.line())
    assert result.failures == []
    assert result.figures["double_comments"] == result.figures["missing_comments"] == result.figures["left_open"] == 0
    assert result.figures["kills"] >= CI_TRIALS * 3 // 4  # the three server-side windows always fire


def test_annotate_crash_suite(tmp_path: Path) -> None:
    """6 trials killed around the write (some after it ended): the notes file is always the old or the new bytes."""
    result = annotate_suite(tmp_path, trials=6)
    print(result.line())
    assert result.failures == []
    assert result.figures["torn"] == 0
    assert result.figures["old"] + result.figures["new"] == 6


def test_kill_between_temp_write_and_rename_leaves_old_file(tmp_path: Path) -> None:
    """SIGKILL right before the rename: the notes are the old bytes; the next run removes the temp file and annotates."""
    ws = Workspace.create(tmp_path / "ws", items=3, seed=9)
    with Server() as server:
        assert sync(ws, server.url).code == 0
        old = ws.notes.read_bytes()
        prelude = "import os, signal\nos.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)"
        killed = run_cli(ws, ["annotate", str(ws.notes)], url=server.url, prelude=prelude)
        assert killed.code == -9
        assert ws.notes.read_bytes() == old
        assert [p.name for p in ws.root.iterdir() if p.name.endswith(".n2t-tmp")] != []
        again = run_cli(ws, ["annotate", str(ws.notes)], url=server.url)
    assert again.code == 0, again.err
    assert ws.notes.read_bytes().count(b" (#") == 3
    assert [p.name for p in ws.root.iterdir() if p.name.endswith(".n2t-tmp")] == []
