"""What the post-commit hook adds to a commit that touches no notes file.

In a temporary repository with the hook installed and one without it, time
many commits that change only a source file, interleaved with a bare
``python -c pass`` of the interpreter the hook would call, and print medians.
The last line is the ratio: (hook commit - plain commit) / bare interpreter
start. Goal <= 0.5 (the script never starts Python then), never above 1.5.

    python benchmarks/bench_hook.py [--rounds 300]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from notes2tickets.config import Settings  # noqa: E402
from notes2tickets.hooks import commands as hooks  # noqa: E402


def _env(home: Path) -> dict[str, str]:
    """Git isolated from the user's config and hooks."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "NOTES2TICKETS_", "PAGURE_"))}
    env.update(
        HOME=str(home),
        GIT_CONFIG_GLOBAL=str(home / ".gitconfig"),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Bench",
        GIT_AUTHOR_EMAIL="bench@example.invalid",
        GIT_COMMITTER_NAME="Bench",
        GIT_COMMITTER_EMAIL="bench@example.invalid",
    )
    return env


def _repo(path: Path, env: dict[str, str]) -> Path:
    path.mkdir()
    for args in (["init", "-q", "-b", "main"], ["config", "commit.gpgsign", "false"]):
        subprocess.run(["git", *args], cwd=path, env=env, check=True)
    (path / "meetups").mkdir()
    (path / "meetups" / "notes.md").write_text("- [ ] An item\n")
    (path / "src.txt").write_text("0\n")
    subprocess.run(["git", "add", "-A"], cwd=path, env=env, check=True)
    subprocess.run(["git", "commit", "-q", "-m", "root", "--no-verify"], cwd=path, env=env, check=True)
    return path


def _committer(repo: Path, env: dict[str, str]) -> Callable[[int], None]:
    def commit(i: int) -> None:
        (repo / "src.txt").write_text(f"{i + 1}\n")
        subprocess.run(["git", "commit", "-q", "-a", "-m", f"c{i}"], cwd=repo, env=env, check=True)

    return commit


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory(prefix="n2t-bench-") as tmp:
        base = Path(tmp)
        (base / "home").mkdir()
        env = _env(base / "home")
        hooked, plain = _repo(base / "hooked", env), _repo(base / "plain", env)
        print(hooks.install(settings=Settings(root=hooked), hook_type="post-commit", dry_run=False, force=False))
        script = hooked / ".git" / "hooks" / "post-commit"
        actions: dict[str, Callable[[int], object]] = {
            "commit with hook": _committer(hooked, env),
            "commit without hook": _committer(plain, env),
            "python -c pass": lambda i: subprocess.run([sys.executable, "-c", "pass"], env=env, check=True),
            "hook script alone": lambda i: subprocess.run([str(script)], cwd=hooked, env=env, check=True),
        }
        times: dict[str, list[float]] = {name: [] for name in actions}
        names = list(actions)
        for i in range(rounds):
            for name in names[i % len(names):] + names[: i % len(names)]:  # rotate: no fixed order bias
                times[name].append(_timed(lambda: actions[name](i)))
    print(f"{rounds} rounds, interleaved; git {_git_version()}; {sys.executable} {sys.version.split()[0]}")
    for name, values in times.items():
        print(f"  {name:20s} median {statistics.median(values):7.2f} ms   mean {statistics.fmean(values):7.2f} ms")
    overhead = statistics.median(times["commit with hook"]) - statistics.median(times["commit without hook"])
    bare = statistics.median(times["python -c pass"])
    print(f"hook overhead per commit (median difference): {overhead:.2f} ms; bare interpreter start: {bare:.2f} ms")
    print(f"hook script run alone / bare interpreter start: {statistics.median(times['hook script alone']) / bare:.2f}")
    print(f"ratio (hook overhead / python -c pass): {overhead / bare:.2f}")
    return 0


def _git_version() -> str:
    return subprocess.run(["git", "--version"], capture_output=True, text=True, check=True).stdout.split()[-1]


if __name__ == "__main__":
    raise SystemExit(main())
