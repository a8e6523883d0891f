"""Source lines and recovering the line where each mistune block starts.

mistune 3 gives tokens no positions. Blocks come out in document order and
every paragraph, heading and code block keeps its source text with only the
container prefix (indentation, ``>``, list marker) removed. So a cursor that
walks forward through the source lines finds each block's first line: the
line must *end* with the block's first text line and everything before it
must be container markup. Blocks that are never extracted (code, HTML,
quotes) are located too, so the cursor moves past them and cannot match
their text later.
"""

from __future__ import annotations

import re
from functools import lru_cache

# What may stand before a block's text on its first line: indentation,
# block-quote markers and list markers (possibly several, "> - 1. text").
_CONTAINER_PREFIX = re.compile(r"[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])(?:[ \t>]+|$))*[ \t>]*")
_ATX_PREFIX = re.compile(r"[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t>]+)*#{1,6}(?:[ \t]|$)")
# How far ahead a block is looked for before giving up (keeps a miss linear).
_WINDOW = 2000
_BACK = 200


def split_lines(text: str) -> list[str]:
    """Split text on LF, CRLF or CR: the line numbering every position uses."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


class LineLocator:
    """Forward-only search for the 0-based source line where a block starts."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.cursor = 0

    def text_block(self, text: str) -> int:
        """Locate a paragraph / setext heading / indented code; advance past it."""
        body = text.strip()
        newline = body.find("\n")
        if newline < 0:
            first, span = body, 1
        else:
            first, span = body[:newline].rstrip(), body.count("\n", newline) + 1
        if first:
            # Most blocks start on the cursor's line or the next (after a blank line): test those first.
            lines, cursor = self.lines, self.cursor
            for index in (cursor, cursor + 1):
                if index < len(lines) and _ends_text_line(lines[index], first):
                    self.cursor = index + span
                    return index
        return self._locate(first, span, atx=False)

    def atx_heading(self, text: str) -> int:
        """Locate an ATX heading line (``## text ##``); advance past it."""
        needle, cursor = text.strip(), self.cursor
        line = self.lines[cursor] if cursor < len(self.lines) else ""
        if needle in line and _matches(line, needle, atx=True, fence=False):
            self.cursor = cursor + 1  # on the cursor's line, as most headings are
            return cursor
        return self._locate(needle, 1, atx=True)

    def fenced_code(self, marker: str, raw: str) -> int:
        """Locate a fence line; advance to its closing fence."""
        return self._locate(marker, 1 + raw.count("\n"), atx=False, fence=True)

    def _locate(self, needle: str, span: int, *, atx: bool, fence: bool = False) -> int:
        lines = self.lines
        start = min(self.cursor, len(lines) - 1)
        index = self._scan(needle, range(start, min(len(lines), start + _WINDOW)), atx, fence)
        if index is None:
            # mistune emits a few blocks out of source order (a quote cut short by a
            # list comes after that list): look back a little, never move back.
            index = self._scan(needle, range(start - 1, max(-1, start - _BACK), -1), atx, fence)
            if index is None:
                return start  # not found (should not happen): stay, within the file
        self.cursor = max(self.cursor, index + span)
        return index

    def _scan(self, needle: str, indexes: range, atx: bool, fence: bool) -> int | None:
        lines = self.lines
        if not atx and not fence and needle:
            for index in indexes:
                line = lines[index]
                # Substring test first: it rejects almost every wrong line in C.
                if needle in line and _ends_text_line(line, needle):
                    return index
            return None
        for index in indexes:
            if (not atx or needle in lines[index]) and _matches(lines[index], needle, atx=atx, fence=fence):
                return index
        return None


def _ends_text_line(line: str, needle: str) -> bool:
    """A text block's first line: ``line`` ends with ``needle`` after nothing but container markup."""
    body = line.rstrip()
    if not body.endswith(needle):
        return False
    return len(body) == len(needle) or _is_container_prefix(body[: len(body) - len(needle)])


@lru_cache(maxsize=1024)  # a few prefixes ("- ", "  * ", "> 1. ") stand before most blocks
def _is_container_prefix(head: str) -> bool:
    matched = _CONTAINER_PREFIX.match(head)
    return matched is not None and matched.end() == len(head)


def _matches(line: str, needle: str, *, atx: bool, fence: bool) -> bool:
    if fence:
        prefix = _CONTAINER_PREFIX.match(line)
        return prefix is not None and line.startswith(needle, prefix.end())
    if atx:
        prefix_match = _ATX_PREFIX.match(line)
        return prefix_match is not None and needle in line[prefix_match.end():]
    if not needle:
        return not line.rstrip().strip(" \t>-*+")
    return _ends_text_line(line, needle)
