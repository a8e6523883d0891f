"""The state file's schema, its migrations, and the checks made when it is opened."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from notes2tickets.errors import FIX_PATH, CorruptStateError, StateError

APPLICATION_ID = 0x6E327474  # "n2tt": tells our files from other SQLite databases
_BUSY_TIMEOUT_SECONDS = 10.0

# _MIGRATIONS[n] takes the schema from version n to n + 1, in one transaction.
_MIGRATIONS: list[tuple[str, ...]] = [
    (
        f"PRAGMA application_id = {APPLICATION_ID}",
        """CREATE TABLE items (
            url TEXT NOT NULL, project TEXT NOT NULL, fingerprint TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'filed', 'failed')),
            issue_id INTEGER, issue_url TEXT,
            title TEXT NOT NULL, path TEXT NOT NULL, line INTEGER NOT NULL,
            created TEXT NOT NULL, updated TEXT NOT NULL, error TEXT,
            CHECK (status <> 'filed' OR issue_id IS NOT NULL),
            PRIMARY KEY (url, project, fingerprint))""",
        """CREATE TABLE meta (
            url TEXT NOT NULL, project TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
            PRIMARY KEY (url, project, key))""",
        # A mirror of the tracker's issues (see sync/mirror.py), so later runs list only what changed.
        """CREATE TABLE remote_issues (
            url TEXT NOT NULL, project TEXT NOT NULL, id INTEGER NOT NULL, issue_url TEXT NOT NULL,
            title TEXT NOT NULL, open INTEGER NOT NULL, fingerprint TEXT,
            PRIMARY KEY (url, project, id))""",
    ),
    (
        # close_done: the tickets this tool closed (or is closing), so it never closes one twice,
        # never again after a person reopened it, and a crash mid-close never double-comments.
        """CREATE TABLE closes (
            url TEXT NOT NULL, project TEXT NOT NULL, issue_id INTEGER NOT NULL,
            fingerprint TEXT NOT NULL, path TEXT NOT NULL, line INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('closing', 'closed')),
            created TEXT NOT NULL, updated TEXT NOT NULL,
            PRIMARY KEY (url, project, issue_id))""",
    ),
]
SCHEMA_VERSION = len(_MIGRATIONS)

def connect(path: Path, target: str, *, uri: bool) -> sqlite3.Connection:
    try:
        return sqlite3.connect(target, uri=uri, isolation_level=None, timeout=_BUSY_TIMEOUT_SECONDS)
    except sqlite3.Error as exc:
        raise StateError(f"cannot open state file {path} ({exc}); fix its permissions or {FIX_PATH}") from None


def inspect(conn: sqlite3.Connection, path: Path) -> int:
    """Check the file is a healthy notes2tickets database we can use; return its schema version."""
    try:
        check = conn.execute("PRAGMA quick_check").fetchall()
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise translated(path, exc) from None
    if check != [("ok",)]:
        raise _invalid(path, str(check[0][0]) if check else "quick_check gave no answer")
    if (version > 0 and app_id != APPLICATION_ID) or (version == 0 and (tables or app_id)):
        raise StateError(
            f"{path} is an SQLite database of another program (application_id {app_id}, "
            f"user_version {version}), not notes2tickets state; {FIX_PATH}"
        )
    if version > len(_MIGRATIONS):
        raise StateError(
            f"{path} was written by a newer notes2tickets (schema {version} > {len(_MIGRATIONS)}); "
            "upgrade notes2tickets"
        )
    return int(version)


def migrate(conn: sqlite3.Connection, path: Path, version: int) -> None:
    for target in range(version + 1, len(_MIGRATIONS) + 1):
        try:
            conn.execute("BEGIN IMMEDIATE")
            for statement in _MIGRATIONS[target - 1]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {target}")
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise StateError(
                f"cannot migrate {path} to schema {target} ({exc}); it is unchanged at schema {target - 1}; "
                "check the folder's permissions and free space"
            ) from None


def _invalid(path: Path, detail: str) -> StateError:
    return CorruptStateError(
        f"{path} is not a valid notes2tickets state database ({detail}); "
        "move it aside or run `notes2tickets state rebuild`"
    )


def translated(path: Path, exc: sqlite3.DatabaseError) -> StateError:
    """Corruption gets the rebuild hint; anything else (read-only, full disk, hot journal) its own fix."""
    if type(exc) is sqlite3.DatabaseError:  # "file is not a database", "malformed"
        return _invalid(path, str(exc))
    if Path(f"{path}-journal").exists() and "readonly" in str(exc):
        return StateError(
            f"{path} has an unfinished write from an interrupted run ({path}-journal); "
            "run once without --dry-run to roll it back"
        )
    return StateError(f"cannot use state file {path} ({exc}); check its permissions and free space, or {FIX_PATH}")
