"""A run that finds some of its items filed moments ago by someone else follows that sync before filing."""

from __future__ import annotations

import time

from notes2tickets.extract import parse_paths
from notes2tickets.sync.body import marker
from tests.sync_support import IN_PROCESS, NEW_TITLES, SyncEnv, env  # noqa: F401 - env is a fixture


@IN_PROCESS
def test_items_filed_seconds_ago_elsewhere_make_the_run_follow_then_take_over(env: SyncEnv) -> None:
    """Item 1 was filed 10 s ago by another clone (no row in our state): we adopt it, wait for that sync
    (which files nothing more), take over after 2 x settle_time and file the other three once."""
    env.config("settle_time = 0.2\n")
    items = {i.title: i.fingerprint for i in parse_paths([str(env.root / "notes.md")]).items}
    env.fake.add_issue(NEW_TITLES[0], "filed elsewhere\n\n" + marker(items[NEW_TITLES[0]]), date_created=time.time() - 10)
    result = env.run("notes.md")
    assert result.code == 0, result.err
    assert result.out == "3 filed, 1 adopted, 0 failed; skipped: 1 done, 1 tracked\n"
    assert "note: another sync is filing these items right now" in result.err
    assert "the other sync filed nothing for 0.4 s: filing the 3 item(s) left" in result.err
    assert sorted(env.fake.titles()) == sorted(NEW_TITLES)


@IN_PROCESS
def test_items_filed_long_ago_are_adopted_without_waiting(env: SyncEnv) -> None:
    """The same issue filed a day ago: adopted, no following, no wait."""
    items = {i.title: i.fingerprint for i in parse_paths([str(env.root / "notes.md")]).items}
    env.fake.add_issue(NEW_TITLES[0], "filed elsewhere\n\n" + marker(items[NEW_TITLES[0]]), date_created=time.time() - 86400)
    result = env.run("notes.md")
    assert result.code == 0, result.err
    assert "another sync" not in result.err
    assert sorted(env.fake.titles()) == sorted(NEW_TITLES)
