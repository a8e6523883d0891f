"""On the real Pagure of the lab kit: the tool's time to file N items against a bare loop of the same N POSTs.

A "tool" round runs ``python -m notes2tickets sync`` (a subprocess, as users run it, fresh state) on
notes with N new items (default 60), timed from start to exit: interpreter start, preflight, listing,
user lookup, the N creates and the marker re-checks between them. A "bare" round sends the very
same N ``new_issue`` forms (read back from what the tool filed) with ``requests``, one after
another, and nothing else. Each round times one of each, back to back (tool first, then bare first,
in turn), with the lab reset to zero issues (untimed) before each. The lab's own speed drifts a lot on a
shared machine (a bare loop took 12 to 21 s within minutes), so the figure is the median of the rounds'
own tool/bare ratios; the ratio of the medians and the spread are printed too.

The lab: ``$PAGURE_LAB`` (a lab folder to reuse; setup.sh is then a no-op) or a temporary folder
set up from nothing, stopped and removed at the end. The kit is ``$PAGURE_LAB_KIT`` (default
../shared/pagure-lab); without it the script says so and exits 0.

    python benchmarks/bench_real_pagure.py [--items 60] [--rounds 5]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.integration.lab import Lab, find_kit, kit_missing, list_issues  # noqa: E402


def notes_text(count: int) -> str:
    """Distinct items (hashed words, so no two look alike), each owned by a lab user."""
    lines = ["# Bench meeting 2026-11-02", "", "## Action items", ""]
    for n in range(count):
        a, b = hashlib.sha256(str(n).encode()).hexdigest()[:8], hashlib.sha256(str(-n).encode()).hexdigest()[:8]
        lines.append(f"- [ ] @davide to investigate the {a} regression in {b} tags: bench")
    return "\n".join(lines) + "\n"


def forms_of(issues: List[Dict[str, Any]]) -> List[Dict[str, str]]:
    """The new_issue forms that recreate these issues."""
    forms = []
    for issue in issues:
        form = {"title": issue["title"], "issue_content": issue["content"]}
        if issue["tags"]:
            form["tag"] = ",".join(issue["tags"])
        if issue["assignee"]:
            form["assignee"] = issue["assignee"]["name"]
        forms.append(form)
    return forms


def tool_round(lab: Lab, folder: Path, count: int) -> float:
    state = folder / f"state-{time.monotonic_ns()}.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAGURE_", "NOTES2TICKETS_"))}
    env.update(PAGURE_URL=lab.url, PAGURE_PROJECT=lab.project, PAGURE_API_TOKEN=lab.token,
               NOTES2TICKETS_STATE=str(state), HOME=str(folder))
    argv = [sys.executable, "-m", "notes2tickets", "sync", "notes.md"]
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=folder, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0 or not done.stdout.startswith(f"{count} filed"):
        raise SystemExit(f"bench_real_pagure: the tool round failed (exit {done.returncode}): {done.stderr[-500:]}")
    return elapsed


def bare_round(lab: Lab, forms: List[Dict[str, str]]) -> float:
    session = requests.Session()
    session.headers["Authorization"] = f"token {lab.token}"
    url = f"{lab.url}/api/0/{lab.project}/new_issue"
    start = time.perf_counter()
    for form in forms:
        resp = session.post(url, data=form, timeout=60)
        if resp.status_code != 200:
            raise SystemExit(f"bench_real_pagure: a bare POST failed: {resp.status_code} {resp.text[:200]}")
    return time.perf_counter() - start


def measure(lab: Lab, folder: Path, count: int, rounds: int) -> None:
    (folder / "notes.md").write_text(notes_text(count), encoding="utf-8")
    tool: List[float] = []
    bare: List[float] = []
    forms: List[Dict[str, str]] = []

    def timed_tool() -> None:
        lab.reset()
        tool.append(tool_round(lab, folder, count))
        filed = list_issues(lab.url, lab.project, lab.token)
        assert len(filed) == count, f"the tool filed {len(filed)} issues, not {count}"
        forms[:] = forms or forms_of(filed)

    def timed_bare() -> None:
        lab.reset()
        bare.append(bare_round(lab, forms))
        assert len(list_issues(lab.url, lab.project, lab.token)) == count

    timed_tool()  # the forms the bare loop sends are the tool's own: the first round must be the tool's
    timed_bare()
    print(f"round 1: tool {tool[-1]:.2f} s, bare {bare[-1]:.2f} s, ratio {tool[-1] / bare[-1]:.3f}", flush=True)
    for n in range(1, rounds):
        # Bare first every other round, so a lab that slows down (or speeds up) over the run favours neither side.
        for step in ((timed_bare, timed_tool) if n % 2 else (timed_tool, timed_bare)):
            step()
        print(f"round {n + 1}: tool {tool[-1]:.2f} s, bare {bare[-1]:.2f} s, ratio {tool[-1] / bare[-1]:.3f}", flush=True)
    t, b = statistics.median(tool), statistics.median(bare)
    ratios = [x / y for x, y in zip(tool, bare)]
    print(f"median over {rounds} rounds: tool {t:.2f} s ({t / count * 1000:.0f} ms/item), "
          f"bare {b:.2f} s ({b / count * 1000:.0f} ms/POST); ratio of medians {t / b:.3f}; "
          f"paired ratios {min(ratios):.3f}-{max(ratios):.3f}")
    print(f"ratio tool/bare for {count} items (median of the paired rounds): {statistics.median(ratios):.3f} (goal <= 1.10)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    kit = find_kit(os.environ)
    why = kit_missing(kit)
    if why:
        print(f"bench_real_pagure: {why}; nothing measured")
        return 0
    given = os.environ.get("PAGURE_LAB")
    folder = Path(given) if given else Path(tempfile.mkdtemp(prefix="pagure-lab-bench-"))
    print(f"bench_real_pagure: lab in {folder} ({'reused, from $PAGURE_LAB' if given else 'set up now, removed after'}), "
          f"kit {kit}", flush=True)
    lab = Lab(kit, folder, os.environ)
    work = Path(tempfile.mkdtemp(prefix="bench-real-pagure-"))
    try:
        start = time.perf_counter()
        lab.setup()
        print(f"setup.sh: {time.perf_counter() - start:.1f} s", flush=True)
        measure(lab, work, args.items, args.rounds)
    finally:
        try:
            lab.stop()
        finally:
            shutil.rmtree(work, ignore_errors=True)
            if not given:
                shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
