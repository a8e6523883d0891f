"""Concurrency suite: two syncs of the same notes at once, on one state file or on two clones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.fakepagure import FakePagure
from tests.reliability.harness import Canned, Server, Workspace, expected_fingerprints, sync, tally
from tests.reliability.race_trials import (
    ITEMS,
    MAX_RACE_DUPLICATES,
    clones_in_turn,
    clones_together,
    same_state,
)


def test_same_state_at_once_second_run_waits(tmp_path: Path) -> None:
    """Two runs on one state file: the second waits for the lock, then has nothing to do."""
    pair = same_state(tmp_path, 1)
    assert pair.codes == [0, 0]
    assert (pair.tally.issues, pair.tally.duplicates, pair.tally.lost, pair.tally.state_wrong) == (ITEMS, 0, 0, 0)
    assert pair.creates == ITEMS
    assert sorted(r.out.strip() for r in pair.runs) == ["0 filed, 0 adopted, 0 failed; skipped: 50 filed",
                                                         "50 filed, 0 adopted, 0 failed"]


def test_same_state_at_once_short_lock_exits_2(tmp_path: Path) -> None:
    """With lock_timeout = 0.3 s the second run exits 2 with one line naming the lock; nothing twice."""
    pair = same_state(tmp_path, 2, lock_timeout=0.3)
    assert sorted(pair.codes) == [0, 2]
    refused = pair.runs[pair.codes.index(2)]
    assert refused.err.count("\n") == 1
    assert refused.err.startswith("error: another notes2tickets run holds ")
    assert (pair.tally.issues, pair.tally.duplicates, pair.tally.lost, pair.tally.state_wrong) == (ITEMS, 0, 0, 0)


def test_clones_in_turn_second_adopts_everything(tmp_path: Path) -> None:
    """Clone B, with empty state, adopts all 50 issues clone A filed, by their markers; no create."""
    pair = clones_in_turn(tmp_path, 3)
    assert pair.codes == [0, 0]
    assert pair.runs[1].out.strip() == "0 filed, 50 adopted, 0 failed"
    assert pair.creates == ITEMS
    assert (pair.tally.issues, pair.tally.duplicates, pair.tally.state_wrong) == (ITEMS, 0, 0)


def test_clones_at_once_rarely_duplicate(tmp_path: Path) -> None:
    """Two clones at once: both exit 0, nothing lost, both states point at marked issues, few duplicates."""
    pairs = [clones_together(tmp_path / str(i), 10 + i) for i in range(2)]
    for pair in pairs:
        assert pair.codes == [0, 0]
        assert (pair.tally.lost, pair.tally.strays, pair.tally.state_wrong) == (0, 0, 0)
    assert sum(p.tally.duplicates for p in pairs) <= MAX_RACE_DUPLICATES * 2 * ITEMS


class _LosesRaceTo(Server):
    """The first item create loses the id race to another clone that filed the very same item."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.raced = False

    def dispatch(self, method: str, path: str, query: Any, headers: Any, body: bytes) -> Any:
        if method == "POST" and path.endswith("/new_issue") and body and not self.raced:
            self.raced = True
            FakePagure.dispatch(self, method, path, query, headers, body)  # the other clone's create wins
            return Canned(400, '{"error": "An error occurred at the database level and prevent the action from '
                               'reaching completion", "error_code": "EDBERROR"}')
        return super().dispatch(method, path, query, headers, body)


def test_lost_id_race_looks_for_marker_before_sending_again(tmp_path: Path) -> None:
    """After 400 EDBERROR the item is looked for first: the winner's issue is adopted, not filed again."""
    ws = Workspace.create(tmp_path / "ws", items=3, seed=5)
    with _LosesRaceTo() as server:
        run = sync(ws, server.url)
        counted = tally(server, expected_fingerprints(ws), ws.state)
        assert run.code == 0
        assert run.out.strip() == "2 filed, 1 adopted, 0 failed"
        assert server.creates() == 3
        assert (counted.issues, counted.duplicates, counted.lost, counted.state_wrong) == (3, 0, 0, 0)
