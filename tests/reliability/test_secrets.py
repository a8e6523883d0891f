"""Secrets suite: the API token appears in no output, file, request body, error text or repr."""

from __future__ import annotations

from pathlib import Path

from tests.reliability.harness import leaks
from tests.reliability.secret_scan import CANARY, SCENARIOS, secrets_suite


def test_secrets_suite(tmp_path: Path) -> None:
    """Every scenario runs as expected and the canary token is found nowhere."""
    result = secrets_suite(tmp_path)
    print(result.line())
    assert result.failures == []
    assert result.figures["scenarios"] == len(SCENARIOS)
    assert result.figures["leaks"] == 0
    assert result.figures["files_scanned"] >= 2 * len(SCENARIOS)  # notes, config, state files at least


def test_leak_scan_finds_a_planted_token(tmp_path: Path) -> None:
    """The scanner is not blind: a token (or its first 16 characters) in a text or a file is reported."""
    planted = tmp_path / "state.sqlite3"
    planted.write_bytes(b"\x00binary " + CANARY[:16].encode() + b" more")
    clean = tmp_path / "clean.txt"
    clean.write_text("nothing here", encoding="utf-8")
    assert leaks(CANARY, ["ok", f"error: token {CANARY}"], [planted, clean]) == ["text#1", str(planted)]
