"""The integration suite: the real CLI against a real Pagure 5.13.2 from the lab kit.

Every test here is marked ``integration`` (``python -m pytest -m "not integration"`` runs the unit
suite alone). The kit is found at ``$PAGURE_LAB_KIT`` (default ``../shared/pagure-lab`` next to the
repository); without it every test is skipped with one reason, unless
``NOTES2TICKETS_REQUIRE_LAB=1`` (CI), which turns the skip into a failure. The lab is set up in
``$PAGURE_LAB`` (default: a fresh temporary folder, removed afterwards), started once, reset to
zero issues before each test that needs it, and stopped at the end, also on a failure, Ctrl-C or
SIGTERM.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, Iterator, List, Mapping, NamedTuple, Optional

import pytest

from tests.integration.lab import Lab, find_kit, kit_missing, list_issues

HERE = Path(__file__).resolve().parent
_KIT = find_kit(os.environ)
_WHY_NOT = kit_missing(_KIT)
_REQUIRED = os.environ.get("NOTES2TICKETS_REQUIRE_LAB") == "1"
_SKIP_REASON = f"integration suite needs the Pagure lab kit: {_WHY_NOT}"


def pytest_collection_modifyitems(config: pytest.Config, items: List[pytest.Item]) -> None:
    """Mark every test of this folder ``integration``; without the kit, skip them all for one reason."""
    for item in items:
        if HERE in item.path.resolve().parents:
            item.add_marker(pytest.mark.integration)
            if _WHY_NOT and not _REQUIRED:
                item.add_marker(pytest.mark.skip(reason=_SKIP_REASON))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Report those skips from this file, so ``-ra`` folds them into one line instead of one per test file."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if _WHY_NOT and report.skipped and isinstance(report.longrepr, tuple) and report.longrepr[2].endswith(_SKIP_REASON):
        report.longrepr = (__file__, None, report.longrepr[2])


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


@pytest.fixture(scope="session")
def lab_session() -> Iterator[Lab]:
    """The lab, set up and started once per session; stopped (and a temporary folder removed) at the end."""
    if _WHY_NOT:
        pytest.fail(f"NOTES2TICKETS_REQUIRE_LAB=1 but {_WHY_NOT}", pytrace=False)
    given = os.environ.get("PAGURE_LAB")
    folder = Path(given) if given else Path(tempfile.mkdtemp(prefix="pagure-lab-"))
    lab = Lab(_KIT, folder, os.environ)
    # A CI timeout sends SIGTERM: turn it into the KeyboardInterrupt that runs the teardown below.
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        lab.setup()
        lab.reset()  # a reused $PAGURE_LAB may hold issues from earlier runs
        yield lab
    finally:
        try:
            lab.stop()
        finally:
            signal.signal(signal.SIGTERM, previous)
            if not given:
                shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def lab(lab_session: Lab) -> Lab:
    """The running lab with zero issues (reset first unless nothing was POSTed since the last reset)."""
    lab_session.ensure_pristine()
    return lab_session


# -- reading Pagure back -----------------------------------------------------------------------


def pagure_issues(lab: Lab, project: Optional[str] = None) -> List[Dict[str, Any]]:
    """What Pagure now holds for ``project`` (default the lab's), private issues included."""
    project = project or lab.project
    return list_issues(lab.url, project, lab.token_of(project))


# -- running the CLI -------------------------------------------------------------------------


class Result(NamedTuple):
    code: int
    out: str
    err: str


class Cli:
    """``python -m notes2tickets`` as a user runs it: in a notes folder, configured by environment only."""

    def __init__(self, lab: Lab, root: Path) -> None:
        self.lab = lab
        self.root = root
        self.state = root.parent / f"{root.name}-state" / "state.sqlite3"
        self.env: Dict[str, str] = {
            "PAGURE_URL": lab.url, "PAGURE_PROJECT": lab.project, "PAGURE_API_TOKEN": lab.token,
            "NOTES2TICKETS_STATE": str(self.state),
        }

    def environ(self, extra: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
        # os.environ is already confined to a temporary HOME by the suite-wide autouse fixture.
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PAGURE_", "NOTES2TICKETS_"))}
        env.update(self.env)
        env.update(extra or {})
        return env

    def __call__(self, *args: str, extra: Optional[Mapping[str, str]] = None, cwd: Optional[Path] = None) -> Result:
        argv = [sys.executable, "-m", "notes2tickets", *args]
        done = subprocess.run(argv, cwd=cwd or self.root, env=self.environ(extra), capture_output=True, text=True,
                              timeout=180, stdin=subprocess.DEVNULL, check=False)
        return Result(done.returncode, done.stdout, done.stderr)

    def write(self, name: str, text: str) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def items(self, name: str) -> List[Dict[str, Any]]:
        """The items ``parse --format json`` finds in a notes file (titles, fingerprints, ...)."""
        result = self("parse", name, "--format", "json")
        assert result.code == 0, result.err
        items: List[Dict[str, Any]] = json.loads(result.out)["items"]
        return items


@pytest.fixture
def cli(lab: Lab, tmp_path: Path) -> Cli:
    """The CLI, pointed at the lab (sig project, its token), in an empty notes folder with its own state."""
    root = tmp_path / "notes"
    root.mkdir()
    return Cli(lab, root)
