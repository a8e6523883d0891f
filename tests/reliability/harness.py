"""Shared machinery of the reliability suites: notes, a trapped stand-in server, CLI runs, checks.

The CLI always runs as a subprocess (``python -m notes2tickets``) against a ``FakePagure`` served
from a thread of this process, so a suite can SIGKILL or SIGINT the CLI at an exact moment on the
server's side (``Trap``) and then count, on the server and in the state file, what came of it.
Used by ``tests/reliability/test_*.py`` (small trial counts) and ``benchmarks/reliability.py``.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, TypeVar

from notes2tickets.sync.body import find_marker
from tests.fakepagure import DEFAULT_PROJECT, FakePagure, Request, TokenSpec

_R = TypeVar("_R")

REPO_ROOT = Path(__file__).resolve().parents[2]
PROJECT = DEFAULT_PROJECT
# Recognisable and shaped like a Pagure token (64 of [A-Z0-9]); every suite uses it and scans for it.
TOKEN = "N2TSECRET" + "7" * 47 + "LEAKCHK1"
_WORDS = (
    "audit backport bootstrap cache calendar ceph compose container dashboard debuginfo docs dracut "
    "fedora firmware gitlab grub hardware infra initramfs installer journald kernel kiwi koji layout "
    "logrotate mailing mirror mock netboot packit pipeline podman policy rawhide release repo review "
    "rpm schedule selinux signing spin storage systemd testing tmpfiles toolbox tracker upstream vagrant "
    "website workshop xfs zram"
).split()
_VERBS = "write fix review draft test update migrate document ship audit plan measure".split()
_OWNERS = ("davide", "neal", "anita", "")


# -- notes and workspaces ------------------------------------------------------------------


def notes_text(count: int, *, seed: int, look_alike: bool = False) -> str:
    """A meeting with ``count`` open task-list items whose titles are far apart (no "similar" skips), or,
    ``look_alike``, differ only in a number ("Task number 1 ...", "Task number 10 ...")."""
    rng = random.Random(seed)
    lines = ["# Reliability meeting 2024-05-01", "", "## Action items", ""]
    for index in range(count):
        words = " ".join(rng.sample(_WORDS, 5))
        owner = _OWNERS[index % len(_OWNERS)]
        suffix = f" (@{owner})" if owner else ""
        if look_alike:
            lines.append(f"- [ ] Task number {index + 1} about subsystem r{seed}{suffix}")
        else:
            lines.append(f"- [ ] {rng.choice(_VERBS).title()} {words} r{seed}x{index}{suffix}")
    return "\n".join(lines) + "\n"


@dataclass
class Workspace:
    """One notes checkout: a folder with the notes, a config file and its own state file."""

    root: Path
    notes: Path
    state: Path
    home: Path

    @classmethod
    def create(
        cls, root: Path, *, items: int, seed: int, config: Optional[Mapping[str, Any]] = None, look_alike: bool = False
    ) -> Workspace:
        root.mkdir(parents=True, exist_ok=True)
        notes = root / "meeting.md"
        notes.write_text(notes_text(items, seed=seed, look_alike=look_alike), encoding="utf-8")
        home = root / "home"
        home.mkdir(exist_ok=True)
        ws = cls(root=root, notes=notes, state=root / "state" / "state.sqlite3", home=home)
        ws.write_config({"project": PROJECT, **(config or {})})
        return ws

    def write_config(self, values: Mapping[str, Any]) -> None:
        lines = [f"{key} = {_toml_value(value)}" for key, value in values.items()]
        (self.root / ".notes2tickets.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def files(self) -> List[Path]:
        """Every file the runs left behind (state, journal, lock, flags, quarantined copies)."""
        return sorted(p for p in self.root.rglob("*") if p.is_file())


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value))


def expected_fingerprints(ws: Workspace) -> List[str]:
    """The fingerprints the tool itself extracts from the notes (``parse --format json``)."""
    run = run_cli(ws, ["parse", "--format", "json", str(ws.notes)], url=None, token=None)
    if run.code != 0:
        raise AssertionError(f"parse failed: {run.err}")
    return [item["fingerprint"] for item in json.loads(run.out)["items"]]


# -- the stand-in server with traps ----------------------------------------------------------


class Trap:
    """Send ``sig`` to the CLI at one moment seen by the server.

    Windows: ``created_no_reply`` (the issue is committed, the reply not yet sent), ``after_reply``
    (``delay`` seconds after the reply was handed to the socket: the client is reading it or writing
    state), ``post_lost`` (the create arrives and is dropped: state says pending, nothing filed).
    ``at`` counts item creates (the preflight's empty form is not one).
    """

    def __init__(self, window: str, at: int, *, sig: int = signal.SIGKILL, delay: float = 0.0) -> None:
        self.window, self.at, self.sig, self.delay = window, at, sig, delay
        self.proc: Optional[subprocess.Popen] = None
        self.fired = False
        self._creates = 0
        self._posts = 0
        self._lock = threading.Lock()

    def fire(self) -> None:
        with self._lock:
            proc = self.proc
            if self.fired or proc is None or proc.poll() is not None:
                return
            self.fired = True
            os.kill(proc.pid, self.sig)

    def on_post(self) -> bool:
        """A new_issue POST arrives (before any work): True to drop it after firing."""
        with self._lock:
            self._posts += 1
            hit = self.window == "post_lost" and self._posts == self.at + 1  # post 1 is the preflight
        if hit:
            self.fire()
        return hit

    def on_created(self) -> None:
        with self._lock:
            self._creates += 1
            hit = self.window in ("created_no_reply", "after_reply") and self._creates == self.at
        if not hit:
            return
        if self.window == "created_no_reply":
            self.fire()
        else:
            threading.Timer(self.delay, self.fire).start()


class Canned:
    """A fixed answer for one route (duck-types the fake's reply: status, body, content_type, headers).

    ``items_only``: answer only requests with a body (item creates, not the preflight's empty form).
    """

    def __init__(self, status: int, body: str, content_type: str = "application/json",
                 headers: Optional[Dict[str, str]] = None, *, items_only: bool = False) -> None:
        self.status, self.body, self.content_type = status, body.encode("utf-8"), content_type
        self.headers = dict(headers or {})
        self.items_only = items_only


class Server(FakePagure):
    """``FakePagure`` plus a ``Trap`` and canned answers keyed by (method, path suffix)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("tokens", {TOKEN: TokenSpec("bot", kwargs.get("project", PROJECT))})
        super().__init__(**kwargs)
        self.trap: Optional[Trap] = None
        self.canned: Dict[tuple, Canned] = {}

    def __enter__(self) -> Server:
        self.start()
        return self

    def next_fault(self, method: str, path: str) -> Optional[str]:
        trap = self.trap
        if trap is not None and method == "POST" and path.endswith("/new_issue") and trap.on_post():
            return "reset"  # the request is dropped unprocessed: "reset" skips dispatch
        return super().next_fault(method, path)

    def dispatch(self, method: str, path: str, query: Dict[str, List[str]], headers: Any, body: bytes) -> Any:
        for (want_method, suffix), reply in self.canned.items():
            if method == want_method and path.endswith(suffix) and (body or not reply.items_only):
                return reply
        return super().dispatch(method, path, query, headers, body)

    def record(self, entry: Request) -> None:
        super().record(entry)
        trap = self.trap
        if trap is not None and entry.method == "POST" and entry.path.endswith("/new_issue") \
                and entry.status == 200 and entry.form.get("title"):
            trap.on_created()

    def creates(self) -> int:
        """Item creates that reached the server (the preflight's empty form excluded)."""
        with self._lock:
            return sum(1 for r in self.log if r.method == "POST" and r.path.endswith("/new_issue") and r.form.get("title"))

    def faults(self) -> Counter:
        with self._lock:
            return Counter(r.fault for r in self.log if r.fault)


# -- running the CLI -------------------------------------------------------------------------


@dataclass(frozen=True)
class CliRun:
    code: int
    out: str
    err: str
    seconds: float

    def text(self) -> str:
        return self.out + self.err


def cli_env(ws: Workspace, *, url: Optional[str], token: Optional[str], extra: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    """A clean environment: our settings only, HOME and git config inside the workspace."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAGURE_", "NOTES2TICKETS_", "GIT_", "XDG_"))}
    env.update(
        HOME=str(ws.home), XDG_STATE_HOME=str(ws.home / "state"), GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=str(ws.home / ".gitconfig"), GIT_CEILING_DIRECTORIES=str(ws.root.parent),
        NOTES2TICKETS_STATE=str(ws.state), PYTHONPATH=str(REPO_ROOT), PYTHONDONTWRITEBYTECODE="1",
    )
    if url is not None:
        env["PAGURE_URL"] = url
    if token is not None:
        env["PAGURE_API_TOKEN"] = token
    env.update(extra or {})
    return env


def start_cli(
    ws: Workspace, args: Sequence[str], *, url: Optional[str], token: Optional[str] = TOKEN,
    extra_env: Optional[Mapping[str, str]] = None, prelude: Optional[str] = None,
) -> subprocess.Popen:
    """Start ``notes2tickets ARGS`` in the workspace; ``prelude`` is Python run first (to patch a variant)."""
    if prelude:
        command = [sys.executable, "-c", prelude + "\nfrom notes2tickets.cli import main\nraise SystemExit(main())", *args]
    else:
        command = [sys.executable, "-m", "notes2tickets", *args]
    return subprocess.Popen(
        command, cwd=ws.root, env=cli_env(ws, url=url, token=token, extra=extra_env),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
    )


def finish(proc: subprocess.Popen, started: float, *, timeout: float = 120.0) -> CliRun:
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        raise AssertionError(f"CLI still running after {timeout}s: {err.decode(errors='replace')[-500:]}") from None
    return CliRun(proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), time.monotonic() - started)


# A child inherits an ignored SIGINT (a runner started with `nohup` or `&` ignores it), and Python
# then never raises KeyboardInterrupt. A terminal never does that, so undo it for Ctrl-C trials.
_RESTORE_SIGINT = "import signal\nsignal.signal(signal.SIGINT, signal.default_int_handler)"


def run_cli(ws: Workspace, args: Sequence[str], *, url: Optional[str], token: Optional[str] = TOKEN,
            trap: Optional[Trap] = None, kill_after: Optional[float] = None, timeout: float = 120.0,
            **kwargs: Any) -> CliRun:
    """Run the CLI to its end; ``trap`` is armed with the process, ``kill_after`` fires it by timer."""
    if trap is not None and trap.sig == signal.SIGINT and signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        kwargs.setdefault("prelude", _RESTORE_SIGINT)
    started = time.monotonic()
    proc = start_cli(ws, args, url=url, token=token, **kwargs)
    timer = None
    if trap is not None:
        trap.proc = proc
        if kill_after is not None:
            timer = threading.Timer(kill_after, trap.fire)
            timer.start()
    try:
        return finish(proc, started, timeout=timeout)
    finally:
        if timer is not None:
            timer.cancel()


def sync(ws: Workspace, url: str, **kwargs: Any) -> CliRun:
    return run_cli(ws, ["sync", str(ws.notes)], url=url, **kwargs)


def sync_until_ok(ws: Workspace, url: str, *, attempts: int = 3, **kwargs: Any) -> List[CliRun]:
    """Re-run ``sync`` until it exits 0 (at most ``attempts`` runs)."""
    runs: List[CliRun] = []
    while len(runs) < attempts:
        runs.append(sync(ws, url, **kwargs))
        if runs[-1].code == 0:
            break
    return runs


# -- checks --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """What the server and a state file hold for the expected fingerprints."""

    issues: int
    duplicates: int  # issues beyond the first carrying the same marker
    lost: int  # expected items with no issue
    strays: int  # issues with no expected marker
    state_wrong: int  # expected items whose state row is not `filed` with the oldest issue carrying its marker
    integrity: str

    @property
    def ok(self) -> bool:
        return (self.duplicates, self.lost, self.strays, self.state_wrong, self.integrity) == (0, 0, 0, 0, "ok")


def issues_by_fingerprint(server: FakePagure) -> Dict[Optional[str], List[int]]:
    found: Dict[Optional[str], List[int]] = {}
    for issue in server.issues():
        found.setdefault(find_marker(issue["content"]), []).append(int(issue["id"]))
    return found


def state_rows(path: Path) -> Dict[str, tuple]:
    """fingerprint -> (status, issue_id), read without writing (a copy if a journal is left)."""
    if not path.exists():
        return {}
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {fp: (status, issue_id) for fp, status, issue_id in conn.execute("SELECT fingerprint, status, issue_id FROM items")}
    finally:
        conn.close()


def integrity(path: Path) -> str:
    """``PRAGMA integrity_check`` of a copy (with its journal, rolled back there as the next run would)."""
    if not path.exists():
        return "ok"  # nothing written is a healthy state
    with tempfile.TemporaryDirectory() as scratch:
        conn = sqlite3.connect(snapshot_state(path, Path(scratch)))
        try:
            return ", ".join(str(r[0]) for r in conn.execute("PRAGMA integrity_check"))
        except sqlite3.DatabaseError as exc:
            return f"error: {exc}"
        finally:
            conn.close()


def run_trials(trial: Callable[[Path, int], _R], base: Path, *, trials: int, seed: int,
               workers: int) -> Tuple[List[int], List[_R]]:
    """Run ``trial(folder, seed)`` for ``trials`` seeds, ``workers`` at a time; the seeds and the results."""
    seeds = [seed * 100_000 + i for i in range(trials)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(lambda s: trial(base / f"trial{s}", s), seeds))
    return seeds, results


def assert_filed_once(run: CliRun, server: FakePagure, ws: Workspace, *, summary: str, creates: int) -> None:
    """The run exited 0 with ``summary``, sent ``creates`` item creates, and every item has exactly one issue
    that the state file points at."""
    fingerprints = expected_fingerprints(ws)
    counted = tally(server, fingerprints, ws.state)
    assert run.code == 0, run.err
    assert run.out.strip() == summary
    assert server.creates() == creates  # type: ignore[attr-defined]
    assert (counted.issues, counted.duplicates, counted.lost, counted.state_wrong) == (len(fingerprints), 0, 0, 0)


def tally(server: FakePagure, fingerprints: Sequence[str], state: Optional[Path]) -> Tally:
    by_fp = issues_by_fingerprint(server)
    expected = set(fingerprints)
    rows = state_rows(state) if state is not None else {}
    wrong = 0
    if state is not None:
        for fp in expected:
            ids = sorted(by_fp.get(fp, []))
            wrong += int(not ids or rows.get(fp) != ("filed", ids[0]))
    return Tally(
        issues=sum(len(ids) for ids in by_fp.values()),
        duplicates=sum(len(ids) - 1 for fp, ids in by_fp.items() if fp in expected),
        lost=sum(1 for fp in expected if fp not in by_fp),
        strays=sum(len(ids) for fp, ids in by_fp.items() if fp not in expected),
        state_wrong=wrong,
        integrity=integrity(state) if state is not None else "ok",
    )


def misfiled(server: FakePagure, fingerprints: Sequence[str], state: Path) -> int:
    """Expected items whose state row is not `filed` with SOME issue carrying its marker (clone races)."""
    by_fp, rows = issues_by_fingerprint(server), state_rows(state)
    return sum(1 for fp in fingerprints if rows.get(fp, ("", None))[0] != "filed" or rows[fp][1] not in by_fp.get(fp, []))


def snapshot_state(path: Path, into: Path) -> Path:
    """Copy the state file and its journal (a crash may leave one) aside, to inspect without touching."""
    into.mkdir(parents=True, exist_ok=True)
    copy = into / path.name
    for suffix in ("", "-journal"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            shutil.copyfile(source, Path(f"{copy}{suffix}"))
    return copy


def classify_crash(server: FakePagure, state: Path, scratch: Path) -> str:
    """Where a killed run stopped, as seen from state and server afterwards (labels joined by "+").

    A run killed inside a SQLite transaction (a hot journal: mid-commit, or rows a grouped
    commit had not written yet) is classified by the rows the next run reads, once the
    journal is rolled back (on a copy here, as the next real open does).
    """
    if not state.exists():
        return "before_state"
    copy = snapshot_state(state, scratch)
    try:
        conn = sqlite3.connect(copy)  # a read-write open rolls a hot journal back
        created = conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'items'").fetchone()[0]
        conn.close()
        if not created:
            return "before_state"  # killed while the schema was being created: nothing recorded yet
        rows = state_rows(copy)
    except sqlite3.DatabaseError:
        return "mid_state_write"
    by_fp = issues_by_fingerprint(server)
    pending = [fp for fp, (status, _) in rows.items() if status != "filed"]
    labels = [label for label, hit in (
        ("created_not_recorded", any(fp in by_fp for fp in pending)),  # the POST took effect, state still says pending
        ("pending_not_created", any(fp not in by_fp for fp in pending)),
    ) if hit]
    return "+".join(labels) or "between_items"  # both: e.g. a lost create after grouped rows not yet committed


# -- secrets ---------------------------------------------------------------------------------


def leaks(secret: str, texts: Iterable[str] = (), files: Iterable[Path] = ()) -> List[str]:
    """Where ``secret`` (or its first 16 characters) appears: text indexes and file paths."""
    needles = {secret, secret[:16]}
    found = [f"text#{i}" for i, text in enumerate(texts) if any(n in text for n in needles)]
    raw = {n.encode() for n in needles}
    for path in files:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if any(n in data for n in raw):
            found.append(str(path))
    return found


def server_texts(server: FakePagure) -> List[str]:
    """What the server received, as text (forms and queries): the token must not be in a body."""
    with server._lock:
        return [json.dumps({"path": r.path, "query": r.query, "form": r.form}) for r in server.log]


@dataclass
class SuiteResult:
    """One suite's figures (printed, and tabulated in docs/reliability.md)."""

    name: str
    checked: str
    trials: int
    figures: Dict[str, Any] = field(default_factory=dict)
    failures: List[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.failures

    def line(self) -> str:
        figures = ", ".join(f"{k}={v}" for k, v in self.figures.items())
        verdict = "PASS" if self.passed else "FAIL: " + "; ".join(self.failures[:5])
        return f"{self.name}: {self.trials} trials in {self.seconds:.1f}s; {figures}; {verdict}"
