"""Bad input: one-line messages naming the file, no traceback, other files still processed."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from notes2tickets.errors import EXIT_FAILED, InputError
from notes2tickets.extract import extract_file, extract_text, find_notes, parse_paths
from notes2tickets.extract.reader import read_note
from notes2tickets.model import ExtractOptions


def _good(tmp_path: Path) -> Path:
    path = tmp_path / "good.md"
    path.write_text("- [ ] a real task\n", encoding="utf-8")
    return path


def _messages(errors: list[InputError]) -> list[str]:
    return [str(error) for error in errors]


def test_missing_path_and_other_files_still_processed(tmp_path: Path) -> None:
    """A missing path is an error naming it; the good file still gives its item."""
    good = _good(tmp_path)
    result = parse_paths([str(tmp_path / "nope.md"), str(good)])
    assert _messages(result.errors) == [f"{tmp_path / 'nope.md'}: no such file or directory; check the path"]
    assert [i.title for i in result.items] == ["A real task"]
    assert result.errors[0].exit_code == EXIT_FAILED


def test_directory_without_notes(tmp_path: Path) -> None:
    """A directory with no *.md/*.markdown files is an error."""
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "readme.txt").write_text("x", encoding="utf-8")
    files, errors = find_notes([str(tmp_path / "empty")])
    assert (files, _messages(errors)) == (
        [], [f"{tmp_path / 'empty'}: directory has no notes (*.md, *.markdown); name the files explicitly"])


def test_directory_expansion_sorted_recursive(tmp_path: Path) -> None:
    """Directories give *.md and *.markdown recursively and sorted; explicit files keep any extension."""
    (tmp_path / "b").mkdir()
    for name in ("b/z.md", "a.markdown", "c.txt", "b/a.MD"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    files, errors = find_notes([str(tmp_path), str(tmp_path / "c.txt"), str(tmp_path / "a.markdown")])
    assert errors == []
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["a.markdown", "b/a.MD", "b/z.md", "c.txt"]


def test_empty_file_is_a_warning(tmp_path: Path) -> None:
    """An empty file is not an error; the run says it had no items."""
    (tmp_path / "empty.md").write_bytes(b"")
    result = parse_paths([str(tmp_path / "empty.md")])
    assert (result.items, result.errors, result.warnings, result.empty) == (
        [], [], [], (f"{tmp_path / 'empty.md'}: empty file, no action items",))


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("photo.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks like a binary file (NUL bytes), not text notes"),
        ("latin.md", "# Réunion\n\n- [ ] café\n".encode("latin-1"),
         "not valid UTF-8 (line 1, byte offset 3); save the file as UTF-8"),  # the line of the first bad byte
    ],
)
def test_binary_and_non_utf8_files_are_refused_by_name(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    """A binary file, or Latin-1 text, is one error naming the file."""
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        extract_file(path, display_path=name)
    assert str(caught.value) == f"{name}: {message}"


def test_utf16_file(tmp_path: Path) -> None:
    """UTF-16 (with its BOM) is named as such."""
    path = tmp_path / "wide.md"
    path.write_bytes("- [ ] x\n".encode("utf-16"))
    with pytest.raises(InputError, match=r"^wide\.md: file is UTF-16; save it as UTF-8$"):
        extract_file(path, display_path="wide.md")


def test_utf8_bom_is_fine(tmp_path: Path) -> None:
    """A UTF-8 BOM is accepted and does not shift lines."""
    path = tmp_path / "bom.md"
    path.write_bytes(b"\xef\xbb\xbf# T\n\n- [ ] x y\n")
    assert [(i.line, i.title) for i in extract_file(path)] == [(3, "X y")]


def test_fifty_megabyte_file(tmp_path: Path) -> None:
    """A 50 MB file is refused before it is read, with the size and the limit."""
    path = tmp_path / "huge.md"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    good = _good(tmp_path)
    result = parse_paths([str(path), str(good)])
    assert _messages(result.errors) == [
        f"{path}: file is too large (50.0 MiB, limit 10.0 MiB); split it or raise max_file_bytes"]
    assert len(result.items) == 1


def test_file_size_limit_is_an_option(tmp_path: Path) -> None:
    """max_file_bytes lowers or raises the limit."""
    good = _good(tmp_path)
    with pytest.raises(InputError, match="too large"):
        extract_file(good, options=ExtractOptions(max_file_bytes=5))


def test_ten_thousand_deep_nested_list(tmp_path: Path) -> None:
    """10,000 nested list levels are refused quickly with the file and line; other files still count."""
    path = tmp_path / "deep.md"
    path.write_text("# Deep\n\n" + "- " * 10_000 + "[ ] deepest\n", encoding="utf-8")
    indented = tmp_path / "indented.md"
    indented.write_text("".join("  " * depth + "- [ ] level\n" for depth in range(1_000)), encoding="utf-8")
    started = time.monotonic()
    result = parse_paths([str(path), str(indented), str(_good(tmp_path))])
    assert time.monotonic() - started < 10
    assert _messages(result.errors) == [
        f"{path}: line 3 nests lists or quotes more than 100 levels deep; flatten them",
        f"{indented}: line 201 nests lists or quotes more than 100 levels deep; flatten them",
    ]
    assert [i.title for i in result.items] == ["A real task"]


def test_ten_thousand_deep_quotes() -> None:
    """10,000 nested quotes are refused the same way."""
    with pytest.raises(InputError, match=r"^q\.md: line 1 nests lists or quotes more than 100 levels deep"):
        extract_text(">" * 10_000 + " - [ ] x\n", path="q.md")


def test_spaced_markers_after_an_indent_are_checked_quickly() -> None:
    """Quote markers with blanks between them, after an indent, are counted in linear time (no backtracking)."""
    started = time.monotonic()
    assert extract_text(" " * 50 + "> " * 40 + "TODO: near the limit\n", path="q.md") == []  # quoted: no item
    with pytest.raises(InputError, match=r"^q\.md: line 2 nests lists or quotes more than 100 levels deep"):
        extract_text("x\n" + " " * 50 + ">  - " * 60 + "x\n", path="q.md")
    assert time.monotonic() - started < 10


def test_fifty_levels_parse_with_exact_lines() -> None:
    """Deep but sane nesting (50 levels) parses; every task reports its own line (mistune caps depth)."""
    text = "".join("  " * depth + f"- TODO: level {depth}\n" for depth in range(50))
    items = extract_text(text, path="n.md")
    assert [(i.line, i.title) for i in items][:3] == [(1, "Level 0"), (2, "Level 1"), (3, "Level 2")]
    assert all(1 <= i.line <= 50 for i in items)


def test_recursion_error_becomes_input_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """If the parser still recurses too deep (older mistune), the file gets a one-line error."""
    from notes2tickets.extract import markdown

    def explode(lines: list[str], options: ExtractOptions) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("notes2tickets.extract.scan_markdown", explode)
    assert markdown.scan_markdown is not explode
    with pytest.raises(InputError) as caught:
        extract_text("- [ ] x\n", path="deep.md")
    assert str(caught.value) == "deep.md: nesting is too deep to parse; flatten the nested lists or quotes"


def test_recursion_error_does_not_stop_other_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A RecursionError in one file is reported and the next file is still processed."""
    import notes2tickets.extract as extract

    real = extract.scan_markdown

    def sometimes(lines: list[str], options: ExtractOptions):  # type: ignore[no-untyped-def]
        if lines[0] == "deep":
            raise RecursionError
        return real(lines, options)

    monkeypatch.setattr(extract, "scan_markdown", sometimes)
    (tmp_path / "a.md").write_text("deep\n", encoding="utf-8")
    good = _good(tmp_path)
    result = parse_paths([str(tmp_path / "a.md"), str(good)])
    assert (len(result.errors), [i.title for i in result.items]) == (1, ["A real task"])


def test_unterminated_fence(tmp_path: Path) -> None:
    """An unterminated fence hides everything after it, without error."""
    text = "- [ ] before\n\n```\n- [ ] inside\nACTION: inside too\n"
    assert [(i.line, i.title) for i in extract_text(text, path="f.md")] == [(1, "Before")]


def test_unreadable_directory_given_as_file(tmp_path: Path) -> None:
    """extract_file on a directory raises a one-line InputError."""
    with pytest.raises(InputError) as caught:
        extract_file(tmp_path, display_path="notes")
    assert "\n" not in str(caught.value) and str(caught.value).startswith("notes: ")


def test_unterminated_fence_is_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    """An unclosed code fence warns with its line; items before it are still found."""
    from notes2tickets.extract import parse_paths

    notes = tmp_path / "notes.md"
    notes.write_text("# M\n\n- [ ] Before the fence\n\n```sh\nmake\n- [ ] swallowed\n")
    closed = tmp_path / "closed.md"
    closed.write_text("# M\n\n````\n```\n````\n\n- [ ] After a closed fence\n")
    result = parse_paths([str(notes), str(closed)])
    assert [i.title for i in result.items] == ["Before the fence", "After a closed fence"]
    assert result.warnings == [
        f"{notes}: line 5 opens a code fence that is never closed, so nothing after it is read; close the fence"
    ]
    assert result.errors == []


@pytest.mark.parametrize("size", [0, 1, 4095, 65536, 200_000])
def test_read_note_reads_whole_files(tmp_path: Path, size: int) -> None:
    """A file is read whole, whatever its size."""
    path = tmp_path / "n.md"
    text = ("x" * 99 + "\n") * (size // 100) + "y" * (size % 100)
    path.write_text(text, encoding="utf-8")
    assert read_note(path, max_bytes=1 << 20, display="n.md") == text


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs Linux /proc")
def test_read_note_reads_files_that_report_no_size() -> None:
    """A regular file whose size says 0 (procfs) is read to its end all the same."""
    assert os.stat("/proc/self/status").st_size == 0
    assert "Name:" in read_note(Path("/proc/self/status"), max_bytes=1 << 20, display="status")


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs Linux /proc")
def test_read_note_refuses_more_than_the_limit_whatever_the_size_says() -> None:
    """More bytes than the limit are refused, even from a file that reports a smaller size."""
    with pytest.raises(InputError, match=r"^status: file is too large"):
        read_note(Path("/proc/self/status"), max_bytes=10, display="status")
