"""The docs stay true: every command has help and is in the README; CI runs the README's test command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from notes2tickets.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = ["parse", "sync", "check", "status", "state rebuild", "hook install", "hook uninstall", "hook run", "agenda", "annotate"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_is_documented(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`notes2tickets <command> --help` works and the README mentions the command."""
    with pytest.raises(SystemExit) as exit_info:
        main([*command.split(), "--help"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: notes2tickets {command}")
    assert f"notes2tickets {command}" in README or f"{command}" in README.split("## Usage", 1)[1]


@pytest.mark.parametrize("option", ["--dry-run", "--offline", "--project", "--url", "--state", "--include-done", "--force", "--format",
                                    "--changed-since", "--quiet", "--verbose", "--color", "NO_COLOR", '"version": 1'])
def test_sync_options_are_documented(option: str) -> None:
    """Every sync option appears in the README."""
    assert option in README


@pytest.mark.parametrize("variable", ["PAGURE_URL", "PAGURE_PROJECT", "PAGURE_API_TOKEN", "NOTES2TICKETS_STATE", "NOTES2TICKETS_HOOK"])
def test_environment_variables_are_documented(variable: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Every environment variable is in the README and in --help."""
    with pytest.raises(SystemExit):
        main(["--help"])
    assert variable in capsys.readouterr().out
    assert variable in README


def test_exit_codes_documented_in_help_and_readme(capsys: pytest.CaptureFixture[str]) -> None:
    """The exit code table is in --help and in the README."""
    with pytest.raises(SystemExit):
        main(["sync", "--help"])
    help_text = capsys.readouterr().out
    for code in ("0", "1", "2", "3", "130"):
        assert re.search(rf"^\s+{code}\s", help_text, re.MULTILINE)
        assert f"| {code} |" in README


def test_ci_runs_the_readme_test_commands() -> None:
    """.ci/run runs the README's unit-suite and integration-suite commands."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ".venv/bin/python -m pytest" in README
    assert 'python -m pytest -m "not integration"' in README and 'python -m pytest tests/integration' in README
    assert '"$venv/bin/python" -m pytest -q -p no:cacheprovider -m "not integration"' in ci
    assert '"$venv/bin/python" -m pytest -q -p no:cacheprovider tests/integration' in ci
