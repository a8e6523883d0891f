"""Dedup state: which action item became which issue, in one SQLite file per notes repository.

Journal mode: DELETE (a rollback journal), with ``synchronous=FULL``. Both it and
WAL survive a SIGKILL or power loss with every committed transaction intact, so
crash safety does not decide it; these do:
- after every commit the whole state is in ONE file: users can copy, back up or
  ``state rebuild`` can rename it without losing the ``-wal`` half of the data;
- a dry run reads with ``mode=ro`` and creates nothing, whereas a read-only
  reader of a WAL database must create ``-shm``/``-wal`` files;
- WAL's gain, readers alongside a writer, buys nothing here: one run at a time
  holds the lock anyway.
Every write is one ``BEGIN IMMEDIATE … COMMIT``: a crash leaves the old or the
new row, and a hot journal left by a crash is rolled back by the next real open.

Inside ``grouped()`` (a sync filing a batch) writes share commits: each is in
the file by the end of the block, or with the first write made ``GROUP_SECONDS``
or more after the oldest uncommitted one, or with a durable write (the intents
written before a POST), whichever comes first. A crash loses only the rows since the
last commit, all of them facts the tracker keeps too (issue ``filed``, mirror
rows): an item whose ``filed`` row is lost is still ``pending``, and a pending
item is looked for by its marker before anything is filed again.
"""

from __future__ import annotations

import os
import sqlite3
import time
from contextlib import contextmanager, suppress
from dataclasses import astuple, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from notes2tickets import redact
from notes2tickets.model import RemoteRef
from notes2tickets.state import lock as statelock, schema as stateschema
from notes2tickets.state.lock import StateLock, default_state_path
from notes2tickets.state.schema import APPLICATION_ID, SCHEMA_VERSION

__all__ = ["APPLICATION_ID", "SCHEMA_VERSION", "STATUSES", "StateRow", "StateStore", "default_state_path"]

Clock = Callable[[], datetime]
STATUSES = ("pending", "filed", "failed")
_OLDEST_READABLE = 1  # the oldest schema a dry run can read without migrating
_MAX_ERROR_CHARS = 500
GROUP_SECONDS = 1.0  # inside grouped(): the longest a written row may wait for its commit (give or take one POST)

_COLUMNS = "url, project, fingerprint, status, issue_id, issue_url, title, path, line, created, updated, error"


@dataclass(frozen=True)
class StateRow:
    """One action item's state on one tracker project. Times are ISO 8601 UTC."""

    url: str
    project: str
    fingerprint: str
    status: str
    issue_id: Optional[int]
    issue_url: Optional[str]
    title: str
    path: str
    line: int
    created: str
    updated: str
    error: Optional[str]


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class StateStore:
    """The state database. Open with ``open`` (real runs) or ``open_readonly`` (dry runs)."""

    def __init__(
        self, conn: sqlite3.Connection, path: Path, *, lock: Optional[StateLock], writable: bool, now: Clock
    ) -> None:
        self._conn = conn
        self.path = path
        self._lock = lock
        self.writable = writable
        self._now = now
        self._group_every: Optional[float] = None  # set inside grouped()
        self._uncommitted_since = 0.0  # monotonic time of the open group transaction's first write

    @classmethod
    def open(cls, path: Path, *, lock_timeout: float = 30.0, now: Optional[Clock] = None) -> StateStore:
        """Lock, check and migrate the state file for a real run, creating it if needed."""
        path = Path(os.path.abspath(path))
        statelock.prepare_folder(path)
        lock = StateLock.acquire(path, timeout=lock_timeout)
        try:
            conn = stateschema.connect(path, str(path), uri=False)
            try:
                version = stateschema.inspect(conn, path)
                conn.execute("PRAGMA journal_mode = DELETE")  # converts a WAL file we did not write
                conn.execute("PRAGMA synchronous = FULL")
                stateschema.migrate(conn, path, version)
            except BaseException:
                conn.close()
                raise
        except BaseException:
            lock.release()
            raise
        return cls(conn, path, lock=lock, writable=True, now=now or _utc_now)

    @classmethod
    def open_readonly(cls, path: Path, *, now: Optional[Clock] = None) -> StateStore:
        """Read the state for a dry run, writing nothing anywhere; a missing file is an empty store."""
        path = Path(os.path.abspath(path))
        if not statelock.readable_file(path):
            return cls._empty(path, now)
        # Immutable mode is not used: a real run may be writing meanwhile, and
        # immutable would read its half-written pages. mode=ro takes only locks.
        conn = stateschema.connect(path, path.as_uri() + "?mode=ro", uri=True)
        try:
            version = stateschema.inspect(conn, path)
            if version < _OLDEST_READABLE:
                conn.close()
                return cls._empty(path, now)  # an empty file: nothing recorded yet
        except BaseException:
            conn.close()
            raise
        return cls(conn, path, lock=None, writable=False, now=now or _utc_now)

    @classmethod
    def _empty(cls, path: Path, now: Optional[Clock]) -> StateStore:
        conn = sqlite3.connect(":memory:", isolation_level=None)
        stateschema.migrate(conn, path, 0)
        return cls(conn, path, lock=None, writable=False, now=now or _utc_now)

    def close(self) -> None:
        try:
            self._conn.close()
        finally:
            if self._lock is not None:
                self._lock.release()
                self._lock = None

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # Reads

    def get(self, url: str, project: str, fingerprint: str) -> Optional[StateRow]:
        with self._translate():
            return _get(self._conn, url, project, fingerprint)

    def rows(self, url: Optional[str] = None, project: Optional[str] = None) -> list[StateRow]:
        """All rows, optionally for one tracker URL and/or project, in notes order."""
        where: list[str] = []
        params: list[str] = []
        for column, value in (("url", url), ("project", project)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        sql = f"SELECT {_COLUMNS} FROM items"
        sql += f" WHERE {' AND '.join(where)}" if where else ""
        sql += " ORDER BY url, project, path, line, fingerprint"
        with self._translate():
            return [StateRow(*row) for row in self._conn.execute(sql, params)]

    def get_meta(self, url: str, project: str, key: str) -> Optional[str]:
        sql = "SELECT value FROM meta WHERE url = ? AND project = ? AND key = ?"
        with self._translate():
            row = self._conn.execute(sql, (url, project, key)).fetchone()
        return None if row is None else str(row[0])

    # Writes: each one committed (durably, synchronous=FULL) before it returns, except
    # inside grouped(), where only the durable ones are.

    @contextmanager
    def grouped(self, every: float = GROUP_SECONDS) -> Iterator[None]:
        """Share commits among the writes of the block (see the module docstring); all are committed at its end."""
        if self._group_every is not None:
            yield  # already grouped: the outer block commits
            return
        self._group_every = every
        try:
            yield
        except BaseException:
            with suppress(Exception):  # keep what was filed; the error in flight is the one to report
                self._commit_group()
            raise
        finally:
            self._group_every = None
        self._commit_group()

    def mark_pending(self, *, url: str, project: str, fingerprint: str, title: str, path: str, line: int) -> None:
        """Record the intent to file, before the POST. A ``filed`` row is left as it is."""
        self.mark_pending_all(url=url, project=project, items=[(fingerprint, title, path, line)])

    def mark_pending_all(self, *, url: str, project: str, items: Iterable[tuple[str, str, str, int]]) -> None:
        """``mark_pending`` for many (fingerprint, title, path, line) at once: one transaction, one sync to disk."""
        with self._write(durable=True) as conn:
            stamp = self._stamp()
            for fingerprint, title, path, line in items:
                old = _get(conn, url, project, fingerprint)
                if old is None:
                    row = StateRow(url, project, fingerprint, "pending", None, None, title, path, line, stamp, stamp, None)
                    _insert(conn, row)
                elif old.status != "filed":
                    _update(conn, old, status="pending", title=title, path=path, line=line, updated=stamp)

    def mark_filed(
        self,
        *,
        url: str,
        project: str,
        fingerprint: str,
        issue_id: int,
        issue_url: str,
        title: Optional[str] = None,
        path: Optional[str] = None,
        line: Optional[int] = None,
    ) -> None:
        """Record the issue an item became (also to adopt a remote issue).

        A row already ``filed`` keeps the LOWEST issue id it was given, so two
        clones that reconcile the same duplicate pair agree on one issue.
        """
        with self._write() as conn:
            _filed(conn, url, project, fingerprint, issue_id, issue_url, title, path, line, self._stamp())

    def mark_failed(
        self,
        *,
        url: str,
        project: str,
        fingerprint: str,
        error: str,
        title: Optional[str] = None,
        path: Optional[str] = None,
        line: Optional[int] = None,
    ) -> None:
        """Record a failure (one line, tokens scrubbed). A ``filed`` row is left as it is."""
        message = one_line(error)
        with self._write() as conn:
            old = _get(conn, url, project, fingerprint)
            stamp = self._stamp()
            if old is None:
                where = (title or "", path or "", line or 0)
                _insert(conn, StateRow(url, project, fingerprint, "failed", None, None, *where, stamp, stamp, message))
            elif old.status != "filed":
                new = {k: v for k, v in (("title", title), ("path", path), ("line", line)) if v is not None}
                _update(conn, old, status="failed", error=message, updated=stamp, **new)

    def closes(self, url: str, project: str) -> dict[int, str]:
        """Issue id -> ``closing``/``closed``: the tickets close_done closed or began to close."""
        sql = "SELECT issue_id, status FROM closes WHERE url = ? AND project = ?"
        with self._translate():
            if not self._has_closes():
                return {}  # a schema-1 file read by a dry run: nothing closed yet
            return {int(i): str(s) for i, s in self._conn.execute(sql, (url, project))}

    def mark_closing(self, *, url: str, project: str, issue_id: int, fingerprint: str, path: str, line: int) -> None:
        """Record the intent to close, before the comment is posted; a ``closed`` row is left as it is."""
        stamp = self._stamp()
        with self._write(durable=True) as conn:
            conn.execute(
                "INSERT OR IGNORE INTO closes VALUES (?, ?, ?, ?, ?, ?, 'closing', ?, ?)",
                (url, project, issue_id, fingerprint, path, line, stamp, stamp),
            )

    def mark_closed(self, *, url: str, project: str, issue_id: int) -> None:
        with self._write() as conn:
            conn.execute(
                "UPDATE closes SET status = 'closed', updated = ? WHERE url = ? AND project = ? AND issue_id = ?",
                (self._stamp(), url, project, issue_id),
            )

    def _has_closes(self) -> bool:
        sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'closes'"
        return self._conn.execute(sql).fetchone() is not None

    def set_meta(self, url: str, project: str, key: str, value: str) -> None:
        with self._write() as conn:
            conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?, ?, ?)", (url, project, key, value))

    def replace_all(self, url: str, project: str, rows: Iterable[StateRow]) -> None:
        """Replace every row of (url, project) by ``rows``, in one transaction (``state rebuild``)."""
        checked = _check_rows(url, project, rows)
        with self._write() as conn:
            conn.execute("DELETE FROM items WHERE url = ? AND project = ?", (url, project))
            for row in checked:
                _insert(conn, row)

    def remote_refs(self, url: str, project: str) -> list[RemoteRef]:
        """The mirrored issues of (url, project)."""
        sql = "SELECT id, issue_url, title, open, fingerprint FROM remote_issues WHERE url = ? AND project = ? ORDER BY id"
        with self._translate():
            return [RemoteRef(i, u, t, bool(o), f) for i, u, t, o, f in self._conn.execute(sql, (url, project))]

    def upsert_remote(self, url: str, project: str, refs: Iterable[RemoteRef]) -> None:
        """Add or refresh mirrored issues, in one transaction."""
        with self._write() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO remote_issues VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(url, project, r.id, r.url, r.title, int(r.open), r.fingerprint) for r in refs],
            )

    def forget_remote(self, url: str, project: str) -> None:
        """Empty the mirror of (url, project), before a full listing (``state rebuild``)."""
        with self._write() as conn:
            conn.execute("DELETE FROM remote_issues WHERE url = ? AND project = ?", (url, project))
            conn.execute("DELETE FROM meta WHERE url = ? AND project = ?", (url, project))

    def rows_from_remote(self, url: str, project: str) -> list[StateRow]:
        """``filed`` rows for every marker in the mirror, the oldest issue winning (``state rebuild``)."""
        stamp = self._stamp()
        rows: dict[str, StateRow] = {}
        for ref in self.remote_refs(url, project):
            if ref.fingerprint and ref.fingerprint not in rows:
                rows[ref.fingerprint] = StateRow(
                    url, project, ref.fingerprint, "filed", ref.id, ref.url, ref.title, "", 0, stamp, stamp, None
                )
        return list(rows.values())

    @staticmethod
    def quarantine(path: Path, *, now: Optional[Clock] = None, lock_timeout: float = 30.0) -> Path:
        """Rename a broken state file aside (``.corrupt-<UTC stamp>``) and return the new name."""
        return statelock.quarantine(path, now=now or _utc_now, lock_timeout=lock_timeout)

    # Helpers

    def _stamp(self) -> str:
        return iso_utc(self._now())

    @contextmanager
    def _write(self, *, durable: bool = False) -> Iterator[sqlite3.Connection]:
        if not self.writable:
            raise RuntimeError(f"bug: write to {self.path}, which was opened read-only (dry run)")
        with self._translate():
            if not self._conn.in_transaction:
                self._conn.execute("BEGIN IMMEDIATE")
                self._uncommitted_since = time.monotonic()
            try:
                yield self._conn
                every = self._group_every
                if durable or every is None or time.monotonic() - self._uncommitted_since >= every:
                    self._conn.execute("COMMIT")
            except BaseException:
                self._rollback()  # also after a failed COMMIT (full disk): leave no transaction open
                raise

    def _commit_group(self) -> None:
        if not self._conn.in_transaction:
            return
        with self._translate():
            try:
                self._conn.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise

    def _rollback(self) -> None:
        if self._conn.in_transaction:
            with suppress(sqlite3.Error):
                self._conn.execute("ROLLBACK")

    @contextmanager
    def _translate(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.IntegrityError:
            raise  # a broken invariant is a bug, not a user error
        except sqlite3.DatabaseError as exc:
            raise stateschema.translated(self.path, exc) from None


def iso_utc(moment: datetime) -> str:
    """``2024-05-01T12:00:00Z``; a naive datetime is taken to be UTC already."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def one_line(text: str) -> str:
    """An error as state keeps it: one printable line, no token, at most 500 characters."""
    return redact.one_line(text, limit=_MAX_ERROR_CHARS)


def _get(conn: sqlite3.Connection, url: str, project: str, fingerprint: str) -> Optional[StateRow]:
    sql = f"SELECT {_COLUMNS} FROM items WHERE url = ? AND project = ? AND fingerprint = ?"
    row = conn.execute(sql, (url, project, fingerprint)).fetchone()
    return None if row is None else StateRow(*row)


def _filed(
    conn: sqlite3.Connection, url: str, project: str, fingerprint: str, issue_id: int, issue_url: str,
    title: Optional[str], path: Optional[str], line: Optional[int], stamp: str,
) -> None:
    old = _get(conn, url, project, fingerprint)
    if old is None:
        where = (title or "", path or "", line or 0)
        _insert(conn, StateRow(url, project, fingerprint, "filed", issue_id, issue_url, *where, stamp, stamp, None))
        return
    keep = old.status == "filed" and old.issue_id is not None and old.issue_id <= issue_id
    new: dict[str, object] = {
        "status": "filed",
        "issue_id": old.issue_id if keep else issue_id,
        "issue_url": old.issue_url if keep else issue_url,
        "error": None,
    }
    new.update({k: v for k, v in (("title", title), ("path", path), ("line", line)) if v is not None})
    if any(getattr(old, key) != value for key, value in new.items()):
        _update(conn, old, updated=stamp, **new)


def _insert(conn: sqlite3.Connection, row: StateRow) -> None:
    conn.execute(f"INSERT INTO items ({_COLUMNS}) VALUES ({', '.join('?' * 12)})", astuple(row))


def _update(conn: sqlite3.Connection, old: StateRow, **changes: object) -> None:
    assignments = ", ".join(f"{column} = ?" for column in changes)
    sql = f"UPDATE items SET {assignments} WHERE url = ? AND project = ? AND fingerprint = ?"
    conn.execute(sql, (*changes.values(), old.url, old.project, old.fingerprint))


def _check_rows(url: str, project: str, rows: Iterable[StateRow]) -> list[StateRow]:
    """Refuse (ValueError, a caller bug) rows that would break the table's invariants."""
    checked, seen = [], set()
    for row in rows:
        if (row.url, row.project) != (url, project):
            raise ValueError(f"row {row.fingerprint} is for {row.url} {row.project}, not {url} {project}")
        if row.status not in STATUSES or (row.status == "filed" and row.issue_id is None):
            raise ValueError(f"row {row.fingerprint} has status {row.status!r} and issue id {row.issue_id}")
        if row.fingerprint in seen:
            raise ValueError(f"fingerprint {row.fingerprint} appears twice")
        seen.add(row.fingerprint)
        checked.append(row)
    return checked
