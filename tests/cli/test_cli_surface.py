"""The command line behaves like the tools people like: usage and a hint, no abbreviations, -q/-v, help with examples."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from notes2tickets.cli import main

NOTES = "# M\n\n## Action items\n\n- [ ] @davide to update the docs\n"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_bare_command_prints_usage_and_a_hint() -> None:
    """`notes2tickets` alone: usage, what to try next, exit 2."""
    code, out, err = run()
    assert code == 2 and out == ""
    assert err.startswith("usage: notes2tickets")
    assert "try 'notes2tickets sync --dry-run'" in err


def test_abbreviated_options_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    """--dry is not taken for --dry-run."""
    with pytest.raises(SystemExit) as exit_info:
        main(["sync", "--dry"])
    assert exit_info.value.code == 2
    assert "unrecognized arguments: --dry" in capsys.readouterr().err


def test_hook_run_is_hidden_but_works(capsys: pytest.CaptureFixture[str]) -> None:
    """`hook --help` lists install and uninstall, not the internal run; `hook run --help` still answers."""
    with pytest.raises(SystemExit):
        main(["hook", "--help"])
    listing = capsys.readouterr().out
    assert "install" in listing and "uninstall" in listing and "    run" not in listing
    with pytest.raises(SystemExit) as exit_info:
        main(["hook", "run", "--help"])
    assert exit_info.value.code == 0


@pytest.mark.parametrize("command", ["parse", "sync", "check", "status", "state rebuild", "hook install", "hook uninstall"])
def test_every_command_has_a_description_and_an_example(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Each subcommand's help says what it does and shows one example."""
    with pytest.raises(SystemExit):
        main([*command.split(), "--help"])
    text = capsys.readouterr().out
    assert "example:\n  notes2tickets " in text
    assert text.split("\n\n")[1].strip()  # the description paragraph


def test_files_without_items_make_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many notes files without items: one summary line; -v names each; -q says nothing."""
    monkeypatch.chdir(tmp_path)
    for n in range(5):
        (tmp_path / f"old{n}.md").write_text("# Old meeting\n\nNothing to do.\n", encoding="utf-8")
    (tmp_path / "new.md").write_text(NOTES, encoding="utf-8")
    code, out, err = run("sync", ".", "--offline")
    assert code == 0
    assert err == "note: 5 notes files have no action items: -v lists them\n"
    _, _, loud = run("sync", ".", "--offline", "-v")
    assert len([line for line in loud.splitlines() if "no action items found" in line]) == 5
    _, quiet_out, quiet = run("-q", "sync", ".", "--offline")
    assert quiet == ""
    assert "dry run:" not in quiet_out and "Update the docs" in quiet_out
    _, json_out, _ = run("sync", ".", "--offline", "--format", "json")
    assert len(json.loads(json_out)["warnings"]) == 5


def test_unknown_config_key_suggests_the_close_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A misspelt key names the key it probably meant (exit 2)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".notes2tickets.toml").write_text('projet = "a/b"\n[extract]\nmarker = true\n', encoding="utf-8")
    code, _, err = run("sync", "--offline")
    assert code == 2
    assert "unknown key 'projet': did you mean 'project'?" in err


def test_dotenv_problem_is_a_warning_naming_the_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A .env line python-dotenv cannot parse: `warning: .env line N: …`, nothing from python-dotenv's own logger."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "n.md").write_text(NOTES, encoding="utf-8")
    (tmp_path / ".env").write_text("PAGURE_PROJECT=a/b\nthis is 'not valid\n", encoding="utf-8")
    code, _, err = run("sync", "n.md", "--offline")
    assert code == 0
    lines = err.splitlines()
    assert lines[0].startswith("warning: .env line 2: cannot parse this line, so it is ignored")
    assert not any("python-dotenv" in line for line in lines)


@pytest.mark.parametrize("glob, words", [
    ("/meetups/*.md", "is not relative"),
    ("../other/*.md", "leaves the repository"),
    (":(icase)*.md", "is a git pathspec with magic"),
])
def test_bad_notes_glob_is_a_config_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, glob: str, words: str) -> None:
    """A glob that cannot name files under the root is a config error naming the key (exit 2), not a crash."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".notes2tickets.toml").write_text(f"notes = [{json.dumps(glob)}]\n", encoding="utf-8")
    code, _, err = run("sync", "--offline")
    assert code == 2
    assert f"'notes' entry {glob!r} {words}" in err
    assert "internal error" not in err


def _depth(text: str) -> int:
    depth = deepest = 0
    for ch in text:
        depth += ch == "("
        deepest = max(deepest, depth)
        depth -= ch == ")" and depth > 0
    return deepest


@pytest.mark.parametrize("argv, env", [
    (["sync", "n.md", "--dry-run"], {"PAGURE_PROJECT": "a/b"}),
    (["sync", "n.md", "--dry-run"], {}),
    (["sync", "n.md", "--offline"], {"PAGURE_PROJECT": "a/b"}),
    (["sync", "n.md"], {"PAGURE_PROJECT": "a/b"}),
    (["check", "n.md"], {}),
    (["check", "n.md"], {"PAGURE_PROJECT": "a/b", "PAGURE_URL": "http://127.0.0.1:9"}),
])
def test_no_message_nests_parentheses_three_deep(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list, env: dict) -> None:
    """What the common runs print never opens a third parenthesis inside two others."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NOTES2TICKETS_STATE", str(tmp_path / "state.db"))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    (tmp_path / "n.md").write_text(NOTES, encoding="utf-8")
    _, out, err = run(*argv)
    assert out + err
    assert [line for line in (out + err).splitlines() if _depth(line) >= 3] == []
