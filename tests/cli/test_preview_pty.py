"""The dry-run preview as a person sees it: in a real pseudo-terminal at 80 and 100 columns."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path
from typing import Dict, Optional

import pytest

from notes2tickets.sync.table import width

ANSI = re.compile(r"\x1b\[[0-9;]*m")
NOTES = """\
# Meeting

## Action items

- [ ] @davide to write a very long action item title that goes on and on about the kernel documentation tags
- [ ] @neal to 翻訳する the release notes into Japanese 日本語のドキュメント for the community 🎉🎉
- [x] @anita to publish the container images, already done in the meeting itself
"""


def run_in_pty(cwd: Path, columns: int, env: Optional[Dict[str, str]] = None, *args: str) -> str:
    """Run the dry run with stdout and stderr on a pseudo-terminal ``columns`` wide; return what it showed."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    environ = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR", "TERM")}
    environ.update({"TERM": "xterm-256color", **(env or {})})
    proc = subprocess.Popen(
        [sys.executable, "-m", "notes2tickets", "sync", "notes.md", "--dry-run", "--offline", *args],
        cwd=cwd, stdin=slave, stdout=slave, stderr=slave, env=environ,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=60) == 0
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


@pytest.fixture
def notes_dir(tmp_path: Path) -> Path:
    (tmp_path / "notes.md").write_text(NOTES, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("columns", [80, 100])
def test_preview_fits_the_terminal(notes_dir: Path, columns: int) -> None:
    """Every table line fits the terminal's width by display width (CJK and emoji count two), titles end in "…"."""
    shown = ANSI.sub("", run_in_pty(notes_dir, columns))
    lines = shown.split("\n\n")[0].splitlines()
    assert lines[0].split() == ["DECISION", "WHERE", "OWNER", "TITLE", "REASON"]
    assert len(lines) >= 4
    assert max(width(line) for line in lines) <= columns
    assert any("…" in line for line in lines[1:4])
    assert "notes.md:5" in shown  # relative path, as given


@pytest.mark.parametrize("columns", [80, 100])
def test_preview_columns_line_up_with_wide_characters(notes_dir: Path, columns: int) -> None:
    """The REASON column starts at the same display column on every row, CJK title or not."""
    lines = ANSI.sub("", run_in_pty(notes_dir, columns)).splitlines()
    header = lines[0]
    start = width(header[: header.index("REASON")])
    rows = [line for line in lines[1:4] if line.startswith(("new", "skipped"))]
    assert len(rows) == 3
    for row in rows:
        cells = re.split(r"\s{2,}", row)
        reason = cells[-1]
        assert width(row[: row.rindex(reason)]) == start, row


def test_colour_on_a_terminal_only(notes_dir: Path, tmp_path: Path) -> None:
    """Colour on a terminal; none with NO_COLOR, TERM=dumb or --color never; none through a pipe unless --color always."""
    assert "\x1b[32mnew" in run_in_pty(notes_dir, 100)
    assert "\x1b[" not in run_in_pty(notes_dir, 100, {"NO_COLOR": "1"})
    assert "\x1b[" not in run_in_pty(notes_dir, 100, {"TERM": "dumb"})
    assert "\x1b[" not in run_in_pty(notes_dir, 100, None, "--color", "never")
    piped = subprocess.run(
        [sys.executable, "-m", "notes2tickets", "sync", "notes.md", "--dry-run", "--offline"],
        cwd=notes_dir, capture_output=True, text=True, timeout=60,
    )
    assert piped.returncode == 0 and "\x1b[" not in piped.stdout
    forced = subprocess.run(
        [sys.executable, "-m", "notes2tickets", "sync", "notes.md", "--dry-run", "--offline", "--color", "always"],
        cwd=notes_dir, capture_output=True, text=True, timeout=60,
    )
    assert "\x1b[32mnew" in forced.stdout


def test_pipe_without_columns_is_not_cut(notes_dir: Path) -> None:
    """Through a pipe with no COLUMNS nothing is shortened: scripts get whole titles."""
    piped = subprocess.run(
        [sys.executable, "-m", "notes2tickets", "sync", "notes.md", "--dry-run", "--offline"],
        cwd=notes_dir, capture_output=True, text=True, timeout=60,
        env={k: v for k, v in os.environ.items() if k != "COLUMNS"},
    )
    assert "goes on and on about the kernel documentation tags" in piped.stdout
