"""`parse` and the config file with suggestions: shown apart by default, filed only when asked."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from notes2tickets.cli import main

NOTES = """# Docs SIG 2024-03-05

## Discussion
- Theme
    - Priya will open a PR with the new theme.

## Action items
- ACTION: bob to update the template
"""


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # outside git the current folder is the root: its config file is read


def _notes(tmp_path: Path, config: str = "") -> Path:
    if config:
        (tmp_path / ".notes2tickets.toml").write_text(config, encoding="utf-8")
    path = tmp_path / "sync.md"
    path.write_text(NOTES, encoding="utf-8")
    return path


def test_json_lists_suggestions_apart(tmp_path: Path) -> None:
    """`parse --format json`: explicit items under "items", the commitment under "suggestions"."""
    code, out, _ = _run("parse", "--format", "json", str(_notes(tmp_path)))
    data = json.loads(out)
    assert code == 0
    assert [(i["line"], i["suggested"]) for i in data["items"]] == [(8, False)]
    [suggestion] = data["suggestions"]
    assert (suggestion["line"], suggestion["assignees"], suggestion["title"], suggestion["suggested"]) == (
        5, ["Priya"], "Open a PR with the new theme", True)
    assert set(suggestion) == set(data["items"][0])  # same fields as items


def test_include_suggested_puts_them_among_the_items(tmp_path: Path) -> None:
    """`--include-suggested`: one list in document order, the suggestion marked."""
    _, out, _ = _run("parse", "--format", "json", "--include-suggested", str(_notes(tmp_path)))
    data = json.loads(out)
    assert [(i["line"], i["suggested"]) for i in data["items"]] == [(5, True), (8, False)]
    assert data["suggestions"] == []


def test_text_output_shows_them_in_their_own_block(tmp_path: Path) -> None:
    """The listing counts only explicit items; the block below teaches the convention."""
    path = _notes(tmp_path)
    _, out, _ = _run("parse", str(path))
    listing, block = out.split("\n\n")
    assert listing.endswith("1 action item")
    assert "Priya" not in listing
    assert block.splitlines()[0] == "not filed: add ACTION: to file (1 suggestion, or pass --include-suggested)"
    assert block.splitlines()[1].split() == [f"{path}:5", "Priya", "[", "]", "Open", "a", "PR", "with", "the", "new", "theme"]


def test_config_file_mode_files_them(tmp_path: Path) -> None:
    """[extract] suggestions = "file" acts as --include-suggested."""
    _, out, _ = _run("parse", "--format", "json", str(_notes(tmp_path, '[extract]\nsuggestions = "file"\n')))
    assert [i["suggested"] for i in json.loads(out)["items"]] == [True, False]


def test_config_off_mode_hides_them(tmp_path: Path) -> None:
    """[extract] suggestions = "off": none computed, none shown, even with --include-suggested."""
    path = _notes(tmp_path, '[extract]\nsuggestions = "off"\n')
    _, out, _ = _run("parse", "--format", "json", "--include-suggested", str(path))
    assert json.loads(out)["suggestions"] == [] and len(json.loads(out)["items"]) == 1
    assert "not filed" not in _run("parse", str(path))[1]


@pytest.mark.parametrize("value", ['"yes"', "true", '"File"'])
def test_config_bad_mode_names_the_key(tmp_path: Path, value: str) -> None:
    """Another value is a config error (exit 2) naming the key and the choices."""
    code, out, err = _run("parse", str(_notes(tmp_path, f"[extract]\nsuggestions = {value}\n")))
    assert code == 2 and out == ""
    assert "'extract.suggestions' must be \"show\", \"file\" or \"off\"" in err
    assert len(err.splitlines()) == 1


def test_file_with_only_suggestions(tmp_path: Path) -> None:
    """No explicit item: the note about the empty file stays, and the suggestions are still listed."""
    path = tmp_path / "only.md"
    path.write_text("# Sync\n\n- Priya will open a PR with the new theme\n", encoding="utf-8")
    code, out, err = _run("parse", str(path))
    assert code == 0
    assert err == f"note: 1 notes file has no action items: {path}: no action items found\n"
    assert out.startswith("no action items found\n\nnot filed: add ACTION: to file (1 suggestion")


def test_text_output_marks_included_suggestions(tmp_path: Path) -> None:
    """With --include-suggested the listing counts them and marks them; no separate block."""
    _, out, _ = _run("parse", "--include-suggested", str(_notes(tmp_path)))
    rows = out.splitlines()
    assert rows[0].endswith("Open a PR with the new theme  (suggested)")
    assert rows[-1] == "2 action items" and "not filed" not in out
