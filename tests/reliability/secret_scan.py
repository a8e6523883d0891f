"""Secrets suite: a canary token through every kind of run; it must appear nowhere.

The other suites already scan their output and files for ``harness.TOKEN`` (shaped like a Pagure
token, 64 of [A-Z0-9]). State scrubs that shape from stored errors, which could hide a leak, so
this suite uses a canary of another shape, and looks in: stdout and stderr of every run, every file
the runs leave (state, journal, lock, flag, quarantined copies), what the server received in
bodies and queries, and, in-process, the text, repr and formatted traceback of every error the
client raises, with their chained causes, plus the repr of the client and of the settings.
"""

from __future__ import annotations

import os
import signal
import time
import traceback
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

from notes2tickets.config import build_settings
from notes2tickets.errors import TrackerError
from notes2tickets.tracker.pagure import PagureClient
from tests.fakepagure import FAULT_KINDS, RandomFaults, TokenSpec
from tests.reliability.harness import (
    PROJECT,
    Canned,
    CliRun,
    Server,
    SuiteResult,
    Trap,
    Workspace,
    leaks,
    run_cli,
    server_texts,
)

CANARY = "canary-n2t-" + "d3adb33f" * 6  # not Pagure's shape: no scrubber can hide it by its looks
ITEMS = 20

Scenario = Callable[[Workspace, Server], List[CliRun]]


def _spec(**kwargs: object) -> Dict[str, TokenSpec]:
    return {CANARY: TokenSpec("bot", PROJECT, **kwargs)}  # type: ignore[arg-type]


def _run(ws: Workspace, server: Server, *args: str, token: Optional[str] = CANARY, **kwargs: object) -> CliRun:
    return run_cli(ws, list(args) or ["sync", str(ws.notes)], url=server.url, token=token, **kwargs)  # type: ignore[arg-type]


def _filed_twice(ws: Workspace, server: Server) -> List[CliRun]:
    return [_run(ws, server), _run(ws, server), _run(ws, server, "sync", "--dry-run", str(ws.notes)),
            _run(ws, server, "status"), _run(ws, server, "state", "rebuild")]


def _killed(ws: Workspace, server: Server) -> List[CliRun]:
    trap = Trap("created_no_reply", ITEMS // 2)
    server.trap = trap
    first = _run(ws, server, trap=trap)
    server.trap = None
    return [first, _run(ws, server)]


def _interrupted(ws: Workspace, server: Server) -> List[CliRun]:
    trap = Trap("after_reply", ITEMS // 2, sig=signal.SIGINT, delay=0.002)
    server.trap = trap
    first = _run(ws, server, trap=trap)
    server.trap = None
    return [first, _run(ws, server)]


def _faults(ws: Workspace, server: Server) -> List[CliRun]:
    ws.write_config({"project": PROJECT, "timeout": 0.4})
    server.slow_delay = 0.6
    server.set_faults(RandomFaults(0.2, seed=3, kinds=FAULT_KINDS))
    return [_run(ws, server), _run(ws, server)]


def _item_errors(ws: Workspace, server: Server) -> List[CliRun]:
    """Items fail with 500 pages: their error text goes into state."""
    server.canned[("POST", "/new_issue")] = Canned(500, "<h1>boom</h1>", "text/html", items_only=True)
    return [_run(ws, server), _run(ws, server, "status", "--format", "json")]


def _token_refused(**spec: object) -> Scenario:
    def scenario(ws: Workspace, server: Server) -> List[CliRun]:
        server.tokens.clear()
        server.tokens.update(_spec(**spec) if spec else {})
        return [_run(ws, server), _run(ws, server, "sync", "--dry-run", str(ws.notes))]
    return scenario


def _refused_settings(ws: Workspace, server: Server) -> List[CliRun]:
    """Settings that are refused before any request: the message names the setting, never the value."""
    return [
        run_cli(ws, ["sync", str(ws.notes)], url="http://pagure.example.org", token=CANARY),
        run_cli(ws, ["sync", str(ws.notes)], url=server.url, token=CANARY + " x"),
        run_cli(ws, ["sync", str(ws.notes)], url=server.url, token=CANARY, extra_env={"PAGURE_PROJECT": "a/b/c/d/e"}),
    ]


# Each scenario with the exit codes of its runs (None: any; the fault draw decides).
SCENARIOS: Dict[str, Tuple[Scenario, Optional[List[int]]]] = {
    "sync, re-run, dry run, status, rebuild": (_filed_twice, [0, 0, 0, 0, 0]),
    "SIGKILL mid-create, then re-run": (_killed, [-signal.SIGKILL, 0]),
    "SIGINT after a reply, then re-run": (_interrupted, [130, 0]),
    "20% faults, two runs": (_faults, None),
    "items failing with 500 (errors stored)": (_item_errors, [1, 0]),
    "unknown token": (_token_refused(), [2, 2]),
    "expired token": (_token_refused(expired=True), [2, 2]),
    "token without issue_create": (_token_refused(acls=("issue_comment",)), [2, 0]),
    "settings refused": (_refused_settings, [2, 2, 2]),
}


def run_scenario(folder: Path, name: str) -> Tuple[List[str], List[int]]:
    """Where the canary leaked in one scenario (empty: nowhere), and the exit codes of its runs."""
    ws = Workspace.create(folder, items=ITEMS, seed=len(name))
    with Server(tokens=_spec()) as server:
        runs = SCENARIOS[name][0](ws, server)
        texts = [r.text() for r in runs] + server_texts(server)
    return [f"{name}: {where}" for where in leaks(CANARY, texts, ws.files())], [r.code for r in runs]


# -- in-process: exceptions and reprs --------------------------------------------------------


def _error_texts(exc: BaseException) -> List[str]:
    texts = ["".join(traceback.format_exception(type(exc), exc, exc.__traceback__))]
    seen = exc
    for _ in range(10):  # the whole chain, suppressed context included: someone may log it
        texts += [str(seen), repr(seen), repr(getattr(seen, "args", ()))]
        nxt = seen.__cause__ or seen.__context__
        if nxt is None:
            break
        seen = nxt
    return texts


def in_process_texts(folder: Path) -> List[str]:
    """Texts of the errors and objects a bug could print: none may hold the canary."""
    texts: List[str] = []
    with Server(tokens={"someone-else": TokenSpec("bot", PROJECT)}, slow_delay=0.5) as server:
        client = PagureClient(url=server.url, project=PROJECT, token=CANARY, timeout=0.2, retries=0, sleep=lambda s: None)
        texts.append(repr(client))
        attempts: List[Callable[[], object]] = [
            client.preflight,  # 401: the server does not know the canary
            lambda: list(client.iter_issues()),
        ]
        server.tokens[CANARY] = TokenSpec("bot", PROJECT)
        server.canned[("POST", "/new_issue")] = Canned(500, "<h1>boom</h1>", "text/html", items_only=True)
        attempts.append(lambda: client.create_issue(title="T", content="C"))
        attempts.append(lambda: PagureClient(url="http://127.0.0.1:9", project=PROJECT, token=CANARY, retries=0).preflight())
        for attempt in attempts:
            try:
                attempt()
                texts.append("no error raised")
            except TrackerError as exc:
                texts += _error_texts(exc)
        server.canned.clear()
        server.set_faults(["slow"])
        try:
            client.create_issue(title="T", content="C")  # times out: an ambiguous failure
        except TrackerError as exc:
            texts += _error_texts(exc)
    settings = build_settings(flags={}, environ={"PAGURE_API_TOKEN": CANARY, "PAGURE_PROJECT": PROJECT}, root=folder)
    texts += [repr(settings), str(settings)]
    return texts


def secrets_suite(base: Path) -> SuiteResult:
    started = time.monotonic()
    result = SuiteResult("secrets", "a canary token in no output, file, request body, error or repr", len(SCENARIOS) + 1)
    found: List[str] = []
    for index, (name, (_, expected)) in enumerate(SCENARIOS.items()):
        leaked, codes = run_scenario(base / f"scenario{index}", name)
        found += leaked
        if expected is not None and codes != expected:
            result.failures.append(f"{name}: exit codes {codes}, expected {expected}")
    base.mkdir(parents=True, exist_ok=True)
    texts = in_process_texts(base)
    found += [f"in-process text #{i}" for i, text in enumerate(texts) if CANARY in text or CANARY[:16] in text]
    files = [p for p in base.rglob("*") if p.is_file()]
    result.figures = {
        "scenarios": len(SCENARIOS),
        "texts_checked_in_process": len(texts),
        "files_scanned": len(files),
        "bytes_scanned": sum(os.path.getsize(p) for p in files),
        "leaks": len(found),
    }
    result.failures += found
    result.seconds = time.monotonic() - started
    return result
