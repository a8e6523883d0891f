"""Tests for the dedup state database (notes2tickets.state.store) and its file handling (state.lock)."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from notes2tickets.errors import StateError
from notes2tickets.state import schema as stateschema
from notes2tickets.state import store as state_module
from notes2tickets.state.store import SCHEMA_VERSION, StateRow, StateStore, default_state_path, iso_utc, one_line

ROOT = Path(__file__).resolve().parents[2]
URL = "https://pagure.io"
PROJECT = "centos-sig-hyperscale/sig"
START = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)
TOKEN = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ01"


class _Any:
    """Equal to anything: for the times a subprocess or a chmod test cannot pin."""

    def __eq__(self, other: object) -> bool:
        return True


ANY = _Any()


class Clock:
    """A settable clock: tests move ``now`` by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: int) -> None:
        self.now += timedelta(minutes=minutes)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "state" / "state.sqlite3"


@pytest.fixture
def store(db_path: Path, clock: Clock):
    with StateStore.open(db_path, now=clock, lock_timeout=0) as opened:
        yield opened


def _pending(store: StateStore, fingerprint: str = "fp1", *, line: int = 7) -> None:
    store.mark_pending(
        url=URL, project=PROJECT, fingerprint=fingerprint, title="Write the minutes", path="notes.md", line=line
    )


def _row(fingerprint: str, status: str, issue_id: int | None = None, **changes: object) -> StateRow:
    values: dict = dict(
        url=URL, project=PROJECT, fingerprint=fingerprint, status=status, issue_id=issue_id,
        issue_url=None if issue_id is None else f"{URL}/{PROJECT}/issue/{issue_id}",
        title="Write the minutes", path="notes.md", line=7,
        created="2024-05-01T12:00:00Z", updated="2024-05-01T12:00:00Z", error=None,
    )
    values.update(changes)
    return StateRow(**values)


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def _pragma(path: Path, name: str) -> object:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _listing(folder: Path) -> list[tuple[str, int, int]]:
    """Every file and folder under ``folder`` with its size and mtime, to prove nothing was written."""
    return sorted((str(p.relative_to(folder)), p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*"))


def _python(code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args], cwd=ROOT, text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


def _filled_db(path: Path, count: int) -> None:
    """A real state file with ``count`` filed rows (big enough to span many pages)."""
    rows = [_row(f"fp{i:05d}", "filed", i + 1, title="x" * 200) for i in range(count)]
    with StateStore.open(path, lock_timeout=0) as store:
        store.replace_all(URL, PROJECT, rows)


# Writing and reading rows


def test_mark_pending_inserts_exact_row(store: StateStore) -> None:
    """mark_pending creates a pending row with the clock's time as created and updated."""
    _pending(store)
    assert store.get(URL, PROJECT, "fp1") == _row("fp1", "pending")


def test_get_unknown_is_none(store: StateStore) -> None:
    """get answers None for a fingerprint, project or URL it has never seen."""
    _pending(store)
    assert store.get(URL, PROJECT, "other") is None
    assert store.get(URL, "other/project", "fp1") is None
    assert store.get("https://src.fedoraproject.org", PROJECT, "fp1") is None


def test_mark_filed_after_pending(store: StateStore, clock: Clock) -> None:
    """mark_filed turns the pending row into filed with the issue id and a new updated time."""
    _pending(store)
    clock.advance(1)
    store.mark_filed(url=URL, project=PROJECT, fingerprint="fp1", issue_id=45, issue_url=f"{URL}/{PROJECT}/issue/45")
    assert store.get(URL, PROJECT, "fp1") == _row("fp1", "filed", 45, updated="2024-05-01T12:01:00Z")


def test_mark_filed_adopts_unknown_issue(store: StateStore) -> None:
    """mark_filed without an earlier row adopts a remote issue with the given title, path and line."""
    store.mark_filed(
        url=URL, project=PROJECT, fingerprint="fp9", issue_id=3, issue_url=f"{URL}/{PROJECT}/issue/3",
        title="Write the minutes", path="notes.md", line=7,
    )
    assert store.get(URL, PROJECT, "fp9") == _row("fp9", "filed", 3)


def test_mark_filed_adopt_without_location_uses_blanks(store: StateStore) -> None:
    """Adopting with no title, path or line stores empty text and line 0."""
    store.mark_filed(url=URL, project=PROJECT, fingerprint="fp9", issue_id=3, issue_url="u3")
    assert store.get(URL, PROJECT, "fp9") == _row("fp9", "filed", 3, issue_url="u3", title="", path="", line=0)


def test_filed_row_is_never_downgraded(store: StateStore, clock: Clock) -> None:
    """mark_pending and mark_failed leave a filed row exactly as it was (the issue id is kept)."""
    store.mark_filed(
        url=URL, project=PROJECT, fingerprint="fp1", issue_id=45, issue_url="u45", title="T", path="a.md", line=1
    )
    before = store.get(URL, PROJECT, "fp1")
    clock.advance(5)
    _pending(store)
    store.mark_failed(url=URL, project=PROJECT, fingerprint="fp1", error="boom")
    assert store.get(URL, PROJECT, "fp1") == before
    assert before is not None and before.issue_id == 45


def test_filed_row_keeps_lowest_issue_id(store: StateStore, clock: Clock) -> None:
    """A filed row keeps the lower of two issue ids, whichever order they arrive in."""
    store.mark_filed(url=URL, project=PROJECT, fingerprint="fp1", issue_id=45, issue_url="u45")
    clock.advance(1)
    store.mark_filed(url=URL, project=PROJECT, fingerprint="fp1", issue_id=50, issue_url="u50")
    assert store.get(URL, PROJECT, "fp1") == _row("fp1", "filed", 45, issue_url="u45", title="", path="", line=0)
    clock.advance(1)
    store.mark_filed(url=URL, project=PROJECT, fingerprint="fp1", issue_id=40, issue_url="u40")
    assert store.get(URL, PROJECT, "fp1") == _row(
        "fp1", "filed", 40, issue_url="u40", title="", path="", line=0, updated="2024-05-01T12:02:00Z"
    )


def test_mark_filed_updates_location_of_filed_row(store: StateStore, clock: Clock) -> None:
    """Re-filing the same issue with a new line updates the line and the updated time only."""
    store.mark_filed(
        url=URL, project=PROJECT, fingerprint="fp1", issue_id=45, issue_url="u45", title="T", path="a.md", line=1
    )
    clock.advance(1)
    store.mark_filed(url=URL, project=PROJECT, fingerprint="fp1", issue_id=45, issue_url="u45", line=9)
    assert store.get(URL, PROJECT, "fp1") == _row(
        "fp1", "filed", 45, issue_url="u45", title="T", path="a.md", line=9, updated="2024-05-01T12:01:00Z"
    )


def test_mark_filed_same_values_keeps_updated(store: StateStore, clock: Clock) -> None:
    """Repeating mark_filed with identical values changes nothing, not even the updated time."""
    store.mark_filed(url=URL, project=PROJECT, fingerprint="fp1", issue_id=45, issue_url="u45")
    clock.advance(1)
    store.mark_filed(url=URL, project=PROJECT, fingerprint="fp1", issue_id=45, issue_url="u45")
    assert store.get(URL, PROJECT, "fp1") == _row("fp1", "filed", 45, issue_url="u45", title="", path="", line=0)


def test_mark_failed_then_pending_then_filed(store: StateStore, clock: Clock) -> None:
    """A failed item is retried: failed keeps the error, pending keeps it, filed clears it."""
    _pending(store)
    clock.advance(1)
    store.mark_failed(url=URL, project=PROJECT, fingerprint="fp1", error="HTTP 500\nfrom server")
    assert store.get(URL, PROJECT, "fp1") == _row(
        "fp1", "failed", updated="2024-05-01T12:01:00Z", error="HTTP 500 from server"
    )
    clock.advance(1)
    _pending(store, line=8)
    assert store.get(URL, PROJECT, "fp1") == _row(
        "fp1", "pending", line=8, updated="2024-05-01T12:02:00Z", error="HTTP 500 from server"
    )
    clock.advance(1)
    store.mark_filed(url=URL, project=PROJECT, fingerprint="fp1", issue_id=7, issue_url=f"{URL}/{PROJECT}/issue/7")
    assert store.get(URL, PROJECT, "fp1") == _row("fp1", "filed", 7, line=8, updated="2024-05-01T12:03:00Z")


def test_mark_failed_without_row(store: StateStore) -> None:
    """mark_failed before any pending row records the failure with the given location."""
    store.mark_failed(
        url=URL, project=PROJECT, fingerprint="fp2", error="unknown milestone", title="T", path="b.md", line=3
    )
    expected = _row("fp2", "failed", title="T", path="b.md", line=3, error="unknown milestone")
    assert store.get(URL, PROJECT, "fp2") == expected


def test_error_is_one_line_without_token(store: StateStore) -> None:
    """The stored error is one line with tokens and control characters removed."""
    error = f"rejected\r\n  Authorization: token {TOKEN}\x00 and {TOKEN}\u202e!"
    store.mark_failed(url=URL, project=PROJECT, fingerprint="fp1", error=error)
    row = store.get(URL, PROJECT, "fp1")
    assert row is not None and row.error == "rejected Authorization: token <hidden> and <hidden> !"


def test_one_line_truncates_long_errors() -> None:
    """An error longer than 500 characters is cut to 500, ending with an ellipsis."""
    assert one_line("a" * 600) == "a" * 499 + "…"
    assert one_line("a" * 500) == "a" * 500


def test_iso_utc_formats_aware_and_naive() -> None:
    """Times are stored as ISO 8601 UTC with a Z; naive times are taken as UTC."""
    paris = timezone(timedelta(hours=2))
    assert iso_utc(datetime(2024, 5, 1, 14, 0, 5, 999, tzinfo=paris)) == "2024-05-01T12:00:05Z"
    assert iso_utc(datetime(2024, 5, 1, 12, 0, 5)) == "2024-05-01T12:00:05Z"


def test_rows_filters_and_orders(store: StateStore) -> None:
    """rows() lists every row in (url, project, path, line) order and filters by url and project."""
    store.mark_pending(url=URL, project="b/p", fingerprint="z", title="T", path="a.md", line=2)
    store.mark_pending(url=URL, project="a/p", fingerprint="y", title="T", path="b.md", line=1)
    store.mark_pending(url=URL, project="a/p", fingerprint="x", title="T", path="a.md", line=9)
    store.mark_pending(url="https://other", project="a/p", fingerprint="w", title="T", path="a.md", line=1)
    assert [r.fingerprint for r in store.rows()] == ["w", "x", "y", "z"]
    assert [r.fingerprint for r in store.rows(URL)] == ["x", "y", "z"]
    assert [r.fingerprint for r in store.rows(URL, "a/p")] == ["x", "y"]
    assert [r.fingerprint for r in store.rows(project="a/p")] == ["w", "x", "y"]
    assert store.rows(URL, "none/p") == []


def test_meta_roundtrip_per_project(store: StateStore) -> None:
    """get_meta reads what set_meta wrote, per (url, project), and set_meta overwrites."""
    assert store.get_meta(URL, PROJECT, "since") is None
    store.set_meta(URL, PROJECT, "since", "1795635841.02989")
    store.set_meta(URL, "other/p", "since", "1")
    store.set_meta(URL, PROJECT, "since", "1795635900.5")
    assert store.get_meta(URL, PROJECT, "since") == "1795635900.5"
    assert store.get_meta(URL, "other/p", "since") == "1"
    assert store.get_meta("https://other", PROJECT, "since") is None


def test_replace_all_replaces_one_project_only(store: StateStore) -> None:
    """replace_all swaps the rows of one (url, project) and leaves the others alone."""
    _pending(store, "old")
    store.mark_pending(url=URL, project="other/p", fingerprint="keep", title="T", path="a.md", line=1)
    new = [_row("n1", "filed", 1), _row("n2", "pending")]
    store.replace_all(URL, PROJECT, new)
    assert store.rows(URL, PROJECT) == new
    assert [r.fingerprint for r in store.rows(URL, "other/p")] == ["keep"]


@pytest.mark.parametrize(
    "bad",
    [
        _row("n1", "filed", None),
        _row("n1", "done"),
        _row("n1", "pending", project="other/p"),
    ],
)
def test_replace_all_refuses_bad_rows_and_keeps_old(store: StateStore, bad: StateRow) -> None:
    """replace_all with an invalid row raises ValueError and changes nothing."""
    _pending(store, "old")
    with pytest.raises(ValueError):
        store.replace_all(URL, PROJECT, [_row("ok", "filed", 2), bad])
    assert [r.fingerprint for r in store.rows()] == ["old"]


def test_replace_all_refuses_duplicate_fingerprints(store: StateStore) -> None:
    """replace_all with the same fingerprint twice raises ValueError."""
    with pytest.raises(ValueError, match="fingerprint n1 appears twice"):
        store.replace_all(URL, PROJECT, [_row("n1", "pending"), _row("n1", "filed", 3)])


def test_rows_survive_reopen(db_path: Path, clock: Clock) -> None:
    """Rows written by one store are read back after closing and reopening (both ways)."""
    with StateStore.open(db_path, now=clock) as store:
        _pending(store)
        store.set_meta(URL, PROJECT, "since", "12")
    with StateStore.open(db_path) as store:
        assert store.rows() == [_row("fp1", "pending")]
        assert store.get_meta(URL, PROJECT, "since") == "12"
    with StateStore.open_readonly(db_path) as store:
        assert store.rows() == [_row("fp1", "pending")]
        assert store.get_meta(URL, PROJECT, "since") == "12"


def test_default_clock_is_utc(db_path: Path) -> None:
    """Without an injected clock the stored time is the current UTC time."""
    before = datetime.now(timezone.utc).replace(microsecond=0)
    with StateStore.open(db_path) as store:
        _pending(store)
        row = store.get(URL, PROJECT, "fp1")
    after = datetime.now(timezone.utc)
    assert row is not None
    stamp = datetime.strptime(row.created, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    assert before <= stamp <= after



# Grouped commits (a sync filing a batch)


def _committed(path: Path) -> list[tuple[str, str]]:
    """(fingerprint, status) of the rows another process would read now: only what is committed."""
    with StateStore.open_readonly(path) as reader:
        return [(r.fingerprint, r.status) for r in reader.rows()]


def test_grouped_writes_are_committed_at_the_end(store: StateStore, db_path: Path) -> None:
    """Inside grouped() a filed row is seen by the run at once, by the file only when the block ends."""
    _pending(store)
    with store.grouped(every=3600):
        store.mark_filed(url=URL, project=PROJECT, fingerprint="fp1", issue_id=4, issue_url="u/4")
        assert store.get(URL, PROJECT, "fp1").status == "filed"
        assert _committed(db_path) == [("fp1", "pending")]
    assert _committed(db_path) == [("fp1", "filed")]


def test_grouped_durable_write_commits_what_came_before(store: StateStore, db_path: Path) -> None:
    """An intent row (durable) is in the file when written, and so is every grouped row before it."""
    with store.grouped(every=3600):
        store.mark_filed(url=URL, project=PROJECT, fingerprint="fp0", issue_id=3, issue_url="u/3")
        _pending(store, "fp1")
        assert _committed(db_path) == [("fp0", "filed"), ("fp1", "pending")]
        store.mark_failed(url=URL, project=PROJECT, fingerprint="fp1", error="boom")
        assert _committed(db_path) == [("fp0", "filed"), ("fp1", "pending")]


def test_grouped_commits_once_the_group_is_old_enough(store: StateStore, db_path: Path) -> None:
    """With ``every=0`` each grouped write is already old enough: it is committed as it is written."""
    with store.grouped(every=0):
        store.mark_filed(url=URL, project=PROJECT, fingerprint="fp1", issue_id=4, issue_url="u/4")
        assert _committed(db_path) == [("fp1", "filed")]


def test_grouped_keeps_its_rows_when_the_block_fails(store: StateStore, db_path: Path) -> None:
    """An error (or Ctrl-C) inside the block: the rows written are facts, they are committed, the error goes on."""
    with pytest.raises(KeyboardInterrupt):
        with store.grouped(every=3600):
            store.mark_filed(url=URL, project=PROJECT, fingerprint="fp1", issue_id=4, issue_url="u/4")
            raise KeyboardInterrupt
    assert _committed(db_path) == [("fp1", "filed")]


def test_nested_grouped_commits_with_the_outer_block(store: StateStore, db_path: Path) -> None:
    with store.grouped(every=3600):
        with store.grouped(every=3600):
            store.mark_filed(url=URL, project=PROJECT, fingerprint="fp1", issue_id=4, issue_url="u/4")
        assert _committed(db_path) == []
    assert _committed(db_path) == [("fp1", "filed")]


_KILL_IN_GROUP = """
import sys, time
from pathlib import Path
from notes2tickets.state.store import StateStore
store = StateStore.open(Path(sys.argv[1]))
with store.grouped(every=3600):
    store.mark_pending(url="u", project="p", fingerprint="fp1", title="t", path="n.md", line=1)
    store.mark_filed(url="u", project="p", fingerprint="fp1", issue_id=1, issue_url="u/1")
    print("filed", flush=True)
    time.sleep(60)
"""


def test_sigkill_inside_a_group_leaves_the_intent_row(db_path: Path) -> None:
    """What a crash can lose inside a group is the filed row only: the item is still pending, the file whole."""
    proc = _python(_KILL_IN_GROUP, str(db_path))
    assert proc.stdout is not None and proc.stdout.readline() == "filed\n"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with StateStore.open(db_path, lock_timeout=0) as store:
        assert [(r.fingerprint, r.status) for r in store.rows()] == [("fp1", "pending")]
    assert _integrity(db_path) == "ok"


# Schema and migrations


def test_open_creates_folder_and_current_schema(db_path: Path) -> None:
    """open creates missing folders and a DELETE-journal file at the current schema."""
    with StateStore.open(db_path):
        pass
    assert _pragma(db_path, "user_version") == SCHEMA_VERSION == 2  # 2: the closes table (close_done)
    assert _pragma(db_path, "application_id") == state_module.APPLICATION_ID
    assert _pragma(db_path, "journal_mode") == "delete"
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["state.sqlite3", "state.sqlite3.lock"]


def test_open_migrates_empty_file(db_path: Path) -> None:
    """A zero-byte file (schema 0) is migrated to the current schema and is usable."""
    db_path.parent.mkdir()
    db_path.write_bytes(b"")
    with StateStore.open(db_path) as store:
        _pending(store)
    assert _pragma(db_path, "user_version") == SCHEMA_VERSION
    assert _integrity(db_path) == "ok"


def _hand_made_v1(path: Path) -> None:
    """Schema 1 written by hand (not by our code) with one filed row."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript(
        f"""
        PRAGMA application_id = {state_module.APPLICATION_ID};
        CREATE TABLE items (url TEXT NOT NULL, project TEXT NOT NULL, fingerprint TEXT NOT NULL,
            status TEXT NOT NULL, issue_id INTEGER, issue_url TEXT, title TEXT NOT NULL, path TEXT NOT NULL,
            line INTEGER NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL, error TEXT,
            PRIMARY KEY (url, project, fingerprint));
        CREATE TABLE meta (url TEXT NOT NULL, project TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
            PRIMARY KEY (url, project, key));
        INSERT INTO items VALUES ('{URL}', '{PROJECT}', 'fp1', 'filed', 45, 'u45', 'Write the minutes',
            'notes.md', 7, '2024-05-01T12:00:00Z', '2024-05-01T12:00:00Z', NULL);
        PRAGMA user_version = 1;
        """
    )
    conn.close()


def test_migrations_run_in_order_from_v1(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A hand-made v1 file gets later migrations applied in order, keeping its rows."""
    _hand_made_v1(db_path)
    extra = [
        ("CREATE TABLE log (step INTEGER)", "INSERT INTO log VALUES (2)"),
        ("INSERT INTO log VALUES (3)", "ALTER TABLE items ADD COLUMN note TEXT"),
    ]
    monkeypatch.setattr(stateschema, "_MIGRATIONS", stateschema._MIGRATIONS + extra)
    with StateStore.open(db_path) as store:
        assert store.rows() == [_row("fp1", "filed", 45, issue_url="u45")]
    conn = sqlite3.connect(db_path)
    assert [r[0] for r in conn.execute("SELECT step FROM log ORDER BY rowid")] == [2, 3]
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 2
    conn.close()


def test_v1_file_migrates_to_closes_table(db_path: Path) -> None:
    """Schema 1 -> 2 adds the closes table (close_done), keeps the rows, and records closing/closed."""
    _hand_made_v1(db_path)
    with StateStore.open(db_path) as store:
        assert store.rows() == [_row("fp1", "filed", 45, issue_url="u45")]
        assert store.closes(URL, PROJECT) == {}
        store.mark_closing(url=URL, project=PROJECT, issue_id=45, fingerprint="fp1", path="n.md", line=3)
        assert store.closes(URL, PROJECT) == {45: "closing"}
        store.mark_closed(url=URL, project=PROJECT, issue_id=45)
        store.mark_closing(url=URL, project=PROJECT, issue_id=45, fingerprint="fp1", path="n.md", line=3)
        assert store.closes(URL, PROJECT) == {45: "closed"}  # a closed ticket never goes back to closing
    assert _pragma(db_path, "user_version") == SCHEMA_VERSION


def test_failing_migration_rolls_back(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A migration that fails leaves the file at the previous schema, untouched and intact."""
    _hand_made_v1(db_path)
    good = stateschema._MIGRATIONS
    monkeypatch.setattr(stateschema, "_MIGRATIONS", good + [("CREATE TABLE half (x)", "THIS IS NOT SQL")])
    with pytest.raises(StateError) as info:
        StateStore.open(db_path, lock_timeout=0)
    assert str(info.value) == (
        f'cannot migrate {db_path} to schema {SCHEMA_VERSION + 1} (near "THIS": syntax error); it is unchanged at '
        f"schema {SCHEMA_VERSION}; check the folder's permissions and free space"
    )
    assert _pragma(db_path, "user_version") == SCHEMA_VERSION
    assert _integrity(db_path) == "ok"
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half'").fetchone()[0] == 0
    conn.close()
    monkeypatch.setattr(stateschema, "_MIGRATIONS", good)
    StateStore.open(db_path, lock_timeout=0).close()  # the failed open released its lock


def test_readonly_reads_older_compatible_schema(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A dry run of a newer tool reads a v1 file without migrating it."""
    _hand_made_v1(db_path)
    monkeypatch.setattr(stateschema, "_MIGRATIONS", stateschema._MIGRATIONS + [("CREATE TABLE t2 (x)",)])
    before = _digest(db_path)
    with StateStore.open_readonly(db_path) as store:
        assert store.rows() == [_row("fp1", "filed", 45, issue_url="u45")]
    assert _digest(db_path) == before


def _newer(db_path: Path) -> None:
    with StateStore.open(db_path) as store:
        _pending(store)
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()


@pytest.mark.parametrize("opener", [StateStore.open, StateStore.open_readonly])
def test_newer_schema_is_refused(db_path: Path, opener) -> None:
    """A file from a newer schema is refused with an upgrade hint and left unchanged."""
    _newer(db_path)
    before = _digest(db_path)
    with pytest.raises(StateError) as info:
        opener(db_path)
    assert str(info.value) == f"{db_path} was written by a newer notes2tickets (schema 99 > {SCHEMA_VERSION}); upgrade notes2tickets"
    assert info.value.exit_code == 2
    assert _digest(db_path) == before
    assert _integrity(db_path) == "ok"


@pytest.mark.parametrize("opener", [StateStore.open, StateStore.open_readonly])
def test_foreign_database_is_refused(db_path: Path, opener) -> None:
    """Another program's SQLite file is refused and not modified."""
    db_path.parent.mkdir()
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE songs (name TEXT)")
    conn.commit()
    conn.close()
    before = _digest(db_path)
    with pytest.raises(StateError) as info:
        opener(db_path)
    assert str(info.value) == (
        f"{db_path} is an SQLite database of another program (application_id 0, user_version 0), "
        "not notes2tickets state; pass another path with --state FILE (or set NOTES2TICKETS_STATE)"
    )
    assert _digest(db_path) == before


# Corrupted and unusable files


def _corrupt_random(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    db_path.write_bytes(random.Random(1).randbytes(8192))


def _corrupt_truncated(db_path: Path) -> None:
    _filled_db(db_path, 2000)
    data = db_path.read_bytes()
    db_path.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize("opener", [StateStore.open, StateStore.open_readonly])
@pytest.mark.parametrize(
    "corrupt, detail",
    [(_corrupt_random, "file is not a database"), (_corrupt_truncated, "database disk image is malformed")],
)
def test_corrupted_file_is_refused_untouched(db_path: Path, opener, corrupt, detail: str) -> None:
    """A corrupted file gives the rebuild hint and is neither modified nor given a journal."""
    corrupt(db_path)
    before = _digest(db_path)
    with pytest.raises(StateError) as info:
        opener(db_path)
    assert str(info.value) == (
        f"{db_path} is not a valid notes2tickets state database ({detail}); "
        "move it aside or run `notes2tickets state rebuild`"
    )
    assert _digest(db_path) == before
    assert not Path(f"{db_path}-journal").exists()


def test_state_path_is_a_folder(db_path: Path) -> None:
    """A state path that is a folder is refused by both openers."""
    db_path.mkdir(parents=True)
    for opener in (StateStore.open, StateStore.open_readonly):
        with pytest.raises(StateError) as info:
            opener(db_path)
        assert str(info.value) == (
            f"state path {db_path} is not a regular file; "
            "pass another path with --state FILE (or set NOTES2TICKETS_STATE)"
        )


def test_parent_is_a_file_fails_real_run(tmp_path: Path) -> None:
    """A state path under a regular file cannot be created: StateError naming the folder."""
    blocker = tmp_path / "notes.md"
    blocker.write_text("x")
    with pytest.raises(StateError) as info:
        StateStore.open(blocker / "sub" / "state.sqlite3")
    assert str(info.value) == (
        f"cannot create state folder {blocker / 'sub'} (Not a directory); "
        "pass another path with --state FILE (or set NOTES2TICKETS_STATE)"
    )
    assert blocker.read_text() == "x"


def test_parent_is_a_file_is_empty_for_dry_run(tmp_path: Path) -> None:
    """A dry run with a state path under a regular file reads an empty store and writes nothing."""
    blocker = tmp_path / "notes.md"
    blocker.write_text("x")
    before = _listing(tmp_path)
    with StateStore.open_readonly(blocker / "state.sqlite3") as store:
        assert store.rows() == []
    assert _listing(tmp_path) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_folder_fails_real_run(db_path: Path) -> None:
    """A state file in a read-only folder is refused for a real run and stays intact."""
    with StateStore.open(db_path) as store:
        _pending(store)
    db_path.parent.chmod(0o555)
    try:
        with pytest.raises(StateError) as info:
            StateStore.open(db_path)
        assert str(info.value) == (
            f"cannot write state file {db_path} ({db_path.parent} is read-only); fix its permissions or "
            "pass another path with --state FILE (or set NOTES2TICKETS_STATE)"
        )
        assert StateStore.open_readonly(db_path).rows() == [_row("fp1", "pending", created=ANY, updated=ANY)]
    finally:
        db_path.parent.chmod(0o755)
    assert _integrity(db_path) == "ok"


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_file_fails_real_run(db_path: Path) -> None:
    """A read-only state file is refused for a real run and stays intact."""
    with StateStore.open(db_path):
        pass
    db_path.chmod(0o444)
    with pytest.raises(StateError) as info:
        StateStore.open(db_path)
    assert str(info.value) == (
        f"cannot write state file {db_path} ({db_path} is read-only); fix its permissions or "
        "pass another path with --state FILE (or set NOTES2TICKETS_STATE)"
    )
    assert _integrity(db_path) == "ok"


def test_rejected_write_is_state_error(store: StateStore, db_path: Path) -> None:
    """A write that SQLite rejects becomes a one-line StateError, not a traceback."""
    store._conn.execute("PRAGMA query_only = ON")  # stands in for a file that turned read-only mid-run
    with pytest.raises(StateError) as info:
        _pending(store)
    assert str(info.value) == (
        f"cannot use state file {db_path} (attempt to write a readonly database); check its permissions and "
        "free space, or pass another path with --state FILE (or set NOTES2TICKETS_STATE)"
    )
    store._conn.execute("PRAGMA query_only = OFF")
    _pending(store)  # no transaction was left open
    assert store.rows() == [_row("fp1", "pending")]


# Dry runs write nothing


def test_readonly_missing_file_writes_nothing(tmp_path: Path) -> None:
    """open_readonly of a missing file gives an empty store and creates no file or folder."""
    before = _listing(tmp_path)
    with StateStore.open_readonly(tmp_path / "new" / "state.sqlite3") as store:
        assert store.rows() == []
        assert store.get(URL, PROJECT, "fp1") is None
        assert store.get_meta(URL, PROJECT, "since") is None
    assert _listing(tmp_path) == before


def test_readonly_existing_file_writes_nothing(db_path: Path, clock: Clock) -> None:
    """open_readonly reads rows and leaves the folder listing (names, sizes, mtimes) unchanged."""
    with StateStore.open(db_path, now=clock) as store:
        _pending(store)
    (db_path.parent / "state.sqlite3.lock").unlink()
    before = _listing(db_path.parent)
    with StateStore.open_readonly(db_path) as store:
        assert store.rows() == [_row("fp1", "pending")]
        assert store.get(URL, PROJECT, "fp1") == _row("fp1", "pending")
        assert store.get_meta(URL, PROJECT, "since") is None
    assert _listing(db_path.parent) == before


def test_readonly_empty_file_writes_nothing(db_path: Path) -> None:
    """open_readonly of a zero-byte file is an empty store and writes nothing."""
    db_path.parent.mkdir()
    db_path.write_bytes(b"")
    before = _listing(db_path.parent)
    with StateStore.open_readonly(db_path) as store:
        assert store.rows() == []
    assert _listing(db_path.parent) == before


def test_readonly_store_refuses_writes(db_path: Path) -> None:
    """Writing through a read-only store is a bug: RuntimeError, and nothing is written."""
    with StateStore.open_readonly(db_path) as store:
        with pytest.raises(RuntimeError, match="opened read-only"):
            _pending(store)
    assert not db_path.parent.exists()


def test_readonly_refuses_wal_file(db_path: Path) -> None:
    """A WAL-mode file is refused by a dry run (reading it would create -shm); a real run converts it."""
    with StateStore.open(db_path) as store:
        _pending(store)
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
    conn.close()
    before = _listing(db_path.parent)
    with pytest.raises(StateError) as info:
        StateStore.open_readonly(db_path)
    assert str(info.value) == (
        f"{db_path} is in WAL journal mode, which a dry run cannot read without writing; "
        "run once without --dry-run to convert it"
    )
    assert _listing(db_path.parent) == before
    with StateStore.open(db_path) as store:
        assert len(store.rows()) == 1
    assert _pragma(db_path, "journal_mode") == "delete"


# Crashes: SIGKILL at any moment leaves the old or the new row

_KILL_AFTER_PENDING = """
import sys, time
from datetime import datetime, timezone
from pathlib import Path
from notes2tickets.state.store import StateStore
store = StateStore.open(Path(sys.argv[1]), now=lambda: datetime(2024, 5, 1, 12, tzinfo=timezone.utc))
store.mark_pending(url=sys.argv[2], project=sys.argv[3], fingerprint="fp1", title="Write the minutes",
                   path="notes.md", line=7)
print("pending", flush=True)
time.sleep(60)
"""


def test_pending_row_survives_sigkill(db_path: Path) -> None:
    """A pending row committed before a SIGKILL is there after reopening, and the lock is free."""
    proc = _python(_KILL_AFTER_PENDING, str(db_path), URL, PROJECT)
    assert proc.stdout is not None and proc.stdout.readline() == "pending\n"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with StateStore.open(db_path, lock_timeout=0) as store:
        assert store.rows() == [_row("fp1", "pending")]
    assert _integrity(db_path) == "ok"


_WRITE_FOREVER = """
import sys
from pathlib import Path
from notes2tickets.state.store import StateStore
store = StateStore.open(Path(sys.argv[1]))
for i in range(100000):
    store.mark_pending(url="u", project="p", fingerprint=f"fp{i:06d}", title="t" * 300, path="n.md", line=i)
    store.mark_filed(url="u", project="p", fingerprint=f"fp{i:06d}", issue_id=i + 1, issue_url=f"u/{i + 1}")
    print(i, flush=True)
"""


def test_sigkill_at_random_moments_leaves_whole_rows(db_path: Path) -> None:
    """SIGKILL at random moments of a write loop: every acknowledged write is kept, no row is torn."""
    rng = random.Random(5)
    for trial in range(8):
        path = db_path.with_name(f"trial{trial}.sqlite3")
        proc = _python(_WRITE_FOREVER, str(path))
        assert proc.stdout is not None
        acknowledged = -1
        for _ in range(rng.randint(1, 20)):
            acknowledged = int(proc.stdout.readline())
        time.sleep(rng.uniform(0, 0.01))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        # A kill during COMMIT leaves a hot journal; the real open below rolls it back.
        with StateStore.open(path, lock_timeout=0) as store:
            rows = store.rows()
        assert _integrity(path) == "ok"
        assert all(r.fingerprint == f"fp{n:06d}" and r.title == "t" * 300 for n, r in enumerate(rows))
        assert all(r.status == "filed" and r.issue_id == n + 1 for n, r in enumerate(rows[:-1]))
        last = rows[-1]
        assert (last.status, last.issue_id) in (("pending", None), ("filed", len(rows)))
        assert len(rows) >= acknowledged + 1


_HOT_JOURNAL = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size = 1")  # spill changed pages into the file before COMMIT
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE items SET status = 'pending', issue_id = NULL, title = 'torn'")
print("half-written", flush=True)
time.sleep(60)
"""


def test_interrupted_transaction_is_rolled_back(db_path: Path) -> None:
    """A write killed half-way (hot journal): a dry run refuses and writes nothing; a real run rolls it back."""
    _filled_db(db_path, 2000)
    (db_path.parent / "state.sqlite3.lock").unlink()
    proc = _python(_HOT_JOURNAL, str(db_path))
    assert proc.stdout is not None and proc.stdout.readline() == "half-written\n"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    before = _listing(db_path.parent)
    assert "state.sqlite3-journal" in [name for name, _, _ in before]
    with pytest.raises(StateError) as info:
        StateStore.open_readonly(db_path)
    assert str(info.value) == (
        f"{db_path} has an unfinished write from an interrupted run ({db_path}-journal); "
        "run once without --dry-run to roll it back"
    )
    assert _listing(db_path.parent) == before
    with StateStore.open(db_path) as store:
        rows = store.rows()
    assert len(rows) == 2000 and {(r.status, r.title) for r in rows} == {("filed", "x" * 200)}
    assert not Path(f"{db_path}-journal").exists()
    assert _integrity(db_path) == "ok"


# The lock: one real run at a time

_HOLD = """
import sys
from pathlib import Path
from notes2tickets.state.store import StateStore
store = StateStore.open(Path(sys.argv[1]))
print("locked", flush=True)
sys.stdin.readline()
store.close()
print("closed", flush=True)
sys.stdin.readline()
"""


def test_second_run_waits_then_fails_then_succeeds(db_path: Path) -> None:
    """While another process holds the lock, open waits lock_timeout, fails naming the pid, and works once freed."""
    holder = _python(_HOLD, str(db_path))
    assert holder.stdout is not None and holder.stdin is not None
    try:
        assert holder.stdout.readline() == "locked\n"
        started = time.monotonic()
        with pytest.raises(StateError) as info:
            StateStore.open(db_path, lock_timeout=0.5)
        waited = time.monotonic() - started
        assert 0.5 <= waited < 3
        assert str(info.value) == (
            f"another notes2tickets run holds {db_path} (pid {holder.pid}); wait for it to finish or stop it, "
            f"then retry (waited 0.5s for {db_path}.lock; the lock disappears with its process, so it is never stale)"
        )
        assert info.value.exit_code == 2
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.stdout.readline() == "closed\n"
        with StateStore.open(db_path, lock_timeout=0) as store:
            assert store.rows() == []
    finally:
        holder.kill()
        holder.wait()
    assert _integrity(db_path) == "ok"


_WAIT_AND_OPEN = """
import sys, time
from pathlib import Path
from notes2tickets.state.store import StateStore
print("start", flush=True)
started = time.monotonic()
with StateStore.open(Path(sys.argv[1]), lock_timeout=float(sys.argv[2])) as store:
    print(f"opened after {time.monotonic() - started:.1f}s with {len(store.rows())} rows", flush=True)
"""


def test_waiting_run_gets_the_lock_when_first_closes(db_path: Path, clock: Clock) -> None:
    """A second process waiting within its timeout opens the store as soon as the first closes it."""
    store = StateStore.open(db_path, now=clock)
    waiter = _python(_WAIT_AND_OPEN, str(db_path), "20")
    assert waiter.stdout is not None
    assert waiter.stdout.readline() == "start\n"
    time.sleep(0.6)
    assert waiter.poll() is None  # still waiting
    _pending(store)
    store.close()
    out, err = waiter.communicate(timeout=20)
    assert waiter.returncode == 0, err
    assert out.startswith("opened after ") and out.endswith("s with 1 rows\n")


_OPEN_OR_SAY_WHY = """
import sys
from pathlib import Path
from notes2tickets.errors import StateError
from notes2tickets.state.store import StateStore
try:
    StateStore.open(Path(sys.argv[1]), lock_timeout=float(sys.argv[2])).close()
    print("opened")
except StateError as exc:
    print(exc)
"""


def test_waiting_run_in_other_process_fails_with_message(db_path: Path) -> None:
    """A second process whose timeout runs out gets the one-line lock message naming our pid."""
    with StateStore.open(db_path):
        proc = _python(_OPEN_OR_SAY_WHY, str(db_path), "0.3")
        out, err = proc.communicate(timeout=20)
    assert err == ""
    assert out == (
        f"another notes2tickets run holds {db_path} (pid {os.getpid()}); wait for it to finish or stop it, "
        f"then retry (waited 0.3s for {db_path}.lock; the lock disappears with its process, so it is never stale)\n"
    )
    proc = _python(_OPEN_OR_SAY_WHY, str(db_path), "0")
    assert proc.communicate(timeout=20) == ("opened\n", "")


def test_lock_dies_with_killed_holder(db_path: Path) -> None:
    """A holder killed by SIGKILL leaves no stale lock: the next open succeeds at once."""
    holder = _python(_HOLD, str(db_path))
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    StateStore.open(db_path, lock_timeout=0).close()


def test_close_is_idempotent_and_releases_lock(db_path: Path) -> None:
    """close() twice is harmless and the lock is free afterwards."""
    store = StateStore.open(db_path)
    store.close()
    store.close()
    StateStore.open(db_path, lock_timeout=0).close()


# Quarantine


def test_quarantine_moves_file_and_journal_aside(db_path: Path, clock: Clock) -> None:
    """quarantine renames the file and its journal to .corrupt-<stamp>, keeping bytes, deleting nothing."""
    _corrupt_random(db_path)
    Path(f"{db_path}-journal").write_bytes(b"journal")
    before = _digest(db_path)
    moved = StateStore.quarantine(db_path, now=clock)
    assert moved == db_path.with_name("state.sqlite3.corrupt-20240501T120000Z")
    assert _digest(moved) == before
    assert Path(f"{moved}-journal").read_bytes() == b"journal"
    assert sorted(p.name for p in db_path.parent.iterdir()) == [
        "state.sqlite3.corrupt-20240501T120000Z",
        "state.sqlite3.corrupt-20240501T120000Z-journal",
        "state.sqlite3.lock",
    ]


def test_quarantine_never_overwrites(db_path: Path, clock: Clock) -> None:
    """A second quarantine within the same second gets a new name instead of overwriting."""
    _corrupt_random(db_path)
    first = StateStore.quarantine(db_path, now=clock)
    db_path.write_bytes(b"second")
    second = StateStore.quarantine(db_path, now=clock)
    assert second == db_path.with_name("state.sqlite3.corrupt-20240501T120000Z-2")
    assert second.read_bytes() == b"second" and first.exists()


def test_quarantine_missing_file(db_path: Path) -> None:
    """quarantine of a missing file is a StateError."""
    with pytest.raises(StateError) as info:
        StateStore.quarantine(db_path)
    assert str(info.value) == f"cannot move {db_path} aside: it is not a file; check the --state path"


def test_quarantine_then_open_starts_fresh(db_path: Path) -> None:
    """After quarantining a corrupted file, open creates a fresh, empty, valid state file."""
    _corrupt_truncated(db_path)
    StateStore.quarantine(db_path)
    with StateStore.open(db_path) as store:
        assert store.rows() == []
    assert _integrity(db_path) == "ok"


# Default location


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    path = tmp_path.resolve() / "repo"
    (path / "meetups").mkdir(parents=True)
    (path / "meetups" / "notes.md").write_text("# Meeting\n")
    _git("init", "-q", cwd=path)
    _git("add", ".", cwd=path)
    _git("commit", "-q", "-m", "notes", cwd=path)
    return path


def test_default_path_in_git_repo(repo: Path, tmp_path: Path) -> None:
    """Inside a work tree the state lives in .git/notes2tickets, from the root, a subfolder or a file."""
    expected = repo / ".git" / "notes2tickets" / "state.sqlite3"
    for start in (repo, repo / "meetups", repo / "meetups" / "notes.md"):
        assert default_state_path(start, xdg_state_home="/xdg", home=tmp_path) == expected


def test_default_path_relative_start(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A relative start path is taken from the current folder."""
    monkeypatch.chdir(repo / "meetups")
    assert default_state_path(Path("notes.md"), xdg_state_home=None, home=tmp_path) == (
        repo / ".git" / "notes2tickets" / "state.sqlite3"
    )


def test_default_path_linked_worktree_shares_state(repo: Path, tmp_path: Path) -> None:
    """A linked worktree uses the main repository's git dir, so both share one state file."""
    worktree = tmp_path.resolve() / "wt"
    _git("worktree", "add", "-q", str(worktree), cwd=repo)
    assert default_state_path(worktree / "meetups" / "notes.md", xdg_state_home=None, home=tmp_path) == (
        repo / ".git" / "notes2tickets" / "state.sqlite3"
    )


def test_default_path_outside_git_uses_xdg(tmp_path: Path) -> None:
    """Outside git the state is under $XDG_STATE_HOME, named after the folder and its hash."""
    folder = tmp_path.resolve() / "my notes"
    folder.mkdir()
    (folder / "a.md").write_text("x")
    digest = hashlib.sha256(str(folder).encode()).hexdigest()[:12]
    expected = Path("/xdg/notes2tickets") / f"my_notes-{digest}.sqlite3"
    assert default_state_path(folder, xdg_state_home="/xdg", home=tmp_path) == expected
    assert default_state_path(folder / "a.md", xdg_state_home="/xdg", home=tmp_path) == expected


def test_default_path_xdg_unset_or_relative(tmp_path: Path) -> None:
    """Without an absolute XDG_STATE_HOME the state goes to ~/.local/state."""
    folder = tmp_path.resolve() / "notes"
    folder.mkdir()
    digest = hashlib.sha256(str(folder).encode()).hexdigest()[:12]
    expected = tmp_path / "home" / ".local" / "state" / "notes2tickets" / f"notes-{digest}.sqlite3"
    assert default_state_path(folder, xdg_state_home=None, home=tmp_path / "home") == expected
    assert default_state_path(folder, xdg_state_home="", home=tmp_path / "home") == expected
    assert default_state_path(folder, xdg_state_home="rel/state", home=tmp_path / "home") == expected


def test_default_path_differs_per_folder(tmp_path: Path) -> None:
    """Two folders with the same name outside git get different state files."""
    one, two = tmp_path / "a" / "notes", tmp_path / "b" / "notes"
    one.mkdir(parents=True)
    two.mkdir(parents=True)
    paths = {default_state_path(p, xdg_state_home="/x", home=tmp_path) for p in (one, two)}
    assert len(paths) == 2


def test_default_path_inside_git_dir_is_not_a_work_tree(repo: Path, tmp_path: Path) -> None:
    """A start inside .git itself is not in a work tree, so the XDG location is used."""
    result = default_state_path(repo / ".git", xdg_state_home="/xdg", home=tmp_path)
    assert result.parent == Path("/xdg/notes2tickets") and result.name.startswith(".git-")


def test_remote_mirror_upsert_rows_and_forget(store: StateStore) -> None:
    """The tracker mirror: upserts replace by id, markers become filed rows (oldest wins), forget empties it."""
    from notes2tickets.model import RemoteRef

    store.upsert_remote(URL, PROJECT, [RemoteRef(5, "u5", "Old title", True, "fp1"), RemoteRef(6, "u6", "Other", True, None)])
    store.upsert_remote(URL, PROJECT, [RemoteRef(5, "u5", "New title", False, "fp1"), RemoteRef(3, "u3", "Dup", True, "fp1")])
    store.set_meta(URL, PROJECT, "remote_last_updated", "123.0")
    assert store.remote_refs(URL, PROJECT) == [
        RemoteRef(3, "u3", "Dup", True, "fp1"), RemoteRef(5, "u5", "New title", False, "fp1"), RemoteRef(6, "u6", "Other", True, None),
    ]
    assert [(r.fingerprint, r.status, r.issue_id, r.title) for r in store.rows_from_remote(URL, PROJECT)] == [("fp1", "filed", 3, "Dup")]
    assert store.remote_refs("https://other.example", PROJECT) == []
    store.forget_remote(URL, PROJECT)
    assert store.remote_refs(URL, PROJECT) == []
    assert store.get_meta(URL, PROJECT, "remote_last_updated") is None
