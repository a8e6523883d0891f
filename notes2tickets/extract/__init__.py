"""The extraction engine: notes files in, ActionItems out (pure, no network).

``parse_paths`` is what ``notes2tickets parse`` and the sync command call;
``extract_text`` is the pure core.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, NamedTuple, Sequence

from notes2tickets.errors import InputError
from notes2tickets.model import ActionItem, ExtractOptions, Meeting

from .dedup import merge_repeats
from .fingerprint import fingerprint, normalise_title
from .items import Candidate, build_items
from .markdown import scan_markdown
from .meeting import make_meeting, split_front_matter
from .meetbot import looks_like_meetbot, scan_meetbot
from .participants import Participants
from .plain import PlainText
from .positions import split_lines
from .reader import NOTE_SUFFIXES, find_notes, name_and_suffix, read_note
from .rst import is_rst, rst_to_markdown
from .wiki import wiki_mode, wiki_to_markdown

__all__ = [
    "ParseResult",
    "extract_file",
    "extract_text",
    "find_notes",
    "fingerprint",
    "normalise_title",
    "parse_paths",
    "suggest_text",
]

_DEFAULT_OPTIONS = ExtractOptions()
# Markdown whatever the content; other names (.txt, .log, none) are read as
# plain-text meetbot minutes when they look like them, else as Markdown.
_MARKDOWN_SUFFIXES = NOTE_SUFFIXES + (".mdown", ".mkd", ".mkdn", ".mdwn")


MAX_NESTING = 100
# A line opening more than MAX_NESTING lists/quotes, or indented past any
# sane list depth (4 columns a level). Blanks after a marker are left to the next
# level's leading blanks: one way to read a line, so a near miss fails in linear time
# (">[ \t]*" then "[ \t]*" tried every split of the blanks, exponential in the levels).
_DEEP_LINE = r"(?:[ \t]{%d}|(?:[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])[ \t])){%d})" % (4 * MAX_NESTING, MAX_NESTING + 1)
# The first line, then each line after a newline: a literal "\n" lets the regex engine skip ahead fast,
# where a MULTILINE "^" is tried at every character.
_TOO_DEEP_FIRST = re.compile(_DEEP_LINE)
_TOO_DEEP_LATER = re.compile("\n" + _DEEP_LINE)
# Every too-deep line starts with 101 characters of these at least: a far cheaper test that passes almost every file.
_MAYBE_TOO_DEEP = re.compile(r"\n[ \t>*+\-\d.)]{%d}" % (MAX_NESTING + 1))


class ParseResult(NamedTuple):
    """Items of every readable file; one error per unreadable file; notes that do not fail; files without items.

    ``suggestions`` are the unmarked commitments not among ``items`` (see ``suggest``).
    """

    items: list[ActionItem]
    errors: list[InputError]
    warnings: list[str]
    suggestions: tuple[ActionItem, ...] = ()
    empty: tuple[str, ...] = ()  # "<file>: why" for each file without items: callers summarise them


def extract_text(text: str, *, path: str, options: ExtractOptions = _DEFAULT_OPTIONS) -> list[ActionItem]:
    """Return the action items of one document, in document order (pure)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = split_lines(text)
    rst = is_rst(text, path)
    wiki = "" if rst else wiki_mode(text, path)
    if not rst and wiki != "wiki" and is_meetbot_text(text, path) and options.meetbot:
        scan = scan_meetbot(lines, options)
        meeting = make_meeting({}, scan.title, path)
        return _build(scan.candidates, lambda raw: PlainText(raw, (), False), path, meeting, options, text, by_section=False)
    _check_nesting(text, path)
    front, span = split_front_matter(lines)
    # Front matter lines become blank so every later line keeps its number.
    body = [""] * span + lines[span:]
    if rst:
        body = rst_to_markdown(body)
    elif wiki:
        body = wiki_to_markdown(body, wiki)
    try:
        markdown = scan_markdown(body, options)
    except RecursionError:
        raise InputError(f"{path}: nesting is too deep to parse; flatten the nested lists or quotes") from None
    meeting = make_meeting(front, markdown.h1, path)
    return _build(markdown.candidates, markdown.to_plain, path, meeting, options, text)


def _check_nesting(text: str, path: str) -> None:
    """Refuse absurd nesting up front: mistune's cost grows with depth (quadratic in 3.3)."""
    first = _TOO_DEEP_FIRST.match(text)
    if first is not None:
        deep: int | None = first.start()
    else:
        maybe = _MAYBE_TOO_DEEP.search(text)  # almost every file stops here
        deep = None if maybe is None else _later_line_start(_TOO_DEEP_LATER.search(text, maybe.start()))
    if deep is not None:
        line = text.count("\n", 0, deep) + 1
        raise InputError(
            f"{path}: line {line} nests lists or quotes more than {MAX_NESTING} levels deep; flatten them"
        )


def _later_line_start(match: re.Match[str] | None) -> int | None:
    return None if match is None else match.start() + 1  # the line begins after the newline


def is_meetbot_text(text: str, path: str) -> bool:
    """Plain-text minutes: a non-Markdown file name and meetbot-looking content."""
    suffix = name_and_suffix(path)[1]
    return suffix not in _MARKDOWN_SUFFIXES and looks_like_meetbot(text)


def _build(
    candidates: list[Candidate],
    to_plain: Callable[[str], PlainText],
    path: str,
    meeting: Meeting,
    options: ExtractOptions,
    text: str,
    *,
    by_section: bool = True,
) -> list[ActionItem]:
    people = Participants(text, tuple(name for candidate in candidates for name in candidate.owners))
    items: list[ActionItem] = []
    ranks: list[int] = []
    for candidate in candidates:
        plain = to_plain(candidate.raw)
        built = build_items(candidate, plain, path=path, meeting=meeting, options=options, participants=people)
        items.extend(built)
        ranks.extend([candidate.rank] * len(built))
    return merge_repeats(items, ranks, by_section=by_section)  # meetbot repeats each action in other sections


def extract_file(
    path: Path, *, options: ExtractOptions = _DEFAULT_OPTIONS, display_path: str | None = None
) -> list[ActionItem]:
    """Read one notes file and return its items; InputError when it cannot be read."""
    display = display_path if display_path is not None else str(path)
    text = read_note(path, max_bytes=options.max_file_bytes, display=display)
    return extract_text(text, path=display, options=options)


def suggest_text(text: str, *, path: str, options: ExtractOptions, items: Sequence[ActionItem]) -> list[ActionItem]:
    """The unmarked commitments of one document that are not among its explicit ``items`` (pure)."""
    if options.suggestions == "off":
        return []
    from .suggest import suggest_items  # only when asked for: a real sync run never imports it
    lines = split_lines(text[1:] if text.startswith("\ufeff") else text)
    front, span = split_front_matter(lines)
    meeting = items[0].meeting if items else make_meeting(front, None, path)

    people = Participants(text)

    def build(candidate: Candidate, plain: PlainText) -> list[ActionItem]:
        return build_items(candidate, plain, path=path, meeting=meeting, options=options, participants=people)

    return suggest_items([""] * span + lines[span:], path=path, options=options, build=build, items=items)


def parse_paths(
    paths: Sequence[str],
    *,
    options: ExtractOptions = _DEFAULT_OPTIONS,
    include_suggested: bool = False,
    list_suggestions: bool = True,
) -> ParseResult:
    """Extract from every file and directory; bad files are reported, the rest still processed.

    Suggestions go among the items (``suggested=True``) with ``include_suggested`` or
    ``suggestions = "file"``, else into ``ParseResult.suggestions`` (not even looked for
    when the caller does not ``list_suggestions``: a real sync run files none).
    """
    files, errors = find_notes(paths)
    items: list[ActionItem] = []
    suggestions: list[ActionItem] = []
    warnings: list[str] = []
    empty: list[str] = []
    include = include_suggested or options.suggestions == "file"
    wanted = include or list_suggestions
    for file in files:
        try:
            text = read_note(file, max_bytes=options.max_file_bytes, display=str(file))
            found = extract_text(text, path=str(file), options=options)
        except InputError as exc:
            errors.append(exc)
            continue
        fence = unclosed_fence(text)
        if fence is not None:
            warnings.append(f"{file}: line {fence} opens a code fence that is never closed, so nothing after it is read; close the fence")
        suggested = suggest_text(text, path=str(file), options=options, items=found) if wanted else []
        if not found and not (include and suggested):
            empty.append(f"{file}: {_why_empty(file)}")
        if include:
            items.extend(sorted(found + suggested, key=lambda item: item.line))
        else:
            items.extend(found)
            suggestions.extend(suggested)
    return ParseResult(items, errors, warnings, suggestions=tuple(suggestions), empty=tuple(empty))


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})([^\n]*)$", re.MULTILINE)


def unclosed_fence(text: str) -> int | None:
    """The line of a top-level code fence that is never closed (Markdown then reads the rest as code)."""
    if "```" not in text and "~~~" not in text:
        return None
    opened: tuple[str, int, int] | None = None
    for match in _FENCE.finditer(text):
        fence, rest = match.group(1), match.group(2)
        if opened is None:
            if not (fence[0] == "`" and "`" in rest):  # a backtick info string cannot hold backticks
                opened = (fence[0], len(fence), match.start())
        elif fence[0] == opened[0] and len(fence) >= opened[1] and not rest.strip():
            opened = None
    return None if opened is None else text.count("\n", 0, opened[2]) + 1


def _why_empty(file: Path) -> str:
    try:
        empty = file.stat().st_size == 0
    except OSError:
        empty = False
    return "empty file, no action items" if empty else "no action items found"
