"""Extraction accuracy on the development corpus of real meeting notes (``../shared/devset``).

Runs the corpus's own scorer (``score.py``, as a subprocess) over ``notes2tickets parse --format json``
of this checkout and prints three figures: all open items, explicitly marked items only, and
suggestions (the recall of the unmarked commitments, ``"explicit": false`` in the labels, among the
items ``parse --include-suggested`` returns with ``"suggested": true``).

The corpus is looked for in ``$NOTES2TICKETS_DEVSET``, else ``../shared/devset`` next to the repository;
without it the script says so and exits 0.

Run: ``python benchmarks/bench_accuracy.py [-v]``
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_PARSE = [sys.executable, "-m", "notes2tickets", "parse", "--format", "json"]
_UNMARKED = re.compile(r"on unmarked commitments: (\S+) \((\d+)/(\d+)\)")


def devset_dir() -> Path:
    env = os.environ.get("NOTES2TICKETS_DEVSET")
    return Path(env) if env else ROOT.parent / "shared" / "devset"


def score(devset: Path, command: list[str], *extra: str, verbose: bool = False) -> str:
    """The scorer's report for ``command`` (``{file}`` appended), last lines unless ``verbose``."""
    template = " ".join(shlex.quote(part) for part in command) + " {file}"
    args = [sys.executable, str(devset / "score.py"), "--cmd", template, *extra] + (["-v"] if verbose else [])
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"error: the scorer failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return done.stdout if verbose else "\n".join(done.stdout.rstrip("\n").split("\n")[-3:])


def has_suggestions() -> bool:
    """True when ``parse`` knows ``--include-suggested``."""
    done = subprocess.run(_PARSE[:4] + ["--help"], cwd=ROOT, capture_output=True, text=True, check=False)
    return "--include-suggested" in done.stdout


def suggested_only(path: str) -> int:
    """Print the items ``parse --include-suggested`` marks suggested (a command for the scorer)."""
    done = subprocess.run(_PARSE + ["--include-suggested", path], capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        sys.stderr.write(done.stderr)
        return done.returncode
    items = json.loads(done.stdout or '{"items": []}').get("items", [])
    print(json.dumps({"items": [item for item in items if item.get("suggested")]}))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="also list matched, extra and missed items")
    parser.add_argument("--suggested-only", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.suggested_only:
        return suggested_only(args.suggested_only)
    devset = devset_dir()
    if not (devset / "score.py").is_file():
        print(f"development corpus not found at {devset} (set NOTES2TICKETS_DEVSET): nothing measured")
        return 0
    print(f"corpus: {devset}")
    print("all open items:\n" + score(devset, _PARSE, verbose=args.verbose))
    print("explicitly marked items only:\n" + score(devset, _PARSE, "--explicit-only", verbose=args.verbose))
    if not has_suggestions():
        print("suggestions: not available (parse has no --include-suggested)")
        return 0
    report = score(devset, [sys.executable, str(Path(__file__).resolve()), "--suggested-only"])
    unmarked = _UNMARKED.search(report)
    found = f"{unmarked.group(1)} ({unmarked.group(2)}/{unmarked.group(3)})" if unmarked else "n/a"
    print(f"suggestions: recall of unmarked commitments {found}\n{report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
