"""The table renderer: display width, shortening with "…", wrapping, colour only when asked."""

from __future__ import annotations

import io

from notes2tickets.sync.table import Column, render, shorten, use_colour, width, wrap


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_display_width_counts_wide_characters_twice() -> None:
    """CJK and emoji take two columns, combining marks none."""
    assert width("abc") == 3
    assert width("日本語") == 6
    assert width("🎉") == 2
    assert width("e\u0301") == 1


def test_shorten_and_wrap_respect_display_width() -> None:
    """Shortened text ends in "…" within the limit; wrapped lines never pass it, a long URL is broken."""
    assert shorten("日本語のドキュメント", 7) == "日本語…"
    assert width(shorten("日本語のドキュメント", 7)) <= 7
    assert shorten("short", 10) == "short"
    lines = wrap("possible duplicate of #12 http://127.0.0.1/a/very/long/path/issue/12; --force files it", 16)
    assert all(width(line) <= 16 for line in lines)
    assert "".join(lines).replace(" ", "") == "possibleduplicateof#12http://127.0.0.1/a/very/long/path/issue/12;--forcefilesit"


def test_render_fits_total_and_pads_by_display_width() -> None:
    """A table asked to fit 40 columns does, and the last column starts at one display column on every row."""
    columns = [Column("A"), Column("TITLE", "cut", 2), Column("REASON", "wrap")]
    rows = [["new", "日本語のタイトルはとても長いです", "one two three four five"], ["skip", "ascii title that is long", "x"]]
    text = render(columns, rows, total=40)
    lines = text.splitlines()
    assert max(width(line) for line in lines) <= 40
    starts = {width(line[: line.index(word)]) for line, word in ((lines[1], "one"), (lines[-1], "x"))}
    assert len(starts) == 1


def test_colour_decision() -> None:
    """auto: only a terminal without NO_COLOR or TERM=dumb; always and never win."""
    assert use_colour("auto", _Tty(), {}) is True
    assert use_colour("auto", io.StringIO(), {}) is False
    assert use_colour("auto", _Tty(), {"NO_COLOR": "1"}) is False
    assert use_colour("auto", _Tty(), {"TERM": "dumb"}) is False
    assert use_colour("always", io.StringIO(), {"NO_COLOR": "1"}) is True
    assert use_colour("never", _Tty(), {}) is False
