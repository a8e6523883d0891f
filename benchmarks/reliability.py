"""Run the reliability suites with the issue's local trial counts and print their figures.

The trial logic lives in ``tests/reliability/`` (shared with the CI tests, which run fewer trials).
``--write-docs`` regenerates ``docs/reliability.md`` from this run's figures.

    python benchmarks/reliability.py                    # crash 100, crash-faults 20, faults 20, concurrency 10, interrupt 40
    python benchmarks/reliability.py --trials 20        # every trial-based suite 20 times
    python benchmarks/reliability.py --suite crash --suite faults
    python benchmarks/reliability.py --write-docs
"""

from __future__ import annotations

import argparse
import datetime
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.reliability.bad_input_cases import bad_input_suite  # noqa: E402
from tests.reliability.crash_trials import crash_fault_suite, crash_suite  # noqa: E402
from tests.reliability.fault_trials import fault_suite  # noqa: E402
from tests.reliability.harness import SuiteResult  # noqa: E402
from tests.reliability.interrupt_trials import interrupt_suite  # noqa: E402
from tests.reliability.race_trials import concurrency_suite  # noqa: E402
from tests.reliability.secret_scan import secrets_suite  # noqa: E402

DEFAULT_TRIALS = {"crash": 100, "crash-faults": 20, "faults": 20, "concurrency": 10, "interrupt": 40}
READ_DELAYS = (0.0, 0.2)  # the concurrency race without and with a realistic listing latency
DOCS = ROOT / "docs" / "reliability.md"

Runner = Callable[[Path, Optional[int], int], SuiteResult]
SUITES: Dict[str, Runner] = {
    "crash": lambda base, n, w: crash_suite(base, trials=n or DEFAULT_TRIALS["crash"], workers=w),
    "crash-faults": lambda base, n, w: crash_fault_suite(base, trials=n or DEFAULT_TRIALS["crash-faults"], workers=w),
    "faults": lambda base, n, w: fault_suite(base, trials=n or DEFAULT_TRIALS["faults"], workers=w),
    "concurrency": lambda base, n, w: concurrency_suite(
        base, trials=n or DEFAULT_TRIALS["concurrency"], variant_trials=max(2, (n or DEFAULT_TRIALS["concurrency"]) // 2),
        read_delays=READ_DELAYS, clone_counts=(2, 3)),
    "bad-input": lambda base, n, w: bad_input_suite(base, workers=w),
    "interrupt": lambda base, n, w: interrupt_suite(base, trials=n or DEFAULT_TRIALS["interrupt"], workers=w),
    "secrets": lambda base, n, w: secrets_suite(base),
}


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, help=f"trials per trial-based suite (default {DEFAULT_TRIALS})")
    parser.add_argument("--suite", action="append", choices=sorted(SUITES), help="run only this suite (repeatable)")
    parser.add_argument("--workers", type=int, default=2, help="trials run side by side (default 2)")
    parser.add_argument("--write-docs", action="store_true", help=f"regenerate {DOCS.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    chosen = args.suite or list(SUITES)
    results: List[SuiteResult] = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="n2t-reliability-") as scratch:
        for name in chosen:
            result = SUITES[name](Path(scratch) / name, args.trials, args.workers)
            results.append(result)
            print(result.line(), flush=True)
            for failure in result.failures:
                print(f"  FAIL {failure}", flush=True)
    total = time.monotonic() - started
    print(f"total: {total:.0f}s; {'all passed' if all(r.passed for r in results) else 'FAILURES'}")
    if args.write_docs:
        DOCS.parent.mkdir(exist_ok=True)
        DOCS.write_text(render(results, total=total, argv=sys.argv[1:] if argv is None else argv), encoding="utf-8")
        print(f"wrote {DOCS}")
    return 0 if all(r.passed for r in results) else 1


def _figures(result: SuiteResult) -> str:
    parts = []
    for key, value in result.figures.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items())
            parts.append(f"{key} ({value})")
        else:
            parts.append(f"{key} = {value}")
    return "; ".join(parts).replace("|", "\\|")


def render(results: List[SuiteResult], *, total: float, argv: List[str]) -> str:
    """The whole of docs/reliability.md: what is promised, how it is tested, this run's figures."""
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    rows = "\n".join(
        f"| {r.name} | {r.checked} | {r.trials} | {_figures(r)} | {'pass' if r.passed else 'FAIL'} |" for r in results
    )
    command = " ".join(["python benchmarks/reliability.py", *argv])
    return TEMPLATE.format(
        rows=rows, when=when, command=command, total=f"{total:.0f}",
        python=platform.python_version(), system=f"{platform.system()} {platform.machine()}",
    )


TEMPLATE = """\
# Reliability: what is guaranteed, and how it is tested

The promise: run `notes2tickets sync` as often as you like, anywhere, and every action item becomes
exactly one ticket. This page is generated by `{command}` (the figures below come from that run,
{when}, Python {python}, {system}, {total} s). The same trial code runs in CI with fewer trials:
`python -m pytest tests/reliability`.

Every run is the real CLI (`python -m notes2tickets`) in a subprocess, against the stand-in Pagure
server of `tests/fakepagure.py` on 127.0.0.1, which reproduces the real server's traps
(`../shared/pagure-api.md`). A trial counts, afterwards, the issues on the server per marker
(duplicates, lost items) and checks that the state file maps every item to the issue carrying its
marker and passes `PRAGMA integrity_check`.

| Suite | What is checked | Trials | Figures | Result |
| --- | --- | --- | --- | --- |
{rows}

## How each suite works

- **crash**: a sync of 50 items is killed with SIGKILL in one of four windows, in turn: at a random
  moment (timer); after the server committed issue *k* but before it answered (`created_no_reply`);
  a few milliseconds after the answer, between the POST and the state update (`after_reply`); and
  with the create request dropped after the `pending` row was written (`post_lost`). Half the
  trials kill the recovery run too. Then `sync` runs until it exits 0. `windows_hit` says where the
  killed runs actually stopped, read from the state file (its journal rolled back on a copy, as the
  next run does: a sync groups its `filed` rows into few commits, so most kills land inside a
  transaction) and from the server afterwards:
  `created_not_recorded` (the issue exists, state says pending: the dangerous window),
  `pending_not_created`, `between_items`, `before_state`, `mid_state_write` (a state file still
  unreadable once its journal is rolled back),
  or `finished` (the timer fired too late). The items' titles differ only in a number ("Task number 1
  about subsystem r7", "Task number 10 …"), so a re-run that took the tool's own tickets for
  near-duplicates would lose items (the code before issue 10 did: in 3 of 5 crash-faults trials 16–19 of the 20 items were never filed).
- **crash-faults**: the same kills at random moments (timer), half the trials killing the recovery run
  too, on 20 such look-alike items while 10% of all requests fail (the kinds of the fault suite); then
  `sync` runs until it exits 0, faults still on, and the server and state are counted once they stop.
- **faults**: 20% of all requests (reads, the preflight, creates) fail at random, evenly among
  500, 502, 503 and 429 (both with `Retry-After: 1`), a connection reset, an answer slower than the
  client timeout (set to 0.4 s in `.notes2tickets.toml`), and "created, then 500" / "created, then
  reset". Goal: every item filed exactly once within two runs. Titles differ only in a number, as in
  the crash suites.
- **concurrency**: two syncs of the same 50 items at the same moment on one state file (the second
  waits for the lock; with `lock_timeout = 0.3` it exits 2 with one line); two clones with their own
  state one after the other (the second adopts all 50 by marker, no create); and two clones at the
  same moment (two and three of them), where the server is slowed down (`create_delay` 0.05 s before
  the insert, and a listing delay of 0 or 0.2 s after its snapshot) so they overlap as on a real tracker.
- **bad input**: hostile notes (binary, not UTF-8, UTF-16, empty, over 10 MiB, 600-deep lists,
  5000-deep quotes, an unterminated fence, NUL, terminal escapes, RTL overrides, a 100,000-character
  item, an item over 4 MiB that the tracker refuses with 413, CRLF, repeats, a symlink loop, a FIFO and
  `/dev/zero` as the notes file, terminal escapes and bidi characters in file names),
  config (syntax, types, unknown keys, a project with `..` or spaces, a token in the file, ranges,
  encoding, a `link_template` with an unknown field or a stray brace, the token as an alias value), environment (no token, a token with a space, malformed URLs, plain http to a remote
  host, credentials in the URL, nothing listening, a non-UTF-8 `.env`, the `.env` token pasted into the
  project), tracker answers (a tracker that hangs, trickles a byte every 0.3 s or never ends, HTML or
  truncated JSON where JSON was expected, JSON of the wrong shape, every 401/403/404 variant, a
  redirect, a 200 without an issue) and state (garbage, truncated, mangled pages, another
  program's database, a newer schema, a folder, read-only folder or file, a held lock, a hot
  journal, WAL mode). Each case runs twice; each run must give the documented exit code, no
  traceback, the expected one-line message, no control or bidi character echoed, no issue filed
  twice, and a state file that passes `PRAGMA integrity_check`, or, when it was broken on purpose,
  is left byte for byte as it was with a message pointing at `notes2tickets state rebuild`
  (which keeps it, renamed `.corrupt-<time>`).
- **interrupt**: SIGINT (Ctrl-C) in the same windows as the crash suite: the run exits 130 with the
  line `interrupted: the item in flight (if any) is reconciled on the next run`, and the next run
  exits 0 with nothing filed twice. No traceback may appear, not even an "Exception ignored" from
  a half-read HTTP response. A SIGINT that lands after Python has left notes2tickets' code (while
  the interpreter shuts down) ends the process by the signal itself (`signal_death`): the shell
  reports 130 for that too, and it counts as exit 130.
- **secrets**: every suite above uses a token shaped like Pagure's and scans for it; this suite
  uses a canary of another shape (so no scrubber can hide it by its looks) through normal runs,
  kills, Ctrl-C, faults, failing items (whose errors are stored in state), refused tokens and
  refused settings, and looks in stdout, stderr, every file left behind (state, journal, lock,
  flag, quarantined copies), the request bodies and queries the server received, and, in-process,
  the text, repr and formatted traceback (with chained causes) of every client error, and the repr
  of the client and of the settings.

## The one window that stays open: two clones at the same moment

Pagure has no conditional create and no search by content, so two machines filing the same item at
the same moment can both miss each other's issue. But it numbers a project's issues in sequence and
lists them by creation, so which copy came first is provable, and notes2tickets uses that:

- a create answered with the next id proves nobody else filed anything since the last look; any
  other id makes the run look at once (this is also what keeps filing as fast as a bare POST loop);
- each run files its first item at random, then the rest in the notes' order, so two runs started
  together rarely begin with the same item;
- when the look after a gap shows issues carrying the run's markers that it did not file, the run
  whose first issue has the lowest id goes on and every other one follows: it files nothing, adopts
  what the first files, and takes over only when that one has filed nothing for twice `settle_time`;
- when a create loses Pagure's id race (`400 EDBERROR`) the run looks for the item's marker before
  sending it again, because the winner may be the other machine filing this very item;
- a run whose own issue is the later of two carrying one marker closes it as `Duplicate` with a
  comment linking the first (or, when the token lacks `issue_change_status`, names it for closing);
  its state points at the first copy.

The `race_dup_rate` figures count every issue beyond the first carrying one marker, closed or not
(`left open` counts those still open), for two and three clones started at the same moment, and
compare the shipped client with variants that have these safeguards patched out one after the
other, side by side in one run: `no_follow` keeps filing beside the other sync; `in_order` also
starts with the plan's first item, as every clone does; `no_recheck` also never looks again before
a create (only the plan-time listing). The server is slowed down as described above (`create_delay`
0.05 s, listing delay 0 or 0.2 s). Syncing from one place at a time (CI, a hook on one machine, or one
shared state file) has no such window: its lock makes the second run wait.

## Limits

- A Ctrl-C in the interpreter's first ~20 ms, before any notes2tickets code runs, gets Python's
  own `KeyboardInterrupt` traceback (exit 1); nothing has been read or written by then.
- The stand-in server is not Pagure: timings are scaled down (creates take 0.05 s here, ~0.2 s on
  the lab server), so the race figures are a shape, not a pagure.io prediction.
"""


if __name__ == "__main__":
    sys.exit(main())
