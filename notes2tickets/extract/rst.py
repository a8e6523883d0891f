"""reStructuredText notes read as Markdown, line for line.

Fedora blogs (and Sphinx-kept minutes) post meeting summaries as
reStructuredText: underlined headings, ``#.`` auto-numbered lists, directives
and link targets. Each line is rewritten into its Markdown equivalent in
place, so every item keeps its line number, and the Markdown reader does the
rest.
"""

from __future__ import annotations

import re

from .reader import name_and_suffix

RST_SUFFIXES = (".rst", ".rest")
_ADORNMENT = re.compile(r"^([=\-`:'\"~^_*+#<>.])\1{2,}[ \t]*$")
_MARKDOWN_ADORNMENT = "=-"  # setext underlines: no sign of reStructuredText by themselves
_ENUMERATOR = re.compile(r"^(?P<indent>[ \t]*)(?:#\.|#\)|\(#\)|\((?P<number>\d{1,9})\))(?=[ \t])")
_EXPLICIT = re.compile(r"^\.\.(?:[ \t]|$)")  # directive, comment, link target, substitution
_FIELD = re.compile(r"^:[\w -]+:(?:[ \t]|$)")
_SIGNS = re.compile(
    r"^\.\. (?:_[^:]+:|[\w-]+::)|^[ \t]*(?:#\.|\(#\))[ \t]|`[^`<]+<[^>]+>`__?|^:(?:date|author|tags|category|slug):",
    re.MULTILINE,
)
_LINK = re.compile(r"`([^`<]+?)\s*<([^>`]+)>`__?")
_REFERENCE = re.compile(r"`([^`<]+)`__?(?!\w)")
_LITERAL = re.compile(r"``([^`]+)``")
_ENOUGH_SIGNS = 2



def is_rst(text: str, path: str) -> bool:
    """A ``.rst`` file, or a file showing reStructuredText constructs no Markdown uses."""
    if name_and_suffix(path)[1] in RST_SUFFIXES:
        return True
    if not text.startswith((".. ", ":")) and not _has_hint(text):
        return False  # cheap: most Markdown has none of these
    signs = len(_SIGNS.findall(text, 0, 200_000))
    if signs >= _ENOUGH_SIGNS:
        return True
    return signs == 1 and _rst_underline(text.split("\n", 200)[:200])


def _has_hint(text: str) -> bool:
    """Cheap: most Markdown has none of these."""
    return "\n.. " in text or "#." in text or "(#)" in text or "`_" in text or "\n:" in text


def _rst_underline(lines: list[str]) -> bool:
    """A heading underlined with a character Markdown does not underline with (``####``, ``~~~~``)."""
    for index in range(1, len(lines)):
        match = _ADORNMENT.match(lines[index])
        if match and match.group(1) not in _MARKDOWN_ADORNMENT and _is_title(lines[index - 1], lines[index]):
            return True
    return False


def rst_to_markdown(lines: list[str]) -> list[str]:
    """The same number of lines, each rewritten as Markdown."""
    out = list(lines)
    levels: list[tuple[str, bool]] = []
    index = 0
    skip_indented = False
    while index < len(out):
        row = out[index]
        if skip_indented and (not row.strip() or row[:1] in " \t"):
            out[index] = ""  # body of a directive or comment
            index += 1
            continue
        skip_indented = False
        if _EXPLICIT.match(row):
            out[index], skip_indented = "", True
        elif index + 1 < len(out) and _is_title(row, out[index + 1]):
            over = index > 0 and _ADORNMENT.match(out[index - 1]) is not None and out[index - 1][0] == out[index + 1][0]
            style = (out[index + 1][0], over)
            if style not in levels:
                levels.append(style)
            if over:
                out[index - 1] = ""
            out[index] = "#" * min(6, levels.index(style) + 1) + " " + row.strip()
            out[index + 1] = ""
            index += 1
        elif _FIELD.match(row):
            out[index] = ""  # docinfo fields (:date:, :author:) are no content
        else:
            out[index] = _inline(_enumerator(row))
        index += 1
    return out


def _is_title(row: str, below: str) -> bool:
    text = row.strip()
    match = _ADORNMENT.match(below)
    return (
        bool(text) and match is not None and row[:1] not in " \t" and _ADORNMENT.match(row) is None
        and len(below.rstrip()) >= min(len(text), 3) and not text.startswith(("* ", "- ", "+ "))
    )


def _enumerator(row: str) -> str:
    match = _ENUMERATOR.match(row)
    if match is None:
        return row
    number = match.group("number") or "1"
    marker = number + "."
    # Keep the text in its column: "#. x" is as wide as "1. x".
    return match.group("indent") + marker + row[match.end():]


def _inline(row: str) -> str:
    if "`" not in row:
        return row
    row = _LINK.sub(r"[\1](\2)", row)
    row = _LITERAL.sub(r"`\1`", row)
    return _REFERENCE.sub(r"\1", row)
