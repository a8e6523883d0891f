"""How long ``git commit`` of a notes file takes when the tracker hangs, crawls or trickles.

In a temporary repository with the post-commit hook installed, commit a notes file with two
action items against the stand-in tracker on 127.0.0.1 in each mode, and print the wall time
of the commit (the spec: under 3 s whatever the tracker does), then how long until both items
are filed (the detached worker), when they are.

    python benchmarks/bench_hook_budget.py [--code DIR]

``--code DIR`` runs the hook with another checkout's package first on PYTHONPATH (for a
before/after comparison; the hook script itself is the one that checkout's installer writes).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fakepagure import DEFAULT_PROJECT, DEFAULT_TOKEN, FakePagure, RandomFaults  # noqa: E402
from tests.slowserver import SlowServer  # noqa: E402

NOTES = "# Meeting\n\n## Action items\n- [ ] Write the hook documentation\n- [ ] Package the kernel for c9s\n"
LIMIT = 40.0  # a stand-in connection gives up after this: a commit that takes as long "never ends"


def _git(repo: Path, env: Dict[str, str], *args: str) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=False)


def _repo(base: Path, name: str, env: Dict[str, str], code: Optional[str]) -> Path:
    repo = base / name
    repo.mkdir()
    for args in (["init", "-q", "-b", "main"], ["config", "commit.gpgsign", "false"]):
        _git(repo, env, *args)
    (repo / ".notes2tickets.toml").write_text("timeout = 10\n")
    (repo / "README").write_text("x\n")
    _git(repo, env, "add", "-A")
    _git(repo, env, "commit", "-q", "-m", "root")
    subprocess.run([sys.executable, "-m", "notes2tickets", "hook", "install"], cwd=repo, env=env, check=True,
                   capture_output=True)
    return repo


def _measure(base: Path, name: str, url: str, code: Optional[str], filed: Callable[[], int]) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "NOTES2TICKETS_", "PAGURE_"))}
    env.update(HOME=str(base), GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="B", GIT_AUTHOR_EMAIL="b@example.invalid",
               GIT_COMMITTER_NAME="B", GIT_COMMITTER_EMAIL="b@example.invalid", PAGURE_URL=url,
               PAGURE_PROJECT=DEFAULT_PROJECT, PAGURE_API_TOKEN=DEFAULT_TOKEN)
    if code:
        env["PYTHONPATH"] = code
    repo = _repo(base, name, env, code)
    (repo / "notes").mkdir()
    (repo / "notes" / "weekly.md").write_text(NOTES)
    _git(repo, env, "add", "-A")
    start = time.monotonic()
    _git(repo, env, "commit", "-q", "-m", "notes")
    took = time.monotonic() - start
    while filed() < 2 and time.monotonic() - start < LIMIT:
        time.sleep(0.1)
    done = f"both filed after {time.monotonic() - start:.1f}s" if filed() >= 2 else f"{filed()} filed within {LIMIT:.0f}s"
    return f"{name:<22} commit {took:6.2f}s   {done}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", help="a checkout whose notes2tickets the hook imports")
    code = parser.parse_args().code
    with tempfile.TemporaryDirectory(prefix="n2t-budget-") as tmp:
        base = Path(tmp)
        modes: Dict[str, Any] = {"2 s per request": 2.0, "answers after 30 s": 30.0}
        for name, delay in modes.items():
            with FakePagure(slow_delay=delay) as fake:
                fake.set_faults(RandomFaults(1.0, seed=1, kinds=("slow",)))
                print(_measure(base, name.replace(" ", "-"), fake.url, code, lambda: len(fake.issues())))
        for mode in ("hang", "trickle"):
            with SlowServer(mode, interval=0.5, limit=LIMIT) as slow:
                print(_measure(base, f"{mode}-forever", slow.url, code, lambda: 0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
