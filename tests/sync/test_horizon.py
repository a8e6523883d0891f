"""How far back a fresh clone reads the tracker: the oldest meeting holding each item, minus a margin."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path
from typing import Iterator, List, Optional

from notes2tickets.extract import parse_paths
from notes2tickets.model import ExtractOptions
from notes2tickets.state.store import StateStore
from notes2tickets.sync.body import marker
from notes2tickets.sync.horizon import MARGIN, listing_horizon
from notes2tickets.sync.mirror import Mirror
from notes2tickets.tracker import RemoteIssue

DAY = 86400.0
NOW = time.time()
OLD = NOW - 120 * DAY
GLOBS = ("meetings/*.md",)


def _day(stamp: float) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(stamp))


def _git(repo: Path, *args: str, when: Optional[float] = None) -> None:
    env = dict(os.environ)
    if when is not None:
        env.update(GIT_AUTHOR_DATE=f"@{int(when)} +0000", GIT_COMMITTER_DATE=f"@{int(when)} +0000")
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def _repo(tmp_path: Path, *, old_name: str, old_text: str) -> Path:
    """A notes repository: an old meeting committed 120 days ago, today's meeting carrying its item over."""
    repo = tmp_path / "repo"
    (repo / "meetings").mkdir(parents=True)
    _git(repo, "init", "-q")
    (repo / "meetings" / old_name).write_text(old_text, encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "old", when=OLD)
    (repo / "meetings" / f"{_day(NOW)}.md").write_text(
        "# Weekly\n\n## Action items\n\n- [ ] Renew the signing key\n- [ ] Write the release notes\n", encoding="utf-8")
    return repo


def _horizon(repo: Path, where: Optional[Path] = None) -> Optional[float]:
    today = parse_paths([str((where or repo) / "meetings" / f"{_day(NOW)}.md")]).items
    return listing_horizon(today, root=where or repo, globs=GLOBS, options=ExtractOptions())


def test_carried_over_item_bounds_the_listing_by_its_first_meeting(tmp_path: Path) -> None:
    """An item first written 120 days ago (notes dated then, committed then): horizon = that day - MARGIN."""
    repo = _repo(tmp_path, old_name=f"{_day(OLD)}.md", old_text="# Weekly\n\n- [ ] Renew the signing key\n")
    horizon = _horizon(repo)
    assert horizon is not None
    midnight = time.mktime(time.strptime(_day(OLD), "%Y-%m-%d")) - time.timezone
    assert horizon == min(midnight - DAY, float(int(OLD))) - MARGIN


def test_git_date_wins_over_a_notes_date_that_is_too_late(tmp_path: Path) -> None:
    """The notes say a date after the commit: the earlier (the commit) is used."""
    repo = _repo(tmp_path, old_name="weekly.md", old_text=f"# Weekly {_day(NOW)}\n\n- [ ] Renew the signing key\n")
    assert _horizon(repo) == float(int(OLD)) - MARGIN


def test_notes_outside_a_repository_are_read_in_full(tmp_path: Path) -> None:
    """No git repository: no way to know the meetings holding the item, so no horizon."""
    (tmp_path / "meetings").mkdir()
    (tmp_path / "meetings" / f"{_day(NOW)}.md").write_text("# W\n\n- [ ] Renew the signing key\n", encoding="utf-8")
    os.environ["GIT_CEILING_DIRECTORIES"] = str(tmp_path.parent)
    try:
        assert _horizon(tmp_path) is None
    finally:
        del os.environ["GIT_CEILING_DIRECTORIES"]


def test_a_holding_meeting_without_any_date_means_a_full_listing(tmp_path: Path) -> None:
    """An uncommitted notes file with no date in it holds the item: its age is unknown, so no horizon."""
    repo = _repo(tmp_path, old_name=f"{_day(OLD)}.md", old_text="# Weekly\n\n- [ ] Write the release notes\n")
    (repo / "meetings" / "undated.md").write_text("# Notes\n\n- [ ] Renew the signing key\n", encoding="utf-8")
    assert _horizon(repo) is None


class _Tracker:
    """Answers listings from a list and records (since, status) of each."""

    def __init__(self, issues: List[RemoteIssue]) -> None:
        self.issues = issues
        self.calls: List[tuple] = []

    def iter_issues(self, *, since: Optional[float] = None, status: str = "all") -> Iterator[RemoteIssue]:
        self.calls.append((since, status))
        chosen = [i for i in self.issues if (since is None or i.last_updated >= since)
                  and (status == "all" or i.status == status)]
        return iter(sorted(chosen, key=lambda i: i.date_created))


def _issue(number: int, created: float, *, fp: str = "", status: str = "Closed") -> RemoteIssue:
    content = f"body\n\n{marker(fp)}" if fp else "body"
    return RemoteIssue(number, f"t{number}", content, status, f"http://127.0.0.1:1/p/issue/{number}", created, created)


def test_bounded_listing_finds_the_carried_over_issue_and_every_open_one(tmp_path: Path) -> None:
    """Since the horizon, plus the open issues created before it; nothing older is read, and the mirror
    remembers how far back it is complete, so a later run with an older horizon reads back that far."""
    horizon = OLD - MARGIN
    issues = [_issue(1, OLD - 300 * DAY), _issue(2, OLD - 200 * DAY, status="Open"),
              _issue(3, OLD + 600, fp="f" * 16), _issue(4, NOW - DAY)]
    tracker = _Tracker(issues)
    with StateStore.open(tmp_path / "state.db") as store:
        mirror = Mirror(client=tracker, store=store, url="http://127.0.0.1:1", project="p", writable=True,  # type: ignore[arg-type]
                        horizon=lambda: horizon)
        refs = mirror.refresh()
    assert sorted(r.id for r in refs) == [2, 3, 4]
    assert mirror.by_fingerprint("f" * 16) is not None
    assert tracker.calls == [(horizon, "all"), (None, "Open")]
    with StateStore.open(tmp_path / "state.db") as store:
        again = Mirror(client=tracker, store=store, url="http://127.0.0.1:1", project="p", writable=True,  # type: ignore[arg-type]
                       horizon=lambda: None)
        assert sorted(r.id for r in again.refresh()) == [1, 2, 3, 4]
    assert tracker.calls[2:] == [(None, "all")]  # unknown horizon: the whole tracker, once


def test_create_with_the_next_id_needs_no_new_look(tmp_path: Path) -> None:
    """After a look, a create answered with top + 1 keeps the mirror fresh; any other id makes it stale."""
    tracker = _Tracker([_issue(1, NOW - 60)])
    with StateStore.open(tmp_path / "state.db") as store:
        mirror = Mirror(client=tracker, store=store, url="http://127.0.0.1:1", project="p", writable=True)  # type: ignore[arg-type]
        mirror.refresh()
        assert mirror.created(_issue(2, NOW)) is True
        assert mirror.fresh
        mirror.look()
        assert len(tracker.calls) == 1  # no listing
        assert mirror.created(_issue(4, NOW)) is False  # someone took #3
        assert not mirror.fresh
        mirror.look()
        assert len(tracker.calls) == 2
