"""Regression tests for the smaller defects an adversarial run found (issue 15, item 7).

Each one failed before its fix: a FIFO or device as a notes path, a bad ``link_template``, permission
errors on notes and state folders, tokens from ``.env`` and in aliases, escape sequences in file
names, a full state disk part-way through a run, a one-off EDBERROR on the preflight.
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator, List, Optional

import pytest
import responses

from notes2tickets.cli import main
from notes2tickets.errors import TrackerError
from notes2tickets.tracker.pagure import PagureClient
from tests.sync_support import NOTES, SyncEnv, env  # noqa: F401 - env is a fixture

TOKEN = "N2TDEFECTTOKEN0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN"


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def run_module(*argv: str, cwd: Path, timeout: float = 30.0, user: Optional[List[str]] = None,
               extra: Optional[dict] = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("PAGURE_", "NOTES2TICKETS_"))}
    environ.update(extra or {})
    return subprocess.run([*(user or []), sys.executable, "-m", "notes2tickets", *argv], cwd=cwd, env=environ,
                          capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository as the current folder, no tracker settings in the environment."""
    for key in ("PAGURE_API_TOKEN", "PAGURE_URL", "PAGURE_PROJECT", "NOTES2TICKETS_STATE"):
        monkeypatch.delenv(key, raising=False)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- FIFO and devices --------------------------------------------------------------------------------------------


def test_fifo_notes_path_is_refused_at_once(folder: Path) -> None:
    """A FIFO named as notes: exit 1 with one line, instead of waiting forever for a writer."""
    os.mkfifo(folder / "notes.md")
    start = time.monotonic()
    done = run_module("parse", "notes.md", cwd=folder, timeout=20)
    assert time.monotonic() - start < 15
    assert done.returncode == 1, done.stderr
    assert "notes.md: is not a regular file (a FIFO, socket or device)" in done.stderr
    assert "Traceback" not in done.stderr


def test_fifo_inside_a_notes_folder_is_not_read(folder: Path) -> None:
    """A FIFO among the notes of a folder is skipped like any non-file; the real notes are read."""
    (folder / "notes").mkdir()
    (folder / "notes" / "a.md").write_text("- [ ] TODO: book the room\n")
    os.mkfifo(folder / "notes" / "pipe.md")
    done = run_module("parse", "notes", cwd=folder, timeout=20)
    assert (done.returncode, "Book the room" in done.stdout) == (0, True), done.stderr


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_dev_zero_is_refused_without_reading_it(folder: Path) -> None:
    """/dev/zero: exit 1, a clear line; no MemoryError (exit 3) after reading gigabytes."""
    done = run_module("parse", "/dev/zero", cwd=folder, timeout=20)
    assert done.returncode == 1, done.stderr
    assert "/dev/zero: is not a regular file" in done.stderr and "MemoryError" not in done.stderr


def test_a_file_that_grows_past_the_limit_is_capped(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The size limit holds while reading too (a file growing after the check), not only from stat."""
    from notes2tickets.extract import reader

    path = folder / "n.md"
    path.write_text("- [ ] TODO: x\n" * 100)
    real_fstat = os.fstat

    def small_fstat(fd: int) -> os.stat_result:
        result = real_fstat(fd)
        return os.stat_result((result.st_mode, *result[1:6], 10, *result[7:]))  # st_size says 10 bytes

    monkeypatch.setattr(os, "fstat", small_fstat)
    with pytest.raises(Exception) as info:
        reader.read_note(path, max_bytes=100, display="n.md")
    assert "too large" in str(info.value)


# -- link_template -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("template, why", [("{nope}", "unknown field {nope}"), ("{path#{line}", "not a valid template")])
def test_bad_link_template_is_a_config_error_at_load(folder: Path, template: str, why: str) -> None:
    """A template that cannot be filled is exit 2 when the config is read, not exit 3 at the first filing."""
    (folder / ".notes2tickets.toml").write_text(f'project = "a/b"\nlink_template = "{template}"\n')
    code, out, err = cli("status")
    assert code == 2, err
    assert len(err.splitlines()) == 1 and "'link_template'" in err and why in err and "{base}" in err


def test_good_link_template_still_loads(folder: Path) -> None:
    """Every documented field, and doubled braces, still pass."""
    (folder / ".notes2tickets.toml").write_text('link_template = "{base}/{commit}/{path}#L{line}-{{x}}-{style}"\n')
    assert cli("status")[0] == 0


# -- permissions -------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _unprivileged() -> Optional[List[str]]:
    """The prefix that runs a command as a user file modes apply to (root ignores them): setpriv to nobody,
    if this interpreter runs as nobody at all (one under /root may not)."""
    if os.geteuid() != 0:
        return []
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    if shutil.which("setpriv") is None:
        return None
    probe = subprocess.run([*prefix, sys.executable, "-c", "import notes2tickets"], capture_output=True, check=False)
    return prefix if probe.returncode == 0 else None


@pytest.fixture
def open_folder() -> Iterator[Path]:
    """A folder anybody may use (the run goes as nobody when the tests run as root)."""
    if _unprivileged() is None:
        pytest.skip("running as root, and this interpreter cannot run as nobody (no setpriv, or it lives under /root)")
    base = Path(tempfile.mkdtemp(prefix="n2t-perm-"))
    base.chmod(0o777)
    try:
        yield base
    finally:
        for path in [base, *base.rglob("*")]:
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(base)


def _run_as_user(folder: Path, *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    return run_module(*argv, cwd=folder, user=_unprivileged(), extra={"HOME": str(folder), **env})


def _tree(base: Path) -> Path:
    notes = base / "notes"
    (notes / "locked").mkdir(parents=True)
    (notes / "a.md").write_text("- [ ] TODO: book the room\n")
    (notes / "locked" / "b.md").write_text("- [ ] TODO: rotate the keys\n")
    for path in [base, *base.rglob("*")]:
        path.chmod(0o777 if path.is_dir() else 0o666)
    return notes


def test_unreadable_subfolder_of_notes_is_reported(open_folder: Path) -> None:
    """A subfolder that cannot be read is named in an error (exit 1), not skipped silently; the rest is read."""
    notes = _tree(open_folder)
    (notes / "locked").chmod(0)
    done = _run_as_user(open_folder, "parse", "notes")
    assert done.returncode == 1, done.stderr
    assert "notes/locked: cannot read this folder of notes (Permission denied)" in done.stderr
    assert "Book the room" in done.stdout and "Traceback" not in done.stderr


def test_unreadable_notes_folder_is_exit_1(open_folder: Path) -> None:
    """The notes folder itself unreadable: one line, exit 1, no traceback."""
    notes = _tree(open_folder)
    notes.chmod(0)
    done = _run_as_user(open_folder, "parse", "notes")
    assert done.returncode == 1 and "cannot read" in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_state_folder_without_search_permission_is_exit_2(open_folder: Path) -> None:
    """A state folder that cannot be searched: sync and status exit 2 with one line naming it (was exit 3)."""
    _tree(open_folder)
    state = open_folder / "st"
    state.mkdir()
    state.chmod(0)
    settings = {"PAGURE_API_TOKEN": TOKEN, "PAGURE_URL": "http://127.0.0.1:9", "PAGURE_PROJECT": "a/b",
                "NOTES2TICKETS_STATE": str(state / "s.sqlite3")}
    for argv in (("sync", "notes/a.md"), ("status",)):
        done = _run_as_user(open_folder, *argv, **settings)
        assert done.returncode == 2, (argv, done.stderr)
        assert len(done.stderr.splitlines()) == 1 and str(state) in done.stderr and "Permission denied" in done.stderr


# -- tokens ------------------------------------------------------------------------------------------------------


def test_dotenv_token_pasted_into_another_setting_is_hidden(folder: Path) -> None:
    """The .env token pasted into PAGURE_PROJECT: the error says <hidden>, never the token (it hid env tokens only)."""
    (folder / ".env").write_text(f"PAGURE_API_TOKEN={TOKEN}\nPAGURE_PROJECT={TOKEN}/x/y\n")
    code, out, err = cli("status")
    assert code == 2 and TOKEN not in out + err and "<hidden>" in err, err


def test_dotenv_token_is_hidden_in_every_line_printed(folder: Path) -> None:
    """Any text that carries the .env token (here a notes item) shows <hidden> on the terminal."""
    (folder / ".env").write_text(f"PAGURE_API_TOKEN={TOKEN}\n")
    (folder / "n.md").write_text(f"- [ ] TODO: rotate {TOKEN} today\n")
    code, out, err = cli("parse", "n.md")
    assert code == 0 and TOKEN not in out + err and "<hidden>" in out


def test_token_as_an_alias_value_is_a_config_error(folder: Path) -> None:
    """An alias mapped to the token: exit 2 naming the alias, and the token is neither printed nor posted."""
    (folder / ".env").write_text(f"PAGURE_API_TOKEN={TOKEN}\n")
    (folder / ".notes2tickets.toml").write_text(f'project = "a/b"\n[aliases]\nbob = "{TOKEN}"\n')
    (folder / "n.md").write_text("- [ ] TODO: a thing @bob\n")
    for argv in (("parse", "n.md"), ("sync", "--offline", "n.md"), ("sync", "n.md")):
        code, out, err = cli(*argv)
        assert code == 2 and TOKEN not in out + err, (argv, out, err)
        assert "aliases.\"bob\"" in err and "holds the API token" in err


# -- escape sequences in file names ------------------------------------------------------------------------------


def test_escape_sequences_in_file_names_are_escaped(folder: Path) -> None:
    """ESC and a bidi override in a file name reach the terminal as \\u001b / \\u202e, never raw."""
    (folder / "notes").mkdir()
    name = "\x1b[2J\x1b[31mred\u202egnp.md"
    (folder / "notes" / name).write_text("- [ ] TODO: one thing\n")
    (folder / "notes" / "bad\x1b]0;title\x07.md").write_bytes(b"\xff\xfe not utf-8")
    code, out, err = cli("parse", "notes")
    text = out + err
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    assert "\\u001b[2J\\u001b[31mred\\u202egnp.md:1" in out and "\\u001b]0;title\\u0007.md" in err


def test_json_output_stays_valid_with_odd_names(folder: Path) -> None:
    """The escapes are valid inside JSON strings: a JSON consumer reads the real name back."""
    import json

    (folder / "n\u202ex.md").write_text("- [ ] TODO: one thing\n")
    code, out, _ = cli("parse", "--format", "json", "n\u202ex.md")
    assert code == 0 and "\u202e" not in out
    assert "n\u202ex.md" in json.dumps(json.loads(out), ensure_ascii=False)


# -- full disk part-way ------------------------------------------------------------------------------------------


def _small_pages(monkeypatch: pytest.MonkeyPatch, grow: Optional[int] = None) -> None:
    """New state files get 512-byte pages (so the cap below is fine-grained); with ``grow``, SQLite answers
    SQLITE_FULL ("database or disk is full") once the file would pass ``grow`` pages more than it had when
    opened: the very error a full disk gives, raised by SQLite itself (test_full_disk uses a real tmpfs)."""
    from notes2tickets.state import store

    real_connect = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = real_connect(*args, **kwargs)
        count = conn.execute("PRAGMA page_count").fetchone()[0]
        if count == 0:
            conn.execute("PRAGMA page_size = 512")
        elif grow is not None:
            conn.execute(f"PRAGMA max_page_count = {count + grow}")
        return conn

    monkeypatch.setattr(store.sqlite3, "connect", connect)


def many_items(count: int, first: int = 0) -> str:
    words = ["venue", "keys", "release", "kernel", "mirror", "budget", "survey", "sprint", "badge", "wiki",
             "docs", "talks", "videos", "swag", "travel", "meetup", "booth", "blog", "ci", "images", "ansible",
             "compose", "fedmsg", "koji", "bodhi", "pungi"]
    return "# Meeting\n\n## Action items\n" + "".join(
        f"- [ ] Sort out the {w} question number {i} with details {w * 3}\n"
        for i, w in enumerate(words[first:first + count], first))


def test_full_state_disk_mid_run_prints_what_was_filed_and_exits_1(env: SyncEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    """State full after some creates: the summary says how many were filed, exit 1 (not 2 "nothing was filed");
    a run with room again files the rest, nothing twice."""
    env.in_process = True
    with monkeypatch.context() as patch:
        _small_pages(patch)
        assert env.run(str(env.write("first.md", many_items(1, first=25)))).code == 0  # the state file exists
    notes = env.write("meeting.md", many_items(25))
    with monkeypatch.context() as patch:
        _small_pages(patch, grow=22)
        first = env.run(str(notes))
    filed = len(env.fake.issues()) - 1
    assert first.code == 1, first.err
    assert 0 < filed < 25, filed
    assert "stopped after filing" in first.err and "the next run files the rest" in first.err
    assert "database or disk is full" in first.err
    assert first.out.strip().endswith("not filed yet"), first.out
    second = env.run(str(notes))
    assert second.code == 0, second.err
    titles = [i["title"] for i in env.fake.issues()]
    assert len(titles) == 26 and len(set(titles)) == 26



def test_state_failing_after_the_last_create_says_all_were_filed(env: SyncEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    """The last state write fails after every create went through: exit 1, "filed all", no "the rest" to file."""
    from notes2tickets.errors import StateError
    from notes2tickets.sync.mirror import Mirror

    env.in_process = True
    notes = env.write("meeting.md", many_items(5))

    def full(self: Mirror) -> None:
        raise StateError(f"cannot use state file {env.state} (database or disk is full)")

    with monkeypatch.context() as patch:
        patch.setattr(Mirror, "save", full)
        first = env.run(str(notes))
    assert (first.code, first.out) == (1, "5 filed, 0 adopted, 0 failed\n"), first.err
    assert "error: filed all 5 new item(s), but state could not record them all" in first.err
    assert "the rest" not in first.err
    again = env.run(str(notes))
    assert again.code == 0 and len(env.fake.issues()) == 5

# -- preflight EDBERROR ------------------------------------------------------------------------------------------

API = "https://pagure.example.org/api/0/sig"
EDBERROR = {"error": "An error occurred at the database level", "error_code": "EDBERROR"}
INVALID = {"error": "Invalid or incomplete input submitted", "error_code": "EINVALIDREQ",
           "errors": {"title": ["This field is required."]}}


def _client() -> PagureClient:
    return PagureClient(url="https://pagure.example.org", project="sig", token=TOKEN, sleep=lambda s: None)


@responses.activate
def test_one_off_edberror_on_the_preflight_is_asked_again() -> None:
    """EDBERROR then the usual form error: the preflight passes (the empty form files nothing either way)."""
    responses.add(responses.POST, f"{API}/new_issue", status=400, json=EDBERROR)
    responses.add(responses.POST, f"{API}/new_issue", status=400, json=INVALID)
    _client().preflight()
    assert len(responses.calls) == 2


@responses.activate
def test_repeated_edberror_on_the_preflight_is_named_a_server_error() -> None:
    """EDBERROR twice: a server database error, said so; never "check the tags" (an empty form has none)."""
    responses.add(responses.POST, f"{API}/new_issue", status=400, json=EDBERROR)
    responses.add(responses.POST, f"{API}/new_issue", status=400, json=EDBERROR)
    with pytest.raises(TrackerError) as info:
        _client().preflight()
    message = str(info.value)
    assert "tags" not in message and "database error on the server" in message and "\n" not in message
    assert info.value.exit_code == 1


def test_table_colours_pass_but_escapes_in_names_do_not(folder: Path) -> None:
    """With --color always our own colour codes (SGR) reach the terminal; a name's clear-screen does not."""
    (folder / "\x1b[2Jx.md").write_text("- [ ] TODO: one thing\n")
    code, out, _ = cli("sync", "--offline", "--project", "a/b", "--color", "always", "\x1b[2Jx.md")
    assert code == 0
    assert "\x1b[2J" not in out and "\\u001b[2Jx.md" in out
    assert "\x1b[0m" in out  # a table colour, whole
