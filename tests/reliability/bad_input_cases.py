"""Bad-input suite: hostile notes, config, environment, tracker answers and state files.

Every case runs the CLI as a subprocess (twice, to show a re-run files nothing twice) and checks:
the documented exit code, no traceback, a one-line message naming the problem (the expected
fragment), ``PRAGMA integrity_check`` on the state, no marker on two issues, no control or
bidi characters echoed to the terminal, and that a broken state file is left byte for byte as it
was, with a message pointing at ``state rebuild``.
"""

from __future__ import annotations

import fcntl
import os
import random
import sqlite3
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple

from tests.fakepagure import TokenSpec
from tests.reliability.harness import (
    PROJECT,
    TOKEN,
    Canned,
    CliRun,
    Server,
    SuiteResult,
    Workspace,
    integrity,
    issues_by_fingerprint,
    leaks,
    notes_text,
    run_cli,
    server_texts,
)

Setup = Callable[[Workspace, Server], Optional[Dict[str, Any]]]
_HTML = "<!DOCTYPE html><html><head><title>Welcome</title></head><body>Not an API</body></html>"


class Case(NamedTuple):
    name: str
    area: str  # notes | config | environment | tracker | state
    exit: int
    fragment: str  # what the message must say
    setup: Setup  # prepares the workspace and server; may return {"env": {...}, "args": [...], ...}
    server: Dict[str, Any] = {}
    corrupt_state: bool = False  # the state file must stay byte for byte, the message name `state rebuild`
    command: Tuple[str, ...] = ("sync",)
    moved_aside: bool = False  # `state rebuild`: the broken file is kept, renamed, and the run says where
    known_bug: str = ""  # a reported defect outside this suite's files: the case is expected to fail
    runs: int = 2  # 1 for slow cases where nothing can be filed (the client's retries take ~8 s)


class Outcome(NamedTuple):
    case: Case
    runs: List[CliRun]
    problems: List[str]
    leaked: List[str]


# -- setups ---------------------------------------------------------------------------------


def _notes(text: "str | bytes") -> Setup:
    def setup(ws: Workspace, server: Server) -> None:
        data = text.encode("utf-8") if isinstance(text, str) else text
        ws.notes.write_bytes(data)
    return setup


def _config(body: "str | bytes", name: str = ".notes2tickets.toml") -> Setup:
    def setup(ws: Workspace, server: Server) -> None:
        (ws.root / ".notes2tickets.toml").unlink()
        (ws.root / name).write_bytes(body.encode("utf-8") if isinstance(body, str) else body)
    return setup


def _dotenv(data: bytes) -> Setup:
    def setup(ws: Workspace, server: Server) -> Dict[str, Any]:
        (ws.root / ".env").write_bytes(data)
        return {"token": None}
    return setup


def _env(**values: str) -> Setup:
    def setup(ws: Workspace, server: Server) -> Dict[str, Any]:
        return {"env": values}
    return setup


def _with_token(token: Optional[str]) -> Setup:
    def setup(ws: Workspace, server: Server) -> Dict[str, Any]:
        return {"token": token}
    return setup


def _tracker(action: Callable[[Server], None]) -> Setup:
    def setup(ws: Workspace, server: Server) -> None:
        action(server)
    return setup


def _canned(method: str, suffix: str, status: int, body: str, ctype: str = "application/json", *,
            items_only: bool = False, **headers: str) -> Setup:
    def setup(ws: Workspace, server: Server) -> None:
        server.canned[(method, suffix)] = Canned(status, body, ctype, headers, items_only=items_only)
    return setup


def _state(make: Callable[[Path], None]) -> Setup:
    def setup(ws: Workspace, server: Server) -> None:
        ws.state.parent.mkdir(parents=True, exist_ok=True)
        make(ws.state)
    return setup


def _good_state(path: Path) -> None:
    """A real state database with a few rows, made by a real run against a throwaway server."""
    scratch = Workspace.create(path.parent / "scratch", items=3, seed=99)
    with Server() as server:
        run = run_cli(scratch, ["sync", str(scratch.notes)], url=server.url)
    assert run.code == 0, run.err
    path.write_bytes(scratch.state.read_bytes())


def _garbage(path: Path) -> None:
    path.write_bytes(random.Random(5).randbytes(8192) if hasattr(random.Random, "randbytes") else os.urandom(8192))


def _truncated(path: Path) -> None:
    _good_state(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _mangled_pages(path: Path) -> None:
    _good_state(path)
    data = bytearray(path.read_bytes())
    data[4096:8192] = b"\xde\xad\xbe\xef" * 1024  # the header survives, a b-tree page does not
    path.write_bytes(bytes(data))


def _foreign_db(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()


def _newer_schema(path: Path) -> None:
    _good_state(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()


def _directory(path: Path) -> None:
    path.mkdir()


def _hot_journal(path: Path) -> None:
    _good_state(path)
    Path(f"{path}-journal").write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + b"\x00" * 504)


def _wal_mode(path: Path) -> None:
    _good_state(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()


def _locked(ws: Workspace, server: Server) -> Dict[str, Any]:
    ws.write_config({"project": PROJECT, "lock_timeout": 0.3})
    ws.state.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(f"{ws.state}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return {"cleanup": lambda: os.close(fd)}


def _read_only(which: str) -> Setup:
    """The state folder or file cannot be written: chmod, or for root (who ignores modes) chattr +i."""
    def setup(ws: Workspace, server: Server) -> Dict[str, Any]:
        if which == "file":
            _good_state(ws.state)
        target = ws.state if which == "file" else ws.state.parent
        target.mkdir(parents=True, exist_ok=True) if which == "folder" else None
        if os.geteuid() == 0:
            subprocess.run(["chattr", "+i", str(target)], check=True)
            return {"cleanup": lambda: subprocess.run(["chattr", "-i", str(target)], check=True)}
        mode = os.stat(target).st_mode
        os.chmod(target, 0o555 if which == "folder" else 0o444)
        return {"cleanup": lambda: os.chmod(target, mode)}
    return setup


def _symlink_loop(ws: Workspace, server: Server) -> Dict[str, Any]:
    folder = ws.root / "notes"
    folder.mkdir()
    (folder / "a.md").write_text(notes_text(2, seed=3), encoding="utf-8")
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    return {"args": ["sync", str(folder)]}


def _no_paths(ws: Workspace, server: Server) -> Dict[str, Any]:
    return {"args": ["sync"]}


def _args(*args: str) -> Setup:
    def setup(ws: Workspace, server: Server) -> Dict[str, Any]:
        return {"args": [a.replace("{notes}", str(ws.notes)) for a in args]}
    return setup


def _fifo(ws: Workspace, server: Server) -> None:
    ws.notes.unlink()
    os.mkfifo(ws.notes)


def _device(ws: Workspace, server: Server) -> Dict[str, Any]:
    return {"args": ["sync", "/dev/zero"]}


def _odd_name(ws: Workspace, server: Server) -> Dict[str, Any]:
    odd = ws.root / "\x1b[2J\x1b]0;pwned\x07\u202egnp.md"
    ws.notes.rename(odd)
    return {"args": ["sync", str(odd)]}


def _odd_name_unreadable(ws: Workspace, server: Server) -> Dict[str, Any]:
    odd = ws.root / "\x1b[31mred\u2066.md"
    odd.write_bytes(b"\xff\xfe\x00binary")
    return {"args": ["sync", str(odd)]}


def _dotenv_reuse(where: str) -> Setup:
    """The token is in .env, and also pasted by mistake into the project (.env or config file).

    The files holding the token go at cleanup, before the leak scan: a token in .env is where it belongs."""
    def setup(ws: Workspace, server: Server) -> Dict[str, Any]:
        dotenv = ws.root / ".env"
        lines = f"PAGURE_API_TOKEN={TOKEN}\n" + (f"PAGURE_PROJECT={TOKEN}/x/y\n" if where == ".env" else "")
        dotenv.write_text(lines, encoding="utf-8")
        config = ws.root / ".notes2tickets.toml"
        config.write_text(f'project = "{TOKEN}/x/y"\n' if where == "config" else "", encoding="utf-8")
        return {"token": None, "cleanup": lambda: (dotenv.unlink(), config.unlink())}
    return setup


def _alias_token(ws: Workspace, server: Server) -> Dict[str, Any]:
    config = ws.root / ".notes2tickets.toml"
    config.write_text(f'project = "{PROJECT}"\n[aliases]\nbob = "{TOKEN}"\n', encoding="utf-8")
    ws.notes.write_text(_HEAD + "- [ ] Task for @bob\n", encoding="utf-8")
    return {"cleanup": config.unlink}


def _slow_server(mode: str) -> Setup:
    """A stand-in that hangs, trickles its body a byte every 0.3 s, or never ends; 1 s deadline per request."""
    def setup(ws: Workspace, server: Server) -> Dict[str, Any]:
        from tests.slowserver import SlowServer

        slow = SlowServer(mode, interval=0.3, limit=60).__enter__()
        ws.write_config({"project": PROJECT, "timeout": 1})
        return {"env": {"PAGURE_URL": slow.url}, "cleanup": lambda: slow.__exit__()}
    return setup


def _both(*setups: Setup) -> Setup:
    def setup(ws: Workspace, server: Server) -> Dict[str, Any]:
        merged: Dict[str, Any] = {}
        for one in setups:
            merged.update(one(ws, server) or {})
        return merged
    return setup


# -- the cases ------------------------------------------------------------------------------

_ITEMS = notes_text(3, seed=11)
_HEAD = "# Bad input meeting 2024-05-01\n\n## Action items\n\n"


def _nested(marker: str, depth: int) -> str:
    return _HEAD + "".join(f"{'  ' * i}{marker} level {i}\n" for i in range(depth)) + "- [ ] Deep item at the end\n"


CASES: List[Case] = [
    # notes
    Case("binary file", "notes", 1, "binary", _notes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)),
    Case("not UTF-8", "notes", 1, "not valid UTF-8", _notes(_HEAD.encode() + "- [ ] Caf\u00e9 r\u00e9union\n".encode("latin-1"))),
    Case("UTF-16", "notes", 1, "UTF-16", _notes(("\ufeff" + _ITEMS).encode("utf-16-le"))),
    Case("empty file", "notes", 0, "0 filed", _notes(b"")),
    Case("huge file (11 MiB)", "notes", 1, "too large", _notes(_HEAD + ("- [ ] filler line for size\n" * 420_000))),
    Case("lists nested 600 deep", "notes", 1, "levels deep", _notes(_nested("-", 600))),
    Case("quotes nested 5000 deep", "notes", 1, "levels deep", _notes(_HEAD + ">" * 5000 + " - [ ] quoted item\n")),
    Case("unterminated fence", "notes", 0, "0 filed", _notes(_HEAD + "```\n- [ ] not an item inside a fence\n")),
    Case("NUL after 8 KiB", "notes", 0, "1 filed", _notes(_HEAD + ("<!-- pad -->\n" * 800) + "- [ ] Fix the\x00 NUL parser\n")),
    Case("terminal escapes", "notes", 0, "1 filed", _notes(_HEAD + "- [ ] Fix \x1b[2J\x1b[31mred\x1b[0m output\x07 now\n")),
    Case("RTL override", "notes", 0, "1 filed", _notes(_HEAD + "- [ ] Review \u202egnp.exe\u202c attachment \u2066ok\u2069\n")),
    Case("100,000-character item", "notes", 0, "1 filed", _notes(_HEAD + "- [ ] " + "word " * 20_000 + "\n")),
    Case("item over 4 MiB (413)", "notes", 1, "too large", _notes(_HEAD + "- [ ] Big one\n\n  " + "x" * 4_300_000 + "\n- [ ] Small one\n")),
    Case("CRLF and lone CR", "notes", 0, "2 filed", _notes(_HEAD.replace("\n", "\r\n") + "- [ ] First crlf item\r\n- [ ] Second cr item\r")),
    Case("same item three times", "notes", 0, "1 filed", _notes(_HEAD + "- [ ] Repeat me please\n" * 3)),
    Case("no such file", "notes", 1, "no such file", _args("sync", "{notes}.missing")),
    Case("folder without notes", "notes", 1, "has no notes", _args("sync", "home")),
    Case("symlink loop in a folder", "notes", 0, "2 filed", _symlink_loop),
    Case("unknown owner and priority", "notes", 0, "not a user", _notes(_HEAD + "- [ ] Ghost task @nosuchuser priority:urgent\n")),
    Case("FIFO as the notes file", "notes", 1, "not a regular file", _fifo, runs=1),
    Case("/dev/zero as the notes file", "notes", 1, "not a regular file", _device, runs=1),
    Case("escape sequences in the file name", "notes", 0, "3 filed", _odd_name),
    Case("escapes in an unreadable file's name", "notes", 1, "\\u001b[31mred\\u2066.md", _odd_name_unreadable),
    # config
    Case("TOML syntax error", "config", 2, "invalid TOML", _config('project = "a/b"\ntimeout = \n')),
    Case("wrong type", "config", 2, "'timeout' must be a number", _config(f'project = "{PROJECT}"\ntimeout = "fast"\n')),
    Case("unknown key", "config", 2, "unknown key 'colour'", _config(f'project = "{PROJECT}"\ncolour = "blue"\n')),
    Case("project with ..", "config", 2, "invalid Pagure project", _config('project = "../etc/passwd"\n')),
    Case("project with spaces", "config", 2, "invalid Pagure project", _config('project = "centos sig/hyper scale"\n')),
    Case("token in config", "config", 2, "never put the API token", _config(f'project = "{PROJECT}"\ntoken = "abc"\n')),
    Case("negative timeout", "config", 2, "'timeout' must be between", _config(f'project = "{PROJECT}"\ntimeout = -1\n')),
    Case("threshold out of range", "config", 2, "duplicate_threshold", _config(f'project = "{PROJECT}"\nduplicate_threshold = 7\n')),
    Case("pyproject table is a string", "config", 2, "must be a table", _config('[tool]\nnotes2tickets = "yes"\n', "pyproject.toml")),
    Case("config not UTF-8", "config", 2, "cannot read", _config(f'project = "{PROJECT}"\n# caf\xe9\n'.encode("latin-1"))),
    Case("aliases not strings", "config", 2, "aliases", _config(f'project = "{PROJECT}"\n[aliases]\nbob = 3\n')),
    Case("unknown extract key", "config", 2, "extract.magic", _config(f'project = "{PROJECT}"\n[extract]\nmagic = true\n')),
    Case("tag with a comma", "config", 2, "contains a comma", _config(f'project = "{PROJECT}"\ndefault_tags = ["a,b"]\n')),
    Case("tag too long", "config", 2, "longer than 255", _config(f'project = "{PROJECT}"\ndefault_tags = ["{"t" * 256}"]\n')),
    Case("no notes match the globs", "config", 2, "no notes files match", _no_paths),
    Case("link_template with an unknown field", "config", 2, "unknown field {nope}", _config(f'project = "{PROJECT}"\nlink_template = "{{nope}}"\n')),
    Case("link_template with a broken brace", "config", 2, "not a valid template", _config(f'project = "{PROJECT}"\nlink_template = "{{path#{{line}}"\n')),
    Case("token as an alias value", "config", 2, "holds the API token", _alias_token),
    # environment
    Case("missing token", "environment", 2, "PAGURE_API_TOKEN", _with_token(None)),
    Case("token with a space", "environment", 2, "PAGURE_API_TOKEN", _with_token("abc def")),
    Case("malformed URL", "environment", 2, "invalid Pagure URL", _env(PAGURE_URL="htp:/pagure")),
    Case("plain http to a remote host", "environment", 2, "refusing to send the API token over plain http", _env(PAGURE_URL="http://pagure.example.org")),
    Case("credentials in the URL", "environment", 2, "must not carry credentials", _env(PAGURE_URL="https://bot:pw@pagure.example.org")),
    Case("bad project form in env", "environment", 2, "invalid Pagure project", _env(PAGURE_PROJECT="fork/only")),
    Case("nothing listens", "environment", 1, "check PAGURE_URL", _env(PAGURE_URL="http://127.0.0.1:9"), runs=1),
    Case(".env not UTF-8", "environment", 2, ".env", _dotenv(b"PAGURE_API_TOKEN=caf\xe9\n")),
    Case(".env token pasted as the project", "environment", 2, "invalid Pagure project '<hidden>/x/y'", _dotenv_reuse(".env")),
    Case(".env token pasted into the config", "environment", 2, "invalid Pagure project '<hidden>/x/y'", _dotenv_reuse("config")),
    # tracker answers
    Case("HTML instead of JSON (listing)", "tracker", 1, "not JSON", _canned("GET", "/issues", 200, _HTML, "text/html"), runs=1),
    Case("HTML 404 (not a Pagure URL)", "tracker", 2, "404", _canned("POST", "/new_issue", 404, _HTML, "text/html")),
    Case("truncated JSON", "tracker", 1, "not JSON", _canned("GET", "/issues", 200, '{"issues": [{"id": 1, "tit'), runs=1),
    Case("issues of the wrong shape", "tracker", 1, "unexpected JSON", _canned("GET", "/issues", 200, '{"issues": [{"id": "one"}], "pagination": {}}')),
    Case("project info of the wrong shape", "tracker", 1, "unexpected JSON", _canned("GET", f"/{PROJECT}", 200, '{"priorities": ["High"], "access_users": 3}')),
    Case("401 unknown token", "tracker", 2, "rejected the API token", _with_token("N2TUNKNOWNTOKEN")),
    Case("401 expired token", "tracker", 2, "expired", lambda ws, s: s.tokens.update({TOKEN: TokenSpec("bot", PROJECT, expired=True)})),
    Case("401 missing ACL", "tracker", 2, "lacks an ACL", lambda ws, s: s.tokens.update({TOKEN: TokenSpec("bot", PROJECT, acls=("issue_comment",))})),
    Case("401 token of another project", "tracker", 2, "bound to another project", lambda ws, s: s.tokens.update({TOKEN: TokenSpec("bot", "other/project")})),
    Case("403 blocked user", "tracker", 2, "blocked", _tracker(lambda s: s.block_user("bot"))),
    Case("404 project not found", "tracker", 2, "not found", _env(PAGURE_PROJECT="centos-sig-hyperscale/nope")),
    Case("404 tracker disabled", "tracker", 2, "disabled", _tracker(lambda s: s.set_tracker("disabled"))),
    Case("401 tracker read-only", "tracker", 2, "read-only", _tracker(lambda s: s.set_tracker("readonly"))),
    Case("302 redirect", "tracker", 2, "redirected", _canned("POST", "/new_issue", 302, "", "text/html", Location="https://elsewhere.example/")),
    Case("hanging tracker", "tracker", 1, "timed out", _slow_server("hang"), runs=1),
    Case("trickling tracker", "tracker", 1, "timed out", _slow_server("trickle"), runs=1),
    Case("endless answer", "tracker", 1, "larger than 64 MiB", _slow_server("endless"), runs=1),
    Case("200 without an issue", "tracker", 1, "without issue JSON", _both(_notes(_HEAD + "- [ ] Lonely item\n"), _canned("POST", "/new_issue", 200, '{"message": "Issue created"}', items_only=True))),
    # state
    Case("rebuild over a corrupt state", "state", 0, "moved the unreadable state file aside", _both(_state(_garbage), _args("state", "rebuild")), moved_aside=True),
    Case("garbage state file", "state", 2, "state rebuild", _state(_garbage), corrupt_state=True),
    Case("truncated state file", "state", 2, "state rebuild", _state(_truncated), corrupt_state=True),
    Case("mangled state pages", "state", 2, "state rebuild", _state(_mangled_pages), corrupt_state=True),
    Case("corrupt state, dry run", "state", 2, "state rebuild", _both(_state(_garbage), _args("sync", "--dry-run", "{notes}")), corrupt_state=True),
    Case("corrupt state, status", "state", 2, "state rebuild", _both(_state(_garbage), _args("status")), corrupt_state=True),
    Case("another program's database", "state", 2, "another program", _state(_foreign_db), corrupt_state=True),
    Case("newer schema", "state", 2, "newer notes2tickets", _state(_newer_schema), corrupt_state=True),
    Case("state path is a folder", "state", 2, "not a regular file", _state(_directory)),
    Case("read-only state folder", "state", 2, "read-only", _read_only("folder")),
    Case("read-only state file", "state", 2, "read-only", _read_only("file")),
    Case("state locked by another run", "state", 2, "another notes2tickets run holds", _locked),
    Case("hot journal, dry run", "state", 2, "unfinished write", _both(_state(_hot_journal), _args("sync", "--dry-run", "{notes}"))),
    Case("WAL-mode state, dry run", "state", 2, "WAL", _both(_state(_wal_mode), _args("sync", "--dry-run", "{notes}"))),
]


# -- running a case -------------------------------------------------------------------------

_ECHO_FORBIDDEN = ("\x1b", "\x07", "\u202e", "\u2066", "\x00")


def run_case(folder: Path, case: Case) -> Outcome:
    ws = Workspace.create(folder, items=3, seed=11)
    runs: List[CliRun] = []
    problems: List[str] = []
    with Server(**case.server) as server:
        extra = case.setup(ws, server) or {}
        before = _state_bytes(ws.state)
        try:
            args = extra.get("args") or [*case.command, str(ws.notes)]
            kwargs = {"url": extra.get("env", {}).get("PAGURE_URL", server.url), "token": extra.get("token", TOKEN),
                      "extra_env": extra.get("env")}
            for _ in range(case.runs):  # the second run shows nothing is filed twice and the state is unharmed
                runs.append(run_cli(ws, args, **kwargs))
        finally:
            if "cleanup" in extra:
                extra["cleanup"]()
        problems += _check(case, runs, ws, before)
        dups = sum(len(ids) - 1 for fp, ids in issues_by_fingerprint(server).items() if fp)
        if dups:
            problems.append(f"{dups} duplicate issue(s)")
        texts = [r.text() for r in runs] + server_texts(server)
    return Outcome(case, runs, problems, leaks(TOKEN, texts, ws.files()))


def _state_bytes(path: Path) -> Optional[bytes]:
    return path.read_bytes() if path.is_file() else None


def _check(case: Case, runs: List[CliRun], ws: Workspace, before: Optional[bytes]) -> List[str]:
    problems = []
    for index, run in enumerate(runs, 1):
        if run.code != case.exit:
            problems.append(f"run {index}: exit {run.code}, expected {case.exit}: {run.err.strip()[-300:]}")
        if "Traceback" in run.text() or "internal error" in run.err:
            problems.append(f"run {index}: traceback or internal error: {run.err.strip()[-300:]}")
        if index == 1 and case.fragment not in run.text():
            problems.append(f"run {index}: no {case.fragment!r} in the output: {run.text().strip()[-300:]}")
        if any(ch in run.text() for ch in _ECHO_FORBIDDEN):
            problems.append(f"run {index}: control or bidi characters echoed")
        if case.exit == 2 and len(run.err.strip().splitlines()) != 1:
            problems.append(f"run {index}: error is not one line: {run.err.strip()[-300:]}")
    if case.moved_aside:
        kept = [p for p in ws.state.parent.glob(ws.state.name + ".corrupt-*") if p.read_bytes() == before]
        if len(kept) != 1:
            problems.append(f"the broken state file was not kept aside: {sorted(p.name for p in ws.state.parent.iterdir())}")
    elif case.corrupt_state:
        if _state_bytes(ws.state) != before:
            problems.append("the broken state file was changed or replaced")
    elif ws.state.is_file() and integrity(ws.state) != "ok":
        problems.append(f"state integrity: {integrity(ws.state)}")
    return problems


def bad_input_suite(base: Path, *, workers: int = 2, cases: Optional[List[Case]] = None) -> SuiteResult:
    started = time.monotonic()
    chosen = cases if cases is not None else CASES
    with ThreadPoolExecutor(max_workers=workers) as pool:
        outcomes = list(pool.map(lambda pair: run_case(base / f"case{pair[0]}", pair[1]), enumerate(chosen)))
    areas: Dict[str, int] = {}
    for case in chosen:
        areas[case.area] = areas.get(case.area, 0) + 1
    result = SuiteResult("bad input", "hostile notes, config, environment, tracker answers, state", len(chosen))
    result.figures = {
        "cases": len(chosen),
        "by_area": areas,
        "runs": sum(len(o.runs) for o in outcomes),
        "exit_codes": dict(sorted(_count(o.runs[0].code for o in outcomes).items())),
        "tracebacks": sum(any("Traceback" in r.text() for r in o.runs) for o in outcomes),
        "failing_cases": sum(bool(o.problems) and not o.case.known_bug for o in outcomes),
        "known_bugs": [o.case.name for o in outcomes if o.case.known_bug and o.problems],
        "token_leaks": sum(len(o.leaked) for o in outcomes),
    }
    result.failures = [f"{o.case.name}: {'; '.join(o.problems)}" for o in outcomes if o.problems and not o.case.known_bug]
    result.failures += [f"{o.case.name}: passes now; drop known_bug" for o in outcomes if o.case.known_bug and not o.problems]
    result.failures += [f"{o.case.name}: token in {o.leaked}" for o in outcomes if o.leaked]
    result.seconds = time.monotonic() - started
    return result


def _count(values: Any) -> Dict[Any, int]:
    counts: Dict[Any, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts
