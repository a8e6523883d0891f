"""Tables that fit the terminal: widths by display width, long cells shortened or wrapped, colour optional.

A small renderer of our own rather than rich: the preview needs four things
(display width, "…", wrapping in a column, a few ANSI colours), and keeping them
here costs no dependency and no import time on the hook's path.
"""

from __future__ import annotations

import unicodedata
from typing import Mapping, NamedTuple, Optional, Sequence, TextIO

GAP = "  "
MIN_FLEX = 12  # narrowest a shortened or wrapped column gets, whatever the terminal
_RESET = "\x1b[0m"
COLOURS = {"green": "\x1b[32m", "yellow": "\x1b[33m", "red": "\x1b[31m", "cyan": "\x1b[36m", "dim": "\x1b[2m", "bold": "\x1b[1m"}


class Column(NamedTuple):
    """``fit``: "keep" (never shortened), "cut" (shortened with "…" at the end), "cut-left" (… at the start,
    for paths whose end matters) or "wrap" (wrapped inside the column); ``weight``: its share of a narrow terminal."""

    header: str
    fit: str = "keep"
    weight: int = 1


def use_colour(mode: str, stream: TextIO, environ: Mapping[str, str]) -> bool:
    """``--color always|never|auto``: auto means a terminal, without NO_COLOR and not TERM=dumb."""
    if mode == "always":
        return True
    if mode == "never" or environ.get("NO_COLOR") or environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def paint(text: str, colour: Optional[str], enabled: bool) -> str:
    if not enabled or not colour or not text:
        return text
    return f"{COLOURS[colour]}{text}{_RESET}"


def char_width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def width(text: str) -> int:
    """Columns ``text`` takes on a terminal (CJK and emoji take two)."""
    return sum(char_width(ch) for ch in text)


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` columns, ending in "…" when something was cut."""
    if width(text) <= limit:
        return text
    out, used = [], 0
    for ch in text:
        w = char_width(ch)
        if used + w > limit - 1:
            break
        out.append(ch)
        used += w
    return "".join(out).rstrip() + "…"


def wrap(text: str, limit: int) -> list[str]:
    """``text`` in lines of at most ``limit`` columns, broken at spaces where possible."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if width(candidate) <= limit:
            line = candidate
            continue
        if line:
            lines.append(line)
        while width(word) > limit:  # a word longer than the column (a URL): break it
            head = shorten(word, limit + 1)[:-1] or word[0]
            lines.append(head)
            word = word[len(head):]
        line = word
    lines.append(line)
    return lines


def _pad(text: str, size: int) -> str:
    return text + " " * max(0, size - width(text))


def _widths(columns: Sequence[Column], rows: Sequence[Sequence[str]], total: Optional[int]) -> list[int]:
    natural = [max(width(r[i]) for r in [[c.header for c in columns], *rows]) for i in range(len(columns))]
    if total is None:
        return natural
    flex = [i for i, c in enumerate(columns) if c.fit != "keep"]
    spare = total - sum(natural[i] for i in range(len(columns)) if i not in flex) - len(GAP) * (len(columns) - 1)
    sizes = list(natural)
    # Share what is left by weight; a column that needs less than its share gives the rest back.
    remaining = list(flex)
    while remaining:
        weights = sum(columns[i].weight for i in remaining)
        narrow = [i for i in remaining if natural[i] <= spare * columns[i].weight // weights]
        if not narrow:
            for i in remaining:
                sizes[i] = max(MIN_FLEX, spare * columns[i].weight // weights)
            break
        for i in narrow:
            sizes[i] = natural[i]
            spare -= natural[i]
            remaining.remove(i)
    return sizes


def render(
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    *,
    total: Optional[int] = None,
    colours: Sequence[Sequence[Optional[str]]] = (),
    colour: bool = False,
) -> str:
    """The table in ``total`` columns (None: as wide as it needs); ``colours[r][c]`` names a cell's colour."""
    sizes = _widths(columns, rows, total)
    header = [paint(_pad(c.header, s), "bold", colour) for c, s in zip(columns, sizes)]
    lines = [GAP.join(header).rstrip()]
    for r, row in enumerate(rows):
        cells = [_fit(text, col, size) for text, col, size in zip(row, columns, sizes)]
        height = max(len(c) for c in cells)
        tint = colours[r] if r < len(colours) else ()
        for k in range(height):
            parts = []
            for c, (cell, size) in enumerate(zip(cells, sizes)):
                text = _pad(cell[k] if k < len(cell) else "", size if c < len(sizes) - 1 else 0)
                parts.append(paint(text, tint[c] if c < len(tint) else None, colour and k < len(cell)))
            lines.append(GAP.join(parts).rstrip())
    return "\n".join(lines) + "\n"


def _fit(text: str, column: Column, size: int) -> list[str]:
    if column.fit == "wrap":
        return wrap(text, size)
    if column.fit == "cut":
        return [shorten(text, size)]
    if column.fit == "cut-left":
        return [shorten(text[::-1], size)[::-1]]
    return [text]
