"""Issue 15 item 5: a run killed while its create is still queued at a slow server, re-run at once.

The server takes the first create, the run is killed (SIGKILL) right then, and the server commits
that create only ``QUEUED`` seconds later. The re-run finds the item ``pending`` and younger than
the request timeout, so it waits out ``settle_time`` and looks again before posting: one issue.
"""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path
from typing import Any

from tests.reliability.harness import Server, Trap, Workspace, expected_fingerprints, sync, tally

QUEUED = 1.5  # seconds the killed run's create waits at the server before it is committed
# Both runs file in the plan's order, so the re-run's first create is the item still queued.
IN_ORDER = "from notes2tickets.sync import filing\nfiling.first_pick = lambda count: 0"


class _SlowQueue(Server):
    """Holds the first item create for ``QUEUED`` seconds (after killing the client), then commits it."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.held = False
        self.committed = threading.Event()

    def dispatch(self, method: str, path: str, query: Any, headers: Any, body: bytes) -> Any:
        first = method == "POST" and path.endswith("/new_issue") and bool(body) and not self.held
        if first:
            self.held = True
            assert self.trap is not None
            self.trap.fire()
            time.sleep(QUEUED)
        reply = super().dispatch(method, path, query, headers, body)
        if first:
            self.committed.set()
        return reply


def _killed_then_rerun(tmp_path: Path, settle: float) -> tuple:
    ws = Workspace.create(tmp_path / "ws", items=3, seed=15, config={"settle_time": settle})
    with _SlowQueue() as server:
        server.trap = Trap("none", 0, sig=signal.SIGKILL)  # fired by the server itself, in dispatch
        killed = sync(ws, server.url, trap=server.trap, prelude=IN_ORDER)
        again = sync(ws, server.url, prelude=IN_ORDER)
        assert server.committed.wait(10)
        return killed, again, tally(server, expected_fingerprints(ws), None)


def test_rerun_waits_for_the_queued_create_and_adopts_it(tmp_path: Path) -> None:
    """settle_time 3 s (more than the 1.5 s queue): the re-run says it waits, then adopts: 3 issues, none twice."""
    killed, again, counted = _killed_then_rerun(tmp_path, 3.0)
    assert killed.code == -signal.SIGKILL
    assert again.code == 0, again.err
    assert "may still be arriving: waiting 3 s, then looking for them on the tracker" in again.err
    assert again.out.strip() == "2 filed, 1 adopted, 0 failed"
    assert (counted.issues, counted.duplicates, counted.lost) == (3, 0, 0)


def test_without_a_settle_time_the_queued_create_is_filed_twice(tmp_path: Path) -> None:
    """The control: settle_time 0 posts at once and both creates land (the defect the wait fixes)."""
    killed, again, counted = _killed_then_rerun(tmp_path, 0.0)
    assert again.code == 0, again.err
    assert counted.duplicates == 1
