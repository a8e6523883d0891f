"""How many HTTP requests ``notes2tickets sync`` sends, counted on the stand-in Pagure server.

Four figures, each against a fresh ``FakePagure`` on 127.0.0.1 and notes generated in a
temporary folder; the CLI runs through ``cli.main`` in this process (the same code path as
the installed command), and every request is read from the server's log:

(a) re-running a sync of 200 items with complete state       goal: 0 requests
(b) empty state, 1,000 issues on the tracker (50 carry markers of our items):
    reads before the first create                           goal: <= 1 + ceil(1000/100) = 11
(c) K new items                                              goal: exactly K creates
(d) a later run after that fresh-state reconcile, 5 new items: listing pages and the
    ``since`` value sent, right after and (timestamps shifted) a day later
                                                             goal: only what changed
(e) the listing pages of the marker re-checks between creates when the server stamps
    creates at a real server's pace (simulated clock, pagure-api.md's medians: a create
    0.22 s plus a listing page 0.5 s) instead of all within the same instant as in (c)
(f) P4: filing N = 60 new items against a bare loop of the same 60 POSTs, on a stand-in that
    answers every request after a fixed latency (0.2 s: pagure-api.md's median create is
    0.217 s), side by side                                   goal: ratio <= 1.10
(g) P3: a fresh clone (empty state) of a notes repository whose tracker holds 10,000 issues
    over 1,000 days; today's meeting carries over an item first written (and filed) in a
    meeting 120 days ago and adds 5 new ones: reads before the first create, with the
    repository's meeting dates and (same notes, outside any repository) without them
                                                             goal: <= 20, the carried-over item adopted

    python benchmarks/bench_requests.py [--only f,g]
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator, List, Sequence

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from notes2tickets import cli  # noqa: E402
from notes2tickets.extract import parse_paths  # noqa: E402
from notes2tickets.sync.body import marker  # noqa: E402
from tests.fakepagure import DEFAULT_PROJECT, DEFAULT_TOKEN, FakePagure, Request  # noqa: E402

ISSUES_PATH = f"/api/0/{DEFAULT_PROJECT}/issues"
DAY = 86400.0


def _titles(start: int, count: int) -> List[str]:
    """Distinct titles that are not near-duplicates of each other (hex words differ)."""
    out = []
    for n in range(start, start + count):
        a, b = hashlib.sha256(str(n).encode()).hexdigest()[:8], hashlib.sha256(str(-n).encode()).hexdigest()[:8]
        out.append(f"Investigate {a} regression in {b}")
    return out


def _notes(folder: Path, name: str, titles: Sequence[str]) -> Path:
    """A notes file with one task-list item per title, owned by a project member (no user lookup)."""
    path = folder / name
    lines = ["# Bench meeting", "", "## Action items", ""] + [f"- [ ] @davide to {t.lower()}" for t in titles]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _sync(folder: Path, fake: FakePagure, *args: str) -> int:
    os.environ.update(
        PAGURE_URL=fake.url, PAGURE_PROJECT=DEFAULT_PROJECT, PAGURE_API_TOKEN=DEFAULT_TOKEN,
        NOTES2TICKETS_STATE=str(folder / "state.db"), XDG_STATE_HOME=str(folder / "xdg"),
    )
    os.chdir(folder)
    return cli.main(["sync", *args], stdout=io.StringIO(), stderr=io.StringIO())


def _is_create(r: Request) -> bool:
    return r.method == "POST" and r.path.endswith("/new_issue") and bool(r.form.get("title"))


def _before_first_create(log: Sequence[Request]) -> Iterator[Request]:
    for r in log:
        if _is_create(r):
            return
        yield r


def bench_rerun(folder: Path) -> None:
    """(a) 200 items, all filed: the second run sends nothing."""
    with FakePagure() as fake:
        notes = _notes(folder, "a.md", _titles(0, 200))
        code = _sync(folder, fake, str(notes))
        filed = sum(1 for r in fake.log if _is_create(r))
        fake.reset_log()
        started = time.perf_counter()
        again = _sync(folder, fake, str(notes))
        elapsed = time.perf_counter() - started
        print(f"(a) re-run of 200 filed items: {len(fake.log)} requests (goal 0); first run exit {code}, "
              f"{filed} creates; re-run exit {again} in {elapsed * 1000:.0f} ms")


def bench_reconcile(folder: Path, remote: int = 1000, marked: int = 50, items: int = 200, later: int = 5) -> None:
    """(b), (c), (d): a fresh state against a tracker that already holds ``remote`` issues."""
    with FakePagure() as fake:
        titles = _titles(10_000, items)
        notes = _notes(folder, "b.md", titles)
        fps = [i.fingerprint for i in parse_paths([str(notes)]).items]
        old = time.time() - 30 * DAY
        for n in range(remote):
            content = f"Seeded issue {n}\n\n" + (marker(fps[n]) if n < marked else "")
            title = titles[n] if n < marked else f"Remote ticket {n:04d}: unrelated upstream bug {n * 7919 % 10007}"
            fake.add_issue(title, content, date_created=old + n, last_updated=old + n)
        code = _sync(folder, fake, str(notes))
        log = list(fake.log)
        early = list(_before_first_create(log))
        reads = [r for r in early if r.method == "GET"]
        pages = sum(1 for r in reads if r.path == ISSUES_PATH)
        others = [f"{r.method} {r.path}" for r in early if r.method != "GET"]
        goal = 1 + math.ceil(remote / 100)
        print(f"(b) empty state, {remote} remote issues ({marked} with our markers): {len(reads)} reads before the first "
              f"create (goal <= {goal}): {pages} listing pages + {len(reads) - pages} project/user lookups; "
              f"non-read requests before it: {len(others)} ({', '.join(others) or 'none'})")
        creates = sum(1 for r in log if _is_create(r))
        new = items - marked
        later_reads = [r for r in log[len(early):] if r.method == "GET" and r.path == ISSUES_PATH]
        rechecks = sum(1 for r in later_reads if r.query.get("page") == ["1"])
        print(f"(c) K = {new} new items ({marked} adopted by marker, exit {code}): {creates} POST new_issue creates "
              f"(goal exactly {new}); {len(log)} requests in all, of which {rechecks} `since` marker re-checks "
              f"(made only when a create does not get the next id) costing {len(later_reads)} listing pages")
        fake.reset_log()
        _notes(folder, "b.md", titles + _titles(20_000, later))
        code = _sync(folder, fake, str(notes))
        _print_later(fake, later, code, total=remote + new, label="(d) right after")
        _one_day_later(fake, folder)
        fake.reset_log()
        _notes(folder, "b.md", titles + _titles(20_000, later) + _titles(30_000, later))
        code = _sync(folder, fake, str(notes))
        _print_later(fake, later, code, total=remote + new + later, label="(d) one day later")


def bench_recheck_pace(folder: Path, items: int = 150, pace: float = 0.72) -> None:
    """(e): the re-check before each create lists only the last ``RECHECK_MARGIN`` seconds of the tracker."""
    from notes2tickets.sync.mirror import RECHECK_MARGIN

    start = time.time()
    stamps = iter(start + pace * n for n in range(10**6))
    with FakePagure(clock=lambda: next(stamps)) as fake:
        notes = _notes(folder, "e.md", _titles(40_000, items))
        code = _sync(folder, fake, str(notes))
        listing = [r for r in fake.log if r.method == "GET" and r.path == ISSUES_PATH]
        rechecks = sum(1 for r in listing if r.query.get("page") == ["1"]) - 1
        creates = sum(1 for r in fake.log if _is_create(r))
        print(f"(e) K = {items} new items, creates stamped {pace} s apart (exit {code}): {creates} creates, "
              f"{rechecks} re-checks costing {len(listing) - 1} listing pages (each lists the last "
              f"{RECHECK_MARGIN:.0f} s: about {RECHECK_MARGIN / pace:.0f} of this run's own issues)")


def _one_day_later(fake: FakePagure, folder: Path) -> None:
    """Move every server timestamp and the state's high-water mark back 24 h: the same as running a day later."""
    from notes2tickets.state.store import StateStore

    for issue in fake.issues():
        fake.update_issue(issue["id"], when=float(issue["last_updated"]) - DAY)
    with StateStore.open(folder / "state.db") as store:
        seen = store.get_meta(fake.url, DEFAULT_PROJECT, "remote_last_updated")
        assert seen is not None
        store.set_meta(fake.url, DEFAULT_PROJECT, "remote_last_updated", repr(float(seen) - DAY))


def _print_later(fake: FakePagure, later: int, code: int, *, total: int, label: str) -> None:
    """(d): how much of the tracker the later run listed, and from when."""
    listing = [r for r in fake.log if r.method == "GET" and r.path == ISSUES_PATH]
    first = [r for r in listing if r.query.get("page") == ["1"]]
    since = first[0].query.get("since", ["-"])[0] if first else "-"
    stamps = [float(i["last_updated"]) for i in fake.issues()]
    matched = sum(1 for t in stamps if since != "-" and t >= float(since))
    creates = sum(1 for r in fake.log if _is_create(r))
    print(f"{label}, {later} new items (exit {code}): first listing since={since} "
          f"({time.time() - float(since):.0f} s before now: the newest issue seen minus the 120 s margin), "
          f"which matches {matched - creates} of the {len(stamps) - creates} issues held before this run; {len(first)} listings "
          f"(1 reconcile + {len(first) - 1} re-checks) = {len(listing)} pages (a full listing is "
          f"{math.ceil(total / 100)} pages); {creates} creates; {len(fake.log)} requests in all")


class _Latency(FakePagure):
    """Answers every request after ``latency`` seconds, like a remote server's round trip."""

    def __init__(self, latency: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.latency = latency
        self.bodies: List[bytes] = []  # the raw create forms, to send again in the bare loop

    def dispatch(self, method: str, path: str, query: Any, headers: Any, body: bytes) -> Any:
        time.sleep(self.latency)
        if method == "POST" and path.endswith("/new_issue") and body:
            self.bodies.append(body)
        return super().dispatch(method, path, query, headers, body)


def bench_filing_speed(folder: Path, items: int = 60, latency: float = 0.2, rounds: int = 3) -> None:
    """(f): the tool's wall time to file ``items`` against a bare loop of the same POSTs, both in-process."""
    tool: List[float] = []
    bare: List[float] = []
    requests_sent = 0
    for n in range(rounds):
        round_folder = folder / f"r{n}"
        round_folder.mkdir()
        with _Latency(latency) as fake:
            notes = _notes(round_folder, "f.md", _titles(50_000, items))
            started = time.perf_counter()
            code = _sync(round_folder, fake, str(notes))
            tool.append(time.perf_counter() - started)
            requests_sent = len(fake.log)
            forms = fake.bodies
            assert code == 0 and len(forms) == items, f"the tool round failed (exit {code}, {len(forms)} creates)"
        with _Latency(latency) as fake:
            session = requests.Session()
            session.headers.update({"Authorization": f"token {DEFAULT_TOKEN}",
                                    "Content-Type": "application/x-www-form-urlencoded"})
            url = f"{fake.url}/api/0/{DEFAULT_PROJECT}/new_issue"
            started = time.perf_counter()
            for form in forms:
                session.post(url, data=form, timeout=30).raise_for_status()
            bare.append(time.perf_counter() - started)
    t, b = statistics.median(tool), statistics.median(bare)
    print(f"(f) P4: {items} new items, {latency:g} s per request, median of {rounds}: tool {t:.2f} s "
          f"({requests_sent} requests: {items} creates + {requests_sent - items} others), bare loop {b:.2f} s; "
          f"ratio {t / b:.3f} (goal <= 1.10)")


def _git(repo: Path, *args: str, when: float = 0.0) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.invalid",
           "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@example.invalid"}
    if when:
        stamp = f"@{int(when)} +0000"
        env.update(GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp)
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def _meeting(day: float, titles: Sequence[str]) -> str:
    date = time.strftime("%Y-%m-%d", time.gmtime(day))
    return "\n".join([f"# Weekly meeting {date}", "", "## Action items", ""] + [f"- [ ] @davide to {t.lower()}" for t in titles]) + "\n"


def bench_fresh_clone(folder: Path, remote: int = 10_000, days: int = 1_000, carried_days: int = 120) -> None:
    """(g): reads before the first create on a fresh clone, bounded by the oldest meeting holding each item."""
    now = time.time()
    carried, new = _titles(60_000, 1)[0], _titles(61_000, 5)
    repo = folder / "repo"
    (repo / "meetings").mkdir(parents=True)
    _git(repo, "init", "-q")
    old_day = now - carried_days * DAY
    old_notes = repo / "meetings" / f"{time.strftime('%Y-%m-%d', time.gmtime(old_day))}.md"
    old_notes.write_text(_meeting(old_day, [carried, "Some item done long ago"]), encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "old meeting", when=old_day)
    today = repo / "meetings" / f"{time.strftime('%Y-%m-%d', time.gmtime(now))}.md"
    today.write_text(_meeting(now, [carried, *new]), encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "today", when=now)
    fp = next(i.fingerprint for i in parse_paths([str(old_notes)]).items if i.title.lower().endswith(carried.lower()))
    outside = folder / "outside"
    outside.mkdir()
    (outside / "today.md").write_text(today.read_text(encoding="utf-8"), encoding="utf-8")
    for label, where, notes in (("with the repository's dates", repo, today), ("notes outside a repository", outside, outside / "today.md")):
        with FakePagure() as fake:
            open_share = _seed_years(fake, remote=remote, days=days, now=now, carried=(carried, fp, old_day))
            code = _sync(where, fake, str(notes))
            early = list(_before_first_create(fake.log))
            reads = [r for r in early if r.method == "GET"]
            pages = [r for r in reads if r.path == ISSUES_PATH]
            open_pages = sum(1 for r in pages if r.query.get("status") == ["Open"])
            copies = sum(1 for i in fake.issues() if i["content"].endswith(marker(fp)) or marker(fp) in i["content"])
            creates = sum(1 for r in fake.log if _is_create(r))
            print(f"(g) P3, fresh clone, {remote} issues over {days} days ({open_share}), {label} (exit {code}): "
                  f"{len(reads)} reads before the first create (goal <= 20): {len(pages) - open_pages} listing pages "
                  f"since {pages[0].query.get('since', ['(none)'])[0]}, {open_pages} pages of open issues created "
                  f"before it, {len(reads) - len(pages)} other; {creates} creates; the item carried over from "
                  f"{carried_days} days ago has {copies} issue(s) on the tracker (1 = adopted, not refiled)")


def _seed_years(fake: FakePagure, *, remote: int, days: int, now: float, carried: tuple) -> str:
    """``remote`` issues spread evenly over ``days``; the carried-over item's issue filed on its meeting day."""
    title, fp, day = carried
    start = now - days * DAY
    opened = 0
    for n in range(remote):
        created = start + n * (days * DAY / remote)
        recent = now - created < 60 * DAY
        status = "Open" if (recent and n % 2) or n % 33 == 0 else "Closed"
        opened += status == "Open"
        fake.add_issue(f"Remote ticket {n:05d}: unrelated upstream bug {n * 7919 % 10007}", f"Seeded issue {n}",
                       status=status, close_status=None if status == "Open" else "Fixed",
                       date_created=created, last_updated=created + 3600)
        if abs(created - day) < days * DAY / remote / 2:
            fake.add_issue(title, f"Filed at the meeting\n\n{marker(fp)}", date_created=day + 600, last_updated=day + 600)
    return f"{opened} open: half of the last 60 days', 3 % of the older"


def main() -> int:
    only = set(sys.argv[sys.argv.index("--only") + 1].split(",")) if "--only" in sys.argv else set("abcdefg")
    saved = dict(os.environ), os.getcwd()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for name in "abefg":
                (Path(tmp) / name).mkdir()
            if "a" in only:
                bench_rerun(Path(tmp) / "a")
            if only & set("bcd"):
                bench_reconcile(Path(tmp) / "b")
            if "e" in only:
                bench_recheck_pace(Path(tmp) / "e")
            if "f" in only:
                bench_filing_speed(Path(tmp) / "f")
            if "g" in only:
                bench_fresh_clone(Path(tmp) / "g")
            os.chdir(saved[1])
    finally:
        os.environ.clear()
        os.environ.update(saved[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
