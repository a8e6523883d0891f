"""Concurrency suite: two syncs of the same notes at once, on one state file or on two clones."""

from __future__ import annotations

from pathlib import Path
from typing import Any, List, Optional, Tuple

from notes2tickets.sync.body import find_marker
from tests.fakepagure import FakePagure
from tests.fakepagure import ALL_ISSUE_ACLS, TokenSpec
from tests.reliability.harness import (
    CliRun, Canned, Server, Tally, TOKEN, Workspace, assert_filed_once, expected_fingerprints, sync, tally,
)
from tests.reliability.race_trials import (
    ITEMS,
    MAX_RACE_DUPLICATES,
    MAX_RACE_DUPLICATES_3,
    clones_in_turn,
    clones_together,
    same_state,
)

IN_ORDER = "from notes2tickets.sync import filing\nfiling.first_pick = lambda count: 0  # the plan's order"


def test_same_state_at_once_second_run_waits(tmp_path: Path) -> None:
    """Two runs on one state file: the second waits for the lock, then has nothing to do."""
    pair = same_state(tmp_path, 1)
    assert pair.codes == [0, 0]
    assert (pair.tally.issues, pair.tally.duplicates, pair.tally.lost, pair.tally.state_wrong) == (ITEMS, 0, 0, 0)
    assert pair.creates == ITEMS
    assert sorted(r.out.strip() for r in pair.runs) == ["0 filed, 0 adopted, 0 failed; skipped: 50 known",
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
    """Two clones at once, with and without a 0.2 s listing latency (racing in lock-step duplicated 12-18%
    of items): both exit 0, nothing lost, both states point at marked issues, no duplicate left open."""
    pairs = [clones_together(tmp_path / str(i), 10 + i, read_delay=delay) for i, delay in enumerate((0.0, 0.2))]
    for pair in pairs:
        assert pair.codes == [0, 0]
        assert (pair.tally.lost, pair.tally.strays, pair.tally.state_wrong, pair.left_open) == (0, 0, 0, 0)
    assert sum(p.tally.duplicates for p in pairs) <= MAX_RACE_DUPLICATES * 2 * ITEMS


def test_three_clones_at_once_rarely_duplicate(tmp_path: Path) -> None:
    """Three clones at once with a 0.2 s listing latency: all exit 0, nothing lost, no duplicate left open."""
    run = clones_together(tmp_path, 20, read_delay=0.2, clones=3)
    assert run.codes == [0, 0, 0]
    assert (run.tally.lost, run.tally.strays, run.tally.state_wrong, run.left_open) == (0, 0, 0, 0)
    assert run.tally.duplicates <= MAX_RACE_DUPLICATES_3 * ITEMS


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
        assert_filed_once(sync(ws, server.url), server, ws, summary="2 filed, 1 adopted, 0 failed", creates=3)


class _OtherSync(Server):
    """Another clone files the same notes in the same order; what it does depends on ``mode``.

    ``ahead``: once our first create is in, it has already filed items 2 and 3.
    ``same_moment``: our first create and its create of the same item both succeed, its first.
    """

    def __init__(self, mode: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.mode = mode
        self.fingerprints: List[str] = []
        self.done = False

    def dispatch(self, method: str, path: str, query: Any, headers: Any, body: bytes) -> Any:
        first = method == "POST" and path.endswith("/new_issue") and body and not self.done
        if first and self.mode == "same_moment":
            self.done = True
            FakePagure.dispatch(self, method, path, query, headers, body)  # the other clone's copy, one id lower
        reply = super().dispatch(method, path, query, headers, body)
        if first and self.mode == "ahead":
            self.done = True
            for n in (1, 2):
                self.add_issue(f"item {n + 1} by the other clone", f"filed elsewhere\n\n<!-- notes2tickets:v1:{self.fingerprints[n]} -->")
        return reply

    def create_order(self) -> List[Optional[int]]:
        """Positions in the notes (0-based) of the items this run POSTed, in the order it POSTed them."""
        posts = [r for r in self.log if r.method == "POST" and r.path.endswith("/new_issue") and r.form.get("title")]
        return [self.fingerprints.index(fp) if fp in self.fingerprints else None
                for fp in (find_marker(r.form.get("issue_content", "")) for r in posts)]


def _sync_beside_other(tmp_path: Path, mode: str, **kwargs: Any) -> Tuple[CliRun, _OtherSync, Tally]:
    ws = Workspace.create(tmp_path / "ws", items=6, seed=7, config={"settle_time": 0.5})
    with _OtherSync(mode, **kwargs) as server:
        server.fingerprints = expected_fingerprints(ws)
        run = sync(ws, server.url, prelude=IN_ORDER)
        return run, server, tally(server, server.fingerprints, ws.state)


def test_other_sync_ahead_is_seen_by_the_gap_in_ids_and_its_copy_closed(tmp_path: Path) -> None:
    """Items 2 and 3 appear right after our create of item 1 (#1), so our create of item 2 is sent without a
    look (#1 was the next id) and becomes #4: not the next id, so we look, close #4 as a Duplicate of #2, adopt
    item 3 and go on (our first issue is the older one); every item ends with one open issue."""
    run, server, counted = _sync_beside_other(tmp_path, "ahead")
    assert run.code == 0, run.err
    assert run.out.strip() == "5 filed, 1 adopted, 0 failed"
    assert server.create_order() == [0, 1, 3, 4, 5]
    assert "warning: #4 duplicates #2, filed at the same moment by another sync: closed #4 as Duplicate" in run.err
    assert "another sync is filing" not in run.err  # we lead: the other sync's first issue is younger
    assert (counted.issues, counted.duplicates, counted.lost, counted.state_wrong) == (7, 1, 0, 0)
    assert [i["status"] for i in server.issues()] == ["Open", "Open", "Open", "Closed", "Open", "Open", "Open"]


def test_second_copy_is_closed_as_duplicate_then_the_run_follows_and_takes_over(tmp_path: Path) -> None:
    """Both clones file item 1 at once: ours is #2, theirs #1. We close #2 as Duplicate with a comment linking #1,
    keep #1 in state, follow the other sync, and take over when it files nothing for 2 x settle_time."""
    run, server, counted = _sync_beside_other(tmp_path, "same_moment")
    assert run.code == 0, run.err
    assert server.create_order() == [0, 1, 2, 3, 4, 5]  # ours only (the other copy bypasses the log)
    assert "warning: #2 duplicates #1, filed at the same moment by another sync: closed #2 as Duplicate" in run.err
    assert "another sync is filing these items right now" in run.err
    assert "the other sync filed nothing for 1 s: filing the 5 item(s) left" in run.err
    second = server.issues()[1]
    assert (second["id"], second["status"], second["close_status"]) == (2, "Closed", "Duplicate")
    assert second["comments"][0]["comment"].startswith("Duplicate of #1 (http://127.0.0.1:")
    assert (counted.issues, counted.duplicates, counted.lost, counted.state_wrong) == (7, 1, 0, 0)


def test_second_copy_is_named_when_the_token_may_not_close_it(tmp_path: Path) -> None:
    """A token with issue_create only: the second copy is named for closing, left open, state points at #1."""
    acls = tuple(a for a in ALL_ISSUE_ACLS if a not in ("issue_change_status", "issue_comment", "issue_update"))
    tokens = {TOKEN: TokenSpec("bot", "centos-sig-hyperscale/sig", acls)}
    run, server, counted = _sync_beside_other(tmp_path, "same_moment", tokens=tokens)
    assert run.code == 0, run.err
    assert "warning: #2 duplicates #1, filed at the same moment by another sync: close #2 (could not close it: " in run.err
    assert server.issues()[1]["status"] == "Open"
    assert (counted.duplicates, counted.lost, counted.state_wrong) == (1, 0, 0)
