"""The tracker mirror: which `since` each look sends, and what it remembers between runs."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator, List, Optional

from notes2tickets.state.store import StateStore
from notes2tickets.sync.body import marker
from notes2tickets.sync.mirror import RECHECK_MARGIN, SINCE_MARGIN, Mirror
from notes2tickets.tracker.pagure import RemoteIssue

URL, PROJECT = "http://127.0.0.1:1", "ns/repo"
T0 = 1_700_000_000.0


class ListingClient:
    """Answers ``iter_issues`` from a list, records the ``since`` of every call."""

    def __init__(self) -> None:
        self.issues: List[RemoteIssue] = []
        self.sinces: List[Optional[float]] = []

    def add(self, number: int, stamp: float, fingerprint: str = "") -> RemoteIssue:
        content = f"body {number}\n\n{marker(fingerprint)}" if fingerprint else f"body {number}"
        issue = RemoteIssue(number, f"t{number}", content, "Open", f"{URL}/{PROJECT}/issue/{number}", stamp, stamp)
        self.issues.append(issue)
        return issue

    def iter_issues(self, *, since: Optional[float] = None) -> Iterator[RemoteIssue]:
        self.sinces.append(since)
        return iter([i for i in self.issues if since is None or i.last_updated >= since])


def _mirror(client: ListingClient, store: StateStore) -> Mirror:
    return Mirror(client=client, store=store, url=URL, project=PROJECT, writable=True)  # type: ignore[arg-type]


def test_first_look_is_full_then_wide_margin_then_narrow_between_creates(tmp_path: Path) -> None:
    """A run's first look goes back SINCE_MARGIN from the newest issue seen; looks after its own creates only RECHECK_MARGIN."""
    client = ListingClient()
    client.add(1, T0, "a" * 16)
    with StateStore.open(tmp_path / "state.db") as store:
        first = _mirror(client, store)
        assert first.find("a" * 16) is not None
        assert client.sinces == [None]

    with StateStore.open(tmp_path / "state.db") as store:
        run = _mirror(client, store)
        assert run.find("b" * 16) is None
        mine = client.add(2, T0 + 50)  # this run files an issue...
        run.posted()
        run.add([mine])
        assert run.find("c" * 16) is None  # ...and looks again before the next create
        assert client.sinces[1:] == [T0 - SINCE_MARGIN, T0 + 50 - RECHECK_MARGIN]


def test_issue_committed_within_the_margin_is_seen_by_the_next_look(tmp_path: Path) -> None:
    """Another machine's issue stamped before this run's last create but listed only later is still found."""
    client = ListingClient()
    with StateStore.open(tmp_path / "state.db") as store:
        run = _mirror(client, store)
        run.refresh()
        mine = client.add(1, T0 + 10)
        run.posted()
        run.add([mine])
        client.add(2, T0 + 10 - RECHECK_MARGIN + 1, "d" * 16)  # committed late, stamped earlier than ours
        found = run.find("d" * 16)
        assert found is not None and found.id == 2


def test_no_look_when_nothing_was_posted(tmp_path: Path) -> None:
    """Between two creates one look is enough: find() without a POST in between sends nothing."""
    client = ListingClient()
    with StateStore.open(tmp_path / "state.db") as store:
        run = _mirror(client, store)
        run.find("e" * 16)
        run.find("f" * 16)
        assert len(client.sinces) == 1
