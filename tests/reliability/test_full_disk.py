"""A full disk under the state file, for real: a 256 KiB tmpfs (root only; skipped where it cannot be mounted).

The disk fills part-way through 25 creates (another file takes the last free byte once the server has
received 6 of them): the run prints what was filed and exits 1 (it used to exit 2, "nothing was
filed", after filing 16-22 of 25). With room again, the next run files the rest; the issues whose
``filed`` rows were lost with the failed commit are adopted by their markers, not filed twice.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest

from tests.reliability.test_defects import many_items

FILL_AFTER = 6  # creates received before the disk fills


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "fs"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(mount: Path, leave: int) -> Path:
    filler = mount / "filler"
    stats = os.statvfs(mount)
    filler.write_bytes(b"\0" * max(0, stats.f_bavail * stats.f_frsize - leave))
    return filler


def test_full_disk_mid_run_reports_what_was_filed(small_disk: Path, tmp_path: Path) -> None:
    """ENOSPC part-way: exit 1, the summary and a one-line error; freed, the next run files the rest once."""
    from tests.fakepagure import DEFAULT_PROJECT, DEFAULT_TOKEN, FakePagure

    work = tmp_path / "notes"
    work.mkdir()
    (work / "first.md").write_text(many_items(1, first=25))
    (work / "meeting.md").write_text(many_items(25))
    with FakePagure(create_delay=0.15) as fake:  # 25 creates take ~4 s: several commit groups
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PAGURE_", "NOTES2TICKETS_"))}
        env.update(PAGURE_URL=fake.url, PAGURE_PROJECT=DEFAULT_PROJECT, PAGURE_API_TOKEN=DEFAULT_TOKEN,
                   NOTES2TICKETS_STATE=str(small_disk / "state.sqlite3"))
        argv = [sys.executable, "-m", "notes2tickets", "sync"]

        def sync(name: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run([*argv, name], cwd=work, env=env, capture_output=True, text=True, timeout=120, check=False)

        assert sync("first.md").returncode == 0
        run = subprocess.Popen([*argv, "meeting.md"], cwd=work, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while len(fake.issues()) < 1 + FILL_AFTER and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        filler = _fill(small_disk, 0)
        stdout, stderr = run.communicate(timeout=120)
        full = subprocess.CompletedProcess(run.args, run.returncode, stdout, stderr)
        filed = int(full.stdout.split()[0])
        assert full.returncode == 1, full.stderr
        assert 0 < filed < 25 and full.stdout.strip().endswith(f"stopped: {25 - filed} not filed yet"), full.stdout
        error = [line for line in full.stderr.splitlines() if line.startswith("error:")]
        assert len(error) == 1 and "database or disk is full" in error[0] and "Traceback" not in full.stderr
        filler.unlink()
        again = sync("meeting.md")
        assert again.returncode == 0, again.stderr
        titles = [issue["title"] for issue in fake.issues()]
        assert len(titles) == 26 and len(set(titles)) == 26
