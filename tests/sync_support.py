"""Helpers for the end-to-end ``sync`` tests: a recording stand-in server and a CLI runner.

The CLI runs as a subprocess (``python -m notes2tickets``) against ``FakePagure`` serving
in this process, so the tests see exactly what a user sees: exit code, stdout, stderr,
the requests the server got and the files left on disk.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Mapping, NamedTuple, Optional
from urllib.parse import parse_qs

import pytest

from tests.fakepagure import DEFAULT_PROJECT, DEFAULT_TOKEN, FakePagure, _api_error

NEW_ISSUE = "/new_issue"
ISSUES = f"/api/0/{DEFAULT_PROJECT}/issues"

# Six items, one per rule: filed assigned, filed unassigned (unknown user), done, tracked,
# private with a priority label and a milestone, invalid priority and milestone.
NOTES = """\
---
title: SIG meeting
date: 2022-11-02
---

# SIG meeting

## Action items

- [ ] @davide to update the kernel docs tags: docs, kernel
- [ ] @ghostuser to rebuild the cloud images
- [x] @neal to publish the container images
- [ ] @neal to follow up on the KIWI pipeline (#83)
- [ ] @neal to test Btrfs compression priority: high milestone: 2022-Q4 (private)
- [ ] @anita to review the journald limits priority: urgent milestone: 2099-Q1
"""
NEW_TITLES = (
    "Update the kernel docs",
    "Rebuild the cloud images",
    "Test Btrfs compression",
    "Review the journald limits",
)


class RecordingPagure(FakePagure):
    """FakePagure that keeps the raw form of every non-empty ``new_issue`` and can lose create races."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.raw_creates: List[Dict[str, List[str]]] = []
        self.races_to_lose = 0

    def dispatch(self, method: str, path: str, query: Dict[str, List[str]], headers: Any, body: bytes) -> Any:
        if method == "POST" and path.endswith(NEW_ISSUE) and body:
            with self._lock:
                self.raw_creates.append(parse_qs(body.decode("utf-8"), keep_blank_values=True))
                if self.races_to_lose:
                    # What the loser of two concurrent creates gets: nothing is created.
                    self.races_to_lose -= 1
                    return _api_error(400, "EDBERROR")
        return super().dispatch(method, path, query, headers, body)

    def creates(self) -> int:
        """POSTs of a real (non-empty) issue form; the empty preflight form is not one."""
        return sum(1 for r in self.log if r.method == "POST" and r.path.endswith(NEW_ISSUE) and r.form.get("title"))

    def titles(self) -> List[str]:
        return [issue["title"] for issue in self.issues()]


class Result(NamedTuple):
    code: int
    out: str
    err: str


class SyncEnv:
    """A notes folder (the cwd), a state path and the environment the CLI gets."""

    def __init__(self, fake: RecordingPagure, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.fake = fake
        self.root = root
        self.monkeypatch = monkeypatch
        self.in_process = False  # True: ``run`` calls cli.main here instead of starting a process
        self.state = root / "state.db"
        self.token: Optional[str] = DEFAULT_TOKEN
        self.project = DEFAULT_PROJECT
        self.url = fake.url

    def write(self, name: str, text: str = NOTES) -> Path:
        path = self.root / name
        path.write_text(text, encoding="utf-8")
        return path

    def config(self, text: str) -> None:
        (self.root / ".notes2tickets.toml").write_text(text, encoding="utf-8")

    def environ(self, extra: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("PAGURE_API_TOKEN", "PAGURE_URL", "PAGURE_PROJECT")}
        env.update(PAGURE_URL=self.url, PAGURE_PROJECT=self.project, NOTES2TICKETS_STATE=str(self.state))
        if self.token is not None:
            env["PAGURE_API_TOKEN"] = self.token
        env.update(extra or {})
        return env

    def run(self, *args: str, command: str = "sync", extra: Optional[Mapping[str, str]] = None) -> Result:
        """``notes2tickets <command> ARGS`` as a subprocess in the notes folder (or in-process, see ``in_process``)."""
        if self.in_process:
            return self.main(*args, command=command, extra=extra)
        argv = [sys.executable, "-m", "notes2tickets", *command.split(), *args]
        done = subprocess.run(argv, cwd=self.root, env=self.environ(extra), capture_output=True, text=True, timeout=60)
        return Result(done.returncode, done.stdout, done.stderr)

    def main(self, *args: str, command: str = "sync", extra: Optional[Mapping[str, str]] = None) -> Result:
        """The same, in-process through ``cli.main`` (faster; for tests that need no process boundary)."""
        from notes2tickets import cli

        with self.monkeypatch.context() as patch:
            for key in ("PAGURE_API_TOKEN", "PAGURE_URL", "PAGURE_PROJECT"):
                patch.delenv(key, raising=False)
            for key, value in self.environ(extra).items():
                patch.setenv(key, value)
            patch.chdir(self.root)
            out, err = io.StringIO(), io.StringIO()
            code = cli.main([*command.split(), *args], stdout=out, stderr=err)
        return Result(code, out.getvalue(), err.getvalue())

    def files(self) -> List[str]:
        """Every path under the notes folder, relative, sorted."""
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*"))


@pytest.fixture
def env(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A started RecordingPagure and a SyncEnv whose notes folder holds ``notes.md`` (subprocess runs)."""
    with RecordingPagure() as fake:
        sync_env = SyncEnv(fake, tmp_path, monkeypatch)
        sync_env.in_process = getattr(request, "param", "subprocess") == "in-process"
        sync_env.write("notes.md")
        yield sync_env


# Decorate a test with this to run the CLI through cli.main in this process: the same code
# path minus the interpreter start, for tests where the process boundary proves nothing more.
IN_PROCESS = pytest.mark.parametrize("env", ["in-process"], indirect=True)
